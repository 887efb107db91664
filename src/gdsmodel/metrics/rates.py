"""Counting rates: the fee "three rates" (电费三率), remittance, two tickets and the RCD
"three rates".

Each function takes keyword arguments, validates them (finite numbers >= 0; a numerator
above its denominator where the formula forbids it) and returns an exact, additive
:class:`~gdsmodel.metrics.ratio.Ratio`. The formulas are the registry's definitions.

>>> meter_reading_rate(read=1996, due=2000).format()
'99.80%'
>>> collection_rate(collected=1_050_000, billed=1_000_000).format()   # arrears collected
'105.00%'
>>> ticket_pass_rate(qualified=51, total=50)
Traceback (most recent call last):
gdsmodel.errors.InputError: qualified=51: exceeds the denominator total = 50 ...
"""

from __future__ import annotations

import attrs

from gdsmodel.metrics.ratio import KpiResult, NumberLike, Ratio, Target
from gdsmodel.metrics.registry import metric

__all__ = [
    "CollectionRates",
    "collection_rate",
    "collection_rates",
    "fee_remittance_rate",
    "meter_reading_rate",
    "rcd_correct_operation_rate",
    "rcd_in_service_rate",
    "rcd_installation_rate",
    "reading_error_rate",
    "ticket_pass_rate",
]


def meter_reading_rate(
    *, read: NumberLike, due: NumberLike, target: str | Target | None = None
) -> KpiResult:
    """Actual meter-reading rate (电能实抄率): meters read ÷ meters due.

    >>> meter_reading_rate(read=0, due=0).defined
    False
    """
    return metric("meter_reading_rate").evaluate({"read": read, "due": due}, target=target)


def reading_error_rate(
    *, errors: NumberLike, readings: NumberLike, target: str | Target | None = None
) -> KpiResult:
    """Meter-reading error rate (差错率): readings in error ÷ readings taken.

    >>> reading_error_rate(errors=2, readings=1000).format(1)
    '0.2%'
    """
    return metric("reading_error_rate").evaluate(
        {"errors": errors, "readings": readings}, target=target
    )


def collection_rate(
    *, collected: NumberLike, billed: NumberLike, target: str | Target | None = None
) -> KpiResult:
    """Fee collection rate (电费回收率): amount collected ÷ amount billed (may exceed 100 %).

    >>> collection_rate(collected="98500.00", billed="100000.00").format()
    '98.50%'
    """
    return metric("collection_rate").evaluate(
        {"collected": collected, "billed": billed}, target=target
    )


@attrs.frozen(slots=True)
class CollectionRates:
    """Collection rates for the current year, earlier years' arrears and cumulatively
    (本年度、以前年度、累计). ``cumulative`` is the merge of the other two.

    >>> r = CollectionRates(Ratio(950, 1000), Ratio(60, 200))
    >>> r.cumulative.format()
    '84.17%'
    """

    current_year: Ratio
    earlier_years: Ratio

    @property
    def cumulative(self) -> Ratio:
        """Both merged: collected of both over billed plus arrears."""
        return self.current_year + self.earlier_years

    def __add__(self, other: object) -> CollectionRates:
        if isinstance(other, CollectionRates):
            return CollectionRates(
                self.current_year + other.current_year, self.earlier_years + other.earlier_years
            )
        if other == 0:
            return self
        return NotImplemented

    __radd__ = __add__


def collection_rates(
    *,
    collected: NumberLike,
    billed: NumberLike,
    arrears_collected: NumberLike = 0,
    arrears: NumberLike = 0,
) -> CollectionRates:
    """Collection rates of the current year, of earlier years' arrears, and cumulative.

    ``collected`` / ``billed``: this year's bills and what was collected against them;
    ``arrears_collected`` / ``arrears``: arrears of earlier years outstanding at the start
    of the year and what was collected of them.

    >>> r = collection_rates(collected=980, billed=1000, arrears_collected=30, arrears=100)
    >>> r.current_year.format(), r.earlier_years.format(), r.cumulative.format()
    ('98.00%', '30.00%', '91.82%')
    """
    return CollectionRates(
        metric("collection_rate_current_year").evaluate({"collected": collected, "billed": billed}),
        metric("collection_rate_earlier_years").evaluate(
            {"arrears_collected": arrears_collected, "arrears": arrears}
        ),
    )


def fee_remittance_rate(
    *, remitted: NumberLike, billed: NumberLike, target: str | Target | None = None
) -> KpiResult:
    """Fee remittance rate (电费回收上缴率): fees remitted to the company ÷ fees billed.

    The formula is a default (confidence L); the target of 100 % is the text's.

    >>> fee_remittance_rate(remitted=99_000, billed=100_000).format()
    '99.00%'
    """
    return metric("fee_remittance_rate").evaluate(
        {"remitted": remitted, "billed": billed}, target=target
    )


def ticket_pass_rate(
    *, qualified: NumberLike, total: NumberLike, target: str | Target | None = None
) -> KpiResult:
    """Two-ticket pass rate (两票合格率): qualified tickets ÷ tickets executed.

    >>> ticket_pass_rate(qualified=120, total=120).format()
    '100.00%'
    """
    return metric("two_ticket_pass_rate").evaluate(
        {"qualified": qualified, "total": total}, target=target
    )


def rcd_installation_rate(
    *, installed: NumberLike, required: NumberLike, target: str | Target | None = None
) -> KpiResult:
    """RCD installation rate (剩余电流动作保护器安装率): installed ÷ required.

    >>> rcd_installation_rate(installed=395, required=400).format()
    '98.75%'
    """
    return metric("rcd_installation_rate").evaluate(
        {"installed": installed, "required": required}, target=target
    )


def rcd_in_service_rate(
    *, in_service: NumberLike, installed: NumberLike, target: str | Target | None = None
) -> KpiResult:
    """RCD in-service rate (投运率): in service ÷ installed.

    >>> rcd_in_service_rate(in_service=390, installed=395).format()
    '98.73%'
    """
    return metric("rcd_in_service_rate").evaluate(
        {"in_service": in_service, "installed": installed}, target=target
    )


def rcd_correct_operation_rate(
    *, correct: NumberLike, operations: NumberLike, target: str | Target | None = None
) -> KpiResult:
    """RCD correct-operation rate (正确动作率, inferred): correct ÷ operations (tests and
    faults; a refusal to trip is not correct).

    >>> rcd_correct_operation_rate(correct=47, operations=48).format()
    '97.92%'
    """
    return metric("rcd_correct_operation_rate").evaluate(
        {"correct": correct, "operations": operations}, target=target
    )
