"""Source `issues`: GitHub issues opened per day, with a rate alert.

Reads `GET /repos/{owner}/{repo}/issues?state=all&since=…` (pull requests, which the endpoint
also returns, are left out; `Link: rel="next"` pages are followed, up to 10), counts the
issues created per day over the last `days` (default 14) and alerts (high: something may have
broken for users) when the last 24 hours saw more than `factor` (3) times the daily mean of the
days before, and at least `min` (5) issues. `api` may be a local JSON file holding the list of
issues (a synced copy). A token (`token-env`, default GITHUB_TOKEN) is sent when set.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shipyard.config import Table
from shipyard.monitor.fetch import get_json, is_local, origin, resolve
from shipyard.monitor.interface import CheckResult, Context, SourceError, data_missing
from shipyard.notify.interface import Alert, Severity

DAY = 86400.0
PAGES = 10
_NEXT = re.compile(r'<([^>]+)>;\s*rel="next"')


def created_times(issues: list[Any]) -> list[float]:
    """Creation times of the issues that are not pull requests."""
    out = []
    for n, issue in enumerate(issues, start=1):
        if not isinstance(issue, dict) or not isinstance(issue.get("created_at"), str):
            # a row that is not an issue: counting none would report a quiet day
            raise SourceError(f"issue {n} of the answer is not an issue with a created_at time")
        if "pull_request" not in issue:
            text = issue["created_at"].replace("Z", "+00:00")
            try:
                out.append(dt.datetime.fromisoformat(text).timestamp())
            except ValueError:
                raise SourceError(f"issue {n} has created_at {text[:40]!r}") from None
    return out


def rate(times: list[float], now: float, days: int) -> tuple[int, float]:
    """(issues in the last 24 hours, daily mean over the `days - 1` days before)."""
    last = sum(1 for t in times if now - DAY < t <= now)
    before = sum(1 for t in times if now - days * DAY < t <= now - DAY)
    return last, before / max(days - 1, 1)


@dataclass(frozen=True)
class Issues:
    repo: str
    api: str = "https://api.github.com"
    token_env: str = "GITHUB_TOKEN"
    days: int = 14
    factor: float = 3.0
    minimum: int = 5

    def _fetch(self, now: float, root: Path) -> list[Any]:
        if is_local(self.api):
            data = get_json(resolve(self.api, root)).data
            if not isinstance(data, list):
                raise SourceError(f"{self.api}: expected a JSON list of issues")
            return data
        since = dt.datetime.fromtimestamp(now - self.days * DAY, dt.UTC)
        query = urllib.parse.urlencode(
            {"state": "all", "since": since.strftime("%Y-%m-%dT%H:%M:%SZ"), "per_page": 100}
        )
        url: str | None = f"{self.api.rstrip('/')}/repos/{self.repo}/issues?{query}"
        headers = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}
        token = os.environ.get(self.token_env)
        if token:
            headers["Authorization"] = f"Bearer {token}"
        found: list[Any] = []
        for _ in range(PAGES):
            if url is None:
                break
            page = get_json(url, headers)
            if not isinstance(page.data, list):
                raise SourceError("the issues API did not answer a list")
            found += page.data
            m = _NEXT.search(page.headers.get("link", ""))
            url = m.group(1) if m and origin(m.group(1)) == origin(self.api) else None
        return found

    def run(self, ctx: Context) -> CheckResult:
        try:
            times = created_times(self._fetch(ctx.now, ctx.root))
        except (SourceError, ValueError) as exc:
            why = exc.message if isinstance(exc, SourceError) else f"unexpected answer ({exc})"
            alert = Alert(Severity.MEDIUM, "issues", f"issue figures of {self.repo} missing", why)
            return data_missing("issues", why, alert)
        last, mean = rate(times, ctx.now, self.days)
        detail = (
            f"{last} issues opened in the last 24h; "
            f"{mean:.1f}/day over the {self.days - 1} days before"
        )
        if last >= self.minimum and last > self.factor * mean:
            title = f"{self.repo}: issues opened at more than {self.factor:g}x the usual rate"
            return CheckResult(
                "issues", False, detail, (Alert(Severity.HIGH, "issues", title, detail),)
            )
        return CheckResult("issues", True, detail)


def source(t: Table) -> Issues:
    repo = t.str("repo")
    if not repo or repo.count("/") != 1:
        raise t.error("repo", "expected owner/name")
    d = Issues(repo)
    return Issues(
        repo,
        t.str("api", d.api) or d.api,
        t.str("token-env", d.token_env) or d.token_env,
        t.int("days", d.days, minimum=2) or d.days,
        t.number("factor", d.factor) or d.factor,
        t.int("min", d.minimum, minimum=1) or d.minimum,
    )
