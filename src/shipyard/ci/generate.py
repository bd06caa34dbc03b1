"""`shipyard ci generate [--check] [--force]`: compute every CI file, then write or compare.

The generators are pure; this module alone touches the disk. A file is replaced only when it
carries the generated header (or with `--force`), so hand edits are never silently lost; a
generated file the definition no longer produces is removed. `--check` writes nothing and
returns the changes, with a unified diff for each.
"""

from __future__ import annotations

import difflib
import enum
from dataclasses import dataclass
from pathlib import Path

from shipyard import config
from shipyard.ci import affected, family_workflows, repofiles, review, settings, workflows
from shipyard.ci.interface import (
    MARKER,
    CiError,
    GeneratedFile,
    Generator,
    Project,
    detect_languages,
    project_name,
)
from shipyard.git import Repo
from shipyard.store import write_atomic

# Every workflow generator, in the order of the plan's workflow table.
WORKFLOWS: dict[str, Generator] = {
    "stages": workflows.stage_workflows,
    "packages": affected.workflow,  # per-package stages, for the affected packages only
    "codeql": family_workflows.codeql,
    "scan": family_workflows.scans,
    "dependency-review": review.dependency_review,
    "bench": family_workflows.benchmarks,
    "release": family_workflows.releases,
    "scheduled": family_workflows.scheduled,
}
# The other repository files; settings.yml also reads the workflows (required checks).
FILES: dict[str, Generator] = {
    "setup-action": repofiles.setup_action,
    "dependabot": repofiles.dependabot,
    "issue-template": repofiles.bug_report,
    "env-example": repofiles.env_example,
}
OWNED_GLOBS = (".github/**/*.yml", ".github/**/*.yaml", ".github/CODEOWNERS", ".env.example")


class Change(enum.StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    REMOVED = "removed"


@dataclass(frozen=True)
class FileResult:
    path: str
    change: Change
    diff: str = ""
    text: str = ""  # the new content (empty when removed)


def load_project(root: Path) -> Project:
    definition = config.load(root)
    repo = Repo.find(definition.root)
    if repo is not None and repo.root.resolve() != definition.root.resolve():
        # GitHub reads .github/ at the repository root only, and jobs start there
        raise CiError(
            f"the definition {definition.file} is not at the root of its git repository "
            f"({repo.root})",
            hint="keep shipyard.toml (or pyproject.toml) at the repository root",
        )
    return Project(
        definition.root,
        definition,
        settings.load(definition),
        detect_languages(definition.root),
        project_name(definition.root),
    )


def render_all(project: Project) -> list[GeneratedFile]:
    flows = [f for gen in WORKFLOWS.values() for f in gen(project)]
    seen: set[str] = set()
    for f in flows:
        if f.path in seen:
            raise CiError(
                f"two generators both write {f.path}",
                hint="move stages with [ci.workflows] so each workflow has one source",
            )
        seen.add(f.path)
    others = [f for gen in FILES.values() for f in gen(project)]
    return [*flows, *others, *repofiles.repo_settings(project, flows)]


def is_generated(path: Path) -> bool:
    try:
        with path.open(encoding="utf-8", errors="replace") as fh:
            return MARKER in fh.readline()
    except OSError:
        return False


def plan(project: Project) -> list[FileResult]:
    """What `generate` would do, file by file, with a unified diff of each change."""
    root = project.root
    results = []
    wanted = {f.path: f.text for f in render_all(project)}
    for path, text in wanted.items():
        target = root / path
        old = target.read_text(encoding="utf-8", errors="replace") if target.is_file() else None
        if old == text:
            results.append(FileResult(path, Change.UNCHANGED))
            continue
        change = Change.CREATED if old is None else Change.UPDATED
        results.append(FileResult(path, change, _diff(path, old or "", text, old is None), text))
    for stale in sorted({p for g in OWNED_GLOBS for p in root.glob(g) if p.is_file()}):
        rel = stale.relative_to(root).as_posix()
        if rel not in wanted and is_generated(stale):
            results.append(
                FileResult(rel, Change.REMOVED, _diff(rel, stale.read_text(), "", False))
            )
    return results


def _diff(path: str, old: str, new: str, created: bool) -> str:
    lines = difflib.unified_diff(
        old.splitlines(keepends=True),
        new.splitlines(keepends=True),
        "/dev/null" if created else f"a/{path}",
        "/dev/null" if not new else f"b/{path}",
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def apply(project: Project, results: list[FileResult], force: bool) -> None:
    """Write the changes; refuses (writing nothing) if a hand-written file is in the way."""
    blocked = [
        r.path
        for r in results
        if r.change == Change.UPDATED and not is_generated(project.root / r.path)
    ]
    if blocked and not force:
        raise CiError(
            f"{', '.join(blocked)}: not written by shipyard (no generated header); "
            "refusing to overwrite",
            hint="move your changes into the definition, or pass --force to replace the file",
        )
    for r in results:
        if r.change in (Change.CREATED, Change.UPDATED):
            write_atomic(project.root / r.path, r.text)
        elif r.change == Change.REMOVED:
            (project.root / r.path).unlink()
