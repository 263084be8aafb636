"""Event wiring (事件订阅): connect lower domains to the events of the domains they record, and domains to
the core's events (registration recomputes its provisional deadlines when a holiday notice is imported),
and the control tower to the EPCIS captures (its alert rules are evaluated as events arrive).

Called by every entry point (the web app, the command line, the tests) before any unit of work;
subscribing twice is harmless.
"""

from __future__ import annotations

from logispace.core.events import bus
from logispace.domains import ledger, operation, registration, tower


def wire() -> None:
    """Subscribe every domain handler on the process-wide event bus."""
    ledger.subscribe(bus)
    registration.subscribe(bus)
    operation.subscribe(bus)
    tower.subscribe(bus)
