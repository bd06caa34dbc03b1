"""Fan secret scanning out to worker processes: files of the working tree, blobs of history.

Workers are forked, so they inherit the compiled rules (RE2 objects cannot be pickled) and
only paths and redacted hits cross a pipe. For history each worker runs its own
`git cat-file --batch` over its share of the blobs, so blob contents never cross a pipe either.
Small jobs run in this process: a pool costs more than it saves there.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path

from shipyard.git import Repo
from shipyard.security import sources
from shipyard.security.detect import Detector, Hit
from shipyard.security.interface import Skipped

PARALLEL_FROM = 200  # files or blobs
# what a forked worker needs: the detector, the repository root and the size limit
_STATE: tuple[Detector, Path, int | None] | None = None

Item = tuple[str, list[Hit], Skipped | None, int]  # (path or blob index, hits, skipped, size)


def _pool_size(detector: Detector, jobs: int, count: int) -> int:
    jobs = jobs or os.cpu_count() or 1
    if count < PARALLEL_FROM or os.name != "posix" or jobs < 2:
        return 1
    for rule in detector.rules.rules:
        _ = rule.regex  # compile once here, not once in every forked worker
    return jobs


def scan_paths(
    detector: Detector, root: Path, paths: list[str], max_size: int | None, jobs: int
) -> Iterator[Item]:
    global _STATE
    _STATE = (detector, root, max_size)
    size = _pool_size(detector, jobs, len(paths))
    if size < 2:
        yield from map(_scan_path, paths)
        return
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(size) as pool:
        yield from pool.imap_unordered(_scan_path, paths, chunksize=32)


def _scan_path(rel: str) -> Item:
    assert _STATE is not None
    detector, root, max_size = _STATE
    stream, skipped = sources.open_file(root, rel, max_size)
    if stream is None:
        return rel, [], skipped, 0
    try:
        with stream:
            hits, size = detector.scan_stream(stream, rel)
    except OSError as exc:
        return rel, [], Skipped(rel, f"unreadable: {exc.strerror}"), 0
    return rel, hits, None, size


def scan_blobs(
    detector: Detector, root: Path, blobs: list[tuple[str, str]], max_size: int | None, jobs: int
) -> list[Item]:
    """One item per (path, blob), in the order given; the item's first field is its index."""
    global _STATE
    _STATE = (detector, root, max_size)
    size = _pool_size(detector, jobs, len(blobs))
    indexed = list(enumerate(blobs))
    shares = [indexed[i::size] for i in range(size)]  # interleaved: similar sizes per share
    if size < 2:
        items = _scan_share(shares[0])
    else:
        import multiprocessing

        with multiprocessing.get_context("fork").Pool(size) as pool:
            items = [item for share in pool.map(_scan_share, shares) for item in share]
    return sorted(items, key=lambda item: int(item[0]))


def _scan_share(share: list[tuple[int, tuple[str, str]]]) -> list[Item]:
    assert _STATE is not None
    detector, root, max_size = _STATE
    contents = sources.read_blobs(Repo(root), [blob for _i, (_p, blob) in share], max_size)
    items: list[Item] = []
    for (index, (path, _blob)), data in zip(share, contents, strict=True):
        if data is None:
            reason = f"larger than max-file-size ({max_size} bytes)"
            items.append((str(index), [], Skipped(path, reason, True), 0))
        else:
            hits, size = detector.scan_stream(io.BytesIO(data), path)
            items.append((str(index), hits, None, size))
    return items
