"""A local stand-in for GitHub's release endpoints that checks every request against the
documented API (docs.github.com/rest/releases/releases): paths, headers and body fields."""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

CREATE_FIELDS = {
    "tag_name": str,
    "target_commitish": str,
    "name": str,
    "body": str,
    "draft": bool,
    "prerelease": bool,
    "discussion_category_name": str,
    "generate_release_notes": bool,
    "make_latest": str,
}


@dataclass
class FakeGithub:
    token: str
    repository: str = "acme/demo"
    releases: dict[str, dict[str, Any]] = field(default_factory=dict)
    requests: list[tuple[str, str, dict[str, str], Any]] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    fail_creates: int = 0  # answer the next N creates with 500
    url: str = ""

    def check_headers(self, headers: dict[str, str]) -> tuple[int, str] | None:
        if headers.get("accept") != "application/vnd.github+json":
            self.violations.append(f"Accept header is {headers.get('accept')!r}")
        if headers.get("x-github-api-version") != "2022-11-28":
            self.violations.append("X-GitHub-Api-Version is missing or unknown")
        if not headers.get("user-agent"):
            self.violations.append("GitHub rejects requests without a User-Agent")
        if headers.get("authorization") != f"Bearer {self.token}":
            return 401, "Bad credentials"
        return None

    def handle(
        self, method: str, path: str, headers: dict[str, str], body: Any
    ) -> tuple[int, dict[str, Any]]:
        self.requests.append((method, path, headers, body))
        denied = self.check_headers(headers)
        if denied:
            return denied[0], {"message": denied[1]}
        base = f"/repos/{self.repository}/releases"
        m = re.fullmatch(re.escape(base) + r"/tags/(.+)", path)
        if method == "GET" and m:
            rel = self.releases.get(m[1])
            return (200, rel) if rel else (404, {"message": "Not Found"})
        if method == "POST" and path == base:
            return self.create(body, headers)
        self.violations.append(f"undocumented request {method} {path}")
        return 404, {"message": "Not Found"}

    def create(self, body: Any, headers: dict[str, str]) -> tuple[int, dict[str, Any]]:
        if headers.get("content-type", "").split(";")[0] != "application/json":
            self.violations.append("POST body is not declared as JSON")
        if not isinstance(body, dict) or not isinstance(body.get("tag_name"), str):
            self.violations.append("tag_name is required")
            return 422, {"message": "Validation Failed"}
        for key, value in body.items():
            kind = CREATE_FIELDS.get(key)
            if kind is None or not isinstance(value, kind):
                self.violations.append(f"field {key!r} is not a documented {kind}")
        if body.get("make_latest", "true") not in ("true", "false", "legacy"):
            self.violations.append("make_latest must be 'true', 'false' or 'legacy'")
        if self.fail_creates:
            self.fail_creates -= 1
            return 500, {"message": "Server Error"}
        if body["tag_name"] in self.releases:
            return 422, {
                "message": "Validation Failed",
                "errors": [{"resource": "Release", "code": "already_exists"}],
            }
        rel = {
            **body,
            "id": len(self.releases) + 1,
            "html_url": f"https://github.com/{self.repository}/releases/tag/{body['tag_name']}",
        }
        self.releases[body["tag_name"]] = rel
        return 201, rel


def serve(fake: FakeGithub) -> tuple[ThreadingHTTPServer, threading.Thread]:
    class Handler(BaseHTTPRequestHandler):
        def _do(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = "<not json>"
            headers = {k.lower(): v for k, v in self.headers.items()}
            status, data = fake.handle(self.command, self.path, headers, body)
            payload = json.dumps(data).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = _do

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread
