"""The migration to per-party container registrations: each registered container's owner of record
keeps its registration (its own row), an unowned container gets none, and nothing else changes."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from logispace import migrations
from logispace.core import events
from tests.databases import migrated_to, reflected
from tests.factories.identity import make_party
from tests.factories.logistics import container_number


@pytest.fixture(autouse=True)
def _no_ledger_at_the_old_revision(monkeypatch: pytest.MonkeyPatch) -> None:
    """The parties are made at a revision before the ledger admitted entries by id: the identity
    events that would append to it are left unheard (the migration under test is not the ledger's)."""
    monkeypatch.setattr(events.bus, "_handlers", defaultdict(list))


BEFORE = "7a3d5c1e9b20"


def test_the_owner_of_record_keeps_its_registration(tmp_path: Path) -> None:
    since = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
    owned, unowned = container_number("CSQU"), container_number("MSKU")
    with migrated_to(tmp_path, BEFORE) as (url, engine):
        with Session(engine) as db:
            party_id = make_party(db).id
            db.commit()
        (containers,) = reflected(engine, "containers")
        with engine.begin() as conn:
            for number, owner in ((owned, party_id), (unowned, None)):
                conn.execute(
                    containers.insert().values(
                        id=uuid.uuid4(),
                        number=number,
                        owner_code=number[:4],
                        owner_party_id=owner,
                        size_type="45R1" if owner else None,
                        created_at=since,
                        registered_at=since if owner else None,
                    )
                )
        migrations.upgrade(url)
        containers, registrations = reflected(engine, "containers", "container_registrations")
        with engine.connect() as conn:
            rows = conn.execute(
                sa.select(
                    containers.c.number,
                    registrations.c.party_id,
                    registrations.c.size_type,
                    registrations.c.registered_at,
                ).join(registrations, registrations.c.container_id == containers.c.id)
            ).all()
            kept = conn.execute(sa.select(containers.c.number, containers.c.owner_party_id)).all()
    assert [(r.number, r.party_id, r.size_type) for r in rows] == [(owned, party_id, "45R1")]
    assert rows[0].registered_at.replace(tzinfo=UTC) == since
    assert sorted(kept) == sorted([(owned, party_id), (unowned, None)])
