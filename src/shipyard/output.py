"""The only place that writes to the terminal.

Plain `print` to stdout/stderr for lines; rich (imported on first use) for tables and live
progress. Live displays only on a terminal, never in CI logs or pipes. Colour follows the
conventions: NO_COLOR (any value) turns it off; FORCE_COLOR (any value but 0 / false) or
CLICOLOR_FORCE (not 0) turns it on where output is not a terminal (CI logs render ANSI);
CLICOLOR=0 turns it off; otherwise colour on a terminal only.
Everything written here passes through the secret mask (see `mask_secrets`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

    from shipyard.redact import Masker

_masker: Masker | None = None


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


def err(text: str) -> None:
    print(safe(text), file=sys.stderr, flush=True)


def json_out(data: Any) -> None:
    import json

    print(safe(json.dumps(data, indent=2, sort_keys=False, default=str)), flush=True)


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
