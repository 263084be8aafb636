"""Run work in a forked copy of the test process: its imports are done, where a fresh interpreter
spends seconds importing the platform (about 5 s of CPU on this 2-core machine, more under load).

:func:`in_fork` runs a function, :func:`cli_in_fork` a ``logispace`` command line (the real Typer
application, parsed as the console script parses it), each with an environment of its own; the
parent waits for the child's exit status. The child never returns into pytest: it leaves with
``os._exit``, printing the traceback of an exception to stderr first (pytest shows it).
"""

from __future__ import annotations

import os
import signal
import time
import traceback
from collections.abc import Callable, Mapping

from logispace.core.config import get_settings

WAIT_SECONDS = 300.0


def in_fork(work: Callable[[], object], env: Mapping[str, str]) -> int:
    """Run ``work`` in a forked process whose environment is this one's with ``env`` over it; return
    the child's exit status, negative for the signal that ended it (0: ``work`` returned). A child
    still running after :data:`WAIT_SECONDS` is killed and the call raises ``TimeoutError``."""
    pid = os.fork()
    if pid == 0:
        code = 70
        try:
            os.environ.update(env)
            get_settings.cache_clear()
            work()
            code = 0
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else 1
        except BaseException:
            traceback.print_exc()
        finally:
            os._exit(code)
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            raise TimeoutError(f"the forked process did not end within {WAIT_SECONDS:.0f} s")
        time.sleep(0.01)


def cli_in_fork(args: list[str], env: Mapping[str, str]) -> int:
    """``logispace ARGS`` in a forked process with ``env``; its exit status. The command line module is
    imported here, before the fork, so that later forks find it imported."""
    from logispace.cli import app

    return in_fork(lambda: app(args, prog_name="logispace"), env)


def check_cli_in_fork(args: list[str], env: Mapping[str, str]) -> None:
    """:func:`cli_in_fork`, failing unless the command exits with 0."""
    code = cli_in_fork(args, env)
    if code != 0:
        raise RuntimeError(f"logispace {' '.join(args)} exited with {code}")
