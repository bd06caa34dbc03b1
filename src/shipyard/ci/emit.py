"""A small YAML writer for the files `shipyard ci generate` writes.

PyYAML cannot write comments, and the pins need one (`uses: owner/action@SHA # v4.2.2`); it
also quotes `on` and reorders nothing we can steer. This writer covers the subset GitHub's
files use (mappings, lists, strings, numbers, booleans, block scripts) and quotes a string
only when YAML would read it as something else, so the output reads like a hand-written file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

_KEY = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
_SPECIAL_START = tuple("-?:,[]{}#&*!|>'\"%@`")
_NOT_STRINGS = re.compile(
    r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF"
    r"|null|Null|NULL|~|[-+]?(?:\d[\d_]*)?\.?\d[\d_]*(?:[eE][-+]?\d+)?|0x[0-9a-fA-F]+|0o[0-7]+"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|\d+:[0-5]?\d(?::[0-5]?\d)*)$"
)


@dataclass(frozen=True)
class Commented:
    """A scalar written with a trailing comment."""

    value: str
    comment: str


def scalar(value: Any) -> str:
    if isinstance(value, Commented):
        return f"{scalar(value.value)} # {value.comment}"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    if _plain(text):
        return text
    if "\n" not in text and "'" not in text:
        return f"'{text}'"
    return json.dumps(text)


def _plain(text: str) -> bool:
    return bool(text) and not (
        text.startswith(_SPECIAL_START)
        or text[0].isspace()
        or text[-1].isspace()
        or ": " in text
        or " #" in text
        or text.endswith(":")
        or "\n" in text
        or "\t" in text
        or _NOT_STRINGS.match(text)
    )


def _key(key: str) -> str:
    # `on` is a boolean to YAML 1.1 readers, but GitHub and every schema read it as the key
    plain = bool(_KEY.match(key)) and (key == "on" or not _NOT_STRINGS.match(key))
    return key if plain else scalar(key)


def dump(data: Mapping[str, Any], spaced: Sequence[str] = ("", "jobs")) -> str:
    """YAML for `data`; mappings at the key paths in `spaced` get a blank line between items."""
    lines: list[str] = []
    _mapping(data, 0, lines, "", set(spaced))
    return "\n".join(lines) + "\n"


def _mapping(
    data: Mapping[str, Any], indent: int, lines: list[str], path: str, spaced: set[str]
) -> None:
    pad = " " * indent
    for i, (key, value) in enumerate(data.items()):
        if i and path in spaced:
            lines.append("")
        _entry(f"{pad}{_key(key)}:", value, indent, lines, f"{path}.{key}".lstrip("."), spaced)


def _entry(
    head: str, value: Any, indent: int, lines: list[str], path: str, spaced: set[str]
) -> None:
    if isinstance(value, Mapping) and value:
        lines.append(head)
        _mapping(value, indent + 2, lines, path, spaced)
    elif isinstance(value, list | tuple) and value:
        lines.append(head)
        _sequence(value, indent + 2, lines, path, spaced)
    elif isinstance(value, Mapping):
        lines.append(f"{head} {{}}")
    elif isinstance(value, list | tuple):
        lines.append(f"{head} []")
    elif isinstance(value, str) and "\n" in value:
        lines.append(f"{head} |" + ("" if value.endswith("\n") else "-"))
        lines.extend(
            f"{' ' * (indent + 2)}{ln}" if ln else "" for ln in value.rstrip("\n").split("\n")
        )
    else:
        lines.append(f"{head} {scalar(value)}")


def _sequence(
    items: Sequence[Any], indent: int, lines: list[str], path: str, spaced: set[str]
) -> None:
    pad = " " * indent
    for item in items:
        if isinstance(item, Mapping) and item:
            sub: list[str] = []
            _mapping(item, indent + 2, sub, path, spaced)
            lines.append(f"{pad}- {sub[0].lstrip()}")
            lines.extend(sub[1:])
        else:
            _entry(f"{pad}-", item, indent, lines, path, spaced)
