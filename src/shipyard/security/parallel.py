"""Fan secret scanning out to worker processes: files of the working tree, blobs of history.

Workers come from a fork server (a clean process started for the purpose), never forked from
shipyard itself: shipyard may hold threads (a run's stage readers, an HTTP watchdog) and
signal handlers of its own, and a child forked while another thread holds a lock can hang
forever. Each worker loads and compiles the rules itself (RE2 objects cannot be pickled); only
paths and redacted hits cross a pipe. For history each worker runs its own `git cat-file
--batch` over its share of the blobs, so blob contents never cross a pipe either. The pool is
closed and joined, not terminated, so no worker is ever killed holding a queue lock.
Small jobs run in this process: a pool costs more than it saves there.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shipyard.git import Repo
from shipyard.security import sources
from shipyard.security.detect import Detector, Hit
from shipyard.security.interface import Skipped

PARALLEL_FROM = 200  # files or blobs

Item = tuple[str, list[Hit], Skipped | None, int]  # (path or blob index, hits, skipped, size)


@dataclass(frozen=True)
class Job:
    """What a worker needs, in picklable form: the rule files, the root, the size limit."""

    rule_files: tuple[Path, ...]
    root: Path
    max_size: int | None


# this process's detector and job: set once per worker by `_start`, or by the caller in-process
_STATE: tuple[Detector, Job] | None = None


def _pool_size(jobs: int, count: int) -> int:
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    return pool_size(jobs, count, cpus or 1, load) if os.name == "posix" else 1


def pool_size(jobs: int, count: int, cpus: int, load: float) -> int:
    """Worker processes for `count` files or blobs; 1 means no pool (scan in this process).

    `--jobs N` is taken as asked (still no pool under PARALLEL_FROM items). The default is
    chosen from the work and the machine: one worker per PARALLEL_FROM items, at most one per
    CPU this process may use, and no more than the CPUs left idle by the other processes (the
    1-minute load average counts this one too): on a loaded 2-core machine a pool of workers
    only competes for the same cores and is slower than scanning here.
    """
    if count < PARALLEL_FROM:
        return 1
    if jobs:
        return max(1, jobs)
    idle = int(cpus - load + 1.5)  # + 1: the load includes this process, about to be a worker
    size = min(cpus, idle, count // PARALLEL_FROM)
    return size if size >= 2 else 1


def _pool(job: Job, size: int) -> Any:
    import multiprocessing

    context = multiprocessing.get_context("forkserver")
    # the server imports the scanner once; every worker is forked from it with it loaded
    context.set_forkserver_preload([__name__])
    return context.Pool(size, initializer=_start, initargs=(job,))


def _start(job: Job) -> None:
    """Worker set-up: the default signal handling (the pool's own SIGTERM must end a worker,
    and Ctrl-C is the parent's to handle) and its own detector."""
    from shipyard.security import rules

    global _STATE
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _STATE = (Detector(rules.load(job.rule_files)), job)


def scan_paths(detector: Detector, job: Job, paths: list[str], jobs: int) -> Iterator[Item]:
    global _STATE
    size = _pool_size(jobs, len(paths))
    if size < 2:
        _STATE = (detector, job)
        yield from map(_scan_path, paths)
        return
    pool = _pool(job, size)
    try:
        yield from pool.imap_unordered(_scan_path, paths, chunksize=32)
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()


def _scan_path(rel: str) -> Item:
    assert _STATE is not None
    detector, job = _STATE
    stream, skipped = sources.open_file(job.root, rel, job.max_size)
    if stream is None:
        return rel, [], skipped, 0
    try:
        with stream:
            hits, size = detector.scan_stream(stream, sources.shown(rel))  # allowlists see it shown
    except OSError as exc:
        return rel, [], Skipped(rel, f"unreadable: {exc.strerror}"), 0
    return rel, hits, None, size


def scan_blobs(detector: Detector, job: Job, blobs: list[tuple[str, str]], jobs: int) -> list[Item]:
    """One item per (path, blob), in the order given; the item's first field is its index."""
    global _STATE
    size = _pool_size(jobs, len(blobs))
    indexed = list(enumerate(blobs))
    shares = [indexed[i::size] for i in range(size)]  # interleaved: similar sizes per share
    if size < 2:
        _STATE = (detector, job)
        items = _scan_share(shares[0])
    else:
        pool = _pool(job, size)
        try:
            items = [item for share in pool.map(_scan_share, shares) for item in share]
            pool.close()
        except BaseException:
            pool.terminate()
            raise
        finally:
            pool.join()
    return sorted(items, key=lambda item: int(item[0]))


def _scan_share(share: list[tuple[int, tuple[str, str]]]) -> list[Item]:
    """Each blob streamed from `git cat-file --batch` in windows, never read whole."""
    assert _STATE is not None
    detector, job = _STATE
    contents = sources.read_blobs(Repo(job.root), [blob for _i, (_p, blob) in share], job.max_size)
    items: list[Item] = []
    for (index, (path, _blob)), stream in zip(share, contents, strict=True):
        if stream is None:
            reason = f"larger than max-file-size ({job.max_size} bytes)"
            items.append((str(index), [], Skipped(path, reason, True), 0))
        else:
            hits, size = detector.scan_stream(stream, path)
            items.append((str(index), hits, None, size))
    return items
