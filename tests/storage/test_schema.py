"""Schemas (数据结构) and schema drift (结构变化) between two versions of a distribution."""

from __future__ import annotations

import pyarrow as pa
import pytest

from logispace.storage import FieldInfo, Retyped, SchemaDrift, describe, schema_drift
from logispace.storage.schema import logical_type


def fields(*pairs: tuple[str, pa.DataType]) -> tuple[FieldInfo, ...]:
    return describe(pa.schema(list(pairs)))


BASE = fields(("运单号", pa.string()), ("重量kg", pa.float64()), ("件数", pa.int64()))


@pytest.mark.parametrize(
    ("new", "expected"),
    [
        (BASE, SchemaDrift()),
        (tuple(reversed(BASE)), SchemaDrift()),  # order is not a change
        (
            (*BASE, *fields(("车牌", pa.string()))),
            SchemaDrift(added=fields(("车牌", pa.string()))),
        ),
        (BASE[:2], SchemaDrift(removed=fields(("件数", pa.int64())))),
        (
            fields(("运单号", pa.string()), ("重量kg", pa.float64()), ("件数", pa.string())),
            SchemaDrift(retyped=(Retyped("件数", "int64", "string"),)),
        ),
        (
            fields(("运单号", pa.large_string()), ("件数", pa.int32()), ("到达", pa.timestamp("s"))),
            SchemaDrift(
                added=fields(("到达", pa.timestamp("s"))),
                removed=fields(("重量kg", pa.float64())),
                retyped=(Retyped("运单号", "string", "large_string"), Retyped("件数", "int64", "int32")),
            ),
        ),
        # a renamed column is a removal and an addition: names are the identity
        (
            fields(("waybill", pa.string()), ("重量kg", pa.float64()), ("件数", pa.int64())),
            SchemaDrift(added=fields(("waybill", pa.string())), removed=fields(("运单号", pa.string()))),
        ),
    ],
)
def test_schema_drift(new: tuple[FieldInfo, ...], expected: SchemaDrift) -> None:
    drift = schema_drift(BASE, new)
    assert drift == expected
    assert drift.changed is (expected != SchemaDrift())


@pytest.mark.parametrize(
    ("data_type", "logical"),
    [
        (pa.string(), "string"),
        (pa.large_string(), "string"),
        (pa.int8(), "integer"),
        (pa.uint64(), "integer"),
        (pa.float32(), "float"),
        (pa.decimal128(12, 2), "decimal"),
        (pa.bool_(), "boolean"),
        (pa.timestamp("s", tz="Asia/Shanghai"), "timestamp"),
        (pa.date32(), "date"),
        (pa.time64("us"), "time"),
        (pa.duration("s"), "duration"),
        (pa.binary(), "binary"),
        (pa.list_(pa.string()), "list"),
        (pa.struct([("a", pa.int64())]), "struct"),
        (pa.null(), "null"),
        (pa.dictionary(pa.int32(), pa.string()), "other"),
    ],
)
def test_logical_types(data_type: pa.DataType, logical: str) -> None:
    assert logical_type(data_type) == logical
    assert describe(pa.schema([("c", data_type)])) == (FieldInfo("c", str(data_type), logical),)
