"""URL normalisation, scope checks and URL-derived file names.

Parsing follows what browsers do where it matters for safety (backslash in the authority is a
path separator, tabs and newlines are dropped), so a URL that a browser would send to another
host is never taken as in scope here.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import re
from collections.abc import Iterable, Sequence
from urllib.parse import SplitResult, unquote, unquote_plus, urljoin, urlsplit

from newsarchive.discovery.errors import UrlError

logger = logging.getLogger(__name__)

DEFAULT_TRACKING_PARAMS: frozenset[str] = frozenset(
    {
        "utm_*",
        "fbclid",
        "gclid",
        "gclsrc",
        "dclid",
        "msclkid",
        "yclid",
        "ysclid",
        "_openstat",
        "mc_cid",
        "mc_eid",
        "igshid",
        "ttclid",
        "twclid",
        "_ga",
        "_gl",
    }
)
"""Query parameters that identify a click, not a resource; a trailing `*` matches a prefix."""

HTTP_SCHEMES = frozenset({"http", "https"})
_DEFAULT_PORTS = {"http": 80, "https": 443}

_UNRESERVED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
_SUB_DELIMS = "!$&'()*+,;="
_PATH_SAFE = _UNRESERVED + _SUB_DELIMS + ":@/"
_QUERY_SAFE = _PATH_SAFE + "?"
_USERINFO_SAFE = _UNRESERVED + _SUB_DELIMS + ":"
_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")
_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")
# An absolute http(s) URL with a plain host (no userinfo, IPv6 brackets or backslash).
_PLAIN_ABSOLUTE_HTTP = re.compile(r"https?://[^/?#\[\]@\\\s%]+(?:[/?#]|$)", re.IGNORECASE)
# C0 controls and space, which browsers strip from both ends of a URL.
_EDGE_JUNK = "".join(chr(code) for code in range(0x21))
# WHATWG forbidden host code points (after percent-decoding the host).
_FORBIDDEN_HOST_CHARS = frozenset("\x00\t\n\r #/:<>?@[\\]^|%")

_HOST_ENTRY = re.compile(r"[a-z0-9_-]+(?:\.[a-z0-9_-]+)*")
_SAFE_NAME_CHARS = re.compile(r"[^A-Za-z0-9._-]+")
_DOT_RUNS = re.compile(r"\.{2,}")
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,10}$")
_WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"} | {f"com{n}" for n in range(10)} | {f"lpt{n}" for n in range(10)}
)
_HASH_CHARS = 12
_MIN_NAME_LENGTH = 2 * _HASH_CHARS


def normalize_url(url: str, *, strip_params: Iterable[str] = DEFAULT_TRACKING_PARAMS) -> str:
    """The canonical form of an absolute http(s) URL, for deduplication and comparison.

    Lower-cases scheme and host (IDNA-encoding a Unicode host), drops the default port, the
    fragment, tracking parameters and dot segments, keeps the other query parameters in order,
    decodes escaped unreserved characters, writes every other escape in upper-case hex and
    percent-encodes raw non-ASCII as UTF-8. Raises `UrlError` only for a URL that is not
    http(s) or cannot be parsed; any other input, however hostile, gives a string.
    """
    parts = _split(url)
    scheme = parts.scheme.lower()
    if not scheme:
        raise UrlError(url, "not an absolute URL; resolve it against its page URL first")
    if scheme not in HTTP_SCHEMES:
        raise UrlError(url, f"scheme {scheme!r} is not http(s); only web URLs can be crawled")
    netloc = _authority(url, parts, scheme)
    path = _remove_dot_segments(_normalize_escapes(parts.path, _PATH_SAFE))
    query = _normalize_query(parts.query, _tracking_matcher(strip_params))
    return f"{scheme}://{netloc}{path}" + (f"?{query}" if query else "")


def resolve_http_url(href: str, base_url: str) -> str | None:
    """`href` made absolute against `base_url`, or None unless the result is an http(s) URL.

    Surrounding whitespace and embedded tabs/newlines (common in feeds and sitemaps) are dropped.
    Nothing else is changed: callers that need a canonical form call `normalize_url`.
    """
    cleaned = _TAB_OR_NEWLINE.sub("", href.strip(_EDGE_JUNK))
    if not cleaned:
        return None
    if _PLAIN_ABSOLUTE_HTTP.match(cleaned):
        return cleaned  # the common sitemap case; urljoin would only re-serialise it
    try:
        absolute = urljoin(base_url, cleaned)
        parts = urlsplit(absolute)
    except ValueError:
        return None
    if parts.scheme.lower() not in HTTP_SCHEMES or not parts.netloc:
        return None
    return absolute


def url_matches_any(url: str, patterns: Sequence[re.Pattern[str]]) -> bool:
    """True when any compiled pattern is found (`search`, not `match`) in `url`."""
    return any(pattern.search(url) is not None for pattern in patterns)


def in_scope(url: str, allowed_hosts: Iterable[str]) -> bool:
    """True when `url` is http(s) and its host is an allowed host or a subdomain of one.

    An entry may carry a port (`127.0.0.1:8080`), which the URL's effective port must then equal.
    An IP-address entry matches only itself. The host is taken the way a browser takes it, so
    `http://allowed@evil/` and `http://evil\\@allowed/` are out of scope. Never raises for a
    hostile `url`; raises `UrlError` for an entry that is not a host (a configuration mistake).
    """
    try:
        parts = _split(url)
        scheme = parts.scheme.lower()
        if scheme not in HTTP_SCHEMES:
            return False
        host = _normalize_host(url, parts)
        port = parts.port or _DEFAULT_PORTS[scheme]
    except (UrlError, ValueError):
        return False
    for entry in allowed_hosts:
        allowed_host, allowed_port = parse_host_entry(entry)
        if allowed_port is not None and allowed_port != port:
            continue
        if host == allowed_host:
            return True
        if not _is_ip_literal(allowed_host) and host.endswith("." + allowed_host):
            return True
    return False


def safe_filename(url_or_name: str, *, max_length: int = 120) -> str:
    """A file name derived from a URL or name that is safe on any file system.

    Only `[A-Za-z0-9._-]` survive, so there are no separators, NULs or control characters; no
    `..`, no leading dot or dash. When anything had to change, or the name is longer than
    `max_length`, a hash of the full input is appended, so distinct inputs keep distinct names
    and the same input always gives the same name.
    """
    if max_length < _MIN_NAME_LENGTH:
        raise ValueError(f"max_length must be at least {_MIN_NAME_LENGTH}, got {max_length}")
    name = _SAFE_NAME_CHARS.sub("_", url_or_name)
    name = _DOT_RUNS.sub(".", name).strip("._-")
    if name.split(".", 1)[0].lower() in _WINDOWS_RESERVED:
        name = f"file_{name}"
    if name == url_or_name and len(name) <= max_length:
        return name
    digest = hashlib.sha256(url_or_name.encode("utf-8", "surrogatepass")).hexdigest()
    suffix = f"-{digest[:_HASH_CHARS]}"
    extension_match = _EXTENSION.search(name)
    extension = extension_match.group(0) if extension_match else ""
    if len(extension) > max_length - len(suffix) - len("url"):
        extension = ""
    stem = name[: len(name) - len(extension)]
    stem = stem[: max_length - len(suffix) - len(extension)].rstrip("._-")
    return f"{stem or 'url'}{suffix}{extension}"


def parse_host_entry(entry: str) -> tuple[str, int | None]:
    """`(host, port or None)` of an allowed-host entry; `UrlError` if it is not `host[:port]`.

    Site profiles call it at load time so a bad entry fails there, not on every in_scope call.
    """
    text = entry.strip()
    try:
        parts = urlsplit(text if "//" in text else f"//{text}")
        port = parts.port
        if not parts.hostname or parts.username is not None or parts.path not in ("", "/"):
            raise ValueError("not a bare host[:port]")
        host = _normalize_host(entry, parts)
        if not (_is_ip_literal(host) or _HOST_ENTRY.fullmatch(host)):
            raise ValueError("only letters, digits, '-', '_' and dots (no wildcards)")
    except (UrlError, ValueError) as exc:
        raise UrlError(
            entry, f"allowed host entry is not a host[:port] ({exc}); fix the site profile"
        ) from exc
    return host, port


def _split(url: str) -> SplitResult:
    cleaned = _TAB_OR_NEWLINE.sub("", url.strip(_EDGE_JUNK))
    # Browsers read "\" as "/" before the query in http(s) URLs; urlsplit does not, which would
    # put `evil` in the userinfo of `http://evil\@allowed/` instead of in the host.
    end = min((i for i in (cleaned.find("?"), cleaned.find("#")) if i >= 0), default=len(cleaned))
    cleaned = cleaned[:end].replace("\\", "/") + cleaned[end:]
    try:
        return urlsplit(cleaned)
    except ValueError as exc:
        raise UrlError(url, f"cannot be parsed ({exc}); check the link it came from") from exc


def _authority(url: str, parts: SplitResult, scheme: str) -> str:
    host = _normalize_host(url, parts)
    try:
        port = parts.port
    except ValueError as exc:
        raise UrlError(url, f"invalid port ({exc}); check the link it came from") from exc
    userinfo = parts.netloc.rpartition("@")[0] if "@" in parts.netloc else ""
    netloc = f"{_normalize_escapes(userinfo, _USERINFO_SAFE)}@{host}" if userinfo else host
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        netloc = f"{netloc}:{port}"
    return netloc


def _normalize_host(url: str, parts: SplitResult) -> str:
    raw = parts.hostname
    if not raw:
        raise UrlError(url, "has no host; check the link it came from")
    host = unquote(raw).lower()
    if ":" in host:
        try:
            return f"[{ipaddress.IPv6Address(host).compressed}]"
        except ValueError as exc:
            raise UrlError(url, f"invalid IPv6 host ({exc})") from exc
    host = host.removesuffix(".")
    if not host or "" in host.split("."):
        raise UrlError(url, "host has an empty label; check the link it came from")
    if any(char in _FORBIDDEN_HOST_CHARS for char in host):
        raise UrlError(url, "host contains characters no host can have; check the link")
    if host.isascii():
        return host
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise UrlError(url, f"host cannot be IDNA-encoded ({exc}); check the link") from exc


def _normalize_escapes(text: str, safe: str) -> str:
    """Upper-case escapes, decode escaped unreserved characters, escape everything unsafe."""
    out: list[str] = []
    position = 0
    for match in _ESCAPE.finditer(text):
        out.append(_escape_unsafe(text[position : match.start()], safe))
        char = chr(int(match.group(0)[1:], 16))
        out.append(char if char in _UNRESERVED else match.group(0).upper())
        position = match.end()
    out.append(_escape_unsafe(text[position:], safe))
    return "".join(out)


def _escape_unsafe(text: str, safe: str) -> str:
    if all(char in safe for char in text):
        return text
    return "".join(
        char
        if char in safe
        else "".join(f"%{byte:02X}" for byte in char.encode("utf-8", "surrogatepass"))
        for char in text
    )


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 §5.2.4 on an absolute path; an empty path becomes "/"."""
    segments = path.split("/")[1:] if path.startswith("/") else path.split("/")
    kept: list[str] = []
    for segment in segments:
        if segment == "..":
            if kept:
                kept.pop()
        elif segment != ".":
            kept.append(segment)
    if segments and segments[-1] in (".", ".."):
        kept.append("")
    return "/" + "/".join(kept)


def _tracking_matcher(strip_params: Iterable[str]) -> tuple[frozenset[str], tuple[str, ...]]:
    names = [param.lower() for param in strip_params]
    exact = frozenset(name for name in names if not name.endswith("*"))
    prefixes = tuple(name[:-1] for name in names if name.endswith("*"))
    return exact, prefixes


def _normalize_query(query: str, matcher: tuple[frozenset[str], tuple[str, ...]]) -> str:
    exact, prefixes = matcher
    kept: list[str] = []
    for pair in query.split("&"):
        if not pair:
            continue
        name = unquote_plus(pair.partition("=")[0]).strip().lower()
        if name in exact or (prefixes and name.startswith(prefixes)):
            continue
        kept.append(_normalize_escapes(pair, _QUERY_SAFE))
    return "&".join(kept)


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True
