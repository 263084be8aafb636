"""Multimodal waybill policy: parameter objects, the state table (positive and generated negative
cases), who may act, handovers, legs, containers, cold chain and dangerous goods."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from logispace.core.identifiers import uscc_with_check_character
from logispace.domains.logistics.waybills.errors import (
    ContainerInTransit,
    WaybillActionNotAllowed,
    WaybillActorNotAllowed,
    WaybillStepTimeInvalid,
)
from logispace.domains.logistics.waybills.policies import (
    LEG_STATUSES,
    TRANSITIONS,
    Action,
    ContainerAssignment,
    Role,
    Status,
    TemperatureRange,
    WaybillDraft,
    WaybillState,
    allowed_actions,
    apply,
    check_container_available,
    check_dangerous_goods_class,
    check_handover,
    expected_party,
    step_time,
)

CONSIGNOR = uscc_with_check_character("91450700MA0000001")
CONSIGNEE = uscc_with_check_character("91110108MA0000002")
ROAD = uscc_with_check_character("91450100MA0000003")
RAIL = uscc_with_check_character("12100000MB0000004")
SEA = uscc_with_check_character("91310000MA0000005")
STRANGER = uscc_with_check_character("91440300MA0000006")


def draft_fields(**changes: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "waybill_no": "MT2026112200001",
        "consignor_uscc": CONSIGNOR,
        "consignee_uscc": CONSIGNEE,
        "legs": [
            {"mode": "road", "carrier_uscc": ROAD, "origin": "450102", "destination": "CNNNG"},
            {"mode": "rail", "carrier_uscc": RAIL, "origin": "CNNNG", "destination": "CNQZH"},
            {"mode": "water", "carrier_uscc": SEA, "origin": "CNQZH", "destination": "SGSIN"},
        ],
        "cargo": [{"description": "冷冻虾仁 frozen shrimp", "packages": 1200, "gross_weight_kg": 18000}],
        "containers": ["CSQU3054383"],
        "temperature": {"min_c": -22, "max_c": -18},
    }
    fields.update(changes)
    return fields


WAYBILL = WaybillDraft.model_validate(draft_fields())
LEGS = len(WAYBILL.legs)


def states() -> list[WaybillState]:
    """Every state a 3-leg waybill can be in."""
    out: list[WaybillState] = []
    for status in Status:
        if status in LEG_STATUSES:
            out.extend(WaybillState(status, n) for n in range(1, LEGS + 1))
        else:
            out.append(WaybillState(status))
    return out


def actor(action: Action, state: WaybillState) -> str:
    return expected_party(TRANSITIONS[(state.status, action)].role, state, WAYBILL)


# --- parameter objects ---


def test_a_valid_draft_normalizes_its_identifiers() -> None:
    draft = WaybillDraft.model_validate(draft_fields(containers=["csqu 305438 3"]))
    assert draft.containers == ("CSQU3054383",)
    assert draft.legs[1].origin == "CNNNG"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"containers": ["CSQU3054384"]}, "container CSQU3054384: the ISO 6346 check digit is wrong"),
        ({"containers": ["CSQU3054383", "CSQU3054383"]}, "listed twice"),
        ({"consignor_uscc": "91450700MA0000001X"}, "unified social credit code"),
        ({"legs": []}, "at least 1"),
        ({"cargo": []}, "at least 1"),
        ({"temperature": {"min_c": -18, "max_c": -22}}, "must be below the maximum"),
        ({"temperature": {"min_c": 2, "max_c": 2}}, "must be below the maximum"),
        ({"temperature": {"min_c": -120, "max_c": -18}}, "greater than or equal to -80"),
        ({"temperature": {"min_c": 2, "max_c": 90}}, "less than or equal to 40"),
        ({"waybill_no": "mt 1"}, "pattern"),
        (
            {"cargo": [{"description": "x", "packages": 0, "gross_weight_kg": 1}]},
            "greater than or equal to 1",
        ),
        (
            {"cargo": [{"description": "x", "packages": 1, "gross_weight_kg": 1, "un_number": "UN1203"}]},
            "UN1203 is dangerous goods",
        ),
        (
            {
                "cargo": [
                    {"description": "x", "packages": 1, "gross_weight_kg": 1, "dangerous_goods_class": "10"}
                ]
            },
            "dangerous goods class '10'",
        ),
    ],
)
def test_invalid_drafts_are_refused_with_the_reason(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        WaybillDraft.model_validate(draft_fields(**changes))


def test_legs_must_chain() -> None:
    legs = draft_fields()["legs"]
    legs[2] = {**legs[2], "origin": "CNSHA"}
    with pytest.raises(ValidationError, match="leg 3 starts at CNSHA but leg 2 ends at CNQZH"):
        WaybillDraft.model_validate(draft_fields(legs=legs))


@pytest.mark.parametrize(
    ("leg", "message"),
    [
        ({"mode": "pipeline", "carrier_uscc": ROAD, "origin": "CNNNG", "destination": "CNQZH"}, "road"),
        (
            {"mode": "road", "carrier_uscc": ROAD, "origin": "NNG", "destination": "CNQZH"},
            "handover point 'NNG'",
        ),
        (
            {"mode": "road", "carrier_uscc": ROAD, "origin": "CNNNG", "destination": "cnnng"},
            "must leave its origin",
        ),
    ],
)
def test_invalid_legs(leg: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        WaybillDraft.model_validate(draft_fields(legs=[leg]))


@pytest.mark.parametrize(
    "value", ["1.1", "1.4S", "2.1", "2.3", "3", "4.3", "5.2", "6.1", "6.2", "7", "8", "9"]
)
def test_dangerous_goods_classes(value: str) -> None:
    assert check_dangerous_goods_class(value) == value


@pytest.mark.parametrize("value", ["0", "10", "1.7", "2.4", "3.1", "4.4", "5.3", "6.3", "1.4Z", ""])
def test_invalid_dangerous_goods_classes(value: str) -> None:
    with pytest.raises(ValueError, match="dangerous goods class"):
        check_dangerous_goods_class(value)


def test_temperature_range_accepts_a_plausible_range() -> None:
    assert TemperatureRange(min_c=2, max_c=8).max_c == 8


# --- state machine: the happy path and each exception's resolution ---

HAPPY = [
    (WaybillState(Status.DRAFT), Action.ISSUE, CONSIGNOR, WaybillState(Status.ISSUED)),
    (WaybillState(Status.ISSUED), Action.PICK_UP, ROAD, WaybillState(Status.IN_TRANSIT, 1)),
    (WaybillState(Status.IN_TRANSIT, 1), Action.HAND_OVER, RAIL, WaybillState(Status.IN_TRANSIT, 2)),
    (WaybillState(Status.IN_TRANSIT, 2), Action.HAND_OVER, SEA, WaybillState(Status.IN_TRANSIT, 3)),
    (WaybillState(Status.IN_TRANSIT, 3), Action.DELIVER, SEA, WaybillState(Status.DELIVERED)),
    (WaybillState(Status.DELIVERED), Action.ACCEPT, CONSIGNEE, WaybillState(Status.CLOSED)),
    (WaybillState(Status.DRAFT), Action.CANCEL, CONSIGNOR, WaybillState(Status.CANCELLED)),
    (WaybillState(Status.ISSUED), Action.CANCEL, CONSIGNOR, WaybillState(Status.CANCELLED)),
    (WaybillState(Status.IN_TRANSIT, 2), Action.REPORT_DELAY, RAIL, WaybillState(Status.DELAYED, 2)),
    (WaybillState(Status.DELAYED, 2), Action.RESUME, RAIL, WaybillState(Status.IN_TRANSIT, 2)),
    (WaybillState(Status.DELAYED, 2), Action.REPORT_DAMAGE, RAIL, WaybillState(Status.DAMAGED, 2)),
    (WaybillState(Status.IN_TRANSIT, 1), Action.REPORT_DAMAGE, ROAD, WaybillState(Status.DAMAGED, 1)),
    (WaybillState(Status.DAMAGED, 1), Action.RESUME, ROAD, WaybillState(Status.IN_TRANSIT, 1)),
    (WaybillState(Status.DAMAGED, 3), Action.CLOSE, CONSIGNOR, WaybillState(Status.CLOSED)),
    (WaybillState(Status.DELIVERED), Action.REFUSE, CONSIGNEE, WaybillState(Status.REFUSED)),
    (WaybillState(Status.REFUSED), Action.REDELIVER, SEA, WaybillState(Status.DELIVERED)),
    (WaybillState(Status.REFUSED), Action.CLOSE, CONSIGNOR, WaybillState(Status.CLOSED)),
]


@pytest.mark.parametrize(("state", "action", "who", "after"), HAPPY, ids=lambda v: str(v))
def test_allowed_transitions(state: WaybillState, action: Action, who: str, after: WaybillState) -> None:
    assert apply(state, action, who, WAYBILL) == after


def test_every_table_row_is_exercised() -> None:
    assert {(s.status, a) for s, a, _, _ in HAPPY} == set(TRANSITIONS)


def test_leg_guards() -> None:
    assert Action.HAND_OVER in allowed_actions(WaybillState(Status.IN_TRANSIT, 2), LEGS)
    assert Action.DELIVER not in allowed_actions(WaybillState(Status.IN_TRANSIT, 2), LEGS)
    assert Action.HAND_OVER not in allowed_actions(WaybillState(Status.IN_TRANSIT, 3), LEGS)
    assert Action.DELIVER in allowed_actions(WaybillState(Status.IN_TRANSIT, 3), LEGS)
    assert allowed_actions(WaybillState(Status.CLOSED), LEGS) == []
    assert allowed_actions(WaybillState(Status.CANCELLED), LEGS) == []


NEGATIVE = [
    (state, action) for state in states() for action in Action if action not in allowed_actions(state, LEGS)
]


@pytest.mark.parametrize(("state", "action"), NEGATIVE, ids=lambda v: str(v))
def test_actions_outside_the_table_are_409_naming_state_and_allowed(
    state: WaybillState, action: Action
) -> None:
    allowed = allowed_actions(state, LEGS)
    with pytest.raises(WaybillActionNotAllowed) as caught:
        apply(state, action, CONSIGNOR, WAYBILL)
    error = caught.value
    assert error.status == 409
    assert f"is {state}: {action} is not allowed" in error.detail
    assert error.detail.endswith("allowed actions: " + (", ".join(allowed) or "none"))
    assert error.extensions["allowedActions"] == [str(a) for a in allowed]


def test_negative_cases_cover_the_whole_matrix() -> None:
    positive = sum(len(allowed_actions(s, LEGS)) for s in states())
    assert len(NEGATIVE) + positive == len(states()) * len(Action)
    assert len(NEGATIVE) > 100


WRONG_ACTORS = [
    (state, action, party)
    for state in states()
    for action in allowed_actions(state, LEGS)
    for party in (CONSIGNOR, CONSIGNEE, ROAD, RAIL, SEA, STRANGER)
    if party != actor(action, state)
]


@pytest.mark.parametrize(("state", "action", "party"), WRONG_ACTORS, ids=lambda v: str(v))
def test_only_the_expected_party_may_act(state: WaybillState, action: Action, party: str) -> None:
    with pytest.raises(WaybillActorNotAllowed) as caught:
        apply(state, action, party, WAYBILL)
    assert caught.value.status == 403
    assert caught.value.extensions["expected"] == actor(action, state)
    assert f"not {party}" in caught.value.detail


def test_a_handover_by_a_party_that_is_not_the_next_carrier_names_the_expected_one() -> None:
    with pytest.raises(
        WaybillActorNotAllowed, match=f"only the next carrier {RAIL} may accept the handover, not {SEA}"
    ):
        check_handover(WaybillState(Status.IN_TRANSIT, 1), SEA, WAYBILL)
    # the current carrier cannot hand over to itself either
    with pytest.raises(WaybillActorNotAllowed):
        check_handover(WaybillState(Status.IN_TRANSIT, 1), ROAD, WAYBILL)
    assert check_handover(WaybillState(Status.IN_TRANSIT, 1), RAIL, WAYBILL) == WaybillState(
        Status.IN_TRANSIT, 2
    )


def test_a_single_leg_waybill_has_no_handover() -> None:
    one = WaybillDraft.model_validate(draft_fields(legs=[draft_fields()["legs"][0]]))
    with pytest.raises(
        WaybillActionNotAllowed, match="allowed actions: deliver, report_delay, report_damage"
    ):
        apply(WaybillState(Status.IN_TRANSIT, 1), Action.HAND_OVER, ROAD, one)


@pytest.mark.parametrize(
    ("status", "leg"),
    [(Status.IN_TRANSIT, None), (Status.DELAYED, None), (Status.ISSUED, 1), (Status.IN_TRANSIT, 0)],
)
def test_states_carry_a_leg_exactly_when_on_the_way(status: Status, leg: int | None) -> None:
    with pytest.raises(ValueError, match="leg"):
        WaybillState(status, leg)


def test_a_leg_beyond_the_waybill_is_refused() -> None:
    with pytest.raises(ValueError, match="has 3 legs, not 4"):
        apply(WaybillState(Status.IN_TRANSIT, 4), Action.DELIVER, SEA, WAYBILL)


def test_roles_in_the_table_are_all_resolvable() -> None:
    assert {rule.role for rule in TRANSITIONS.values()} == set(Role)


# --- containers (一箱制) ---

HELD = {
    "CSQU3054383": ContainerAssignment("MT2026112200001", Status.IN_TRANSIT),
    "MSKU1234565": ContainerAssignment("MT2026112000009", Status.CLOSED),
    "TGHU8766540": ContainerAssignment("MT2026112100003", Status.ISSUED),
}


@pytest.mark.parametrize(
    ("waybill_no", "containers", "refused"),
    [
        ("MT2026112200002", ("CSQU3054383",), "CSQU3054383"),  # in transit elsewhere
        ("MT2026112200002", ("MSKU1234565", "TGHU8766540"), "TGHU8766540"),  # issued elsewhere
        ("MT2026112200002", ("MSKU1234565",), None),  # the other waybill is closed
        ("MT2026112200001", ("CSQU3054383",), None),  # its own waybill
        ("MT2026112200002", ("TCLU1234560",), None),  # never assigned
    ],
)
def test_a_container_in_transit_cannot_be_claimed(
    waybill_no: str, containers: tuple[str, ...], refused: str | None
) -> None:
    if refused is None:
        check_container_available(waybill_no, containers, HELD)
        return
    with pytest.raises(ContainerInTransit) as caught:
        check_container_available(waybill_no, containers, HELD)
    assert caught.value.status == 409
    assert caught.value.extensions["container"] == refused
    assert f"container {refused} is" in caught.value.detail
    assert HELD[refused].waybill_no in caught.value.detail


_NOW = datetime(2026, 11, 20, 4, 0, tzinfo=UTC)
_PREVIOUS = _NOW - timedelta(hours=5)


@pytest.mark.parametrize(
    ("given", "previous", "expected"),
    [
        (None, _PREVIOUS, _NOW),  # not given: now
        (_NOW - timedelta(hours=1), _PREVIOUS, _NOW - timedelta(hours=1)),  # recorded after the fact
        (_PREVIOUS, _PREVIOUS, _PREVIOUS),  # at the same moment as the previous step
        (_NOW, None, _NOW),
        (_NOW + timedelta(seconds=1), None, "in the future"),
        (_PREVIOUS - timedelta(seconds=1), _PREVIOUS, "before the previous step"),
    ],
)
def test_step_time_lies_between_the_previous_step_and_now(
    given: datetime | None, previous: datetime | None, expected: datetime | str
) -> None:
    if isinstance(expected, str):
        with pytest.raises(WaybillStepTimeInvalid, match=expected):
            step_time(given, previous, _NOW)
    else:
        assert step_time(given, previous, _NOW) == expected


def test_a_naive_step_time_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        step_time(datetime(2026, 11, 20, 3, 0), None, _NOW)  # noqa: DTZ001


def test_a_box_on_a_waybill_the_caller_is_not_on_is_refused_without_its_number() -> None:
    held = {"CSQU3054383": ContainerAssignment(None, Status.IN_TRANSIT)}
    with pytest.raises(ContainerInTransit) as caught:
        check_container_available("MT2026112200002", ("CSQU3054383",), held)
    assert caught.value.extensions == {"container": "CSQU3054383"}
    assert "another waybill" in caught.value.detail and "MT" not in caught.value.detail.split("waybill")[1]
