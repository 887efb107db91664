"""Assessment (考核): rules as data, sheets, the year-end evaluation, and their invariants."""

from __future__ import annotations

import random
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gdsmodel
from gdsmodel.errors import DataFileError, InputError, NotFoundError
from gdsmodel.metrics.assessment import (
    AssessmentSheet,
    CheckEvidence,
    KpiEvidence,
    RuleKind,
    ScoringRule,
    StepRounding,
    assess,
    default_scheme,
    load_scheme,
    score_rule,
    year_end,
)
from gdsmodel.metrics.ratio import Direction, Ratio, Target
from gdsmodel.serialize import structure, unstructure
from gdsmodel.text import Text


def kpi_rule(
    direction: Direction = Direction.HIGHER,
    target: str = "99.6",
    step: Fraction = Fraction(1, 1000),
    deduction: str = "2.5",
    points: str = "10",
    rounding: StepRounding = StepRounding.PROPORTIONAL,
    bonus: str = "0",
    max_bonus: str = "0",
) -> ScoringRule:
    return ScoringRule(
        id="r",
        owner="technician",
        kind=RuleKind.KPI,
        name=Text("规则", "rule"),
        metric="rs3",
        target=Target.percent(target, direction),
        step=step,
        deduction_per_step=Decimal(deduction),
        points=Decimal(points),
        rounding=rounding,
        bonus_per_step=Decimal(bonus),
        max_bonus=Decimal(max_bonus),
    )


# -- worked examples -----------------------------------------------------------------


def test_rs3_example_from_the_township_scheme() -> None:
    rule = kpi_rule()
    # 99.4 % is 0.2 pp below 99.6 %: 2 steps x 2.5 = 5 points off
    item = score_rule(rule, KpiEvidence(Ratio(994, 1000)))
    assert (item.deduction, item.score, item.available) == (
        Decimal("5.00"),
        Decimal("5.00"),
        Decimal("10.00"),
    )
    # met exactly
    assert score_rule(rule, KpiEvidence(Ratio(996, 1000))).score == Decimal("10.00")
    # the deduction never exceeds the points at stake
    assert score_rule(rule, KpiEvidence(Ratio(90, 100))).score == Decimal("0.00")


@pytest.mark.parametrize(
    ("rounding", "expected"),
    [
        (StepRounding.PROPORTIONAL, Decimal("8.75")),  # 0.05 pp short: half a step
        (StepRounding.STARTED, Decimal("7.50")),
        (StepRounding.FULL, Decimal("10.00")),
    ],
)
def test_partial_steps(rounding: StepRounding, expected: Decimal) -> None:
    rule = kpi_rule(rounding=rounding)
    assert score_rule(rule, KpiEvidence(Ratio(99550, 100000))).score == expected


def test_lower_is_better_line_loss() -> None:
    rule = kpi_rule(Direction.LOWER, target="6.5", deduction="0.4", points="15")
    # 7.0 % is 0.5 pp over 6.5 %: 5 steps x 0.4 = 2 points
    assert score_rule(rule, KpiEvidence(Ratio(70, 1000))).deduction == Decimal("2.00")
    assert score_rule(rule, KpiEvidence(Ratio(60, 1000))).score == Decimal("15.00")


def test_bonus_is_capped() -> None:
    rule = kpi_rule(Direction.LOWER, target="6.5", deduction="0.4", bonus="0.2", max_bonus="1")
    assert score_rule(rule, KpiEvidence(Ratio(60, 1000))).bonus == Decimal("1.00")
    assert score_rule(rule, KpiEvidence(Ratio(64, 1000))).bonus == Decimal("0.20")


def test_check_rules_and_missing_evidence() -> None:
    scheme = default_scheme()
    sheet = assess(
        scheme,
        "safety_officer",
        "2026-03",
        {
            "safety_officer.two_tickets": KpiEvidence(Ratio(49, 50)),  # 98 %: 2 steps of 1 %
            "safety_officer.month_end_check": CheckEvidence(False, "not archived"),
            "safety_officer.reports": CheckEvidence(True),
            "safety_officer.rcd_in_service": KpiEvidence(Ratio(0, 0)),
        },
    )
    by_id = {i.rule: i for i in sheet.items}
    assert by_id["safety_officer.two_tickets"].score == Decimal("8.00")
    assert by_id["safety_officer.month_end_check"].score == Decimal("0.00")
    assert by_id["safety_officer.reports"].score == Decimal("5.00")
    undefined = by_id["safety_officer.rcd_in_service"]
    assert not undefined.assessed and "undefined" in undefined.note
    assert sheet.available == Decimal("25.00")  # 10 + 10 + 5; the undefined item is left out
    assert sheet.total == Decimal("13.00")
    assert [i.rule for i in sheet.not_assessed] == ["safety_officer.rcd_in_service"]


def test_bad_evidence_and_rules() -> None:
    scheme = default_scheme()
    with pytest.raises(InputError, match="evidence for rules that do not score"):
        assess(scheme, "technician", "2026-03", {"technician.rs4": CheckEvidence(True)})
    with pytest.raises(InputError, match="needs KpiEvidence"):
        score_rule(scheme.rule("technician.rs3"), CheckEvidence(True))
    with pytest.raises(InputError, match="needs metric, target and step"):
        ScoringRule(id="x", owner="o", kind=RuleKind.KPI, name=Text("x"), points=Decimal(1))
    with pytest.raises(InputError, match="points must not be negative"):
        ScoringRule(
            id="x", owner="o", kind=RuleKind.CHECK, name=Text("x"), points=Decimal(-1), clause="c"
        )
    with pytest.raises(NotFoundError):
        scheme.rule("nope")


# -- the default scheme is consistent with the standard and the KPI registry ---------------


def test_default_scheme_refers_to_real_things() -> None:
    std = gdsmodel.load_standard()
    scheme = default_scheme()
    for rule in scheme.rules:
        std.owner(rule.owner)
        if rule.kind is RuleKind.CHECK:
            assert rule.clause is not None
            std.clause(rule.clause)
        else:
            from gdsmodel.metrics.registry import metric

            assert rule.metric is not None
            definition = metric(rule.metric)
            assert rule.target is not None
            assert rule.target.direction == definition.direction, rule.id
        assert rule.confidence in ("M", "L")


def test_station_scheme_file(tmp_path: Path) -> None:
    p = tmp_path / "scheme.toml"
    p.write_text(
        """
id = "mine"
name = { zh = "本所方案" }
[[rules]]
id = "t"
owner = "technician"
kind = "kpi"
name = { zh = "RS-3" }
metric = "rs3"
target_percent = "99.5"
direction = "higher"
step_percent = "0.1"
deduction_per_step = "3"
points = "30"
""",
        encoding="utf-8",
    )
    scheme = load_scheme(p)
    assert scheme.rule("t").target == Target.percent("99.5", Direction.HIGHER)
    p.write_text(
        'id = "x"\nname = { zh = "x" }\n[[rules]]\nid = "t"\nowner = "o"\nkind = "kpi"\n'
        'name = { zh = "x" }\npoints = "1"\nmetric = "rs3"\n',
        encoding="utf-8",
    )
    with pytest.raises(DataFileError, match="needs metric, target and step"):
        load_scheme(p)
    p.write_text(
        'id = "x"\nname = { zh = "x" }\n[[rules]]\nid = "t"\nowner = "o"\n'
        'kind = "bonus"\nname = { zh = "x" }\npoints = "1"\n',
        encoding="utf-8",
    )
    with pytest.raises(DataFileError) as err:
        load_scheme(p)
    assert err.value.path == "$.rules[0].kind"
    with pytest.raises(DataFileError, match="cannot read"):
        load_scheme(tmp_path / "missing.toml")


def test_sheets_archive_as_data() -> None:
    sheet = assess(
        default_scheme(),
        "revenue_group",
        "2026-03",
        {"revenue_group.meter_reading": KpiEvidence(Ratio(1999, 2000))},
    )
    assert structure(unstructure(sheet), AssessmentSheet) == sheet


# -- properties ----------------------------------------------------------------------------

fractions = st.fractions(min_value=0, max_value=1, max_denominator=10_000)


@settings(max_examples=200, deadline=None)
@given(
    a=fractions,
    b=fractions,
    direction=st.sampled_from(Direction),
    rounding=st.sampled_from(StepRounding),
    bonus=st.sampled_from(["0", "0.5"]),
)
def test_a_better_kpi_never_lowers_the_score(
    a: Fraction, b: Fraction, direction: Direction, rounding: StepRounding, bonus: str
) -> None:
    rule = kpi_rule(direction, target="95", rounding=rounding, bonus=bonus, max_bonus="2")
    worse, better = sorted([a, b]) if direction is Direction.HIGHER else sorted([a, b])[::-1]
    s_worse = score_rule(rule, KpiEvidence(Ratio(worse, 1))).score
    s_better = score_rule(rule, KpiEvidence(Ratio(better, 1))).score
    assert s_better >= s_worse
    for s in (s_worse, s_better):
        assert Decimal(0) <= s <= rule.points + rule.max_bonus


@st.composite
def sheets(draw: st.DrawFn) -> list[AssessmentSheet]:
    scheme = default_scheme()
    out = []
    for owner in draw(
        st.lists(st.sampled_from(scheme.owners), min_size=1, max_size=4, unique=True)
    ):
        for month in draw(st.lists(st.integers(1, 12), min_size=1, max_size=6, unique=True)):
            evidence: dict[str, KpiEvidence | CheckEvidence | None] = {}
            for rule in scheme.rules_for(owner):
                if rule.kind is RuleKind.CHECK:
                    evidence[rule.id] = draw(st.none() | st.builds(CheckEvidence, st.booleans()))
                else:
                    den = draw(st.integers(0, 1000))
                    num = draw(st.integers(0, den)) if den else 0
                    evidence[rule.id] = KpiEvidence(Ratio(num, den))
            out.append(assess(scheme, owner, f"2026-{month:02d}", evidence))
    return out


@settings(max_examples=60, deadline=None)
@given(data=sheets(), seed=st.integers(0, 1000))
def test_year_end_ignores_month_order_and_stays_in_bounds(
    data: list[AssessmentSheet], seed: int
) -> None:
    first = year_end(data)
    shuffled = list(data)
    random.Random(seed).shuffle(shuffled)
    assert year_end(shuffled) == first
    for r in first:
        assert Decimal(0) <= r.total <= r.available
        assert r.rank >= 1
    ranks = [r.rank for r in first]
    assert ranks == sorted(ranks)
    for sheet in data:
        assert Decimal(0) <= sheet.total <= sheet.available


def test_year_end_is_a_ratio_of_sums_and_rejects_duplicates() -> None:
    scheme = default_scheme()
    jan = assess(
        scheme, "safety_officer", "2026-01", {"safety_officer.reports": CheckEvidence(True)}
    )
    feb = assess(
        scheme,
        "safety_officer",
        "2026-02",
        {
            "safety_officer.reports": CheckEvidence(False),
            "safety_officer.month_end_check": CheckEvidence(True),
        },
    )
    (r,) = year_end([jan, feb])
    # (5 + 0 + 10) / (5 + 5 + 10) = 75 %, not the mean of 100 % and 66.7 %
    assert r.ratio.percent == 75 and r.months == 2
    with pytest.raises(InputError, match="two sheets for the same owner and period"):
        year_end([jan, jan])
