"""Oversight pages (授权运营监管页面): the operator's processing staff with their records and the sandbox
access each has (OPS-R13, 004:5633), and the marks on data that must not be operated (OPS-R20,
004:5687-5692).

The operator registers its staff and their real-name and confidentiality records; its implementing body
and the data authority file and vet them; the page shows, for each, whether the sandbox is open to them
or which records are missing. The data authority marks data that must not be operated; a holder sees the
marks on its own resources. The forms post through the rows of :data:`.actions.ACTIONS` (the step route
of :mod:`.workflow_pages`); a refusal is shown here in Chinese.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from logispace.core.pagination import PageParams
from logispace.domains.catalog import ResourceStatus, catalog_resources
from logispace.domains.identity import SYSTEM, PageUser, party_names
from logispace.domains.identity.service import list_users
from logispace.domains.operation import disclosure, service, staff
from logispace.domains.operation.actions import DONE
from logispace.domains.operation.actors import acts_for, is_authority, today
from logispace.domains.operation.errors import OperationNotFound
from logispace.domains.operation.i18n import OPERATION_LABELS
from logispace.web.dependencies import DbSession
from logispace.web.routing import page_router
from logispace.web.templates import render

router = page_router()

Done = Annotated[str | None, Query(max_length=40)]


def sandbox_state(row: Any) -> list[str]:
    """The records a staff member still lacks before the sandbox is open to them, by their Chinese names
    (none: open)."""
    return [staff.RECORDS[name] for name in staff.missing_records(row)]


def staff_view(
    request: Request,
    db: Session,
    user: Any,
    operator: uuid.UUID | None,
    *,
    errors: list[str] | None = None,
    status_code: int = 200,
    done: str | None = None,
) -> HTMLResponse:
    """The staff of ``operator`` (the caller's own party by default); 404 to a party that may not see it."""
    p = user.principal
    party = operator or p.party_id
    if party is None or not staff.may_see_staff(db, p, party):
        raise OperationNotFound("no staff records to show")
    rows = staff.list_staff(db, p, party)
    own = acts_for(p, party)
    people: dict[uuid.UUID, str] = {}
    if own or is_authority(p) or rows:
        users, _ = list_users(db, SYSTEM, PageParams(limit=200), party_id=party)
        people = {u.id: u.display_name for u in users}
    registered = {r.user_id for r in rows}
    seen = service.list_agreements(db, p)
    operators = party_names(db, {a.operator_party_id for a in seen} - {p.party_id})
    operates = any(a.operator_party_id == party for a in seen)
    context = {
        "operator": party,
        "operator_name": party_names(db, {party}).get(party, ""),
        "operators": operators,
        "rows": [(r, people.get(r.user_id, ""), sandbox_state(r)) for r in rows],
        "candidates": {i: n for i, n in people.items() if i not in registered} if own and operates else {},
        "own": own,
        "oversees": staff.oversees(db, p, party),
        "today": today(),
        "errors": errors or [],
        "done": DONE.get(done or ""),
    }
    return render(request, "operation/staff.html", context, status_code=status_code)


@router.get("/operation/staff")
def staff_page(
    request: Request,
    db: DbSession,
    user: PageUser,
    operator: uuid.UUID | None = None,
    done: Done = None,
) -> HTMLResponse:
    """数据加工人员: real-name verification, filing, vetting and confidentiality, and the sandbox state."""
    return staff_view(request, db, user, operator, done=done)


def _held_codes(db: Session, p: Any) -> set[str]:
    if p.party_id is None:
        return set()
    rows, _ = catalog_resources(
        db, p, PageParams(limit=200), holder=p.party_id, status=ResourceStatus.PUBLISHED
    )
    return {r.catalog_code for r in rows}


def exclusions_view(
    request: Request,
    db: Session,
    user: Any,
    *,
    errors: list[str] | None = None,
    status_code: int = 200,
    done: str | None = None,
) -> HTMLResponse:
    """The marks the caller may see: all of them for the authority, else those on its own resources."""
    p = user.principal
    marks = disclosure.exclusions(db, None if is_authority(p) else _held_codes(db, p))
    context = {
        "marks": marks,
        "names": {m.catalog_code: n for m in marks if (n := disclosure.resource_name(db, m.catalog_code))},
        "marks_data": is_authority(p),
        "grounds": OPERATION_LABELS["ground"],
        "errors": errors or [],
        "done": DONE.get(done or ""),
    }
    return render(request, "operation/exclusions.html", context, status_code=status_code)


@router.get("/operation/exclusions")
def exclusions_page(request: Request, db: DbSession, user: PageUser, done: Done = None) -> HTMLResponse:
    """不得授权运营的数据: the authority's marks with their grounds (004:5687-5692)."""
    return exclusions_view(request, db, user, done=done)
