"""The station as an organisation: staff, responsibility, targets, KPIs per person."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gdsmodel.errors import InputError, NotFoundError
from gdsmodel.metrics.partial import PartialState
from gdsmodel.metrics.registry import metric
from gdsmodel.organisation.dating import Effective
from gdsmodel.organisation.kpis import attribute, by_unit, person_states, person_states_from_frame
from gdsmodel.organisation.responsibility import (
    AttributionRule,
    IssueKind,
    Responsibility,
    default_rules,
    shares,
    validate,
)
from gdsmodel.organisation.staff import (
    Assignment,
    HoldKind,
    Person,
    Roster,
    ScopeKind,
    default_catalogue,
)
from gdsmodel.organisation.targets import (
    TargetRule,
    TargetRuleKind,
    break_down,
    default_target_rules,
)
from gdsmodel.periods import Month

D = dt.date
MARCH = Month(2026, 3)


def _roster() -> Roster:
    people = (
        Person("P01", "王建国", "13800000001"),
        Person("P02", "李红"),
        Person("P03", "张强"),
        Person("P04", "赵敏"),
    )
    return Roster(
        people=people,
        assignments=(
            Assignment("P01", "distribution_group_leader", Effective(D(2025, 1, 1))),
            Assignment("P01", "rural_electrician", Effective(D(2025, 1, 1))),
            Assignment("P02", "transformer_area_manager", Effective(D(2025, 1, 1))),
            Assignment("P03", "rural_electrician", Effective(D(2025, 1, 1), D(2026, 3, 11))),
            Assignment("P03", "meter_reader", Effective(D(2026, 3, 11))),
            Assignment("P04", "technician", Effective(D(2025, 1, 1))),
        ),
    )


# ---------------------------------------------------------------- staff


def test_roles_beyond_the_posts_come_with_their_source_clauses() -> None:
    cat = default_catalogue()
    from gdsmodel.standards.standard import load_standard

    std = load_standard()
    ids = {r.id for r in cat.roles}
    assert {"rural_electrician", "meter_reader", "collector", "checker"} <= ids
    assert "transformer_area_manager" in ids
    for r in cat.roles:
        assert r.clauses, r.id
        for c in r.clauses:
            assert std.clause(c).id == c
    assert cat.role("transformer_area_manager").confidence.value == "L"
    assert cat.role("rural_electrician").name.zh == "农电工"
    assert cat.kind_of("director") is HoldKind.POST
    with pytest.raises(NotFoundError):
        cat.kind_of("janitor")


def test_who_held_a_post_on_a_day_and_what_a_person_held_in_a_month() -> None:
    roster = _roster()
    assert [p.id for p in roster.holders("rural_electrician", D(2026, 3, 10))] == ["P01", "P03"]
    assert [p.id for p in roster.holders("rural_electrician", D(2026, 3, 11))] == ["P01"]
    assert [a.holds for a in roster.held_by("P03", MARCH)] == ["rural_electrician", "meter_reader"]
    assert [a.holds for a in roster.held_by("P03", Month(2026, 4))] == ["meter_reader"]
    assert roster.holds_on("P01", D(2026, 3, 1)) == (
        "distribution_group_leader",
        "rural_electrician",
    )
    with pytest.raises(NotFoundError):
        roster.held_by("P99", MARCH)


def test_the_chart_as_of_a_day_is_filled_with_names() -> None:
    chart = {e.holds: e for e in _roster().chart(D(2026, 3, 31))}
    assert [p.name for p in chart["distribution_group_leader"].people] == ["王建国"]
    assert [p.name for p in chart["meter_reader"].people] == ["张强"]
    assert chart["director"].people == ()
    assert chart["meter_reader"].unit == "revenue_group"
    members = _roster().members("distribution_group", MARCH)
    assert [p.id for p in members] == ["P01", "P02", "P03"]


def test_roster_problems_are_named() -> None:
    roster = Roster(
        people=(Person("P1", "x"),),
        assignments=(
            Assignment("P1", "meter_reader", Effective(D(2026, 1, 1))),
            Assignment("P1", "meter_reader", Effective(D(2026, 2, 1), D(2026, 3, 1))),
        ),
    )
    (problem,) = roster.validate()
    assert "twice at once" in problem
    with pytest.raises(NotFoundError):
        Roster(people=(), assignments=(Assignment("P9", "x", Effective(D(2026, 1, 1))),))
    with pytest.raises(InputError):
        Effective(D(2026, 1, 2), D(2026, 1, 2))


# ---------------------------------------------------------------- responsibility


def _handover() -> list[Responsibility]:
    return [
        Responsibility("P03", ScopeKind.AREA, "A1", Effective(D(2025, 1, 1), D(2026, 3, 11))),
        Responsibility("P02", ScopeKind.AREA, "A1", Effective(D(2026, 3, 11))),
        Responsibility("P02", ScopeKind.AREA, "A2", Effective(D(2025, 1, 1))),
    ]


def test_month_end_and_split_by_days_are_worked_examples() -> None:
    r = _handover()
    assert shares(r, ScopeKind.AREA, "A1", MARCH, AttributionRule.MONTH_END) == (
        ("P02", Fraction(1)),
    )
    # 1-10 March: P03 (10 days), 11-31 March: P02 (21 days)
    assert shares(r, ScopeKind.AREA, "A1", MARCH, AttributionRule.SPLIT_BY_DAYS) == (
        ("P03", Fraction(10, 31)),
        ("P02", Fraction(21, 31)),
    )
    assert shares(r, ScopeKind.AREA, "A1", Month(2026, 2), AttributionRule.MONTH_END) == (
        ("P03", Fraction(1)),
    )
    # nobody: the whole month is unassigned
    assert shares(r, ScopeKind.AREA, "A9", MARCH, AttributionRule.SPLIT_BY_DAYS) == (
        (None, Fraction(1)),
    )
    # the last holder within the month answers when nobody holds it on the last day
    ended = [Responsibility("P1", ScopeKind.LINE, "L1", Effective(D(2026, 3, 1), D(2026, 3, 20)))]
    assert shares(ended, ScopeKind.LINE, "L1", MARCH, AttributionRule.MONTH_END) == (
        ("P1", Fraction(1)),
    )


def test_the_attribution_rule_is_data_with_overrides_per_kpi() -> None:
    rules = default_rules()
    assert rules.attribution.rule is AttributionRule.MONTH_END
    assert rules.attribution.for_metric("line_loss_rate_lv") is AttributionRule.SPLIT_BY_DAYS
    assert rules.attribution.for_metric("collection_rate") is AttributionRule.MONTH_END
    assert rules.attribution.confidence.value == "L"


def test_validation_names_gaps_overlaps_unknowns_and_unfit_holders() -> None:
    roster = _roster()
    resp = [
        *_handover(),
        Responsibility("P02", ScopeKind.AREA, "A2", Effective(D(2026, 3, 1)), row=5),  # twice
        Responsibility("P04", ScopeKind.AREA, "A3", Effective(D(2026, 3, 1)), row=6),  # technician
        Responsibility("P01", ScopeKind.AREA, "A99", Effective(D(2026, 3, 1)), row=7),
        Responsibility("P77", ScopeKind.LINE, "L1", Effective(D(2026, 3, 1)), row=8),
        Responsibility("P03", ScopeKind.AREA, "A4", Effective(D(2026, 3, 5)), row=9),
    ]
    issues = validate(resp, roster, [MARCH], {ScopeKind.AREA: ["A1", "A2", "A3", "A4", "A5"]})
    kinds = {(i.kind, i.target) for i in issues}
    assert (IssueKind.UNKNOWN_PERSON, "L1") in kinds
    assert (IssueKind.UNKNOWN_TARGET, "A99") in kinds
    assert (IssueKind.UNFIT, "A3") in kinds
    assert (IssueKind.OVERLAP, "A2") in kinds
    gaps = {i.target: i.message for i in issues if i.kind is IssueKind.GAP}
    assert gaps == {
        "A4": "nobody answered for area A4 on 2026-03-01 to 2026-03-04",
        "A5": "nobody answered for area A5 in 2026-03",
    }
    # P03 was a rural electrician until 10 March, then a meter reader: both may answer for
    # areas, so A4 is fitting all month; A1 was handed over on the 11th, no gap
    assert not any(i.target in ("A1", "A4") and i.kind is IssueKind.UNFIT for i in issues)
    unfit = next(i for i in issues if i.kind is IssueKind.UNFIT)
    assert unfit.row == 6 and "2026-03-01 to 2026-03-31" in unfit.message


def test_a_line_for_a_meter_reader_is_unfit() -> None:
    roster = _roster()
    resp = [Responsibility("P03", ScopeKind.LINE, "L1", Effective(D(2026, 3, 1)))]
    (issue,) = validate(resp, roster, [MARCH], {})
    assert issue.kind is IssueKind.UNFIT
    assert "2026-03-11 to 2026-03-31" in issue.message  # a rural electrician until the 10th


# ---------------------------------------------------------------- KPIs per person


def _rows() -> list[dict[str, object]]:
    return [
        {"month": MARCH, "area": "A1", "supplied_kwh": 3100, "sold_kwh": 2790},
        {"month": MARCH, "area": "A2", "supplied_kwh": 1000, "sold_kwh": 950},
        {"month": Month(2026, 2), "area": "A1", "supplied_kwh": 2000, "sold_kwh": 1900},
    ]


def test_kpis_per_person_are_ratios_of_sums_by_the_rule() -> None:
    d = metric("line_loss_rate_lv")
    end = person_states(
        d, _rows(), _handover(), scope=ScopeKind.AREA, months=MARCH,
        rule=AttributionRule.MONTH_END,
    )  # fmt: skip
    # P02 holds both at month end: (310 + 50) / (3100 + 1000), not the mean of 10% and 5%
    assert end["P02"].ratio().value == Fraction(360, 4100)
    assert set(end) == {"P02"}
    split = person_states(
        d, _rows(), _handover(), scope=ScopeKind.AREA, months=MARCH,
        rule=AttributionRule.SPLIT_BY_DAYS,
    )  # fmt: skip
    # P03 had A1 for 10 of 31 days: 10/31 of its kWh
    assert split["P03"].inputs() == {"supplied_kwh": Fraction(1000), "sold_kwh": Fraction(900)}
    assert split["P02"].inputs() == {"supplied_kwh": Fraction(3100), "sold_kwh": Fraction(2840)}
    # the station's default rule for line loss is split by days
    assert person_states(d, _rows(), _handover(), scope=ScopeKind.AREA, months=MARCH) == split


def test_kpis_per_person_on_frames_equal_the_numbers() -> None:
    pd = pytest.importorskip("pandas")
    d = metric("line_loss_rate_lv")
    rows = [{**r, "month": str(r["month"])} for r in _rows()]
    frame = pd.DataFrame([*rows, {**rows[0], "supplied_kwh": 0, "sold_kwh": 0}])
    for rule in AttributionRule:
        expected = person_states(
            d, rows, _handover(), scope=ScopeKind.AREA, months=MARCH, rule=rule
        )
        got = person_states_from_frame(
            d, frame, _handover(), scope=ScopeKind.AREA, months=MARCH, rule=rule
        )
        assert {p: s.inputs() for p, s in got.items()} == {
            p: s.inputs() for p, s in expected.items()
        }


AREAS = [f"A{i}" for i in range(1, 7)]
PEOPLE = ["P1", "P2", "P3"]


@st.composite
def _split(draw: st.DrawFn) -> tuple[list[Responsibility], list[dict[str, object]]]:
    resp: list[Responsibility] = []
    for area in AREAS:
        # exactly one holder per day: a chain of handovers through March
        days = sorted(draw(st.sets(st.integers(2, 31), max_size=3)))
        starts = [1, *days]
        for i, start in enumerate(starts):
            end = D(2026, 3, starts[i + 1]) if i + 1 < len(starts) else None
            resp.append(
                Responsibility(
                    draw(st.sampled_from(PEOPLE)), ScopeKind.AREA, area,
                    Effective(D(2026, 3, start), end),
                )
            )  # fmt: skip
    rows = []
    for area in AREAS:
        read = draw(st.integers(0, 500))
        rows.append(
            {"month": MARCH, "area": area, "read": read, "due": read + draw(st.integers(0, 50))}
        )
    return resp, rows


@given(_split(), st.sampled_from(list(AttributionRule)))
def test_with_one_holder_per_area_the_people_add_up_to_the_station(
    case: tuple[list[Responsibility], list[dict[str, object]]], rule: AttributionRule
) -> None:
    resp, rows = case
    d = metric("meter_reading_rate")
    states = person_states(d, rows, resp, scope=ScopeKind.AREA, months=MARCH, rule=rule)
    assert None not in states  # every day of every area had a holder
    station = PartialState.from_records(d, rows)
    people = PartialState.merge(d, states.values())
    assert people.ratio().numerator == station.ratio().numerator
    assert people.ratio().denominator == station.ratio().denominator
    if rule is AttributionRule.MONTH_END:  # whole areas: integers, no fractions of a meter
        assert all(v.denominator == 1 for s in states.values() for v in s.inputs().values())


@given(st.lists(st.integers(0, 1000), min_size=6, max_size=6))
def test_unassigned_days_keep_the_sum(values: list[int]) -> None:
    d = metric("meter_reading_rate")
    rows = [
        {"month": MARCH, "area": a, "read": v, "due": v + 1}
        for a, v in zip(AREAS, values, strict=True)
    ]
    resp = [Responsibility("P1", ScopeKind.AREA, "A1", Effective(D(2026, 3, 15)))]
    states = person_states(
        d, rows, resp, scope=ScopeKind.AREA, months=MARCH, rule=AttributionRule.SPLIT_BY_DAYS
    )
    total = PartialState.merge(d, states.values())
    assert total.inputs() == PartialState.from_records(d, rows).inputs()
    assert states["P1"].inputs()["due"] == Fraction(17, 31) * (values[0] + 1)


# ---------------------------------------------------------------- targets


def test_targets_broken_down_by_fixed_band_and_share() -> None:
    d = metric("line_loss_rate_lv")
    parts = attribute(
        d, _rows(), _handover(), scope=ScopeKind.AREA, months=MARCH,
        rule=AttributionRule.MONTH_END,
    )  # fmt: skip
    fixed = TargetRule(metric=d.id, rule=TargetRuleKind.FIXED, value=Fraction(10),
                       values={"A2": Fraction(6)})  # fmt: skip
    t = break_down(fixed, d, parts)["P02"]
    # (10 % of 3100 + 6 % of 1000) / 4100
    assert t.allowed == Fraction(370) and t.target.threshold == Fraction(370, 4100)
    # band: A1's own February (5 %) tightened by 0.2 pp; A2 has no history: station target
    history = by_unit(
        attribute(d, _rows(), _handover(), scope=ScopeKind.AREA, months=[Month(2026, 2)])
    )
    band = TargetRule(metric=d.id, rule=TargetRuleKind.BAND, margin=Fraction(2, 10))
    from gdsmodel.metrics.ratio import Direction, Target

    station = Target.percent(11, Direction.LOWER)
    t = break_down(band, d, parts, history=history, station_target=station)["P02"]
    assert t.allowed == Fraction(48, 1000) * 3100 + Fraction(11, 100) * 1000
    capped = TargetRule(metric=d.id, rule=TargetRuleKind.BAND, margin=Fraction(0), cap=Fraction(4))
    t = break_down(capped, d, parts, history=history, station_target=station)["P02"]
    assert t.allowed == Fraction(4, 100) * 4100  # the cap binds the station fallback too
    share = TargetRule(metric=d.id, rule=TargetRuleKind.SHARE, share_percent=Fraction(90))
    t = break_down(share, d, parts, station_target=station)["P02"]
    assert t.target.threshold == Fraction(99, 1000) and t.allowed == Fraction(99, 1000) * 4100
    assert break_down(share, d, parts) == {}  # no station target: nothing to share


def test_the_shipped_target_rules_are_data() -> None:
    rules = default_target_rules()
    assert rules.for_metric("line_loss_rate_lv").rule is TargetRuleKind.BAND
    assert all(r.confidence.value == "L" for r in rules.rules)
    with pytest.raises(InputError):
        TargetRule(metric="x", rule=TargetRuleKind.FIXED)


def test_every_public_name_of_the_package_resolves() -> None:
    import gdsmodel.organisation as org

    for name in org.__all__:
        assert getattr(org, name) is not None, name
    with pytest.raises(AttributeError):
        org.nonsense  # noqa: B018


@given(
    st.lists(
        st.tuples(st.sampled_from(AREAS), st.integers(0, 10_000), st.integers(0, 10_000)),
        min_size=1,
        max_size=20,
    ),
    st.sampled_from(list(AttributionRule)),
)
def test_kpis_per_person_on_a_frame_equal_the_numbers_for_any_rows(
    rows: list[tuple[str, int, int]], rule: AttributionRule
) -> None:
    pd = pytest.importorskip("pandas")
    d = metric("collection_rate")
    records = [{"month": "2026-03", "area": a, "collected": c, "billed": b} for a, c, b in rows]
    resp = [
        Responsibility("P1", ScopeKind.AREA, "A1", Effective(D(2026, 1, 1), D(2026, 3, 9))),
        Responsibility("P2", ScopeKind.AREA, "A1", Effective(D(2026, 3, 9))),
        Responsibility("P2", ScopeKind.AREA, "A2", Effective(D(2026, 1, 1))),
    ]
    numbers = person_states(d, records, resp, scope=ScopeKind.AREA, months=MARCH, rule=rule)
    frame = person_states_from_frame(
        d, pd.DataFrame(records), resp, scope=ScopeKind.AREA, months=MARCH, rule=rule
    )
    assert {p: s.inputs() for p, s in frame.items()} == {p: s.inputs() for p, s in numbers.items()}


def test_a_person_gets_the_obligations_of_what_they_held_and_their_unit() -> None:
    from gdsmodel.organisation.obligations import person_obligations

    roster = _roster()
    reader = person_obligations(roster, "P03", Month(2026, 4))  # a meter reader since 11 March
    assert {o.owner for o in reader} == {"revenue_group"}
    leader = person_obligations(roster, "P01", Month(2026, 4))
    assert {o.owner for o in leader} == {"distribution_group_leader", "distribution_group"}
    march = person_obligations(roster, "P03", MARCH)  # both groups' work in March
    assert {o.owner for o in march} == {"distribution_group", "revenue_group"}
    # dated work of the distribution group falls in 1-10 March only
    assert all(
        o.window is None or o.window.start.date() < D(2026, 3, 11)
        for o in march
        if o.owner == "distribution_group"
    )


def test_a_gap_is_named_per_kpi_when_the_split_is_per_kpi() -> None:
    roster = _roster()
    resp = [
        Responsibility("P02", ScopeKind.AREA, "A1", Effective(D(2025, 1, 1)),
                       metrics=("line_loss_rate_lv",)),
        Responsibility("P03", ScopeKind.AREA, "A1", Effective(D(2025, 1, 1), D(2026, 3, 20)),
                       metrics=("meter_reading_rate",)),
    ]  # fmt: skip
    (gap,) = validate(resp, roster, [MARCH], {ScopeKind.AREA: ["A1"]})
    assert gap.kind is IssueKind.GAP
    assert gap.message == (
        "nobody answered for the meter_reading_rate of area A1 on 2026-03-20 to 2026-03-31"
    )
