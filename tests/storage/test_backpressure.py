"""The read-ahead bound on pyarrow's streaming readers (读取背压), and its release on abandonment."""

from __future__ import annotations

import io
import threading

import pytest

from logispace.storage import BadHeader, IngestOptions, LocalObjectStore, UploadFormat, ingest
from logispace.storage.encoding import SourceReader, Utf8Reader
from logispace.storage.text_formats import Backpressure


def pressure_over(data: bytes, max_ahead: int) -> Backpressure:
    return Backpressure(Utf8Reader(SourceReader(io.BytesIO(data), 1 << 20)), max_ahead)


def test_reads_wait_for_consumption_and_close_releases_them() -> None:
    pressure = pressure_over(b"x" * 100, max_ahead=1)
    assert pressure.read(10) == b"x" * 10
    results: list[bytes] = []
    blocked = threading.Thread(target=lambda: results.append(pressure.read(10)))
    blocked.start()
    blocked.join(0.2)
    assert blocked.is_alive()  # one block unconsumed: the second read waits
    pressure.consumed()
    blocked.join(10)
    assert results == [b"x" * 10]

    second = threading.Thread(target=lambda: results.append(pressure.read(10)))
    second.start()
    pressure.close()
    second.join(10)
    assert not second.is_alive()
    assert results[-1] == b""  # a closed reader ends the stream


def test_abandoned_uploads_do_not_hold_reading_threads(store: LocalObjectStore) -> None:
    """A header error after pyarrow started reading ahead: repeated more often than pyarrow has
    I/O threads (8), every ingest still finishes, so none of them left a thread waiting."""
    data = b"a,a\n" + b"1,2\n" * 200_000  # many 64 KiB blocks
    outcomes: list[type[Exception]] = []

    def run_all() -> None:
        for _ in range(12):
            with pytest.raises(BadHeader) as raised:
                ingest(
                    io.BytesIO(data),
                    fmt=UploadFormat.CSV,
                    store=store,
                    max_bytes=1 << 30,
                    options=IngestOptions(block_bytes=64 * 1024, max_ahead=2),
                )
            outcomes.append(type(raised.value))

    worker = threading.Thread(target=run_all, daemon=True)
    worker.start()
    worker.join(120)
    assert outcomes == [BadHeader] * 12
    assert store.partials() == []
