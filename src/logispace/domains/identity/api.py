"""Identity API (``/api/v1``): health, the caller, parties, users, real-name checks and tokens."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import Query, Response
from pydantic import BaseModel
from sqlalchemy import text

from logispace import __version__
from logispace.core.db import backend_name
from logispace.core.pagination import Page, PageParams
from logispace.domains.identity import auth_service, service
from logispace.domains.identity.dependencies import CurrentPrincipal
from logispace.domains.identity.enums import PartyType, VerificationStatus
from logispace.domains.identity.schemas import (
    NO_NUL,
    MeRead,
    PartyCreate,
    PartyRead,
    PartySummary,
    PartyUpdate,
    PasswordChange,
    TokenCreate,
    TokenCreated,
    TokenRead,
    UserCreate,
    UserRead,
    UserUpdate,
    VerificationDecision,
    VerificationRead,
)
from logispace.web.dependencies import AppSettings, DbSession
from logispace.web.routing import api_router

router = api_router("/api/v1", tags=["identity"])

Paging = Annotated[PageParams, Query()]
SearchText = Annotated[
    str | None, Query(max_length=100, pattern=NO_NUL, description="part of a name or code")
]


class DatabaseHealth(BaseModel):
    backend: Literal["sqlite", "postgresql"] | str
    ok: bool


class Health(BaseModel):
    status: Literal["ok", "degraded"]
    version: str
    database: DatabaseHealth


@router.get("/health", tags=["platform"], summary="Liveness and database backend (public)")
def health(db: DbSession, settings: AppSettings, response: Response) -> Health:
    try:
        db.execute(text("SELECT 1"))
        ok = True
    except Exception:
        ok = False
        response.status_code = 503
    return Health(
        status="ok" if ok else "degraded",
        version=__version__,
        database=DatabaseHealth(backend=backend_name(settings.resolved_database_url), ok=ok),
    )


@router.get("/me", summary="The caller, their party and roles")
def me(db: DbSession, p: CurrentPrincipal) -> MeRead:
    user = service.get_user(db, p, p.acting_user_id)
    party = service.get_party(db, p, user.party_id)
    return MeRead(
        user=service.user_read(user),
        party=PartySummary(
            id=party.id,
            name=party.name,
            party_type=party.party_type,
            verification_status=party.verification_status,
        ),
        authenticated_by="token" if p.via == "token" else "session",
    )


@router.post("/me/password", status_code=204, summary="Change one's own password")
def change_password(db: DbSession, p: CurrentPrincipal, body: PasswordChange) -> Response:
    service.change_password(db, p, body)
    return Response(status_code=204)


# -- parties ----------------------------------------------------------------------------------


@router.get("/parties", summary="Parties visible to the caller (主体列表)")
def list_parties(
    db: DbSession,
    p: CurrentPrincipal,
    paging: Paging,
    q: SearchText = None,
    party_type: PartyType | None = None,
    verification_status: VerificationStatus | None = None,
) -> Page[PartyRead]:
    items, total = service.list_parties(
        db, p, paging, q=q, party_type=party_type, verification_status=verification_status
    )
    return Page(items=service.party_reads(db, items), total=total, limit=paging.limit, offset=paging.offset)


@router.post("/parties", status_code=201, summary="Create a party (authority administrator)")
def create_party(db: DbSession, p: CurrentPrincipal, body: PartyCreate) -> PartyRead:
    party = service.create_party(db, p, body)
    return service.party_reads(db, [party])[0]


@router.get("/parties/{party_id}", summary="One party")
def get_party(db: DbSession, p: CurrentPrincipal, party_id: uuid.UUID) -> PartyRead:
    return service.party_reads(db, [service.get_party(db, p, party_id)])[0]


@router.patch("/parties/{party_id}", summary="Edit a party's descriptive fields")
def update_party(db: DbSession, p: CurrentPrincipal, party_id: uuid.UUID, body: PartyUpdate) -> PartyRead:
    return service.party_reads(db, [service.update_party(db, p, party_id, body)])[0]


@router.post(
    "/parties/{party_id}/real-name-verifications",
    status_code=201,
    summary="Record a real-name verification decision (实名认证)",
)
def decide_verification(
    db: DbSession, p: CurrentPrincipal, party_id: uuid.UUID, body: VerificationDecision
) -> VerificationRead:
    service.decide_verification(db, p, party_id, body)
    return service.verification_history(db, p, party_id)[0]


@router.get("/parties/{party_id}/real-name-verifications", summary="Real-name verification history")
def verification_history(db: DbSession, p: CurrentPrincipal, party_id: uuid.UUID) -> list[VerificationRead]:
    return service.verification_history(db, p, party_id)


# -- users ------------------------------------------------------------------------------------


@router.get("/users", summary="Users visible to the caller")
def list_users(
    db: DbSession,
    p: CurrentPrincipal,
    paging: Paging,
    party_id: uuid.UUID | None = None,
    q: SearchText = None,
) -> Page[UserRead]:
    items, total = service.list_users(db, p, paging, party_id=party_id, q=q)
    return Page(
        items=[service.user_read(u) for u in items], total=total, limit=paging.limit, offset=paging.offset
    )


@router.post("/users", status_code=201, summary="Create a user")
def create_user(db: DbSession, p: CurrentPrincipal, body: UserCreate) -> UserRead:
    return service.user_read(service.create_user(db, p, body))


@router.get("/users/{user_id}", summary="One user")
def get_user(db: DbSession, p: CurrentPrincipal, user_id: uuid.UUID) -> UserRead:
    return service.user_read(service.get_user(db, p, user_id))


@router.patch("/users/{user_id}", summary="Edit a user (roles, active, names)")
def update_user(db: DbSession, p: CurrentPrincipal, user_id: uuid.UUID, body: UserUpdate) -> UserRead:
    return service.user_read(service.update_user(db, p, user_id, body))


# -- personal API tokens ----------------------------------------------------------------------


@router.get("/tokens", summary="The caller's personal API tokens, with last use")
def list_tokens(db: DbSession, p: CurrentPrincipal) -> list[TokenRead]:
    return [auth_service.token_read(t) for t in auth_service.list_tokens(db, p)]


@router.post("/tokens", status_code=201, summary="Create a personal API token (shown once)")
def create_token(
    db: DbSession, p: CurrentPrincipal, settings: AppSettings, body: TokenCreate
) -> TokenCreated:
    return auth_service.create_token(db, p.acting_user_id, body, settings)


@router.delete("/tokens/{token_id}", status_code=204, summary="Revoke a token; it stops working at once")
def revoke_token(db: DbSession, p: CurrentPrincipal, token_id: uuid.UUID) -> Response:
    auth_service.revoke_token(db, p, token_id)
    return Response(status_code=204)
