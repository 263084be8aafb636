"""Portable column behaviour on both backends: aware UTC datetimes, foreign keys, savepoints."""

import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from logispace.core import db as db_module
from logispace.core.db import UTCDateTime, backend_name
from logispace.domains.identity import Role
from logispace.domains.identity.models import User, UserRole
from tests.factories.identity import make_party, make_user


def test_backend_name() -> None:
    assert backend_name("sqlite:///x.db") == "sqlite"
    assert backend_name("postgresql+psycopg://u@h/db") == "postgresql"


def test_datetimes_come_back_aware_utc(db: Session) -> None:
    party = make_party(db)
    user = make_user(db, party)
    beijing = timezone(timedelta(hours=8))
    user.last_login_at = datetime(2026, 2, 17, 9, 30, tzinfo=beijing)
    db.flush()
    db.expire_all()
    again = db.get(User, user.id)
    assert again is not None and again.last_login_at is not None
    assert again.last_login_at.tzinfo is not None
    assert again.last_login_at == datetime(2026, 2, 17, 1, 30, tzinfo=UTC)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        UTCDateTime().process_bind_param(datetime(2026, 1, 1), dialect=None)  # type: ignore[arg-type]  # noqa: DTZ001


def test_foreign_keys_are_enforced(db: Session) -> None:
    with db.begin_nested():
        db.add(UserRole(user_id=uuid.uuid4(), role=Role.ANALYST))
        with pytest.raises(IntegrityError):
            db.flush()
        db.rollback()


def test_savepoint_rollback_keeps_outer_work(db: Session) -> None:
    party = make_party(db)
    try:
        with db.begin_nested():
            make_user(db, party, username="inner-user")
            raise RuntimeError("abort inner")
    except RuntimeError:
        pass
    assert db.get(type(party), party.id) is not None
    assert db.scalar(text("SELECT count(*) FROM users WHERE username = 'inner-user'")) == 0


@pytest.mark.parametrize(
    ("idle_ping_seconds", "answers"),
    [(0.0, True), (3600.0, False)],
    ids=["idle-connection-pinged-and-replaced", "recent-connection-used-as-is"],
)
def test_a_pooled_connection_is_pinged_after_idling(
    database_url: str, monkeypatch: pytest.MonkeyPatch, idle_ping_seconds: float, answers: bool
) -> None:
    """A pooled connection that died while idle (here: closed under the pool) is replaced before use
    once it has idled past ``IDLE_PING_SECONDS``; within it, the pool trusts the connection and spends
    no round trip, so the dead one fails its statement."""
    engine = db_module.make_engine(database_url)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            pooled = conn.connection.driver_connection
        assert pooled is not None
        pooled.close()  # in the pool, between two uses
        monkeypatch.setattr(db_module, "IDLE_PING_SECONDS", idle_ping_seconds)
        if answers:
            with engine.connect() as conn:
                assert conn.execute(text("SELECT 1")).scalar() == 1
        else:
            with pytest.raises(DBAPIError), engine.connect() as conn:
                conn.execute(text("SELECT 1"))
    finally:
        engine.dispose()
