"""Read release history from git: the commits since the last release reachable from HEAD.

Tags come from release/tags.py (the one tag reader); only those reachable from HEAD count, so
a maintenance branch sees its own line. Each read is one `git` call whose cost grows with what
it returns.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from shipyard.git import Repo
from shipyard.release.commits import Commit
from shipyard.release.tags import ReleaseTag, TagFormat, release_tags

_FIELD = "\x1f"
# sha, parents, committer date (YYYY-MM-DD), subject, body; records end with NUL (-z)
_LOG_FORMAT = "%H%x1f%P%x1f%cs%x1f%s%x1f%b"


def commits(
    repo: Repo, since: str | None = None, until: str = "HEAD", paths: Sequence[str] = ()
) -> list[Commit]:
    """Commits in `since..until` (all of `until` when `since` is None), newest first; with
    `paths` (git pathspecs), only those that touch them."""
    spec = f"{since}..{until}" if since else until
    out = repo.git("log", "-z", f"--format={_LOG_FORMAT}", spec, "--", *paths, check=False)
    return [_commit(rec) for rec in out.split("\0") if rec]


def touching(repo: Repo, paths: Sequence[str], until: str = "HEAD") -> set[str]:
    """The shas of the commits of `until` that touch `paths` (shas only: cheap to read)."""
    return set(repo.git("log", "--format=%H", until, "--", *paths, check=False).split())


def merges(repo: Repo, since: str | None = None, until: str = "HEAD") -> list[Commit]:
    """The merge commits of `since..until`, newest first (a path-limited log leaves them out)."""
    spec = f"{since}..{until}" if since else until
    out = repo.git("log", "-z", "--merges", f"--format={_LOG_FORMAT}", spec, "--", check=False)
    return [_commit(rec) for rec in out.split("\0") if rec]


def merged_paths(repo: Repo, merges: Sequence[str]) -> dict[str, list[str]]:
    """The paths each merge brought into its first parent's line (one `git log` for all)."""
    out = repo.git(
        "log",
        "--no-walk=unsorted",
        "--diff-merges=first-parent",
        "--name-only",
        "-z",
        "--format=%x1e%H",
        *merges,
        "--",
        check=False,
    )
    found: dict[str, list[str]] = {}
    for record in out.split("\x1e")[1:]:
        sha, _, names = record.partition("\0")
        found[sha.strip()] = [n.strip("\n") for n in names.split("\0") if n.strip("\n")]
    return found


def is_shallow(repo: Repo) -> bool:
    return repo.git("rev-parse", "--is-shallow-repository", check=False).strip() == "true"


def _commit(record: str) -> Commit:
    sha, parents, date, subject, body = record.split(_FIELD, 4)
    return Commit(sha, subject, body.strip("\n"), tuple(parents.split()), date)


def shas(repo: Repo, since: str, until: str = "HEAD") -> set[str]:
    return set(repo.git("rev-list", f"{since}..{until}", "--").split())


def remote_web_url(repo: Repo, remote: str) -> str | None:
    """`https://github.com/owner/name` for a GitHub remote (https or ssh), else None."""
    url = repo.git("remote", "get-url", remote, check=False).strip()
    m = re.match(r"^(?:https?://|ssh://git@|git@)([^/:]+)[/:]([^/]+)/(.+?)(?:\.git)?/?$", url)
    if m is None or m[1].split("@")[-1] not in ("github.com", "www.github.com"):
        return None
    return f"https://github.com/{m[2]}/{m[3]}"


def _nearest_final(repo: Repo, fmt: TagFormat, tags: dict[str, ReleaseTag]) -> ReleaseTag | None:
    """The final release tag nearest to HEAD (`git describe`: cost ~ commits since it)."""
    head, tail = fmt.pattern.split("{version}")
    args = ["describe", "--tags", "--abbrev=0", "--match", f"{head}[0-9]*.[0-9]*.[0-9]*{tail}"]
    for pre in ("*-*", "*a[0-9]*", "*b[0-9]*", "*rc[0-9]*"):
        args += ["--exclude", f"{head}{pre}{tail}"]
    for _ in range(20):  # skip matching names that are not release versions (v1.2.3.post1 …)
        name = repo.git(*args, "HEAD", check=False).strip()
        if not name:
            return None
        tag = tags.get(name)
        if tag is not None and not tag.version.is_pre:
            return tag
        args += ["--exclude", name]
    return None


def since_last_release(repo: Repo, fmt: TagFormat) -> tuple[list[ReleaseTag], list[Commit]]:
    """(reachable release tags that matter, commits since the newest reachable final).

    Exact like `for-each-ref --merged=HEAD`, but without walking the whole history: start at
    the nearest final tag, read the commits since it, and when a higher final tag is found
    among them read again from that one (a merged maintenance line can make the nearest tag
    not the highest, and which one `git describe` calls nearest depends on commit dates).
    """
    every = {t.name: t for t in release_tags(repo, fmt, None)}
    nearest = _nearest_final(repo, fmt, every)
    log = commits(repo, nearest.commit if nearest else None)
    inside = {c.sha for c in log}
    reachable = [t for t in every.values() if t.commit in inside]
    if nearest is not None:
        reachable += [t for t in every.values() if t.commit == nearest.commit]
    finals = [t for t in reachable if not t.version.is_pre]
    base = max(finals, key=lambda t: t.version) if finals else None
    if base is not None and base.commit in inside:
        # the highest final came in through a merge: what is new is what it does not contain,
        # which includes the merged line's own fixes (reachable from `nearest`, not from base)
        log = commits(repo, base.commit)
    keep = [t for t in reachable if base is None or t.version >= base.version]
    return sorted(keep, key=lambda t: (t.version, t.name)), log


def ancestors(start: str, log: list[Commit]) -> set[str]:
    """`start` and its ancestors among the commits of `log`."""
    graph = {c.sha: c for c in log}
    seen: set[str] = set()
    stack = [start]
    while stack:
        sha = stack.pop()
        if sha in seen or sha not in graph:
            continue
        seen.add(sha)
        stack.extend(graph[sha].parents)
    return seen
