"""Factories for parties, users and tokens."""

from __future__ import annotations

import itertools
import random
import string

from sqlalchemy.orm import Session

from logispace.core.config import get_settings
from logispace.core.identifiers import uscc_with_check_character
from logispace.domains.identity import SYSTEM, PartyType, Role, auth_service, service
from logispace.domains.identity.models import Party, User
from logispace.domains.identity.schemas import PartyCreate, TokenCreate, UserCreate

PASSWORD = "correct-horse-battery"
_counter = itertools.count(1)
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def new_uscc() -> str:
    """A fresh, valid unified social credit code."""
    body = "91" + "450700" + "".join(random.choices(_USCC_CHARS, k=9))
    return uscc_with_check_character(body)


def make_party(
    db: Session, *, name: str | None = None, party_type: PartyType = PartyType.ENTERPRISE, **fields: object
) -> Party:
    n = next(_counter)
    data = PartyCreate.model_validate(
        {"name": name or f"测试主体 {n}", "party_type": party_type, "uscc": new_uscc(), **fields}
    )
    return service.create_party(db, SYSTEM, data)


def make_user(
    db: Session, party: Party, *roles: Role, username: str | None = None, password: str = PASSWORD
) -> User:
    n = next(_counter)
    data = UserCreate(
        party_id=party.id,
        username=username or f"user{n}",
        display_name=f"用户 {n}",
        password=password,
        roles=list(roles),
    )
    return service.create_user(db, SYSTEM, data)


def make_token(db: Session, user: User, *, days: int | None = None) -> str:
    created = auth_service.create_token(
        db, user.id, TokenCreate(name="test", expires_in_days=days), get_settings()
    )
    return created.token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def random_name(k: int = 8) -> str:
    return "".join(random.choices(string.ascii_lowercase, k=k))
