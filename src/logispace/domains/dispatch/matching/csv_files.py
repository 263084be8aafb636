"""The matching CLI's files: vehicles and loads as CSV (UTF-8, a header row, any column order).

Vehicles: ``vehicle_id, lon, lat, capacity_t, capacity_m3, vehicle_type, available_from, qualifications``;
loads: ``load_id, pickup_lon, pickup_lat, drop_lon, drop_lat, weight_t, volume_m3, vehicle_type,
earliest_pickup, latest_pickup, required_qualification`` (``capacity_m3`` and ``volume_m3`` optional
columns: an empty cell or no column is no volume constraint). Times are ISO 8601 with an offset; an
empty optional cell means no constraint; qualifications are separated by ``;``. Every error names the
data row (1 is the first row under the header) and the field.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from logispace.domains.dispatch.matching.problem import InputError, Load, Vehicle

VEHICLE_COLUMNS = (
    "vehicle_id",
    "lon",
    "lat",
    "capacity_t",
    "capacity_m3",
    "vehicle_type",
    "available_from",
    "qualifications",
)
LOAD_COLUMNS = (
    "load_id",
    "pickup_lon",
    "pickup_lat",
    "drop_lon",
    "drop_lat",
    "weight_t",
    "volume_m3",
    "vehicle_type",
    "earliest_pickup",
    "latest_pickup",
    "required_qualification",
)
REQUIRED_VEHICLE = ("vehicle_id", "lon", "lat", "capacity_t")
REQUIRED_LOAD = ("load_id", "pickup_lon", "pickup_lat", "drop_lon", "drop_lat", "weight_t")

T = TypeVar("T")


def _number(row: dict[str, str], name: str) -> float:
    text = (row.get(name) or "").strip()
    if not text:
        raise InputError(name, "missing")
    try:
        return float(text)
    except ValueError:
        raise InputError(name, f"not a number: {text!r}") from None


def _optional_number(row: dict[str, str], name: str) -> float | None:
    return _number(row, name) if (row.get(name) or "").strip() else None


def _optional(row: dict[str, str], name: str) -> str | None:
    text = (row.get(name) or "").strip()
    return text or None


def _time(row: dict[str, str], name: str) -> datetime | None:
    text = _optional(row, name)
    if text is None:
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise InputError(name, f"not an ISO 8601 time: {text!r}") from None
    if value.tzinfo is None:
        raise InputError(name, f"time {text!r} needs a UTC offset, e.g. +08:00")
    return value


def vehicle_of(row: dict[str, str]) -> Vehicle:
    """A vehicle from one CSV row (or a form's fields)."""
    quals = _optional(row, "qualifications") or ""
    return Vehicle(
        vehicle_id=_optional(row, "vehicle_id") or "",
        lon=_number(row, "lon"),
        lat=_number(row, "lat"),
        capacity_t=_number(row, "capacity_t"),
        vehicle_type=_optional(row, "vehicle_type"),
        available_from=_time(row, "available_from"),
        qualifications=frozenset(q.strip() for q in quals.split(";") if q.strip()),
        capacity_m3=_optional_number(row, "capacity_m3"),
    )


def load_of(row: dict[str, str]) -> Load:
    """A load from one CSV row."""
    return Load(
        load_id=_optional(row, "load_id") or "",
        pickup_lon=_number(row, "pickup_lon"),
        pickup_lat=_number(row, "pickup_lat"),
        drop_lon=_number(row, "drop_lon"),
        drop_lat=_number(row, "drop_lat"),
        weight_t=_number(row, "weight_t"),
        vehicle_type=_optional(row, "vehicle_type"),
        earliest_pickup=_time(row, "earliest_pickup"),
        latest_pickup=_time(row, "latest_pickup"),
        required_qualification=_optional(row, "required_qualification"),
        volume_m3=_optional_number(row, "volume_m3"),
    )


def _rows(path: Path, required: tuple[str, ...]) -> Iterator[dict[str, str]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in required if c not in (reader.fieldnames or [])]
            if missing:
                raise InputError(missing[0], f"column missing from {path.name}")
            yield from reader
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputError("file", f"cannot read {path}: {exc}") from None


def _read(path: Path, required: tuple[str, ...], build: Callable[[dict[str, str]], T]) -> list[T]:
    out: list[T] = []
    for number, row in enumerate(_rows(path, required), start=1):
        try:
            out.append(build(row))
        except InputError as exc:
            raise exc.at_row(number) from None
    return out


def read_vehicles(path: Path) -> list[Vehicle]:
    """Every vehicle of the file; the first bad row raises :class:`InputError` naming row and field."""
    return _read(path, REQUIRED_VEHICLE, vehicle_of)


def read_loads(path: Path) -> list[Load]:
    """Every load of the file; the first bad row raises :class:`InputError` naming row and field."""
    return _read(path, REQUIRED_LOAD, load_of)
