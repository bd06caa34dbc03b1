"""Release decisions per package of a monorepo (docs/release.md, "Monorepos").

Independent mode (the default): each package has its own tags (`name@1.2.3`, or its
`[workspace] tag-formats` entry), and only the commits that touch its folder (not the folders
of packages nested inside it) decide its next version. A merge commit with a conventional
title counts for the packages its merge brought changes to. Fixed mode: one version for every
package, decided by the whole repository's commits, each package keeping its own changes.
Either way a package whose workspace dependency is released gets at least a patch release
(`bump-dependents = "none"` turns that off).

Cost: one `for-each-ref` for all packages, then per package one path-limited `git log` of
the commits since its last release and one listing of the merges there, run on a few threads.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

from shipyard.git import Repo
from shipyard.release import history, tags
from shipyard.release.changelog import Release
from shipyard.release.commits import Commit, parse_message
from shipyard.release.decide import (
    Decision,
    check_depth,
    decide,
    decide_from,
    open_repo,
    scheme_of,
)
from shipyard.release.rules import Next
from shipyard.release.settings import Settings
from shipyard.release.tags import ReleaseTag, TagFormat
from shipyard.workspace import Package, Workspace

T = TypeVar("T")
U = TypeVar("U")
THREADS = 4  # git does the work; a few at once hide its start-up time


@dataclass
class PackageRelease:
    """One package's decision: its version, tag and the changes that touch it."""

    package: Package
    root: Path  # the package's folder
    decision: Decision
    because: tuple[str, ...] = ()  # dependencies whose release forced a patch release

    @property
    def name(self) -> str:
        return self.package.name

    @property
    def release(self) -> bool:
        return self.decision.next.release


def workspace_of(root: Path, released_only: bool = False) -> Workspace | None:
    """The workspace of the project at `root` (its definition's `[workspace]`, else manifests);
    `released_only` leaves the packages in test, fixture and playground folders unread."""
    from shipyard import config, workspace

    skip = NOT_RELEASED if released_only else frozenset()
    if config.find_definition(root) is not None:
        return workspace.from_definition(config.load(root), skip)
    return workspace.discover(root, None, skip)


def monorepo(root: Path, released_only: bool = False) -> Workspace | None:
    """The workspace when the project is a monorepo: one with a released package besides the
    root. A single package with a workspace file (or none) is released as one project.
    `version` and `changelog` pass `released_only` (`release` reads every package: it moves
    their ranges on the released ones)."""
    ws = workspace_of(root, released_only)
    if ws is None or not any(p.folder != "." for p in releasable(ws)):
        return None
    return ws


# folders where real monorepos keep test fixtures and demos that are packages only for the
# package manager (vite: packages/vite/src/node/__tests__/packages/*, playground/*), often
# without `"private": true`; `[workspace] packages` names the packages exactly when needed
NOT_RELEASED = frozenset(
    {"__tests__", "test", "tests", "fixtures", "__fixtures__", "playground", "e2e", "examples"}
)


def releasable(ws: Workspace) -> list[Package]:
    """The packages that are released, in dependency order: not private, not in a test,
    fixture, playground or examples folder (unless `[workspace] packages` lists them)."""
    return [
        p
        for p in ws.packages
        if not p.private and (ws.kind == "shipyard" or not NOT_RELEASED & set(p.folder.split("/")))
    ]


def decide_all(ws: Workspace, settings: Settings, channel: str | None) -> list[PackageRelease]:
    """The decision of every releasable package, in dependency order."""
    repo = open_repo(ws.root)
    check_depth(repo)
    packages = releasable(ws)
    reader = _Reader(repo, ws, settings)
    if ws.mode == "fixed":
        found = _fixed(reader, packages, channel)
    else:
        mine = _reachable_tags(repo, ws, packages)
        found = _each(lambda p: reader.independent(p, mine[p.folder], channel), packages)
    return _with_dependents(reader, found, channel)


def _each(work: Callable[[T], U], items: Sequence[T]) -> list[U]:
    """`work` over `items` in order; on a few threads when there are many (git does the work,
    threads hide its start-up; for a handful the thread pool's import costs more)."""
    if len(items) <= THREADS:
        return [work(i) for i in items]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(work, items))


def _reachable_tags(
    repo: Repo, ws: Workspace, packages: list[Package]
) -> dict[str, list[ReleaseTag]]:
    """Each package's release tags reachable from HEAD that matter (its newest final and the
    pre-releases after it). `for-each-ref --merged` over 1,000 tags walks the whole history
    (0.12 s CPU on vite): ask it about each package's three newest finals and what follows
    them only, and list everything when none of those is reachable (a maintenance branch)."""
    rows = tags.listing(repo, None)
    every = {p.folder: tags.matching(rows, TagFormat(ws.tag_format_of(p))) for p in packages}
    recent: dict[str, list[ReleaseTag]] = {}
    for folder, mine in every.items():
        finals = [t for t in mine if not t.version.is_pre][-3:]
        recent[folder] = [t for t in mine if not finals or t.version >= finals[0].version]
    names = sorted({f"refs/tags/{t.name}" for found in recent.values() for t in found})
    out = (
        repo.git("for-each-ref", "--merged=HEAD", "--format=%(refname:strip=2)", *names)
        if names
        else ""
    )
    reach = set(out.split())
    full: set[str] | None = None
    result = {}
    for folder, found in recent.items():
        ok = [t for t in found if t.name in reach]
        has_final = any(not t.version.is_pre for t in found)
        if has_final and not any(not t.version.is_pre for t in ok):
            if full is None:
                full = {row[0] for row in tags.listing(repo, "HEAD")}
            ok = [t for t in every[folder] if t.name in full]
        result[folder] = ok
    return result


def pick(found: Sequence[PackageRelease], ws: Workspace, name: str) -> PackageRelease:
    """The decision of the package called `name` (a clear error for an unknown one)."""
    from shipyard.errors import UsageError

    try:
        pkg = ws.get(name)
    except UsageError:
        # `version` / `changelog` leave fixture and playground packages unread: is it one?
        every = workspace_of(ws.root)
        hidden = [p for p in every.packages if p.name == name] if every else []
        if not hidden:
            raise
        raise UsageError(
            f"{name} ({hidden[0].folder}) is not released: it is private or lies in a test, "
            f"fixture or playground folder ({', '.join(sorted(NOT_RELEASED))})",
            hint="list it in `[workspace] packages` to release it",
        ) from None
    for pr in found:
        if pr.package.folder == pkg.folder:
            return pr
    raise UsageError(f"{name} is private: it is not released", hint='remove "private": true')


def _with_dependents(
    reader: _Reader, found: list[PackageRelease], channel: str | None
) -> list[PackageRelease]:
    """Give every dependent of a released package at least a patch release (in order, so a
    chain of dependents follows), unless `bump-dependents = "none"`."""
    if reader.ws.dependents == "none":
        return found
    released: set[str] = set()
    out = []
    for pr in found:
        because = tuple(n for n in pr.package.needs if n in released)
        if because and not pr.release:
            pr = reader.again(pr, channel, because)
        if pr.release:
            released.add(pr.name)
        out.append(pr)
    return out


def full_histories(
    ws: Workspace, chosen: Sequence[PackageRelease], settings: Settings
) -> list[list[Release]]:
    """`changelog --full`: every release of each chosen package, newest first. The whole log
    and the tags are read once; each package adds one path-limited log of its commits."""
    from shipyard.release import notes

    repo = open_repo(ws.root)
    reader = _Reader(repo, ws, settings)
    log = history.commits(repo)
    inside = {c.sha for c in log}
    rows = tags.listing(repo, None)
    url = notes.web_url(repo, settings)

    def one(pr: PackageRelease) -> list[Release]:
        mine = [t for t in tags.matching(rows, pr.decision.fmt) if t.commit in inside]
        touching = reader.touching(pr.package)
        return notes.releases(log, mine, settings, pr.decision.scheme, url, touching)

    return _each(one, chosen)


class _Reader:
    """Reads what git says about each package, sharing the merge diffs between threads."""

    def __init__(self, repo: Repo, ws: Workspace, settings: Settings) -> None:
        self.repo, self.ws, self.settings = repo, ws, settings
        self.released = releasable(ws)
        self._merged: dict[str, list[str]] = {}
        self._merge_lists: dict[str, list[Commit]] = {}
        self._lock = threading.Lock()
        self.logs: dict[str, tuple[list[ReleaseTag], list[Commit], TagFormat]] = {}
        self.fixed_next: Next | None = None  # fixed mode: the one decision for all

    def specs(self, pkg: Package) -> list[str]:
        """Git pathspecs for the package: its folder without the packages nested in it."""
        specs = [self._rel(pkg.folder)]
        # a nested package that is released has its own history; a nested fixture is the
        # enclosing package's (vite's __tests__/packages/* are vite's tests)
        specs += [
            f":(exclude){self._rel(p.folder)}" for p in self.ws.inside(pkg) if p in self.released
        ]
        return specs

    @functools.cache  # noqa: B019 - one reader per command, a handful of folders
    def _rel(self, folder: str) -> str:
        path = (self.ws.root / folder).resolve()
        return path.relative_to(self.repo.root.resolve()).as_posix() or "."

    def independent(
        self, pkg: Package, mine: list[ReleaseTag], channel: str | None
    ) -> PackageRelease:
        fmt = TagFormat(self.ws.tag_format_of(pkg))
        finals = [t for t in mine if not t.version.is_pre]
        base = finals[-1] if finals else None
        keep = [t for t in mine if base is None or t.version >= base.version]
        log = self.log(pkg, base.commit if base else None)
        self.logs[pkg.folder] = (keep, log, fmt)
        root = self.ws.root / pkg.folder
        decision = decide_from(root, self.settings, channel, fmt, keep, log, repo=self.repo)
        return PackageRelease(pkg, root, decision)

    def again(
        self, pr: PackageRelease, channel: str | None, because: tuple[str, ...]
    ) -> PackageRelease:
        """`pr` decided again with at least a patch bump (a dependency is released)."""
        d = pr.decision
        if self.fixed_next is not None:
            return replace(pr, decision=replace(d, next=self.fixed_next), because=because)
        keep, log, fmt = self.logs[pr.package.folder]
        decision = decide_from(
            pr.root, self.settings, channel, fmt, keep, log, at_least="patch", repo=self.repo
        )
        return replace(pr, decision=decision, because=because)

    def log(self, pkg: Package, since: str | None) -> list[Commit]:
        """Commits since `since` that touch the package, plus conventional merges into it."""
        log = history.commits(self.repo, since, paths=self.specs(pkg))
        return log + self._more(pkg, since, {c.sha for c in log})

    def touching(self, pkg: Package) -> set[str]:
        """The shas of every commit `log(pkg, None)` gives (`--full`: no messages to parse)."""
        shas = history.touching(self.repo, self.specs(pkg))
        return shas | {c.sha for c in self._more(pkg, None, shas)}

    def _more(self, pkg: Package, since: str | None, seen: set[str]) -> list[Commit]:
        """What a path-limited log leaves out: conventional merges that brought changes into
        the package, and (the scope rule) commits whose scope names it."""
        log: list[Commit] = []
        seen = set(seen)
        policy = self.settings.policy
        # "Merge branch 'x'" is left out: its parents' commits speak for it
        titled = [
            m
            for m in self._merges(since)
            if m.sha not in seen and parse_message(m.sha, m.subject, m.body, policy) is not None
        ]
        paths = self._merged_paths(titled)
        for merge in titled:
            if any(self._owner(path) == pkg for path in paths[merge.sha]):
                log.append(merge)
                seen.add(merge.sha)
        if self.ws.scope_rule:  # paths first; a scope naming the package adds its commit
            log += [c for c in self._scoped(since, pkg) if c.sha not in seen]
        return log

    def _scoped(self, since: str | None, pkg: Package) -> list[Commit]:
        """The commits since `since` whose conventional scope names `pkg` (the scope rule)."""
        policy = self.settings.policy
        out = []
        for commit in self._listing(since, merges_only=False):
            change = parse_message(commit.sha, commit.subject, commit.body, policy)
            named = self.ws.scoped(change.scope) if change is not None else None
            if named is not None and named.folder == pkg.folder:
                out.append(commit)
        return out

    def _merges(self, since: str | None) -> list[Commit]:
        """The merges since `since`, listed once per base (fixed mode shares one)."""
        if self.ws.scope_rule:  # the whole listing is read anyway
            return [c for c in self._listing(since, merges_only=False) if c.is_merge]
        return self._listing(since, merges_only=True)

    def _listing(self, since: str | None, merges_only: bool) -> list[Commit]:
        """Every commit (or every merge) since `since`, one git call per base and kind."""
        key = f"{since or ''}:{merges_only}"
        with self._lock:
            known = self._merge_lists.get(key)
        if known is None:
            read = history.merges if merges_only else history.commits
            known = read(self.repo, since)
            with self._lock:
                self._merge_lists[key] = known
        return known

    def _merged_paths(self, merges: list[Commit]) -> dict[str, list[str]]:
        """What each merge brought in, read for all the unknown ones in one git call."""
        with self._lock:
            missing = [m.sha for m in merges if m.sha not in self._merged]
        if missing:
            found = history.merged_paths(self.repo, missing)
            with self._lock:
                self._merged.update(found)
        with self._lock:
            return {m.sha: self._merged.get(m.sha, []) for m in merges}

    def _owner(self, repo_path: str) -> Package | None:
        """The released package holding a repository path (git's paths are plain strings:
        no file system call per path, a history has thousands)."""
        prefix = self._rel(".")
        if prefix == ".":
            rel = repo_path
        elif repo_path.startswith(prefix + "/"):
            rel = repo_path[len(prefix) + 1 :]
        else:
            return None
        owners = [p for p in self.released if p.owns(rel)]
        return max(owners, key=lambda p: len(p.folder)) if owners else None


def _fixed(reader: _Reader, packages: list[Package], channel: str | None) -> list[PackageRelease]:
    """One decision for the whole repository; each package keeps the changes touching it."""
    whole = decide(reader.ws.root, reader.settings, channel)
    reader.fixed_next = whole.next
    finals = [t for t in whole.tags if not t.version.is_pre]
    since = finals[-1].commit if finals else None
    out = []
    for pkg in packages:
        touching = {c.sha for c in reader.log(pkg, since)}
        changes = [c for c in whole.analysis.changes if c.sha in touching]
        analysis = replace(whole.analysis, changes=changes, nonconforming=[], cancelled=[])
        nxt = whole.next if changes else replace(whole.next, release=False, reason="unchanged")
        root = reader.ws.root / pkg.folder
        scheme = scheme_of(root, reader.settings)
        decision = replace(whole, next=nxt, analysis=analysis, scheme=scheme)
        out.append(PackageRelease(pkg, root, decision))
    return out
