"""release/ranges.py's pure range bumps, on plain strings (ms each)."""

from __future__ import annotations

import pytest

from shipyard.release.ranges import npm_spec, requirement


@pytest.mark.parametrize(
    ("spec", "bumped"),
    [
        ("^1.0.0", "^2.0.0"),
        ("~1.2.3", "~2.0.0"),
        (">=1.0.0", ">=2.0.0"),
        ("1.0.0", "2.0.0"),
        ("workspace:^1.0.0", "workspace:^2.0.0"),
        ("workspace:*", "workspace:*"),  # pnpm writes the version at publish time
        ("*", "*"),
        ("^1 || ^2", "^1 || ^2"),
        ("git+https://example.com/x.git", "git+https://example.com/x.git"),
    ],
)
def test_npm_specs_keep_their_operator_and_leave_non_plain_ranges(spec: str, bumped: str) -> None:
    assert npm_spec(spec, "2.0.0") == bumped


@pytest.mark.parametrize(
    ("req", "bumped"),
    [
        ("acme-core>=1.0.0", "acme-core>=2.0.0"),
        ("Acme_Core[x] >= 1.0, <3", "Acme_Core[x] >= 2.0.0, <3"),  # the name normalised
        ("other>=1.0.0", "other>=1.0.0"),  # not a workspace package
        ("!!not a requirement", "!!not a requirement"),
    ],
)
def test_requirements_move_their_lower_bound_only(req: str, bumped: str) -> None:
    assert requirement(req, {"acme-core": "2.0.0"}) == bumped
