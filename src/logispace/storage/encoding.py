"""Reading an upload (读取上传): size limit, source digest, text encoding.

:class:`SourceReader` counts and hashes the raw bytes of an upload and stops at
``max_upload_bytes``. :class:`Utf8Reader` turns a text upload into UTF-8, streaming.

Encoding detection is deterministic and decided once per file:

* a UTF-8 byte order mark means UTF-8 (the mark is dropped); a UTF-16/32 mark is refused;
* while the bytes are plain ASCII nothing needs deciding (ASCII is the same in both encodings);
* the first chunk with a non-ASCII byte decides: strict UTF-8 if it decodes, else GB18030 (a
  superset of GBK and GB2312) if it decodes, else an error naming where each one fails;
* after the decision every byte is checked against that encoding; GB18030 is transcoded to UTF-8.
  A file that changes encoding midway therefore fails with the byte offset and line where the
  chosen encoding stops matching.
"""

from __future__ import annotations

import codecs
import hashlib
from collections.abc import Callable
from typing import BinaryIO

from logispace.storage.errors import UndecodableText, UploadTooLarge
from logispace.storage.objects import Readable

CHUNK_BYTES = 1024 * 1024

UTF8 = "utf-8"
UTF8_BOM = "utf-8-sig"
GB18030 = "gb18030"

_UTF8_BOM = codecs.BOM_UTF8
_OTHER_BOMS = {
    codecs.BOM_UTF32_LE: "UTF-32",
    codecs.BOM_UTF32_BE: "UTF-32",
    codecs.BOM_UTF16_LE: "UTF-16",
    codecs.BOM_UTF16_BE: "UTF-16",
}


class SourceReader:
    """The raw upload: counts and hashes what is read and refuses to read past ``limit`` bytes."""

    def __init__(self, stream: Readable, limit: int) -> None:
        self._stream = stream
        self.limit = limit
        self.size = 0
        self._digest = hashlib.sha256()
        self.closed = False

    def read(self, size: int = -1, /) -> bytes:
        if size is None or size < 0:
            size = CHUNK_BYTES
        # Never ask for more than one byte past the limit: enough to know it is exceeded.
        size = min(size, self.limit - self.size + 1)
        chunk = self._stream.read(size) if size > 0 else b""
        self.size += len(chunk)
        if self.size > self.limit:
            raise UploadTooLarge(
                f"the upload is larger than the limit of {self.limit} bytes "
                f"({self.limit / 1024**3:.2f} GiB); reading stopped there",
                limit_bytes=self.limit,
            )
        self._digest.update(chunk)
        return chunk

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        self.closed = True

    @property
    def sha256(self) -> str:
        return self._digest.hexdigest()


def _where(offset: int, line: int | None) -> str:
    return f"byte offset {offset}" + (f" (line {line})" if line is not None else "")


def line_at(source: BinaryIO, offset: int) -> int:
    """The 1-based line of a byte offset of a seekable upload; the read position is restored."""
    position = source.tell()
    source.seek(0)
    newlines, left = 0, offset
    while left > 0 and (chunk := source.read(min(CHUNK_BYTES, left))):
        newlines += chunk.count(b"\n")
        left -= len(chunk)
    source.seek(position)
    return newlines + 1


class Utf8Reader:
    """UTF-8 bytes of a text upload in UTF-8 (with or without BOM) or GB18030/GBK, streaming.

    ``read(n)`` returns at most ``n`` bytes, so pyarrow's readers can pull from it directly.
    With ``validate=False`` UTF-8 input is only checked up to the line that decides the encoding
    and then passed through untouched (for a reader, like pyarrow's CSV reader, that validates
    UTF-8 itself); GB18030 is always checked since it is transcoded. ``line_at`` turns the byte
    offset of an error into a line number.
    """

    def __init__(
        self,
        raw: Readable,
        chunk_bytes: int = CHUNK_BYTES,
        *,
        validate: bool = True,
        line_at: Callable[[int], int] | None = None,
    ) -> None:
        self._raw = raw
        self._chunk_bytes = chunk_bytes
        self.encoding: str | None = None
        self._decoder: codecs.IncrementalDecoder | None = None
        self._started = False
        self._eof = False
        self._consumed = 0  # raw bytes taken from the source
        self._validate = validate
        self._line_at = line_at
        self._buffer = b""
        self.closed = False

    @property
    def detected_encoding(self) -> str:
        """The encoding in force; plain ASCII counts as UTF-8."""
        return self.encoding or UTF8

    @property
    def validated(self) -> bool:
        """Whether every byte passed through was checked against the encoding."""
        return self._validate or self.encoding in (None, GB18030)

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        self.closed = True

    def read(self, size: int = -1, /) -> bytes:
        if size is None or size < 0:
            size = self._chunk_bytes
        while not self._buffer and not self._eof:
            # GB18030 grows by at most half in UTF-8: read less so one read fills one block.
            want = max(size, self._chunk_bytes)
            self._buffer = self._next(want * 2 // 3 if self.encoding == GB18030 else want)
        out, self._buffer = self._buffer[:size], self._buffer[size:]
        return out

    def _next(self, size: int) -> bytes:
        chunk = self._raw.read(size)
        if not self._started:
            self._started = True
            chunk = self._strip_bom(chunk)
        if not chunk:
            self._eof = True
            return self._finish()
        try:
            return self._convert(chunk)
        finally:
            self._consumed += len(chunk)

    def _strip_bom(self, chunk: bytes) -> bytes:
        for bom, name in _OTHER_BOMS.items():
            if chunk.startswith(bom):
                raise UndecodableText(
                    f"the file is {name} (byte order mark); save it as UTF-8 or GB18030",
                    encoding=name,
                )
        if chunk.startswith(_UTF8_BOM):
            self._use(UTF8_BOM)
            self._consumed = len(_UTF8_BOM)
            return chunk[len(_UTF8_BOM) :]
        return chunk

    def _use(self, encoding: str) -> codecs.IncrementalDecoder:
        self.encoding = encoding
        self._decoder = codecs.getincrementaldecoder(GB18030 if encoding == GB18030 else UTF8)("strict")
        return self._decoder

    def _convert(self, chunk: bytes) -> bytes:
        if self.encoding is None:
            if chunk.isascii():
                return chunk
            return self._decide(chunk)
        if self.encoding != GB18030 and not self._validate:
            return chunk
        if self._decoder is None:  # pragma: no cover - set together with the encoding
            raise RuntimeError("encoding chosen without a decoder")
        try:
            text = self._decoder.decode(chunk, False)
        except UnicodeDecodeError as error:
            raise self._mismatch(error, chunk) from None
        return chunk if self.encoding != GB18030 else text.encode(UTF8)

    def _decide(self, chunk: bytes) -> bytes:
        """The first line with a non-ASCII byte decides: UTF-8 if that line is strict UTF-8, else
        GB18030; the whole chunk is then read in the chosen encoding."""
        start = next(i for i, byte in enumerate(chunk) if byte >= 0x80)
        end = chunk.find(b"\n", start)
        line = chunk if end < 0 else chunk[: end + 1]
        try:
            codecs.getincrementaldecoder(UTF8)("strict").decode(line, False)
        except UnicodeDecodeError as error:
            utf8_failure = self._position(error, line)
        else:
            self._use(UTF8)
            return self._convert(chunk)
        decoder = self._use(GB18030)
        try:
            text = decoder.decode(line, False)
        except UnicodeDecodeError as error:
            self.encoding = None
            raise UndecodableText(
                f"the text is neither UTF-8 (fails at {utf8_failure}) nor GB18030/GBK "
                f"(fails at {self._position(error, line)})",
                tried=[UTF8, GB18030],
            ) from None
        try:
            text += decoder.decode(chunk[len(line) :], False)
        except UnicodeDecodeError as error:
            raise self._mismatch(error, chunk, base=len(line)) from None
        return text.encode(UTF8)

    def _position(self, error: UnicodeDecodeError, chunk: bytes) -> str:
        offset, line = self._locate(error, chunk)
        return _where(offset, line)

    def _locate(self, error: UnicodeDecodeError, chunk: bytes, base: int = 0) -> tuple[int, int | None]:
        """Byte offset in the raw upload and 1-based line of a decoding error in ``chunk[base:]``
        (the decoder may hold bytes back from the previous chunk)."""
        pending = len(error.object) - (len(chunk) - base)
        offset = self._consumed + base - pending + error.start
        return offset, self._line_at(offset) if self._line_at is not None else None

    def _mismatch(self, error: UnicodeDecodeError, chunk: bytes, base: int = 0) -> UndecodableText:
        offset, line = self._locate(error, chunk, base)
        name = "UTF-8" if self.encoding in (UTF8, UTF8_BOM) else "GB18030"
        return UndecodableText(
            f"the file was read as {name} but the bytes at {_where(offset, line)} are not {name}; "
            "it mixes encodings or is damaged",
            encoding=self.encoding,
            byte_offset=offset,
            line=line,
        )

    def _finish(self) -> bytes:
        if self._decoder is None or (self.encoding != GB18030 and not self._validate):
            return b""
        try:
            text = self._decoder.decode(b"", True)
        except UnicodeDecodeError as error:
            raise self._mismatch(error, b"") from None
        return text.encode(UTF8) if self.encoding == GB18030 else b""
