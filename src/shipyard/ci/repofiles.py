"""The repository files beside the workflows: the composite setup action, dependabot.yml,
settings.yml (branch protection as code), the bug report form and .env.example."""

from __future__ import annotations

import itertools
import tomllib
from pathlib import Path
from typing import Any

import yaml

from shipyard import __version__
from shipyard.ci.emit import dump
from shipyard.ci.interface import CiError, GeneratedFile, Project, header
from shipyard.ci.pins import uses

# one secret name per registry, the same variable shipyard reads locally (docs/release.md)
TOKENS = {"node": "NPM_TOKEN", "python": "PYPI_TOKEN"}
PIP_LOCKS = ("requirements*.txt", "uv.lock", "poetry.lock", "pdm.lock", "Pipfile.lock")


def pip_locks(root: Path) -> list[str]:
    found = sorted({p.name for pat in PIP_LOCKS for p in root.glob(pat)})
    return found or (["pyproject.toml"] if (root / "pyproject.toml").is_file() else [])


def shipyard_requirement(project: Project) -> str:
    """The pip requirement that installs shipyard in CI: `[ci] shipyard`, by default the
    version that generated the files (empty: the install commands bring shipyard)."""
    if project.settings.shipyard is not None:
        return project.settings.shipyard
    if project.settings.action:  # [ci] use-action: the action installs shipyard
        return ""
    return "" if project.name == "shipyard" else f"shipyard=={__version__}"


def quoted(word: str) -> str:
    """One shell word in single quotes, whatever it holds."""
    return "'" + word.replace("'", "'\\''") + "'"


def install_commands(project: Project) -> list[str]:
    root = project.root
    if project.settings.install is not None:
        commands = list(project.settings.install)
    else:
        commands = []
        if "python" in project.languages:
            commands.append(_pip_install(root))
        if "node" in project.languages:
            lock = any((root / f).is_file() for f in ("package-lock.json", "npm-shrinkwrap.json"))
            commands.append("npm ci" if lock else "npm install")
    requirement = shipyard_requirement(project)
    if requirement:
        commands.append(f"python -m pip install {quoted(requirement)}")
    return commands


def _pip_install(root: Path) -> str:
    """The project with its test extras, else its requirements file."""
    reqs = [r for r in ("requirements-dev.txt", "requirements.txt") if (root / r).is_file()]
    if reqs and not (root / "pyproject.toml").is_file():
        return f"python -m pip install -r {reqs[0]}"
    try:
        data = tomllib.loads((root / "pyproject.toml").read_text())
    except (OSError, tomllib.TOMLDecodeError):
        data = {}
    extras = data.get("project", {}).get("optional-dependencies", {})
    wanted = [e for e in ("test", "dev") if e in extras]
    command = (
        f"python -m pip install -e '.[{','.join(wanted)}]'"
        if wanted
        else "python -m pip install -e ."
    )
    # PEP 735 dependency groups (pip >= 25.1), as projects without test extras declare them
    groups = [g for g in GROUPS if g in data.get("dependency-groups", {})]
    return command + "".join(f" --group {g}" for g in groups)


GROUPS = ("test", "tests", "dev")


def setup_action(project: Project) -> list[GeneratedFile]:
    root = project.root
    inputs: dict[str, Any] = {
        "python-version": {
            "description": "Python version",
            "required": False,
            "default": project.settings.python,
        }
    }
    cache_py = "${{ inputs.cache == 'true' && 'pip' || '' }}" if pip_locks(root) else ""
    steps: list[dict[str, Any]] = [
        {
            "name": "Set up Python",
            "uses": uses("actions/setup-python"),
            "with": {"python-version": "${{ inputs.python-version }}", "cache": cache_py},
        }
    ]
    if pip_locks(root):
        steps[0]["with"]["cache-dependency-path"] = "\n".join(pip_locks(root))
    if "node" in project.languages:
        inputs["node-version"] = {
            "description": "Node.js version",
            "required": False,
            "default": project.settings.node,
        }
        node: dict[str, Any] = {"node-version": "${{ inputs.node-version }}"}
        if (root / "package-lock.json").is_file():
            node["cache"] = "${{ inputs.cache == 'true' && 'npm' || '' }}"
            node["cache-dependency-path"] = "package-lock.json"
        steps.append({"name": "Set up Node.js", "uses": uses("actions/setup-node"), "with": node})
    inputs["cache"] = {
        "description": "Cache dependencies, keyed on the lockfiles' hashes",
        "required": False,
        "default": "true",
    }
    steps.append(
        {
            "name": "Install dependencies and shipyard",
            "shell": "bash",
            "run": "\n".join(install_commands(project)) + "\n",
        }
    )
    data = {
        "name": f"Set up {project.name}",
        "description": "Toolchains, dependencies (cached on lockfile hashes) and shipyard",
        "inputs": inputs,
        "runs": {"using": "composite", "steps": steps},
    }
    return [GeneratedFile(".github/actions/setup/action.yml", header(project) + dump(data))]


def dependabot(project: Project) -> list[GeneratedFile]:
    """pip and/or npm, plus github-actions, weekly, with `[ci.dependabot]`'s reviewers,
    assignees, labels, ignore rules and versioning strategy."""
    ecosystems = [
        e for lang, e in (("python", "pip"), ("node", "npm")) if lang in project.languages
    ] + ["github-actions"]
    data = {"version": 2, "updates": [_update(project, e) for e in ecosystems]}
    config = GeneratedFile(".github/dependabot.yml", header(project) + dump(data, ("",)))
    return [config, *code_owners(project)]


# the files Dependabot's pull requests change, per language
MANIFESTS = {
    "python": ["/pyproject.toml", "/requirements*.txt", "/*.lock", "/Pipfile*"],
    "node": ["/package.json", "/package-lock.json", "/npm-shrinkwrap.json"],
}
CODEOWNERS_ELSEWHERE = ("CODEOWNERS", "docs/CODEOWNERS")


def code_owners(project: Project) -> list[GeneratedFile]:
    """`[ci.dependabot] reviewers` as `.github/CODEOWNERS` lines for the files Dependabot
    changes: dependabot.yml no longer takes `reviewers`; GitHub requests reviews from the code
    owners of the changed files instead (on every pull request that touches them)."""
    reviewers = project.settings.dependabot.reviewers
    if not reviewers:
        return []
    for other in CODEOWNERS_ELSEWHERE:
        if (project.root / other).is_file():
            raise CiError(
                f"[ci.dependabot] reviewers would be written to .github/CODEOWNERS, which "
                f"GitHub reads before your {other}: it would replace your owners",
                hint=f"add the reviewers to {other} yourself and remove `reviewers`, or move "
                f"{other} into the definition's hands",
            )
    owners = " ".join(f"@{r}" for r in reviewers)
    paths = [p for lang in project.languages for p in MANIFESTS.get(lang, [])]
    lines = [
        "# Dependabot asks the code owners of the files it changes for review ([ci.dependabot]",
        "# reviewers). Owners need write access to the repository.",
        *(f"{p} {owners}" for p in [*paths, "/.github/workflows/"]),
    ]
    return [GeneratedFile(".github/CODEOWNERS", header(project) + "\n".join(lines) + "\n")]


def _update(project: Project, ecosystem: str) -> dict[str, Any]:
    bot = project.settings.dependabot
    update: dict[str, Any] = {
        "package-ecosystem": ecosystem,
        "directory": "/",
        "schedule": {"interval": "weekly", "day": project.settings.dependabot_day},
        "open-pull-requests-limit": 10,
    }
    if bot.assignees:
        update["assignees"] = list(bot.assignees)
    if bot.labels:
        update["labels"] = list(bot.labels)
    update["commit-message"] = {"prefix": "chore", "include": "scope"}
    update["cooldown"] = {"default-days": 7}
    if bot.versioning_strategy and ecosystem != "github-actions":
        update["versioning-strategy"] = bot.versioning_strategy
    ignore = []
    for rule in bot.ignore:
        if rule.ecosystem in (None, ecosystem):
            entry: dict[str, Any] = {"dependency-name": rule.dependency}
            if rule.versions:
                entry["versions"] = list(rule.versions)
            if rule.update_types:
                entry["update-types"] = list(rule.update_types)
            ignore.append(entry)
    if ignore:
        update["ignore"] = ignore
    return update


def status_checks(workflows: list[GeneratedFile]) -> list[str]:
    """Check names of the jobs that run on every pull request (no path filter)."""
    contexts: list[str] = []
    for wf in workflows:
        # libyaml's parser when PyYAML has it: the pure-Python one takes seconds on big files
        data = yaml.load(wf.text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        on = data.get("on", data.get(True)) or {}
        pr = on.get("pull_request") if isinstance(on, dict) else None
        if pr is None or (isinstance(pr, dict) and "paths" in pr):
            continue
        for job_id, job in data["jobs"].items():
            if "if" in job and "pull_request" not in job["if"]:
                continue
            axes = job.get("strategy", {}).get("matrix", {})
            combos = itertools.product(*axes.values()) if axes else [()]
            name = job.get("name", job_id)
            contexts += [f"{name} ({', '.join(map(str, c))})" if c else name for c in combos]
    return contexts


def repo_settings(project: Project, workflows: list[GeneratedFile]) -> list[GeneratedFile]:
    s = project.settings
    protection = {
        "required_pull_request_reviews": {
            "required_approving_review_count": s.required_reviews,
            "dismiss_stale_reviews": True,
            "require_code_owner_reviews": s.code_owner_reviews,
        },
        "required_status_checks": {"strict": True, "contexts": status_checks(workflows)},
        "enforce_admins": s.enforce_admins,
        "restrictions": None,
    }
    data = {
        "repository": {
            "name": project.name,
            "default_branch": s.branches[0],
            "has_issues": True,
            "has_wiki": False,
            "delete_branch_on_merge": True,
        },
        "branches": [{"name": b, "protection": protection} for b in s.branches],
    }
    return [GeneratedFile(".github/settings.yml", header(project) + dump(data))]


def bug_report(project: Project) -> list[GeneratedFile]:
    def field(kind: str, id_: str, label: str, required: bool, **attrs: Any) -> dict[str, Any]:
        item: dict[str, Any] = {"type": kind, "id": id_, "attributes": {"label": label, **attrs}}
        item["validations"] = {"required": required}
        return item

    body = [
        {
            "type": "markdown",
            "attributes": {"value": "Thanks for taking the time to report this bug!"},
        },
        field(
            "input",
            "version",
            f"{project.name} version",
            True,
            description=f"Run `{project.name} --version`",
        ),
        field(
            "textarea",
            "description",
            "Bug description",
            True,
            description="What happened, and what did you expect?",
        ),
        field(
            "textarea",
            "steps",
            "Steps to reproduce",
            True,
            placeholder=f"1. Run `{project.name} ...`\n2. See the error",
        ),
        field("textarea", "logs", "Error logs", False, render="shell"),
        field("dropdown", "os", "Operating system", True, options=["macOS", "Linux", "Windows"]),
    ]
    data = {
        "name": "Bug Report",
        "description": f"Report a bug in {project.name}",
        "labels": ["bug", "needs-triage"],
        "body": body,
    }
    return [
        GeneratedFile(".github/ISSUE_TEMPLATE/bug_report.yml", header(project) + dump(data, ("",)))
    ]


def env_example(project: Project) -> list[GeneratedFile]:
    lines = [
        "# Variables the pipeline reads. Copy to .env for local runs; in CI they are",
        "# GitHub secrets or variables. Never commit real values.",
        "LOG_LEVEL=info",
    ]
    stage_env: dict[str, str] = {}
    for stage in project.definition.stages.values():
        for k, v in stage.env.items():
            stage_env.setdefault(k, v)
    lines += [f"{k}={v}" for k, v in sorted(stage_env.items())]
    lines += [f"{k}={v}" for k, v in sorted(project.settings.env_example.items())]
    releases = "release" in project.definition.sections or any(
        s.release for s in project.definition.stages.values()
    )
    tokens = [n for lang, n in TOKENS.items() if releases and lang in project.languages]
    codecov = ["CODECOV_TOKEN"] if project.settings.codecov else []
    secrets = [*project.settings.secrets, *tokens, *codecov]
    if secrets:
        lines += ["", "# CI/CD secrets (GitHub Secrets)", *(f"{k}=<secret>" for k in secrets)]
    return [GeneratedFile(".env.example", header(project) + "\n".join(lines) + "\n")]
