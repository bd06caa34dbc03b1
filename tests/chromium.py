"""Open a page in Debian's headless Chromium through a playwright-core script (a `.cjs` beside
the test) and return what the script saw, as JSON."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from tests.tools import require


def open_page(script: Path, page: Path, shot: Path) -> dict[str, Any]:
    require("chromium")  # Debian's, from .ci/setup.d/chromium.sh
    seen = subprocess.run(
        ["node", str(script), str(page), str(shot)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert seen.returncode == 0, seen.stderr
    found: dict[str, Any] = json.loads(seen.stdout)
    return found
