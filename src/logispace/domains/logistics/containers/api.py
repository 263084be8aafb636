"""Container API (一箱制): ``POST /api/v1/containers`` (register master data) and
``GET /api/v1/containers/{number}`` (the container, the waybill holding it now and its history).

Every route needs a login. A party sees the containers it registered (its own record of the box) or
that travelled on its waybills; anything else is 404. Registering a box another party registered is
answered as a first registration (the caller's own record): no answer tells that the other exists.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

from logispace.domains.identity import CurrentPrincipal
from logispace.domains.logistics.containers import service
from logispace.domains.logistics.containers.schemas import ContainerCreate, ContainerRead
from logispace.web.dependencies import DbSession
from logispace.web.routing import api_router

# Tagged with the waybills, as before the containers had a package of their own.
router = api_router("/api/v1", tags=["waybills"])

ContainerNo = Annotated[
    str,
    Path(
        pattern=r"^[A-Za-z]{3}[UJZujz] ?[0-9]{6} ?[0-9]$",
        description="集装箱箱号 ISO 6346 number",
        json_schema_extra={"format": "iso6346"},
    ),
]


@router.post(
    "/containers", status_code=201, summary="Register the caller's party's container master data (集装箱登记)"
)
def register_container(db: DbSession, p: CurrentPrincipal, body: ContainerCreate) -> ContainerRead:
    container = service.register(db, p, body)
    return service.container_view(db, p, container.number)


@router.get("/containers/{number}", summary="A container with its current waybill and history (一箱制)")
def get_container(db: DbSession, p: CurrentPrincipal, number: ContainerNo) -> ContainerRead:
    return service.container_view(db, p, number)
