"""Reading a backup archive without trusting it.

An archive is only as good as its manifest: `MANIFEST.json` comes first and lists every other
member with its size and SHA-256. Reading refuses (InputError, exit 2) anything shipyard never
writes: links, devices, absolute or `..` names, members the manifest does not list, artifact
paths inside `.git/` or `.shipyard/`, more bytes or a higher compression ratio than the limits.
Only listed regular files are ever written, one by one, into a private folder; a checksum or
size that differs is a problem the caller reports.
"""

from __future__ import annotations

import hashlib
import json
import tarfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from shipyard.errors import InputError

MANIFEST = "MANIFEST.json"
BUNDLE = "repo.bundle"
DB_NAME = "shipyard.db"
ARTIFACTS = "artifacts"
FORMAT = 2
FORBIDDEN = (".git", ".shipyard")  # never restored from the artifacts, whatever the manifest says
RATIO_FLOOR = 16 * 1024 * 1024  # below this many bytes, no archive is a bomb


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 4 * 1024**3
    max_ratio: float = 200.0  # uncompressed / compressed
    max_members: int = 200_000


@dataclass
class Manifest:
    data: dict[str, Any]
    files: dict[str, tuple[int, str]]  # member -> (size, sha256)
    artifacts: list[str]
    problems: list[str] = field(default_factory=list)


def _refuse(archive: Path, what: str, hint: str | None = None) -> InputError:
    return InputError(
        f"{archive}: {what}",
        hint=hint or "this is not an archive shipyard wrote; do not restore it",
    )


def _open(archive: Path) -> tarfile.TarFile:
    try:
        return tarfile.open(archive, "r:gz")
    except FileNotFoundError:
        raise InputError(f"{archive}: no such backup archive") from None
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise InputError(f"{archive}: not a shipyard backup archive ({exc})") from None


def safe_name(name: str) -> bool:
    """A relative POSIX path without `..`, empty parts or backslashes."""
    path = PurePosixPath(name)
    return (
        bool(name)
        and not path.is_absolute()
        and "\\" not in name
        and all(part not in ("", ".", "..") for part in name.split("/"))
    )


def artifact_allowed(rel: str) -> bool:
    """An artifact path a restore may write: never inside .git/ or .shipyard/ at any depth."""
    return safe_name(rel) and not any(p.casefold() in FORBIDDEN for p in rel.split("/"))


def _manifest(archive: Path, raw: bytes) -> Manifest:
    try:
        data = json.loads(raw)
    except ValueError:
        raise _refuse(archive, f"{MANIFEST} is not JSON") from None
    if not isinstance(data, dict):
        raise _refuse(archive, f"{MANIFEST} is not an object")
    files, artifacts = data.get("files"), data.get("artifacts", [])
    if data.get("format") != FORMAT or not isinstance(files, dict):
        raise _refuse(
            archive,
            f"{MANIFEST} does not list a checksum for every member",
            hint="archives from shipyard before 0.2 are not restored: re-create it with "
            "`shipyard backup create`",
        )
    if not isinstance(artifacts, list) or not all(
        isinstance(a, str) and artifact_allowed(a) for a in artifacts
    ):
        raise _refuse(archive, f"{MANIFEST}: artifacts must be relative paths outside .git/")
    listed: dict[str, tuple[int, str]] = {}
    for name, entry in files.items():
        ok = isinstance(entry, dict) and isinstance(entry.get("size"), int)
        if not ok or not isinstance(entry.get("sha256"), str) or not _allowed(name, artifacts):
            raise _refuse(
                archive, f"{MANIFEST}: the entry {name!r} is not a member shipyard writes"
            )
        listed[name] = (entry["size"], entry["sha256"])
    return Manifest(data, listed, list(artifacts))


def _allowed(name: str, artifacts: list[str]) -> bool:
    if name in (BUNDLE, DB_NAME):
        return True
    head, _, rel = name.partition("/")
    if head != ARTIFACTS or not artifact_allowed(rel):
        return False
    return any(rel == a or rel.startswith(f"{a}/") for a in artifacts)


def _kind(member: tarfile.TarInfo) -> str:
    if member.issym():
        return f"a symbolic link to {member.linkname}"
    if member.islnk():
        return f"a hard link to {member.linkname}"
    return "a device or special file"


def read(archive: Path, into: Path, limits: Limits | None = None) -> Manifest:
    """Check every member of `archive` and write the manifest's files under `into`."""
    limits = limits or Limits()
    compressed = max(archive.stat().st_size if archive.exists() else 0, 1)
    with _open(archive) as tar:
        try:
            return _read(tar, archive, into, limits, compressed)
        except (tarfile.TarError, OSError, EOFError) as exc:
            raise InputError(f"{archive}: damaged archive ({exc})") from None


def _read(
    tar: tarfile.TarFile, archive: Path, into: Path, limits: Limits, compressed: int
) -> Manifest:
    first = tar.next()
    if first is None or first.name != MANIFEST or not first.isfile() or first.size > 1 << 20:
        raise _refuse(archive, f"the first member is not {MANIFEST}")
    fh = tar.extractfile(first)
    manifest = _manifest(archive, fh.read() if fh else b"")
    seen: set[str] = set()
    total = count = 0
    for member in tar:  # iterates from the first member again
        if member is first:
            continue
        count += 1
        if count > limits.max_members:
            raise _refuse(archive, f"more than {limits.max_members} members")
        name = member.name
        if not safe_name(name):
            raise _refuse(archive, f"the member {name!r} is not a plain relative path")
        if member.isdir():
            continue  # folders come from the files' paths; nothing is created for them
        if not member.isfile():
            raise _refuse(archive, f"the member {name} is {_kind(member)}")
        if name not in manifest.files:
            raise _refuse(archive, f"the member {name} is not in {MANIFEST}")
        if name in seen:
            raise _refuse(archive, f"the member {name} appears twice")
        total += member.size
        _check_size(archive, total, compressed, limits)
        seen.add(name)
        _copy(tar, member, into / name, manifest)
    for name in sorted(set(manifest.files) - seen):
        manifest.problems.append(f"{name}: missing")
    return manifest


def _check_size(archive: Path, total: int, compressed: int, limits: Limits) -> None:
    if total > limits.max_bytes:
        raise _refuse(
            archive,
            f"expands to more than {limits.max_bytes} bytes",
            hint="pass a larger --max-size if you trust this archive",
        )
    if total > RATIO_FLOOR and total / compressed > limits.max_ratio:
        raise _refuse(
            archive,
            f"expands {total / compressed:.0f} times its size (limit {limits.max_ratio:g}): "
            "a compression bomb?",
        )


def _copy(tar: tarfile.TarFile, member: tarfile.TarInfo, dest: Path, manifest: Manifest) -> None:
    size, digest = manifest.files[member.name]
    src = tar.extractfile(member)
    dest.parent.mkdir(parents=True, exist_ok=True)
    h = hashlib.sha256()
    with dest.open("xb") as out:
        while src is not None and (chunk := src.read(1 << 20)):
            h.update(chunk)
            out.write(chunk)
    if member.size != size:
        manifest.problems.append(f"{member.name}: size {member.size}, the manifest says {size}")
    elif h.hexdigest() != digest:
        manifest.problems.append(f"{member.name}: checksum mismatch")
