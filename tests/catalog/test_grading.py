"""Grading review (分级审核): the data authority approves or changes a resource's grade with a reason,
each decision a ledger entry of the same transaction; the holder reads the decisions; nobody else
decides, and a refused decision changes nothing."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from logispace.domains.catalog.models import DataResource, GradeReview
from tests.catalog.test_api import API, create, ledger_size, publish
from tests.conftest import LogIn, World
from tests.web.page_text import visible_text


@pytest.fixture
def code(client: TestClient, world: World) -> str:
    """A published resource of party B, graded general_sensitive with fields graded up to it."""
    made = create(client, world.b_admin.headers)["catalog_code"]
    publish(client, world.b_admin.headers, made)
    return str(made)


def grade_of(db: Session, code: str) -> str:
    db.expire_all()
    return str(db.scalar(select(DataResource.grade_code).where(DataResource.catalog_code == code)))


def reviews(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(GradeReview)) or 0


@pytest.mark.parametrize(
    ("grade", "outcome"),
    [("general_sensitive", "确认分级"), ("important", "调整分级")],
    ids=["approve", "change"],
)
def test_the_authority_decides_with_a_reason_and_the_holder_reads_it(
    db: Session, world: World, code: str, log_in: LogIn, grade: str, outcome: str
) -> None:
    before = ledger_size(db)
    authority = log_in(world.authority_admin)
    queue = authority.get("/catalog/grading")
    assert queue.status_code == 200 and code in queue.text
    decided = authority.post(
        f"/catalog/resources/{code}/grading", {"grade": grade, "reason": "经复核，分级依据充分"}
    )
    assert decided.status_code == 303, decided.text
    assert grade_of(db, code) == grade
    assert ledger_size(db) == before + 1
    review = db.scalars(select(GradeReview)).one()
    assert (review.previous_grade, review.grade, review.reason) == (
        "general_sensitive",
        grade,
        "经复核，分级依据充分",
    )
    assert code not in authority.get("/catalog/grading").text  # reviewed: off the queue

    holder = log_in(world.b_admin)
    page = holder.get(f"/catalog/resources/{code}/grading")
    assert page.status_code == 200
    text = visible_text(page.text)
    assert outcome in text and "经复核，分级依据充分" in text and "测试数据局" in text
    assert 'data-testid="grading-form"' not in page.text  # the holder reads, never decides
    assert "经复核，分级依据充分" in visible_text(holder.get("/dashboard").text)


@pytest.mark.parametrize(
    ("form", "status", "message"),
    [
        ({"grade": "general_other", "reason": "降级"}, 409, "字段分级"),  # fields are graded above it
        ({"grade": "important", "reason": "   "}, 422, "审核理由"),
        ({"grade": "no_such_grade", "reason": "理由"}, 422, "审核理由"),
    ],
    ids=["below-its-fields", "blank-reason", "unknown-grade"],
)
def test_a_refused_decision_changes_nothing(
    db: Session, world: World, code: str, log_in: LogIn, form: dict[str, str], status: int, message: str
) -> None:
    before = ledger_size(db)
    response = log_in(world.authority_admin).post(f"/catalog/resources/{code}/grading", form)
    assert response.status_code == status, response.text
    assert message in visible_text(response.text)
    assert grade_of(db, code) == "general_sensitive"
    assert (ledger_size(db), reviews(db)) == (before, 0)


@pytest.mark.parametrize("who", ["b_admin", "a_admin", "a_analyst", "reviewer"])
def test_only_the_data_authority_decides(
    db: Session, world: World, code: str, log_in: LogIn, who: str
) -> None:
    before = ledger_size(db)
    response = log_in(getattr(world, who)).post(
        f"/catalog/resources/{code}/grading", {"grade": "important", "reason": "越权调整"}
    )
    assert response.status_code == 403, response.text
    assert grade_of(db, code) == "general_sensitive"
    assert (ledger_size(db), reviews(db)) == (before, 0)


def test_the_decisions_are_hidden_from_other_parties(world: World, code: str, log_in: LogIn) -> None:
    log_in(world.authority_admin).post(
        f"/catalog/resources/{code}/grading", {"grade": "important", "reason": "内部理由"}
    )
    stranger = log_in(world.a_admin).get(f"/catalog/resources/{code}/grading")
    assert stranger.status_code == 404
    assert "内部理由" not in stranger.text


def test_a_withdrawn_resource_is_no_longer_reviewed(
    client: TestClient, db: Session, world: World, code: str, log_in: LogIn
) -> None:
    withdrawn = client.post(
        f"{API}/resources/{code}/withdraw", json={"reason": "停止提供"}, headers=world.b_admin.headers
    )
    assert withdrawn.status_code == 200, withdrawn.text
    response = log_in(world.authority_admin).post(
        f"/catalog/resources/{code}/grading", {"grade": "important", "reason": "复核"}
    )
    assert response.status_code == 409
    assert "已撤回" in visible_text(response.text)
    assert reviews(db) == 0
