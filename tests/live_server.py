"""A LogiSpace server in a subprocess for tests that talk to it over real HTTP.

:func:`serving` starts a command on a free local port with the given environment, waits until
``GET /api/v1/health`` answers 200, yields the base URL and stops the process afterwards. The
command is ``logispace serve`` unless the caller names another launcher (the browser test's
clocked server). The process writes its output to a log file, shown when it fails to start.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import httpx2 as httpx

HOST = "127.0.0.1"
START_SECONDS = 90.0  # a loaded 2-core machine can take long to import the app


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on right now."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def logispace_serve(port: int) -> list[str]:
    """The command line of ``logispace serve`` on ``port``."""
    return [sys.executable, "-m", "logispace", "serve", "--host", HOST, "--port", str(port)]


@contextmanager
def serving(
    env: Mapping[str, str], log_path: Path, command: Callable[[int], list[str]] = logispace_serve
) -> Iterator[str]:
    """Run ``command(port)`` with ``env`` until healthy; yield ``http://127.0.0.1:PORT``; stop it."""
    port = free_port()
    url = f"http://{HOST}:{port}"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(command(port), env=dict(env), stdout=log, stderr=log)
        try:
            _wait_healthy(url, proc, log_path)
            yield url
        finally:
            proc.terminate()
            proc.wait(timeout=10)


def _wait_healthy(url: str, proc: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while True:
        try:
            if httpx.get(f"{url}/api/v1/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"server did not start: {log_path.read_text()}")
        time.sleep(0.2)
