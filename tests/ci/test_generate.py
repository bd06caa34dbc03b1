"""The workflows `shipyard ci generate` writes for the sample Python and Node projects."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from shipyard import __version__
from shipyard.ci import family_workflows
from shipyard.ci.interface import MARKER
from shipyard.ci.pins import PINS
from tests.ci.helpers import files, steps, workflow

SHA = re.compile(r"^[\w.-]+/[\w.-]+(?:/[\w./-]+)?@[0-9a-f]{40}$")


@pytest.mark.parametrize("sample", ["python_project", "node_project"])
def test_every_file_starts_with_the_generated_header(
    sample: str, request: pytest.FixtureRequest
) -> None:
    root = request.getfixturevalue(sample)
    generated = files(root)
    assert {
        ".github/actions/setup/action.yml",
        ".github/dependabot.yml",
        ".github/settings.yml",
        ".github/ISSUE_TEMPLATE/bug_report.yml",
        ".env.example",
    } <= set(generated)
    for text in generated.values():
        assert text.startswith(f"# {MARKER} from ")


def test_the_plans_workflows_are_generated(
    python_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(family_workflows, "has_command", lambda name: False)
    names = {Path(p).stem for p in files(python_project) if p.startswith(".github/workflows/")}
    assert names == {
        "build",
        "test",
        "quality",
        "security",
        "codeql",
        "dependency-review",
        "performance",
        "release",
        "prerelease",
    }  # analytics and alerts: no command yet


def test_analytics_and_alerts_once_their_commands_exist(
    python_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        family_workflows, "has_command", lambda name: name in ("metrics", "monitor")
    )
    alerts = workflow(python_project, "alerts")
    assert alerts["on"]["schedule"] == [{"cron": "0 */6 * * *"}]
    steps = alerts["jobs"]["monitor"]["steps"]
    assert steps[-2]["run"] == "shipyard monitor --notify"
    # the alert state survives between runs: restored before, saved after (even on failure)
    assert steps[-3]["with"]["path"] == steps[-1]["with"]["path"] == ".shipyard"
    assert steps[-1]["if"] == "always()"
    assert workflow(python_project, "analytics")["on"]["schedule"] == [{"cron": "0 9 * * 1"}]


@pytest.mark.parametrize("sample", ["python_project", "node_project"])
def test_actions_are_pinned_to_full_shas_from_the_table(
    sample: str, request: pytest.FixtureRequest
) -> None:
    root = request.getfixturevalue(sample)
    remote = [s["uses"] for _, s in steps(root) if "uses" in s and not s["uses"].startswith(".")]
    assert remote
    for uses in remote:
        assert SHA.match(uses), uses
        action, sha = uses.split("@")
        assert PINS["/".join(action.split("/")[:2])][0] == sha
    text = "".join(files(root).values())
    for sha, tag in PINS.values():
        for line in text.splitlines():
            if sha in line:
                assert line.endswith(f"@{sha} # {tag}")


@pytest.mark.parametrize("sample", ["python_project", "node_project"])
def test_locked_down_by_default(sample: str, request: pytest.FixtureRequest) -> None:
    root = request.getfixturevalue(sample)
    for path, text in files(root).items():
        if not path.startswith(".github/workflows/"):
            continue
        data = yaml.safe_load(text)
        assert data["permissions"] == {}, path
        for job_id, job in data["jobs"].items():
            writes = {k for k, v in job["permissions"].items() if v == "write"}
            assert writes <= {"security-events", "contents", "id-token", "pages"}, (path, job_id)
            if "pages" in writes:  # the analytics deploy job: deploy-pages and nothing else
                assert job_id == "deploy" and job["environment"]["name"] == "github-pages"
                assert [s["uses"].split("@")[0] for s in job["steps"]] == ["actions/deploy-pages"]
            elif "contents" in writes or "id-token" in writes:
                assert job_id == "publish" and job["environment"] == "release"
    for path, step in steps(root):
        if str(step.get("uses", "")).startswith("actions/checkout"):
            assert step["with"]["persist-credentials"] is False, path
        assert "${{" not in step.get("run", ""), (path, step)


def run_of(job: dict[str, Any]) -> str:
    """The one step that runs shipyard."""
    (step,) = [s for s in job["steps"] if s.get("run", "").startswith("shipyard ")]
    return str(step["run"])


def test_every_job_runs_its_stage_through_shipyard(python_project: Path) -> None:
    test = workflow(python_project, "test")
    assert run_of(test["jobs"]["unit"]) == 'shipyard run unit --shard "$SHARD/3"'
    assert run_of(test["jobs"]["integration"]) == "shipyard run integration"
    assert run_of(workflow(python_project, "build")["jobs"]["build"]) == "shipyard run build"


def test_stage_install_runs_in_that_stages_job_only(python_project: Path) -> None:
    pyproject = python_project / "pyproject.toml"  # [tool.shipyard.ci] is its last table
    pyproject.write_text(
        pyproject.read_text() + '\n[tool.shipyard.ci.stage-install]\nunit = ["npm ci", "make x"]\n'
    )
    unit = workflow(python_project, "test")["jobs"]["unit"]["steps"]
    names = [s.get("name") for s in unit]
    extra = names.index("Install what unit needs")
    assert names[extra - 1] == "Set up the toolchains and dependencies"  # after shipyard
    assert unit[extra]["run"] == "npm ci\nmake x\n"
    installing = [p for p, s in steps(python_project) if "npm ci" in str(s.get("run", ""))]
    assert installing == [".github/workflows/test.yml"]  # that one step, no other job


def test_caches_of_needed_stages_are_restored_read_only(python_project: Path) -> None:
    steps = workflow(python_project, "test")["jobs"]["unit"]["steps"]
    restore = [s for s in steps if "cache" in str(s.get("uses", ""))]
    assert [s["name"] for s in restore] == ["Restore the cache of build", "Restore the stage cache"]
    assert restore[0]["uses"].startswith("actions/cache/restore@")
    build = workflow(python_project, "build")["jobs"]["build"]["steps"][2]
    assert restore[0]["with"] == build["with"]  # the very key the build job saves under


def test_matrix_from_the_definition_with_fail_fast_off(python_project: Path) -> None:
    unit = workflow(python_project, "test")["jobs"]["unit"]
    assert unit["strategy"] == {
        "fail-fast": False,
        "matrix": {
            "python": ["3.11", "3.12"],
            "os": ["ubuntu-latest", "macos-latest"],
            "shard": [1, 2, 3],
        },
    }
    assert unit["runs-on"] == "${{ matrix.os }}"
    assert unit["steps"][1]["with"]["python-version"] == "${{ matrix.python }}"


def test_needs_follow_the_dag_within_a_workflow(python_project: Path) -> None:
    jobs = workflow(python_project, "test")["jobs"]
    assert jobs["integration"]["needs"] == ["unit"]
    assert "needs" not in jobs["unit"]  # build is in build.yml: `shipyard run unit` runs it
    assert jobs["integration"]["timeout-minutes"] == 20


def test_stage_cache_key_hashes_inputs_and_commands(python_project: Path) -> None:
    cache = workflow(python_project, "build")["jobs"]["build"]["steps"][2]
    assert cache["with"]["path"] == ".shipyard/cache"
    assert cache["with"]["key"].endswith("-${{ hashFiles('src', 'src/**', 'pyproject.toml') }}")
    assert cache["with"]["key"].startswith(cache["with"]["restore-keys"])
    before = cache["with"]["key"]
    pyproject = python_project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('"python -m build"', '"python -m build -w"'))
    assert workflow(python_project, "build")["jobs"]["build"]["steps"][2]["with"]["key"] != before


def test_dependency_caches_are_keyed_on_lockfiles(node_project: Path) -> None:
    action = yaml.safe_load(files(node_project)[".github/actions/setup/action.yml"])
    node = action["runs"]["steps"][1]["with"]
    assert node["cache-dependency-path"] == "package-lock.json"
    assert "npm ci" in action["runs"]["steps"][-1]["run"]


def test_outputs_and_reports_are_kept_seven_days(python_project: Path) -> None:
    build = workflow(python_project, "build")["jobs"]["build"]["steps"][-1]
    assert build["with"] == {
        "name": "build-outputs",
        "path": "dist",
        "retention-days": 7,
        "if-no-files-found": "ignore",
    }
    report = workflow(python_project, "test")["jobs"]["unit"]["steps"][-1]
    assert report["if"] == "always()" and report["with"]["retention-days"] == 7


def test_sarif_reports_go_to_code_scanning(python_project: Path) -> None:
    job = workflow(python_project, "security")["jobs"]["security"]
    assert job["permissions"] == {"contents": "read", "security-events": "write"}
    assert job["steps"][-1]["with"] == {"sarif_file": "scan.sarif", "category": "security"}
    assert job["steps"][-1]["if"] == "always()"


def test_when_becomes_filters_and_schedules(python_project: Path, node_project: Path) -> None:
    assert workflow(python_project, "security")["on"]["schedule"] == [{"cron": "0 0 * * 0"}]
    perf = workflow(python_project, "performance")["on"]
    assert perf["schedule"] == [{"cron": "0 2 * * *"}]
    assert perf["push"]["paths"] == ["src/**", "bench.py"]
    assert "pull_request" not in perf
    e2e = workflow(node_project, "test-e2e")["on"]
    assert e2e["push"]["branches"] == ["main", "release/*"]
    build = workflow(node_project, "build")
    assert build["on"]["push"]["tags"] == ["v*"]
    assert "refs/tags/" in build["jobs"]["deploy-docs"]["if"]
    assert "Restore the stage cache" not in str(build)  # nothing cached where tags build


def test_secrets_reach_only_publish_and_scheduled_jobs(
    node_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(family_workflows, "has_command", lambda name: name == "monitor")
    generated = files(node_project)
    alerts = workflow(node_project, "alerts")["jobs"]["monitor"]["steps"][-2]
    assert alerts["env"] == {"SLACK_WEBHOOK": "${{ secrets.SLACK_WEBHOOK }}"}
    publish = workflow(node_project, "release")["jobs"]["publish"]["steps"][-1]
    assert publish["env"]["SLACK_WEBHOOK"] == "${{ secrets.SLACK_WEBHOOK }}"
    for path, text in generated.items():
        if path.endswith(("alerts.yml", "release.yml", "prerelease.yml")):
            continue
        # ci.codecov: the upload token, given to the codecov action alone
        text = text.replace("token: ${{ secrets.CODECOV_TOKEN }}", "")
        assert "secrets." not in text, path


def test_tags_release_and_prerelease(python_project: Path) -> None:
    release = workflow(python_project, "release")
    assert release["on"] == {"push": {"tags": ["v*", "!v*-alpha.*", "!v*-beta.*", "!v*-rc.*"]}}
    assert workflow(python_project, "prerelease")["on"] == {
        "push": {"tags": ["v*-alpha.*", "v*-beta.*", "v*-rc.*"]}
    }
    jobs = release["jobs"]
    verify, build, publish = jobs["verify"], jobs["build"], jobs["publish"]
    assert verify["permissions"] == {"contents": "read"}
    assert verify["steps"][-1]["run"] == "shipyard run --release"
    # the job that installs the project's dependencies builds; it has no write permission
    assert build["needs"] == ["verify"] and build["permissions"] == {"contents": "read"}
    assert build["steps"][2]["run"] == "shipyard release --ci build --dist release-dist"
    assert build["steps"][3]["with"]["name"] == "release-dist"
    assert publish["needs"] == ["build"] and publish["environment"] == "release"
    assert publish["permissions"] == {"contents": "write", "id-token": "write"}
    runs = [step["run"] for step in publish["steps"] if "run" in step]
    assert runs == [
        "python -m pip install 'shipyard==" + __version__ + "'",
        "shipyard release --ci publish",
    ]
    assert "./.github/actions/setup" not in str(publish["steps"])  # no dependency install
    assert publish["steps"][-1]["env"] == {
        "GITHUB_TOKEN": "${{ secrets.GITHUB_TOKEN }}",
        "PYPI_TOKEN": "${{ secrets.PYPI_TOKEN }}",
    }


def test_codeql_for_the_projects_languages(python_project: Path, node_project: Path) -> None:
    """codeql.yml is checked here, not under act: CodeQL's init action downloads the CodeQL
    bundle from GitHub's releases, which no registry here holds (docs/ci.md, "What act does
    not run")."""
    codeql = workflow(python_project, "codeql")
    assert codeql["jobs"]["analyze"]["strategy"]["matrix"] == {"language": ["python"]}
    assert codeql["on"]["schedule"] == [{"cron": "0 12 * * 1"}] and "pull_request" in codeql["on"]
    job = codeql["jobs"]["analyze"]
    assert job["permissions"] == {
        "actions": "read",
        "contents": "read",
        "security-events": "write",
    }
    sha = PINS["github/codeql-action"][0]
    init, analyze = job["steps"][1:]
    assert init["uses"] == f"github/codeql-action/init@{sha}"
    assert init["with"] == {
        "languages": "${{ matrix.language }}",
        "build-mode": "none",  # Python and JavaScript need no build to be analysed
        "queries": "+security-and-quality",
    }
    assert analyze["uses"] == f"github/codeql-action/analyze@{sha}"
    assert analyze["with"] == {"category": "/language:${{ matrix.language }}"}
    assert workflow(node_project, "codeql")["jobs"]["analyze"]["strategy"]["matrix"] == {
        "language": ["javascript-typescript"]
    }


def test_ci_workflows_moves_a_stage(python_project: Path) -> None:
    pyproject = python_project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + 'workflows = { build = ["lint"] }\n')
    assert set(workflow(python_project, "build")["jobs"]) == {"lint", "build"}
    assert set(workflow(python_project, "quality")["jobs"]) == {"typecheck", "ci-files"}


def test_scan_and_bench_commands_get_their_workflows(
    tools_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(family_workflows, "has_command", lambda name: name in ("scan", "bench"))
    scan = workflow(tools_project, "security")
    assert scan["on"]["schedule"] == [{"cron": "0 0 * * 0"}]
    job = scan["jobs"]["scan"]
    # the advisory database: last run's restored, then refreshed, before the scan
    assert job["steps"][2]["with"]["path"] == ".shipyard/osv"
    assert job["steps"][3]["run"] == "shipyard scan db update --ecosystem PyPI"
    assert job["steps"][4]["run"] == "shipyard scan --format sarif --output shipyard-scan.sarif"
    assert job["steps"][5]["with"]["sarif_file"] == "shipyard-scan.sarif"
    assert job["permissions"] == {"contents": "read", "security-events": "write"}
    bench = workflow(tools_project, "performance")
    assert bench["on"]["schedule"] == [{"cron": "0 2 * * *"}]
    assert bench["jobs"]["benchmark"]["steps"][0]["with"]["fetch-depth"] == 0
    steps = bench["jobs"]["benchmark"]["steps"]
    assert (
        steps[2]["with"]["restore-keys"]
        == "shipyard-bench-${{ github.base_ref || github.ref_name }}-"
    )
    assert steps[3]["run"].startswith("shipyard bench run --markdown bench-comparison.md")
    assert steps[3]["env"]["SHIPYARD_BENCH_MACHINE"] == "github-${{ runner.os }}-${{ runner.arch }}"
    assert bench["jobs"]["comment"]["permissions"] == {"pull-requests": "write"}
    (tools_project / "shipyard.toml").write_text(
        (tools_project / "shipyard.toml").read_text() + 'machine = "bench-box"\n'
    )  # [bench] is the last table: a named machine is not overridden in CI
    env = workflow(tools_project, "performance")["jobs"]["benchmark"]["steps"][3]["env"]
    assert "SHIPYARD_BENCH_MACHINE" not in env
    monkeypatch.setattr(family_workflows, "has_command", lambda name: False)
    assert set(files(tools_project)) >= {".github/workflows/build.yml"}
    assert ".github/workflows/security.yml" not in files(tools_project)


def test_a_quality_job_checks_the_ci_files(python_project: Path, tools_project: Path) -> None:
    job = workflow(python_project, "quality")["jobs"]["ci-files"]
    assert job["steps"][-1]["run"] == "shipyard ci generate --check"
    alone = workflow(tools_project, "quality")  # no quality stage: a workflow of its own
    assert list(alone["jobs"]) == ["ci-files"] and "pull_request" in alone["on"]
    (tools_project / "shipyard.toml").write_text(
        (tools_project / "shipyard.toml").read_text() + "\n[ci]\ncheck = false\n"
    )
    assert ".github/workflows/quality.yml" not in files(tools_project)


def test_codecov_upload_and_dependency_review(node_project: Path, python_project: Path) -> None:
    unit = workflow(node_project, "test")["jobs"]["unit"]
    [upload] = [s for s in unit["steps"] if s.get("name") == "Upload the coverage to Codecov"]
    assert upload["uses"].startswith(
        "codecov/codecov-action@671740ac38dd9b0130fbe1cec585b89eea48d3de"
    )
    assert upload["with"] == {
        "files": "coverage/lcov.info",
        "disable_search": True,
        "flags": "unit",
        "name": "unit-${{ matrix.node }}-${{ matrix.os }}-${{ matrix.shard }}",
        "token": "${{ secrets.CODECOV_TOKEN }}",
        "fail_ci_if_error": True,
    }
    # ci.codecov is off by default
    assert not any("codecov" in str(s.get("uses")) for _, s in steps(python_project))
    review = workflow(python_project, "dependency-review")
    assert review["on"] == {"pull_request": {"branches": ["main"]}}
    job = review["jobs"]["dependency-review"]
    assert job["permissions"] == {"contents": "read"}
    assert job["steps"][0]["with"] == {"fail-on-severity": "high"}
    pyproject = python_project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + 'dependency-review = "moderate"\n')
    job = workflow(python_project, "dependency-review")["jobs"]["dependency-review"]
    assert job["steps"][0]["with"] == {"fail-on-severity": "moderate"}
    pyproject.write_text(pyproject.read_text().replace('"moderate"', "false"))
    assert ".github/workflows/dependency-review.yml" not in files(python_project)
