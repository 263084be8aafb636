"""The application: ``create_app()`` composes the domains' routers, templates and page strings with the
web layer's middleware and error pages; ``wire()`` connects the domains' in-process events."""

from logispace.app.main import create_app
from logispace.app.wiring import wire

__all__ = ["create_app", "wire"]
