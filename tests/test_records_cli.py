"""``gdsmodel records``: every action of every kind, JSON output, exit codes, located errors,
no traceback on bad input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from gdsmodel.cli import main
from gdsmodel.standards.records.kinds import kinds

ROOT = Path(__file__).resolve().parents[1]


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 2
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def test_kinds_lists_every_kind_and_the_safety_tools(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _cli(capsys, "records", "kinds", "--json")
    data = json.loads(out)
    assert code == 0
    assert [k["id"] for k in data] == [*(k.id for k in kinds()), "safety_tools"]
    assert data[2]["limits"][0] == {"id": "plan_reply", "days": None, "unit": "working_days",
        "per_class": {"hv_single": 15, "hv_dual": 30, "lv": 7}, "confidence": "M"}  # fmt: skip


def test_a_record_from_add_to_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    st = ["--station", str(tmp_path)]
    code, _, err = _cli(capsys, "records", "defect", "list", *st)
    assert code == 1 and "no records store" in err
    code, out, _ = _cli(capsys, "records", "defect", "add", "D1", "--date", "2026-03-02",
        "--set", "class=major", "--set", "equipment=T-3", "--set", "found_on=patrol",
        "--set", "description=oil", "--json", *st)  # fmt: skip
    assert code == 0 and json.loads(out)["clocks"][0]["due"] == "2026-03-09"
    assert (tmp_path / "records.sqlite").exists()
    code, _, err = _cli(capsys, "records", "defect", "move", "D1", "close", "--date",
                        "2026-03-03", *st)  # fmt: skip
    assert code == 1 and "allowed now: reclass, handle" in err
    code, _, err = _cli(capsys, "records", "defect", "move", "D1", "handle", "--date",
                        "2026-03-03", "--set", "colour=red", *st)  # fmt: skip
    assert code == 1 and "does not record colour" in err
    code, out, _ = _cli(capsys, "records", "defect", "list", "--overdue", "--today",
                        "2026-03-10", "--json", *st)  # fmt: skip
    assert code == 1 and [r["record"] for r in json.loads(out)] == ["D1"]
    code, out, _ = _cli(capsys, "records", "due", "--today", "2026-03-10", "--json", *st)
    assert code == 1 and json.loads(out)[0]["owner"] == "technician"
    code, out, _ = _cli(capsys, "records", "due", "--month", "2026-03", "--today", "2026-03-10",
                        "--json", *st)  # fmt: skip
    assert code == 1 and json.loads(out) == [{"clause": "technician.standard.1",
        "owner": "technician", "window": "2026-03-02/2026-03-10",
        "text": {"zh": "设备缺陷 D1: 消缺时限", "en": "Equipment defects D1: handled within"},
        "note": "defect D1: handling due 2026-03-09, overdue", "overdue": True}]  # fmt: skip
    code, out, _ = _cli(capsys, "records", "defect", "show", "D1", "--today", "2026-03-05",
                        "--lang", "en", *st)  # fmt: skip
    assert code == 0 and "allowed now: reclass, handle" in out
    code, _, err = _cli(capsys, "records", "defect", "show", "D404", *st)
    assert code == 3
    code, out, _ = _cli(capsys, "records", "defect", "export", *st)
    assert out.splitlines()[0].startswith("record,move,date,by,note,class,")
    assert out.splitlines()[1].startswith("D1,find,2026-03-02,,,major,")
    code, out, _ = _cli(capsys, "records", "defect", "export", "--json", *st)
    assert json.loads(out)[0]["move"] == "find"


def test_import_reports_every_problem_and_stores_none(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = tmp_path / "t.csv"
    sheet.write_text("record,move,date,class,number,task\nW1,issue,2026-03-02,work,W1,x\n"
                     "W2,issue,2026-03-02,boat,W2,x\nW1,end,2026-03-03,,,\n",
                     encoding="utf-8")  # fmt: skip
    st = ["--station", str(tmp_path)]
    code, _, err = _cli(capsys, "records", "ticket", "import", str(sheet), *st)
    assert code == 1
    assert f"{sheet}: line 3: class:" in err and f"{sheet}: line 4: move:" in err
    assert "nothing imported (2 problems)" in err
    sheet.write_text("record,move,date,class,number,task\nW1,issue,2026-03-02,work,W1,x\n",
                     encoding="utf-8")  # fmt: skip
    code, out, _ = _cli(capsys, "records", "ticket", "import", str(sheet), "--json", *st)
    assert code == 0 and json.loads(out) == {"events": 1, "stored": True}


def test_the_example_station_figures(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    station = tmp_path / "station"
    shutil.copytree(ROOT / "examples/station", station)
    st = ["--station", str(station)]
    code, out, _ = _cli(capsys, "records", "figures", "--today", "2026-04-01", "--month",
                        "2026-03", "--json", *st)  # fmt: skip
    rows = json.loads(out)
    assert code == 0
    metrics = {r["metric"] for r in rows}
    assert {"two_ticket_pass_rate", "requests_answered_in_time_rate",
            "defects_handled_in_time_rate"} <= metrics  # fmt: skip
    code, _, err = _cli(capsys, "records", "ticket", "export", "--counts", "--today",
                        "2026-04-01", "-o", str(station / "tickets.csv"), *st)  # fmt: skip
    assert code == 0 and "monthly counts" in err
    lines = (station / "tickets.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "month,type,total,qualified" and len(lines) == 25
    code, _, err = _cli(capsys, "records", "defect", "export", "--counts", *st)
    assert code == 1 and "hand count" in err
    code, _, err = _cli(capsys, "records", "figures", "--month", "2026-13", *st)
    assert code == 2
    code, out, _ = _cli(capsys, "records", "training", "list", "--json", *st)
    assert code == 0 and len(json.loads(out)) == 25
    code, _, err = _cli(capsys, "records", "training", "add", "T-X", "--date", "2026-03-02",
                        "--set", "class=safety_rules", "--set", "person=P77",
                        "--set", "course=安规", *st)  # fmt: skip
    assert code == 1 and "roster" in err


@pytest.mark.parametrize("kind_id", [k.id for k in kinds()])
def test_every_kind_has_every_action(kind_id: str, capsys: pytest.CaptureFixture[str]) -> None:
    for action in ("add", "move", "list", "show", "export", "import"):
        code, out, _ = _cli(capsys, "records", kind_id, action, "--help")
        assert code == 0 and "--json" in out


def _record_commands() -> list[tuple[tuple[str, ...], list[str]]]:
    import argparse

    from gdsmodel.cli import build_parser

    def walk(
        parser: argparse.ArgumentParser, prefix: tuple[str, ...]
    ) -> list[tuple[tuple[str, ...], list[str]]]:
        subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        opts = [s for a in parser._actions for s in a.option_strings if s not in ("-h", "--help")]
        if not subs:
            return [(prefix, opts)]
        return [c for a in subs for n, p in a.choices.items() for c in walk(p, (*prefix, n))]

    return [c for c in walk(build_parser(), ()) if c[0][0] == "records"]


RECORD_COMMANDS = _record_commands()
NASTY = ["", "D1", "DEF-001", "ＤＥＦ－００１", "a/b", "2026-13-01", "2026-03-02", "class=major",
         "class", "=1+1", "colour=red", "found_on=dream", "P02", "P99", "9" * 400, "\x1b[31m",
         "a-directory", "/dev/full", "missing/x.csv", "station", "records.json", "close",
         "handle", "find", "名字"]  # fmt: skip


def test_random_record_commands_never_end_in_a_traceback(
    tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    work = tmp_path_factory.mktemp("records-cli")
    shutil.copytree(ROOT / "examples/station", work / "station")
    (work / "a-directory").mkdir()

    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        words, options = data.draw(st.sampled_from(RECORD_COMMANDS))
        argv = list(words)
        for _ in range(data.draw(st.integers(0, 5))):
            if options and data.draw(st.booleans()):
                argv.append(data.draw(st.sampled_from(options)))
            argv.append(data.draw(st.one_of(st.sampled_from(NASTY), st.text(max_size=8))))
        import os

        old = os.getcwd()
        os.chdir(work / "station")
        try:
            try:
                code = main(argv)
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 2
        finally:
            os.chdir(old)
        err = capsys.readouterr().err
        assert code in {0, 1, 2, 3}, argv
        assert "internal error" not in err and "Traceback" not in err, (argv, err)

    run()


def test_a_station_sets_its_own_limits(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    st = ["--station", str(tmp_path)]
    (tmp_path / "records.toml").write_text(
        "[limits.defect.handling]\nmajor = 3\n", encoding="utf-8"
    )
    code, out, _ = _cli(capsys, "records", "kinds", "--json", *st)
    defect = next(k for k in json.loads(out) if k["id"] == "defect")
    assert defect["limits"][0]["per_class"]["major"] == 3
    code, out, _ = _cli(capsys, "records", "defect", "add", "D1", "--date", "2026-03-02",
        "--set", "class=major", "--set", "equipment=T-3", "--set", "found_on=patrol",
        "--set", "description=oil", "--json", *st)  # fmt: skip
    assert json.loads(out)["clocks"][0]["due"] == "2026-03-05"
    (tmp_path / "records.toml").write_text("[limits.defect.handling]\nhuge = 3\n", encoding="utf-8")
    code, _, err = _cli(capsys, "records", "defect", "list", *st)
    assert code == 1 and "records.toml: limits.defect.handling.huge: unknown class 'huge'" in err
    (tmp_path / "records.toml").write_text("[kinds]\ndefect = 'mine.toml'\n", encoding="utf-8")
    code, _, err = _cli(capsys, "records", "defect", "list", *st)
    assert code == 1 and "mine.toml" in err
