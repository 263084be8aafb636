"""The national logistics public data sharing/open list (国家物流公共数据共享开放清单, 000:25, 000:46).

A list version is a published, numbered snapshot of the published catalogue: every entry keeps the
attributes it was listed with, and the version records what it added, changed and removed against
the previous one (清单更新机制, 000:41). Each version yields the sharing report (共享情况通报, 000:41;
002:12) as rows, written to CSV by :func:`write_report_csv`.
"""

from __future__ import annotations

import csv
import hashlib
import uuid
from collections import defaultdict
from collections.abc import Sequence
from typing import Any, TextIO

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from logispace.core.clock import utcnow
from logispace.core.errors import NotFound, PermissionDenied
from logispace.core.pagination import PageParams, paged
from logispace.domains.catalog import policies, repository
from logispace.domains.catalog.enums import ListChange, OpenType, ResourceStatus, SharingType
from logispace.domains.catalog.models import DataResource, ListEntry, ListVersion
from logispace.domains.catalog.schemas import (
    ListDiff,
    ListEntryRead,
    ListVersionCreate,
    ListVersionDetail,
    ListVersionRead,
    PartyRef,
    ReportRow,
)
from logispace.domains.identity import Principal, party_names
from logispace.domains.ledger import append as ledger_append

LISTED = (
    "name",
    "holder_party_id",
    "category_code",
    "grade_code",
    "sharing_type",
    "sharing_conditions",
    "sharing_basis",
    "open_type",
    "open_conditions",
    "open_basis",
    "update_frequency",
)
"""The attributes a list entry keeps; a change in any of them marks the entry changed."""


def _listed(row: DataResource | ListEntry) -> dict[str, Any]:
    values = {name: getattr(row, name) for name in LISTED}
    values["holder_party_id"] = str(values["holder_party_id"])
    for key in ("sharing_type", "open_type", "update_frequency"):
        values[key] = values[key].value
    return values


def publish_list_version(session: Session, p: Principal, data: ListVersionCreate) -> ListVersion:
    """Publish the next list version from the published catalogue (data authority only)."""
    if not policies.can_publish_list(p):
        raise PermissionDenied("only the data authority's administrators publish the sharing/open list")
    previous = repository.latest_list_version(session)
    before = (
        {e.catalog_code: e for e in repository.entries_of(session, previous.id, listed_only=True)}
        if previous
        else {}
    )
    current = {r.catalog_code: r for r in repository.published_resources(session)}
    prints = {code: policies.fingerprint(_listed(r)) for code, r in current.items()}
    changes = policies.diff_list({code: e.fingerprint for code, e in before.items()}, prints)
    counts = {change: sum(1 for c in changes.values() if c is change) for change in ListChange}
    version = ListVersion(
        version=(previous.version + 1) if previous else 1,
        title=data.title or default_title(session, p),
        note=data.note,
        published_at=utcnow(),
        published_by_party_id=p.party_id,
        entry_count=len(current),
        added=counts[ListChange.ADDED],
        changed=counts[ListChange.CHANGED],
        removed=counts[ListChange.REMOVED],
    )
    session.add(version)
    session.flush()
    for code, change in sorted(changes.items()):
        source: DataResource | ListEntry = before[code] if change is ListChange.REMOVED else current[code]
        resource_id = source.resource_id if isinstance(source, ListEntry) else source.id
        session.add(
            ListEntry(
                list_version_id=version.id,
                resource_id=resource_id,
                catalog_code=code,
                change=change,
                fingerprint=before[code].fingerprint if change is ListChange.REMOVED else prints[code],
                **{name: getattr(source, name) for name in LISTED},
            )
        )
    session.flush()
    digest = hashlib.sha256(
        "\n".join(f"{code} {prints[code]}" for code in sorted(prints)).encode()
    ).hexdigest()
    receipt = ledger_append(
        session,
        kind="catalog.list.published",
        subject=f"catalog:list:{version.version}",
        payload={
            "version": version.version,
            "title": version.title,
            "entry_count": version.entry_count,
            "added": sorted(c for c, x in changes.items() if x is ListChange.ADDED),
            "changed": sorted(c for c, x in changes.items() if x is ListChange.CHANGED),
            "removed": sorted(c for c, x in changes.items() if x is ListChange.REMOVED),
            "entries_sha256": digest,
        },
        actor=p.party_id,
    )
    version.ledger_index = receipt.entry_id
    session.flush()
    return version


def latest_version(session: Session) -> ListVersion | None:
    return repository.latest_list_version(session)


LIST_NAME = "物流公共数据共享开放清单"


def default_title(session: Session, p: Principal) -> str:
    """A list version's title when none is given: the publisher's name and the list's name."""
    publisher = party_names(session, {p.party_id}).get(p.party_id, "") if p.party_id else ""
    return f"{publisher}{LIST_NAME}"


def resources_since_list(session: Session) -> int:
    """How many resources were published, revised or withdrawn after the latest list version (all
    published ones when no version exists): when it is not zero, a new version is due (待发布清单)."""
    latest = repository.latest_list_version(session)
    stmt = select(func.count()).select_from(DataResource).where(DataResource.status != ResourceStatus.DRAFT)
    if latest is not None:
        since = latest.published_at
        stmt = stmt.where(
            or_(
                DataResource.updated_at > since,
                DataResource.published_at > since,
                DataResource.withdrawn_at > since,
            )
        )
    return session.scalar(stmt) or 0


def list_versions(session: Session, params: PageParams) -> tuple[Sequence[ListVersion], int]:
    return paged(session, repository.list_version_query(), params)


def get_list_version(session: Session, version: int) -> ListVersion:
    found = repository.list_version(session, version)
    if found is None:
        raise NotFound(f"list version {version} not found")
    return found


def version_reads(session: Session, versions: Sequence[ListVersion]) -> list[ListVersionRead]:
    names = party_names(session, {v.published_by_party_id for v in versions if v.published_by_party_id})
    return [_version_read(v, names) for v in versions]


def _version_read(v: ListVersion, names: dict[uuid.UUID, str]) -> ListVersionRead:
    by = v.published_by_party_id
    return ListVersionRead(
        version=v.version,
        title=v.title,
        note=v.note,
        published_at=v.published_at,
        published_by=PartyRef(id=by, name=names.get(by, "")) if by else None,
        entry_count=v.entry_count,
        added=v.added,
        changed=v.changed,
        removed=v.removed,
        ledger_index=v.ledger_index,
    )


def version_detail(session: Session, version: int) -> ListVersionDetail:
    """A version's listed entries, and its diff against the previous version (removals included)."""
    found = get_list_version(session, version)
    entries = repository.entries_of(session, found.id)
    names = party_names(
        session,
        {e.holder_party_id for e in entries}
        | ({found.published_by_party_id} if found.published_by_party_id else set()),
    )
    reads = [
        ListEntryRead(
            catalog_code=e.catalog_code,
            name=e.name,
            holder=PartyRef(id=e.holder_party_id, name=names.get(e.holder_party_id, "")),
            category_code=e.category_code,
            grade_code=e.grade_code,
            sharing_type=e.sharing_type,
            sharing_conditions=e.sharing_conditions,
            sharing_basis=e.sharing_basis,
            open_type=e.open_type,
            open_conditions=e.open_conditions,
            open_basis=e.open_basis,
            update_frequency=e.update_frequency,
            change=e.change,
        )
        for e in entries
    ]

    def codes(change: ListChange) -> list[str]:
        return [e.catalog_code for e in entries if e.change is change]

    return ListVersionDetail(
        **_version_read(found, names).model_dump(),
        entries=[r for r in reads if r.change is not ListChange.REMOVED],
        diff=ListDiff(
            previous_version=found.version - 1 if found.version > 1 else None,
            added=codes(ListChange.ADDED),
            changed=codes(ListChange.CHANGED),
            removed=codes(ListChange.REMOVED),
        ),
    )


# -- sharing report (共享情况通报) -----------------------------------------------------------------


def report_rows(session: Session, version: int) -> list[ReportRow]:
    """Per holder party: listed resources by sharing and open type, and this version's changes."""
    found = get_list_version(session, version)
    entries = repository.entries_of(session, found.id)
    names = party_names(session, {e.holder_party_id for e in entries})
    tally: dict[uuid.UUID, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for e in entries:
        row = tally[e.holder_party_id]
        row[e.change.value] += 1
        if e.change is ListChange.REMOVED:
            continue
        row["listed"] += 1
        row[_SHARING_COLUMN[e.sharing_type]] += 1
        row[_OPEN_COLUMN[e.open_type]] += 1
    rows = [
        ReportRow(
            holder_party_id=party_id,
            holder_name=names.get(party_id, ""),
            listed=t["listed"],
            shared_unconditional=t["shared_unconditional"],
            shared_conditional=t["shared_conditional"],
            not_shared=t["not_shared"],
            open_unconditional=t["open_unconditional"],
            open_conditional=t["open_conditional"],
            not_opened=t["not_opened"],
            added=t["added"],
            changed=t["changed"],
            removed=t["removed"],
        )
        for party_id, t in tally.items()
    ]
    return sorted(rows, key=lambda r: (r.holder_name, str(r.holder_party_id)))


_SHARING_COLUMN = {
    SharingType.UNCONDITIONAL: "shared_unconditional",
    SharingType.CONDITIONAL: "shared_conditional",
    SharingType.NOT_SHARED: "not_shared",
}
_OPEN_COLUMN = {
    OpenType.UNCONDITIONAL: "open_unconditional",
    OpenType.CONDITIONAL: "open_conditional",
    OpenType.NOT_OPENED: "not_opened",
}

REPORT_HEADER = (
    ("holder_name", "数据持有方"),
    ("holder_party_id", "主体标识"),
    ("listed", "清单资源数"),
    ("shared_unconditional", "无条件共享"),
    ("shared_conditional", "有条件共享"),
    ("not_shared", "不予共享"),
    ("open_unconditional", "无条件开放"),
    ("open_conditional", "有条件开放"),
    ("not_opened", "不予开放"),
    ("added", "本期新增"),
    ("changed", "本期变更"),
    ("removed", "本期移出"),
)
"""The report's columns: machine name and Chinese column name (中文列名)."""


def write_report_csv(rows: Sequence[ReportRow], out: TextIO, *, chinese: bool = False) -> None:
    """Write the sharing report as CSV (UTF-8 text; the caller adds a BOM for spreadsheet programs),
    its columns named by their machine names or, with ``chinese``, in Chinese."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([zh if chinese else key for key, zh in REPORT_HEADER])
    for row in rows:
        values = row.model_dump()
        writer.writerow([_cell(values[key]) for key, _ in REPORT_HEADER])


def _cell(value: object) -> str:
    text = str(value)
    # A cell that a spreadsheet would run as a formula is quoted with a leading apostrophe.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
