"""`[monitor]`: how often an alert repeats, and one `[monitor.NAME]` table per source
(docs/monitoring.md)."""

from __future__ import annotations

from shipyard.schema.model import Group, Key

PIPELINE = Group(
    "the pipeline's health from the run store (runs even without its table)",
    keys=(
        Key("branch", "string", "the branch watched (default: the default branch)"),
        Key("window", "integer", "runs looked at", 20, minimum=1),
        Key("min-runs", "integer", "runs needed before alerting", 5, minimum=1),
        Key("failure-rate", "number", "percent of failed runs that alerts", 5.0),
        Key("duration", "duration", "a slower pipeline alerts", 600.0),
    ),
    example={"branch": "main"},
)
REGISTRY = Group("the package registry answers", keys=(Key("url", "string", "the registry's URL"),))
HEALTH = Group("health endpoints answer", keys=(Key("urls", "strings", "the URLs checked"),))
DOWNLOADS = Group(
    "download counts do not fall",
    keys=(
        Key("ecosystem", "string", "where the counts come from", choices=("npm", "pypi")),
        Key("drop", "number", "percent fall, week over week, that alerts", 30.0),
        Key("package", "string", "the package (default: the project's)"),
        Key("url", "string", "a local stand-in of the statistics API"),
        Key("stale", "duration", "older data is stale", 72 * 3600.0),
    ),
)
ISSUES = Group(
    "new GitHub issues do not surge",
    keys=(
        Key("repo", "string", "owner/name", json={"pattern": "^[^/]+/[^/]+$"}, example="acme/app"),
        Key("api", "string", "the REST API", "https://api.github.com"),
        Key("token-env", "string", "the environment variable holding the token", "GITHUB_TOKEN"),
        Key("days", "integer", "days compared", 14, minimum=2),
        Key("factor", "number", "a day this many times the usual alerts", 3.0),
        Key("min", "integer", "issues a day needed before alerting", 5, minimum=1),
    ),
    required=("repo",),
    example={"repo": "acme/app"},
)
ADVISORIES = Group(
    "new advisories against the released dependencies",
    keys=(
        Key("ref", "string", "the git ref whose dependencies are checked (default: the last tag)"),
    ),
)

MONITOR = Group(
    "the monitoring checks",
    keys=(
        Key("repeat", "duration", "an alert already sent is sent again after this long", 86400.0),
        *(
            Key(name, "table", group.description, group=group)
            for name, group in {
                "pipeline": PIPELINE,
                "registry": REGISTRY,
                "health": HEALTH,
                "downloads": DOWNLOADS,
                "issues": ISSUES,
                "advisories": ADVISORIES,
            }.items()
        ),
    ),
    example={"pipeline": {"branch": "main"}},
)
SECTION = Key("monitor", "table", MONITOR.description, group=MONITOR)
