"""File-name fuzzing (issue 13): names with newlines, bytes that are not UTF-8, 300 bytes, a
leading `-`, glob characters, in the tree the commands walk and in the paths they are given.

Contract: no traceback, no exit 3; a finding in such a file names it (bytes escaped).
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.fuzz.contract import shipyard

PIECES = [b"-rf", b"a\nb", b"caf\xe9", b"\xff\xfe", b"*?[", b"[ab", b"x" * 250, b" lead", b"{}"]
NAMES = st.lists(st.sampled_from(PIECES), min_size=1, max_size=2).map(b"".join)

FUZZ = settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    phases=(Phase.explicit, Phase.generate),
)


def _shown(name: bytes) -> str:
    return name.decode("utf-8", "backslashreplace")


@FUZZ
@given(names=st.lists(NAMES, min_size=1, max_size=3, unique=True), git=st.booleans())
def test_trees_with_hostile_names(names: list[bytes], git: bool, tmp_path_factory: object) -> None:
    root = tmp_path_factory.mktemp("names")  # type: ignore[attr-defined]
    if git:
        subprocess.run(["git", "init", "-q", str(root)], check=True)
    (root / "shipyard.toml").write_text(
        '[stages.a]\nrun = "true"\ninputs = ["**"]\n[stages.b]\nrun = "true"\ninputs = ["*[ab]*"]\n'
    )
    for n, name in enumerate(names):
        with open(os.path.join(os.fsencode(root), name[:255]), "w") as fh:
            fh.write(f'token = "AKIAZ7Q3M5XW2PLKJ4T{n}"\n')
    if git:
        subprocess.run(["git", "-C", str(root), "add", "-A"], check=True)
    found = shipyard(root, "scan", "secrets", "--json")
    assert found.code == 1, found.stderr
    files = {f["file"] for f in json.loads(found.stdout)["scanners"][0]["findings"]}
    assert files == {_shown(n[:255]) for n in names}, files
    if git:
        staged = shipyard(root, "scan", "secrets", "--staged", "--json")
        assert staged.code == 1, staged.stderr
    shipyard(root, "run", "--dry-run")
    outcome = shipyard(root, "run", "a")
    assert outcome.code == 0, outcome.stderr


@FUZZ
@given(name=NAMES)
def test_output_paths_with_hostile_names(name: bytes, tmp_path_factory: object) -> None:
    root: Path = tmp_path_factory.mktemp("out")  # type: ignore[attr-defined]
    (root / "shipyard.toml").write_text('[stages.a]\nrun = "true"\n')
    target = root / os.fsdecode(name[:255])  # absolute: nothing lands in the test's folder
    outcome = shipyard(root, "scan", "--format", "json", "--output", str(target), "secrets")
    assert outcome.code == 0, outcome.stderr
    assert target.is_file()
