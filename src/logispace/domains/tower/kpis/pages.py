"""Control-tower pages (控制塔页面): the corridor dashboard (KPI tiles with trends, transit-time
distribution, the map of nodes and flows, the place of the alert feed), a shipment's ETA with its
history, and the authority's view across parties with the cost and carbon breakdown.

Login required; each page shows what the KPI and ETA API show the caller.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import StringConstraints, ValidationError

from logispace.core.divisions import place_name
from logispace.core.errors import PermissionDenied
from logispace.domains.identity import PageUser
from logispace.domains.tower.alerts.pages import feed_context
from logispace.domains.tower.demand.view import forecast_context
from logispace.domains.tower.eta import service as eta_service
from logispace.domains.tower.kpis import dashboard, service
from logispace.domains.tower.kpis.definitions import EMISSION_FACTORS
from logispace.domains.tower.kpis.errors import CorridorNotFound
from logispace.domains.tower.kpis.i18n import TOWER_LABELS
from logispace.domains.tower.kpis.nodes import NODES
from logispace.domains.tower.kpis.schemas import Dimension, KpiName, KpiQuery
from logispace.web.dependencies import AppSettings, DbSession
from logispace.web.routing import page_router
from logispace.web.templates import render

router = page_router()

Text = Annotated[str | None, StringConstraints(strip_whitespace=True, max_length=40), Query()]
BREAKDOWN = (KpiName.COST_PER_TONNE_KM, KpiName.CARBON, KpiName.LOAD_FACTOR, KpiName.OTIF)


def _filters(
    corridor: str | None, mode: str | None, period_from: str | None, period_to: str | None
) -> tuple[KpiQuery, list[str]]:
    """The page's filters as a KPI query, and the Chinese names of the fields that were not valid."""
    raw = {
        "corridor": corridor or None,
        "mode": mode or None,
        "period_from": period_from or None,
        "period_to": period_to or None,
    }
    try:
        return KpiQuery.model_validate({k: v for k, v in raw.items() if v}), []
    except ValidationError as error:
        fields = {str(e["loc"][0]) if e["loc"] else "period_to" for e in error.errors()}
        return KpiQuery(), sorted(TOWER_LABELS["field"].get(f, f) for f in fields)


def _context(**extra: Any) -> dict[str, Any]:
    return {"T": TOWER_LABELS, "place": place_name, **extra}


@router.get("/tower")
def dashboard_page(
    request: Request,
    db: DbSession,
    user: PageUser,
    corridor: Text = None,
    mode: Text = None,
    period_from: Text = None,
    period_to: Text = None,
    waybill: Text = None,
) -> Response:
    """The corridor dashboard (通道看板)."""
    if waybill:
        return RedirectResponse(f"/tower/eta/{quote(waybill.upper(), safe='')}", status_code=303)
    q, invalid = _filters(corridor, mode, period_from, period_to)
    party = service.scope(db, user.principal, None)
    status = 200
    try:
        report, tiles = dashboard.tiles(db, user.principal, q)
    except CorridorNotFound:
        invalid, status = [TOWER_LABELS["field"]["corridor"]], 404
        q = KpiQuery()
        report, tiles = dashboard.tiles(db, user.principal, q)
    names = {code: place_name(code) for code in NODES}
    context = _context(
        q=q,
        invalid=invalid,
        report=report,
        tiles=tiles,
        corridors=service.corridors(db, party),
        distribution_json=dashboard.chart_json(dashboard.distribution(db, party, q), names),
        network_json=dashboard.chart_json(dashboard.network(db, party, q), names),
        trend_json=dashboard.chart_json(
            {"tiles": [{"name": t.name, "trend": t.trend} for t in tiles]}, names
        ),
        **feed_context(db, user.principal, None),
        **forecast_context(db, user.principal, q.corridor),
    )
    return render(request, "tower/dashboard.html", context, status_code=status)


@router.get("/tower/eta/{number}")
def eta_page(request: Request, db: DbSession, user: PageUser, number: str) -> HTMLResponse:
    """A shipment's ETA (预计到达), its legs and the history of its predictions."""
    read = eta_service.eta(db, user.principal, number)
    return render(request, "tower/eta.html", _context(eta=read))


def _source(mode: str, factor: float) -> str:
    """The Chinese source of a factor: the GLEC default's, or the operator's setting."""
    default = EMISSION_FACTORS.get(mode)
    if default is not None and default.kg_co2e_per_tkm == factor:
        return str(TOWER_LABELS["factor_source"][mode])
    return "运营方配置"


@router.get("/tower/authority")
def authority_page(
    request: Request,
    db: DbSession,
    user: PageUser,
    settings: AppSettings,
    corridor: Text = None,
    mode: Text = None,
    period_from: Text = None,
    period_to: Text = None,
) -> HTMLResponse:
    """The authority's view across parties (跨主体成本与碳排放): cost and carbon by party, corridor, mode."""
    if not user.principal.is_authority:
        raise PermissionDenied("the view across parties is the authority's")
    q, invalid = _filters(corridor, mode, period_from, period_to)
    q = q.model_copy(update={"kpi": list(BREAKDOWN)})
    by_corridor = service.report(db, user.principal, q.model_copy(update={"group_by": [Dimension.CORRIDOR]}))
    by_mode = service.report(db, user.principal, q.model_copy(update={"group_by": [Dimension.MODE]}))
    factors = service.emission_factors(settings)
    context = _context(
        q=q,
        invalid=invalid,
        parties=dashboard.by_party(db, user.principal, q, BREAKDOWN),
        by_corridor=by_corridor,
        by_mode=by_mode,
        corridors=service.corridors(db, None),
        factors=[(mode, factors[mode], _source(mode, factors[mode])) for mode in sorted(factors)],
    )
    return render(request, "tower/authority.html", context)
