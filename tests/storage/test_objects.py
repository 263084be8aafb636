"""Content-addressed object store (对象存储): layout, atomic writes, no orphans on failure."""

from __future__ import annotations

import hashlib
import io
import stat
from pathlib import Path

import pytest

from logispace.core.config import Settings
from logispace.storage import LocalObjectStore, ObjectNotFound, UploadTooLarge
from logispace.storage.objects import ObjectStore
from tests.storage.conftest import assert_nothing_left, stored_objects


class FailingStream:
    """Gives some bytes, then fails like a dropped connection."""

    def __init__(self, good: bytes) -> None:
        self._good = io.BytesIO(good)

    def read(self, size: int = -1, /) -> bytes:
        chunk = self._good.read(size)
        if not chunk:
            raise ConnectionResetError("client went away")
        return chunk


def test_put_stream_stores_under_the_sharded_digest(store: LocalObjectStore) -> None:
    data = b"waybill,plate\nWB1,\xe6\xa1\x82A12345\n" * 1000
    digest = hashlib.sha256(data).hexdigest()
    stored = store.put_stream(io.BytesIO(data))
    assert (stored.sha256, stored.size) == (digest, len(data))
    path = store.path_of(digest)
    assert path == store.root / digest[:2] / digest[2:4] / digest
    assert stat.S_IMODE(path.stat().st_mode) == 0o444
    assert store.exists(digest)
    assert store.size(digest) == len(data)
    with store.open(digest) as handle:
        assert handle.read() == data
    assert store.partials() == []


def test_the_same_content_is_stored_once(store: LocalObjectStore) -> None:
    first = store.put_stream(io.BytesIO(b"same"))
    second = store.put_stream(io.BytesIO(b"same"))
    assert (first.sha256, first.size) == (second.sha256, second.size)
    assert first.created and not second.created
    assert stored_objects(store) == [store.path_of(first.sha256)]


def test_the_store_deletes_only_what_it_holds(store: LocalObjectStore) -> None:
    obj = store.put_stream(io.BytesIO(b"abc"))
    assert store.delete(obj.sha256) is True and store.delete(obj.sha256) is False
    assert not store.exists(obj.sha256) and stored_objects(store) == []


def test_a_failed_write_leaves_nothing(store: LocalObjectStore) -> None:
    with pytest.raises(ConnectionResetError):
        store.put_stream(FailingStream(b"x" * 3_000_000))
    assert_nothing_left(store)


def test_a_stream_over_the_limit_is_refused_and_leaves_nothing(store: LocalObjectStore) -> None:
    with pytest.raises(UploadTooLarge) as raised:
        store.put_stream(io.BytesIO(b"x" * 2_000_001), max_bytes=2_000_000)
    assert raised.value.extensions["limit_bytes"] == 2_000_000
    assert raised.value.status == 413
    assert_nothing_left(store)


def test_staging_is_removed_unless_committed(store: LocalObjectStore) -> None:
    def write_half() -> None:
        with store.staging() as staged:
            staged.path.write_bytes(b"half a parquet file")
            raise RuntimeError("writer failed")

    with pytest.raises(RuntimeError, match="writer failed"):
        write_half()
    assert_nothing_left(store)
    with store.staging() as staged:
        staged.path.write_bytes(b"a whole file")
        stored = staged.commit()
    assert store.open(stored.sha256).read() == b"a whole file"
    assert store.partials() == []


def test_missing_objects_are_not_found(store: LocalObjectStore) -> None:
    missing = "0" * 64
    assert not store.exists(missing)
    for call in (store.open, store.path_of, store.size):
        with pytest.raises(ObjectNotFound) as raised:
            call(missing)
        assert raised.value.status == 404


@pytest.mark.parametrize("name", ["../../etc/passwd", "ABC", "0" * 63, "0" * 64 + "/x", "g" * 64])
def test_names_that_are_not_digests_are_refused(store: LocalObjectStore, name: str) -> None:
    with pytest.raises(ValueError, match="not a SHA-256"):
        store.exists(name)


def test_settings_put_objects_under_var_dir_unless_told(tmp_path: Path) -> None:
    assert Settings(var_dir=tmp_path).resolved_objects_dir == tmp_path / "objects"
    assert Settings(var_dir=tmp_path, objects_dir=tmp_path / "o").resolved_objects_dir == tmp_path / "o"
    assert Settings().max_upload_bytes == 2 * 1024**3
    store: ObjectStore = LocalObjectStore.from_settings(Settings(var_dir=tmp_path))
    assert store.put_stream(io.BytesIO(b"x")).size == 1
