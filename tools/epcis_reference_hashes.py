"""Compare our CBV 2.0 event hash with the GS1 reference implementation's own examples.

Reads ``tests/data/epcis-hash/`` (documents and the expected pre-hash and hash lines, one per
event; see the README there) and prints, per event, whether it reproduces, then the totals.
Run from the repository root:

    PYTHONPATH=src:. .venv/bin/python tools/epcis_reference_hashes.py [folder]
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from tests.logistics.hash_reference import ROOT as EXAMPLES  # noqa: E402
from tests.logistics.hash_reference import report  # noqa: E402

if __name__ == "__main__":
    print(report(Path(sys.argv[1]) if len(sys.argv) > 1 else EXAMPLES))
