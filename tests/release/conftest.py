"""Real registries on 127.0.0.1 for the release tests: Verdaccio (npm) and pypiserver (PyPI),
plus a local GitHub API that checks each request against the documented release endpoints."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

NODE_BIN = Path(__file__).parents[1] / "node" / "node_modules" / ".bin"
TOKEN_USER, TOKEN_PASSWORD = "shipper", "s3cret-pass-word"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_http(url: str, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {timeout}s")


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@dataclass
class Registry:
    url: str
    token: str
    log: Path


VERDACCIO_CONFIG = """\
storage: {storage}
auth:
  htpasswd:
    file: {htpasswd}
    max_users: 100
uplinks: {{}}
packages:
  '**':
    access: $all
    publish: $authenticated
    unpublish: $authenticated
logs: {{type: stdout, format: pretty, level: warn}}
"""


@pytest.fixture(scope="session")
def verdaccio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    if not (NODE_BIN / "verdaccio").exists():
        pytest.skip("verdaccio is not installed in tests/node (run .ci/run)")
    base = tmp_path_factory.mktemp("verdaccio")
    cfg = base / "config.yaml"
    cfg.write_text(VERDACCIO_CONFIG.format(storage=base / "storage", htpasswd=base / "htpasswd"))
    port = free_port()
    log = base / "log.txt"
    with log.open("wb") as fh:  # the child keeps its own copy of the descriptor
        proc = subprocess.Popen(
            [str(NODE_BIN / "verdaccio"), "--config", str(cfg), "--listen", f"127.0.0.1:{port}"],
            stdout=fh,
            stderr=subprocess.STDOUT,
            cwd=base,
            env={**os.environ, "HOME": str(base)},
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_http(url + "-/ping", proc)
        req = urllib.request.Request(
            f"{url}-/user/org.couchdb.user:{TOKEN_USER}",
            data=json.dumps({"name": TOKEN_USER, "password": TOKEN_PASSWORD}).encode(),
            method="PUT",
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=30) as resp:
            token = json.loads(resp.read())["token"]
        yield Registry(url, token, log)
    finally:
        stop(proc)


@pytest.fixture(scope="session")
def pypiserver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    base = tmp_path_factory.mktemp("pypiserver")
    packages = base / "packages"
    packages.mkdir()
    # Apache's {SHA} form, which passlib (inside pypiserver) verifies; importing passlib here
    # would warn about the deprecated `crypt` module, and warnings are errors
    digest = base64.b64encode(hashlib.sha1(TOKEN_PASSWORD.encode()).digest()).decode()  # nosec B324 - htpasswd {SHA}
    (base / "htpasswd").write_text(f"{TOKEN_USER}:{{SHA}}{digest}\n")
    port = free_port()
    log = base / "log.txt"
    exe = Path(sys.executable).with_name("pypi-server")
    with log.open("wb") as fh:
        proc = subprocess.Popen(
            [
                str(exe) if exe.exists() else "pypi-server",
                "run",
                "-i",
                "127.0.0.1",
                "-p",
                str(port),
                "-P",
                str(base / "htpasswd"),
                "-a",
                "update",
                str(packages),
            ],
            stdout=fh,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_http(url + "simple/", proc)
        yield Registry(url, TOKEN_PASSWORD, log)
    finally:
        stop(proc)


GITHUB_TOKEN = "ghp_testtoken0123456789abcdefABCDEF"  # shipyard:allow (a fake for the tests)


@pytest.fixture
def github() -> Iterator[object]:
    from tests.release.github_fake import FakeGithub, serve

    fake = FakeGithub(GITHUB_TOKEN)
    server, thread = serve(fake)
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
