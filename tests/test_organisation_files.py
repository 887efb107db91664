"""staff.csv and responsibility.csv: located errors, Excel, the JSON Schema; the CLI."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gdsmodel.cli import main
from gdsmodel.organisation.example import roster_files
from gdsmodel.organisation.files import (
    PEOPLE_CHECKS,
    RESPONSIBILITY,
    STAFF,
    json_schema,
    load_organisation,
)
from gdsmodel.organisation.staff import ScopeKind
from gdsmodel.periods import Month

STAFF_HEADER = "person,name,contact,holds,start,end,note\n"
RESP_HEADER = "person,scope,target,start,end,kpis,note\n"


def _write(folder: Path, staff: str, resp: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "staff.csv").write_text(STAFF_HEADER + staff, encoding="utf-8")
    if resp:
        (folder / "responsibility.csv").write_text(RESP_HEADER + resp, encoding="utf-8")
    return folder


def _errors(folder: Path) -> list[tuple[str | None, int | None, str | None]]:
    return [(e.file, e.row, e.column) for e in load_organisation(folder).errors]


def test_every_bad_staff_row_gets_a_located_error(tmp_path: Path) -> None:
    folder = _write(
        tmp_path,
        "P01,王强,,technician,2025-01-01,,\n"  # row 2: fine
        "P02,李明,,plumber,2025-01-01,,\n"  # row 3: unknown role
        "P03,赵四,,meter_reader,2025-13-01,,\n"  # row 4: not a day
        "P04,钱五,,meter_reader,2025-03-01,2025-03-01,\n"  # row 5: end not after start
        "P01,王刚,,meter_reader,2025-01-01,,\n"  # row 6: another name for P01
        ",孙六,,meter_reader,2025-01-01,,\n"  # row 7: no ID
        "P01,王强,,technician,2025-06-01,,\n"  # row 8: P01 holds it already
        "P05,周七,,meter_reader,2025年3月1日,,\n",  # row 9: fine (Chinese date)
    )
    assert _errors(folder) == [
        ("staff.csv", 4, "start"),
        ("staff.csv", 5, "end"),
        ("staff.csv", 7, "person"),
        ("staff.csv", 3, "holds"),
        ("staff.csv", 6, "name"),
        ("staff.csv", 8, "start"),
    ]
    org = load_organisation(folder)
    assert [p.id for p in org.roster.people] == ["P01", "P05"]
    assert org.roster.assignments[-1].start == dt.date(2025, 3, 1)
    msgs = [str(e) for e in org.errors]
    assert msgs[0] == (
        "staff.csv: row 4, column start: '2025-13-01' is not a day "
        "(allowed: a day such as 2026-03-11 or 2026年3月11日)"
    )
    assert "named '王刚' here and '王强' in row 2" in msgs[4]


def test_every_bad_responsibility_row_gets_a_located_error(tmp_path: Path) -> None:
    folder = _write(
        tmp_path,
        "P01,王强,,transformer_area_manager,2025-01-01,,\nP02,李明,,technician,2025-01-01,,\n",
        "P01,area,A1,2025-01-01,,,\n"  # row 2: fine
        "P09,area,A2,2025-01-01,,,\n"  # row 3: unknown person
        "P01,pond,A2,2025-01-01,,,\n"  # row 4: unknown scope
        "P01,台区,A2,2025-01-01,,line_loss_rate_lv nonsense_rate,\n"  # row 5: unknown KPI
        "P02,area,A3,2025-01-01,,,\n"  # row 6: a technician answers for lines, not areas
        "P01,area,A1,2025-02-01,,,\n"  # row 7: overlaps row 2
        "P01,area,A9,2025-01-01,,,\n",  # row 8: not an area of the station
    )
    org = load_organisation(folder)
    assert [(e.row, e.column) for e in org.errors] == [(4, "scope"), (3, "person"), (5, "kpis")]
    found = org.check([Month(2025, 3)], {ScopeKind.AREA: {"A1", "A2", "A3"}})
    located = [(e.row, e.column, e.warning) for e in found]
    assert (6, "person", False) in located  # unfit
    assert (7, "start", False) in located  # overlap
    assert (8, "target", False) in located  # unknown area
    assert (None, None, True) in located  # A2: a gap, a warning
    assert any("area A2 in 2025-03" in str(e) for e in found)


def test_headers_may_be_chinese_and_files_excel(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["人员编号", "姓名", "岗位", "开始日期", "结束日期"])
    ws.append(["P01", "王强", "meter_reader", dt.datetime(2025, 1, 1), None])
    ws.append(["P02", "李明", "collector", "2025-02-30", None])
    wb.save(tmp_path / "staff.xlsx")
    org = load_organisation(tmp_path)
    assert [p.name for p in org.roster.people] == ["王强"]
    assert [(e.file, e.row, e.column) for e in org.errors] == [("staff.xlsx", 3, "start")]
    (tmp_path / "responsibility.csv").write_text("\ufeffperson,scope\nP01,area\n", "utf-8")
    org = load_organisation(tmp_path)
    assert [(e.file, e.row, e.column) for e in org.errors][-1] == (
        "responsibility.csv",
        1,
        "start",
    )


def test_the_json_schema_accepts_the_example_rows_and_rejects_bad_ones() -> None:
    import jsonschema

    for spec in (STAFF, RESPONSIBILITY, PEOPLE_CHECKS):
        schema = json_schema(spec)
        jsonschema.Draft202012Validator.check_schema(schema)
        assert set(schema["properties"]) == {c.name for c in spec.columns}
    staff = jsonschema.Draft202012Validator(
        json_schema(STAFF), format_checker=jsonschema.FormatChecker()
    )
    assert staff.is_valid(
        {"person": "P01", "name": "王强", "holds": "technician", "start": "2025-01-01"}
    )
    assert not staff.is_valid({"person": "P01", "name": "王强", "holds": "technician"})
    assert not staff.is_valid(
        {"person": "P 01", "name": "x", "holds": "technician", "start": "2025-01-01"}
    )
    resp = jsonschema.Draft202012Validator(json_schema(RESPONSIBILITY))
    assert not resp.is_valid(
        {"person": "P1", "scope": "pond", "target": "A1", "start": "2025-01-01"}
    )


def test_the_docs_show_the_schemas_of_the_files() -> None:
    docs = (Path(__file__).resolve().parent.parent / "docs" / "organisation.md").read_text("utf-8")
    for spec in (STAFF, RESPONSIBILITY, PEOPLE_CHECKS):
        block = json.dumps(json_schema(spec), ensure_ascii=False, indent=2)
        assert block in docs, spec.stem


def test_the_example_roster_is_deterministic_and_has_a_mid_month_handover() -> None:
    areas = {f"L{i:02d}-{k:02d}": f"L{i:02d}" for i in range(1, 13) for k in range(1, 6)}
    span = [Month(2025, 4)]
    for _ in range(11):
        span.append(span[-1].next())
    a = roster_files(areas, span, random.Random("x"))
    assert a == roster_files(areas, span, random.Random("x"))
    assert a != roster_files(areas, span, random.Random("y"))
    people = {line.split(",")[0] for line in a["staff.csv"].splitlines()[1:]}
    assert 24 <= len(people) <= 27
    handovers = [line for line in a["responsibility.csv"].splitlines() if "2025-10-16" in line]
    assert handovers and all(",area," in line for line in handovers)


# ---------------------------------------------------------------- the command line


@pytest.fixture(scope="module")
def station(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from gdsmodel.report.example import generate_station

    folder = tmp_path_factory.mktemp("org") / "station"
    generate_station(folder, months=3, first=Month(2026, 1))
    if not (folder / "staff.csv").exists():  # the generator of the example roster
        from gdsmodel.report.inputs import load_station

        data = load_station(folder)
        files = roster_files(
            {r.area: r.line for r in data.areas.records}, data.months, random.Random(1)
        )
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_gdsmodel_staff_shows_the_chart_and_a_person(
    station: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["staff", "--station", str(station), "--on", "2026-02-20", "--json"]) == 0
    chart = {e["holds"]: e for e in json.loads(capsys.readouterr().out)["chart"]}
    assert len(chart["transformer_area_manager"]["people"]) == 8
    assert {p["id"] for p in chart["revenue_group"]["people"]} >= {"P08", "P09", "P21"}
    assert main(["staff", "--station", str(station), "--person", "P21"]) == 0
    out = capsys.readouterr().out
    assert "meter_reader" in out and "2026-02-16" in out
    assert main(["staff", "--station", str(station), "--person", "P99"]) == 3


def test_gdsmodel_staff_exits_1_on_a_bad_row_without_traceback(
    station: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil

    bad = tmp_path / "bad"
    shutil.copytree(station, bad)
    with open(bad / "staff.csv", "a", encoding="utf-8") as f:
        f.write("P30,新人,,janitor,2026-01-01,,\n")
    assert main(["staff", "--station", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "staff.csv: row" in err and "column holds" in err and "Traceback" not in err
    assert main(["staff", "--station", str(tmp_path / "none")]) == 1


def test_gdsmodel_assess_close_amend_history_year(
    station: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil

    folder = tmp_path / "s"
    shutil.copytree(station, folder)
    s = ["--station", str(folder)]
    assert main(["assess", *s, "--month", "2026-02", "--person", "P21", "--json"]) == 0
    sheet = json.loads(capsys.readouterr().out)["sheets"][0]
    assert sheet["holds"] == ["transformer_area_manager", "meter_reader"]
    assert main(["assess", *s, "--month", "2026-02", "--person", "P99"]) == 3
    assert main(["assess", *s]) == 2
    capsys.readouterr()
    assert main(["assess", *s, "close", "2026-02", "--on", "2026-03-05"]) == 0
    archived = (folder / "assessment" / "2026-02" / "sheets.json").read_bytes()
    assert main(["assess", *s, "close", "2026-02", "--on", "2026-03-06"]) == 1
    assert "closed already" in capsys.readouterr().err
    assert (
        main(
            [
                "assess",
                *s,
                "amend",
                "2026-02",
                "--person",
                "P21",
                "--reason",
                "更正",
                "--on",
                "2026-03-10",
            ]
        )
        == 0
    )
    assert "amended P21" in capsys.readouterr().out
    assert main(["assess", *s, "amend", "2026-01", "--person", "P21", "--reason", "x"]) == 3
    assert main(["assess", *s, "history", "2026-02", "--person", "P21", "--json"]) == 0
    history = json.loads(capsys.readouterr().out)
    assert [v["reason"] for v in history] == ["closed", "更正"]
    assert (folder / "assessment" / "2026-02" / "sheets.json").read_bytes() == archived
    assert main(["assess", *s, "--month", "2026-02", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["status"].startswith("closed on 2026-03-05")
    assert main(["assess", *s, "year", "2026", "--json"]) == 0
    year = json.loads(capsys.readouterr().out)
    assert year["closed_months"] == ["2026-02"] and year["ranking"][0]["rank"] == 1
    with pytest.raises(SystemExit) as usage:
        main(["assess", *s, "--month", "banana"])
    assert usage.value.code == 2


def test_gdsmodel_calendar_person_writes_ics(
    station: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ics = tmp_path / "p02.ics"
    args = ["calendar", "2026-03", "--station", str(station), "--person", "P02"]
    assert main([*args, "--ics", str(ics)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("P02 ") and "safety_officer" in out
    text = ics.read_text(encoding="utf-8")
    assert "BEGIN:VEVENT" in text and "safety_officer" in text and "technician." not in text
    assert main([*args, "--json"]) == 0
    items = json.loads(capsys.readouterr().out)
    assert {i["owner"] for i in items} == {"safety_officer"}
    assert main(["calendar", "2026-03", "--station", str(station), "--person", "P99"]) == 3


def test_the_monthly_report_has_a_section_per_person_and_group(station: Path) -> None:
    from gdsmodel.report import build_report, render

    out = render(build_report(station, Month(2026, 2)), "text", "both", width=200)
    assert isinstance(out, str)
    text = out
    assert "人员与考核 / People and assessment" in text
    people = text[text.index("People and assessment") :]
    assert "distribution_group" in people and "P21" in people
    assert "电能实抄率" in people and "Actual meter-reading" in people  # a KPI by its name
    assert "is open: sheets computed from the station's files" in people
    assert "Year-end ranking" not in people  # nothing closed yet


def test_the_report_shows_the_archived_sheets_and_the_ranking_of_closed_months(
    station: Path, tmp_path: Path
) -> None:
    import shutil

    from gdsmodel.report import build_report, render

    folder = tmp_path / "s"
    shutil.copytree(station, folder)
    assert main(["assess", "--station", str(folder), "close", "2026-01", "--on", "2026-02-03"]) == 0
    out = render(build_report(folder, Month(2026, 1)), "text", "en", width=200)
    assert isinstance(out, str)
    people = out[out.index("People and assessment") :]
    assert "2026-01 closed on 2026-02-03" in people
    assert "Year-end ranking (closed months 2026-01)" in people


_NASTY = [
    "",
    "banana",
    "2026-02",
    "2026-13",
    "2026/07/01",
    "2026-03-05",
    "9999-12-31",
    "P21",
    "P99",
    "revenue_group",
    "-1",
    "9" * 500,
    "=1+1",
    "\x1b[31m",
    "名字",
    "station",
    "a-directory",
    "/dev/full",
    "2026",
]
_COMMANDS = [
    (["staff"], ["--station", "--on", "--person", "--month", "--json"]),
    (["assess"], ["--station", "--month", "--person", "--json", "--scheme"]),
    (["assess", "close"], ["--station", "--on", "--no-excel", "--force", "--json"]),
    (["assess", "amend"], ["--station", "--person", "--reason", "--on"]),
    (["assess", "history"], ["--station", "--person", "--json"]),
    (["assess", "year"], ["--station", "--json"]),
    (["calendar", "2026-03"], ["--station", "--person", "--post", "--json"]),
]


@st.composite
def _argv(draw: st.DrawFn) -> list[str]:
    words, options = draw(st.sampled_from(_COMMANDS))
    argv = list(words)
    for _ in range(draw(st.integers(0, 5))):
        if draw(st.booleans()):
            argv.append(draw(st.sampled_from(options)))
        argv.append(draw(st.sampled_from(_NASTY)))
    return argv


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(argv=_argv())
def test_hostile_arguments_end_in_a_documented_exit_code_without_traceback(
    argv: list[str],
    station: Path,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import shutil

    work = tmp_path_factory.mktemp("hostile")
    shutil.copytree(station, work / "station")
    (work / "a-directory").mkdir()
    monkeypatch.chdir(work)
    try:
        code = main(argv)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 2
    err = capsys.readouterr().err
    assert code in {0, 1, 2, 3}, (argv, code, err)
    assert "Traceback" not in err and "internal error" not in err, (argv, err)


def test_people_checks_score_the_check_rules_and_bad_rows_are_located(tmp_path: Path) -> None:
    folder = _write(
        tmp_path,
        "P01,王强,,rural_electrician,2025-01-01,,\nP02,李明,,meter_reader,2025-01-01,,\n",
    )
    (folder / "people_checks.csv").write_text(
        "month,person,rule,passed,note\n"
        "2026-03,P01,rural_electrician.safety_check,no,登杆未系安全带\n"  # row 2: fine
        "2026-03,P02,rural_electrician.safety_check,yes,\n"  # row 3: not a rural electrician
        "2026-03,P09,rural_electrician.safety_check,yes,\n"  # row 4: nobody
        "2026-03,distribution_group,distribution_group.safety_check,合格,\n"  # row 5: fine
        "2026-03,P01,no_such_rule,yes,\n"  # row 6: unknown rule
        "2026-13,P01,rural_electrician.safety_check,yes,\n"  # row 7: not a month
        "2026-03,P01,rural_electrician.safety_check,yes,\n"  # row 8: twice
        "2026-04,P01,rural_electrician.safety_check,maybe,\n",  # row 9: not yes or no
        encoding="utf-8",
    )
    org = load_organisation(folder)
    assert [(e.row, e.column) for e in org.errors] == [
        (7, "month"),
        (9, "passed"),
        (3, "rule"),
        (4, "person"),
        (6, "rule"),
        (8, "rule"),
    ]
    march = org.checks_for(Month(2026, 3))
    assert march["P01"]["rural_electrician.safety_check"].passed is False
    assert march["distribution_group"]["distribution_group.safety_check"].passed is True
    from gdsmodel.organisation.station import assess_station_month

    a = assess_station_month(org, {}, Month(2026, 3))
    sheet = a.person("P01")
    (item,) = [i for i in sheet.sheet.items if i.rule == "rural_electrician.safety_check"]
    assert (item.available, item.score, item.note) == (20, 0, "登杆未系安全带")
    assert sheet.missed == ("rural_electrician.safety_check: failed",)
