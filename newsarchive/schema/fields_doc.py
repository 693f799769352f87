"""The field reference (Markdown) generated from the JSON Schema, so the docs cannot drift.

`python -m newsarchive.schema.fields_doc PATH` writes it; a test checks the shipped copy
(`fields.md` next to the schema) is what the schema generates.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from newsarchive.schema import SCHEMA_VERSION, load_schema

FIELDS_DOC = Path(__file__).with_name("fields.md")


def _resolve(node: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """`node` with a local `$ref` replaced by its target (the node's own keywords win)."""
    ref = node.get("$ref")
    if not isinstance(ref, str):
        return node
    target: Any = schema
    for part in ref.removeprefix("#/").split("/"):
        target = target[part]
    own = {k: v for k, v in node.items() if k != "$ref"}
    return {**_resolve(target, schema), **own}


def _type_text(node: dict[str, Any], schema: dict[str, Any]) -> str:
    if "const" in node:
        return f'`"{node["const"]}"`'
    if "enum" in node:
        return "one of " + ", ".join(f"`{v}`" for v in node["enum"])
    types = node.get("type", "any")
    types = types if isinstance(types, list) else [types]
    names = []
    for name in types:
        if name == "array":
            items = _resolve(node.get("items", {}), schema)
            item_type = items.get("type", "any")
            names.append(f"array of {item_type}s" if isinstance(item_type, str) else "array")
        else:
            names.append(name)
    return " or ".join(names)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _rows(node: dict[str, Any], schema: dict[str, Any], prefix: str) -> list[str]:
    rows: list[str] = []
    required = set(node.get("required", []))
    for name, raw in node.get("properties", {}).items():
        field = _resolve(raw, schema)
        path = f"{prefix}{name}"
        mark = "yes" if name in required else "no"
        description = _cell(field.get("description", ""))
        rows.append(f"| `{path}` | {_type_text(field, schema)} | {mark} | {description} |")
        if "properties" in field:
            rows += _rows(field, schema, f"{path}.")
        items = _resolve(field.get("items", {}), schema)
        if "properties" in items:
            rows += _rows(items, schema, f"{path}[].")
    return rows


def render_fields_markdown(version: str = SCHEMA_VERSION) -> str:
    """The field tables of article and listing lines, as Markdown."""
    schema = load_schema(version)
    out = [
        f"<!-- Generated from newsarchive/schema/line-v{version}.schema.json by "
        "`python -m newsarchive.schema.fields_doc`; do not edit by hand. -->",
        "",
        f"# Fields of the JSON lines (schema version {version})",
        "",
        _cell(schema.get("description", "")),
    ]
    for key, heading in (("article", "Article lines"), ("listing", "Listing lines")):
        definition = schema["$defs"][key]
        out += [
            "",
            f"## {heading}",
            "",
            _cell(definition.get("description", "")),
            "",
            "| field | type | required | description |",
            "|---|---|---|---|",
            *_rows(definition, schema, ""),
        ]
    return "\n".join(out) + "\n"


def main(argv: list[str]) -> int:
    target = Path(argv[0]) if argv else FIELDS_DOC
    target.write_text(render_fields_markdown(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
