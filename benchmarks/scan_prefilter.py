"""The keyword prefilter of secret scanning: one RE2 set against pyahocorasick, same keywords.

    python benchmarks/scan_prefilter.py TREE

Reads every text file under TREE (SQLAlchemy's sdist in docs/security.md), then times, median
of 5, the question the detector asks of each file: which rule keywords occur in it
(case-insensitively)? RE2's set answers in one DFA pass over the bytes; pyahocorasick needs a
lower-cased str copy and yields every occurrence to Python. Both must agree on every file.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from shipyard.security import rules, sources
from shipyard.security.detect import Detector


def load(tree: Path) -> list[bytes]:
    texts = []
    for rel in sources.tree_files(tree):
        data, _reason = sources.read_file(tree, rel, 2_000_000)
        if data is not None:
            texts.append(data)
    return texts


def median(fn: Callable[[], object]) -> float:
    samples = []
    for _ in range(5):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples)


def main() -> None:
    import ahocorasick

    texts = load(Path(sys.argv[1]))
    detector = Detector(rules.load_default())
    words = sorted({k for r in detector.rules.rules for k in r.keywords})
    automaton = ahocorasick.Automaton()
    for i, word in enumerate(words):
        automaton.add_word(word, i)
    automaton.make_automaton()

    in_set = list(_keywords(detector))

    def with_re2() -> list[set[str]]:
        return [{in_set[i] for i in detector.keyword_set.Match(data) or ()} for data in texts]

    def with_aho() -> list[set[str]]:
        return [
            {words[i] for _end, i in automaton.iter(data.decode("latin-1").lower())}
            for data in texts
        ]

    assert with_re2() == with_aho(), "the two prefilters disagree"
    mb = sum(map(len, texts)) / 1e6
    re2_s, aho_s = median(with_re2), median(with_aho)
    print(f"{len(texts)} files, {mb:.1f} MB, {len(words)} keywords")
    print(f"RE2 set:       {re2_s:.3f} s  {mb / re2_s:7.0f} MB/s")
    print(f"pyahocorasick: {aho_s:.3f} s  {mb / aho_s:7.0f} MB/s  ({aho_s / re2_s:.1f}x slower)")


def _keywords(detector: Detector) -> dict[str, None]:
    """The keywords in the order the detector added them to its set."""
    return dict.fromkeys(k for r in detector.rules.rules for k in r.keywords)


if __name__ == "__main__":
    main()
