"""`shipyard scan [secrets|deps|code|licenses|sbom|db update]`: the security stage.

Parses the command line into a `ScanRequest`, runs the scanners, prints one report and returns
1 when a gate fails. With no sub-command every scanner runs and the SBOM is written.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from shipyard.errors import EXIT_USAGE

if TYPE_CHECKING:
    from shipyard.security.interface import ScanResult
    from shipyard.security.registry import ScanRequest
    from shipyard.security.settings import Settings

SUBCOMMANDS = ("secrets", "deps", "code", "licenses", "sbom", "db")


def _common(parser: argparse.ArgumentParser, suppress: bool) -> None:
    """Options every scanner takes. On sub-commands their defaults are suppressed so that
    `shipyard scan --format json secrets` keeps the value given before the sub-command."""

    def default(value: object) -> object:
        return argparse.SUPPRESS if suppress else value

    parser.add_argument(
        "--format",
        choices=("table", "json", "sarif"),
        default=default("table"),
        help="report format (default: table)",
    )
    parser.add_argument(
        "--json",
        action="store_const",
        dest="format",
        const="json",
        default=argparse.SUPPRESS,
        help="the same as --format json",
    )
    parser.add_argument(
        "--output",
        type=Path,
        metavar="FILE",
        default=default(None),
        help="write the json/sarif report (or the SBOM) to FILE",
    )
    parser.add_argument(
        "--db",
        type=Path,
        action="append",
        default=default([]),
        metavar="PATH",
        help="OSV database: an all.zip or a folder of OSV JSON (repeatable)",
    )
    parser.add_argument(
        "--installed",
        nargs="?",
        const="auto",
        metavar="SITE_PACKAGES",
        default=default(None),
        help="also read an installed environment (default: the project's .venv)",
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    _common(parser, suppress=False)
    common = argparse.ArgumentParser(add_help=False)
    _common(common, suppress=True)
    sub = parser.add_subparsers(dest="sub", metavar="SCANNER")
    for name in ("deps", "code", "licenses", "sbom"):
        sub.add_parser(name, parents=[common], help=f"run the {name} scanner")
    secrets = sub.add_parser("secrets", parents=[common], help="find committed secrets")
    where = secrets.add_mutually_exclusive_group()
    where.add_argument(
        "--staged",
        action="store_const",
        dest="mode",
        const="staged",
        help="only the lines the next commit adds (pre-commit hook)",
    )
    where.add_argument(
        "--history",
        action="store_const",
        dest="mode",
        const="history",
        help="every commit reachable from any ref",
    )
    secrets.add_argument(
        "--rules",
        type=Path,
        action="append",
        default=[],
        metavar="FILE",
        help="an extra rule file (shipyard or gitleaks TOML; repeatable)",
    )
    secrets.add_argument(
        "--baseline",
        type=Path,
        metavar="FILE",
        help="baseline of accepted findings (default from [scan.secrets])",
    )
    secrets.add_argument(
        "--update-baseline",
        action="store_true",
        help="accept every current finding into the baseline",
    )
    secrets.add_argument(
        "--jobs",
        type=int,
        default=0,
        help="worker processes (default: from the work and the idle CPUs)",
    )
    db = sub.add_parser("db", help="manage the local advisory database")
    db.add_argument("action", choices=("update",))
    db.add_argument("--dest", type=Path, help="destination folder (default from [scan.deps] db)")
    db.add_argument("--ecosystem", action="append", default=[], help="PyPI, npm (repeatable)")
    db.add_argument("--url", default=None, help="base URL of the OSV bucket (for mirrors)")
    db.add_argument("--json", action="store_true", help="print what was written as JSON")


def run(args: argparse.Namespace) -> int:
    from shipyard.security import settings as settings_mod

    root: Path = args.project
    if getattr(args, "format", "table") != "table":
        from shipyard import output

        output.document_output()  # a JSON / SARIF report: no progress bars
    settings = settings_mod.load(root)
    if args.sub == "db":
        from shipyard.security import dbupdate

        return dbupdate.run(root, settings, args.dest, args.ecosystem, args.url, args.json)
    request = _request(args, root, settings)
    if args.sub == "sbom":
        from shipyard.security import sbom

        return sbom.run(request, args.output or settings.sbom_output)
    return _scan(args, request)


def _request(args: argparse.Namespace, root: Path, settings: Settings) -> ScanRequest:
    from shipyard.security.registry import ScanRequest

    installed: tuple[Path, ...] = ()
    if args.installed:
        installed = (_site_packages(root) if args.installed == "auto" else Path(args.installed),)
    baseline = getattr(args, "baseline", None)
    return ScanRequest(
        root=root,
        settings=settings,
        mode=getattr(args, "mode", None) or "tree",
        rule_files=tuple(getattr(args, "rules", ())),
        baseline=baseline,
        db=tuple(args.db),
        installed=installed,
        jobs=getattr(args, "jobs", 0),
    )


def _scan(args: argparse.Namespace, request: ScanRequest) -> int:
    from shipyard import api
    from shipyard.security import render

    if args.output is not None and args.format == "table":
        from shipyard.errors import UsageError

        raise UsageError("--output writes a report file: add --format json or --format sarif")
    options = api.ScanOptions(
        request.mode,
        request.rule_files,
        request.baseline,
        request.db,
        request.installed,
        request.jobs,
    )
    scanned = api.scan(request.root, [args.sub] if args.sub else (), options)
    if getattr(args, "update_baseline", False):
        return _update_baseline(request, scanned.results)
    render.emit(scanned.results, scanned.verdicts, args.format, args.output)
    if not args.sub:
        from shipyard.security import sbom

        sbom.run(request, request.settings.sbom_output, quiet=True)
    if any(r.error for r in scanned.results):
        return EXIT_USAGE  # bad input somewhere: the report says which scanner and why
    return 0 if scanned.passed else 1


def _update_baseline(request: ScanRequest, results: list[ScanResult]) -> int:
    from shipyard import output
    from shipyard.security import baseline, secrets

    path = request.baseline or request.settings.baseline
    entries = baseline.load(path)
    for r in results:
        entries.update(secrets.baseline_entries(r.findings))
    baseline.save(path, entries)
    output.out(f"baseline {path}: {len(entries)} accepted finding(s)")
    return 0


def _site_packages(root: Path) -> Path:
    """The project's virtual environment, else the environment shipyard runs in."""
    for venv in (root / ".venv", root / "venv"):
        found = sorted(venv.glob("lib/python*/site-packages"))
        if found:
            return found[-1]
    import sysconfig

    return Path(sysconfig.get_paths()["purelib"])
