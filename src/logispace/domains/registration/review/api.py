"""Review API (``/api/v1/registration``, authority side): one route per row of :mod:`.actions`, the
objection any other party files during publicity, and the overdue steps.

A review route answers the application after the step (the overrun explanation: the row it created);
the service answers 403 to anyone but the registration authority and 409 to a step out of order.
"""

from __future__ import annotations

import inspect
import uuid
from typing import Any

from pydantic import BaseModel

from logispace.domains.identity import CurrentPrincipal
from logispace.domains.registration.applications import read as read_service
from logispace.domains.registration.models import RegistrationOverrun
from logispace.domains.registration.review import service as review_service
from logispace.domains.registration.review.actions import REVIEW_ACTIONS, Call, ReviewAction
from logispace.domains.registration.schemas import ObjectionCreate, ObjectionRead, OverdueStep, OverrunRead
from logispace.domains.registration.workflow import Clock
from logispace.web.dependencies import AppSettings, DbSession
from logispace.web.routing import api_router

router = api_router("/api/v1/registration", tags=["registration"])


def _parameters(action: ReviewAction) -> list[inspect.Parameter]:
    """The route's parameters in the order the API has always listed them."""

    def param(name: str, annotation: Any, default: Any = inspect.Parameter.empty) -> inspect.Parameter:
        return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation, default=default)

    params = [
        param("db", DbSession),
        param("p", CurrentPrincipal),
        param("settings", AppSettings),
        param("application_id", uuid.UUID),
    ]
    if "{objection_id}" in action.path:
        params.append(param("objection_id", uuid.UUID))
    if action.body_optional:
        params.append(param("body", action.body | None, None))
    else:
        params.append(param("body", action.body))
    return params


def _endpoint(action: ReviewAction) -> Any:
    """The route function of one review action: take the step, answer what :attr:`~ReviewAction.result`
    names."""

    def endpoint(**kwargs: Any) -> BaseModel:
        db, p = kwargs["db"], kwargs["p"]
        clock = Clock.now(kwargs["settings"])
        call = Call(db, p, clock, kwargs["application_id"], kwargs.get("objection_id"))
        done = action.take(call, kwargs["body"])
        if isinstance(done, RegistrationOverrun):
            return OverrunRead.model_validate(done, from_attributes=True)
        return read_service.application_read(db, p, clock, done)

    endpoint.__name__ = endpoint.__qualname__ = action.operation
    endpoint.__doc__ = None  # the summary says it; a docstring would become the OpenAPI description
    # FastAPI reads the route's parameters and their types from the signature.
    endpoint.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        _parameters(action), return_annotation=action.result
    )
    return endpoint


def _add_review_routes() -> None:
    for action in REVIEW_ACTIONS:
        router.add_api_route(
            "/applications/{application_id}" + action.path,
            _endpoint(action),
            methods=["POST"],
            name=action.operation,
            summary=action.api_summary,
            status_code=action.status_code,
            response_model=action.result,
        )


_add_review_routes()


@router.post(
    "/applications/{application_id}/objections",
    status_code=201,
    summary="Object during publicity (异议), in real name with evidence (any other party)",
)
def file_objection(
    db: DbSession,
    p: CurrentPrincipal,
    settings: AppSettings,
    application_id: uuid.UUID,
    body: ObjectionCreate,
) -> ObjectionRead:
    objection = review_service.file_objection(db, p, Clock.now(settings), application_id, body)
    return ObjectionRead.model_validate(objection, from_attributes=True)


@router.get("/overdue", summary="Steps past their due date (超期事项) (authority)")
def overdue(db: DbSession, p: CurrentPrincipal, settings: AppSettings) -> list[OverdueStep]:
    clock = Clock.now(settings)
    return read_service.overdue_reads(db, clock, review_service.overdue(db, p, clock))
