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
