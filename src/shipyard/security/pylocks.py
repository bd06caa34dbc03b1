"""Python dependency sets: pinned requirements files, poetry.lock, uv.lock, pylock.toml,
Pipfile.lock, and
the installed environment (dist-info metadata read directly, no interpreter started).

A requirement that is not pinned to one version cannot be checked against advisories; it is
returned as unchecked rather than dropped, so the gate can fail on it.
"""

from __future__ import annotations

import tomllib
from email.parser import HeaderParser
from pathlib import Path
from typing import Any

from shipyard.security.interface import ScanError, Skipped
from shipyard.security.packages import DepSet, Package

PYPI = "PyPI"


def requirements(path: Path, rel: str, seen: set[Path] | None = None) -> DepSet:
    """The pinned requirements of a requirements file and the files it includes. A local
    project it installs (`-e .`, a folder, a `file:` URL) brings its own declared
    dependencies: those the files do not pin are resolved (resolve.local_project)."""
    from shipyard.security import resolve

    local: list[tuple[str, str]] = []
    out = _requirements(path, rel, seen if seen is not None else set(), local)
    pinned = {_canonical(p.name) for p in out.packages}
    root = path.parents[len(Path(rel).parts) - 1]  # the folder the scan started in
    for where, ref in local:
        out.extend(resolve.local_project(_folder(ref, path.parent, root), ref, where, pinned))
    return out


def _requirements(path: Path, rel: str, seen: set[Path], local: list[tuple[str, str]]) -> DepSet:
    from packaging.requirements import InvalidRequirement, Requirement

    seen.add(path.resolve())
    out = DepSet()
    for number, line in _logical_lines(_read(path)):
        where = f"{rel}:{number}"
        if line.startswith(("-r ", "--requirement ", "-c ", "--constraint ")):
            include = path.parent / line.split(None, 1)[1].strip()
            if include.resolve() not in seen and include.is_file():
                out.extend(
                    _requirements(include, str(Path(rel).parent / include.name), seen, local)
                )
            continue
        ref = _local_ref(line)
        if ref is not None:
            local.append((where, ref))
            continue
        if line.startswith("-"):  # an option (--index-url, …): nothing to check here
            if line.startswith(("-e", "--editable")):  # not local: a VCS or archive URL
                ref = line.split("=", 1)[-1] if line.startswith("--editable=") else line
                why = "editable requirement that is not a local folder (a VCS or archive URL)"
                out.unchecked.append(Skipped(f"{ref.split()[-1]} ({where})", why))
            continue
        try:
            req = Requirement(line.split(" --hash")[0].strip())
        except InvalidRequirement as exc:
            raise ScanError(f"{where}: not a valid requirement: {exc}") from None
        pins = [s.version for s in req.specifier if s.operator in ("==", "===")]
        if req.url or len(pins) != 1 or "*" in pins[0]:
            out.unchecked.append(Skipped(f"{req.name} ({where})", "not pinned to one version"))
        else:
            out.packages.append(Package(PYPI, req.name, pins[0], rel))
    return out


def _local_ref(line: str) -> str | None:
    """The local folder or file a requirement line installs (`-e .`, `--editable=../lib`,
    `./pkg`, `file:../pkg`, `name @ file:///abs`), as written; None for anything else."""
    text = line
    for flag in ("--editable=", "--editable ", "-e "):
        if text.startswith(flag):
            text = text[len(flag) :].strip()
            break
    else:
        if text.startswith("-"):
            return None
    if " @ " in text:
        text = text.split(" @ ", 1)[1].strip()
    text = text.split(" --hash")[0].split(";")[0].strip()
    if text.startswith("file:"):
        return text
    if text.startswith((".", "/", "~")) or text in (".", ".."):
        return text
    return None


def _folder(ref: str, here: Path, root: Path) -> Path:
    """Where `ref` points: relative to the requirements file, else to the scan folder (pip
    reads relative paths against its working folder, which is usually that one)."""
    from urllib.parse import unquote, urlsplit

    text = ref
    if text.startswith("file:"):
        parts = urlsplit(text)
        text = unquote(parts.path if parts.netloc in ("", "localhost") else f"//{parts.netloc}")
    text = text.split("#", 1)[0].split("[", 1)[0]  # #egg= fragments, [extras]
    path = Path(text).expanduser()
    if path.is_absolute():
        return path
    first = here / path
    return first if first.exists() or here == root else root / path


def _canonical(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """Lines without comments, with backslash continuations joined."""
    lines: list[tuple[int, str]] = []
    pending, start = "", 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split(" #")[0].strip() if not raw.lstrip().startswith("#") else ""
        if not pending:
            start = number
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        if (pending + line).strip():
            lines.append((start, (pending + line).strip()))
        pending = ""
    if pending.strip():  # the file ends in a continuation: the requirement is still there
        lines.append((start, pending.strip()))
    return lines


def toml_lock(path: Path, rel: str) -> DepSet:
    """poetry.lock and uv.lock ([[package]]) or pylock.toml ([[packages]])."""
    try:
        data = tomllib.loads(_read(path))
    except tomllib.TOMLDecodeError as exc:
        raise ScanError(f"{rel}: not valid TOML: {exc}") from None
    except RecursionError:
        raise ScanError(f"{rel}: TOML nested too deeply to be a lockfile") from None
    entries = data.get("packages" if path.name.startswith("pylock") else "package", [])
    if not isinstance(entries, list):
        raise ScanError(f"{rel}: expected an array of package tables")
    out = DepSet()
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise ScanError(f"{rel}: package entry {i + 1} has no name")
        if _is_project_itself(entry):
            continue
        version = entry.get("version")
        if isinstance(version, str) and version:
            out.packages.append(Package(PYPI, entry["name"], version, rel))
        else:
            out.unchecked.append(Skipped(f"{entry['name']} ({rel})", "no version in the lock"))
    return out


def pipfile_lock(path: Path, rel: str) -> DepSet:
    """Pipfile.lock (pipenv): `default` and `develop`, each name -> {"version": "==X"}."""
    import json

    try:
        data = json.loads(_read(path))
    except json.JSONDecodeError as exc:
        raise ScanError(f"{rel}: not valid JSON: {exc}") from None
    except RecursionError:
        raise ScanError(f"{rel}: JSON nested too deeply to be a lockfile") from None
    if not isinstance(data, dict):
        raise ScanError(f"{rel}: expected a JSON object at the top level")
    out = DepSet()
    for section in ("default", "develop"):
        entries = data.get(section) or {}
        if not isinstance(entries, dict):
            raise ScanError(f"{rel}: `{section}` is not an object")
        for name, entry in entries.items():
            version = entry.get("version") if isinstance(entry, dict) else None
            if isinstance(version, str) and version.startswith("=="):
                out.packages.append(Package(PYPI, name, version[2:], rel))
            else:
                why = "not a registry pin (git, path or editable)"
                out.unchecked.append(Skipped(f"{name} ({rel})", why))
    return out


def _is_project_itself(entry: dict[str, Any]) -> bool:
    source = entry.get("source")
    return isinstance(source, dict) and bool({"editable", "virtual"} & set(source))


def installed(site_packages: Path) -> DepSet:
    """Every distribution whose .dist-info lies in a site-packages folder."""
    out = DepSet()
    parser = HeaderParser()
    for meta in sorted(site_packages.glob("*.dist-info/METADATA")):
        try:
            headers = parser.parsestr(meta.read_text(encoding="utf-8", errors="replace"))
        except OSError as exc:
            raise ScanError(f"cannot read {meta}: {exc.strerror}") from None
        name, version = headers.get("Name"), headers.get("Version")
        if not name or not version:
            out.unchecked.append(Skipped(str(meta.parent.name), "metadata without name or version"))
            continue
        out.packages.append(Package(PYPI, name, version, str(site_packages), _license(headers)))
    return out


def _license(headers: Any) -> str | None:
    """License-Expression (PEP 639), else a short License field, else the classifiers."""
    if headers.get("License-Expression"):
        return str(headers["License-Expression"])
    text = headers.get("License")
    if text and "\n" not in text.strip() and len(text) < 80 and text.strip().upper() != "UNKNOWN":
        return str(text).strip()
    classifiers = [c for c in headers.get_all("Classifier") or [] if c.startswith("License ::")]
    return classifiers[-1].split(" :: ")[-1] if classifiers else None


def _read(path: Path) -> str:
    from shipyard import textfile
    from shipyard.errors import InputError

    if not path.exists():
        raise ScanError(f"{path}: no such file")
    try:
        return textfile.read_text(path)
    except InputError as exc:
        raise ScanError(exc.message, exc.hint) from None
