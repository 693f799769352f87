"""Gzip members of a WARC file, read one at a time, and how to find the next one after damage.

warcio's own reader writes a corrupt member's zlib error to stderr and then behaves as if the
file had ended; reading member by member here turns that into an error at a known offset and
lets the reader carry on at the next intact member.
"""

from __future__ import annotations

import re
import zlib
from typing import BinaryIO

GZIP_MAGIC = b"\x1f\x8b"
_MEMBER_START = b"\x1f\x8b\x08"  # magic + deflate, the only method gzip defines
_BLOCK = 64 * 1024
_SCAN_BLOCK = 1024 * 1024
# First line of a WARC record, or of an ARC v1 record (URL IP 14-digit-date mime length).
_RECORD_START = re.compile(rb"WARC/\d\.\d+\r?\n|\S+:\S* \S+ \d{14} \S* ?\d+\r?\n")
_RECORD_LINE_IN_TEXT = re.compile(rb"\n(?=WARC/\d\.\d+\r?\n|\S+:\S* \S+ \d{14} \S* ?\d+\r?\n)")


class TruncatedMemberError(EOFError):
    """The file ends inside a gzip member."""


class GzipMember:
    """File-like reader of exactly one gzip member starting at `start` (binary `read` only).

    Raises `zlib.error` on corrupt data and `TruncatedMemberError` when the file ends first.
    """

    def __init__(self, fh: BinaryIO, start: int) -> None:
        fh.seek(start)
        self._fh = fh
        self._start = start
        self._fed = 0
        self._decompressor = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        self.decompressed_size = 0
        self.end: int | None = None
        """File offset just past the member, once its end has been read."""

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0:
            size = _BLOCK
        decompressor = self._decompressor
        while not decompressor.eof:
            data = decompressor.unconsumed_tail
            if not data:
                data = self._fh.read(_BLOCK)
                if not data:
                    raise TruncatedMemberError("file ends inside a gzip member")
                self._fed += len(data)
            out = decompressor.decompress(data, size)
            if decompressor.eof:
                self.end = self._start + self._fed - len(decompressor.unused_data)
            if out:
                self.decompressed_size += len(out)
                return out
        return b""

    def close(self) -> None:
        """Nothing to release: the file handle belongs to the caller."""


def looks_like_record_start(data: bytes) -> bool:
    """True when `data` begins like a WARC or ARC record."""
    return _RECORD_START.match(data) is not None


def _probe_member(fh: BinaryIO, offset: int) -> bool:
    fh.seek(offset)
    try:
        head = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS).decompress(fh.read(_BLOCK), 4096)
    except zlib.error:
        return False
    return looks_like_record_start(head)


def find_next_member(fh: BinaryIO, start: int) -> int | None:
    """Offset of the first intact-looking gzip member holding a record start at or after `start`."""
    position = start
    while True:
        fh.seek(position)
        block = fh.read(_SCAN_BLOCK)
        if len(block) < len(_MEMBER_START):
            return None
        index = block.find(_MEMBER_START)
        while index != -1:
            if _probe_member(fh, position + index):
                return position + index
            index = block.find(_MEMBER_START, index + 1)
        position += len(block) - len(_MEMBER_START) + 1


def find_next_record_line(fh: BinaryIO, start: int) -> int | None:
    """Offset of the next line at or after `start` that begins a record (uncompressed files)."""
    position = max(start - 1, 0)  # include the newline that ends the previous line
    overlap = 512
    while True:
        fh.seek(position)
        block = fh.read(_SCAN_BLOCK)
        if not block:
            return None
        match = _RECORD_LINE_IN_TEXT.search(block)
        if match is not None:
            return position + match.end()
        if len(block) < _SCAN_BLOCK:
            return None
        position += len(block) - overlap
