"""Opt-in crash reports for shipyard itself, through the Sentry SDK; off by default.

Only with `SHIPYARD_TELEMETRY=1` and a DSN in `SHIPYARD_SENTRY_DSN` is an internal error (exit
3) sent, and only then is `sentry_sdk` imported. Before sending, every string in the event is
scrubbed: the values of all environment variables (of 6 characters or more), the project
folder, the home folder and the user name, token-shaped strings (GitHub, Slack, AWS, npm,
PyPI, bearer headers), `key=value` pairs whose key names a secret, and URL credentials. No
local variables, no host name, no user, no request, no breadcrumbs are sent. A failure to send
is ignored: reporting a crash must not cause another.
"""

from __future__ import annotations

import getpass
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ENABLE = "SHIPYARD_TELEMETRY"
DSN = "SHIPYARD_SENTRY_DSN"
MIN_ENV_VALUE = 6  # shorter values ("1", "main", "true") would blank ordinary words
TOKENS = re.compile(
    r"gh[pousr]_[A-Za-z0-9]{16,}|github_pat_[A-Za-z0-9_]{20,}|xox[abprs]-[A-Za-z0-9-]{8,}"
    r"|AKIA[0-9A-Z]{16}|npm_[A-Za-z0-9]{20,}|pypi-[A-Za-z0-9_-]{20,}"
    r"|(?i:bearer|token|basic)\s+[A-Za-z0-9._~+/-]{8,}=*"
)
PAIRS = re.compile(
    r"(?P<k>[\w.-]*(?:token|key|secret|password|passwd|pwd|auth|dsn)[\w.-]*)"
    r"(?P<sep>\s*[=:]\s*)(?P<v>[^\s&'\",;]+)",
    re.I,
)
DROPPED = ("server_name", "user", "request", "breadcrumbs", "extra", "modules")


def enabled(env: Mapping[str, str]) -> bool:
    return env.get(ENABLE) == "1" and bool(env.get(DSN))


class Scrubber:
    """Replaces what could identify a person or hold a secret, in any nested event data."""

    def __init__(self, env: Mapping[str, str], project: Path) -> None:
        from shipyard.redact import Masker

        values = {v for v in env.values() if len(v.strip()) >= MIN_ENV_VALUE}
        self.places = [
            (str(project), "<project>"),
            (str(Path.home()), "~"),
        ]
        self.masker = Masker(sorted(values - {p for p, _ in self.places}, key=len, reverse=True))
        user = _user()
        self.user = re.compile(rf"\b{re.escape(user)}\b") if user and len(user) >= 3 else None

    def text(self, text: str) -> str:
        for place, name in self.places:
            text = text.replace(place, name)
        text = self.masker.text(text)
        text = TOKENS.sub("***", text)
        text = PAIRS.sub(lambda m: f"{m['k']}{m['sep']}***", text)
        return self.user.sub("<user>", text) if self.user else text

    def data(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {self.text(str(k)): self.data(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self.data(v) for v in value]
        return value

    def event(self, event: dict[str, Any], hint: object = None) -> dict[str, Any]:
        for key in DROPPED:
            event.pop(key, None)
        for frame in _frames(event):
            frame.pop("vars", None)
        scrubbed: dict[str, Any] = self.data(event)
        return scrubbed


def _user() -> str | None:
    try:
        return getpass.getuser()
    except Exception:  # no user name in this environment (getpass raises several kinds)
        return None


def _frames(event: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[Any] = []
    for exc in (event.get("exception") or {}).get("values") or []:
        found += (exc.get("stacktrace") or {}).get("frames") or []
    return [f for f in found if isinstance(f, dict)]


def report_crash(exc: BaseException, command: str, project: Path, version: str) -> bool:
    """Send one scrubbed crash report when telemetry is on; True when it was handed over."""
    env = dict(os.environ)
    if not enabled(env):
        return False
    try:
        import sentry_sdk
    except ImportError:
        return False  # opt-in without the SDK installed: nothing to send with
    scrub = Scrubber(env, project)
    try:
        sentry_sdk.init(
            dsn=env[DSN],
            release=f"shipyard@{version}",
            default_integrations=False,
            auto_enabling_integrations=False,
            send_default_pii=False,
            include_local_variables=False,
            max_breadcrumbs=0,
            before_send=scrub.event,  # type: ignore[arg-type]
        )
        sentry_sdk.set_tag("command", command)
        sentry_sdk.capture_exception(exc)
        sentry_sdk.flush(timeout=5)
    except Exception:  # a broken DSN or transport must not turn one crash into two
        return False
    return True
