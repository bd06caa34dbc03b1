"""Path globs as users write them in `inputs`, `outputs` and `when.changed`.

`*` matches within one path segment, `**` across segments, `?` one character; a pattern with no
wildcard names a file or, when it is a folder, everything below it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence

_CLASS_SPECIAL = re.compile(r"[\[&~|]|--")


@functools.lru_cache(maxsize=512)
def _compile(pattern: str) -> re.Pattern[str]:
    pat = pattern.strip().lstrip("./") if pattern.startswith("./") else pattern.strip()
    pat = pat.rstrip("/")
    if not any(c in pat for c in "*?["):
        return re.compile(re.escape(pat) + r"(?:/.*)?\Z", re.S)
    out = []
    i = 0
    while i < len(pat):
        c = pat[i]
        if pat.startswith("**/", i):
            out.append(r"(?:.*/)?")
            i += 3
        elif pat.startswith("**", i):
            out.append(r".*")
            i += 2
        elif c == "*":
            out.append(r"[^/]*")
            i += 1
        elif c == "?":
            out.append(r"[^/]")
            i += 1
        elif c == "[":
            end = pat.find("]", i + 1)
            if end == -1:
                out.append(re.escape(c))
                i += 1
            else:
                # a backslash is a character in a glob; '[' (as in `[[]`) and doubled '&~|-'
                # read as nested sets / set operations to re, which warns and will change them
                body = _CLASS_SPECIAL.sub(r"\\\g<0>", pat[i + 1 : end].replace("\\", "\\\\"))
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append(f"[{body}]")
                i = end + 1
        else:
            out.append(re.escape(c))
            i += 1
    return re.compile("".join(out) + r"\Z", re.S)


def problem(pattern: str) -> str | None:
    """What makes `pattern` malformed (it would silently match nothing), or None."""
    body = pattern.removeprefix("!")
    if not body.strip():
        return "empty pattern"
    if "\0" in body:
        return "contains a NUL character"
    i = 0
    while i < len(body):
        if body[i] == "[":
            end = body.find("]", i + 1)
            if end == -1:
                return f"'[' at character {i + 1} is never closed (write [[] for a literal '[')"
            if "/" in body[i:end]:
                return f"the class starting at character {i + 1} spans a '/'"
            i = end
        i += 1
    try:
        _compile(pattern.removeprefix("!"))
    except re.error as exc:
        return f"not a valid character class ({exc.msg})"
    return None


def matches(path: str, patterns: Sequence[str]) -> bool:
    """True when `path` (relative, '/'-separated) matches any pattern; '!pat' excludes."""
    hit = False
    for pattern in patterns:
        if pattern.startswith("!"):
            if hit and _compile(pattern[1:]).match(path):
                hit = False
        elif not hit and _compile(pattern).match(path):
            hit = True
    return hit


def select(paths: Iterable[str], patterns: Sequence[str]) -> list[str]:
    return sorted(p for p in paths if matches(p, patterns))
