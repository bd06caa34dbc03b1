"""Where the deployments come from: release tags in git, and rollbacks in the store."""

from __future__ import annotations

import re

from shipyard.git import Repo
from shipyard.metrics.dora import Deployment
from shipyard.store import Store

_TAG = re.compile(r"^v?(\d+)\.(\d+)\.(\d+)$")  # final releases only; pre-releases do not deploy
_FIX = re.compile(r"^fix(\([^)]*\))?:", re.I)


def deployments(repo: Repo, rolled_back: set[str] | None = None) -> list[Deployment]:
    """Final release tags reachable from HEAD, oldest first, with the commits each shipped."""
    out = repo.git(
        "tag",
        "--merged",
        "HEAD",
        "--sort=creatordate",
        "--format=%(refname:short)%09%(creatordate:unix)",
    )
    tags = []
    for line in out.splitlines():
        name, _, stamp = line.partition("\t")
        m = _TAG.match(name)
        if m and stamp:
            tags.append((name, float(stamp), tuple(int(x) for x in m.groups())))
    result: list[Deployment] = []
    prev: tuple[str, tuple[int, ...]] | None = None
    for name, when, version in tags:
        span = f"{prev[0]}..{name}" if prev else name
        log = repo.git("log", "--format=%ct%x09%s", span)
        commits = [ln.split("\t", 1) for ln in log.splitlines() if "\t" in ln]
        patch = prev is not None and version[:2] == prev[1][:2] and version > prev[1]
        hotfix = bool(commits) and patch and all(_FIX.match(s) for _, s in commits)
        result.append(
            Deployment(
                name,
                when,
                [float(t) for t, _ in commits],
                hotfix,
                name.lstrip("v") in (rolled_back or set()),
            )
        )
        prev = (name, version)
    return result


def rolled_back(store: Store) -> set[str]:
    """Versions `shipyard rollback` moved a channel away from (the release family's table)."""
    from shipyard.release.records import MIGRATIONS

    store.ensure_schema("release", MIGRATIONS)
    rows = store.db.execute("SELECT bad FROM rollbacks WHERE outcome != 'failed'").fetchall()
    return {str(r[0]).lstrip("v") for r in rows}
