"""Transformer-area analytics on numbers: same-period loss, classes, counts, runs, curves."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gdsmodel.errors import DataFileError, InputError, NotFoundError
from gdsmodel.metrics.areas import (
    AreaClass,
    AreaDay,
    AreaPeriod,
    ClassCounts,
    CurvePoint,
    CustomerReading,
    NonComputable,
    RunState,
    SupplyReading,
    Transformer,
    VoltagePoint,
    area_days,
    area_load_rates,
    area_metric,
    area_periods,
    area_registry,
    area_rules,
    classify,
    classify_day,
    load_area_rules,
    load_events,
    load_rate,
    low_voltage,
    runs,
    unbalance,
    unbalance_events,
)

D1 = dt.date(2026, 3, 1)


def day_state(
    supplied: int | None,
    sold: int,
    *,
    expected: int = 100,
    read: int = 100,
    area: str = "T01",
    day: dt.date = D1,
) -> AreaDay:
    days = area_days(
        [SupplyReading(area, day, supplied)],
        [CustomerReading(area, day, sold, meters_expected=expected, meters_read=read)],
    )
    return days[(area, day)]


# --------------------------------------------------------------------------- hand examples


@pytest.mark.parametrize(
    ("supplied", "sold", "expected_class"),
    [
        (1000, 900, AreaClass.QUALIFIED),  # exactly 10 %: the upper edge is qualified
        (1000, 1000, AreaClass.QUALIFIED),  # exactly 0 %: the lower edge is qualified
        (100000, 89999, AreaClass.HIGH_LOSS),  # 10.001 %
        (100000, 100001, AreaClass.NEGATIVE_LOSS),  # -0.001 %
        (1000, 950, AreaClass.QUALIFIED),
    ],
)
def test_the_band_edges_are_qualified(supplied: int, sold: int, expected_class: AreaClass) -> None:
    c = classify_day(day_state(supplied, sold))
    assert c.area_class is expected_class
    assert c.loss.value == Fraction(supplied - sold, supplied)


@pytest.mark.parametrize(
    ("supplied", "expected", "read", "reason"),
    [
        (None, 100, 100, NonComputable.NO_SUPPLY_READING),
        (0, 100, 100, NonComputable.ZERO_SUPPLY),
        (1000, 0, 0, NonComputable.ARCHIVE_MISMATCH),
        (1000, 100, 97, NonComputable.LOW_COLLECTION),  # 97 % < 98 %
    ],
)
def test_non_computable_days_carry_their_reason(
    supplied: int | None, expected: int, read: int, reason: NonComputable
) -> None:
    c = classify_day(day_state(supplied, 0, expected=expected, read=read))
    assert c.area_class is AreaClass.NON_COMPUTABLE
    assert c.reason is reason


def test_a_collection_rate_exactly_on_the_threshold_is_computable() -> None:
    d = day_state(1000, 950, expected=50, read=49)  # 98 %
    assert d.collection_rate.value == Fraction(49, 50)
    assert d.reason() is None


def test_estimated_readings_count_as_sold_but_not_as_read() -> None:
    rows = [
        CustomerReading("T01", D1, 500, meters_expected=50, meters_read=50),
        CustomerReading("T01", D1, 400, meters_expected=50, meters_read=50, estimated=True),
    ]
    d = area_days([SupplyReading("T01", D1, 1000)], rows)[("T01", D1)]
    assert (d.sold_kwh, d.estimated_kwh, d.meters_read, d.meters_estimated) == (900, 400, 50, 50)
    assert d.reason() is NonComputable.LOW_COLLECTION
    lenient = load_area_rules({"collection": {"estimated_counts_as_read": True}})
    assert d.reason(lenient) is None


def test_a_second_supply_meter_not_read_makes_the_day_non_computable() -> None:
    readings = [SupplyReading("T01", D1, 600), SupplyReading("T01", D1, None)]
    custom = [CustomerReading("T01", D1, 550, meters_expected=10, meters_read=10)]
    d = area_days(readings, custom)[("T01", D1)]
    assert (d.supply_meters, d.supply_read) == (2, 1)
    assert d.reason() is NonComputable.NO_SUPPLY_READING


def test_the_month_is_a_ratio_of_sums_over_the_computable_days_only() -> None:
    days = [
        day_state(1000, 950, day=dt.date(2026, 3, 1)),  # 5 %
        day_state(3000, 2700, day=dt.date(2026, 3, 2)),  # 10 %
        day_state(None, 5000, day=dt.date(2026, 3, 3)),  # not read: left out
    ]
    (p,) = area_periods(days).values()
    assert p.loss.value == Fraction(350, 4000)  # not the mean of 5 % and 10 %
    assert (p.days, p.computable_days) == (3, 2)
    assert dict(p.reasons) == {NonComputable.NO_SUPPLY_READING: 1}
    assert classify(p).area_class is AreaClass.QUALIFIED


def test_a_month_without_computable_days_takes_the_most_frequent_reason() -> None:
    days = [
        day_state(None, 1, day=dt.date(2026, 3, 1)),
        day_state(0, 1, day=dt.date(2026, 3, 2)),
        day_state(0, 1, day=dt.date(2026, 3, 3)),
    ]
    (p,) = area_periods(days).values()
    c = classify(p)
    assert (c.area_class, c.reason) == (AreaClass.NON_COMPUTABLE, NonComputable.ZERO_SUPPLY)


def test_too_few_computable_days_is_its_own_reason() -> None:
    rules = load_area_rules({"month": {"min_computable_days": 2}})
    days = [
        day_state(1000, 950, day=dt.date(2026, 3, 1)),
        day_state(None, 1, day=dt.date(2026, 3, 2)),
    ]
    (p,) = area_periods(days, rules=rules).values()
    assert classify(p, rules=rules).reason is NonComputable.TOO_FEW_DAYS


def test_bands_depend_on_the_area_type() -> None:
    rules = load_area_rules({"area_types": [{"id": "urban", "qualified_max": "7"}]})
    d = day_state(1000, 920)  # 8 %
    assert classify_day(d, area_type="rural", rules=rules).area_class is AreaClass.QUALIFIED
    assert classify_day(d, area_type="urban", rules=rules).area_class is AreaClass.HIGH_LOSS
    with pytest.raises(NotFoundError):
        classify_day(d, area_type="island")


def test_runs_of_qualified_days_and_high_loss_days() -> None:
    sold = [950, 950, 800, 950, 950, 950, 700]  # q q H q q q H
    days = [day_state(1000, s, day=dt.date(2026, 3, i + 1)) for i, s in enumerate(sold)]
    (p,) = area_periods(days).values()
    assert p.longest_qualified_run == 3
    assert p.high_loss_days == 2
    assert p.qualified.tail == 0 and p.qualified.head == 2


def test_readings_of_an_area_outside_the_archive_are_refused() -> None:
    with pytest.raises(InputError, match="not in the archive"):
        area_days([SupplyReading("T09", D1, 1)], [], archive=["T01"])


def test_bad_readings_are_typed_errors_naming_the_field() -> None:
    with pytest.raises(InputError, match="meters_read"):
        CustomerReading("T01", D1, 1, meters_expected=1, meters_read=-1)
    with pytest.raises(InputError, match="supplied_kwh"):
        SupplyReading("T01", D1, float("nan"))
    with pytest.raises(InputError, match="day"):
        SupplyReading("T01", "2026-03-01", 1)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="area"):
        SupplyReading("", D1, 1)


def test_a_bad_rules_file_names_the_place(tmp_path: object) -> None:
    with pytest.raises(DataFileError, match="qualified_min exceeds"):
        load_area_rules({"area_types": [{"id": "rural", "qualified_min": "11"}]})
    with pytest.raises(DataFileError, match="min_minutes"):
        load_area_rules({"low_voltage": {"min_minutes": 0}})


def test_counts_and_their_kpis_agree() -> None:
    c = ClassCounts(qualified=45, high_loss=3, negative_loss=2, non_computable=5)
    assert c.qualified_rate.value == Fraction(45, 50)
    d = area_metric("area_loss_qualified_rate")
    assert d.ratio(**{k: v for k, v in c.inputs().items() if k in d.inputs}).value == Fraction(
        9, 10
    )
    share = area_metric("high_loss_area_share")
    assert share.ratio(high_loss_areas=3, computable_areas=50).value == Fraction(3, 50)
    assert ClassCounts().qualified_rate.defined is False


def test_the_area_kpis_link_their_clauses() -> None:
    reg = area_registry()
    assert "line_loss_rate" in reg
    assert "high_loss_area_share" in {d.id for d in reg.for_clause("marketing_officer.standard.8")}
    assert "heavy_load_area_share" in {d.id for d in reg.for_clause("technician.standard.7")}


# --------------------------------------------------------------------------- curves


def test_a_load_event_of_exactly_the_minimum_duration_counts() -> None:
    t = Transformer("TR1", "T01", 100)
    rule = area_rules().load_event("overload")
    for n, expected in [(8, 1), (7, 0)]:  # 8 points = 120 min; 7 = 105 min
        pts = [CurvePoint("TR1", D1, i, 101 if i < n else 100) for i in range(96)]
        s = load_events(area_load_rates(pts, [t]), rule)["T01"]
        assert len(s.events) == expected
        assert s.longest_minutes == (120 if expected else 0)


def test_a_rate_exactly_on_the_threshold_is_not_above_it() -> None:
    t = Transformer("TR1", "T01", 100)
    pts = [CurvePoint("TR1", D1, i, 60, q_kvar=80) for i in range(96)]  # S = 100 kVA
    rates = area_load_rates(pts, [t])
    assert load_events(rates, area_rules().load_event("overload"))["T01"].events == ()
    assert len(load_events(rates, area_rules().load_event("heavy_load"))["T01"].events) == 1


def test_several_transformers_of_an_area_are_summed_and_a_missing_one_breaks_the_run() -> None:
    ts = [Transformer("A", "T01", 100), Transformer("B", "T01", 100)]
    pts = [CurvePoint("A", D1, i, 170) for i in range(12)]
    pts += [CurvePoint("B", D1, i, 0) for i in range(12) if i != 4]
    rates = area_load_rates(pts, ts)
    assert rates[("T01", D1, 0)].value == Fraction(85, 100)
    assert ("T01", D1, 4) not in rates
    s = load_events(rates, area_rules().load_event("heavy_load"))["T01"]
    assert [e.length for e in s.events] == []  # runs of 4 and 7 points: both under 2 h
    assert load_rate(p_kw=30, q_kvar=40, rated_kva=50).value == 1


def test_events_cross_midnight_and_consecutive_days_are_flagged() -> None:
    t = Transformer("TR1", "T01", 100)
    pts = []
    for k in range(3):
        day = D1 + dt.timedelta(days=k)
        pts += [CurvePoint("TR1", day, i, 120 if i >= 90 or i < 3 else 50) for i in range(96)]
    s = load_events(area_load_rates(pts, [t]), area_rules().load_event("overload"))["T01"]
    # 3 points on day 1, then 6 + 3 across each midnight, then 6 on day 3
    assert [e.length for e in s.events] == [9, 9]
    assert s.event_days == (D1, D1 + dt.timedelta(days=1), D1 + dt.timedelta(days=2))
    assert s.most_consecutive_days == 3 and s.flagged


def test_unbalance_formula_and_events() -> None:
    assert unbalance(100, 85, 100).value == Fraction(15, 100)
    assert unbalance(0, 0, 0).defined is False
    t = Transformer("TR1", "T01", 100)
    pts = [CurvePoint("TR1", D1, i, 50, ia=100, ib=84 if i < 8 else 85, ic=90) for i in range(20)]
    s = unbalance_events(pts, [t])[("T01", "TR1")]
    assert [e.length for e in s.events] == [8]  # 16 % for 2 h; exactly 15 % is not above


def test_low_voltage_counts_customers_and_areas() -> None:
    pts = [VoltagePoint("C1", "T01", D1, i, 197) for i in range(4)]  # exactly 1 h below 198
    pts += [VoltagePoint("C2", "T01", D1, i, 197) for i in range(3)]  # 45 min
    pts += [VoltagePoint("C3", "T02", D1, i, 230) for i in range(4)]
    lv = low_voltage(pts)
    assert lv.customers == ("C1",) and lv.areas == ("T01",)
    assert lv.customer_share.value == Fraction(1, 3) and lv.area_share.value == Fraction(1, 2)


# --------------------------------------------------------------------------- properties

DAY = st.builds(
    lambda sup, sold, exp, rd: (sup, sold, exp, min(rd, exp)),
    st.one_of(st.none(), st.integers(0, 2000)),
    st.integers(0, 2000),
    st.integers(0, 60),
    st.integers(0, 60),
)


@given(st.lists(DAY, min_size=1, max_size=20), st.integers(1, 19))
def test_merging_period_states_equals_the_union(
    rows: list[tuple[int | None, int, int, int]], cut: int
) -> None:
    days = [
        day_state(s, sold, expected=e, read=r, day=D1 + dt.timedelta(days=i))
        for i, (s, sold, e, r) in enumerate(rows)
    ]
    whole = area_periods(days, period=lambda d: "all")
    parts = [
        area_periods(days[:cut], period=lambda d: "all"),
        area_periods(days[cut:], period=lambda d: "all"),
    ]
    merged = [p[("T01", "all")] for p in parts if p]
    total = merged[0] if len(merged) == 1 else merged[1] + merged[0]  # order does not matter
    assert total == whole[("T01", "all")]
    assert classify(total) == classify(whole[("T01", "all")])


@given(st.lists(DAY, min_size=1, max_size=30))
def test_runs_never_exceed_the_days_counted(rows: list[tuple[int | None, int, int, int]]) -> None:
    days = [
        day_state(s, sold, expected=e, read=r, day=D1 + dt.timedelta(days=i))
        for i, (s, sold, e, r) in enumerate(rows)
    ]
    (p,) = area_periods(days).values() if len({d.day.month for d in days}) == 1 else (None,)
    if p is None:
        return
    assert p.qualified.longest <= p.qualified.marked <= p.days
    assert (
        p.high_loss_days + p.qualified.marked + p.negative_loss.marked + sum(p.reasons.values())
        == p.days
    )
    assert p.computable_days + sum(p.reasons.values()) == p.days


@given(st.lists(DAY, min_size=1, max_size=40))
def test_classes_partition_the_areas(rows: list[tuple[int | None, int, int, int]]) -> None:
    days = [
        day_state(s, sold, expected=e, read=r, area=f"T{i:02d}")
        for i, (s, sold, e, r) in enumerate(rows)
    ]
    classes = [classify(p) for p in area_periods(days).values()]
    counts = ClassCounts.of(classes)
    assert counts.areas == len(rows)
    by = {c: sum(1 for x in classes if x.area_class is c) for c in AreaClass}
    assert sum(by.values()) == len(rows)
    if counts.computable:
        total = counts.qualified_rate.require() + counts.high_loss_share.require()
        assert total + counts.negative_loss_share.require() == 1


@given(st.lists(st.booleans(), min_size=1, max_size=60), st.integers(0, 60))
def test_run_states_merge_like_the_whole(marks: list[bool], cut: int) -> None:
    states = [RunState.of(i, m) for i, m in enumerate(marks)]
    whole = RunState.merge(states)
    cut = min(cut, len(marks))
    if 0 < cut < len(marks):
        assert RunState.merge(states[cut:]) + RunState.merge(states[:cut]) == whole
    found = runs(i for i, m in enumerate(marks) if m)
    assert whole.longest == max((r.length for r in found), default=0)
    assert whole.marked == sum(marks)


@given(st.sets(st.integers(0, 200), max_size=80), st.integers(1, 10))
def test_runs_of_a_minimum_length(ordinals: set[int], need: int) -> None:
    found = runs(ordinals, min_length=need)
    assert all(r.length >= need for r in found)
    covered = {o for r in found for o in range(r.start, r.end)}
    assert covered <= ordinals
    assert all(r.start - 1 not in ordinals and r.end not in ordinals for r in found)


def test_states_of_different_area_days_do_not_merge() -> None:
    a = AreaDay(area="T01", day=D1)
    with pytest.raises(InputError, match="different area-days"):
        _ = a + AreaDay(area="T02", day=D1)
    p = AreaPeriod.of(day_state(1, 1))
    with pytest.raises(InputError, match="different areas"):
        _ = p + AreaPeriod.of(day_state(1, 1, area="T02"))
    with pytest.raises(InputError, match="overlap"):
        _ = p + p


def test_the_docs_page_examples_run() -> None:
    import doctest
    from pathlib import Path

    pytest.importorskip("polars")
    page = Path(__file__).resolve().parent.parent / "docs" / "areas.md"
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    result = doctest.testfile(str(page), module_relative=False, optionflags=flags)
    assert result.attempted > 20 and result.failed == 0


READINGS = st.lists(
    st.tuples(
        st.sampled_from(["T01", "T02"]),
        st.integers(0, 3),
        st.integers(0, 500),
        st.integers(0, 5),
        st.integers(0, 5),
        st.booleans(),
    ),
    min_size=1,
    max_size=30,
)


@given(READINGS, st.data())
def test_area_day_states_of_any_split_of_the_readings_merge_to_the_whole(
    rows: list[tuple[str, int, int, int, int, bool]], data: st.DataObject
) -> None:
    customers = [
        CustomerReading(
            a, D1 + dt.timedelta(days=d), kwh, meters_expected=e + r, meters_read=r, estimated=x
        )
        for a, d, kwh, e, r, x in rows
    ]
    supply = [SupplyReading(a, D1 + dt.timedelta(days=d), kwh) for a, d, kwh, *_ in rows[::3]]
    flags = data.draw(st.lists(st.booleans(), min_size=len(customers), max_size=len(customers)))
    left = area_days(supply, [c for c, f in zip(customers, flags, strict=True) if f])
    right = area_days([], [c for c, f in zip(customers, flags, strict=True) if not f])
    merged = dict(left)
    for k, v in right.items():
        merged[k] = merged[k] + v if k in merged else v
    assert merged == area_days(supply, customers)


@given(st.lists(st.sampled_from(list(AreaClass)), max_size=40), st.integers(0, 40))
def test_class_counts_add_up(classes: list[AreaClass], cut: int) -> None:
    whole = ClassCounts.of(classes)
    assert ClassCounts.of(classes[:cut]) + ClassCounts.of(classes[cut:]) == whole
    assert sum([ClassCounts.of([c]) for c in classes], ClassCounts()) == whole
    assert whole.areas == len(classes)
