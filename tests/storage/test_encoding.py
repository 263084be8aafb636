"""Reading uploads: the size limit, the source digest, and UTF-8 / GBK / GB18030 detection (编码识别)."""

from __future__ import annotations

import hashlib
import io

import pytest

from logispace.storage import UndecodableText, UploadTooLarge
from logispace.storage.encoding import SourceReader, Utf8Reader, line_at

TEXT = "运单号,车牌,起运地\nWB1,桂A12345,钦州市钦南区\nWB2,蒙K54321,二连浩特市\n"


def read_all(reader: Utf8Reader, size: int = 5) -> bytes:
    out = b""
    while chunk := reader.read(size):
        assert len(chunk) <= size
        out += chunk
    return out


def reader_of(data: bytes, chunk_bytes: int = 7, validate: bool = True) -> Utf8Reader:
    source = io.BytesIO(data)
    return Utf8Reader(
        SourceReader(source, 1 << 30),
        chunk_bytes,
        validate=validate,
        line_at=lambda offset: line_at(source, offset),
    )


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (b"plain,ascii\n1,2\n", "utf-8"),
        (TEXT.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("gbk"), "gb18030"),
        (TEXT.encode("gb2312"), "gb18030"),
        # characters outside GBK (an extension-B ideograph, the euro sign) need GB18030's four-byte codes
        ((TEXT + "𠀀,€,㐀\n").encode("gb18030"), "gb18030"),
        # ASCII first, Chinese only further on: the first non-ASCII line decides
        (("a,b\n" * 50 + TEXT).encode("gbk"), "gb18030"),
    ],
)
@pytest.mark.parametrize("chunk_bytes", [3, 7, 1 << 20])
@pytest.mark.parametrize("validate", [True, False])
def test_detects_and_transcodes_to_utf8(data: bytes, encoding: str, chunk_bytes: int, validate: bool) -> None:
    reader = reader_of(data, chunk_bytes, validate)
    expected = data.decode("utf-8-sig" if encoding.startswith("utf-8") else "gb18030").encode("utf-8")
    assert read_all(reader) == expected
    assert reader.detected_encoding == encoding


@pytest.mark.parametrize(
    ("data", "message", "extensions"),
    [
        (
            "a,b\n北京,1\n".encode() + "上海,2\n".encode("gbk"),
            "read as UTF-8 but the bytes at byte offset 13 (line 3) are not UTF-8",
            {"encoding": "utf-8", "byte_offset": 13, "line": 3},
        ),
        (
            "a,b\n北京,1\n".encode("gbk") + b"\xff\xfe,2\n",
            "read as GB18030 but the bytes at byte offset 11 (line 3) are not GB18030",
            {"encoding": "gb18030", "byte_offset": 11, "line": 3},
        ),
        (
            "a,b\n北京,1\n".encode()[:-3] + b"\xe4\xb8",  # cut inside a character at the end
            "read as UTF-8 but the bytes at byte offset 10 (line 2) are not UTF-8",
            {"byte_offset": 10, "line": 2},
        ),
        (
            b"a,b\n1,\x80\xff\n",
            "neither UTF-8 (fails at byte offset 6 (line 2)) "
            "nor GB18030/GBK (fails at byte offset 6 (line 2))",
            {"tried": ["utf-8", "gb18030"]},
        ),
        (b"\xff\xfea\x00,\x00b\x00", "the file is UTF-16 (byte order mark)", {"encoding": "UTF-16"}),
    ],
)
@pytest.mark.parametrize("chunk_bytes", [4, 1 << 20])
def test_undecodable_text_names_offset_and_line(
    data: bytes, message: str, extensions: dict[str, object], chunk_bytes: int
) -> None:
    with pytest.raises(UndecodableText) as raised:
        read_all(reader_of(data, chunk_bytes))
    assert message in raised.value.detail
    assert extensions.items() <= raised.value.extensions.items()
    assert raised.value.status == 400


def test_without_validation_utf8_passes_through_after_the_deciding_line() -> None:
    data = "a,b\n北京,1\n".encode() + "上海,2\n".encode("gbk")
    assert read_all(reader_of(data, chunk_bytes=1 << 20, validate=False)) == data


def test_source_reader_hashes_and_counts() -> None:
    data = TEXT.encode() * 100
    reader = SourceReader(io.BytesIO(data), len(data))
    while reader.read(1000):
        pass
    assert (reader.size, reader.sha256) == (len(data), hashlib.sha256(data).hexdigest())


def test_source_reader_stops_one_byte_past_the_limit() -> None:
    source = io.BytesIO(b"x" * 10_000)
    reader = SourceReader(source, 4096)
    assert len(reader.read(4096)) == 4096
    with pytest.raises(UploadTooLarge, match="limit of 4096 bytes"):
        reader.read(1 << 20)
    assert source.tell() == 4097


def test_line_at_restores_the_position() -> None:
    source = io.BytesIO(b"a\nb\nc\n")
    source.seek(3)
    assert [line_at(source, offset) for offset in (0, 1, 2, 4, 6)] == [1, 1, 2, 3, 4]
    assert source.tell() == 3
