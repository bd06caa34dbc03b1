"""`shipyard completion bash|zsh|fish`: the scripts, sourced in the real shells, complete what
the argparse tree accepts."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from shipyard.cli import COMMANDS
from tests.conftest import run_cli
from tests.tools import SETUP, require


def _script(shell: str, tmp_path: Path) -> Path:
    res = run_cli("completion", shell, cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    path = tmp_path / f"shipyard.{shell}"
    path.write_text(res.stdout)
    return path


def _shell(name: str) -> str:
    """bash is everywhere; zsh and fish come from .ci/setup.d/shells.sh (tests/tools.py)."""
    return require(name) if name in SETUP else str(shutil.which(name))


BASH_DRIVER = """
source "$1"
comp() {
  COMP_WORDS=("$@"); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); COMPREPLY=()
  _shipyard
  printf '%s\\n' "${COMPREPLY[*]}"
}
"""

CASES = [
    (["shipyard", "sc"], ["scan", "schema"]),
    (["shipyard", "r"], [c for c in COMMANDS if c.startswith("r")]),
    (["shipyard", "scan", ""], ["deps", "code", "licenses", "sbom", "secrets", "db"]),
    (["shipyard", "scan", "secrets", "--st"], ["--staged"]),
    (["shipyard", "scan", "--format", ""], ["table", "json", "sarif"]),
    (["shipyard", "hook", "run", ""], ["pre-commit", "pre-push", "commit-msg"]),
    (["shipyard", "-C", "/tmp", "comp"], ["completion"]),
    (["shipyard", "completion", ""], ["bash", "zsh", "fish"]),
]


@pytest.mark.parametrize(("words", "expected"), CASES)
def test_bash_completes_commands_options_and_choices(
    tmp_path: Path, words: list[str], expected: list[str]
) -> None:
    script = _script("bash", tmp_path)
    quoted = " ".join(f"'{w}'" for w in words)
    res = subprocess.run(
        [_shell("bash"), "-c", BASH_DRIVER + f"comp {quoted}", "bash", str(script)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert res.stdout.split() == expected


def test_bash_falls_back_to_file_names_for_free_arguments(tmp_path: Path) -> None:
    script = _script("bash", tmp_path)
    (tmp_path / "results.json").write_text("{}")
    res = subprocess.run(
        [
            _shell("bash"),
            "-c",
            BASH_DRIVER + "comp shipyard scan --output res",
            "bash",
            str(script),
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    )
    assert res.stdout.split() == ["results.json"]


def test_fish_completes_from_its_own_complete_builtin(tmp_path: Path) -> None:
    script = _script("fish", tmp_path)
    fish = _shell("fish")

    def complete(line: str) -> list[str]:
        res = subprocess.run(
            [fish, "--no-config", "-c", f"source {script}; complete -C '{line}'"],
            capture_output=True,
            text=True,
            check=True,
        )
        return [ln.split("\t")[0] for ln in res.stdout.splitlines()]

    assert complete("shipyard sc") == ["scan", "schema"]
    assert set(complete("shipyard scan ")) >= {"secrets", "deps", "sbom"}
    assert "--staged" in complete("shipyard scan secrets --st")
    assert complete("shipyard scan --format ") == ["json", "sarif", "table"]
    assert complete("shipyard hook run ") == ["commit-msg", "pre-commit", "pre-push"]


ZSH_DRIVER = """
autoload -U compinit && compinit -u -d "$2/zcompdump"
source "$1"
compadd() { shift; print -l -- "$@" }
_files() { print -- "@files" }
comp() { words=("$@"); CURRENT=$#; _shipyard }
"""


def test_zsh_script_loads_under_compinit_and_completes(tmp_path: Path) -> None:
    script = _script("zsh", tmp_path)
    zsh = _shell("zsh")

    def complete(*words: str) -> list[str]:
        quoted = " ".join(f"'{w}'" for w in words)
        res = subprocess.run(
            [zsh, "-f", "-c", ZSH_DRIVER + f"comp {quoted}", "zsh", str(script), str(tmp_path)],
            capture_output=True,
            text=True,
            check=True,
        )
        return res.stdout.split()

    assert "scan" in complete("shipyard", "sc")
    assert complete("shipyard", "scan", "--format", "") == ["table", "json", "sarif"]
    assert complete("shipyard", "hook", "run", "") == ["pre-commit", "pre-push", "commit-msg"]
    assert complete("shipyard", "scan", "--output", "") == ["@files"]
