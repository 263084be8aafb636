"""Volume forecasts (运量预测): the hourly series of the shipments a party may see (the authority: all),
per corridor and commodity, and the forecast of one of them with its accuracy on its own history.

The window is the last :data:`WINDOW` before the caller's latest booking, so that a platform with years of
waybills still fits small series. Computed on request: a fit takes well under a millisecond.
Services never commit (nothing is written here).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from logispace.core.clock import utcnow
from logispace.domains.identity import Principal
from logispace.domains.tower.demand import repository
from logispace.domains.tower.demand.errors import CommodityNotFound
from logispace.domains.tower.demand.schemas import (
    AccuracyRead,
    ForecastQuery,
    ForecastReport,
    SeriesRead,
    VolumeMeasure,
    VolumePoint,
)
from logispace.domains.tower.demand.volumes import (
    HOUR,
    SEASON,
    TOO_SHORT,
    accuracy,
    floor_hour,
    hourly,
    model_for,
    predict,
)
from logispace.domains.tower.kpis import service as kpi_service
from logispace.domains.tower.kpis.errors import CorridorNotFound

WINDOW = timedelta(days=28)
Key = tuple[str, str | None]


def points(
    bookings: list[repository.Booking], measure: VolumeMeasure
) -> dict[Key, list[tuple[datetime, float]]]:
    """Each series' booked values: per corridor and commodity, and per corridor (commodity ``None``).
    A shipment counts once in each of its commodities; its tonnes are its lines' weights."""
    out: dict[Key, list[tuple[datetime, float]]] = defaultdict(list)
    for b in bookings:
        by_commodity: dict[str, float] = defaultdict(float)
        for name, tonnes in b.cargo:
            by_commodity[name] += tonnes
        if measure is VolumeMeasure.SHIPMENTS:
            out[(b.corridor, None)].append((b.at, 1.0))
            for name in by_commodity:
                out[(b.corridor, name)].append((b.at, 1.0))
        else:
            out[(b.corridor, None)].append((b.at, sum(by_commodity.values())))
            for name, tonnes in by_commodity.items():
                out[(b.corridor, name)].append((b.at, tonnes))
    return out


def _series(
    key: Key, booked: list[tuple[datetime, float]], end: datetime, horizon: int, fit: bool
) -> SeriesRead:
    start = floor_hour(min(at for at, _ in booked))
    y = hourly(booked, start, end)
    model = model_for(len(y))
    read = SeriesRead(
        corridor=key[0],
        commodity=key[1],
        points=len(y),
        total=round(sum(y), 6),
        first=start,
        last=floor_hour(end),
        model=None if model == TOO_SHORT else model,
        reason=TOO_SHORT if model == TOO_SHORT else None,
    )
    if not fit:
        return read
    read.history = [VolumePoint(ds=start + i * HOUR, y=round(v, 6)) for i, v in enumerate(y)]
    if model != TOO_SHORT:
        ahead = predict(y, horizon, model)
        read.forecast = [
            VolumePoint(ds=read.last + (i + 1) * HOUR, y=round(v, 6)) for i, v in enumerate(ahead)
        ]
        scored = accuracy(y, model)
        if scored is not None:
            read.accuracy = AccuracyRead(holdout=scored.holdout, smape=scored.smape, mase=scored.mase)
    return read


def report(session: Session, principal: Principal, q: ForecastQuery) -> ForecastReport:
    """Every series the caller may see (no corridor), or the forecast of one corridor's series (of one
    commodity, or all of them)."""
    party = kpi_service.scope(session, principal, None)
    latest = repository.latest(session, party)
    booked = points(repository.bookings(session, party, latest - WINDOW), q.measure) if latest else {}
    end = latest or utcnow()
    if q.corridor is None:
        chosen = [_series(k, v, end, q.horizon, fit=False) for k, v in sorted(booked.items(), key=_order)]
    else:
        if (q.corridor, None) not in booked:
            raise CorridorNotFound(f"no shipment on corridor {q.corridor} that you may see", field="corridor")
        key = (q.corridor, q.commodity)
        if key not in booked:
            raise CommodityNotFound(
                f"no shipment of {q.commodity!r} on corridor {q.corridor} that you may see", field="commodity"
            )
        chosen = [_series(key, booked[key], end, q.horizon, fit=True)]
    return ForecastReport(
        party=party,
        measure=q.measure,
        horizon=q.horizon,
        season_length=SEASON,
        generated_at=utcnow(),
        series=chosen,
    )


def _order(item: tuple[Key, object]) -> tuple[str, str]:
    corridor, commodity = item[0]
    return corridor, commodity or ""
