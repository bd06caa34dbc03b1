"""The tag format a project's releases already use: `v1.2.3`, `1.2.3` or `name@1.2.3`, and
whether the versions after it are PEP 440 (`1.0rc1`) or semver (`1.0.0-rc.1`)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

_TAG = re.compile(
    r"^(?P<prefix>.*?)(?P<version>\d+\.\d+(?:\.\d+)?(?P<pre>[-.+]?[0-9A-Za-z.+-]*)?)$"
)
_PEP440_PRE = re.compile(r"\d(a|b|rc|\.post|\.dev)\d+$")
_SEMVER_PRE = re.compile(r"-[0-9A-Za-z.-]+$")


@dataclass(frozen=True)
class TagStyle:
    format: str  # e.g. "v{version}"
    scheme: str | None  # "semver", "pep440", or None when the tags do not tell
    example: str | None  # one tag that made the guess; None: no release tag yet


RECENT = 5  # the tags that decide: a project that moved from `1.2.3` to `v2.0.0` keeps `v`


def detect(tags: Iterable[str], package: str | None = None) -> TagStyle:
    """The most common format among the newest release-looking tags (`tags` newest first;
    `v{version}` when none)."""
    formats: Counter[str] = Counter()
    examples: dict[str, str] = {}
    pre: Counter[str] = Counter()
    for tag in tags:
        m = _TAG.match(tag)
        prefix = m.group("prefix") if m else ""
        if not m or (prefix not in ("", "v", "V") and not prefix.endswith("@")):
            continue
        if prefix.endswith("@") and package and prefix[:-1] != package:
            continue  # another package of a monorepo
        fmt = prefix + "{version}"
        if sum(formats.values()) >= RECENT:
            break
        formats[fmt] += 1
        examples.setdefault(fmt, tag)
        version = m.group("version")
        if _PEP440_PRE.search(version):
            pre["pep440"] += 1
        elif _SEMVER_PRE.search(version):
            pre["semver"] += 1
    if not formats:
        return TagStyle("v{version}", None, None)
    fmt = formats.most_common(1)[0][0]
    scheme = pre.most_common(1)[0][0] if pre else None
    return TagStyle(fmt, scheme, examples[fmt])
