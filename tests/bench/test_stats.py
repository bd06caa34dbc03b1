"""Statistics helpers against reference values (computed with scipy.stats)."""

from __future__ import annotations

import math

import pytest

from shipyard.bench.stats import betainc, mad_sd, mann_whitney_z, median, t_ppf, t_sf


@pytest.mark.parametrize(
    ("t", "df", "expected"),
    [
        (2.5, 1, 0.12111894159084341),
        (2.5, 9, 0.016930913841492867),
        (-2.0, 3, 0.9303370157205785),
        (7.0, 30, 4.434979333610325e-08),
        (0.0, 5, 0.5),
    ],
)
def test_t_sf_matches_scipy(t: float, df: float, expected: float) -> None:
    assert t_sf(t, df) == pytest.approx(expected, rel=1e-9)


@pytest.mark.parametrize(
    ("df", "expected"),
    [(1, 12.706204736174694), (9, 2.262157162798205), (1000, 1.9623390808264083)],
)
def test_t_ppf_inverts_t_sf(df: float, expected: float) -> None:
    assert t_ppf(0.975, df) == pytest.approx(expected, rel=1e-8)


def test_betainc_edges() -> None:
    assert betainc(2, 3, 0) == 0 and betainc(2, 3, 1) == 1
    assert betainc(1, 1, 0.3) == pytest.approx(0.3)


def test_median_and_mad() -> None:
    assert median([3, 1, 2]) == 2
    assert median([4, 1, 3, 2]) == 2.5
    assert mad_sd([1, 2, 3, 4, 100]) == pytest.approx(1.4826)
    with pytest.raises(ValueError, match="median of no values"):
        median([])


def test_mann_whitney_z_sign_ties_and_size() -> None:
    low, high = [1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0]
    z = mann_whitney_z(low, high)
    assert z == pytest.approx(2.3094, rel=1e-3)  # U = 16, mean 8, sd sqrt(12)
    assert mann_whitney_z(high, low) == pytest.approx(-z)
    assert mann_whitney_z([1.0, 1.0], [1.0, 1.0]) == 0
    assert math.isfinite(mann_whitney_z([1.0, 2.0, 2.0], [2.0, 3.0]))
