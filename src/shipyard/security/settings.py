"""The `[scan]` section of the definition, read into typed settings with the gates' defaults.

Defaults follow the plan's Security Checklist and its CI gate: any secret fails, a vulnerable
dependency of moderate severity or above fails (`npm audit --audit-level=moderate`), a high code
finding fails, a denied licence fails. The definition is optional for `shipyard scan`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from shipyard import config
from shipyard.security.interface import Severity
from shipyard.store import STATE_DIR, Store

DEFAULT_BASELINE = ".secrets-baseline.tsv"
DEFAULT_MAX_AGE = 7 * 24 * 3600.0


@dataclass(frozen=True)
class Settings:
    rule_files: tuple[Path, ...] = ()
    baseline: Path = Path(DEFAULT_BASELINE)
    exclude: tuple[str, ...] = ()
    max_file_size: int | None = None  # none: every file is scanned, streaming
    db: tuple[Path, ...] = (Path(STATE_DIR) / "osv",)
    max_age: float = DEFAULT_MAX_AGE
    deps_fail_on: Severity = Severity.MODERATE
    unknown_severity: Severity = Severity.HIGH
    ignore: frozenset[str] = frozenset()  # advisory ids accepted by the user
    allow_unchecked: frozenset[str] = frozenset()  # packages that may stay unchecked
    code_fail_on: Severity = Severity.HIGH
    semgrep_config: tuple[str, ...] = ()
    license_allow: tuple[str, ...] = ()
    license_deny: tuple[str, ...] = ()
    fail_on_unknown_license: bool = False
    sbom_output: Path = Path("sbom.cdx.json")


SBOM_NAME = "sbom.cdx.json"


def _sbom_output(root: Path, named: str | None) -> Path:
    """A path the user names (relative to the project), else the state folder's reports."""
    return root / named if named else Store(root).report_path(SBOM_NAME)


def load(root: Path) -> Settings:
    """Settings from the project's definition, or the defaults when it has none."""
    if config.find_definition(root) is None:
        return Settings(
            baseline=root / DEFAULT_BASELINE,
            db=(Store(root).advisory_db,),
            sbom_output=Store(root).report_path(SBOM_NAME),
        )
    top = config.load(root).section("scan")
    settings = read(top, root)
    _readable(top.table("secrets"), settings.rule_files)
    return settings


def read(top: config.Table, root: Path) -> Settings:
    """Validate the `[scan]` table into `Settings` (paths relative to `root`)."""
    secrets, deps, code = top.table("secrets"), top.table("deps"), top.table("code")
    licenses, sbom = top.table("licenses"), top.table("sbom")
    settings = Settings(
        rule_files=tuple(root / p for p in _paths(secrets, "rules")),
        baseline=root / (_path(secrets, "baseline") or DEFAULT_BASELINE),
        exclude=tuple(secrets.str_list("exclude")),
        max_file_size=secrets.int("max-file-size", None, minimum=1),
        db=tuple(root / p for p in _paths(deps, "db")) or (Store(root).advisory_db,),
        max_age=deps.duration("max-age", DEFAULT_MAX_AGE) or DEFAULT_MAX_AGE,
        deps_fail_on=_severity(deps, "fail-on", Severity.MODERATE),
        unknown_severity=_severity(deps, "unknown-severity", Severity.HIGH),
        ignore=frozenset(deps.str_list("ignore")),
        allow_unchecked=frozenset(deps.str_list("allow-unchecked")),
        code_fail_on=_severity(code, "fail-on", Severity.HIGH),
        semgrep_config=tuple(code.str_list("semgrep-config")),
        license_allow=_licence_ids(licenses, "allow"),
        license_deny=_licence_ids(licenses, "deny"),
        fail_on_unknown_license=licenses.bool("fail-on-unknown", False),
        sbom_output=_sbom_output(root, _path(sbom, "output")),
    )
    for table in (secrets, deps, code, licenses, sbom, top):
        table.done()
    return settings


def _paths(table: config.Table, key: str) -> list[str]:
    """Files of the project: an empty entry would name the project folder itself."""
    paths = table.str_list(key)
    for n, path in enumerate(paths, start=1):
        if not path.strip():
            raise table.error(key, f"entry {n} is empty: give a file of the project")
    return paths


def _readable(table: config.Table, files: tuple[Path, ...]) -> None:
    """`rules`: each file must be there and readable when a command scans, so the message names
    the key that points at it (its contents are read, and named by file and rule, by the scan)."""
    for n, path in enumerate(files, start=1):
        try:
            open(path, "rb").close()
        except OSError as exc:
            reason = "it is a folder" if path.is_dir() else exc.strerror or str(exc)
            raise table.error(
                "rules",
                f"entry {n}: cannot read the rule file {path}: {reason}",
                hint="give a TOML rule file of the project (shipyard's or gitleaks' format)",
            ) from None


def _path(table: config.Table, key: str) -> str | None:
    path = table.str(key)
    if path is not None and not path.strip():
        raise table.error(key, "expected a file of the project, got an empty string")
    return path


def _licence_ids(table: config.Table, key: str) -> tuple[str, ...]:
    """`allow` / `deny`: one SPDX licence identifier per entry (each is matched against the
    identifiers of a package's expression), so a malformed entry cannot silently match none."""
    ids = table.str_list(key)
    if not ids:
        return ()
    from license_expression import ExpressionError, LicenseSymbol

    from shipyard.security import licenses

    for n, text in enumerate(ids, start=1):
        try:
            parsed = licenses.parse(text)
        except ExpressionError as exc:
            raise table.error(
                key, f"entry {n} {text!r} is not a licence identifier: {exc}"
            ) from None
        if type(parsed) is not LicenseSymbol:
            what = "empty" if parsed is None else "an expression"
            raise table.error(
                key,
                f"entry {n} {text!r} is {what}; expected one SPDX licence identifier such as "
                '"GPL-3.0-only" (list each licence as its own entry)',
            )
    return tuple(ids)


def _severity(table: config.Table, key: str, default: Severity) -> Severity:
    text = table.str(key)
    if text is None:
        return default
    severity = Severity.parse(text)
    if severity is None or severity is Severity.UNKNOWN:
        names = ", ".join(s.label for s in Severity if s is not Severity.UNKNOWN)
        raise table.error(key, f"expected one of {names}, got {text!r}")
    return severity
