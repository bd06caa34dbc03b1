"""Issue 13: `scan secrets --staged` and `--history` find secrets in files whose names git
quotes (bytes that are not UTF-8, UTF-8 with core.quotePath on or off, tabs, newlines, quotes,
control characters, backslashes) and name each file as the tree scan does."""

from __future__ import annotations

import json
import os

import pytest

from tests.conftest import GitRepo
from tests.fuzz.contract import shipyard

NAMES = [
    b"caf\xe9.txt",  # Latin-1: not UTF-8
    b"\xff\xfe.txt",
    'na\u00efve \x01"q.txt'.encode(),  # UTF-8 with a control character and a quote: quoted
    "\u20ac \u2028.txt".encode(),  # U+2028 in a name: a line break for str.splitlines
    b"tab\there.txt",
    b"new\nline.txt",
    b"back\\slash .txt",
    b"sub\xe9/x.txt",
]


def _files(outcome_stdout: str) -> set[str]:
    return {f["file"] for f in json.loads(outcome_stdout)["scanners"][0]["findings"]}


@pytest.mark.parametrize("quote_path", ["true", "false"])
def test_staged_and_history_scan_files_with_quoted_names(repo: GitRepo, quote_path: str) -> None:
    repo.git("config", "core.quotePath", quote_path)
    repo.commit("chore: start", allow_empty=True)
    root = os.fsencode(repo.path)
    for n, name in enumerate(NAMES):
        path = os.path.join(root, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as fh:  # a distinct key each, so history reports every file
            fh.write(f"aws_access_key_id = AKIAZZQXWVB7YTR3LM{chr(65 + n)}B\nline\f2\n")
    repo.git("add", "-A")
    expected = {name.decode("utf-8", "backslashreplace") for name in NAMES}

    tree = shipyard(repo.path, "scan", "secrets", "--json")
    assert _files(tree.stdout) == expected, tree.stderr
    staged = shipyard(repo.path, "scan", "secrets", "--staged", "--json")
    assert staged.code == 1, staged.stderr
    assert _files(staged.stdout) == expected
    lines = {f["line"] for f in json.loads(staged.stdout)["scanners"][0]["findings"]}
    assert lines == {1}

    repo.commit("feat: keys")
    history = shipyard(repo.path, "scan", "secrets", "--history", "--json")
    assert history.code == 1, history.stderr
    assert _files(history.stdout) == expected
