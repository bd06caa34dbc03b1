"""shipyard's own generated workflows (.github/ of this repository, as committed), run by act on
one copy of this checkout shared by the module's tests (one Actions cache): the same YAML a
GitHub runner runs. CodeQL's own action cannot run under act: codeql.yml is checked as YAML.

What differs from a GitHub runner (docs/ci.md "shipyard's own workflows under act"): pip reads
a local index (build's isolated environment also finds the build backend's wheels through
PIP_FIND_LINKS, from .ci/setup.d/ci.sh), `sudo` is a stand-in (the runner is root already), npm
reads this machine's npm cache (as setup-node's cache would restore it), and the unit stage
runs one test file instead of the whole suite, through PYTEST_ADDOPTS: the job still runs its
gates, and the coverage gates fail, as they must on one file of the suite.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from shipyard import __version__
from tests.ci.act import Runner
from tests.conftest import git, run_cli
from tests.monitor.servers import Routes, http_server
from tests.release.conftest import TOKEN_PASSWORD, TOKEN_USER, Registry

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1500)]
ROOT = Path(__file__).resolve().parents[2]
SUBSET = "tests/security/test_lockfiles.py"  # fast, real files, no server
WHEELS = Path(sys.prefix) / "share" / "shipyard-tests" / "build-wheels"
SUDO = """#!/bin/sh
# stand-in of a GitHub runner's passwordless sudo: this runner runs as root already
while [ "${1#-}" != "$1" ]; do shift; done
exec "$@"
"""


def own_copy(dest: Path) -> Path:
    """This checkout as a fresh repository: the tracked and new files, not what .gitignore
    leaves out (.venv, node_modules, caches), in one commit."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout
    for rel in filter(None, listed.decode().split("\0")):
        src = ROOT / rel
        if src.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
    git(dest, "init", "-q", "-b", "main")
    git(dest, "add", "-A")
    git(dest, "commit", "-q", "--no-verify", "-m", "ci: shipyard's own checkout")
    return dest


def runner_env(tmp_path: Path) -> dict[str, str]:
    assert WHEELS.is_dir(), f"{WHEELS} is missing: run `bash .ci/setup.d/ci.sh` in this venv"
    tools = tmp_path / "runner-bin"
    tools.mkdir()
    path = os.environ["PATH"]
    if shutil.which("sudo") is None and os.geteuid() == 0:
        (tools / "sudo").write_text(SUDO)
        (tools / "sudo").chmod(0o755)
        path = f"{tools}{os.pathsep}{path}"
    # the machine's npm cache, filled by `npm ci --prefix tests/node` before the suite: what
    # setup-node's cache restores on GitHub (read, not written: logs go elsewhere)
    home = pwd.getpwuid(os.getuid()).pw_dir
    npm = subprocess.run(
        ["npm", "config", "get", "cache"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "HOME": home},
    )
    return {
        "PATH": path,
        "PIP_FIND_LINKS": str(WHEELS),
        "npm_config_cache": npm.stdout.strip(),
        "npm_config_logs_dir": str(tmp_path / "npm-logs"),
        "PYTEST_ADDOPTS": f"--cov-fail-under=0 {SUBSET}",
    }


@dataclass
class Own:
    project: Path
    env: dict[str, str]
    runner: Runner
    base: Path


@pytest.fixture(scope="module")
def own(act_runner: Runner, tmp_path_factory: pytest.TempPathFactory) -> Own:
    """One copy of this checkout, one runner environment and one Actions cache for the module."""
    base = tmp_path_factory.mktemp("own")
    project = own_copy(base / "shipyard")
    return Own(project, runner_env(base), act_runner.for_test(base / "actions-cache"), base)


def test_own_quality_build_and_test_workflows_run_under_act(own: Own, tmp_path: Path) -> None:
    project, env, runner = own.project, own.env, own.runner
    artifacts = tmp_path / "artifacts"
    quality = runner.run(project, "quality", artifacts=artifacts, env=env, timeout=1200)
    assert quality.jobs == {
        "lint": "succeeded",
        "typecheck": "succeeded",
        "ci-files": "succeeded",
    }, quality
    reports = artifacts
    assert "Success: no issues found" in (reports / "typecheck-reports" / "mypy.txt").read_text()
    assert json.loads((reports / "lint-reports" / "ruff.json").read_text()) == []
    assert "already formatted" in (reports / "lint-reports" / "format.txt").read_text()
    assert "CI files are up to date" in quality.log
    assert "npm ci" not in quality.log  # [ci.stage-install]: only the unit job installs Node tools

    build = runner.run(project, "build", artifacts=artifacts, env=env, timeout=900)
    assert build.jobs == {"build": "succeeded"}, build
    dist = sorted(p.name for p in (artifacts / "build-reports").iterdir())
    assert dist == [f"shipyard-{__version__}-py3-none-any.whl", f"shipyard-{__version__}.tar.gz"]

    test = runner.run(project, "test", artifacts=artifacts, env=env, timeout=1200)
    assert test.jobs == {"unit": "failed"}, test
    assert "added " in test.log and "chromium" in test.log.lower()  # npm ci, then .ci/setup.d
    suite = ET.parse(artifacts / "unit-reports" / "junit.xml").getroot()
    cases = suite.findall(".//testcase")
    assert cases and {c.get("classname") for c in cases} == {"tests.security.test_lockfiles"}
    assert not suite.findall(".//failure") and not suite.findall(".//error")
    assert (artifacts / "unit-reports" / "coverage.xml").is_file()
    # the gates ran on what the subset covers: the coverage gates fail, the test gates pass
    failed = [ln for ln in test.log.splitlines() if "quality gates failed:" in ln]
    assert failed, test
    gates = failed[-1].split("quality gates failed:")[1].replace(",", " ").split()
    assert gates and all(g.startswith("coverage.") for g in gates), failed
    assert "coverage.lines" in gates  # 2.8 % of the lines: one file of the suite


def test_own_release_publishes_shipyard_to_the_index(
    own: Own, package_index: Registry, tmp_path: Path
) -> None:
    """A v* tag: the build job builds shipyard's wheel and sdist, the publish job uploads them to
    the index (here the local pypiserver, named in the copy's release.pypi), and pip installs
    shipyard back from it."""
    project = own.project
    # a version the index does not hold yet: it holds this version's wheel, which runners install
    major, minor, patch = map(int, __version__.split(".")[:3])
    version = f"{major}.{minor}.{patch + 1}"
    git(project, "checkout", "-q", "-b", "release-check")
    init = project / "src" / "shipyard" / "__init__.py"
    init.write_text(init.read_text().replace(f'"{__version__}"', f'"{version}"', 1))
    pyproject = project / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text()
        + f'\n[tool.shipyard.release.pypi]\nrepository-url = "{package_index.url}"\n'
        + f'index-url = "{package_index.url}simple/"\nusername = "{TOKEN_USER}"\n'
    )
    git(project, "commit", "-q", "-a", "--no-verify", "-m", f"release: {version}")
    git(project, "tag", "-a", f"v{version}", "-m", f"Release {version}")
    artifacts = tmp_path / "artifacts"
    try:
        run = own.runner.run(
            project,
            "release",
            payload={"ref": f"refs/tags/v{version}", "ref_name": f"v{version}"},
            secrets={"PYPI_TOKEN": TOKEN_PASSWORD},
            artifacts=artifacts,
            env=own.env,
            timeout=900,
        )
    finally:
        git(project, "checkout", "-q", "main")  # the module's other tests run the main branch
    assert run.jobs == {"build": "succeeded", "publish": "succeeded"}, run
    wheel = f"shipyard-{version}-py3-none-any.whl"
    dist = sorted(p.name for p in (artifacts / "release-dist" / "pypi").iterdir())
    assert dist == [wheel, f"shipyard-{version}.tar.gz"]
    assert TOKEN_PASSWORD not in run.log
    target = tmp_path / "installed"
    pip = subprocess.run(
        [
            *(sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-cache-dir"),
            *("--index-url", f"{package_index.url}simple/", "--target", str(target)),
            f"shipyard=={version}",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PIP_CONFIG_FILE": os.devnull},
    )
    assert pip.returncode == 0, pip.stderr
    assert (target / f"shipyard-{version}.dist-info").is_dir()
    assert f'"{version}"' in (target / "shipyard" / "__init__.py").read_text()


def test_own_analytics_writes_the_dashboard(own: Own, tmp_path: Path) -> None:
    artifacts = tmp_path / "artifacts"
    run = own.runner.run(
        own.project, "analytics", "workflow_dispatch", artifacts=artifacts, env=own.env
    )
    assert run.jobs == {"metrics": "succeeded", "deploy": "succeeded"}, run
    page = (artifacts / "pages-site" / "index.html").read_text()
    assert "delivery dashboard" in page and "Key performance indicators" in page
    assert "no pipeline run recorded" in page  # a runner has no run store: said, not hidden


def test_own_dependency_review_asks_for_the_pull_requests_changes(own: Own) -> None:
    base, head = "a" * 40, "b" * 40
    path = f"/repos/shipyard-dev/shipyard/dependency-graph/compare/{base}...{head}"
    api = Routes({path: (200, [], {})})
    event = {
        "pull_request": {"number": 5, "base": {"sha": base}, "head": {"sha": head}},
        "repository": {"full_name": "shipyard-dev/shipyard"},
    }
    git(own.project, "remote", "add", "origin", "https://github.com/shipyard-dev/shipyard.git")
    try:
        with http_server(api) as url:
            run = own.runner.run(
                own.project,
                "dependency-review",
                "pull_request",
                payload=event,
                secrets={"GITHUB_TOKEN": "ghs-review-token"},
                github={"GITHUB_API_URL": url},
                env=own.env,
            )
    finally:  # act reads the repository's name from the remote; the other tests want none
        git(own.project, "remote", "remove", "origin")
    assert run.jobs == {"dependency-review": "succeeded"}, run
    assert [r.path for r in api.requests] == [path]


def test_own_alerts_deliver_to_the_webhook(own: Own) -> None:
    """shipyard's own definition has no monitor source nor channel (nothing to alert on): with a
    registry source and a Slack channel added on a branch, the regenerated alerts workflow
    delivers the alert (a registry that does not know shipyard: high) to a webhook stand-in."""
    hook = Routes({"/hook": (200, None, {})})
    git(own.project, "checkout", "-q", "-b", "alerts-check")
    try:
        with http_server(hook) as url:  # also the registry: /simple/shipyard/ is a 404
            pyproject = own.project / "pyproject.toml"
            pyproject.write_text(
                pyproject.read_text()
                + f'\n[tool.shipyard.monitor.registry]\nurl = "{url}"\n'
                + "\n[tool.shipyard.notify.slack]\n"
            )
            generated = run_cli("ci", "generate", cwd=own.project)
            assert generated.returncode == 0, generated.stderr
            git(own.project, "commit", "-q", "-a", "--no-verify", "-m", "ci: alerts on")
            run = own.runner.run(
                own.project,
                "alerts",
                "workflow_dispatch",
                secrets={"SLACK_WEBHOOK": f"{url}/hook"},
                env=own.env,
            )
    finally:
        git(own.project, "checkout", "-q", "-f", "main")
    assert run.jobs == {"monitor": "failed"}, run  # a high alert fails the job
    posts = [r for r in hook.requests if r.method == "POST" and r.path == "/hook"]
    assert len(posts) == 1, run
    assert "shipyard" in str(posts[0].body) and "/simple/shipyard/" in str(
        [r.path for r in hook.requests]
    )


PERF_CHECK = """\
import json, pathlib, sys

cost = float(pathlib.Path("perf-cost.txt").read_text())
values = [{"name": "request", "unit": "ms", "value": cost * (1 + k / 1000)} for k in (-1, 0, 1)]
pathlib.Path(sys.argv[1]).parent.mkdir(parents=True, exist_ok=True)
pathlib.Path(sys.argv[1]).write_text(json.dumps(values))
"""


def test_own_performance_compares_with_the_branchs_baseline(own: Own) -> None:
    """The committed performance workflow, on pushes to main whose benchmark is a figure the test
    sets (benchmarks/own_bench.py takes minutes of CPU per run, and a timing on this shared
    machine would make the verdict a coin toss): the first push keeps its results in the cache
    keyed by branch, the second restores them and fails on the seeded +60 %; main is reset
    afterwards."""
    project = own.project
    start = git(project, "rev-parse", "HEAD").strip()
    try:  # on main: the baseline is the runs along the default branch
        pyproject = project / "pyproject.toml"
        own_bench = "python benchmarks/own_bench.py"
        assert own_bench in pyproject.read_text()
        text = pyproject.read_text().replace(own_bench, "python perf_check.py")
        pyproject.write_text(text + "\n[tool.shipyard.bench]\ncalibrate = false\n")
        (project / "perf_check.py").write_text(PERF_CHECK)
        runs = []
        for cost in ("100", "160"):  # the seeded +60 % regression in the second push
            (project / "perf-cost.txt").write_text(cost)
            git(project, "add", "-A")
            git(project, "commit", "-q", "--no-verify", "-m", f"perf: cost {cost}")
            runs.append(own.runner.run(project, "performance", env=own.env))
    finally:
        git(project, "reset", "-q", "--hard", start)  # the module's other tests run main as is
    first, second = runs
    assert first.jobs == {"benchmark": "succeeded"}, first
    assert "new; not in the baseline" in first.log
    assert second.jobs == {"benchmark": "failed"}, second
    assert "new; not in the baseline" not in second.log
    assert "×1.600" in second.log or "1.600" in second.log, second


def test_own_codeql_workflow_as_yaml() -> None:
    """CodeQL's own action needs its bundle and GitHub's API, which act cannot give: the
    committed workflow is checked instead (the stand-in under tests/ci/actions fails if run)."""
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "codeql.yml").read_text())
    [job] = workflow["jobs"].values()
    assert job["permissions"] == {"actions": "read", "contents": "read", "security-events": "write"}
    assert job["strategy"]["matrix"]["language"] == ["python"]
    uses = [s["uses"].split("@")[0] for s in job["steps"] if "uses" in s]
    assert uses[-2:] == ["github/codeql-action/init", "github/codeql-action/analyze"]
    assert set(workflow[True]) >= {"push", "pull_request", "schedule"}
