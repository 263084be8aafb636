"""The GS1 reference implementation's own hash examples (tests/data/epcis-hash/), compared with
our pre-hash and event hash ID, event by event.

Each example is a document (``documents/<name>.json[ld]``) with the expected pre-hash strings
(``expected/<name>.prehashes``) and hash IDs (``expected/<name>.hashes``), one line per event; an
example may have only one of the two. An event reproduces when both published lines, where
given, equal ours exactly.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from logispace.domains.logistics.epcis.hashing import context_prefixes, event_hash_id, pre_hash
from tests.data import DATA

ROOT = DATA / "epcis-hash"


@dataclass(frozen=True)
class Outcome:
    example: str
    index: int
    expected_pre_hash: str | None
    expected_hash: str | None
    pre_hash: str
    hash: str

    @property
    def reproduced(self) -> bool:
        return self.expected_pre_hash in (None, self.pre_hash) and self.expected_hash in (None, self.hash)


def events(document: dict[str, Any]) -> list[dict[str, Any]]:
    body = document.get("epcisBody", {})
    if "queryResults" in body:
        return list(body["queryResults"]["resultsBody"]["eventList"])
    return list(body.get("eventList", []))


def _lines(path: Path) -> list[str] | None:
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else None


def outcomes(root: Path = ROOT) -> Iterator[Outcome]:
    """One outcome per event of every example that has expected lines."""
    for path in sorted((root / "documents").iterdir()):
        name = path.name.rsplit(".", 1)[0]
        pres = _lines(root / "expected" / f"{name}.prehashes")
        hashes = _lines(root / "expected" / f"{name}.hashes")
        if pres is None and hashes is None:
            continue
        document = json.loads(path.read_text(encoding="utf-8"))
        prefixes = context_prefixes(document.get("@context", []))
        for i, event in enumerate(events(document)):
            yield Outcome(
                name,
                i,
                pres[i] if pres is not None else None,
                hashes[i] if hashes is not None else None,
                pre_hash(event, prefixes),
                event_hash_id(event, prefixes),
            )


def report(root: Path = ROOT) -> str:
    found = list(outcomes(root))
    lines = [f"{o.example}#{o.index}: " + ("reproduced" if o.reproduced else "DIFFERS") for o in found]
    examples = len({o.example for o in found})
    exact = sum(o.reproduced for o in found)
    lines.append(f"{examples} examples, {len(found)} events, {exact} reproduce, {len(found) - exact} differ")
    return "\n".join(lines)
