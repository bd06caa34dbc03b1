"""One GitHub Actions job per stage: the same `shipyard run STAGE` that runs on a laptop.

A job checks out without persisting credentials, sets up the toolchains through the generated
composite action (dependency caches keyed on lockfile hashes), restores the stage cache under a
key built from what the local cache key hashes (the stage's commands and its input files), runs
the stage, and uploads its outputs and reports for 7 days. A matrix from the definition becomes a
strategy with fail-fast off; `shard = N` adds a shard axis of N runners.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from shipyard.ci.caches import cache_steps
from shipyard.ci.emit import Commented
from shipyard.ci.interface import Project
from shipyard.ci.pins import uses
from shipyard.config import Stage

SETUP_ACTION = "./.github/actions/setup"
DURATIONS_DIR = ".github/shard-durations"
# matrix `os` values as people write them -> GitHub-hosted runner labels
RUNNERS = {
    "linux": "ubuntu-latest",
    "ubuntu": "ubuntu-latest",
    "macos": "macos-latest",
    "mac": "macos-latest",
}  # no Windows: see ci/checks.py
READ = {"contents": "read"}
# write permissions carry their reason (zizmor's undocumented-permissions)
SARIF_UPLOAD = Commented("write", "upload SARIF results to code scanning")


def job_id(stage: str) -> str:
    """Job ids allow letters, digits, '-' and '_', starting with a letter or '_'."""
    name = re.sub(r"[^A-Za-z0-9_-]", "-", stage)
    return name if re.match(r"[A-Za-z_]", name) else f"stage-{name}"


def checkout(fetch_depth: int | None = None) -> dict[str, Any]:
    step: dict[str, Any] = {
        "uses": uses("actions/checkout"),
        "with": {"persist-credentials": False},
    }
    if fetch_depth is not None:
        step["with"]["fetch-depth"] = fetch_depth
    return step


def setup(
    project: Project, python: str | None = None, node: str | None = None, cache: bool = True
) -> dict[str, Any]:
    inputs: dict[str, Any] = {"python-version": python or project.settings.python}
    if "node" in project.languages:
        inputs["node-version"] = node or project.settings.node
    if not cache:
        inputs["cache"] = "false"
    # zizmor prefers a newer `$/` form of local actions, which actionlint does not know yet;
    # `./` is the documented syntax that every runner and validator accepts
    return {
        "name": "Set up the toolchains and dependencies",
        "uses": Commented(SETUP_ACTION, "zizmor: ignore[self-repository]"),
        "with": inputs,
    }


def matrix(stage: Stage) -> dict[str, list[Any]]:
    axes: dict[str, list[Any]] = {}
    for axis, values in stage.matrix.items():
        axes[axis] = [RUNNERS.get(v, v) for v in values] if axis == "os" else list(values)
    if stage.shard and stage.shard > 1:
        axes["shard"] = list(range(1, stage.shard + 1))
    return axes


def stage_job(
    project: Project, stage: Stage, needs: list[str], condition: str | None, cache: bool = True
) -> dict[str, Any]:
    axes = matrix(stage)
    job: dict[str, Any] = {}
    if needs:
        job["needs"] = [job_id(n) for n in needs]
    if condition:
        job["if"] = condition
    job["runs-on"] = "${{ matrix.os }}" if "os" in axes else project.settings.runner
    job["timeout-minutes"] = _timeout(project, stage)
    job["permissions"] = dict(READ)
    if "sarif" in stage.reports:  # findings go to GitHub code scanning
        job["permissions"]["security-events"] = SARIF_UPLOAD
    if axes:
        job["strategy"] = {"fail-fast": False, "matrix": axes}
    job["steps"] = [
        checkout(),
        setup(
            project,
            "${{ matrix.python }}" if "python" in axes else None,
            "${{ matrix.node }}" if "node" in axes else None,
            cache,
        ),
        *_stage_install(project, stage),
        *(cache_steps(project, stage, axes) if cache else []),
        _run_step(stage),
        *_uploads(project, stage, axes),
    ]
    return job


def _stage_install(project: Project, stage: Stage) -> list[dict[str, Any]]:
    """`[ci.stage-install]`: what this stage's job alone installs, after the setup action."""
    commands = project.settings.stage_install.get(stage.name)
    if not commands:
        return []
    return [{"name": f"Install what {stage.name} needs", "run": "\n".join(commands) + "\n"}]


def _timeout(project: Project, stage: Stage) -> int:
    if stage.timeout is None:
        return project.settings.timeout_minutes
    return int(-(-stage.timeout // 60)) + 10  # the stage's own limit, plus set-up time


def _run_step(stage: Stage) -> dict[str, Any]:
    step: dict[str, Any] = {"name": f"shipyard run {stage.name}"}
    if stage.shard and stage.shard > 1:
        # the shard number reaches the script through the environment, never expanded in it
        step["run"] = f'shipyard run {stage.name} --shard "$SHARD/{stage.shard}"'
        step["env"] = {
            "SHARD": "${{ matrix.shard }}",
            "SHIPYARD_SHARD_DURATIONS": f"{DURATIONS_DIR}/{stage.name}.json",
        }
    else:
        step["run"] = f"shipyard run {stage.name}"
    return step


def _suffix(axes: Mapping[str, Any]) -> str:
    return "".join(f"-${{{{ matrix.{a} }}}}" for a in axes)


def _paths(stage: Stage, paths: list[str]) -> str:
    prefix = "" if stage.cwd in (".", "") else stage.cwd.strip("/") + "/"
    return "\n".join(prefix + p.removeprefix("./") for p in paths)


def _uploads(project: Project, stage: Stage, axes: Mapping[str, Any]) -> list[dict[str, Any]]:
    steps = []
    days = project.settings.retention_days
    outputs = [o for o in stage.outputs if o not in stage.reports.values()]  # reports: below
    if outputs:
        steps.append(
            {
                "name": "Upload the build artifacts",
                "uses": uses("actions/upload-artifact"),
                "with": {
                    "name": f"{stage.name}-outputs{_suffix(axes)}",
                    "path": _paths(stage, outputs),
                    "retention-days": days,
                    "if-no-files-found": "ignore",
                },
            }
        )
    if stage.reports:
        steps.append(
            {
                "name": "Upload the reports",
                "if": "always()",
                "uses": uses("actions/upload-artifact"),
                "with": {
                    "name": f"{stage.name}-reports{_suffix(axes)}",
                    "path": _paths(stage, list(stage.reports.values())),
                    "retention-days": days,
                    "if-no-files-found": "ignore",
                },
            }
        )
    if "coverage" in stage.reports and project.settings.codecov:
        steps.append(codecov_step(stage, axes))
    if "sarif" in stage.reports:
        steps.append(
            {
                "name": "Upload to code scanning",
                "if": "always()",
                "uses": uses("github/codeql-action/upload-sarif"),
                "with": {
                    "sarif_file": _paths(stage, [stage.reports["sarif"]]),
                    "category": f"{stage.name}{_suffix(axes)}",
                },
            }
        )
    return steps


def codecov_step(stage: Stage, axes: Mapping[str, Any]) -> dict[str, Any]:
    """`ci.codecov`: the stage's coverage report to Codecov, flagged with the stage's name; the
    token is the CODECOV_TOKEN secret (tokenless uploads are refused on protected branches)."""
    return {
        "name": "Upload the coverage to Codecov",
        "uses": uses("codecov/codecov-action"),
        "with": {
            "files": _paths(stage, [stage.reports["coverage"]]),
            "disable_search": True,  # the stage's report, not every file that looks like one
            "flags": stage.name,
            "name": f"{stage.name}{_suffix(axes)}",
            "token": "${{ secrets.CODECOV_TOKEN }}",
            "fail_ci_if_error": True,
        },
    }
