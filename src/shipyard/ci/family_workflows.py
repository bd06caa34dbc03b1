"""The workflows of the families, beside the stage workflows (workflows.py): security
(CodeQL, scans), bench (benchmarks), release (release, pre-release), metrics and monitor
(analytics and alerts, scheduled).

A workflow that calls a shipyard command (`scan`, `bench run`, `metrics`, `monitor`) is written
only once that command exists in this shipyard, and only when the definition enables it.
Publishing is a separate job behind a GitHub environment, with the only write permissions.
"""

from __future__ import annotations

import importlib.util
import re
from typing import Any

from shipyard.ci.emit import Commented
from shipyard.ci.interface import GeneratedFile, Project
from shipyard.ci.jobs import READ, SARIF_UPLOAD, checkout, setup
from shipyard.ci.pins import uses
from shipyard.ci.repofiles import TOKENS, quoted, shipyard_requirement
from shipyard.ci.workflows import classify, render
from shipyard.store import STATE_DIR

LANGUAGES = {"python": "python", "node": "javascript-typescript"}
PRERELEASE_TAGS = ["v*-alpha.*", "v*-beta.*", "v*-rc.*"]


def has_command(name: str) -> bool:
    try:
        return importlib.util.find_spec(f"shipyard.commands.{name}") is not None
    except ImportError:
        return False


def _base_on(project: Project, schedule: str) -> dict[str, Any]:
    return {
        "push": {"branches": list(project.settings.branches)},
        "pull_request": {"branches": list(project.settings.branches)},
        "schedule": [{"cron": project.settings.schedules[schedule]}],
        "workflow_dispatch": {},
    }


def secret_env(project: Project) -> dict[str, str]:
    """The `[ci] secrets`, as step environment (never expanded inside a script)."""
    return {name: f"${{{{ secrets.{name} }}}}" for name in project.settings.secrets}


def _command_job(
    project: Project,
    command: str,
    perms: dict[str, Any] | None = None,
    extra: list[dict[str, Any]] | None = None,
    depth: int | None = None,
    env: dict[str, str] | None = None,
) -> dict[str, Any]:
    step: dict[str, Any] = {"name": command, "run": command}
    if env:
        step["env"] = env
    return {
        "runs-on": project.settings.runner,
        "timeout-minutes": project.settings.timeout_minutes,
        "permissions": perms or dict(READ),
        "steps": [checkout(depth), setup(project), step, *(extra or [])],
    }


def codeql(project: Project) -> list[GeneratedFile]:
    languages = [LANGUAGES[x] for x in project.languages if x in LANGUAGES]
    if not project.settings.codeql or not languages:
        return []
    job = {
        "runs-on": project.settings.runner,
        "timeout-minutes": 60,
        "permissions": {
            "actions": Commented("read", "CodeQL reads the workflow run"),
            "contents": "read",
            "security-events": SARIF_UPLOAD,
        },
        "strategy": {"fail-fast": False, "matrix": {"language": languages}},
        "steps": [
            checkout(),
            {
                "name": "Initialize CodeQL",
                "uses": uses("github/codeql-action/init"),
                "with": {
                    "languages": "${{ matrix.language }}",
                    "build-mode": "none",
                    "queries": "+security-and-quality",
                },
            },
            {
                "name": "Analyze",
                "uses": uses("github/codeql-action/analyze"),
                "with": {"category": "/language:${{ matrix.language }}"},
            },
        ],
    }
    return [
        render(project, "codeql", "CodeQL Analysis", _base_on(project, "codeql"), {"analyze": job})
    ]


def scans(project: Project) -> list[GeneratedFile]:
    """`shipyard scan` when `[scan]` is set and no stage already scans."""
    stages = project.definition.stages.values()
    if (
        "scan" not in project.definition.sections
        or not has_command("scan")
        or any(classify(s) == "security" for s in stages)
    ):
        return []
    upload = {
        "name": "Upload to code scanning",
        "if": "always()",
        "uses": uses("github/codeql-action/upload-sarif"),
        "with": {"sarif_file": "shipyard-scan.sarif", "category": "shipyard-scan"},
    }
    job = _command_job(
        project,
        "shipyard scan --format sarif --output shipyard-scan.sarif",
        {"contents": "read", "security-events": SARIF_UPLOAD},
        [upload],
    )
    # a runner starts without the advisory database: restore last run's, then refresh it
    job["steps"][2:2] = advisory_db_steps(project)
    return [
        render(project, "security", "Security Scan", _base_on(project, "security"), {"scan": job})
    ]


OSV_ECOSYSTEMS = {"python": "PyPI", "node": "npm"}


def advisory_db_steps(project: Project) -> list[dict[str, Any]]:
    """Restore the OSV database saved by an earlier run, then `shipyard scan db update`
    (from `[ci] osv_mirror` when set): `scan deps` fails closed without a database."""
    ecosystems = [e for lang, e in OSV_ECOSYSTEMS.items() if lang in project.languages]
    command = "shipyard scan db update" + "".join(f" --ecosystem {e}" for e in ecosystems)
    update: dict[str, Any] = {"name": "Update the advisory database", "run": command}
    if project.settings.osv_mirror:
        update["run"] += ' --url "$OSV_MIRROR"'
        update["env"] = {"OSV_MIRROR": project.settings.osv_mirror}
    restore = {
        "name": "Restore the advisory database",
        "uses": uses("actions/cache"),
        "with": {
            "path": f"{STATE_DIR}/osv",
            "key": "shipyard-osv-${{ github.run_id }}",
            "restore-keys": "shipyard-osv-",
        },
    }
    return [restore, update]


def benchmarks(project: Project) -> list[GeneratedFile]:
    """`shipyard bench run` (nightly too) when `[bench]` is set and no stage benchmarks.

    The baseline is kept in the cache, keyed by branch: a push or schedule restores its branch's
    results (`.bench/`), adds this run's and saves them again (also when the job fails: a
    regression that reached the branch becomes its new level, as `bench run` accepts it on the
    base branch); a pull request restores its base branch's results, compares with them
    (`--base origin/BASE`), saves nothing, and a separate job, alone holding
    `pull-requests: write`, posts the comparison as one comment kept up to date.
    """
    stages = project.definition.stages.values()
    if (
        "bench" not in project.definition.sections
        or not has_command("bench")
        or any(classify(s) == "performance" for s in stages)
    ):
        return []
    # the baseline is looked up along the git history, so the whole history is fetched
    job = _command_job(
        project,
        "shipyard bench run",
        depth=0,
        env={"BASE_REF": "${{ github.base_ref }}", **_bench_machine(project)},
    )
    run = job["steps"][2]
    run["run"] = (
        f'shipyard bench run --markdown {BENCH_MD} ${{BASE_REF:+--base "origin/$BASE_REF"}}\n'
    )
    job["steps"][2:2] = [
        {
            "name": "Restore the benchmark results of the branch",
            "uses": uses("actions/cache/restore"),
            "with": {
                "path": BENCH_RESULTS,
                "key": f"{BENCH_KEY}${{{{ github.base_ref || github.ref_name }}}}-"
                "${{ github.run_id }}",
                "restore-keys": f"{BENCH_KEY}${{{{ github.base_ref || github.ref_name }}}}-",
            },
        }
    ]
    job["steps"] += [
        {
            "name": "Save the benchmark results of the branch",
            "if": "always() && github.event_name != 'pull_request'",
            "uses": uses("actions/cache/save"),
            "with": {
                "path": BENCH_RESULTS,
                "key": f"{BENCH_KEY}${{{{ github.ref_name }}}}-${{{{ github.run_id }}}}-"
                "${{ github.run_attempt }}",
            },
        },
        {
            "name": "Upload the comparison",
            "if": "always() && github.event_name == 'pull_request'",
            "uses": uses("actions/upload-artifact"),
            "with": {
                "name": BENCH_ARTIFACT,
                "path": BENCH_MD,
                "retention-days": 1,
                "if-no-files-found": "ignore",
            },
        },
    ]
    jobs = {"benchmark": job, "comment": _comment_job(project)}
    return [
        render(
            project, "performance", "Performance Benchmarks", _base_on(project, "performance"), jobs
        )
    ]


BENCH_RESULTS = ".bench"
BENCH_KEY = "shipyard-bench-"
BENCH_MD = "bench-comparison.md"
BENCH_ARTIFACT = "bench-comparison"


def _bench_machine(project: Project) -> dict[str, str]:
    """GitHub's runners of one label differ in CPU model: unless `[bench] machine` names the
    machine, results are pooled per runner OS and architecture (calibration absorbs the
    speed differences), or no run would ever find a baseline from the same CPU."""
    bench = project.definition.sections.get("bench", {})
    if isinstance(bench, dict) and bench.get("machine"):
        return {}
    return {"SHIPYARD_BENCH_MACHINE": "github-${{ runner.os }}-${{ runner.arch }}"}


def _comment_job(project: Project) -> dict[str, Any]:
    """Posts the comparison on the pull request; skipped for forks (their token is read-only)."""
    return {
        "needs": ["benchmark"],
        "if": "always() && github.event_name == 'pull_request' && "
        "github.event.pull_request.head.repo.full_name == github.repository",
        "runs-on": project.settings.runner,
        "timeout-minutes": 10,
        "permissions": {
            "pull-requests": Commented("write", "comment the comparison on the pull request")
        },
        "steps": [
            # shipyard's own repository installs shipyard from its checkout
            *([checkout()] if not shipyard_requirement(project) else []),
            *_publish_tools(project),
            {
                "name": "Download the comparison",
                "uses": uses("actions/download-artifact"),
                "with": {"name": BENCH_ARTIFACT, "path": "."},
            },
            {
                "name": "Comment on the pull request",
                "run": f'shipyard ci comment {BENCH_MD} --pr "$PR" --name bench\n',
                "env": {
                    "GITHUB_TOKEN": "${{ github.token }}",
                    "PR": "${{ github.event.pull_request.number }}",
                },
            },
        ],
    }


def scheduled(project: Project) -> list[GeneratedFile]:
    """The plan's analytics (weekly) and alerts (every 6 hours) workflows."""
    files = []
    for file, title, command in (
        ("analytics", "Analytics", "metrics"),
        ("alerts", "Alerts", "monitor --notify"),
    ):
        name = command.split()[0]
        if has_command(name):
            on = {"schedule": [{"cron": project.settings.schedules[file]}], "workflow_dispatch": {}}
            env = {**secret_env(project), **(notify_env(project) if name == "monitor" else {})}
            job = _command_job(project, f"shipyard {command}", _perms(project, name), env=env)
            jobs = {name: job}
            if name == "monitor":
                # the alert state (what was sent, when) lives in .shipyard/: keep it between
                # runs, or every run would re-send every alert that is still firing; saved
                # also when an alert fails the job
                restore, save = alert_state_steps()
                job["steps"][2:2] = [restore]
                job["steps"].append(save)
            elif has_command("report"):
                jobs = _analytics_jobs(project, job)
            files.append(render(project, file, title, on, jobs, cancel=False))
    return files


PAGES_DIR = "_site"


def _analytics_jobs(project: Project, metrics: dict[str, Any]) -> dict[str, Any]:
    """metrics + the HTML dashboard uploaded as a GitHub Pages artifact, then a deploy job that
    alone holds the Pages rights (DORA figures read every release tag: the whole history)."""
    metrics["steps"][0] = checkout(0)
    metrics["steps"] += [
        {
            "name": "shipyard report --html",
            "run": f"mkdir -p {PAGES_DIR}\nshipyard report --html -o {PAGES_DIR}/index.html\n",
        },
        {
            "name": "Upload the dashboard as the Pages artifact",
            "uses": uses("actions/upload-pages-artifact"),
            "with": {"path": PAGES_DIR},
        },
    ]
    deploy = {
        "needs": "metrics",
        "runs-on": project.settings.runner,
        "timeout-minutes": 10,
        "permissions": {
            "pages": Commented("write", "publish the dashboard"),
            "id-token": Commented("write", "deploy-pages proves the deployment's origin"),
        },
        "environment": {"name": "github-pages", "url": "${{ steps.deployment.outputs.page_url }}"},
        "steps": [
            {
                "name": "Deploy to GitHub Pages",
                "id": "deployment",
                "uses": uses("actions/deploy-pages"),
            }
        ],
    }
    return {"metrics": metrics, "deploy": deploy}


# [notify.*] channel -> (its key naming the variable, the default variable)
NOTIFY_SECRETS = {
    "slack": ("url-env", "SLACK_WEBHOOK"),
    "discord": ("url-env", "DISCORD_WEBHOOK"),
    "email": ("password-env", "SMTP_PASSWORD"),
    "github": ("token-env", "GITHUB_TOKEN"),
    "discussions": ("token-env", "GITHUB_TOKEN"),
}
# channels that write to the repository need the job token's permission for it
NOTIFY_PERMISSIONS = {
    "github": ("issues", "open an issue for each critical alert"),
    "discussions": ("discussions", "open a discussion for each alert"),
}


def _channels(project: Project) -> dict[str, Any]:
    notify = project.definition.sections.get("notify", {})
    return {k: v for k, v in notify.items() if k in NOTIFY_SECRETS and isinstance(v, dict)}


def notify_env(project: Project) -> dict[str, str]:
    """The secret each configured channel reads, under the variable it reads it from."""
    env = {}
    for channel, table in _channels(project).items():
        key, default = NOTIFY_SECRETS[channel]
        name = str(table.get(key, default))
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            continue  # `shipyard monitor` reports the bad name itself
        secret = "github.token" if name == "GITHUB_TOKEN" else f"secrets.{name}"
        env[name] = f"${{{{ {secret} }}}}"
    return env


def _perms(project: Project, command: str) -> dict[str, Any]:
    perms: dict[str, Any] = dict(READ)
    if command == "monitor":
        for channel in _channels(project):
            if channel in NOTIFY_PERMISSIONS:
                scope, why = NOTIFY_PERMISSIONS[channel]
                perms[scope] = Commented("write", why)
    return perms


def alert_state_steps() -> tuple[dict[str, Any], dict[str, Any]]:
    key = "shipyard-alerts-${{ github.run_id }}"
    restore = {
        "name": "Restore the alert state",
        "uses": uses("actions/cache/restore"),
        "with": {"path": ".shipyard", "key": key, "restore-keys": "shipyard-alerts-"},
    }
    save = {
        "name": "Save the alert state",
        "if": "always()",
        "uses": uses("actions/cache/save"),
        "with": {"path": ".shipyard", "key": key},
    }
    return restore, save


def releases(project: Project) -> list[GeneratedFile]:
    stages = [s.name for s in project.definition.stages.values() if s.release]
    if not stages and "release" not in project.definition.sections:
        return []
    final = {"push": {"tags": ["v*", *(f"!{t}" for t in PRERELEASE_TAGS)]}}
    pre = {"push": {"tags": list(PRERELEASE_TAGS)}}
    return [
        render(project, "release", "Release", final, _release_jobs(project, stages), cancel=False),
        render(
            project, "prerelease", "Pre-release", pre, _release_jobs(project, stages), cancel=False
        ),
    ]


def _release_jobs(project: Project, stages: list[str]) -> dict[str, Any]:
    """verify (the release stages) -> build (installs the project, packs it, uploads the
    packages) -> publish (the only job with write rights: installs shipyard alone, downloads
    the packages and publishes them)."""
    jobs: dict[str, Any] = {}
    if stages:
        # no dependency cache here: a poisoned cache must never reach a published build
        verify = _command_job(project, "shipyard run --release")
        verify["steps"][1] = setup(project, cache=False)
        jobs["verify"] = verify
    build = _command_job(project, f"shipyard release --ci build --dist {DIST}", depth=0)
    build["steps"][1] = setup(project, cache=False)
    build["steps"].append(
        {
            "name": "Upload the packages",
            "uses": uses("actions/upload-artifact"),
            "with": {"name": DIST, "path": DIST, "retention-days": 1, "if-no-files-found": "error"},
        }
    )
    if stages:
        build["needs"] = ["verify"]
    jobs["build"] = build
    jobs["publish"] = {
        "needs": ["build"],
        "runs-on": project.settings.runner,
        "timeout-minutes": project.settings.timeout_minutes,
        "environment": project.settings.environment,
        "permissions": {
            "contents": Commented("write", "create the GitHub release"),
            "id-token": Commented("write", "PyPI trusted publishing"),
        },
        "steps": [
            checkout(0),
            *_publish_tools(project),
            {
                "name": "Download the packages",
                "uses": uses("actions/download-artifact"),
                "with": {"name": DIST, "path": DIST},
            },
            {"name": "Publish", "run": project.settings.publish, "env": publish_env(project)},
        ],
    }
    return jobs


DIST = "release-dist"


def publish_env(project: Project) -> dict[str, str]:
    env = {"GITHUB_TOKEN": "${{ secrets.GITHUB_TOKEN }}"}
    for language, name in TOKENS.items():
        if language in project.languages:
            env[name] = f"${{{{ secrets.{name} }}}}"
    return {**env, **secret_env(project)}


def _publish_tools(project: Project) -> list[dict[str, Any]]:
    """Python and shipyard itself: none of the repository's dependencies."""
    steps: list[dict[str, Any]] = [
        {
            "name": "Set up Python",
            "uses": uses("actions/setup-python"),
            "with": {"python-version": project.settings.python},
        }
    ]
    # npm publish needs only the npm that every runner image has: no setup-node, no cache
    requirement = shipyard_requirement(project) or "."
    steps.append(
        {"name": "Install shipyard", "run": f"python -m pip install {quoted(requirement)}"}
    )
    return steps
