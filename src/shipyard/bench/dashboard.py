"""A self-contained HTML dashboard: one inline-SVG chart per series, no script, no CDN.

Each chart shows every sample (faint dots), each run's median (line), the verdict of each
flagged run (coloured marks: warn, fail, improved), change points (dashed vertical lines,
labelled with the commit and the step), the absolute target (red line) and commit labels along
the x axis. The y-range is robust (the central 96 % of samples and every median); samples
beyond it are drawn at the edge in red and counted in a note. A series whose range is under
10 % of its level (a 0.4 MiB wobble on 400 MiB) is drawn with at least ±5 % around the level
and ticks as relative change, so noise does not look like large swings.
The file opens from disk and can be published as is on GitHub Pages.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from shipyard.bench.render import value
from shipyard.bench.stats import median
from shipyard.bench.trend import Trend

W, H, PAD = 720, 240, 56
LABELS = 8  # commits labelled along the x axis
SMALL = 0.10  # a range under 10 % of the level is drawn as relative change
MARKED = {"warn": "⚠ warn", "fail": "✖ fail", "improved": "▲ improved"}

STYLE = """body{font:14px system-ui,sans-serif;margin:2em;color:#222}
section{margin-bottom:2em}h2{font-size:16px;margin:.2em 0}
svg{background:#fafafa;border:1px solid #ddd}.s{fill:#8aa4c8;opacity:.35}
.m{fill:none;stroke:#1f4e9c;stroke-width:1.5}.c{stroke:#d08000;stroke-dasharray:4 3}
.t{stroke:#c00;stroke-width:1.2}text{font-size:11px;fill:#555}.ct{fill:#a06000}
.g{stroke:#e4e4e4}.o{fill:#c00;opacity:.6}.v-warn{fill:#e0a000}.v-fail{fill:#c00}
.v-improved{fill:#2a8a2a}.n{fill:#a00}.legend{color:#555;font-size:12px}
.legend b{font-weight:normal}.l-warn{color:#e0a000}.l-fail{color:#c00}
.l-improved{color:#2a8a2a}.l-change{color:#d08000}.l-target{color:#c00}"""


def _quantile(xs: Sequence[float], q: float) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, max(0, round(q * (len(s) - 1))))]


@dataclass(frozen=True)
class Axis:
    lo: float
    hi: float
    centre: float  # the series' median level
    relative: bool  # small range: ticks show the change from `centre`


def axis(trend: Trend) -> Axis:
    """A robust y-range: the medians and the central 96 % of samples, not the outliers."""
    samples = [x for p in trend.points for x in p.samples]
    medians = [p.median for p in trend.points]
    lo = min(_quantile(samples, 0.02), *medians)
    hi = max(_quantile(samples, 0.98), *medians)
    if trend.target is not None:
        lo, hi = min(lo, trend.target), max(hi, trend.target)
    centre = median(medians)
    relative = hi - lo < SMALL * abs(centre)
    if relative:  # keep noise small on the page: at least ±5 % around the level
        lo, hi = min(lo, centre * (1 - SMALL / 2)), max(hi, centre * (1 + SMALL / 2))
    pad = (hi - lo) * 0.05 or abs(hi) * 0.05 or 1e-12
    return Axis(lo - pad, hi + pad, centre, relative)


def _tick(a: Axis, v: float, unit: str) -> str:
    if a.relative and a.centre:
        return f"{v / a.centre - 1:+.1%}"
    return value(v, unit)


def chart(trend: Trend) -> str:
    a = axis(trend)
    n = max(len(trend.points) - 1, 1)

    def x(i: float) -> float:
        return PAD + (W - 2 * PAD) * i / n

    def y(v: float) -> float:
        v = min(max(v, a.lo), a.hi)
        return H - PAD + (2 * PAD - H) * (v - a.lo) / (a.hi - a.lo)

    parts = [f'<svg width="{W}" height="{H}" viewBox="0 0 {W} {H}" role="img">']
    for k in range(5):  # grid and y ticks
        v = a.lo + (a.hi - a.lo) * k / 4
        parts.append(
            f'<line class="g" x1="{PAD}" x2="{W - PAD}" y1="{y(v):.1f}" y2="{y(v):.1f}"/>'
            f'<text class="yt" x="2" y="{y(v) + 4:.1f}">{html.escape(_tick(a, v, trend.unit))}'
            "</text>"
        )
    beyond = 0
    for i, p in enumerate(trend.points):
        for v in p.samples:
            out = v < a.lo or v > a.hi
            beyond += out
            parts.append(
                f'<circle class="{"o" if out else "s"}" cx="{x(i):.1f}" cy="{y(v):.1f}" r="1.6"/>'
            )
    line = " ".join(f"{x(i):.1f},{y(p.median):.1f}" for i, p in enumerate(trend.points))
    parts.append(f'<polyline class="m" points="{line}"/>')
    parts += _verdicts(trend, x, y)
    parts += _changes(trend, x)
    if trend.target is not None:
        ty = y(trend.target)
        parts.append(
            f'<line class="t" x1="{PAD}" x2="{W - PAD}" y1="{ty:.1f}" y2="{ty:.1f}"/>'
            f'<text x="{W - PAD + 2}" y="{ty + 4:.1f}">target</text>'
        )
    parts += _commit_labels(trend, x)
    notes = []
    if a.relative:
        notes.append(f"change from the median {value(a.centre, trend.unit)}")
    if beyond:
        top = max(v for p in trend.points for v in p.samples)
        notes.append(
            f"{beyond} outlier sample{'s' if beyond > 1 else ''} beyond the axis "
            f"(red, up to {value(top, trend.unit)})"
        )
    if notes:
        parts.append(f'<text class="n" x="{PAD}" y="12">{html.escape("; ".join(notes))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _verdicts(trend: Trend, x: Callable[[float], float], y: Callable[[float], float]) -> list[str]:
    """A coloured mark on each run whose verdict flagged it, with the verdict as its title."""
    return [
        f'<circle class="v-{p.status}" cx="{x(i):.1f}" cy="{y(p.median):.1f}" r="4">'
        f"<title>{html.escape(p.commit[:10])}: {MARKED[p.status]}</title></circle>"
        for i, p in enumerate(trend.points)
        if p.status in MARKED
    ]


def _changes(trend: Trend, x: Callable[[float], float]) -> list[str]:
    out = []
    for c in trend.changes:
        cx = x(c.index - 0.5)
        label = f"{trend.commit_at(c)[:8]} {c.change:+.1%}"
        out.append(
            f'<line class="c" x1="{cx:.1f}" x2="{cx:.1f}" y1="{PAD / 2}" '
            f'y2="{H - PAD}"/><text class="ct" x="{cx + 3:.1f}" y="{PAD / 2 + 10}">'
            f"{html.escape(label)}</text>"
        )
    return out


def _commit_labels(trend: Trend, x: Callable[[float], float]) -> list[str]:
    count = len(trend.points)
    every = max(1, math.ceil(count / LABELS))
    shown = sorted({*range(0, count, every), count - 1})
    if len(shown) > 1 and shown[-1] - shown[-2] < every / 2:
        del shown[-2]  # keep the last commit's label clear of its neighbour
    return [
        f'<text class="xt" x="{x(i) - 24:.1f}" y="{H - PAD + 16}">'
        f"{html.escape(trend.points[i].commit[:8])}</text>"
        for i in shown
    ]


def legend(trend: Trend) -> str:
    """What the marks of this chart mean: only the kinds it draws."""
    shown = {p.status for p in trend.points} & MARKED.keys()
    parts = [f'<b class="l-{k}">●</b> {k}' for k in MARKED if k in shown]
    if trend.changes:
        parts.append('<b class="l-change">┆</b> change point')
    if trend.target is not None:
        parts.append('<b class="l-target">—</b> target')
    if not parts:
        return ""
    return f'<p class="legend">{" · ".join(parts)}</p>'


def render(trends: Sequence[Trend], title: str) -> str:
    sections = []
    for t in trends:
        steps = ", ".join(f"{t.commit_at(c)[:8]} ({c.change:+.1%})" for c in t.changes) or "none"
        sections.append(
            f"<section><h2>{html.escape(t.key)}</h2><p>{len(t.points)} runs · latest "
            f"{html.escape(value(t.points[-1].median, t.unit))} · "
            f"{t.direction.value} is better · change points: {html.escape(steps)}</p>"
            f"{chart(t)}{legend(t)}</section>"
        )
    body = "".join(sections) or "<p>No benchmark runs recorded yet.</p>"
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>"
        f"<h1>{html.escape(title)}</h1>{body}</body></html>\n"
    )
