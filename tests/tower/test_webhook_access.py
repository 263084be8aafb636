"""Who may manage a party's webhooks (``identity.policies.own_party`` / ``party_writer``): refusals come
before any database work, so these run on no session at all."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, cast

import pytest
from sqlalchemy.orm import Session

from logispace.core.config import Settings
from logispace.core.errors import PermissionDenied
from logispace.domains.identity import PartyType, Principal, Role
from logispace.domains.tower.webhooks import service
from logispace.domains.tower.webhooks.schemas import WebhookCreate

NO_DB = cast(Session, None)
PARTY = uuid.uuid4()


def caller(roles: set[Role], party: uuid.UUID | None = PARTY) -> Principal:
    return Principal(
        uuid.uuid4(), "u", party, PartyType.ENTERPRISE if party else None, frozenset(roles), "session"
    )


CREATE: Callable[[Principal], Any] = lambda p: service.create(  # noqa: E731
    NO_DB, p, cast(Settings, None), WebhookCreate(url="http://93.184.216.34/x")
)
LIST: Callable[[Principal], Any] = lambda p: service.listed(NO_DB, p)  # noqa: E731


@pytest.mark.parametrize(
    ("action", "who"),
    [
        (CREATE, caller({Role.ANALYST})),
        (CREATE, caller(set())),
        (CREATE, caller({Role.PARTY_ADMIN}, party=None)),
        (LIST, caller({Role.DATA_STEWARD}, party=None)),
        (LIST, caller(set(), party=None)),
    ],
)
def test_only_a_party_writer_creates_and_only_a_party_reads(
    action: Callable[[Principal], Any], who: Principal
) -> None:
    with pytest.raises(PermissionDenied) as refused:
        action(who)
    assert refused.value.status == 403
