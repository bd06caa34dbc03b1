"""Disaster recovery: one archive holding what the plan says to back up, and its restore.

An archive (`.tar.gz`, written atomically) holds: `repo.bundle` (every ref of the git
repository, `git bundle`), `shipyard.db` (the run store, copied with SQLite's online backup so
a run writing at the same time cannot tear it), the build artifacts folders that exist (`dist/`
by default) and `MANIFEST.json` with the commit, the refs and a SHA-256 of every member.
`verify` checks all of it; `restore` clones the bundle into a new folder and puts the store and
artifacts back. `mirror` pushes every ref to a second remote (the plan's "GitHub mirrors").
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import tarfile
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shipyard import __version__
from shipyard.errors import CheckFailed, InputError, UsageError
from shipyard.git import Repo
from shipyard.store import DB_NAME, Store, write_atomic

BUNDLE = "repo.bundle"
MANIFEST = "MANIFEST.json"


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


def create(repo: Repo, store: Store, out: Path, artifacts: Sequence[str]) -> Summary:
    with tempfile.TemporaryDirectory(prefix="shipyard-backup-") as tmp:
        work = Path(tmp)
        repo.git("bundle", "create", str(work / BUNDLE), "--all")
        members = [BUNDLE]
        if (store.dir / DB_NAME).is_file():
            target = sqlite3.connect(work / DB_NAME)
            with target:
                store.db.backup(target)
            target.close()
            members.append(DB_NAME)
        kept = [a for a in artifacts if (repo.root / a).exists()]
        manifest: dict[str, Any] = {
            "shipyard": __version__,
            "created": time.time(),
            "commit": repo.head(),
            "refs": repo.git("for-each-ref", "--format=%(objectname) %(refname)").splitlines(),
            "artifacts": kept,
            "sha256": {m: _sha256(work / m) for m in members},
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2))
        archive = work / "archive.tar.gz"
        with tarfile.open(archive, "w:gz") as tar:
            for m in [MANIFEST, *members]:
                tar.add(work / m, arcname=m)
            for a in kept:
                tar.add(repo.root / a, arcname=f"artifacts/{a}")
        write_atomic(out, archive.read_bytes())
    return Summary(repo.head(), len(manifest["refs"]), kept)


def _open(archive: Path) -> tarfile.TarFile:
    try:
        return tarfile.open(archive, "r:gz")
    except FileNotFoundError:
        raise InputError(f"{archive}: no such backup archive") from None
    except (tarfile.TarError, OSError) as exc:
        raise InputError(f"{archive}: not a shipyard backup archive ({exc})") from None


def _extract(archive: Path, into: Path) -> dict[str, object]:
    with _open(archive) as tar:
        tar.extractall(into, filter="data")
    try:
        data = json.loads((into / MANIFEST).read_text())
    except (OSError, ValueError):
        raise InputError(f"{archive}: {MANIFEST} is missing or unreadable") from None
    if not isinstance(data, dict):
        raise InputError(f"{archive}: {MANIFEST} is not an object")
    return data


def verify(archive: Path) -> list[str]:
    """Problems found; an empty list means the archive restores."""
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="shipyard-verify-") as tmp:
        work = Path(tmp)
        manifest = _extract(archive, work)
        sums = manifest.get("sha256", {})
        for member, digest in sums.items() if isinstance(sums, dict) else []:
            path = work / member
            if not path.is_file():
                problems.append(f"{member}: missing")
            elif _sha256(path) != digest:
                problems.append(f"{member}: checksum mismatch")
        bundle_ok = Repo(work).git("bundle", "verify", "-q", str(work / BUNDLE), check=False)
        if (work / BUNDLE).is_file() and "error" in bundle_ok.lower():
            problems.append(f"{BUNDLE}: {bundle_ok.strip()}")
        if (work / DB_NAME).is_file():
            db = sqlite3.connect(work / DB_NAME)
            try:
                status = db.execute("PRAGMA integrity_check").fetchone()[0]
            except sqlite3.DatabaseError as exc:
                status = str(exc)
            finally:
                db.close()
            if status != "ok":
                problems.append(f"{DB_NAME}: {status}")
    return problems


def restore(archive: Path, dest: Path) -> dict[str, object]:
    if dest.exists() and any(dest.iterdir()):
        raise UsageError(f"{dest} exists and is not empty", hint="restore into a new folder")
    problems = verify(archive)
    if problems:
        raise CheckFailed(f"{archive} does not verify: {'; '.join(problems)}")
    with tempfile.TemporaryDirectory(prefix="shipyard-restore-") as tmp:
        work = Path(tmp)
        manifest = _extract(archive, work)
        Repo(work).git("clone", "-q", str(work / BUNDLE), str(dest))
        if (work / DB_NAME).is_file():
            state = dest / ".shipyard"
            state.mkdir(parents=True, exist_ok=True)
            write_atomic(state / DB_NAME, (work / DB_NAME).read_bytes())
        artifacts = work / "artifacts"
        if artifacts.is_dir():
            import shutil

            shutil.copytree(artifacts, dest, dirs_exist_ok=True)
    return manifest


def mirror(repo: Repo, remote: str) -> str:
    """Push every branch and tag to `remote` (a name or URL); returns git's summary."""
    return repo.git("push", "--mirror", "--porcelain", remote)
