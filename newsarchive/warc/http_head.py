"""HTTP request and response heads (start line + headers) as the exact bytes of a WARC block.

warcio would re-serialise headers itself and percent-encode every non-ASCII value; building the
bytes here keeps latin-1 values as received and makes hostile input (CR/LF, characters beyond
latin-1) harmless: such characters are percent-encoded and logged, never written raw, so a header
can never end the head early or inject another header.
"""

from __future__ import annotations

import logging
import re
import string
from collections.abc import Iterable
from http import HTTPStatus
from urllib.parse import urlsplit

logger = logging.getLogger(__name__)

# RFC 9110 token characters: what a header name or method may contain.
_TOKEN_CHARS = frozenset("!#$%&'*+-.^_`|~" + string.digits + string.ascii_letters)
# Field-value bytes RFC 9110 allows: HTAB, visible ASCII, space, obs-text (latin-1 high half).
_SAFE_VALUE = re.compile(r"[\t\x20-\x7e\x80-\xff]*")
# What may stand in a request target or a WARC-Target-URI unescaped: visible ASCII.
_SAFE_URI = re.compile(r"[\x21-\x7e]*")
_SURROGATE_ESCAPES = range(0xDC80, 0xDD00)

REDACTED = "REDACTED"


def _percent(char: str) -> str:
    return "".join(f"%{byte:02X}" for byte in char.encode("utf-8", "surrogatepass"))


def safe_uri(uri: str) -> str:
    """`uri` with whitespace, control and non-ASCII characters percent-encoded (UTF-8)."""
    if _SAFE_URI.fullmatch(uri):
        return uri
    return "".join(c if "\x21" <= c <= "\x7e" else _percent(c) for c in uri)


def _encode_value(value: str) -> tuple[bytes, bool]:
    """Latin-1 bytes of a field value, and whether unsafe characters had to be percent-encoded."""
    if _SAFE_VALUE.fullmatch(value):
        return value.encode("latin-1"), False
    out = bytearray()
    changed = False
    for char in value:
        code = ord(char)
        if char == "\t" or 0x20 <= code <= 0x7E or 0x80 <= code <= 0xFF:
            out.append(code)
        elif code in _SURROGATE_ESCAPES:
            out.append(code - 0xDC00)  # a raw byte kept by errors="surrogateescape"
        else:
            out += _percent(char).encode("ascii")
            changed = True
    return bytes(out), changed


def _encode_token(token: str) -> bytes:
    return "".join(c if c in _TOKEN_CHARS else _percent(c) for c in token).encode("ascii")


def encode_header_lines(
    headers: Iterable[tuple[str, str]],
    *,
    url: str,
    redact: frozenset[str] = frozenset(),
    drop: frozenset[str] = frozenset(),
) -> bytes:
    """`Name: value\\r\\n` lines. `redact`/`drop` hold lower-case names."""
    out = bytearray()
    for name, value in headers:
        lower = name.strip().lower()
        if lower in drop:
            logger.debug("dropping header %r of %s", name, safe_uri(url))
            continue
        if not name:
            logger.warning(
                "dropping a header with an empty name (value %r) of %s", value, safe_uri(url)
            )
            continue
        name_bytes = _encode_token(name)
        if lower in redact:
            value = REDACTED
        value_bytes, changed = _encode_value(value)
        if changed or not _TOKEN_CHARS.issuperset(name):
            logger.warning(
                "header %r of %s has characters unsafe in HTTP; percent-encoded them",
                name,
                safe_uri(url),
            )
        out += name_bytes + b": " + value_bytes + b"\r\n"
    return bytes(out)


def request_target(url: str) -> str:
    """Path and query of `url` as they go on the request line (`/a/?x=1`)."""
    # Escape first: urlsplit silently deletes CR, LF and TAB, which would make the request line
    # disagree with WARC-Target-URI.
    parts = urlsplit(safe_uri(url))
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    return target


def _encode_protocol(protocol: str) -> bytes:
    return safe_uri(protocol or "HTTP/1.1").encode("ascii")


def build_request_head(
    *,
    method: str,
    url: str,
    protocol: str,
    headers: Iterable[tuple[str, str]],
    redact: frozenset[str],
) -> bytes:
    """`GET /path?query HTTP/1.1` + headers + blank line."""
    line = _encode_token(method or "GET") + b" " + request_target(url).encode("ascii")
    line += b" " + _encode_protocol(protocol) + b"\r\n"
    return line + encode_header_lines(headers, url=url, redact=redact) + b"\r\n"


def standard_reason(status: int) -> str:
    """The standard reason phrase of `status`, "" when it has none."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def build_response_head(
    *,
    url: str,
    protocol: str,
    status: int,
    reason: str | None,
    headers: Iterable[tuple[str, str]],
    redact: frozenset[str],
) -> bytes:
    """`HTTP/1.1 200 OK` + headers + blank line, without any Transfer-Encoding header.

    The body handed to the writer is always de-chunked, so a `Transfer-Encoding: chunked` header
    would misdescribe it (pywb#584): "decode and remove the header" is the accepted form.
    """
    phrase = standard_reason(status) if reason is None else reason
    reason_bytes, changed = _encode_value(phrase)
    if changed:
        logger.warning(
            "reason phrase %r of %s: unsafe characters percent-encoded", phrase, safe_uri(url)
        )
    line = _encode_protocol(protocol) + f" {status:03d} ".encode("ascii") + reason_bytes + b"\r\n"
    lines = encode_header_lines(
        headers, url=url, redact=redact, drop=frozenset({"transfer-encoding"})
    )
    return line + lines + b"\r\n"
