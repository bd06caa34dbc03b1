"""Conventional Commits parsing and the bump it warrants, on plain data."""

from __future__ import annotations

import pytest

from shipyard.release.commits import Commit, Policy, analyse, bump_of, changes_of, parse_message

STRICT = Policy()


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("feat: add x", ("feat", None, "add x", None)),
        ("FEAT(API): add x", ("feat", "API", "add x", None)),
        ("Fix(core)!: drop y", ("fix", "core", "drop y", "drop y")),
        ("feat!: z", ("feat", None, "z", "z")),
        ("my-type: ok", ("my-type", None, "ok", None)),
    ],
)
def test_headers(subject: str, expected: tuple[str, str | None, str, str | None]) -> None:
    change = parse_message("a" * 40, subject, "", STRICT)
    assert change is not None
    assert (change.type, change.scope, change.description, change.breaking) == expected


@pytest.mark.parametrize(
    "subject", ["feat:x", "feat : x", "feat(: x", "feat: ", "Update README", "feat(a)(b): x", ""]
)
def test_not_conventional(subject: str) -> None:
    assert parse_message("a", subject, "", STRICT) is None


def test_missing_space_is_a_policy_knob() -> None:
    change = parse_message("a", "feat:x", "", Policy(allow_missing_space=True))
    assert change is not None and change.type == "feat"


def test_breaking_footers_with_multi_paragraph_body() -> None:
    body = (
        "First paragraph.\n\nSecond paragraph, with\nBREAKING CHANGE: inside a line is not.\n"
        "\nReviewed-by: Z\nBREAKING-CHANGE: the config moved\n  to a new file\nRefs: #123"
    )
    # the first footer-looking line at the start of a line counts, as the spec's footers do
    change = parse_message("a", "fix: x", body, STRICT)
    assert change is not None and change.breaking == "inside a line is not."
    change = parse_message("a", "fix: x", "Body.\n\nBREAKING-CHANGE: moved\n  on\nRefs: #1", STRICT)
    assert change is not None and change.breaking == "moved on"


def test_breaking_change_footer_must_be_upper_case() -> None:
    change = parse_message("a", "fix: x", "breaking change: no", STRICT)
    assert change is not None and change.breaking is None


def test_squash_merge_body_lists_several_commits() -> None:
    body = "* feat(ui): one\n\n* fix: two\n  more about two\n\n* not conventional\n* docs: three"
    commit = Commit("s" * 40, "Big PR (#12)", body)
    kinds = [(c.type, c.description) for c in changes_of(commit, STRICT)]
    assert kinds == [("feat", "one"), ("fix", "two"), ("docs", "three")]
    assert changes_of(commit, Policy(squash_bullets=False)) == []


def test_revert_cancels_its_target_in_the_same_range() -> None:
    feat = Commit("f" * 40, "feat: risky")
    revert = Commit("r" * 40, 'Revert "feat: risky"', f"This reverts commit {'f' * 40}.")
    fix = Commit("x" * 40, "fix: small")
    result = analyse([revert, fix, feat], STRICT)  # newest first, as git log gives them
    assert [c.description for c in result.changes] == ["small"]
    assert [c.sha[0] for c in result.cancelled] == ["f", "r"]
    assert bump_of(result.changes, STRICT) == "patch"


def test_revert_of_released_commit_is_a_patch() -> None:
    revert = Commit("r" * 40, "revert: feat: old", "This reverts commit 0123456789abc.")
    result = analyse([revert], STRICT)
    assert [c.type for c in result.changes] == ["revert"]
    assert bump_of(result.changes, STRICT) == "patch"


def test_merge_commits_are_skipped_and_not_listed() -> None:
    merge = Commit("m" * 40, "Merge pull request #3 from a/b", "", ("p1", "p2"))
    result = analyse([merge], STRICT)
    assert (result.changes, result.nonconforming) == ([], [])
    conv = Commit("m" * 40, "feat: merged as a whole", "", ("p1", "p2"))
    assert [c.type for c in analyse([conv], Policy(merges=True)).changes] == ["feat"]


@pytest.mark.parametrize(
    ("subjects", "bump"),
    [
        (["refactor: a", "build: b", "chore: c", "docs: d", "ci: e"], "none"),
        (["perf: a", "docs: b"], "patch"),
        (["fix: a", "feat: b"], "minor"),
        (["feat: a", "chore!: b"], "major"),
    ],
)
def test_bumps(subjects: list[str], bump: str) -> None:
    result = analyse([Commit(str(i), s) for i, s in enumerate(subjects)], STRICT)
    assert bump_of(result.changes, STRICT) == bump


def test_types_are_configurable() -> None:
    policy = Policy(bumps={"feat": "minor", "fix": "patch", "docs": "patch"})
    result = analyse([Commit("1", "docs: readme"), Commit("2", "perf: x")], policy)
    assert bump_of(result.changes, policy) == "patch"
    assert bump_of(result.changes[1:], policy) == "none"


def test_nonconforming_commits_are_listed() -> None:
    result = analyse([Commit("1", "WIP"), Commit("2", "fix: ok")], STRICT)
    assert [c.subject for c in result.nonconforming] == ["WIP"]
