"""Property-based fuzzing of OSV records and lockfiles through the real `scan deps` (issue 13).

Any JSON value may appear at any place the readers look; the answer is a finding (exit 1), a
pass (exit 0) or an error naming the file (exit 2), never a traceback or exit 3.
"""

from __future__ import annotations

import json
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.contract import shipyard

FUZZ = settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
NOW = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

JSON: st.SearchStrategy[Any] = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(2**65), 2**65),
        st.floats(allow_nan=False, allow_infinity=False),
        st.sampled_from(["", "0", "2.19.0", "requests", "introduced", "fixed", "PyPI", "x"]),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(["a", "fixed"]), inner)
    ),
    max_leaves=8,
)

# where in an OSV record a hostile value goes: a path of keys and list indexes
PLACES = [
    ("affected",),
    ("affected", 0),
    ("affected", 0, "package"),
    ("affected", 0, "package", "name"),
    ("affected", 0, "versions"),
    ("affected", 0, "ranges"),
    ("affected", 0, "ranges", 0),
    ("affected", 0, "ranges", 0, "type"),
    ("affected", 0, "ranges", 0, "events"),
    ("affected", 0, "ranges", 0, "events", 0),
    ("affected", 0, "ranges", 0, "events", 1, "fixed"),
    ("severity",),
    ("database_specific",),
    ("modified",),
    ("id",),
]


def _record() -> dict[str, Any]:
    return {
        "id": "GHSA-fuzz-0001",
        "modified": NOW,
        "affected": [
            {
                "package": {"ecosystem": "PyPI", "name": "requests"},
                "ranges": [
                    {"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.20"}]}
                ],
                "versions": ["2.19.0"],
            }
        ],
    }


def _place(record: dict[str, Any], path: tuple[Any, ...], value: Any) -> None:
    node: Any = record
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value


def _scan(files: dict[str, str], record: Any) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        for name, text in files.items():
            (project / name).write_text(text)
        db = project / "db"
        db.mkdir()
        (db / "GHSA-fuzz-0001.json").write_text(json.dumps(record))
        outcome = shipyard(project, "scan", "deps", "--db", str(db))
        if outcome.code == 2:
            named = [str(db), *files]
            assert any(n in outcome.stderr for n in named), outcome.stderr


@FUZZ
@given(st.sampled_from(PLACES), JSON)
def test_osv_record_with_a_hostile_value(place: tuple[Any, ...], value: Any) -> None:
    record = _record()
    _place(record, place, value)
    _scan({"requirements.txt": "requests==2.19.0\n"}, record)


LOCK_SHAPES = [
    lambda v: ("package-lock.json", json.dumps({"lockfileVersion": 3, "packages": v})),
    lambda v: ("package-lock.json", json.dumps({"lockfileVersion": 1, "dependencies": v})),
    lambda v: ("package-lock.json", json.dumps(v)),
    lambda v: ("package-lock.json", json.dumps({"packages": {"node_modules/a": v}})),
    lambda v: ("pnpm-lock.yaml", "lockfileVersion: '9.0'\npackages: " + json.dumps(v) + "\n"),
    lambda v: ("Pipfile.lock", json.dumps({"default": v})),
    lambda v: ("Pipfile.lock", json.dumps({"default": {"requests": v}})),
    lambda v: ("poetry.lock", '[[package]]\nname = "requests"\nversion = ' + json.dumps(v) + "\n"),
]


@settings(FUZZ, max_examples=60)
@given(st.sampled_from(LOCK_SHAPES), JSON)
def test_lockfile_with_a_hostile_value(shape: Any, value: Any) -> None:
    name, text = shape(value)
    _scan({name: text}, _record())


REQUIREMENT_LINES = st.sampled_from(
    [
        "requests==2.19.0",
        "flask==2.0.0 \\",
        "    --hash=sha256:abc",
        "-r other.txt",
        "-e .",
        "# comment",
        "requests>=2",
        "bad line ((",
        "\\",
        "",
        "name @ https://example.invalid/x.whl",
    ]
)


@FUZZ
@given(st.lists(REQUIREMENT_LINES, max_size=6))
def test_requirements_files(lines: list[str]) -> None:
    _scan({"requirements.txt": "\n".join(lines) + "\n"}, _record())
