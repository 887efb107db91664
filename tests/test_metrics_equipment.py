"""Equipment intact rate and class-1 share."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gdsmodel.errors import InputError
from gdsmodel.metrics.equipment import (
    EquipmentClass,
    EquipmentTally,
    class1_share,
    equipment_intact_rate,
    grade_by_defects,
)
from gdsmodel.metrics.ratio import Ratio
from gdsmodel.metrics.registry import metric


def test_worked_example_by_units() -> None:
    # 62 transformer areas: 50 class 1, 9 class 2, 3 class 3
    assert equipment_intact_rate(class1=50, class2=9, class3=3) == Ratio(59, 62)
    assert equipment_intact_rate(class1=50, class2=9, class3=3).format() == "95.16%"
    assert class1_share(class1=50, class2=9, class3=3).format() == "80.65%"


def test_worked_example_by_length() -> None:
    # low-voltage lines in km
    r = class1_share(class1="38.2", class2="1.5", class3="0.3")
    assert r == Ratio(Fraction(382, 10), 40)
    assert r.format() == "95.50%"
    assert metric("class1_share").verdict(r, "lv_village").met


def test_bad_inputs() -> None:
    with pytest.raises(InputError) as exc:
        equipment_intact_rate(class1=1, class2=2, class3=-3)
    assert exc.value.name == "class3"
    with pytest.raises(InputError) as exc:
        class1_share(class1=float("inf"), class2=0, class3=0)
    assert exc.value.name == "class1"
    with pytest.raises(InputError):
        EquipmentTally.of([("class4", 1)])
    with pytest.raises(InputError):
        EquipmentTally.of([("class1", -1)])
    with pytest.raises(InputError):
        grade_by_defects(ordinary=-1)
    with pytest.raises(InputError):
        grade_by_defects(serious=True)


def test_grading_practice() -> None:
    assert grade_by_defects() is EquipmentClass.CLASS1
    assert grade_by_defects(ordinary=1) is EquipmentClass.CLASS2
    assert grade_by_defects(ordinary=3) is EquipmentClass.CLASS3
    assert grade_by_defects(serious=1) is EquipmentClass.CLASS3


def test_tally() -> None:
    items = [(grade_by_defects(ordinary=n % 3), 1) for n in range(10)]
    t = EquipmentTally.of(items)
    assert (t.class1, t.class2, t.class3) == (4, 3, 3)
    assert t.intact_rate == Ratio(7, 10) and t.class1_share == Ratio(4, 10)
    assert sum([t, t]) == EquipmentTally(8, 6, 6)
    assert EquipmentTally().intact_rate.defined is False


Q = st.integers(0, 10**5)


@settings(max_examples=100)
@given(st.lists(st.tuples(Q, Q, Q), max_size=12), st.data())
def test_partition_and_range(rows: list[tuple[int, int, int]], data: st.DataObject) -> None:
    tallies = [EquipmentTally(*r) for r in rows]
    whole = sum(tallies, EquipmentTally())
    labels = data.draw(st.lists(st.integers(0, 3), min_size=len(rows), max_size=len(rows)))
    groups: dict[int, EquipmentTally] = {}
    for t, k in zip(tallies, labels, strict=True):
        groups[k] = groups[k] + t if k in groups else t
    merged = sum(groups.values(), EquipmentTally())
    assert merged.intact_rate == whole.intact_rate
    assert merged.class1_share == whole.class1_share
    for r in (whole.intact_rate, whole.class1_share):
        assert not r.defined or 0 <= r.require() <= 1
    if whole.intact_rate.defined:
        assert whole.class1_share.require() <= whole.intact_rate.require()
