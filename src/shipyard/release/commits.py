"""Conventional Commits 1.0 parsing: one git commit becomes zero or more change entries.

Pure functions over plain strings; the rules are the table in docs/release.md. Strict to the
spec by default (`type(scope)!: description` with a space after the colon; types compared
case-insensitively; `BREAKING CHANGE:` / `BREAKING-CHANGE:` footers in upper case), with the
few knobs in `Policy` for projects that want otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

_HEADER = re.compile(
    r"^(?P<type>[A-Za-z][\w-]*)(?:\((?P<scope>[^()\r\n]*)\))?(?P<bang>!)?:"
    r"(?P<space> ?)(?P<desc>.*)$"
)
_BREAKING = re.compile(r"^BREAKING[ -]CHANGE: ?(?P<text>.*)$")
_FOOTER = re.compile(r"^(?:BREAKING[ -]CHANGE|[\w-]+)(?:: | #)")
_GIT_REVERT = re.compile(r'^Revert "(?P<header>.*)"$')
_REVERTS = re.compile(r"This reverts commit (?P<sha>[0-9a-f]{7,40})")
_BULLET = re.compile(r"^[*-] (?=\S)")


@dataclass(frozen=True)
class Commit:
    """A commit as read from git: the raw message split into subject and body."""

    sha: str
    subject: str
    body: str = ""
    parents: tuple[str, ...] = ()
    date: str = ""

    @property
    def is_merge(self) -> bool:
        return len(self.parents) > 1


@dataclass(frozen=True)
class Change:
    """One conventional change; a squash merge can hold several from one commit."""

    sha: str
    type: str  # lower case
    scope: str | None
    description: str
    breaking: str | None = None  # the breaking-change note, or the description for `!`
    reverts: str | None = None  # sha of the reverted commit, when a revert names it


@dataclass(frozen=True)
class Policy:
    """The knobs: which type bumps what, and how lenient the header parser is."""

    bumps: dict[str, str] = field(
        default_factory=lambda: {
            "feat": "minor",
            "fix": "patch",
            "perf": "patch",
            "revert": "patch",
        }
    )
    allow_missing_space: bool = False  # accept `feat:x` as a commit of type feat
    merges: bool = False  # analyse merge commits' bodies too (a conventional title always counts)
    squash_bullets: bool = True  # `* feat: x` lines in a body are changes too


@dataclass
class Analysis:
    changes: list[Change] = field(default_factory=list)
    nonconforming: list[Commit] = field(default_factory=list)
    cancelled: list[Change] = field(default_factory=list)  # reverted together with its revert


def parse_message(sha: str, subject: str, body: str, policy: Policy) -> Change | None:
    """The change a message describes, or None when its header is not conventional."""
    m = _HEADER.match(subject.strip())
    if m is None or (not m["space"] and not policy.allow_missing_space) or not m["desc"].strip():
        return None
    kind = m["type"].lower()
    breaking = m["desc"].strip() if m["bang"] else None
    note = _breaking_note(body)
    if note is not None:
        breaking = note or breaking or m["desc"].strip()
    reverts = _REVERTS.search(body) if kind == "revert" and body else None
    return Change(
        sha,
        kind,
        m["scope"] or None,
        m["desc"].strip(),
        breaking,
        reverts["sha"] if reverts else None,
    )


def _breaking_note(body: str) -> str | None:
    """The text of a BREAKING CHANGE footer (with its continuation lines), None if absent."""
    if "BREAKING" not in body:
        return None  # the common case, without splitting the body into lines
    lines = body.splitlines()
    for i, line in enumerate(lines):
        m = _BREAKING.match(line)
        if m is None:
            continue
        rest: list[str] = [m["text"]]
        for more in lines[i + 1 :]:
            if _FOOTER.match(more):
                break
            rest.append(more)
        return " ".join(p.strip() for p in rest if p.strip())
    return None


def changes_of(commit: Commit, policy: Policy) -> list[Change]:
    """Every change one commit carries: its header, a git revert, or a squash's bullets."""
    if commit.is_merge and not policy.merges:
        # a merge counts by its title alone, when that is conventional (`feat!: x` merged
        # as a whole): "Merge branch 'x'" stays silent, and its parents speak for it
        head = parse_message(commit.sha, commit.subject, commit.body, policy)
        return [head] if head else []
    git_revert = _GIT_REVERT.match(commit.subject)
    if git_revert:
        sha = _REVERTS.search(commit.body)
        return [
            Change(
                commit.sha, "revert", None, git_revert["header"], None, sha["sha"] if sha else None
            )
        ]
    head = parse_message(commit.sha, commit.subject, commit.body, policy)
    found = [head] if head else []
    if policy.squash_bullets:
        found += _bullets(commit, policy)
    return found


def _bullets(commit: Commit, policy: Policy) -> list[Change]:
    """Conventional entries listed in a squash-merge body (`* fix: x`, continuation indented)."""
    body = commit.body
    if not (body.startswith(("* ", "- ")) or "\n* " in body or "\n- " in body):
        return []  # no bullet at all: most commits
    entries: list[list[str]] = []
    for line in body.splitlines():
        if _BULLET.match(line):
            entries.append([line[2:]])
        elif entries and (line.startswith("  ") or not line.strip()):
            entries[-1].append(line.strip())
        elif entries:
            entries.append([])  # unindented prose ends the entry before it
    found = []
    for entry in filter(None, entries):
        change = parse_message(commit.sha, entry[0], "\n".join(entry[1:]), policy)
        if change:
            found.append(change)
    return found


def analyse(commits: Iterable[Commit], policy: Policy) -> Analysis:
    """All changes of `commits` (newest first); reverts inside the range cancel their target."""
    result = Analysis()
    for commit in commits:
        found = changes_of(commit, policy)
        if not found and not commit.is_merge:
            result.nonconforming.append(commit)
        result.changes += found
    gone: set[int] = set()
    # oldest first, so that reverting a revert brings the original back
    for change in reversed(result.changes):
        target = _reverted(change, result.changes, gone)
        if target is not None:
            gone.update((id(change), id(target)))
            result.cancelled += [target, change]
    result.changes = [c for c in result.changes if id(c) not in gone]
    return result


def _reverted(change: Change, changes: list[Change], gone: set[int]) -> Change | None:
    """The change in the same range that `change` reverts, if it is still standing."""
    if change.reverts is None or id(change) in gone:
        return None
    for target in changes:
        if target.sha.startswith(change.reverts) and id(target) not in gone:
            return target if target.sha != change.sha else None
    return None


BUMPS = ("none", "patch", "minor", "major")


def bump_of(changes: Sequence[Change], policy: Policy) -> str:
    """The largest bump the changes warrant: major, minor, patch or none."""
    level = 0
    for change in changes:
        kind = "major" if change.breaking is not None else policy.bumps.get(change.type, "none")
        level = max(level, BUMPS.index(kind))
    return BUMPS[level]
