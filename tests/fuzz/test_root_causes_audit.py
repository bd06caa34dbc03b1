"""Issue 13's root causes that had no test of their own through the real `shipyard` process
(an audit of "a test per root cause"): each drives the console entry point in a subprocess and
checks the contract: exit 2 naming the file and the place, or the right exit code, and never a
traceback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CliResult, GitRepo, run_cli
from tests.monitor.servers import Recorded, Routes, http_server


def clean(r: CliResult, *codes: int) -> CliResult:
    assert "Traceback" not in r.stderr, r.stderr
    assert r.returncode in codes, (r.returncode, r.stdout[-500:], r.stderr[-1000:])
    return r


def named(r: CliResult, *parts: str) -> None:
    clean(r, 2)
    for part in parts:
        assert part in r.stderr, (part, r.stderr)


# every command that reads the definition: the issue saw UnicodeDecodeError in each of them
COMMANDS = [
    ["run"],
    ["run", "--dry-run"],
    ["gate"],
    ["ci", "generate"],
    ["metrics"],
    ["scan", "secrets"],
    ["monitor"],
    ["version"],
    ["changelog", "--stdout"],
    ["release", "--dry-run"],
    ["report", "--html", "-o", "r.html"],
    ["bench", "run"],
    ["hook", "install"],
]


@pytest.mark.parametrize("argv", COMMANDS, ids=" ".join)
def test_non_utf8_definition_for_every_command(repo: GitRepo, argv: list[str]) -> None:
    repo.write("README.md", "x\n")
    repo.commit("feat: one")
    (repo.path / "shipyard.toml").write_bytes(b'[stages.a]\nrun = "true"\n# caf\xe9\n')
    named(
        run_cli(*argv, cwd=repo.path),
        str(repo.path / "shipyard.toml"),
        "not UTF-8 text: byte 0xe9 at byte offset 29 (line 3)",
    )


def test_tool_scalar_in_pyproject_beside_a_definition(repo: GitRepo) -> None:
    """`tool = 1` was a TypeError; it is not a [tool.shipyard] table, so shipyard.toml is used."""
    repo.write("pyproject.toml", "tool = 1\n")
    repo.write("shipyard.toml", '[stages.a]\nrun = "true"\n')
    assert "a: run" in clean(run_cli("run", "--dry-run", cwd=repo.path), 0).stdout


def test_long_stage_name_in_ci_generate(repo: GitRepo) -> None:
    """10,000 characters: ENAMETOOLONG in the log path and a YAML ScannerError in `ci`."""
    repo.write("shipyard.toml", "[stages." + "a" * 10_000 + ']\nrun = "true"\n')
    for argv in (["ci", "generate"], ["run"]):
        named(run_cli(*argv, cwd=repo.path), str(repo.path / "shipyard.toml"), "at most 100")
    assert not (repo.path / ".github").exists()


@pytest.mark.parametrize("argv", [["metrics"], ["metrics", "--json"]])
def test_metrics_without_commits(repo: GitRepo, argv: list[str]) -> None:
    """An empty repository (exit 3 before): the KPIs are reported with nothing measured."""
    repo.write("shipyard.toml", '[stages.a]\nrun = "true"\n')
    r = clean(run_cli(*argv, cwd=repo.path), 0, 1)
    if "--json" in argv:
        data = json.loads(r.stdout)
        assert data["dora"]["deployments"] == 0 and data["pipeline"]["runs"] == 0
        assert "no release tag in the last 30 days" in data["notes"]
    else:
        assert "Deployment frequency" in r.stdout


def test_pnpm_packages_scalar_through_scan_deps(tmp_path: Path) -> None:
    (tmp_path / "pnpm-lock.yaml").write_text("lockfileVersion: '9.0'\npackages: 5\n")
    (tmp_path / "db").mkdir()
    named(
        run_cli("scan", "deps", "--db", "db", cwd=tmp_path),
        "pnpm-lock.yaml",
        "`packages` is not a mapping",
    )


def test_deep_package_lock_v1_through_scan_deps(tmp_path: Path) -> None:
    depth = 3000
    text = "".join(f'{{"p{i}": {{"version": "1.0.0", "dependencies": ' for i in range(depth))
    (tmp_path / "package-lock.json").write_text(
        '{"lockfileVersion": 1, "dependencies": ' + text + "{}" + "}}" * depth + "}"
    )
    (tmp_path / "db").mkdir()
    named(
        run_cli("scan", "deps", "--db", "db", cwd=tmp_path),
        "package-lock.json",
        "nested too deeply",
    )


def test_report_read_error_through_gate(tmp_path: Path) -> None:
    (tmp_path / "shipyard.toml").write_text(
        '[stages.check]\nrun = "true"\nreports = { junit = "j.xml" }\n\n[gates]\n'
    )
    (tmp_path / "j.xml").mkdir()
    named(run_cli("gate", cwd=tmp_path), "j.xml", "is a folder")


class HealthAndHook(Routes):
    """A health endpoint answering `body`, and a chat webhook that records the alert."""

    def __init__(self, body: Any) -> None:
        super().__init__()
        self.body = body

    def answer(self, rec: Recorded) -> tuple[int, Any, dict[str, str]]:
        if rec.path.startswith("/hooks/"):
            return 200, {"ok": True}, {}
        return 200, self.body, {}


@pytest.mark.parametrize("body", [[], "ok"])
def test_monitor_answer_of_the_wrong_shape_still_alerts(repo: GitRepo, body: Any) -> None:
    """The AttributeError on `[]` / `"ok"` ended the run before any alert was sent."""
    app = HealthAndHook(body)
    with http_server(app) as base:
        repo.write(
            "shipyard.toml",
            '[stages.a]\nrun = "true"\n\n'
            f'[monitor.health]\nurls = ["{base}/health"]\n\n[notify.slack]\n',
        )
        repo.commit("init")
        env = {"SLACK_WEBHOOK": f"{base}/hooks/T000/B000/secret"}
        r = clean(run_cli("monitor", "--notify", cwd=repo.path, env=env), 1)
    assert any(q.path.startswith("/hooks/") for q in app.requests), (r.stdout, app.requests)
    assert "slack: sent" in r.stdout, r.stdout


RESTORE_INTERRUPTED = """
import signal, sys
import shipyard.cli as cli
real, first = signal.signal, []
def restore_interrupted(signum, handler):
    answer = real(signum, handler)
    if signum == signal.SIGTERM:
        if not first:
            first.append(answer)
        elif handler is first[0]:  # main's restore of the caller's handler
            raise KeyboardInterrupt
    return answer
signal.signal = restore_interrupted
print(cli.main(["-C", sys.argv[1], "run", "--dry-run"]))
"""


def test_interrupt_while_main_restores_the_sigterm_handler(tmp_path: Path) -> None:
    """The last moment of `main`: a signal landing as it puts the caller's SIGTERM handler back
    escaped as a traceback (seen under load by the every-step interrupt test)."""
    import subprocess
    import sys

    (tmp_path / "shipyard.toml").write_text('[stages.a]\nrun = "true"\n')
    done = subprocess.run(
        [sys.executable, "-c", RESTORE_INTERRUPTED, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (done.returncode, done.stdout.splitlines()[-1:], done.stderr) == (
        0,
        ["130"],
        "interrupted\n",
    ), done.stderr
