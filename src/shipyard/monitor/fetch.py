"""Read a source's JSON from a URL or a local file (a synced copy, or a test fixture).

A local path (or `file:` URL) lets every source run offline; its age is returned so the caller
can say the data is stale. Transport and parse failures become `SourceError` naming the origin
(never a full URL: query strings and paths may hold tokens).
"""

from __future__ import annotations

import json
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shipyard.monitor.interface import SourceError


@dataclass(frozen=True)
class Fetched:
    data: Any
    age: float | None  # seconds since a local file was written; None for live answers
    headers: dict[str, str]


def is_local(location: str) -> bool:
    return "://" not in location or location.startswith("file:")


def resolve(location: str, root: Path) -> str:
    """A relative local path is relative to the project, not to the current folder."""
    if is_local(location) and not location.startswith("file:"):
        return str(root / location)
    return location


def get_json(
    location: str, headers: dict[str, str] | None = None, now: float | None = None
) -> Fetched:
    if is_local(location):
        return _read_file(location, time.time() if now is None else now)
    from shipyard import http

    try:
        resp = http.request(
            "GET",
            location,
            headers={"Accept": "application/json", **(headers or {})},
            label=origin(location),
        )
    except http.HttpError as exc:
        raise SourceError(exc.message) from None
    if not resp.ok:
        raise SourceError(f"HTTP {resp.status} from {origin(location)}")
    return Fetched(_parse(resp.body, origin(location)), None, dict(resp.headers))


def _read_file(location: str, now: float) -> Fetched:
    path = Path(urllib.parse.urlsplit(location).path if location.startswith("file:") else location)
    try:
        raw, mtime = path.read_bytes(), path.stat().st_mtime
    except OSError as exc:
        raise SourceError(f"cannot read {path}: {exc.strerror}") from None
    return Fetched(_parse(raw, str(path)), max(now - mtime, 0.0), {})


def _parse(raw: bytes, where: str) -> Any:
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise SourceError(f"{where} did not answer JSON ({exc})") from None


def origin(url: str) -> str:
    """Scheme and host only."""
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else url


def join(base: str, *parts: str) -> str:
    return "/".join([base.rstrip("/"), *(urllib.parse.quote(p, safe="@") for p in parts)])
