"""`[ci]`: what `shipyard ci generate` writes into the workflows (docs/ci.md)."""

from __future__ import annotations

from shipyard.ci.settings import (  # the reader's own choices: one list
    _LOGIN,
    DAYS,
    ECOSYSTEMS,
    SCHEDULES,
    SEVERITIES,
    UPDATE_TYPES,
    VERSIONING,
)
from shipyard.ci.settings import STAGE_WORKFLOWS as WORKFLOWS
from shipyard.schema.model import Group, Key

_CRON = {"pattern": r"^\s*\S+(\s+\S+){4}\s*$"}
_VERSION = {"type": ["string", "number"]}

IGNORE_RULE = Group(
    "one Dependabot ignore rule",
    keys=(
        Key("dependency-name", "string", "the dependency (* globs)", example="requests"),
        Key("versions", "strings", "the versions to ignore"),
        Key("update-types", "strings", "the updates to ignore", choices=UPDATE_TYPES),
        Key(
            "ecosystem",
            "string",
            "limits the rule to one update (default: all)",
            choices=ECOSYSTEMS,
        ),
    ),
    required=("dependency-name",),
    example={"dependency-name": "requests"},
)

DEPENDABOT = Group(
    "Dependabot's reviewers, assignees, labels, ignore rules and versioning",
    keys=(
        Key(
            "reviewers",
            "strings",
            "users or ORG/TEAM, written as CODEOWNERS owners of the dependency manifests",
            json={"items": {"pattern": f"^{_LOGIN}(/[A-Za-z0-9._-]+)?$"}},
        ),
        Key(
            "assignees",
            "strings",
            "users assigned the pull requests",
            json={"items": {"pattern": f"^{_LOGIN}$"}},
        ),
        Key(
            "labels",
            "strings",
            "labels of the pull requests",
            ("dependencies",),
            json={"items": {"minLength": 1, "maxLength": 50}},
        ),
        Key("versioning-strategy", "string", "pip and npm versioning", choices=VERSIONING),
        Key("ignore", "tables", "rules of updates Dependabot leaves alone", group=IGNORE_RULE),
    ),
)

CI = Group(
    "the generated GitHub Actions workflows",
    keys=(
        Key("runner", "string", "the runs-on of every job", "ubuntu-latest"),
        Key("branches", "strings", "the branches whose pushes run the workflows", ("main",)),
        Key("python", "value", "the Python version of the jobs", "3.12", json=_VERSION),
        Key("node", "value", "the Node version of the jobs", "20", json=_VERSION),
        Key("install", "strings", "install commands (default: the detected toolchains')"),
        Key(
            "stage-install",
            "table",
            "stage -> install commands only its job runs, after install",
            group=Group(
                "stage -> install commands only its job runs, after install",
                entries=Key("STAGE", "strings", "that stage's extra install commands"),
            ),
        ),
        Key(
            "shipyard",
            "string",
            'the pip requirement that installs shipyard on the runner ("": none)',
        ),
        Key("timeout", "duration", "every job's timeout", 1800.0),
        Key("retention-days", "integer", "days artifacts are kept", 7, minimum=1),
        Key("environment", "string", "the GitHub environment of the publish job", "release"),
        Key("publish", "string", "the publish job's command", "shipyard release --ci publish"),
        Key("required-reviews", "integer", "branch protection's approving reviews", 1, minimum=0),
        Key("code-owner-reviews", "boolean", "branch protection: code owners must review", False),
        Key("enforce-admins", "boolean", "branch protection applies to admins", False),
        Key("codeql", "boolean", "write the CodeQL workflow", True),
        Key("check", "boolean", "a quality job runs `shipyard ci generate --check`", True),
        Key("dependabot-day", "string", "Dependabot's weekday", "monday", choices=DAYS),
        Key(
            "workflows",
            "table",
            "workflow -> the stages it runs",
            group=Group(
                "workflow -> the stages it runs",
                entries=Key("WORKFLOW", "strings", "the stages of this workflow", example=["name"]),
                names="^(" + "|".join(WORKFLOWS) + ")$",
                sample_name="test",
            ),
        ),
        Key(
            "schedules",
            "table",
            "cron per scheduled workflow",
            group=Group(
                "cron per scheduled workflow",
                keys=tuple(
                    Key(name, "string", f"the cron of the {name} workflow", cron, json=_CRON)
                    for name, cron in SCHEDULES.items()
                ),
            ),
        ),
        Key("env-example", "string-map", "extra NAME = example lines for .env.example"),
        Key(
            "secrets",
            "strings",
            "GitHub secrets passed to the publish and scheduled jobs",
            json={"items": {"pattern": "^(?![Gg][Ii][Tt][Hh][Uu][Bb]_)[A-Za-z_][A-Za-z0-9_]*$"}},
        ),
        Key(
            "osv-mirror",
            "string",
            "base URL `shipyard scan db update --url` reads in CI",
            json={"pattern": "^https?://[^\\s'\"$`]+$"},
            example="https://osv.example.org/",
        ),
        Key("codecov", "boolean", "upload each stage's coverage report to Codecov", False),
        Key(
            "dependency-review",
            "value",
            "the severity that fails a pull request's dependency review; false: off",
            "high",
            json={"anyOf": [{"type": "boolean"}, {"enum": list(SEVERITIES)}]},
        ),
        Key("dependabot", "table", DEPENDABOT.description, group=DEPENDABOT),
        Key(
            "use-action",
            "value",
            "jobs run shipyard's GitHub Action pinned to a commit (OWNER/REPO@SHA), or false"
            " (true: this version's tag, deprecated, warned about)",
            False,
            json={"anyOf": [{"type": "boolean"}, {"type": "string", "pattern": "@[0-9a-f]{40}$"}]},
        ),
    ),
)
SECTION = Key("ci", "table", CI.description, group=CI)
