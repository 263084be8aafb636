"""Access pages (数据使用): the data user's request form and its status, the holders' and the authority's
review queue, a grant's page (its policy in words, its meter and ε left, suspend / resume / revoke) and
the sandbox (query editor, result table, refusal reasons in Chinese).

Each page step calls the same services as the API (:mod:`.api`), through the same refusal audit
(:mod:`.audit`); a refused step is shown on its page in Chinese, never with its raw code.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Annotated, Any, Literal

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from logispace.core.citations import cite
from logispace.core.errors import DomainError, NotFound
from logispace.domains.access import reads, service, usage
from logispace.domains.access.audit import audited, audited_sql
from logispace.domains.access.enums import GrantState, OutputMode, RequestState
from logispace.domains.access.i18n import ACCESS_LABELS
from logispace.domains.access.odrl import parse_policy
from logispace.domains.access.policies import GRANT_STEPS, SCENARIOS
from logispace.domains.access.schemas import DecisionCreate, GrantStep, RequestCreate, SqlCreate
from logispace.domains.access.usage import Delivered
from logispace.domains.catalog import get_resource
from logispace.domains.identity import SYSTEM, PageUser, SessionPrincipal
from logispace.web.dependencies import AppSettings, DbSession
from logispace.web.routing import page_router
from logispace.web.templates import beijing_time, render

router = page_router()

BEIJING = timezone(timedelta(hours=8))
Text = Annotated[str | None, Form(max_length=4000)]
SqlText = Annotated[str, Form(max_length=20_000)]


def reasons_of(exc: ValidationError | DomainError) -> list[str]:
    """The Chinese reasons of a refusal: by its code (or the policy's constraint), never the raw text."""
    if isinstance(exc, ValidationError):
        return ["请在下方修改后重新提交。"]
    labels = ACCESS_LABELS["refusal"]
    key = str(exc.extensions.get("reason") or exc.code)
    reason = labels.get(key) or labels.get(exc.code) or "请求未被接受"
    cited = cite(str(exc.extensions.get("source") or ""))
    return [f"{reason}（依据{cited}）" if cited else reason]


def _status(exc: ValidationError | DomainError) -> int:
    return exc.status if isinstance(exc, DomainError) else 422


# -- the data user's requests and the review queue ----------------------------------------------------


@router.get("/access")
def overview(request: Request, db: DbSession, user: PageUser, done: str | None = None) -> HTMLResponse:
    """My requests, the requests awaiting my party's review, my grants."""
    p = user.principal
    mine = [r for r in service.list_requests(db, p) if r.requester_party_id == p.party_id]
    waiting = [
        r
        for r in service.list_requests(db, p, states=[RequestState.SUBMITTED, RequestState.IN_REVIEW])
        if service.pending_for(db, p, r)
    ]
    grants = service.list_grants(db, p)
    return render(
        request,
        "access/overview.html",
        {
            "mine": [reads.request_read(db, r) for r in mine],
            "waiting": [reads.request_read(db, r) for r in waiting],
            "grants": [reads.grant_read(db, g) for g in grants],
            "done": done,
        },
    )


def _form_view(
    request: Request, values: dict[str, Any], errors: list[str] | None = None, status_code: int = 200
) -> HTMLResponse:
    return render(
        request,
        "access/new.html",
        {"scenarios": list(SCENARIOS.values()), "values": values, "errors": errors or []},
        status_code=status_code,
    )


@router.get("/access/requests/new")
def new_request(request: Request, user: PageUser, resource: str | None = None) -> HTMLResponse:
    del user
    today = datetime.now(BEIJING).date()
    values = {
        "catalog_code": resource or "",
        "period_start": today.isoformat(),
        "period_end": (today + timedelta(days=180)).isoformat(),
        "min_group_size": 10,
    }
    return _form_view(request, values)


def _moment(day: str | None, end: bool) -> str:
    """A date picked on the page (Beijing) as an aware moment: its first second, or its last."""
    try:
        picked = date.fromisoformat(day or "")
    except ValueError:
        return ""
    moment = datetime.combine(picked, time(23, 59, 59) if end else time(0), BEIJING)
    return moment.astimezone(UTC).isoformat()


@router.post("/access/requests")
def create_request_page(
    request: Request,
    db: DbSession,
    settings: AppSettings,
    user: PageUser,
    scenario: Text = None,
    title: Text = None,
    purpose: Text = None,
    expected_value: Text = None,
    period_start: Text = None,
    period_end: Text = None,
    output_mode: Text = None,
    min_group_size: Text = None,
    epsilon: Text = None,
    catalog_code: Text = None,
    fields: Text = None,
    table_name: Text = None,
) -> Response:
    values = {k: v for k, v in locals().items() if k not in {"request", "db", "settings", "user"}}
    p = user.principal
    try:
        body = RequestCreate.model_validate(
            {
                "scenario": scenario or "",
                "title": title or "",
                "purpose": purpose or "",
                "expected_value": expected_value or "",
                "period_start": _moment(period_start, end=False),
                "period_end": _moment(period_end, end=True),
                "output_mode": output_mode or OutputMode.AGGREGATE.value,
                "min_group_size": min_group_size or 10,
                "epsilon": (epsilon or "").strip() or None,
                "resources": [
                    {
                        "catalog_code": (catalog_code or "").strip(),
                        "fields": [
                            f.strip() for f in (fields or "").replace("，", ",").split(",") if f.strip()
                        ],
                        "table_name": (table_name or "").strip() or None,
                    }
                ],
            }
        )
        with audited(db, p, settings, subject="access-request:new", action="create"):
            created = service.create_request(db, p, body, settings)
    except (ValidationError, DomainError) as exc:
        db.rollback()
        messages = reasons_of(exc)
        if isinstance(exc, DomainError) and exc.extensions.get("violations"):
            messages += [f"{v['field']}：{v['grade']}" for v in exc.extensions["violations"]]
        return _form_view(request, values, messages, _status(exc))
    return RedirectResponse(f"/access/requests/{created.id}?done=created", status_code=303)


def _request_view(
    request: Request,
    db: Session,
    user: SessionPrincipal,
    request_id: uuid.UUID,
    *,
    done: str | None = None,
    errors: list[str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    p = user.principal
    found = service.visible_request(db, p, request_id)
    read = reads.request_read(db, found)
    titles = {}
    for res in read.resources:
        declared = {
            str(f["name"]): str(f.get("title") or f["name"])
            for f in get_resource(db, SYSTEM, res.catalog_code).fields
        }
        titles[res.catalog_code] = [declared.get(name, name) for name in res.fields]
    return render(
        request,
        "access/request.html",
        {
            "r": read,
            "titles": titles,
            "scenario": SCENARIOS.get(read.scenario.code),
            "may_submit": found.state is RequestState.DRAFT and p.party_id == found.requester_party_id,
            "may_decide": service.pending_for(db, p, found),
            "done": done,
            "errors": errors or [],
        },
        status_code=status_code,
    )


@router.get("/access/requests/{request_id}")
def request_page(
    request: Request, db: DbSession, user: PageUser, request_id: uuid.UUID, done: str | None = None
) -> HTMLResponse:
    return _request_view(request, db, user, request_id, done=done)


@router.post("/access/requests/{request_id}/submit")
def submit_page(
    request: Request, db: DbSession, settings: AppSettings, user: PageUser, request_id: uuid.UUID
) -> Response:
    p = user.principal
    try:
        with audited(db, p, settings, subject=service.request_subject(request_id), action="submit"):
            service.submit_request(db, p, request_id, settings)
    except DomainError as exc:
        if isinstance(exc, NotFound):
            raise
        return _request_view(request, db, user, request_id, errors=reasons_of(exc), status_code=exc.status)
    return RedirectResponse(f"/access/requests/{request_id}?done=submitted", status_code=303)


@router.post("/access/requests/{request_id}/decide")
def decide_page(
    request: Request,
    db: DbSession,
    settings: AppSettings,
    user: PageUser,
    request_id: uuid.UUID,
    decision: Text = None,
    reasons: Text = None,
) -> Response:
    p = user.principal
    try:
        body = DecisionCreate.model_validate({"decision": decision or "", "reasons": reasons or ""})
        with audited(db, p, settings, subject=service.request_subject(request_id), action="decide"):
            service.decide_request(db, p, request_id, body, settings)
    except (ValidationError, DomainError) as exc:
        db.rollback()
        if isinstance(exc, NotFound):
            raise
        return _request_view(request, db, user, request_id, errors=reasons_of(exc), status_code=_status(exc))
    return RedirectResponse(f"/access/requests/{request_id}?done=decided", status_code=303)


# -- grants and the sandbox ---------------------------------------------------------------------------


def policy_words(db: Session, grant_read: Any) -> list[tuple[str, dict[str, Any]]]:
    """The grant's policy as Chinese sentences (each a ``_()`` key with its fields), no ODRL codes."""
    policy = parse_policy(grant_read.policy)
    scenario = SCENARIOS.get(policy.purpose)
    sentences: list[tuple[str, dict[str, Any]]] = [
        (
            "本授权仅限{party}用于“{scenario}”场景，不得用于或变相用于其他目的。",
            {"party": grant_read.assignee.name, "scenario": scenario.name_zh if scenario else ""},
        ),
        (
            "有效期自{start}至{end}（北京时间）。",
            {"start": beijing_time(policy.start), "end": beijing_time(policy.end)},
        ),
    ]
    for res in grant_read.resources:
        resource = get_resource(db, SYSTEM, res.catalog_code)
        titles = {str(f["name"]): str(f.get("title") or f["name"]) for f in resource.fields}
        sentences.append(
            (
                "可使用{resource}的以下字段：{fields}。",
                {"resource": res.name, "fields": "、".join(titles.get(c, c) for c in res.columns)},
            )
        )
    sentences.append(
        ("原始数据不出域：沙箱只输出统计结果，每组至少包含{k}条记录。", {"k": policy.min_group_size})
    )
    if policy.output is OutputMode.RECORD:
        sentences.append(("可通过接口查询脱敏后的明细。", {}))
    if policy.epsilon is not None:
        sentences.append(
            (
                "差分隐私预算共{total}，已使用{spent}。",
                {"total": f"{policy.epsilon:g}", "spent": f"{grant_read.epsilon_spent:.4g}"},
            )
        )
    if any(p.domestic_only for p in policy.permissions.values()):
        sentences.append(("重要数据仅限境内使用。", {}))
    sentences.append(("不得以任何形式向第三方提供、转售或传播数据。", {}))
    return sentences


def _grant_view(
    request: Request,
    db: Session,
    user: SessionPrincipal,
    grant_id: uuid.UUID,
    *,
    template: str = "access/grant.html",
    done: str | None = None,
    errors: list[str] | None = None,
    extra: dict[str, Any] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    p = user.principal
    grant, deliveries, refusals = usage.usage_of(db, p, grant_id)
    read = reads.grant_read(db, grant)
    holders = {r.holder.id for r in read.resources}
    steward = service.is_access_authority(p) or (p.party_id in holders and p.has(*service.HOLDER_ROLES))
    steps = [s for s, (allowed, _) in GRANT_STEPS.items() if read.state in allowed] if steward else []
    titles = {
        res.catalog_code: {
            str(f["name"]): str(f.get("title") or f["name"])
            for f in get_resource(db, SYSTEM, res.catalog_code).fields
        }
        for res in read.resources
    }
    return render(
        request,
        template,
        {
            "g": read,
            "titles": titles,
            "usage": reads.usage_read(grant, deliveries, refusals),
            "words": policy_words(db, read),
            "steps": steps,
            "is_assignee": p.party_id == grant.assignee_party_id and read.state is GrantState.ACTIVE,
            "done": done,
            "errors": errors or [],
            **(extra or {}),
        },
        status_code=status_code,
    )


@router.get("/access/grants/{grant_id}")
def grant_page(
    request: Request, db: DbSession, user: PageUser, grant_id: uuid.UUID, done: str | None = None
) -> HTMLResponse:
    return _grant_view(request, db, user, grant_id, done=done)


@router.post("/access/grants/{grant_id}/steps/{step}")
def grant_step_page(
    request: Request,
    db: DbSession,
    settings: AppSettings,
    user: PageUser,
    grant_id: uuid.UUID,
    step: Literal["suspend", "resume", "revoke"],
    reason: Text = None,
) -> Response:
    p = user.principal
    try:
        body = GrantStep.model_validate({"reason": reason or ""})
        with audited(
            db, p, settings, subject=service.grant_subject(grant_id), action=step, grant_id=grant_id
        ):
            service.step_grant(db, p, grant_id, step, body.reason, settings)
    except (ValidationError, DomainError) as exc:
        db.rollback()
        if isinstance(exc, NotFound):
            raise
        return _grant_view(request, db, user, grant_id, errors=reasons_of(exc), status_code=_status(exc))
    return RedirectResponse(f"/access/grants/{grant_id}?done={step}", status_code=303)


@router.get("/access/grants/{grant_id}/sandbox")
def sandbox_page(request: Request, db: DbSession, user: PageUser, grant_id: uuid.UUID) -> HTMLResponse:
    return _grant_view(
        request, db, user, grant_id, template="access/sandbox.html", extra={"sql": "", "result": None}
    )


@router.post("/access/grants/{grant_id}/sandbox")
def sandbox_run(
    request: Request,
    db: DbSession,
    settings: AppSettings,
    user: PageUser,
    grant_id: uuid.UUID,
    sql: SqlText = "",
) -> HTMLResponse:
    p = user.principal
    result: Delivered | None = None
    try:
        body = SqlCreate.model_validate({"sql": sql})
        result = audited_sql(db, p, grant_id, body, settings)
        db.commit()
    except (ValidationError, DomainError) as exc:
        db.rollback()
        if isinstance(exc, NotFound):
            raise
        extra = {"sql": sql, "result": None}
        return _grant_view(
            request,
            db,
            user,
            grant_id,
            template="access/sandbox.html",
            errors=reasons_of(exc),
            extra=extra,
            status_code=_status(exc),
        )
    return _grant_view(
        request, db, user, grant_id, template="access/sandbox.html", extra={"sql": sql, "result": result}
    )
