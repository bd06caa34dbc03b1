"""The channels shipyard knows, built from `[notify.NAME]` tables. Secrets come from the
environment variables the tables name, never from the definition itself."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from shipyard.config import Definition, Table
from shipyard.notify.discussions import GitHubDiscussions
from shipyard.notify.email import Email
from shipyard.notify.http import GitHubIssues, Webhook, discord_payload, slack_payload
from shipyard.notify.interface import Channel, Severity


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
    starttls = t.bool("starttls", True)
    insecure = t.bool("insecure", False)
    if user and not starttls and not insecure:
        raise t.error(
            "starttls",
            "is false, so the password would cross the network in plain text",
            hint="keep starttls = true (the default), or set insecure = true to accept that",
        )
    ca_file = t.str("ca-file")
    return Email(
        host,
        t.int("port", 25) or 25,
        sender,
        to,
        severity(t, Severity.HIGH),
        starttls,
        user,
        secret(t, "password-env", "SMTP_PASSWORD", required=bool(user)),
        ca_file=str(Path(t.file).parent / ca_file) if ca_file else None,
        insecure=insecure,
    )


def _slack(t: Table) -> Channel:
    url = secret(t, "url-env", "SLACK_WEBHOOK") or ""
    return Webhook(url, slack_payload, severity(t, Severity.MEDIUM), name="slack")


def _discord(t: Table) -> Channel:
    url = secret(t, "url-env", "DISCORD_WEBHOOK") or ""
    return Webhook(url, discord_payload, severity(t, Severity.MEDIUM), name="discord")


def _repo(t: Table) -> str:
    repo = t.str("repo")
    if not repo or repo.count("/") != 1:
        raise t.error("repo", "expected owner/name")
    return repo


def _github(t: Table) -> Channel:
    return GitHubIssues(
        _repo(t),
        secret(t, "token-env", "GITHUB_TOKEN") or "",
        t.str("api", "https://api.github.com") or "",
        severity(t, Severity.CRITICAL),
        t.str_list("labels", ["shipyard-alert"]),
    )


def _discussions(t: Table) -> Channel:
    return GitHubDiscussions(
        _repo(t),
        secret(t, "token-env", "GITHUB_TOKEN") or "",
        t.str("category", "General") or "General",
        t.str("api", "https://api.github.com") or "",
        severity(t, Severity.HIGH),
    )


# `[notify.NAME]` -> the builder of that channel, in delivery order
KINDS: dict[str, Callable[[Table], Channel]] = {
    "email": _email,
    "slack": _slack,
    "discord": _discord,
    "github": _github,
    "discussions": _discussions,
}


def channels(definition: Definition) -> list[Channel]:
    section = definition.section("notify")
    out: list[Channel] = []
    for kind, build in KINDS.items():
        if section.has(kind):
            t = section.table(kind)
            out.append(build(t))
            t.done()
    section.done()
    return out
