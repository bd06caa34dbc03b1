"""The packages workflow: per-package stages run in CI only for the packages a change affects.

When the definition has per-package stages (`[stages.test] per-package = true`), `ci generate`
writes `.github/workflows/packages.yml` with two jobs:

- `affected` checks out the history and runs `shipyard ci affected --github-output`, which
  compares the push's previous head (or the pull request's base) with the commit and writes
  `matrix` (one row per affected package that has per-package stages) and `count` to
  `$GITHUB_OUTPUT`;
- `package` runs once per row (`strategy.matrix: ${{ fromJSON(needs.affected.outputs.matrix) }}`)
  `shipyard run` with that package's stages, which brings what they need (the dependencies'
  builds, restored from the stage cache when their inputs did not change). With no affected
  package the job is skipped (`count` is 0), which GitHub reports as a success.

The per-package stages leave the other workflows (ci/workflows.py); everything else stays there.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from shipyard.ci.interface import GeneratedFile, Project
from shipyard.ci.jobs import READ, checkout, setup
from shipyard.ci.pins import uses
from shipyard.config import Stage
from shipyard.errors import UsageError
from shipyard.store import STATE_DIR

FILE = "packages"
# the push's previous head, or the pull request's base: what the change is compared with
BASE = "${{ github.event.pull_request.base.sha || github.event.before }}"
AFFECTED_SCRIPT = """\
if [ -n "$BASE" ] && git cat-file -e "$BASE^{commit}" 2>/dev/null; then
  shipyard ci affected --base "$BASE" --github-output
else  # a new branch, a manual run: compare with the default branch
  shipyard ci affected --github-output
fi"""


def has_templates(stages: Mapping[str, Stage]) -> bool:
    return any(s.per_package for s in stages.values())


def github_outputs(data: Mapping[str, Any]) -> dict[str, str]:
    """`ci affected`'s answer as job outputs: the rows that have per-package stages to run
    (an instance's name holds '@'), and how many."""
    rows = []
    for row in data["matrix"]["include"]:
        names = [n for n in row["stages"] if "@" in n]
        if names:
            rows.append({**row, "stages": names, "run": " ".join(names)})
    return {"matrix": json.dumps({"include": rows}, separators=(",", ":")), "count": str(len(rows))}


def workflow(project: Project) -> list[GeneratedFile]:
    """`.github/workflows/packages.yml`, or nothing without per-package stages."""
    if not has_templates(project.definition.stages):
        return []
    from shipyard.ci.workflows import render

    branches = list(project.settings.branches)
    on = {
        "push": {"branches": branches},
        "pull_request": {"branches": branches},
        "workflow_dispatch": {},
    }
    jobs = {"affected": _affected_job(project), "package": _package_job(project)}
    return [render(project, FILE, "Packages", on, jobs)]


def _affected_job(project: Project) -> dict[str, Any]:
    return {
        "runs-on": project.settings.runner,
        "timeout-minutes": 10,
        "permissions": dict(READ),
        "outputs": {
            "matrix": "${{ steps.affected.outputs.matrix }}",
            "count": "${{ steps.affected.outputs.count }}",
        },
        "steps": [
            checkout(fetch_depth=0),  # the base commit must be there to compare with
            setup(project, cache=False),
            {
                "name": "shipyard ci affected",
                "id": "affected",
                "env": {"BASE": BASE},  # through the environment, never expanded in the script
                "run": AFFECTED_SCRIPT,
            },
        ],
    }


def _package_job(project: Project) -> dict[str, Any]:
    # an older entry is a safe start (the stage cache is content-addressed); each run saves
    # its own, so the newest is what the next run of the package restores
    prefix = "shipyard-${{ runner.os }}-package-${{ matrix.folder }}-"
    return {
        "name": "${{ matrix.package }}",
        "needs": ["affected"],
        "if": "needs.affected.outputs.count != '0'",
        "runs-on": project.settings.runner,
        "timeout-minutes": project.settings.timeout_minutes,
        "permissions": dict(READ),
        "strategy": {
            "fail-fast": False,
            "matrix": "${{ fromJSON(needs.affected.outputs.matrix) }}",
        },
        "steps": [
            checkout(),
            setup(project),
            *_stage_installs(project),
            {
                "name": "Restore the stage cache",
                "uses": uses("actions/cache"),
                "with": {
                    "path": f"{STATE_DIR}/cache",
                    "key": prefix + "${{ github.sha }}",
                    "restore-keys": prefix,
                },
            },
            {
                "name": "shipyard run (the package's stages)",
                "env": {"STAGES": "${{ matrix.run }}"},
                "run": 'read -ra stages <<< "$STAGES"\nshipyard run "${stages[@]}"',
            },
        ],
    }


def _stage_installs(project: Project) -> list[dict[str, Any]]:
    """`[ci.stage-install]` of the stages a package's row may run: one step per stage, run
    when the row's `run` names an instance of a per-package stage that is it or needs it."""
    from shipyard.pipeline import graph
    from shipyard.pipeline.affected import on_change

    stages = project.definition.stages
    deps = {s.name: (*s.needs, *s.needs_upstream) for s in stages.values()}
    steps = []
    for name, commands in project.settings.stage_install.items():
        users = [
            t.name
            for t in stages.values()
            if t.per_package
            and on_change(t)
            and (t.name == name or name in graph.closure(deps, deps[t.name]))
        ]
        if not users or not commands:
            continue
        when = " || ".join(f"contains(format(' {{0}}', matrix.run), ' {u}@')" for u in users)
        steps.append(
            {"name": f"Install what {name} needs", "if": when, "run": "\n".join(commands) + "\n"}
        )
    return steps


def write_github_output(data: Mapping[str, Any]) -> None:
    """Append the job outputs to the file `$GITHUB_OUTPUT` names (the runner reads it)."""
    import os

    path = os.environ.get("GITHUB_OUTPUT")
    if not path:
        raise UsageError(
            "--github-output: GITHUB_OUTPUT is not set",
            hint="it is set in a GitHub Actions step; elsewhere use --json",
        )
    lines = "".join(f"{k}={v}\n" for k, v in github_outputs(data).items())
    try:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(lines)
    except OSError as exc:
        raise UsageError(f"--github-output: cannot write {path}: {exc.strerror}") from None
