"""`shipyard report --html`: one self-contained page (inline CSS, SVG and a few lines of
script; no CDN, no font, no image to fetch) that opens from disk or GitHub Pages.

Every chart is an inline SVG whose points are focusable circles (Tab reaches a chart, the
arrow keys walk its points, the value is read out below it), with its data also in a table.
Colours follow the reader's light or dark preference (`prefers-color-scheme`).
"""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import Any

from shipyard.metrics.dashboard import Dashboard, Series
from shipyard.metrics.kpi import Kpi, arrow, show

W, H, PAD = 720, 240, 48

STYLE = """:root{color-scheme:light dark;--bg:#fff;--fg:#1d2330;--muted:#5b6475;--grid:#d9dde5;
--line:#1f5fbf;--pt:#1f5fbf;--target:#c0392b;--change:#b36b00;--ok:#1e7d32;--bad:#c0392b;
--panel:#f6f7f9}
@media (prefers-color-scheme:dark){:root{--bg:#14171c;--fg:#e6e9ef;--muted:#a3abba;
--grid:#39404d;--line:#7fb0ff;--pt:#7fb0ff;--target:#ff7b6b;--change:#f0b454;--ok:#6fd27f;
--bad:#ff7b6b;--panel:#1d2128}}
body{background:var(--bg);color:var(--fg);font:15px/1.45 system-ui,sans-serif;margin:0 auto;
max-width:1100px;padding:1.5em}h1{font-size:1.5em}h2{font-size:1.15em;margin-top:2em}
table{border-collapse:collapse;margin:.5em 0}th,td{padding:.3em .8em;text-align:left;
border-bottom:1px solid var(--grid)}td.n{text-align:right;font-variant-numeric:tabular-nums}
.ok{color:var(--ok)}.bad{color:var(--bad)}.muted{color:var(--muted)}
figure{margin:1em 0 2em;background:var(--panel);padding:.8em;border-radius:6px}
figure:focus-within{outline:2px solid var(--line)}svg{width:100%;max-width:760px;height:auto}
.grid{stroke:var(--grid)}.line{fill:none;stroke:var(--line);stroke-width:2}
.pt{fill:var(--pt)}.pt:focus{outline:none;stroke:var(--fg);stroke-width:3}
.target{stroke:var(--target);stroke-dasharray:6 4}.change{stroke:var(--change);
stroke-dasharray:3 3}svg text{fill:var(--muted);font-size:12px}svg text.cl{fill:var(--change)}
output{display:block;min-height:1.4em;color:var(--muted)}
a{color:var(--line)}details summary{cursor:pointer;color:var(--muted)}"""

# Arrow keys move between a chart's points; focusing a point reads its value out below.
SCRIPT = """document.querySelectorAll('figure.chart').forEach(function (fig) {
  var pts = Array.prototype.slice.call(fig.querySelectorAll('.pt'));
  var out = fig.querySelector('output');
  pts.forEach(function (pt, i) {
    pt.addEventListener('focus', function () { out.textContent = pt.getAttribute('aria-label'); });
    pt.addEventListener('keydown', function (e) {
      var j = e.key === 'ArrowRight' ? i + 1 : e.key === 'ArrowLeft' ? i - 1 : -1;
      if (j >= 0 && j < pts.length) { e.preventDefault(); pts[j].focus(); }
    });
  });
});"""


def _scale(s: Series) -> tuple[float, float]:
    values = [v for _, v in s.points] + ([s.target] if s.target is not None else [])
    lo, hi = min(values), max(values)
    if hi == lo:
        lo, hi = lo - (abs(lo) * 0.05 or 1), hi + (abs(hi) * 0.05 or 1)
    return lo, hi


def chart(s: Series) -> str:
    """The series as an SVG line chart with one focusable circle per point."""
    if not s.points:
        return f'<p class="muted">{escape(s.title)}: no data recorded yet.</p>'
    lo, hi = _scale(s)
    n = max(len(s.points) - 1, 1)

    def x(i: float) -> float:
        return PAD + (W - 2 * PAD) * (i / n if len(s.points) > 1 else 0.5)

    def y(v: float) -> float:
        return H - PAD + (2 * PAD - H) * (v - lo) / (hi - lo)

    parts = [
        f'<svg viewBox="0 0 {W} {H}" role="group" aria-label="{escape(s.title)}: '
        f'{len(s.points)} points">',
        f'<line class="grid" x1="{PAD}" x2="{W - PAD}" y1="{y(lo):.1f}" y2="{y(lo):.1f}"/>',
        f'<line class="grid" x1="{PAD}" x2="{W - PAD}" y1="{y(hi):.1f}" y2="{y(hi):.1f}"/>',
    ]
    for v in (lo, hi):
        parts.append(f'<text x="4" y="{y(v) + 4:.1f}">{escape(show(v, s.unit))}</text>')
    if s.target is not None:
        ty = y(s.target)
        parts.append(
            f'<line class="target" x1="{PAD}" x2="{W - PAD}" y1="{ty:.1f}" y2="{ty:.1f}"/>'
            f'<text x="{W - PAD + 4}" y="{ty + 4:.1f}">target</text>'
        )
    for index, label in s.changes:
        cx = x(index - 0.5)
        parts.append(
            f'<line class="change" x1="{cx:.1f}" x2="{cx:.1f}" y1="{PAD / 2}" y2="{H - PAD}"/>'
            f'<text class="cl" x="{cx + 4:.1f}" y="{PAD / 2 + 10}">{escape(label)}</text>'
        )
    if len(s.points) > 1:
        line = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, (_, v) in enumerate(s.points))
        parts.append(f'<polyline class="line" points="{line}"/>')
    for i, (label, v) in enumerate(s.points):
        said = escape(f"{label}: {show(v, s.unit)}")
        parts.append(
            f'<circle class="pt" tabindex="0" role="img" aria-label="{said}" '
            f'cx="{x(i):.1f}" cy="{y(v):.1f}" r="4"><title>{said}</title></circle>'
        )
    parts.append(
        f'<text x="{PAD}" y="{H - 12}">{escape(s.points[0][0])}</text>'
        f'<text x="{W - PAD}" y="{H - 12}" text-anchor="end">{escape(s.points[-1][0])}</text>'
        "</svg>"
    )
    rows = "".join(
        f"<tr><td>{escape(label)}</td><td class='n'>{escape(show(v, s.unit))}</td></tr>"
        for label, v in s.points
    )
    return (
        f'<figure class="chart" id="{escape(s.key)}" data-points="{len(s.points)}">'
        f"<figcaption>{escape(s.title)}</figcaption>{''.join(parts)}"
        f'<output aria-live="polite"></output><details><summary>Data</summary>'
        f"<table><tr><th>point</th><th>value</th></tr>{rows}</table></details></figure>"
    )


def _status(ok: bool | None) -> str:
    if ok is None:
        return '<span class="muted">n/a</span>'
    return '<span class="ok">ok</span>' if ok else '<span class="bad">missed</span>'


def _trend(k: Kpi) -> str:
    if k.trend is None:
        return '<span class="muted" aria-label="no trend">·</span>'
    good = {True: "ok", False: "bad", None: "muted"}[k.improving]
    word = {True: "improving", False: "worsening", None: "steady"}[k.improving]
    return f'<span class="{good}" aria-label="{k.trend}, {word}">{arrow(k)}</span>'


def kpi_table(kpis: list[Kpi]) -> str:
    rows = "".join(
        f"<tr><td>{escape(k.name)}</td><td>{escape(k.op)} {escape(show(k.target, k.unit))}</td>"
        f"<td class='n'>{escape(show(k.current, k.unit))}</td>"
        f"<td class='n'>{escape(show(k.previous, k.unit))}</td><td>{_trend(k)}</td>"
        f"<td>{_status(k.ok)}</td><td class='muted'>{escape(k.note)}</td></tr>"
        for k in kpis
    )
    return (
        '<table id="kpis"><tr><th>metric</th><th>target</th><th>current</th><th>previous</th>'
        f"<th>trend</th><th>status</th><th></th></tr>{rows}</table>"
    )


DORA_KPIS = ("deployment_frequency", "lead_time", "change_failure_rate", "time_to_restore")


def dora_table(d: Dashboard) -> str:
    by_key = {k.key: k for k in d.metrics.kpis}
    rows = "".join(
        f"<tr><td>{escape(by_key[key].name)}</td>"
        f"<td class='n'>{escape(show(by_key[key].current, by_key[key].unit))}</td>"
        f"<td>{escape(d.metrics.bands.get(key) or 'not measured')}</td></tr>"
        for key in DORA_KPIS
    )
    return (
        f'<p>DORA level: <strong id="dora-level">{escape(d.metrics.level)}</strong> '
        f"({d.metrics.dora.deployments} deployments in {d.metrics.days} days; the weakest of "
        "the four bands, as the DORA report defines them)</p>"
        f'<table id="dora"><tr><th>metric</th><th>value</th><th>band</th></tr>{rows}</table>'
    )


def vulnerabilities(d: Dashboard) -> str:
    exposure = d.metrics.exposure
    if exposure is None:
        return '<p class="muted">Not counted (see the notes above).</p>'
    if not exposure.advisories:
        return f"<p>None among {exposure.packages} dependencies.</p>"
    rows = "".join(
        f"<tr><td>{escape(a.id)}</td><td>{escape(a.package)} {escape(a.version)}</td>"
        f"<td>{escape(a.severity.label)}</td><td>{escape(_date(a.published))}</td>"
        f"<td>{escape(', '.join(a.fixed) or 'no fix')}</td><td>{escape(a.summary)}</td></tr>"
        for a in sorted(exposure.advisories, key=lambda a: (-a.severity, a.id))
    )
    return (
        '<table id="vulnerabilities"><tr><th>advisory</th><th>package</th><th>severity</th>'
        f"<th>published</th><th>fixed in</th><th>summary</th></tr>{rows}</table>"
    )


def _date(ts: float | None) -> str:
    return "-" if ts is None else dt.datetime.fromtimestamp(ts, dt.UTC).strftime("%Y-%m-%d")


def _charts(series: tuple[Series, ...], empty: str) -> str:
    return "".join(chart(s) for s in series) or f'<p class="muted">{escape(empty)}</p>'


def render(d: Dashboard) -> str:
    when = dt.datetime.fromtimestamp(d.metrics.now, dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    notes = "".join(f"<li>{escape(n)}</li>" for n in d.notes)
    body = [
        f"<h1>{escape(d.title)}</h1>",
        f'<p class="muted">Generated {when} by shipyard; the last {d.metrics.days} days '
        "against the previous period.</p>",
        f'<section aria-labelledby="h-notes"><h2 id="h-notes">Missing or stale data</h2>'
        f'<ul id="notes">{notes}</ul></section>'
        if notes
        else "",
        '<section aria-labelledby="h-kpi"><h2 id="h-kpi">Key performance indicators</h2>',
        kpi_table(d.metrics.kpis),
        '</section><section aria-labelledby="h-dora"><h2 id="h-dora">DORA metrics</h2>',
        dora_table(d),
        '</section><section aria-labelledby="h-pipe"><h2 id="h-pipe">Pipeline</h2>',
        _charts(d.pipeline, "No pipeline run recorded in the period."),
        '</section><section aria-labelledby="h-gates"><h2 id="h-gates">Coverage and lint</h2>',
        _charts(d.gates, "No gate history recorded."),
        '</section><section aria-labelledby="h-bench"><h2 id="h-bench">Benchmarks</h2>',
        _charts(d.benchmarks, "No benchmark history."),
        '</section><section aria-labelledby="h-vuln"><h2 id="h-vuln">Open vulnerabilities</h2>',
        vulnerabilities(d),
        "</section>",
    ]
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(d.title)}</title><style>{STYLE}</style></head><body>"
        f"<main>{''.join(body)}</main><script>{SCRIPT}</script></body></html>\n"
    )


def summary(d: Dashboard) -> dict[str, Any]:
    """Which charts the page holds, with their number of points (printed by --json)."""
    every = (*d.pipeline, *d.gates, *d.benchmarks)
    return {"charts": {s.key: len(s.points) for s in every if s.points}, "notes": list(d.notes)}
