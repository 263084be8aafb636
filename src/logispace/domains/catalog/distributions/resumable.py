"""Resumable uploads (断点续传) of a resource's next version, in chunks with offsets.

A tus-like protocol over a few routes: the holder announces the file (name and size) and gets an upload
id; it sends the bytes in order, each chunk naming the offset it starts at (``Upload-Offset``); after an
interruption it asks for the offset reached and goes on from there; the last step assembles the chunks
and ingests them through :func:`.service.upload`, the same path as a one-shot upload (Parquet object,
version row, ledger entry, in the caller's transaction).

Chunks are stored as files in the object store's temporary folder, one per offset, so a chunk that did
not arrive whole is never counted: it is written aside and linked into place only when complete, and
a second request for the same offset loses the race with a 409 naming the offset reached. Only the party
that started an upload sees it (404 for anyone else, as for a missing one). The folder of an ingested
upload is removed once the transaction commits; a rolled-back one can be completed again.
"""

from __future__ import annotations

import bisect
import io
import json
import os
import re
import shutil
import tempfile
import uuid
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from logispace.core.clock import utcnow
from logispace.core.errors import Conflict, NotFound
from logispace.domains.catalog import policies
from logispace.domains.catalog.distributions import service as dists
from logispace.domains.catalog.models import Distribution
from logispace.domains.identity import Principal
from logispace.storage import LocalObjectStore, UploadTooLarge, format_for

UPLOAD_ID = re.compile(r"^[0-9a-f]{32}$")
COPY_BUFFER = 1024 * 1024
KEPT_FOR = timedelta(days=7)
"""An upload not completed within this long is given up: its chunks are removed when the next upload
starts, and asking for it is a 404."""


class UploadOffsetMismatch(Conflict):
    """The chunk does not start where the upload stands (409); ``offset`` says where to go on from."""

    code = "upload-offset-mismatch"
    title = "The chunk does not start at the upload's offset"


class UploadIncomplete(Conflict):
    """The upload is asked to finish before all its bytes arrived (409), or a chunk overshoots its size."""

    code = "upload-incomplete"
    title = "The upload does not have all its bytes"


@dataclass(frozen=True)
class UploadState:
    """An upload in progress (上传任务): who started it, for which resource, which file."""

    id: str
    catalog_code: str
    party_id: str
    user_id: str | None
    filename: str
    size: int
    started_at: str

    def folder(self, store: LocalObjectStore) -> Path:
        return uploads_dir(store) / self.id


def uploads_dir(store: LocalObjectStore) -> Path:
    return store.tmp_dir / "resumable"


def _chunks(folder: Path) -> list[tuple[int, Path]]:
    """The stored chunks ``(offset, path)`` in order."""
    found = []
    for path in folder.glob("*.part"):
        try:
            found.append((int(path.stem), path))
        except ValueError:
            continue
    return sorted(found)


def _offset(folder: Path) -> int:
    """Where the upload stands: the end of its contiguous chunks from 0."""
    reached = 0
    for start, path in _chunks(folder):
        if start != reached:
            break
        reached += path.stat().st_size
    return reached


def start(
    session: Session,
    p: Principal,
    code: str,
    *,
    filename: str,
    size: int,
    store: LocalObjectStore,
    max_bytes: int,
) -> UploadState:
    """Announce an upload (开始上传): checked like a one-shot upload before a byte is sent."""
    dists.uploadable(session, p, code)  # 404 / 403 / 409 first
    sweep(store)
    format_for(filename)  # 415 for a format the ingest does not read
    if size > max_bytes:
        raise UploadTooLarge(f"the upload exceeds the limit of {max_bytes} bytes", limit_bytes=max_bytes)
    state = UploadState(
        id=uuid.uuid4().hex,
        catalog_code=code,
        party_id=str(p.party_id),
        user_id=str(p.user_id) if p.user_id else None,
        filename=filename,
        size=size,
        started_at=utcnow().isoformat(),
    )
    folder = state.folder(store)
    folder.mkdir(parents=True)
    (folder / "upload.json").write_text(json.dumps(asdict(state)), encoding="utf-8")
    return state


def status(p: Principal, code: str, upload_id: str, store: LocalObjectStore) -> tuple[UploadState, int]:
    """The upload and the offset reached; 404 for an unknown id or another party's upload."""
    missing = NotFound(f"upload {upload_id} of data resource {code} not found")
    if not UPLOAD_ID.fullmatch(upload_id):
        raise missing
    folder = uploads_dir(store) / upload_id
    try:
        state = UploadState(**json.loads((folder / "upload.json").read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        raise missing from None
    if started_at(state) + KEPT_FOR < utcnow():
        shutil.rmtree(folder, ignore_errors=True)
        raise missing
    if (
        state.catalog_code != code
        or p.party_id is None
        or state.party_id != str(p.party_id)
        or not policies.can_edit_resource(p, p.party_id)  # the party's administrators and stewards
    ):
        raise missing
    return state, _offset(folder)


def receiving(state: UploadState, store: LocalObjectStore) -> Path:
    """A fresh file in the upload's folder for a chunk on its way (not counted until committed)."""
    with tempfile.NamedTemporaryFile(dir=state.folder(store), prefix="incoming-", delete=False) as aside:
        return Path(aside.name)


def commit_chunk(
    p: Principal, code: str, upload_id: str, offset: int, received: Path, store: LocalObjectStore
) -> int:
    """Count the chunk that arrived whole in ``received`` as the bytes from ``offset`` (续传); the new
    offset. The file is moved into place or removed, never left behind."""
    try:
        state, reached = status(p, code, upload_id, store)
        if offset != reached:
            raise UploadOffsetMismatch(f"the upload stands at byte {reached}, not {offset}", offset=reached)
        written = received.stat().st_size
        if reached + written > state.size:
            raise UploadIncomplete(
                f"the chunk runs past the announced size of {state.size} bytes", offset=reached
            )
        if written == 0:
            return reached
        folder = state.folder(store)
        try:
            os.link(received, folder / f"{offset:020d}.part")  # atomic: one request per offset wins
        except FileExistsError:
            raise UploadOffsetMismatch(
                f"another chunk at byte {offset} arrived first", offset=_offset(folder)
            ) from None
        return reached + written
    finally:
        received.unlink(missing_ok=True)


def append(
    p: Principal, code: str, upload_id: str, offset: int, chunk: BinaryIO, store: LocalObjectStore
) -> int:
    """Store the chunk read from ``chunk`` as the bytes from ``offset``; the new offset."""
    state, _ = status(p, code, upload_id, store)
    received = receiving(state, store)
    with received.open("wb") as out:
        while block := chunk.read(COPY_BUFFER):
            out.write(block)
            if out.tell() > state.size:
                break
    return commit_chunk(p, code, upload_id, offset, received, store)


class _Chunks(io.RawIOBase):
    """The stored chunks read as one seekable file, without copying them together."""

    def __init__(self, parts: list[Path]) -> None:
        self._files = [part.open("rb") for part in parts]
        self._starts: list[int] = []
        total = 0
        for f in self._files:
            self._starts.append(total)
            total += os.fstat(f.fileno()).st_size
        self._size = total
        self._pos = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._size}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        if self._pos >= self._size or not self._files:
            return 0
        index = bisect.bisect_right(self._starts, self._pos) - 1
        f = self._files[index]
        f.seek(self._pos - self._starts[index])
        n = f.readinto(view)
        self._pos += n
        return n

    def close(self) -> None:
        for f in self._files:
            f.close()
        super().close()


def finish(
    session: Session, p: Principal, code: str, upload_id: str, *, store: LocalObjectStore, max_bytes: int
) -> Distribution:
    """Assemble the chunks and ingest them as the resource's next version (完成上传)."""
    state, reached = status(p, code, upload_id, store)
    if reached != state.size:
        raise UploadIncomplete(
            f"the upload has {reached} of {state.size} bytes; send the rest from byte {reached}",
            offset=reached,
        )
    fmt = format_for(state.filename)
    folder = state.folder(store)
    with io.BufferedReader(_Chunks([path for _, path in _chunks(folder)]), COPY_BUFFER) as whole:
        dist = dists.upload(session, p, code, whole, fmt=fmt, store=store, max_bytes=max_bytes)
    session.info.setdefault(_FINISHED, []).append(folder)
    return dist


def cancel(p: Principal, code: str, upload_id: str, store: LocalObjectStore) -> None:
    """Give an upload up (取消上传): its chunks are removed."""
    state, _ = status(p, code, upload_id, store)
    shutil.rmtree(state.folder(store), ignore_errors=True)


def started_at(state: UploadState) -> datetime:
    return datetime.fromisoformat(state.started_at)


def sweep(store: LocalObjectStore) -> int:
    """Remove the uploads given up (older than :data:`KEPT_FOR`); how many."""
    removed = 0
    folder = uploads_dir(store)
    if not folder.is_dir():
        return 0
    for meta in folder.glob("*/upload.json"):
        try:
            state = UploadState(**json.loads(meta.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            continue
        if started_at(state) + KEPT_FOR < utcnow():
            shutil.rmtree(meta.parent, ignore_errors=True)
            removed += 1
    return removed


_FINISHED = "catalog.finished_uploads"


@event.listens_for(Session, "after_commit")
def _remove_finished(session: Session) -> None:
    for folder in session.info.pop(_FINISHED, ()):
        shutil.rmtree(folder, ignore_errors=True)


@event.listens_for(Session, "after_soft_rollback")
def _keep_unfinished(session: Session, previous: SessionTransaction) -> None:
    if previous.parent is None:  # rolled back: the chunks stay, the upload can be completed again
        session.info.pop(_FINISHED, None)
