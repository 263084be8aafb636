"""Capacity matching and route optimization (车货匹配与路径优化), seed 001 (25), 003 (28).

Pure cores: :mod:`.matching` (vehicles to loads: exact or pruned min-cost flow; chaining over a day)
and :mod:`.routing` (PyVRP: capacities, time windows, several depots, a mixed fleet,
pickup-and-delivery pairs). Commands: ``logispace dispatch match`` and ``logispace dispatch vrptw``.
"""

from logispace.domains.dispatch.cli import app as cli

__all__ = ["cli"]
