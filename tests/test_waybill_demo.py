"""The demo week's stored waybills (演示运单): they match the generated shipments and their events,
every chain of custody verifies, containers are reused without overlap, a second load adds nothing."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from urllib.parse import quote

import pytest
from sqlalchemy.orm import Session

from logispace.core.config import Settings
from logispace.core.identifiers import uscc_with_check_character
from logispace.demo.traffic import SHIPPERS, Shipment, Traffic, generate
from logispace.demo.waybills import delay_reported_at, draft, load, share_with_bank, steps
from logispace.domains.identity import Principal, Role
from logispace.domains.identity import service as identity_service
from logispace.domains.identity.models import Party
from logispace.domains.logistics import custody_report, waybill_view
from logispace.domains.logistics.containers import service as container_service
from logispace.domains.logistics.intake.adapters import CONTAINER_URN
from logispace.domains.logistics.shares import service as share_service
from logispace.domains.logistics.waybills import service as waybill_service
from logispace.domains.logistics.waybills.errors import WaybillStepTimeInvalid
from logispace.domains.logistics.waybills.policies import Action
from logispace.domains.tower.demand import service as forecasts
from logispace.domains.tower.demand.schemas import ForecastQuery
from tests.factories.identity import make_party, make_user

END = datetime(2026, 11, 20, 4, 0, tzinfo=UTC)
WAYBILLS = 40
SEED = 18


class Parties:
    """The week's parties: the shippers under their own codes, the three carriers, the box owner."""

    def __init__(self, db: Session) -> None:
        self.by_uscc: dict[str, Principal] = {}
        self.carriers: dict[str, str] = {}
        for name, uscc17 in SHIPPERS:
            party = make_party(db, name=name, uscc=uscc_with_check_character(uscc17))
            self.by_uscc[party.uscc] = self._principal(db, party)
        for key in ("carrier", "rail", "shipping"):
            party = make_party(db, name=f"演示{key}承运人")
            self.carriers[key] = party.uscc
            self.by_uscc[party.uscc] = self._principal(db, party)
        self.owner = self.by_uscc[self.carriers["shipping"]]

    @staticmethod
    def _principal(db: Session, party: Party) -> Principal:
        user = make_user(db, party, Role.PARTY_ADMIN)
        return identity_service.principal_of_user(db, user)


@pytest.fixture(scope="module")
def week() -> Traffic:
    return generate(END, WAYBILLS, seed=SEED)


def _event_times(week: Traffic, shipment: Shipment, step: str, party: str) -> set[datetime]:
    """The times of ``step`` events the carrier ``party`` captured for the shipment's waybill."""
    bol = f"urn:logispace:waybill:{shipment.number}"
    return {
        datetime.fromisoformat(e["eventTime"])
        for e in week.events.get(party, [])
        if e.get("bizStep") == step and any(t["bizTransaction"] == bol for t in e["bizTransactionList"])
    }


def test_the_plan_follows_the_events(week: Traffic) -> None:
    carriers = {"carrier": "C", "rail": "R", "shipping": "S"}
    finals = set()
    for s in week.shipments:
        plan = steps(s, carriers, END)
        assert [p.at for p in plan] == sorted(p.at for p in plan) and plan[-1].at <= END
        for p in plan:
            if p.action in (Action.PICK_UP, Action.HAND_OVER):
                leg = next(x for x in s.legs if carriers[x.carrier] == p.actor_uscc and x.loading == p.at)
                assert p.at in _event_times(week, s, "loading", leg.carrier)
            if p.action is Action.DELIVER:
                assert p.at in _event_times(week, s, "unloading", s.legs[-1].carrier)
            if p.action is Action.RESUME:
                assert p.at in _event_times(week, s, "arriving", carriers_of(s, p.actor_uscc, carriers))
        finals.add(plan[-1].action)
    # the week ends with waybills in transit on each leg, delayed, delivered and closed
    assert {Action.PICK_UP, Action.HAND_OVER, Action.REPORT_DELAY, Action.DELIVER, Action.ACCEPT} <= finals
    assert any(delay_reported_at(s, n) for s in week.shipments for n in range(1, len(s.legs) + 1))


def carriers_of(s: Shipment, uscc: str, carriers: dict[str, str]) -> str:
    return next(leg.carrier for leg in s.legs if carriers[leg.carrier] == uscc)


def test_the_stored_waybills_match_the_week(db: Session, week: Traffic) -> None:
    parties = Parties(db)
    settings = Settings()
    assert load(db, settings, week, END, parties.by_uscc, parties.carriers, parties.owner) == WAYBILLS
    statuses = set()
    for s in week.shipments:
        consignor = parties.by_uscc[s.consignor[1]]
        stored = waybill_view(db, consignor, s.number)
        plan = steps(s, parties.carriers, END)
        expected = draft(s, parties.carriers)
        # the same boxes (the service lists a waybill's boxes by assignment time, then by row id)
        assert sorted(stored.containers) == sorted(number for number, _ in s.containers)
        assert [(x.mode, x.carrier_uscc, x.origin, x.destination) for x in stored.legs] == [
            (str(x.mode), x.carrier_uscc, x.origin, x.destination) for x in expected.legs
        ]
        assert [t.action for t in stored.transitions] == ["create", *(str(p.action) for p in plan[1:])]
        assert [t.occurred_at for t in stored.transitions] == [p.at for p in plan]
        assert [t.actor_uscc for t in stored.transitions] == [p.actor_uscc for p in plan]
        last = stored.transitions[-1]
        assert (stored.status, stored.current_leg) == (last.to_status, last.to_leg)
        legs_started = sum(1 for leg in s.legs if leg.loading <= END)
        if stored.current_leg is not None:
            assert stored.current_leg == legs_started
        statuses.add(str(stored.state).split(" ")[0])
        report = custody_report(db, consignor, s.number)
        assert report.verdict == "authentic", report.model_dump()
        assert all(step.signed_by_actor for step in report.steps)
    assert {"in_transit", "delayed", "delivered", "closed"} <= statuses

    # containers: master data of the owner, reused across waybills, never on two at once
    boxes = {number: size for s in week.shipments for number, size in s.containers}
    tracked = {epc for events in week.events.values() for e in events for epc in e.get("childEPCs", [])}
    reused = 0
    for number, size in boxes.items():
        box = container_service.container_view(db, parties.owner, number)
        assert (box.size_type, box.owner_party_id) == (size, parties.owner.party_id)
        uses = box.history
        assert [u.waybill_no for u in uses] == [
            s.number
            for s in sorted(week.shipments, key=lambda x: x.issued_at)
            if (number, size) in s.containers
        ]
        for before, after in itertools.pairwise(uses):
            assert before.released_at is not None and before.released_at <= after.assigned_at
        reused += len(uses) > 1
        assert CONTAINER_URN + quote(number, safe="") in tracked  # the events name the box
    assert reused > 0

    # a second load adds nothing
    assert load(db, settings, week, END, parties.by_uscc, parties.carriers, parties.owner) == 0

    # the week's bookings forecast (需求预测): a shipper's corridors listed, the busiest forecast by hour
    shipper = parties.by_uscc[week.shipments[0].consignor[1]]
    listed = forecasts.report(db, shipper, ForecastQuery()).series
    totals = [s for s in listed if s.commodity is None]
    busiest = max(totals, key=lambda s: s.total)
    assert busiest.model == "seasonal_exponential_smoothing" and busiest.points >= 48
    (answer,) = forecasts.report(db, shipper, ForecastQuery(corridor=busiest.corridor, horizon=24)).series
    assert len(answer.forecast) == 24 and answer.accuracy is not None and answer.accuracy.holdout == 24
    assert sum(p.y for p in answer.history) == busiest.total


def test_a_step_time_must_lie_between_the_previous_step_and_now(db: Session, week: Traffic) -> None:
    parties = Parties(db)
    settings = Settings()
    s = next(x for x in week.shipments if len(steps(x, parties.carriers, END)) > 2)
    consignor = parties.by_uscc[s.consignor[1]]
    plan = steps(s, parties.carriers, END)
    waybill_service.create_draft(db, consignor, settings, draft(s, parties.carriers), occurred_at=plan[0].at)
    with pytest.raises(WaybillStepTimeInvalid, match="before the previous step"):
        waybill_service.act(
            db, consignor, settings, s.number, Action.ISSUE, None, occurred_at=plan[0].at.replace(year=2025)
        )
    with pytest.raises(WaybillStepTimeInvalid, match="in the future"):
        waybill_service.act(
            db,
            consignor,
            settings,
            s.number,
            Action.ISSUE,
            None,
            occurred_at=datetime(2999, 1, 1, tzinfo=UTC),
        )
    issued = waybill_service.act(
        db, consignor, settings, s.number, Action.ISSUE, None, occurred_at=plan[1].at
    )
    assert issued.updated_at == plan[1].at


def test_a_shipper_shares_its_furthest_waybill_with_the_bank_once(db: Session, week: Traffic) -> None:
    parties = Parties(db)
    settings = Settings()
    load(db, settings, week, END, parties.by_uscc, parties.carriers, parties.owner)
    shipper_uscc = uscc_with_check_character(SHIPPERS[0][1])
    shipper = parties.by_uscc[shipper_uscc]
    bank_party = make_party(db, name="演示银行")
    bank = identity_service.principal_of_user(db, make_user(db, bank_party, Role.ANALYST))

    number = share_with_bank(db, settings, shipper, bank_party.uscc)
    assert number is not None
    shipped = {s.number: s for s in week.shipments if s.consignor[1] == shipper_uscc}
    assert number in shipped
    assert share_with_bank(db, settings, shipper, bank_party.uscc) is None  # a second load adds nothing
    shared = share_service.shared_with_me(db, bank)
    assert [s.share.waybill for s in shared] == [number]
    assert shared[0].custody.verdict == "authentic" and shared[0].share.purpose == "供应链金融贸易真实性核验"
