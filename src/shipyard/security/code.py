"""`shipyard scan code`: run the static analyzers that fit the project and are installed, and
normalise their findings: bandit for Python, semgrep with the configured rule files, and ESLint
core rules that catch code injection for JavaScript. An analyzer that the project needs and
that is absent fails the gate, and so does a run in which no analyzer ran at all: "0 findings"
from nothing analysed is not a clean result.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from shipyard import proc
from shipyard.errors import ToolError
from shipyard.security.interface import Finding, ScanResult, Severity, fingerprint

EXCLUDE = (".venv", "venv", "node_modules", ".git", ".shipyard", ".tox", "build", "dist")
PASSWORD_TESTS = ("B105", "B106", "B107")
ESLINT_RULES = {
    "no-eval": Severity.HIGH,
    "no-implied-eval": Severity.HIGH,
    "no-new-func": Severity.HIGH,
    "no-script-url": Severity.MODERATE,
}


@dataclass
class CodeScanner:
    semgrep_config: tuple[str, ...] = ()
    name: str = "code"

    def scan(self, root: Path) -> ScanResult:
        result = ScanResult("code")
        ran: list[str] = []
        if _files(root, (".py",)):
            if find_spec("bandit") is None:
                result.blocking.append(
                    "Python code found but bandit is not installed (pip install bandit)"
                )
            else:
                result.findings += bandit(root)
                ran.append("bandit")
        if self.semgrep_config:
            if shutil.which("semgrep") is None:
                result.blocking.append("[scan.code] semgrep_config is set but semgrep is missing")
            else:
                result.findings += semgrep(root, self.semgrep_config)
                ran.append("semgrep")
        eslint_bin = root / "node_modules" / ".bin" / "eslint"
        if (root / "package.json").is_file():
            if eslint_bin.exists():
                result.findings += eslint(root, eslint_bin)
                ran.append("eslint")
            else:
                result.blocking.append(
                    "package.json found but eslint is not installed (no node_modules/.bin/eslint): "
                    "run `npm install --save-dev eslint`"
                )
        if not ran:
            result.blocking.append(
                "no analyzer ran: nothing was analysed (bandit runs on Python files, eslint on a "
                "package.json project, semgrep with [scan.code] semgrep_config)"
            )
        result.stats["analyzers"] = len(ran)
        return result


def _files(root: Path, suffixes: tuple[str, ...]) -> list[str]:
    """Project files with these suffixes; vendored and generated folders are never walked."""
    found: list[str] = []
    for top, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in EXCLUDE)
        rel = Path(top).relative_to(root)
        found += [(rel / f).as_posix() for f in sorted(files) if f.endswith(suffixes)]
    return found


def bandit(root: Path) -> list[Finding]:
    excluded = ",".join(f"./{d}" for d in EXCLUDE)
    out = _tool(
        [sys.executable, "-m", "bandit", "-r", ".", "-f", "json", "-q", "-x", excluded], root
    )
    return [
        _finding(
            f"bandit:{r['test_id']}",
            r.get("issue_severity", ""),
            _redact(r),
            r["filename"],
            r.get("line_number"),
            root,
        )
        for r in out.get("results", [])
    ]


def _redact(result: dict[str, Any]) -> str:
    """bandit's hard-coded password tests quote the password: never let it into a report."""
    text = str(result["issue_text"])
    if result.get("test_id") in PASSWORD_TESTS:
        from shipyard.security.detect import redact

        text = re.sub(r"'([^']*)'", lambda m: f"'{redact(m.group(1).encode())}'", text)
    return text


def semgrep(root: Path, configs: tuple[str, ...]) -> list[Finding]:
    args = ["semgrep", "scan", "--json", "--metrics", "off", "--quiet"]
    for config in configs:
        args += ["--config", config]
    out = _tool(args, root)
    return [
        _finding(
            f"semgrep:{r['check_id']}",
            r["extra"].get("severity", ""),
            r["extra"].get("message", ""),
            r["path"],
            r["start"]["line"],
            root,
        )
        for r in out.get("results", [])
    ]


def eslint(root: Path, binary: Path) -> list[Finding]:
    args = [str(binary), "--no-config-lookup", "--format", "json", "--no-warn-ignored"]
    for rule in ESLINT_RULES:
        args += ["--rule", f"{rule}: error"]
    files = _files(root, (".js", ".mjs", ".cjs"))
    if not files:
        return []
    data = _tool([*args, *files], root, key=None)
    return [
        _finding(
            f"eslint:{m['ruleId']}",
            ESLINT_RULES[m["ruleId"]].name,
            m["message"],
            entry["filePath"],
            m.get("line"),
            root,
        )
        for entry in data
        for m in entry.get("messages", [])
        if m.get("ruleId") in ESLINT_RULES
    ]


def _tool(args: list[str], root: Path, key: str | None = "results") -> Any:
    """Run an analyzer that exits 1 when it finds something, and read its JSON."""
    done = proc.run(args, cwd=root, check=False)
    if done.returncode not in (0, 1):
        raise proc.ProcessError(done)
    try:
        data = json.loads(done.stdout)
    except json.JSONDecodeError:
        raise ToolError(
            f"`{args[0]}` printed no JSON report: {done.stderr.strip()[:200]}"
        ) from None
    if key is not None and not isinstance(data, dict):
        raise ToolError(f"`{args[0]}` printed an unexpected report")
    return data


def _finding(rule: str, severity: str, message: str, file: str, line: Any, root: Path) -> Finding:
    path = Path(file)
    rel = (
        path.relative_to(root)
        if path.is_absolute() and path.is_relative_to(root)
        else Path(file.removeprefix("./"))
    ).as_posix()
    sev = Severity.parse(severity) or Severity.UNKNOWN
    return Finding(
        "code",
        rule,
        sev,
        message.strip(),
        rel,
        line if isinstance(line, int) else None,
        fingerprint=fingerprint("code", rule, rel, message.strip()),
    )
