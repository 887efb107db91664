"""Counts of areas by class: the 台区线损合格率 and the shares of high- and negative-loss
areas as ratios of counts that add up across stations, counties and provinces.

>>> from gdsmodel.metrics.areas.loss import AreaClass
>>> c = ClassCounts.of([AreaClass.QUALIFIED] * 8 + [AreaClass.HIGH_LOSS, AreaClass.NON_COMPUTABLE])
>>> c.qualified_rate.format(), c.high_loss_share.format(), c.computable_rate.format()
('88.89%', '11.11%', '90.00%')
>>> (c + c).qualified_rate.value == c.qualified_rate.value
True
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from gdsmodel.metrics.areas.loss import AreaClass, Classification
from gdsmodel.metrics.ratio import Ratio

__all__ = ["ClassCounts"]


@attrs.frozen(slots=True, kw_only=True)
class ClassCounts:
    """How many areas fell in each class; additive with ``+``.

    The KPI inputs (see ``areas_kpis.toml``): ``qualified_areas``, ``high_loss_areas``,
    ``negative_loss_areas``, ``computable_areas`` (the three summed) and ``areas`` (all).
    """

    qualified: int = 0
    high_loss: int = 0
    negative_loss: int = 0
    non_computable: int = 0

    @classmethod
    def of(cls, classes: Iterable[AreaClass | Classification]) -> ClassCounts:
        """Count classes (or classifications)."""
        n = dict.fromkeys(AreaClass, 0)
        for c in classes:
            n[c.area_class if isinstance(c, Classification) else AreaClass(c)] += 1
        return cls(
            qualified=n[AreaClass.QUALIFIED],
            high_loss=n[AreaClass.HIGH_LOSS],
            negative_loss=n[AreaClass.NEGATIVE_LOSS],
            non_computable=n[AreaClass.NON_COMPUTABLE],
        )

    def __add__(self, other: object) -> ClassCounts:
        if isinstance(other, int) and not isinstance(other, bool) and other == 0:
            return self
        if not isinstance(other, ClassCounts):
            return NotImplemented
        return ClassCounts(
            qualified=self.qualified + other.qualified,
            high_loss=self.high_loss + other.high_loss,
            negative_loss=self.negative_loss + other.negative_loss,
            non_computable=self.non_computable + other.non_computable,
        )

    __radd__ = __add__

    @property
    def computable(self) -> int:
        """Areas with a loss (qualified + high-loss + negative-loss)."""
        return self.qualified + self.high_loss + self.negative_loss

    @property
    def areas(self) -> int:
        """Every area counted."""
        return self.computable + self.non_computable

    @property
    def qualified_rate(self) -> Ratio:
        """台区线损合格率: qualified areas over computable areas."""
        return Ratio(self.qualified, self.computable)

    @property
    def high_loss_share(self) -> Ratio:
        """High-loss areas over computable areas."""
        return Ratio(self.high_loss, self.computable)

    @property
    def negative_loss_share(self) -> Ratio:
        """Negative-loss areas over computable areas."""
        return Ratio(self.negative_loss, self.computable)

    @property
    def computable_rate(self) -> Ratio:
        """Computable areas over all areas (台区可算率)."""
        return Ratio(self.computable, self.areas)

    def inputs(self) -> dict[str, int]:
        """The inputs of the area KPIs of ``areas_kpis.toml``.

        >>> ClassCounts(qualified=3, non_computable=1).inputs()["computable_areas"]
        3
        """
        return {
            "qualified_areas": self.qualified,
            "high_loss_areas": self.high_loss,
            "negative_loss_areas": self.negative_loss,
            "computable_areas": self.computable,
            "areas": self.areas,
        }
