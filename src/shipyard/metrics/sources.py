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
    result: list[Deployment] = []
    prev = None
    for tag in tags:
        span = f"{prev.name}..{tag.name}" if prev else tag.name
        log = repo.git("log", "--format=%ct%x09%s", span, "--")
        commits = [ln.split("\t", 1) for ln in log.splitlines() if "\t" in ln]
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
                [float(t) for t, _ in commits],
                hotfix,
                tag.version in undone,
            )
        )
        prev = tag
    return result


def _is_fix(subject: str, policy: Policy) -> bool:
    change = parse_message("", subject, "", policy)
    return change is not None and change.type == "fix"


def rolled_back(store: Store) -> set[str]:
    """Versions `shipyard rollback` moved a channel away from (the release family's table)."""
    from shipyard.release.records import MIGRATIONS

    store.ensure_schema("release", MIGRATIONS)
    rows = store.db.execute("SELECT bad FROM rollbacks WHERE outcome != 'failed'").fetchall()
    return {str(r[0]).lstrip("v") for r in rows}
