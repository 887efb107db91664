"""The monthly report: worked examples that pin every number on a tiny hand-made station,
and invariants (ratios of sums, never means of rates)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gdsmodel.errors import InputError, NotFoundError
from gdsmodel.metrics.ratio import VerdictStatus
from gdsmodel.periods import Month
from gdsmodel.report import Report, build_report, load_station
from gdsmodel.report.compute import KpiKind
from test_report_fixtures import write_station


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    folder = write_station(tmp_path_factory.mktemp("tiny") / "station")
    return build_report(folder, "2026-03")


def value(report: Report, key: str, scope: str = "") -> Fraction | None:
    return report.kpi(key, scope).month.value


# ----------------------------------------------------------------------------- energy


def test_line_loss_is_a_ratio_of_sums(report: Report) -> None:
    row = report.kpi("line_loss_rate")
    assert row.month.value == Fraction(50, 4000)  # (4000 - 3950) / 4000
    assert [v.value for v in row.trend] == [Fraction(160, 4000), Fraction(50, 4000)]
    # February: (4000 - 3840) / 4000 = 4 %, not the mean of 10 % and 2 %
    assert row.trend[0].value == Fraction(1, 25)
    assert row.ytd is not None and row.ytd.value == Fraction(210, 8000)
    assert row.format(row.month) == "1.25%"


def test_the_10kv_target_comes_from_the_station_grade(report: Report) -> None:
    row = report.kpi("line_loss_rate_10kv")
    assert str(row.target) == "<= 6.5%"
    assert row.verdict is not None and row.verdict.status is VerdictStatus.MET


def test_a_negative_line_loss_is_computed_and_flagged(report: Report) -> None:
    l2 = next(r for r in report.lines if r.id == "L2")
    assert l2.anomaly and l2.rate.value == Fraction(-50, 2000)
    assert not next(r for r in report.lines if r.id == "L1").anomaly


def test_low_voltage_loss_and_the_station_target(report: Report) -> None:
    row = report.kpi("line_loss_rate_lv")
    assert row.month.value == Fraction(120, 1500)
    assert row.trend[0].value == Fraction(88, 1200)
    assert str(row.target) == "<= 11%"


def test_power_factor_from_summed_energies(report: Report) -> None:
    assert value(report, "power_factor") == Fraction(94, 100)  # 4000 / sqrt(4000² + 1500²)
    assert report.kpi("power_factor").trend[0].reason.startswith("no reactive_kvarh")


def test_average_price(report: Report) -> None:
    assert value(report, "average_price") == Fraction(900, 1380)


# ----------------------------------------------------------------------------- billing


def test_meter_reading_and_errors(report: Report) -> None:
    row = report.kpi("meter_reading_rate")
    assert row.month.value == Fraction(149, 150)
    assert str(row.target) == ">= 99.5%"  # the station's own target from station.toml
    assert row.verdict is not None and row.verdict.gap == Fraction(995, 1000) - Fraction(149, 150)
    assert value(report, "reading_error_rate") == Fraction(1, 149)


def test_collection_rates_month_year_and_earlier_years(report: Report) -> None:
    assert value(report, "collection_rate") == Fraction(870, 900)
    assert value(report, "collection_rate_current_year") == Fraction(1610, 1650)
    assert value(report, "collection_rate_earlier_years") == Fraction(50, 1000)
    assert value(report, "collection_rate_cumulative") == Fraction(1660, 2650)
    assert report.kpi("collection_rate_current_year").kind is KpiKind.YEAR_TO_DATE
    # cumulative from January: February's value is February alone
    assert report.kpi("collection_rate_current_year").trend[0].value == Fraction(740, 750)


def test_remittance_without_its_column_is_a_gap(report: Report) -> None:
    row = report.kpi("fee_remittance_rate")
    assert row.month.value is None and "remitted_yuan" in row.month.reason
    assert any("remitted_yuan" in g.reason for g in report.gaps)


# ----------------------------------------------------------------------------- safety, voltage


def test_two_tickets_and_rcd(report: Report) -> None:
    assert value(report, "two_ticket_pass_rate") == Fraction(49, 50)
    assert value(report, "two_ticket_pass_rate", "work") == Fraction(19, 20)
    ytd = report.kpi("two_ticket_pass_rate").ytd
    assert ytd is not None and ytd.value == Fraction(79, 80)
    assert value(report, "rcd_installation_rate") == Fraction(6, 7)
    assert value(report, "rcd_in_service_rate") == Fraction(1)
    assert value(report, "rcd_correct_operation_rate") == Fraction(7, 8)
    assert report.kpi("rcd_installation_rate").ytd is None  # a stock: no year to date


def test_voltage_sums_minutes_per_class(report: Report) -> None:
    d = Fraction(84640 - 1300, 84640)
    assert value(report, "voltage_qualification_rate") == d
    assert value(report, "comprehensive_voltage_rate") == Fraction(1, 2) + d / 2
    classes = {str(v.monitoring_class): v.points for v in report.voltage}
    assert classes == {"A": 1, "D": 2}


# ----------------------------------------------------------------------------- reliability


def test_reliability_clips_outages_to_the_month_and_skips_short_ones(report: Report) -> None:
    hours = 150 * 744
    assert value(report, "rs1") == 1 - Fraction(80, hours)  # O1 60 + O3's March hour 20
    assert value(report, "rs2") == 1 - Fraction(60, hours)  # without the external outage
    assert value(report, "rs3") == 1 - Fraction(80, hours)
    assert value(report, "saifi") == Fraction(30, 150)  # O3 counts where it starts (Feb)
    assert value(report, "saidi") == Fraction(80 * 60, 150)
    ytd = report.kpi("rs1").ytd
    assert ytd is not None and ytd.value == 1 - Fraction(100, 150 * 672 + hours)
    rel = report.reliability
    assert {o.id: o.counted for o in rel.outages} == {"O3": True, "O1": True, "O2": False}
    fault = next(c for c in rel.by_cause if c[0].value == "fault")
    assert fault[4] == 1  # one short event


# ----------------------------------------------------------------------------- assessment


def test_assessment_uses_kpis_and_checks(report: Report) -> None:
    tech = next(s for s in report.sheets if s.owner == "technician")
    items = {i.rule: i for i in tech.items}
    assert items["technician.rs3"].score == Decimal("20.00")
    assert items["technician.statistics_reported"].passed is False
    assert tech.total == Decimal("30.00") and tech.available == Decimal("35.00")
    safety = next(s for s in report.sheets if s.owner == "safety_officer")
    month_end = next(i for i in safety.items if i.rule == "safety_officer.month_end_check")
    assert not month_end.assessed and "no check recorded" in month_end.note
    tickets = next(i for i in safety.items if i.rule == "safety_officer.two_tickets")
    assert tickets.deduction == Decimal("2.00")  # 2 pp short at 1 point per 1 %
    assert {r.owner for r in report.ranking} == set(report.scheme.owners)


def test_an_undefined_kpi_is_not_assessed_and_says_why(tmp_path: Path) -> None:
    folder = write_station(tmp_path / "s", tickets_csv=None)
    r = build_report(folder, "2026-03")
    safety = next(s for s in r.sheets if s.owner == "safety_officer")
    item = next(i for i in safety.items if i.rule == "safety_officer.two_tickets")
    assert not item.assessed and "tickets.csv" in item.note


# ----------------------------------------------------------------------------- tools, calendar


def test_safety_tools_due_overdue_and_unusable(report: Report) -> None:
    tools = report.tools
    assert tools.on == datetime.date(2026, 4, 1) and tools.tools == 3
    assert [d.serial for d in tools.overdue] == ["GL-1"]
    assert {d.serial for d in tools.due} == {"ES-1", "BT-1"}
    assert {u.serial for u in tools.unusable} == {"GL-1", "BT-1"}


def test_obligations_of_the_coming_month(report: Report) -> None:
    ob = report.obligations
    assert ob.period == Month(2026, 4) and not ob.reason
    assert any(o.clause == "safety_officer.standard.9" for o in ob.items)


def test_without_a_ledger_the_tools_are_a_gap(tmp_path: Path) -> None:
    folder = write_station(tmp_path / "s")
    (folder / "safety_tools.json").unlink()
    r = build_report(folder, "2026-03")
    assert "safety_tools.json" in r.tools.reason
    assert any(g.part.en == "safety tools" for g in r.gaps)


def test_a_broken_ledger_is_a_data_error_and_a_gap(tmp_path: Path) -> None:
    folder = write_station(tmp_path / "s")
    ledger = folder / "safety_tools.json"
    ledger.write_text(ledger.read_text(encoding="utf-8").replace('"GL-1"', '"ES-1"', 1))
    r = build_report(folder, "2026-03")
    err = r.errors[0]
    assert err.file == "safety_tools.json" and "breaks the ledger rules" in err.message
    assert err.column == "events[1]" and r.tools.reason.startswith("safety_tools.json")


# ----------------------------------------------------------------------------- months and options


def test_a_month_without_data_is_refused(tmp_path: Path) -> None:
    folder = write_station(tmp_path / "s")
    with pytest.raises(InputError, match=r"2026-02\.\.2026-03"):
        build_report(folder, "2026-05")
    with pytest.raises(InputError, match="is not a directory"):
        build_report(tmp_path / "nowhere", "2026-03")


def test_the_trend_can_be_shorter_and_a_report_of_february(tmp_path: Path) -> None:
    folder = write_station(tmp_path / "s")
    r = build_report(folder, Month(2026, 2), trend_months=1)
    assert r.trend_months == (Month(2026, 2),)
    row = r.kpi("line_loss_rate")
    assert row.month.value == Fraction(1, 25) and len(row.trend) == 1
    with pytest.raises(NotFoundError):
        r.kpi("nonsense")


def test_station_targets_file_and_scheme_file(tmp_path: Path) -> None:
    folder = write_station(tmp_path / "s")
    (folder / "targets.toml").write_text(
        '[[overrides]]\nmetric = "line_loss_rate_10kv"\ndefault_target = "C"\n', encoding="utf-8"
    )
    scheme = folder / "scheme.toml"
    scheme.write_text(
        'id = "mine"\nname = { zh = "本所方案" }\n[[rules]]\nid = "t.tickets"\n'
        'owner = "technician"\nkind = "kpi"\nname = { zh = "两票" }\n'
        'metric = "two_ticket_pass_rate"\ntarget_percent = "100"\nstep_percent = "1"\n'
        'deduction_per_step = "1"\npoints = "10"\n',
        encoding="utf-8",
    )
    r = build_report(folder, "2026-03", targets_file=folder / "targets.toml", scheme_file=scheme)
    assert str(r.kpi("line_loss_rate_10kv").target) == "<= 7.5%"
    assert r.scheme.id == "mine" and [s.owner for s in r.sheets] == ["technician"]
    # a check for a rule the scheme does not have is a warning, not an error
    assert any("unknown rule" in str(i) for i in r.issues)
    assert not r.errors


# ----------------------------------------------------------------------------- invariants

rows = st.lists(
    st.tuples(
        st.sampled_from(["A1", "A2", "A3"]),
        st.integers(min_value=0, max_value=10_000),
        st.integers(min_value=0, max_value=10_000),
    ),
    min_size=1,
    max_size=8,
    unique_by=lambda r: r[0],
)


@settings(max_examples=40, deadline=None)
@given(rows=rows, shuffle=st.randoms(use_true_random=False))
def test_area_loss_is_the_ratio_of_the_sums_in_any_order(
    tmp_path_factory: pytest.TempPathFactory, rows: list[tuple[str, int, int]], shuffle: object
) -> None:
    folder = tmp_path_factory.mktemp("prop")
    rows = list(rows)
    shuffle.shuffle(rows)  # type: ignore[attr-defined]
    text = "month,area,line,supplied_kwh,sold_kwh,customers\n" + "".join(
        f"2026-03,{a},L1,{s},{d},10\n" for a, s, d in rows
    )
    (folder / "areas.csv").write_text(text, encoding="utf-8")
    r = build_report(folder, "2026-03")
    supplied = sum(s for _, s, _ in rows)
    sold = sum(d for _, _, d in rows)
    got = r.kpi("line_loss_rate_lv").month
    if supplied == 0:
        assert got.value is None and "undefined" in got.reason
    else:
        assert got.value == Fraction(supplied - sold, supplied)
        assert bool(got.anomaly) == (sold > supplied)


def test_the_example_station_reports_without_issues() -> None:
    folder = Path(__file__).parent.parent / "examples" / "station"
    data = load_station(folder)
    assert not data.issues
    r = build_report(data, "2026-03")
    assert not r.gaps and not r.issues
    assert len(r.trend_months) == 12 and str(r.ytd_months[0]) == "2026-01"
    assert r.tools.overdue and r.tools.unusable and r.obligations.items
    assert r.kpi("rs3").trend[4].value is not None  # August 2025: the typhoon
    aug = r.kpi("rs3").trend[4]
    target = r.kpi("rs3").target
    assert target is not None and target.verdict(aug.value).status is VerdictStatus.MISSED
