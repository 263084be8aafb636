"""In-process domain events (领域事件): how a lower domain reacts to a higher one.

A higher domain publishes; a lower one registers a handler in ``main.py``. Handlers run
synchronously inside the caller's unit of work, so a rolled-back request leaves no effect.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Handler = Callable[[Any, Any], None]


@dataclass
class EventBus:
    """Maps an event class to the handlers called with ``(session, event)``."""

    _handlers: dict[type[Any], list[Handler]] = field(default_factory=lambda: defaultdict(list))

    def subscribe(self, event_type: type[Any], handler: Handler) -> None:
        """Call ``handler(session, event)`` for every published ``event_type``; subscribing the
        same handler twice has no further effect."""
        if handler not in self._handlers[event_type]:
            self._handlers[event_type].append(handler)

    def publish(self, session: Any, event: Any) -> None:
        """Run every handler of ``type(event)`` now, in the caller's transaction."""
        for handler in self._handlers.get(type(event), ()):
            handler(session, event)

    def has_handlers(self, event_type: type[Any]) -> bool:
        """Whether anyone subscribed to ``event_type`` (so a publisher may skip opening a transaction)."""
        return bool(self._handlers.get(event_type))

    def clear(self) -> None:
        """Forget every subscription (tests)."""
        self._handlers.clear()


bus = EventBus()
