"""The stage workflows (build, test, quality, security, performance) from the definition.

Each stage goes to the workflow its kind suggests (its reports and name; `[ci.workflows]`
overrides), in dependency order. `needs` between stages of one workflow become job `needs`;
a stage needed from another workflow is run inside the job by `shipyard run` itself, which
always runs what a stage needs (from the stage cache when nothing changed). A stage's `when`
becomes the workflow's triggers: `push` and `pr` on the base branches, `tag` on `v*` tags,
`schedule` on its cron; `changed` becomes path filters, and `branches` branch filters (a stage
whose filters differ from its workflow's gets a workflow file of its own).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shipyard.ci.emit import dump
from shipyard.ci.interface import CiError, GeneratedFile, Project, header
from shipyard.ci.jobs import checkout, job_id, setup, stage_job
from shipyard.config import Stage
from shipyard.pipeline.affected import on_change
from shipyard.pipeline.graph import topo_order

TITLES = {
    "build": "Build",
    "test": "Test",
    "quality": "Code Quality",
    "security": "Security Scan",
    "performance": "Performance Benchmarks",
}
CHECK_JOB = "ci-files"
SCHEDULED = ("security", "performance")  # the plan runs these on a schedule as well
EVENTS = {
    "push": "github.event_name == 'push' && !startsWith(github.ref, 'refs/tags/')",
    "pr": "github.event_name == 'pull_request'",
    "tag": "github.event_name == 'push' && startsWith(github.ref, 'refs/tags/')",
    "schedule": "github.event_name == 'schedule'",
}


def classify(stage: Stage) -> str:
    name = stage.name.lower()
    kinds = set(stage.reports)
    if "benchmark" in kinds or any(w in name for w in ("bench", "perf")):
        return "performance"
    if "sarif" in kinds or any(w in name for w in ("secur", "scan", "audit", "secret")):
        return "security"
    if kinds & {"lint", "typecheck", "format"} or any(
        w in name for w in ("lint", "type", "format", "fmt", "style", "quality")
    ):
        return "quality"
    if kinds & {"junit", "coverage"} or "test" in name or name in ("unit", "integration", "e2e"):
        return "test"
    return "build"


@dataclass
class Group:
    """The stages of one workflow file."""

    file: str
    kind: str
    stages: list[Stage]


def groups(project: Project) -> list[Group]:
    stages = project.definition.stages
    chosen = {s: w for w, names in project.settings.workflows.items() for s in names}
    out: dict[str, Group] = {}
    for name in topo_order({s.name: s.needs for s in stages.values()}):
        stage = stages[name]
        if stage.release and name not in chosen:
            continue  # release stages run in the release workflow
        if stage.per_package and on_change(stage):
            continue  # per affected package, in the packages workflow (ci/affected.py)
        kind = chosen.get(name) or classify(stage)
        same = [g for g in out.values() if g.kind == kind]
        group = next((g for g in same if _filters(g.stages[0]) == _filters(stage)), None)
        if group is None:
            file = f"{kind}-{job_id(name)}" if same else kind
            group = out[file] = Group(file, kind, [])
        group.stages.append(stage)
    return list(out.values())


def _filters(stage: Stage) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return stage.when.branches, stage.when.changed


def events(stage: Stage, kind: str) -> tuple[str, ...]:
    on = stage.when.on
    if kind in SCHEDULED and "schedule" not in on:
        on = (*on, "schedule")
    return on


def triggers(project: Project, group: Group) -> dict[str, Any]:
    first = group.stages[0]
    kinds = {e for s in group.stages for e in events(s, group.kind)}
    branches = list(first.when.branches or project.settings.branches)
    paths = list(first.when.changed)
    on: dict[str, Any] = {}
    if "push" in kinds or "tag" in kinds:
        push: dict[str, Any] = {}
        if "push" in kinds:
            push["branches"] = branches
        if "tag" in kinds:
            push["tags"] = ["v*"]
        if paths and "tag" not in kinds:
            push["paths"] = paths
        on["push"] = push
    if "pr" in kinds:
        on["pull_request"] = {"branches": list(project.settings.branches)}
        if paths:
            on["pull_request"]["paths"] = paths
    if "schedule" in kinds:
        crons = [s.when.schedule for s in group.stages if s.when.schedule]
        default = project.settings.schedules.get(group.kind, "0 3 * * *")
        on["schedule"] = [{"cron": c} for c in dict.fromkeys(crons or [default])]
    on["workflow_dispatch"] = {}
    return on


def condition(stage: Stage, kind: str, workflow_kinds: set[str]) -> str | None:
    """A job `if` when the stage runs on fewer events than its workflow does."""
    mine = set(events(stage, kind))
    if mine >= workflow_kinds:
        return None
    parts = [f"({EVENTS[e]})" if len(mine) > 1 else EVENTS[e] for e in sorted(mine)]
    return " || ".join([*parts, "github.event_name == 'workflow_dispatch'"])


def render(
    project: Project,
    file: str,
    name: str,
    on: dict[str, Any],
    jobs: dict[str, Any],
    cancel: bool = True,
) -> GeneratedFile:
    """A workflow: no token permissions at the top (each job asks for what it needs)."""
    if project.settings.action:  # [ci] use-action: shipyard's own action runs shipyard
        from shipyard.ci import action

        jobs = action.adapt(jobs, project.settings.action, project.settings.python)
    data: dict[str, Any] = {"name": name, "on": on, "permissions": {}}
    # the same shell on every runner, so scripts read the same everywhere
    data["defaults"] = {"run": {"shell": "bash"}}
    # a newer push to a pull request supersedes the older run; base branches, schedules and
    # tags keep every run, one at a time per ref (zizmor's concurrency-limits)
    data["concurrency"] = {
        "group": "${{ github.workflow }}-${{ github.ref }}",
        "cancel-in-progress": "${{ github.event_name == 'pull_request' }}" if cancel else False,
    }
    # every job named (zizmor's anonymous-definition): its id, which is also its check name
    data["jobs"] = {k: v if "name" in v else {"name": k, **v} for k, v in jobs.items()}
    return GeneratedFile(f".github/workflows/{file}.yml", header(project) + dump(data))


def stage_workflows(project: Project) -> list[GeneratedFile]:
    files = []
    all_groups = groups(project)
    for group in all_groups:
        kinds = {e for s in group.stages for e in events(s, group.kind)}
        in_group = {s.name for s in group.stages}
        jobs: dict[str, Any] = {}
        for stage in group.stages:
            needs = [n for n in stage.needs if n in in_group]
            if job_id(stage.name) in jobs:
                raise CiError(
                    f"stages {stage.name!r} and another one both become job {job_id(stage.name)!r}",
                    hint="job ids keep letters, digits, '-' and '_': rename one of the stages",
                )
            # a tag push may publish what it builds: no cache may feed it (cache poisoning)
            jobs[job_id(stage.name)] = stage_job(
                project, stage, needs, condition(stage, group.kind, kinds), cache="tag" not in kinds
            )
        on = triggers(project, group)
        checked = project.settings.check and CHECK_JOB not in jobs
        if group.file == "quality" and checked and _on_every_pr(on):
            jobs[CHECK_JOB] = check_job(project)
        title = TITLES[group.kind] + (
            "" if group.file == group.kind else f" ({group.stages[0].name})"
        )
        files.append(render(project, group.file, title, on, jobs))
    if project.settings.check and not any(g.file == "quality" for g in all_groups):
        on = {
            "push": {"branches": list(project.settings.branches)},
            "pull_request": {"branches": list(project.settings.branches)},
            "workflow_dispatch": {},
        }
        files.append(
            render(project, "quality", TITLES["quality"], on, {CHECK_JOB: check_job(project)})
        )
    return files


def _on_every_pr(on: dict[str, Any]) -> bool:
    return "pull_request" in on and "paths" not in on["pull_request"]


def check_job(project: Project) -> dict[str, Any]:
    """CI fails when the committed CI files are not what the definition generates."""
    command = "shipyard ci generate --check"
    return {
        "runs-on": project.settings.runner,
        "timeout-minutes": 10,
        "permissions": {"contents": "read"},
        "steps": [checkout(), setup(project), {"name": command, "run": command}],
    }
