"""Markdown rendering shared by every family: GitHub-flavoured tables and small helpers.

Cells are escaped so that a `|` or a newline in a message cannot break the table.
"""

from __future__ import annotations

from collections.abc import Sequence


def escape(text: object) -> str:
    return (
        ("" if text is None else str(text))
        .replace("\\", "\\\\")
        .replace("|", "\\|")
        .replace("\r\n", "<br>")
        .replace("\n", "<br>")
    )


def table(
    columns: Sequence[str], rows: Sequence[Sequence[object]], align: str | None = None
) -> str:
    """A GitHub table; `align` has one of l, r, c per column (default: all left)."""
    marks = {"l": "---", "r": "---:", "c": ":---:"}
    spec = align or "l" * len(columns)
    if len(spec) != len(columns):
        raise ValueError(f"align {spec!r} does not match {len(columns)} columns")
    lines = [
        "| " + " | ".join(escape(c) for c in columns) + " |",
        "| " + " | ".join(marks[a] for a in spec) + " |",
    ]
    lines += ["| " + " | ".join(escape(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def heading(text: str, level: int = 2) -> str:
    return f"{'#' * level} {text}\n"


def details(summary: str, body: str) -> str:
    """A collapsed section (GitHub renders <details>), for long lists under a summary."""
    return f"<details><summary>{escape(summary)}</summary>\n\n{body}\n</details>\n"
