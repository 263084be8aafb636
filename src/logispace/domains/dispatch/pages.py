"""The dispatcher's board (调度看板): open loads, available vehicles, proposed matches to accept or
reject with the empty-running report, and route plans drawn with ECharts. Login required; the board
shows what the API shows the caller's party."""

from __future__ import annotations

import json
import uuid
from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from logispace.core.divisions import place_name
from logispace.domains.dispatch import planning, service
from logispace.domains.dispatch.enums import LoadStatus, MatchMode
from logispace.domains.dispatch.schemas import MatchRunCreate, RoutePlanCreate
from logispace.domains.identity import PageUser
from logispace.web.dependencies import AppSettings, DbSession
from logispace.web.routing import page_router
from logispace.web.templates import render

router = page_router()


@router.get("/dispatch")
def board(request: Request, db: DbSession, user: PageUser) -> HTMLResponse:
    """调度看板."""
    p = user.principal
    party = service.party_of(p)
    runs = service.runs(db, p)
    latest = service.run_read(db, runs[0]) if runs else None
    plans = planning.plans(db, p)
    plan = planning.plan_read(plans[0]) if plans else None
    context = {
        "loads": service.loads(db, p, LoadStatus.OPEN),
        "vehicles": service.vehicles(db, p),
        "eligible": service.eligible,
        "run": latest,
        "plan": plan,
        "plan_json": json.dumps({"routes": plan.routes}, ensure_ascii=False) if plan else "",
        "carried": [x for x in service.loads(db, p, LoadStatus.MATCHED) if x.carrier_party_id == party],
        "modes": [m.value for m in MatchMode],
        "place": lambda code: place_name(code) if code else None,
    }
    return render(request, "dispatch/board.html", context)


@router.post("/dispatch/match-runs")
def run_page(
    db: DbSession,
    settings: AppSettings,
    user: PageUser,
    match_mode: Annotated[MatchMode, Form()] = MatchMode.CHAIN,
) -> Response:
    service.create_run(db, user.principal, settings, MatchRunCreate(mode=match_mode))
    return RedirectResponse("/dispatch#run", status_code=303)


@router.post("/dispatch/match-runs/{run_id}/proposals/{proposal_id}/{decision}")
def decide_page(
    db: DbSession,
    settings: AppSettings,
    user: PageUser,
    run_id: uuid.UUID,
    proposal_id: uuid.UUID,
    decision: str,
) -> Response:
    if decision not in ("accept", "reject"):
        return Response(status_code=404)
    service.decide(db, user.principal, settings, run_id, proposal_id, accept=decision == "accept")
    return RedirectResponse("/dispatch#run", status_code=303)


@router.post("/dispatch/route-plans")
def plan_page(db: DbSession, settings: AppSettings, user: PageUser) -> Response:
    p = user.principal
    party = service.party_of(p)
    carried = [x.id for x in service.loads(db, p, LoadStatus.MATCHED) if x.carrier_party_id == party]
    if carried:
        planning.create_plan(db, p, settings, RoutePlanCreate(load_ids=carried[:200], seconds=1))
    return RedirectResponse("/dispatch#plan", status_code=303)
