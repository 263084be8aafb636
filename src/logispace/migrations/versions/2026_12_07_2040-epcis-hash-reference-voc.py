"""Stored event hashes agree with all of the GS1 reference implementation's examples.

The event hash changed again (issue 15 point 2): the ``gs1:`` namespace, and with it the bare
measurement and alert types of sensor reports, is written ``https://ref.gs1.org/voc/`` (was
``https://gs1.org/voc/``), and ``cbvmda:`` keys, unless the document's context defines the prefix,
``{urn:epcglobal:cbv:mda}`` (was ``{urn:epcglobal:cbv:mda:}``). Each stored event's ``event_hash`` is
recomputed from its stored JSON as migration 8b3e6f1d9a42 did: the ``eventID`` never changes (an
event captured without one keeps its old hash as its ID), and where two events of one party now hash
alike the later one keeps its old hash, so nothing is merged. The canonical EPCs did not change, so
the EPC link table is left as it is.

Revision ID: e7a1c5b9d3f2
Revises: c4d8e2f6a1b3
Create Date: 2026-12-07 23:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e7a1c5b9d3f2"
down_revision: str | None = "c4d8e2f6a1b3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

events = sa.table(
    "epcis_events",
    sa.column("id", sa.BigInteger()),
    sa.column("party_id", sa.Uuid()),
    sa.column("event_hash", sa.String()),
    sa.column("body", sa.JSON()),
)


def upgrade() -> None:
    # The algorithm of the code at this revision: a later change of the hash needs its own migration.
    from logispace.domains.logistics.epcis.hashing import context_prefixes, event_hash_id

    bind = op.get_bind()
    rows = bind.execute(
        sa.select(events.c.id, events.c.party_id, events.c.event_hash, events.c.body).order_by(events.c.id)
    ).all()
    taken = {(r.party_id, r.event_hash) for r in rows}
    for row in rows:
        body = dict(row.body)
        new_hash = event_hash_id(body, context_prefixes(body.get("@context")))
        if new_hash != row.event_hash and (row.party_id, new_hash) not in taken:
            taken.discard((row.party_id, row.event_hash))
            taken.add((row.party_id, new_hash))
            bind.execute(events.update().where(events.c.id == row.id).values(event_hash=new_hash))


def downgrade() -> None:
    """Hashes are not recomputed back: the old algorithm is gone from the code."""
