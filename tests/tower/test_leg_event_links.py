"""Leg events are found by the waybill numbers they name through ``tower_leg_event_waybills`` (its
primary key), not by a text search of every event's JSON."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from logispace.domains.tower.kpis.repository import CBV, leg_event_links, leg_events


def _body(*transactions: str) -> dict[str, Any]:
    return {"bizTransactionList": [{"type": "bol", "bizTransaction": t} for t in transactions]}


W = "urn:logispace:waybill:"


@pytest.mark.parametrize(
    ("step", "body", "numbers"),
    [
        ("departing", _body(W + "MW1"), ["MW1"]),
        ("unloading", _body(W + "MW2", W + "MW1", W + "MW2"), ["MW1", "MW2"]),  # once each
        ("arriving", _body("urn:epcglobal:cbv:bt:0614141073467:1152", W + "MW3"), ["MW3"]),
        ("arriving", _body(W + "X" * 41), []),  # longer than a waybill number can be
        ("arriving", _body(W), []),
        ("shipping", _body(W + "MW1"), []),  # not a leg step
        ("loading", {}, []),
        ("loading", {"bizTransactionList": ["not an object"]}, []),
    ],
)
def test_a_leg_event_is_linked_to_each_waybill_it_names(
    step: str, body: dict[str, Any], numbers: list[str]
) -> None:
    rows = leg_event_links([(7, CBV + step, body)])
    assert rows == [{"number": n, "event_pk": 7} for n in numbers]


def test_a_few_waybills_leg_events_are_read_through_the_link_key(db: Session) -> None:
    dialect = db.get_bind().dialect
    stmt = leg_events([uuid.uuid4()], ["MW1", "MW2"])
    compiled = stmt.compile(dialect=dialect, compile_kwargs={"literal_binds": True})
    if dialect.name == "sqlite":
        plan = [row[-1] for row in db.execute(text(f"EXPLAIN QUERY PLAN {compiled}"))]
        links = [step for step in plan if "tower_leg_event_waybills" in step]
        assert links, plan
        assert all(step.startswith("SEARCH") and "INDEX" in step for step in links), plan
        assert not any(step.startswith("SCAN") for step in plan), plan
    else:
        # The test tables are tiny, where a sequential scan is cheapest: forbid it, so that the plan
        # shows whether an index can serve the query at all (else PostgreSQL scans anyway).
        db.execute(text("SET LOCAL enable_seqscan = off"))
        plan = [row[0] for row in db.execute(text(f"EXPLAIN {compiled}"))]
        assert any("tower_leg_event_waybills" in step and "Index" in step for step in plan), plan
        assert not any("Seq Scan" in step for step in plan), plan
