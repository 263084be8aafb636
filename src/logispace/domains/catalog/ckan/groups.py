"""CKAN groups (CKAN 群组): the categories of 数据资源分类, each top category a listed group.

``group_list`` and ``group_autocomplete`` name the top categories; ``group_show`` also shows a
sub-category, since a dataset's ``groups`` name its category and the category's ancestors. A group's
``package_count`` counts the published resources of its category and of the categories below it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from logispace.core.errors import InvalidInput, NotFound
from logispace.domains.catalog import repository
from logispace.domains.catalog.ckan import service as ckan_service
from logispace.domains.catalog.ckan.schemas import MAX_ROWS, CkanGroupDetail, CkanGroupShow
from logispace.domains.catalog.ckan.service import ckan_time, derived_id, group_name
from logispace.domains.catalog.models import Category
from logispace.domains.catalog.search import service as search_service

_SORTS = ("name", "title", "package_count")


def _details(session: Session) -> tuple[list[CkanGroupDetail], dict[str, str]]:
    """Every category as a group (top ones first, in the tree's order), and each group's category code."""
    categories = list(repository.categories(session))
    by_code = {c.code: c for c in categories}
    counts: dict[str, int] = {}
    first: dict[str, datetime] = {}
    for code, count, published in repository.published_per_category(session):
        seen: set[str] = set()
        current: str | None = code
        while current is not None and current not in seen:
            seen.add(current)
            counts[current] = counts.get(current, 0) + count
            if published is not None and (current not in first or published < first[current]):
                first[current] = published
            current = by_code[current].parent_code if current in by_code else None
    categories.sort(key=lambda c: (c.parent_code is not None, c.position, c.code))
    out = [_group(c, counts.get(c.code, 0), first.get(c.code)) for c in categories]
    return out, {g.name: c.code for g, c in zip(out, categories, strict=True)}


def _group(category: Category, count: int, first: datetime | None) -> CkanGroupDetail:
    return CkanGroupDetail(
        id=derived_id("group", category.code),
        name=group_name(category.code),
        title=category.name_zh,
        display_name=category.name_zh,
        description=category.name_en,
        created=ckan_time(first),
        package_count=count,
    )


def _top(session: Session) -> list[CkanGroupDetail]:
    top = {group_name(c.code) for c in repository.categories(session) if c.parent_code is None}
    return [g for g in _details(session)[0] if g.name in top]


def group_list(
    session: Session,
    *,
    sort: str,
    limit: int | None,
    offset: int,
    only: Sequence[str] | None,
    include_dataset_count: bool,
) -> list[CkanGroupDetail]:
    """The top categories of 数据资源分类 as groups, sorted (``name|title|package_count asc|desc``)."""
    words = sort.split()
    direction = words[1].lower() if len(words) == 2 else "asc"
    if not 1 <= len(words) <= 2 or words[0] not in _SORTS or direction not in ("asc", "desc"):
        raise InvalidInput(
            f"sort: cannot sort groups by {sort!r}",
            errors=[{"loc": ["sort"], "msg": f"use one of {', '.join(_SORTS)} with asc or desc"}],
        )
    groups = _top(session)
    if only is not None:
        wanted = {name.strip().lower() for name in only}
        groups = [g for g in groups if g.name in wanted or g.id in wanted]
    groups.sort(key=lambda g: g.name)
    groups.sort(key=lambda g: getattr(g, words[0]), reverse=direction == "desc")
    end = None if limit is None else offset + limit
    groups = groups[offset:end]
    if not include_dataset_count:
        for g in groups:
            g.package_count = None
    return groups


def group_show(
    session: Session, base: str, name_or_id: str, *, include_datasets: bool, include_dataset_count: bool
) -> CkanGroupShow:
    """One category as a group, with its published datasets (at most 1000) when asked."""
    wanted = name_or_id.strip().lower()
    groups, codes = _details(session)
    found = next((g for g in groups if wanted in (g.name, g.id)), None)
    if found is None:
        raise NotFound(f"Group not found: {name_or_id}")
    shown = CkanGroupShow.model_validate(found.model_dump())
    if include_datasets:
        matching = search_service.matching_codes(
            session, q="", filters={"category": [codes[found.name]]}, sort="recency"
        )
        resources = repository.published_by_codes(session, sorted(matching)[:MAX_ROWS])
        shown.packages = ckan_service.packages(session, base, resources)
    if not include_dataset_count:
        shown.package_count = None
    return shown


def group_autocomplete(session: Session, q: str, limit: int) -> list[dict[str, str]]:
    """Top categories whose name or title contains ``q``: ``{id, name, title}``."""
    wanted = q.strip().lower()
    found = [g for g in _top(session) if wanted in g.name or wanted in g.title.lower()]
    return [{"id": g.id, "name": g.name, "title": g.title} for g in found[:limit]]
