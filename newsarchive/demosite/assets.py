"""Tiny but valid binary assets (1×1 images), the stylesheet and the script, by extension."""

from __future__ import annotations

import base64
import struct
import zlib

_WEBP_1X1 = base64.b64decode("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==")
_GIF_1X1 = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")
_CSS = b"body{font-family:sans-serif;margin:0}.adv{display:none}\n"
_JS = b"/* Qala News app bundle: renders window.__NUXT__ into #app. */\n"


def _png_1x1() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x1f\x4e\x79", 9)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def asset_for(path: str) -> tuple[str, bytes] | None:
    """(Content-Type, bytes) for a path under /uploads/ or /assets/, else None."""
    if not (path.startswith("/uploads/") or path.startswith("/assets/")):
        return None
    suffix = path.rsplit(".", 1)[-1].lower() if "." in path.rsplit("/", 1)[-1] else ""
    if suffix == "webp":
        return "image/webp", _WEBP_1X1
    if suffix == "png":
        return "image/png", _png_1x1()
    if suffix == "gif":
        return "image/gif", _GIF_1X1
    if suffix == "css":
        return "text/css; charset=utf-8", _CSS
    if suffix == "js":
        return "text/javascript; charset=utf-8", _JS
    return None
