"""The demo says the same thing on every page (issue 17, consistency bugs): a resource's declared data
scale (数据规模) agrees with the rows the demo generates for it ("约 5,200 条" was shown for a dataset of
10,816 rows); a demo application is created before its own steps."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from logispace.core.config import Settings
from logispace.demo import catalog as catalog_demo
from logispace.demo import open_data as open_data_demo
from logispace.demo import registration as registration_demo
from logispace.demo.load import load as load_demo
from logispace.domains.registration.models import RegistrationApplication
from logispace.web.templates import beijing_time

_SCALE = re.compile(r"([\d.,]+)\s*(万)?")


def declared_rows(scale: str) -> float:
    """The number in a declared scale: ``约 1.1 万条`` -> 11000, ``48 个泊位`` -> 48."""
    found = _SCALE.search(scale)
    assert found, scale
    number = float(found.group(1).replace(",", ""))
    return number * 10_000 if found.group(2) else number


def generated_rows(data: bytes) -> int:
    return sum(1 for _ in csv.reader(io.StringIO(data.decode("utf-8")))) - 1


GENERATED = {
    **{name: generate for (_, name), generate in open_data_demo.TABLES.items()},
    "港口泊位与岸线信息": registration_demo._berths,
}


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_the_declared_scale_of_a_demo_resource_is_the_size_of_its_data(name: str) -> None:
    declared = {r.name: r.scale for r in catalog_demo.resources()}[name]
    rows = generated_rows(GENERATED[name]())
    assert abs(declared_rows(declared) - rows) <= 0.1 * rows, (declared, rows)


def test_the_scale_parser() -> None:
    assert [declared_rows(s) for s in ("约 1.1 万条", "48 个泊位", "约 5,200 条")] == [11_000, 48, 5_200]


def test_demo_applications_are_created_before_they_are_submitted(db: Session, tmp_path: Path) -> None:
    """Each demo file is drafted the morning it is submitted: its 创建时间 never follows its own
    submission, acceptance or issuance (they were shown created after their issuance)."""
    settings = Settings(database_url="sqlite://", objects_dir=tmp_path / "objects", demo_waybills=0)
    load_demo(db, "demo-password-2026", settings)
    applications = db.scalars(select(RegistrationApplication)).all()
    assert len(applications) >= 2
    for a in applications:
        created_on = beijing_time(a.created_at, "%Y-%m-%d")
        for step in (a.received_on, a.accepted_on, a.review_completed_on, a.decided_on):
            if step is not None:
                assert created_on <= step.isoformat(), (a.data_name, created_on, step)
