"""Coverage of changed lines: the lines added or changed against a base, and how many ran.

The figure is diff-cover's: a changed line counts when a coverage report measures it (lines a
report does not list, such as blank lines and comments, are not counted), and it is uncovered
when every report that lists its file says it never ran. The diff is `git diff -U0 BASE`
against the working tree, which is what diff-cover's committed + staged + unstaged diffs add
up to on a clean tree.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from shipyard.gates.interface import LineHits
from shipyard.git import Repo, unquote

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@")


@dataclass
class ChangedCoverage:
    base: str
    measured: int = 0
    uncovered: int = 0
    changed: int = 0  # every added or changed line, measured or not
    missing: dict[str, list[int]] = field(default_factory=dict)  # file -> uncovered lines

    @property
    def percent(self) -> float | None:
        if self.measured == 0:
            return None
        return 100.0 * (self.measured - self.uncovered) / self.measured


def parse_diff(text: str) -> dict[str, set[int]]:
    """Repository-relative path -> line numbers (new side) added or changed."""
    changed: dict[str, set[int]] = {}
    lines: set[int] | None = None
    number = 0
    for line in text.splitlines():
        if line.startswith("+++ "):
            name = unquote(line[4:])
            lines = None if name == "/dev/null" else changed.setdefault(name[2:], set())
        elif line.startswith(("--- ", "diff --git ")):
            continue
        elif m := _HUNK.match(line):
            number = int(m.group(1))
        elif lines is not None and line.startswith("+"):
            lines.add(number)
            number += 1
        elif line.startswith(" "):
            number += 1
    return {path: found for path, found in changed.items() if found}


def changed_lines(repo: Repo, base: str) -> dict[str, set[int]]:
    text = repo.git(
        "-c", "core.quotePath=false", "diff", "--no-color", "--no-ext-diff", "-U0", base
    )
    return parse_diff(text)


def merge_hits(reports: Iterable[Mapping[str, LineHits]], root: str) -> dict[str, LineHits]:
    """Per repository-relative file: measured in any report, uncovered in all that list it."""
    merged: dict[str, LineHits] = {}
    real_root = os.path.realpath(root)
    for files in reports:
        for name, hits in files.items():
            rel = os.path.relpath(os.path.realpath(name), real_root)
            old = merged.get(rel)
            merged[rel] = (
                hits
                if old is None
                else LineHits(old.measured | hits.measured, old.uncovered & hits.uncovered)
            )
    return merged


def measure(
    changed: Mapping[str, set[int]], hits: Mapping[str, LineHits], base: str
) -> ChangedCoverage:
    result = ChangedCoverage(base)
    for path, lines in sorted(changed.items()):
        result.changed += len(lines)
        file_hits = hits.get(path)
        if file_hits is None:
            continue
        measured = lines & file_hits.measured
        uncovered = measured & file_hits.uncovered
        result.measured += len(measured)
        result.uncovered += len(uncovered)
        if uncovered:
            result.missing[path] = sorted(uncovered)
    return result


def default_base(repo: Repo, branch: str) -> str | None:
    """The merge base of HEAD with the base branch (or its remote copy), if there is one."""
    for ref in (branch, f"origin/{branch}"):
        if repo.rev_exists(ref):
            return repo.merge_base(ref)
    return None
