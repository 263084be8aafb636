"""Dataset schemas (数据结构) and schema drift (结构变化) between two versions of a distribution."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.types as pat

from logispace.storage.errors import BadHeader


@dataclass(frozen=True, slots=True)
class FieldInfo:
    """One column: its name, its Arrow type (as Arrow prints it) and a coarse logical type."""

    name: str
    arrow_type: str
    logical_type: str


def logical_type(data_type: pa.DataType) -> str:
    """A small vocabulary for catalogues and forms: string, integer, decimal, float, boolean,
    timestamp, date, time, duration, binary, list, struct, null or other."""
    checks = (
        (pat.is_string, "string"),
        (pat.is_large_string, "string"),
        (pat.is_integer, "integer"),
        (pat.is_decimal, "decimal"),
        (pat.is_floating, "float"),
        (pat.is_boolean, "boolean"),
        (pat.is_timestamp, "timestamp"),
        (pat.is_date, "date"),
        (pat.is_time, "time"),
        (pat.is_duration, "duration"),
        (pat.is_binary, "binary"),
        (pat.is_large_binary, "binary"),
        (pat.is_list, "list"),
        (pat.is_large_list, "list"),
        (pat.is_struct, "struct"),
        (pat.is_null, "null"),
    )
    for check, name in checks:
        if check(data_type):
            return name
    return "other"


def describe(schema: pa.Schema) -> tuple[FieldInfo, ...]:
    """The fields of an Arrow schema, in order."""
    return tuple(FieldInfo(f.name, str(f.type), logical_type(f.type)) for f in schema)


@dataclass(frozen=True, slots=True)
class Retyped:
    """A column whose type changed."""

    name: str
    old_type: str
    new_type: str


@dataclass(frozen=True, slots=True)
class SchemaDrift:
    """What changed from one schema to the next; field order is not a change."""

    added: tuple[FieldInfo, ...] = field(default=())
    removed: tuple[FieldInfo, ...] = field(default=())
    retyped: tuple[Retyped, ...] = field(default=())

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed or self.retyped)


def schema_drift(old: Sequence[FieldInfo], new: Sequence[FieldInfo]) -> SchemaDrift:
    """Added, removed and retyped fields (by name; a retype compares Arrow types)."""
    before = {f.name: f for f in old}
    after = {f.name: f for f in new}
    return SchemaDrift(
        added=tuple(f for f in new if f.name not in before),
        removed=tuple(f for f in old if f.name not in after),
        retyped=tuple(
            Retyped(f.name, before[f.name].arrow_type, f.arrow_type)
            for f in new
            if f.name in before and before[f.name].arrow_type != f.arrow_type
        ),
    )


def check_column_names(names: list[str]) -> None:
    """Refuse empty column names and names that repeat (case-insensitively), naming them."""
    empty = [position for position, name in enumerate(names, start=1) if not name.strip()]
    seen: dict[str, str] = {}
    duplicates: list[str] = []
    for name in names:
        key = name.strip().casefold()
        if key and key in seen and name not in duplicates:
            duplicates.append(name)
        seen.setdefault(key, name)
    problems = []
    if empty:
        problems.append("empty column names at column " + ", ".join(str(p) for p in empty))
    if duplicates:
        problems.append("duplicate column names " + ", ".join(repr(d) for d in duplicates))
    if problems:
        raise BadHeader("the header has " + "; ".join(problems), empty_columns=empty, duplicates=duplicates)
