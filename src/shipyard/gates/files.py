"""Reading report files with errors that name the file and the format expected.

Every reader goes through these helpers, so a missing, empty, truncated or malformed report
always fails the same way (a `ReportError`, exit 2) and never passes silently.
"""

from __future__ import annotations

import json
import math
import os
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from shipyard import numbers
from shipyard.errors import InputError
from shipyard.gates.interface import Count, ReportError

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
    """The report as UTF-8 text; missing, unreadable, empty or non-UTF-8 is a `ReportError`."""
    from shipyard import textfile

    _check_readable(path, fmt)
    try:
        text = textfile.read_text(path)
    except InputError as exc:
        raise ReportError(f"{exc.message} (expected {fmt})", exc.hint) from None
    if not text.strip():
        raise ReportError(
            f"{show(path)}: report is empty (expected {fmt})",
            hint="the tool that writes it may have crashed; run its stage again",
        )
    return text


def _check_readable(path: Path, fmt: str) -> None:
    try:
        path.stat()
    except FileNotFoundError:
        raise missing(path, fmt) from None
    except OSError as exc:  # a symlink loop, a name too long, a permission denied
        raise ReportError(
            f"{show(path)}: cannot be read ({exc.strerror}; expected {fmt})"
        ) from None
    if path.is_dir():
        raise ReportError(f"{show(path)}: is a folder, expected a file ({fmt})")


def head(path: Path) -> str:
    try:
        with path.open("rb") as fh:
            return fh.read(HEAD_BYTES).decode("utf-8", "replace")
    except OSError:
        return ""  # the reader's own read reports the problem, with the format expected


def load_json(path: Path, fmt: str) -> Any:
    text = read_text(path, fmt)
    try:
        return json.loads(text, parse_constant=_not_a_number, parse_float=_finite)
    except json.JSONDecodeError as exc:
        what = "truncated" if exc.pos >= len(text.rstrip()) else "malformed"
        raise ReportError(
            f"{show(path)}: {what} JSON at line {exc.lineno} column {exc.colno} (expected {fmt})",
            hint="the tool that writes it may have been interrupted; run its stage again",
        ) from None
    except ValueError as exc:
        raise ReportError(f"{show(path)}: impossible JSON ({exc}; expected {fmt})") from None
    except RecursionError:
        raise ReportError(f"{show(path)}: JSON nested too deeply (expected {fmt})") from None


def _not_a_number(name: str) -> Any:
    raise ValueError(f"{name} is not a number")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"the number {text[:30]} is out of range")
    return value


def load_xml(path: Path, fmt: str) -> ET.Element:
    text = read_text(path, fmt)
    try:
        return ET.fromstring(text)
    except ET.ParseError as exc:
        raise xml_error(path, fmt, exc) from None


def iterparse(path: Path, fmt: str) -> Iterator[tuple[str, ET.Element]]:
    """("start" | "end", element) events, streamed: a 200 MB report is never held whole."""
    _check_readable(path, fmt)
    if path.stat().st_size == 0:
        raise ReportError(
            f"{show(path)}: report is empty (expected {fmt})",
            hint="the tool that writes it may have crashed; run its stage again",
        )
    try:
        yield from ET.iterparse(path, events=("start", "end"))
    except ET.ParseError as exc:
        raise xml_error(path, fmt, exc) from None
    except OSError as exc:
        raise ReportError(
            f"{show(path)}: cannot be read ({exc.strerror}; expected {fmt})"
        ) from None


def xml_error(path: Path, fmt: str, exc: ET.ParseError) -> ReportError:
    line, col = exc.position
    truncated = "no element found" in str(exc) or "unclosed token" in str(exc)
    what = "truncated" if truncated else "malformed"
    if "not well-formed" in str(exc) or "encoding" in str(exc):
        what = "malformed (or not UTF-8)"
    return ReportError(
        f"{show(path)}: {what} XML at line {line} column {col} (expected {fmt})",
        hint="the tool that writes it may have been interrupted; run its stage again",
    )


def wrong(path: Path, fmt: str, why: str) -> ReportError:
    return ReportError(f"{show(path)}: not {fmt}: {why}")


def resolve(name: str, base: Path) -> str:
    """An absolute, normalised path for a file named in a report (relative to `base`)."""
    p = Path(name)
    return os.path.normpath(p if p.is_absolute() else base / p)


def as_int(value: Any, path: Path, fmt: str, where: str) -> int:
    """A count: a finite, non-negative whole number (a float such as 3.0 is accepted)."""
    if isinstance(value, str):
        parsed = numbers.ascii_number(value)
        value = value if parsed is None else parsed
    wrong_number = numbers.problem(value, minimum=0)
    if wrong_number or (isinstance(value, float) and not value.is_integer()):
        raise wrong(path, fmt, f"{where}: {wrong_number or f'{value} is not a whole number'}")
    return int(value)


def count(covered: Any, total: Any, path: Path, fmt: str, where: str) -> Count:
    """A covered/total pair that can exist: both counts, and covered at most total."""
    c = as_int(covered, path, fmt, f"{where} covered")
    t = as_int(total, path, fmt, f"{where} total")
    if c > t:
        raise wrong(path, fmt, f"{where}: {c} covered of {t} is impossible")
    return Count(c, t)


def position(value: Any, path: Path, fmt: str, where: str, default: int = 1) -> int:
    """A line or column number (missing or null: `default`)."""
    if value is None:
        return default
    return as_int(value, path, fmt, where)


def table(value: Any, path: Path, fmt: str, where: str) -> dict[str, Any]:
    """A JSON object (missing or null: empty)."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise wrong(path, fmt, f"{where} is not an object")
    return value
