"""`shipyard scan db update` against a local HTTP server laid out like OSV's bucket (staleness:
test_fail_closed.py)."""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.security.conftest import DATA


@pytest.fixture
def bucket(tmp_path: Path, npm_db: Path) -> Iterator[str]:
    root = tmp_path / "bucket"
    (root / "npm").mkdir(parents=True)
    shutil.make_archive(str(root / "npm" / "all"), "zip", npm_db)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *a: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


def test_update_downloads_then_deps_uses_it(tmp_path: Path, bucket: str) -> None:
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(DATA / "lockfiles" / "package-lock.json", project / "package-lock.json")
    res = run_cli("scan", "db", "update", "--ecosystem", "npm", "--url", bucket, cwd=project)
    assert res.returncode == 0, res.stderr
    assert res.stdout == f"npm: 2 advisories -> {project / '.shipyard/osv/npm.zip'}\n"
    res = run_cli("scan", "deps", cwd=project)
    assert res.returncode == 1
    assert "GHSA-jf85-cpcp-j695" in res.stdout and res.stderr == ""


def test_the_database_lives_in_shipyard_home(tmp_path: Path, bucket: str) -> None:
    """SHIPYARD_HOME moves the state folder, the advisory database with it (--json report)."""
    project, home = tmp_path / "project", tmp_path / "state"
    project.mkdir()
    shutil.copy(DATA / "lockfiles" / "package-lock.json", project / "package-lock.json")
    env = {"SHIPYARD_HOME": str(home)}
    args = ("scan", "db", "update", "--ecosystem", "npm", "--url", bucket, "--json")
    res = run_cli(*args, cwd=project, env=env)
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout) == {
        "schema_version": 1,
        "folder": str(home / "osv"),
        "databases": [{"ecosystem": "npm", "advisories": 2, "path": str(home / "osv/npm.zip")}],
    }
    assert not (project / ".shipyard").exists()
    res = run_cli("scan", "deps", "--json", cwd=project, env=env)
    assert res.returncode == 1 and "GHSA-jf85-cpcp-j695" in res.stdout


def test_update_failure_is_clear(tmp_path: Path, bucket: str) -> None:
    res = run_cli("scan", "db", "update", "--ecosystem", "PyPI", "--url", bucket, cwd=tmp_path)
    assert res.returncode == 2
    assert res.stderr == (
        f"error: cannot download {bucket}/PyPI/all.zip: HTTP 404 File not found\n"
        "  hint: without network, copy OSV all.zip files into the folder and pass --db\n"
    )
