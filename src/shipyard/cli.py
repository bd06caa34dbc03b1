"""Command-line entry point: parse, dispatch, return an exit code.

Nothing is imported at start beyond the standard library's argparse: each command module is
imported only when that command runs, so `shipyard --version` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import os
import signal
import sys
import threading
from collections.abc import Sequence
from typing import Any

from shipyard import __version__, output
from shipyard.errors import EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_USAGE, ShipyardError

# name -> (module, one line of help). Order is the order of `shipyard --help`.
COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("shipyard.commands.init", "detect the project and write a pipeline definition"),
    "run": (
        "shipyard.commands.run",
        "run the pipeline (or named stages) as a parallel, cached DAG",
    ),
    "runs": ("shipyard.commands.runs", "list recorded runs, or show one"),
    "cache": ("shipyard.commands.cache", "show or clean the stage cache"),
    "gate": ("shipyard.commands.gate", "evaluate quality gates from the stages' reports"),
    "scan": (
        "shipyard.commands.scan",
        "scan for secrets, vulnerable deps, code issues, licences; SBOM",
    ),
    "bench": (
        "shipyard.commands.bench",
        "run benchmarks and detect regressions against a baseline",
    ),
    "version": ("shipyard.commands.version", "print the next version from conventional commits"),
    "changelog": ("shipyard.commands.changelog", "update CHANGELOG.md from conventional commits"),
    "release": ("shipyard.commands.release", "bump, tag, build, publish and announce a release"),
    "rollback": ("shipyard.commands.rollback", "move a release channel back to a good version"),
    "ci": ("shipyard.commands.ci", "generate the GitHub Actions workflows from the definition"),
    "monitor": (
        "shipyard.commands.monitor",
        "run health checks and send alerts (email, chat, issues)",
    ),
    "serve": ("shipyard.commands.serve", "serve the health endpoint (GET /health)"),
    "metrics": (
        "shipyard.commands.metrics",
        "DORA metrics and pipeline KPIs against the plan's targets",
    ),
    "report": ("shipyard.commands.report", "write the delivery dashboard as one HTML page"),
    "backup": (
        "shipyard.commands.backup",
        "back up, verify, restore or mirror the repository and state",
    ),
    "hook": ("shipyard.commands.hook", "install git hooks that run pipeline stages (pre-commit)"),
    "completion": (
        "shipyard.commands.completion",
        "print a shell completion script (bash, zsh, fish)",
    ),
    "validate": (
        "shipyard.commands.validate",
        "check a build: the package imports, its CLI answers (build stages)",
    ),
    "schema": (
        "shipyard.commands.schema",
        "print the JSON Schema of the definition (for editors)",
    ),
}


def _top_help() -> str:
    width = max(len(n) for n in COMMANDS)
    lines = [
        "usage: shipyard [--version] [-C DIR] [-q | -v] COMMAND [ARGS...]",
        "",
        "One pipeline definition: run it locally as a parallel, cached DAG, and in CI at scale.",
        "",
        "commands:",
        *(f"  {name.ljust(width)}  {text}" for name, (_, text) in COMMANDS.items()),
        "",
        "options:",
        "  -h, --help     show this help and exit",
        "  --version      print the version and exit",
        "  -C DIR         run as if started in DIR",
        "  -q, --quiet    only results, failures and errors: no progress (also after COMMAND)",
        "  -v, --verbose  also each step's details: commands, cache keys (also after COMMAND)",
        "",
        "Run `shipyard COMMAND --help` for a command's options.",
        "Exit codes: 0 ok, 1 a check failed, 2 usage or input error, 3 internal error,",
        "130 interrupted.",
    ]
    return "\n".join(lines)


VERBOSITY = {"-q": -1, "--quiet": -1, "-v": 1, "--verbose": 1}  # output.QUIET / VERBOSE


def _verbosity(flags: list[str], rest: list[str]) -> tuple[int | None, list[str]]:
    """The level the -q / -v flags ask for (before or after the command, up to `--`), and the
    command's arguments without them; None when both are given."""
    end = rest.index("--") if "--" in rest else len(rest)
    given = {VERBOSITY[a] for a in [*flags, *rest[:end]] if a in VERBOSITY}
    kept = [a for a in rest[:end] if a not in VERBOSITY] + rest[end:]
    if len(given) > 1:
        return None, kept
    return (given.pop() if given else 0), kept


def _split(argv: list[str]) -> tuple[str | None, list[str], str, list[str]]:
    """(command, global flags, -C project, command args); flags come before the command."""
    flags: list[str] = []
    project = "."
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "-C" and i + 1 < len(argv):
            project, i = argv[i + 1], i + 2
        elif arg.startswith("-C") and len(arg) > 2:
            project, i = arg[2:], i + 1
        elif arg.startswith("-"):
            flags.append(arg)
            i += 1
        else:
            return arg, flags, project, argv[i + 1 :]
    return None, flags, project, []


def main(argv: Sequence[str] | None = None) -> int:
    """The exit code for `argv`; Ctrl-C or SIGTERM at any moment gives 130, never a traceback."""
    previous = _terminate_as_interrupt()
    try:
        try:
            return _main(argv)
        finally:  # an interrupt landing here, after the command, is still exit 130 below
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)
    except BrokenPipeError:  # `shipyard --help | head`: the reader left; not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        output.err("interrupted")
        return EXIT_INTERRUPTED


def _terminate_as_interrupt() -> Any:
    """SIGTERM raises KeyboardInterrupt from the first moment, so a run started when it arrives
    is still recorded (as interrupted); returns the handler to restore."""
    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGTERM, _raise_interrupt)


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _main(argv: Sequence[str] | None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    command, flags, project, rest = _split(args)
    if "--version" in flags:
        output.out(f"shipyard {__version__}")
        return 0
    if "-h" in flags or "--help" in flags:
        output.out(_top_help())
        return 0
    if command is None:
        output.err(_top_help())
        return EXIT_USAGE
    level, rest = _verbosity(flags, rest)
    flags = [f for f in flags if f not in VERBOSITY]
    if level is None:
        output.err("error: --quiet and --verbose contradict each other: give one")
        return EXIT_USAGE
    if flags:
        output.err(f"error: unknown option {flags[0]!r} before the command\n")
        output.err(_top_help())
        return EXIT_USAGE
    if command not in COMMANDS:
        import difflib

        close = difflib.get_close_matches(command, list(COMMANDS), n=1)
        tip = f" (did you mean {close[0]!r}?)" if close else ""
        output.err(f"error: unknown command {command!r}{tip}; see `shipyard --help`")
        return EXIT_USAGE
    return _dispatch(command, rest, project, level)


def _dispatch(command: str, rest: list[str], project: str, level: int = 0) -> int:
    from pathlib import Path

    module_name, text = COMMANDS[command]
    output.set_verbosity(level)
    output.mask_secrets(os.environ)  # no secret value reaches the terminal, whatever happens
    try:
        module = importlib.import_module(module_name)
        parser = argparse.ArgumentParser(prog=f"shipyard {command}", description=text)
        module.add_arguments(parser)
        try:
            ns = parser.parse_args(rest)
        except SystemExit as exc:  # argparse has printed usage or help
            return int(exc.code or 0) if exc.code in (0, None) else EXIT_USAGE
        ns.project = Path(project).resolve()
        if not ns.project.is_dir():
            raise ShipyardError(f"-C {project}: no such directory")
        return int(module.run(ns))
    except ShipyardError as exc:
        output.err(exc.render())
        return exc.exit_code
    except KeyboardInterrupt:
        output.err("interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return 0
    except Exception as exc:  # the one place an unexpected error becomes exit 3
        if _interrupted(exc):
            output.err("interrupted")
            return EXIT_INTERRUPTED
        import traceback

        output.err(traceback.format_exc().rstrip())
        log = _log_internal_error(command, project, output.safe(traceback.format_exc()))
        _report_crash(command, project)
        output.err(
            "error: internal error in shipyard (the traceback above); please report it at "
            "the project's issue tracker (bug report template)" + (f", with {log}" if log else "")
        )
        return EXIT_INTERNAL


def _report_crash(command: str, project: str) -> None:
    """Opt-in telemetry (SHIPYARD_TELEMETRY=1 and a DSN); the SDK is imported only then."""
    import os

    if os.environ.get("SHIPYARD_TELEMETRY") != "1":
        return
    from pathlib import Path

    from shipyard import telemetry

    exc = sys.exc_info()[1]
    if exc is not None and telemetry.report_crash(
        exc, command, Path(project).resolve(), __version__
    ):
        output.err("a scrubbed crash report was sent (SHIPYARD_TELEMETRY=1)")


def _interrupted(exc: BaseException) -> bool:
    """An error that only wraps a Ctrl-C (Python 3.11 wraps one raised while a class is being
    made, mid-import, in a RuntimeError)."""
    seen: BaseException | None = exc
    for _ in range(20):
        if seen is None:
            return False
        if isinstance(seen, KeyboardInterrupt):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _log_internal_error(command: str, project: str, trace: str) -> str | None:
    """Keep the traceback in .shipyard/logs/error.log (local only: nothing is sent anywhere)."""
    from pathlib import Path

    from shipyard import logs
    from shipyard.store import Store

    try:
        path = logs.log(
            Store(Path(project).resolve()),
            "error",
            "internal error",
            version=__version__,
            command=command,
            python=sys.version.split()[0],
            traceback=trace,
        )
    except Exception:
        return None
    return str(path) if path is not None and path.exists() else None


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
