"""Plots of KPI trends with matplotlib (the ``plot`` extra: ``pip install gdsmodel[plot]``).

:func:`plot_trend` draws one KPI over periods from any frame with a period column (a report's
trend table, ``report.to_pandas("trends")``, or a frame from ``metric(...).by(frame, ["month"])``,
pandas, polars or pyarrow) or from rows (dicts): the series, the target as a dashed line,
the months that missed it marked with a red cross, and labels in Chinese and English.
:meth:`gdsmodel.report.Report.plot` draws one KPI of a report.

Matplotlib is imported only when a plot is drawn. Chinese labels need a font with Chinese
characters: the first installed of :data:`CJK_FONTS` is used; without one, a
:class:`CjkFontWarning` says so (the labels then show boxes for the Chinese characters), and
``lang="en"`` draws English labels only.

>>> import matplotlib
>>> matplotlib.use("Agg")
>>> rows = [{"month": "2026-01", "percent": 6.0, "verdict": "met"},
...         {"month": "2026-02", "percent": 7.5, "verdict": "missed"}]
>>> ax = plot_trend(rows, target=7.0, title="Line loss rate", lang="en")
>>> [line.get_label() for line in ax.get_lines()]
['Line loss rate', 'target', 'missed']
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final, Literal, TypeAlias

from gdsmodel.text import Text

if TYPE_CHECKING:  # pragma: no cover
    import matplotlib.axes

    Axes: TypeAlias = matplotlib.axes.Axes

__all__ = ["CJK_FONTS", "CjkFontWarning", "cjk_font", "plot_trend", "report_trend"]

CJK_FONTS: Final = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Noto Serif CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "Heiti SC",
    "Hiragino Sans GB",
    "AR PL UMing CN",
    "Droid Sans Fallback",
)
"""Fonts with Chinese characters, looked for in this order."""

PlotLang = Literal["zh", "en", "both"]

MISSED_COLOR: Final = "#d62728"


class CjkFontWarning(UserWarning):
    """No font with Chinese characters is installed: Chinese labels show as boxes."""


def cjk_font() -> str | None:
    """The name of the first installed font of :data:`CJK_FONTS`, or None.

    >>> cjk_font() is None or cjk_font() in CJK_FONTS
    True
    """
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


def _label(text: Text | str, lang: PlotLang) -> str:
    if isinstance(text, str):
        return text
    if lang == "zh":
        return text.zh or text.en
    if lang == "en" or not text.zh or text.zh == text.en:
        return text.en or text.zh
    return f"{text.zh} / {text.en}"


def _columns(frame: object) -> dict[str, list[Any]]:
    """The frame (or rows) as columns of Python values."""
    if isinstance(frame, Sequence) and not isinstance(frame, str):
        rows: Sequence[Mapping[str, Any]] = frame
        names = list(rows[0]) if rows else []
        return {n: [r.get(n) for r in rows] for n in names}
    import narwhals as nw

    native = nw.from_native(frame, pass_through=False)  # type: ignore[call-overload]
    if isinstance(native, nw.LazyFrame):
        native = native.collect()
    out: dict[str, list[Any]] = native.to_dict(as_series=False)
    return out


def plot_trend(
    frame: object,
    *,
    period: str = "month",
    value: str = "percent",
    target: float | None = None,
    verdict: str = "verdict",
    title: Text | str = "",
    lang: PlotLang = "both",
    ax: Axes | None = None,
) -> Axes:
    """Draw one KPI over periods and return the matplotlib ``Axes``.

    ``frame`` holds one row per period (``period`` column, sorted by it) with the KPI in
    ``value`` (``percent`` by default). ``target`` is drawn as a dashed line; without it, a
    ``target`` column with one value is used (a fraction of one, multiplied by 100 when
    ``value`` is ``percent``). Rows whose ``verdict`` column says ``missed`` are marked.
    Null values leave a gap. ``lang`` picks the labels: ``zh``, ``en`` or ``both``.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = plot_trend([{"month": "2026-03", "percent": 99.1, "target": 0.99}], lang="en")
    >>> float(ax.get_lines()[1].get_ydata()[0])
    99.0
    """
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

    cols = _columns(frame)
    for needed in (period, value):
        if needed not in cols:
            from gdsmodel.errors import InputError

            raise InputError(
                "no such column in the frame",
                name="column",
                value=needed,
                allowed=", ".join(cols),
            )
    order = sorted(range(len(cols[period])), key=lambda i: str(cols[period][i]))
    xs = [str(cols[period][i]) for i in order]
    ys = [float("nan") if cols[value][i] is None else float(cols[value][i]) for i in order]
    verdicts = [str(cols[verdict][i]) if verdict in cols else "" for i in order]
    if target is None and "target" in cols:
        found = {t for t in cols["target"] if t is not None}
        if len(found) == 1:
            target = float(found.pop()) * (100 if value == "percent" else 1)

    font: FontProperties | None = None
    if lang != "en":
        name = cjk_font()
        if name is None:
            warnings.warn(
                "no font with Chinese characters is installed (looked for "
                f"{', '.join(CJK_FONTS[:6])}, ...): the Chinese labels will show as boxes; "
                "install one (e.g. the fonts-noto-cjk package) or plot with lang='en'",
                CjkFontWarning,
                stacklevel=2,
            )
        else:
            font = FontProperties(family=[name, "sans-serif"])

    if ax is None:
        _, ax = plt.subplots(figsize=(8, 3.5))
    name_label = _label(title, lang) or value
    positions = list(range(len(xs)))
    ax.plot(positions, ys, marker="o", label=name_label, color="#1f77b4")
    if target is not None:
        ax.axhline(
            target, linestyle="--", color="#555555", label=_label(Text("目标", "target"), lang)
        )
    missed = [i for i, v in enumerate(verdicts) if v == "missed"]
    if missed:
        ax.plot(
            missed,
            [ys[i] for i in missed],
            linestyle="none",
            marker="x",
            markersize=10,
            markeredgewidth=2,
            color=MISSED_COLOR,
            label=_label(Text("未达标", "missed"), lang),
        )
    ax.set_xticks(positions, xs, rotation=45, ha="right")
    unit = Text("百分比 (%)", "percent (%)") if value == "percent" else Text(value, value)
    ax.set_xlabel(
        _label(Text(period if period != "month" else "月份", "month"), lang), fontproperties=font
    )
    ax.set_ylabel(_label(unit, lang), fontproperties=font)
    ax.set_title(name_label, fontproperties=font)
    ax.legend(prop=font)
    ax.grid(True, alpha=0.3)
    figure = ax.get_figure()
    if isinstance(figure, Figure):
        figure.tight_layout()
    return ax


def report_trend(
    report: Any, metric: str, scope: str = "", *, lang: PlotLang = "both", ax: Axes | None = None
) -> Axes:
    """One KPI of a report over its trend months (see :meth:`gdsmodel.report.Report.plot`)."""
    from gdsmodel.tables import ROWS

    row = report.kpi(metric, scope)
    rows = [r for r in ROWS["trends"](report) if r["metric"] == row.metric and r["scope"] == scope]
    value = "percent" if row.unit == "%" else "value"
    return plot_trend(rows, value=value, title=row.title, lang=lang, ax=ax)
