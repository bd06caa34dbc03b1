"""The keys each section declares, as fuzzing targets (issue 13).

Every key of the definition is declared once in shipyard/schema/ (issue 14), and `config.Table`
refuses a read the declarations do not hold, so the declarations are exactly what the readers
accept. `keys()` turns them into concrete key paths of a sample definition (`stages.*.budget`
becomes `stages.lint.budget` for each stage of the sample), each with its kind, range and
choices: a key declared tomorrow is fuzzed tomorrow without editing a list here.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shipyard.schema import registry
from shipyard.schema.model import Group, Key

# the declaration's kind -> the config.Table method that reads it ("raw": the reader's own rules)
METHOD = {
    "string": "str",
    "boolean": "bool",
    "integer": "int",
    "number": "number",
    "duration": "duration",
    "strings": "str_list",
    "string-map": "str_map",
    "table": "table",
    "tables": "tables",
    "value": "raw",
}


@dataclass(frozen=True)
class Read:
    """One key of a sample: where it is (`stages.lint`), its name, kind, bounds and choices."""

    table: str
    key: str
    kind: str
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()

    @property
    def path(self) -> str:
        return f"{self.table}.{self.key}" if self.table else self.key


def keys(doc: dict[str, Any], sections: set[str]) -> list[Read]:
    """Every declared key of `sections`, at its places in `doc`: a name the user chooses (`*`)
    stands for each such name in `doc`, else for the declaration's sample name."""
    out: list[Read] = []
    for name in registry.SECTIONS:
        if name in sections:
            top = Group("the definition", keys=(registry.section(name),))
            out.extend(_walk(top, "", doc))
    return out


def _walk(group: Group, where: str, node: Any) -> Iterator[Read]:
    present = node if isinstance(node, dict) else {}
    for key in group.keys:
        yield from _key(key, key.name, where, present.get(key.name))
    if group.entries is not None:
        named = [n for n in present if all(k.name != n for k in group.keys)]
        for name in named or [group.sample_name]:
            yield from _key(group.entries, name, where, present.get(name))


def _key(key: Key, name: str, where: str, value: Any) -> Iterator[Read]:
    yield Read(where, name, METHOD[key.kind], key.minimum, key.maximum, key.choices)
    if key.group is None:
        return
    inner = f"{where}.{name}" if where else name
    if key.kind == "tables":
        for i, item in enumerate(value if isinstance(value, list) else []):
            yield from _walk(key.group, f"{inner}[{i}]", item)
    elif key.kind == "table" or isinstance(value, dict):
        yield from _walk(key.group, inner, value)


_STEP = re.compile(r"^(.*?)(?:\[(\d+)\])?$")


def location(doc: dict[str, Any], dotted: str) -> list[str | int]:
    """The steps into `doc` of a reader's dotted table path. A step name may itself hold dots
    (stage and benchmark names): the longest name present in the document is taken."""
    steps: list[str | int] = []
    node: Any = doc
    parts = dotted.split(".") if dotted else []
    i = 0
    while i < len(parts):
        for j in range(len(parts), i, -1):
            name, index = _STEP.match(".".join(parts[i:j])).groups()  # type: ignore[union-attr]
            if isinstance(node, dict) and (name in node or j == i + 1):
                steps.append(name)
                node = node.get(name, {}) if isinstance(node, dict) else {}
                if index is not None:
                    steps.append(int(index))
                    node = node[int(index)] if isinstance(node, list) else {}
                i = j
                break
    return steps


def with_value(doc: dict[str, Any], read: Read, value: Any) -> dict[str, Any]:
    """A deep copy of `doc` with the key of `read` set to `value` (tables made on the way)."""
    copy: dict[str, Any] = json.loads(json.dumps(doc))
    node: Any = copy
    for step in location(doc, read.table):
        node = node[step] if isinstance(step, int) else node.setdefault(step, {})
    node[read.key] = value
    return copy


def toml_document(doc: dict[str, Any], prefix: tuple[str, ...] = ()) -> str:
    """`doc` as TOML: a `[header]` per table, inline values for the rest."""
    lines: list[str] = []
    if prefix:
        lines.append("[" + ".".join(toml_string(p) for p in prefix) + "]")
    tables = {k: v for k, v in doc.items() if isinstance(v, dict)}
    for key, value in doc.items():
        if key not in tables:
            lines.append(f"{toml_string(key)} = {toml_value(value)}")
    text = "\n".join(lines) + "\n" if lines else ""
    for key, value in tables.items():
        text += toml_document(value, (*prefix, key))
    return text


def toml_value(value: Any) -> str:
    """`value` as a TOML value (inline tables and arrays; inf and nan as TOML has them)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return (
            "{" + ", ".join(f"{toml_string(k)} = {toml_value(v)}" for k, v in value.items()) + "}"
        )
    raise TypeError(type(value))


def toml_string(text: str) -> str:
    """A TOML basic string: JSON's escapes are TOML's for control characters; other characters
    are kept as they are (JSON's surrogate pairs for emoji are not valid TOML), DEL escaped."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def write(project: Path, doc: dict[str, Any], pyproject: bool) -> Path:
    """Write `doc` as shipyard.toml, or as [tool.shipyard] of pyproject.toml."""
    if pyproject:
        file = project / "pyproject.toml"
        file.write_text(
            '[project]\nname = "sample"\nversion = "0.1.0"\n\n'
            + toml_document({"tool": {"shipyard": doc}})
        )
    else:
        file = project / "shipyard.toml"
        file.write_text(toml_document(doc))
    return file
