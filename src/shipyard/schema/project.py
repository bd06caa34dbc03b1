"""The small sections: `[store]`, `[hooks]` and `[workspace]` (docs/configuration.md)."""

from __future__ import annotations

from shipyard.schema.model import Group, Key
from shipyard.schema.types import ONE_VERSION as _ONE_VERSION

STORE = Group(
    "the state folder",
    keys=(
        Key(
            "log-cap-mb",
            "integer",
            "megabytes of output a stage log keeps",
            100,
            minimum=1,
            maximum=1_000_000,
        ),
    ),
)
HOOKS = Group(
    "git hooks that run stages",
    keys=(
        Key(
            "pre-commit",
            "strings",
            "stages the pre-commit hook runs (default: lint and typecheck, when defined)",
            example=[],
        ),
        Key("pre-push", "strings", "stages the pre-push hook runs", example=[]),
        Key("commit-msg", "strings", "stages the commit-msg hook runs", example=[]),
        Key(
            "staged",
            "string-map",
            "glob -> a command given the matching staged files (lint-staged style)",
            json={"additionalProperties": {"type": "string", "pattern": r"\S"}},
        ),
    ),
)
WORKSPACE = Group(
    "the packages of a monorepo and how they are released",
    keys=(
        Key("packages", "strings", "folder globs of the packages (default: the manifests' list)"),
        Key(
            "mode",
            "string",
            "independent: each package its own version; fixed: one for all",
            "independent",
            choices=("independent", "fixed"),
        ),
        Key(
            "tag-format",
            "string",
            "tag names: {name}, {unscoped}, one {version}",
            "{name}@{version}",
            json=_ONE_VERSION,
        ),
        Key(
            "tag-formats",
            "string-map",
            "package name -> its own tag format",
            json={"additionalProperties": {"type": "string", **_ONE_VERSION}},
        ),
        Key(
            "bump-dependents",
            "string",
            "patch: a package whose workspace dependency is released gets a patch release",
            "patch",
            choices=("patch", "none"),
        ),
        Key(
            "scope-rule",
            "boolean",
            "a commit whose scope names a package counts for it, whatever paths it touches",
            False,
        ),
        Key("scopes", "string-map", "commit scope -> package name (for the scope rule)"),
    ),
)
SECTIONS = {
    "store": Key("store", "table", STORE.description, group=STORE),
    "hooks": Key("hooks", "table", HOOKS.description, group=HOOKS),
    "workspace": Key("workspace", "table", WORKSPACE.description, group=WORKSPACE),
}
STORE_SECTION = SECTIONS["store"]
HOOKS_SECTION = SECTIONS["hooks"]
WORKSPACE_SECTION = SECTIONS["workspace"]
