"""Response bodies of the operation API built from the stored records."""

from __future__ import annotations

from sqlalchemy.orm import Session

from logispace.domains.operation import service
from logispace.domains.operation.models import OperationPlan, OperatorSelection, OperatorStaff
from logispace.domains.operation.schemas import (
    ApprovalRead,
    CandidateRead,
    PlanRead,
    SelectionRead,
    StaffRead,
)
from logispace.domains.operation.staff import missing_records


def plan_read(session: Session, plan: OperationPlan) -> PlanRead:
    read = PlanRead.model_validate(plan)
    read.approvals = [ApprovalRead.model_validate(a) for a in service.approvals_of(session, plan.id)]
    return read


def selection_read(session: Session, selection: OperatorSelection) -> SelectionRead:
    read = SelectionRead.model_validate(selection)
    read.candidates = [CandidateRead.model_validate(c) for c in service.candidates_of(session, selection.id)]
    return read


def staff_read(staff: OperatorStaff) -> StaffRead:
    return StaffRead(
        id=staff.id,
        operator_party_id=staff.operator_party_id,
        user_id=staff.user_id,
        real_name_verified_on=staff.real_name_verified_on,
        filed_on=staff.filed_on,
        vetted_on=staff.vetted_on,
        confidentiality_signed_on=staff.confidentiality_signed_on,
        cleared=not missing_records(staff),
        ledger_index=staff.ledger_index,
    )
