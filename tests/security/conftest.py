"""Fixtures for the security tests: the shared OSV data and the SARIF schema."""

from __future__ import annotations

import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

DATA = Path(__file__).parent / "data"
REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED_OSV = REPO_ROOT.parent / "shared" / "osv"
# the official SARIF 2.1.0 schema, as the npm package @microsoft/jest-sarif ships it (tests/node)
SARIF_SCHEMA = (
    REPO_ROOT / "tests/node/node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"
)


def refreshed(source: Path, dest: Path) -> Path:
    """A copy of an OSV zip or folder whose records all say `modified`: now, as a database
    synced today would; the snapshots in the repository are older than any max_age."""
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    def fresh(data: bytes) -> bytes:
        return json.dumps({**json.loads(data), "modified": now}).encode()

    if source.is_dir():
        dest.mkdir()
        for path in source.glob("*.json"):
            (dest / path.name).write_bytes(fresh(path.read_bytes()))
        return dest
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(dest, "w") as new:
        for name in old.namelist():
            new.writestr(name, fresh(old.read(name)))
    return dest


@pytest.fixture(scope="session")
def stale_pypi_db() -> Path:
    """The snapshot as it is: its newest record is from 2024-10-10."""
    path = SHARED_OSV / "PyPI-all.zip"
    if not path.is_file():
        pytest.fail(
            f"{path} is missing: the security tests need shared/osv/PyPI-all.zip beside the repo"
        )
    return path


@pytest.fixture(scope="session")
def pypi_db(stale_pypi_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return refreshed(stale_pypi_db, tmp_path_factory.mktemp("osv") / "PyPI-all.zip")


@pytest.fixture(scope="session")
def npm_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return refreshed(DATA / "osv-npm", tmp_path_factory.mktemp("osv") / "npm")


@pytest.fixture(scope="session")
def sarif_schema() -> dict[str, Any]:
    if not SARIF_SCHEMA.is_file():
        pytest.fail(f"{SARIF_SCHEMA} is missing: run `npm ci --prefix tests/node`")
    return dict(json.loads(SARIF_SCHEMA.read_text()))
