"""Path globs (`inputs`, `outputs`, `when.changed`) against git's own `:(glob)` pathspecs.

git is the oracle: for each pattern, `globs.select` over the tracked files must pick exactly
what `git ls-files ':(glob)PATTERN'` lists in the same repository.
"""

from __future__ import annotations

import pytest

from shipyard.pipeline.globs import matches, problem, select
from tests.conftest import GitRepo

FILES = [
    "README.md",
    "READMEx",
    "docs/index.md",
    "src/x.py",
    "src/q1.py",
    "src/qq.py",
    "src/[x].py",
    "src/a/y.py",
    "src/a/b/z.py",
    "src/a/b/z.txt",
    "we[ird/f",
]

# each kind of token the translator knows: `**/`, a trailing `**`, `*`, `?`, classes (ranges,
# negated, a literal '['), a plain folder name, and a name that is a prefix of another file
AGREE_WITH_GIT = [
    "src/**",
    "src/*.py",
    "**/*.py",
    "src/?.py",
    "src/q[0-9].py",
    "src/q[!0-9].py",
    "src/[[]x].py",
    "src",
    "src/a",
    "README*",
    "src/**/z.*",
    "src/a/**/z.py",
    "**/b/*",
    "**",
    "docs/index.md",
]


def test_select_agrees_with_git_pathspecs(repo: GitRepo) -> None:
    for rel in FILES:
        repo.write(rel, "x\n")
    repo.commit("files")
    tracked = repo.git("ls-files", "-z").split("\0")[:-1]
    assert sorted(tracked) == sorted(FILES)
    for pattern in AGREE_WITH_GIT:
        expected = sorted(repo.git("ls-files", "-z", f":(glob){pattern}").split("\0")[:-1])
        assert select(tracked, [pattern]) == expected, pattern
        assert expected, f"{pattern} selects nothing: the comparison proves little"


@pytest.mark.parametrize(
    ("path", "patterns", "expected"),
    [
        ("src/x.py", ["./src/*.py"], True),  # a leading ./ is the project root
        ("src/a/y.py", ["src/a/"], True),  # a trailing / names the folder
        ("src/a/y.py", [" src/a "], True),  # surrounding blanks are dropped
        ("src/a\\b.py", ["src/a\\b.py"], True),  # a backslash is a character, not an escape
        ("src/a\\b.py", ["src/a[\\]b.py"], True),
        ("src/[x.py", ["src/[x.py"], True),  # an unclosed '[' is literal (problem() warns)
        ("srcs/x.py", ["src/**"], False),
        ("src/x.py", ["src/**", "!src/*.py"], False),
        ("src/x.py", ["src/**", "!src/*.py", "src/x.py"], True),  # included again
        ("src/x.py", ["!src/*.py"], False),  # an exclusion alone selects nothing
        ("docs/a.md", ["src/**", "!docs/**"], False),
        ("src/a/y.py", ["src/?/*.py"], True),
        ("src/ab/y.py", ["src/?/*.py"], False),
        ("src/a/y.py", ["src/*"], False),  # `*` stays within one segment
        ("line\nbreak", ["line*"], True),  # names may hold newlines
        # what re would read as set operations is plain characters in a glob class (and
        # raises no FutureWarning, which this suite turns into an error)
        ("a&b", ["a[&&]b"], True),
        ("a|b", ["a[||~]b"], True),
        ("a[b", ["a[[]b"], True),
    ],
)
def test_matches(path: str, patterns: list[str], expected: bool) -> None:
    assert matches(path, patterns) is expected


@pytest.mark.parametrize(
    ("pattern", "why"),
    [
        ("", "empty pattern"),
        ("!  ", "empty pattern"),
        ("src/\0x", "contains a NUL character"),
        ("src/[ab", "'[' at character 5 is never closed (write [[] for a literal '[')"),
        ("src[a/b]x", "the class starting at character 4 spans a '/'"),
        ("src/[z-a].py", "not a valid character class (bad character range z-a)"),
        ("!src/[z-a].py", "not a valid character class (bad character range z-a)"),
    ],
)
def test_problem_names_what_is_wrong(pattern: str, why: str) -> None:
    assert problem(pattern) == why


@pytest.mark.parametrize("pattern", ["src/**", "!src/gen/**", "src/[[]x].py", "[!a]b", "x?"])
def test_problem_accepts_good_patterns(pattern: str) -> None:
    assert problem(pattern) is None
