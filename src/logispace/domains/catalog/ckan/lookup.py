"""CKAN tags, licenses, resources and autocomplete (CKAN 标签、许可与补全) over the published catalogue.

A tag is a keyword of a published resource (``id`` derived from the word, no vocabularies); the
licenses are the two the datasets carry (open data ``cc-by``, the rest ``other-closed``); a resource
is a distribution of the newest data version of a published resource, as ``package_show`` lists it.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from logispace.core.errors import NotFound
from logispace.domains.catalog import repository
from logispace.domains.catalog.ckan import service as ckan_service
from logispace.domains.catalog.ckan.schemas import MAX_ROWS, CkanLicense, CkanResource, CkanTag
from logispace.domains.catalog.ckan.service import CLOSED_LICENSE, OPEN_LICENSE, derived_id
from logispace.domains.catalog.enums import OpenType
from logispace.domains.catalog.search import service as search_service


def _tags(session: Session) -> dict[str, list[str]]:
    """Each keyword of a published resource and the codes of the resources carrying it, by word."""
    tags: dict[str, list[str]] = {}
    for code, keywords in repository.published_keywords(session):
        for word in {k.strip() for k in keywords or [] if k.strip()}:
            tags.setdefault(word, []).append(code)
    return dict(sorted(tags.items()))


def _tag(word: str) -> CkanTag:
    return CkanTag(id=derived_id("tag", word), name=word, display_name=word)


def tag_list(session: Session, query: str | None) -> list[CkanTag]:
    """The tags of the published datasets in name order, those containing ``query`` when given."""
    wanted = (query or "").strip().lower()
    return [_tag(word) for word in _tags(session) if wanted in word.lower()]


def tag_show(session: Session, base: str, name_or_id: str, *, include_datasets: bool) -> dict[str, object]:
    """One tag of a published dataset by name or id, with its datasets (at most 1000) when asked."""
    wanted = name_or_id.strip()
    tags = _tags(session)
    word = next((w for w in tags if wanted in (w, derived_id("tag", w))), None)
    if word is None:
        raise NotFound(f"Tag not found: {name_or_id}")
    shown: dict[str, object] = _tag(word).model_dump(mode="json")
    if include_datasets:
        resources = repository.published_by_codes(session, sorted(tags[word])[:MAX_ROWS])
        shown["packages"] = [
            p.model_dump(mode="json") for p in ckan_service.packages(session, base, resources)
        ]
    return shown


def tag_autocomplete(session: Session, q: str, limit: int) -> list[str]:
    """Names of the tags containing ``q``."""
    return [t.name for t in tag_list(session, q)][:limit]


def format_autocomplete(session: Session, q: str, limit: int) -> list[str]:
    """Formats of the published datasets' resources containing ``q``, in lower case as CKAN answers."""
    offered = search_service.matching_codes(
        session, q="", filters={"format": list(search_service.OPEN_FORMATS)}, sort="recency"
    )
    if not offered:
        return []
    wanted = q.strip().lower()
    return [f.lower() for f in search_service.OPEN_FORMATS if wanted in f.lower()][:limit]


def package_autocomplete(session: Session, q: str, limit: int) -> list[dict[str, str]]:
    """Published datasets whose title or name contains ``q``: title matches first, then names."""
    wanted = q.strip().lower()
    rows = sorted(repository.published_sort_keys(session), key=lambda row: (row[2], row[0]))
    found: list[dict[str, str]] = []
    for field in ("title", "name"):
        for code, _, title, *_ in rows:
            name = code.lower()
            if len(found) >= limit or any(f["name"] == name for f in found):
                continue
            if wanted in (title.lower() if field == "title" else name):
                shown = title if field == "title" else f"{title} ({name})"
                found.append({"name": name, "title": title, "match_field": field, "match_displayed": shown})
    return found


def organization_autocomplete(session: Session, q: str, limit: int) -> list[dict[str, str]]:
    """Organizations (holders of published resources) whose name or title contains ``q``."""
    wanted = q.strip().lower()
    orgs = ckan_service.organization_list(session, sort="title asc", limit=None, offset=0, only=None)
    found = [o for o in orgs if wanted in o.name or wanted in o.title.lower()]
    return [{"id": o.id, "name": o.name, "title": o.title} for o in found[:limit]]


def license_list() -> list[CkanLicense]:
    """The licenses the datasets carry: ``cc-by`` for open data (无条件开放), else ``other-closed``."""
    license_id, title, url = OPEN_LICENSE
    closed_id, closed_title, closed_url = CLOSED_LICENSE
    return [
        CkanLicense(
            id=license_id,
            title=title,
            url=url,
            family="Creative Commons",
            is_okd_compliant=True,
            od_conformance="approved",
            domain_content=True,
            domain_data=True,
        ),
        CkanLicense(
            id=closed_id,
            title=closed_title,
            url=closed_url,
            is_generic=True,
            is_okd_compliant=False,
            od_conformance="not reviewed",
            domain_content=False,
            domain_data=False,
        ),
    ]


def resource_show(session: Session, base: str, resource_id: str) -> CkanResource:
    """One resource (a distribution of the newest data version) of a published dataset, by id."""
    wanted = resource_id.strip().lower()
    resources = repository.published_resources(session)
    data = repository.newest_distribution_rows(session, {r.id for r in resources})
    for r in resources:
        newest = data.get(r.id)
        if newest is None:
            continue
        keys = [*search_service.OPEN_FORMATS] if r.open_type is OpenType.UNCONDITIONAL else ["request"]
        if any(derived_id("resource", f"{newest.id}:{key}") == wanted for key in keys):
            package = ckan_service.packages(session, base, [r])[0]
            return next(res for res in package.resources if res.id == wanted)
    raise NotFound(f"Resource not found: {resource_id}")
