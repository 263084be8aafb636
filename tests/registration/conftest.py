"""Registration API fixtures: settings with a temporary object store and the rule profile, a movable
clock (the registration days are PRC days, so the tests travel across holidays)."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from logispace.core.clock import set_clock, utcnow
from logispace.core.config import RuleProfile, Settings
from logispace.domains.ledger import append as ledger_append
from logispace.domains.registration.accounts.service import make_account_code
from logispace.domains.registration.certificates.policies import SERIAL_ALPHABET
from logispace.domains.registration.enums import AccountState
from logispace.domains.registration.models import RegistrationAccount
from tests.conftest import World


@pytest.fixture(params=[RuleProfile.NATIONAL], ids=str)
def profile(request: pytest.FixtureRequest) -> RuleProfile:
    """The rule profile of the deployment under test; parametrize indirectly for both."""
    value: RuleProfile = request.param
    return value


@pytest.fixture
def settings(database_url: str, tmp_path: Path, profile: RuleProfile) -> Settings:
    return Settings(
        cookie_secure=False,
        database_url=database_url,
        max_body_bytes=256 * 1024,
        objects_dir=tmp_path / "objects",
        rule_profile=profile,
    )


class TravelClock:
    """The injectable clock (core.clock) set to 10:00 China time (02:00 UTC) of a chosen day."""

    def __init__(self) -> None:
        self.now = datetime(2026, 2, 12, 2, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def to(self, day: str | date) -> None:
        when = date.fromisoformat(day) if isinstance(day, str) else day
        self.now = datetime.combine(when, time(2, 0), tzinfo=UTC)

    def forward(self, days: int) -> None:
        self.now += timedelta(days=days)


@pytest.fixture
def clock() -> Iterator[TravelClock]:
    fixed = TravelClock()
    set_clock(fixed)
    yield fixed
    set_clock(None)


@pytest.fixture(autouse=True)
def nm_accounts(request: pytest.FixtureRequest, profile: RuleProfile) -> None:
    """Under inner_mongolia a subject applies through its issued registration account (004:5444): give
    the two ordinary parties of ``world`` one, so the tests of other rules file as before. The tests of
    accounts themselves override this fixture."""
    if profile is not RuleProfile.INNER_MONGOLIA or "world" not in request.fixturenames:
        return
    give_accounts(
        request.getfixturevalue("db"), request.getfixturevalue("world"), request.getfixturevalue("settings")
    )


def give_accounts(db: Session, world: World, settings: Settings) -> None:
    """Issued registration accounts for parties A and B, written directly."""
    for party in (world.a_admin.party_id, world.b_admin.party_id):
        party_id = uuid.UUID(str(party))
        year, serial = 2026, "".join(secrets.choice(SERIAL_ALPHABET) for _ in range(8))
        db.add(
            RegistrationAccount(
                party_id=party_id,
                code=make_account_code(year, serial),
                state=AccountState.ISSUED,
                ledger_index=_ledger_index(db, party_id, settings),
                issued_at=utcnow(),
            )
        )
    db.commit()


def _ledger_index(db: Session, party_id: uuid.UUID, settings: Settings) -> int:
    subject = f"registration:account:{party_id}"
    receipt = ledger_append(
        db, kind="registration.account_issued", subject=subject, payload={}, actor=None, settings=settings
    )
    return receipt.entry_id
