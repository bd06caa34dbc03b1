"""A local stand-in for GitHub's issue-comments endpoints (docs.github.com/rest/issues/comments),
on 127.0.0.1: it checks each request as the docs describe it (headers, paths, body) and keeps
the comments, so a test reads the body that was posted and sees an edit replace it."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

TOKEN = "ghs-comment-token"
REPOSITORY = "acme/actpy"


@dataclass
class FakeComments:
    comments: dict[int, list[dict[str, Any]]] = field(default_factory=dict)  # PR -> comments
    requests: list[tuple[str, str, Any]] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    url: str = ""
    _next_id: int = 1000

    def seed(self, number: int, count: int) -> None:
        """`count` comments by other people on the pull request."""
        for _ in range(count):
            self._add(number, {"body": "looks good", "user": {"login": "someone"}})

    def _add(self, number: int, fields: dict[str, Any]) -> dict[str, Any]:
        self._next_id += 1
        item = {
            "id": self._next_id,
            "html_url": f"https://github.com/{REPOSITORY}/pull/{number}#issuecomment-{self._next_id}",
            **fields,
        }
        self.comments.setdefault(number, []).append(item)
        return item

    def _find(self, comment_id: int) -> dict[str, Any] | None:
        return next((c for cs in self.comments.values() for c in cs if c["id"] == comment_id), None)

    def handle(
        self, method: str, target: str, headers: dict[str, str], body: Any
    ) -> tuple[int, Any, dict[str, str]]:
        self.requests.append((method, target, body))
        if headers.get("accept") != "application/vnd.github+json":
            self.violations.append(f"Accept header is {headers.get('accept')!r}")
        if headers.get("x-github-api-version") != "2022-11-28":
            self.violations.append("X-GitHub-Api-Version is missing or unknown")
        if headers.get("authorization") != f"Bearer {TOKEN}":
            return 401, {"message": "Bad credentials"}, {}
        url = urlsplit(target)
        base = f"/repos/{REPOSITORY}/issues"
        listed = re.fullmatch(re.escape(base) + r"/(\d+)/comments", url.path)
        if listed and method == "GET":
            return self._page(int(listed[1]), parse_qs(url.query))
        if listed and method == "POST":
            if not isinstance(body, dict) or not isinstance(body.get("body"), str):
                return 422, {"message": "Validation Failed"}, {}
            return 201, self._add(int(listed[1]), {"body": body["body"]}), {}
        edited = re.fullmatch(re.escape(base) + r"/comments/(\d+)", url.path)
        if edited and method == "PATCH":
            item = self._find(int(edited[1]))
            if item is None:
                return 404, {"message": "Not Found"}, {}
            if not isinstance(body, dict) or not isinstance(body.get("body"), str):
                return 422, {"message": "Validation Failed"}, {}
            item["body"] = body["body"]
            return 200, item, {}
        return 404, {"message": "Not Found"}, {}

    def _page(self, number: int, query: dict[str, list[str]]) -> tuple[int, Any, dict[str, str]]:
        size = min(int(query.get("per_page", ["30"])[0]), 100)  # GitHub's maximum
        page = int(query.get("page", ["1"])[0])
        items = self.comments.get(number, [])
        chunk = items[(page - 1) * size : page * size]
        links = {}
        if page * size < len(items):
            nxt = f"{self.url}/repos/{REPOSITORY}/issues/{number}/comments"
            nxt += f"?per_page={size}&page={page + 1}"
            links["Link"] = f'<{nxt}>; rel="next"'
        return 200, chunk, links


@contextmanager
def github_comments() -> Iterator[FakeComments]:
    fake = FakeComments()

    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            raw = self.rfile.read(length) if length else b""
            body = json.loads(raw) if raw else None
            headers = {k.lower(): v for k, v in self.headers.items()}
            status, data, extra = fake.handle(self.command, self.path, headers, body)
            out = json.dumps(data).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(out)))
            for name, value in extra.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(out)

        do_GET = do_POST = do_PATCH = _serve

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
