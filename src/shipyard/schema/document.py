"""The JSON Schema (draft 2020-12) of the definition, built from the declarations.

`shipyard schema` prints it; schema/shipyard.schema.json (shipyard.toml) and
schema/pyproject.schema.json (`[tool.shipyard]` in pyproject.toml) publish it for editors.
"""

from __future__ import annotations

import json
from typing import Any

from shipyard.schema import registry
from shipyard.schema.model import Group, Key
from shipyard.schema.types import DURATION

DRAFT = "https://json-schema.org/draft/2020-12/schema"
BASE = "https://raw.githubusercontent.com/shipyard-dev/shipyard/main/schema/"
FILES = {"shipyard": "shipyard.schema.json", "pyproject": "pyproject.schema.json"}


def document(kind: str = "shipyard") -> dict[str, Any]:
    """The schema of shipyard.toml ("shipyard") or of pyproject.toml's tool.shipyard."""
    definition = {**group_schema(registry.definition()), "minProperties": 1}
    head = {"$schema": DRAFT, "$id": BASE + FILES[kind]}
    if kind == "shipyard":
        return {**head, "title": "shipyard.toml", **definition}
    return {
        **head,
        "title": "pyproject.toml with a [tool.shipyard] table",
        "description": "pyproject.toml; only [tool.shipyard] is described here",
        "type": "object",
        "properties": {
            "tool": {"type": "object", "properties": {"shipyard": definition}},
        },
    }


def text(kind: str = "shipyard") -> str:
    """The schema as the published file holds it."""
    return json.dumps(document(kind), indent=2, ensure_ascii=False) + "\n"


def group_schema(group: Group) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    one_spelling: dict[str, Any] = {}  # the reader refuses a key given in both spellings
    for key in group.keys:
        properties[key.name] = key_schema(key)
        legacy = key.name.replace("-", "_")
        if legacy != key.name:
            properties[legacy] = {
                **properties[key.name],
                "description": f"the old spelling of {key.name!r} (deprecated)",
                "deprecated": True,
            }
            one_spelling[legacy] = {"not": {"required": [key.name]}}
    out: dict[str, Any] = {"type": "object", "description": group.description}
    if properties:
        out["properties"] = properties
    if group.entries is not None:
        out["additionalProperties"] = key_schema(group.entries)
        if group.names:
            out["propertyNames"] = {"pattern": group.names}
    else:
        out["additionalProperties"] = False
    if one_spelling:
        out["dependentSchemas"] = one_spelling
    required = [_required(name) for name in group.required]
    if required:
        out["allOf"] = required
    return {**out, **(group.json or {})}


def _required(name: str) -> dict[str, Any]:
    legacy = name.replace("-", "_")
    if legacy == name:
        return {"required": [name]}
    return {"anyOf": [{"required": [name]}, {"required": [legacy]}]}


def key_schema(key: Key) -> dict[str, Any]:
    """The schema of one key's value, with its description and default."""
    extra = dict(key.json or {})
    if key.kind == "value":
        out = dict(extra)
        if key.group is not None:
            out = {"anyOf": [out, group_schema(key.group)]}
    elif key.kind == "strings":
        item = {"type": "string", **_choices(key), **extra.pop("items", {})}
        out = {"anyOf": [item, {"type": "array", "items": item, **extra}]}
    elif key.kind == "string-map":
        values = {"type": ["string", "number"], **extra.pop("additionalProperties", {})}
        out = {"type": "object", "additionalProperties": values, **extra}
    elif key.kind == "table":
        assert key.group is not None
        out = {**group_schema(key.group), **extra}
    elif key.kind == "tables":
        assert key.group is not None
        out = {"type": "array", "items": group_schema(key.group), **extra}
    elif key.kind == "duration":
        out = {**DURATION, **extra}
    else:
        out = {"type": key.kind, **_choices(key), **_range(key), **extra}
    described = {"description": key.description, **out}
    if key.default is not None:
        default = key.default
        described["default"] = list(default) if isinstance(default, tuple) else default
    if key.deprecated:
        described["deprecated"] = True
    return described


def _choices(key: Key) -> dict[str, Any]:
    return {"enum": list(key.choices)} if key.choices else {}


def _range(key: Key) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if key.minimum is not None:
        out["minimum"] = key.minimum
    if key.maximum is not None:
        out["maximum"] = key.maximum
    return out
