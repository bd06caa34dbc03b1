"""Fixtures for the security tests: the shared OSV data and the SARIF schema."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

DATA = Path(__file__).parent / "data"
REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED_OSV = REPO_ROOT.parent / "shared" / "osv"
SARIF_SCHEMAS = (
    REPO_ROOT / "tests/node/node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json",
    Path(sys.prefix) / "share/shipyard-tests/sarif-schema-2.1.0.json",
)


@pytest.fixture(scope="session")
def pypi_db() -> Path:
    path = SHARED_OSV / "PyPI-all.zip"
    if not path.is_file():
        pytest.fail(
            f"{path} is missing: the security tests need shared/osv/PyPI-all.zip beside the repo"
        )
    return path


@pytest.fixture(scope="session")
def npm_db() -> Path:
    return DATA / "osv-npm"


@pytest.fixture(scope="session")
def sarif_schema() -> dict[str, Any]:
    for path in SARIF_SCHEMAS:
        if path.is_file():
            return dict(json.loads(path.read_text()))
    pytest.skip("the SARIF 2.1.0 schema is not installed (.ci/setup.d/security.sh fetches it)")
