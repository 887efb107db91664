"""Frames out: every to_pandas()/to_polars() gives the columns documented in
docs/learn/analyst.md, and the values are the objects' own."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import polars as pl
import pytest

import gdsmodel
from gdsmodel.errors import InputError
from gdsmodel.metrics import load_registry
from gdsmodel.organisation.assessment import MonthAssessment, YearEndRanking, year_end_ranking
from gdsmodel.organisation.files import load_organisation
from gdsmodel.organisation.station import assess_station_month
from gdsmodel.periods import Month
from gdsmodel.report import build_report
from gdsmodel.standards.safety_tools import Ledger
from gdsmodel.tables import COLUMNS

ROOT = Path(__file__).parents[1]
STATION = ROOT / "examples" / "station"
DOC = ROOT / "docs" / "learn" / "analyst.md"


def documented() -> dict[str, tuple[str, ...]]:
    """The columns table of the docs page: table name -> columns."""
    out: dict[str, tuple[str, ...]] = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        m = re.match(r"\| `(\w+)` \| .* \| (`.*`) \|$", line)
        if m:
            out[m.group(1)] = tuple(re.findall(r"`(\w+)`", m.group(2)))
    return out


@pytest.fixture(scope="module")
def report() -> Any:
    return build_report(STATION, "2026-03")


@pytest.fixture(scope="module")
def ledger() -> Ledger:
    return Ledger.open(STATION / "safety_tools.json", create=False)


_TABLES = ("lines", "areas", "billing", "rcd", "equipment")


@pytest.fixture(scope="module")
def quarter(report: Any) -> tuple[MonthAssessment, ...]:
    """The example station's people and groups assessed in January to March 2026."""
    tables = {stem: getattr(report.data, stem).records for stem in _TABLES}
    org = load_organisation(STATION)
    return tuple(assess_station_month(org, tables, Month(2026, m)) for m in (1, 2, 3))


@pytest.fixture(scope="module")
def month(quarter: tuple[MonthAssessment, ...]) -> MonthAssessment:
    return quarter[-1]


@pytest.fixture(scope="module")
def ranked(quarter: tuple[MonthAssessment, ...]) -> YearEndRanking:
    return year_end_ranking(s.sheet for m in quarter for s in m.people)


def test_the_docs_list_every_table_with_its_columns() -> None:
    assert documented() == dict(COLUMNS)


def _sources(
    report: Any, ledger: Ledger, month: MonthAssessment, ranked: YearEndRanking
) -> list[tuple[str, Any, tuple[str, ...]]]:
    std = gdsmodel.load_standard()
    scored = next(s for s in month.people if s.sheet.items and s.kpis)
    return [
        ("clauses", std, ()),
        ("glossary", std, ("glossary",)),
        ("glossary", std.glossary, ()),
        ("registry", load_registry(), ()),
        ("kpis", report, ()),
        ("trends", report, ("trends",)),
        ("sheets", report, ("sheets",)),
        ("sheets", report.sheets[0], ()),
        ("ranking", report, ("ranking",)),
        ("tools", ledger, ()),
        ("events", ledger, ("events",)),
        ("assessment", month, ()),
        ("owner_kpis", month, ("owner_kpis",)),
        ("sheets", month, ("sheets",)),
        ("sheets", scored, ()),
        ("owner_kpis", scored, ("owner_kpis",)),
        ("assessment", scored, ("assessment",)),
        ("year_end", ranked, ()),
    ]


def test_every_frame_has_the_documented_columns(
    report: Any, ledger: Ledger, month: MonthAssessment, ranked: YearEndRanking
) -> None:
    docs = documented()
    for table, obj, args in _sources(report, ledger, month, ranked):
        pandas_frame = obj.to_pandas(*args)
        polars_frame = obj.to_polars(*args)
        assert isinstance(pandas_frame, pd.DataFrame) and isinstance(polars_frame, pl.DataFrame)
        assert tuple(pandas_frame.columns) == docs[table], table
        assert tuple(polars_frame.columns) == docs[table], table
        assert len(pandas_frame) == polars_frame.height > 0, table


def test_an_unknown_table_is_refused(report: Any) -> None:
    with pytest.raises(InputError, match=r"table='tools': unknown table \(allowed: kpis, trends"):
        report.to_pandas("tools")


def test_the_clauses_carry_their_annotations() -> None:
    std = gdsmodel.load_standard()
    clauses = std.to_pandas().set_index("id")
    assert len(clauses) == 155
    row = clauses.loc["safety_officer.standard.4"]
    assert row.text_zh == std.clause("safety_officer.standard.4").text.zh
    assert "two_ticket" in " ".join(row.targets)
    assert list(row.terms) == list(std.clause("safety_officer.standard.4").terms)
    polars_row = (
        std.to_polars().filter(pl.col("id") == "safety_officer.standard.4").row(0, named=True)
    )
    assert polars_row["categories"] == list(row.categories)


def test_the_kpi_table_is_the_report(report: Any) -> None:
    kpis = report.to_pandas("kpis")
    assert len(kpis) == len(report.kpis)
    for row, k in zip(kpis.itertuples(), report.kpis, strict=True):
        assert (row.metric, row.scope) == (k.metric, k.key.scope)
        if k.month.value is None:
            assert pd.isna(row.value) and row.reason
        else:
            assert row.value == pytest.approx(float(k.month.value))
            if k.unit == "%":
                assert row.percent == pytest.approx(float(k.month.value) * 100)
            else:
                assert pd.isna(row.percent)
        if k.verdict is None:
            assert pd.isna(row.verdict)
        else:
            assert row.verdict == str(k.verdict.status)
            assert row.target == pytest.approx(float(k.target.threshold))


def test_the_trend_table_has_every_month_and_judges_each(report: Any) -> None:
    trends = report.to_polars("trends")
    months = [str(m) for m in report.trend_months]
    assert trends.height == len(report.kpis) * len(months)
    loss = trends.filter((pl.col("metric") == "line_loss_rate") & (pl.col("scope") == ""))
    assert loss["month"].to_list() == months
    row = report.kpi("line_loss_rate")
    assert loss["value"].to_list() == pytest.approx([float(v.value) for v in row.trend])
    judged = trends.filter(pl.col("verdict").is_not_null())
    missed = judged.filter(pl.col("verdict") == "missed")
    assert 0 < missed.height < judged.height  # the example station misses some months


def test_sheets_and_ranking_are_the_assessment(report: Any) -> None:
    sheets = report.to_pandas("sheets")
    assert len(sheets) == sum(len(s.items) for s in report.sheets)
    for s in report.sheets:
        mine = sheets[sheets.owner == s.owner]
        assert mine.score.sum() == pytest.approx(float(s.total))
    ranking = report.to_pandas("ranking")
    assert ranking["rank"].tolist() == sorted(ranking["rank"])
    first = report.ranking[0]
    assert ranking.iloc[0].percent == pytest.approx(float(first.total / first.available * 100))


def test_the_ledger_tables(ledger: Ledger) -> None:
    tools = ledger.to_pandas()
    assert len(tools) == len(ledger.tools())
    assert tools.serial.tolist() == [t.serial for t in ledger.tools()]
    assert str(tools.due.dtype).startswith("datetime64")
    events = ledger.to_polars("events")
    assert events["seq"].to_list() == list(range(1, len(ledger.events) + 1))
    assert events["type"].to_list() == [e.TYPE for e in ledger.events]
    tested = events.filter(pl.col("type") == "tested").row(0, named=True)
    assert "tester=" in tested["details"]
    empty = Ledger()
    assert empty.to_pandas().columns.tolist() == list(COLUMNS["tools"])
    assert empty.to_polars("events").columns == list(COLUMNS["events"])


def test_the_months_sheets_are_the_assessment(month: MonthAssessment) -> None:
    frame = month.to_pandas()
    sheets = month.people + month.groups
    assert frame.owner.tolist() == [s.owner for s in sheets]
    assert set(frame.kind) == {"person", "group"}
    for row, s in zip(frame.itertuples(), sheets, strict=True):
        assert row.total == pytest.approx(float(s.sheet.total))
        assert row.available == pytest.approx(float(s.sheet.available))
        if s.sheet.available:
            assert row.percent == pytest.approx(float(s.sheet.total / s.sheet.available * 100))
        else:
            assert pd.isna(row.percent)
        assert list(row.missed) == list(s.missed) and list(row.holds) == list(s.holds)
    assert 0 < frame.percent.notna().sum() < len(frame)  # some people have nothing to assess
    items = month.to_polars("sheets")
    assert items.height == sum(len(s.sheet.items) for s in sheets)
    by_owner = items.group_by("owner").agg(pl.col("score").sum()).rows()
    assert dict(by_owner) == pytest.approx(
        {s.owner: float(s.sheet.total) for s in sheets if s.sheet.items}
    )


def test_each_owners_kpis_with_their_targets(month: MonthAssessment) -> None:
    kpis = month.to_pandas("owner_kpis")
    lines = [(s, k) for s in month.sheets for k in s.kpis]
    assert len(kpis) == len(lines) > 0
    for row, (s, k) in zip(kpis.itertuples(), lines, strict=True):
        assert (row.kind, row.owner, row.metric, row.unit) == (s.kind, s.owner, k.metric, "%")
        assert row.numerator == pytest.approx(float(k.ratio.numerator))
        assert row.denominator == pytest.approx(float(k.ratio.denominator))
        assert row.percent == pytest.approx(float(k.ratio.require()) * 100)
        if k.verdict is None:
            assert pd.isna(row.verdict) and pd.isna(row.target)
        else:
            assert row.verdict == str(k.verdict.status)
            assert row.target == pytest.approx(float(k.target.threshold))  # type: ignore[union-attr]
    missed = kpis[kpis.verdict == "missed"]
    assert 0 < len(missed) < kpis.verdict.notna().sum()  # some owners miss, some meet
    assert (missed.gap > 0).all()
    one = month.person(str(kpis.owner.iloc[0]))
    assert one.to_polars("owner_kpis").height == len(one.kpis)


def test_the_year_end_ranking_with_its_bands(ranked: YearEndRanking) -> None:
    assert isinstance(ranked, tuple) and len(ranked) == 26
    frame = ranked.to_pandas()
    assert frame["rank"].tolist() == [r.ranking.rank for r in ranked]
    assert frame["rank"].is_monotonic_increasing
    for row, r in zip(frame.itertuples(), ranked, strict=True):
        assert row.owner == r.ranking.owner and row.months == r.ranking.months == 3
        if r.percent is None:
            assert pd.isna(row.percent) and pd.isna(row.band)
        else:
            assert row.percent == pytest.approx(float(r.percent))
            assert r.band is not None
            assert (row.band, row.band_zh, row.band_en) == (
                r.band.id,
                r.band.name.zh,
                r.band.name.en,
            )
    polars_frame = ranked.to_polars()
    assert polars_frame["owner"].to_list() == frame.owner.tolist()
    assert len(repr(ranked)) < 300
    empty = year_end_ranking([])
    assert empty == () and empty.to_pandas().columns.tolist() == list(COLUMNS["year_end"])


MODULES = ("pandas", "polars", "pyarrow", "narwhals", "matplotlib", "duckdb")


def test_reprs_html_and_the_frames_modules_load_no_frame_library() -> None:
    code = (
        "import sys, gdsmodel, gdsmodel._show, gdsmodel.tables, gdsmodel.plot\n"
        "import gdsmodel.organisation.assessment, gdsmodel.organisation.archive\n"
        "from gdsmodel.report import build_report\n"
        f"r = build_report({str(STATION)!r}, '2026-03')\n"
        "repr(r); r._repr_html_(); std = gdsmodel.load_standard(); std._repr_html_()\n"
        f"print(sorted(m for m in {MODULES!r} if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
