"""Stored HTTP payload -> entity body: de-chunking and Content-Encoding decoding, both bounded.

Written here rather than taken from warcio's `content_stream()`, which reports a broken gzip
stream only on stderr and has no size limit (a decompression bomb would fill memory).
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

import brotli  # type: ignore[import-untyped]

_CHUNK_SIZE = re.compile(rb"[0-9A-Fa-f]{1,16}")
_BROTLI_INPUT = 16 * 1024
SUPPORTED_ENCODINGS = ("gzip", "x-gzip", "deflate", "br")


def dechunk(data: bytes) -> tuple[bytes, bool] | None:
    """(body, complete) of chunk-framed `data`; None when `data` does not start chunk-framed.

    Tolerates bare LF line ends; a framing error after the first chunk ends the body there
    (complete=False), as a truncated capture would.
    """
    out = bytearray()
    position = 0
    while True:
        line_end = data.find(b"\n", position)
        if line_end < 0:
            return (bytes(out), False) if position else None
        size_text = data[position:line_end].rstrip(b"\r").split(b";", 1)[0].strip()
        if not _CHUNK_SIZE.fullmatch(size_text):
            return (bytes(out), False) if position else None
        size = int(size_text, 16)
        if size == 0:
            return bytes(out), True  # trailer fields, if any, are not part of the body
        start = line_end + 1
        out += data[start : start + size]
        position = start + size
        if position > len(data):
            return bytes(out), False
        if data.startswith(b"\r\n", position):
            position += 2
        elif data.startswith(b"\n", position):
            position += 1
        else:
            return bytes(out), False


@dataclass(frozen=True, slots=True)
class DecodedBody:
    body: bytes
    error: str | None = None
    """Why the body could not be decoded; `body` is then the undecoded input."""
    incomplete: bool = False
    """The compressed stream ends early; `body` is what it decodes to so far."""
    cut: bool = False
    """Decoding stopped at the size limit."""


@dataclass(frozen=True, slots=True)
class _Step:
    output: bytes
    rest: bytes
    complete: bool
    cut: bool


def _inflate(data: bytes, wbits: int, limit: int) -> _Step:
    decompressor = zlib.decompressobj(wbits=wbits)
    out = bytearray()
    pending = data
    while True:
        out += decompressor.decompress(pending, max(limit - len(out), 1))
        pending = decompressor.unconsumed_tail
        if decompressor.eof:
            return _Step(bytes(out[:limit]), decompressor.unused_data, True, len(out) > limit)
        if len(out) >= limit and pending:
            return _Step(bytes(out[:limit]), b"", False, True)
        if not pending:
            out += decompressor.flush()
            return _Step(bytes(out[:limit]), b"", False, len(out) > limit)


def _gunzip(data: bytes, limit: int) -> _Step:
    """gzip (several members allowed; zlib-wrapped data too, as some servers send)."""
    out = bytearray()
    rest = data
    while True:
        step = _inflate(rest, 32 + zlib.MAX_WBITS, limit - len(out))
        out += step.output
        if not step.complete or step.cut:
            return _Step(bytes(out), b"", step.complete, step.cut)
        rest = step.rest
        if not rest.startswith(b"\x1f\x8b"):  # padding after the last member is ignored
            return _Step(bytes(out), b"", True, False)


def _inflate_deflate(data: bytes, limit: int) -> _Step:
    """`deflate` is meant to be zlib-wrapped; many servers send raw deflate instead."""
    try:
        return _inflate(data, zlib.MAX_WBITS, limit)
    except zlib.error:
        return _inflate(data, -zlib.MAX_WBITS, limit)


def _unbrotli(data: bytes, limit: int) -> _Step:
    decompressor = brotli.Decompressor()
    bounded = hasattr(decompressor, "can_accept_more_data")  # brotli >= 1.2
    out = bytearray()
    for start in range(0, len(data), _BROTLI_INPUT):
        chunk = data[start : start + _BROTLI_INPUT]
        while True:
            if len(out) >= limit:
                return _Step(bytes(out[:limit]), b"", False, True)
            if not bounded:
                out += decompressor.process(chunk)
                break
            out += decompressor.process(chunk, output_buffer_limit=limit - len(out))
            chunk = b""
            if decompressor.can_accept_more_data():
                break
    finished = bool(decompressor.is_finished())
    return _Step(bytes(out[:limit]), b"", finished, len(out) > limit)


def _decode_one(encoding: str, data: bytes, limit: int) -> _Step:
    if encoding in ("gzip", "x-gzip"):
        return _gunzip(data, limit)
    if encoding == "deflate":
        return _inflate_deflate(data, limit)
    return _unbrotli(data, limit)


def content_encodings(header_value: str | None) -> list[str]:
    """Codings in the order they were applied, lower case, `identity` left out."""
    if not header_value:
        return []
    codings = (token.strip().lower() for token in header_value.split(","))
    return [coding for coding in codings if coding and coding != "identity"]


def decode_content(data: bytes, content_encoding: str | None, *, limit: int) -> DecodedBody:
    """Undo `content_encoding` (e.g. "gzip" or "gzip, br") with output bounded by `limit`."""
    codings = content_encodings(content_encoding)
    if not data:
        return DecodedBody(b"")  # HEAD, 204, 304: nothing was encoded
    unsupported = [coding for coding in codings if coding not in SUPPORTED_ENCODINGS]
    if unsupported:
        return DecodedBody(
            data[:limit], error=f"unsupported Content-Encoding {', '.join(unsupported)}"
        )
    body = data
    incomplete = cut = False
    for coding in reversed(codings):
        try:
            step = _decode_one(coding, body, limit)
        except (zlib.error, brotli.error) as exc:
            return DecodedBody(data[:limit], error=f"body is not valid {coding} data ({exc})")
        body = step.output
        incomplete = incomplete or not step.complete
        cut = cut or step.cut
    if len(body) > limit:
        body, cut = body[:limit], True
    return DecodedBody(body, incomplete=incomplete and not cut, cut=cut)
