"""mypy's output: the default text (`file:line[:col]: error: message  [code]`) or `-O json`.

A complete text report ends with mypy's summary ("Success: no issues found…" or "Found N
errors…"); without one the file was cut short, which must not read as zero errors.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from shipyard.gates import files
from shipyard.gates.interface import Finding, Findings

FORMAT = "mypy output (mypy > mypy.txt, or mypy -O json)"
_LINE = re.compile(
    r"^(?P<file>[^:\n]+):(?P<line>[0-9]{1,9}):(?:(?P<col>[0-9]{1,9}):)? "
    r"(?P<sev>error|warning|note): "
    r"(?P<msg>.*?)(?:  \[(?P<code>[\w-]+)\])?$"
)
_SUMMARY = re.compile(
    r"^(Success: no issues found|Found (?P<errors>[0-9]+) errors? in [0-9]+ files?)", re.M
)


class MypyText:
    name = "mypy"
    kind = "typecheck"

    def sniff(self, path: Path, head: str) -> bool:
        first = head.lstrip().split("\n", 1)[0]
        return bool(_LINE.match(first) or _SUMMARY.match(first) or first.startswith('{"file"'))

    def read(self, path: Path, root: Path) -> Findings:
        text = files.read_text(path, FORMAT)
        found = Findings()
        json_lines = False
        for line in text.splitlines():
            if line.startswith("{"):
                json_lines = True
                found.items.extend(_json_line(line, path, root))
                continue
            m = _LINE.match(line)
            if m and m["sev"] != "note":
                found.items.append(
                    Finding(
                        files.resolve(m["file"], root),
                        int(m["line"]),
                        int(m["col"] or 1),
                        m["sev"],
                        m["code"] or "mypy",
                        m["msg"],
                    )
                )
        if not json_lines:
            _check_summary(text, found, path)
        return found


def _no_constant(name: str) -> None:
    raise ValueError(name)


def _check_summary(text: str, found: Findings, path: Path) -> None:
    """The summary must agree with the error lines: "Found 5 errors" with none listed is cut."""
    summary = _SUMMARY.search(text)
    if summary is None:
        raise files.wrong(
            path, FORMAT, "no summary line: truncated, or run with --no-error-summary"
        )
    claimed = int(summary["errors"] or 0)
    listed = found.count("error")
    if claimed != listed:
        raise files.wrong(
            path, FORMAT, f"the summary counts {claimed} errors but {listed} are listed"
        )


def _json_line(line: str, path: Path, root: Path) -> list[Finding]:
    try:
        item = json.loads(line, parse_constant=_no_constant)
    except json.JSONDecodeError:
        raise files.wrong(path, FORMAT, f"a truncated JSON line: {line[:60]!r}") from None
    except (ValueError, RecursionError):
        raise files.wrong(path, FORMAT, f"an impossible JSON line: {line[:60]!r}") from None
    if not isinstance(item, dict):
        raise files.wrong(path, FORMAT, f"a JSON line that is not an object: {line[:60]!r}")
    if item.get("severity") == "note":
        return []
    return [
        Finding(
            files.resolve(str(item.get("file", "")), root),
            files.position(item.get("line"), path, FORMAT, "line"),
            files.position(item.get("column"), path, FORMAT, "column", default=0) + 1,
            str(item.get("severity", "error")),
            str(item.get("code") or "mypy"),
            str(item.get("message", "")),
        )
    ]
