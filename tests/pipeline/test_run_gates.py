"""`shipyard run` evaluates the gates with the plan's defaults as soon as a stage declares a
report, and judges only the reports this run wrote or restored from its cache."""

from __future__ import annotations

import json

from tests.conftest import GitRepo, run_cli


def lcov(hit: int, total: int) -> str:
    """An lcov report of one file with `hit` of `total` lines covered."""
    lines = "".join(f"DA:{n},{1 if n <= hit else 0}\n" for n in range(1, total + 1))
    return f"SF:src/a.py\n{lines}LF:{total}\nLH:{hit}\nend_of_record\n"


def project(repo: GitRepo, hit: int, extra: str = "", top: str = "") -> None:
    """A unit stage that writes coverage.lcov (from the tracked template) and no [gates]."""
    repo.write("src/a.py", "x = 1\n" * 10)
    repo.write("template.lcov", lcov(hit, 10))
    repo.write(".gitignore", ".shipyard/\ncoverage.lcov\nruff.json\n")
    repo.write(
        "shipyard.toml",
        top + "[stages.unit]\n"
        'run = "cp template.lcov coverage.lcov"\n'
        'inputs = ["template.lcov"]\n'
        'outputs = ["coverage.lcov"]\n'
        'reports = { coverage = "coverage.lcov" }\n' + extra,
    )
    repo.commit("init")


def test_defaults_apply_without_a_gates_section(repo: GitRepo) -> None:
    project(repo, hit=4)
    r = run_cli("run", cwd=repo.path)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "coverage.lines" in r.stdout and "quality gates failed" in r.stdout
    # the cache hit restores the report, and the restored report is judged again
    again = run_cli("run", "--json", cwd=repo.path)
    assert again.returncode == 1
    data = json.loads(again.stdout)
    assert [s["status"] for s in data["stages"]] == ["cached"]
    assert data["gates_passed"] is False


def test_gates_false_turns_them_off(repo: GitRepo) -> None:
    project(repo, hit=4, top="gates = false\n")
    r = run_cli("run", cwd=repo.path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "quality gates" not in r.stdout
    r = run_cli("gate", cwd=repo.path)
    assert (r.returncode, r.stdout) == (
        0,
        "the gates are turned off (`gates = false` in the definition)\n",
    )


def test_gates_must_be_a_table_or_false(repo: GitRepo) -> None:
    project(repo, hit=9, top='gates = "off"\n')
    r = run_cli("run", cwd=repo.path)
    assert r.returncode == 2
    assert "shipyard.toml: gates: expected a table, or false to turn the gates off" in r.stderr


def test_a_section_changes_thresholds(repo: GitRepo) -> None:
    project(repo, hit=4, extra="[gates.coverage]\nlines = 40\nchanged-lines = false\n")
    r = run_cli("run", cwd=repo.path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "quality gates passed" in r.stdout


def test_a_report_the_stage_did_not_rewrite_is_not_judged(repo: GitRepo) -> None:
    """A failing report left by an earlier run neither blocks nor passes this one."""
    project(repo, hit=4)
    assert run_cli("run", cwd=repo.path).returncode == 1
    stale = (repo.path / "coverage.lcov").read_text()
    text = (repo.path / "shipyard.toml").read_text()
    repo.write("shipyard.toml", text.replace("cp template.lcov coverage.lcov", "true"))
    repo.commit("stop writing the report")
    r = run_cli("run", cwd=repo.path)
    assert (repo.path / "coverage.lcov").read_text() == stale  # still there, still failing
    assert r.returncode == 0, r.stdout + r.stderr
    assert "coverage.lcov (stage unit) was not rewritten by this run: not judged" in r.stderr
    history = json.loads(
        run_cli("gate", "--history", "1", "--format", "json", cwd=repo.path).stdout
    )["evaluations"]
    assert history[0]["passed"]


def test_conventional_and_unrun_reports_are_not_judged(repo: GitRepo) -> None:
    project(
        repo,
        hit=9,
        extra='[stages.lint]\nrun = "true"\nreports = { lint = "ruff.json" }\n',
    )
    # a failing report of a stage left out of the run, and one at a conventional path
    repo.write(
        "ruff.json",
        json.dumps(
            [
                {
                    "code": "F401",
                    "message": "unused",
                    "filename": "a.py",
                    "location": {"row": 1, "column": 1},
                }
            ]
        ),
    )
    repo.write("coverage.xml", '<coverage line-rate="0.1" branch-rate="0.1"></coverage>\n')
    r = run_cli("run", "unit", cwd=repo.path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "quality gates passed" in r.stdout
    # `shipyard gate` on its own still reads every declared report
    assert run_cli("gate", cwd=repo.path).returncode == 1


def test_the_pre_commit_hook_judges_only_its_stages_reports(repo: GitRepo) -> None:
    project(
        repo,
        hit=4,
        extra='[stages.lint]\nrun = "echo [] > ruff.json"\ninputs = ["src/**"]\n'
        'reports = { lint = "ruff.json" }\n[hooks]\npre-commit = ["lint"]\n',
    )
    assert run_cli("run", cwd=repo.path).returncode == 1  # coverage 40 % fails the run
    repo.write("src/a.py", "x = 2\n" * 10)
    repo.git("add", "src/a.py")
    r = run_cli("hook", "run", "pre-commit", cwd=repo.path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "quality gates passed" in r.stdout
    assert "coverage.lines" in r.stdout and "n/a: no coverage report" in r.stdout


def test_a_cache_hit_brings_back_reports_not_listed_as_outputs(repo: GitRepo) -> None:
    # a fresh CI checkout with .shipyard/cache restored: the stage is a hit, and its report
    # (declared under `reports` only) must come back with it for the gates to judge
    repo.write("src/a.py", "x = 1\n" * 10)
    repo.write("template.lcov", lcov(9, 10))
    repo.write(".gitignore", ".shipyard/\ncoverage.lcov\n")
    repo.write(
        "shipyard.toml",
        '[stages.unit]\nrun = "cp template.lcov coverage.lcov"\ninputs = ["template.lcov"]\n'
        'reports = { coverage = "coverage.lcov" }\n',
    )
    repo.commit("init")
    assert run_cli("run", cwd=repo.path).returncode == 0
    (repo.path / "coverage.lcov").unlink()
    again = run_cli("run", "--json", cwd=repo.path)
    assert again.returncode == 0, again.stdout + again.stderr
    data = json.loads(again.stdout)
    assert [s["status"] for s in data["stages"]] == ["cached"]
    assert data["gates_passed"] is True
    assert (repo.path / "coverage.lcov").read_text() == lcov(9, 10)
