"""Stored event hashes follow the CBV 2.0 canonical order as the GS1 reference's examples show it.

The event hash changed again (issue 15 point 2): certificationInfo is left out, sensor elements are
written without the list's name, the user extensions inside readPoint, bizLocation and the sensor
elements move to the extension part, and EPC URN serials keep their own characters (``!()*`` are no
longer percent-encoded, which changes the canonical EPCs of the link table too). Each stored
event's ``event_hash`` and EPC links are recomputed from its stored JSON, as migration 5e1c0a7d2b93
did: the ``eventID`` never changes (an event captured without one keeps its old hash as its ID), and
where two events of one party now hash alike the later one keeps its old hash, so nothing is merged.

Revision ID: 8b3e6f1d9a42
Revises: 7c3e9a41b2d5
Create Date: 2026-12-07 20:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "8b3e6f1d9a42"
down_revision: str | None = "7c3e9a41b2d5"
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
        bind.execute(links.delete().where(links.c.event_pk == row.id))
        if fresh:
            bind.execute(links.insert(), fresh)


def downgrade() -> None:
    """Hashes are not recomputed back: the old algorithm is gone from the code."""
