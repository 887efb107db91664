"""The records engine and its kinds: worked examples of each kind's rules, hand-computed time
limits and figures, the shared store (files, chain, writers in several processes), the
obligations of open records, and the figures from the example station's records equal to the
same figures computed by the report from hand counts.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import multiprocessing
import shutil
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gdsmodel.errors import DataFileError, InputError, NotFoundError
from gdsmodel.periods import Month
from gdsmodel.sources import Confidence
from gdsmodel.standards.records.book import RecordBook
from gdsmodel.standards.records.chain import ChainBroken
from gdsmodel.standards.records.events import CODEC, RecordEvent, event_from_dict
from gdsmodel.standards.records.figures import counts_csv, figure_rows, monthly
from gdsmodel.standards.records.kinds import LimitUnit, add_limit, kind, kinds, load_kind
from gdsmodel.standards.records.machine import InvalidMove
from gdsmodel.standards.records.obligations import record_obligations
from gdsmodel.standards.records.sheets import import_sheet, read_sheet
from gdsmodel.standards.records.store import JsonStore

ROOT = Path(__file__).resolve().parents[1]
D = dt.date
CHECKS = ("filled_correctly", "signatures_complete", "safety_measures", "procedure_followed")


# ----------------------------------------------------------------------------- the kinds' data


def test_every_kind_cites_the_standard_and_marks_its_limits() -> None:
    from gdsmodel import load_standard

    std = load_standard()
    for k in kinds():
        for clause in k.clauses:
            std.clause(clause)  # an unknown clause raises
        assert k.sources
        for lim in k.limits:
            assert lim.clause in k.clauses
            if lim.confidence is Confidence.L:
                assert "default" in lim.note or "no source" in lim.note, (k.id, lim.id)
            else:
                assert lim.sources, (k.id, lim.id)


def test_the_high_voltage_connection_limits_are_the_domain_notes() -> None:
    k = kind("connection")
    assert k.limit("plan_reply").per_class == {"hv_single": 15, "hv_dual": 30, "lv": 7}
    assert k.limit("plan_reply").unit is LimitUnit.WORKING_DAYS
    assert [k.limit(x).days for x in ("design_review", "mid_check", "completion_inspection",
                                      "connection")] == [10, 5, 5, 5]  # fmt: skip
    assert all(k.limit(x).confidence is Confidence.M for x in ("plan_reply", "connection"))


def test_a_bad_kind_file_is_refused_with_its_place(tmp_path: Path) -> None:
    src = (ROOT / "src/gdsmodel/standards/records/data/defect.toml").read_text(encoding="utf-8")
    bad = tmp_path / "defect.toml"
    bad.write_text(src.replace('to = "handled"', 'to = "fixed"'), encoding="utf-8")
    with pytest.raises(DataFileError, match=r"moves\[2\]: unknown state 'fixed'") as exc:
        load_kind(bad)
    assert exc.value.file == str(bad)
    ok = tmp_path / "mine.toml"
    ok.write_text(src.replace("ordinary = 90", "ordinary = 30"), encoding="utf-8")
    assert load_kind(ok).limit("handling").days_for("ordinary") == 30


def test_a_station_overrides_a_limit_and_an_unknown_limit_is_refused() -> None:
    k = kind("request").with_limits({"reply": {"days": 3, "complaint": 2}})
    assert k.limit("reply").days_for("complaint") == 2
    assert k.limit("reply").days_for("consultation") == 1  # the shipped per-class value stays
    with pytest.raises(InputError, match="no such limit"):
        kind("request").with_limits({"answer": {"days": 3}})


def test_add_limit_boundaries() -> None:
    assert add_limit(D(2026, 3, 6), 5, LimitUnit.WORKING_DAYS) == D(2026, 3, 13)  # Fri -> Fri
    assert add_limit(D(2026, 3, 7), 1, LimitUnit.WORKING_DAYS) == D(2026, 3, 9)  # Sat -> Mon
    assert add_limit(D(2026, 3, 6), 0, LimitUnit.WORKING_DAYS) == D(2026, 3, 6)
    assert add_limit(D(2024, 2, 29), 12, LimitUnit.MONTHS) == D(2025, 2, 28)
    assert add_limit(D(2018, 1, 15), 96, LimitUnit.MONTHS) == D(2026, 1, 15)
    assert add_limit(D(2026, 1, 31), 30, LimitUnit.DAYS) == D(2026, 3, 2)


# ----------------------------------------------------------------------------- worked examples


def test_an_accident_closes_only_under_the_four_not_let_go_rule() -> None:
    book = RecordBook()
    book.add("accident", "A1", "report", D(2026, 3, 2), {"class": "accident", "description": "x"})
    with pytest.raises(InvalidMove) as exc:
        book.add("accident", "A1", "close", D(2026, 3, 3))
    assert exc.value.allowed == ("investigate",)
    book.add("accident", "A1", "investigate", D(2026, 3, 3))
    book.add("accident", "A1", "record", D(2026, 3, 5), {"cause": "绝缘老化", "measures": "更换"})
    with pytest.raises(InvalidMove, match="not yet recorded: responsible_dealt, staff_educated, "
                       "report_filed") as exc:  # fmt: skip
        book.add("accident", "A1", "close", D(2026, 3, 6))
    assert set(exc.value.allowed) == {"record", "file_report", "close"}
    book.add("accident", "A1", "record", D(2026, 3, 8),
             {"responsible_dealt": "考核", "staff_educated": "全所学习"})  # fmt: skip
    book.add("accident", "A1", "file_report", D(2026, 3, 9),
             {"report_filed": "是", "filed_to": "县公司"})  # fmt: skip
    s = book.add("accident", "A1", "close", D(2026, 3, 10))
    assert s.state == "closed"
    [clock] = s.clocks
    assert (clock.due, clock.stop, clock.in_time(), clock.took()) == (
        D(2026, 5, 1), D(2026, 3, 10), True, 8)  # accident: 60 days  # fmt: skip
    with pytest.raises(InvalidMove, match="allowed now: nothing"):
        book.add("accident", "A1", "record", D(2026, 3, 11), {"cause": "again"})


def test_a_request_is_owned_by_the_first_person_asked() -> None:
    book = RecordBook(people={"P05", "P06"})
    asked = {"class": "complaint", "customer": "李", "first_asked": "P06", "subject": "电压低"}
    s = book.add("request", "R1", "receive", D(2026, 3, 6), asked, by="P06")
    assert s.person == "P06" and s.owner == "customer_service_office"
    assert s.clocks[0].due == D(2026, 3, 13)  # 5 working days from a Friday
    book.add("request", "R1", "hand_off", D(2026, 3, 9), {"to_unit": "配电组"}, by="P06")
    with pytest.raises(InvalidMove, match=r"made by the first asked \(P06\), not P05"):
        book.add("request", "R1", "reply", D(2026, 3, 12), {"reply": "已处理"}, by="P05")
    s = book.add("request", "R1", "reply", D(2026, 3, 16), {"reply": "已处理"}, by="P06")
    assert s.clocks[0].in_time() is False  # replied on the Monday after the limit
    with pytest.raises(InputError, match="roster"):
        book.add("request", "R2", "receive", D(2026, 3, 6), {"class": "visit", "customer": "王",
                 "first_asked": "P99", "subject": "x"})  # fmt: skip
    c = book.add("request", "R3", "receive", D(2026, 3, 6), {"class": "consultation",
                 "customer": "王", "first_asked": "P05", "subject": "x"})  # fmt: skip
    assert c.clocks[0].due == D(2026, 3, 9)


def test_a_connection_needs_its_contract_and_times_each_stage() -> None:
    book = RecordBook()
    rid = "C1"
    book.add("connection", rid, "apply", D(2026, 3, 2), {"class": "hv_single", "customer": "厂"})
    s = book.state("connection", rid)
    assert s.clocks[0].due == D(2026, 3, 23)  # 15 working days
    book.add("connection", rid, "reply_plan", D(2026, 3, 20), {"plan": "10kV"})
    book.add("connection", rid, "submit_design", D(2026, 3, 25))
    book.add("connection", rid, "review_design", D(2026, 4, 10))  # 12 working days: late
    book.add("connection", rid, "report_completion", D(2026, 5, 4))
    book.add("connection", rid, "inspect", D(2026, 5, 8))
    with pytest.raises(InvalidMove, match="not yet recorded: contract_signed"):
        book.add("connection", rid, "connect", D(2026, 5, 11), {"meter": "M1"})
    with pytest.raises(InputError, match="not a date"):
        book.add("connection", rid, "sign_contract", D(2026, 5, 9), {"contract_signed": "soon"})
    book.add("connection", rid, "sign_contract", D(2026, 5, 9), {"contract_signed": "2026-05-09"})
    s = book.add("connection", rid, "connect", D(2026, 5, 11), {"meter": "M1"})
    took = {c.limit: (c.took(), c.in_time()) for c in s.clocks}
    assert took == {
        "plan_reply": (18, True),
        "design_review": (16, False),
        "completion_inspection": (4, True),
        "connection": (3, True),
    }
    rows = monthly(figure_rows(kind("connection"), [s], today=D(2026, 6, 1)))
    assert [(str(r.month), r.scope, dict(r.inputs)) for r in rows] == [
        ("2026-03", "plan_reply", {"in_time": 1, "stages": 1}),
        ("2026-04", "design_review", {"in_time": 0, "stages": 1}),
        ("2026-05", "completion_inspection", {"in_time": 1, "stages": 1}),
        ("2026-05", "connection", {"in_time": 1, "stages": 1}),
    ]


def test_a_defect_is_due_by_its_class_and_closed_with_evidence() -> None:
    book = RecordBook()
    f = {"class": "ordinary", "equipment": "L01", "found_on": "patrol", "description": "x"}
    s = book.add("defect", "D1", "find", D(2026, 3, 1), f)
    assert s.clocks[0].due == D(2026, 5, 30)
    s = book.add("defect", "D1", "reclass", D(2026, 3, 2), {"class": "major"})
    assert s.clocks[0].due == D(2026, 3, 8)  # due again from the day found
    book.add("defect", "D1", "handle", D(2026, 3, 9), {"handling": "ok"})
    with pytest.raises(InvalidMove, match="requires evidence"):
        book.add("defect", "D1", "close", D(2026, 3, 9))
    s = book.add("defect", "D1", "close", D(2026, 3, 10), {"evidence": "photo"})
    assert s.state == "closed" and s.clocks[0].in_time() is False
    with pytest.raises(InputError, match="not one of the choices"):
        book.add("defect", "D2", "find", D(2026, 3, 1), {**f, "found_on": "dream"})


def _ticket(book: RecordBook, rid: str, cls: str, checks: tuple[bool, ...], day: D) -> str:
    book.add("ticket", rid, "issue", day, {"class": cls, "number": rid, "task": "x"})
    book.add("ticket", rid, "start", day)
    book.add("ticket", rid, "end", day)
    values = {c: "true" if ok else "false" for c, ok in zip(CHECKS, checks, strict=True)}
    return book.add("ticket", rid, "review", day + dt.timedelta(days=1), values).state


def test_two_ticket_pass_rate_from_tickets() -> None:
    book = RecordBook()
    ok, bad = (True,) * 4, (True, True, False, True)
    assert _ticket(book, "W1", "work", ok, D(2026, 3, 2)) == "qualified"
    assert _ticket(book, "W2", "work", bad, D(2026, 3, 3)) == "unqualified"
    assert _ticket(book, "W3", "work", ok, D(2026, 3, 31)) == "qualified"  # reviewed in April
    assert _ticket(book, "O1", "operation", ok, D(2026, 3, 4)) == "qualified"
    book.add("ticket", "O2", "issue", D(2026, 3, 5), {"class": "operation", "number": "O2",
             "task": "x"})  # fmt: skip
    book.add("ticket", "O2", "cancel", D(2026, 3, 5), {"reason": "改期"})
    with pytest.raises(InvalidMove, match="allowed now: nothing"):
        book.add("ticket", "O2", "review", D(2026, 3, 6), dict.fromkeys(CHECKS, "true"))
    book.add("ticket", "O3", "issue", D(2026, 3, 5), {"class": "operation", "number": "O3",
             "task": "x"})  # fmt: skip
    with pytest.raises(InvalidMove, match="not allowed when issued"):
        book.add("ticket", "O3", "review", D(2026, 3, 6), dict.fromkeys(CHECKS, "true"))
    rows = monthly(figure_rows(kind("ticket"), book.states(), today=D(2026, 5, 1)))
    got = {(str(r.month), r.scope): dict(r.inputs) for r in rows}
    assert got == {
        ("2026-03", "operation"): {"qualified": 1, "total": 1},
        ("2026-03", "work"): {"qualified": 1, "total": 2},
        ("2026-04", "work"): {"qualified": 1, "total": 1},
    }
    from gdsmodel.metrics.registry import metric

    total = metric("two_ticket_pass_rate").total(
        r.inputs for r in rows if str(r.month) == "2026-03"
    )
    assert total.value == Fraction(2, 3)


def test_meter_verification_runs_one_clock_after_another() -> None:
    book = RecordBook()
    book.add("meter", "M1", "install", D(2018, 1, 15),
             {"class": "single_phase", "customer": "户1", "meter": "E1"})  # fmt: skip
    s = book.add("meter", "M1", "rotate", D(2026, 2, 1), {"new_meter": "E2"})
    first, second = s.clocks
    assert (first.due, first.stop, first.in_time()) == (D(2026, 1, 15), D(2026, 2, 1), False)
    assert (second.start, second.due, second.running) == (D(2026, 2, 1), D(2034, 2, 1), True)
    book.add("meter", "M2", "install", D(2021, 3, 1),
             {"class": "three_phase", "customer": "户2", "meter": "E3"})  # fmt: skip
    rows = figure_rows(kind("meter"), book.states(), today=D(2026, 3, 2))
    assert [(r.record, str(r.month), dict(r.inputs)) for r in rows] == [
        ("M1", "2026-02", {"on_schedule": 0, "due": 1}),
        ("M2", "2026-03", {"on_schedule": 0, "due": 1}),  # due 2026-03-01, overdue the next day
    ]
    assert figure_rows(kind("meter"), book.states(), today=D(2026, 3, 1))[1:] == []


def test_a_shortage_starts_the_replenishing_clock() -> None:
    book = RecordBook()
    book.add("spare_part", "S1", "stock", D(2026, 1, 5),
             {"class": "line", "item": "导线", "quantity": "10", "minimum": "5"})  # fmt: skip
    s = book.add("spare_part", "S1", "check", D(2026, 3, 1), {"quantity": "3", "sufficient": "no"})
    assert s.state == "short"
    assert {c.limit: (c.due, c.stop) for c in s.clocks} == {
        "check": (D(2026, 6, 1), None),
        "replenish": (D(2026, 3, 31), None),
    }
    s = book.add("spare_part", "S1", "replenish", D(2026, 3, 20), {"quantity": "15"})
    [replenish] = [c for c in s.clocks if c.limit == "replenish"]
    assert s.state == "stocked" and replenish.in_time() is True
    with pytest.raises(InputError, match="not a whole number"):
        book.add("spare_part", "S1", "use", D(2026, 3, 21), {"quantity": "many", "sufficient": "y"})


def test_training_per_person_from_the_roster() -> None:
    book = RecordBook(people={"P01", "P02"})
    with pytest.raises(InputError, match="roster"):
        book.add("training", "T9", "enrol", D(2026, 3, 2),
                 {"class": "safety_rules", "person": "P09", "course": "安规"})  # fmt: skip
    book.add("training", "T1", "enrol", D(2026, 3, 2),
             {"class": "safety_rules", "person": "P01", "course": "安规"})  # fmt: skip
    book.add("training", "T1", "attend", D(2026, 3, 10), {"hours": "16"})
    s = book.add("training", "T1", "examine", D(2026, 3, 20), {"passed": "no", "score": "60"})
    assert s.state == "failed" and s.clocks[0].running
    s = book.add("training", "T1", "examine", D(2026, 5, 5), {"passed": "yes", "score": "88"})
    assert s.state == "passed" and s.person == "P01"
    assert s.clocks[0].in_time() is False  # due 2026-05-01


def test_someone_leaving_the_roster_leaves_their_records_readable(tmp_path: Path) -> None:
    path = tmp_path / "records.sqlite"
    with RecordBook.open(path, people={"P01", "P02"}) as book:
        book.add("training", "T1", "enrol", D(2026, 3, 2),
                 {"class": "safety_rules", "person": "P01", "course": "安规"})  # fmt: skip
    with RecordBook.open(path, people={"P02"}) as book:  # P01 left
        assert book.state("training", "T1").person == "P01"
        with pytest.raises(InputError, match="roster"):
            book.add("training", "T2", "enrol", D(2026, 3, 2),
                     {"class": "safety_rules", "person": "P01", "course": "安规"})  # fmt: skip
        with pytest.raises(InputError, match="by='P01': not a person of the station's roster"):
            book.add("training", "T1", "attend", D(2026, 3, 9), by="P01")


# ----------------------------------------------------------------------------- obligations


def test_open_records_are_obligations_of_their_post_and_person() -> None:
    book = RecordBook()
    book.add("request", "R1", "receive", D(2026, 3, 2), {"class": "complaint", "customer": "李",
             "first_asked": "P06", "subject": "x"})  # fmt: skip
    book.add("defect", "D1", "find", D(2026, 3, 25), {"class": "major", "equipment": "T",
             "found_on": "test", "description": "x"})  # fmt: skip
    book.add("defect", "D2", "find", D(2026, 1, 5), {"class": "emergency", "equipment": "T",
             "found_on": "test", "description": "x"})  # fmt: skip
    book.add("defect", "D2", "handle", D(2026, 1, 5), {"handling": "ok"})
    march = record_obligations(book.states(), book.specs, Month(2026, 3), today=D(2026, 3, 31))
    assert [(o.owner, o.note) for o in march] == [
        ("customer_service_office", "request R1 (P06): reply due 2026-03-09, overdue"),
        ("technician", "defect D1: handling due 2026-04-01"),
    ]
    assert march[0].clause == "customer_service_office.duty.5"
    april = record_obligations(book.states(), book.specs, Month(2026, 4), today=D(2026, 4, 2))
    assert [o.note.endswith("overdue") for o in april] == [True, True]  # still in April's list
    mine = record_obligations(book.states(), book.specs, Month(2026, 3), today=D(2026, 3, 31),
                              person="P06")  # fmt: skip
    assert [o.owner for o in mine] == ["customer_service_office"]
    assert record_obligations(book.states(), book.specs, Month(2026, 3), today=D(2026, 3, 31),
                              owner="safety_officer") == ()  # fmt: skip
    assert [d.record for d in book.overdue(D(2026, 3, 31))] == ["R1"]


# ----------------------------------------------------------------------------- the store


@pytest.mark.parametrize("name", ["records.sqlite", "records.json"])
def test_a_book_keeps_its_records_and_refuses_nothing_twice(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    a = RecordBook.open(path)
    b = RecordBook.open(path)
    f = {"class": "major", "equipment": "T", "found_on": "test", "description": "x"}
    a.add("defect", "D1", "find", D(2026, 3, 2), f)
    b.add("defect", "D1", "handle", D(2026, 3, 3), {"handling": "ok"})  # b reads a's first
    with pytest.raises(InvalidMove, match="not allowed when handled"):
        a.add("defect", "D1", "handle", D(2026, 3, 4), {"handling": "again"})
    a.close()
    b.close()
    again = RecordBook.open(path)
    assert [e.move for e in again.events()] == ["find", "handle"]
    assert again.integrity() == "ok"
    again.close()


def test_a_changed_event_breaks_the_chain(tmp_path: Path) -> None:
    path = tmp_path / "records.json"
    book = RecordBook.open(path)
    _ticket(book, "W1", "work", (True,) * 4, D(2026, 3, 2))
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"signatures_complete": "true"', '"signatures_complete": "yes"'),
                    encoding="utf-8")  # fmt: skip
    with pytest.raises(ChainBroken) as exc:
        RecordBook.open(path)
    assert exc.value.seq == 4


def test_a_records_file_is_not_a_tool_ledger_and_back(tmp_path: Path) -> None:
    from gdsmodel.standards.safety_tools import Ledger

    path = tmp_path / "records.json"
    RecordBook.open(path).close()
    assert json.loads(path.read_text(encoding="utf-8"))["format"] == "gdsmodel-records"
    with pytest.raises(DataFileError, match="not a safety-tool ledger"):
        Ledger.open(path)
    tools = tmp_path / "tools.json"
    Ledger.open(tools).close()
    with pytest.raises(DataFileError, match="not a records file"):
        RecordBook.open(tools)
    assert JsonStore(path, codec=CODEC).load() == []


def test_a_stored_event_that_is_not_an_event_is_located(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match=r"\$\.on: not a date"):
        event_from_dict({"kind": "meter", "record": "M1", "move": "install", "on": "yesterday"})
    path = tmp_path / "records.json"
    path.write_text('{"format": "gdsmodel-records", "version": 2, "events": [{"kind": 1}]}',
                    encoding="utf-8")  # fmt: skip
    with pytest.raises(DataFileError, match=r"events\[0\]"):
        RecordBook.open(path)


def _writer(path: str, n: int) -> None:
    book = RecordBook.open(path)
    for i in range(25):
        book.add("defect", f"D{n}-{i}", "find", D(2026, 3, 2), {"class": "ordinary",
                 "equipment": "T", "found_on": "patrol", "description": "x"})  # fmt: skip
    book.close()


def test_writers_in_several_processes_lose_nothing(tmp_path: Path) -> None:
    path = str(tmp_path / "records.sqlite")
    RecordBook.open(path).close()
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(path, n)) for n in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    book = RecordBook.open(path)
    assert len(book.states("defect")) == 75 and book.integrity() == "ok"


def test_unknown_kinds_and_records_name_what_is_known() -> None:
    book = RecordBook()
    with pytest.raises(NotFoundError, match="record kind"):
        book.add("weather", "X", "rain", D(2026, 1, 1))
    with pytest.raises(NotFoundError):
        book.state("defect", "D404")
    with pytest.raises(InvalidMove, match="has no move 'fly'"):
        book.add("defect", "D1", "fly", D(2026, 1, 1))
    with pytest.raises(InputError, match="record ID"):
        RecordEvent(kind="defect", record="a/b", move="find", on=D(2026, 1, 1))


# ----------------------------------------------------------------------------- sheets


def test_a_sheet_imports_all_or_nothing_with_located_errors(tmp_path: Path) -> None:
    sheet = tmp_path / "defects.csv"
    sheet.write_text(
        "record,move,date,class,equipment,found_on,description,handling,evidence\n"
        "D1,find,2026-03-02,major,T-3,patrol,oil,,\n"
        "D1,handle,2026-03-04,,,,,done,\n"
        "D2,find,2026-03-02,huge,T-4,patrol,oil,,\n"
        "D1,close,03/05/2026,,,,,,photo\n",
        encoding="utf-8",
    )
    book = RecordBook()
    _events, problems = read_sheet(sheet, "defect", book)
    assert [(p.line, p.path) for p in problems] == [(4, "class"), (5, "date")]
    with pytest.raises(DataFileError):
        import_sheet(sheet, "defect", book)
    assert book.events() == []
    sheet.write_text("record,move,date,colour\nD1,find,2026-03-02,red\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="unknown column 'colour'") as exc:
        read_sheet(sheet, "defect", book)
    assert (exc.value.line, exc.value.path) == (1, "colour")


def test_an_excel_sheet_is_read_like_a_csv(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["record", "move", "date", "class", "number", "task"])
    ws.append(["W1", "issue", dt.datetime(2026, 3, 2), "work", "W1", "检修"])
    ws.append(["W1", "start", dt.datetime(2026, 3, 1), None, None, None])
    path = tmp_path / "tickets.xlsx"
    wb.save(path)
    book = RecordBook()
    events, problems = read_sheet(path, "ticket", book)
    assert len(events) == 1 and [(p.line, p.path) for p in problems] == [(3, "date")]


def test_a_sheet_is_read_by_the_station_table_reader(tmp_path: Path) -> None:
    """A BOM is no part of the first column; a formula without a saved value is named."""
    openpyxl = pytest.importorskip("openpyxl")
    csv_sheet = tmp_path / "tickets.csv"
    csv_sheet.write_text(
        "record,move,date,class,number,task\nW1,issue,2026-03-02,work,W1,检修\n",
        encoding="utf-8-sig",
    )
    events, problems = read_sheet(csv_sheet, "ticket", RecordBook())
    assert len(events) == 1 and problems == []
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["record", "move", "date", "class", "number", "task"])
    ws.append(["W1", "issue", "=TODAY()", "work", "W1", "检修"])
    path = tmp_path / "tickets.xlsx"
    wb.save(path)  # openpyxl saves no value of a formula
    events, problems = read_sheet(path, "ticket", RecordBook())
    assert events == [] and [(p.line, p.path) for p in problems] == [(2, "date")]
    assert "'=TODAY()' has no saved value" in problems[0].message
    wb = openpyxl.Workbook()
    wb.active.append(["record", "move", "date", "class", "number", "task"])
    wb.active.append(["W1", "issue", dt.datetime(2026, 3, 2, 14, 30), "work", "W1", "检修"])
    wb.save(path)
    events, problems = read_sheet(path, "ticket", RecordBook())
    assert [e.on for e in events] == [dt.date(2026, 3, 2)] and problems == []


# ----------------------------------------------------------------------------- the example


def _example_book() -> RecordBook:
    return RecordBook.open(ROOT / "examples/station/records.json", create=False)


def test_the_example_has_late_refused_and_unqualified_records() -> None:
    book = _example_book()
    today = D(2026, 4, 1)
    assert {k.id for k in kinds()} == {s.kind for s in book.states()}
    assert book.states("ticket", state="unqualified")
    assert book.states("ticket", state="cancelled")
    assert book.states("connection", state="withdrawn")
    assert book.states("training", state="failed") or any(
        len([h for h in s.history if h.move == "examine"]) > 1 for s in book.states("training")
    )
    late = [c for s in book.states() for c in s.clocks if c.in_time() is False]
    assert {s.kind for s in book.states() for c in s.clocks if c.in_time() is False} >= {
        "request", "defect", "accident", "meter"}  # fmt: skip
    assert late and book.overdue(today)
    book.close()


def test_figures_from_records_equal_the_report_from_hand_counts(tmp_path: Path) -> None:
    """The ticket records counted by hand into tickets.csv give the report the same two-ticket
    pass rate, month by month and per type, as the figures computed from the records."""
    from gdsmodel.cli.records import figures_table
    from gdsmodel.report.compute import build_report

    book = _example_book()
    today = D(2026, 4, 1)
    rows = monthly(figure_rows(book.spec("ticket"), book.states("ticket"), today=today))
    from_records = {
        (r["month"], r["scope"]): r["value"]
        for r in figures_table(book, today=today)
        if r["metric"] == "two_ticket_pass_rate"
    }
    station = tmp_path / "station"
    shutil.copytree(ROOT / "examples/station", station)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["month", "type", "total", "qualified"])
    for r in rows:  # the hand count: one line per month and type
        w.writerow([str(r.month), r.scope, r.inputs["total"], r.inputs["qualified"]])
    assert counts_csv(book.spec("ticket"), book.states("ticket"), today=today) == buf.getvalue()
    (station / "tickets.csv").write_text(buf.getvalue(), encoding="utf-8")
    report = build_report(station, "2026-03")
    for scope in ("work", "operation"):
        row = report.kpi("two_ticket_pass_rate", scope)
        for month, value in zip(report.trend_months, row.trend, strict=True):
            assert row.format(value) == from_records[(str(month), scope)], (month, scope)
    assert len(from_records) == 24


@given(st.lists(st.booleans(), min_size=1, max_size=400))
@settings(max_examples=30, deadline=None)
def test_figures_of_two_parts_add_up_to_the_figures_of_the_whole(split: list[bool]) -> None:
    """Figures are additive: the records split in two (two stations, two halves of a year)
    give rows whose sums are the rows of all the records; rates are only divided at the end."""
    today = D(2026, 4, 1)
    for spec in kinds():
        states = _EXAMPLE.states(spec.id)
        left = [s for i, s in enumerate(states) if split[i % len(split)]]
        right = [s for i, s in enumerate(states) if not split[i % len(split)]]
        whole = monthly(figure_rows(spec, states, today=today))
        parts = monthly([*figure_rows(spec, left, today=today),
                         *figure_rows(spec, right, today=today)])  # fmt: skip
        assert parts == whole
        summed: dict[tuple[str, str, str], dict[str, int]] = {}
        for r in [*monthly(figure_rows(spec, left, today=today)),
                  *monthly(figure_rows(spec, right, today=today))]:  # fmt: skip
            acc = summed.setdefault((r.metric, str(r.month), r.scope), {})
            for k, v in r.inputs.items():
                acc[k] = acc.get(k, 0) + v
        assert summed == {(r.metric, str(r.month), r.scope): dict(r.inputs) for r in whole}


_EXAMPLE = RecordBook.open(ROOT / "examples/station/records.json", create=False)


def test_the_docs_limits_table_is_the_data() -> None:
    text = (ROOT / "docs/records.md").read_text(encoding="utf-8")
    table = text.split("<!-- limits-table -->")[1].split("<!-- /limits-table -->")[0]
    rows = [[c.strip() for c in line.strip("|").split("|")] for line in table.strip().splitlines()]
    want = []
    for k in kinds():
        for lim in k.limits:
            per = ", ".join(f"{c} {d}" for c, d in lim.per_class.items()) or "—"
            default = str(lim.days) if lim.days is not None else "—"
            want.append([f"`{k.id}`", f"`{lim.id}`", ", ".join(lim.start), ", ".join(lim.stop),
                         lim.unit.value, default, per, lim.confidence.value])  # fmt: skip
    assert rows[2:] == want
