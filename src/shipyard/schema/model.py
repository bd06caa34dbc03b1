"""What a key of the definition is, as data: its name, type, default, range, choices, meaning.

One `Group` per table of the definition declares its keys. `config.Table` reads a section with
its group beside it: a key the code reads but no group declares, or reads with another type,
default or range than declared, is a programming error (`Undeclared`), raised at the first read,
so the published schema (schema/document.py) cannot drift from what the readers accept.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# kind -> the config.Table methods that may read a key of that kind (`raw` and `has` read any)
READS: dict[str, frozenset[str]] = {
    "string": frozenset({"str"}),
    "boolean": frozenset({"bool"}),
    "integer": frozenset({"int"}),
    "number": frozenset({"number"}),
    "duration": frozenset({"duration", "number"}),  # a plain number is a duration in seconds
    "strings": frozenset({"str_list"}),  # a string, or a list of strings
    "string-map": frozenset({"str_map"}),
    "table": frozenset({"table", "tables"}),
    "tables": frozenset(),  # an array of tables ([[ci.dependabot.ignore]]), read with `raw`
    "value": frozenset({"str", "bool", "int", "number", "duration", "str_list", "table"}),
}


class Undeclared(Exception):
    """The code reads a key the declarations do not hold as read (a bug in shipyard)."""


@dataclass(frozen=True)
class Key:
    """One key. `kind` "value" is a key of several types, whose JSON Schema is `json`;
    `json` on another kind adds to the generated one (a pattern, property names)."""

    name: str
    kind: str
    description: str
    default: Any = None
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    group: Group | None = None  # the table under the key ("table", or "value" accepting one)
    json: Mapping[str, Any] | None = None
    example: Any = None  # a valid value when the default is none (tests, fuzzing)
    companions: Mapping[str, Any] | None = None  # the keys its sample needs beside it
    deprecated: bool = False
    unit: str = ""  # of a number, for messages ("percent")

    def __post_init__(self) -> None:
        if self.kind not in READS:
            raise ValueError(f"{self.name}: unknown kind {self.kind!r}")
        if self.kind in ("table", "tables") and self.group is None:
            raise ValueError(f"{self.name}: a table key needs its group")

    def sample(self) -> Any:
        """A value the reader accepts: the example, else the default, else one of its type."""
        if self.example is not None:
            return self.example
        if self.default is not None:
            return list(self.default) if isinstance(self.default, tuple) else self.default
        if self.choices:
            return self.choices[0]
        if self.group is not None and self.kind in ("table", "tables"):
            table = dict(self.group.example)
            return [table] if self.kind == "tables" else table
        plain = {"string": "x", "boolean": True, "strings": ["x"], "string-map": {}}
        if self.kind in ("integer", "number"):
            return self.minimum if self.minimum is not None else 1
        if self.kind == "duration":
            return "90s"
        if self.kind not in plain:
            raise ValueError(f"{self.name}: a value key needs an example")
        return plain[self.kind]


@dataclass(frozen=True)
class Group:
    """The keys of one table. `entries` declares the tables or values under names the user
    chooses (stages, benchmarks, matrix axes), matching `names` when given."""

    description: str
    keys: tuple[Key, ...] = ()
    entries: Key | None = None
    names: str | None = None  # a regular expression for the names of entries
    sample_name: str = "name"  # a valid name of an entry (tests, fuzzing)
    required: tuple[str, ...] = ()
    example: Mapping[str, Any] = field(default_factory=dict)  # the least valid table
    json: Mapping[str, Any] | None = None  # added to the generated schema (anyOf of required)

    def find(self, name: str, exact: bool = False) -> Key | None:
        """The key `name` (kebab-case; snake_case is its old spelling), else the entries."""
        wanted = name if exact else name.replace("_", "-")
        for key in self.keys:
            if key.name == wanted:
                return key
        return self.entries

    def checked(self, name: str, method: str | None, where: str, exact: bool = False) -> Key:
        """The declaration of `name`, read with Table method `method`; `Undeclared` if none."""
        key = self.find(name, exact)
        if key is None:
            raise Undeclared(
                f"{where}.{name} is read but not declared: add Key({name!r}, ...) to its group "
                f"in src/shipyard/schema/ (the JSON Schema and the readers share those keys)"
            )
        if method is not None and method not in READS[key.kind]:
            raise Undeclared(
                f"{where}.{name} is declared as {key.kind!r} but read with Table.{method}: "
                f"fix its Key in src/shipyard/schema/"
            )
        return key


def agree(key: Key, what: str, given: Any, declared: Any, where: str) -> Any:
    """`given` by the reader's call, else `declared`; both given must be the same value."""
    if given is None:
        return list(declared) if isinstance(declared, tuple) else declared
    if declared is None or _same(given, declared):
        return given
    raise Undeclared(
        f"{where}.{key.name}: the reader's {what} is {given!r}, the declaration's {declared!r}: "
        f"make them agree in src/shipyard/schema/"
    )


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, tuple | list) and isinstance(b, tuple | list):
        return list(a) == list(b)
    if isinstance(a, int | float) and isinstance(b, int | float):
        return math.isclose(a, b)
    return bool(a == b)
