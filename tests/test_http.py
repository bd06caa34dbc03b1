"""shipyard.http against real servers on 127.0.0.1: deadline, retries, redirects, shapes; and the
GitHub, webhook and release clients that use it, attacked by redirects to another origin."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from shipyard import http
from shipyard.notify.http import GitHubIssues, Webhook, slack_payload
from shipyard.notify.interface import Alert, NotifyError, Severity
from shipyard.release.github import GithubReleases
from shipyard.release.interface import PublishError
from tests.conftest import GitRepo, run_cli

Answer = tuple[int, dict[str, str], bytes]


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Server:
    """Answers each path from a script (the last answer repeats) and records every request."""

    script: dict[str, list[Answer]] = field(default_factory=dict)
    seen: list[Seen] = field(default_factory=list)
    url: str = ""

    def answer(self, path: str) -> Answer:
        queue = self.script.get(path.split("?")[0]) or [(404, {}, b"{}")]
        return queue.pop(0) if len(queue) > 1 else queue[0]


@contextmanager
def serve(server: Server, wrap: Any = None) -> Iterator[Server]:
    """`server` on 127.0.0.1; `wrap`: an SSL context that makes it an HTTPS server."""

    class Handler(BaseHTTPRequestHandler):
        def _do(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            server.seen.append(Seen(self.command, self.path, headers, body))
            status, extra, data = server.answer(self.path)
            self.send_response(status)
            for k, v in extra.items():
                self.send_header(k, v.replace("{url}", server.url))
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = _do

        def log_message(self, format: str, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    if wrap is not None:
        httpd.socket = wrap.wrap_socket(httpd.socket, server_side=True)
    server.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True).start()
    try:
        yield server
    finally:
        httpd.shutdown()
        httpd.server_close()


@contextmanager
def raw_server(talk: Callable[[socket.socket], None]) -> Iterator[str]:
    """A TCP server that runs `talk` on each connection: for servers no library would write."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    stop = threading.Event()

    def loop() -> None:
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except OSError:
                return
            threading.Thread(target=_talk, args=(conn,), daemon=True).start()

    def _talk(conn: socket.socket) -> None:
        with conn:
            try:
                conn.recv(65536)
                talk(conn)
            except OSError:
                pass

    threading.Thread(target=loop, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        stop.set()
        sock.close()


def _drip_body(conn: socket.socket) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n")
    for _ in range(600):  # one byte every 0.1 s: every single read succeeds, forever
        conn.sendall(b"x")
        time.sleep(0.1)


def _drip_headers(conn: socket.socket) -> None:
    for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"y" * 600:
        conn.sendall(bytes([byte]))
        time.sleep(0.1)


@pytest.mark.parametrize("talk", [_drip_body, _drip_headers])
def test_a_drip_feeding_server_cannot_hold_a_call_past_its_deadline(
    talk: Callable[[socket.socket], None],
) -> None:
    with raw_server(talk) as url, pytest.raises(http.HttpError) as exc:
        http.request("GET", f"{url}/health", timeout=1)
    assert exc.value.message == f"{url}/health: no complete answer within 1s"


def test_get_is_retried_on_5xx_and_429_then_succeeds() -> None:
    script = {"/x": [(503, {}, b""), (429, {"Retry-After": "0"}, b""), (200, {}, b"[1]")]}
    with serve(Server(script)) as s:
        assert http.get_json(f"{s.url}/x", list) == [1]
    assert [q.method for q in s.seen] == ["GET", "GET", "GET"]


def test_post_is_retried_on_429_but_never_resent_after_a_5xx() -> None:
    script = {"/p": [(429, {"Retry-After": "0"}, b""), (500, {}, b""), (201, {}, b"{}")]}
    with serve(Server(script)) as s:
        resp = http.request("POST", f"{s.url}/p", json={"a": 1})
    assert resp.status == 500
    assert [q.body for q in s.seen] == [b'{"a": 1}', b'{"a": 1}']


def test_retries_stop_at_the_limit_and_return_the_last_answer() -> None:
    with serve(Server({"/x": [(502, {}, b"")]})) as s:
        assert http.request("GET", f"{s.url}/x", retries=2).status == 502
    assert len(s.seen) == 3


def test_same_origin_redirect_keeps_method_body_and_credentials() -> None:
    script = {"/old": [(307, {"Location": "/new"}, b"")], "/new": [(201, {}, b"{}")]}
    with serve(Server(script)) as s:
        resp = http.request("POST", f"{s.url}/old", json={"k": 2}, headers={"Authorization": "t"})
    assert resp.status == 201
    assert [(q.method, q.path, q.body, q.headers["authorization"]) for q in s.seen] == [
        ("POST", "/old", b'{"k": 2}', "t"),
        ("POST", "/new", b'{"k": 2}', "t"),
    ]


def test_redirect_to_another_origin_is_refused_and_nothing_reaches_it() -> None:
    with serve(Server()) as evil, serve(Server()) as s:
        s.script["/r"] = [(302, {"Location": f"{evil.url}/steal"}, b"")]
        with pytest.raises(http.HttpError) as exc:
            http.request("GET", f"{s.url}/r", headers={"Authorization": "Bearer secret"})
    assert evil.seen == []
    assert "redirected to another origin" in exc.value.message
    assert "secret" not in exc.value.render()


def test_a_redirect_that_would_turn_a_post_into_a_get_is_an_error() -> None:
    script = {"/hook": [(302, {"Location": "/elsewhere"}, b"")]}
    with serve(Server(script)) as s, pytest.raises(http.HttpError) as exc:
        http.request("POST", f"{s.url}/hook", json={"text": "hi"})
    assert "would turn the POST into a GET without its body" in exc.value.message
    assert [q.path for q in s.seen] == ["/hook"]


@pytest.mark.parametrize(
    ("body", "expect", "message"),
    [
        (b"[1, 2]", dict, "answered a JSON list, expected a JSON object"),
        (b'{"a": 1}', list, "answered a JSON dict, expected a JSON array"),
        (b"<html>", dict, "answered HTTP 200 with a body that is not JSON"),
    ],
)
def test_answers_of_the_wrong_shape_are_clear_errors(
    body: bytes, expect: Any, message: str
) -> None:
    with serve(Server({"/j": [(200, {}, body)]})) as s, pytest.raises(http.HttpError) as exc:
        http.get_json(f"{s.url}/j", expect)
    assert exc.value.message == f"{s.url}/j {message}"


def test_an_oversized_answer_is_refused() -> None:
    with serve(Server({"/big": [(200, {}, b"x" * 5000)]})) as s, pytest.raises(http.HttpError):
        http.request("GET", f"{s.url}/big", max_bytes=4096)


def test_credentials_in_urls_never_reach_messages() -> None:
    with pytest.raises(http.HttpError) as exc:
        http.request("GET", "http://user:hunter2@127.0.0.1:9/x?token=abc&page=2", timeout=2)
    assert exc.value.message.startswith(
        "http://user:***@127.0.0.1:9/x?token=***&page=2 unreachable"
    )


ALERT = Alert(Severity.CRITICAL, "pipeline", "pipeline failed on main", "run 1")


def test_github_issues_never_follow_a_redirect_to_another_host_with_the_token() -> None:
    with serve(Server()) as evil, serve(Server()) as s:
        s.script["/repos/acme/tool/issues"] = [(302, {"Location": f"{evil.url}/x"}, b"")]
        channel = GitHubIssues("acme/tool", "gh-token-secret", api=s.url)
        with pytest.raises(NotifyError) as exc:
            channel.send(ALERT)
    assert evil.seen == []
    assert "gh-token-secret" not in exc.value.render()


def test_github_issues_listing_of_the_wrong_shape_is_an_error_not_a_crash() -> None:
    script = {"/repos/acme/tool/issues": [(200, {}, b'{"message": "hi"}')]}
    with serve(Server(script)) as s, pytest.raises(NotifyError, match="not answer a JSON array"):
        GitHubIssues("acme/tool", "t", api=s.url).send(ALERT)
    assert [q.method for q in s.seen] == ["GET"]  # no issue opened on a garbled answer


def test_a_webhook_redirected_into_a_get_is_not_reported_sent() -> None:
    script = {"/hooks/T/B/secret": [(302, {"Location": "/gone"}, b"")]}
    with serve(Server(script)) as s, pytest.raises(NotifyError) as exc:
        Webhook(f"{s.url}/hooks/T/B/secret", slack_payload, name="slack").send(ALERT)
    assert "secret" not in exc.value.render()
    assert [q.method for q in s.seen] == ["POST"]


def test_release_client_refuses_a_redirect_to_another_origin() -> None:
    with serve(Server()) as evil, serve(Server()) as s:
        s.script["/repos/acme/demo/releases/tags/v1"] = [(301, {"Location": f"{evil.url}/"}, b"")]
        with pytest.raises(PublishError) as exc:
            GithubReleases(s.url, "acme/demo", "ghs_token").find("v1")
    assert evil.seen == []
    assert "ghs_token" not in exc.value.render()


@pytest.mark.slow
def test_monitor_reports_a_drip_feeding_health_url_down_within_its_deadline(
    repo: GitRepo,
) -> None:
    # before the one client, this check hung for as long as the server kept dripping
    with raw_server(_drip_body) as url:
        repo.write(
            "shipyard.toml",
            f'[stages.a]\nrun = "true"\n[monitor.health]\nurls = ["{url}/health"]\n',
        )
        r = run_cli("monitor", "--only", "health", "--json", cwd=repo.path, timeout=100)
    out = json.loads(r.stdout)
    assert r.returncode == 1
    assert out["checks"][0]["detail"] == f"{url}/health: DOWN"
    assert [a["body"] for a in out["alerts"]] == [f"{url}: no complete answer within 15s"]


# --- proxies ------------------------------------------------------------------------------

PROXY_VARS = ("https_proxy", "http_proxy", "all_proxy", "no_proxy")


@dataclass
class Proxy:
    """What the proxy saw: each request head, and every byte a client sent through a tunnel."""

    url: str = ""
    heads: list[str] = field(default_factory=list)
    tunnelled: bytearray = field(default_factory=bytearray)
    password: str | None = None  # set: Proxy-Authorization must carry it (as "user:<password>")


@contextmanager
def connect_proxy(proxy: Proxy) -> Iterator[Proxy]:
    """An HTTP proxy on 127.0.0.1, as squid or a company proxy behaves: CONNECT opens a tunnel
    to the target (after Basic proxy authentication when it asks for one); a plain-http request
    in absolute form is answered by the proxy itself, as a caching proxy would."""
    import base64

    def handle(conn: socket.socket) -> None:
        head = b""
        while b"\r\n\r\n" not in head and (chunk := conn.recv(4096)):
            head += chunk
        text = head.decode("latin-1")
        proxy.heads.append(text)
        wanted = f"user:{proxy.password}".encode()
        auth = f"proxy-authorization: basic {base64.b64encode(wanted).decode()}"
        if proxy.password is not None and auth.lower() not in text.lower():
            conn.sendall(b"HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n")
            return
        method, target, _version = text.split("\r\n", 1)[0].split(" ")
        if method != "CONNECT":
            body = json.dumps({"via": "proxy", "target": target}).encode()
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
            return
        host, port = target.rsplit(":", 1)
        target_host = "127.0.0.1" if host == "localhost" else host
        with socket.create_connection((target_host, int(port))) as upstream:
            conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            back = threading.Thread(target=_pipe, args=(upstream, conn, None), daemon=True)
            back.start()
            _pipe(conn, upstream, proxy.tunnelled)
            back.join(10)

    with raw_listener(handle) as port:
        proxy.url = f"http://127.0.0.1:{port}"
        yield proxy


def _pipe(src: socket.socket, dst: socket.socket, record: bytearray | None) -> None:
    with contextlib.suppress(OSError):
        while data := src.recv(65536):
            if record is not None:
                record += data
            dst.sendall(data)
    with contextlib.suppress(OSError):
        dst.shutdown(socket.SHUT_WR)


@contextmanager
def raw_listener(handle: Callable[[socket.socket], None]) -> Iterator[int]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()

    def loop() -> None:
        while True:
            try:
                conn, _ = sock.accept()
            except OSError:
                return
            threading.Thread(target=_serve_one, args=(handle, conn), daemon=True).start()

    threading.Thread(target=loop, daemon=True).start()
    try:
        yield sock.getsockname()[1]
    finally:
        sock.close()


def _serve_one(handle: Callable[[socket.socket], None], conn: socket.socket) -> None:
    with conn, contextlib.suppress(OSError):
        handle(conn)


@contextmanager
def https_server(server: Server, tmp_path: Path) -> Iterator[Server]:
    """`serve`, over TLS with a certificate for localhost from a test CA that SSL_CERT_FILE
    makes the only one trusted."""
    import ssl

    import trustme

    authority = trustme.CA()
    authority.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("localhost").configure_cert(ctx)
    with serve(server, wrap=ctx) as served:
        served.url = served.url.replace("http://127.0.0.1", "https://localhost")
        yield served


@pytest.fixture
def no_proxy_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    for name in PROXY_VARS:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "ca.pem"))
    return monkeypatch


def test_https_goes_through_the_proxy_tunnel_and_no_proxy_is_honoured(
    no_proxy_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    origin = Server({"/x": [(200, {}, b'{"ok": true}')]})
    with https_server(origin, tmp_path) as site, connect_proxy(Proxy(password="p@ss")) as proxy:
        user = proxy.url.replace("http://", "http://user:p%40ss@")
        no_proxy_env.setenv("HTTPS_PROXY", user)
        no_proxy_env.setenv("HTTP_PROXY", user)
        token = "tok-" + "s3cr3t" * 4
        resp = http.request("GET", f"{site.url}/x", headers={"Authorization": f"Bearer {token}"})
        assert (resp.status, resp.json()) == (200, {"ok": True})
        (head,) = proxy.heads
        port = site.url.rsplit(":", 1)[1]
        assert head.startswith(f"CONNECT localhost:{port} HTTP/1.")
        assert token not in head and token.encode() not in proxy.tunnelled  # TLS end to end
        (seen,) = origin.seen
        assert seen.headers["authorization"] == f"Bearer {token}"
        assert "proxy-authorization" not in seen.headers  # for the proxy only
        # plain http: the proxy gets the absolute URL (the name need not resolve here)
        answer = http.get_json("http://registry.invalid/pkg?x=1", dict)
        assert answer == {"via": "proxy", "target": "http://registry.invalid/pkg?x=1"}
        # NO_PROXY (a domain suffix, as pip and npm read it): straight to the server
        no_proxy_env.setenv("NO_PROXY", "example.org,.localhost,localhost")
        assert http.request("GET", f"{site.url}/x").status == 200
        assert len(proxy.heads) == 2 and len(origin.seen) == 2
        no_proxy_env.setenv("NO_PROXY", "*")
        assert http.request("GET", f"{site.url}/x").status == 200 and len(proxy.heads) == 2


def test_proxy_failures_are_clear_errors_that_never_show_its_password(
    no_proxy_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    origin = Server({"/x": [(200, {}, b"{}")]})
    with https_server(origin, tmp_path) as site, connect_proxy(Proxy(password="right")) as proxy:
        no_proxy_env.setenv("HTTPS_PROXY", proxy.url.replace("http://", "http://user:wrong@"))
        with pytest.raises(http.HttpError) as refused:
            http.request("GET", f"{site.url}/x", retries=0)
        assert str(refused.value) == (
            f"{site.url}/x unreachable through the proxy "
            f"{proxy.url.replace('http://', 'http://user:***@')} "
            "(Tunnel connection failed: 407 Proxy Authentication Required)"
        )
        assert refused.value.hint == "check HTTPS_PROXY / HTTP_PROXY, or list the host in NO_PROXY"
        assert origin.seen == []
    no_proxy_env.setenv("HTTPS_PROXY", "socks5://user:pw@127.0.0.1:1080")
    with pytest.raises(
        http.HttpError,
        match=r"^the proxy socks5://user:\*\*\*@127.0.0.1:1080 "
        r"\(from HTTPS_PROXY\) is not an http:// proxy",
    ):
        http.request("GET", "https://localhost:1/x")
