"""The one HTTP client for every outbound call shipyard makes (notify, release, monitor, db update).

Built on http.client so that shipyard, not urllib, decides the safety rules:
- one total deadline per call: a server that drip-feeds bytes cannot hold a call past `timeout`
  (a watchdog shuts the socket down), retries and back-off included;
- retries with exponential back-off (honouring a short Retry-After) on 429 for every method and
  on 5xx for idempotent methods only: a POST that reached the server is never sent twice;
- redirects only within the same origin (scheme, host, port), so credentials are never forwarded
  to another host; a redirect that would turn a POST into a body-less GET is an error;
- a body size limit, and typed helpers (`Response.json(expect=dict)`) that turn an answer of the
  wrong shape into a clear error.
- proxies as pip and npm users set them: `HTTPS_PROXY` / `HTTP_PROXY` (or `ALL_PROXY`; lower
  case wins), `user:password@` in the proxy URL sent as Proxy-Authorization, hosts in
  `NO_PROXY` reached directly. HTTPS goes through a CONNECT tunnel, so the proxy sees the host
  name only and the certificate is still verified against the real host; only http:// proxy
  URLs are spoken (a socks5:// one is a clear error, never a silent direct connection).
Transport failures raise `HttpError`; each family translates it into its own error.
"""

from __future__ import annotations

import contextlib
import json as jsonlib
import random
import socket
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from shipyard.errors import ShipyardError
from shipyard.redact import url as redact_url

__all__ = ["HttpError", "OtherOrigin", "Response", "get_json", "redact_url", "request"]

REDIRECTS = (301, 302, 303, 307, 308)
RETRY_STATUSES = (500, 502, 503, 504)
IDEMPOTENT = ("GET", "HEAD", "PUT", "DELETE", "OPTIONS")
MAX_REDIRECTS = 5
MAX_BYTES = 16 * 1024 * 1024
CHUNK = 64 * 1024


class HttpError(ShipyardError):
    """A call did not produce a usable answer; the message never holds a credential."""

    exit_code = 1


class OtherOrigin(HttpError):
    """The server redirected to another origin, which shipyard does not follow. An index that
    sends unknown packages elsewhere (pypiserver's fallback) means "not here"."""

    def __init__(self, message: str, location: str) -> None:
        super().__init__(message, hint="configure the final URL directly")
        self.location = location


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)
    url: str = ""
    reason: str = ""

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self, expect: type[dict[str, Any]] | type[list[Any]] | None = None) -> Any:
        """The body as JSON; with `expect`, an answer of another shape is an HttpError."""
        where = redact_url(self.url)
        try:
            data = jsonlib.loads(self.body)
        except ValueError:
            raise HttpError(
                f"{where} answered HTTP {self.status} with a body that is not JSON"
            ) from None
        if expect is not None and not isinstance(data, expect):
            raise HttpError(
                f"{where} answered a JSON {type(data).__name__}, expected a JSON "
                f"{'object' if expect is dict else 'array'}"
            )
        return data


@dataclass(frozen=True)
class Call:
    method: str
    url: str
    body: bytes | None
    headers: dict[str, str]
    timeout: float
    retries: int
    max_bytes: int
    label: str  # how the URL appears in messages (webhook paths are secrets)


def request(
    method: str,
    url: str,
    *,
    json: Any = None,
    body: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    timeout: float = 15.0,
    retries: int = 3,
    max_bytes: int = MAX_BYTES,
    label: str | None = None,
) -> Response:
    """One call with the rules above; every HTTP status is returned, transport failures raise."""
    hdrs = {"User-Agent": "shipyard", **(headers or {})}
    if json is not None:
        body = jsonlib.dumps(json).encode()
        hdrs.setdefault("Content-Type", "application/json")
    call = Call(
        method.upper(), url, body, hdrs, timeout, retries, max_bytes, label or redact_url(url)
    )
    deadline = time.monotonic() + timeout
    attempt = 0
    while True:
        resp = _follow(call, deadline)
        if not _should_retry(call, resp, attempt):
            return resp
        pause = _backoff(attempt, resp.headers.get("retry-after"))
        if time.monotonic() + pause >= deadline:
            return resp  # no time left for another try: the caller sees the last answer
        time.sleep(pause)
        attempt += 1


def get_json(url: str, expect: type[dict[str, Any]] | type[list[Any]], **kw: Any) -> Any:
    """GET a JSON document of the expected shape; any other status is an HttpError."""
    resp = request(
        "GET", url, headers={"Accept": "application/json", **kw.pop("headers", {})}, **kw
    )
    if resp.status != 200:
        raise HttpError(f"{kw.get('label') or redact_url(url)} answered HTTP {resp.status}")
    return resp.json(expect)


def _should_retry(call: Call, resp: Response, attempt: int) -> bool:
    if attempt >= call.retries:
        return False
    return resp.status == 429 or (resp.status in RETRY_STATUSES and call.method in IDEMPOTENT)


def _backoff(attempt: int, retry_after: str | None) -> float:
    if retry_after and retry_after.strip().isdigit():
        return min(float(retry_after), 30.0)
    return float(min(0.25 * 2**attempt, 8.0) * (1 + random.random() / 4))


def _follow(call: Call, deadline: float) -> Response:
    """Send, following same-origin redirects only."""
    method, url, body = call.method, call.url, call.body
    for _ in range(MAX_REDIRECTS + 1):
        resp = _once(call, method, url, body, deadline)
        location = resp.headers.get("location")
        if resp.status not in REDIRECTS or not location:
            return resp
        target = urljoin(url, location)
        if _origin(target) != _origin(url):
            raise OtherOrigin(
                f"{call.label} redirected to another origin ({_origin(target)}); refused, so "
                "that credentials are never sent there",
                target,
            )
        if resp.status in (301, 302, 303) and method not in ("GET", "HEAD"):
            raise HttpError(
                f"{call.label} answered {resp.status}, which would turn the {method} into a "
                "GET without its body; refused",
                hint="configure the final URL directly",
            )
        url = target
    raise HttpError(f"{call.label}: more than {MAX_REDIRECTS} redirects")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    default = {"http": 80, "https": 443}.get(parts.scheme)
    return f"{parts.scheme}://{parts.hostname}:{parts.port or default}"


@dataclass(frozen=True)
class Route:
    """How to reach a URL: the connection, the request target, extra headers, and the proxy
    (credentials redacted, for messages) when there is one."""

    conn: Any
    target: str
    headers: dict[str, str]
    via: str | None = None


def _connection(url: str, timeout: float) -> Route:
    """An http.client connection for `url`, through the environment's proxy if any."""
    import http.client

    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise HttpError(f"{redact_url(url)} is not an http(s) URL")
    target = parts.path or "/"
    if parts.query:
        target += f"?{parts.query}"
    host, port = parts.hostname, parts.port
    proxy = _proxy(parts.scheme, host, port)
    if proxy is not None:
        via, auth = redact_url(proxy.geturl()), _proxy_auth(proxy)
        if parts.scheme == "https":
            conn: Any = http.client.HTTPSConnection(
                proxy.hostname or "", proxy.port or 80, timeout=timeout
            )
            conn.set_tunnel(host, port, headers=auth)  # the proxy alone sees these headers
            return Route(conn, target, {}, via)
        conn = http.client.HTTPConnection(proxy.hostname or "", proxy.port or 80, timeout=timeout)
        return Route(conn, url, auth, via)  # plain http: the proxy gets the absolute URL
    if parts.scheme == "https":
        return Route(http.client.HTTPSConnection(host, port, timeout=timeout), target, {})
    return Route(http.client.HTTPConnection(host, port, timeout=timeout), target, {})


def _proxy(scheme: str, host: str, port: int | None) -> Any:
    """The proxy URL (split) to reach `host` through, or None: no proxy, or the host is in
    NO_PROXY (with or without its port)."""
    import urllib.request

    proxies = urllib.request.getproxies()
    proxy = proxies.get(scheme) or proxies.get("all")
    if not proxy or urllib.request.proxy_bypass(f"{host}:{port}" if port else host):
        return None
    split = urlsplit(proxy if "://" in proxy else f"http://{proxy}")
    if split.scheme != "http" or not split.hostname:
        name = f"{scheme.upper()}_PROXY" if proxies.get(scheme) else "ALL_PROXY"
        raise HttpError(
            f"the proxy {redact_url(proxy)} (from {name}) is not an http:// proxy; shipyard "
            "speaks to http:// proxies only (CONNECT for https)",
            hint=f"set {name} to an http:// proxy, or list the host in NO_PROXY",
        )
    return split


def _proxy_auth(proxy: Any) -> dict[str, str]:
    """Proxy-Authorization for `user:password@` in the proxy URL (percent-decoded)."""
    import base64
    from urllib.parse import unquote

    if proxy.username is None:
        return {}
    pair = f"{unquote(proxy.username)}:{unquote(proxy.password or '')}".encode()
    return {"Proxy-Authorization": "Basic " + base64.b64encode(pair).decode()}


def _once(call: Call, method: str, url: str, body: bytes | None, deadline: float) -> Response:
    import http.client

    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise HttpError(f"{call.label}: no answer within {call.timeout:g}s")
    route = _connection(url, remaining)
    conn = route.conn
    fired = threading.Event()

    def _expire() -> None:
        fired.set()
        sock = conn.sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    watchdog = threading.Timer(remaining, _expire)
    watchdog.daemon = True
    watchdog.start()
    try:
        conn.request(method, route.target, body=body, headers={**call.headers, **route.headers})
        raw = conn.getresponse()
        data = _read(raw, call)
        if fired.is_set():
            raise TimeoutError
        if raw.length:  # fewer bytes than Content-Length said
            raise http.client.IncompleteRead(data, raw.length)
        headers = {k.lower(): v for k, v in raw.getheaders()}
        return Response(raw.status, data, headers, url, raw.reason)
    except (OSError, http.client.HTTPException) as exc:
        if fired.is_set() or isinstance(exc, TimeoutError):
            raise HttpError(f"{call.label}: no complete answer within {call.timeout:g}s") from None
        reason = type(exc).__name__
        if isinstance(exc, OSError):  # a failed tunnel is an OSError with only a message
            reason = str(getattr(exc, "reason", None) or exc.strerror or exc or reason)
        if route.via is None:
            raise HttpError(f"{call.label} unreachable ({reason})") from None
        raise HttpError(
            f"{call.label} unreachable through the proxy {route.via} ({reason})",
            hint="check HTTPS_PROXY / HTTP_PROXY, or list the host in NO_PROXY",
        ) from None
    finally:
        watchdog.cancel()
        conn.close()


def _read(raw: Any, call: Call) -> bytes:
    parts: list[bytes] = []
    size = 0
    while chunk := raw.read(CHUNK):
        size += len(chunk)
        if size > call.max_bytes:
            raise HttpError(f"{call.label} answered more than {call.max_bytes} bytes; refused")
        parts.append(chunk)
    return b"".join(parts)
