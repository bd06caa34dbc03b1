"""The one way shipyard reads a text file a user or a tool gave it.

Every reader (the definition, reports, lockfiles, bench results, advisories) goes through here,
so a file that is missing, unreadable, a symlink loop, a folder, too large or not UTF-8 becomes
one clear `InputError` naming the file and, for bad bytes, the byte offset and line.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from shipyard.errors import InputError

# Reports and lockfiles larger than this are refused rather than read into memory whole;
# XML reports are streamed instead (gates/cobertura.py, gates/junit.py).
MAX_TEXT_BYTES = 256 * 1024 * 1024


def read_bytes(path: Path, *, limit: int = MAX_TEXT_BYTES) -> bytes:
    """The file's bytes; an `InputError` that names the file for every way reading can fail."""
    try:
        with open(path, "rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise InputError(
            f"cannot read {path}: {exc.strerror or exc}",
            hint="check that the file exists, is a regular file and is readable",
        ) from None
    if len(data) > limit:
        raise InputError(
            f"{path}: larger than {limit // (1024 * 1024)} MB; shipyard does not read it whole",
            hint="point shipyard at a smaller file, or split the report",
        )
    return data


def decode(data: bytes, path: Path | str) -> str:
    """`data` as UTF-8 (a BOM is dropped); bad bytes name the file, the byte offset and line."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            f"{path}: not UTF-8 text: byte 0x{data[exc.start]:02x} at byte offset "
            f"{exc.start} (line {line})",
            hint="save the file as UTF-8",
        ) from None
    return text.removeprefix("\ufeff")


def read_text(path: Path, *, limit: int = MAX_TEXT_BYTES) -> str:
    """The file as UTF-8 text (see `read_bytes` and `decode` for the errors)."""
    return decode(read_bytes(path, limit=limit), path)


def parse_json(text: str, path: Path | str) -> Any:
    """JSON with only finite numbers and bounded nesting; errors name the file and line."""
    try:
        return json.loads(text, parse_constant=_no_constant, parse_float=_finite_float)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{path}: line {exc.lineno} column {exc.colno}: invalid JSON: {exc.msg}"
        ) from None
    except ValueError as exc:
        raise InputError(f"{path}: invalid JSON: {exc}") from None
    except RecursionError:
        raise InputError(f"{path}: JSON nested too deeply to be a real report") from None


def read_json(path: Path, *, limit: int = MAX_TEXT_BYTES) -> Any:
    return parse_json(read_text(path, limit=limit), path)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"number {text[:40]} is out of range")
    return value
