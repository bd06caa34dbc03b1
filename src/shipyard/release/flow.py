"""Run a release plan as an ordered list of named steps: local ones first, then remote ones.

Nothing leaves the machine until every local step (tests, version files, changelog, commit,
tag, build and verification) has passed; if one fails, the commit, the tag and the edited
files are undone. Remote steps (publish, push, GitHub release) each check first whether they
are already done, so a re-run after a partial publish resumes instead of repeating itself.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shipyard.errors import ShipyardError
from shipyard.git import Repo
from shipyard.release import github
from shipyard.release.interface import Built, Publisher, PublishError, Target, redact, run
from shipyard.release.notes import web_url
from shipyard.release.prepare import Plan, release_notes
from shipyard.release.settings import Settings
from shipyard.store import write_atomic

Report = Callable[["Step"], None]


@dataclass
class Step:
    name: str
    status: str  # done, skipped, failed, planned
    detail: list[str] = field(default_factory=list)


@dataclass
class Outcome:
    plan: Plan
    steps: list[Step] = field(default_factory=list)
    commit: str | None = None
    error: str | None = None
    hint: str | None = None  # what to do after a failure

    @property
    def ok(self) -> bool:
        return self.error is None

    def serialize(self) -> dict[str, Any]:
        p = self.plan
        return {
            "version": p.text,
            "tag": p.tag,
            "channel": p.version.channel,
            "dist_tag": p.dist_tag,
            "commit": self.commit,
            "resumed": p.resume,
            "outcome": "released" if self.ok else "failed",
            "error": self.error,
            "steps": [{"name": s.name, "status": s.status, "detail": s.detail} for s in self.steps],
        }


class Steps:
    """What a one-package release (Runner) and a workspace release (packages_flow) do alike:
    report steps, run the release stages, write the release files, undo the local ones."""

    outcome: Any  # Outcome, or packages_flow's WorkspaceOutcome: `steps` and `commit`

    def __init__(self, report: Report, stages: Callable[[], list[str]] | None) -> None:
        self.report = report
        self.stages = stages  # runs the release stages, gives the failed ones; None: no stages
        self.created: list[str] = []  # files that did not exist before (undo removes them)

    def step(self, name: str, status: str, *detail: str) -> None:
        s = Step(name, status, list(detail))
        self.outcome.steps.append(s)
        self.report(s)
        if os.environ.get("SHIPYARD_RELEASE_KILL_AFTER") == name:  # seam for interrupt tests
            os.kill(os.getpid(), signal.SIGKILL)

    def _test(self, resume: bool) -> None:
        if resume:
            self.step("test", "skipped", "the release stages passed before the release commit")
        elif self.stages is None:
            self.step("test", "skipped", "no stage is marked `release = true`")
        elif failed := self.stages():
            raise StepFailed(
                "test", f"release stages failed: {', '.join(failed)}; see `shipyard runs`"
            )
        else:
            self.step("test", "done", "the release stages passed")

    def _write(self, files: Mapping[Path, str], root: Path) -> None:
        for path, text in files.items():
            if not path.exists():
                self.created.append(str(path))
            write_atomic(path, text)
        self.step("files", "done", *sorted(str(f.relative_to(root)) for f in files))

    def _undo(self, repo: Repo, tags: Sequence[str], head: str, resume: bool) -> None:
        """Put the repository back as it was before this run (its tree was clean then)."""
        for tag in tags:
            repo.git("tag", "-d", tag, check=False)
        if not resume:
            repo.git("reset", "-q", "--hard", head, check=False)
            for name in self.created:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(name)


class Runner(Steps):
    outcome: Outcome

    def __init__(self, plan: Plan, report: Report, stages: Callable[[], list[str]] | None) -> None:
        super().__init__(report, stages)
        self.plan = plan
        self.outcome = Outcome(plan)
        self.built: dict[str, Built] = {}
        self.tagged = False

    def target(self, scheme: str) -> Target:
        p = self.plan
        work = p.work / p.text
        return Target(p.root, p.version.render(scheme), p.dist_tag, work)

    # -- local ---------------------------------------------------------------------------
    def local(self) -> None:
        p = self.plan
        self._test(p.resume)
        if not p.resume:
            self._write(p.files, p.root)
            self._commit()
        self._tag()
        for pub in p.publishers:
            built = pub.build(self.target(_scheme(pub)))
            self.built[pub.name] = built
            self.step(f"build:{pub.name}", "done", *built.summary)

    def _commit(self) -> None:
        p = self.plan
        p.repo.git("add", "--", *(str(f) for f in p.files))
        message = p.settings.commit_message.replace("{version}", p.text)
        if not p.repo.git("diff", "--cached", "--name-only").strip():
            # an interrupted release whose files were committed by hand: HEAD holds them
            self.outcome.commit = p.repo.head()
            self.step(
                "commit", "skipped", f"the release files are committed already (HEAD): {p.text}"
            )
            return
        p.repo.git("commit", "-q", "-m", message)
        self.outcome.commit = p.repo.head()
        self.step("commit", "done", message)

    def _tag(self) -> None:
        p = self.plan
        self.outcome.commit = p.repo.head()
        existing = p.repo.git(
            "rev-parse", "-q", "--verify", f"refs/tags/{p.tag}^{{commit}}", check=False
        ).strip()
        if existing:
            if existing != self.outcome.commit:
                raise StepFailed("tag", f"{p.tag} exists already on another commit {existing[:7]}")
            self.step("tag", "skipped", f"{p.tag} exists already")
            return
        p.repo.git("tag", "-s" if p.settings.sign_tags else "-a", p.tag, "-m", f"Release {p.text}")
        self.tagged = True
        self.step("tag", "done", p.tag + (" (signed)" if p.settings.sign_tags else ""))

    def undo(self) -> None:
        """Put the repository back as it was before this run (its tree was clean then)."""
        p = self.plan
        self._undo(p.repo, [p.tag] if self.tagged else [], p.head, p.resume)

    # -- a split release: one job builds, another (holding the publish rights) publishes --
    def save_built(self, dist: Path) -> None:
        """Put what `local` built under DIST/PUBLISHER/ (npm: the packed tarball)."""
        for pub in self.plan.publishers:
            dest = dist / pub.name
            shutil.rmtree(dest, ignore_errors=True)
            dest.mkdir(parents=True)
            built = self.built[pub.name]
            if pub.name == "npm" and not built.files:
                run(["npm", "pack", "--pack-destination", str(dest)], self.plan.root)
            for f in built.files:
                shutil.copy2(f, dest / f.name)
            names = sorted(f.name for f in dest.iterdir())
            self.step(f"save:{pub.name}", "done", *(f"{dist.name}/{pub.name}/{n}" for n in names))

    def load_built(self, dist: Path) -> None:
        """Take the packages a build job saved under DIST/ instead of building them here."""
        for pub in self.plan.publishers:
            files = sorted((dist / pub.name).glob("*")) if (dist / pub.name).is_dir() else []
            if not files:
                raise StepFailed(
                    f"load:{pub.name}",
                    f"no {pub.name} package under {dist / pub.name}: run "
                    "`shipyard release --ci build` first and pass its folder",
                )
            self.built[pub.name] = Built(pub.package(self.plan.root), files)
            self.step(f"load:{pub.name}", "done", *(f.name for f in files))

    # -- remote --------------------------------------------------------------------------
    def remote(self) -> None:
        for pub in self.plan.publishers:
            self._publish(pub)
        self._push()
        self._github()

    def _publish(self, pub: Publisher) -> None:
        target = self.target(_scheme(pub))
        built = self.built[pub.name]
        what = f"{built.package} {target.version}"
        if pub.published(target, built):
            self.step(f"publish:{pub.name}", "skipped", f"{what} is on the registry already")
            return
        pub.publish(target, built)
        tag = f" (dist-tag {target.dist_tag})" if pub.name == "npm" else ""  # npm's notion only
        self.step(f"publish:{pub.name}", "done", what + tag)

    def _push(self) -> None:
        p = self.plan
        if not p.push:
            self.step("push", "skipped", "--ci: the tag came from the remote")
            return
        if not p.settings.push:
            self.step("push", "skipped", "release.push = false")
            return
        if p.settings.remote not in p.repo.git("remote").split():
            self.step("push", "skipped", f"no remote {p.settings.remote!r}")
            return
        refs = (f"HEAD:refs/heads/{p.branch}", f"refs/tags/{p.tag}")
        try:
            p.repo.git("push", "-q", "--atomic", p.settings.remote, *refs)
        except ShipyardError as exc:  # a remote URL may carry a token: never show it
            raise PublishError(redact(exc.message, _tokens(p.settings)), hint=exc.hint) from None
        self.step("push", "done", f"{p.branch} and {p.tag} to {p.settings.remote}")

    def _github(self) -> None:
        p = self.plan
        api, why = github_releases(p.repo, p.settings)
        if api is None:
            self.step("github", "skipped", why)
            return
        found = api.find(p.tag)
        if found is not None:
            self.step("github", "skipped", f"the release exists already: {found}")
            return
        notes = release_notes(p.notes)
        link = api.create(p.tag, p.text, notes, p.prerelease, p.dist_tag == "latest")
        self.step("github", "done", link)


def _scheme(pub: Publisher) -> str:
    """Each registry's own notation: semver for npm, PEP 440 for Python."""
    return "semver" if pub.name == "npm" else "pep440"


def github_releases(repo: Repo, settings: Settings) -> tuple[github.GithubReleases | None, str]:
    """The GitHub releases API of the repository, or None and why there is none to use."""
    conf = settings.github
    url = web_url(repo, settings)
    token = os.environ.get(conf.token_env, "")
    why = (
        (not conf.release and "release.github.release = false")
        or (url is None and "the GitHub repository is unknown")
        or (not token and f"{conf.token_env} is not set")
    )
    if why or url is None:
        return None, str(why)
    return github.GithubReleases(conf.api_url, url.removeprefix("https://github.com/"), token), ""


def _tokens(conf: Settings) -> list[str]:
    names = (
        conf.npm.token_env,
        conf.pypi.token_env,
        conf.github.token_env,
        "TWINE_PASSWORD",
        "NODE_AUTH_TOKEN",
    )
    return [os.environ.get(n, "") for n in names]


class StepFailed(Exception):
    def __init__(self, step: str, message: str) -> None:
        super().__init__(message)
        self.step = step
        self.message = message
