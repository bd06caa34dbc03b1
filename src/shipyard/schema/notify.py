"""`[notify.NAME]`: the alert channels (docs/monitoring.md). Secrets are never here: each key
ending in -env names the environment variable that holds one."""

from __future__ import annotations

from shipyard.schema.model import Group, Key

SEVERITIES = ("low", "medium", "high", "critical")
API = "https://api.github.com"


def _severity(default: str) -> Key:
    return Key("min-severity", "string", "the least severe alert sent", default, choices=SEVERITIES)


def _env(name: str, default: str, what: str) -> Key:
    return Key(name, "string", f"the environment variable holding {what}", default)


_REPO = Key("repo", "string", "owner/name", json={"pattern": "^[^/]+/[^/]+$"}, example="acme/app")
EMAIL = Group(
    "alerts by e-mail",
    keys=(
        Key("host", "string", "the SMTP server", example="smtp.example.org"),
        Key("port", "integer", "its port", 25),
        Key("from", "string", "the sender", example="ci@example.org"),
        Key("to", "strings", "the recipients", example=["team@example.org"]),
        Key("starttls", "boolean", "STARTTLS before logging in", True),
        Key("insecure", "boolean", "accept a password in plain text (starttls = false)", False),
        Key("username", "string", "the SMTP user (then password-env is needed)"),
        _env("password-env", "SMTP_PASSWORD", "the SMTP password"),
        Key("ca-file", "string", "a CA bundle, relative to the definition"),
        _severity("high"),
    ),
    required=("host", "from", "to"),
    example={"host": "smtp.example.org", "from": "ci@example.org", "to": ["team@example.org"]},
)
SLACK = Group(
    "alerts to a Slack webhook",
    keys=(_env("url-env", "SLACK_WEBHOOK", "the webhook URL"), _severity("medium")),
)
DISCORD = Group(
    "alerts to a Discord webhook",
    keys=(_env("url-env", "DISCORD_WEBHOOK", "the webhook URL"), _severity("medium")),
)
GITHUB = Group(
    "alerts as GitHub issues",
    keys=(
        _REPO,
        _env("token-env", "GITHUB_TOKEN", "the token"),
        Key("api", "string", "the REST API", API),
        _severity("critical"),
        Key("labels", "strings", "the issues' labels", ("shipyard-alert",)),
    ),
    required=("repo",),
    example={"repo": "acme/app"},
)
DISCUSSIONS = Group(
    "alerts as GitHub discussions",
    keys=(
        _REPO,
        _env("token-env", "GITHUB_TOKEN", "the token"),
        Key("category", "string", "the discussion category, name or slug", "General"),
        Key("api", "string", "the REST API", API),
        _severity("high"),
    ),
    required=("repo",),
    example={"repo": "acme/app"},
)

NOTIFY = Group(
    "the channels alerts go to",
    keys=tuple(
        Key(name, "table", group.description, group=group)
        for name, group in {
            "email": EMAIL,
            "slack": SLACK,
            "discord": DISCORD,
            "github": GITHUB,
            "discussions": DISCUSSIONS,
        }.items()
    ),
)
SECTION = Key("notify", "table", NOTIFY.description, group=NOTIFY)
