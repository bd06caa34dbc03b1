"""Work out a release before doing anything: version, tag, dist-tag, notes, files, publishers.

A release commit at HEAD (`chore(release): X`, as `commit-message` says) means an earlier run
stopped after its local steps: the plan then resumes that release instead of computing a new
one, and the remote steps skip whatever is already done.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field
from pathlib import Path

from shipyard import versions
from shipyard.errors import UsageError
from shipyard.git import Repo
from shipyard.release import changelog, files, notes, rules
from shipyard.release.decide import decide, declared_version, open_repo
from shipyard.release.decide import scheme_of as decide_scheme
from shipyard.release.interface import Publisher
from shipyard.release.registry import for_project
from shipyard.release.settings import Settings
from shipyard.release.tags import TagFormat, release_tags, tag_format
from shipyard.store import STATE_DIR
from shipyard.versions import Version


@dataclass
class Plan:
    root: Path
    settings: Settings
    repo: Repo
    version: Version
    scheme: str
    tag: str
    dist_tag: str
    notes: str  # the changelog section of this release
    resume: bool  # the release commit exists already: only the remaining steps run
    head: str  # HEAD when the run started (what a failed local step returns to)
    branch: str
    work: Path  # a private folder under the store for build output
    files: dict[Path, str] = field(default_factory=dict)  # path -> new content
    publishers: list[Publisher] = field(default_factory=list)
    push: bool = True  # False in CI: the tag came from the remote

    @property
    def text(self) -> str:
        return self.version.render(self.scheme)

    @property
    def prerelease(self) -> bool:
        return self.version.is_pre


def check_tree(repo: Repo, settings: Settings) -> str:
    """The branch, after checking a clean work tree on a release branch."""
    if repo.head() is None:
        raise UsageError(f"{repo.root} has no commit yet", hint="commit your work, then release")
    dirty = [p for p in repo.dirty_paths() if not p.startswith(f"{STATE_DIR}/")]
    if dirty:
        shown = ", ".join(dirty[:5]) + (" …" if len(dirty) > 5 else "")
        raise UsageError(
            f"the work tree is not clean: {shown}",
            hint="commit or stash these changes, then release",
        )
    branch = repo.branch()
    if branch is None or not any(fnmatch.fnmatchcase(branch, b) for b in settings.branches):
        raise UsageError(
            f"{branch or 'a detached HEAD'} is not a release branch "
            f"({', '.join(settings.branches)})",
            hint="check out a release branch, or add this one to release.branches",
        )
    return branch


def resumed_version(repo: Repo, settings: Settings) -> Version | None:
    """The version of the release commit at HEAD, if HEAD is one."""
    subject = repo.git("log", "-1", "--format=%s").strip()
    head, _, tail = settings.commit_message.partition("{version}")
    m = re.fullmatch(f"{re.escape(head)}(.+){re.escape(tail)}", subject)
    return versions.parse(m[1]) if m else None


def dist_tag(repo: Repo, fmt: TagFormat, version: Version) -> str:
    """latest / alpha / beta / next; an older line gets `release-N.x` or `release-N.M.x`, so a
    maintenance release never moves `latest` back."""
    if version.is_pre:
        return rules.DIST_TAGS[version.channel]
    finals = [t.version for t in release_tags(repo, fmt, None) if not t.version.is_pre]
    newest = max(finals, default=version)
    if newest <= version:
        return "latest"
    if newest.major > version.major:
        return f"release-{version.major}.x"
    return f"release-{version.major}.{version.minor}.x"


def prepare(root: Path, settings: Settings, channel: str | None, work: Path) -> Plan | None:
    """The plan of the next release; None when nothing warrants one."""
    repo = open_repo(root)
    branch = check_tree(repo, settings)
    fmt = tag_format(repo, settings.tag_format)
    resumed = resumed_version(repo, settings)
    decision = decide(root, settings, channel)
    # HEAD is an earlier run's release commit: finish that release, unless a different one
    # (a final after a pre-release, say) is asked for
    if resumed is not None and decision.next.release and decision.next.version != resumed:
        resumed = None
    if resumed is None and not decision.next.release:
        return None
    version = resumed or decision.next.version
    text = version.render(decision.scheme)
    path = root / settings.changelog
    if resumed is not None:
        section = _section(changelog.read(path), text)
    else:
        upcoming = notes.next_release(root, settings, decision)
        section = notes.render_all([upcoming], settings, root)[0]
    plan = Plan(
        root=root,
        settings=settings,
        repo=repo,
        version=version,
        scheme=decision.scheme,
        tag=fmt.render(version, decision.scheme),
        dist_tag=dist_tag(repo, fmt, version),
        notes=section,
        resume=resumed is not None,
        head=repo.head() or "",
        branch=branch,
        work=work,
    )
    if resumed is None:
        old = [decision.next.current, declared_version(root)]
        texts = [v.render(s) for v in old if v for s in ("semver", "pep440")]
        plan.files = files.plan(root, version, texts, settings.version_files)
        plan.files[path] = files.line_ends_kept(
            path, changelog.insert(changelog.read(path), section, text)
        )
    plan.publishers = for_project(root, settings, work)
    return plan


def prepare_tagged(root: Path, settings: Settings, work: Path) -> Plan:
    """`release --ci`: publish the release whose tag is at HEAD (a tag-push workflow).

    The release commit and tag were made and pushed by `shipyard release` on a developer's
    machine or a release job; here only build, publish and the GitHub release remain, each
    skipped when already done. HEAD may be detached, as in a tag-triggered checkout.
    """
    repo = open_repo(root)
    fmt = tag_format(repo, settings.tag_format)
    head = repo.head() or ""
    at_head = [t for t in release_tags(repo, fmt, None) if t.commit == head]
    if not at_head:
        raise UsageError(
            f"HEAD ({head[:10] or 'no commit'}) carries no release tag matching {fmt.pattern!r}",
            hint="--ci publishes a tagged release; run plain `shipyard release` to make one",
        )
    tag = at_head[-1]
    scheme = decide_scheme(root, settings)
    section = _section(changelog.read(root / settings.changelog), tag.version.render(scheme))
    plan = Plan(
        root=root,
        settings=settings,
        repo=repo,
        version=tag.version,
        scheme=scheme,
        tag=tag.name,
        dist_tag=dist_tag(repo, fmt, tag.version),
        notes=section,
        resume=True,
        head=head,
        branch=repo.branch() or "HEAD",
        work=work,
        push=False,
    )
    plan.publishers = for_project(root, settings, work)
    return plan


def _section(text: str | None, version: str) -> str:
    for section in changelog.split(text or "")[1]:
        if section.startswith((f"## [{version}]", f"## {version}")):
            return section
    return f"## {version}\n"


def release_notes(section: str) -> str:
    """The GitHub release body: the changelog section without its heading line."""
    return section.split("\n", 1)[1].strip("\n") + "\n" if "\n" in section else ""
