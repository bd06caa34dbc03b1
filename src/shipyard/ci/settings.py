"""The `[ci]` section: runners, base branches, default versions, review rules, schedules.

Every key has a default taken from the plan, so an empty section (or none) generates the plan's
workflows; docs/ci.md lists the keys.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from shipyard import __version__
from shipyard.ci import checks
from shipyard.config import Definition, Table

# The plan's schedules: weekly security and CodeQL, nightly benchmarks, alerts every 6 hours.
SCHEDULES = {
    "security": "0 0 * * 0",
    "codeql": "0 12 * * 1",
    "performance": "0 2 * * *",
    "analytics": "0 9 * * 1",
    "alerts": "0 */6 * * *",
}
STAGE_WORKFLOWS = ("build", "test", "quality", "security", "performance")
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
SEVERITIES = ("low", "moderate", "high", "critical")  # dependency-review's fail-on-severity
UPDATE_TYPES = tuple(f"version-update:semver-{x}" for x in ("major", "minor", "patch"))
VERSIONING = ("auto", "increase", "increase-if-necessary", "lockfile-only", "widen")
ECOSYSTEMS = ("pip", "npm", "github-actions")
_LOGIN = r"[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}"  # a GitHub user or org name


@dataclass(frozen=True)
class IgnoreRule:
    """One Dependabot `ignore` entry; `ecosystem` limits it to one update (default: all)."""

    dependency: str
    versions: tuple[str, ...] = ()
    update_types: tuple[str, ...] = ()
    ecosystem: str | None = None


@dataclass(frozen=True)
class DependabotSettings:
    """`[ci.dependabot]`: who reviews and is assigned, labels, ignore rules, versioning."""

    reviewers: tuple[str, ...] = ()
    assignees: tuple[str, ...] = ()
    labels: tuple[str, ...] = ("dependencies",)
    ignore: tuple[IgnoreRule, ...] = ()
    versioning_strategy: str | None = None


@dataclass(frozen=True)
class CiSettings:
    runner: str = "ubuntu-latest"
    branches: tuple[str, ...] = ("main",)
    python: str = "3.12"
    node: str = "20"
    install: tuple[str, ...] | None = None  # None: the detected toolchains' install commands
    # `[ci.stage-install]`: commands only that stage's job runs, after `install`
    stage_install: dict[str, tuple[str, ...]] = field(default_factory=dict)
    shipyard: str | None = None  # pip requirement for shipyard; None: this version; "": none
    timeout_minutes: int = 30
    retention_days: int = 7
    environment: str = "release"
    publish: str = "shipyard release --ci publish"
    required_reviews: int = 1
    code_owner_reviews: bool = False
    enforce_admins: bool = False
    codeql: bool = True
    check: bool = True  # a quality job runs `shipyard ci generate --check`
    dependabot_day: str = "monday"
    workflows: dict[str, tuple[str, ...]] = field(default_factory=dict)
    schedules: dict[str, str] = field(default_factory=lambda: dict(SCHEDULES))
    env_example: dict[str, str] = field(default_factory=dict)
    secrets: tuple[str, ...] = ()  # GitHub secrets passed to the publish and scheduled jobs
    osv_mirror: str | None = None  # base URL `shipyard scan db update --url` reads in CI
    action: str | None = None  # `use-action`: jobs run shipyard's GitHub Action of this ref
    codecov: bool = False  # upload each stage's coverage report with the codecov action
    dependency_review: str | None = "high"  # fail-on-severity on pull requests; None: off
    dependabot: DependabotSettings = field(default_factory=DependabotSettings)


def load(definition: Definition) -> CiSettings:
    t = definition.section("ci")
    timeout = t.duration("timeout", 1800.0) or 1800.0
    install = t.str_list("install") if t.has("install") else None
    for i, command in enumerate(install or []):
        checks.plain(t.file, f"{t.key('install')}[{i}]", command)
    shipyard = t.str("shipyard")
    if shipyard is not None:
        checks.plain(t.file, t.key("shipyard"), shipyard)
    publish = t.str("publish", "shipyard release --ci publish") or "shipyard release --ci publish"
    checks.plain(t.file, t.key("publish"), publish)
    runner = t.str("runner", "ubuntu-latest") or "ubuntu-latest"
    checks.runner(t.file, t.key("runner"), runner)
    settings = CiSettings(
        runner=runner,
        branches=tuple(t.str_list("branches", ["main"])) or ("main",),
        python=_version(t, "python", "3.12"),
        node=_version(t, "node", "20"),
        install=tuple(install) if install is not None else None,
        stage_install=_stage_install(t.table("stage-install"), definition),
        shipyard=shipyard,
        timeout_minutes=max(1, round(timeout / 60)),
        retention_days=t.int("retention-days", 7, minimum=1) or 7,
        environment=t.str("environment", "release") or "release",
        publish=publish,
        required_reviews=t.int("required-reviews", 1, minimum=0) or 0,
        code_owner_reviews=t.bool("code-owner-reviews", False),
        enforce_admins=t.bool("enforce-admins", False),
        codeql=t.bool("codeql", True),
        check=t.bool("check", True),
        dependabot_day=_day(t),
        workflows=_workflows(t.table("workflows"), definition),
        schedules={**SCHEDULES, **_schedules(t.table("schedules"))},
        env_example=t.str_map("env-example"),
        secrets=_secrets(t),
        osv_mirror=_url(t, "osv-mirror"),
        codecov=t.bool("codecov", False),
        dependency_review=_dependency_review(t),
        dependabot=_dependabot(t.table("dependabot")),
        action=_action(t),
    )
    t.done()
    checks.check_stages(definition)
    return settings


def _version(t: Table, key: str, default: str) -> str:
    value = t.raw(key, default)
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise t.error(key, f'expected a version such as "{default}", got {value!r}')
    return str(value)


def _day(t: Table) -> str:
    day = (t.str("dependabot-day", "monday") or "monday").lower()
    if day not in DAYS:
        raise t.error("dependabot-day", f"expected a weekday ({', '.join(DAYS)}), got {day!r}")
    return day


def _workflows(t: Table, definition: Definition) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for name in list(t.data):
        if name not in STAGE_WORKFLOWS:
            raise t.error(name, f"unknown workflow: expected one of {', '.join(STAGE_WORKFLOWS)}")
        stages = t.str_list(name)
        for stage in stages:
            if stage not in definition.stages:
                raise t.error(
                    name,
                    f"names no stage: {stage!r} (stages: "
                    f"{', '.join(sorted(definition.stages)) or 'none'})",
                )
        out[name] = tuple(stages)
    t.done()
    return out


def _stage_install(t: Table, definition: Definition) -> dict[str, tuple[str, ...]]:
    """Stage name -> the install commands its job adds to `install` (so the jobs that do
    not need, say, `npm ci` do not pay for it)."""
    out: dict[str, tuple[str, ...]] = {}
    for name in list(t.data):
        if name not in definition.stages:
            raise t.error(
                name,
                f"names no stage (stages: {', '.join(sorted(definition.stages)) or 'none'})",
            )
        commands = t.str_list(name)
        for i, command in enumerate(commands):
            checks.plain(t.file, f"{t.key(name)}[{i}]", command)
        out[name] = tuple(commands)
    t.done()
    return out


def _schedules(t: Table) -> dict[str, str]:
    out: dict[str, str] = {}
    for name in list(t.data):
        if name not in SCHEDULES:
            raise t.error(
                name, f"unknown scheduled workflow: expected one of {', '.join(SCHEDULES)}"
            )
        cron = t.str(name) or ""
        if len(cron.split()) != 5:
            raise t.error(name, f"expected a cron expression of 5 fields, got {cron!r}")
        out[name] = cron
    t.done()
    return out


def _url(t: Table, key: str) -> str | None:
    value = t.str(key)
    if value is not None and not re.fullmatch(r"https?://[^\s'\"$`]+", value):
        raise t.error(key, f"expected an http(s) URL, got {value!r}")
    return value


def _unpinned_action(t: Table) -> None:
    """`use-action = true` names this version's release tag, which whoever holds the
    repository can move (zizmor's unpinned-uses flags it): said, with the way to pin."""
    from shipyard import output
    from shipyard.ci import action

    output.err(
        f"warning: {t.file}: {t.key('use-action')}: true means {action.default_ref()}, a tag "
        f'that can be moved; pin its commit: use-action = "{action.REPOSITORY}@<commit SHA>" '
        f"(`git ls-remote https://github.com/{action.REPOSITORY} v{__version__}` prints it); "
        "true stops being accepted in the next major release"
    )


def _secrets(t: Table) -> tuple[str, ...]:
    names = t.str_list("secrets")
    for name in names:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) or name.upper().startswith("GITHUB_"):
            raise t.error(
                "secrets",
                f"{name!r} is not a GitHub secret name (letters, digits "
                "and '_', not starting with a digit or GITHUB_)",
            )
    return tuple(names)


def _dependency_review(t: Table) -> str | None:
    value = t.raw("dependency-review", "high")
    if value is False:
        return None
    if value is True:
        return "high"
    if value not in SEVERITIES:
        raise t.error(
            "dependency-review",
            f"expected false or the severity that fails a pull request "
            f"({', '.join(SEVERITIES)}), got {value!r}",
        )
    return str(value)


def _dependabot(t: Table) -> DependabotSettings:
    reviewers = _logins(t, "reviewers", teams=True)
    assignees = _logins(t, "assignees", teams=False)
    labels = t.str_list("labels", ["dependencies"])
    for label in labels:
        if not label.strip() or len(label) > 50:
            raise t.error("labels", f"expected label names of 1 to 50 characters, got {label!r}")
    versioning = t.str("versioning-strategy")
    if versioning is not None and versioning not in VERSIONING:
        raise t.error(
            "versioning-strategy", f"expected one of {', '.join(VERSIONING)}, got {versioning!r}"
        )
    ignore = _ignore_rules(t)
    t.done()
    return DependabotSettings(reviewers, assignees, tuple(labels), ignore, versioning)


def _logins(t: Table, key: str, teams: bool) -> tuple[str, ...]:
    names = t.str_list(key)
    for name in names:
        team = re.fullmatch(f"{_LOGIN}/[A-Za-z0-9._-]+", name)
        if team and not teams:
            raise t.error(
                key,
                f"{name!r} is a team: Dependabot assigns pull requests to users only",
                hint="name users here; teams can review (`reviewers`)",
            )
        if not team and not re.fullmatch(_LOGIN, name):
            what = "a GitHub user name or ORG/TEAM" if teams else "a GitHub user name"
            raise t.error(key, f"expected {what}, got {name!r}")
    return tuple(names)


def _ignore_rules(t: Table) -> tuple[IgnoreRule, ...]:
    items = t.raw("ignore", [])
    if not isinstance(items, list):
        raise t.error("ignore", "expected a list of tables ([[ci.dependabot.ignore]])")
    rules = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise t.error(f"ignore[{i}]", "expected a table with dependency-name")
        rule = t.item("ignore", i, item)
        name = rule.str("dependency-name")
        if not name or not name.strip():
            raise rule.error("dependency-name", "expected the name of a dependency (* globs)")
        types = rule.str_list("update-types")
        for kind in types:
            if kind not in UPDATE_TYPES:
                raise rule.error(
                    "update-types", f"expected some of {', '.join(UPDATE_TYPES)}, got {kind!r}"
                )
        ecosystem = rule.str("ecosystem")
        if ecosystem is not None and ecosystem not in ECOSYSTEMS:
            raise rule.error(
                "ecosystem", f"expected one of {', '.join(ECOSYSTEMS)}, got {ecosystem!r}"
            )
        rules.append(IgnoreRule(name, tuple(rule.str_list("versions")), tuple(types), ecosystem))
        rule.done()
    return tuple(rules)


def _action(t: Table) -> str | None:
    """`use-action`: false, or shipyard's action pinned to a commit (`OWNER/REPO@SHA`)."""
    from shipyard.ci import action

    value = t.raw("use-action", False)
    if value is False:
        return None
    if value is True:  # the first releases' spelling: still read, with a warning
        _unpinned_action(t)
        return action.default_ref()
    if not isinstance(value, str) or not action.REF.fullmatch(value):
        raise t.error(
            "use-action",
            f"expected false or an action pinned to a full commit SHA such as "
            f'"{action.REPOSITORY}@<40 hex digits>", got {value!r}',
        )
    return value
