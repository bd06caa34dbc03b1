"""What guards a release while it runs, for one package or a monorepo's many.

The undo policy: a failure (or Ctrl-C, or SIGTERM) in the local steps (commit, tag, build) undoes
them, so nothing is left on this machine; one in the remote steps (publish, push, announce)
leaves what is done for a resumed run, which skips finished steps. Publish tokens never reach the
stages a release runs first.
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Protocol

from shipyard.errors import CheckFailed, ShipyardError

if TYPE_CHECKING:
    from shipyard.release.flow import Step
    from shipyard.release.settings import Settings

GATES = "the quality gates"


class _Outcome(Protocol):
    error: str | None
    hint: str | None
    steps: list[Step]


class Steps(Protocol):
    """A release runner: flow.Runner (one package) or packages_flow.WorkspaceRunner."""

    @property
    def outcome(self) -> _Outcome: ...

    def undo(self) -> None: ...


class Splittable(Steps, Protocol):
    """A runner whose release can be split over a build job and a publish job."""

    def local(self) -> None: ...

    def remote(self) -> None: ...

    def save_built(self, dist: Path) -> None: ...

    def load_built(self, dist: Path) -> None: ...


def halves(
    runner: Splittable, split: tuple[str, Path] | None
) -> tuple[Callable[[], None], Callable[[], None] | None]:
    """The local and the remote steps; a split release (`--ci build` / `--ci publish`, the
    artifacts' folder) does one half of them."""
    if split and split[0] == "publish":
        return (lambda: runner.load_built(split[1])), runner.remote
    if split and split[0] == "build":

        def build() -> None:
            runner.local()
            runner.save_built(split[1])

        return build, None
    return runner.local, runner.remote


def run_steps(
    runner: Steps, local: Callable[[], None], remote: Callable[[], None] | None, removed: str
) -> None:
    """Run `local`, then `remote`; a failure becomes the outcome's error and hint, and a local
    one is undone (`removed` says what that took away). Interrupts re-raise after that."""
    from shipyard.release.flow import Step, StepFailed

    phase = "local"
    try:
        local()
        if remote is None:
            return
        phase = "remote"
        remote()
    except (ShipyardError, StepFailed, KeyboardInterrupt) as exc:
        message = exc.message if isinstance(exc, ShipyardError | StepFailed) else "interrupted"
        runner.outcome.error = message
        last = runner.outcome.steps[-1].name if runner.outcome.steps else "the start"
        step = exc.step if isinstance(exc, StepFailed) else f"after {last}"
        runner.outcome.steps.append(Step(step, "failed", [message]))
        if phase == "local":
            runner.undo()
            runner.outcome.hint = f"nothing left this machine; {removed} were removed"
        else:
            runner.outcome.hint = "re-run `shipyard release` to resume: finished steps are skipped"
        if isinstance(exc, KeyboardInterrupt):
            raise


@contextlib.contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM becomes KeyboardInterrupt while a release runs, so that it undoes its local steps."""
    previous = signal.signal(signal.SIGTERM, _sigterm)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _sigterm(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


@contextlib.contextmanager
def without_tokens(conf: Settings) -> Iterator[None]:
    """Tests do not need publish tokens: keep them out of the stages' environment and logs."""
    names = (
        conf.npm.token_env,
        conf.pypi.token_env,
        conf.github.token_env,
        "TWINE_PASSWORD",
        "NODE_AUTH_TOKEN",
    )
    saved = {n: os.environ.pop(n) for n in names if n in os.environ}
    try:
        yield
    finally:
        os.environ.update(saved)


def release_stages(root: Path, conf: Settings, unnamed: str = GATES) -> list[str]:
    """Run the stages marked `release = true`, without the tokens; the failed critical ones
    (`unnamed` when none is to blame: the gates failed). Ctrl-C or SIGTERM re-raises."""
    from shipyard import api

    with without_tokens(conf):
        result = api.run(root, release=True)
    if result.interrupted:
        raise KeyboardInterrupt  # while the stages ran: undo, exit 130
    if result.ok:
        return []
    return [s.name for s in result.stages if not s.status.ok and s.critical] or [unnamed]


def dry_run_stages(root: Path, conf: Settings) -> None:
    """A dry run still runs the release stages (tests, build), as a release would first: what
    would stop the release shows now. Nothing is tagged or published."""
    from shipyard import output

    bad = release_stages(root, conf)
    if bad:
        raise CheckFailed(
            f"dry run: the release stages failed ({', '.join(bad)}): a release would stop here",
            hint="see `shipyard runs show` for the logs",
        )
    output.err("✓ test: the release stages passed (dry run)")
