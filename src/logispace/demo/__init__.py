"""Demo data (演示数据) of a small logistics data space, loaded through the domains' services only."""

from logispace.demo.load import DemoLogin, load

__all__ = ["DemoLogin", "load"]
