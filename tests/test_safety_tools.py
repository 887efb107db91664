"""Tests of gdsmodel.standards.safety_tools: the rule, the catalogue, due dates, the ledger,
its files and the command line. The random-sequence state machine is in
test_safety_tools_machine.py, the crash test in test_safety_tools_crash.py."""

from __future__ import annotations

import calendar
import doctest
import json
import re
import sqlite3
import unicodedata
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gdsmodel.cli import main
from gdsmodel.errors import DataFileError, GdsmodelError, InputError, NotFoundError
from gdsmodel.sources import Confidence
from gdsmodel.standards.safety_tools import (
    PRINCIPLES,
    SOURCE_CLAUSE,
    STATION_EDITION,
    Condition,
    DiscrepancyKind,
    DueReason,
    DuplicateSerial,
    InvalidOperation,
    Ledger,
    Operation,
    Sighting,
    StoreError,
    TestPurpose,
    add_interval,
    default_catalogue,
    editions,
    event_from_dict,
    event_to_dict,
    format_interval,
    kits,
    load_kits,
    load_tool_kinds,
    next_due,
    parse_interval,
    principle,
    tool_kind,
    tool_kinds,
)
from gdsmodel.standards.safety_tools import store as store_module
from gdsmodel.standards.safety_tools.state import fold

SOURCE_TEXT = Path(__file__).parent / "data" / "station-job-standards.zh.txt"
D = date


class Span:
    """A stand-in for gdsmodel.periods.Period: a half-open span with pendulum start and end."""

    def __init__(self, start: date, end: date) -> None:
        self.start = pendulum.datetime(start.year, start.month, start.day, tz="Asia/Shanghai")
        self.end = pendulum.datetime(end.year, end.month, end.day, tz="Asia/Shanghai")


# =========================================================================== the 32-character rule


def _source_phrase() -> str:
    text = unicodedata.normalize("NFKC", SOURCE_TEXT.read_text(encoding="utf-8"))
    line = next(ln for ln in text.splitlines() if "32字原则" in ln)
    assert line.startswith("6、")  # safety officer standard 6
    return re.search(r"[“\"]([^”\"]+)[”\"]的32字原则", line).group(1)  # type: ignore[union-attr]


def test_principles_are_the_32_characters_of_the_source_in_order() -> None:
    phrases = _source_phrase().split("、")
    assert [p.text.zh for p in PRINCIPLES] == phrases
    joined = "".join(p.text.zh for p in PRINCIPLES)
    assert len(joined) == 32
    assert joined == _source_phrase().replace("、", "")
    assert all(len(p.text.zh) == 4 for p in PRINCIPLES)
    assert [p.number for p in PRINCIPLES] == list(range(1, 9))
    assert SOURCE_CLAUSE == "safety_officer.standard.6"


def test_principles_have_english_and_real_operations() -> None:
    assert [p.text.en for p in PRINCIPLES] == [
        "select the best when buying",
        "equip by need",
        "register in the ledger",
        "test periodically",
        "seal and repair the defective",
        "replenish what is missing",
        "use correctly",
        "store properly",
    ]
    served = set()
    for p in PRINCIPLES:
        assert p.operations, p.id
        assert p.explanation.zh and p.explanation.en
        for op in p.operations:
            assert callable(getattr(Ledger, op.value)), op  # each names a Ledger method
            served.add(op)
    # every operation and query of the ledger serves at least one principle
    assert served == set(Operation)
    assert len({p.id for p in PRINCIPLES}) == 8


def test_principle_lookup() -> None:
    assert principle("store_properly").text.zh == "妥善保管"
    with pytest.raises(NotFoundError, match="principle"):
        principle("buy_cheap")


# =========================================================================== catalogue

# interval (ISO) and confidence per the domain notes, DL/T 1476-2015 edition
EXPECTED = {
    "insulating_gloves": ("P6M", "H"),
    "insulating_boots": ("P6M", "H"),
    "electroscope": ("P1Y", "M"),
    "operating_rod": ("P1Y", "H"),
    "earthing_set": ("P5Y", "M"),
    "personal_earthing_lead": ("P5Y", "L"),
    "insulating_mat": ("P1Y", "L"),
    "insulating_barrier": ("P1Y", "M"),
    "insulating_cover": ("P1Y", "M"),
    "phase_checker": ("P1Y", "L"),
    "insulating_ladder": ("P6M", "H"),
    "wooden_ladder": ("P6M", "H"),
    "safety_belt": ("P1Y", "L"),
    "climbing_irons": ("P1Y", "L"),
    "climbing_board": ("P1Y", "L"),
    "safety_helmet": ("", "H"),
}


def test_every_kind_of_the_notes_with_interval_and_confidence() -> None:
    kinds = {k.id: k for k in tool_kinds()}
    assert set(kinds) == set(EXPECTED)
    for kid, (interval, conf) in EXPECTED.items():
        k = kinds[kid]
        assert format_interval(k.test_interval) == interval, kid
        assert k.confidence is Confidence(conf), kid
        assert k.source.document == "DL/T 1476-2015" and k.edition == "dlt1476-2015"
        assert k.name.zh and k.name.en
        if k.test_interval is not None:
            assert isinstance(k.test_interval, pendulum.Duration)
            assert k.test_interval.remaining_days == 0


def test_older_edition_and_fallback() -> None:
    assert [e.id for e in editions()] == ["dlt1476-2015", "rules-2002"]
    old = default_catalogue("rules-2002")
    for kid in ("safety_belt", "climbing_irons", "climbing_board"):
        k = old.kind(kid)
        assert format_interval(k.test_interval) == "P6M"
        assert format_interval(k.visual_check_interval) == "P1M"
        assert k.source.edition == "2002" and k.edition == "rules-2002"
    assert old.kind("climbing_irons").tests[0].applied == "980 N"
    assert old.kind("climbing_board").tests[0].applied == "2205 N"
    assert old.kind("safety_belt").tests[0].applied == "2205 N / 1470 N"
    gloves = old.kind("insulating_gloves")  # no older value recorded: the 2015 rule applies
    assert gloves.edition == "dlt1476-2015" and "no separate value" in gloves.source.note
    with pytest.raises(NotFoundError, match="edition"):
        default_catalogue("dlt1476-2023")


def test_test_values_and_helmet_service_life() -> None:
    hv = tool_kind("insulating_gloves").tests_for("high_voltage")
    assert [(t.applied, t.duration, t.limit) for t in hv] == [
        ("8 kV", "1 min", "leakage current ≤ 9 mA")
    ]
    assert tool_kind("insulating_gloves").tests_for("low_voltage")[0].limit.endswith("2.5 mA")
    assert [t.applied for t in tool_kind("electroscope").tests] == ["45 kV", "95 kV", "220 kV"]
    assert "25 kV" in tool_kind("insulating_boots").tests[0].notes  # the conflict is recorded
    assert "6 months" in tool_kind("insulating_mat").notes
    helmet = tool_kind("safety_helmet")
    assert helmet.test_interval is None
    assert {k: format_interval(v) for k, v in helmet.service_life.items()} == {
        "woven": "P2Y",
        "plastic": "P2Y6M",
        "paper_rubber": "P2Y6M",
        "glass_fibre": "P3Y6M",
        "rubber": "P3Y6M",
    }
    assert format_interval(helmet.after_service_life_interval) == "P1Y"
    with pytest.raises(NotFoundError, match="tool kind"):
        tool_kind("hammer")


def test_kind_rating_check() -> None:
    assert tool_kind("electroscope").check_rating("110kV") == "110kV"
    with pytest.raises(InputError, match="10kV, 35kV, 110kV"):
        tool_kind("electroscope").check_rating("")
    assert tool_kind("earthing_set").check_rating("anything") == "anything"


@given(st.integers(0, 20), st.integers(0, 11))
def test_interval_text_round_trip(years: int, months: int) -> None:
    if years == months == 0:
        with pytest.raises(InputError):
            parse_interval("P0Y0M")
        return
    d = pendulum.duration(years=years, months=months)
    text = format_interval(d)
    assert parse_interval(text) == d
    assert format_interval(parse_interval(text)) == text


@pytest.mark.parametrize("bad", ["", "6M", "P6D", "P1W", "P-1M", "6 months", "P1Y6M2D", "P"])
def test_bad_interval_text(bad: str) -> None:
    with pytest.raises(InputError, match="P6M"):
        parse_interval(bad)


# --------------------------------------------------------------------------- station files


def _write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_station_file_overrides_and_extends(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "station.toml",
        """
edition = "rules-2002"

[[kinds]]
id = "insulating_mat"
test_interval = "P6M"
source = { document = "Station rule 12", edition = "2024", clause = "3.2" }
confidence = "M"
notes = "station follows the 6-month source"

[[kinds]]
id = "insulating_stool"
name = { zh = "绝缘凳", en = "insulating stool" }
category = "insulating"
test_interval = "P6M"
source = { document = "Station rule 12" }
confidence = "L"

[[kinds]]
id = "safety_helmet"
test_interval = "P1Y"
source = { document = "Station rule 12" }
confidence = "L"
""",
    )
    cat = load_tool_kinds(path)
    assert cat.edition == "rules-2002" and cat.files == (str(path),)
    mat = cat.kind("insulating_mat")
    assert format_interval(mat.test_interval) == "P6M"
    assert mat.edition == STATION_EDITION and mat.source.document == "Station rule 12"
    assert mat.tests == tool_kind("insulating_mat").tests  # fields not given stay
    assert mat.ratings == ("high_voltage", "low_voltage")
    stool = cat.kind("insulating_stool")
    assert stool.name.zh == "绝缘凳" and cat.ids()[-1] == "insulating_stool"
    helmet = cat.kind("safety_helmet")  # an interval replaces the service life
    assert format_interval(helmet.test_interval) == "P1Y" and not helmet.service_life
    assert format_interval(cat.kind("safety_belt").test_interval) == "P6M"  # edition switched
    # the shipped catalogue is untouched
    assert format_interval(tool_kind("insulating_mat").test_interval) == "P1Y"
    # a ledger follows its catalogue
    ledger = Ledger(catalogue=cat)
    ledger.register("M-1", kind="insulating_mat", rating="high_voltage", on=D(2025, 8, 31))
    assert ledger.record_acceptance_test(
        "M-1", on=D(2025, 8, 31), tester="t", passed=True
    ).due == D(2026, 2, 28)


BAD_STATION_FILES = [
    ("not toml [", None, "invalid TOML"),
    ('[[kinds]]\nid = "x"\nsource = { document = "s" }\n', "confidence", "confidence"),
    (
        '[[kinds]]\nid = "insulating_mat"\ntest_interval = "6 months"\nconfidence = "M"\n'
        'source = { document = "s" }\n',
        "kinds[0].test_interval",
        "P6M",
    ),
    (
        '[[kinds]]\nid = "new_kind"\ntest_interval = "P1Y"\nconfidence = "M"\n'
        'source = { document = "s" }\n',
        "kinds[0].name",
        "needs a name",
    ),
    (
        '[[kinds]]\nid = "insulating_mat"\ncolour = "red"\nconfidence = "M"\n'
        'source = { document = "s" }\n',
        "kinds[0]",
        "colour",
    ),
    ('edition = "dlt1476-2099"\n', "edition", "dlt1476-2099"),
    (
        '[[kinds]]\nid = "safety_helmet"\nservice_life = { woven = "P2Y" }\nconfidence = "M"\n'
        'source = { document = "s" }\n',
        "kinds[0].service_life",
        "one life per rating",
    ),
    (
        '[[kinds]]\nid = "insulating_mat"\nconfidence = "X"\nsource = { document = "s" }\n',
        "kinds[0].confidence",
        "",
    ),
    (
        '[[kinds]]\nid = "Bad Id"\nname = { zh = "x" }\ncategory = "climbing"\n'
        'test_interval = "P1Y"\nconfidence = "M"\nsource = { document = "s" }\n',
        "kinds[0].id",
        "not allowed",
    ),
]


@pytest.mark.parametrize(("text", "path", "message"), BAD_STATION_FILES)
def test_bad_station_files_name_file_and_path(
    tmp_path: Path, text: str, path: str | None, message: str
) -> None:
    p = _write(tmp_path, "station.toml", text)
    with pytest.raises(DataFileError) as info:
        load_tool_kinds(p)
    err = info.value
    assert err.file == str(p)
    if path is not None:
        assert err.path is not None and path in err.path
    assert message in str(err)


def test_missing_station_file(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="cannot read"):
        load_tool_kinds(tmp_path / "nope.toml")


# =========================================================================== due dates


@pytest.mark.parametrize(
    ("tested", "interval", "due"),
    [
        (D(2025, 8, 31), "P6M", D(2026, 2, 28)),  # the month-end rule: clamp to the last day
        (D(2027, 8, 31), "P6M", D(2028, 2, 29)),  # leap year
        (D(2026, 3, 31), "P6M", D(2026, 9, 30)),
        (D(2024, 2, 29), "P1Y", D(2025, 2, 28)),
        (D(2026, 1, 31), "P1M", D(2026, 2, 28)),
        (D(2026, 2, 28), "P6M", D(2026, 8, 28)),  # counted from the actual test: no drift back
        (D(2026, 1, 15), "P5Y", D(2031, 1, 15)),
        (D(2026, 7, 6), "P6M", D(2027, 1, 6)),
        (D(2025, 12, 31), "P2Y6M", D(2028, 6, 30)),
    ],
)
def test_due_date_worked_examples(tested: date, interval: str, due: date) -> None:
    assert add_interval(tested, parse_interval(interval)) == due
    assert type(add_interval(tested, parse_interval(interval))) is date


def test_plain_date_plus_duration_is_not_the_rule() -> None:
    # why add_interval exists: stdlib date + pendulum Duration turns months into days
    assert D(2025, 8, 31) + pendulum.duration(months=6) != add_interval(
        D(2025, 8, 31), pendulum.duration(months=6)
    )


def test_next_due_per_kind() -> None:
    assert next_due(tool_kind("insulating_gloves"), tested_on=D(2025, 8, 31)) == D(2026, 2, 28)
    assert next_due(tool_kind("electroscope"), tested_on=D(2024, 2, 29)) == D(2025, 2, 28)
    assert next_due(tool_kind("earthing_set"), tested_on=D(2026, 5, 31)) == D(2031, 5, 31)
    helmet = tool_kind("safety_helmet")
    made = D(2024, 8, 31)
    assert next_due(helmet, tested_on=D(2024, 9, 1), rating="plastic", manufactured=made) == D(
        2027, 2, 28
    )
    assert next_due(helmet, tested_on=D(2024, 9, 1), rating="rubber", manufactured=made) == D(
        2028, 2, 29
    )
    # on or past the end of life: sampled every year
    assert next_due(helmet, tested_on=D(2027, 2, 28), rating="plastic", manufactured=made) == D(
        2028, 2, 28
    )
    with pytest.raises(InputError, match="manufacture"):
        next_due(helmet, tested_on=D(2024, 9, 1), rating="plastic")


@pytest.mark.parametrize(
    "bad", [pendulum.duration(days=10), pendulum.duration(weeks=2), pendulum.duration(months=0)]
)
def test_add_interval_refuses_days_and_zero(bad: pendulum.Duration) -> None:
    with pytest.raises(InputError):
        add_interval(D(2026, 1, 1), bad)


@settings(max_examples=200)
@given(st.dates(min_value=D(1950, 1, 1), max_value=D(2200, 12, 31)), st.integers(1, 120))
def test_month_arithmetic_property(start: date, months: int) -> None:
    due = add_interval(start, pendulum.duration(months=months))
    total = start.year * 12 + start.month - 1 + months
    year, month0 = divmod(total, 12)
    assert (due.year, due.month) == (year, month0 + 1)
    last = calendar.monthrange(due.year, due.month)[1]
    assert due.day == min(start.day, last)
    assert due > start
    # monotone: a later test is never due earlier
    later = start + timedelta(days=1)
    if later <= D(2200, 12, 31):
        assert add_interval(later, pendulum.duration(months=months)) >= due


# =========================================================================== ledger: lifecycle


FIRST_DAY = D(2026, 1, 5)


def _gloves(ledger: Ledger, serial: str = "GL-1", on: date = FIRST_DAY, **kw: Any) -> None:
    ledger.register(
        serial, kind="insulating_gloves", rating="high_voltage", on=on, place="station", **kw
    )


def _snapshot(ledger: Ledger) -> tuple[Any, ...]:
    return (ledger.events, ledger.tools())


def test_full_lifecycle() -> None:
    lg = Ledger()
    _gloves(lg, batch="B7", maker="Maker Co", purchased=D(2026, 1, 2), manufactured=D(2025, 12, 1))
    s = lg.state("GL-1")
    assert s.condition is Condition.UNTESTED and s.needs_test is DueReason.ACCEPTANCE
    s = lg.record_acceptance_test(
        "GL-1", on=D(2026, 1, 6), tester="李四", passed=True, values={"leakage": "6.8 mA"}
    )
    assert s.condition is Condition.SERVICEABLE and s.due == D(2026, 7, 6)
    assert s.label is not None and s.label.tester == "李四"
    assert lg.issue("GL-1", on=D(2026, 2, 1), to="王五").holder == "王五"
    assert lg.record_check("GL-1", on=D(2026, 2, 1), by="王五", passed=True).holder == "王五"
    assert lg.return_tool("GL-1", on=D(2026, 2, 1)).holder is None
    assert lg.record_defect("GL-1", on=D(2026, 3, 1), description="pinhole").condition is (
        Condition.DEFECTIVE
    )
    assert lg.seal("GL-1", on=D(2026, 3, 1), reason="pinhole").condition is Condition.SEALED
    s = lg.repair("GL-1", on=D(2026, 3, 10), description="patched")
    assert s.condition is Condition.TEST_REQUIRED and s.needs_test is DueReason.AFTER_REPAIR
    with pytest.raises(InvalidOperation, match="test required after repair"):
        lg.issue("GL-1", on=D(2026, 3, 11), to="王五")  # the repair forces a retest
    s = lg.record_test("GL-1", on=D(2026, 3, 12), tester="李四", passed=True)
    assert s.due == D(2026, 9, 12)
    tested = [e for e in lg.events if e.TYPE == "tested"]
    assert [e.purpose for e in tested] == [TestPurpose.ACCEPTANCE, TestPurpose.RETEST]  # type: ignore[union-attr]
    s = lg.record_test("GL-1", on=D(2026, 9, 1), tester="李四", passed=True)
    assert lg.events[-1].purpose is TestPurpose.PERIODIC  # type: ignore[union-attr]
    assert s.due == D(2027, 3, 1)
    lg.move("GL-1", on=D(2026, 9, 2), keeper="赵六", place="vehicle-1")
    assert lg.state("GL-1").place == "vehicle-1" and lg.state("GL-1").keeper == "赵六"
    assert lg.scrap("GL-1", on=D(2026, 10, 1), reason="aged").condition is Condition.SCRAPPED
    before = _snapshot(lg)
    with pytest.raises(InvalidOperation, match="scrapped") as info:
        lg.record_test("GL-1", on=D(2026, 10, 2), tester="李四", passed=True)
    assert info.value.allowed == () and info.value.state == "scrapped"
    assert _snapshot(lg) == before
    assert len(lg.card("GL-1").history) == len(lg.events) == 12


def _ready(lg: Ledger) -> None:
    _gloves(lg)
    lg.record_acceptance_test("GL-1", on=D(2026, 1, 6), tester="李四", passed=True)


@pytest.mark.parametrize(
    ("setup", "on", "reason"),
    [
        (lambda lg: lg.seal("GL-1", on=D(2026, 2, 1), reason="x"), D(2026, 2, 1), "sealed"),
        (lambda lg: lg.scrap("GL-1", on=D(2026, 2, 1), reason="x"), D(2026, 2, 1), "scrapped"),
        (lambda lg: None, D(2026, 7, 7), "overdue: its test was due on 2026-07-06"),
        (
            lambda lg: lg.record_defect("GL-1", on=D(2026, 2, 1), description="x"),
            D(2026, 2, 1),
            "defective",
        ),
        (
            lambda lg: lg.issue("GL-1", on=D(2026, 2, 1), to="甲"),
            D(2026, 2, 1),
            "already issued to 甲",
        ),
    ],
)
def test_issue_refused_and_nothing_changes(setup: Any, on: date, reason: str) -> None:
    lg = Ledger()
    _ready(lg)
    setup(lg)
    before = _snapshot(lg)
    with pytest.raises(InvalidOperation) as info:
        lg.issue("GL-1", on=on, to="王五")
    err = info.value
    assert err.serial == "GL-1" and err.operation is Operation.ISSUE
    assert reason in str(err) and Operation.ISSUE not in err.allowed
    assert err.state in str(err) and isinstance(err, GdsmodelError)
    assert _snapshot(lg) == before


def test_issue_untested_and_overdue_boundary() -> None:
    lg = Ledger()
    _gloves(lg)
    with pytest.raises(InvalidOperation, match="untested") as info:
        lg.issue("GL-1", on=D(2026, 1, 5), to="王五")
    assert info.value.allowed[0] is Operation.RECORD_ACCEPTANCE_TEST
    lg.record_acceptance_test("GL-1", on=D(2026, 1, 6), tester="李四", passed=True)
    s = lg.state("GL-1")
    assert s.is_usable(D(2026, 7, 6)) and not s.is_overdue(D(2026, 7, 6))  # usable on the due day
    assert not s.is_usable(D(2026, 7, 7)) and s.is_overdue(D(2026, 7, 7))  # overdue the day after
    lg.issue("GL-1", on=D(2026, 7, 6), to="王五")
    # an issued tool becomes overdue in use: it cannot be checked as usable, only returned
    with pytest.raises(InvalidOperation):
        lg.record_check("GL-1", on=D(2026, 7, 7), by="王五", passed=True)
    lg.return_tool("GL-1", on=D(2026, 7, 7))
    assert [u.reason for u in lg.unusable(on=D(2026, 7, 7))] == [
        "overdue: its test was due on 2026-07-06"
    ]


def test_refusals_of_tests_seal_repair_return() -> None:
    lg = Ledger()
    _gloves(lg)
    with pytest.raises(InvalidOperation, match="acceptance test; record that first"):
        lg.record_test("GL-1", on=D(2026, 1, 6), tester="t", passed=True)
    lg.record_acceptance_test("GL-1", on=D(2026, 1, 6), tester="t", passed=True)
    with pytest.raises(InvalidOperation, match="already passed its acceptance test"):
        lg.record_acceptance_test("GL-1", on=D(2026, 1, 7), tester="t", passed=True)
    with pytest.raises(InvalidOperation, match="only a sealed tool is repaired"):
        lg.repair("GL-1", on=D(2026, 1, 7), description="x")
    with pytest.raises(InvalidOperation, match="not issued"):
        lg.return_tool("GL-1", on=D(2026, 1, 7))
    lg.issue("GL-1", on=D(2026, 1, 7), to="甲")
    for op in (
        lambda: lg.seal("GL-1", on=D(2026, 1, 8), reason="x"),
        lambda: lg.scrap("GL-1", on=D(2026, 1, 8), reason="x"),
        lambda: lg.record_test("GL-1", on=D(2026, 1, 8), tester="t", passed=True),
        lambda: lg.move("GL-1", on=D(2026, 1, 8), place="x"),
    ):
        with pytest.raises(InvalidOperation, match="return it first"):
            op()
    lg.record_defect("GL-1", on=D(2026, 1, 8), description="cut")  # found in the field
    lg.return_tool("GL-1", on=D(2026, 1, 8))
    lg.seal("GL-1", on=D(2026, 1, 8), reason="cut")
    with pytest.raises(InvalidOperation, match="sealed; repair it before testing"):
        lg.record_test("GL-1", on=D(2026, 1, 9), tester="t", passed=True)
    with pytest.raises(InvalidOperation, match="already sealed"):
        lg.seal("GL-1", on=D(2026, 1, 9), reason="again")


def test_failed_tests_and_checks_make_the_tool_defective() -> None:
    lg = Ledger()
    _gloves(lg)
    s = lg.record_acceptance_test("GL-1", on=D(2026, 1, 6), tester="t", passed=False)
    assert s.condition is Condition.DEFECTIVE and not s.accepted and s.label is None
    s = lg.record_acceptance_test("GL-1", on=D(2026, 1, 7), tester="t", passed=True)
    assert s.accepted and s.condition is Condition.SERVICEABLE
    s = lg.record_check("GL-1", on=D(2026, 1, 8), by="王五", passed=False, note="crack")
    assert s.condition is Condition.DEFECTIVE
    with pytest.raises(InputError, match="failed test writes no label"):
        lg.record_test("GL-1", on=D(2026, 1, 9), tester="t", passed=False, next_due=D(2027, 1, 1))
    with pytest.raises(InputError, match="label date after the test date"):
        lg.record_test("GL-1", on=D(2026, 1, 9), tester="t", passed=True, next_due=D(2026, 1, 9))
    s = lg.record_test("GL-1", on=D(2026, 1, 9), tester="t", passed=True, next_due=D(2026, 4, 1))
    assert s.due == D(2026, 4, 1)  # an explicit label date wins


def test_registration_errors_change_nothing() -> None:
    lg = Ledger()
    _gloves(lg)
    before = _snapshot(lg)
    with pytest.raises(DuplicateSerial, match="already registered") as info:
        lg.register("GL-1", kind="phase_checker", on=D(2026, 1, 6))
    assert info.value.serial == "GL-1" and info.value.operation is Operation.REGISTER
    with pytest.raises(NotFoundError, match="tool kind 'hammer'"):
        lg.register("X-1", kind="hammer", on=D(2026, 1, 6))
    with pytest.raises(InputError, match="rating"):
        lg.register("X-1", kind="insulating_gloves", rating="1kV", on=D(2026, 1, 6))
    with pytest.raises(InputError, match="manufacture"):
        lg.register("H-1", kind="safety_helmet", rating="woven", on=D(2026, 1, 6))
    with pytest.raises(InputError, match="serial"):
        lg.register(" X", kind="phase_checker", on=D(2026, 1, 6))
    with pytest.raises(InputError, match="serial"):
        lg.register("", kind="phase_checker", on=D(2026, 1, 6))
    with pytest.raises(InputError, match="manufactured after"):
        lg.register("X-2", kind="phase_checker", on=D(2026, 1, 6), manufactured=D(2026, 2, 1))
    with pytest.raises(InputError, match="purchased before"):
        lg.register(
            "X-2",
            kind="phase_checker",
            on=D(2026, 1, 6),
            manufactured=D(2025, 2, 1),
            purchased=D(2025, 1, 1),
        )
    with pytest.raises(InputError, match="calendar date"):
        lg.register("X-3", kind="phase_checker", on=pendulum.datetime(2026, 1, 6))
    assert _snapshot(lg) == before


def test_unknown_serial_and_dates_out_of_order() -> None:
    lg = Ledger()
    _ready(lg)
    with pytest.raises(NotFoundError, match="unknown tool 'GL-2'; known: GL-1"):
        lg.issue("GL-2", on=D(2026, 2, 1), to="x")
    lg.issue("GL-1", on=D(2026, 2, 1), to="x")
    before = _snapshot(lg)
    with pytest.raises(InputError, match="date order") as info:
        lg.return_tool("GL-1", on=D(2026, 1, 31))
    assert "2026-02-01" in info.value.allowed
    with pytest.raises(InputError, match="must not be empty"):
        lg.record_defect("GL-1", on=D(2026, 2, 2), description="  ")
    with pytest.raises(InputError, match="nothing to change"):
        lg.move("GL-1", on=D(2026, 2, 2))
    assert _snapshot(lg) == before


def test_batch_recall() -> None:
    lg = Ledger()
    for i, batch in enumerate(["B7", "B7", "B7", "B8"]):
        _gloves(lg, f"GL-{i}", batch=batch)
        lg.record_acceptance_test(f"GL-{i}", on=D(2026, 1, 6), tester="t", passed=True)
    lg.scrap("GL-2", on=D(2026, 1, 7), reason="lost")
    lg.issue("GL-1", on=D(2026, 1, 7), to="王五")
    recalled = lg.recall_batch("B7", on=D(2026, 2, 1), reason="seam split on a glove of B7")
    assert [s.serial for s in recalled] == ["GL-0", "GL-1"]  # not the scrapped one, not B8
    assert all(s.condition is Condition.TEST_REQUIRED for s in recalled)
    assert all(s.needs_test is DueReason.BATCH_RECALL for s in recalled)
    assert lg.state("GL-1").holder == "王五"  # recalled in the field: must come back
    assert lg.state("GL-3").condition is Condition.SERVICEABLE
    with pytest.raises(InvalidOperation):
        lg.issue("GL-0", on=D(2026, 2, 2), to="x")
    with pytest.raises(NotFoundError, match="batch"):
        lg.recall_batch("B9", on=D(2026, 2, 2), reason="x")
    # atomic: one member with a later event refuses the whole recall
    lg.record_test("GL-0", on=D(2026, 3, 1), tester="t", passed=True)
    before = _snapshot(lg)
    with pytest.raises(InputError, match="date order"):
        lg.recall_batch("B7", on=D(2026, 2, 15), reason="again")
    assert _snapshot(lg) == before
    lg.return_tool("GL-1", on=D(2026, 3, 1))
    assert lg.record_test("GL-1", on=D(2026, 3, 2), tester="t", passed=True).condition is (
        Condition.SERVICEABLE
    )


def test_helmet_life() -> None:
    lg = Ledger()
    lg.register(
        "H-1",
        kind="safety_helmet",
        rating="woven",
        manufactured=D(2024, 6, 1),
        on=D(2025, 1, 10),
        place="team-distribution",
    )
    s = lg.record_acceptance_test("H-1", on=D(2025, 1, 10), tester="t", passed=True)
    assert s.due == D(2026, 6, 1)  # end of its 2-year life
    assert [d.serial for d in lg.overdue(on=D(2026, 6, 2))] == ["H-1"]
    s = lg.record_test("H-1", on=D(2026, 6, 2), tester="t", passed=True, values={"sample": "ok"})
    assert s.due == D(2027, 6, 2)  # sampled every year after its life


# =========================================================================== ledger: queries


def _station() -> Ledger:
    lg = Ledger()
    _gloves(lg, "GL-1", on=D(2025, 8, 20))
    lg.record_acceptance_test("GL-1", on=D(2025, 8, 31), tester="t", passed=True)  # due 2026-02-28
    _gloves(lg, "GL-2")
    lg.record_acceptance_test("GL-2", on=D(2026, 1, 6), tester="t", passed=True)  # due 2026-07-06
    lg.register("ES-1", kind="earthing_set", on=D(2026, 1, 5), place="station")  # untested
    lg.register("ES-2", kind="earthing_set", on=D(2026, 1, 5), place="station")
    lg.record_acceptance_test("ES-2", on=D(2026, 1, 5), tester="t", passed=True)
    lg.seal("ES-2", on=D(2026, 2, 1), reason="clamp broken")
    lg.repair("ES-2", on=D(2026, 6, 1), description="new clamp")  # retest due from 2026-06-01
    lg.register("PC-1", kind="phase_checker", on=D(2026, 1, 5), place="vehicle-1")
    lg.record_acceptance_test("PC-1", on=D(2026, 1, 5), tester="t", passed=True)
    lg.scrap("PC-1", on=D(2026, 2, 1), reason="broken")
    return lg


def test_due_in_a_period_half_open() -> None:
    lg = _station()
    july = lg.due(Span(D(2026, 7, 1), D(2026, 8, 1)))
    assert [(d.serial, d.due, d.reason) for d in july] == [
        ("ES-1", D(2026, 1, 5), DueReason.ACCEPTANCE),
        ("ES-2", D(2026, 6, 1), DueReason.AFTER_REPAIR),
        ("GL-2", D(2026, 7, 6), DueReason.CYCLE),
    ]
    february = lg.due(Span(D(2026, 2, 1), D(2026, 3, 1)))
    assert [d.serial for d in february] == ["ES-1", "GL-1"]
    # half-open: a period ending on the due day does not hold it; one starting on it does
    assert "GL-2" not in [d.serial for d in lg.due(Span(D(2026, 6, 1), D(2026, 7, 6)))]
    assert "GL-2" in [d.serial for d in lg.due(Span(D(2026, 7, 6), D(2026, 7, 7)))]
    # a need that arose after the period is not listed in it
    assert "ES-2" not in [d.serial for d in lg.due(Span(D(2026, 5, 1), D(2026, 6, 1)))]


def test_due_with_plain_dates_and_real_periods() -> None:
    lg = _station()

    class Days:
        start = D(2026, 7, 1)
        end = D(2026, 8, 1)

    assert [d.serial for d in lg.due(Days())] == ["ES-1", "ES-2", "GL-2"]
    periods = pytest.importorskip("gdsmodel.periods")
    assert lg.due(periods.Period.parse("2026-07")) == lg.due(Span(D(2026, 7, 1), D(2026, 8, 1)))
    assert [d.serial for d in lg.due(periods.Period.parse("2026-02-28"))] == ["ES-1", "GL-1"]


def test_due_when_in_doubt() -> None:
    lg = Ledger()
    _ready(lg)
    _gloves(lg, "GL-2")
    lg.record_acceptance_test("GL-2", on=D(2026, 1, 6), tester="t", passed=True)
    lg.record_defect("GL-1", on=D(2026, 2, 3), description="looks worn")
    lg.record_defect("GL-1", on=D(2026, 2, 9), description="and cut")  # still since 3 Feb
    lg.record_test("GL-2", on=D(2026, 2, 4), tester="t", passed=False)  # failed: to repair
    february = lg.due(Span(D(2026, 2, 1), D(2026, 3, 1)))
    assert [(d.serial, d.due, d.reason) for d in february] == [
        ("GL-1", D(2026, 2, 3), DueReason.DOUBT)
    ]
    lg.seal("GL-1", on=D(2026, 2, 10), reason="cut")
    assert lg.due(Span(D(2026, 2, 1), D(2026, 3, 1))) == ()
    lg.record_test("GL-2", on=D(2026, 2, 11), tester="t", passed=True)  # a retest clears it
    assert lg.state("GL-2").needs_test is None


def test_overdue_and_unusable() -> None:
    lg = _station()
    assert [d.serial for d in lg.overdue(on=D(2026, 2, 28))] == []
    assert [(d.serial, d.due) for d in lg.overdue(on=D(2026, 3, 1))] == [("GL-1", D(2026, 2, 28))]
    assert [d.serial for d in lg.overdue(on=D(2026, 7, 7))] == ["GL-1", "GL-2"]
    reasons = {u.serial: u.reason for u in lg.unusable(on=D(2026, 7, 7))}
    assert reasons == {
        "GL-1": "overdue: its test was due on 2026-02-28",
        "GL-2": "overdue: its test was due on 2026-07-06",
        "ES-1": "untested: it has not passed its acceptance test",
        "ES-2": "test required after repair",
    }  # the scrapped phase checker is gone, not unusable
    # as of a past day: ES-2 was sealed then, PC-1 still in service
    past = {u.serial: u.reason for u in lg.unusable(on=D(2026, 3, 1))}
    assert past["ES-2"] == "sealed for repair" and "PC-1" not in past
    assert lg.state("ES-2", on=D(2026, 1, 31)).condition is Condition.SERVICEABLE
    with pytest.raises(NotFoundError):
        lg.state("PC-1", on=D(2025, 1, 1))
    assert [s.serial for s in lg.tools(on=D(2025, 12, 31))] == ["GL-1"]
    assert lg.tools(on=D(2025, 8, 19)) == ()
    # as of a day after every event the derived states are the current ones
    assert lg.tools(on=D(2030, 1, 1)) == lg.tools()


def test_card_and_label() -> None:
    lg = _station()
    card = lg.card("ES-2")
    assert [e.event.TYPE for e in card.history] == ["registered", "tested", "sealed", "repaired"]
    assert [e.seq for e in card.history] == sorted(e.seq for e in card.history)
    assert all(lg.entries[e.seq - 1] == e for e in card.history)
    assert card.kind is not None and card.kind.id == "earthing_set"
    assert card.label is not None and card.label.next_due == D(2031, 1, 5)
    assert card.serial == "ES-2" and card.state == lg.state("ES-2")
    with pytest.raises(NotFoundError):
        lg.card("nope")


def test_check_ledger_item_card() -> None:
    lg = _station()
    assert lg.check() == ()
    seen = [
        Sighting(serial="GL-1", place="station", label_due=D(2026, 2, 28)),
        Sighting(serial="GL-2", place="vehicle-1"),  # wrong place
        Sighting(serial="ES-1", place="station", label_due=D(2027, 1, 1)),  # label, none in ledger
        Sighting(serial="PC-1", place="vehicle-1"),  # scrapped but here
        Sighting(serial="XX-9", place="station"),  # not registered
    ]  # ES-2 not seen
    found = {(d.serial, d.kind) for d in lg.check(seen)}
    assert found == {
        ("GL-2", DiscrepancyKind.PLACE_MISMATCH),
        ("ES-1", DiscrepancyKind.LABEL_MISMATCH),
        ("PC-1", DiscrepancyKind.SCRAPPED_ITEM_PRESENT),
        ("XX-9", DiscrepancyKind.UNREGISTERED_ITEM),
        ("ES-2", DiscrepancyKind.MISSING_ITEM),
    }
    lg.record_test("GL-1", on=D(2026, 7, 1), tester="t", passed=True)
    lg.issue("GL-1", on=D(2026, 7, 1), to="王五")
    found2 = {(d.serial, d.kind) for d in lg.check([Sighting(serial="GL-1", place="station")])}
    assert ("GL-1", DiscrepancyKind.ISSUED_ITEM_PRESENT) in found2


def test_check_finds_a_file_changed_behind_the_ledger(tmp_path: Path) -> None:
    path = tmp_path / "tools.json"
    lg = Ledger.open(path)
    _ready(lg)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["events"][1]["tester"] = "someone else"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert [d.kind for d in lg.check()] == [DiscrepancyKind.CHAIN_BROKEN]
    # a whole other ledger, with a chain of its own, put in its place
    other = Ledger()
    _gloves(other, "GL-9")
    other.save(path, overwrite=True)
    assert [d.kind for d in lg.check()] == [DiscrepancyKind.LEDGER_MISMATCH]


# --------------------------------------------------------------------------- kits


def test_shortfall() -> None:
    lg = _station()
    kit_file_kits = kits()
    short = {(s.kit, s.kind, s.rating): s for s in lg.shortfall(on=D(2026, 3, 1))}
    gloves = short[("station", "insulating_gloves", "high_voltage")]
    assert (gloves.required, gloves.usable, gloves.missing, gloves.unusable) == (2, 1, 1, ("GL-1",))
    earthing = short[("station", "earthing_set", "")]
    assert earthing.usable == 0 and set(earthing.unusable) == {"ES-1", "ES-2"}
    assert earthing.missing == 4
    assert ("vehicle-1", "electroscope", "10kV") in short
    assert all(s.missing > 0 for s in short.values())
    assert len(kit_file_kits) == 3


def test_shortfall_rated_items_fill_first(tmp_path: Path) -> None:
    p = _write(
        tmp_path,
        "kits.toml",
        """
[[kits]]
id = "team-1"
holder = "team"
name = { zh = "一班" }
confidence = "M"
source = { document = "Station kit list 2026" }
items = [
  { kind = "insulating_gloves", count = 1 },
  { kind = "insulating_gloves", rating = "low_voltage", count = 1 },
]
""",
    )
    team = load_kits(p)
    lg = Ledger()
    lg.register(
        "LV-1", kind="insulating_gloves", rating="low_voltage", on=D(2026, 1, 1), place="team-1"
    )
    lg.record_acceptance_test("LV-1", on=D(2026, 1, 1), tester="t", passed=True)
    short = lg.shortfall(on=D(2026, 1, 2), kits=team)
    assert [(s.kind, s.rating, s.missing) for s in short] == [("insulating_gloves", "", 1)]
    lg.register(
        "HV-1", kind="insulating_gloves", rating="high_voltage", on=D(2026, 1, 1), place="team-1"
    )
    lg.record_acceptance_test("HV-1", on=D(2026, 1, 1), tester="t", passed=True)
    assert lg.shortfall(on=D(2026, 1, 2), kits=team) == ()
    lg.scrap("HV-1", on=D(2026, 1, 3), reason="x")
    assert len(lg.shortfall(on=D(2026, 1, 3), kits=team)) == 1


@pytest.mark.parametrize(
    ("items", "path", "message"),
    [
        ('[{ kind = "hammer", count = 1 }]', "kits[0].items[0].kind", "hammer"),
        (
            '[{ kind = "electroscope", rating = "20kV", count = 1 }]',
            "kits[0].items[0].rating",
            "20kV",
        ),
        ('[{ kind = "electroscope", count = 0 }]', "kits[0].items[0].count", "at least 1"),
        ('[{ kind = "electroscope" }]', "count", "count"),
    ],
)
def test_bad_kit_files(tmp_path: Path, items: str, path: str, message: str) -> None:
    p = _write(
        tmp_path,
        "kits.toml",
        f'[[kits]]\nid = "k"\nholder = "team"\nname = {{ zh = "k" }}\nconfidence = "M"\n'
        f'source = {{ document = "s" }}\nitems = {items}\n',
    )
    with pytest.raises(DataFileError) as info:
        load_kits(p)
    assert info.value.file == str(p) and path in (info.value.path or "")
    assert message in str(info.value)


def test_bad_kit_file_holder_and_repeat(tmp_path: Path) -> None:
    head = 'id = "k"\nname = { zh = "k" }\nconfidence = "M"\nsource = { document = "s" }\n'
    p = _write(tmp_path, "a.toml", f'[[kits]]\n{head}holder = "village"\n')
    with pytest.raises(DataFileError, match="holder"):
        load_kits(p)
    p = _write(
        tmp_path, "b.toml", f'[[kits]]\n{head}holder = "team"\n[[kits]]\n{head}holder = "team"\n'
    )
    with pytest.raises(DataFileError, match="repeats"):
        load_kits(p)


# =========================================================================== events and files


def _rich(lg: Ledger) -> None:
    _gloves(
        lg, "GL-1", batch="B7", maker="厂", manufactured=D(2025, 12, 1), purchased=D(2026, 1, 2)
    )
    lg.record_acceptance_test(
        "GL-1", on=D(2026, 1, 6), tester="李四", passed=True, values={"泄漏电流": "6.8 mA", "U": 8}
    )
    lg.issue("GL-1", on=D(2026, 1, 7), to="王五", by="张三")
    lg.record_check("GL-1", on=D(2026, 1, 7), by="王五", passed=True)
    lg.return_tool("GL-1", on=D(2026, 1, 8), note="ok")
    lg.recall_batch("B7", on=D(2026, 1, 9), reason="batch problem")
    lg.record_test("GL-1", on=D(2026, 1, 10), tester="李四", passed=False)
    lg.seal("GL-1", on=D(2026, 1, 10), reason="failed")
    lg.repair("GL-1", on=D(2026, 1, 20), description="fixed")
    lg.record_test("GL-1", on=D(2026, 1, 21), tester="李四", passed=True)
    lg.move("GL-1", on=D(2026, 1, 22), keeper="赵六")
    lg.record_defect("GL-1", on=D(2026, 1, 23), description="doubt")
    lg.scrap("GL-1", on=D(2026, 1, 24), reason="aged")
    lg.register(
        "H-1",
        kind="safety_helmet",
        rating="glass_fibre",
        manufactured=D(2025, 1, 1),
        on=D(2026, 1, 1),
    )


def test_every_event_type_round_trips_through_dict() -> None:
    lg = Ledger()
    _rich(lg)
    types = {e.TYPE for e in lg.events}
    assert types == {
        "registered", "tested", "issued", "returned", "checked", "defect_found", "sealed",
        "repaired", "scrapped", "recalled", "moved",
    }  # fmt: skip
    for e in lg.events:
        data = event_to_dict(e)
        assert json.loads(json.dumps(data)) == data
        assert event_from_dict(data) == e


@pytest.mark.parametrize("suffix", [".json", ".sqlite", ".db"])
def test_file_ledgers_round_trip_exactly(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"tools{suffix}"
    with Ledger.open(path) as lg:
        _rich(lg)
        events, tools = lg.events, lg.tools()
    assert path.exists()
    with Ledger.open(path) as again:
        assert again.events == events and again.tools() == tools
        assert [e.seq for e in again.entries] == list(range(1, len(events) + 1))
    # save copies between formats, exactly
    mem = Ledger()
    _rich(mem)
    assert mem.events == events
    for other in ("copy.json", "copy.sqlite"):
        mem.save(tmp_path / other)
        with Ledger.open(tmp_path / other) as copy:
            assert copy.events == events and copy.tools() == tools
    with pytest.raises(InputError, match="exists"):
        mem.save(tmp_path / "copy.json")
    mem.save(tmp_path / "copy.sqlite", overwrite=True)
    assert Ledger.open(tmp_path / "copy.sqlite").events == events


def test_sqlite_uses_wal_and_one_row_per_event(tmp_path: Path) -> None:
    path = tmp_path / "t.sqlite"
    lg = Ledger.open(path)
    _ready(lg)
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert con.execute("SELECT seq, serial, type FROM events").fetchall() == [
        (1, "GL-1", "registered"),
        (2, "GL-1", "tested"),
    ]
    with pytest.raises(InvalidOperation):
        lg.repair("GL-1", on=D(2026, 2, 1), description="x")
    assert con.execute("SELECT count(*) FROM events").fetchone()[0] == 2  # refused: nothing written
    con.close()


def test_two_writers_on_one_sqlite_file(tmp_path: Path) -> None:
    path = tmp_path / "t.sqlite"
    a = Ledger.open(path)
    b = Ledger.open(path)
    _ready(a)
    a.scrap("GL-1", on=D(2026, 2, 1), reason="x")
    with pytest.raises(InvalidOperation, match="scrapped"):  # b sees a's events first
        b.issue("GL-1", on=D(2026, 2, 2), to="x")
    b.register("GL-2", kind="phase_checker", on=D(2026, 2, 2))
    assert b.events == (*a.events, b.events[-1])
    assert a.refresh() == 1 and a.events == b.events
    assert Ledger.open(path).events == a.events
    # a recall by b covers the tool a has just registered in the batch
    _gloves(a, "GL-3", on=D(2026, 2, 3), batch="B7")
    recalled = b.recall_batch("B7", on=D(2026, 2, 4), reason="batch problem")
    assert [s.serial for s in recalled] == ["GL-3"]
    assert b.serials() == ("GL-1", "GL-2", "GL-3")


def test_json_write_failure_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "tools.json"
    lg = Ledger.open(path)
    _ready(lg)
    before_text = path.read_text(encoding="utf-8")
    before = _snapshot(lg)

    def broken(src: Any, dst: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store_module.os, "replace", broken)
    with pytest.raises(StoreError, match="No space left"):
        lg.issue("GL-1", on=D(2026, 2, 1), to="王五")
    monkeypatch.undo()
    assert path.read_text(encoding="utf-8") == before_text
    assert _snapshot(lg) == before
    # no temporary file left (the lock file stays beside the ledger)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tools.json", "tools.json.lock"]
    lg.issue("GL-1", on=D(2026, 2, 1), to="王五")
    assert Ledger.open(path).events == lg.events


def test_json_file_layout(tmp_path: Path) -> None:
    path = tmp_path / "tools.json"
    _ready(Ledger.open(path))
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == "gdsmodel-safety-tools-ledger" and data["version"] == 2
    assert [e["type"] for e in data["events"]] == ["registered", "tested"]
    assert all(re.fullmatch("[0-9a-f]{64}", e["hash"]) for e in data["events"])
    assert data["events"][1]["next_due"] == "2026-07-06"
    assert "李四" in path.read_text(encoding="utf-8")  # readable Chinese


def _json_ledger(tmp_path: Path, events: Any, **top: Any) -> Path:
    p = tmp_path / "bad.json"
    data = {"format": "gdsmodel-safety-tools-ledger", "version": 1, "events": events, **top}
    p.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return p


REG = {"type": "registered", "serial": "A", "on": "2026-01-05", "kind": "phase_checker"}


@pytest.mark.parametrize(
    ("events", "top", "path", "message"),
    [
        ([{**REG, "on": "2026-02-30"}], {}, "events[0].on", "day is out of range"),
        ([{**REG, "type": "painted"}], {}, "events[0].type", "unknown event type"),
        ([{**REG, "colour": 1}], {}, "events[0]", "colour"),
        ([REG, REG], {}, "events[1]", "already registered"),
        (
            [REG, {"type": "issued", "serial": "A", "on": "2026-01-06", "to": "x"}],
            {},
            "events[1]",
            "untested",
        ),
        (
            [{"type": "checked", "serial": "A", "on": "2026-01-05", "by": "x", "passed": "yes"}],
            {},
            "events[0].passed",
            "true or false",
        ),
        ("nope", {}, "events", "must be a list"),
        ([], {"version": 9}, "version", "not supported"),
    ],
)
def test_bad_json_ledgers(tmp_path: Path, events: Any, top: Any, path: str, message: str) -> None:
    p = _json_ledger(tmp_path, events, **top)
    with pytest.raises(DataFileError) as info:
        Ledger.open(p)
    assert info.value.file == str(p) and path in (info.value.path or ""), info.value
    assert message in str(info.value)


def test_not_a_ledger(tmp_path: Path) -> None:
    p = tmp_path / "x.json"
    p.write_text("{not json", encoding="utf-8")
    with pytest.raises(DataFileError, match="not valid JSON") as info:
        Ledger.open(p)
    assert info.value.line == 1
    p.write_text('{"format": "other"}', encoding="utf-8")
    with pytest.raises(DataFileError, match="not a safety-tool ledger"):
        Ledger.open(p)
    t = tmp_path / "x.sqlite"
    t.write_text("this is text, not a database " * 100, encoding="utf-8")
    with pytest.raises(DataFileError, match="not a usable SQLite ledger"):
        Ledger.open(t)
    other = tmp_path / "other.sqlite"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    with pytest.raises(DataFileError, match="not a safety-tool ledger"):
        Ledger.open(other)
    with pytest.raises(InputError, match="no ledger file"):
        Ledger.open(tmp_path / "missing.sqlite", create=False)
    assert not (tmp_path / "missing.sqlite").exists()


def test_tampered_sqlite_rows(tmp_path: Path) -> None:
    path = tmp_path / "t.sqlite"
    with Ledger.open(path) as lg:
        _ready(lg)
    con = sqlite3.connect(path)
    con.execute("UPDATE events SET data = '{' WHERE seq = 2")
    con.commit()
    with pytest.raises(DataFileError, match="not JSON") as info:
        Ledger.open(path)
    assert info.value.path == "events[seq=2]"
    con.execute("DELETE FROM events WHERE seq = 2")
    con.execute(
        "INSERT INTO events SELECT 3, serial, type, on_date, data, hash FROM events WHERE seq = 1"
    )
    con.commit()
    con.close()
    with pytest.raises(DataFileError, match="event 2 is missing"):
        Ledger.open(path)


def test_repr_len_close(tmp_path: Path) -> None:
    lg = Ledger()
    _ready(lg)
    assert len(lg) == 2 and "memory: 1 tools, 2 events" in repr(lg)
    assert lg.serials() == ("GL-1",)
    assert lg.allowed("GL-1", on=D(2026, 8, 1))[0] is Operation.RECORD_TEST
    assert fold(lg.events) == {s.serial: s for s in lg.tools()}
    with Ledger.open(tmp_path / "a.sqlite") as f:
        assert f.path == tmp_path / "a.sqlite"


# =========================================================================== command line


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_lifecycle(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lp = ["--ledger", str(tmp_path / "tools.sqlite")]
    code, out, _ = _cli(
        capsys,
        "tools", "register", "GL-1", "--kind", "insulating_gloves", "--rating", "high_voltage",
        "--date", "2025-08-20", "--place", "station", "--batch", "B7", *lp,
    )  # fmt: skip
    assert code == 0 and "GL-1: registered" in out
    code, out, _ = _cli(
        capsys, "tools", "test", "GL-1", "--tester", "李四", "--result", "pass",
        "--value", "leakage=7 mA", "--date", "2025-08-31", *lp,
    )  # fmt: skip
    assert code == 0 and "next due 2026-02-28" in out
    code, _, err = _cli(
        capsys, "tools", "issue", "GL-1", "--to", "王五", "--date", "2026-03-01", *lp
    )
    assert code == 1 and "overdue" in err and "allowed now" in err
    code, out, _ = _cli(capsys, "tools", "overdue", "--on", "2026-03-01", *lp)
    assert code == 1 and "GL-1" in out and "2026-02-28" in out
    code, out, _ = _cli(capsys, "tools", "overdue", "--on", "2026-02-28", "--json", *lp)
    assert code == 0 and json.loads(out) == []
    code, out, _ = _cli(
        capsys, "tools", "test", "GL-1", "--tester", "李四", "--result", "pass",
        "--date", "2026-03-01", "--json", *lp,
    )  # fmt: skip
    assert code == 0 and json.loads(out)["due"] == "2026-09-01"
    steps = [
        ("issue", "GL-1", "--to", "王五"),
        ("inspect", "GL-1", "--result", "pass", "--by", "王五"),
        ("return", "GL-1"),
        ("defect", "GL-1", "--description", "pinhole"),
        ("seal", "GL-1", "--reason", "pinhole"),
        ("repair", "GL-1", "--description", "patched"),
        ("test", "GL-1", "--tester", "李四", "--result", "pass"),
        ("move", "GL-1", "--place", "vehicle-1"),
        ("recall", "B7", "--reason", "batch problem"),
    ]
    for step in steps:
        code, out, err = _cli(capsys, "tools", *step, "--date", "2026-03-02", *lp)
        assert code == 0, (step, err)
    code, out, _ = _cli(capsys, "tools", "card", "GL-1", *lp)
    assert code == 0 and "一物一卡" in out and "recalled" in out and "sealed" in out
    code, out, _ = _cli(capsys, "tools", "card", "GL-1", "--json", *lp)
    card = json.loads(out)
    assert card["state"]["condition"] == "test_required" and len(card["history"]) == 12
    code, out, _ = _cli(capsys, "tools", "list", *lp)
    assert code == 0 and "test_required" in out
    code, out, _ = _cli(capsys, "tools", "unusable", "--on", "2026-03-03", "--json", *lp)
    assert code == 1 and json.loads(out)[0]["reason"] == "test required after batch recall"
    code, out, _ = _cli(
        capsys, "tools", "scrap", "GL-1", "--reason", "x", "--date", "2026-03-03", *lp
    )
    assert code == 0
    code, _, err = _cli(
        capsys,
        "tools",
        "test",
        "GL-1",
        "--tester",
        "t",
        "--result",
        "pass",
        "--date",
        "2026-03-04",
        *lp,
    )
    assert code == 1 and "scrapped" in err
    code, out, _ = _cli(capsys, "tools", "check", *lp)
    assert code == 0 and "agree" in out


def test_cli_due_period(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("gdsmodel.periods")
    path = tmp_path / "t.sqlite"
    lg = Ledger.open(path)
    _gloves(lg)
    lg.record_acceptance_test("GL-1", on=D(2026, 1, 6), tester="t", passed=True)
    lg.close()
    code, out, _ = _cli(capsys, "tools", "due", "2026-07", "--ledger", str(path))
    assert code == 0 and "GL-1" in out and "2026-07-06" in out
    code, out, _ = _cli(capsys, "tools", "--ledger", str(path), "due", "2026年7月", "--json")
    assert code == 0 and [d["serial"] for d in json.loads(out)] == ["GL-1"]
    code, out, _ = _cli(capsys, "tools", "due", "2026-08", "--ledger", str(path), "--json")
    assert json.loads(out) == []
    with pytest.raises(SystemExit) as exc:  # a period that does not parse is a usage error
        _cli(capsys, "tools", "due", "2026-13", "--ledger", str(path))
    assert exc.value.code == 2 and "accepted forms" in capsys.readouterr().err


def test_cli_default_ledger_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = _cli(capsys, "tools", "overdue", "--on", "2026-07-01")
    assert code == 1 and "no ledger file" in err
    code, _, err = _cli(capsys, "tools", "issue", "PC-1", "--to", "x")
    assert code == 1 and "no ledger file" in err
    assert not (tmp_path / "safety-tools.sqlite").exists()  # only register creates one
    code, _, _ = _cli(capsys, "tools", "register", "PC-1", "--kind", "phase_checker")
    assert code == 0 and (tmp_path / "safety-tools.sqlite").exists()
    code, out, _ = _cli(capsys, "tools", "unusable", "--json")  # today: it is untested
    assert code == 1 and json.loads(out)[0]["serial"] == "PC-1"
    code, _, err = _cli(capsys, "tools", "card", "nope")
    assert code == 3 and "unknown tool 'nope'" in err
    code, _, err = _cli(capsys, "tools", "register", "X", "--kind", "hammer")
    assert code == 3 and "tool kind" in err
    with pytest.raises(SystemExit) as info:
        main(["tools", "overdue", "--on", "2026-13-01"])
    assert info.value.code == 2
    with pytest.raises(SystemExit):
        main(["tools", "test", "PC-1", "--tester", "t", "--result", "maybe"])
    capsys.readouterr()


def test_cli_json_ledger_and_shortfall_and_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lp = ["--ledger", str(tmp_path / "t.json")]
    _cli(
        capsys,
        "tools",
        "register",
        "ES-1",
        "--kind",
        "earthing_set",
        "--place",
        "v",
        "--date",
        "2026-01-01",
        *lp,
    )
    _cli(
        capsys,
        "tools",
        "test",
        "ES-1",
        "--tester",
        "t",
        "--result",
        "pass",
        "--date",
        "2026-01-01",
        *lp,
    )
    kits_file = _write(
        tmp_path,
        "kits.toml",
        '[[kits]]\nid = "v"\nholder = "vehicle"\nname = { zh = "车" }\nconfidence = "M"\n'
        'source = { document = "s" }\nitems = [{ kind = "earthing_set", count = 2 }]\n',
    )
    code, out, _ = _cli(
        capsys, "tools", "shortfall", "--on", "2026-02-01", "--kits", str(kits_file), "--json", *lp
    )
    assert code == 1 and json.loads(out) == [
        {"kit": "v", "kind": "earthing_set", "rating": "", "required": 2, "usable": 1,
         "unusable": [], "missing": 1}
    ]  # fmt: skip
    code, out, err = _cli(capsys, "tools", "shortfall", "--on", "2026-02-01", *lp)
    assert code == 1 and "example kits" in err and "station" in out
    inv = tmp_path / "stock.csv"
    inv.write_text("serial,place,label_due\nES-1,v,2031-01-01\nZZ,v,\n", encoding="utf-8")
    code, out, _ = _cli(capsys, "tools", "check", "--inventory", str(inv), "--json", *lp)
    assert code == 1 and [d["kind"] for d in json.loads(out)] == ["unregistered_item"]
    inv.write_text("serial,place,label_due\nES-1,v,01/01/2031\n", encoding="utf-8")
    code, _, err = _cli(capsys, "tools", "check", "--inventory", str(inv), *lp)
    assert code == 1 and "line 2" in err and "label_due" in err


def test_cli_kinds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _cli(capsys, "tools", "kinds")
    assert code == 0 and "insulating_gloves" in out and "6 months" in out
    code, out, _ = _cli(capsys, "tools", "kinds", "--json", "--edition", "rules-2002")
    data = json.loads(out)
    assert data["edition"] == "rules-2002"
    belt = next(k for k in data["kinds"] if k["id"] == "safety_belt")
    assert belt["test_interval"] == "P6M" and belt["source"]["edition"] == "2002"
    station = _write(
        tmp_path,
        "s.toml",
        '[[kinds]]\nid = "insulating_mat"\ntest_interval = "P6M"\nconfidence = "M"\n'
        'source = { document = "Station rule" }\n',
    )
    code, out, _ = _cli(capsys, "tools", "kinds", "--kinds", str(station), "--json")
    mat = next(k for k in json.loads(out)["kinds"] if k["id"] == "insulating_mat")
    assert mat["test_interval"] == "P6M" and mat["edition"] == "station"
    bad = _write(tmp_path, "bad.toml", '[[kinds]]\nid = "insulating_mat"\n')
    code, _, err = _cli(capsys, "tools", "kinds", "--kinds", str(bad))
    assert code == 1 and str(bad) in err


def test_cli_writes_use_a_station_kinds_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    station = _write(
        tmp_path,
        "s.toml",
        '[[kinds]]\nid = "insulating_mat"\ntest_interval = "P6M"\nconfidence = "M"\n'
        'source = { document = "Station rule" }\n',
    )
    lp = ["--ledger", str(tmp_path / "t.sqlite"), "--kinds", str(station)]
    _cli(
        capsys,
        "tools",
        "register",
        "M-1",
        "--kind",
        "insulating_mat",
        "--rating",
        "low_voltage",
        "--date",
        "2025-08-31",
        *lp,
    )
    code, out, _ = _cli(
        capsys,
        "tools",
        "test",
        "M-1",
        "--tester",
        "t",
        "--result",
        "pass",
        "--date",
        "2025-08-31",
        *lp,
    )
    assert code == 0 and "next due 2026-02-28" in out


def test_no_machine_paths_in_shipped_files() -> None:
    root = Path(__file__).parent.parent / "src" / "gdsmodel" / "standards" / "safety_tools"
    for f in [*root.rglob("*.py"), *root.rglob("*.toml")]:
        text = f.read_text(encoding="utf-8")
        assert "/work/" not in text and "/tmp/" not in text, f


def test_events_keep_dates_plain() -> None:
    lg = Ledger()
    lg.register("A", kind="phase_checker", on=pendulum.date(2026, 1, 5))
    assert type(lg.events[0].on) is date
    assert attrs.asdict(lg.state("A"))["registered_on"] == D(2026, 1, 5)


# =========================================================================== the docs page

DOCS_PAGE = Path(__file__).resolve().parents[1] / "docs" / "safety-tools.md"


def test_docs_examples_run() -> None:
    pytest.importorskip("gdsmodel.periods")
    result = doctest.testfile(
        str(DOCS_PAGE),
        module_relative=False,
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
    )
    assert result.attempted > 15
    assert result.failed == 0


def test_docs_interval_table_agrees_with_the_data() -> None:
    rows = re.findall(
        r"^\| `(\w+)` \| (\S+) \| (P\w+|service life) \| ([HML]) \|$",
        DOCS_PAGE.read_text(encoding="utf-8"),
        re.M,
    )
    expected = [
        (
            k.id,
            k.name.zh,
            format_interval(k.test_interval) if k.test_interval else "service life",
            k.confidence.value,
        )
        for k in tool_kinds()
    ]
    assert rows == expected


def test_docs_month_end_table_agrees_with_the_code() -> None:
    text = DOCS_PAGE.read_text(encoding="utf-8")
    months = {name: i for i, name in enumerate(calendar.month_name) if name}
    rows = re.findall(
        r"^\| (\d+) (\w+) (\d{4}) \| (\d+) (month|months|year) \| (\d+) (\w+) (\d{4})", text, re.M
    )
    assert len(rows) == 5
    for d1, m1, y1, n, unit, d2, m2, y2 in rows:
        start = D(int(y1), months[m1], int(d1))
        interval = (
            pendulum.duration(years=int(n)) if unit == "year" else pendulum.duration(months=int(n))
        )
        assert add_interval(start, interval) == D(int(y2), months[m2], int(d2))


# ======================================================================== kept states, fast paths

# One random step on a small ledger: (operation, tool, days since the step before, a flag, a
# choice). Days run forward; "backdated" tries a day before the tool's last event.
STEP = st.tuples(
    st.sampled_from(
        ["register"] * 3 + ["accept"] * 3 + ["test"] * 3 + ["issue"] * 3 + ["return"] * 3
        + [
            "check", "defect", "seal", "repair", "scrap", "move", "recall", "backdated",
        ]
    ),
    st.integers(0, 3),
    st.sampled_from([0, 0, 1, 1, 3, 10, 30, 90, 200]),
    st.booleans(),
    st.integers(0, 1),
)  # fmt: skip
START = D(2026, 1, 1)


def _attempt(lg: Ledger, step: tuple[str, int, int, bool, int], on: date) -> None:
    """Try one step on day ``on``; a refused one must change nothing, kept states included."""
    op, i, _, flag, choice = step
    serial, batch = f"T-{i}", f"b{choice}"
    calls: dict[str, Callable[[], object]] = {
        "register": lambda: lg.register(
            serial,
            kind=("insulating_gloves", "phase_checker")[choice],
            rating=("high_voltage", "")[choice],
            batch=f"b{i % 2}",
            on=on,
            place="station",
        ),
        "accept": lambda: lg.record_acceptance_test(serial, on=on, tester="t", passed=flag),
        "test": lambda: lg.record_test(serial, on=on, tester="t", passed=flag),
        "issue": lambda: lg.issue(serial, on=on, to="王五"),
        "return": lambda: lg.return_tool(serial, on=on),
        "check": lambda: lg.record_check(serial, on=on, by="王五", passed=flag),
        "defect": lambda: lg.record_defect(serial, on=on, description="x"),
        "seal": lambda: lg.seal(serial, on=on, reason="x"),
        "repair": lambda: lg.repair(serial, on=on, description="x"),
        "scrap": lambda: lg.scrap(serial, on=on, reason="x"),
        "move": lambda: lg.move(serial, on=on, place=("station", "vehicle-1")[choice]),
        "recall": lambda: lg.recall_batch(batch, on=on, reason="x"),
        "backdated": lambda: lg.record_defect(
            serial, on=lg.state(serial).last_on - timedelta(days=1), description="x"
        ),
    }
    before = (lg.events, lg.tools(), lg.tools(on=on))
    try:
        calls[op]()
    except GdsmodelError:
        assert (lg.events, lg.tools(), lg.tools(on=on)) == before


def _random_ledger(steps: list[tuple[str, int, int, bool, int]]) -> Ledger:
    lg, on = Ledger(), START
    for step in steps:
        on += timedelta(days=step[2])
        _attempt(lg, step, on)
    return lg


def _replayed(lg: Ledger, on: date) -> dict[str, Any]:
    """The states as of the end of ``on``, replayed from the whole log (the plain definition)."""
    return fold(e for e in lg.events if e.on <= on)


@settings(max_examples=80, deadline=None)
@given(st.lists(STEP, max_size=50), st.lists(st.integers(-5, 1500), min_size=1, max_size=6))
def test_cached_states_answer_as_full_replays(
    steps: list[tuple[str, int, int, bool, int]], offsets: list[int]
) -> None:
    lg = _random_ledger(steps)
    assert lg.tools() == tuple(fold(lg.events).values())
    assert lg.check() == ()
    days = {START + timedelta(days=x) for x in offsets}
    for e in lg.events:  # the days of events and the days around them
        days.update((e.on - timedelta(days=1), e.on, e.on + timedelta(days=1)))
    for on in sorted(days):
        states = _replayed(lg, on)
        assert lg.tools(on=on) == tuple(states.values())  # same states, same order
        for serial in lg.serials():
            if serial in states:
                assert lg.state(serial, on=on) == states[serial]
            else:
                with pytest.raises(NotFoundError, match="as of"):
                    lg.state(serial, on=on)
        overdue = sorted(
            (s.due, s.serial, s.kind, s.place, s.holder)
            for s in states.values()
            if s.due is not None and s.due < on
        )
        assert [(x.due, x.serial, x.kind, x.place, x.holder) for x in lg.overdue(on=on)] == overdue
        unusable = [
            (s.serial, s.condition, s.why_unusable(on))
            for s in states.values()
            if s.condition is not Condition.SCRAPPED and not s.is_usable(on)
        ]
        assert [(x.serial, x.condition, x.reason) for x in lg.unusable(on=on)] == unusable
        period = Span(on, on + timedelta(days=40))
        due = lg.due(period)
        assert [x.due for x in due] == sorted(x.due for x in due)


def test_check_derives_every_state_afresh() -> None:
    lg = _station()
    assert lg.check() == ()
    # a state that is not what its events give is found (check does not trust the kept state)
    lg._states["GL-2"] = attrs.evolve(lg._states["GL-2"], place="elsewhere")
    found = [(d.serial, d.kind) for d in lg.check()]
    assert found == [("GL-2", DiscrepancyKind.CARD_MISMATCH)]


def test_cached_states_follow_other_writers(tmp_path: Path) -> None:
    path = tmp_path / "t.sqlite"
    a, b = Ledger.open(path), Ledger.open(path)
    _ready(a)
    a.seal("GL-1", on=D(2026, 3, 1), reason="x")
    b.register("GL-2", kind="phase_checker", on=D(2026, 2, 1))  # catches a's events first
    assert a.refresh() == 1
    for lg in (a, b):
        for on in (D(2026, 1, 5), D(2026, 2, 1), D(2026, 2, 28), D(2026, 3, 1)):
            assert lg.tools(on=on) == tuple(_replayed(lg, on).values())
        assert lg.tools() == tuple(fold(lg.events).values())
    assert b.state("GL-1", on=D(2026, 2, 28)).condition is Condition.SERVICEABLE
    assert b.state("GL-1").condition is Condition.SEALED


def _long_way(data: Any) -> Any:
    """event_from_dict without its quick path: the converter's tagged union, as it always read."""
    from gdsmodel.serialize import structure
    from gdsmodel.standards.safety_tools.events import EVENT_TYPES, Event

    if isinstance(data, dict) and data.get("type") not in EVENT_TYPES:
        raise DataFileError(
            f"unknown event type {data.get('type')!r}; known: {', '.join(EVENT_TYPES)}",
            path="$.type",
        )
    return structure(data, Event)  # type: ignore[arg-type]


def _outcome(read: Any, data: Any) -> Any:
    """The event read, or the error raised: its type, message and path."""
    try:
        return read(data)
    except Exception as exc:  # compared, whatever it is
        return (type(exc), str(exc), getattr(exc, "path", None))


def test_event_dicts_match_the_converter() -> None:
    from gdsmodel.serialize import converter
    from gdsmodel.standards.safety_tools.events import Event

    lg = Ledger()
    _rich(lg)
    for e in lg.events:
        assert event_to_dict(e) == converter.unstructure(e, unstructure_as=Event)
        data = event_to_dict(e)
        assert _outcome(event_from_dict, data) == _outcome(_long_way, data) == e


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(range(14)),
    st.sampled_from(["type", "serial", "on", "passed", "to", "next_due", "values", "extra"]),
    st.one_of(
        st.none(), st.booleans(), st.integers(), st.text(max_size=5),
        st.sampled_from(["2026-01-06", "2026-02-30", "issued", "tested", "  ", "A B"]),
        st.lists(st.integers(), max_size=2), st.just([{"name": "U", "value": "1"}]),
    ),
    st.booleans(),
)  # fmt: skip
def test_event_from_dict_quick_path_agrees_with_the_converter(
    index: int, key: str, value: Any, drop: bool
) -> None:
    lg = Ledger()
    _rich(lg)
    data = event_to_dict(lg.events[index])
    if drop:
        data.pop(key, None)
    else:
        data[key] = value
    assert _outcome(event_from_dict, data) == _outcome(_long_way, data)


def test_saved_sqlite_copy_has_the_stores_schema_and_rows(tmp_path: Path) -> None:
    path = tmp_path / "live.sqlite"
    with Ledger.open(path) as lg:
        _rich(lg)
        lg.save(tmp_path / "copy.sqlite")
    live, copy = sqlite3.connect(path), sqlite3.connect(tmp_path / "copy.sqlite")
    for q in (
        "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name",
        "SELECT key, value FROM meta ORDER BY key",
        "SELECT seq, serial, type, on_date, data FROM events ORDER BY seq",
    ):
        assert copy.execute(q).fetchall() == live.execute(q).fetchall(), q
    assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    live.close()
    copy.close()
    assert sorted(p.name for p in tmp_path.iterdir() if "copy" in p.name) == ["copy.sqlite"]


def test_opening_a_json_ledger_reads_it_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "t.json"
    with Ledger.open(path) as lg:
        _rich(lg)
    reads = []
    real = store_module.JsonStore._read

    def counted(self: Any) -> Any:
        reads.append(1)
        return real(self)

    monkeypatch.setattr(store_module.JsonStore, "_read", counted)
    again = Ledger.open(path)
    assert len(reads) == 1 and again.events == lg.events
    assert again.check() == ()  # the check reads the file again
    assert len(reads) > 1


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=8,
)


@settings(max_examples=100, deadline=None)
@given(
    st.dictionaries(st.text(max_size=4), JSON_VALUES, max_size=5),
    st.sampled_from(["", " ", "\n", "x", "}", ", {}", "\ufeff"]),
    st.sampled_from(["", " ", "x", "\ufeff"]),
    st.integers(0, 200),
)
def test_stored_json_text_is_what_json_writes_and_reads(
    data: dict[str, Any], after: str, before: str, cut: int
) -> None:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    assert store_module._ENCODE(data) == text
    for row in (text, before + text + after, text[:cut], text[cut:]):
        try:
            expected: Any = json.loads(row)
        except json.JSONDecodeError as exc:
            expected = (type(exc), str(exc))
        try:
            got: Any = store_module._json_loads(row)
        except json.JSONDecodeError as exc:
            got = (type(exc), str(exc))
        assert got == expected, row
