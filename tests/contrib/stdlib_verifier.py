"""The standalone verifier ``contrib/logispace_verify.py``, loaded from its file (it is a script, not
part of the ``logispace`` package), for the tests to call its functions directly."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

SCRIPT = Path(__file__).resolve().parents[2] / "contrib" / "logispace_verify.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("logispace_verify", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


lv = _load()
