"""State machine A's table (登记申请状态转换表), policy-spec §1.4: one row per ``(state, action, role)``.

Each row names the next state, the deadline rule it starts, the ledger event and the seed lines it comes
from, restricted by application type and rule profile; :mod:`.applications` applies it.
"""

from __future__ import annotations

from dataclasses import dataclass

from logispace.core.config import RuleProfile
from logispace.domains.registration.enums import (
    ActorRole,
    ApplicationAction,
    ApplicationState,
    ApplicationType,
)

S, A, R, T = ApplicationState, ApplicationAction, ActorRole, ApplicationType
BOTH = frozenset(RuleProfile)
NATIONAL = frozenset({RuleProfile.NATIONAL})
INNER_MONGOLIA = frozenset({RuleProfile.INNER_MONGOLIA})
ALL_TYPES = frozenset(ApplicationType)
WITH_PUBLICITY = frozenset({T.INITIAL, T.CHANGE, T.CORRECTION})  # none for cancellation
FINAL_STATES = frozenset({S.NOT_ACCEPTED, S.REVIEW_FAILED, S.ISSUED, S.TERMINATED, S.CANCELLED})


@dataclass(frozen=True, slots=True)
class ApplicationRule:
    """A row of state machine A (登记申请状态转换): who may do what in which state, and what follows."""

    state: ApplicationState
    action: ApplicationAction
    role: ActorRole
    next_state: ApplicationState
    deadline: str | None  # name of a core.deadlines registration rule started by this transition
    ledger_event: str
    source: str
    types: frozenset[ApplicationType] = ALL_TYPES
    profiles: frozenset[RuleProfile] = BOTH
    note: str = ""
    when: str = ""  # a situation of :func:`situation` the row needs (several rows, one action)

    def applies(self, application_type: ApplicationType, profile: RuleProfile) -> bool:
        return application_type in self.types and profile in self.profiles


def _r(
    state: ApplicationState,
    action: ApplicationAction,
    role: ActorRole,
    next_state: ApplicationState,
    deadline: str | None,
    event: str,
    source: str,
    types: frozenset[ApplicationType] = ALL_TYPES,
    profiles: frozenset[RuleProfile] = BOTH,
    note: str = "",
    when: str = "",
) -> ApplicationRule:
    return ApplicationRule(
        state, action, role, next_state, deadline, event, source, types, profiles, note, when
    )


# situations (``ApplicationRule.when``) that pick one of several rows of the same action
OTHERS_PENDING = "others_pending"  # other objections of the application still await their decision
PUBLICITY_RUNNING = "publicity_running"  # none pending, the publicity's last day not passed
PUBLICITY_OVER = "publicity_over"  # none pending, the publicity has ended

CORRECTION = frozenset({T.CORRECTION})
CANCELLATION = frozenset({T.CANCELLATION})

APPLICATION_RULES: tuple[ApplicationRule, ...] = (
    _r(
        S.DRAFT,
        A.SUBMIT,
        R.SUBJECT,
        S.SUBMITTED,
        "acceptance",
        "registration.application_submitted",
        "004:771; 004:5319",
    ),
    _r(
        S.DRAFT,
        A.SUBMIT,
        R.INTERESTED_PARTY,
        S.SUBMITTED,
        "acceptance",
        "registration.application_submitted",
        "004:785; 004:5385",
        CORRECTION,
        note="an interested party may apply only for a correction",
    ),
    _r(
        S.SUBMITTED,
        A.REQUEST_SUPPLEMENT,
        R.AUTHORITY,
        S.PENDING_SUPPLEMENT,
        None,
        "registration.supplement_requested",
        "004:794; 004:5412",
        note="one notice listing every missing item",
    ),
    _r(
        S.PENDING_SUPPLEMENT,
        A.RESUBMIT,
        R.SUBJECT,
        S.SUBMITTED,
        "acceptance",
        "registration.application_resubmitted",
        "004:794; 004:5412",
        note="acceptance counted from resubmission",
    ),
    _r(
        S.PENDING_SUPPLEMENT,
        A.RESUBMIT,
        R.INTERESTED_PARTY,
        S.SUBMITTED,
        "acceptance",
        "registration.application_resubmitted",
        "004:794; 004:5412",
        CORRECTION,
    ),
    _r(
        S.SUBMITTED,
        A.ACCEPT,
        R.AUTHORITY,
        S.UNDER_REVIEW,
        "formal_review",
        "registration.application_accepted",
        "004:794; 004:796; 004:5412; 004:5414",
        WITH_PUBLICITY,
        note="formal review starts on acceptance (A6)",
    ),
    _r(
        S.SUBMITTED,
        A.ACCEPT,
        R.AUTHORITY,
        S.UNDER_REVIEW,
        "cancellation",
        "registration.application_accepted",
        "004:787",
        CANCELLATION,
        note="cancellation done within 10 WD of acceptance (Q-3: both profiles)",
    ),
    _r(
        S.SUBMITTED,
        A.REFUSE,
        R.AUTHORITY,
        S.NOT_ACCEPTED,
        None,
        "registration.application_refused",
        "004:794; 004:5412; 004:5422-5427",
        note="reasons stated promptly",
    ),
    _r(
        S.UNDER_REVIEW,
        A.REFUSE,
        R.AUTHORITY,
        S.NOT_ACCEPTED,
        None,
        "registration.application_refused",
        "004:5422-5427",
        profiles=INNER_MONGOLIA,
        note="不予办理 on the grounds of 004:5424-5427",
    ),
    _r(
        S.UNDER_REVIEW,
        A.PASS_REVIEW,
        R.AUTHORITY,
        S.IN_PUBLICITY,
        "publicity",
        "registration.publicity_started",
        "004:796; 004:798; 004:5414; 004:5416",
        WITH_PUBLICITY,
        note="Q-4: publicity for change and correction",
    ),
    _r(
        S.UNDER_REVIEW,
        A.FAIL_REVIEW,
        R.AUTHORITY,
        S.REVIEW_FAILED,
        None,
        "registration.review_failed",
        "004:5414",
        WITH_PUBLICITY,
        INNER_MONGOLIA,
        note="reasons must be given (Q-6)",
    ),
    _r(
        S.UNDER_REVIEW,
        A.EXPLAIN_DELAY,
        R.AUTHORITY,
        S.UNDER_REVIEW,
        None,
        "registration.review_delay_explained",
        "004:796",
        WITH_PUBLICITY,
        NATIONAL,
        note="only once the 20 WD have passed (Q-6)",
    ),
    _r(
        S.UNDER_REVIEW,
        A.COMPLETE_CANCELLATION,
        R.AUTHORITY,
        S.CANCELLED,
        None,
        "registration.cancelled",
        "004:787",
        CANCELLATION,
        note="no publicity for cancellation (Q-4)",
    ),
    _r(
        S.IN_PUBLICITY,
        A.CLOSE_PUBLICITY,
        R.SYSTEM,
        S.ISSUED,
        None,
        "registration.result_issued",
        "004:802; 004:5420",
        WITH_PUBLICITY,
        note="only after the publicity's last day",
    ),
    _r(
        S.IN_PUBLICITY,
        A.CLOSE_PUBLICITY,
        R.AUTHORITY,
        S.ISSUED,
        None,
        "registration.result_issued",
        "004:802; 004:5420",
        WITH_PUBLICITY,
        note="only after the publicity's last day",
    ),
    _r(
        S.IN_PUBLICITY,
        A.FILE_OBJECTION,
        R.INTERESTED_PARTY,
        S.OBJECTION_REVIEW,
        "objection_review",
        "registration.objection_filed",
        "004:800; 004:5418",
        WITH_PUBLICITY,
        note="real name and evidence, within [publicity_start, publicity_end]; its own review SLA (Q-5)",
    ),
    _r(
        S.OBJECTION_REVIEW,
        A.FILE_OBJECTION,
        R.INTERESTED_PARTY,
        S.OBJECTION_REVIEW,
        "objection_review",
        "registration.objection_filed",
        "004:800; 004:5418",
        WITH_PUBLICITY,
        note="[INFERRED] 公示期内 any party may object while earlier objections are under review",
    ),
    _r(
        S.OBJECTION_REVIEW,
        A.UPHOLD_OBJECTION,
        R.AUTHORITY,
        S.TERMINATED,
        None,
        "registration.terminated",
        "004:800; 004:5418",
        WITH_PUBLICITY,
        note="[INFERRED] the other pending objections are closed with a note",
    ),
    _r(
        S.OBJECTION_REVIEW,
        A.DISMISS_OBJECTION,
        R.AUTHORITY,
        S.OBJECTION_REVIEW,
        None,
        "registration.objection_dismissed",
        "004:800; 004:5418",
        WITH_PUBLICITY,
        note="[INFERRED] other objections are still pending",
        when=OTHERS_PENDING,
    ),
    _r(
        S.OBJECTION_REVIEW,
        A.DISMISS_OBJECTION,
        R.AUTHORITY,
        S.IN_PUBLICITY,
        "publicity",
        "registration.publicity_resumed",
        "004:798; 004:800; 004:5416; 004:5418",
        WITH_PUBLICITY,
        note="[INFERRED] last pending one dismissed before publicity_end: the same period runs on",
        when=PUBLICITY_RUNNING,
    ),
    _r(
        S.OBJECTION_REVIEW,
        A.DISMISS_OBJECTION,
        R.AUTHORITY,
        S.ISSUED,
        None,
        "registration.result_issued",
        "004:800; 004:802; 004:5418; 004:5420",
        WITH_PUBLICITY,
        note="[INFERRED] DESIGN.md Q-5: last pending one dismissed after publicity_end -> issued",
        when=PUBLICITY_OVER,
    ),
)
