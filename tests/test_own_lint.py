"""The own pipeline's lint stage, in `.ci/run` too: `shipyard run` fails on a ruff finding or
an unformatted file, so CI must not pass what the README's first command would refuse."""

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
