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
from shipyard.store import STATE_DIR

EXCLUDE = (".venv", "venv", "node_modules", ".git", STATE_DIR, ".tox", "build", "dist")
# folders test runners write their reports into (istanbul's lcov-report, coverage.py's htmlcov,
# nyc's temporary data): generated code and scripts, not the project's; skipped by name when
# they hold what the runner writes, so a source folder that happens to be called `coverage` is
# still scanned
REPORT_DIRS = {
    "coverage": ("lcov-report", "lcov.info", "coverage-final.json", "clover.xml", "index.html"),
    "htmlcov": ("index.html", "status.json"),
    ".nyc_output": (),
}
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
        dirs[:] = sorted(d for d in dirs if d not in EXCLUDE and not _report_dir(Path(top, d)))
        rel = Path(top).relative_to(root)
        found += [(rel / f).as_posix() for f in sorted(files) if f.endswith(suffixes)]
    return found


def _report_dir(folder: Path) -> bool:
    """A folder a test runner's coverage report was written into (see REPORT_DIRS)."""
    markers = REPORT_DIRS.get(folder.name)
    if markers is None:
        return False
    return not markers or any((folder / m).exists() for m in markers)


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
    """ESLint's code-injection rules alone, the project's own configuration left out (its
    plugins may not be installed, and its rule choices are not ours to inherit)."""
    files = _files(root, (".js", ".mjs", ".cjs"))
    if not files:
        return []
    rules = [a for rule in ESLINT_RULES for a in ("--rule", f"{rule}: error")]
    major = eslint_major(root, binary)
    if major >= 9:  # flat config: no globals unless named (no-implied-eval needs them)
        args = [str(binary), "--no-config-lookup", "--no-warn-ignored", "--format", "json"]
        args += ["--global", "setTimeout,setInterval,execScript", *rules]
        data = _tool([*args, *files], root, key=None)
        # .js files are parsed as modules: the ones that are sloppy-mode CommonJS do not parse
        # as one, and are read again under a `.cjs` name (no flag sets the source type)
        for entry in [e for e in data if _unparsed(e)]:
            source = Path(entry["filePath"]).read_text(encoding="utf-8", errors="replace")
            again = [*args, "--stdin", "--stdin-filename", entry["filePath"] + ".cjs"]
            entry["messages"] = _tool(again, root, key=None, input=source)[0]["messages"]
    else:  # eslintrc mode (8 and older), even where an eslint.config.js would switch 8.57 over
        env = {**os.environ, "ESLINT_USE_FLAT_CONFIG": "false"}
        args = [str(binary), "--no-eslintrc", "--env", "es2020", "--env", "node"]
        args += ["--parser-options", f"ecmaVersion:{'latest' if major == 8 else 2020}"]
        args += ["--format", "json", *rules]
        # no config says which files are modules: modules first, then the files that do not
        # parse as one (sloppy-mode CommonJS) as scripts
        data = _tool([*args, "--parser-options", "sourceType:module", *files], root, None, env)
        scripts = [e["filePath"] for e in data if _unparsed(e)]
        if scripts:
            data = [e for e in data if e["filePath"] not in scripts]
            data += _tool([*args, *scripts], root, None, env)
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


def _unparsed(entry: dict[str, Any]) -> bool:
    return any(m.get("fatal") for m in entry.get("messages", []))


def eslint_major(root: Path, binary: Path) -> int:
    """The installed ESLint's major version: its package.json beside the bin it links to, or
    else what `eslint --version` prints (`v8.57.1`)."""
    for manifest in (
        root / "node_modules" / "eslint" / "package.json",
        binary.resolve().parent.parent / "package.json",
    ):
        try:
            data = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict) and data.get("name") == "eslint":
            found = re.match(r"(\d+)\.", str(data.get("version", "")))
            if found:
                return int(found.group(1))
    done = proc.run([str(binary), "--version"], cwd=root, check=False)
    found = re.search(r"v?(\d+)\.\d+", done.stdout)
    if done.returncode != 0 or not found:
        raise ToolError(f"`{binary} --version` did not print a version: {done.stderr[:200]}")
    return int(found.group(1))


def _tool(
    args: list[str],
    root: Path,
    key: str | None = "results",
    env: dict[str, str] | None = None,
    input: str | None = None,
) -> Any:
    """Run an analyzer that exits 1 when it finds something, and read its JSON."""
    done = proc.run(args, cwd=root, check=False, env=env, input=input)
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
