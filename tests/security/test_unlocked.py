"""Declared but not locked: `[project] dependencies`, a package.json alone and Pipfile.lock are
resolved (pip --dry-run --report from a local wheel folder, npm --package-lock-only against a
registry on 127.0.0.1) and checked, or fail the gate as unchecked; never "0 dependencies"."""

from __future__ import annotations

import base64
import functools
import hashlib
import http.server
import io
import json
import tarfile
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from tests.conftest import run_cli


def _wheel(folder: Path, name: str, version: str) -> None:
    """A minimal valid wheel: enough metadata for pip to resolve it (nothing is installed)."""
    info = f"{name}-{version}.dist-info"
    files = {
        f"{info}/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
        f"{info}/WHEEL": "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\n"
        "Tag: py3-none-any\n",
        f"{name}/__init__.py": "",
    }
    record = "".join(f"{path},,\n" for path in files) + f"{info}/RECORD,,\n"
    with zipfile.ZipFile(folder / f"{name}-{version}-py3-none-any.whl", "w") as whl:
        for path, text in {**files, f"{info}/RECORD": record}.items():
            whl.writestr(path, text)


@pytest.fixture
def wheels(tmp_path: Path) -> dict[str, str]:
    """A local package index (a folder of wheels) as pip's own environment variables name it."""
    folder = tmp_path / "wheels"
    folder.mkdir()
    _wheel(folder, "requests", "2.19.0")
    return {"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(folder)}


def _deps(cwd: Path, db: Path, env: dict[str, str] | None = None) -> tuple[int, dict]:
    res = run_cli("scan", "deps", "--db", str(db), "--format", "json", cwd=cwd, env=env)
    assert res.returncode in (0, 1), res.stderr
    return res.returncode, json.loads(res.stdout)["scanners"][0]


@pytest.mark.slow  # pip resolves in a subprocess, several seconds
def test_pyproject_dependencies_are_resolved_by_pip(
    tmp_path: Path, pypi_db: Path, wheels: dict[str, str]
) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text(
        '[project]\nname = "app"\nversion = "1.0"\ndependencies = ["requests<2.20"]\n'
    )
    rc, report = _deps(project, pypi_db, wheels)
    assert rc == 1
    assert ("requests", "PYSEC-2018-28", "pyproject.toml (resolved by pip)") in {
        (f["detail"]["package"], f["rule"], f["file"]) for f in report["findings"]
    }
    assert report["skipped"] == []


@pytest.mark.slow  # pip resolves in a subprocess, several seconds
def test_unresolvable_declaration_fails_as_unchecked(
    tmp_path: Path, pypi_db: Path, wheels: dict[str, str]
) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "app"\nversion = "1.0"\ndependencies = ["not-on-the-index>=1"]\n'
    )
    rc, report = _deps(tmp_path, pypi_db, wheels)
    assert rc == 1
    (skipped,) = report["skipped"]
    assert skipped["what"] == "pyproject.toml (declared)"
    assert skipped["reason"].startswith(
        "declared without a lockfile and pip could not resolve it: "
    )
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "app"\nversion = "1.0"\ndynamic = ["dependencies"]\n'
    )
    rc, report = _deps(tmp_path, pypi_db, wheels)
    assert rc == 1 and report["skipped"][0]["reason"].startswith("the dependencies are dynamic")


@pytest.mark.slow  # pip resolves in a subprocess, several seconds
def test_setup_files_and_poetry_without_a_lock(
    tmp_path: Path, pypi_db: Path, wheels: dict[str, str]
) -> None:
    (tmp_path / "setup.cfg").write_text("[options]\ninstall_requires =\n    requests<2.20\n")
    rc, report = _deps(tmp_path, pypi_db, wheels)
    assert rc == 1
    assert {(f["rule"], f["file"]) for f in report["findings"]} >= {
        ("PYSEC-2018-28", "setup.cfg (resolved by pip)")
    }
    (tmp_path / "setup.cfg").unlink()
    (tmp_path / "setup.py").write_text("from setuptools import setup\nsetup(name='x')\n")
    rc, report = _deps(tmp_path, pypi_db, wheels)
    assert rc == 1 and [s["what"] for s in report["skipped"]] == ["setup.py (declared)"]
    (tmp_path / "shipyard.toml").write_text('[scan.deps]\nallow-unchecked = ["setup.py"]\n')
    assert _deps(tmp_path, pypi_db, wheels)[0] == 0
    (tmp_path / "setup.py").unlink()
    (tmp_path / "pyproject.toml").write_text(
        '[tool.poetry]\nname = "x"\n[tool.poetry.dependencies]\npython = "^3.11"\nrequests = "*"\n'
    )
    rc, report = _deps(tmp_path, pypi_db, wheels)
    assert rc == 1
    assert report["skipped"][0]["reason"].startswith("Poetry dependencies without poetry.lock")


def test_pipfile_lock_is_read(tmp_path: Path, pypi_db: Path) -> None:
    (tmp_path / "Pipfile.lock").write_text(
        json.dumps(
            {
                "_meta": {"hash": {"sha256": "0"}, "pipfile-spec": 6},
                "default": {"requests": {"hashes": [], "version": "==2.19.0"}},
                "develop": {"mylib": {"editable": True, "path": "."}},
            }
        )
    )
    rc, report = _deps(tmp_path, pypi_db)
    assert rc == 1
    assert ("requests", "PYSEC-2018-28") in {
        (f["detail"]["package"], f["rule"]) for f in report["findings"]
    }
    assert [s["what"] for s in report["skipped"]] == ["mylib (Pipfile.lock)"]


def _tarball(name: str, version: str) -> bytes:
    manifest = json.dumps({"name": name, "version": version}).encode()
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        member = tarfile.TarInfo("package/package.json")
        member.size = len(manifest)
        tar.addfile(member, io.BytesIO(manifest))
    return buffer.getvalue()


class _Registry(http.server.BaseHTTPRequestHandler):
    """The two endpoints npm needs from a registry: a packument and a tarball."""

    packages: ClassVar[dict[str, dict[str, bytes]]] = {}

    def do_GET(self) -> None:
        name = self.path.lstrip("/").split("/-/")[0].replace("%2f", "/")
        versions = self.packages.get(name)
        if versions is None:
            self.send_error(404)
            return
        if "/-/" in self.path:
            body = versions[self.path.rsplit("-", 1)[1].removesuffix(".tgz")]
            self._send(body, "application/octet-stream")
            return
        base = f"http://{self.headers['Host']}/{name}/-/{name}"
        document = {
            "name": name,
            "dist-tags": {"latest": max(versions)},
            "versions": {
                v: {
                    "name": name,
                    "version": v,
                    "dist": {
                        "tarball": f"{base}-{v}.tgz",
                        "shasum": hashlib.sha1(tgz).hexdigest(),
                        "integrity": "sha512-"
                        + base64.b64encode(hashlib.sha512(tgz).digest()).decode(),
                    },
                }
                for v, tgz in versions.items()
            },
        }
        self._send(json.dumps(document).encode(), "application/json")

    def _send(self, body: bytes, kind: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def registry() -> Iterator[str]:
    handler = functools.partial(_Registry)
    _Registry.packages = {"lodash": {"4.17.11": _tarball("lodash", "4.17.11")}}
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.mark.node
@pytest.mark.slow  # npm resolves in a subprocess, several seconds
def test_package_json_alone_is_resolved_by_npm(tmp_path: Path, npm_db: Path, registry: str) -> None:
    (tmp_path / ".npmrc").write_text(f"registry={registry}\n")
    (tmp_path / "package.json").write_text(
        json.dumps({"name": "app", "version": "1.0.0", "dependencies": {"lodash": "^4.17.0"}})
    )
    rc, report = _deps(tmp_path, npm_db)
    assert rc == 1
    assert {(f["detail"]["package"], f["rule"], f["file"]) for f in report["findings"]} == {
        ("lodash", "GHSA-jf85-cpcp-j695", "package.json (resolved by npm)")
    }
    assert not (tmp_path / "package-lock.json").exists()  # the project is never touched
    (tmp_path / "package.json").write_text(
        json.dumps({"name": "app", "version": "1.0.0", "dependencies": {"left-pad": "^1.3.0"}})
    )
    rc, report = _deps(tmp_path, npm_db)
    assert rc == 1
    (skipped,) = report["skipped"]
    assert skipped["what"] == "package.json (declared)"
    assert "npm could not resolve it" in skipped["reason"]


@pytest.mark.slow  # pip resolves in a subprocess, several seconds
def test_a_local_project_in_requirements_brings_its_own_dependencies(
    tmp_path: Path, pypi_db: Path, wheels: dict[str, str]
) -> None:
    """`-e .` installs the project, and with it what its pyproject declares: those the file
    does not pin are resolved by pip (never by building the project); what cannot be read
    fails the gate as unchecked."""
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "app"\nversion = "1.0"\ndependencies = ["requests<2.20"]\n'
    )
    (tmp_path / "requirements.txt").write_text("-e .\n")
    rc, report = _deps(tmp_path, pypi_db, wheels)
    assert rc == 1 and report["skipped"] == []
    assert ("requests", "2.19.0", ". (requirements.txt:1) (resolved by pip)") in {
        (f["detail"]["package"], f["detail"]["version"], f["file"]) for f in report["findings"]
    }
    # pip-compile's output: the project's dependencies are pinned beside it, nothing to resolve
    (tmp_path / "requirements.txt").write_text("--editable=.\nrequests==2.19.0\n")
    rc, report = _deps(tmp_path, pypi_db, {**wheels, "PIP_FIND_LINKS": str(tmp_path / "none")})
    assert rc == 1 and report["skipped"] == []
    assert {f["file"] for f in report["findings"]} == {"requirements.txt"}
    # what cannot be known without running code, or is not there: unchecked, failing
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "setup.py").write_text("from setuptools import setup\nsetup()\n")
    (tmp_path / "requirements.txt").write_text(
        "requests==2.19.0\n-e ./lib\n./missing\nfile:./dist/app-1.0-py3-none-any.whl\n"
        "-e git+https://example.invalid/app.git#egg=app\n"
    )
    (tmp_path / "dist").mkdir()
    (tmp_path / "dist" / "app-1.0-py3-none-any.whl").write_bytes(b"PK")
    rc, report = _deps(tmp_path, pypi_db, wheels)
    assert rc == 1
    assert [(s["what"], s["reason"].split(":")[0]) for s in report["skipped"]] == [
        (
            "git+https://example.invalid/app.git#egg=app (requirements.txt:5)",
            "editable requirement that is not a local folder (a VCS or archive URL)",
        ),
        (
            "./lib (requirements.txt:2)",
            "setup.py may declare dependencies, which only running it would tell",
        ),
        ("./missing (requirements.txt:3)", f"local project not found at {tmp_path / 'missing'}"),
        ("file:./dist/app-1.0-py3-none-any.whl (requirements.txt:4)", "a local archive"),
    ]
