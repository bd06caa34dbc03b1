"""Where the deployments come from: release tags in git (through release/tags.py, so
`tag-format` holds here too), and rollbacks in the store."""

from __future__ import annotations

from shipyard import versions
from shipyard.git import Repo
from shipyard.metrics.dora import Deployment
from shipyard.release.commits import Policy, parse_message
from shipyard.release.settings import Settings
from shipyard.release.tags import release_tags, tag_format
from shipyard.store import Store


def deployments(
    repo: Repo, rolled_back: set[str] | None = None, release: Settings | None = None
) -> list[Deployment]:
    """Final release tags (under `release.tag-format`, read by the release family's tag
    reader) reachable from HEAD, oldest first, with the commits each shipped; pre-releases do
    not deploy. A patch release made only of `fix` commits is a hotfix of the one before."""
    release = release or Settings()
    fmt = tag_format(repo, release.tag_format)
    undone = {v for v in map(versions.parse, rolled_back or ()) if v is not None}
    tags = sorted(
        (t for t in release_tags(repo, fmt) if not t.version.is_pre), key=lambda t: t.timestamp
    )
    history = _History(repo) if tags else None
    result: list[Deployment] = []
    prev = None
    for tag in tags:
        assert history is not None
        commits = history.since(prev.commit if prev else None, tag.commit)
        patch = (
            prev is not None
            and (tag.version.major, tag.version.minor) == (prev.version.major, prev.version.minor)
            and tag.version > prev.version
        )
        hotfix = bool(commits) and patch and all(_is_fix(s, release.policy) for _, s in commits)
        result.append(
            Deployment(
                tag.name,
                tag.timestamp,
                [t for t, _ in commits],
                hotfix,
                tag.version in undone,
            )
        )
        prev = tag
    return result


class _History:
    """HEAD's commit graph read by one `git log`, answering `git log PREV..TAG` for each pair
    of consecutive release tags in memory (1,000 tags used to cost 1,000 git processes).

    `since` walks back from TAG and stops at the ancestors of PREV, which it keeps: on a
    release line where each tag descends from the one before (detected exactly: PREV is then
    among the commits where the walk stopped) they grow by what the walk found; otherwise they
    are walked afresh from TAG. Commits come in `git log`'s order.
    """

    def __init__(self, repo: Repo) -> None:
        out = repo.git("log", "-z", "--format=%H%x1f%P%x1f%ct%x1f%s", "HEAD", "--")
        self.parents: dict[str, list[str]] = {}
        self.info: dict[str, tuple[int, float, str]] = {}
        for order, record in enumerate(out.split("\0")):
            if record:
                sha, parents, stamp, subject = record.lstrip("\n").split("\x1f", 3)
                self.parents[sha] = parents.split()
                self.info[sha] = (order, float(stamp), subject)
        self.behind: set[str] = set()  # ancestors of the last `until`, inclusive
        self.last: str | None = None

    def _walk(self, start: str, stop: set[str]) -> tuple[list[str], set[str]]:
        """Commits reachable from `start` outside `stop`, and the `stop` commits reached."""
        found: list[str] = []
        edge: set[str] = set()
        seen = {start}
        todo = [start]
        while todo:
            sha = todo.pop()
            if sha in stop:
                edge.add(sha)
                continue
            found.append(sha)
            for parent in self.parents.get(sha, ()):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        return found, edge

    def since(self, since: str | None, until: str) -> list[tuple[float, str]]:
        """(commit time, subject) of each commit in `since..until`, as `git log` lists them."""
        if since is not None and since != self.last:
            self.behind = set(self._walk(since, set())[0])
        stop = self.behind if since is not None else set()
        found, edge = self._walk(until, stop)
        if since is None or since in edge or since == until:
            stop.update(found)  # UNTIL descends from PREV: PREV's ancestors carry over
            self.behind = stop
        else:
            self.behind = set(self._walk(until, set())[0])
        self.last = until
        found.sort(key=lambda sha: self.info[sha][0])
        return [(self.info[sha][1], self.info[sha][2]) for sha in found if sha in self.info]


def _is_fix(subject: str, policy: Policy) -> bool:
    change = parse_message("", subject, "", policy)
    return change is not None and change.type == "fix"


def rolled_back(store: Store) -> set[str]:
    """Versions `shipyard rollback` moved a channel away from (the release family's table)."""
    from shipyard.release.records import MIGRATIONS

    store.ensure_schema("release", MIGRATIONS)
    rows = store.db.execute("SELECT bad FROM rollbacks WHERE outcome != 'failed'").fetchall()
    return {str(r[0]).lstrip("v") for r in rows}
