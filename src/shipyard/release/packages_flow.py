"""Run a monorepo release plan: the same steps as flow.py, over every package in order.

Local steps first (release stages, every file, one commit, one tag per package, every
package built and verified); if one fails, the tags, the commit and the files are undone and
nothing has left the machine. Then, in dependency order, each package is published (skipped
when its version is on the registry already, so a re-run resumes), the branch and all tags are
pushed at once, and each package gets its GitHub release.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shipyard.errors import ShipyardError
from shipyard.release.flow import Report, Step, StepFailed, Steps, _scheme, _tokens, github_releases
from shipyard.release.interface import Built, PublishError, Target, redact, run
from shipyard.release.packages_plan import PackagePlan, WorkspacePlan
from shipyard.release.packages_plan import slug as _slug
from shipyard.release.prepare import release_notes


@dataclass
class WorkspaceOutcome:
    plan: WorkspacePlan
    steps: list[Step] = field(default_factory=list)
    commit: str | None = None
    error: str | None = None
    hint: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def serialize(self) -> dict[str, Any]:
        return {
            "schema_version": 1,
            "packages": [
                {
                    "package": p.package.name,
                    "folder": p.package.folder,
                    "version": p.text,
                    "tag": p.tag,
                    "dist_tag": p.dist_tag,
                    "channel": p.version.channel,
                }
                for p in self.plan.packages
            ],
            "commit": self.commit,
            "resumed": self.plan.resume,
            "outcome": "released" if self.ok else "failed",
            "error": self.error,
            "steps": [{"name": s.name, "status": s.status, "detail": s.detail} for s in self.steps],
        }


class WorkspaceRunner(Steps):
    outcome: WorkspaceOutcome

    def __init__(
        self, plan: WorkspacePlan, report: Report, stages: Callable[[], list[str]] | None
    ) -> None:
        super().__init__(report, stages)
        self.plan = plan
        self.outcome = WorkspaceOutcome(plan)
        self.built: dict[tuple[str, str], Built] = {}  # (package folder, publisher) -> built
        self.tagged: list[str] = []

    def target(self, pkg: PackagePlan, scheme: str) -> Target:
        work = self.plan.work / pkg.root.name / pkg.text
        return Target(pkg.root, pkg.version.render(scheme), pkg.dist_tag, work, self.plan.versions)

    # -- local ---------------------------------------------------------------------------
    def local(self) -> None:
        p = self.plan
        self._test(p.resume)
        if not p.resume:
            self._write(p.files, p.root)
            p.repo.git("add", "--", *(str(f) for f in p.files))
            p.repo.git("commit", "-q", "-m", p.message)
            self.step("commit", "done", p.message)
        self.outcome.commit = p.repo.head()
        for pkg in p.packages:
            self._tag(pkg)
        for pkg in p.packages:
            for pub in pkg.publishers:
                built = pub.build(self.target(pkg, _scheme(pub)))
                self.built[(pkg.package.folder, pub.name)] = built
                self.step(f"build:{pub.name}:{pkg.package.name}", "done", *built.summary)

    def _tag(self, pkg: PackagePlan) -> None:
        p = self.plan
        existing = p.repo.git(
            "rev-parse", "-q", "--verify", f"refs/tags/{pkg.tag}^{{commit}}", check=False
        ).strip()
        if existing:
            if existing != self.outcome.commit:
                raise StepFailed(
                    "tag", f"{pkg.tag} exists already on another commit {existing[:7]}"
                )
            self.step(f"tag:{pkg.package.name}", "skipped", f"{pkg.tag} exists already")
            return
        sign = "-s" if p.settings.sign_tags else "-a"
        p.repo.git("tag", sign, pkg.tag, "-m", f"Release {pkg.package.name} {pkg.text}")
        self.tagged.append(pkg.tag)
        self.step(f"tag:{pkg.package.name}", "done", pkg.tag)

    def undo(self) -> None:
        p = self.plan
        self._undo(p.repo, self.tagged, p.head, p.resume)

    # -- a split release: one job builds, another (holding the publish rights) publishes --
    def save_built(self, dist: Path) -> None:
        """Put what `local` built under DIST/PACKAGE/PUBLISHER/ (npm: the packed tarball)."""
        for pkg in self.plan.packages:
            for pub in pkg.publishers:
                dest = dist / _slug(pkg.package.name) / pub.name
                shutil.rmtree(dest, ignore_errors=True)
                dest.mkdir(parents=True)
                built = self.built[(pkg.package.folder, pub.name)]
                if pub.name == "npm" and not built.files:
                    run(["npm", "pack", "--pack-destination", str(dest)], pkg.root)
                for f in built.files:
                    shutil.copy2(f, dest / f.name)
                names = sorted(f.relative_to(dist).as_posix() for f in dest.iterdir())
                self.step(f"save:{pub.name}:{pkg.package.name}", "done", *names)

    def load_built(self, dist: Path) -> None:
        """Take the packages a build job saved under DIST/ instead of building them here."""
        for pkg in self.plan.packages:
            for pub in pkg.publishers:
                where = dist / _slug(pkg.package.name) / pub.name
                files = sorted(where.glob("*")) if where.is_dir() else []
                name = f"load:{pub.name}:{pkg.package.name}"
                if not files:
                    raise StepFailed(
                        name,
                        f"no {pub.name} package of {pkg.package.name} under {where}: run "
                        "`shipyard release --ci build` first and pass its folder",
                    )
                built = Built(pub.package(pkg.root), files)
                self.built[(pkg.package.folder, pub.name)] = built
                self.step(name, "done", *(f.name for f in files))

    # -- remote --------------------------------------------------------------------------
    def remote(self) -> None:
        for pkg in self.plan.packages:  # dependency order: a dependent never arrives first
            for pub in pkg.publishers:
                target = self.target(pkg, _scheme(pub))
                built = self.built[(pkg.package.folder, pub.name)]
                what = f"{built.package} {target.version}"
                name = f"publish:{pub.name}:{pkg.package.name}"
                if pub.published(target, built):
                    self.step(name, "skipped", f"{what} is on the registry already")
                    continue
                pub.publish(target, built)
                self.step(name, "done", what)
        self._push()
        for pkg in self.plan.packages:
            self._github(pkg)

    def _push(self) -> None:
        p = self.plan
        why = (
            (not p.push and "--ci: the tags came from the remote")
            or (not p.settings.push and "release.push = false")
            or (p.settings.remote not in p.repo.git("remote").split() and "no remote")
        )
        if why:
            self.step("push", "skipped", f"{why} ({p.settings.remote})")
            return
        tags = dict.fromkeys(f"refs/tags/{k.tag}" for k in p.packages)
        refs = [f"HEAD:refs/heads/{p.branch}", *tags]
        try:
            p.repo.git("push", "-q", "--atomic", p.settings.remote, *refs)
        except ShipyardError as exc:  # a remote URL may carry a token: never show it
            raise PublishError(redact(exc.message, _tokens(p.settings)), hint=exc.hint) from None
        self.step("push", "done", f"{p.branch} and {len(p.packages)} tags to {p.settings.remote}")

    def _github(self, pkg: PackagePlan) -> None:
        api, why = github_releases(self.plan.repo, self.plan.settings)
        name = f"github:{pkg.package.name}"
        if api is None:
            self.step(name, "skipped", why)
            return
        found = api.find(pkg.tag)
        if found is not None:
            self.step(name, "skipped", f"the release exists already: {found}")
            return
        title = f"{pkg.package.name} {pkg.text}"
        link = api.create(
            pkg.tag, title, release_notes(pkg.notes), pkg.version.is_pre, pkg.dist_tag == "latest"
        )
        self.step(name, "done", link)
