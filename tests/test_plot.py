"""KPI trend plots: the series, the target line, the missed months, the labels, the fonts."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import polars as pl
import pytest

from gdsmodel import plot as gplot
from gdsmodel.errors import InputError
from gdsmodel.metrics import metric
from gdsmodel.report import build_report

STATION = Path(__file__).parents[1] / "examples" / "station"
# without a Chinese font installed, matplotlib warns per missing glyph
pytestmark = pytest.mark.filterwarnings("ignore:Glyph .* missing from font")


@pytest.fixture(autouse=True)
def _close() -> Any:
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def report() -> Any:
    return build_report(STATION, "2026-03")


def _lines(ax: Any) -> dict[str, Any]:
    return {line.get_label(): line for line in ax.get_lines()}


def test_a_report_trend_has_series_target_and_missed_months(report: Any) -> None:
    row = next(
        k
        for k in report.kpis
        if k.target is not None
        and k.unit == "%"
        and any(v.value is not None and not k.target.verdict(v.value).met for v in k.trend)
    )
    ax = report.plot(row.metric, row.key.scope, lang="en")
    lines = _lines(ax)
    series = lines[row.title.en]
    expected = [float(v.value) * 100 for v in row.trend]
    assert np.allclose(series.get_ydata(), expected)
    assert float(lines["target"].get_ydata()[0]) == pytest.approx(float(row.target.threshold) * 100)
    missed_at = [i for i, v in enumerate(row.trend) if not row.target.verdict(v.value).met]
    assert list(lines["missed"].get_xdata()) == missed_at
    assert lines["missed"].get_marker() == "x"
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert ticks == [str(m) for m in report.trend_months]
    assert ax.get_title() == row.title.en
    assert ax.get_xlabel() == "month" and ax.get_ylabel() == "percent (%)"


def test_bilingual_labels(report: Any) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gplot.CjkFontWarning)
        ax = report.plot("line_loss_rate", lang="both")
    assert ax.get_title() == "线损率 / Line loss rate"
    assert ax.get_xlabel() == "月份 / month"
    assert ax.get_ylabel() == "百分比 (%) / percent (%)"
    assert ax.get_legend() is not None


def test_a_warning_without_a_chinese_font(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gplot, "cjk_font", lambda: None)
    rows = [{"month": "2026-01", "percent": 5.0}]
    with pytest.warns(gplot.CjkFontWarning, match="no font with Chinese characters"):
        gplot.plot_trend(rows, title="x", lang="zh")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        gplot.plot_trend(rows, title="x", lang="en")  # English only: no warning


def test_a_chinese_font_is_used_when_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    from matplotlib import font_manager

    installed = font_manager.fontManager.ttflist[0].name
    monkeypatch.setattr(gplot, "CJK_FONTS", (installed,))
    assert gplot.cjk_font() == installed
    with warnings.catch_warnings():
        warnings.simplefilter("error", gplot.CjkFontWarning)
        ax = gplot.plot_trend([{"month": "2026-01", "percent": 5.0}], title="线损率")
    assert ax.title.get_fontproperties().get_family()[0] == installed


def test_a_frame_from_by_with_a_month_key() -> None:
    lines = pd.read_csv(STATION / "lines.csv")
    rate = metric("line_loss_rate_10kv")
    frame = rate.by(lines, "month", target="A")
    target = float(rate.target_for("A").threshold) * 100
    for native in (frame, pl.from_pandas(frame)):
        ax = gplot.plot_trend(native, target=target, title=rate.name, lang="en")
        got = _lines(ax)
        assert np.allclose(got[rate.name.en].get_ydata(), frame.sort_values("month")["percent"])
        missed = sorted(
            frame.sort_values("month").reset_index(drop=True).query("verdict == 'missed'").index
        )
        if missed:
            assert list(got["missed"].get_xdata()) == missed
        else:
            assert "missed" not in got
        assert float(got["target"].get_ydata()[0]) == pytest.approx(target)


def test_rows_sorted_by_period_and_gaps_for_nulls() -> None:
    rows = [
        {"month": "2026-03", "percent": 3.0, "verdict": "missed"},
        {"month": "2026-01", "percent": 1.0, "verdict": "met"},
        {"month": "2026-02", "percent": None, "verdict": "undefined"},
    ]
    ax = gplot.plot_trend(rows, lang="en")
    series = ax.get_lines()[0]
    ys = series.get_ydata()
    assert ys[0] == 1.0 and np.isnan(ys[1]) and ys[2] == 3.0
    assert list(_lines(ax)["missed"].get_xdata()) == [2]
    assert "target" not in _lines(ax)


def test_a_missing_column_is_named() -> None:
    with pytest.raises(InputError, match="'percent'"):
        gplot.plot_trend([{"month": "2026-01", "value": 0.1}], lang="en")
