"""Extending the report as docs/adding-a-kpi.md says: a KPI from a definition file (and, when
it needs a new input column, that column's declaration), and a new section; each shows in
every renderer without a line of report code."""

from __future__ import annotations

import io
import json
from fractions import Fraction
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gdsmodel.metrics.registry import load_definitions, load_registry
from gdsmodel.periods import Month
from gdsmodel.report import FORMATS, Report, build_report, load_station, render
from gdsmodel.report.columns import ColumnKind, column
from gdsmodel.report.layout import Paragraph, Section, SectionSpec, build_document
from gdsmodel.report.records import FileSchema
from gdsmodel.report.render_json import report_data
from gdsmodel.report.render_text import render_text
from gdsmodel.text import Text
from test_report_fixtures import write_station

# A KPI over columns that exist: the share of meters not read (billing.csv).
UNREAD = """\
format = "gdsmodel.kpis/1"

[[metrics]]
id = "unread_meter_rate"
group = "billing"
name = { zh = "未抄率", en = "Unread meter rate" }
formula = '\\frac{N_{\\mathrm{due}} - N_{\\mathrm{read}}}{N_{\\mathrm{due}}}'
unit = "%"
direction = "lower"
inputs = ["due", "read"]
numerator = { due = 1, read = -1 }
denominator = { due = 1 }
bounded = true
confidence = "M"
default_target = "station"
[[metrics.targets]]
id = "station"
value = "1"
confidence = "M"
source = { document = "a test" }
[metrics.report]
order = 65
table = "billing"
inputs = { due = "meters_due", read = "meters_read" }
chart = 9
"""

# A KPI that needs a new input column: smart meters per area, from a new file (meters.csv).
SMART = """\
format = "gdsmodel.kpis/1"

[[metrics]]
id = "smart_meter_share"
group = "billing"
name = { zh = "智能电表覆盖率", en = "Smart meter share" }
formula = '\\frac{N_{\\mathrm{smart}}}{N}'
unit = "%"
direction = "higher"
inputs = ["smart", "meters"]
numerator = { smart = 1 }
denominator = { meters = 1 }
bounded = true
confidence = "M"
[metrics.report]
order = 66
table = "meters"
kind = "stock"
inputs = { smart = "smart_meters", meters = "meters" }
"""


@attrs.frozen(slots=True, kw_only=True)
class MeterRecord:
    """Meters of one area at a month's end (a table declared in the test)."""

    row: int
    month: Month = column("月份", ColumnKind.MONTH)  # noqa: RUF009
    area: str = column("台区", ColumnKind.ID)
    meters: int = column("电表数", ColumnKind.COUNT, "meters")
    smart_meters: int = column("智能电表数", ColumnKind.COUNT, "meters")


METERS = FileSchema(stem="meters", title=Text("电表", "Meters"), record=MeterRecord,
                    key=("month", "area"), optional=True)  # fmt: skip


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    root = tmp_path_factory.mktemp("extend")
    folder = write_station(root / "station")
    (folder / "meters.csv").write_text(
        "month,area,meters,smart_meters\n2026-03,A1,100,80\n2026-03,A2,50,45\n2026-02,A1,100,70\n",
        encoding="utf-8",
    )
    (root / "unread.toml").write_text(UNREAD, encoding="utf-8")
    (root / "smart.toml").write_text(SMART, encoding="utf-8")
    registry = load_registry(extra=[root / "unread.toml", root / "smart.toml"])
    data = load_station(folder, extra_files=[METERS])
    return build_report(data, "2026-03", registry=registry)


def test_a_kpi_from_a_definition_file_is_computed_as_a_ratio_of_sums(report: Report) -> None:
    row = report.kpi("unread_meter_rate")
    assert row.month.value == Fraction(1, 150)  # (150 - 149) / 150
    assert row.trend[0].value == Fraction(1, 150)  # February: (150 - 149) / 150
    assert row.ytd is not None and row.ytd.value == Fraction(2, 300)
    assert row.verdict is not None and row.verdict.met  # 0.67 % <= 1 %
    order = [str(r.key) for r in report.kpis]
    assert order.index("meter_reading_rate") < order.index("unread_meter_rate")
    assert order.index("unread_meter_rate") < order.index("reading_error_rate")


def test_a_kpi_over_a_new_column_of_a_declared_file(report: Report) -> None:
    row = report.kpi("smart_meter_share")
    assert row.month.value == Fraction(125, 150)
    assert row.trend[0].value == Fraction(70, 100)
    assert row.ytd is None  # a stock has no year to date


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_new_kpis_show_in_every_renderer(report: Report, fmt: str) -> None:
    if fmt == "excel":
        openpyxl = pytest.importorskip("openpyxl")
        data = render(report, "excel", "both")
        assert isinstance(data, bytes)
        wb = openpyxl.load_workbook(io.BytesIO(data))
        shown = "\n".join(
            str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row
        )
    else:
        out = render(report, fmt, "both")
        assert isinstance(out, str)
        shown = out
    for name in ("未抄率", "Unread meter rate", "智能电表覆盖率", "Smart meter share"):
        assert name in shown, (fmt, name)
    assert "0.67%" in shown or fmt == "excel"  # Excel holds the number, formatted as percent
    if fmt == "html":
        assert 'id="trend-unread_meter_rate"' in shown  # chart = 9 draws its trend


def test_the_json_carries_the_new_kpi_as_data_and_in_its_sections(report: Report) -> None:
    data = json.loads(json.dumps(report_data(report)))
    kpi = next(k for k in data["kpis"] if k["key"] == "unread_meter_rate")
    assert kpi["month"]["exact"] == "1/150" and kpi["verdict"] == "met"
    kpis = next(s for s in data["sections"] if s["id"] == "kpis")
    labels = [row[0]["text"]["en"] for row in kpis["blocks"][0]["rows"]]
    assert "Unread meter rate" in labels


def test_a_definition_file_that_is_wrong_names_the_file_and_the_key(tmp_path: Path) -> None:
    from gdsmodel.errors import DataFileError

    bad = tmp_path / "bad.toml"
    bad.write_text(UNREAD.replace('kind = "stock"\n', "").replace("order = 65", 'order = "x"'))
    with pytest.raises(DataFileError, match=r"bad\.toml"):
        load_definitions(bad)


def test_a_kpi_naming_an_unknown_column_is_a_gap_that_says_which(tmp_path: Path) -> None:
    (tmp_path / "k.toml").write_text(UNREAD.replace('"meters_due"', '"meters_owed"'))
    folder = write_station(tmp_path / "station")
    r = build_report(folder, "2026-03", registry=load_registry(extra=[tmp_path / "k.toml"]))
    reason = r.kpi("unread_meter_rate").month.reason
    assert "meters_owed" in reason and "meters_due" in reason  # what is wrong, what is allowed
    assert any(g.part.en == "Unread meter rate" for g in r.gaps)


def test_a_section_added_with_a_section_spec_shows_everywhere(report: Report) -> None:
    hello = SectionSpec(
        id="hello",
        after="voltage",
        build=lambda r: Section(
            id="hello",
            title=Text("你好", "Hello"),
            blocks=(Paragraph(Text(f"{r.station.zh} 的问候", f"greetings from {r.station.en}")),),
        ),
    )
    doc = build_document(report, extra=(hello,))
    ids = [s.id for s in doc.sections]
    assert ids.index("hello") == ids.index("voltage") + 1
    assert "greetings from Test station" in render_text(doc, "en")
    sections = report_data(report, doc)["sections"]
    assert sections[ids.index("hello")]["blocks"][0]["text"]["zh"] == "测试供电所 的问候"


def test_a_section_that_fails_says_why_and_the_report_goes_on(report: Report) -> None:
    from gdsmodel.errors import InputError

    def broken(r: Report) -> Section | None:
        raise InputError("no such data", name="month", value=str(r.month))

    doc = build_document(
        report, extra=(SectionSpec(id="x", after="kpis", build=broken, title=Text("某", "X")),)
    )
    text = render_text(doc, "en")
    assert "Not computed: month='2026-03': no such data" in text and "Data issues" in text


counts = st.tuples(st.integers(0, 500), st.integers(0, 500))
areas = st.lists(st.tuples(counts, counts), min_size=1, max_size=8)  # (February, March)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(areas=areas)
def test_every_registry_kpi_is_the_ratio_of_the_sums_of_its_columns(
    tmp_path: Path, areas: list[tuple[tuple[int, int], tuple[int, int]]]
) -> None:
    """Whatever the rows: the month's value sums the month's rows and divides once, and the
    year to date sums both months (never a mean of the areas' or months' rates)."""
    lines = ["month,area,meters_due,meters_read,reading_errors,billed_yuan,collected_yuan"]
    due = {"2026-02": 0, "2026-03": 0}
    read = {"2026-02": 0, "2026-03": 0}
    for i, pair in enumerate(areas):
        for month, (a, b) in zip(("2026-02", "2026-03"), pair, strict=True):
            lines.append(f"{month},A{i},{max(a, b)},{min(a, b)},0,1.00,1.00")
            due[month] += max(a, b)
            read[month] += min(a, b)
    folder = tmp_path / "p"
    folder.mkdir(exist_ok=True)
    (folder / "billing.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = build_report(folder, "2026-03")
    row = report.kpi("meter_reading_rate")
    march = Fraction(read["2026-03"], due["2026-03"]) if due["2026-03"] else None
    assert row.month.value == march
    total = due["2026-02"] + due["2026-03"]
    assert row.ytd is not None
    assert row.ytd.value == (Fraction(read["2026-02"] + read["2026-03"], total) if total else None)
