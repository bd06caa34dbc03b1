"""The bad-input contract, checked against the real CLI (`shipyard.cli.main`, in-process).

exit 0 / 1 only for valid input; exit 2 naming the file and the location for invalid input;
never a traceback, never exit 3, never a hang (an alarm turns a hang into a failed test).
"""

from __future__ import annotations

import contextlib
import io
import signal
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

from shipyard.cli import main
from tests.fuzz.declared import toml_string, toml_value

HANG_SECONDS = 30


class Hang(BaseException):
    """Raised by the alarm: a BaseException, so the CLI's `except Exception` cannot eat it."""


@dataclass
class Outcome:
    code: int
    stdout: str
    stderr: str


@contextlib.contextmanager
def _alarm(seconds: int) -> Iterator[None]:
    def ring(signum: int, frame: FrameType | None) -> None:
        raise Hang(f"no answer within {seconds}s")

    previous = signal.signal(signal.SIGALRM, ring)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def shipyard(project: Path, *argv: str) -> Outcome:
    """Run `shipyard -C project ARGV...` in this process and check the universal contract."""
    out, err = io.StringIO(), io.StringIO()
    with _alarm(HANG_SECONDS), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["-C", str(project), *argv])
    outcome = Outcome(code, out.getvalue(), err.getvalue())
    assert "Traceback" not in outcome.stderr, outcome.stderr
    assert code in (0, 1, 2), (code, outcome.stderr[-2000:])
    return outcome


def rejected(outcome: Outcome, file: Path | str, *where: str) -> None:
    """Invalid input: exit 2 and a message naming the file and each of `where` (key, line)."""
    assert outcome.code == 2, (outcome.code, outcome.stdout[-500:], outcome.stderr[-1000:])
    assert str(file) in outcome.stderr, outcome.stderr
    for part in where:
        assert part in outcome.stderr, (part, outcome.stderr)


def toml_document(sections: dict[str, Any]) -> str:
    """A definition: `[stages.NAME]` tables for stages, `[SECTION]` tables for the rest."""
    lines: list[str] = []
    for section, body in sections.items():
        if not isinstance(body, dict):
            lines.insert(0, f"{section} = {toml_value(body)}")
        elif section != "stages":
            lines.append(f"[{section}]")
            lines.extend(f"{toml_string(k)} = {toml_value(v)}" for k, v in body.items())
        else:
            scalars = {k: v for k, v in body.items() if not isinstance(v, dict)}
            if scalars:
                lines.append("[stages]")
                lines.extend(f"{toml_string(k)} = {toml_value(v)}" for k, v in scalars.items())
            for name, table in body.items():
                if isinstance(table, dict):
                    lines.append(f"[stages.{toml_string(name)}]")
                    lines.extend(f"{toml_string(k)} = {toml_value(v)}" for k, v in table.items())
    return "\n".join(lines) + "\n"


def last_lines(text: str, n: int = 5) -> Sequence[str]:
    return text.strip().splitlines()[-n:]
