"""RFC 6962 probes (transparency-dev/merkle testdata) and RFC 8785 vectors from tests/data."""

import base64
import json
from pathlib import Path

import pytest

from logispace.domains.ledger import ProofError, canonical_json, verify_consistency, verify_inclusion
from tests.data import DATA

PROBES = DATA / "rfc6962" / "testdata"
JCS = DATA / "rfc8785" / "testdata"

INCLUSION = sorted((PROBES / "inclusion").rglob("*.json"))
CONSISTENCY = sorted((PROBES / "consistency").rglob("*.json"))


def _b64(value: str | None) -> bytes:
    return base64.b64decode(value or "")


def _proof(value: list[str] | None) -> list[bytes]:
    return [_b64(p) for p in value or []]


def test_all_196_probes_are_present() -> None:
    assert len(INCLUSION) + len(CONSISTENCY) == 196


@pytest.mark.parametrize("path", INCLUSION, ids=lambda p: str(p.relative_to(PROBES)))
def test_inclusion_probe(path: Path) -> None:
    probe = json.loads(path.read_text())
    args = (
        probe["leafIdx"],
        probe["treeSize"],
        _b64(probe["leafHash"]),
        _proof(probe["proof"]),
        _b64(probe["root"]),
    )
    if probe["wantErr"]:
        with pytest.raises(ProofError):
            verify_inclusion(*args)
    else:
        verify_inclusion(*args)


@pytest.mark.parametrize("path", CONSISTENCY, ids=lambda p: str(p.relative_to(PROBES)))
def test_consistency_probe(path: Path) -> None:
    probe = json.loads(path.read_text())
    args = (
        probe["size1"],
        probe["size2"],
        _proof(probe["proof"]),
        _b64(probe["root1"]),
        _b64(probe["root2"]),
    )
    if probe["wantErr"]:
        with pytest.raises(ProofError):
            verify_consistency(*args)
    else:
        verify_consistency(*args)


@pytest.mark.parametrize("name", sorted(p.name for p in (JCS / "input").glob("*.json")))
def test_rfc8785_vector(name: str) -> None:
    value = json.loads((JCS / "input" / name).read_text(encoding="utf-8"))
    expected_hex = (JCS / "outhex" / name.replace(".json", ".txt")).read_text().split()
    assert canonical_json(value) == bytes.fromhex("".join(expected_hex))
    assert canonical_json(value) == (JCS / "output" / name).read_bytes().rstrip(b"\n")
