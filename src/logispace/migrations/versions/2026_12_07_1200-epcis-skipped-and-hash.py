"""EPCIS capture jobs report skipped events; stored event hashes follow the corrected algorithm.

``epcis_capture_jobs.skipped`` lists the events of a captured document that were not stored
(pointer, eventID, reason). Jobs captured before it list none: their ``storedCount`` still says how
many of their events were stored.

The CBV 2.0 event hash changed (every member of nested extensions, error declarations left out,
certificationInfo after eventTimeZoneOffset, more EPC schemes and Digital Link URIs on any domain
in their canonical form), and so did the canonical form of EPCs in the link table. Each stored
event's ``event_hash`` and EPC links are recomputed from its stored JSON (the document's extra
``@context`` is kept on the event, so its prefixes are known). The ``eventID`` never changes: an
event captured without one keeps the old hash as its ID. Where two events of one party now have
the same hash (they differed only in what the hash leaves out), the later one keeps its old hash,
so nothing is merged or lost.

Revision ID: 5e1c0a7d2b93
Revises: 6c1f0a9d2e47
Create Date: 2026-12-07 12:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5e1c0a7d2b93"
down_revision: str | None = "6c1f0a9d2e47"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

events = sa.table(
    "epcis_events",
    sa.column("id", sa.BigInteger()),
    sa.column("party_id", sa.Uuid()),
    sa.column("event_hash", sa.String()),
    sa.column("event_time", sa.DateTime()),
    sa.column("body", sa.JSON()),
)
links = sa.table(
    "epcis_event_epcs",
    sa.column("event_pk", sa.BigInteger()),
    sa.column("role", sa.String()),
    sa.column("epc", sa.String()),
    sa.column("party_id", sa.Uuid()),
    sa.column("event_time", sa.DateTime()),
)


def upgrade() -> None:
    # Plain ADD COLUMN: a batch copy of the table would break the events' foreign keys on SQLite.
    op.add_column("epcis_capture_jobs", sa.Column("skipped", sa.JSON(), nullable=False, server_default="[]"))
    if op.get_bind().dialect.name != "sqlite":
        op.alter_column("epcis_capture_jobs", "skipped", server_default=None)
    _recompute()


def _recompute() -> None:
    # The algorithm of the code at this revision: a later change of the hash needs its own migration.
    from logispace.domains.logistics.epcis.document import _epc_links
    from logispace.domains.logistics.epcis.hashing import context_prefixes, event_hash_id

    bind = op.get_bind()
    rows = bind.execute(
        sa.select(
            events.c.id, events.c.party_id, events.c.event_hash, events.c.event_time, events.c.body
        ).order_by(events.c.id)
    ).all()
    taken = {(r.party_id, r.event_hash) for r in rows}
    for row in rows:
        body = dict(row.body)
        new_hash = event_hash_id(body, context_prefixes(body.get("@context")))
        if new_hash != row.event_hash and (row.party_id, new_hash) not in taken:
            taken.discard((row.party_id, row.event_hash))
            taken.add((row.party_id, new_hash))
            bind.execute(events.update().where(events.c.id == row.id).values(event_hash=new_hash))
        bind.execute(links.delete().where(links.c.event_pk == row.id))
        fresh = [
            {
                "event_pk": row.id,
                "role": role,
                "epc": epc,
                "party_id": row.party_id,
                "event_time": row.event_time,
            }
            for role, epc in _epc_links(body)
        ]
        if fresh:
            bind.execute(links.insert(), fresh)


def downgrade() -> None:
    op.drop_column("epcis_capture_jobs", "skipped")
