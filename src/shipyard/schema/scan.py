"""`[scan]`: the secret, dependency, code and licence scanners, and the SBOM (docs/security.md)."""

from __future__ import annotations

from shipyard.schema.model import Group, Key

# security.interface.Severity.parse: the names and their aliases, as written in the definition
SEVERITIES = ("info", "low", "moderate", "medium", "warning", "high", "error", "critical", "note")

SECRETS = Group(
    "the secret scanner",
    keys=(
        Key("rules", "strings", "more rule files (TOML), relative to the project"),
        Key("baseline", "string", "the accepted findings", ".secrets-baseline.tsv"),
        Key("exclude", "strings", "path globs left out"),
        Key("max-file-size", "integer", "bytes above which a file is skipped", minimum=1),
    ),
)
DEPS = Group(
    "the dependency scanner",
    keys=(
        Key("db", "strings", "OSV databases (default: the state folder's osv)"),
        Key("max-age", "duration", "older advisory data is stale", 7 * 24 * 3600.0),
        Key(
            "fail-on",
            "string",
            "the lowest severity that fails (default moderate)",
            choices=SEVERITIES,
        ),
        Key(
            "unknown-severity",
            "string",
            "the severity of an advisory without one (default high)",
            choices=SEVERITIES,
        ),
        Key("ignore", "strings", "advisory ids accepted"),
        Key("allow-unchecked", "strings", "packages that may stay unchecked"),
    ),
)
CODE = Group(
    "the code scanner",
    keys=(
        Key(
            "fail-on", "string", "the lowest severity that fails (default high)", choices=SEVERITIES
        ),
        Key("semgrep-config", "strings", "semgrep --config values"),
    ),
)
LICENSES = Group(
    "the licence check",
    keys=(
        Key("allow", "strings", "SPDX identifiers allowed, one per entry", example=["MIT"]),
        Key("deny", "strings", "SPDX identifiers denied, one per entry", example=["GPL-3.0-only"]),
        Key("fail-on-unknown", "boolean", "a package of unknown licence fails", False),
    ),
)
SBOM = Group(
    "the CycloneDX SBOM",
    keys=(Key("output", "string", "its path (default: the state folder's reports)"),),
)

SCAN = Group(
    "the security scanners",
    keys=(
        Key("secrets", "table", SECRETS.description, group=SECRETS),
        Key("deps", "table", DEPS.description, group=DEPS),
        Key("code", "table", CODE.description, group=CODE),
        Key("licenses", "table", LICENSES.description, group=LICENSES),
        Key("sbom", "table", SBOM.description, group=SBOM),
    ),
)
SECTION = Key("scan", "table", SCAN.description, group=SCAN)
