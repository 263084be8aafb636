"""Supply-chain control tower (供应链控制塔): KPIs, ETA, exceptions and alerts, forecasts, cost and
carbon over the logistics data on the platform (seed 001 (30), (19), (22), (25)).

Built so far: demand forecasts (需求预测) of any series file, :mod:`.forecast`, and its command
``logispace tower forecast``.
"""

from logispace.domains.tower.cli import app as cli

__all__ = ["cli"]
