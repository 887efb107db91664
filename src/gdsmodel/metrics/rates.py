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

from typing import Any

import attrs

from gdsmodel.metrics.ratio import Ratio
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


def meter_reading_rate(*, read: Any, due: Any) -> Ratio:
    """Actual meter-reading rate (电能实抄率): meters read ÷ meters due.

    >>> meter_reading_rate(read=0, due=0).defined
    False
    """
    return metric("meter_reading_rate").ratio(read=read, due=due)


def reading_error_rate(*, errors: Any, readings: Any) -> Ratio:
    """Meter-reading error rate (差错率): readings in error ÷ readings taken.

    >>> reading_error_rate(errors=2, readings=1000).format(1)
    '0.2%'
    """
    return metric("reading_error_rate").ratio(errors=errors, readings=readings)


def collection_rate(*, collected: Any, billed: Any) -> Ratio:
    """Fee collection rate (电费回收率): amount collected ÷ amount billed (may exceed 100 %).

    >>> collection_rate(collected="98500.00", billed="100000.00").format()
    '98.50%'
    """
    return metric("collection_rate").ratio(collected=collected, billed=billed)


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
    *, collected: Any, billed: Any, arrears_collected: Any = 0, arrears: Any = 0
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
        metric("collection_rate_current_year").ratio(collected=collected, billed=billed),
        metric("collection_rate_earlier_years").ratio(
            arrears_collected=arrears_collected, arrears=arrears
        ),
    )


def fee_remittance_rate(*, remitted: Any, billed: Any) -> Ratio:
    """Fee remittance rate (电费回收上缴率): fees remitted to the company ÷ fees billed.

    The formula is a default (confidence L); the target of 100 % is the text's.

    >>> fee_remittance_rate(remitted=99_000, billed=100_000).format()
    '99.00%'
    """
    return metric("fee_remittance_rate").ratio(remitted=remitted, billed=billed)


def ticket_pass_rate(*, qualified: Any, total: Any) -> Ratio:
    """Two-ticket pass rate (两票合格率): qualified tickets ÷ tickets executed.

    >>> ticket_pass_rate(qualified=120, total=120).format()
    '100.00%'
    """
    return metric("two_ticket_pass_rate").ratio(qualified=qualified, total=total)


def rcd_installation_rate(*, installed: Any, required: Any) -> Ratio:
    """RCD installation rate (剩余电流动作保护器安装率): installed ÷ required.

    >>> rcd_installation_rate(installed=395, required=400).format()
    '98.75%'
    """
    return metric("rcd_installation_rate").ratio(installed=installed, required=required)


def rcd_in_service_rate(*, in_service: Any, installed: Any) -> Ratio:
    """RCD in-service rate (投运率): in service ÷ installed.

    >>> rcd_in_service_rate(in_service=390, installed=395).format()
    '98.73%'
    """
    return metric("rcd_in_service_rate").ratio(in_service=in_service, installed=installed)


def rcd_correct_operation_rate(*, correct: Any, operations: Any) -> Ratio:
    """RCD correct-operation rate (正确动作率, inferred): correct ÷ operations (tests and
    faults; a refusal to trip is not correct).

    >>> rcd_correct_operation_rate(correct=47, operations=48).format()
    '97.92%'
    """
    return metric("rcd_correct_operation_rate").ratio(correct=correct, operations=operations)
