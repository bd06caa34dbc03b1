from __future__ import annotations

import pytest

from shipyard.pipeline.globs import matches
from shipyard.pipeline.graph import CycleError, closure, dependents, topo_order


def test_topo_order_puts_needs_first_and_keeps_definition_order() -> None:
    needs = {"test": ["build"], "lint": [], "build": ["lint"], "docs": []}
    assert topo_order(needs) == ["lint", "build", "test", "docs"]


def test_cycle_is_reported_with_its_path() -> None:
    with pytest.raises(CycleError) as exc:
        topo_order({"a": ["b"], "b": ["c"], "c": ["a"]})
    assert exc.value.cycle == ["a", "b", "c", "a"]


def test_closure_and_dependents() -> None:
    needs = {"a": [], "b": ["a"], "c": ["b"], "d": []}
    assert closure(needs, ["c"]) == {"a", "b", "c"}
    assert dependents(needs, "a") == {"b", "c"}


@pytest.mark.parametrize(
    ("path", "patterns", "expected"),
    [
        ("src/a/b.py", ["src/**"], True),
        ("src/a/b.py", ["src/*.py"], False),
        ("src/b.py", ["src/*.py"], True),
        ("b.py", ["**/*.py"], True),
        ("deep/er/b.py", ["**/*.py"], True),
        ("src/a/b.py", ["src"], True),
        ("srcx/b.py", ["src"], False),
        ("src/gen/x.py", ["src/**", "!src/gen/**"], False),
        ("README.md", ["README*"], True),
    ],
)
def test_globs(path: str, patterns: list[str], expected: bool) -> None:
    assert matches(path, patterns) is expected
