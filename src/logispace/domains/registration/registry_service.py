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
from logispace.domains.registration import registry_repository
from logispace.domains.registration.enums import ApplicationType, RecordState, SubjectKind


@dataclass(frozen=True)
class PublicRecord:
    """A published registration (登记结果) as the registry shows it."""

    id: uuid.UUID
    code: str | None  # the registration code (登记编号) once certificates carry one
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
    infos = registry_repository.record_infos(session)
    names = party_names(session, {h for _, h, _ in infos})
    holders = sorted({(h, names.get(h, "")) for _, h, _ in infos}, key=lambda x: x[1])
    industries = sorted({str(i["industry"]) for _, _, i in infos if i.get("industry")})
    return RegistryFacets(holders, industries)


def search_records(
    session: Session,
    params: PageParams,
    *,
    name: str | None = None,
    holder: uuid.UUID | None = None,
    subject_kind: SubjectKind | None = None,
    industry: str | None = None,
) -> tuple[list[PublicRecord], int]:
    """Published registrations by name (or catalogue code), holder, subject kind and industry."""
    infos = {r: i for r, _, i in registry_repository.record_infos(session)}
    ids = {r for r, i in infos.items() if i.get("industry") == industry} if industry else None
    stmt = registry_repository.public_records_query(
        name=name, holder=holder, subject_kind=subject_kind, record_ids=ids
    )
    records, total = paged(session, stmt, params)
    names = party_names(session, {r.holder_party_id for r in records})
    return [
        PublicRecord(
            id=r.id,
            code=getattr(r, "code", None),
            data_name=r.data_name,
            catalog_code=r.catalog_code,
            holder_id=r.holder_party_id,
            holder=names.get(r.holder_party_id, ""),
            subject_kind=r.subject_kind,
            industry=infos.get(r.id, {}).get("industry"),
            state=r.state,
            version=r.version,
            issued_on=r.issued_on,
            valid_from=r.valid_from,
            valid_to=r.valid_to,
        )
        for r in records
    ], total


def publicity_list(session: Session) -> list[PublicityItem]:
    """Every application in publicity now, the soonest to close first."""
    applications = registry_repository.in_publicity(session)
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
