"""Decide the next version of a project: tags and commits from git, rules from versions.

`decide` is what `shipyard version`, `changelog` and `release` share. Its cost is one
`for-each-ref` and one `git log` of the commits since the last final release.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from pathlib import Path

from shipyard import versions
from shipyard.errors import UsageError
from shipyard.git import Repo
from shipyard.release import history, rules
from shipyard.release.commits import BUMPS, Analysis, Commit, analyse, bump_of
from shipyard.release.rules import Next
from shipyard.release.settings import Settings
from shipyard.release.tags import ReleaseTag, TagFormat, tag_format


@dataclass
class Decision:
    next: Next
    analysis: Analysis  # the changes since the last final release
    tags: list[ReleaseTag]  # reachable release tags, oldest first
    scheme: str
    fmt: TagFormat

    @property
    def version(self) -> str:
        return self.next.version.render(self.scheme)

    @property
    def tag(self) -> str:
        return self.fmt.render(self.next.version, self.scheme)

    @property
    def previous_tag(self) -> ReleaseTag | None:
        older = [t for t in self.tags if t.version < self.next.version]
        return older[-1] if older else None


def scheme_of(root: Path, settings: Settings) -> str:
    """semver for npm packages, PEP 440 for Python ones, unless `scheme` says otherwise."""
    if settings.scheme != "auto":
        return settings.scheme
    if (root / "package.json").is_file():
        return "semver"
    python = ("pyproject.toml", "setup.py", "setup.cfg")
    return "pep440" if any((root / f).is_file() for f in python) else "semver"


def declared_version(root: Path) -> versions.Version | None:
    """The version the manifest declares (package.json, then pyproject.toml), if readable."""
    try:
        if (root / "package.json").is_file():
            text = json.loads((root / "package.json").read_text()).get("version")
        elif (root / "pyproject.toml").is_file():
            data = tomllib.loads((root / "pyproject.toml").read_text())
            project, poetry = data.get("project", {}), data.get("tool", {}).get("poetry", {})
            text = project.get("version", poetry.get("version"))  # Poetry 1: [tool.poetry]
        else:
            return None
    except (ValueError, OSError):
        return None
    return versions.parse(text) if isinstance(text, str) else None


def open_repo(root: Path) -> Repo:
    repo = Repo.find(root)
    if repo is None:
        raise UsageError(
            f"{root} is not inside a git repository",
            hint="versions come from git tags and commits: run `git init` and commit first",
        )
    return repo


def check_depth(repo: Repo) -> None:
    """A shallow clone hides tags and commits: its version would be silently wrong."""
    if history.is_shallow(repo):
        raise UsageError(
            f"{repo.root} is a shallow clone: the release history (tags, commits) is incomplete",
            hint="run `git fetch --unshallow --tags`, or in GitHub Actions check out with "
            "`fetch-depth: 0`",
        )


def decide(root: Path, settings: Settings, channel: str | None) -> Decision:
    repo = open_repo(root)
    check_depth(repo)
    fmt = tag_format(repo, settings.tag_format)
    tags, commits = history.since_last_release(repo, fmt)
    return decide_from(root, settings, channel, fmt, tags, commits)


def decide_from(
    root: Path,
    settings: Settings,
    channel: str | None,
    fmt: TagFormat,
    tags: list[ReleaseTag],
    commits: list[Commit],
    at_least: str = "none",
    repo: Repo | None = None,
) -> Decision:
    """The decision from what git said: the reachable tags and the commits since the base.

    `at_least` raises the bump (a monorepo's dependents of a released package get a patch);
    `repo` is given when `commits` is a path-limited log, whose parents lead outside it."""
    analysis = analyse(commits, settings.policy)
    bump = max(bump_of(analysis.changes, settings.policy), at_least, key=BUMPS.index)
    newest = tags[-1] if tags else None
    new_since_last = bump != "none"
    if newest is not None and newest.version.is_pre and bump != "none":
        if repo is not None:
            fresh = {c.sha for c in commits} & history.shas(repo, newest.commit)
        else:
            fresh = {c.sha for c in commits} - history.ancestors(newest.commit, commits)
        new_since_last = (
            bump_of([c for c in analysis.changes if c.sha in fresh], settings.policy) != "none"
        )
    nxt = rules.next_version(
        [t.version for t in tags],
        bump,
        new_since_last,
        channel,
        settings.major_version_zero,
        declared_version(root),
        settings.first_prerelease,
    )
    return Decision(nxt, analysis, tags, scheme_of(root, settings), fmt)
