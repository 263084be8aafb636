"""Ledger errors."""

from __future__ import annotations

from logispace.core.errors import NotFound


class BeyondLog(NotFound):
    """The request names an index or tree size the log has not reached."""

    code = "beyond-log"
    title = "Beyond the end of the log"
