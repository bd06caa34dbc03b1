"""Alerts over HTTP: chat webhooks (Slack, Discord) and GitHub issues (REST API)."""

from __future__ import annotations

import urllib.parse
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
    """Send through shipyard.http; any answer but 2xx is a NotifyError naming only the origin
    (webhook paths are secrets). Returns the JSON body, or None when it is not JSON."""
    from shipyard import http

    try:
        resp = http.request(method, url, json=body, headers=headers, label=_origin(url))
        if not resp.ok:
            raise NotifyError(f"{what} failed: HTTP {resp.status} from {_origin(url)}")
        return resp.json() if resp.body.strip().startswith((b"{", b"[")) else None
    except http.HttpError as exc:
        raise NotifyError(f"{what} failed: {exc.message}", hint=exc.hint) from None


def _origin(url: str) -> str:
    """Scheme and host only: webhook paths are secrets."""
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.hostname}" + (f":{parts.port}" if parts.port else "")


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
        existing = request(
            "GET", f"{base}?{query}", headers=self._headers(), what="listing GitHub issues"
        )
        if not isinstance(existing, list):
            raise NotifyError(f"listing GitHub issues: {_origin(base)} did not answer a JSON array")
        if any(isinstance(i, dict) and i.get("title") == title for i in existing):
            return  # already open: one issue per problem
        body = f"{alert.body}\n\n<!-- shipyard-alert {alert.fingerprint} -->"
        request(
            "POST",
            base,
            {"title": title, "body": body, "labels": self.labels},
            headers=self._headers(),
            what="opening a GitHub issue",
        )
