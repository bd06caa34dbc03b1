"""Source `downloads`: the package's daily downloads, with a drop alert.

npm's downloads API (`/downloads/range/last-month/NAME`) and, for PyPI, pypistats.org's API
(`/packages/NAME/overall?mirrors=false`, no BigQuery needed) are read as a series of
(day, downloads). The last 7 days are compared with the 7 before: a fall of more than `drop`
(default 30 %) is a medium alert. Data whose newest day is older than `stale` (default 72h),
or that cannot be read, is stated as stale or missing (a low or medium alert), never taken for
a quiet week. `url` may be a local JSON file of the same shape (a synced copy).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from shipyard.config import Table
from shipyard.monitor.fetch import get_json, is_local, join, resolve
from shipyard.monitor.interface import CheckResult, Context, SourceError, data_missing
from shipyard.monitor.project import identify
from shipyard.notify.interface import Alert, Severity

Daily = list[tuple[str, int]]  # (YYYY-MM-DD, downloads), oldest first
WEEK = 7


def npm_location(base: str, package: str) -> str:
    return f"{base.rstrip('/')}/downloads/range/last-month/{package}"


def npm_daily(doc: Any) -> Daily:
    rows = doc.get("downloads") if isinstance(doc, dict) else None
    if not isinstance(rows, list):
        raise SourceError("npm downloads answer has no `downloads` list")
    return sorted((str(r["day"]), int(r["downloads"])) for r in rows)


def pypistats_location(base: str, package: str) -> str:
    return join(base, "packages", package.lower(), "overall") + "?mirrors=false"


def pypistats_daily(doc: Any) -> Daily:
    rows = doc.get("data") if isinstance(doc, dict) else None
    if not isinstance(rows, list):
        raise SourceError("pypistats answer has no `data` list")
    per_day: dict[str, int] = {}
    for r in rows:
        if r.get("category", "without_mirrors") == "without_mirrors":
            per_day[str(r["date"])] = per_day.get(str(r["date"]), 0) + int(r["downloads"])
    return sorted(per_day.items())


@dataclass(frozen=True)
class Api:
    default: str
    location: Callable[[str, str], str]
    parse: Callable[[Any], Daily]


APIS: dict[str, Api] = {
    "npm": Api("https://api.npmjs.org", npm_location, npm_daily),
    "pypi": Api("https://pypistats.org/api", pypistats_location, pypistats_daily),
}


def drop(daily: Daily) -> tuple[int, int] | None:
    """(last 7 days, the 7 before) or None with fewer than 14 days of data."""
    if len(daily) < 2 * WEEK:
        return None
    counts = [n for _, n in daily]
    return sum(counts[-WEEK:]), sum(counts[-2 * WEEK : -WEEK])


def age_of(daily: Daily, now: float) -> float:
    """Seconds from the end of the newest day to now."""
    newest = dt.datetime.fromisoformat(daily[-1][0]).replace(tzinfo=dt.UTC)
    return max(now - (newest + dt.timedelta(days=1)).timestamp(), 0.0)


@dataclass(frozen=True)
class Downloads:
    ecosystem: str | None
    package: str | None
    url: str | None
    drop: float = 0.30
    stale: float = 72 * 3600.0

    def run(self, ctx: Context) -> CheckResult:
        project = identify(ctx.root)
        eco = self.ecosystem or (project.ecosystem if project else None)
        name = self.package or (project.name if project else None)
        if not eco or not name:
            return CheckResult("downloads", True, "no package to watch (set package)")
        api = APIS[eco]
        if self.url and is_local(self.url):
            location = resolve(self.url, ctx.root)
        else:
            location = api.location(self.url or api.default, name)
        try:
            daily = api.parse(get_json(location).data)
        except (SourceError, AttributeError, KeyError, OverflowError, TypeError, ValueError) as exc:
            why = exc.message if isinstance(exc, SourceError) else f"unexpected answer ({exc})"
            alert = Alert(Severity.MEDIUM, "downloads", f"download figures of {name} missing", why)
            return data_missing("downloads", why, alert)
        if not daily:
            alert = Alert(
                Severity.MEDIUM, "downloads", f"download figures of {name} missing", "no day"
            )
            return data_missing("downloads", "the answer holds no day", alert)
        return self._judge(name, daily, ctx.now)

    def _judge(self, name: str, daily: Daily, now: float) -> CheckResult:
        age = age_of(daily, now)
        if age > self.stale:
            body = f"the newest figure is for {daily[-1][0]} ({age / 86400:.1f} days old)"
            alert = Alert(Severity.LOW, "downloads", f"download figures of {name} are stale", body)
            return CheckResult("downloads", False, f"stale: {body}", (alert,))
        weeks = drop(daily)
        if weeks is None:
            return CheckResult("downloads", True, f"{name}: {len(daily)} days of data, need 14")
        last, before = weeks
        detail = f"{name}: {last} downloads in the last 7 days, {before} the 7 before"
        if before and (before - last) / before > self.drop:
            title = f"{name} downloads fell more than {self.drop:.0%} in a week"
            alert = Alert(Severity.MEDIUM, "downloads", title, detail)
            return CheckResult("downloads", False, detail, (alert,))
        return CheckResult("downloads", True, detail)


def source(t: Table) -> Downloads:
    eco = t.str("ecosystem")
    if eco is not None and eco not in APIS:
        raise t.error("ecosystem", f"expected one of {', '.join(APIS)}, got {eco!r}")
    fall = t.number("drop", 30.0)
    return Downloads(
        eco,
        t.str("package"),
        t.str("url"),
        (fall if fall is not None else 30.0) / 100,
        t.duration("stale", 72 * 3600.0) or 72 * 3600.0,
    )
