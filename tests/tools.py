"""Tools some tests drive that neither pyproject's `test` extra nor tests/node installs: system
packages and global npm tools, each installed by a script under .ci/setup.d/ (which `.ci/run`
runs as root).

The README's test command must pass on a fresh machine: there a missing tool skips its tests,
with a reason naming the script that installs it. In CI (`CI=true`) the scripts have run, so a
missing tool is a failure, never a silent skip.
"""

from __future__ import annotations

import os
import shutil
from typing import NoReturn

import pytest

SETUP = {  # tool -> the script under .ci/setup.d/ that installs it
    "chromium": "chromium.sh",
    "zsh": "shells.sh",
    "fish": "shells.sh",
    "pnpm": "init.sh",
    "bun": "init.sh",
}


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() not in ("", "0", "false")


def missing(what: str, script: str) -> NoReturn:
    """Skip (outside CI) or fail (in CI) because `what` is not installed."""
    message = f"{what} is not installed: `sudo bash .ci/setup.d/{script}` installs it"
    if in_ci():
        pytest.fail(message + " (CI runs every .ci/setup.d script first)")
    pytest.skip(message)


def require(name: str) -> str:
    """The path of the tool `name` (a key of SETUP), or skip / fail the test as above."""
    found = shutil.which(name)
    if found is None:
        missing(name, SETUP[name])
    return found
