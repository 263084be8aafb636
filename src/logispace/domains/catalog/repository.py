"""Catalogue queries."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Select, bindparam, func, or_, select
from sqlalchemy.orm import Session

from logispace.domains.catalog.enums import ListChange, OpenType, ResourceStatus, SharingType
from logispace.domains.catalog.models import (
    Category,
    DataItem,
    DataResource,
    Distribution,
    Grade,
    ListEntry,
    ListVersion,
)


def grades(session: Session) -> Sequence[Grade]:
    return session.scalars(select(Grade).order_by(Grade.rank.desc())).all()


def categories(session: Session) -> Sequence[Category]:
    return session.scalars(select(Category).order_by(Category.position, Category.code)).all()


def resource_by_code(session: Session, code: str) -> DataResource | None:
    return session.scalar(select(DataResource).where(DataResource.catalog_code == code))


def resource_by_holder_and_name(
    session: Session, holder_party_id: uuid.UUID, name: str
) -> DataResource | None:
    stmt = select(DataResource).where(
        DataResource.holder_party_id == holder_party_id, DataResource.name == name
    )
    return session.scalar(stmt.limit(1))


def code_taken(session: Session, code: str) -> bool:
    return session.scalar(select(func.count()).where(DataResource.catalog_code == code)) != 0


def resource_query(
    *,
    visible_to_party: uuid.UUID | None,
    sees_all: bool,
    category_codes: Sequence[str] | None = None,
    grade: str | None = None,
    sharing_type: SharingType | None = None,
    open_type: OpenType | None = None,
    holder: uuid.UUID | None = None,
    status: ResourceStatus | None = None,
) -> Select[DataResource]:
    """Resources one caller may see: the public ones, plus their own party's drafts (all for the
    authority), filtered."""
    stmt = select(DataResource)
    if not sees_all:
        public = DataResource.status != ResourceStatus.DRAFT
        stmt = stmt.where(
            or_(public, DataResource.holder_party_id == visible_to_party) if visible_to_party else public
        )
    if category_codes is not None:
        stmt = stmt.where(DataResource.category_code.in_(category_codes))
    if grade is not None:
        stmt = stmt.where(DataResource.grade_code == grade)
    if sharing_type is not None:
        stmt = stmt.where(DataResource.sharing_type == sharing_type)
    if open_type is not None:
        stmt = stmt.where(DataResource.open_type == open_type)
    if holder is not None:
        stmt = stmt.where(DataResource.holder_party_id == holder)
    if status is not None:
        stmt = stmt.where(DataResource.status == status)
    return stmt.order_by(DataResource.created_at.desc(), DataResource.catalog_code)


def published_resources(session: Session) -> Sequence[DataResource]:
    stmt = select(DataResource).where(DataResource.status == ResourceStatus.PUBLISHED)
    return session.scalars(stmt.order_by(DataResource.catalog_code)).all()


def data_item_by_code(session: Session, code: str) -> DataItem | None:
    return session.scalar(select(DataItem).where(DataItem.code == code))


def data_items_by_id(session: Session, ids: set[uuid.UUID]) -> dict[uuid.UUID, DataItem]:
    if not ids:
        return {}
    return {item.id: item for item in session.scalars(select(DataItem).where(DataItem.id.in_(ids)))}


def data_item_query(*, category_codes: Sequence[str] | None = None) -> Select[DataItem]:
    stmt = select(DataItem)
    if category_codes is not None:
        stmt = stmt.where(DataItem.category_code.in_(category_codes))
    return stmt.order_by(DataItem.code)


def resources_of_items(
    session: Session, item_ids: set[uuid.UUID], *, published_only: bool
) -> Sequence[DataResource]:
    if not item_ids:
        return []
    stmt = select(DataResource).where(DataResource.data_item_id.in_(item_ids))
    if published_only:
        stmt = stmt.where(DataResource.status == ResourceStatus.PUBLISHED)
    return session.scalars(stmt.order_by(DataResource.catalog_code)).all()


def latest_list_version(session: Session) -> ListVersion | None:
    return session.scalar(select(ListVersion).order_by(ListVersion.version.desc()).limit(1))


def list_version(session: Session, version: int) -> ListVersion | None:
    return session.scalar(select(ListVersion).where(ListVersion.version == version))


def list_version_query() -> Select[ListVersion]:
    return select(ListVersion).order_by(ListVersion.version.desc())


def entries_of(session: Session, version_id: uuid.UUID, *, listed_only: bool = False) -> Sequence[ListEntry]:
    stmt = select(ListEntry).where(ListEntry.list_version_id == version_id)
    if listed_only:
        stmt = stmt.where(ListEntry.change != ListChange.REMOVED)
    return session.scalars(stmt.order_by(ListEntry.catalog_code)).all()


# -- distributions (数据分发) ------------------------------------------------------------------------


def distributions_of(session: Session, resource_id: uuid.UUID) -> Sequence[Distribution]:
    """Every version of a resource's data, newest first."""
    return session.scalars(
        select(Distribution)
        .where(Distribution.resource_id == resource_id)
        .order_by(Distribution.version.desc())
    ).all()


def latest_distribution(session: Session, resource_id: uuid.UUID) -> Distribution | None:
    return session.scalars(
        select(Distribution)
        .where(Distribution.resource_id == resource_id)
        .order_by(Distribution.version.desc())
        .limit(1)
    ).first()


_Query = TypeVar("_Query", bound=Select[*tuple[Any, ...]])


def _newest_only(query: _Query, resource_ids: set[uuid.UUID]) -> _Query:
    """``query`` over distributions, kept to the newest version of each of ``resource_ids``."""
    newest = (
        select(Distribution.resource_id, func.max(Distribution.version).label("version"))
        .where(Distribution.resource_id.in_(resource_ids))
        .group_by(Distribution.resource_id)
        .subquery()
    )
    on = (Distribution.resource_id == newest.c.resource_id) & (Distribution.version == newest.c.version)
    return query.join(newest, on)


def latest_distributions(
    session: Session, resource_ids: set[uuid.UUID]
) -> dict[uuid.UUID, tuple[int, datetime]]:
    """Newest version number and upload time per resource, for those that have one."""
    if not resource_ids:
        return {}
    columns = select(Distribution.resource_id, Distribution.version, Distribution.uploaded_at)
    rows = session.execute(_newest_only(columns, resource_ids)).all()
    return {rid: (version, at) for rid, version, at in rows}


def newest_distribution_rows(session: Session, resource_ids: set[uuid.UUID]) -> dict[uuid.UUID, Distribution]:
    """The newest stored version of each resource that has one, in one query."""
    if not resource_ids:
        return {}
    rows = session.scalars(_newest_only(select(Distribution), resource_ids)).all()
    return {row.resource_id: row for row in rows}


_NEWEST = (
    select(Distribution.resource_id, func.max(Distribution.version).label("version"))
    .where(Distribution.resource_id.in_(bindparam("resource_ids", expanding=True)))
    .group_by(Distribution.resource_id)
    .subquery()
)
# Built once (it runs for every use of a grant): each resource's newest stored object.
_NEWEST_OBJECTS = select(Distribution.resource_id, Distribution.object_sha256).join(
    _NEWEST, (Distribution.resource_id == _NEWEST.c.resource_id) & (Distribution.version == _NEWEST.c.version)
)


def newest_object_hashes(session: Session, resource_ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    """The stored object (SHA-256) of each resource's newest version that has one, in one query."""
    if not resource_ids:
        return {}
    rows = session.execute(_NEWEST_OBJECTS, {"resource_ids": list(resource_ids)}).all()
    return {rid: str(sha) for rid, sha in rows}


def lock_resource(session: Session, resource_id: uuid.UUID) -> None:
    """Serialize uploads to one resource (PostgreSQL row lock; SQLite serializes writers anyway)."""
    session.execute(select(DataResource.id).where(DataResource.id == resource_id).with_for_update())


# -- the CKAN view (published resources only) --------------------------------------------------------


def resource_by_id(session: Session, resource_id: uuid.UUID) -> DataResource | None:
    return session.get(DataResource, resource_id)


def published_codes(session: Session, *, limit: int | None, offset: int) -> Sequence[str]:
    stmt = (
        select(DataResource.catalog_code)
        .where(DataResource.status == ResourceStatus.PUBLISHED)
        .order_by(DataResource.catalog_code)
        .offset(offset)
    )
    return session.scalars(stmt if limit is None else stmt.limit(limit)).all()


def published_sort_keys(
    session: Session,
) -> Sequence[tuple[str, uuid.UUID, str, datetime, datetime | None, datetime]]:
    """(code, id, name, updated_at, published_at, created_at) of every published resource."""
    stmt = select(
        DataResource.catalog_code,
        DataResource.id,
        DataResource.name,
        DataResource.updated_at,
        DataResource.published_at,
        DataResource.created_at,
    ).where(DataResource.status == ResourceStatus.PUBLISHED)
    return [tuple(row) for row in session.execute(stmt)]  # type: ignore[misc]


def published_by_codes(session: Session, codes: Sequence[str]) -> list[DataResource]:
    """The published resources of ``codes``, in that order."""
    found: dict[str, DataResource] = {}
    for start in range(0, len(codes), 500):
        chunk = list(codes[start : start + 500])
        stmt = select(DataResource).where(
            DataResource.catalog_code.in_(chunk), DataResource.status == ResourceStatus.PUBLISHED
        )
        found.update((r.catalog_code, r) for r in session.scalars(stmt))
    return [found[c] for c in codes if c in found]


def published_holders(session: Session) -> Sequence[tuple[uuid.UUID, int, datetime | None]]:
    """(party id, number of published resources, first publication) of each holder that has any."""
    stmt = (
        select(DataResource.holder_party_id, func.count(), func.min(DataResource.published_at))
        .where(DataResource.status == ResourceStatus.PUBLISHED)
        .group_by(DataResource.holder_party_id)
    )
    return [(row[0], int(row[1]), row[2]) for row in session.execute(stmt)]


def published_per_category(session: Session) -> Sequence[tuple[str, int, datetime | None]]:
    """(category code, number of published resources, first publication) of each category that has any."""
    stmt = (
        select(DataResource.category_code, func.count(), func.min(DataResource.published_at))
        .where(DataResource.status == ResourceStatus.PUBLISHED)
        .group_by(DataResource.category_code)
    )
    return [(row[0], int(row[1]), row[2]) for row in session.execute(stmt)]


def published_keywords(session: Session) -> Sequence[tuple[str, list[str] | None]]:
    """(catalog code, keywords) of every published resource."""
    stmt = select(DataResource.catalog_code, DataResource.keywords).where(
        DataResource.status == ResourceStatus.PUBLISHED
    )
    return [(row[0], row[1]) for row in session.execute(stmt)]
