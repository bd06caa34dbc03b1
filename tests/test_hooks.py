"""`shipyard hook`: a real git hook that runs pipeline stages on commit."""

from __future__ import annotations

import subprocess

from tests.conftest import GitRepo, run_cli

DEFINITION = """
[stages.lint]
run = "! grep -rn FIXME src"
inputs = ["src/**"]
[stages.docs]
run = "touch docs-ran"
inputs = ["docs/**"]
[hooks]
pre-commit = ["lint", "docs"]
"""


def commit(repo: GitRepo, message: str) -> subprocess.CompletedProcess[str]:
    repo.git("add", "-A")
    return subprocess.run(
        ["git", "commit", "-qm", message], cwd=repo.path, capture_output=True, text=True
    )


def test_pre_commit_hook_blocks_a_bad_commit_and_runs_only_relevant_stages(repo: GitRepo) -> None:
    repo.write("shipyard.toml", DEFINITION)
    repo.write("src/a.py", "x = 1\n")
    repo.commit("init")
    r = run_cli("hook", "install", cwd=repo.path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.endswith("runs lint, docs\n")
    repo.write("src/a.py", "x = 1  # FIXME\n")
    blocked = commit(repo, "bad")
    assert blocked.returncode != 0
    assert "✗ lint failed" in blocked.stdout + blocked.stderr
    assert not (repo.path / "docs-ran").exists()  # no staged file concerns docs
    repo.write("src/a.py", "x = 2\n")
    assert commit(repo, "good").returncode == 0
    assert repo.git("log", "-1", "--format=%s").strip() == "good"


def test_install_refuses_a_foreign_hook_and_uninstall_removes_ours(repo: GitRepo) -> None:
    repo.write("shipyard.toml", DEFINITION)
    hook = repo.path / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho mine\n")
    r = run_cli("hook", "install", cwd=repo.path)
    assert (r.returncode, r.stderr) == (
        2,
        f"error: {hook} exists and was not written by shipyard\n"
        "  hint: move it aside, or use --force to replace it\n",
    )
    assert run_cli("hook", "install", "--force", cwd=repo.path).returncode == 0
    assert run_cli("hook", "uninstall", cwd=repo.path).stdout == "removed the pre-commit hook\n"
    assert not hook.exists()


def test_hooks_naming_no_stage_is_a_config_error(repo: GitRepo) -> None:
    repo.write("shipyard.toml", '[stages.lint]\nrun = "true"\n[hooks]\npre-commit = ["lnt"]\n')
    r = run_cli("hook", "install", cwd=repo.path)
    assert (r.returncode, r.stderr) == (
        2,
        f"error: {repo.path / 'shipyard.toml'}: hooks.pre-commit: names no stage: 'lnt'\n",
    )


def test_pre_commit_checks_what_is_staged_not_the_work_tree(repo: GitRepo) -> None:
    repo.write("shipyard.toml", DEFINITION)
    repo.write("src/a.py", "x = 1\n")
    repo.write("src/b.py", "y = 1\n")
    repo.commit("init")
    assert run_cli("hook", "install", cwd=repo.path).returncode == 0
    repo.write("src/a.py", "x = 2\n")
    repo.git("add", "src/a.py")
    repo.write("src/b.py", "y = 1  # FIXME unstaged work in progress\n")
    ok = subprocess.run(
        ["git", "commit", "-qm", "a"], cwd=repo.path, capture_output=True, text=True
    )
    assert ok.returncode == 0, ok.stdout + ok.stderr  # the unstaged FIXME is not committed
    assert (repo.path / "src/b.py").read_text() == "y = 1  # FIXME unstaged work in progress\n"
    assert repo.git("status", "--porcelain").splitlines() == [" M src/b.py"]
    # and the other way round: a staged FIXME fixed only in the work tree is still caught
    repo.write("src/b.py", "y = 1  # FIXME\n")
    repo.git("add", "src/b.py")
    repo.write("src/b.py", "y = 3\n")
    blocked = subprocess.run(["git", "commit", "-qm", "b"], cwd=repo.path, capture_output=True)
    assert blocked.returncode != 0
    assert (repo.path / "src/b.py").read_text() == "y = 3\n"  # the unstaged edit came back
    assert repo.git("diff", "--cached", "--name-only").split() == ["src/b.py"]


def test_staged_commands_get_only_the_staged_files(repo: GitRepo) -> None:
    """Existing debt in a file nobody touches does not block a commit (lint-staged style)."""
    repo.write(
        "shipyard.toml",
        '[stages.lint]\nrun = "true"\n[hooks]\npre-commit = []\n'
        '[hooks.staged]\n"src/**/*.py" = "! grep -n FIXME"\n',
    )
    repo.write("src/old.py", "debt = 1  # FIXME from years ago\n")
    repo.write("docs/x.md", "FIXME\n")
    repo.commit("init")
    assert run_cli("hook", "install", cwd=repo.path).returncode == 0
    repo.write("src/new.py", "fresh = 1\n")
    repo.write("docs/x.md", "FIXME again\n")  # not matched by the glob
    ok = commit(repo, "new")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "✓ ! grep -n FIXME (1 staged file)" in ok.stdout + ok.stderr
    repo.write("src/new.py", "fresh = 2  # FIXME\n")
    blocked = commit(repo, "bad")
    assert blocked.returncode != 0
    assert repo.git("log", "-1", "--format=%s").strip() == "new"
    assert "fresh = 2  # FIXME" in blocked.stdout + blocked.stderr
    assert "`! grep -n FIXME` failed on the staged files" in blocked.stderr


def test_husky_keeps_its_hooks_and_is_shown_the_line_to_add(repo: GitRepo) -> None:
    """A Node project with husky 9's layout: core.hooksPath = .husky/_, user hooks in .husky/."""
    import sys

    repo.write("shipyard.toml", DEFINITION)
    repo.write("src/a.py", "x = 1\n")
    repo.write(".husky/_/pre-commit", '#!/bin/sh\nexec sh "$(dirname "$0")/../pre-commit" "$@"\n')
    (repo.path / ".husky/_/pre-commit").chmod(0o755)
    repo.write(".husky/pre-commit", "npm test\n")
    repo.git("config", "core.hooksPath", ".husky/_")
    repo.commit("init")
    r = run_cli("hook", "install", cwd=repo.path)
    line = f'{sys.executable} -m shipyard hook run pre-commit "$@"'
    assert (r.returncode, r.stderr) == (
        2,
        "error: this repository's git hooks are managed by husky; shipyard leaves them alone\n"
        f"  hint: add this line to .husky/pre-commit:\n    {line}\n"
        "  or use --force to install into the hooks folder anyway\n",
    )
    assert (repo.path / ".husky/_/pre-commit").read_text().startswith("#!/bin/sh\nexec sh")
    repo.write(".husky/pre-commit", line + "\n")  # what the maintainer does with the hint
    repo.commit("husky runs shipyard")
    repo.write("src/a.py", "x = 1  # FIXME\n")
    blocked = commit(repo, "bad")
    assert blocked.returncode != 0 and "✗ lint failed" in blocked.stdout + blocked.stderr


def test_hook_runs_are_listed_but_not_counted_as_pipeline_runs(repo: GitRepo) -> None:
    import json

    repo.write("shipyard.toml", DEFINITION)
    repo.write("src/a.py", "x = 1\n")
    repo.commit("init")
    assert run_cli("hook", "install", cwd=repo.path).returncode == 0
    repo.write("src/a.py", "x = 1  # FIXME\n")
    assert commit(repo, "bad").returncode != 0  # a failed pre-commit run
    listed = json.loads(run_cli("runs", "--json", cwd=repo.path).stdout)["runs"]
    assert [r["trigger"] for r in listed] == ["hook:pre-commit"]
    metrics = json.loads(run_cli("metrics", "--json", cwd=repo.path).stdout)
    assert metrics["pipeline"]["runs"] == 0
    from shipyard.pipeline.history import finished_runs, latest_on, latest_run
    from shipyard.store import Store

    store = Store(repo.path)  # what monitor's pipeline check and the health endpoint read
    assert (finished_runs(store), latest_on(store, "main"), latest_run(store)) == ([], None, None)
    run_cli("run", "lint", cwd=repo.path)  # a real pipeline run counts
    assert [r.passed for r in finished_runs(store)] == [False]


def test_a_hook_run_on_the_same_commit_does_not_hide_the_build_time(repo: GitRepo) -> None:
    import json
    import sqlite3

    definition = DEFINITION + (
        '[stages.build]\nrun = "mkdir -p dist && cp -r src dist/"\n'
        'inputs = ["src/**"]\nreports = { bundle = "dist" }\n[gates]\n'
    )
    repo.write("shipyard.toml", definition)
    repo.write("src/a.py", "x = 1\n")
    repo.commit("init")
    assert run_cli("run", cwd=repo.path).returncode == 0
    assert run_cli("hook", "install", cwd=repo.path).returncode == 0
    repo.write("src/a.py", "x = 1  # FIXME\n")
    assert commit(repo, "bad").returncode != 0  # a hook run recorded on the same HEAD
    db = sqlite3.connect(repo.path / ".shipyard" / "shipyard.db")
    runs = db.execute("SELECT id, trigger FROM runs ORDER BY id").fetchall()
    (built,) = db.execute("SELECT duration FROM stage_results WHERE run_id = 1 AND name = 'build'")
    db.close()
    assert [t for _, t in runs][1:] == ["hook:pre-commit"]
    r = run_cli("gate", "--format", "json", cwd=repo.path)
    gates = {g["gate"]: g for g in json.loads(r.stdout)["gates"]}
    assert gates["build.time"]["status"] == "passed", r.stdout + r.stderr
    assert gates["build.time"]["actual"] == built[0]  # the pipeline run's build, not the hook's
