"""Query deadlines (查询超时): one shared thread that calls a stop function when a query's time is up.

A ``threading.Timer`` per query starts a thread each time (milliseconds on a busy machine, a noticeable
part of a small aggregate query); the watchdog keeps one daemon thread and a heap of deadlines.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import threading
import time
from collections.abc import Callable


class Deadline:
    """A scheduled stop; ``cancel()`` it when the query ends, ``fired`` tells whether it ran."""

    __slots__ = ("_cancelled", "callback", "fired", "when")

    def __init__(self, when: float, callback: Callable[[], object]) -> None:
        self.when = when
        self.callback: Callable[[], object] | None = callback
        self.fired = False
        self._cancelled = False

    def cancel(self) -> None:
        self._cancelled = True
        self.callback = None  # what it would have stopped (a connection) is not kept alive


class Watchdog:
    """Runs each deadline's callback at its time unless it was cancelled first."""

    def __init__(self) -> None:
        self._heap: list[tuple[float, int, Deadline]] = []
        self._order = itertools.count()
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None

    def call_after(self, seconds: float, callback: Callable[[], object]) -> Deadline:
        deadline = Deadline(time.monotonic() + seconds, callback)
        with self._wake:
            heapq.heappush(self._heap, (deadline.when, next(self._order), deadline))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._loop, name="query-watchdog", daemon=True)
                self._thread.start()
            self._wake.notify()
        return deadline

    def _loop(self) -> None:
        while True:
            with self._wake:
                while self._heap and self._heap[0][2]._cancelled:
                    heapq.heappop(self._heap)
                if not self._heap:
                    self._wake.wait()
                    continue
                when, _, deadline = self._heap[0]
                now = time.monotonic()
                if when > now:
                    self._wake.wait(when - now)
                    continue
                heapq.heappop(self._heap)
                callback = deadline.callback
                if deadline._cancelled or callback is None:
                    continue
                deadline.fired = True
            with contextlib.suppress(Exception):  # a stop on a query that already ended is harmless
                callback()
            del callback


WATCHDOG = Watchdog()
