"""The refusal audit (拒绝留痕) of the access routes, pages and commands: a refused step or use is rolled
back, its audit record is appended to the ledger and committed, and the refusal is raised again.

This is the unit of work's edge (like the request's session dependency), not a service: services never
commit.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from logispace.core.config import Settings
from logispace.core.errors import DomainError
from logispace.domains.access.delivery import DeliveryRefused
from logispace.domains.access.errors import AccessRefused, FieldsExceedScenario, StateConflict
from logispace.domains.access.schemas import SqlCreate
from logispace.domains.access.service import grant_subject
from logispace.domains.access.usage import Delivered, record_refusal, run_sql
from logispace.domains.identity import Principal

AUDITED: tuple[type[DomainError], ...] = (AccessRefused, DeliveryRefused, FieldsExceedScenario, StateConflict)
"""The refusals that leave an audit record: not found (404) and malformed input (422) leave none."""


def sql_hash(sql: str) -> str:
    """The hash of a refused query's text as sent (the engine's normalized hash needs a parsable query)."""
    return hashlib.sha256(sql.encode("utf-8")).hexdigest()


@contextmanager
def audited(
    session: Session,
    p: Principal,
    settings: Settings | None,
    *,
    subject: str,
    action: str,
    grant_id: uuid.UUID | None = None,
    query_hash: str | None = None,
) -> Iterator[None]:
    """Run a step; on an audited refusal keep only its audit record (committed) and raise it again."""
    try:
        yield
    except AUDITED as exc:
        session.rollback()
        record_refusal(
            session,
            p,
            subject=subject,
            action=action,
            error=exc,
            grant_id=grant_id,
            query_hash=query_hash,
            settings=settings,
        )
        session.commit()
        raise


def audited_sql(
    session: Session, p: Principal, grant_id: uuid.UUID, body: SqlCreate, settings: Settings
) -> Delivered:
    """Sandbox SQL under a grant (:func:`.usage.run_sql`) as the API, the pages and the CLI run it: a
    refusal keeps only its audit record (committed, with the query's hash) and is raised again."""
    with audited(
        session,
        p,
        settings,
        subject=grant_subject(grant_id),
        action="sql",
        grant_id=grant_id,
        query_hash=sql_hash(body.sql),
    ):
        return run_sql(session, p, grant_id, body, settings)
