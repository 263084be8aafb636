"""A LogiSpace server whose clock the browser test sets: for tests only, never shipped.

Registration counts PRC working days, so walking an application past its 10-working-day publicity
needs time to pass. The server is the same app (``logispace.app.main:create_app``); before it starts,
:func:`logispace.core.clock.set_clock` makes "now" the ISO datetime written in the file named by
``LOGISPACE_TEST_CLOCK_FILE``, read afresh on every call, so the test moves time by rewriting it.

Usage: ``python tests/web/clocked_server.py PORT`` with the environment of the live server.
"""

from __future__ import annotations

import os
import sys
from datetime import datetime
from pathlib import Path

import uvicorn

from logispace.core.clock import set_clock

CLOCK_FILE = "LOGISPACE_TEST_CLOCK_FILE"


def command(port: int) -> list[str]:
    """The command line that runs this launcher on ``port`` (for :func:`tests.live_server.serving`)."""
    return [sys.executable, str(Path(__file__).resolve()), str(port)]


def main() -> None:
    clock_file = Path(os.environ[CLOCK_FILE])
    set_clock(lambda: datetime.fromisoformat(clock_file.read_text(encoding="utf-8").strip()))
    uvicorn.run("logispace.app.main:create_app", factory=True, host="127.0.0.1", port=int(sys.argv[1]))


if __name__ == "__main__":
    main()
