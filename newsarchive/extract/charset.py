"""Decode HTML bytes to text: BOM > header charset > <meta> charset > detection > UTF-8.

Declarations are checked against the bytes (a strict decode), because servers lie: a header that
says utf-8 over windows-1251 bytes is logged as a warning and the next source of truth is used.
"""

from __future__ import annotations

import codecs
import logging
import re
from dataclasses import dataclass

logger = logging.getLogger(__name__)

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,400}?charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE | re.DOTALL
)
# Where browsers look for <meta charset> (the WHATWG prescan reads 1024 bytes; real pages put
# long <head> scripts first, so look a little further).
_META_SCAN_BYTES = 16_384
_DETECT_BYTES = 200_000
# WHATWG maps these labels to windows-1252; Python's latin-1 would mis-decode 0x80-0x9f.
_WHATWG_ALIASES = {
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "iso_8859-1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "x-cp1251": "cp1251",
    "win-1251": "cp1251",
    "x-mac-cyrillic": "mac-cyrillic",
    "unicode": "utf-16-le",
}
_SINGLE_BYTE_PREFIXES = ("cp", "iso8859", "koi8", "mac-", "latin", "kz1048", "ptcp154")


@dataclass(frozen=True, slots=True)
class DecodedText:
    text: str
    charset: str
    """Python codec name actually used (e.g. `utf-8`, `cp1251`)."""
    warnings: tuple[str, ...] = ()
    exact: bool = False
    """The bytes decoded strictly (no replacement characters), without a byte order mark."""


def normalize_charset(label: str | None) -> str | None:
    """Python codec name for a charset label, or None when the label is unknown."""
    if not label:
        return None
    cleaned = label.strip().strip("\"'").lower()
    cleaned = _WHATWG_ALIASES.get(cleaned, cleaned)
    try:
        name = codecs.lookup(cleaned).name
    except LookupError:
        return None
    return "utf-8" if name in {"utf-8-sig", "utf8"} else name


def header_charset(content_type: str | None) -> str | None:
    """The raw charset label of a Content-Type header value."""
    if not content_type:
        return None
    match = _HEADER_CHARSET.search(content_type)
    return match.group(1) if match else None


def meta_charset(data: bytes) -> str | None:
    """The raw charset label of the first <meta charset> / http-equiv declaration."""
    match = _META_CHARSET.search(data[:_META_SCAN_BYTES])
    return match.group(1).decode("ascii", "replace") if match else None


def _strict_text(data: bytes, charset: str, *, truncated: bool) -> str | None:
    """`data` decoded with `charset`, or None when it does not decode."""
    try:
        return data.decode(charset)
    except UnicodeDecodeError as exc:
        # A cut at max_bytes may split the last character; that is not the charset's fault.
        if truncated and exc.start >= len(data) - 4 and "end of data" in exc.reason:
            return data.decode(charset, "replace")
        return None
    except LookupError:
        return None


def _decodes_strictly(data: bytes, charset: str, *, truncated: bool) -> bool:
    return _strict_text(data, charset, truncated=truncated) is not None


def _is_single_byte(charset: str) -> bool:
    return charset.startswith(_SINGLE_BYTE_PREFIXES)


def _has_multibyte_utf8(data: bytes, *, truncated: bool) -> bool:
    """Valid UTF-8 with non-ASCII characters: practically never a legacy single-byte text."""
    return not data.isascii() and _decodes_strictly(data, "utf-8", truncated=truncated)


def _detect(data: bytes) -> str | None:
    # Lazy import: charset_normalizer costs ~30 ms to import and is rarely needed.
    import charset_normalizer

    best = charset_normalizer.from_bytes(data[:_DETECT_BYTES]).best()
    return normalize_charset(best.encoding) if best is not None else None


def decode_html(
    data: bytes, content_type: str | None = None, *, truncated: bool = False
) -> DecodedText:
    """Decode `data` following BOM > header > meta > detection > utf-8-with-replacement."""
    warnings: list[str] = []
    declared_header = header_charset(content_type)
    for bom, charset in _BOMS:
        if data.startswith(bom):
            header = normalize_charset(declared_header)
            if header and header != charset:
                warnings.append(f"byte order mark ({charset}) overrides header charset {header}")
            return DecodedText(
                data[len(bom) :].decode(charset, "replace"), charset, tuple(warnings)
            )

    candidates: list[tuple[str, str]] = []  # (source, charset) in order of authority
    if declared_header:
        header = normalize_charset(declared_header)
        if header is None:
            warnings.append(f"unknown header charset {declared_header!r} ignored")
        else:
            candidates.append(("header", header))
    declared_meta = meta_charset(data)
    if declared_meta:
        meta = normalize_charset(declared_meta)
        if meta is None:
            warnings.append(f"unknown <meta> charset {declared_meta!r} ignored")
        else:
            # An ASCII-compatible document cannot really be UTF-16 (WHATWG treats it as UTF-8).
            candidates.append(("meta", "utf-8" if meta.startswith("utf-16") else meta))

    for source, charset in candidates:
        text = _strict_text(data, charset, truncated=truncated)
        if text is None:
            warnings.append(f"{source} charset {charset} does not decode the body; ignored")
            continue
        if (
            _is_single_byte(charset)
            and charset != "utf-8"
            and _has_multibyte_utf8(data, truncated=truncated)
        ):
            warnings.append(f"{source} charset {charset} ignored: the body is valid UTF-8")
            return _finish(data, "utf-8", warnings, truncated=truncated)
        return DecodedText(text, charset, tuple(warnings), exact=not truncated)

    text = _strict_text(data, "utf-8", truncated=truncated)
    if text is not None:
        return DecodedText(text, "utf-8", tuple(warnings), exact=not truncated)
    detected = _detect(data)
    if detected and _decodes_strictly(data, detected, truncated=truncated):
        if candidates:
            warnings.append(f"charset {detected} detected from the bytes")
        return _finish(data, detected, warnings, truncated=truncated)
    if _decodes_strictly(data, "cp1251", truncated=truncated):
        warnings.append("no working charset declaration or detection; decoded as cp1251")
        return _finish(data, "cp1251", warnings, truncated=truncated)
    warnings.append("no charset decodes the body; decoded as utf-8 with replacement characters")
    return DecodedText(data.decode("utf-8", "replace"), "utf-8", tuple(warnings))


def _finish(data: bytes, charset: str, warnings: list[str], *, truncated: bool) -> DecodedText:
    """The text of `data` in a charset that was checked to decode it."""
    return DecodedText(
        data.decode(charset, "replace"), charset, tuple(warnings), exact=not truncated
    )
