"""Public registry (登记公示与查询): published registrations and the applications in publicity.

Registration results are public (004:802; 004:5420) and so are the applications in publicity with
their period (公示, 004:798; 004:5416). Nothing else of a file is shown here: no draft, no
application under review, no attachment, no objector.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from logispace.core.pagination import PageParams, paged
from logispace.domains.identity import party_names
from logispace.domains.registration import repository
from logispace.domains.registration.enums import ApplicationType, RecordState, SubjectKind
from logispace.domains.registration.registry import repository as registry_repository


@dataclass(frozen=True)
class PublicRecord:
    """A published registration (登记结果) as the registry shows it."""

    id: uuid.UUID
    code: str | None  # the registration code (登记编码, 一证一码) of its certificate
    data_name: str
    catalog_code: str | None
    holder_id: uuid.UUID
    holder: str
    subject_kind: SubjectKind
    industry: str | None
    state: RecordState
    version: int
    issued_on: date
    valid_from: date
    valid_to: date


@dataclass(frozen=True)
class PublicityItem:
    """An application in publicity (公示中) with its period."""

    id: uuid.UUID
    application_type: ApplicationType
    data_name: str
    catalog_code: str | None
    holder_id: uuid.UUID
    holder: str
    subject_kind: SubjectKind
    industry: str | None
    publicity_start: date | None
    publicity_end: date | None


@dataclass(frozen=True)
class RegistryFacets:
    """What the registry search can be narrowed by: the holders and industries that have records."""

    holders: list[tuple[uuid.UUID, str]]
    industries: list[str]


def facets(session: Session) -> RegistryFacets:
    holder_ids = registry_repository.record_holders(session)
    names = party_names(session, set(holder_ids))
    holders = sorted(((h, names.get(h, "")) for h in holder_ids), key=lambda x: (x[1], str(x[0])))
    return RegistryFacets(holders, registry_repository.record_industries(session))


def search_records(
    session: Session,
    params: PageParams,
    *,
    name: str | None = None,
    holder: uuid.UUID | None = None,
    subject_kind: SubjectKind | None = None,
    industry: str | None = None,
) -> tuple[list[PublicRecord], int]:
    """Published registrations by name (or catalogue code), holder, subject kind and industry, all in
    SQL so that paging and the total count are those of the filtered rows."""
    wanted = industry.strip() if industry else None
    stmt = registry_repository.public_records_query(
        name=name, holder=holder, subject_kind=subject_kind, industry=wanted or None
    )
    records, total = paged(session, stmt, params)
    names = party_names(session, {r.holder_party_id for r in records})
    codes = repository.certificate_codes(session, [r.id for r in records])
    return [
        PublicRecord(
            id=r.id,
            code=codes.get(r.id),
            data_name=r.data_name,
            catalog_code=r.catalog_code,
            holder_id=r.holder_party_id,
            holder=names.get(r.holder_party_id, ""),
            subject_kind=r.subject_kind,
            industry=r.industry,
            state=r.state,
            version=r.version,
            issued_on=r.issued_on,
            valid_from=r.valid_from,
            valid_to=r.valid_to,
        )
        for r in records
    ], total


def publicity_list(session: Session, today: date) -> list[PublicityItem]:
    """Every application open to objections on ``today`` (also those whose objections are under review
    while the period runs), the soonest to close first."""
    applications = registry_repository.in_publicity(session, today)
    names = party_names(session, {a.holder_party_id for a in applications})
    initial = registry_repository.infos_of(
        session, {a.initial_application_id for a in applications if a.initial_application_id}
    )
    out = []
    for a in applications:
        info = {**initial.get(a.initial_application_id, {}), **a.info} if a.initial_application_id else a.info
        out.append(
            PublicityItem(
                id=a.id,
                application_type=a.application_type,
                data_name=a.data_name,
                catalog_code=a.catalog_code,
                holder_id=a.holder_party_id,
                holder=names.get(a.holder_party_id, ""),
                subject_kind=a.subject_kind,
                industry=info.get("industry"),
                publicity_start=a.publicity_start,
                publicity_end=a.publicity_end,
            )
        )
    return out
