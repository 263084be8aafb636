"""Distributions (数据分发) and open data (数据开放): uploads stored as Parquet, versions with
schema drift, previews and downloads.

The upload is checked (who, which resource, what state) before a byte is read; the ingest then
stores the Parquet object (nothing is left when it fails); the version row and its ledger entry
are written in the caller's transaction. Services flush but never commit: an object this upload
created is removed again if that transaction rolls back, so a failed database step leaves no orphan.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from logispace.core.clock import utcnow
from logispace.core.errors import NotFound, PermissionDenied
from logispace.domains.catalog import policies, repository
from logispace.domains.catalog.errors import InvalidTransition
from logispace.domains.catalog.models import DataResource, Distribution
from logispace.domains.catalog.schemas import DistributionRead, DriftRead, FieldRead, PartyRef, PreviewRead
from logispace.domains.catalog.search import service as search_service
from logispace.domains.catalog.service import get_resource
from logispace.domains.identity import Principal, party_names
from logispace.domains.ledger import append as ledger_append
from logispace.storage import FieldInfo, ObjectStore, UploadFormat, ingest, schema_drift
from logispace.storage.objects import Readable

PREVIEW_MAX_ROWS = 100


class OpenDataRefused(PermissionDenied):
    """The data is not open to the caller (403); ``must_request`` names what to ask for."""

    code = "open-data-refused"
    title = "The data is not open to you"


def uploadable(session: Session, p: Principal, code: str) -> DataResource:
    """The resource ``p`` may upload to: the holder's admins and stewards, not withdrawn ones."""
    resource = get_resource(session, p, code)
    if not policies.can_edit_resource(p, resource.holder_party_id):
        raise PermissionDenied("only the holder party's administrators and data stewards may upload its data")
    if not policies.editable(resource.status):
        raise InvalidTransition(f"data resource {code} is {resource.status.value}; it takes no new data")
    return resource


def upload(
    session: Session,
    p: Principal,
    code: str,
    stream: Readable,
    *,
    fmt: UploadFormat,
    store: ObjectStore,
    max_bytes: int,
) -> Distribution:
    """Store an upload as the resource's next version (上传新版本) and append it to the ledger."""
    resource = uploadable(session, p, code)
    result = ingest(stream, fmt=fmt, store=store, max_bytes=max_bytes)
    if result.object_created:
        _discard_on_rollback(session, store, result.object_sha256)
    repository.lock_resource(session, resource.id)
    previous = repository.latest_distribution(session, resource.id)
    derived = policies.fields_from_data(resource.fields, [(f.name, f.logical_type) for f in result.fields])
    if derived is not None:  # the structure (数据结构) is taken from the data, new columns added
        resource.fields = derived
    fields = [asdict(f) for f in result.fields]
    drift = None
    if previous is not None:
        old = tuple(FieldInfo(**f) for f in previous.schema_fields)
        change = schema_drift(old, result.fields)
        drift = {**asdict(change), "changed": change.changed}
    dist = Distribution(
        resource_id=resource.id,
        version=(previous.version + 1) if previous is not None else 1,
        object_sha256=result.object_sha256,
        object_size=result.object_size,
        source_sha256=result.source_sha256,
        source_size=result.source_size,
        source_format=result.source_format.value,
        encoding=result.encoding,
        schema_fields=fields,
        widened=list(result.widened),
        row_count=result.row_count,
        drift=drift,
        uploaded_at=utcnow(),
        uploaded_by_party_id=p.party_id,
        uploaded_by_user_id=p.user_id,
    )
    session.add(dist)
    session.flush()
    receipt = ledger_append(
        session,
        kind="catalog.distribution",
        subject=f"catalog:resource:{resource.catalog_code}",
        payload={
            "catalog_code": resource.catalog_code,
            "version": dist.version,
            "object_sha256": dist.object_sha256,
            "source_sha256": dist.source_sha256,
            "source_format": dist.source_format,
            "rows": dist.row_count,
        },
        actor=p.party_id,
    )
    dist.ledger_index = receipt.entry_id
    search_service.reindex(session, resource)  # its download formats may have changed
    session.flush()
    return dist


_NEW_OBJECTS = "catalog.new_objects"


def _discard_on_rollback(session: Session, store: ObjectStore, sha256: str) -> None:
    """Delete the new object ``sha256`` if the session's transaction rolls back instead of committing."""
    session.info.setdefault(_NEW_OBJECTS, []).append((store, sha256))


@event.listens_for(Session, "after_soft_rollback")
def _delete_new_objects(session: Session, previous: SessionTransaction) -> None:
    if previous.parent is None:  # the whole transaction, not a savepoint inside it
        for store, sha256 in session.info.pop(_NEW_OBJECTS, ()):
            store.delete(sha256)


@event.listens_for(Session, "after_commit")
def _keep_new_objects(session: Session) -> None:
    session.info.pop(_NEW_OBJECTS, None)


def list_distributions(
    session: Session, p: Principal | None, code: str
) -> tuple[DataResource, Sequence[Distribution]]:
    """The versions of a resource the caller may see (its metadata's visibility), newest first."""
    resource = get_resource(session, p, code)
    return resource, repository.distributions_of(session, resource.id)


def newest_objects(session: Session, resource_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    """The stored Parquet object (SHA-256) of each resource's newest version, in one query; resources without
    data are left out. No visibility check: for a higher domain acting on a grant it has checked (access)."""
    return repository.newest_object_hashes(session, set(resource_ids))


def distribution_reads(
    session: Session, resource: DataResource, dists: Sequence[Distribution]
) -> list[DistributionRead]:
    names = party_names(session, {d.uploaded_by_party_id for d in dists if d.uploaded_by_party_id})
    return [
        DistributionRead(
            catalog_code=resource.catalog_code,
            version=d.version,
            object_sha256=d.object_sha256,
            object_size=d.object_size,
            source_sha256=d.source_sha256,
            source_size=d.source_size,
            source_format=d.source_format,
            encoding=d.encoding,
            fields=[FieldRead.model_validate(f) for f in d.schema_fields],
            widened=list(d.widened),
            row_count=d.row_count,
            drift=DriftRead.model_validate(d.drift) if d.drift is not None else None,
            uploaded_at=d.uploaded_at,
            uploaded_by=PartyRef(id=d.uploaded_by_party_id, name=names.get(d.uploaded_by_party_id, ""))
            if d.uploaded_by_party_id
            else None,
            ledger_index=d.ledger_index,
        )
        for d in dists
    ]


# -- open data (数据开放) -----------------------------------------------------------------------------


def open_distribution(session: Session, p: Principal | None, code: str) -> tuple[DataResource, Distribution]:
    """The newest distribution, if the caller may read the data: 404 for drafts they may not see
    and for resources without data, 403 naming what must be requested otherwise."""
    resource = get_resource(session, p, code)
    refusal = policies.open_data_refusal(p, resource.holder_party_id, resource.status, resource.open_type)
    if refusal is not None:
        raise OpenDataRefused(
            f"data resource {code} is not open to you: {refusal}",
            open_type=resource.open_type.value,
            must_request=refusal,
        )
    dist = repository.latest_distribution(session, resource.id)
    if dist is None:
        raise NotFound(f"data resource {code} has no data uploaded yet")
    return resource, dist


def preview(store: ObjectStore, resource: DataResource, dist: Distribution, rows: int) -> PreviewRead:
    """The first ``rows`` rows, read from the Parquet object one batch at a time."""
    parquet = pq.ParquetFile(store.path_of(dist.object_sha256))
    first: list[dict[str, Any]] = []
    if rows > 0:
        for batch in parquet.iter_batches(batch_size=rows):
            first = batch.to_pylist()
            break
    return PreviewRead(
        catalog_code=resource.catalog_code,
        version=dist.version,
        fields=[FieldRead.model_validate(f) for f in dist.schema_fields],
        row_count=dist.row_count,
        rows=first,
    )


def csv_chunks(
    store: ObjectStore, dist: Distribution, titles: Mapping[str, str] | None = None
) -> Iterator[bytes]:
    """The distribution as UTF-8 CSV (with a byte order mark for spreadsheet programs), one
    Parquet batch at a time. With ``titles`` (a column's name in lower case -> its Chinese name) the
    first row names each column in Chinese where it has a name (中文列名), else as stored."""
    parquet = pq.ParquetFile(store.path_of(dist.object_sha256))
    yield "\ufeff".encode()
    if titles is not None:
        out = io.StringIO()
        names = parquet.schema_arrow.names
        csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL).writerow(
            [titles.get(name.lower()) or name for name in names]
        )
        yield out.getvalue().encode()
    header = titles is None
    for batch in parquet.iter_batches(batch_size=65_536):
        sink = pa.BufferOutputStream()
        pacsv.write_csv(batch, sink, write_options=pacsv.WriteOptions(include_header=header))
        header = False
        yield sink.getvalue().to_pybytes()
    if header:  # no rows at all: still give the header
        sink = pa.BufferOutputStream()
        pacsv.write_csv(parquet.schema_arrow.empty_table(), sink)
        yield sink.getvalue().to_pybytes()


def column_titles(resource: DataResource) -> dict[str, str]:
    """The Chinese names the holder gave the resource's columns (数据结构), by lower-case name."""
    return {f["name"].lower(): f["title"] for f in resource.fields if f.get("title")}
