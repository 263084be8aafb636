"""The operator's processing staff (数据加工人员) and the check on their use of data (OPS-R13, OPS-R14).

A staff member is real-name verified, filed, vetted and has signed a confidentiality agreement before any
sandbox access (004:5633); raw data stays invisible to them (004:5635): they reach the agreement's data only
through the access domain's sandbox, aggregate results only, never the row-level API query. The access
domain publishes :class:`~logispace.domains.access.GrantUse` before any use under a grant;
:func:`on_grant_use` refuses (an audited :class:`~.errors.StaffNotCleared`) a use of an agreement's data by
an operator's user without a complete staff record, in row mode, outside the agreement's scope, or while
the agreement is not in force.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from logispace.core.config import Settings
from logispace.core.errors import NotFound
from logispace.core.events import EventBus
from logispace.domains.access import DeliveryMode, GrantUse
from logispace.domains.identity import SYSTEM, Principal
from logispace.domains.identity.service import get_user
from logispace.domains.operation.actors import acts_for, is_authority, record, require
from logispace.domains.operation.enums import AgreementState
from logispace.domains.operation.errors import (
    OperationNotAllowed,
    OperationNotFound,
    OperationStateConflict,
    StaffNotCleared,
)
from logispace.domains.operation.models import Agreement, OperatorStaff
from logispace.domains.operation.schemas import StaffCreate

OPERATOR_FIELDS = ("real_name_verified_on", "confidentiality_signed_on", "confidentiality_sha256")
OVERSIGHT_FIELDS = ("filed_on", "vetted_on")
RECORDS = {
    "real_name_verified_on": "实名认证",
    "filed_on": "备案",
    "vetted_on": "审查",
    "confidentiality_signed_on": "保密协议",
}


def staff_subject(staff_id: uuid.UUID) -> str:
    return f"operation-staff:{staff_id}"


def missing_records(staff: OperatorStaff | None) -> list[str]:
    """The records OPS-R13 requires that ``staff`` lacks, in order (all of them without a record)."""
    if staff is None:
        return list(RECORDS)
    return [name for name in RECORDS if getattr(staff, name) is None]


def _overseer_of(session: Session, p: Principal, operator: uuid.UUID) -> bool:
    if is_authority(p):
        return True
    return (
        p.party_id is not None
        and acts_for(p, p.party_id)
        and session.scalar(
            select(Agreement.id)
            .where(Agreement.operator_party_id == operator, Agreement.implementing_party_id == p.party_id)
            .limit(1)
        )
        is not None
    )


def may_see_staff(session: Session, p: Principal, operator: uuid.UUID) -> bool:
    """Whether the caller sees an operator's staff: its own party, its implementing body, the authority."""
    return p.party_id == operator or _overseer_of(session, p, operator)


def oversees(session: Session, p: Principal, operator: uuid.UUID) -> bool:
    """Whether the caller files and vets the operator's staff (the implementing body, the authority)."""
    return _overseer_of(session, p, operator)


def visible_staff(session: Session, p: Principal, staff_id: uuid.UUID) -> OperatorStaff:
    staff = session.get(OperatorStaff, staff_id)
    if staff is None or not (
        p.party_id == staff.operator_party_id or _overseer_of(session, p, staff.operator_party_id)
    ):
        raise OperationNotFound(f"staff record {staff_id} not found")
    return staff


def list_staff(session: Session, p: Principal, operator: uuid.UUID | None = None) -> list[OperatorStaff]:
    query = select(OperatorStaff).order_by(OperatorStaff.created_at)
    if not is_authority(p):
        query = query.where(OperatorStaff.operator_party_id == (operator or p.party_id))
        if operator is not None and operator != p.party_id and not _overseer_of(session, p, operator):
            return []
    return list(session.scalars(query.limit(500)))


def _apply(staff: OperatorStaff, data: StaffCreate, fields: tuple[str, ...]) -> dict[str, Any]:
    changed: dict[str, Any] = {}
    for name in fields:
        value = getattr(data, name)
        if value is not None:
            setattr(staff, name, value)
            changed[name] = str(value)
    return changed


def register_staff(
    session: Session, p: Principal, data: StaffCreate, settings: Settings | None = None
) -> OperatorStaff:
    """The operator registers a user of its party as processing staff with its real-name and
    confidentiality records; filing and vetting are the implementing body's or the authority's."""
    if p.party_id is None or not acts_for(p, p.party_id):
        raise OperationNotAllowed("the operator's administrators register staff")
    try:
        user = get_user(session, SYSTEM, data.user_id)
    except NotFound:
        user = None
    if user is None or user.party_id != p.party_id:
        raise OperationNotFound(f"user {data.user_id} not found in your party")
    if session.scalar(select(OperatorStaff).where(OperatorStaff.user_id == data.user_id)) is not None:
        raise OperationStateConflict("this user is registered as staff already", state="registered")
    staff = OperatorStaff(id=uuid.uuid4(), operator_party_id=p.party_id, user_id=data.user_id)
    changed = _apply(staff, data, OPERATOR_FIELDS)
    payload = {
        "staff_id": str(staff.id),
        "user_id": str(data.user_id),
        "records": changed,
        "source": "004:5633",
    }
    staff.ledger_index = record(
        session, settings, p, "staff_registered", staff_subject(staff.id), payload, "registered"
    )
    session.add(staff)
    session.flush()
    return staff


def update_staff(
    session: Session, p: Principal, staff_id: uuid.UUID, data: StaffCreate, settings: Settings | None = None
) -> OperatorStaff:
    """Add records: the operator its real-name and confidentiality ones, the overseers filing and vetting."""
    staff = visible_staff(session, p, staff_id)
    if data.user_id != staff.user_id:
        raise OperationStateConflict("a staff record's user never changes", state="registered")
    fields: tuple[str, ...] = ()
    if acts_for(p, staff.operator_party_id):
        fields += OPERATOR_FIELDS
    if _overseer_of(session, p, staff.operator_party_id):
        fields += OVERSIGHT_FIELDS
    require(bool(fields), "the operator or its implementing body and the authority keep staff records")
    refused = [
        n for n in (*OPERATOR_FIELDS, *OVERSIGHT_FIELDS) if getattr(data, n) is not None and n not in fields
    ]
    require(not refused, f"you may not set {', '.join(refused)}")
    changed = _apply(staff, data, fields)
    payload = {"staff_id": str(staff.id), "records": changed, "source": "004:5633"}
    staff.ledger_index = record(
        session, settings, p, "staff_updated", staff_subject(staff.id), payload, "updated"
    )
    session.flush()
    return staff


# -- the check on every use under a grant (OPS-R13, OPS-R14, OPS-R7) ---------------------------------


def on_grant_use(session: Session, use: GrantUse) -> None:
    """Refuse an operator's use of its agreement's data that the rules do not allow."""
    agreements = list(
        session.scalars(select(Agreement).where(Agreement.operator_party_id == use.assignee_party_id))
    )
    codes = set(use.catalog_codes)
    touched = [a for a in agreements if codes.intersection(a.scope)]
    if not touched or use.user_id is None:
        return
    in_force = [a for a in touched if a.state is AgreementState.ACTIVE]
    if not in_force:
        raise StaffNotCleared(
            "the authorization agreement is not in force: "
            "data application and processing rights are suspended",
            rule="OPS-E4",
            source="004:5681; 004:5708",
        )
    scope = {c for a in in_force for c in a.scope}
    beyond = sorted(codes - scope)
    if beyond:
        raise StaffNotCleared(
            f"resources outside the authorization agreement: {', '.join(beyond)}",
            rule="OPS-R7",
            source="004:983",
        )
    if use.mode is not DeliveryMode.SQL:
        raise StaffNotCleared(
            "raw data is invisible to processing staff: use the sandbox, aggregate results only",
            rule="OPS-R14",
            source="004:5635",
        )
    staff = session.scalar(select(OperatorStaff).where(OperatorStaff.user_id == use.user_id))
    missing = missing_records(
        staff if staff is None or staff.operator_party_id == use.assignee_party_id else None
    )
    if missing:
        raise StaffNotCleared(
            f"the staff member lacks: {', '.join(missing)}",
            rule="OPS-R13",
            source="004:5633",
            missing=missing,
        )


def subscribe(bus: EventBus) -> None:
    """Check every use under a grant (wired in ``app/wiring.py``)."""
    bus.subscribe(GrantUse, on_grant_use)
