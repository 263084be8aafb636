"""Dispatch form pages (货源发布与运力登记): post a load, make one from a waybill draft, register a
vehicle. Each form goes through the API's body and the same service; a refused form is shown again,
filled as sent, with its reasons in Chinese and the status the API would answer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from logispace.core.errors import DomainError, NotFound
from logispace.domains.dispatch import drafts, service
from logispace.domains.dispatch.enums import VehicleType
from logispace.domains.dispatch.forms import as_date, beijing_time, blank_is_absent, messages_of, status_of
from logispace.domains.dispatch.i18n import QUALIFICATIONS
from logispace.domains.dispatch.schemas import LoadCreate, LoadFromWaybill, VehicleCreate
from logispace.domains.identity import PageUser, Principal
from logispace.web.dependencies import DbSession
from logispace.web.routing import page_router
from logispace.web.templates import language_of, render

router = page_router()

Text = Annotated[str | None, Form(max_length=200)]
TIMES = ("earliest_pickup", "latest_pickup", "available_from")


def _form_page(
    request: Request,
    template: str,
    form: dict[str, Any] | None = None,
    errors: list[str] | None = None,
    status_code: int = 200,
    which: str | None = None,
) -> HTMLResponse:
    context = {
        "form": form or {},
        "errors": errors or [],
        "which": which,
        "vehicle_types": [t.value for t in VehicleType],
        "qualification_codes": list(QUALIFICATIONS),
    }
    return render(request, template, context, status_code=status_code)


def _submit(
    request: Request,
    db: Session,
    template: str,
    form: dict[str, Any],
    act: Callable[[Principal, dict[str, Any]], object],
    user: PageUser,
    target: str,
    which: str | None = None,
) -> Response:
    """Run ``act`` on the filled fields; on a refusal roll back and show the form again."""
    body = blank_is_absent(form)
    for name in TIMES:
        if name in body:
            body[name] = beijing_time(str(body[name]))
    if "certificate_valid_until" in body:
        body["certificate_valid_until"] = as_date(str(body["certificate_valid_until"]))
    try:
        act(user.principal, body)
    except (ValidationError, DomainError) as exc:
        db.rollback()
        if isinstance(exc, NotFound) and exc.code != "waybill-not-found":
            raise
        errors = messages_of(exc, language_of(request))
        return _form_page(request, template, form, errors, status_of(exc), which)
    return RedirectResponse(target, status_code=303)


def _submit_load(
    request: Request,
    db: Session,
    user: PageUser,
    form: dict[str, Any],
    posted: str | None,
    make: Callable[[Principal, dict[str, Any]], object],
    which: str,
) -> Response:
    """Either load form (typed in, or drafted from a waybill): the form's ``load_reference`` is the
    load's reference and the 发布 box its ``posted``; ``make`` builds the load from the body."""

    def act(p: Principal, body: dict[str, Any]) -> object:
        body["reference"] = body.pop("load_reference", None)
        body["posted"] = posted is not None
        return make(p, body)

    shown = {**form, "posted": posted is not None}
    return _submit(request, db, "dispatch/load_form.html", shown, act, user, "/dispatch#loads", which)


@router.get("/dispatch/loads/new")
def new_load_page(request: Request, user: PageUser) -> HTMLResponse:
    """发布货源."""
    service.writer(user.principal)
    return _form_page(request, "dispatch/load_form.html")


@router.post("/dispatch/loads")
def post_load_page(
    request: Request,
    db: DbSession,
    user: PageUser,
    load_reference: Text = None,
    posted: Text = None,
    pickup_lon: Text = None,
    pickup_lat: Text = None,
    drop_lon: Text = None,
    drop_lat: Text = None,
    pickup_place: Text = None,
    drop_place: Text = None,
    weight_t: Text = None,
    volume_m3: Text = None,
    vehicle_type: Text = None,
    earliest_pickup: Text = None,
    latest_pickup: Text = None,
    required_qualification: Text = None,
) -> Response:
    form = {
        "load_reference": load_reference,
        "pickup_lon": pickup_lon,
        "pickup_lat": pickup_lat,
        "drop_lon": drop_lon,
        "drop_lat": drop_lat,
        "pickup_place": pickup_place,
        "drop_place": drop_place,
        "weight_t": weight_t,
        "volume_m3": volume_m3,
        "vehicle_type": vehicle_type,
        "earliest_pickup": earliest_pickup,
        "latest_pickup": latest_pickup,
        "required_qualification": required_qualification,
    }

    def make(p: Principal, body: dict[str, Any]) -> object:
        return service.add_load(db, p, LoadCreate.model_validate(body))

    return _submit_load(request, db, user, form, posted, make, "post")


@router.post("/dispatch/loads/from-waybill")
def waybill_load_page(
    request: Request,
    db: DbSession,
    user: PageUser,
    waybill_no: Text = None,
    load_reference: Text = None,
    posted: Text = None,
    earliest_pickup: Text = None,
    latest_pickup: Text = None,
) -> Response:
    form = {
        "waybill_no": (waybill_no or "").strip().upper(),
        "load_reference": load_reference,
        "earliest_pickup": earliest_pickup,
        "latest_pickup": latest_pickup,
    }

    def make(p: Principal, body: dict[str, Any]) -> object:
        return drafts.load_from_waybill(db, p, LoadFromWaybill.model_validate(body))

    return _submit_load(request, db, user, form, posted, make, "waybill")


@router.get("/dispatch/vehicles/new")
def new_vehicle_page(request: Request, user: PageUser) -> HTMLResponse:
    """登记运力."""
    service.writer(user.principal)
    return _form_page(request, "dispatch/vehicle_form.html")


@router.post("/dispatch/vehicles")
def register_vehicle_page(
    request: Request,
    db: DbSession,
    user: PageUser,
    plate: Text = None,
    vehicle_type: Text = None,
    capacity_t: Text = None,
    capacity_m3: Text = None,
    qualifications: Annotated[list[str] | None, Form()] = None,
    certificate_valid_until: Text = None,
    driver_qualified: Text = None,
    lon: Text = None,
    lat: Text = None,
    available_from: Text = None,
) -> Response:
    form = {
        "plate": (plate or "").strip().upper(),
        "vehicle_type": vehicle_type,
        "capacity_t": capacity_t,
        "capacity_m3": capacity_m3,
        "certificate_valid_until": certificate_valid_until,
        "lon": lon,
        "lat": lat,
        "available_from": available_from,
    }

    def act(p: Principal, body: dict[str, Any]) -> object:
        body["qualifications"] = [q for q in qualifications or [] if q]
        body["driver_qualified"] = driver_qualified is not None
        return service.add_vehicle(db, p, VehicleCreate.model_validate(body))

    shown = {**form, "qualifications": qualifications or [], "driver_qualified": driver_qualified is not None}
    return _submit(request, db, "dispatch/vehicle_form.html", shown, act, user, "/dispatch#vehicles")
