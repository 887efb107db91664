"""``gdsmodel areas`` and the station folder's area files (example station, located errors)."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

from gdsmodel.cli import main
from gdsmodel.errors import DataFileError
from gdsmodel.metrics.areas import AreaClass, NonComputable
from gdsmodel.metrics.areas.station import area_section

STATION = Path(__file__).resolve().parent.parent / "examples" / "station"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["areas", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_example_station_has_a_few_areas_of_each_class() -> None:
    s = area_section(STATION, "2026-03")
    for k in AreaClass:
        assert 1 <= len(s.of_class(k)) <= 5 or k is AreaClass.QUALIFIED
    reasons = {r.classification.reason for r in s.of_class(AreaClass.NON_COMPUTABLE)}
    assert reasons == {
        NonComputable.NO_SUPPLY_READING,
        NonComputable.LOW_COLLECTION,
        NonComputable.ARCHIVE_MISMATCH,
    }
    assert [m for m, _ in s.trend][-1] == s.month
    assert s.counts.areas == len(s.rows)


def test_a_transformer_overloads_in_summer() -> None:
    summer = area_section(STATION, "2025-07")
    assert len(summer.overload) == 1 and summer.overload[0].flagged
    march = area_section(STATION, "2026-03")
    assert march.overload == () and len(march.heavy_load) == 1
    assert march.low_voltage is not None and march.low_voltage.customers
    assert len(march.unbalance) == 1


def test_list_by_class_as_text_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, str(STATION), "--month", "2026-03", "--class", "high_loss")
    assert code == 0
    assert "台区线损合格率" in out and out.count("high_loss") == 3
    code, out, _ = run(capsys, str(STATION), "--month", "2026-03", "--json", "--events")
    data = json.loads(out)
    assert code == 0 and len(data["areas"]) == 60
    assert data["counts"]["qualified"] == sum(a["class"] == "qualified" for a in data["areas"])
    assert data["events"]["heavy_load"][0]["flagged"] is True
    nc = [a for a in data["areas"] if a["class"] == "non_computable"]
    assert all(a["reason"] and a["loss"] is None for a in nc)


def test_exit_codes(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as bad_month:
        main(["areas", str(STATION), "--month", "2026-13"])
    assert bad_month.value.code == 2 and "usage:" in capsys.readouterr().err
    assert run(capsys, str(STATION), "--month", "2026-03", "--area", "nope")[0] == 3
    assert run(capsys, str(STATION), "--month", "2026-03", "--type", "island")[0] == 3
    assert run(capsys, str(STATION), "--month", "2019-01")[0] == 3
    code, _, err = run(capsys, str(tmp_path), "--month", "2026-03")
    assert code == 1 and "area_days.csv" in err and "Traceback" not in err
    with pytest.raises(SystemExit) as exc:
        main(["areas", str(STATION), "--month", "2026-03", "--class", "bogus"])
    assert exc.value.code == 2
    capsys.readouterr()


def test_a_bad_cell_names_file_line_and_column(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "s"
    folder.mkdir()
    lines = (STATION / "area_days.csv").read_text(encoding="utf-8").splitlines()
    cells = lines[5].split(",")
    cells[6] = "-3"  # sold_kwh
    lines[5] = ",".join(cells)
    (folder / "area_days.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataFileError) as exc:
        area_section(folder, "2026-03")
    assert exc.value.line == 6 and exc.value.path == "sold_kwh"
    code, _, err = run(capsys, str(folder), "--month", "2026-03")
    assert code == 1 and "line 6" in err and "sold_kwh" in err


def test_station_rules_change_the_classes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text('[[area_types]]\nid = "rural"\nqualified_max = "5"\n', encoding="utf-8")
    code, out, _ = run(capsys, str(STATION), "--month", "2026-03", "--json", "--rules", str(rules))
    strict = json.loads(out)["counts"]["high_loss"]
    code2, out2, _ = run(capsys, str(STATION), "--month", "2026-03", "--json")
    assert code == code2 == 0 and strict > json.loads(out2)["counts"]["high_loss"]


def test_the_report_has_the_transformer_area_section() -> None:
    from gdsmodel.report.areas import build_areas_section
    from gdsmodel.report.compute import build_report
    from gdsmodel.report.layout import Chart, Table, build_document
    from gdsmodel.report.sections import extra_sections

    report = build_report(STATION, "2026-03")
    doc = build_document(report, extra=extra_sections())
    ids = [s.id for s in doc.sections]
    assert ids.index("areas") == ids.index("line_loss") + 1
    section = build_areas_section(report)
    assert section is not None
    charts = [b for b in section.blocks if isinstance(b, Chart)]
    assert charts[0].categories[-1] == "2026-03"
    assert [s.values[-1] for s in charts[0].series] == [52.0, 3.0, 2.0, 3.0]
    tables = {b.title.en: b for b in section.blocks if isinstance(b, Table)}
    assert len(tables["High- and negative-loss areas"].rows) == 5
    assert len(tables["Non-computable areas"].rows) == 3


def test_the_high_loss_areas_say_who_answers_for_them(tmp_path: Path) -> None:
    import shutil

    from gdsmodel.organisation import load_organisation
    from gdsmodel.organisation.staff import ScopeKind
    from gdsmodel.periods import Month
    from gdsmodel.report.areas import answering_for_areas, build_areas_section
    from gdsmodel.report.compute import build_report
    from gdsmodel.report.layout import Table

    who = answering_for_areas(STATION, Month(2026, 3))
    org = load_organisation(STATION)
    day = datetime.date(2026, 3, 31)
    for r in org.responsibilities:  # every area holder of the low-voltage loss on 31 March
        if (
            r.scope is ScopeKind.AREA
            and r.covers("line_loss_rate_lv")
            and r.effective.contains(day)
        ):
            assert org.roster.person(r.person).name in who[r.target]
    section = build_areas_section(build_report(STATION, "2026-03"))
    assert section is not None
    [bad] = [b for b in section.blocks if isinstance(b, Table) and b.title.en.startswith("High")]
    assert bad.headers[-1].en == "answered for by"
    assert all(row[-1].text.zh == who[row[0].text.zh] for row in bad.rows)
    # a folder without responsibility.csv keeps the table as it was
    copy = tmp_path / "s"
    shutil.copytree(STATION, copy)
    (copy / "responsibility.csv").unlink()
    assert answering_for_areas(copy, Month(2026, 3)) == {}
    plain = build_areas_section(build_report(copy, "2026-03"))
    assert plain is not None
    [bad] = [b for b in plain.blocks if isinstance(b, Table) and b.title.en.startswith("High")]
    assert bad.headers[-1].en == "high-loss days"
