"""The annual report deadline (31 March of the next year, 004:1035) per operating year, its states by
table; a report recorded as sent, its refusals changing nothing; a registration duty filed as a draft
initial registration application of the registration domain (I-1), the product's capped by the
agreement's term (I-2), once only, by the party that owes it."""

from __future__ import annotations

import re
import uuid
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from logispace.domains.operation.enums import AgreementState
from logispace.domains.operation.models import Agreement
from logispace.domains.operation.pricing.report import annual_report_status
from logispace.domains.operation.reports import report_years
from tests.identity.support import Browser
from tests.operation.conftest import API, TODAY, Ops, active_agreement, counts, make_product, ok


def _agreement(state: AgreementState, start: date, end: date, started: date | None = None) -> Agreement:
    filed = None if state is AgreementState.SIGNED else start
    return Agreement(
        state=state, term_start=start, term_end=end, filed_on=filed, operation_started_on=started
    )


@pytest.mark.parametrize(
    ("agreement", "at", "years"),
    [
        (_agreement(AgreementState.SIGNED, date(2025, 3, 1), date(2028, 2, 28)), date(2026, 5, 1), []),
        (
            _agreement(AgreementState.ACTIVE, date(2025, 3, 1), date(2028, 2, 28)),
            date(2026, 5, 1),
            [2025, 2026],
        ),
        # operation started later than the term: its year is the first reported
        (
            _agreement(AgreementState.ACTIVE, date(2024, 3, 1), date(2028, 2, 28), date(2025, 6, 1)),
            date(2026, 1, 10),
            [2025, 2026],
        ),
        # never past the term's end, even years later
        (
            _agreement(AgreementState.TERMINATED, date(2024, 3, 1), date(2025, 2, 28)),
            date(2027, 1, 1),
            [2024, 2025],
        ),
    ],
)
def test_report_years(agreement: Agreement, at: date, years: list[int]) -> None:
    assert report_years(agreement, at) == years


@pytest.mark.parametrize(
    ("at", "overdue"),
    [(date(2026, 3, 31), False), (date(2026, 4, 1), True), (date(2025, 12, 31), False)],
)
def test_report_on_2025_is_due_31_march_2026(at: date, overdue: bool) -> None:
    status = annual_report_status(2025, at)
    assert (status.due, status.overdue) == (date(2026, 3, 31), overdue)


def _post(client: TestClient, url: str, body: Any, headers: dict[str, str]) -> Any:
    return client.post(f"{API}{url}", json=body, headers=headers)


@pytest.mark.db
def test_report_sent_and_refused(client: TestClient, db: Session, ops: Ops) -> None:
    agreement = active_agreement(client, ops)
    aid = agreement["id"]
    states = ok(client.get(f"{API}/agreements/{aid}/annual-reports", headers=ops.operator.headers))
    assert states == [
        {
            "year": TODAY.year,
            "due_on": f"{TODAY.year + 1}-03-31",
            "state": "due",
            "submitted_on": None,
            "days_overdue": 0,
        }
    ]
    report = {"year": TODAY.year, "submitted_on": TODAY.isoformat(), "summary": "经营情况良好"}
    before = counts(db)
    assert _post(client, f"/agreements/{aid}/annual-reports", report, ops.operator.headers).status_code == 403
    problem = ok(_post(client, f"/agreements/{aid}/annual-reports", report, ops.body.headers), 422)
    assert problem["errors"][0]["loc"] == ["body", "submitted_on"]
    other_year = {**report, "year": TODAY.year - 1, "submitted_on": f"{TODAY.year}-01-05"}
    ok(_post(client, f"/agreements/{aid}/annual-reports", other_year, ops.body.headers), 409)
    assert counts(db) == before
    sent = {**report, "submitted_on": f"{TODAY.year + 1}-03-30"}
    filed = ok(_post(client, f"/agreements/{aid}/annual-reports", sent, ops.body.headers), 201)
    assert (filed["state"], filed["submitted_on"]) == ("filed", sent["submitted_on"])
    ok(_post(client, f"/agreements/{aid}/annual-reports", sent, ops.body.headers), 409)


@pytest.mark.db
def test_duty_becomes_a_registration_application(client: TestClient, db: Session, ops: Ops) -> None:
    agreement = active_agreement(client, ops)
    product = make_product(client, ops, agreement["id"], use_class="governance_welfare", billing_unit=None)
    delivery = {"delivered_on": TODAY.isoformat()}
    ok(_post(client, f"/products/{product['id']}/delivery", delivery, ops.operator.headers))
    duties = ok(
        client.get(f"{API}/agreements/{agreement['id']}/registration-duties", headers=ops.body.headers)
    )
    product_duty = next(d for d in duties if d["subject"] == "product")
    resource_duty = next(d for d in duties if d["subject"] == "resource")
    before = counts(db)
    url = f"/registration-duties/{product_duty['id']}/application"
    assert _post(client, url, None, ops.body.headers).status_code == 403  # the operator owes it
    assert _post(client, url, None, ops.outsider.headers).status_code == 404
    assert counts(db) == before
    filed = ok(_post(client, url, None, ops.operator.headers))
    application_id = filed["application_id"]
    assert application_id is not None
    ok(_post(client, url, None, ops.operator.headers), 409)  # once only
    application = ok(
        client.get(f"/api/v1/registration/applications/{application_id}", headers=ops.operator.headers)
    )
    assert application["state"] == "draft" and application["subject_kind"] == "product"
    assert application["application_type"] == "initial"
    assert application["operating_term_end"] == agreement["term_end"]
    assert application["evidence_ledger_index"] is not None  # the product's description hash, in the ledger
    resource = ok(
        _post(client, f"/registration-duties/{resource_duty['id']}/application", None, ops.body.headers)
    )
    resource_application = ok(
        client.get(
            f"/api/v1/registration/applications/{resource['application_id']}", headers=ops.body.headers
        )
    )
    assert resource_application["catalog_code"] == resource_duty["catalog_code"]
    assert uuid.UUID(resource["application_id"])


@pytest.mark.db
def test_report_due_on_the_dashboards_and_the_overview(app: Any, client: TestClient, ops: Ops) -> None:
    active_agreement(client, ops)
    for actor in (ops.operator, ops.authority):
        with TestClient(app, base_url="http://testserver") as raw:
            page = Browser(raw, actor.username)
            dashboard = page.get("/dashboard").text
            found = re.search(
                r'data-testid="todo-annual-reports">.*?data-testid="todo-count">(\d+)<', dashboard, re.S
            )
            assert found and int(found.group(1)) >= 1, actor.username
            overview = page.get("/operation").text
            assert "未到期" in overview and f"{TODAY.year + 1}-03-31" in overview
    with TestClient(app, base_url="http://testserver") as raw:
        assert (
            'data-testid="todo-annual-reports"'
            not in Browser(raw, ops.outsider.username).get("/dashboard").text
        )
