"""The JSON Schema (Draft 2020-12) of the JSON lines newsarchive writes, shipped as package data.

`SCHEMA_VERSION` is the value of every line's `schema_version`; the schema of version N is
`line-vN.schema.json` in this package. `#/$defs/article` describes article lines,
`#/$defs/listing` listing lines, and the root accepts either.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from newsarchive.records import SCHEMA_VERSION

__all__ = ["SCHEMA_VERSION", "load_schema", "schema_file_name"]


def schema_file_name(version: str = SCHEMA_VERSION) -> str:
    return f"line-v{version}.schema.json"


def load_schema(version: str = SCHEMA_VERSION) -> dict[str, Any]:
    """The schema of `version` as a dict (FileNotFoundError for an unknown version)."""
    text = resources.files(__name__).joinpath(schema_file_name(version)).read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema
