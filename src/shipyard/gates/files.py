"""Reading report files with errors that name the file and the format expected.

Every reader goes through these helpers, so a missing, empty, truncated or malformed report
always fails the same way (a `ReportError`, exit 2) and never passes silently.
"""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from shipyard.gates.interface import ReportError

HEAD_BYTES = 4096


def show(path: Path) -> str:
    """The path as the user most likely wrote it: relative to the current folder when inside."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # pragma: no cover - another drive on Windows
        return str(path)
    return str(path) if rel.startswith("..") else rel


def missing(path: Path, fmt: str) -> ReportError:
    return ReportError(
        f"{show(path)}: report not found (expected {fmt})",
        hint="run the stage that writes it first (`shipyard run`), or fix the path under "
        "`reports` in the definition",
    )


def read_text(path: Path, fmt: str) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        raise missing(path, fmt) from None
    except IsADirectoryError:
        raise ReportError(f"{show(path)}: is a folder, expected a file ({fmt})") from None
    except OSError as exc:
        raise ReportError(
            f"{show(path)}: cannot be read ({exc.strerror}; expected {fmt})"
        ) from None
    if not text.strip():
        raise ReportError(
            f"{show(path)}: report is empty (expected {fmt})",
            hint="the tool that writes it may have crashed; run its stage again",
        )
    return text


def head(path: Path) -> str:
    with path.open("rb") as fh:
        return fh.read(HEAD_BYTES).decode("utf-8", "replace")


def load_json(path: Path, fmt: str) -> Any:
    text = read_text(path, fmt)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        what = "truncated" if exc.pos >= len(text.rstrip()) else "malformed"
        raise ReportError(
            f"{show(path)}: {what} JSON at line {exc.lineno} column {exc.colno} (expected {fmt})",
            hint="the tool that writes it may have been interrupted; run its stage again",
        ) from None


def load_xml(path: Path, fmt: str) -> ET.Element:
    text = read_text(path, fmt)
    try:
        return ET.fromstring(text)
    except ET.ParseError as exc:
        line, col = exc.position
        truncated = "no element found" in str(exc) or "unclosed token" in str(exc)
        what = "truncated" if truncated else "malformed"
        raise ReportError(
            f"{show(path)}: {what} XML at line {line} column {col} (expected {fmt})",
            hint="the tool that writes it may have been interrupted; run its stage again",
        ) from None


def wrong(path: Path, fmt: str, why: str) -> ReportError:
    return ReportError(f"{show(path)}: not {fmt}: {why}")


def resolve(name: str, base: Path) -> str:
    """An absolute, normalised path for a file named in a report (relative to `base`)."""
    p = Path(name)
    return os.path.normpath(p if p.is_absolute() else base / p)


def as_int(value: Any, path: Path, fmt: str, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise wrong(path, fmt, f"{where} is not a number")
    return int(value)
