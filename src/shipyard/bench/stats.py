"""Small statistics for benchmark verdicts, in pure Python (no numpy/scipy dependency).

Medians and MAD for robust location and scale, and Student's t distribution (survival function
and quantile) through the regularised incomplete beta function, as in Numerical Recipes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache

MAD_TO_SD = 1.4826  # scales the median absolute deviation to a normal standard deviation


def median(xs: Sequence[float]) -> float:
    if not xs:
        raise ValueError("median of no values")
    s = sorted(xs)
    mid = len(s) // 2
    return s[mid] if len(s) % 2 else (s[mid - 1] + s[mid]) / 2


def mad_sd(xs: Sequence[float]) -> float:
    """A robust standard deviation: 1.4826 × the median absolute deviation."""
    m = median(xs)
    return MAD_TO_SD * median([abs(x - m) for x in xs])


def mean(xs: Sequence[float]) -> float:
    return sum(xs) / len(xs)


def _betacf(a: float, b: float, x: float) -> float:
    """Continued fraction for the incomplete beta function (modified Lentz)."""
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 300):
        m2 = 2 * m
        for aa in (
            m * (b - m) * x / ((qam + m2) * (a + m2)),
            -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2)),
        ):
            d = 1.0 + aa * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + aa / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1.0) < 1e-14:
            break
    return h


def betainc(a: float, b: float, x: float) -> float:
    """The regularised incomplete beta function I_x(a, b)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    lbeta = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
    front = math.exp(lbeta + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _betacf(a, b, x) / a
    return 1.0 - front * _betacf(b, a, 1.0 - x) / b


def t_sf(t: float, df: float) -> float:
    """P(T > t) for Student's t with `df` degrees of freedom."""
    tail = 0.5 * betainc(df / 2.0, 0.5, df / (df + t * t))
    return tail if t >= 0 else 1.0 - tail


@lru_cache(maxsize=4096)
def t_ppf(p: float, df: float) -> float:
    """The t with P(T <= t) = p, by bisection on `t_sf` (accurate to 1e-9)."""
    lo, hi = -1e6, 1e6
    for _ in range(200):
        mid = (lo + hi) / 2
        if 1.0 - t_sf(mid, df) < p:
            lo = mid
        else:
            hi = mid
        if hi - lo < 1e-9:
            break
    return (lo + hi) / 2


def mann_whitney_z(a: Sequence[float], b: Sequence[float]) -> float:
    """Normal-approximation z of the Mann-Whitney U test (positive when b tends to be larger)."""
    na, nb = len(a), len(b)
    ranked = sorted([(x, 0) for x in a] + [(x, 1) for x in b])
    rank_b, i = 0.0, 0
    while i < len(ranked):  # mid-ranks for ties
        j = i
        while j + 1 < len(ranked) and ranked[j + 1][0] == ranked[i][0]:
            j += 1
        mid = (i + j) / 2 + 1
        rank_b += mid * sum(1 for k in range(i, j + 1) if ranked[k][1])
        i = j + 1
    u = rank_b - nb * (nb + 1) / 2
    sd = math.sqrt(na * nb * (na + nb + 1) / 12)
    return (u - na * nb / 2) / sd if sd else 0.0
