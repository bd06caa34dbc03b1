"""Release notes from history: the next release's section, or every section (`--full`).

`--full` reads the whole log once and gives each commit to the oldest release that contains it
(a walk over parents from each tag, oldest version first, stopping at commits already given),
so the cost is linear in the history and exact for merges. Only messages are read: no diff.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from pathlib import Path

from shipyard.git import Repo
from shipyard.release import changelog, history
from shipyard.release.changelog import Release
from shipyard.release.commits import Commit, analyse
from shipyard.release.decide import Decision, open_repo
from shipyard.release.settings import Settings
from shipyard.release.tags import ReleaseTag, release_tags, tag_format


def web_url(repo: Repo, settings: Settings) -> str | None:
    if settings.repository:
        return f"https://github.com/{settings.repository}"
    return history.remote_web_url(repo, settings.remote)


def today() -> str:
    return datetime.date.today().isoformat()


def next_release(root: Path, settings: Settings, decision: Decision) -> Release:
    """The section for `decision`'s version: changes since the previous final (or tag)."""
    repo = open_repo(root)
    prev = decision.previous_tag
    changes = decision.analysis.changes
    if decision.next.version.is_pre and prev is not None and prev.version.is_pre:
        fresh = history.shas(repo, prev.commit)
        changes = [c for c in changes if c.sha in fresh]
    if not decision.next.version.is_pre:
        finals = [t for t in decision.tags if not t.version.is_pre]
        prev = finals[-1] if finals else None
    return Release(
        decision.version,
        decision.tag,
        today(),
        prev.name if prev else None,
        list(changes),
        web_url(repo, settings),
    )


def partition(log: Sequence[Commit], tags: Sequence[ReleaseTag]) -> dict[str | None, list[Commit]]:
    """Tag name -> the commits it released first; None -> commits no tag contains yet."""
    by_sha = {c.sha: c for c in log}
    owner: dict[str, str | None] = {}
    for tag in tags:  # oldest version first
        stack = [tag.commit]
        while stack:
            sha = stack.pop()
            if sha in owner or sha not in by_sha:
                continue
            owner[sha] = tag.name
            stack.extend(by_sha[sha].parents)
    out: dict[str | None, list[Commit]] = {t.name: [] for t in tags}
    out[None] = []
    for commit in log:  # keeps newest-first order inside each release
        out[owner.get(commit.sha)].append(commit)
    return out


def full(root: Path, settings: Settings, scheme: str) -> list[Release]:
    """Every release reachable from HEAD, newest first, with its changes."""
    repo = open_repo(root)
    log = history.commits(repo)
    inside = {c.sha for c in log}  # the whole log is read anyway: it says what is reachable
    every = release_tags(repo, tag_format(repo, settings.tag_format), None)
    tags = [t for t in every if t.commit in inside]
    return releases(log, tags, settings, scheme, web_url(repo, settings))


def releases(
    log: Sequence[Commit],
    tags: Sequence[ReleaseTag],
    settings: Settings,
    scheme: str,
    url: str | None,
    only: set[str] | None = None,
) -> list[Release]:
    """The releases `tags` made of the whole `log`, newest first; with `only` (a monorepo
    package's commits), each lists only those commits' changes."""
    owned = partition(log, tags)
    out: list[Release] = []
    pending: list[Commit] = []  # pre-releases' commits, listed again in the final release
    prev_final: ReleaseTag | None = None
    prev: ReleaseTag | None = None
    for tag in tags:
        mine = [c for c in owned[tag.name] if only is None or c.sha in only]
        pending += mine
        commits = mine if tag.version.is_pre else pending
        before = prev if tag.version.is_pre else prev_final
        changes = analyse(commits, settings.policy).changes
        out.append(
            Release(
                tag.version.render(scheme),
                tag.name,
                tag.date,
                before.name if before else None,
                changes,
                url,
            )
        )
        prev = tag
        if not tag.version.is_pre:
            prev_final, pending = tag, []
    return out[::-1]


def render_all(releases: Sequence[Release], settings: Settings, root: Path) -> list[str]:
    template = template_text(root, settings)
    name = str(root / settings.changelog_template) if settings.changelog_template else ""
    return [changelog.render(r, settings.sections, template, name) for r in releases]


def template_text(root: Path, settings: Settings) -> str | None:
    if settings.changelog_template is None:
        return None
    path = root / settings.changelog_template
    if not path.is_file():
        from shipyard.errors import UsageError

        raise UsageError(
            f"the changelog template {path} does not exist",
            hint="fix release.changelog-template or create the file",
        )
    from shipyard import textfile

    return textfile.read_text(path)
