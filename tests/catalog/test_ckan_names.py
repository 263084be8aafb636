"""CKAN organization names (issue 15 point 5): a holder's unified social credit code in lower case,
a valid CKAN name (lower-case ASCII letters, digits, ``-``, ``_``; 2-100 characters), else the legacy
``org-`` name. Pure function, no database."""

from __future__ import annotations

import re
import uuid

import pytest

from logispace.domains.catalog.ckan.names import legacy_organization_name, organization_name
from tests.factories.identity import new_uscc

PID = uuid.UUID("3f2a9c1b-2d4e-4a00-8000-000000000001")
LEGACY = "org-3f2a9c1b2d4e"
CKAN_NAME = re.compile(r"[a-z0-9_-]{2,100}")

# (case, uscc, expected name)
CASES = [
    ("a USCC in lower case", "91450000198230256H", "91450000198230256h"),
    ("digits only stay", "911100001000000000", "911100001000000000"),
    ("surrounding spaces dropped", " 91450000198230256H ", "91450000198230256h"),
    ("a letter department code (GB 32100 Y) too", "Y1110000MA0000001Y", "y1110000ma0000001y"),
    ("no USCC: the legacy name", None, LEGACY),
    ("empty: the legacy name", "", LEGACY),
    ("a non-ASCII letter: the legacy name", "ÄBC0000000000000X", LEGACY),
    ("a character CKAN refuses: the legacy name", "9145.0000198230256", LEGACY),
    ("one character is too short: the legacy name", "9", LEGACY),
]


@pytest.mark.parametrize(("case", "uscc", "expected"), CASES, ids=[c[0] for c in CASES])
def test_organization_name(case: str, uscc: str | None, expected: str) -> None:
    name = organization_name(PID, uscc)
    assert name == expected
    assert CKAN_NAME.fullmatch(name)


def test_the_legacy_name_is_the_old_org_hex_form() -> None:
    assert legacy_organization_name(PID) == LEGACY


def test_distinct_codes_give_distinct_names() -> None:
    codes = {new_uscc() for _ in range(200)}
    assert len({organization_name(uuid.uuid4(), code) for code in codes}) == len(codes)
