"""Who takes each registration step (登记各环节的办理人): one table for the API, the pages and the services.

The national rules give every step of registration to the registration authority (登记机构, 004:765: it
"负责实施公共数据资源登记"); the data authority (数据主管部门) evaluates and supervises it (004:816; 004:820;
004:822) and takes none.
Inside the registration authority the steps are taken by its reviewers (审核员): the authority keeps a
responsibility mechanism for registration (登记管理责任机制, 004:767), so each step is taken by a person
named for it, and its administrator (``authority_admin``) manages the staff and their roles but takes no
step (it would have to grant itself the reviewer role first, which the identity audit records).
Change, correction and cancellation applications go through the same steps as an initial one; the end
of the publicity period and the expiry of an unrenewed record are the scheduled task's (``SYSTEM``).

Pure: the principal's party type and roles against the table; no database.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from logispace.core.errors import PermissionDenied
from logispace.domains.identity import PartyType, Principal, Role


class Step(StrEnum):
    """A step of registration that one of the authorities takes (登记环节)."""

    SUPPLEMENT = "supplement"  # 一次性告知补正
    ACCEPT = "accept"  # 受理
    REFUSE = "refuse"  # 不予受理
    REVIEW_PASS = "pass"  # noqa: S105 (not a password) 形式审核通过, which opens the publicity (公示)
    REVIEW_FAIL = "fail"  # 形式审核不通过
    OVERRUN = "overrun"  # 审核未完成的说明
    OBJECTION = "objection"  # 异议复核
    ISSUE = "issue"  # 赋码发证
    CANCEL = "cancel"  # 完成注销
    RENEWAL = "renewal"  # 续展决定 (approve, refuse)
    REVOCATION = "revocation"  # 撤销登记
    ACCOUNT = "account"  # 登记账户核发


Staff = frozenset[tuple[PartyType, Role]]

REGISTRATION_REVIEWERS: Staff = frozenset({(PartyType.REGISTRATION_AUTHORITY, Role.REVIEWER)})
"""The registration authority's reviewers (登记机构审核员)."""


@dataclass(frozen=True)
class Who:
    """Who takes a step: the (party type, role) pairs of the staff, and the source lines."""

    staff: Staff
    source: str


STEP_ACTORS: dict[Step, Who] = {
    Step.SUPPLEMENT: Who(REGISTRATION_REVIEWERS, "004:794; 004:5412"),
    Step.ACCEPT: Who(REGISTRATION_REVIEWERS, "004:794; 004:5412"),
    Step.REFUSE: Who(REGISTRATION_REVIEWERS, "004:794; 004:5412"),
    Step.REVIEW_PASS: Who(REGISTRATION_REVIEWERS, "004:796; 004:798"),
    Step.REVIEW_FAIL: Who(REGISTRATION_REVIEWERS, "004:796"),
    Step.OVERRUN: Who(REGISTRATION_REVIEWERS, "004:796"),
    Step.OBJECTION: Who(REGISTRATION_REVIEWERS, "004:800; 004:5418"),
    # inner_mongolia: the certificate is in the competent data authority's name (004:5452), signed with
    # its key; the step is still taken on the platform by the registration authority that handled it.
    Step.ISSUE: Who(REGISTRATION_REVIEWERS, "004:802; 004:5452"),
    Step.CANCEL: Who(REGISTRATION_REVIEWERS, "004:787"),
    Step.RENEWAL: Who(REGISTRATION_REVIEWERS, "004:765; 004:812; 004:5456"),
    Step.REVOCATION: Who(REGISTRATION_REVIEWERS, "004:5429"),
    Step.ACCOUNT: Who(REGISTRATION_REVIEWERS, "004:5444"),
}
"""Every step and who takes it (the tests walk every row with every authority role)."""


def may_take(p: Principal, step: Step) -> bool:
    """Whether ``p`` takes ``step``: the system does; staff by their party type and role in the table."""
    if p.is_system:
        return True
    return any(p.party_type is party_type and role in p.roles for party_type, role in STEP_ACTORS[step].staff)


APPLICATION_STEPS = (
    Step.SUPPLEMENT,
    Step.ACCEPT,
    Step.REFUSE,
    Step.REVIEW_PASS,
    Step.REVIEW_FAIL,
    Step.OVERRUN,
    Step.OBJECTION,
    Step.ISSUE,
    Step.CANCEL,
)
"""The steps on an application (state machine A): the review action table's rows."""


def takes_review_steps(p: Principal) -> bool:
    """Whether ``p`` is the registration authority on an application (its role ``authority``)."""
    return any(may_take(p, step) for step in APPLICATION_STEPS)


def require_step(p: Principal, step: Step) -> None:
    """403 unless ``p`` takes ``step`` (for the steps outside an application's state machine)."""
    if not may_take(p, step):
        raise PermissionDenied(
            f"only the registration authority's reviewers (登记机构审核员) take this step ({step.value})"
        )
