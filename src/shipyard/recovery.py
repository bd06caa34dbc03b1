"""Disaster recovery: one archive holding what the plan says to back up, and its restore.

An archive (`.tar.gz`, written atomically) holds `MANIFEST.json` first (the commit, the refs,
and the size and SHA-256 of every other member), `repo.bundle` (every ref, `git bundle`),
`shipyard.db` (the run store, copied with SQLite's online backup so a run writing at the same
time cannot tear it) and the files of the build artifact folders that exist (`dist/` by
default, regular files only). `verify` checks all of it without trusting it (see archive.py);
`restore` clones the bundle into a new folder and writes back only the manifest's files: never
into `.git/`, never over a file of the repository (a definition, a workflow) without `force`.
`mirror` pushes every ref to a second remote (the plan's "GitHub mirrors").
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tarfile
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shipyard import __version__
from shipyard.archive import ARTIFACTS, BUNDLE, FORMAT, MANIFEST, Limits, Manifest, read
from shipyard.errors import InputError, UsageError
from shipyard.git import Repo
from shipyard.store import DB_NAME, STATE_DIR, Store, integrity, write_atomic


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@dataclass(frozen=True)
class Summary:
    commit: str | None
    refs: int
    artifacts: list[str]


def _artifact_files(root: Path, artifact: str) -> list[Path]:
    """The regular files of an artifact folder (or the artifact file); links are not followed."""
    top = root / artifact
    if top.is_file() and not top.is_symlink():
        return [top]
    found = []
    for folder, dirs, files in os.walk(top):
        dirs[:] = sorted(d for d in dirs if not (Path(folder) / d).is_symlink())
        for name in sorted(files):
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                found.append(path)
    return found


def create(repo: Repo, store: Store, out: Path, artifacts: Sequence[str]) -> Summary:
    if repo.head() is None and not repo.git("for-each-ref", "--count=1", check=False).strip():
        raise UsageError(
            f"{repo.root}: the repository has no commits yet, so there is nothing to back up",
            hint="commit first (`git commit`), then run `shipyard backup create`",
        )
    with tempfile.TemporaryDirectory(prefix="shipyard-backup-") as tmp:
        work = Path(tmp)
        repo.git("bundle", "create", str(work / BUNDLE), "--all")
        members: list[tuple[str, Path]] = [(BUNDLE, work / BUNDLE)]
        if (store.dir / DB_NAME).is_file():
            store.backup_to(work / DB_NAME)
            members.append((DB_NAME, work / DB_NAME))
        kept = [a.strip("/") for a in artifacts if (repo.root / a).exists()]
        for a in kept:
            members += [
                (f"{ARTIFACTS}/{f.relative_to(repo.root).as_posix()}", f)
                for f in _artifact_files(repo.root, a)
            ]
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "shipyard": __version__,
            "created": time.time(),
            "commit": repo.head(),
            "refs": repo.git("for-each-ref", "--format=%(objectname) %(refname)").splitlines(),
            "artifacts": kept,
            "files": {
                name: {"size": path.stat().st_size, "sha256": _sha256(path)}
                for name, path in members
            },
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2))
        archive = work / "archive.tar.gz"
        with tarfile.open(archive, "w:gz") as tar:
            tar.add(work / MANIFEST, arcname=MANIFEST)
            for name, path in members:
                tar.add(path, arcname=name, recursive=False)
        write_atomic(out, archive.read_bytes())
    return Summary(repo.head(), len(manifest["refs"]), kept)


def _check(work: Path, manifest: Manifest) -> list[str]:
    """The manifest's problems plus those of the bundle and the store."""
    problems = list(manifest.problems)
    if (work / BUNDLE).is_file():
        bundle_ok = Repo(work).git("bundle", "verify", "-q", str(work / BUNDLE), check=False)
        if "error" in bundle_ok.lower():
            problems.append(f"{BUNDLE}: {bundle_ok.strip()}")
    else:
        problems.append(f"{BUNDLE}: missing")
    if (work / DB_NAME).is_file():
        status = integrity(work / DB_NAME)
        if status != "ok":
            problems.append(f"{DB_NAME}: {status}")
    return problems


def verify(archive: Path, limits: Limits | None = None) -> list[str]:
    """Problems found; an empty list means the archive restores. An archive with members
    shipyard never writes raises InputError instead."""
    with tempfile.TemporaryDirectory(prefix="shipyard-verify-") as tmp:
        work = Path(tmp)
        return _check(work, read(archive, work, limits))


def restore(
    archive: Path, dest: Path, force: bool = False, limits: Limits | None = None
) -> dict[str, object]:
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise UsageError(f"{dest} exists and is not empty", hint="restore into a new folder")
    with tempfile.TemporaryDirectory(prefix="shipyard-restore-") as tmp:
        work = Path(tmp)
        manifest = read(archive, work, limits)
        problems = _check(work, manifest)
        if problems:
            raise InputError(f"{archive} does not verify: {'; '.join(problems)}")
        existed = dest.exists()
        Repo(work).git("clone", "-q", str(work / BUNDLE), str(dest))
        try:
            _put_back(work, manifest, dest, force)
        except BaseException:
            shutil.rmtree(dest, ignore_errors=True)  # no half-restored folder
            if existed:
                dest.mkdir()
            raise
    return manifest.data


def _put_back(work: Path, manifest: Manifest, dest: Path, force: bool) -> None:
    root = dest.resolve()
    writes = [(name, dest / name.partition("/")[2]) for name in manifest.files if "/" in name]
    if (work / DB_NAME).is_file():
        writes.append((DB_NAME, dest / STATE_DIR / DB_NAME))
    clashes = []
    for name, target in writes:
        parent = target.parent.resolve()
        if not parent.is_relative_to(root) or parent.is_relative_to(root / ".git"):
            raise InputError(f"{name}: its folder in the repository leads outside {dest}")
        if name != DB_NAME and (target.exists() or target.is_symlink()):
            clashes.append(target.relative_to(dest).as_posix())
    if clashes and not force:
        raise InputError(
            f"the archive's artifacts would replace files of the repository: "
            f"{', '.join(clashes[:5])}{' …' if len(clashes) > 5 else ''}",
            hint="check them; pass --force to restore them over the repository's files",
        )
    for name, target in writes:
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_symlink():
            target.unlink()
        write_atomic(target, (work / name).read_bytes())


def mirror(repo: Repo, remote: str) -> str:
    """Push every branch and tag to `remote` (a name or URL); returns git's summary."""
    return repo.git("push", "--mirror", "--porcelain", remote)
