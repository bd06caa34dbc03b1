"""`shipyard init`: the whole definition it writes for real sample projects, --print,
--explain, --update, --force, .gitignore, and what `shipyard run` makes of it."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from shipyard.toolchains import tags
from tests.conftest import GitRepo, run_cli
from tests.samples import NODE_MODULES, node_project, python_project


def definition(repo: GitRepo) -> dict[str, object]:
    path = repo.path / "shipyard.toml"
    if path.is_file():
        return tomllib.loads(path.read_text())
    data = tomllib.loads((repo.path / "pyproject.toml").read_text())
    shipyard: dict[str, object] = data["tool"]["shipyard"]
    return shipyard


def test_python_gets_the_whole_plan_appended_to_pyproject(repo: GitRepo) -> None:
    python_project(repo)
    repo.write(".gitignore", "dist/\n/.shipyard\n")
    repo.commit("chore: ignore less")
    repo.tag("v1.2.3")
    before = (repo.path / "pyproject.toml").read_text()
    r = run_cli("init", cwd=repo.path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0] == (
        "wrote [tool.shipyard] in pyproject.toml: lint, typecheck, build, unit, security, "
        "secrets; [gates], [release], [hooks]"
    )
    text = (repo.path / "pyproject.toml").read_text()
    assert text.startswith(before)  # the rest of the file is kept byte for byte
    d = definition(repo)
    stages = d["stages"]
    assert isinstance(stages, dict)
    # checks never rewrite the tree
    assert stages["lint"]["run"] == [
        "ruff format --check .",
        "ruff check --no-fix --exit-zero --output-format=json --output-file=ruff.json .",
        "ruff check --no-fix .",
    ]
    assert stages["typecheck"]["run"] == "mypy"  # [tool.mypy] files = ["src"] is respected
    assert stages["unit"]["run"] == (
        "python -m pytest tests --junitxml=junit-unit.xml --cov --cov-branch "
        "--cov-report=xml:coverage.xml --cov-report=term"
    )
    assert stages["unit"]["reports"] == {"junit": "junit-unit.xml", "coverage": "coverage.xml"}
    assert (
        stages["build"]["run"][-1] == "shipyard validate python dist --import demo_pkg --cli demo"
    )
    assert stages["unit"]["release"] is True and stages["build"]["release"] is True
    assert stages["secrets"] == {"run": "shipyard scan secrets --staged", "when": []}
    assert d["gates"] == {
        "base": "main",
        "coverage": {
            "lines": 80,
            "functions": 80,
            "branches": 75,
            "statements": 80,
            "changed-lines": 80,
        },
        "tests": {"failures": 0},
        "lint": {"errors": 0},
        "bundle": {"total": "5MB", "largest": "2MB", "gzip": "1MB"},
    }
    assert d["release"] == {"tag-format": "v{version}", "scheme": "pep440", "publish": ["pypi"]}
    assert d["hooks"] == {"pre-commit": ["lint", "secrets"]}
    # generated workflows run the release stages on pushes and pull requests too
    assert d["ci"] == {"workflows": {"build": ["build"], "test": ["unit"]}}
    assert "# [tool.shipyard.monitor]" in text and "# [tool.shipyard.notify.slack]" in text
    # every stage says what it is for
    assert "# lint: format and lint checks; they never rewrite a file" in text
    ignored = (repo.path / ".gitignore").read_text()
    assert ignored == (
        "dist/\n/.shipyard\n\n# shipyard: run state and the reports its stages write\n"
        "ruff.json\n.ruff_cache/\n.mypy_cache/\njunit-unit.xml\ncoverage.xml\n.pytest_cache/\n"
        ".coverage\n.coverage.*\nsbom.cdx.json\n"
    )  # what was ignored already is not repeated
    assert run_cli("run", "--dry-run", cwd=repo.path).returncode == 0


def test_print_writes_nothing_and_shows_valid_toml(repo: GitRepo) -> None:
    python_project(repo)
    before = (repo.path / "pyproject.toml").read_text()
    r = run_cli("init", "--print", cwd=repo.path)
    assert r.returncode == 0
    assert tomllib.loads(r.stdout)["tool"]["shipyard"]["hooks"] == {
        "pre-commit": ["lint", "secrets"]
    }
    assert (repo.path / "pyproject.toml").read_text() == before
    assert (
        repo.path / ".gitignore"
    ).read_text() == "dist/\n.shipyard/\n*.xml\nruff.json\n.coverage\n"


def test_explain_names_the_file_behind_each_guess(repo: GitRepo) -> None:
    python_project(repo)
    repo.write("tox.ini", "[tox]\nenv_list = py3\n")
    r = run_cli("init", "--explain", cwd=repo.path)
    assert r.returncode == 0
    lines = r.stdout.splitlines()
    pairs = dict(zip(lines[::2], lines[1::2], strict=True))
    assert pairs["type checker: mypy"] == "    from pyproject.toml"
    assert pairs["test runner: pytest"] == "    from pyproject.toml [tool.pytest.ini_options]"
    assert (
        pairs[
            "tox.ini: the stages call pytest directly (its environments would install "
            "from the network)"
        ]
        == "    from tox.ini"
    )
    assert pairs["release tags: v{version}, versions pep440"] == "    from no release tag yet"
    assert not (repo.path / "shipyard.toml").exists()


def test_an_existing_definition_is_never_overwritten_silently(repo: GitRepo) -> None:
    node_project(repo)
    repo.write("shipyard.toml", '[stages.unit]\nrun = "vitest run"\n\n[gates]\nbase = "main"\n')
    before = (repo.path / "shipyard.toml").read_text()
    r = run_cli("init", cwd=repo.path)
    assert r.returncode == 2
    assert r.stderr == (
        "error: shipyard.toml already holds a pipeline definition; it lacks: stages.lint, "
        "stages.typecheck, stages.build, stages.security, stages.secrets, release, hooks, ci, "
        "monitor, notify\n"
        "  hint: `shipyard init --update` adds those parts, --print shows the whole proposal, "
        "--force replaces the definition\n"
    )
    assert (repo.path / "shipyard.toml").read_text() == before
    r = run_cli("init", "--update", cwd=repo.path)
    assert r.returncode == 0, r.stderr
    text = (repo.path / "shipyard.toml").read_text()
    assert text.startswith(before)
    d = definition(repo)
    assert d["stages"]["unit"] == {"run": "vitest run"}  # type: ignore[index]
    assert d["gates"] == {"base": "main"} and d["hooks"] == {"pre-commit": ["lint", "secrets"]}
    again = run_cli("init", "--update", cwd=repo.path)
    assert again.stdout == "shipyard.toml already has every part init proposes\n"
    assert run_cli("init", "--force", cwd=repo.path).returncode == 0
    assert "--coverage.enabled" in definition(repo)["stages"]["unit"]["run"]  # type: ignore[index]


def test_nothing_to_detect(repo: GitRepo) -> None:
    r = run_cli("init", cwd=repo.path)
    assert r.returncode == 2
    assert r.stderr.startswith("error: found no Python (pyproject.toml) or Node (package.json)")


def test_node_with_pnpm_and_name_tags(repo: GitRepo) -> None:
    node_project(repo)
    repo.write("pnpm-lock.yaml", "lockfileVersion: '9.0'\n")
    data = json.loads((repo.path / "package.json").read_text())
    data["types"] = "dist/index.d.ts"
    data["scripts"] = {
        "lint": "eslint . --fix",
        "typecheck": "tsc --noEmit",
        "test:integration": "vitest run tests/integration",
    }
    repo.write("package.json", json.dumps(data))
    repo.commit("chore: scripts")
    repo.tag("demo-ts@1.0.0")
    repo.tag("other@9.9.9")  # another package of the repository
    r = run_cli("init", cwd=repo.path)
    assert r.returncode == 0, r.stderr
    d = definition(repo)
    stages = d["stages"]
    assert isinstance(stages, dict)
    assert list(stages) == [
        "lint",
        "typecheck",
        "build",
        "unit",
        "integration",
        "security",
        "secrets",
    ]
    # the lint script has --fix: eslint runs without it
    # (and never the state folder or the build output: eslint 9 lints dot folders)
    ignored = ". --ignore-pattern .shipyard/ --ignore-pattern dist/"
    assert stages["lint"]["run"] == [
        f"eslint -f json -o eslint.json {ignored} || true",
        f"eslint {ignored}",
    ]
    assert stages["typecheck"]["run"] == "pnpm run typecheck"
    assert stages["build"]["run"] == [
        "tsup",
        "shipyard validate node dist --import dist/index.js --types dist/index.d.ts "
        "--cli dist/cli.js",
    ]
    assert stages["unit"]["run"] == (
        "vitest run --reporter=default --reporter=junit --outputFile.junit=junit.xml "
        "--coverage.enabled --coverage.reportsDirectory=coverage --coverage.reporter=lcov "
        "--coverage.reporter=text-summary"
    )
    assert stages["unit"]["reports"] == {"junit": "junit.xml", "coverage": "coverage/lcov.info"}
    assert stages["integration"]["run"] == "pnpm run test:integration"
    assert stages["integration"]["needs"] == ["build"]
    assert d["release"] == {
        "tag-format": "demo-ts@{version}",
        "scheme": "semver",
        "publish": ["npm"],
    }
    assert d["gates"]["lint"] == {"errors": 0}  # type: ignore[index]


def test_python_loose_tests_beside_integration_and_e2e(repo: GitRepo) -> None:
    python_project(repo)
    repo.write("tests/integration/test_db.py", "def test_db() -> None:\n    pass\n")
    repo.write("tests/e2e/test_flow.py", "def test_flow() -> None:\n    pass\n")
    assert run_cli("init", cwd=repo.path).returncode == 0
    stages = definition(repo)["stages"]
    assert isinstance(stages, dict)
    assert stages["unit"]["run"].startswith(
        "python -m pytest tests --ignore=tests/integration --ignore=tests/e2e "
        "--junitxml=junit-unit.xml --cov"
    )
    assert stages["integration"]["run"] == (
        "python -m pytest tests/integration --junitxml=junit-integration.xml"
    )
    assert stages["e2e"]["needs"] == ["unit"]


def test_a_project_without_tests_is_told_so(repo: GitRepo) -> None:
    repo.write("pyproject.toml", '[project]\nname = "app"\nversion = "1.0"\n')
    repo.write("app.py", "print('hi')\n")
    r = run_cli("init", cwd=repo.path)
    assert r.returncode == 0, r.stderr
    assert "note: tests: none found (no tests/ or test/ folder, no test_*.py)" in r.stderr
    stages = definition(repo)["stages"]
    assert isinstance(stages, dict)
    assert "unit" not in stages and "build" not in stages
    assert definition(repo)["release"]["publish"] == []  # type: ignore[index]


def test_mixed_project_gets_both(repo: GitRepo) -> None:
    python_project(repo)
    node_project(repo)
    assert run_cli("init", cwd=repo.path).returncode == 0
    d = definition(repo)
    assert {"lint", "unit", "node-lint", "node-unit", "node-build"} <= set(d["stages"])  # type: ignore[arg-type]
    assert d["hooks"] == {"pre-commit": ["lint", "node-lint", "secrets"]}
    assert d["release"]["publish"] == ["pypi", "npm"]  # type: ignore[index]


@pytest.mark.parametrize(
    ("given", "package", "expected"),
    [
        ([], None, ("v{version}", None, None)),
        (["v1.0.0", "v1.1.0", "latest"], None, ("v{version}", None, "v1.0.0")),
        (["8.4.2", "8.4.1", "v1.0"], None, ("{version}", None, "8.4.2")),
        (["2.0.0rc1", "1.0.0"], None, ("{version}", "pep440", "2.0.0rc1")),
        (["v2.0.0-rc.1"], None, ("v{version}", "semver", "v2.0.0-rc.1")),
        (
            ["@s/a@1.0.0", "@s/b@2.0.0", "@s/b@2.1.0"],
            "@s/a",
            ("@s/a@{version}", None, "@s/a@1.0.0"),
        ),
    ],
)
def test_tag_styles(
    given: list[str], package: str | None, expected: tuple[str, str | None, str | None]
) -> None:
    style = tags.detect(given, package)
    assert (style.format, style.scheme, style.example) == expected


@pytest.mark.slow
def test_python_sample_end_to_end(repo: GitRepo) -> None:
    """init, then run the real ruff, mypy, pytest+coverage and build: the sample's 67 %
    coverage fails the default gates; `gates = false` would pass; a re-run is cached."""
    python_project(repo)
    assert run_cli("init", cwd=repo.path).returncode == 0
    repo.commit("ci: shipyard")
    r = run_cli("run", "--json", "lint", "typecheck", "unit", "build", cwd=repo.path, timeout=300)
    data = json.loads(r.stdout)
    assert {s["name"]: s["status"] for s in data["stages"]} == {
        "lint": "passed",
        "typecheck": "passed",
        "build": "passed",
        "unit": "passed",
    }
    assert r.returncode == 1 and data["gates_passed"] is False
    log = Path(next(s["log"] for s in data["stages"] if s["name"] == "build")).read_text()
    assert "validate: import demo_pkg: ok" in log and "validate: demo --version: ok" in log
    again = json.loads(run_cli("run", "--json", "lint", "unit", cwd=repo.path).stdout)
    assert {s["status"] for s in again["stages"]} == {"cached"}
    assert again["gates_passed"] is False  # the restored report is judged again


@pytest.mark.node
@pytest.mark.slow
def test_node_sample_end_to_end(repo: GitRepo) -> None:
    if not NODE_MODULES.is_dir():
        pytest.fail("tests/node/node_modules is missing: run `npm ci` in tests/node (.ci/run does)")
    node_project(repo)
    assert run_cli("init", cwd=repo.path).returncode == 0
    r = run_cli("run", "--json", "lint", "typecheck", "build", "unit", cwd=repo.path, timeout=300)
    data = json.loads(r.stdout)
    failed = [
        (s["name"], Path(s["log"]).read_text()) for s in data["stages"] if s["status"] == "failed"
    ]
    assert not failed
    assert (repo.path / "coverage" / "lcov.info").is_file()
    assert (repo.path / "junit.xml").is_file()
    log = Path(next(s["log"] for s in data["stages"] if s["name"] == "build")).read_text()
    assert "validate: ./dist/cli.js --version: ok" in log


def test_benchmarks_get_a_bench_section(repo: GitRepo) -> None:
    python_project(repo)
    text = (repo.path / "pyproject.toml").read_text()
    repo.write("pyproject.toml", text.replace('"mypy"]', '"mypy", "pytest-benchmark"]'))
    repo.write(
        "benchmarks/test_speed.py", "def test_speed(benchmark) -> None:\n    benchmark(sum, [1])\n"
    )
    assert run_cli("init", cwd=repo.path).returncode == 0
    d = definition(repo)
    assert d["bench"] == {
        "base": "main",
        "unit": {
            "command": "python -m pytest benchmarks -q --benchmark-json=.bench-out/bench.json",
            "results": ".bench-out/bench.json",
            "format": "pytest-benchmark",
        },
    }
    assert ".bench-out/" in (repo.path / ".gitignore").read_text()


def test_a_master_repository_writes_master(repo: GitRepo) -> None:
    python_project(repo)
    repo.git("branch", "-m", "main", "master")
    assert run_cli("init", cwd=repo.path).returncode == 0
    d = definition(repo)
    assert d["gates"]["base"] == "master"  # type: ignore[index]
