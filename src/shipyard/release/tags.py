"""The one reader of release tags: which tag names are releases, under `release.tag-format`.

A tag is a release when its name is the tag format with a full release version in place of
`{version}` (`v10` and `v10.5` are floating tags and are ignored). Without a configured
format, the repository's own tags decide: `v1.2.3` when any tag is written so, bare `1.2.3`
when only such tags exist, else `v{version}` for the first release. Release, notes, prepare
and metrics all read tags here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from shipyard import versions
from shipyard.git import Repo
from shipyard.versions import Version

DEFAULT_FORMAT = "v{version}"
BARE_FORMAT = "{version}"


@dataclass(frozen=True)
class TagFormat:
    pattern: str  # such as "v{version}"

    def compile(self) -> re.Pattern[str]:
        head, tail = self.pattern.split("{version}")
        return re.compile(f"^{re.escape(head)}(?P<v>.+){re.escape(tail)}$")

    def render(self, version: Version, scheme: str) -> str:
        return self.pattern.replace("{version}", version.render(scheme))

    def version(self, name: str) -> Version | None:
        """The release version a tag called `name` stands for, or None."""
        m = self.compile().match(name)
        return versions.parse(m["v"]) if m else None


@dataclass(frozen=True)
class ReleaseTag:
    name: str
    version: Version
    commit: str
    date: str  # YYYY-MM-DD of the tag (annotated) or of its commit
    timestamp: float = 0.0  # the same moment as a Unix time


def tag_format(repo: Repo, configured: str | None) -> TagFormat:
    """The configured format, else the one the repository's existing release tags use."""
    if configured is not None:
        return TagFormat(configured)
    names = repo.git("for-each-ref", "--format=%(refname:strip=2)", "refs/tags", check=False)
    bare = False
    for name in names.splitlines():
        if name.startswith("v") and versions.parse(name[1:]) is not None:
            return TagFormat(DEFAULT_FORMAT)
        bare = bare or versions.parse(name) is not None
    return TagFormat(BARE_FORMAT if bare else DEFAULT_FORMAT)


def release_tags(
    repo: Repo, fmt: TagFormat, reachable_from: str | None = "HEAD"
) -> list[ReleaseTag]:
    """Release tags, oldest version first; only those reachable from `reachable_from` if set."""
    return matching(listing(repo, reachable_from), fmt)


def listing(repo: Repo, reachable_from: str | None = "HEAD") -> list[tuple[str, ...]]:
    """Every tag as (name, object, peeled commit, date, unix time): one `for-each-ref`, so a
    monorepo reads its tags once and matches each package's format against the same list."""
    args = [
        "for-each-ref",
        "--format=%(refname:strip=2)%00%(objectname)%00%(*objectname)%00"
        "%(creatordate:short)%00%(creatordate:unix)",
    ]
    if reachable_from:
        args.append(f"--merged={reachable_from}")
    out = repo.git(*args, "refs/tags", check=False)  # fails only without any commit
    return [tuple(line.split("\0")) for line in out.splitlines()]


def matching(rows: list[tuple[str, ...]], fmt: TagFormat) -> list[ReleaseTag]:
    """The release tags of `fmt` among `listing` rows, oldest version first."""
    pattern = fmt.compile()
    found = []
    for name, obj, peeled, date, stamp in rows:
        m = pattern.match(name)
        version = versions.parse(m["v"]) if m else None
        if version is not None:
            found.append(ReleaseTag(name, version, peeled or obj, date, float(stamp or 0)))
    return sorted(found, key=lambda t: (t.version, t.name))
