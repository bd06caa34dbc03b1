"""`shipyard serve`: the plan's health endpoint, for uptime checks and `shipyard monitor`.

GET /health answers JSON: status, the project's name and version (from package.json or
pyproject.toml), shipyard's version, uptime, memory, timestamp, and the latest run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from shipyard import __version__, output
from shipyard.store import Store

STARTED = time.monotonic()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8787, help="port (default 8787; 0 = any)")


def health(root: Path) -> dict[str, Any]:
    from shipyard.monitor.project import identify
    from shipyard.pipeline.history import latest_run

    latest: dict[str, Any] | None = None
    try:
        latest = latest_run(Store(root))
        status = "ok"
    except Exception as exc:  # a broken store makes the service degraded, not down
        status, latest = "degraded", {"error": str(exc)}
    project = identify(root)
    return {
        "status": status,
        "name": project.name if project else None,
        "version": project.version if project else None,
        "shipyard_version": __version__,
        "uptime": round(time.monotonic() - STARTED, 3),
        "memory": {"max_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss},
        "timestamp": dt.datetime.now(dt.UTC).isoformat(),
        "latest_run": latest,
    }


def run(args: argparse.Namespace) -> int:
    root: Path = args.project

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path.split("?")[0] not in ("/health", "/healthz"):
                self.send_error(404)
                return
            body = json.dumps(health(root)).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer((args.host, args.port), Handler)
    host, port = server.server_address[:2]
    output.out(f"serving health on http://{host!s}:{port}/health (Ctrl-C to stop)")
    try:
        server.serve_forever()
    finally:
        server.server_close()
    return 0
