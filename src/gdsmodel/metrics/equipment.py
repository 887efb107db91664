"""Equipment rating: the intact rate (设备完好率) and the class-1 share (一类设备率).

Equipment is rated class 1, 2 or 3; the intact rate is ``(class 1 + class 2) / all rated``
and the class-1 share ``class 1 / all rated``. Quantities are counts, lengths (km) or
capacities (kVA): never mix kinds in one ratio.

>>> equipment_intact_rate(class1=40, class2=8, class3=2).format()
'96.00%'
>>> class1_share(class1=40, class2=8, class3=2).format()
'80.00%'
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from fractions import Fraction
from typing import Any

import attrs

from gdsmodel.errors import InputError
from gdsmodel.metrics.ratio import KpiResult, NumberLike, Target, exact
from gdsmodel.metrics.registry import metric

__all__ = [
    "EquipmentClass",
    "EquipmentTally",
    "class1_share",
    "equipment_intact_rate",
    "grade_by_defects",
]


class EquipmentClass(enum.StrEnum):
    """The rating of a piece of equipment (一类, 二类, 三类)."""

    CLASS1 = "class1"
    CLASS2 = "class2"
    CLASS3 = "class3"


def equipment_intact_rate(
    *,
    class1: NumberLike,
    class2: NumberLike,
    class3: NumberLike,
    target: str | Target | None = None,
) -> KpiResult:
    """Equipment intact rate: (class 1 + class 2) ÷ (class 1 + class 2 + class 3).

    >>> equipment_intact_rate(class1="12.5", class2="3.0", class3="0.5").format()  # km
    '96.88%'
    >>> equipment_intact_rate(class1=1, class2=-1, class3=0)
    Traceback (most recent call last):
    gdsmodel.errors.InputError: class2=-1: must not be negative (allowed: a finite number >= 0)
    """
    return metric("equipment_intact_rate").evaluate(
        {"class1": class1, "class2": class2, "class3": class3}, target=target
    )


def class1_share(
    *,
    class1: NumberLike,
    class2: NumberLike,
    class3: NumberLike,
    target: str | Target | None = None,
) -> KpiResult:
    """Class-1 share: class 1 ÷ (class 1 + class 2 + class 3).

    >>> class1_share(class1=0, class2=0, class3=0).defined
    False
    """
    return metric("class1_share").evaluate(
        {"class1": class1, "class2": class2, "class3": class3}, target=target
    )


def grade_by_defects(*, ordinary: int = 0, serious: int = 0) -> EquipmentClass:
    """One vendor's grading practice (confidence M): no open defect -> class 1; one ordinary
    defect -> class 2; a serious defect or several defects -> class 3.

    >>> [str(grade_by_defects(ordinary=n)) for n in (0, 1, 2)], str(grade_by_defects(serious=1))
    (['class1', 'class2', 'class3'], 'class3')
    """
    for name, n in (("ordinary", ordinary), ("serious", serious)):
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise InputError("must be a count", name=name, value=n, allowed="an int >= 0")
    if serious or ordinary > 1:
        return EquipmentClass.CLASS3
    if ordinary == 1:
        return EquipmentClass.CLASS2
    return EquipmentClass.CLASS1


def _class1(value: Any) -> Fraction:
    return exact(value, name="class1")


def _class2(value: Any) -> Fraction:
    return exact(value, name="class2")


def _class3(value: Any) -> Fraction:
    return exact(value, name="class3")


@attrs.frozen(slots=True)
class EquipmentTally:
    """Quantities rated per class (additive), with both rates.

    >>> t = EquipmentTally.of([("class1", 10), ("class2", 2), ("class1", 5), ("class3", 1)])
    >>> t.intact_rate.format(), t.class1_share.format()
    ('94.44%', '83.33%')
    """

    class1: Fraction = attrs.field(default=Fraction(0), converter=_class1)
    class2: Fraction = attrs.field(default=Fraction(0), converter=_class2)
    class3: Fraction = attrs.field(default=Fraction(0), converter=_class3)

    @classmethod
    def of(cls, items: Iterable[tuple[EquipmentClass | str, NumberLike]]) -> EquipmentTally:
        """Sum ``(class, quantity)`` pairs."""
        sums = dict.fromkeys(EquipmentClass, Fraction(0))
        for i, (c, q) in enumerate(items):
            try:
                ec = EquipmentClass(c)
            except ValueError:
                raise InputError(
                    "unknown equipment class",
                    name=f"items[{i}]",
                    value=c,
                    allowed=", ".join(e.value for e in EquipmentClass),
                ) from None
            sums[ec] += exact(q, name=f"items[{i}].quantity")
        return cls(*sums.values())

    @property
    def intact_rate(self) -> KpiResult:
        """(class 1 + class 2) ÷ all rated."""
        return equipment_intact_rate(class1=self.class1, class2=self.class2, class3=self.class3)

    @property
    def class1_share(self) -> KpiResult:
        """class 1 ÷ all rated."""
        return class1_share(class1=self.class1, class2=self.class2, class3=self.class3)

    def __add__(self, other: object) -> EquipmentTally:
        if isinstance(other, EquipmentTally):
            return EquipmentTally(
                self.class1 + other.class1, self.class2 + other.class2, self.class3 + other.class3
            )
        if other == 0:
            return self
        return NotImplemented

    __radd__ = __add__
