"""Party signing keys (主体签名密钥): one active key pair per party, rotation keeps the old ones.

A party signs what it notarizes with its active key, made on first use. The private half is kept
only sealed (AES-256-GCM under :func:`logispace.core.keystore.master_key`, bound to the key id);
public keys are public, so anyone can check a signature, also one made before a rotation.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from logispace.core.clock import utcnow
from logispace.core.config import Settings
from logispace.core.db import transaction_cache
from logispace.core.errors import NotFound, PermissionDenied
from logispace.core.keystore import master_key
from logispace.core.signing import SigningKey, seal, unseal
from logispace.domains.identity.enums import Role
from logispace.domains.identity.models import Party, PartyKey
from logispace.domains.identity.policies import Principal


@dataclass(frozen=True)
class PartyPublicKey:
    """Public half of a party signing key (主体公钥), current or retired."""

    party_id: uuid.UUID
    key_id: str
    algorithm: str
    public_key: bytes
    created_at: datetime
    retired_at: datetime | None


def can_rotate_keys(p: Principal, party_id: uuid.UUID) -> bool:
    """Only an administrator of the party itself rotates its signing key."""
    return p.party_id == party_id and Role.PARTY_ADMIN in p.roles


def _public(row: PartyKey) -> PartyPublicKey:
    return PartyPublicKey(
        party_id=row.party_id,
        key_id=row.key_id,
        algorithm=row.algorithm,
        public_key=bytes(row.public_key),
        created_at=row.created_at,
        retired_at=row.retired_at,
    )


def _active_row(session: Session, party_id: uuid.UUID) -> PartyKey | None:
    return session.scalar(
        select(PartyKey)
        .where(PartyKey.party_id == party_id, PartyKey.retired_at.is_(None))
        .order_by(PartyKey.created_at.desc())
        .limit(1)
    )


def _lock_party(session: Session, party_id: uuid.UUID) -> Party:
    """The party row, locked until the transaction ends (PostgreSQL), so two first uses or two
    rotations of one party do not both make a key."""
    party = session.get(Party, party_id, with_for_update=True)
    if party is None:
        raise NotFound(f"party {party_id} not found")
    return party


def _new_key(session: Session, party_id: uuid.UUID, settings: Settings) -> tuple[SigningKey, PartyKey]:
    key = SigningKey.generate(settings.ledger_signature_algorithm)
    row = PartyKey(
        party_id=party_id,
        key_id=key.key_id,
        algorithm=key.algorithm,
        public_key=key.public_key,
        sealed_private_key=seal(master_key(settings), key.private_key, key.key_id.encode()),
        created_at=utcnow(),
    )
    session.add(row)
    session.flush()
    return key, row


_OPENED = "identity.opened_party_keys"


def _opened(session: Session) -> dict[uuid.UUID, SigningKey]:
    """The party keys opened in this transaction: signing many documents for one party (the demo
    loader, a batch) reads and unseals its key once; rotating a key drops it here."""
    return transaction_cache(session, _OPENED)


def active_party_key(session: Session, party_id: uuid.UUID, settings: Settings) -> SigningKey:
    """The party's current signing key, made on first use; the private half opened with the master key."""
    opened = _opened(session)
    if party_id in opened:
        return opened[party_id]
    row = _active_row(session, party_id)
    if row is None:
        _lock_party(session, party_id)
        row = _active_row(session, party_id)
        if row is None:
            key = _new_key(session, party_id, settings)[0]
            opened[party_id] = key
            return key
    private = unseal(master_key(settings), bytes(row.sealed_private_key), row.key_id.encode())
    opened[party_id] = SigningKey(row.algorithm, private)
    return opened[party_id]


def rotate_party_key(session: Session, p: Principal, settings: Settings) -> PartyPublicKey:
    """Retire the caller's party's current key (kept, so old signatures verify) and make a new one."""
    if p.party_id is None or not can_rotate_keys(p, p.party_id):
        raise PermissionDenied("only an administrator of the party may rotate its signing key")
    _lock_party(session, p.party_id)
    _opened(session).pop(p.party_id, None)
    now = utcnow()
    for row in session.scalars(
        select(PartyKey).where(PartyKey.party_id == p.party_id, PartyKey.retired_at.is_(None))
    ):
        row.retired_at = now
    return _public(_new_key(session, p.party_id, settings)[1])


def party_public_keys(session: Session, party_id: uuid.UUID) -> list[PartyPublicKey]:
    """Every public key of a party, oldest first; :class:`NotFound` for a party that does not exist."""
    if session.get(Party, party_id) is None:
        raise NotFound(f"party {party_id} not found")
    rows = session.scalars(
        select(PartyKey).where(PartyKey.party_id == party_id).order_by(PartyKey.created_at, PartyKey.key_id)
    )
    return [_public(row) for row in rows]


def public_key(session: Session, key_id: str) -> PartyPublicKey | None:
    """The public key with this id, of whichever party, current or retired."""
    row = session.scalar(select(PartyKey).where(PartyKey.key_id == key_id))
    return _public(row) if row is not None else None


def party_name(session: Session, party_id: uuid.UUID) -> str | None:
    """The name of a party: public, like its keys (a signer is named on what it signed)."""
    return session.scalar(select(Party.name).where(Party.id == party_id))
