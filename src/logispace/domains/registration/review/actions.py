"""The review actions (审核操作), written once for the API and the review page.

Each row of :data:`REVIEW_ACTIONS` names one step the registration authority takes on an application: the
page's action name (also the key of its success message, ``REGISTRATION_LABELS["done"]``), the API path
under ``/api/v1/registration/applications/{application_id}`` with its route name and summary, the
request body it takes (and how the page's form becomes that body), who may take it, and the service
call. :mod:`.api` makes one route per row and :mod:`.pages` dispatches the review form through the same
rows, so a new action is one more row. The service checks the actor and the state (403, 409) either way.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, get_args

from pydantic import BaseModel
from sqlalchemy.orm import Session

from logispace.core.errors import InvalidInput
from logispace.domains.identity import Principal
from logispace.domains.registration.enums import ApplicationAction
from logispace.domains.registration.errors import ActorNotAllowed
from logispace.domains.registration.models import RegistrationApplication, RegistrationOverrun
from logispace.domains.registration.review import service as review_service
from logispace.domains.registration.rules.actors import Step, may_take
from logispace.domains.registration.schemas import (
    ApplicationRead,
    ObjectionHandling,
    OverrunExplanation,
    OverrunRead,
    Refusal,
    ReviewFailure,
    StepNote,
    SupplementRequest,
)
from logispace.domains.registration.workflow import Clock, role_of, visible

ActionName = Literal[
    "accept", "supplement", "refuse", "pass", "fail", "issue", "cancel", "objection", "overrun"
]
"""The review page's actions (``POST /registration/applications/{id}/review/{action}``)."""

AUTHORITY = "authority"
"""Who takes every review step: the registration authority (登记机构) through its reviewers (审核员): 004:794
acceptance and the supplement notice, 004:796 formal review, 004:798 publicity, 004:800 objections, 004:802
the result code, 004:787 cancellation. The data authority (数据主管部门) supervises: 403 for every step."""

_LINES = re.compile(r"[\n;；]+")


@dataclass(frozen=True)
class ReviewForm:
    """The review page's form fields, as posted (blank ones are ``None``)."""

    note: str | None = None
    reason: str | None = None
    grounds: list[str] | None = None
    noncompliant: str | None = None
    objection_id: uuid.UUID | None = None
    outcome: str | None = None
    explanation: str | None = None

    @property
    def text(self) -> str | None:
        """The note, trimmed; ``None`` when blank."""
        return (self.note or "").strip() or None


@dataclass(frozen=True)
class Call:
    """One review step to take: by whom, when, on which application (and objection)."""

    session: Session
    principal: Principal
    clock: Clock
    application_id: uuid.UUID
    objection_id: uuid.UUID | None = None


@dataclass(frozen=True)
class ReviewAction:
    """One review step, for the API route and the page form alike."""

    name: str
    """The page's action name and the key of its success message (``REGISTRATION_LABELS["done"]``)."""
    path: str
    """The API path after ``/applications/{application_id}``."""
    operation: str
    """The API route's name (its OpenAPI operation id starts with it)."""
    summary: str
    """The API summary, without the role (added from :attr:`role`)."""
    body: type[BaseModel]
    """The request body: JSON for the API, built from the form by :attr:`from_form` for the page."""
    from_form: Callable[[ReviewForm], BaseModel | None]
    run: Callable[[Call, Any], RegistrationApplication | RegistrationOverrun]
    """The service call, given the step and the body (``None`` when an optional body is left out)."""
    body_optional: bool = False
    """A note-only step: the API takes no body or a :class:`StepNote`."""
    role: str = AUTHORITY
    status_code: int = 200
    result: type[ApplicationRead] | type[OverrunRead] = ApplicationRead
    """What the API answers: the application after the step, or the row the step created."""
    steps: tuple[ApplicationAction, ...] = ()
    """The state machine's actions this row takes; the page offers it only when the state allows one.
    Empty for a step beside the state machine (an overrun explanation)."""
    ready: Callable[[ApplicationRead, date], bool] = lambda read, today: True
    """Whether the step can succeed today, beyond the state (the publicity is over, nothing is missing),
    so that the page does not offer a button the service would refuse."""

    @property
    def api_summary(self) -> str:
        return f"{self.summary} ({self.role})"

    def take(self, call: Call, body: Any) -> RegistrationApplication | RegistrationOverrun:
        """Run the step. Authority staff who do not take it (``rules.actors.STEP_ACTORS``: only the
        registration authority's reviewers) get 403 whatever the application's state; anyone else is
        checked by the service (404, 403, 409)."""
        p = call.principal
        if p.is_authority and not may_take(p, Step(self.name)):
            application = visible(call.session, p, call.application_id)
            raise ActorNotAllowed(self.name, application.state, role_of(p, application), [self.role], [])
        return self.run(call, body)


def _note(body: StepNote | None) -> str | None:
    return body.note if body is not None else None


def _step_note(form: ReviewForm) -> StepNote:
    return StepNote.model_validate({"note": form.text})


def _supplement_form(form: ReviewForm) -> SupplementRequest:
    # The page's one-item-a-line text area is taken as it comes (the API's list limits are the API's).
    items = [line.strip() for line in _LINES.split(form.noncompliant or "") if line.strip()]
    return SupplementRequest.model_construct(noncompliant=items, note=form.text)


def _refusal_form(form: ReviewForm) -> Refusal:
    return Refusal.model_validate({"grounds": form.grounds or [], "reason": (form.reason or "").strip()})


def _failure_form(form: ReviewForm) -> ReviewFailure:
    return ReviewFailure.model_validate({"reason": (form.reason or "").strip()})


def _handling_form(form: ReviewForm) -> ObjectionHandling:
    handling = ObjectionHandling.model_validate(
        {"outcome": form.outcome or "", "note": (form.note or "").strip()}
    )
    if form.objection_id is None:
        raise InvalidInput("objection_id: choose the objection to decide")
    return handling


def _explanation_form(form: ReviewForm) -> OverrunExplanation:
    return OverrunExplanation.model_validate({"explanation": (form.explanation or "").strip()})


def _supplement(c: Call, body: SupplementRequest) -> RegistrationApplication:
    return review_service.request_supplement(
        c.session, c.principal, c.clock, c.application_id, body.noncompliant, body.note
    )


def _accept(c: Call, body: StepNote | None) -> RegistrationApplication:
    return review_service.accept(c.session, c.principal, c.clock, c.application_id, _note(body))


def _refuse(c: Call, body: Refusal) -> RegistrationApplication:
    return review_service.refuse(c.session, c.principal, c.clock, c.application_id, body)


def _pass(c: Call, body: StepNote | None) -> RegistrationApplication:
    return review_service.pass_review(c.session, c.principal, c.clock, c.application_id, _note(body))


def _fail(c: Call, body: ReviewFailure) -> RegistrationApplication:
    return review_service.fail_review(c.session, c.principal, c.clock, c.application_id, body.reason)


def _issue(c: Call, body: StepNote | None) -> RegistrationApplication:
    return review_service.issue(c.session, c.principal, c.clock, c.application_id, _note(body))


def _cancel(c: Call, body: StepNote | None) -> RegistrationApplication:
    return review_service.complete_cancellation(
        c.session, c.principal, c.clock, c.application_id, _note(body)
    )


def _handle_objection(c: Call, body: ObjectionHandling) -> RegistrationApplication:
    if c.objection_id is None:  # the route's path and the page's form always name it
        raise InvalidInput("objection_id: choose the objection to decide")
    return review_service.handle_objection(
        c.session, c.principal, c.clock, c.application_id, c.objection_id, body.outcome, body.note
    )


def _explain_overrun(c: Call, body: OverrunExplanation) -> RegistrationOverrun:
    return review_service.explain_overrun(c.session, c.principal, c.clock, c.application_id, body.explanation)


def _publicity_over(read: ApplicationRead, today: date) -> bool:
    """赋码发证 only after the publicity's last day (004:802): during it the step is refused."""
    end = read.deadline.due if read.deadline is not None else read.publicity_end
    return end is not None and today > end


REVIEW_ACTIONS: tuple[ReviewAction, ...] = (
    ReviewAction(
        name="supplement",
        steps=(ApplicationAction.REQUEST_SUPPLEMENT,),
        path="/supplement-request",
        operation="request_supplement",
        summary="One notice listing every missing item (一次性告知)",
        body=SupplementRequest,
        from_form=_supplement_form,
        run=_supplement,
    ),
    ReviewAction(
        name="accept",
        steps=(ApplicationAction.ACCEPT,),
        ready=lambda read, today: not read.missing_items,
        path="/accept",
        operation="accept",
        summary="Accept (受理)",
        body=StepNote,
        body_optional=True,
        from_form=_step_note,
        run=_accept,
    ),
    ReviewAction(
        name="refuse",
        steps=(ApplicationAction.REFUSE,),
        path="/refuse",
        operation="refuse",
        summary="Refuse with grounds (不予受理 / 不予办理)",
        body=Refusal,
        from_form=_refusal_form,
        run=_refuse,
    ),
    ReviewAction(
        name="pass",
        steps=(ApplicationAction.PASS_REVIEW,),
        path="/review/pass",
        operation="pass_review",
        summary="Formal review passed (形式审核通过): publicity for 10 working days",
        body=StepNote,
        body_optional=True,
        from_form=_step_note,
        run=_pass,
    ),
    ReviewAction(
        name="fail",
        steps=(ApplicationAction.FAIL_REVIEW,),
        path="/review/fail",
        operation="fail_review",
        summary="Formal review failed [inner_mongolia]",
        body=ReviewFailure,
        from_form=_failure_form,
        run=_fail,
    ),
    ReviewAction(
        name="issue",
        steps=(ApplicationAction.CLOSE_PUBLICITY,),
        ready=_publicity_over,
        path="/issue",
        operation="issue",
        summary="Close the publicity and issue the registration (赋码 / 发证)",
        body=StepNote,
        body_optional=True,
        from_form=_step_note,
        run=_issue,
    ),
    ReviewAction(
        name="cancel",
        steps=(ApplicationAction.COMPLETE_CANCELLATION,),
        path="/cancellation/complete",
        operation="complete_cancellation",
        summary="Complete a cancellation (注销登记) within 10 working days",
        body=StepNote,
        body_optional=True,
        from_form=_step_note,
        run=_cancel,
    ),
    ReviewAction(
        name="objection",
        steps=(ApplicationAction.UPHOLD_OBJECTION, ApplicationAction.DISMISS_OBJECTION),
        ready=lambda read, today: any(o.outcome is None for o in read.objections),
        path="/objections/{objection_id}/handle",
        operation="handle_objection",
        summary=(
            "Decide an objection (异议复核): upheld terminates; dismissed keeps reviewing, "
            "resumes publicity or issues"
        ),
        body=ObjectionHandling,
        from_form=_handling_form,
        run=_handle_objection,
    ),
    ReviewAction(
        name="overrun",
        ready=lambda read, today: read.deadline is not None and read.deadline.overdue,
        path="/overrun-explanations",
        operation="explain_overrun",
        summary="Record why the current step is overdue (超期说明)",
        body=OverrunExplanation,
        from_form=_explanation_form,
        run=_explain_overrun,
        status_code=201,
        result=OverrunRead,
    ),
)

BY_NAME: dict[str, ReviewAction] = {a.name: a for a in REVIEW_ACTIONS}
if set(BY_NAME) != set(get_args(ActionName)):  # pragma: no cover - a row and the page's names disagree
    raise RuntimeError(
        f"review actions {sorted(BY_NAME)} differ from the page's {sorted(get_args(ActionName))}"
    )


def offered(read: ApplicationRead, today: date) -> list[str]:
    """The review steps the page offers on ``read`` today, by name: those whose state machine action is
    allowed in its state (an overrun explanation in any state) and that can succeed today."""
    allowed = set(read.allowed_actions)
    return [
        a.name
        for a in REVIEW_ACTIONS
        if (not a.steps or allowed.intersection(a.steps)) and a.ready(read, today)
    ]
