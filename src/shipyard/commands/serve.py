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
from shipyard.errors import UsageError
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

    server = _bind(args.host, args.port, Handler)
    host, port = server.server_address[:2]
    output.out(f"serving health on http://{host!s}:{port}/health (Ctrl-C to stop)")
    try:
        server.serve_forever()
    finally:
        server.server_close()
    return 0


def _bind(host: str, port: int, handler: type[BaseHTTPRequestHandler]) -> ThreadingHTTPServer:
    """The server, or a usage error that says why the address cannot be used."""
    import socket

    if not 0 <= port <= 65535:
        raise UsageError(f"--port {port}: expected a port from 0 to 65535")
    try:
        return ThreadingHTTPServer((host, port), handler)
    except socket.gaierror as exc:
        raise UsageError(
            f"--host {host!r}: not an address or a host name this machine can resolve "
            f"({exc.strerror})",
            hint="use 127.0.0.1 (this machine only) or 0.0.0.0 (every interface)",
        ) from None
    except OSError as exc:
        raise UsageError(
            f"cannot listen on {host}:{port}: {exc.strerror}",
            hint="another process may be using the port: pick another with --port, "
            "or --port 0 for any free one",
        ) from None
