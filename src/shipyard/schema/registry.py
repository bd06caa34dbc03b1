"""Where each section of the definition is declared, and every key of it as a list.

`declared()` is the simple API for tools that want every key with its type and range (fuzzers,
docs): one `Declared` per key, by dotted path, `*` standing for a name the user chooses.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from dataclasses import dataclass

from shipyard.schema.model import Group, Key

# top-level key -> "module:attribute" of its declaration; the order is the schema's
SECTIONS: dict[str, str] = {
    "stages": "shipyard.schema.stages:SECTION",
    "gates": "shipyard.schema.gates:SECTION",
    "scan": "shipyard.schema.scan:SECTION",
    "bench": "shipyard.schema.bench:SECTION",
    "release": "shipyard.schema.release:SECTION",
    "ci": "shipyard.schema.ci:SECTION",
    "monitor": "shipyard.schema.monitor:SECTION",
    "notify": "shipyard.schema.notify:SECTION",
    "metrics": "shipyard.schema.metrics:SECTION",
    "hooks": "shipyard.schema.project:HOOKS_SECTION",
    "store": "shipyard.schema.project:STORE_SECTION",
    "workspace": "shipyard.schema.project:WORKSPACE_SECTION",
    "mask": "shipyard.schema.stages:MASK",
}


def section(name: str) -> Key:
    """The declaration of top-level key `name` (imported on first use)."""
    module, attribute = SECTIONS[name].split(":")
    key: Key = getattr(importlib.import_module(module), attribute)
    return key


def group(name: str) -> Group | None:
    """The keys of section `name`, for `Definition.section`; None for an undeclared one."""
    return section(name).group if name in SECTIONS else None


def definition() -> Group:
    """The whole definition: every section."""
    return Group(
        "a shipyard pipeline definition (shipyard.toml, or [tool.shipyard] in pyproject.toml)",
        keys=tuple(section(name) for name in SECTIONS),
        required=(),
    )


@dataclass(frozen=True)
class Declared:
    """One key and where it is: `path` such as "stages.*.timeout" or "gates.coverage.lines"."""

    path: str
    key: Key


def declared(root: Group | None = None, prefix: str = "") -> Iterator[Declared]:
    """Every key of the definition (or under `root`), tables before their keys."""
    root = root or definition()
    children = list(root.keys) + ([root.entries] if root.entries else [])
    for key in children:
        name = "*" if key is root.entries else key.name
        path = f"{prefix}{name}"
        yield Declared(path, key)
        if key.group is not None:
            yield from declared(key.group, path + ("[]." if key.kind == "tables" else "."))
