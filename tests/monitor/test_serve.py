"""`shipyard serve`: the health document in each state of the run store, and the real server's
routes, headers and interrupt."""

from __future__ import annotations

import json
import select
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

from shipyard import __version__, api
from shipyard.commands.serve import health
from shipyard.store import DB_NAME, STATE_DIR
from tests.conftest import GitRepo


def test_health_follows_the_run_store(repo: GitRepo) -> None:
    repo.write("shipyard.toml", '[stages.a]\nrun = "true"\n')
    repo.commit("init")
    before = health(repo.path)
    assert (before["status"], before["latest_run"]) == ("ok", None)
    assert (before["name"], before["version"]) == (None, None)  # no manifest
    assert before["shipyard_version"] == __version__ and before["uptime"] >= 0

    result = api.run(repo.path)
    after = health(repo.path)
    assert after["status"] == "ok"
    assert after["latest_run"] == {"id": result.id, "result": "passed", "branch": "main"}

    # a store that cannot be read makes the service degraded (still answering), with the reason
    (repo.path / STATE_DIR / DB_NAME).write_bytes(b"not a database, " * 64)
    for leftover in (repo.path / STATE_DIR).glob(DB_NAME + "-*"):
        leftover.unlink()
    broken = health(repo.path)
    assert broken["status"] == "degraded"
    assert "cannot be opened" in broken["latest_run"]["error"]


def _first_line(p: subprocess.Popen[str], seconds: float = 60) -> str:
    """The server's first stdout line, failing (not hanging) when none comes in time."""
    assert p.stdout is not None
    ready, _, _ = select.select([p.stdout], [], [], seconds)
    if not ready:
        p.kill()
        raise AssertionError(f"no line from `shipyard serve` in {seconds} s: {p.communicate()[1]}")
    return p.stdout.readline()


def test_server_routes_and_interrupt(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text('{"name": "web", "version": "1.2.3"}')
    p = subprocess.Popen(
        [sys.executable, "-m", "shipyard", "serve", "--port", "0"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert p.stdout is not None and p.stderr is not None
        line = _first_line(p)  # printed once the socket listens
        if not line.startswith("serving health on http://127.0.0.1:"):
            p.kill()  # its stderr ends only once it has stopped
            raise AssertionError(line + p.communicate(timeout=30)[1])
        assert line.endswith("/health (Ctrl-C to stop)\n")
        base = line.split()[3].removesuffix("/health")
        with urllib.request.urlopen(f"{base}/healthz?probe=1", timeout=30) as resp:
            assert resp.headers["Content-Type"] == "application/json"
            body = resp.read()
            assert int(resp.headers["Content-Length"]) == len(body)
        data = json.loads(body)
        assert (data["status"], data["name"], data["version"]) == ("ok", "web", "1.2.3")
        try:
            urllib.request.urlopen(f"{base}/metrics", timeout=30)
            raise AssertionError("/metrics answered")
        except urllib.error.HTTPError as exc:
            assert exc.code == 404
    finally:
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=60)
    assert (p.returncode, out, err) == (130, "", "interrupted\n")
