"""Colour follows NO_COLOR / FORCE_COLOR / CLICOLOR_FORCE, so CI logs (not a terminal) can have
colour when asked and a terminal can do without it."""

from __future__ import annotations

import pytest

from tests.conftest import GitRepo, run_cli

GREEN_PASS = "\x1b[32m✓ ok passed\x1b[0m"
RED_FAIL = "\x1b[31m✗ bad failed\x1b[0m"


def _pipeline(repo: GitRepo) -> None:
    repo.write(
        "shipyard.toml",
        '[stages.ok]\nrun = "true"\n\n[stages.bad]\nrun = "false"\ncritical = false\n',
    )
    repo.commit("init")


@pytest.mark.parametrize(
    "env",
    [{"FORCE_COLOR": "1"}, {"FORCE_COLOR": "true"}, {"CLICOLOR_FORCE": "1"}],
)
def test_forced_colour_paints_stage_lines_in_a_pipe(repo: GitRepo, env: dict[str, str]) -> None:
    _pipeline(repo)
    res = run_cli("run", "--no-cache", cwd=repo.path, env=env)
    assert res.returncode == 0, res.stderr
    assert GREEN_PASS in res.stdout
    assert RED_FAIL in res.stdout


@pytest.mark.parametrize(
    "env",
    [
        {},
        {"FORCE_COLOR": "0"},
        {"NO_COLOR": "1", "FORCE_COLOR": "1"},
        {"CLICOLOR_FORCE": "0"},
        {"CLICOLOR": "0", "CLICOLOR_FORCE": "0"},
    ],
)
def test_no_colour_unless_asked_in_a_pipe(repo: GitRepo, env: dict[str, str]) -> None:
    _pipeline(repo)
    res = run_cli("run", "--no-cache", cwd=repo.path, env=env)
    assert res.returncode == 0, res.stderr
    assert "\x1b[" not in res.stdout + res.stderr
    assert "✓ ok passed" in res.stdout
