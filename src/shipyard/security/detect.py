"""The secret detector: one keyword pass, then RE2 only for the rules it woke up.

A file (or a fragment: the added lines of a commit) is run once through one automaton holding
every rule's keywords (an RE2 set); only rules whose keyword occurs are tried, so most text
never reaches a regular expression. Candidates then pass the rule's entropy threshold and the
allowlists. The full secret never leaves this module: a finding carries a redacted form and a
hash, which is all the baseline and the fingerprints need.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

from shipyard.security.rules import Rule, RuleSet

ALLOW_MARKERS = (b"shipyard:allow", b"gitleaks:allow")
# Large files are scanned in windows of WINDOW bytes, each overlapping the previous by OVERLAP:
# a secret up to OVERLAP bytes long (a PEM key is a few KB) is whole in at least one window.
WINDOW = 4 << 20
OVERLAP = 64 << 10


class Readable(Protocol):
    """What `scan_stream` reads: an open binary file, or a blob inside git's output."""

    def read(self, size: int = -1, /) -> bytes: ...


@dataclass(frozen=True)
class Hit:
    """A secret found in one text: where, by which rule, and only a redacted form of it."""

    rule: str
    description: str
    line: int  # 1-based, in the text scanned (callers map fragments back to file lines)
    redacted: str
    secret_hash: str
    allowed_inline: bool


def entropy(data: bytes) -> float:
    """Shannon entropy in bits per symbol."""
    if not data:
        return 0.0
    n = len(data)
    return -sum(c / n * math.log2(c / n) for c in Counter(data).values())


def redact(secret: bytes) -> str:
    """Enough to recognise which secret it is, never enough to use it."""
    text = secret.decode("utf-8", "replace")
    keep = 4 if len(text) >= 16 else 2 if len(text) >= 8 else 0
    return text[:keep] + "…" + f"({len(text)} chars)"


def secret_hash(secret: bytes) -> str:
    return hashlib.sha256(secret).hexdigest()[:24]


class Detector:
    def __init__(self, rules: RuleSet) -> None:
        import re2

        self.rules = rules
        self.always: list[int] = []  # rules without keywords run on every text
        by_word: dict[str, list[int]] = {}
        for i, rule in enumerate(rules.rules):
            if not rule.keywords:
                self.always.append(i)
            for word in rule.keywords:
                by_word.setdefault(word, []).append(i)
        self.words = [tuple(ids) for ids in by_word.values()]
        # One case-insensitive RE2 set of every keyword: a single DFA pass (Aho-Corasick's
        # automaton, in C) tells which keywords occur. pyahocorasick did the same job 7-11x
        # slower here, because it walks every occurrence through Python and needs a
        # lower-cased str copy of each file (benchmarks/scan_prefilter.py).
        options = re2.Options()
        options.case_sensitive = False
        options.log_errors = False
        # RE2's set reports "no match" when its DFA runs out of memory: give it room to spare
        # (a few hundred keyword states need well under 1 MB) so that never hides a secret
        options.max_mem = 64 << 20
        self.keyword_set: Any = re2.Set.SearchSet(options)
        for word in by_word:
            self.keyword_set.Add(re2.escape(word.encode()))
        self.keyword_set.Compile()

    def path_allowed(self, path: str) -> bool:
        return self.rules.allowlist.allows_path(path)

    def path_hits(self, path: str) -> list[Hit]:
        """The file is a secret by its name (a PKCS#12 bundle): one hit on its first line,
        keyed by the path, since a binary bundle has no line of text to point at."""
        return [
            Hit(rule.id, rule.description, 1, "(the whole file)", secret_hash(path.encode()), False)
            for rule in self.rules.path_rules
            if rule.matches(path)
        ]

    def woken(self, data: bytes) -> list[int]:
        """Indexes of the rules whose keywords occur in `data` (case-insensitively)."""
        found: set[int] = set(self.always)
        for word in self.keyword_set.Match(data) or ():
            found.update(self.words[word])
        return sorted(found)

    def scan(self, data: bytes, path: str) -> list[Hit]:
        return _dedupe([hit for _start, hit in self._scan(data, path)])

    def scan_stream(
        self, stream: Readable, path: str, window: int = WINDOW, overlap: int = OVERLAP
    ) -> tuple[list[Hit], int]:
        """(hits, bytes read) for a file of any size, holding at most `window` bytes at once.

        A hit that starts in the last `overlap` bytes of a window is left to the next window,
        which starts there, so a secret cut by the window's end is never reported truncated."""
        hits: list[Hit] = []
        lines_before, size, data = 0, 0, b""
        while True:
            block = stream.read(window - len(data))
            size += len(block)
            data += block
            last = len(data) < window
            cut = len(data) if last else len(data) - overlap
            for start, hit in self._scan(data, path):
                if start < cut or last:
                    hits.append(replace(hit, line=hit.line + lines_before))
            if last:
                return _dedupe(hits), size
            lines_before += data.count(b"\n", 0, cut)
            data = data[cut:]

    def _scan(self, data: bytes, path: str) -> list[tuple[int, Hit]]:
        hits: list[tuple[int, Hit]] = []
        for index in self.woken(data):
            rule = self.rules.rules[index]
            if rule.path is not None and not rule.path.search(path.encode()):
                continue
            if rule.allowlist.allows_path(path):
                continue
            for match in rule.regex.finditer(data):
                start, secret = _secret(rule, match)
                if not secret or (rule.entropy and entropy(secret) < rule.entropy):
                    continue
                line = _line(data, start)
                allowlists = (rule.allowlist, self.rules.allowlist)
                if any(a.allows(secret, match.group(), line, path) for a in allowlists):
                    continue
                hits.append((start, _hit(rule, data, start, secret, line)))
        return hits


def _secret(rule: Rule, match: Any) -> tuple[int, bytes]:
    groups: Sequence[bytes | None] = match.groups()
    if rule.secret_group is not None and rule.secret_group <= len(groups):
        return match.start(rule.secret_group), groups[rule.secret_group - 1] or b""
    for i, group in enumerate(groups, start=1):
        if group:
            return match.start(i), group
    return match.start(), match.group()


def _line(data: bytes, start: int) -> bytes:
    line_start = data.rfind(b"\n", 0, start) + 1
    line_end = data.find(b"\n", start)
    return data[line_start : line_end if line_end >= 0 else len(data)]


def _hit(rule: Rule, data: bytes, start: int, secret: bytes, line: bytes) -> Hit:
    return Hit(
        rule=rule.id,
        description=rule.description,
        line=data.count(b"\n", 0, start) + 1,
        redacted=redact(secret),
        secret_hash=secret_hash(secret),
        allowed_inline=any(m in line for m in ALLOW_MARKERS),
    )


def _dedupe(hits: list[Hit]) -> list[Hit]:
    """One hit per secret and line: a provider's rule wins over the generic ones."""
    best: dict[tuple[int, str], Hit] = {}
    for hit in hits:
        key = (hit.line, hit.secret_hash)
        if key not in best or best[key].rule.startswith("generic"):
            best[key] = hit
    return sorted(best.values(), key=lambda h: (h.line, h.rule))
