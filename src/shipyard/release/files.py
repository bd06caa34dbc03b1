"""Write the new version into every version file: manifests, lockfile, `__version__`, others.

package.json and package-lock.json get the semver form, Python files the PEP 440 form. Files
are edited in place keeping their formatting (tomlkit for TOML, the JSON indent kept) and
written atomically. `plan` lists what would change, so `--dry-run` shows it and writes nothing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from pathlib import Path

from shipyard.errors import UsageError
from shipyard.versions import Version, check_pep440

_DUNDER = re.compile(r"""^(__version__\s*[:=][^"'\n]*["'])([^"'\n]+)(["'])""", re.MULTILINE)
Editor = Callable[[str], str]


def _pyproject(version: Version) -> Editor:
    def edit(text: str) -> str:
        import tomlkit

        doc = tomlkit.parse(text)
        # [project] version, or Poetry 1's [tool.poetry] version
        tables = [doc.get("project"), doc.get("tool", {}).get("poetry")]
        found = [t for t in tables if t is not None and "version" in t]
        if not found:
            return text  # a dynamic version lives in a file listed below
        for table in found:
            table["version"] = check_pep440(version.render("pep440"))
        return str(tomlkit.dumps(doc))

    return edit


def _package_json(version: Version, lock: bool = False) -> Editor:
    def edit(text: str) -> str:
        bom = "\ufeff" if text.startswith("\ufeff") else ""  # npm accepts one: keep it
        data = json.loads(text.removeprefix(bom))
        data["version"] = version.render("semver")
        root = data.get("packages", {}).get("") if lock else None
        if isinstance(root, dict):
            root["version"] = version.render("semver")
        indent = re.match(r"^\{\s*\n([ \t]+)", text.removeprefix(bom))
        body = json.dumps(data, indent=indent[1] if indent else 2, ensure_ascii=False)
        return bom + body + "\n"

    return edit


def _dunder(version: Version) -> Editor:
    text = check_pep440(version.render("pep440"))
    return lambda source: _DUNDER.sub(lambda m: m[1] + text + m[3], source)


def _configured(version: Version, old: Sequence[str], pattern: str | None) -> Editor:
    """commitizen's `path:regex` form: replace the old version on the lines matching regex."""
    regex = re.compile(pattern) if pattern else None
    olds = sorted({o for o in old if o}, key=len, reverse=True)

    def edit(text: str) -> str:
        lines = text.splitlines(keepends=True)
        for i, line in enumerate(lines):
            if regex is None or regex.search(line):
                for o in olds:
                    new = version.render("pep440" if o == o.replace("-", "") else "semver")
                    line = re.sub(rf"(?<![\w.]){re.escape(o)}(?![\w.-])", new, line)
                lines[i] = line
        return "".join(lines)

    return edit


def editors(
    root: Path, version: Version, old: Sequence[str], configured: Sequence[str]
) -> dict[Path, Editor]:
    """Each version file of the project and how to edit it."""
    found: dict[Path, Editor] = {}
    if (root / "pyproject.toml").is_file():
        found[root / "pyproject.toml"] = _pyproject(version)
    if (root / "package.json").is_file():
        found[root / "package.json"] = _package_json(version)
    if (root / "package-lock.json").is_file():
        found[root / "package-lock.json"] = _package_json(version, lock=True)
    for init in [
        *root.glob("src/*/__init__.py"),
        *root.glob("*/__init__.py"),
        *root.glob("src/*/_version.py"),
    ]:
        if _DUNDER.search(init.read_text(encoding="utf-8")):
            found[init] = _dunder(version)
    for entry in configured:
        rel, _, pattern = entry.partition(":")
        path = root / rel
        if not path.is_file():
            raise UsageError(
                f"release.version-files: {rel} does not exist in {root}",
                hint="fix the path, or remove the entry",
            )
        found[path] = _configured(version, old, pattern or None)
    return found


def plan(
    root: Path, version: Version, old: Sequence[str], configured: Sequence[str]
) -> dict[Path, str]:
    """Path -> new content, for the files whose content changes."""
    changes: dict[Path, str] = {}
    for path, edit in editors(root, version, old, configured).items():
        text = path.read_text(encoding="utf-8")
        new = edit(text)
        if new != text:
            changes[path] = line_ends_kept(path, new)
    return changes


def line_ends_kept(path: Path, text: str) -> str:
    """`text` with CRLF line ends when the file it replaces has them (read_text gives '\\n';
    a Windows checkout's package.json or pyproject.toml stays as its editor wrote it)."""
    try:
        with path.open("rb") as fh:
            first = fh.readline()
    except OSError:
        return text  # a new file (a first CHANGELOG.md)
    return text.replace("\r\n", "\n").replace("\n", "\r\n") if first.endswith(b"\r\n") else text
