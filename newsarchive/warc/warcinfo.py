"""The body of each WARC file's `warcinfo` record (`application/warc-fields`)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from importlib import metadata

from newsarchive import __version__

__all__ = ["warcinfo_body"]


def _warc_fields(fields: Mapping[str, str]) -> bytes:
    """`application/warc-fields` body; line breaks inside values are folded to spaces."""
    lines = []
    for name, value in fields.items():
        if not value:
            continue
        clean_name = re.sub(r"[^!-9;-~]", "-", name)  # visible ASCII except ':'
        clean_value = re.sub(r"[\r\n]+", " ", str(value))
        lines.append(f"{clean_name}: {clean_value}\r\n")
    return "".join(lines).encode("utf-8")


def warcinfo_body(fields: Mapping[str, str]) -> bytes:
    """software, format and conformsTo (which `fields` may override), then `fields`."""
    return _warc_fields(
        {
            "software": f"newsarchive/{__version__} (warcio/{metadata.version('warcio')})",
            "format": "WARC File Format 1.1",
            "conformsTo": "https://iipc.github.io/warc-specifications/specifications/"
            "warc-format/warc-1.1/",
            **fields,
        }
    )
