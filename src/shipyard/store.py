"""The only owner of `.shipyard/`: the SQLite run store, the stage cache and the logs.

State is one SQLite database in WAL mode with a busy timeout, so two runs writing at once are
serialised by SQLite rather than corrupting anything. Each family of tables (runs, gates,
bench, releases, …) has its own list of migrations, applied in order and recorded in
`schema_migrations`; a family opens its tables with `ensure_schema`. Files are written
atomically (`write_atomic`, cache entries built in a temporary folder and renamed in place).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from shipyard.errors import UsageError

STATE_DIR = ".shipyard"
DB_NAME = "shipyard.db"
CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by shipyard.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)

ERROR_LOG_MAX = 10 * 1024 * 1024
ERROR_LOG_KEEP = 5

CORE_MIGRATIONS: Sequence[str] = (
    """
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        trigger TEXT NOT NULL,
        commit_sha TEXT,
        branch TEXT,
        started REAL NOT NULL,
        duration REAL,
        result TEXT NOT NULL DEFAULT 'running',
        pid INTEGER
    );
    CREATE TABLE stage_results (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        status TEXT NOT NULL,
        duration REAL NOT NULL,
        budget REAL,
        over_budget INTEGER NOT NULL,
        cache_hit INTEGER NOT NULL,
        exit_code INTEGER,
        critical INTEGER NOT NULL,
        cache_key TEXT,
        reason TEXT NOT NULL DEFAULT '',
        log_path TEXT,
        PRIMARY KEY (run_id, name)
    );
    CREATE TABLE cache_entries (
        key TEXT PRIMARY KEY,
        stage TEXT NOT NULL,
        created REAL NOT NULL,
        last_used REAL NOT NULL,
        size INTEGER NOT NULL,
        hits INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE test_cases (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        stage TEXT NOT NULL,
        suite TEXT NOT NULL,
        classname TEXT NOT NULL,
        name TEXT NOT NULL,
        file TEXT,
        duration REAL NOT NULL,
        outcome TEXT NOT NULL
    );
    CREATE INDEX test_cases_file ON test_cases(file);
    """,
)


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write a file so that readers see the old content or the new, never half of it. Every
    way writing can fail (a folder in the way, no permission, a read-only or full disk) is a
    `UsageError` naming the file and the reason: every --output of every command lands here."""
    try:
        _write_atomic(path, data)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        if isinstance(exc, IsADirectoryError) or path.is_dir():
            reason = "it is a folder"
        elif exc.filename and Path(exc.filename) in path.parents:
            gone = isinstance(exc, FileExistsError)  # mkdir met a file where a folder must be
            reason = (
                f"{exc.filename} is a file, not a folder" if gone else f"{exc.filename}: {reason}"
            )
        raise UsageError(
            f"cannot write {path}: {reason}",
            hint="give a file path in a folder that exists or can be made, and is writable",
        ) from None


def _write_atomic(path: Path, data: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # the temporary name is kept short: a 250-byte name is fine, ".<it>.XXXX.tmp" is not
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name[:100]}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode() if isinstance(data, str) else data)
            fh.flush()
            os.fsync(fh.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _same(a: os.stat_result, b: os.stat_result) -> bool:
    return a.st_size == b.st_size and a.st_mtime_ns == b.st_mtime_ns


def _sync(src: Path, dst: Path) -> None:
    """Copy `src` (file or folder) to `dst`, skipping files already identical (size and mtime,
    which copy2 preserves) and removing files `dst` has that `src` does not. A link at `dst` is
    replaced, never followed: restoring must not write or delete where a link points."""
    if dst.is_symlink():
        if src.is_symlink() and os.readlink(src) == os.readlink(dst):
            return
        dst.unlink()
    if src.is_dir() and not src.is_symlink():
        if dst.exists() and not dst.is_dir():
            dst.unlink()
        dst.mkdir(parents=True, exist_ok=True)
        wanted = {p.name for p in src.iterdir()}
        for extra in [p for p in dst.iterdir() if p.name not in wanted]:
            if extra.is_dir() and not extra.is_symlink():
                shutil.rmtree(extra)
            else:
                extra.unlink()
        for child in src.iterdir():
            _sync(child, dst / child.name)
        return
    if dst.is_dir() and not dst.is_symlink():
        shutil.rmtree(dst)
    elif dst.exists() and _same(src.stat(), dst.stat()):
        return
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(src, dst, follow_symlinks=False)


Row = sqlite3.Row  # the type of a row the store's queries return, for annotations elsewhere


def integrity(db_file: Path) -> str:
    """ "ok", or what SQLite's integrity check says is wrong with the database at `db_file`
    (a copy in a backup archive, say)."""
    db = sqlite3.connect(db_file)
    try:
        return str(db.execute("PRAGMA integrity_check").fetchone()[0])
    except sqlite3.DatabaseError as exc:
        return str(exc)
    finally:
        db.close()


class RunLock:
    """An exclusive flock on `.shipyard/run.lock` (released by the kernel if shipyard dies),
    holding the pid of its owner for the message the next run shows."""

    def __init__(self, path: Path, wait: bool, waiting: Callable[[str], None] | None) -> None:
        self.path, self.wait, self.waiting = path, wait, waiting
        self.fd = -1

    ENV = "SHIPYARD_RUN_LOCK"  # set for the stages: a run inside a stage is part of this run

    def __enter__(self) -> RunLock:
        import fcntl

        self.previous = os.environ.get(self.ENV)
        if self.previous == str(self.path):
            return self  # nested (`shipyard release` in a stage): the outer run holds it
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            owner = os.pread(self.fd, 32, 0).decode(errors="replace").strip() or "?"
            what = f"another shipyard run (pid {owner}) is running in this worktree"
            if not self.wait:
                os.close(self.fd)
                raise UsageError(what, hint="wait for it, or drop --no-wait to queue") from None
            if self.waiting is not None:
                self.waiting(f"{what}; waiting for it to finish…")
            fcntl.flock(self.fd, fcntl.LOCK_EX)
        os.ftruncate(self.fd, 0)
        os.pwrite(self.fd, str(os.getpid()).encode(), 0)
        os.environ[self.ENV] = str(self.path)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.fd < 0:
            return
        os.close(self.fd)  # closing releases the flock
        self.fd = -1
        if self.previous is None:
            os.environ.pop(self.ENV, None)
        else:
            os.environ[self.ENV] = self.previous


class Store:
    """`.shipyard/` of one project."""

    def __init__(self, root: Path, state_dir: Path | None = None) -> None:
        self.root = root
        self.dir = state_dir or Path(os.environ.get("SHIPYARD_HOME") or root / STATE_DIR)
        self._local = threading.local()  # one connection per thread, as sqlite3 requires
        self._schemas: set[str] = set()
        self._schema_lock = threading.Lock()

    # -- database -----------------------------------------------------------------------
    @property
    def db(self) -> sqlite3.Connection:
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            db = self._connect()
            self._local.db = db
            with self._schema_lock:
                if "core" not in self._schemas:
                    self.ensure_schema("core", CORE_MIGRATIONS)
        return db

    def _connect(self) -> sqlite3.Connection:
        self._prepare_dir()
        path = self.dir / DB_NAME
        try:
            db = sqlite3.connect(path, timeout=30, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
        except sqlite3.DatabaseError as exc:
            raise UsageError(
                f"the run store {path} cannot be opened: {exc}",
                hint="move it aside; shipyard starts a new one",
            ) from None
        db.execute("PRAGMA synchronous=NORMAL")  # WAL: consistent after a crash, fewer fsyncs
        db.execute("PRAGMA foreign_keys=ON")
        db.execute("PRAGMA busy_timeout=30000")
        db.row_factory = sqlite3.Row
        return db

    def ensure_schema(self, family: str, migrations: Sequence[str]) -> None:
        """Apply the family's migrations not yet recorded, each in one transaction."""
        if family in self._schemas:
            return
        db = self.db
        db.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations "
            "(family TEXT NOT NULL, version INTEGER NOT NULL, applied REAL NOT NULL, "
            "PRIMARY KEY (family, version))"
        )
        with self.transaction() as tx:
            row = tx.execute(
                "SELECT MAX(version) FROM schema_migrations WHERE family = ?", (family,)
            ).fetchone()
            current = row[0] or 0
            if current > len(migrations):
                raise UsageError(
                    f"the run store {self.dir / DB_NAME} was written by a newer shipyard "
                    f"({family} schema {current}, this one knows {len(migrations)})",
                    hint="upgrade shipyard, or point SHIPYARD_HOME at another folder",
                )
            for version, script in enumerate(migrations[current:], start=current + 1):
                for statement in filter(str.strip, script.split(";")):
                    tx.execute(statement)
                tx.execute(
                    "INSERT INTO schema_migrations VALUES (?, ?, ?)", (family, version, time.time())
                )
        self._schemas.add(family)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """An IMMEDIATE transaction: writers queue up instead of failing mid-way."""
        db = self.db
        if db.in_transaction:  # left open by an interrupt between its statements: undo it
            db.execute("ROLLBACK")
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None

    def backup_to(self, target: Path) -> None:
        """A consistent copy of the run store at `target` (SQLite's online backup: a run
        writing at the same time cannot tear it)."""
        copy = sqlite3.connect(target)
        try:
            with copy:
                self.db.backup(copy)
        finally:
            copy.close()

    # -- files --------------------------------------------------------------------------
    def _prepare_dir(self) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        tag = self.dir / "CACHEDIR.TAG"
        if not tag.exists():
            write_atomic(tag, CACHEDIR_TAG)
        ignore = self.dir / ".gitignore"
        if not ignore.exists():
            write_atomic(ignore, "# created by shipyard: nothing here belongs in git\n*\n")

    def report_path(self, name: str) -> Path:
        """Where shipyard's own report `name` goes when the user names no path (sbom, HTML
        report): under the state folder, so nothing is left untracked in the project root."""
        return self.dir / "reports" / name

    @property
    def advisory_db(self) -> Path:
        """Where `shipyard scan db update` keeps the OSV database unless `[scan.deps] db`
        names another place (not created here)."""
        return self.dir / "osv"

    def folder(self, name: str) -> Path:
        """A folder of the state directory for one concern (hooks' patches, reports, …)."""
        path = self.dir / name
        self._prepare_dir()
        path.mkdir(parents=True, exist_ok=True)
        return path

    def log_path(self, run_id: int, stage: str) -> Path:
        path = self.dir / "logs" / str(run_id) / f"{stage}.log"
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def log_error(self, record: dict[str, object]) -> Path:
        """Append one JSON line to logs/error.log, rotated at 10 MB with 5 kept (the plan's
        "always-on local logging"); never raises, since it runs while handling a failure."""
        return self.append_log("error.log", record)

    def append_log(self, name: str, record: dict[str, object]) -> Path:
        """Append one JSON line to logs/NAME, rotated at 10 MB with 5 files kept; never
        raises (logging must not turn into a failure of its own)."""
        import json

        path = self.dir / "logs" / name
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if path.exists() and path.stat().st_size > ERROR_LOG_MAX:
                for i in range(ERROR_LOG_KEEP - 1, 0, -1):
                    older = path.with_name(f"{name}.{i}")
                    if older.exists():
                        os.replace(older, path.with_name(f"{name}.{i + 1}"))
                os.replace(path, path.with_name(f"{name}.1"))
            with path.open("a") as fh:
                fh.write(json.dumps(record, default=str) + "\n")
        except OSError:
            pass
        return path

    def run_lock(self, wait: bool = True, waiting: Callable[[str], None] | None = None) -> RunLock:
        """The lock one run holds on this state folder (one worktree's runs take turns)."""
        return RunLock(self.dir / "run.lock", wait, waiting)

    @property
    def cache_dir(self) -> Path:
        path = self.dir / "cache"
        path.mkdir(parents=True, exist_ok=True)
        return path

    # -- stage cache --------------------------------------------------------------------
    def cache_lookup(self, key: str) -> Path | None:
        entry = self.cache_dir / key
        if not (entry / "manifest").is_file():
            return None
        return entry

    def cache_save(self, key: str, stage: str, outputs: Sequence[str], cwd: Path) -> None:
        """Copy the stage's outputs into a new entry, built aside and renamed into place."""
        final = self.cache_dir / key
        if final.exists():
            return
        tmp = Path(tempfile.mkdtemp(dir=self.cache_dir, prefix=f".{key[:12]}."))
        try:
            size = 0
            files = tmp / "files"
            files.mkdir()
            kept: list[str] = []
            for rel in outputs:
                src = cwd / rel
                if src.is_dir() and not src.is_symlink():
                    shutil.copytree(src, files / rel, symlinks=True, dirs_exist_ok=True)
                elif src.exists() or src.is_symlink():
                    (files / rel).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(src, files / rel, follow_symlinks=False)
                else:  # a declared output is missing: an entry without it would be wrong
                    shutil.rmtree(tmp, ignore_errors=True)
                    return
                kept.append(rel)
            for p in files.rglob("*"):
                if p.is_file():
                    size += p.stat().st_size
            (tmp / "manifest").write_text("\n".join(kept) + "\n")
            try:
                os.rename(tmp, final)
            except OSError:  # another run saved the same key first: theirs is as good
                shutil.rmtree(tmp, ignore_errors=True)
                return
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        now = time.time()
        with self.transaction() as tx:
            tx.execute(
                "INSERT OR REPLACE INTO cache_entries VALUES (?, ?, ?, ?, ?, 0)",
                (key, stage, now, now, size),
            )

    def cache_restore(self, entry: Path, cwd: Path) -> None:
        """Make the outputs equal to the entry's, copying only files that differ; never
        anywhere outside the project (a folder on the way may be a link)."""
        files = entry / "files"
        root = self.root.resolve()
        for rel in (entry / "manifest").read_text().split("\n"):
            if not rel:
                continue
            target = cwd / rel
            if not target.parent.resolve().is_relative_to(root):
                raise UsageError(
                    f"the cached output {rel!r} would be restored outside the project "
                    f"({target.parent} leads to {target.parent.resolve()})",
                    hint="remove that link, or run with --no-cache",
                )
            _sync(files / rel, target)
        with self.transaction() as tx:
            tx.execute(
                "UPDATE cache_entries SET hits = hits + 1, last_used = ? WHERE key = ?",
                (time.time(), entry.name),
            )

    def cache_stats(self) -> dict[str, float]:
        row = self.db.execute(
            "SELECT COUNT(*), COALESCE(SUM(size), 0), COALESCE(SUM(hits), 0) FROM cache_entries"
        ).fetchone()
        return {"entries": row[0], "bytes": row[1], "hits": row[2]}

    def cache_clean(self, older_than: float | None = None) -> int:
        """Remove entries (all, or those unused for `older_than` seconds); returns the count."""
        cutoff = None if older_than is None else time.time() - older_than
        used = dict(self.db.execute("SELECT key, last_used FROM cache_entries").fetchall())
        removed = 0
        for entry in sorted(self.cache_dir.iterdir()):
            if cutoff is not None and used.get(entry.name, 0) > cutoff:
                continue
            shutil.rmtree(entry, ignore_errors=True)
            removed += not entry.name.startswith(".")
        with self.transaction() as tx:
            if cutoff is None:
                tx.execute("DELETE FROM cache_entries")
            else:
                tx.execute("DELETE FROM cache_entries WHERE last_used <= ?", (cutoff,))
        return removed
