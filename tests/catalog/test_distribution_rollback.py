"""An upload whose database step fails leaves no orphan object; a shared or committed object stays."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from logispace.domains.catalog.distributions import service as dists
from logispace.domains.identity import SYSTEM
from logispace.storage import LocalObjectStore, UploadFormat
from tests.factories.catalog import make_resource
from tests.factories.identity import make_party
from tests.storage.conftest import stored_objects

CSV = "waybill_no,city\nYT0001,郑州\nYT0002,武汉\n".encode()
OTHER = "waybill_no,city\nYT0009,成都\n".encode()


@pytest.fixture
def store(tmp_path: Path) -> LocalObjectStore:
    return LocalObjectStore(tmp_path / "objects")


@pytest.fixture
def code(db: Session) -> str:
    holder = make_party(db, name="丙运输公司")
    code = make_resource(db, holder.id, publish=True).catalog_code
    db.commit()
    return code


def put(db: Session, store: LocalObjectStore, code: str, body: bytes) -> Any:
    stream = io.BytesIO(body)
    return dists.upload(db, SYSTEM, code, stream, fmt=UploadFormat.CSV, store=store, max_bytes=1 << 20)


class LedgerDown(Exception):
    """Stands for any failure after the ingest: a lost connection, a constraint, the ledger."""


def failing_ledger(*args: object, **kwargs: object) -> object:
    raise LedgerDown("ledger unavailable")


def test_a_failed_database_step_removes_the_object_it_created(
    db: Session, store: LocalObjectStore, code: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dists, "ledger_append", failing_ledger)
    with pytest.raises(LedgerDown):
        put(db, store, code, CSV)
    assert len(stored_objects(store)) == 1  # still there until the transaction is known to fail
    db.rollback()
    assert stored_objects(store) == [] and store.partials() == []


def test_a_committed_upload_keeps_its_object_through_later_rollbacks(
    db: Session, store: LocalObjectStore, code: str
) -> None:
    dist = put(db, store, code, CSV)
    db.commit()
    db.rollback()
    assert store.exists(dist.object_sha256)


def test_a_failed_upload_of_bytes_already_stored_keeps_the_shared_object(
    db: Session, store: LocalObjectStore, code: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = put(db, store, code, CSV)
    db.commit()
    monkeypatch.setattr(dists, "ledger_append", failing_ledger)
    with pytest.raises(LedgerDown):
        put(db, store, code, CSV)
    db.rollback()
    assert store.exists(first.object_sha256) and len(stored_objects(store)) == 1


def test_only_the_failed_uploads_object_goes(
    db: Session, store: LocalObjectStore, code: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = put(db, store, code, CSV)
    db.commit()
    monkeypatch.setattr(dists, "ledger_append", failing_ledger)
    with pytest.raises(LedgerDown):
        put(db, store, code, OTHER)
    db.rollback()
    assert [path.name for path in stored_objects(store)] == [first.object_sha256]
