"""`shipyard schema`: print, write or check the JSON Schema of the pipeline definition.

The schema is built from the same key declarations the readers use (shipyard/schema/), so an
editor that validates with it (taplo, Even Better TOML) agrees with `shipyard` itself.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from shipyard import output
from shipyard.errors import EXIT_CHECK_FAILED, InputError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--pyproject",
        action="store_true",
        help="the schema of pyproject.toml's [tool.shipyard] (default: of shipyard.toml)",
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--output", "-o", metavar="FILE", type=Path, help="write it to FILE")
    where.add_argument(
        "--check", metavar="FILE", type=Path, help="exit 1 when FILE is not the current schema"
    )
    parser.add_argument("--json", action="store_true", help="print a JSON report")


def run(args: argparse.Namespace) -> int:
    from shipyard.schema import document

    kind = "pyproject" if args.pyproject else "shipyard"
    text = document.text(kind)
    if args.output is not None:
        from shipyard.store import write_atomic

        write_atomic(args.output, text)
        return _report(args, {"file": str(args.output), "written": True}, f"wrote {args.output}")
    if args.check is not None:
        current = _read(args.check) == text
        line = (
            f"{args.check} is up to date"
            if current
            else f"{args.check} is not the current schema: run `shipyard schema "
            f"{'--pyproject ' if args.pyproject else ''}--output {args.check}`"
        )
        _report(args, {"file": str(args.check), "up_to_date": current}, line, ok=current)
        return 0 if current else EXIT_CHECK_FAILED
    if args.json:
        output.json_out({"schema": document.document(kind)})
    else:
        output.out(text.rstrip("\n"))
    return 0


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read it ({exc})") from None


def _report(args: argparse.Namespace, data: dict[str, object], line: str, ok: bool = True) -> int:
    if args.json:
        output.json_out(data)
    elif ok:
        output.out(line)
    else:
        output.err(line)
    return 0
