"""Joint applications (共同申请), 004:771; 004:5319 (V-REG-10).

"涉及多个主体的，可共同提出登记申请或协商一致后由单独主体提出登记申请。" An application may name other
parties as co-subjects (共同登记主体), in one of two modes (:class:`~.enums.JointMode`):

* ``joint`` (共同提出): each co-subject confirms (co-signs) the application itself, by a user of its own
  party; every confirmation is a ledger entry.
* ``sole_with_agreement`` (协商一致后由单独主体提出): the applicant attaches the evidence that the
  co-subjects agreed (``co_subject_agreement``, 协商一致证明).

A missing confirmation or agreement is a missing item of the file
(:func:`.materials.co_subject_requirements`): the application can be submitted, but the authority
cannot accept it; it sends the one-time supplement notice naming every missing item, co-subjects
included, and acceptance waits for the resubmission.
Co-subjects read the application and the resulting record; they do not act on the file otherwise.
"""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from logispace.core.clock import utcnow
from logispace.core.errors import Conflict, NotFound
from logispace.domains.identity import Principal, party_names
from logispace.domains.ledger import append as ledger_append
from logispace.domains.registration import repository
from logispace.domains.registration.enums import ApplicationState, JointMode
from logispace.domains.registration.errors import RegistrationInputInvalid
from logispace.domains.registration.models import RegistrationApplication, RegistrationCoSubject
from logispace.domains.registration.workflow import Clock, require_editor, subject_ref

SOURCE = "004:771; 004:5319"
CONFIRMABLE_STATES = (ApplicationState.DRAFT, ApplicationState.SUBMITTED, ApplicationState.PENDING_SUPPLEMENT)


class CoSubjectConflict(Conflict):
    """The co-subject step does not fit the application (共同申请, 004:771): 409 naming why."""

    code = "registration-co-subject-conflict"
    title = "This co-subject step does not fit the application"


def check_co_subjects(
    session: Session, applicant: uuid.UUID, party_ids: list[uuid.UUID], mode: JointMode | None
) -> list[uuid.UUID]:
    """The co-subjects, deduplicated in order; 422 naming the field for an unknown party, the applicant
    itself, or a mode without co-subjects (and co-subjects without a mode)."""
    wanted = list(dict.fromkeys(party_ids))
    problems: list[tuple[str, str]] = []
    if applicant in wanted:
        problems.append(
            ("co_subject_party_ids", "the applicant is a subject already; name the other parties")
        )
    known = party_names(session, set(wanted))
    unknown = [str(pid) for pid in wanted if pid not in known]
    if unknown:
        problems.append(("co_subject_party_ids", f"no such party: {', '.join(unknown)}"))
    if wanted and mode is None:
        problems.append(("joint_mode", "with co-subjects, choose joint or sole_with_agreement (004:771)"))
    if mode is not None and not wanted:
        problems.append(("co_subject_party_ids", f"joint_mode {mode} needs at least one co-subject"))
    if problems:
        raise RegistrationInputInvalid(problems)
    return wanted


def name_co_subjects(
    session: Session, application: RegistrationApplication, party_ids: list[uuid.UUID], mode: JointMode | None
) -> None:
    """Set the application's co-subjects and mode; a confirmed co-subject cannot be taken off (409)."""
    wanted = check_co_subjects(session, application.applicant_party_id, party_ids, mode)
    current = {row.party_id: row for row in repository.co_subjects_of(session, application.id)}
    dropped_confirmed = [str(pid) for pid, row in current.items() if pid not in wanted and row.confirmed_at]
    if dropped_confirmed:
        raise CoSubjectConflict(
            f"co-subjects {', '.join(dropped_confirmed)} have confirmed the application; they stay on it",
            co_subject_party_ids=dropped_confirmed,
        )
    for pid, row in current.items():
        if pid not in wanted:
            session.delete(row)  # never confirmed: naming it certified nothing
    for pid in wanted:
        if pid not in current:
            session.add(RegistrationCoSubject(application_id=application.id, party_id=pid, named_at=utcnow()))
    application.joint_mode = mode
    session.flush()


def confirm(
    session: Session, p: Principal, clock: Clock, application_id: uuid.UUID
) -> RegistrationApplication:
    """A co-subject confirms (co-signs) a joint application (共同提出登记申请); a ledger entry records it."""
    application = repository.lock_application(session, application_id)
    row = None
    if application is not None and p.party_id is not None:
        row = next(
            (r for r in repository.co_subjects_of(session, application.id) if r.party_id == p.party_id), None
        )
    if application is None or row is None:
        if application is not None and (p.is_authority or p.party_id == application.applicant_party_id):
            raise CoSubjectConflict(
                "only a co-subject named on the application confirms it, not the applicant or the authority"
            )
        raise NotFound(f"registration application {application_id} not found")
    require_editor(p)
    if application.joint_mode is not JointMode.JOINT:
        raise CoSubjectConflict(
            f"the application is filed {application.joint_mode}, not jointly: the applicant attaches the "
            "evidence of the agreement (co_subject_agreement); no confirmation is taken",
            joint_mode=application.joint_mode.value if application.joint_mode else None,
        )
    if row.confirmed_at is not None:
        raise CoSubjectConflict(
            f"this party confirmed the application already at {row.confirmed_at.isoformat()}",
            ledger_index=row.ledger_index,
        )
    if application.state not in CONFIRMABLE_STATES:
        raise CoSubjectConflict(
            f"the application is {application.state}; co-subjects confirm before it is accepted",
            state=application.state.value,
        )
    receipt = ledger_append(
        session,
        kind="registration.co_subject_confirmed",
        subject=subject_ref(application.id),
        payload={
            "application_id": str(application.id),
            "party_id": str(p.party_id),
            "content_sha256": application.content_sha256,
            "on": clock.on.isoformat(),
            "source": SOURCE,
        },
        actor=p.party_id,
        settings=clock.settings,
    )
    row.confirmed_at = utcnow()
    row.confirmed_by_user_id = p.user_id
    row.ledger_index = receipt.entry_id
    application.updated_at = utcnow()
    session.flush()
    return application
