"""The repository files beside the workflows: setup action, dependabot, settings, issue form,
.env.example."""

from __future__ import annotations

from pathlib import Path

import yaml

from shipyard import __version__
from tests.ci.helpers import files
from tests.conftest import run_cli


def test_dependabot_ecosystems(python_project: Path, node_project: Path) -> None:
    for root, expected in (
        (python_project, ["pip", "github-actions"]),
        (node_project, ["npm", "github-actions"]),
    ):
        data = yaml.safe_load(files(root)[".github/dependabot.yml"])
        assert [u["package-ecosystem"] for u in data["updates"]] == expected
        assert {u["schedule"]["interval"] for u in data["updates"]} == {"weekly"}
    npm, actions = yaml.safe_load(files(node_project)[".github/dependabot.yml"])["updates"]
    assert "reviewers" not in npm  # Dependabot's schema has no reviewers now: CODEOWNERS
    owners = files(node_project)[".github/CODEOWNERS"].splitlines()
    assert owners[-4:] == [
        "/package.json @defai-sg/core-team",
        "/package-lock.json @defai-sg/core-team",
        "/npm-shrinkwrap.json @defai-sg/core-team",
        "/.github/workflows/ @defai-sg/core-team",
    ]
    assert npm["assignees"] == ["octocat"] and npm["labels"] == ["dependencies", "security"]
    assert npm["versioning-strategy"] == "increase" and "versioning-strategy" not in actions
    assert npm["ignore"] == [
        {"dependency-name": "node", "update-types": ["version-update:semver-major"]},
        {"dependency-name": "typescript", "versions": [">=6"]},
    ]
    assert actions["ignore"] == npm["ignore"][:1]  # the second rule is for npm only
    generated = files(python_project)
    pip = yaml.safe_load(generated[".github/dependabot.yml"])["updates"][0]
    assert pip["labels"] == ["dependencies"] and "ignore" not in pip
    assert ".github/CODEOWNERS" not in generated  # no reviewers, no owners file
    (node_project / "CODEOWNERS").write_text("* @someone\n")  # GitHub would read ours first
    result = run_cli("ci", "generate", cwd=node_project)
    assert result.returncode == 2 and "which GitHub reads before your CODEOWNERS" in result.stderr


def test_branch_protection_requires_the_generated_jobs(node_project: Path) -> None:
    data = yaml.safe_load(files(node_project)[".github/settings.yml"])
    assert [b["name"] for b in data["branches"]] == ["main", "develop"]
    protection = data["branches"][0]["protection"]
    assert protection["required_pull_request_reviews"]["required_approving_review_count"] == 2
    contexts = protection["required_status_checks"]["contexts"]
    assert "unit (22.x, macos-latest, 2)" in contexts
    assert {"lint", "typecheck", "ci-files", "build", "analyze (javascript-typescript)"} <= set(
        contexts
    )
    assert "e2e" not in contexts and "deploy-docs" not in contexts  # never run on a PR
    assert "dependency-review" in contexts
    assert len(contexts) == len(set(contexts)) == 6 + 8


def test_env_example_and_issue_template(node_project: Path) -> None:
    generated = files(node_project)
    env = generated[".env.example"]
    assert "\nCODECOV_TOKEN=<secret>\n" in env  # ci.codecov
    assert "\nNODE_ENV=test\n" in env and "\nAUTOMATOSX_TELEMETRY=false\n" in env
    assert "\nNPM_TOKEN=<secret>\nSLACK_WEBHOOK=<secret>\n" in env.replace(
        "SLACK_WEBHOOK=<secret>\nNPM_TOKEN=<secret>", "NPM_TOKEN=<secret>\nSLACK_WEBHOOK=<secret>"
    )
    form = yaml.safe_load(generated[".github/ISSUE_TEMPLATE/bug_report.yml"])
    assert form["body"][1]["attributes"]["description"] == "Run `samplets --version`"


def _install(root: Path) -> str:
    action = yaml.safe_load(files(root)[".github/actions/setup/action.yml"])
    return str(action["runs"]["steps"][-1]["run"])


def test_install_commands_follow_the_project(python_project: Path) -> None:
    assert _install(python_project) == (
        "python -m pip install -e '.[test]'\n"
        "python -m pip install 'shipyard==" + __version__ + "'\n"
    )
    (python_project / "pyproject.toml").unlink()
    (python_project / "shipyard.toml").write_text(
        '[stages.a]\nrun = "true"\n\n[ci]\nshipyard = "shipyard>=0.1"\n'
    )
    (python_project / "requirements-dev.txt").write_text("pytest\n")
    assert _install(python_project) == (
        "python -m pip install -r requirements-dev.txt\npython -m pip install 'shipyard>=0.1'\n"
    )
    (python_project / "shipyard.toml").write_text(
        '[stages.a]\nrun = "true"\n\n[ci]\ninstall = ["make deps"]\n'
    )
    # custom install commands still get shipyard; an empty `shipyard` leaves it to them
    assert _install(python_project) == (
        "make deps\npython -m pip install 'shipyard==" + __version__ + "'\n"
    )
    (python_project / "shipyard.toml").write_text(
        '[stages.a]\nrun = "true"\n\n[ci]\ninstall = ["make deps"]\nshipyard = ""\n'
    )
    assert _install(python_project) == "make deps\n"


def test_dependency_groups_are_installed(tmp_path: Path) -> None:
    """Found on pallets/itsdangerous: test tools in PEP 735 groups, no test extra."""
    from tests.conftest import git

    git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "demo"\nversion = "1"\n\n'
        '[dependency-groups]\ntests = ["pytest", "freezegun"]\ndocs = ["sphinx"]\n\n'
        '[tool.shipyard.stages.unit]\nrun = "pytest"\n'
    )
    assert _install(tmp_path) == (
        "python -m pip install -e . --group tests\n"
        "python -m pip install 'shipyard==" + __version__ + "'\n"
    )
