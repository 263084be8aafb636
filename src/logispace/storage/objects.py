"""Content-addressed object store (对象存储): dataset files named by their SHA-256.

Layout under ``Settings.resolved_objects_dir`` (default ``var/objects``)::

    ab/cd/abcd…(64 hex)   one immutable object, read-only (mode 0444)
    tmp/                  partial writes; renamed into place when complete

A write goes to a temporary file under ``tmp/`` (the same filesystem), is hashed while written,
flushed to disk and renamed atomically to its digest's path. A failed write removes its
temporary file, so no partial or orphan object is ever visible. Writing an object that already
exists keeps the existing one (deduplication).

:class:`ObjectStore` is the interface the rest of the application uses, so an S3 store can be
added later; :class:`LocalObjectStore` is the embedded implementation.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from logispace.core.config import Settings
from logispace.storage.errors import ObjectNotFound, UploadTooLarge

CHUNK_BYTES = 1024 * 1024
_DIGEST = re.compile(r"[0-9a-f]{64}")


class Readable(Protocol):
    """Anything with ``read(n) -> bytes``: a file, an upload, a socket stream."""

    def read(self, size: int = -1, /) -> bytes: ...


@dataclass(frozen=True, slots=True)
class StoredObject:
    """An object in the store: its SHA-256 (hex), size in bytes, and whether this write created it
    (``False`` when the same bytes were stored already)."""

    sha256: str
    size: int
    created: bool = False


class Staging(Protocol):
    """A local file to write an object into; :meth:`commit` hashes it and stores it."""

    @property
    def path(self) -> Path: ...

    def commit(self) -> StoredObject: ...


class ObjectStore(Protocol):
    """What the application needs from an object store (local folder now, S3 later)."""

    def put_stream(self, stream: Readable, *, max_bytes: int | None = None) -> StoredObject:
        """Store a stream's bytes, hashing while writing; nothing is left behind on failure."""
        ...

    def staging(self) -> contextlib.AbstractContextManager[Staging]:
        """A temporary local file for a writer (e.g. Parquet) that needs a path; removed unless
        committed."""
        ...

    def open(self, sha256: str) -> BinaryIO:
        """The object's bytes for reading; :class:`ObjectNotFound` if absent."""
        ...

    def exists(self, sha256: str) -> bool: ...

    def path_of(self, sha256: str) -> Path:
        """A local path a query engine (DuckDB) can read; :class:`ObjectNotFound` if absent."""
        ...

    def size(self, sha256: str) -> int: ...

    def delete(self, sha256: str) -> bool:
        """Remove an object; ``True`` if it was there. For undoing a write whose database step failed."""
        ...


def check_digest(sha256: str) -> str:
    """The digest if it is 64 lowercase hex characters; never lets a name escape the store."""
    if not _DIGEST.fullmatch(sha256):
        raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
    return sha256


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


class _LocalStaging:
    """A temporary file in the store's ``tmp/`` folder, committed by hashing and renaming it."""

    def __init__(self, store: LocalObjectStore, path: Path) -> None:
        self._store = store
        self._path = path
        self.committed: StoredObject | None = None

    @property
    def path(self) -> Path:
        return self._path

    def commit(self) -> StoredObject:
        if self.committed is None:
            self.committed = self._store._install(self._path, file_sha256(self._path))
        return self.committed


class LocalObjectStore:
    """The embedded object store: a folder of files sharded by the first two bytes of the digest."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @classmethod
    def from_settings(cls, settings: Settings) -> LocalObjectStore:
        return cls(settings.resolved_objects_dir)

    @property
    def tmp_dir(self) -> Path:
        return self.root / "tmp"

    def _target(self, sha256: str) -> Path:
        check_digest(sha256)
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def _new_temp(self) -> Path:
        self.tmp_dir.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=self.tmp_dir, prefix="partial-")
        os.close(fd)
        return Path(name)

    def _install(self, temp: Path, sha256: str) -> StoredObject:
        """Move a complete temporary file into place under its digest (atomic rename)."""
        target = self._target(sha256)
        size = temp.stat().st_size
        if target.exists():
            temp.unlink()
            return StoredObject(sha256, size)
        with temp.open("rb") as handle:
            os.fsync(handle.fileno())
        temp.chmod(0o444)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(temp, target)
        return StoredObject(sha256, size, created=True)

    def put_stream(self, stream: Readable, *, max_bytes: int | None = None) -> StoredObject:
        temp = self._new_temp()
        try:
            digest = hashlib.sha256()
            written = 0
            with temp.open("wb") as out:
                while chunk := stream.read(CHUNK_BYTES):
                    written += len(chunk)
                    if max_bytes is not None and written > max_bytes:
                        raise UploadTooLarge(
                            f"the upload is larger than the limit of {max_bytes} bytes",
                            limit_bytes=max_bytes,
                        )
                    digest.update(chunk)
                    out.write(chunk)
            return self._install(temp, digest.hexdigest())
        finally:
            temp.unlink(missing_ok=True)

    @contextlib.contextmanager
    def staging(self) -> Iterator[_LocalStaging]:
        staged = _LocalStaging(self, self._new_temp())
        try:
            yield staged
        finally:
            staged.path.unlink(missing_ok=True)

    def open(self, sha256: str) -> BinaryIO:
        try:
            return self._target(sha256).open("rb")
        except FileNotFoundError:
            raise ObjectNotFound(f"no object {sha256}", sha256=sha256) from None

    def exists(self, sha256: str) -> bool:
        return self._target(sha256).is_file()

    def path_of(self, sha256: str) -> Path:
        target = self._target(sha256)
        if not target.is_file():
            raise ObjectNotFound(f"no object {sha256}", sha256=sha256)
        return target

    def size(self, sha256: str) -> int:
        return self.path_of(sha256).stat().st_size

    def delete(self, sha256: str) -> bool:
        target = self._target(sha256)
        try:
            target.unlink()
        except FileNotFoundError:
            return False
        return True

    def partials(self) -> list[Path]:
        """Temporary files still under ``tmp/`` (left only by a killed process)."""
        return sorted(self.tmp_dir.glob("partial-*")) if self.tmp_dir.is_dir() else []
