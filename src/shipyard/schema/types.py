"""JSON Schema fragments for the value types several sections share (durations, sizes)."""

from __future__ import annotations

from typing import Any

MAX_DURATION = 30 * 24 * 3600  # config.MAX_DURATION
_N = r"[0-9]+(?:\.[0-9]+)?"
# config._DURATION, in a syntax editors' (ECMAScript) regular expressions share
DURATION_PATTERN = rf"^(?=.)(?:{_N}d)?(?:{_N}h)?(?:{_N}m(?!s))?(?:{_N}s)?(?:{_N}ms)?$"
DURATION: dict[str, Any] = {
    "anyOf": [
        {"type": "number", "minimum": 0, "maximum": MAX_DURATION},
        {"type": "string", "pattern": DURATION_PATTERN},
    ]
}
SIZE: dict[str, Any] = {
    "anyOf": [
        {"type": "number", "minimum": 0},
        {
            "type": "string",
            "pattern": r"^\s*[0-9]+(?:\.[0-9]+)?\s*(B|kB|KB|KiB|MB|MiB|GB|GiB)?\s*$",
        },
    ]
}
OFF: dict[str, Any] = {"const": False}
ONE_VERSION: dict[str, Any] = {"pattern": r"^(?!(.*\{version\}){2})(.*\{version\})"}  # tag formats
