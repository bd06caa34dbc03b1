"""A self-contained HTML dashboard: one inline-SVG chart per series, no script, no CDN.

Each chart shows every sample (faint dots), each run's median (line), change points (dashed
vertical lines, labelled with the commit and the step) and the absolute target (red line).
The file opens from disk and can be published as is on GitHub Pages.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from shipyard.bench.report import value
from shipyard.bench.trend import Trend

W, H, PAD = 720, 220, 44

STYLE = """body{font:14px system-ui,sans-serif;margin:2em;color:#222}
section{margin-bottom:2em}h2{font-size:16px;margin:.2em 0}
svg{background:#fafafa;border:1px solid #ddd}.s{fill:#8aa4c8;opacity:.35}
.m{fill:none;stroke:#1f4e9c;stroke-width:1.5}.c{stroke:#d08000;stroke-dasharray:4 3}
.t{stroke:#c00;stroke-width:1.2}text{font-size:11px;fill:#555}.ct{fill:#a06000}"""


def _scale(trend: Trend) -> tuple[float, float]:
    values = [x for p in trend.points for x in p.samples]
    if trend.target is not None:
        values.append(trend.target)
    lo, hi = min(values), max(values)
    if hi == lo:
        hi, lo = hi * 1.05 + 1e-12, lo * 0.95
    return lo, hi


def chart(trend: Trend) -> str:
    lo, hi = _scale(trend)
    n = max(len(trend.points) - 1, 1)

    def x(i: float) -> float:
        return PAD + (W - 2 * PAD) * i / n

    def y(v: float) -> float:
        return H - PAD + (2 * PAD - H) * (v - lo) / (hi - lo)

    parts = [f'<svg width="{W}" height="{H}" viewBox="0 0 {W} {H}" role="img">']
    parts += [
        f'<circle class="s" cx="{x(i):.1f}" cy="{y(v):.1f}" r="1.6"/>'
        for i, p in enumerate(trend.points)
        for v in p.samples
    ]
    line = " ".join(f"{x(i):.1f},{y(p.median):.1f}" for i, p in enumerate(trend.points))
    parts.append(f'<polyline class="m" points="{line}"/>')
    for c in trend.changes:
        cx = x(c.index - 0.5)
        label = f"{trend.commit_at(c)[:8]} {c.change:+.1%}"
        parts.append(
            f'<line class="c" x1="{cx:.1f}" x2="{cx:.1f}" y1="{PAD / 2}" '
            f'y2="{H - PAD}"/><text class="ct" x="{cx + 3:.1f}" y="{PAD / 2 + 10}">'
            f"{html.escape(label)}</text>"
        )
    if trend.target is not None:
        ty = y(trend.target)
        parts.append(
            f'<line class="t" x1="{PAD}" x2="{W - PAD}" y1="{ty:.1f}" y2="{ty:.1f}"/>'
            f'<text x="{W - PAD + 2}" y="{ty + 4:.1f}">target</text>'
        )
    for v in (lo, hi):
        parts.append(f'<text x="2" y="{y(v) + 4:.1f}">{html.escape(value(v, trend.unit))}</text>')
    parts.append(
        f'<text x="{PAD}" y="{H - 8}">{html.escape(trend.points[0].commit[:8])}</text>'
        f'<text x="{W - PAD - 50}" y="{H - 8}">'
        f"{html.escape(trend.points[-1].commit[:8])}</text></svg>"
    )
    return "".join(parts)


def render(trends: Sequence[Trend], title: str) -> str:
    sections = []
    for t in trends:
        steps = ", ".join(f"{t.commit_at(c)[:8]} ({c.change:+.1%})" for c in t.changes) or "none"
        sections.append(
            f"<section><h2>{html.escape(t.key)}</h2><p>{len(t.points)} runs · latest "
            f"{html.escape(value(t.points[-1].median, t.unit))} · "
            f"{t.direction.value} is better · change points: {html.escape(steps)}</p>"
            f"{chart(t)}</section>"
        )
    body = "".join(sections) or "<p>No benchmark runs recorded yet.</p>"
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>"
        f"<h1>{html.escape(title)}</h1>{body}</body></html>\n"
    )
