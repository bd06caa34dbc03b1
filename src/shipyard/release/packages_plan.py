"""Work out a monorepo release before doing anything: which packages, in what order, with
which versions, tags, notes, edited files (versions, dependents' ranges, changelogs) and
publishers. `packages_flow.py` runs it.

One release commit holds every package's files; its message lists the tags
(`chore(release): @acme/utils@1.0.1, @acme/core@2.0.0`), so a run that stopped after its local
steps is resumed from HEAD: the listed packages are built, published and pushed, nothing is
decided again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from shipyard.errors import UsageError
from shipyard.git import Repo
from shipyard.release import changelog, files, notes, ranges
from shipyard.release.decide import declared_version, open_repo
from shipyard.release.interface import Publisher
from shipyard.release.packages import PackageRelease, decide_all, releasable
from shipyard.release.prepare import check_tree, dist_tag
from shipyard.release.registry import for_project
from shipyard.release.settings import Settings
from shipyard.release.tags import TagFormat, listing, matching, tag_format
from shipyard.versions import Version
from shipyard.workspace import Package, Workspace


@dataclass
class PackagePlan:
    package: Package
    root: Path
    version: Version
    scheme: str
    tag: str
    dist_tag: str
    notes: str
    publishers: list[Publisher] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.version.render(self.scheme)


@dataclass
class WorkspacePlan:
    root: Path
    settings: Settings
    repo: Repo
    packages: list[PackagePlan]  # dependency order: what a package needs is published first
    resume: bool
    head: str
    branch: str
    work: Path
    files: dict[Path, str] = field(default_factory=dict)
    push: bool = True
    # every npm workspace package's version after this release, for `workspace:` ranges
    versions: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return ", ".join(dict.fromkeys(p.tag for p in self.packages))  # fixed mode: one tag

    @property
    def message(self) -> str:
        return self.settings.commit_message.replace("{version}", self.text)


def prepare(
    root: Path, ws: Workspace, settings: Settings, channel: str | None, work: Path
) -> WorkspacePlan | None:
    """The plan of the workspace's next release; None when no package warrants one."""
    repo = open_repo(root)
    branch = check_tree(repo, settings)
    resumed = _resumed(repo, ws, settings)
    if resumed is not None:
        return _plan(root, ws, settings, repo, branch, work, resumed, resume=True)
    found = [pr for pr in decide_all(ws, settings, channel) if pr.release]
    if not found:
        return None
    plan = _plan(root, ws, settings, repo, branch, work, _from_decisions(found), resume=False)
    plan.files = _files(ws, settings, plan.packages, found)
    return plan


def prepare_tagged(root: Path, ws: Workspace, settings: Settings, work: Path) -> WorkspacePlan:
    """`release --ci`: publish the packages whose release tags are at HEAD."""
    repo = open_repo(root)
    head = repo.head() or ""
    rows = [r for r in listing(repo, None) if (r[2] or r[1]) == head]
    chosen = []
    for pkg in releasable(ws):
        fmt = _format(repo, ws, settings, pkg)
        chosen += [(pkg, t.version, t.name) for t in matching(rows, fmt)[-1:]]
    if not chosen:
        raise UsageError(
            f"HEAD ({head[:10] or 'no commit'}) carries no package's release tag",
            hint="--ci publishes tagged releases; run plain `shipyard release` to make them",
        )
    plan = _plan(root, ws, settings, repo, repo.branch() or "HEAD", work, chosen, resume=True)
    plan.push = False
    return plan


def _from_decisions(found: list[PackageRelease]) -> list[tuple[Package, Version, str]]:
    return [(pr.package, pr.decision.next.version, pr.decision.tag) for pr in found]


def _resumed(
    repo: Repo, ws: Workspace, settings: Settings
) -> list[tuple[Package, Version, str]] | None:
    """The packages of the release commit at HEAD (its message lists their tags), if any."""
    subject = repo.git("log", "-1", "--format=%s").strip()
    head, _, tail = settings.commit_message.partition("{version}")
    m = re.fullmatch(f"{re.escape(head)}(.+){re.escape(tail)}", subject)
    if m is None:
        return None
    named = set(m[1].split(", "))
    out = []
    for pkg in releasable(ws):
        fmt = _format(repo, ws, settings, pkg)
        for tag in named:
            version = fmt.version(tag)
            if version is not None:
                out.append((pkg, version, tag))
    return out or None


def _plan(
    root: Path,
    ws: Workspace,
    settings: Settings,
    repo: Repo,
    branch: str,
    work: Path,
    chosen: list[tuple[Package, Version, str]],
    resume: bool,
) -> WorkspacePlan:
    from shipyard.release.decide import scheme_of

    plans = []
    for pkg, version, tag in chosen:
        folder = ws.root / pkg.folder
        scheme = scheme_of(folder, settings)
        fmt = _format(repo, ws, settings, pkg)
        publishers = [
            p
            for p in for_project(folder, settings, work / slug(pkg.name))
            if p.applies(folder)  # `publish = ["npm", "pypi"]` fits each package its own way
        ]
        section = _section(folder / settings.changelog, version.render(scheme))
        plans.append(
            PackagePlan(
                pkg, folder, version, scheme, tag, dist_tag(repo, fmt, version), section, publishers
            )
        )
    plan = WorkspacePlan(root, settings, repo, plans, resume, repo.head() or "", branch, work)
    plan.versions = {p.name: p.version for p in ws.packages if p.registry == "npm" and p.version}
    plan.versions |= {p.package.name: p.version.render("semver") for p in plans}
    return plan


def _format(repo: Repo, ws: Workspace, settings: Settings, pkg: Package) -> TagFormat:
    """A package's tag format: its own, or in fixed mode the repository's one format."""
    if ws.mode == "fixed":
        return tag_format(repo, settings.tag_format)
    return TagFormat(ws.tag_format_of(pkg))


def slug(name: str) -> str:
    """A package name as a folder name (`@acme/core` -> `acme_core`)."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("_")


def _section(path: Path, version: str) -> str:
    for section in changelog.split(changelog.read(path) or "")[1]:
        if section.startswith((f"## [{version}]", f"## {version}")):
            return section
    return f"## {version}\n"


def _with_dependencies(section: str, because: tuple[str, ...], plans: list[PackagePlan]) -> str:
    """A dependent's section names the released dependencies that made it release."""
    if not because:
        return section
    versions = {p.package.name: p.text for p in plans}
    lines = "".join(f"* {name} {versions.get(name, '')}".rstrip() + "\n" for name in because)
    body = section.replace("\nNo user-facing changes.\n", "")
    return body.rstrip("\n") + "\n\n### Dependencies\n\n" + lines + "\n"


def _files(
    ws: Workspace, settings: Settings, plans: list[PackagePlan], found: list[PackageRelease]
) -> dict[Path, str]:
    """New contents: each released package's version files and changelog, then every
    workspace manifest's ranges on the released packages (and the root package-lock.json and
    uv.lock)."""
    out: dict[Path, str] = {}
    for plan, pr in zip(plans, found, strict=True):
        old = [pr.decision.next.current, declared_version(plan.root)]
        texts = [v.render(s) for v in old if v for s in ("semver", "pep440")]
        out.update(files.plan(plan.root, plan.version, texts, ()))
        upcoming = notes.next_release(plan.root, settings, pr.decision)
        plan.notes = _with_dependencies(
            notes.render_all([upcoming], settings, ws.root)[0], pr.because, plans
        )
        path = plan.root / settings.changelog
        out[path] = changelog.insert(changelog.read(path), plan.notes, plan.text)
    npm = {p.package.name: p.version.render("semver") for p in plans}
    pypi = {p.package.name: p.version.render("pep440") for p in plans}
    for pkg in ws.packages:
        base = ws.root / pkg.folder
        for name in ("package.json", "pyproject.toml"):
            path = base / name
            if path.is_file():
                text = out.get(path, path.read_text(encoding="utf-8"))
                try:
                    new = (
                        ranges.package_json(text, npm)
                        if name == "package.json"
                        else ranges.pyproject(text, pypi)
                    )
                except ValueError as exc:  # JSON or TOML that does not parse
                    raise UsageError(
                        f"{path}: cannot read it to move its workspace ranges: {exc}",
                        hint="fix the manifest (its package manager would refuse it too)",
                    ) from None
                if new != text:
                    out[path] = new
    lock = ws.root / "package-lock.json"
    if lock.is_file():
        folders = {p.package.folder: p.version.render("semver") for p in plans}
        text = out.get(lock, lock.read_text(encoding="utf-8"))
        if (new := ranges.lockfile(text, folders, npm)) != text:
            out[lock] = new
    uv = ws.root / "uv.lock"
    if uv.is_file():
        text = uv.read_text(encoding="utf-8")
        if (new := ranges.uv_lock(text, pypi)) != text:
            out[uv] = new
    return {path: files.line_ends_kept(path, text) for path, text in out.items()}
