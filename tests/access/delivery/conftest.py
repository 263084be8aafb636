"""Fixtures of the delivery tests: waybills and carriers as Parquet in a temporary folder.

The waybills have the columns of a carrier's waybill resource; ``internal_note`` is in the Parquet but
never granted, so a test can prove a query cannot reach it.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from logispace.domains.access.delivery import GrantedTable, OutputPolicy

ROWS = 6000
ORIGINS = ["南宁市", "钦州市", "柳州市", "桂林市", "防城港市"]  # 1200 rows each
MODES = ["公路", "铁路", "公铁联运"]
SURNAMES = "王李张刘陈杨黄赵吴周"


def waybill_table(rows: int = ROWS, seed: int = 20261207) -> pa.Table:
    rng = random.Random(seed)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    data: dict[str, list[object]] = {
        "waybill_id": [f"LS{i:012d}" for i in range(rows)],
        "shipper_uscc": [f"914501{i % 97:02d}MA5L8XJ7{i % 10}C" for i in range(rows)],
        "plate": [f"桂A{10000 + i % 9000}" for i in range(rows)],
        "origin": [ORIGINS[i % len(ORIGINS)] for i in range(rows)],
        "mode": [MODES[i % len(MODES)] for i in range(rows)],
        "pickup_at": [start + timedelta(hours=i) for i in range(rows)],
        "weight_kg": [float(rng.randint(1, 30_000)) for _ in range(rows)],
        "freight_yuan": [Decimal(rng.randint(100, 900_000)) / 100 for _ in range(rows)],
        "pieces": [rng.randint(1, 40) for _ in range(rows)],
        "driver_name": [SURNAMES[i % 10] + "师傅" for i in range(rows)],
        "driver_id_number": [f"450102199003{i % 100:04d}{i % 10}X" for i in range(rows)],
        "driver_mobile": [f"138{i:08d}" for i in range(rows)],
        "lng": [108.2 + (i % 100) / 1000 for i in range(rows)],
        "lat": [22.8 + (i % 50) / 1000 for i in range(rows)],
        "internal_note": ["内部备注" for _ in range(rows)],
    }
    schema = pa.schema(
        [
            ("waybill_id", pa.string()),
            ("shipper_uscc", pa.string()),
            ("plate", pa.string()),
            ("origin", pa.string()),
            ("mode", pa.string()),
            ("pickup_at", pa.timestamp("us", tz="UTC")),
            ("weight_kg", pa.float64()),
            ("freight_yuan", pa.decimal128(12, 2)),
            ("pieces", pa.int32()),
            ("driver_name", pa.string()),
            ("driver_id_number", pa.string()),
            ("driver_mobile", pa.string()),
            ("lng", pa.float64()),
            ("lat", pa.float64()),
            ("internal_note", pa.string()),
        ]
    )
    return pa.table(data, schema=schema)


GRANTED = (
    "waybill_id",
    "shipper_uscc",
    "plate",
    "origin",
    "mode",
    "pickup_at",
    "weight_kg",
    "freight_yuan",
    "pieces",
    "driver_name",
    "driver_id_number",
    "driver_mobile",
    "lng",
    "lat",
)
MASKING = {
    "driver_id_number": "mask_resident_id",
    "driver_mobile": "mask_mobile",
    "driver_name": "mask_name",
    "plate": "mask_plate",
    "shipper_uscc": "mask_uscc",
    "pickup_at": "generalize_date_day",
    "lng": "generalize_coordinate_2dp",
    "lat": "generalize_coordinate_2dp",
}


@pytest.fixture(scope="session")
def parquet_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("delivery")
    table = waybill_table()
    # two files, so that a resource made of several Parquet files is covered
    pq.write_table(table.slice(0, ROWS // 2), folder / "waybills-1.parquet", row_group_size=1000)
    pq.write_table(table.slice(ROWS // 2), folder / "waybills-2.parquet", row_group_size=1000)
    carriers = pa.table({"origin": ORIGINS, "province": ["广西"] * len(ORIGINS), "hubs": [3, 1, 2, 2, 1]})
    pq.write_table(carriers, folder / "carriers.parquet")
    return folder


@pytest.fixture(scope="session")
def waybills(parquet_dir: Path) -> GrantedTable:
    return GrantedTable(
        name="waybills",
        parquet_paths=(parquet_dir / "waybills-1.parquet", parquet_dir / "waybills-2.parquet"),
        columns=GRANTED,
        masking=MASKING,
    )


@pytest.fixture(scope="session")
def carriers(parquet_dir: Path) -> GrantedTable:
    return GrantedTable("carriers", (parquet_dir / "carriers.parquet",), ("origin", "hubs"), {})


@pytest.fixture(scope="session")
def tables(waybills: GrantedTable, carriers: GrantedTable) -> tuple[GrantedTable, ...]:
    return (waybills, carriers)


K_ONLY = OutputPolicy(aggregate_only=True, min_group_size=10, epsilon_total=None, epsilon_spent=0.0)
