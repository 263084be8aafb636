"""Multimodal waybill policy (多式联运一单制规则): pure rules, no session.

* The parameter objects (:class:`WaybillDraft`, :class:`Leg`, :class:`CargoLine`,
  :class:`TemperatureRange`) validate themselves; as pydantic models their errors become 422
  problems naming the field (a container with a wrong ISO 6346 check digit is named).
* The state machine is the table :data:`TRANSITIONS`: (status, action) -> who may act and the
  next status. :func:`allowed_actions` and :func:`apply` read it; :func:`apply` raises a 409
  naming the current state and the allowed actions, or a 403 naming the party expected.
* :func:`check_container_available` refuses a container that is in transit on another waybill.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator
from pydantic.config import JsonDict

from logispace.core.bodies import INTEGRAL, StrictFloat
from logispace.core.identifiers import USCC_JSON_SCHEMA, check_uscc
from logispace.core.transport_ids import (
    CONTAINER_JSON_SCHEMA,
    HANDOVER_POINT_JSON_SCHEMA,
    check_container,
    check_handover_point,
)
from logispace.domains.logistics.waybills.errors import (
    ContainerInTransit,
    WaybillActionNotAllowed,
    WaybillActorNotAllowed,
    WaybillStepTimeInvalid,
)

# The schema states the canonical spelling; the checks also take lower case and spaces.
Uscc = Annotated[str, AfterValidator(check_uscc), Field(json_schema_extra=USCC_JSON_SCHEMA)]
ContainerNumber = Annotated[
    str, AfterValidator(check_container), Field(json_schema_extra=CONTAINER_JSON_SCHEMA)
]
HandoverPoint = Annotated[
    str, AfterValidator(check_handover_point), Field(json_schema_extra=HANDOVER_POINT_JSON_SCHEMA)
]

# Plausible bounds of a cold-chain range (冷链温区), degrees Celsius: ultra-low freezers reach -80,
# nothing shipped under temperature control is kept above +40.
COLD_CHAIN_MIN_C = -80.0
COLD_CHAIN_MAX_C = 40.0

# UN Model Regulations classes and divisions (危险货物类别/项别); class 1 divisions may carry a
# compatibility group letter (A-S except I, M, O, P, Q, R as listed in 2.1.2).
_DG_CLASS = re.compile(r"(1\.[1-6][ABCDEFGHJKLNS]?|2\.[1-3]|3|4\.[1-3]|5\.[12]|6\.[12]|7|8|9)")


def check_dangerous_goods_class(value: str) -> str:
    """危险货物类别: a UN class 1-9 with its division where the class has divisions (``2.1``, ``6.1``)."""
    compact = value.strip().upper()
    if not _DG_CLASS.fullmatch(compact):
        raise ValueError(
            f"dangerous goods class {value!r}: a UN class 1-9 with its division, e.g. 1.4S, 2.1, 3, 6.1, 9"
        )
    return compact


_UN_NEEDS_CLASS: JsonDict = {
    "if": {"properties": {"un_number": {"type": "string"}}, "required": ["un_number"]},
    "then": {
        "properties": {"dangerous_goods_class": {"type": "string"}},
        "required": ["dangerous_goods_class"],
    },
}
"""A cargo line with a UN number names its dangerous goods class (as the JSON schema states it)."""


class TransportMode(StrEnum):
    """Transport mode of a leg (运输方式)."""

    ROAD = "road"
    RAIL = "rail"
    WATER = "water"
    AIR = "air"


class TemperatureRange(BaseModel):
    """Cold-chain temperature range (冷链温度区间), degrees Celsius."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    min_c: StrictFloat = Field(ge=COLD_CHAIN_MIN_C, le=COLD_CHAIN_MAX_C)
    max_c: StrictFloat = Field(ge=COLD_CHAIN_MIN_C, le=COLD_CHAIN_MAX_C)

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.min_c >= self.max_c:
            raise ValueError(f"the minimum temperature {self.min_c} must be below the maximum {self.max_c}")
        return self


class CargoLine(BaseModel):
    """Cargo line (货物明细)."""

    model_config = ConfigDict(frozen=True, extra="forbid", json_schema_extra={"allOf": [_UN_NEEDS_CLASS]})

    description: str = Field(min_length=1, max_length=200)
    packages: Annotated[int, Field(ge=1, strict=True), INTEGRAL]
    gross_weight_kg: StrictFloat = Field(gt=0)
    volume_m3: StrictFloat | None = Field(default=None, gt=0)
    dangerous_goods_class: (
        Annotated[
            str,
            AfterValidator(check_dangerous_goods_class),
            Field(json_schema_extra={"pattern": f"^{_DG_CLASS.pattern}$"}),
        ]
        | None
    ) = None
    un_number: str | None = Field(default=None, pattern=r"^UN[0-9]{4}$")

    @model_validator(mode="after")
    def _un_number_with_class(self) -> Self:
        if self.un_number is not None and self.dangerous_goods_class is None:
            raise ValueError(f"{self.un_number} is dangerous goods: give its dangerous goods class")
        return self


class Leg(BaseModel):
    """Leg of a multimodal waybill (运输区段): mode, carrier, handover points."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    mode: TransportMode
    carrier_uscc: Uscc
    origin: HandoverPoint
    destination: HandoverPoint

    @model_validator(mode="after")
    def _moves(self) -> Self:
        if self.origin == self.destination:
            raise ValueError(f"a leg must leave its origin {self.origin}")
        return self


class WaybillDraft(BaseModel):
    """Multimodal waybill draft (多式联运运单草稿): one number for all legs (一单制)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    waybill_no: str = Field(pattern=r"^[A-Z0-9][A-Z0-9\-]{3,39}$")
    consignor_uscc: Uscc
    consignee_uscc: Uscc
    legs: tuple[Leg, ...] = Field(min_length=1, max_length=12)
    cargo: tuple[CargoLine, ...] = Field(min_length=1)
    containers: tuple[ContainerNumber, ...] = ()
    temperature: TemperatureRange | None = None

    @model_validator(mode="after")
    def _legs_chain(self) -> Self:
        check_legs(self.legs)
        if len(set(self.containers)) != len(self.containers):
            raise ValueError("a container is listed twice")
        return self

    def carrier_of(self, leg: int) -> str:
        """The carrier's USCC of leg ``leg`` (numbered from 1)."""
        return self.legs[leg - 1].carrier_uscc


def check_legs(legs: tuple[Leg, ...]) -> None:
    """Legs are ordered: each leg starts where the previous one ended (衔接)."""
    for n in range(1, len(legs)):
        before, leg = legs[n - 1], legs[n]
        if leg.origin != before.destination:
            raise ValueError(f"leg {n + 1} starts at {leg.origin} but leg {n} ends at {before.destination}")


# --- State machine --------------------------------------------------------------------------------


class Status(StrEnum):
    """Waybill status (运单状态)."""

    DRAFT = "draft"  # 草稿
    ISSUED = "issued"  # 已签发
    IN_TRANSIT = "in_transit"  # 在途 (leg n)
    DELIVERED = "delivered"  # 已交付
    CLOSED = "closed"  # 已关闭
    CANCELLED = "cancelled"  # 已作废
    DELAYED = "delayed"  # 延误 (leg n)
    DAMAGED = "damaged"  # 货损 (leg n)
    REFUSED = "refused"  # 拒收


class Action(StrEnum):
    """Waybill action (运单操作)."""

    ISSUE = "issue"
    CANCEL = "cancel"
    PICK_UP = "pick_up"
    HAND_OVER = "hand_over"
    DELIVER = "deliver"
    ACCEPT = "accept"
    REFUSE = "refuse"
    REPORT_DELAY = "report_delay"
    REPORT_DAMAGE = "report_damage"
    RESUME = "resume"
    REDELIVER = "redeliver"
    CLOSE = "close"


class Role(StrEnum):
    """Who acts on a waybill (运单当事方)."""

    CONSIGNOR = "consignor"  # 托运人
    CURRENT_CARRIER = "current_carrier"  # 当前区段承运人
    NEXT_CARRIER = "next_carrier"  # 下一区段承运人
    FIRST_CARRIER = "first_carrier"  # 第一区段承运人
    LAST_CARRIER = "last_carrier"  # 最后区段承运人
    CONSIGNEE = "consignee"  # 收货人


class LegMove(StrEnum):
    """How an action moves the current leg."""

    NONE = "none"  # no leg (draft, issued, delivered ...)
    FIRST = "first"  # set to leg 1
    KEEP = "keep"  # same leg
    NEXT = "next"  # leg n + 1


class Guard(StrEnum):
    """A condition on the leg besides the state."""

    ANY = "any"
    NOT_LAST_LEG = "not_last_leg"
    LAST_LEG = "last_leg"


@dataclass(frozen=True)
class Transition:
    """One row of the transition table."""

    role: Role
    target: Status
    leg: LegMove = LegMove.NONE
    guard: Guard = Guard.ANY


S, A, R = Status, Action, Role
TRANSITIONS: Mapping[tuple[Status, Action], Transition] = {
    (S.DRAFT, A.ISSUE): Transition(R.CONSIGNOR, S.ISSUED),
    (S.DRAFT, A.CANCEL): Transition(R.CONSIGNOR, S.CANCELLED),
    (S.ISSUED, A.CANCEL): Transition(R.CONSIGNOR, S.CANCELLED),
    (S.ISSUED, A.PICK_UP): Transition(R.FIRST_CARRIER, S.IN_TRANSIT, LegMove.FIRST),
    (S.IN_TRANSIT, A.HAND_OVER): Transition(R.NEXT_CARRIER, S.IN_TRANSIT, LegMove.NEXT, Guard.NOT_LAST_LEG),
    (S.IN_TRANSIT, A.DELIVER): Transition(R.CURRENT_CARRIER, S.DELIVERED, guard=Guard.LAST_LEG),
    (S.IN_TRANSIT, A.REPORT_DELAY): Transition(R.CURRENT_CARRIER, S.DELAYED, LegMove.KEEP),
    (S.IN_TRANSIT, A.REPORT_DAMAGE): Transition(R.CURRENT_CARRIER, S.DAMAGED, LegMove.KEEP),
    (S.DELAYED, A.RESUME): Transition(R.CURRENT_CARRIER, S.IN_TRANSIT, LegMove.KEEP),
    (S.DELAYED, A.REPORT_DAMAGE): Transition(R.CURRENT_CARRIER, S.DAMAGED, LegMove.KEEP),
    (S.DAMAGED, A.RESUME): Transition(R.CURRENT_CARRIER, S.IN_TRANSIT, LegMove.KEEP),
    (S.DAMAGED, A.CLOSE): Transition(R.CONSIGNOR, S.CLOSED),
    (S.DELIVERED, A.ACCEPT): Transition(R.CONSIGNEE, S.CLOSED),
    (S.DELIVERED, A.REFUSE): Transition(R.CONSIGNEE, S.REFUSED),
    (S.REFUSED, A.REDELIVER): Transition(R.LAST_CARRIER, S.DELIVERED),
    (S.REFUSED, A.CLOSE): Transition(R.CONSIGNOR, S.CLOSED),
}
"""(status, action) -> transition. Exceptions resolve so: delayed -> resume (back in transit on
the same leg) or damage found; damaged -> resume (goods fit to carry on) or close by the consignor
(claim settled); refused -> redelivery by the last carrier or close by the consignor (goods
returned or disposed of)."""

LEG_STATUSES = frozenset({S.IN_TRANSIT, S.DELAYED, S.DAMAGED})


@dataclass(frozen=True)
class WaybillState:
    """Status and, in transit or in an exception on the way, the current leg (numbered from 1)."""

    status: Status
    leg: int | None = None

    def __post_init__(self) -> None:
        if (self.status in LEG_STATUSES) != (self.leg is not None):
            raise ValueError(f"status {self.status} {'needs' if self.leg is None else 'has no'} leg")
        if self.leg is not None and self.leg < 1:
            raise ValueError("legs are numbered from 1")

    def __str__(self) -> str:
        return f"{self.status} (leg {self.leg})" if self.leg is not None else str(self.status)


def _guard_holds(guard: Guard, state: WaybillState, leg_count: int) -> bool:
    if guard is Guard.ANY:
        return True
    last = state.leg == leg_count
    return last if guard is Guard.LAST_LEG else not last


def allowed_actions(state: WaybillState, leg_count: int) -> list[Action]:
    """The actions the table allows in ``state`` for a waybill of ``leg_count`` legs, in table order."""
    return [
        action
        for (status, action), rule in TRANSITIONS.items()
        if status is state.status and _guard_holds(rule.guard, state, leg_count)
    ]


def expected_party(role: Role, state: WaybillState, waybill: WaybillDraft) -> str:
    """The USCC of the party who holds ``role`` on ``waybill`` in ``state``."""
    legs = len(waybill.legs)
    match role:
        case Role.CONSIGNOR:
            return waybill.consignor_uscc
        case Role.CONSIGNEE:
            return waybill.consignee_uscc
        case Role.FIRST_CARRIER:
            return waybill.carrier_of(1)
        case Role.LAST_CARRIER:
            return waybill.carrier_of(legs)
        case Role.CURRENT_CARRIER:
            return waybill.carrier_of(state.leg or legs)
        case Role.NEXT_CARRIER:
            return waybill.carrier_of((state.leg or 0) + 1)


def apply(state: WaybillState, action: Action, actor_uscc: str, waybill: WaybillDraft) -> WaybillState:
    """The state after ``actor_uscc`` takes ``action``; 409 if not allowed now, 403 for the wrong party."""
    if state.leg is not None and state.leg > len(waybill.legs):
        raise ValueError(f"the waybill has {len(waybill.legs)} legs, not {state.leg}")
    allowed = allowed_actions(state, len(waybill.legs))
    if action not in allowed:
        names = ", ".join(allowed) or "none"
        raise WaybillActionNotAllowed(
            f"waybill {waybill.waybill_no} is {state}: {action} is not allowed; allowed actions: {names}",
            state=str(state.status),
            leg=state.leg,
            allowedActions=[str(a) for a in allowed],
        )
    rule = TRANSITIONS[(state.status, action)]
    expected = expected_party(rule.role, state, waybill)
    if actor_uscc != expected:
        what = "accept the handover" if action is Action.HAND_OVER else str(action)
        raise WaybillActorNotAllowed(
            f"waybill {waybill.waybill_no} is {state}: only the {rule.role.replace('_', ' ')} "
            f"{expected} may {what}, not {actor_uscc}",
            expected=expected,
            role=str(rule.role),
        )
    match rule.leg:
        case LegMove.NONE:
            return WaybillState(rule.target)
        case LegMove.FIRST:
            return WaybillState(rule.target, 1)
        case LegMove.KEEP:
            return WaybillState(rule.target, state.leg)
        case LegMove.NEXT:
            return WaybillState(rule.target, (state.leg or 0) + 1)


def step_time(
    occurred_at: datetime | None, previous: datetime | None, now: datetime, what: str = "step"
) -> datetime:
    """流转时间: when a step happened; ``now`` unless given (a step recorded after the fact, e.g. a
    handover keyed in from the carrier's own records). A given time is neither in the future nor
    before the waybill's previous step (409)."""
    if occurred_at is None:
        return now
    if occurred_at.tzinfo is None:
        raise ValueError("a step time must be timezone-aware")
    if occurred_at > now:
        raise WaybillStepTimeInvalid(
            f"the {what} time {occurred_at.isoformat()} is in the future", occurredAt=occurred_at.isoformat()
        )
    if previous is not None and occurred_at < previous:
        raise WaybillStepTimeInvalid(
            f"the {what} time {occurred_at.isoformat()} is before the previous step's {previous.isoformat()}",
            occurredAt=occurred_at.isoformat(),
            previousAt=previous.isoformat(),
        )
    return occurred_at


def check_handover(state: WaybillState, actor_uscc: str, waybill: WaybillDraft) -> WaybillState:
    """交接: only the next leg's carrier accepts a handover; the problem names who is expected."""
    return apply(state, Action.HAND_OVER, actor_uscc, waybill)


# --- Containers (一箱制) ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ContainerAssignment:
    """A container's current waybill and that waybill's status; ``waybill_no`` is None when the caller
    is not a party to that waybill (its number is not the caller's to learn)."""

    waybill_no: str | None
    status: Status


def owner_code(number: str) -> str:
    """The owner code and category letter of a checked ISO 6346 number (``CSQU``)."""
    return number[:4]


OCCUPYING_STATUSES = frozenset({S.ISSUED, S.IN_TRANSIT, S.DELAYED, S.DAMAGED, S.DELIVERED, S.REFUSED})
"""A container on a waybill in these statuses is not free: issued and not yet closed or cancelled."""


def check_container_available(
    waybill_no: str, containers: tuple[str, ...], assignments: Mapping[str, ContainerAssignment]
) -> None:
    """A container in use on another waybill cannot be claimed (409 naming the container, and the
    other waybill when the caller is a party to it)."""
    for container in containers:
        held = assignments.get(container)
        if held is None or held.waybill_no == waybill_no or held.status not in OCCUPYING_STATUSES:
            continue
        if held.waybill_no is None:  # another party's waybill: say only that the box is in use
            raise ContainerInTransit(
                f"container {container} is in use on another waybill; waybill {waybill_no} cannot claim it",
                container=container,
            )
        raise ContainerInTransit(
            f"container {container} is {held.status} on waybill {held.waybill_no}; "
            f"waybill {waybill_no} cannot claim it",
            container=container,
            waybillNo=held.waybill_no,
        )
