"""Local JSON logs with levels, as the plan's logger has them: `error` records go to
`.shipyard/logs/error.log`, every record at or above `SHIPYARD_LOG_LEVEL` (default `info`) to
`.shipyard/logs/combined.log`; each file rotated at 10 MB with 5 kept. Nothing leaves the
machine (opt-in crash reports are telemetry.py's)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from shipyard.store import Store

LEVELS = {"debug": 10, "info": 20, "warn": 30, "error": 40}
DEFAULT = "info"


def threshold() -> int:
    name = os.environ.get("SHIPYARD_LOG_LEVEL", DEFAULT).lower()
    return LEVELS.get("warn" if name == "warning" else name, LEVELS[DEFAULT])


def log(store: Store, level: str, message: str, **fields: object) -> Path | None:
    """Record one event; the error.log path for errors, else the combined.log path (or None
    when the level is below the threshold)."""
    record: dict[str, object] = {
        "time": dt.datetime.now(dt.UTC).isoformat(),
        "level": level,
        "message": message,
        **fields,
    }
    written = None
    if LEVELS[level] >= threshold():
        written = store.append_log("combined.log", record)
    if level == "error":
        written = store.append_log("error.log", record)
    return written
