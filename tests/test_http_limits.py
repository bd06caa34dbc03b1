"""shipyard.http's remaining limits against real servers on 127.0.0.1: a redirect loop, a
Retry-After longer than the deadline, a body cut short, a non-200 JSON answer, a URL that is not
http(s)."""

from __future__ import annotations

import socket

import pytest

from shipyard import http
from tests.test_http import Server, raw_server, serve


def test_a_redirect_loop_stops_at_the_limit() -> None:
    loop = Server({"/loop": [(302, {"Location": "/loop"}, b"")]})
    with serve(loop) as s, pytest.raises(http.HttpError) as exc:
        http.request("GET", f"{s.url}/loop", label="the registry")
    assert exc.value.message == f"the registry: more than {http.MAX_REDIRECTS} redirects"
    assert len(s.seen) == http.MAX_REDIRECTS + 1


def test_a_retry_after_past_the_deadline_returns_the_answer_at_once() -> None:
    with serve(Server({"/busy": [(503, {"Retry-After": "25"}, b"")]})) as s:
        resp = http.request("GET", f"{s.url}/busy", timeout=5)
    assert resp.status == 503 and len(s.seen) == 1  # no second try that could not finish


def test_get_json_of_another_status_names_it() -> None:
    with serve(Server({"/gone": [(410, {}, b"{}")]})) as s:
        with pytest.raises(http.HttpError) as exc:
            http.get_json(f"{s.url}/gone?token=x", dict)
        # named without the credential its query carries
        assert exc.value.message == f"{s.url}/gone?token=*** answered HTTP 410"
        with pytest.raises(http.HttpError) as exc:
            http.get_json(f"{s.url}/gone", dict, label="advisories")
    assert exc.value.message == "advisories answered HTTP 410"


def test_a_body_cut_short_is_not_an_answer() -> None:
    def short(conn: socket.socket) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc")
        conn.shutdown(socket.SHUT_WR)

    with raw_server(short) as url, pytest.raises(http.HttpError) as exc:
        http.request("GET", f"{url}/x", label="the webhook", retries=0)
    assert exc.value.message == "the webhook unreachable (IncompleteRead)"


@pytest.mark.parametrize("url", ["ftp://example.invalid/x", "http:///nohost"])
def test_only_http_urls(url: str) -> None:
    with pytest.raises(http.HttpError) as exc:
        http.request("GET", url)
    assert exc.value.message.endswith("is not an http(s) URL")
