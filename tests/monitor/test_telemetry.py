"""Opt-in crash reports through the real Sentry SDK to a local endpoint that reads the
envelope as Sentry's ingestion does, and the local JSON logs with levels and rotation."""

from __future__ import annotations

import getpass
import gzip
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from shipyard import logs
from shipyard.store import ERROR_LOG_KEEP, ERROR_LOG_MAX, Store
from tests.conftest import GitRepo, run_cli

ROOT = Path(__file__).resolve().parents[2]
CRASH = (
    "import sys; from shipyard import cli; "
    "cli.COMMANDS['crash'] = ('tests.monitor.crash_command', 'crashes'); "
    "code = cli.main(['-C', sys.argv[1], 'crash']); "
    "print('sentry_sdk' in sys.modules); sys.exit(code)"
)


@contextmanager
def sentry_endpoint() -> Iterator[tuple[int, list[dict[str, Any]]]]:
    """POST /api/<project>/envelope/: checks the auth header and parses the envelope."""
    received: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if self.headers.get("Content-Encoding") == "gzip":
                raw = gzip.decompress(raw)
            lines = raw.split(b"\n")
            items = []
            i = 1
            while i + 1 < len(lines) and lines[i]:
                items.append((json.loads(lines[i]), lines[i + 1]))
                i += 2
            received.append(
                {
                    "path": self.path,
                    "auth": self.headers.get("X-Sentry-Auth", ""),
                    "header": json.loads(lines[0]),
                    "items": items,
                    "raw": raw.decode(),
                }
            )
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address[1], received
    finally:
        server.shutdown()
        server.server_close()


def crash(project: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    full = {
        **{k: v for k, v in __import__("os").environ.items() if not k.startswith("SHIPYARD_")},
        "PYTHONPATH": str(ROOT),
        "NO_PROXY": "127.0.0.1",
        "no_proxy": "127.0.0.1",
        "INTERNAL_SERVICE": "https://build-7.corp.example.invalid/private-path",
        **env,
    }
    return subprocess.run(
        [sys.executable, "-c", CRASH, str(project)],
        cwd=project,
        env=full,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_crash_report_is_sent_scrubbed_when_opted_in(tmp_path: Path) -> None:
    project = tmp_path / "work" / "acme-app"
    project.mkdir(parents=True)
    with sentry_endpoint() as (port, received):
        dsn = f"http://publickey@127.0.0.1:{port}/42"
        r = crash(project, {"SHIPYARD_TELEMETRY": "1", "SHIPYARD_SENTRY_DSN": dsn})
    assert r.returncode == 3, r.stderr
    assert "a scrubbed crash report was sent" in r.stderr
    assert r.stdout.strip() == "True"  # imported, since telemetry is on
    (envelope,) = received
    assert envelope["path"] == "/api/42/envelope/"
    assert "sentry_key=publickey" in envelope["auth"]
    assert envelope["header"]["event_id"]
    (kind, payload) = envelope["items"][0]
    assert kind["type"] == "event"
    event = json.loads(payload)
    (exc,) = event["exception"]["values"]
    assert exc["type"] == "RuntimeError"
    assert exc["value"].startswith(
        "cannot read ~/.config/<user>-notes.txt from <project>/src via ***"
    )
    assert "ghp_" not in exc["value"] and "password=***" in exc["value"]
    assert event["release"].startswith("shipyard@") and event["tags"]["command"] == "crash"
    assert "server_name" not in event and "user" not in event
    assert all("vars" not in f for f in exc["stacktrace"]["frames"])
    raw = envelope["raw"]
    for private in (str(Path.home()), str(project), "hunter22", "corp.example.invalid", "a1B2a1B2"):
        assert private not in raw
    user = getpass.getuser()
    assert f"{user}-notes" not in raw


def test_telemetry_is_off_by_default_and_nothing_is_imported(tmp_path: Path) -> None:
    with sentry_endpoint() as (port, received):
        r = crash(tmp_path, {"SHIPYARD_SENTRY_DSN": f"http://k@127.0.0.1:{port}/1"})
        assert r.returncode == 3 and r.stdout.strip() == "False"
        on_without_dsn = crash(tmp_path, {"SHIPYARD_TELEMETRY": "1"})
        assert on_without_dsn.returncode == 3 and "crash report" not in on_without_dsn.stderr
    assert received == []
    record = json.loads((tmp_path / ".shipyard/logs/error.log").read_text().splitlines()[-1])
    assert (record["level"], record["command"]) == ("error", "crash")


def test_logs_have_levels_and_rotate(tmp_path: Path, monkeypatch: Any) -> None:
    store = Store(tmp_path)
    monkeypatch.setenv("SHIPYARD_LOG_LEVEL", "warn")
    assert logs.log(store, "info", "quiet") is None
    logs.log(store, "warn", "data missing", check="downloads")
    logs.log(store, "error", "boom")
    combined = [
        json.loads(x) for x in (tmp_path / ".shipyard/logs/combined.log").read_text().splitlines()
    ]
    assert [(r["level"], r["message"]) for r in combined] == [
        ("warn", "data missing"),
        ("error", "boom"),
    ]
    errors = (tmp_path / ".shipyard/logs/error.log").read_text().splitlines()
    assert [json.loads(x)["message"] for x in errors] == ["boom"]
    big = tmp_path / ".shipyard/logs/error.log"
    for i in range(ERROR_LOG_KEEP + 1):
        big.write_bytes(b"x" * (ERROR_LOG_MAX + 1))
        logs.log(store, "error", f"after {i}")
    kept = sorted(p.name for p in big.parent.glob("error.log*"))
    assert kept == ["error.log", *(f"error.log.{i}" for i in range(1, ERROR_LOG_KEEP + 1))]
    assert json.loads(big.read_text())["message"] == f"after {ERROR_LOG_KEEP}"


def test_monitor_logs_missing_data_as_a_warning(repo: GitRepo) -> None:
    repo.write("package.json", '{"name": "web", "version": "1.0.0"}')
    repo.write(
        "shipyard.toml", '[stages.a]\nrun = "true"\n[monitor.downloads]\nurl = "missing.json"\n'
    )
    run_cli("monitor", "--only", "downloads", cwd=repo.path)
    record = json.loads((repo.path / ".shipyard/logs/combined.log").read_text().splitlines()[-1])
    assert record["level"] == "warn" and record["check"] == "downloads"
    assert record["message"].startswith("monitor downloads: data missing: cannot read ")
