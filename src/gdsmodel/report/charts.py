"""Small, dependency-free inline SVG charts for the HTML report: trend lines, horizontal bars and
stacked columns. The output is plain text, deterministic, and needs no fonts or scripts
from elsewhere, so the report page stays self-contained.

>>> from gdsmodel.report.layout import Chart, Series
>>> from gdsmodel.text import Text
>>> c = Chart(id="t", kind="line", title=Text("线损率", "Line loss"), categories=("01", "02"),
...           series=(Series(name=Text("线损率", "Line loss"), values=(6.2, 6.8)),),
...           unit="%", target=6.5)
>>> svg = render_svg(c, "en")
>>> svg.startswith("<svg") and "Line loss" in svg and "http" not in svg
True
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from gdsmodel.report.layout import Chart
from gdsmodel.text import Lang, Text

__all__ = ["PALETTE", "nice_ticks", "render_svg"]

PALETTE = ("#2f6fb0", "#d9822b", "#7a4fb3", "#c23b3b", "#3a9a5b", "#8c8c8c")
"""Series colours: planned, fault, external, shortage... in order."""

_BAD = "#c23b3b"
_TARGET = "#3a9a5b"
_GRID = "#e3e6ea"
_TEXT = "#333"
_FONT = "system-ui, -apple-system, 'Segoe UI', 'PingFang SC', 'Microsoft YaHei', sans-serif"


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round tick values covering ``[lo, hi]``.

    >>> nice_ticks(0, 9.3)
    [0.0, 2.0, 4.0, 6.0, 8.0, 10.0]
    >>> nice_ticks(99.5, 100)
    [99.5, 99.6, 99.7, 99.8, 99.9, 100.0]
    """
    if hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / max(count, 1)
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw - 1e-12)
    first = math.floor(lo / step + 1e-9)
    last = math.ceil(hi / step - 1e-9)
    ticks = [k * step for k in range(first, max(last, first + 1) + 1)]
    return [float(f"{x:.10g}") for x in ticks]


def _fmt(x: float) -> str:
    """A coordinate with at most one decimal."""
    s = f"{x:.1f}"
    return s[:-2] if s.endswith(".0") else s


def _label(x: float) -> str:
    text = f"{x:.4f}".rstrip("0").rstrip(".")
    return text or "0"


_TARGET_NAME = Text("目标", "target")
"""The tooltip of a chart's target line."""


def _text(x: float, y: float, s: str, *, anchor: str = "middle", size: int = 11, **kw: str) -> str:
    extra = "".join(f' {k.replace("_", "-")}="{v}"' for k, v in kw.items())
    return (
        f'<text x="{_fmt(x)}" y="{_fmt(y)}" text-anchor="{anchor}" font-size="{size}"'
        f"{extra}>{escape(s)}</text>"
    )


def _open(width: int, height: int, title: str) -> list[str]:
    return [
        # inline in HTML: no namespace attribute is needed (and none is written)
        f'<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(title)}" font-family="{escape(_FONT)}" fill="{_TEXT}">',
        f"<title>{escape(title)}</title>",
        _text(width / 2, 16, title, size=13, font_weight="600"),
    ]


def _scale(values: Sequence[float], target: float | None) -> tuple[float, float, list[float]]:
    pts = [*values, *([target] if target is not None else [])]
    lo, hi = min(pts), max(pts)
    pad = (hi - lo) * 0.1 or max(abs(hi) * 0.01, 0.1)
    lo, hi = lo - pad, hi + pad
    ticks = nice_ticks(lo, hi)
    return ticks[0], ticks[-1], ticks


def _line(chart: Chart, lang: Lang) -> str:
    w, h = 420, 220
    left, right, top, bottom = 52, 12, 28, 30
    known = [v for s in chart.series for v in s.values if v is not None]
    title = chart.title.get(lang)
    out = _open(w, h, title)
    if not known:
        out.append(_text(w / 2, h / 2, "-"))
        return "\n".join([*out, "</svg>"])
    lo, hi, ticks = _scale(known, chart.target)
    n = len(chart.categories)
    pw, ph = w - left - right, h - top - bottom

    def x(i: int) -> float:
        return left + (pw * i / (n - 1) if n > 1 else pw / 2)

    def y(v: float) -> float:
        return top + ph * (1 - (v - lo) / (hi - lo))

    for t in ticks:
        out.append(
            f'<line x1="{left}" y1="{_fmt(y(t))}" x2="{w - right}" y2="{_fmt(y(t))}" '
            f'stroke="{_GRID}"/>'
        )
        out.append(_text(left - 6, y(t) + 4, _label(t) + chart.unit, anchor="end", size=10))
    for i, c in enumerate(chart.categories):
        out.append(_text(x(i), h - bottom + 16, c, size=10))
    if chart.target is not None:
        ty = _fmt(y(chart.target))
        out.append(
            f'<line x1="{left}" y1="{ty}" x2="{w - right}" y2="{ty}" stroke="{_TARGET}" '
            f'stroke-dasharray="5 4" stroke-width="1.5">'
            f"<title>{escape(_TARGET_NAME.get(lang))}</title></line>"
        )
    for k, s in enumerate(chart.series):
        colour = PALETTE[k % len(PALETTE)]
        path: list[str] = []
        for i, v in enumerate(s.values):
            if v is None:
                path.append("")
                continue
            path.append(f"{_fmt(x(i))},{_fmt(y(v))}")
        for run in " ".join(p if p else "|" for p in path).split("|"):
            if run.strip():
                out.append(
                    f'<polyline points="{run.strip()}" fill="none" stroke="{colour}" '
                    f'stroke-width="2"/>'
                )
        for i, v in enumerate(s.values):
            if v is not None:
                out.append(
                    f'<circle cx="{_fmt(x(i))}" cy="{_fmt(y(v))}" r="3" fill="{colour}">'
                    f"<title>{escape(chart.categories[i])}: {_label(v)}{chart.unit}</title>"
                    "</circle>"
                )
    return "\n".join([*out, "</svg>"])


def _bars(chart: Chart, lang: Lang) -> str:
    n = len(chart.categories)
    bar, gap = 16, 6
    left, right, top, bottom = 160, 56, 30, 26
    w = 640
    h = top + bottom + n * (bar + gap)
    values = [v if v is not None else 0.0 for v in chart.series[0].values]
    title = chart.title.get(lang)
    out = _open(w, h, title)
    pts = [*values, 0.0, *([chart.target] if chart.target is not None else [])]
    span = (max(pts) - min(pts)) or 1.0
    low = min(pts) - (span * 0.08 if min(pts) < 0 else 0.0)
    ticks = nice_ticks(low, max(pts) + span * 0.08)
    lo, hi = ticks[0], ticks[-1]
    pw = w - left - right

    def x(v: float) -> float:
        return left + pw * (v - lo) / (hi - lo)

    for t in ticks:
        out.append(
            f'<line x1="{_fmt(x(t))}" y1="{top - 4}" x2="{_fmt(x(t))}" y2="{h - bottom}" '
            f'stroke="{_GRID}"/>'
        )
        out.append(_text(x(t), h - bottom + 14, _label(t) + chart.unit, size=10))
    zero = x(0.0)
    for i, (label, v) in enumerate(zip(chart.categories, values, strict=True)):
        yy = top + i * (bar + gap)
        flagged = chart.flagged[i] if i < len(chart.flagged) else False
        colour = _BAD if flagged else PALETTE[0]
        x0, x1 = sorted((zero, x(v)))
        out.append(_text(left - 6, yy + bar - 4, label, anchor="end", size=11))
        out.append(
            f'<rect x="{_fmt(x0)}" y="{yy}" width="{_fmt(max(x1 - x0, 0.5))}" height="{bar}" '
            f'fill="{colour}"><title>{escape(label)}: {_label(v)}{chart.unit}</title></rect>'
        )
        out.append(
            _text(x1 + 4, yy + bar - 4, _label(round(v, 2)) + chart.unit, anchor="start", size=10)
        )
    if chart.target is not None:
        tx = _fmt(x(chart.target))
        out.append(
            f'<line x1="{tx}" y1="{top - 6}" x2="{tx}" y2="{h - bottom}" stroke="{_TARGET}" '
            f'stroke-dasharray="5 4" stroke-width="1.5">'
            f"<title>{escape(_TARGET_NAME.get(lang))}</title></line>"
        )
    return "\n".join([*out, "</svg>"])


def _stacked(chart: Chart, lang: Lang) -> str:
    w, h = 560, 260
    left, right, top, bottom = 60, 12, 28, 58
    n = len(chart.categories)
    totals = [sum((s.values[i] or 0.0) for s in chart.series) for i in range(n)]
    title = chart.title.get(lang)
    out = _open(w, h, title)
    top_value = max([*totals, 1.0])
    ticks = nice_ticks(0.0, top_value * 1.05)
    hi = ticks[-1]
    pw, ph = w - left - right, h - top - bottom
    slot = pw / max(n, 1)
    bw = slot * 0.6

    def y(v: float) -> float:
        return top + ph * (1 - v / hi)

    for t in ticks:
        out.append(
            f'<line x1="{left}" y1="{_fmt(y(t))}" x2="{w - right}" y2="{_fmt(y(t))}" '
            f'stroke="{_GRID}"/>'
        )
        out.append(_text(left - 6, y(t) + 4, _label(t), anchor="end", size=10))
    for i, c in enumerate(chart.categories):
        cx = left + slot * i + (slot - bw) / 2
        base = 0.0
        missing = all(s.values[i] is None for s in chart.series)
        for k, s in enumerate(chart.series):
            v = s.values[i] or 0.0
            if v <= 0:
                continue
            out.append(
                f'<rect x="{_fmt(cx)}" y="{_fmt(y(base + v))}" width="{_fmt(bw)}" '
                f'height="{_fmt(y(base) - y(base + v))}" fill="{PALETTE[k % len(PALETTE)]}">'
                f"<title>{escape(c)} {escape(s.name.get(lang))}: {_label(round(v, 2))}"
                f"{chart.unit}</title></rect>"
            )
            base += v
        out.append(_text(cx + bw / 2, h - bottom + 14, c + ("?" if missing else ""), size=10))
    for k, s in enumerate(chart.series):  # legend
        lx = left + (k % 2) * 250
        ly = h - 26 + (k // 2) * 14
        out.append(
            f'<rect x="{lx}" y="{ly - 9}" width="10" height="10" '
            f'fill="{PALETTE[k % len(PALETTE)]}"/>'
        )
        out.append(_text(lx + 14, ly, s.name.get(lang), anchor="start", size=10))
    return "\n".join([*out, "</svg>"])


def render_svg(chart: Chart, lang: Lang = "zh") -> str:
    """The chart as an inline ``<svg>`` element (labels in ``lang``).

    >>> from gdsmodel.report.layout import Chart, Series
    >>> from gdsmodel.text import Text
    >>> svg = render_svg(Chart(id="b", kind="stacked", title=Text("时户数", "hours"),
    ...     categories=("01", "02"), series=(Series(name=Text("计划"), values=(3.0, None)),)))
    >>> svg.count("<rect"), "02?" in svg        # a month without data is marked
    (2, True)
    """
    if chart.kind == "line":
        return _line(chart, lang)
    if chart.kind == "bar":
        return _bars(chart, lang)
    return _stacked(chart, lang)
