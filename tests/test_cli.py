from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from shipyard import __version__
from shipyard.cli import COMMANDS
from tests.conftest import run_cli

ROOT = Path(__file__).resolve().parents[1]


def test_version(tmp_path: Path) -> None:
    r = run_cli("--version", cwd=tmp_path)
    assert r.returncode == 0
    assert r.stdout == f"shipyard {__version__}\n"


def test_help_lists_every_command_with_one_line(tmp_path: Path) -> None:
    r = run_cli("--help", cwd=tmp_path)
    assert r.returncode == 0
    for name in COMMANDS:
        assert re.search(rf"^  {name}\s+\S", r.stdout, re.M), name


def test_no_command_is_usage_error(tmp_path: Path) -> None:
    r = run_cli(cwd=tmp_path)
    assert r.returncode == 2
    assert "usage: shipyard" in r.stderr


def test_unknown_command_suggests(tmp_path: Path) -> None:
    r = run_cli("rn", cwd=tmp_path)
    assert r.returncode == 2
    assert r.stderr == "error: unknown command 'rn' (did you mean 'run'?); see `shipyard --help`\n"


def test_every_command_module_imports_and_parses_help(tmp_path: Path) -> None:
    for name in COMMANDS:
        r = run_cli(name, "--help", cwd=tmp_path)
        assert r.returncode == 0, (name, r.stderr)
        assert f"usage: shipyard {name}" in r.stdout


def test_readme_help_block_matches_real_help(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"<!-- help -->\n```text\n(.*?)```", readme, re.S)
    assert block, "README.md must hold the --help output between <!-- help --> markers"
    assert block.group(1) == run_cli("--help", cwd=tmp_path).stdout


def test_version_does_not_import_heavy_modules() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from shipyard.cli import main; main(['--version']); "
        "heavy = {'rich', 'jinja2', 'jsonschema', 'sqlite3', 'packaging', 'tomllib'}; "
        "heavy &= set(sys.modules); "
        "print(sorted(heavy))"
    )
    # without coverage's subprocess hook, which itself imports sqlite3
    env = {k: v for k, v in os.environ.items() if not k.startswith("COVERAGE")}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert out.stdout.strip().endswith("[]")


def test_readme_opens_with_the_two_commands_and_ci_runs_the_second() -> None:
    readme = (ROOT / "README.md").read_text()
    first_block = re.search(r"```bash\n(.*?)```", readme, re.S)
    assert first_block and readme.index(first_block.group(0)) < readme.index("\n## ")
    install_and_run, test = [ln.split("  #")[0].strip() for ln in first_block.group(1).splitlines()]
    assert install_and_run.endswith("&& shipyard run")
    ci = (ROOT / ".ci" / "run").read_text()
    assert f'TEST_COMMAND="{test}"' in ci


def test_an_internal_error_exits_3_and_is_logged_locally(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from shipyard import cli

    monkeypatch.setitem(cli.COMMANDS, "boom", ("tests.boom_command", "fails"))
    assert cli.main(["-C", str(tmp_path), "boom"]) == 3
    err = capsys.readouterr().err
    log = tmp_path / ".shipyard" / "logs" / "error.log"
    assert "RuntimeError: a bug with token=abc" in err
    assert err.rstrip().endswith(f"with {log}")
    record = json.loads(log.read_text().splitlines()[-1])
    assert record["command"] == "boom" and "RuntimeError" in record["traceback"]


def test_unknown_global_option_is_usage_error(tmp_path: Path) -> None:
    r = run_cli("--bogus", "run", cwd=tmp_path)
    assert r.returncode == 2
    assert r.stderr.startswith("error: unknown option '--bogus' before the command\n\nusage:")
