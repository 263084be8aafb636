"""CKAN activity streams (CKAN 动态) from the evidence ledger (存证).

A published resource's ledger entries are its activities: ``catalog.resource.published`` is CKAN's
``new package`` and ``catalog.resource.revised`` its ``changed package``, at the time the ledger
recorded them, newest first. Only published resources have activities (a draft has no entries, and a
withdrawn resource's stream is closed with it); ``user_id`` is the holder organization, since the
people who acted are not public, and ``data.package`` names the dataset as it is now.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.orm import Session

from logispace.domains.catalog import repository
from logispace.domains.catalog.ckan import service as ckan_service
from logispace.domains.catalog.ckan.schemas import CkanActivity
from logispace.domains.catalog.ckan.service import ckan_time, derived_id
from logispace.domains.catalog.models import DataResource
from logispace.domains.ledger import timed_entries_of_subjects

ACTIVITY_TYPES = {
    "catalog.resource.published": "new package",
    "catalog.resource.revised": "changed package",
}


def _subject(code: str) -> str:
    return f"catalog:resource:{code}"


def _activities(
    session: Session, resources: Sequence[DataResource], *, limit: int, offset: int
) -> list[CkanActivity]:
    by_subject = {_subject(r.catalog_code): r for r in resources}
    entries = timed_entries_of_subjects(
        session, list(by_subject), list(ACTIVITY_TYPES), limit=limit, offset=offset
    )
    out = []
    for index, kind, subject, recorded_at in entries:
        r = by_subject[subject]
        out.append(
            CkanActivity(
                id=derived_id("activity", str(index)),
                timestamp=ckan_time(recorded_at),
                user_id=str(r.holder_party_id),
                object_id=str(r.id),
                activity_type=ACTIVITY_TYPES[kind],
                data={
                    "package": {
                        "id": str(r.id),
                        "name": r.catalog_code.lower(),
                        "title": r.name,
                        "type": "dataset",
                        "owner_org": str(r.holder_party_id),
                    }
                },
                ledger_index=index,
            )
        )
    return out


def package_activity_list(
    session: Session, base: str, name_or_id: str, *, limit: int, offset: int
) -> list[CkanActivity]:
    """A published dataset's activities (published, revised), newest first."""
    package = ckan_service.package_show(session, base, name_or_id)  # not found unless published
    resource = repository.resource_by_id(session, uuid.UUID(package.id))
    return _activities(session, [resource] if resource else [], limit=limit, offset=offset)


def recently_changed_packages_activity_list(
    session: Session, *, limit: int, offset: int
) -> list[CkanActivity]:
    """The activities of every published dataset, newest first."""
    codes = [row[0] for row in repository.published_sort_keys(session)]
    return _activities(session, repository.published_by_codes(session, codes), limit=limit, offset=offset)
