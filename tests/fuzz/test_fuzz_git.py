"""Fuzzing of commit messages and git states through the real CLI (issue 13): release commands
read any message, and every command copes with an empty, detached or odd repository."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import GitRepo, git
from tests.fuzz.contract import shipyard

MESSAGES = st.one_of(
    st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), min_size=1),
    st.sampled_from(
        [
            "feat: x",
            "fix(scope)!: y",
            "feat!:",
            "BREAKING CHANGE: z",
            "feat: a\n\nBREAKING CHANGE: b",
            "chore(release): 1.0.0",
            "revert: feat: x",
            "Merge branch 'x'",
            "feat(" + "s" * 5000 + "): long",
            "fix: \u202e\u0663\ufeff",
        ]
    ),
)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
@given(st.lists(MESSAGES, min_size=1, max_size=4), st.booleans())
def test_any_commit_messages(messages: list[str], tagged: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp)
        git(repo, "init", "-q", "-b", "main")
        (repo / "shipyard.toml").write_text('[stages.a]\nrun = "true"\n')
        for i, message in enumerate(messages):
            subprocess.run(
                [
                    "git",
                    "commit",
                    "-q",
                    "--allow-empty",
                    "--allow-empty-message",
                    "--cleanup=verbatim",
                    "--no-verify",
                    "-F",
                    "-",
                ],
                cwd=repo,
                input=message.encode("utf-8", "surrogateescape"),
                check=True,
                capture_output=True,
            )
            if tagged and i == 0:
                git(repo, "tag", "v1.0.0")
        for argv in (["version"], ["version", "--explain"], ["changelog", "--stdout"]):
            assert shipyard(repo, *argv).code in (0, 1, 2)


def _empty(repo: GitRepo) -> None:
    pass


def _detached(repo: GitRepo) -> None:
    repo.commit("feat: one")
    repo.commit("fix: two", allow_empty=True)
    repo.git("checkout", "-q", "--detach", "HEAD~1")


def _orphan_branch(repo: GitRepo) -> None:
    repo.commit("feat: one")
    repo.git("checkout", "-q", "--orphan", "other")


def _merge_in_progress(repo: GitRepo) -> None:
    repo.write("f.txt", "a\n")
    repo.commit("feat: one")
    repo.git("checkout", "-q", "-b", "side")
    repo.write("f.txt", "b\n")
    repo.commit("fix: side")
    repo.git("checkout", "-q", "main")
    repo.write("f.txt", "c\n")
    repo.commit("fix: main")
    subprocess.run(["git", "merge", "side"], cwd=repo.path, capture_output=True)


def _odd_tags(repo: GitRepo) -> None:
    repo.commit("feat: one")
    for tag in ("v", "v1", "vX.Y.Z", "1.0.0-", "v99999999999999999999.0.0", "v1.0.0+meta"):
        repo.git("tag", tag)


STATES = [_empty, _detached, _orphan_branch, _merge_in_progress, _odd_tags]
COMMANDS = [
    ["version"],
    ["changelog", "--stdout"],
    ["metrics"],
    ["gate"],
    ["run", "--dry-run"],
    ["backup", "create", "--help"],
    ["runs"],
    ["release", "--dry-run"],
]


@pytest.mark.parametrize("state", STATES, ids=lambda f: f.__name__.strip("_"))
def test_git_states(repo: GitRepo, state: object) -> None:
    repo.write("shipyard.toml", '[stages.a]\nrun = "true"\n\n[gates]\n')
    state(repo)  # type: ignore[operator]
    for argv in COMMANDS:
        shipyard(repo.path, *argv)  # the contract: 0, 1 or 2, no traceback, no hang
