"""The keys each section's reader declares, found by watching the reader at work (issue 13).

Every section is read through `config.Table` (STYLE.md): `t.int("runs", 10, minimum=1)` is a
declaration of the key `runs`, its kind and its range. `recorded()` runs a real command on a
valid definition while those methods are watched, and returns each key read with its kind and
bounds, so a key a reader starts reading tomorrow is fuzzed tomorrow without editing a list.
Keys read with `raw` (readers with their own rules: gate thresholds, `when`, `use-action`) are
kept with the kind "raw". The `shipyard schema` of issue 14 is built from the same reads; when it
lands, `Read` can come from there instead.
"""

from __future__ import annotations

import contextlib
import inspect
import json
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shipyard import config

# the typed readers of config.Table; `raw` last, so a typed read wins over the raw read inside it
KINDS = ("str", "bool", "int", "number", "duration", "str_list", "str_map", "table", "raw")


@dataclass(frozen=True)
class Read:
    """One key a reader declares: where it is (`stages.lint`), its name, kind and bounds."""

    table: str
    key: str
    kind: str
    minimum: float | None = None
    maximum: float | None = None
    single: bool = True  # str_list: a lone string is accepted as a one-item list
    exact: bool = False  # a name the user chose (a benchmark's), read exactly as written

    @property
    def path(self) -> str:
        return f"{self.table}.{self.key}" if self.table else self.key


@contextlib.contextmanager
def watching() -> Iterator[list[Read]]:
    """Record every key read through config.Table while the block runs (outermost reads only:
    `str` reads through `raw`, which is not recorded a second time)."""
    reads: list[Read] = []
    depth = [0]
    originals = {kind: getattr(config.Table, kind) for kind in KINDS}

    def watched(kind: str, method: Callable[..., Any]) -> Callable[..., Any]:
        signature = inspect.signature(method)

        def reader(self: config.Table, *args: Any, **kwargs: Any) -> Any:
            if depth[0] == 0:
                bound = signature.bind(self, *args, **kwargs).arguments
                exact = bound.get("exact", False)
                name = bound["name"] if exact else config.spellings(bound["name"])[0]
                reads.append(
                    Read(
                        self.path,
                        name,
                        kind,
                        bound.get("minimum"),
                        bound.get("maximum"),
                        bound.get("single", True),
                        exact,
                    )
                )
            depth[0] += 1
            try:
                return method(self, *args, **kwargs)
            finally:
                depth[0] -= 1

        return reader

    for kind, method in originals.items():
        setattr(config.Table, kind, watched(kind, method))
    try:
        yield reads
    finally:
        for kind, method in originals.items():
            setattr(config.Table, kind, method)


def distinct(reads: list[Read]) -> list[Read]:
    """One read per key path, the first kind it was read with."""
    out: dict[str, Read] = {}
    for r in reads:
        out.setdefault(r.path, r)
    return list(out.values())


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
