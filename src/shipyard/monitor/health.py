"""Source `health`: each URL must answer 200 with a JSON `status` of "ok" (critical)."""

from __future__ import annotations

from dataclasses import dataclass

from shipyard.config import Table
from shipyard.monitor.fetch import get_json
from shipyard.monitor.interface import CheckResult, Context, SourceError
from shipyard.notify.interface import Alert, Severity


@dataclass(frozen=True)
class Health:
    urls: tuple[str, ...]

    def run(self, ctx: Context) -> CheckResult:
        alerts = []
        details = []
        for url in self.urls:
            try:
                data = get_json(url).data
                state = data.get("status") if isinstance(data, dict) else None
                why = f"status {state!r}"
            except SourceError as exc:
                state, why = None, exc.message
            if state != "ok":
                alerts.append(Alert(Severity.CRITICAL, "health", f"{url} is unhealthy", why))
            details.append(f"{url}: {'ok' if state == 'ok' else 'DOWN'}")
        return CheckResult("health", not alerts, "; ".join(details) or "no url", tuple(alerts))


def source(t: Table) -> Health:
    return Health(tuple(t.str_list("urls")))
