"""The conventions every command shares: names in either language where an ID goes, a
did-you-mean for typos, the report's default month, Chinese labels and units under ``zh``,
no colour when piped; and the report read in five minutes: this month first, one sparkline
character per month on a scale that keeps a tiny change small, no colour for a change that
rounds to zero, next month's obligations as a checklist with each clause once."""

from __future__ import annotations

import datetime
import shutil
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gdsmodel.cli import main
from gdsmodel.cli._conventions import suggest
from gdsmodel.periods import Month
from gdsmodel.report import build_report
from gdsmodel.report.layout import _SPARK, Table, build_document, sparkline

ROOT = Path(__file__).resolve().parents[1]
STATION = ROOT / "examples" / "station"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 2
    out, err = capsys.readouterr()
    return code, out, err


# ----------------------------------------------------------------------------- names and IDs


@pytest.mark.parametrize(
    "name", ["安全员", "Safety officer", "safety officer", "ＳＡＦＥＴＹ_ＯＦＦＩＣＥＲ"]
)
def test_show_takes_a_name_in_either_language(
    capsys: pytest.CaptureFixture[str], name: str
) -> None:
    code, out, _ = run(capsys, "show", name, "--lang", "en")
    assert code == 0 and "(safety_officer)" in out.splitlines()[0]


def test_a_typo_of_an_id_or_a_name_gets_a_did_you_mean(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "show", "safty_officer")
    assert code == 3 and "did you mean safety_officer" in err
    code, _, err = run(capsys, "show", "安全")
    assert code == 3 and "did you mean 安全员" in err
    code, _, err = run(capsys, "metrics", "show", "line_los_rate")
    assert code == 3 and "did you mean line_loss_rate" in err


def test_a_kpi_by_its_name(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "metrics", "show", "线损率", "--lang", "zh")
    assert code == 0 and out.startswith("line_loss_rate: 线损率")
    code, out, _ = run(
        capsys, "metrics", "compute", "Line loss rate", "supplied_kwh=1000", "sold_kwh=940"
    )
    assert code == 0 and "6.00%" in out


def test_suggest_folds_width_and_case() -> None:
    assert suggest("ＤＩＲＥＣＴＯＲ", ["director", "technician"]) == ["director"]
    assert suggest("zzz", ["director"]) == []


# ----------------------------------------------------------------------------- zh under --lang zh


def test_metrics_speak_chinese_under_zh(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "metrics", "list", "--lang", "zh")
    assert "小时/户" in out and "h/customer" not in out and "yuan/kWh" not in out
    assert "越低越好" in out and "单位" in out.splitlines()[0]
    _, out, _ = run(capsys, "metrics", "show", "aihc", "--lang", "zh")
    assert "单位: 小时/户" in out and "formula" not in out
    _, out, _ = run(
        capsys, "metrics", "power-factor", "--active", "1000", "--reactive", "600",
        "--standard", "0.90", "--charges", "5000", "--lang", "zh",
    )  # fmt: skip
    assert "功率因数" in out and "元" in out and "yuan" not in out


def test_tools_speak_chinese_under_zh(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.json"
    shutil.copy(STATION / "safety_tools.json", ledger)
    _, out, _ = run(capsys, "tools", "list", "--ledger", str(ledger), "--on", "2026-03-31",
                    "--lang", "zh")  # fmt: skip
    head = out.splitlines()[0]
    assert "编号" in head and "状态" in head and "serial" not in head
    assert "可用" in out and "serviceable" not in out and "绝缘杆" in out
    _, out, _ = run(capsys, "tools", "kinds", "--ledger", str(ledger), "--lang", "zh")
    assert "个月" in out and "months" not in out
    assert "insulating_gloves" in out  # the kind's ID stays: it is what --kind takes


def test_piped_output_has_no_colour(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "report", str(STATION), "--month", "2026-03", "--lang", "en")
    assert "\x1b[" not in out


def test_report_text_is_coloured_only_for_verdicts_and_real_changes() -> None:
    from gdsmodel.report.render_text import render_text

    report = build_report(STATION, "2026-03")
    doc = build_document(report, trend_months=6, all_areas=False)
    coloured = render_text(doc, "en", width=120, color=True)
    assert "\x1b[" in coloured
    plain = render_text(doc, "en", width=120)
    assert "\x1b[" not in plain


# ----------------------------------------------------------------------------- the report


def test_report_defaults_to_the_last_complete_month(capsys: pytest.CaptureFixture[str]) -> None:
    from gdsmodel.cli.report import _last_complete_month

    utc = datetime.UTC
    assert _last_complete_month(str(STATION), datetime.datetime(2026, 4, 10, tzinfo=utc)) == Month(
        2026, 3
    )
    # 16:30 UTC on 31 March is already 1 April in Shanghai: the station's zone decides
    late = datetime.datetime(2026, 3, 31, 16, 30, tzinfo=utc)
    assert _last_complete_month(str(STATION), late) == Month(2026, 3)
    assert _last_complete_month("no/such/folder", late) == Month(2026, 3)
    early = datetime.datetime(2026, 3, 31, 15, 30, tzinfo=utc)  # 23:30 in Shanghai
    assert _last_complete_month(str(STATION), early) == Month(2026, 2)
    code, _, err = run(capsys, "report", str(STATION), "--lang", "en")  # today's: no data
    last = _last_complete_month(str(STATION))
    assert code == 1 and f"no data for {last}" in err


@pytest.fixture(scope="module")
def document():  # type: ignore[no-untyped-def]
    return build_document(build_report(STATION, "2026-03"), trend_months=6)


def _section(document, sid):  # type: ignore[no-untyped-def]
    return next(s for s in document.sections if s.id == sid)


def test_the_trend_table_shows_this_month_first(document) -> None:  # type: ignore[no-untyped-def]
    table = next(b for b in _section(document, "trends").blocks if isinstance(b, Table))
    months = [h.zh for h in table.headers[1:-1]]
    assert months[0] == "2026-03" and months == sorted(months, reverse=True)


def test_no_colour_for_a_change_that_rounds_to_zero(document) -> None:  # type: ignore[no-untyped-def]
    table = next(b for b in _section(document, "kpis").blocks if isinstance(b, Table))
    for row in table.rows:
        change = row[5]
        if change.text.zh.startswith("±0"):
            assert change.status == ""
        assert change.text.zh not in ("+0.0000", "-0.0000", "+0.00 pp", "-0.00 pp")


def test_obligations_are_a_checklist_with_each_clause_once(document) -> None:  # type: ignore[no-untyped-def]
    table = next(b for b in _section(document, "obligations").blocks if isinstance(b, Table))
    clauses = [row[4].text.zh for row in table.rows]
    assert len(clauses) == len(set(clauses)) > 5
    assert all(row[1].text.zh.startswith("□") for row in table.rows)
    owners = [row[0].text.zh for row in table.rows if row[0].text.zh]
    assert len(owners) == len(set(owners))  # each post once, its clauses under it
    whole_year = [row[2].text.zh for row in table.rows if row[2].text.zh in ("全年", "〃")]
    assert whole_year.count("全年") <= len(owners)


def test_the_sparkline_reads_newest_first_as_the_columns(document) -> None:  # type: ignore[no-untyped-def]
    """The trend's first character is this month, as the first month column: a higher value
    is never drawn lower than a smaller one of the same row, read in that order."""
    report = build_report(STATION, "2026-03")
    table = next(b for b in _section(document, "trends").blocks if isinstance(b, Table))
    checked = 0
    for kpi, row in zip(report.kpis, table.rows, strict=True):
        newest_first = [v.value for v in reversed(kpi.trend)]
        line = row[-1].text.zh
        assert len(line) == len(newest_first)
        pairs = [
            (a, b, line[i], line[j])
            for i, a in enumerate(newest_first)
            for j, b in enumerate(newest_first)
            if a is not None and b is not None and a > b
        ]
        assert all(_SPARK.index(x) >= _SPARK.index(y) for _, _, x, y in pairs), kpi.key
        checked += any(_SPARK.index(x) > _SPARK.index(y) for _, _, x, y in pairs)
    assert checked > 3  # rows whose line goes up and down: the order is seen
    assert "this month" in table.note.en


@given(st.lists(st.one_of(st.none(), st.fractions(0, 1)), min_size=1, max_size=24))
def test_one_sparkline_character_per_month(values: list[Fraction | None]) -> None:
    line = sparkline(values)
    if all(v is None for v in values):
        assert line == ""
    else:
        assert len(line) == len(values)
        assert all((c == " ") == (v is None) for c, v in zip(line, values, strict=True))
        assert set(line) <= set(_SPARK) | {" "}


@given(st.fractions(Fraction(90, 100), Fraction(99, 100)), st.fractions(0, Fraction(1, 1000)))
def test_a_tiny_change_is_a_small_step(base: Fraction, step: Fraction) -> None:
    """A change of at most 0.1 pp on the 1 pp floor moves the sparkline at most one level."""
    line = sparkline([base, base + step], floor=Fraction(1, 100))
    assert abs(_SPARK.index(line[1]) - _SPARK.index(line[0])) <= 1


def test_tool_events_are_told_in_chinese_under_zh(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    ledger = tmp_path / "ledger.json"
    shutil.copy(STATION / "safety_tools.json", ledger)
    at = ["--ledger", str(ledger), "--date", "2026-03-20"]
    code, out, _ = run(capsys, "tools", "issue", "JY-01", "--to", "王文华", *at, "--lang", "zh")
    assert code == 0, out
    assert out.strip() == "JY-01:已领用:王文华;现为可用,应试日期 2027-02-20,领用人 王文华"
    code, out, _ = run(capsys, "tools", "return", "JY-01", *at, "--lang", "en")
    assert code == 0 and out.strip() == "JY-01: returned; now serviceable, due 2027-02-20"
    code, out, _ = run(capsys, "tools", "issue", "JY-01", "--to", "王文华", *at)  # both
    assert code == 0 and out.splitlines() == [
        "JY-01:已领用:王文华;现为可用,应试日期 2027-02-20,领用人 王文华",
        "JY-01: issued to 王文华; now serviceable, due 2027-02-20, issued to 王文华",
    ]


# ----------------------------------------------------------------------------- the station folder

_FOLDER_FORMS = [
    (["staff", "S", "--on", "2026-03-31"], ["staff", "--station", "S", "--on", "2026-03-31"]),
    (["assess", "show", "S", "--month", "2026-03"],
     ["assess", "--month", "2026-03", "--station", "S"]),
    (["assess", "year", "S", "2026"], ["assess", "year", "2026", "--station", "S"]),
    (["assess", "history", "S", "2026-03", "--person", "P09"],
     ["assess", "--station", "S", "history", "2026-03", "--person", "P09"]),
    (["records", "figures", "S", "--month", "2026-03"],
     ["records", "figures", "--station", "S", "--month", "2026-03"]),
    (["records", "defect", "show", "S", "DEF-003", "--today", "2026-04-01"],
     ["records", "defect", "show", "DEF-003", "--station", "S", "--today", "2026-04-01"]),
    (["calendar", "S", "2026-03", "--person", "P11", "--today", "2026-04-01"],
     ["calendar", "2026-03", "--person", "P11", "--station", "S", "--today", "2026-04-01"]),
]  # fmt: skip


@pytest.mark.parametrize(("new", "old"), _FOLDER_FORMS, ids=lambda a: " ".join(a[:2]))
def test_the_station_folder_is_positional_and_station_still_works(
    new: list[str],
    old: list[str],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shutil.copytree(STATION, tmp_path / "S")
    monkeypatch.chdir(tmp_path)
    if new[:2] == ["assess", "history"]:
        run(capsys, "assess", "close", "S", "2026-03", "--no-excel", "--on", "2026-04-02")
    got_new = run(capsys, *new, "--lang", "en")
    got_old = run(capsys, *old, "--lang", "en")
    assert got_new[0] in (0, 1) and got_new[1].strip(), got_new
    assert got_new == got_old
    # elsewhere (the working folder has no station) the folder must be given
    monkeypatch.chdir(tmp_path / "S")
    assert run(capsys, *[w for w in new if w != "S"], "--lang", "en") == got_new


def test_station_is_a_hidden_option(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["staff"], ["assess", "close"], ["records", "figures"], ["calendar"]):
        code, out, _ = run(capsys, *argv, "--help")
        assert code == 0 and "DIR" in out and "--station" not in out, argv
