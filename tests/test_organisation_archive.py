"""Assessment per person and group, the year-end ranking, and the archive of closed months."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from gdsmodel.errors import InputError
from gdsmodel.metrics.assessment import AssessmentSheet, ItemScore
from gdsmodel.organisation.archive import Archive, ArchiveError, _write_once, assessment_sheet
from gdsmodel.organisation.assessment import (
    Feed,
    MonthAssessment,
    assess_month,
    default_person_scheme,
    year_end_ranking,
)
from gdsmodel.organisation.dating import Effective
from gdsmodel.organisation.responsibility import Responsibility, default_rules
from gdsmodel.organisation.staff import Person, ScopeKind
from gdsmodel.periods import Month
from gdsmodel.text import Text

D = dt.date
MARCH = Month(2026, 3)


def _month(month: Month = MARCH, sold_a1: int = 2790) -> MonthAssessment:
    people = [Person("P1", "王强"), Person("P2", "李明"), Person("P3", "赵四")]
    held = {
        "P1": ("transformer_area_manager",),
        "P2": ("transformer_area_manager",),
        "P3": ("meter_reader",),
    }
    resp = [
        Responsibility("P1", ScopeKind.AREA, "A1", Effective(D(2025, 1, 1)),
                       metrics=("line_loss_rate_lv",)),
        Responsibility("P2", ScopeKind.AREA, "A2", Effective(D(2025, 1, 1)),
                       metrics=("line_loss_rate_lv",)),
        Responsibility("P3", ScopeKind.AREA, "A1", Effective(D(2025, 1, 1)),
                       metrics=("meter_reading_rate",)),
        Responsibility("P3", ScopeKind.AREA, "A2", Effective(D(2025, 1, 1)),
                       metrics=("meter_reading_rate",)),
    ]  # fmt: skip
    areas = [
        {"month": month, "area": "A1", "supplied_kwh": 3100, "sold_kwh": sold_a1},
        {"month": month, "area": "A2", "supplied_kwh": 1000, "sold_kwh": 950},
    ]
    billing = [
        {"month": month, "area": "A1", "meters_read": 99, "meters_due": 100},
        {"month": month, "area": "A2", "meters_read": 100, "meters_due": 100},
    ]
    feeds = [
        Feed(metric="line_loss_rate_lv", scope=ScopeKind.AREA, records=areas),
        Feed(metric="meter_reading_rate", scope=ScopeKind.AREA, records=billing,
             columns={"read": "meters_read", "due": "meters_due"}),
    ]  # fmt: skip
    from gdsmodel.organisation.targets import TargetRule, TargetRuleKind, TargetRules

    targets = TargetRules(
        rules=(TargetRule(metric="line_loss_rate_lv", rule=TargetRuleKind.FIXED,
                          value=Fraction(8), values={"A2": Fraction(6)}),)
    )  # fmt: skip
    return assess_month(
        month, people=people, held=held, responsibilities=resp, feeds=feeds,
        target_rules=targets,
    )  # fmt: skip


def test_a_person_is_scored_by_the_rules_of_what_they_held_against_their_own_target() -> None:
    a = _month()
    p1 = a.person("P1")
    (loss,) = [k for k in p1.kpis if k.metric == "line_loss_rate_lv"]
    assert loss.ratio.value == Fraction(310, 3100)
    assert loss.target is not None and loss.target.threshold == Fraction(8, 100)
    items = {i.rule: i for i in p1.sheet.items}
    # 10 % against the fixed target 8 %: 2 pp = 20 steps of 0.1 pp at 0.3 points = 6 points
    assert items["transformer_area_manager.line_loss_lv"].deduction == Decimal("6.00")
    assert items["transformer_area_manager.line_loss_lv"].score == Decimal("54.00")
    assert not items["transformer_area_manager.rcd_in_service"].assessed
    assert p1.sheet.available == Decimal("60.00")
    assert p1.missed == ("line_loss_rate_lv: missed by 2.00 pp",)
    # A2's own target is 6 %: 5 % meets it
    p2 = a.person("P2")
    assert p2.sheet.total == Decimal("60.00") and p2.missed == ()
    # the meter reader answers for both areas' reading: 199 / 200
    p3 = a.person("P3")
    assert [k.ratio.value for k in p3.kpis] == [Fraction(199, 200)]
    # no target was broken down for the reading: the rule's own (100 %) judges it
    assert p3.kpis[0].target is not None and p3.kpis[0].target.threshold == 1
    assert p3.kpis[0].allowed == 200 and p3.missed == ("meter_reading_rate: missed by 0.50 pp",)
    assert {i.rule for i in p3.sheet.items} == {
        "meter_reader.meter_reading",
        "meter_reader.reading_errors",
    }


def test_a_group_sheet_covers_its_members_with_their_targets_merged() -> None:
    a = _month()
    (group,) = [g for g in a.groups if g.owner == "distribution_group"]
    assert group.holds == ("P1", "P2")
    (loss,) = [k for k in group.kpis if k.metric == "line_loss_rate_lv"]
    assert loss.ratio.value == Fraction(360, 4100)  # a ratio of sums, not a mean of rates
    # allowed loss: 8 % of 3100 + 6 % of 1000 = 308 kWh of 4100
    assert loss.allowed == Fraction(308) and loss.target is not None
    assert loss.target.threshold == Fraction(308, 4100)
    (revenue,) = [g for g in a.groups if g.owner == "revenue_group"]
    assert revenue.holds == ("P3",)


def _sheet(owner: str, period: str, total: str, available: str) -> AssessmentSheet:
    item = ItemScore(rule="r", name=Text("x"), assessed=True, available=Decimal(available),
                     score=Decimal(total))  # fmt: skip
    return AssessmentSheet(owner=owner, period=period, scheme="s", items=(item,))


def test_the_year_end_ranking_is_a_ratio_of_sums_with_bands_and_shared_ranks() -> None:
    sheets = [
        _sheet("P1", "2026-01", "50", "50"),  # 100 % in a small month
        _sheet("P1", "2026-02", "80", "100"),  # 80 %: the year is 130 / 150 = 86.67 %
        _sheet("P2", "2026-01", "90", "100"),
        _sheet("P2", "2026-02", "90", "100"),  # 90 %
        _sheet("P3", "2026-01", "180", "200"),  # 90 %: ties with P2
        _sheet("P4", "2026-01", "0", "0"),  # nothing assessed
        _sheet("P5", "2026-01", "69.99", "100"),
    ]
    ranked = year_end_ranking(sheets)
    table = [(r.ranking.owner, r.ranking.rank, r.band.id if r.band else None) for r in ranked]
    assert table == [
        ("P2", 1, "excellent"),
        ("P3", 1, "excellent"),
        ("P1", 3, "qualified"),
        ("P5", 4, "unqualified"),
        ("P4", 5, None),
    ]
    assert ranked[2].percent == Fraction(130 * 100, 150)
    assert default_rules().band(Fraction(70)).id == "qualified"


def test_the_shipped_scheme_scores_roles_and_groups() -> None:
    scheme = default_person_scheme()
    owners = set(scheme.owners)
    assert {"transformer_area_manager", "meter_reader", "collector", "checker"} <= owners
    assert {"rural_electrician", "distribution_group", "revenue_group"} <= owners


# ---------------------------------------------------------------- the archive


def test_a_closed_month_is_never_rewritten(tmp_path: Path) -> None:
    archive = Archive(tmp_path)
    written = archive.close(_month(), on=D(2026, 4, 3))
    assert [p.name for p in written] == ["sheets.json", "sheets.xlsx"]
    before = {p: p.read_bytes() for p in written}
    with pytest.raises(InputError, match="once it is over"):
        Archive(tmp_path / "other").close(_month(), on=D(2026, 3, 31))
    # closing again, with other numbers, is refused
    with pytest.raises(ArchiveError, match="closed"):
        archive.close(_month(sold_a1=2500), on=D(2026, 4, 4))
    # so is any write over an archived file, whatever the path taken
    for path in written:
        with pytest.raises(ArchiveError, match="never rewritten"):
            _write_once(path, b"{}")
    assert {p: p.read_bytes() for p in written} == before
    for path in written:
        assert not path.stat().st_mode & 0o222  # read-only
    record = json.loads(written[0].read_text(encoding="utf-8"))
    assert record["closed_on"] == "2026-04-03"
    assert [s["owner"] for s in record["people"]] == ["P1", "P2", "P3"]
    import openpyxl

    wb = openpyxl.load_workbook(written[1])
    assert wb.sheetnames == ["sheets", "totals", "kpis"]
    rows = list(wb["totals"].iter_rows(values_only=True))
    assert rows[1][:4] == ("2026-03", "person", "P1", "王强") and rows[1][4] == 54.0


def test_corrections_are_dated_amendments_with_their_reason_and_history(tmp_path: Path) -> None:
    archive = Archive(tmp_path)
    archive.close(_month(), on=D(2026, 4, 3), excel=False)
    original = (tmp_path / "assessment" / "2026-03" / "sheets.json").read_bytes()
    corrected = _month(sold_a1=2900).person("P1")  # the loss was 3.5 %: full marks
    with pytest.raises(Exception, match="reason"):
        archive.amend(MARCH, corrected, reason=" ", on=D(2026, 4, 10))
    with pytest.raises(Exception, match="predate"):
        archive.amend(MARCH, corrected, reason="抄表差错更正", on=D(2026, 4, 1))
    path = archive.amend(MARCH, corrected, reason="抄表差错更正", on=D(2026, 4, 10))
    assert path.name == "0001.json"
    again = archive.amend(MARCH, corrected, reason="复核", on=D(2026, 4, 12))
    assert again.name == "0002.json"
    history = archive.history(MARCH, "P1")
    assert [(v.amendment, v.on, v.reason) for v in history] == [
        (0, D(2026, 4, 3), "closed"),
        (1, D(2026, 4, 10), "抄表差错更正"),
        (2, D(2026, 4, 12), "复核"),
    ]
    assert history[0].sheet["total"] == "54.00" and history[-1].sheet["total"] == "60.00"
    current = archive.current(MARCH)
    # P3 read 199 of 200: 0.5 pp short of 100 % = 5 steps of 0.1 pp at 1 point
    assert [s["total"] for s in current["people"]] == ["60.00", "60.00", "55.00"]
    assert (tmp_path / "assessment" / "2026-03" / "sheets.json").read_bytes() == original
    # the ranking reads the current versions back exactly
    sheets = archive.person_sheets(["2026-03"])
    assert [s.total for s in sheets] == [Decimal("60.00"), Decimal("60.00"), Decimal("55.00")]
    assert assessment_sheet(current["people"][0]).items[0].rule.startswith("transformer")
    with pytest.raises(KeyError):
        archive.amend(Month(2026, 2), corrected, reason="x", on=D(2026, 4, 10))


class ArchiveMachine(RuleBasedStateMachine):
    """Whatever is closed or amended, in any order, no archived byte ever changes."""

    def __init__(self) -> None:
        super().__init__()
        import tempfile

        self.root = Path(tempfile.mkdtemp())
        self.archive = Archive(self.root)
        self.seen: dict[Path, bytes] = {}
        self.closed: set[str] = set()
        self.amendments = 0

    @rule(month=st.sampled_from([Month(2026, 1), Month(2026, 2)]), sold=st.integers(2500, 3000))
    def close(self, month: Month, sold: int) -> None:
        if str(month) in self.closed:
            with pytest.raises(ArchiveError):
                self.archive.close(_month(month, sold), on=D(2026, 4, 1), excel=False)
        else:
            self.archive.close(_month(month, sold), on=D(2026, 4, 1), excel=False)
            self.closed.add(str(month))

    @rule(month=st.sampled_from([Month(2026, 1), Month(2026, 2)]), sold=st.integers(2500, 3000))
    def amend(self, month: Month, sold: int) -> None:
        sheet = _month(month, sold).person("P1")
        if str(month) not in self.closed:
            with pytest.raises(KeyError):
                self.archive.amend(month, sheet, reason="更正", on=D(2026, 4, 2))
            return
        self.archive.amend(month, sheet, reason="更正", on=D(2026, 4, 2))
        self.amendments += 1

    @invariant()
    def nothing_archived_changes(self) -> None:
        for path in self.root.rglob("*.json"):
            data = path.read_bytes()
            assert self.seen.setdefault(path, data) == data
        assert len(list(self.root.rglob("amendments/*.json"))) == self.amendments


TestArchiveMachine = ArchiveMachine.TestCase
TestArchiveMachine.settings = settings(max_examples=25, stateful_step_count=8)


def test_a_units_rules_score_the_group_not_each_member() -> None:
    people = [Person("P1", "王强")]
    a = assess_month(
        MARCH, people=people, held={"P1": ("revenue_group", "collector")},
        responsibilities=[], feeds=[],
    )  # fmt: skip
    assert {i.rule for i in a.person("P1").sheet.items} == {"collector.collection"}
    (group,) = [g for g in a.groups if g.owner == "revenue_group"]
    assert "revenue_group.collection" in {i.rule for i in group.sheet.items}
