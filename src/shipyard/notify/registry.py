"""The channels shipyard knows, built from `[notify.NAME]` tables. Secrets come from the
environment variables the tables name, never from the definition itself."""

from __future__ import annotations

import os

from shipyard.config import Definition, Table
from shipyard.notify.email import Email
from shipyard.notify.http import GitHubIssues, Webhook
from shipyard.notify.interface import Channel, Severity

KINDS = ("email", "slack", "discord", "github")


def severity(t: Table, default: Severity) -> Severity:
    text = t.str("min-severity", str(default)) or str(default)
    try:
        return Severity[text.upper()]
    except KeyError:
        raise t.error(
            "min-severity", f"expected one of low, medium, high, critical, got {text!r}"
        ) from None


def secret(t: Table, key: str, default_env: str, required: bool = True) -> str | None:
    env = t.str(key, default_env) or default_env
    value = os.environ.get(env)
    if required and not value:
        raise t.error(
            key,
            f"environment variable {env} is not set",
            hint=f"export {env}=… (the secret is read from the environment only)",
        )
    return value


def _email(t: Table) -> Channel:
    host = t.str("host")
    to = t.str_list("to")
    sender = t.str("from")
    if not host or not to or not sender:
        raise t.error("host" if not host else ("to" if not to else "from"), "missing")
    user = t.str("username")
    return Email(
        host,
        t.int("port", 25) or 25,
        sender,
        to,
        severity(t, Severity.HIGH),
        t.bool("starttls", False),
        user,
        secret(t, "password-env", "SMTP_PASSWORD", required=bool(user)),
    )


def _hook(t: Table, flavour: str) -> Channel:
    env = "SLACK_WEBHOOK" if flavour == "slack" else "DISCORD_WEBHOOK"
    url = secret(t, "url-env", env) or ""
    return Webhook(url, flavour, severity(t, Severity.MEDIUM), name=flavour)


def _github(t: Table) -> Channel:
    repo = t.str("repo")
    if not repo or repo.count("/") != 1:
        raise t.error("repo", "expected owner/name")
    return GitHubIssues(
        repo,
        secret(t, "token-env", "GITHUB_TOKEN") or "",
        t.str("api", "https://api.github.com") or "",
        severity(t, Severity.CRITICAL),
        t.str_list("labels", ["shipyard-alert"]),
    )


def channels(definition: Definition) -> list[Channel]:
    section = definition.section("notify")
    out: list[Channel] = []
    for kind in KINDS:
        if not section.has(kind):
            continue
        t = section.table(kind)
        out.append(
            _email(t) if kind == "email" else _github(t) if kind == "github" else _hook(t, kind)
        )
        t.done()
    section.done()
    return out
