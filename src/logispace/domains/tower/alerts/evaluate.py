"""Evaluating the rules (预警研判): as events arrive, and by a periodic sweep for the conditions that
hold because nothing arrived (no GPS point, a box still dwelling, a handover still unsigned, a
waybill past its expected arrival).

:func:`on_events_captured` runs inside the capture's transaction (subscribed in ``app/wiring.py``):
a capture that fails leaves neither events nor alerts. It reads in bulk (the rules, the waybills the
events name, their watches) and writes only what changed, so its cost grows with the capture, not
with the history; ``bench/tower_alerts.py`` measures it against plain capture. Webhooks are only
queued here (an outbox row); nothing waits on the network.

A rule applies to the waybills its party is on (consignor, consignee, creator or a leg's carrier);
an event counts for a waybill only when the capturing party is on it, so no one can raise alerts on
another party's shipments.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from logispace.core.clock import utcnow
from logispace.core.places import coordinates
from logispace.domains import identity, logistics
from logispace.domains.logistics import EventsCaptured, WaybillFacts
from logispace.domains.tower.alerts import policies, repository
from logispace.domains.tower.alerts.arrival import ArrivalEstimate, Expected, expected_arrivals
from logispace.domains.tower.alerts.enums import RuleKind
from logispace.domains.tower.alerts.models import Watch
from logispace.domains.tower.alerts.repository import ActiveRule
from logispace.domains.tower.alerts.service import Raise, raise_alerts

MEANS, CONTAINER, HANDOVER = "means", "container", "handover"
MOVING, DWELLING, PENDING = "moving", "dwelling", "pending"
KEEP_EVENTS = 4
"""Events a watch remembers (linked to the alert it raises)."""


@dataclass
class Evaluation:
    """The state of one evaluation: rules, waybills, watches and what to raise."""

    session: Session
    rules: list[ActiveRule]
    waybills: dict[uuid.UUID, WaybillFacts] = field(default_factory=dict)
    watches: dict[tuple[uuid.UUID, str, str], Watch] = field(default_factory=dict)
    found: list[Raise] = field(default_factory=list)
    means: dict[str, set[uuid.UUID]] = field(default_factory=lambda: defaultdict(set))
    """Waybills each means of transport is watched on."""
    applicable: dict[tuple[uuid.UUID, RuleKind], list[ActiveRule]] = field(default_factory=dict)
    latest: dict[tuple[uuid.UUID, str, str], tuple[datetime, float, float, int]] = field(default_factory=dict)
    """The newest GPS point of each means in this batch, written to its watch once at the end."""

    def settle(self) -> None:
        """Write each means' newest position of the batch to its watch."""
        for key, (at, lat, lon, pk) in self.latest.items():
            m = self.watches[key]
            if at >= m.last_seen_at:
                m.last_seen_at, m.last_lat, m.last_lon = at, lat, lon
                m.event_pks = [*(m.event_pks or [])[-(KEEP_EVENTS - 1) :], pk]

    def index(self) -> None:
        for wid, kind, subject in self.watches:
            if kind == MEANS:
                self.means[subject].add(wid)

    def rules_on(self, w: WaybillFacts, kind: RuleKind) -> list[ActiveRule]:
        """The rules of ``kind`` of the parties on ``w`` (worked out once per waybill and kind)."""
        key = (w.id, kind)
        found = self.applicable.get(key)
        if found is None:
            parties = w.party_usccs
            found = [
                r
                for r in self.rules
                if r.kind == kind and (r.party_uscc in parties or r.party_id == w.creator_party_id)
            ]
            self.applicable[key] = found
        return found

    def add(
        self,
        rule: ActiveRule,
        w: WaybillFacts,
        subject: str | None,
        leg: int | None,
        at: datetime,
        facts: Mapping[str, object],
        pks: Iterable[int],
    ) -> None:
        self.found.append(
            Raise(
                rule.id,
                rule.party_id,
                rule.party_uscc,
                RuleKind(rule.kind),
                w.id,
                w.number,
                subject,
                leg,
                at,
                dict(facts),
                tuple(pks),
            )
        )

    def watch(self, w: WaybillFacts, kind: str, subject: str, at: datetime, pk: int | None) -> Watch:
        key = (w.id, kind, subject)
        found = self.watches.get(key)
        if found is None:
            found = Watch(
                waybill_id=w.id,
                kind=kind,
                subject=subject,
                state=MOVING,
                since=at,
                last_seen_at=at,
                event_pks=[],
                active=True,
            )
            self.session.add(found)
            self.watches[key] = found
            if kind == MEANS:
                self.means[subject].add(w.id)
        if pk is not None:
            found.event_pks = [*(found.event_pks or [])[-(KEEP_EVENTS - 1) :], pk]
        return found


def _leg_starting(w: WaybillFacts, place: str | None) -> int | None:
    return next((leg.sequence for leg in w.legs if leg.origin == place), None)


def on_events_captured(session: Session, captured: EventsCaptured) -> None:
    """Evaluate the rules on a capture's events (the event bus handler)."""
    rules = repository.active_rules(session)
    if not rules:
        return
    evaluate_events(session, captured, rules)


def evaluate_events(session: Session, captured: EventsCaptured, rules: list[ActiveRule]) -> list[Raise]:
    """Update the watches and raise the alerts the captured events show."""
    parsed = [(e, policies.event_facts(e.event_type, e.action, e.biz_step, e.body)) for e in captured.events]
    numbers = {n for _, f in parsed for n in f.waybill_numbers}
    boxes = {b for _, f in parsed for b in f.containers}
    vehicles = {
        epc for e, f in parsed if f.position is not None for epc in policies.strings(e.body.get("epcList"))
    }
    by_number = logistics.waybill_ids_by_number(session, numbers)
    by_box = logistics.waybill_ids_by_container(session, boxes)
    means = repository.means_watches(session, vehicles)
    ids = {i for v in by_number.values() for i in v} | {i for v in by_box.values() for i in v}
    ids |= {m.waybill_id for m in means}
    run = Evaluation(session, rules)
    uscc = identity.party_uscc(session, captured.party_id)
    run.waybills = {
        i: w
        for i, w in logistics.waybill_facts(session, ids).items()
        if uscc in w.party_usccs or w.creator_party_id == captured.party_id
    }
    run.watches = repository.watches_of(session, run.waybills)
    run.index()
    for event, facts in parsed:
        # An event naming its waybill counts for that waybill only: a box's current waybill is not the
        # one of an older event about it (containers are reused across waybills).
        linked = {i for n in facts.waybill_numbers for i in by_number.get(n, [])}
        if not facts.waybill_numbers:
            linked = {i for b in facts.containers for i in by_box.get(b, [])}
        for w in (run.waybills[i] for i in sorted(linked) if i in run.waybills):
            _on_event(run, w, event, facts)
        if facts.position is not None:
            for epc in policies.strings(event.body.get("epcList")):
                for wid in sorted(run.means.get(epc, ())):
                    m = run.watches[(wid, MEANS, epc)]
                    if m.active:
                        _on_position(
                            run, run.waybills[m.waybill_id], m, event.pk, event.event_time, facts.position
                        )
    run.settle()
    session.flush()
    raise_alerts(session, run.found, utcnow())
    return run.found


def _on_event(
    run: Evaluation, w: WaybillFacts, event: logistics.CapturedEvent, f: policies.EventFacts
) -> None:
    at, pk = event.event_time, event.pk
    mine = list(f.containers)
    if f.loading:
        leg = _leg_starting(w, f.place)
        for box in mine:
            c = run.watch(w, CONTAINER, box, at, pk)
            if at < c.last_seen_at:
                continue  # an older event arriving late does not move the box back in time
            c.last_seen_at = at
            if c.state == DWELLING and c.active:
                for rule in run.rules_on(w, RuleKind.DWELL):
                    if policies.overdue(c.since, at, RuleKind.DWELL, rule.threshold):
                        run.add(
                            rule,
                            w,
                            box,
                            c.leg,
                            at,
                            {"hours": policies.hours(at - c.since), "place": c.place},
                            c.event_pks or [pk],
                        )
            c.state, c.since, c.place, c.leg, c.active = MOVING, at, f.place, leg, True
        if f.parent is not None:
            m = run.watch(w, MEANS, f.parent, at, pk)
            if at >= m.last_seen_at or not m.active:
                m.state, m.leg, m.place, m.active = MOVING, leg, f.place, True
                m.since = m.last_seen_at = max(at, m.last_seen_at)
        if leg is not None and leg > 1 and leg not in w.signed_handovers:
            h = run.watch(w, HANDOVER, f"leg:{leg}", at, pk)
            if not h.active or h.state != PENDING:
                h.state, h.since, h.leg, h.place, h.active = PENDING, at, leg, f.place, True
    elif f.unloading:
        final = w.legs[-1].destination if w.legs else None
        for box in mine:
            c = run.watch(w, CONTAINER, box, at, pk)
            if at < c.last_seen_at:
                continue
            c.last_seen_at = at
            c.state, c.since, c.place = DWELLING, at, f.place
            c.active = f.place != final
        if f.parent is not None and (w.id, MEANS, f.parent) in run.watches:
            run.watches[(w.id, MEANS, f.parent)].active = False
    if f.temperatures and (w.temperature_min_c is not None or w.temperature_max_c is not None):
        for rule in run.rules_on(w, RuleKind.TEMPERATURE):
            for reading in f.temperatures:
                off = policies.temperature_breach(
                    reading, w.temperature_min_c, w.temperature_max_c, rule.threshold
                )
                if off is not None:
                    facts = {
                        "reading_c": reading,
                        "min_c": w.temperature_min_c,
                        "max_c": w.temperature_max_c,
                        "outside_c": off,
                    }
                    run.add(rule, w, None, w.current_leg, at, facts, [pk])
                    break


def _on_position(
    run: Evaluation, w: WaybillFacts, m: Watch, pk: int, at: datetime, position: tuple[float, float]
) -> None:
    key = (m.waybill_id, MEANS, m.subject)
    seen = run.latest.get(key)
    if at >= (seen[0] if seen is not None else m.last_seen_at):
        run.latest[key] = (at, position[0], position[1], pk)
    rules = run.rules_on(w, RuleKind.ROUTE_DEVIATION)
    if not rules:
        return
    leg = next((x for x in w.legs if x.sequence == m.leg), None)
    start = coordinates(leg.origin) if leg else None
    end = coordinates(leg.destination) if leg else None
    if start is None or end is None:
        return
    if policies.surely_on_route(position, start, end, min(r.threshold for r in rules)):
        return
    off = policies.off_route_km(position, start, end)
    for rule in rules:
        if off > rule.threshold:
            facts = {"off_route_km": round(off, 1), "latitude": position[0], "longitude": position[1]}
            run.add(rule, w, m.subject, m.leg, at, facts, [pk])


# -- the sweep --------------------------------------------------------------------------------------


def sweep(
    session: Session, now: datetime | None = None, arrival: ArrivalEstimate = expected_arrivals
) -> list[Raise]:
    """Raise the time-based alerts due at ``now`` (a periodic task: ``logispace tower alerts sweep``)."""
    moment = now or utcnow()
    rules = repository.active_rules(
        session,
        [
            str(k)
            for k in (RuleKind.DELAY, RuleKind.DWELL, RuleKind.GPS_SILENCE, RuleKind.HANDOVER_UNVERIFIED)
        ],
    )
    if not rules:
        return []
    run = Evaluation(session, rules)
    watches = repository.active_watches(session, [MEANS, CONTAINER, HANDOVER])
    kinds = {r.kind for r in rules}
    open_ids = logistics.open_waybill_ids(session) if RuleKind.DELAY in kinds else []
    run.waybills = logistics.waybill_facts(session, {w.waybill_id for w in watches} | set(open_ids))
    for watch in watches:
        w = run.waybills.get(watch.waybill_id)
        if w is None or not w.is_open:
            watch.active = False
            continue
        _sweep_watch(run, w, watch, moment)
    judged = [run.waybills[i] for i in open_ids if run.rules_on(run.waybills[i], RuleKind.DELAY)]
    expected = arrival(session, judged)
    for w in judged:
        e = expected.get(w.id)
        if e is None or e.promised_at is None:
            continue
        late = policies.delay_hours(e.promised_at, e.predicted_arrival, moment)
        for rule in run.rules_on(w, RuleKind.DELAY):
            if late > rule.threshold:
                run.add(rule, w, None, None, moment, _late_facts(e, late, moment), _latest_events(run, w))
    session.flush()
    raise_alerts(session, run.found, moment)
    return run.found


def _late_facts(e: Expected, late: float, now: datetime) -> dict[str, object]:
    predicted = e.predicted_arrival
    expected = max(predicted, now) if predicted is not None else now
    return {
        "hours_late": round(late, 1),
        "expected_at": expected.isoformat(),
        "promised_at": e.promised_at.isoformat() if e.promised_at is not None else None,
        "predicted_arrival": predicted.isoformat() if predicted is not None else None,
    }


def _latest_events(run: Evaluation, w: WaybillFacts) -> list[int]:
    pks = [pk for (wid, _, _), watch in run.watches.items() if wid == w.id for pk in watch.event_pks or []]
    return sorted(pks)[-KEEP_EVENTS:]


def _sweep_watch(run: Evaluation, w: WaybillFacts, watch: Watch, now: datetime) -> None:
    run.watches[(w.id, watch.kind, watch.subject)] = watch
    pks = watch.event_pks or []
    if watch.kind == MEANS and watch.state == MOVING:
        leg = next((x for x in w.legs if x.sequence == watch.leg), None)
        if leg is None or leg.mode != "road":
            return  # GPS silence is judged for trucks: trains and vessels report at stations and ports
        for rule in run.rules_on(w, RuleKind.GPS_SILENCE):
            if policies.overdue(watch.last_seen_at, now, RuleKind.GPS_SILENCE, rule.threshold):
                minutes = round((now - watch.last_seen_at).total_seconds() / 60)
                facts = {"minutes_silent": minutes, "latitude": watch.last_lat, "longitude": watch.last_lon}
                run.add(rule, w, watch.subject, watch.leg, now, facts, pks)
    elif watch.kind == CONTAINER and watch.state == DWELLING:
        for rule in run.rules_on(w, RuleKind.DWELL):
            if policies.overdue(watch.since, now, RuleKind.DWELL, rule.threshold):
                run.add(
                    rule,
                    w,
                    watch.subject,
                    watch.leg,
                    now,
                    {"hours": policies.hours(now - watch.since), "place": watch.place},
                    pks,
                )
    elif watch.kind == HANDOVER and watch.state == PENDING:
        if watch.leg in w.signed_handovers:
            watch.active = False
            return
        for rule in run.rules_on(w, RuleKind.HANDOVER_UNVERIFIED):
            if policies.overdue(watch.since, now, RuleKind.HANDOVER_UNVERIFIED, rule.threshold):
                late: dict[str, object] = {"hours": policies.hours(now - watch.since), "place": watch.place}
                run.add(rule, w, watch.subject, watch.leg, now, late, pks)


def by_waybill(found: Iterable[Raise]) -> dict[str | None, list[RuleKind]]:
    """What was raised, per waybill number (for the command line's summary)."""
    out: dict[str | None, list[RuleKind]] = defaultdict(list)
    for r in found:
        out[r.waybill_number].append(r.kind)
    return out
