"""Real servers on 127.0.0.1 for the alerting tests: SMTP (aiosmtpd) and a recording HTTP server
that answers like a Slack/Discord webhook or GitHub's issues API."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Mailbox:
    messages: list[Message] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.original_content))
        return "250 OK"


@contextmanager
def smtp_server() -> Iterator[tuple[int, Mailbox]]:
    from aiosmtpd.controller import Controller

    box = Mailbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, box
    finally:
        controller.stop()


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]  # names lower-cased: HTTP header names are case-insensitive
    body: Any


@dataclass
class FakeGitHub:
    """Just enough of GitHub's REST issues API, checked as the docs describe it."""

    requests: list[Recorded] = field(default_factory=list)
    issues: list[dict[str, Any]] = field(default_factory=list)
    discussions: list[dict[str, Any]] = field(default_factory=list)

    def answer(self, rec: Recorded) -> tuple[int, Any]:
        if rec.path.startswith("/hooks/"):  # a chat webhook: the secret is the path
            return 200, None
        if rec.headers.get("authorization") != "Bearer gh-token-secret":
            return 401, {"message": "Bad credentials"}
        if rec.path == "/graphql" and rec.method == "POST":
            return 200, self.graphql(rec.body)
        if rec.headers.get("accept") != "application/vnd.github+json":
            return 415, {"message": "wrong Accept"}
        if rec.path.startswith("/repos/acme/tool/issues") and rec.method == "GET":
            return 200, [i for i in self.issues if i["state"] == "open"]
        if rec.path == "/repos/acme/tool/issues" and rec.method == "POST":
            if not isinstance(rec.body, dict) or not isinstance(rec.body.get("title"), str):
                return 422, {"message": "Validation Failed"}
            issue = {"number": len(self.issues) + 1, "state": "open", **rec.body}
            self.issues.append(issue)
            return 201, issue
        return 404, {"message": "Not Found"}

    def graphql(self, body: Any) -> dict[str, Any]:
        """GitHub's GraphQL endpoint for the two operations the Discussions channel uses:
        errors come back in a 200 answer, as GitHub does."""
        if not isinstance(body, dict) or not isinstance(body.get("query"), str):
            return {"errors": [{"message": "A query attribute must be specified"}]}
        query, variables = body["query"], body.get("variables") or {}
        if "createDiscussion(input: $input)" in query:
            given = variables.get("input") or {}
            if set(given) != {"repositoryId", "categoryId", "title", "body"}:
                return {"errors": [{"message": f"bad CreateDiscussionInput {sorted(given)}"}]}
            if given["repositoryId"] != "R_acme_tool" or given["categoryId"] != "DIC_alerts":
                return {"errors": [{"message": "Could not resolve to a node"}]}
            number = len(self.discussions) + 1
            self.discussions.append({"title": given["title"], "closed": False, **given})
            url = f"https://github.com/acme/tool/discussions/{number}"
            return {"data": {"createDiscussion": {"discussion": {"id": f"D_{number}", "url": url}}}}
        if "repository(owner: $owner, name: $name)" in query:
            if (variables.get("owner"), variables.get("name")) != ("acme", "tool"):
                return {"data": {"repository": None}, "errors": [{"message": "NOT_FOUND"}]}
            categories = [
                {"id": "DIC_general", "name": "General", "slug": "general"},
                {"id": "DIC_alerts", "name": "Alerts", "slug": "alerts"},
            ]
            recent = [{"title": d["title"], "closed": d["closed"]} for d in self.discussions]
            return {
                "data": {
                    "repository": {
                        "id": "R_acme_tool",
                        "discussionCategories": {"nodes": categories},
                        "discussions": {"nodes": recent[::-1]},
                    }
                }
            }
        return {"errors": [{"message": "unsupported operation"}]}


@dataclass
class Routes:
    """A stand-in API: path (with its query) -> (status, JSON body, extra headers)."""

    routes: dict[str, tuple[int, Any, dict[str, str]]] = field(default_factory=dict)
    requests: list[Recorded] = field(default_factory=list)

    def answer(self, rec: Recorded) -> tuple[int, Any, dict[str, str]]:
        return self.routes.get(rec.path, (404, {"error": "not found"}, {}))


@contextmanager
def http_server(app: FakeGitHub | Routes) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            rec = Recorded(
                self.command,
                self.path,
                {k.lower(): v for k, v in self.headers.items()},
                json.loads(raw) if raw else None,
            )
            app.requests.append(rec)
            status, body, *extra = app.answer(rec)
            data = b"ok" if body is None else json.dumps(body).encode()
            self.send_response(status)
            for name, value in (extra[0] if extra else {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = _handle

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
