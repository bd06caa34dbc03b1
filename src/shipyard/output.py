"""The only place that writes to the terminal.

Plain `print` to stdout/stderr for lines; rich (imported on first use) for tables and live
progress. Live displays only on a terminal, never in CI logs or pipes. Colour follows the
conventions: NO_COLOR (any value) turns it off; FORCE_COLOR (any value but 0 / false) or
CLICOLOR_FORCE (not 0) turns it on where output is not a terminal (CI logs render ANSI);
CLICOLOR=0 turns it off; otherwise colour on a terminal only.
Everything written here passes through the secret mask (see `mask_secrets`).
Verbosity (`shipyard --quiet` / `--verbose`): `info` lines are progress a user can do without
(hidden by --quiet), `detail` lines only show with --verbose; results and errors always show.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from rich.console import Console

    from shipyard.redact import Masker

_masker: Masker | None = None

QUIET, NORMAL, VERBOSE = -1, 0, 1
_verbosity = NORMAL
_document = False  # stdout carries a machine-readable document (--json): nothing live
T = TypeVar("T")


def set_verbosity(level: int) -> None:
    """QUIET, NORMAL or VERBOSE, from the global flags (cli.py)."""
    global _verbosity
    _verbosity = level


def verbosity() -> int:
    return _verbosity


def document_output() -> None:
    """The command prints a JSON / SARIF document: no progress bars from now on."""
    global _document
    _document = True


def mask_secrets(env: Mapping[str, str], names: Sequence[str] = ()) -> Masker:
    """Hide the secret-looking values of `env` (and the variables in `names`) in everything
    written from now on; in GitHub Actions also ask the runner to mask them (on stderr, so
    that --json output on stdout stays clean)."""
    global _masker
    from shipyard.redact import Masker, secret_values

    known = set(_masker.secrets) if _masker else set()
    values = secret_values(env, names)
    if os.environ.get("GITHUB_ACTIONS") == "true":
        for value in values:
            if value not in known and "\n" not in value:
                print(f"::add-mask::{value}", file=sys.stderr, flush=True)
    _masker = Masker(sorted(known | set(values), key=len, reverse=True))
    return _masker


def safe(text: str) -> str:
    """`text` with secrets and URL credentials replaced by ***."""
    if _masker is not None:
        return _masker.text(text)
    if "@" in text:
        from shipyard.redact import urls_in

        return urls_in(text)
    return text


def is_terminal() -> bool:
    return sys.stdout.isatty() and os.environ.get("TERM") != "dumb" and not os.environ.get("CI")


def color_enabled() -> bool:
    env = os.environ
    if env.get("NO_COLOR"):
        return False
    force = env.get("FORCE_COLOR")
    if force:
        return force.lower() not in ("0", "false")
    if env.get("CLICOLOR_FORCE", "0") not in ("", "0"):
        return True
    if env.get("CLICOLOR") == "0":
        return False
    return is_terminal()


_ANSI = {"red": "31", "green": "32", "yellow": "33", "dim": "2", "bold": "1"}


def paint(text: str, style: str) -> str:
    """`text` in an ANSI style when colour is on (see the module docstring), else unchanged."""
    if not style or not color_enabled():
        return text
    return f"\033[{_ANSI[style]}m{text}\033[0m"


def out(text: str = "") -> None:
    print(safe(text), flush=True)


def info(text: str) -> None:
    """A progress line (stdout): hidden by --quiet."""
    if _verbosity > QUIET:
        out(text)


def detail(text: str) -> None:
    """A line for --verbose only (stderr, so that a document on stdout stays clean)."""
    if _verbosity >= VERBOSE:
        err(text)


def live() -> bool:
    """Whether live displays (progress bars) may draw: both streams are a terminal (not a
    pipe, not CI), not --quiet, and no JSON document goes to stdout."""
    return is_terminal() and sys.stderr.isatty() and _verbosity > QUIET and not _document


@contextmanager
def progress(label: str, total: int, unit: str = "") -> Iterator[Any]:
    """A progress bar on stderr while the block runs (terminal only, see `live`); yields a
    function that advances it by one (a no-op when nothing is drawn)."""
    if not live() or total <= 0:
        yield lambda: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    columns = (f"{label}", BarColumn(), MofNCompleteColumn(), f"{unit}", TimeElapsedColumn())
    with Progress(*columns, console=console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda: bar.advance(task)


def track(items: Iterable[T], total: int, label: str, unit: str = "") -> Iterator[T]:
    """`items`, drawing a progress bar of `total` steps as they are consumed."""
    with progress(label, total, unit) as advance:
        for item in items:
            yield item
            advance()


def err(text: str) -> None:
    print(safe(text), file=sys.stderr, flush=True)


SCHEMA_VERSION = 1  # of every JSON report; raised only when a report changes incompatibly


def versioned(data: Mapping[str, Any] | Sequence[Any], key: str | None = None) -> dict[str, Any]:
    """A JSON report as printed: one object whose first key is `schema_version`; a list is
    given under `key` (`{"schema_version": 1, "runs": [...]}`)."""
    if not isinstance(data, Mapping):
        if key is None:
            raise TypeError("a JSON report that is a list needs a key to hold it")
        data = {key: list(data)}
    return {"schema_version": SCHEMA_VERSION, **{k: v for k, v in data.items()}}


def json_out(data: Mapping[str, Any] | Sequence[Any], key: str | None = None) -> None:
    """Print a JSON report (`--json`): see `versioned`. Numbers stay numbers."""
    import json

    text = json.dumps(versioned(data, key), indent=2, sort_keys=False, default=str)
    print(safe(text), flush=True)


def console(stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(
        file=sys.stderr if stderr else sys.stdout,
        force_terminal=is_terminal() or color_enabled() or None,
        no_color=not color_enabled(),
        highlight=False,
        width=None if is_terminal() else 120,
    )


def table(
    columns: Sequence[str], rows: Sequence[Sequence[object]], title: str | None = None
) -> None:
    """A table: rich with box lines on a terminal, aligned plain columns otherwise."""
    if is_terminal():
        from rich.table import Table

        t = Table(*columns, title=title)
        for row in rows:
            t.add_row(*("" if c is None else safe(str(c)) for c in row))
        console().print(t)
        return
    cells = [[str(c) for c in columns], *[["" if c is None else str(c) for c in r] for r in rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(columns))]
    if title:
        out(title)
    for i, row in enumerate(cells):
        out("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
        if i == 0:
            out("  ".join("-" * w for w in widths))
