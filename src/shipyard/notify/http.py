"""Alerts over HTTP: chat webhooks (Slack, Discord) and GitHub issues (REST API)."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from shipyard.notify.interface import Alert, NotifyError, Severity

ICON = {Severity.CRITICAL: "🔴", Severity.HIGH: "🟠", Severity.MEDIUM: "🟡", Severity.LOW: "🔵"}


def request(
    method: str,
    url: str,
    body: Any = None,
    headers: dict[str, str] | None = None,
    what: str = "request",
) -> Any:
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(
        url,
        data=data,
        method=method,
        headers={"Content-Type": "application/json", "User-Agent": "shipyard", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(req, timeout=15) as resp:
            raw = resp.read()
    except urllib.error.HTTPError as exc:
        raise NotifyError(f"{what} failed: HTTP {exc.code} from {_origin(url)}") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise NotifyError(f"{what} failed: {_origin(url)} unreachable ({reason})") from None
    return json.loads(raw) if raw.strip().startswith((b"{", b"[")) else None


def _origin(url: str) -> str:
    """Scheme and host only: webhook paths are secrets."""
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def slack_payload(text: str) -> dict[str, str]:
    return {"text": text}


def discord_payload(text: str) -> dict[str, str]:
    return {"content": text[:2000]}  # Discord rejects longer messages


@dataclass
class Webhook:
    url: str
    payload: Callable[[str], dict[str, str]]  # the chat's message format
    min_severity: Severity = Severity.MEDIUM
    name: str = "webhook"

    def send(self, alert: Alert) -> None:
        text = f"{ICON[alert.severity]} *{alert.severity}* {alert.title}"
        if alert.body:
            text += f"\n{alert.body}"
        request("POST", self.url, self.payload(text), what=f"{self.name} webhook")


@dataclass
class GitHubIssues:
    repo: str  # owner/name
    token: str
    api: str = "https://api.github.com"
    min_severity: Severity = Severity.CRITICAL
    labels: list[str] = field(default_factory=lambda: ["shipyard-alert"])
    name: str = "github"

    def _headers(self) -> dict[str, str]:
        return {
            "Authorization": f"Bearer {self.token}",
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": "2022-11-28",
        }

    def send(self, alert: Alert) -> None:
        base = f"{self.api.rstrip('/')}/repos/{self.repo}/issues"
        query = urllib.parse.urlencode({"state": "open", "labels": ",".join(self.labels)})
        title = f"[{alert.severity}] {alert.title}"
        existing = (
            request("GET", f"{base}?{query}", headers=self._headers(), what="listing GitHub issues")
            or []
        )
        if any(issue.get("title") == title for issue in existing):
            return  # already open: one issue per problem
        body = f"{alert.body}\n\n<!-- shipyard-alert {alert.fingerprint} -->"
        request(
            "POST",
            base,
            {"title": title, "body": body, "labels": self.labels},
            headers=self._headers(),
            what="opening a GitHub issue",
        )
