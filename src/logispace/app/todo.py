"""To-do lists of the dashboard (待办事项): per role, the counts of what waits for the user, each with a
link to the page where it is done.

Everything is counted through the domains' public services (never their tables):

* the data authority: parties to verify, published resources whose grade is unreviewed, resources
  published since the last sharing/open list version (a list version to publish);
* the registration authority's reviewers: applications to accept, under review, in objection review,
  in publicity, and the running deadlines due within three days and overdue;
* a data holder: draft resources, applications to supplement, applications in publicity, grading
  decisions received;
* every user of a party: the party's notarized documents;
* the data authority, an implementing body and an operator with authorized-operation agreements: the
  annual price and operation reports not yet sent (due by 31 March, urgent once overdue; 004:1035).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.orm import Session

from logispace.core.config import Settings
from logispace.core.pagination import PageParams
from logispace.domains import catalog, identity, ledger, operation
from logispace.domains.identity import Principal, Role, VerificationStatus
from logispace.domains.registration import Clock, read_service, review_service, takes_review_steps
from logispace.domains.registration.enums import ApplicationState

DUE_SOON_DAYS = 3
EDITOR_ROLES = (Role.PARTY_ADMIN, Role.DATA_STEWARD)
OPEN_STATES = (
    ApplicationState.SUBMITTED,
    ApplicationState.PENDING_SUPPLEMENT,
    ApplicationState.UNDER_REVIEW,
    ApplicationState.IN_PUBLICITY,
    ApplicationState.OBJECTION_REVIEW,
)


@dataclass(frozen=True)
class Todo:
    """One line of a to-do list: what, how many, where to do it; ``urgent`` marks overdue work."""

    key: str
    label: str
    count: int
    href: str
    urgent: bool = False


def _applications(db: Session, p: Principal, state: ApplicationState) -> int:
    return read_service.list_applications(db, p, PageParams(limit=1), state=state)[1]


def _deadlines(db: Session, p: Principal, clock: Clock) -> tuple[int, int]:
    """Running deadlines of open applications: due within three days (not yet overdue), and overdue."""
    soon = clock.on + timedelta(days=DUE_SOON_DAYS)
    due = 0
    for state in OPEN_STATES:
        rows, _ = read_service.list_applications(db, p, PageParams(limit=200), state=state)
        for s in read_service.summaries(db, clock, rows):
            if s.deadline is not None and not s.deadline.overdue and s.deadline.due <= soon:
                due += 1
    return due, len(review_service.overdue(db, p, clock))


def authority_todos(db: Session, p: Principal) -> list[Todo]:
    """The data authority's to-do list (数据主管部门)."""
    todos = [
        Todo(
            "verify-parties",
            "待核验主体",
            identity.count_parties(db, p, VerificationStatus.UNVERIFIED),
            "/admin/parties?verification_status=unverified",
        )
    ]
    if catalog.can_review_grade(p):
        todos.append(
            Todo(
                "grading",
                "待审核分级",
                catalog.grading_service.unreviewed(db, p, limit=1)[1],
                "/catalog/grading",
            )
        )
    if catalog.can_publish_list(p):
        todos.append(
            Todo("list-version", "待纳入清单的新发布资源", catalog.resources_since_list(db), "/catalog/lists")
        )
    return todos


def reviewer_todos(db: Session, p: Principal, settings: Settings) -> list[Todo]:
    """The registration authority's to-do list (登记机构审核员)."""
    clock = Clock.now(settings)
    due, overdue = _deadlines(db, p, clock)
    return [
        Todo(
            "accept",
            "待受理申请",
            _applications(db, p, ApplicationState.SUBMITTED),
            "/registration/review?state=submitted",
        ),
        Todo(
            "review",
            "待审核申请",
            _applications(db, p, ApplicationState.UNDER_REVIEW),
            "/registration/review?state=under_review",
        ),
        Todo(
            "objections",
            "异议待复核",
            _applications(db, p, ApplicationState.OBJECTION_REVIEW),
            "/registration/review?state=objection_review",
        ),
        Todo(
            "publicity", "公示中", _applications(db, p, ApplicationState.IN_PUBLICITY), "/registry/publicity"
        ),
        Todo("due", "三日内到期事项", due, "/registration/review"),
        Todo("overdue", "已超期事项", overdue, "/registration/review", urgent=overdue > 0),
    ]


def holder_todos(db: Session, p: Principal) -> list[Todo]:
    """A data holder's to-do list (数据持有方)."""
    drafts = catalog.catalog_resources(
        db, p, PageParams(limit=1), holder=p.party_id, status=catalog.ResourceStatus.DRAFT
    )[1]
    return [
        Todo("drafts", "待发布的资源草稿", drafts, "/catalog"),
        Todo(
            "supplement",
            "待补正的登记申请",
            _applications(db, p, ApplicationState.PENDING_SUPPLEMENT),
            "/registration",
        ),
        Todo(
            "in-publicity",
            "公示中的登记申请",
            _applications(db, p, ApplicationState.IN_PUBLICITY),
            "/registration",
        ),
        Todo(
            "grading-decisions",
            "收到的分级审核结论",
            len(catalog.grading_service.decisions_received(db, p)),
            "#grading-decisions",
        ),
    ]


def operation_todos(db: Session, p: Principal) -> list[Todo]:
    """The annual price and operation reports of the caller's agreements not yet sent (004:1035)."""
    if not (p.is_authority or p.party_id is not None):
        return []
    if not operation.service.list_agreements(db, p):
        return []
    due, overdue = operation.reports.pending(db, p)
    return [
        Todo("annual-reports", "待报送的年度经营情况报告", due + overdue, "/operation", urgent=overdue > 0)
    ]


def todos_of(db: Session, p: Principal, settings: Settings) -> list[Todo]:
    """The to-do list of the caller, by what their party and roles do."""
    todos: list[Todo] = []
    if p.is_authority and not takes_review_steps(p):
        todos += authority_todos(db, p)
    if takes_review_steps(p):
        todos += reviewer_todos(db, p, settings)
    if not p.is_authority and p.has(*EDITOR_ROLES):
        todos += holder_todos(db, p)
    if p.party_id is not None and not p.is_authority:
        total = ledger.document_service.list_documents(db, p, PageParams(limit=1))[1]
        todos.append(Todo("documents", "本单位存证单证", total, "/documents"))
    if (p.is_authority and not takes_review_steps(p)) or p.has(*EDITOR_ROLES):
        todos += operation_todos(db, p)
    return todos
