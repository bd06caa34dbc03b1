"""The own pipeline's lint and typecheck stages, in `.ci/run` too: `shipyard run` fails on a ruff
finding, an unformatted file or a mypy error, so CI must not pass what the README's first
command would refuse."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TREES = ["src", "tests", "benchmarks"]


@pytest.mark.parametrize(
    "args", [["check", "--no-fix", *TREES], ["format", "--check", *TREES]], ids=["check", "format"]
)
def test_ruff_passes_on_the_checkout(args: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ruff", *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_passes_on_the_checkout(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
