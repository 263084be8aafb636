"""Result values are JSON-safe and come out the same from every engine's Python types."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from logispace.domains.access.delivery.results import canonical, json_value, sha256_hex

CASES: list[tuple[object, object]] = [
    (None, None),
    (True, True),
    ("南宁市", "南宁市"),
    (7, 7),
    (2**53 - 1, 2**53 - 1),
    (2**53, str(2**53)),  # past what a JSON number carries exactly
    (-(2**60), str(-(2**60))),
    (2.5, 2.5),
    (3.0, 3),  # a whole float equals the integer another engine returns
    (float("nan"), None),
    (float("inf"), None),
    (Decimal("1662726.53"), 1662726.53),
    (Decimal("10"), 10),
    (Decimal("NaN"), None),
    (date(2026, 3, 1), "2026-03-01"),
    (datetime(2026, 3, 1, 8, 30, tzinfo=UTC), "2026-03-01T08:30:00+00:00"),
    (time(8, 30), "08:30:00"),
    (timedelta(minutes=2), 120.0),
    (b"\x01\xff", "01ff"),
    (uuid.UUID(int=1), "00000000-0000-0000-0000-000000000001"),
    ([1, Decimal("2")], [1, 2]),
    ({"a": date(2026, 1, 1)}, {"a": "2026-01-01"}),
]


@pytest.mark.parametrize(("value", "expected"), CASES, ids=[repr(c[0])[:30] for c in CASES])
def test_json_value(value: object, expected: object) -> None:
    assert json_value(value) == expected
    assert type(json_value(value)) is type(expected)


def test_canonical_json_is_rfc8785() -> None:
    body = canonical(["b", "a"], [["南宁", 1.5, None]])
    assert body == '{"columns":["b","a"],"rows":[["南宁",1.5,null]]}'.encode()
    assert sha256_hex(body) == sha256_hex(body.decode())


_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.text(max_size=12),
    st.integers(min_value=-(2**53) + 1, max_value=2**53 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
)


@settings(max_examples=300, deadline=None)
@given(
    columns=st.lists(st.text(max_size=8), min_size=1, max_size=4),
    rows=st.lists(st.lists(_VALUES, min_size=1, max_size=4), max_size=6),
)
def test_fast_canonical_json_is_byte_for_byte_rfc8785(columns: list[str], rows: list[list[object]]) -> None:
    values = [[json_value(v) for v in row] for row in rows]
    try:
        expected = rfc8785.dumps({"columns": columns, "rows": values})
    except Exception:
        with pytest.raises(Exception):  # noqa: B017, PT011
            canonical(columns, values)
        return
    assert canonical(columns, values) == expected


@pytest.mark.parametrize(
    "number", [2.0**53, 2.0**60, 1e16, 1e21, 1e-5, 1e-4, 0.5, 123.456, -0.0, 5e-324, 1.7976931348623157e308]
)
def test_floats_at_the_edges_of_the_fast_path(number: float) -> None:
    value = json_value(number)
    assert canonical(["x"], [[value]]) == rfc8785.dumps({"columns": ["x"], "rows": [[value]]})
