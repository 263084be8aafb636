"""Party key API (``/api/v1/parties/.../keys``): public keys for anyone, rotation for the party admin."""

from __future__ import annotations

import base64
import uuid
from datetime import datetime

from pydantic import BaseModel, Field

from logispace.domains.identity.dependencies import CurrentPrincipal
from logispace.domains.identity.keys import service as keys
from logispace.web.dependencies import AppSettings, DbSession
from logispace.web.routing import api_router

router = api_router("/api/v1", tags=["identity"])


class PartyKeyRead(BaseModel):
    """A party's signing key (主体签名密钥), public half only."""

    party_id: uuid.UUID
    key_id: str = Field(description="hex SHA-256 of the raw public key")
    algorithm: str
    public_key: str = Field(description="base64 raw public key")
    created_at: datetime
    retired_at: datetime | None


def _read(key: keys.PartyPublicKey) -> PartyKeyRead:
    return PartyKeyRead(
        party_id=key.party_id,
        key_id=key.key_id,
        algorithm=key.algorithm,
        public_key=base64.b64encode(key.public_key).decode(),
        created_at=key.created_at,
        retired_at=key.retired_at,
    )


@router.get("/parties/{party_id}/keys", summary="A party's public signing keys, rotated ones too (public)")
def party_keys(db: DbSession, party_id: uuid.UUID) -> list[PartyKeyRead]:
    return [_read(k) for k in keys.party_public_keys(db, party_id)]


@router.post(
    "/parties/me/keys/rotate", status_code=201, summary="Rotate the caller's party signing key (party admin)"
)
def rotate_key(db: DbSession, p: CurrentPrincipal, settings: AppSettings) -> PartyKeyRead:
    return _read(keys.rotate_party_key(db, p, settings))
