"""The registry inputs of a reliability metric, read from a reliability state.

A bridge between the KPI registry (``metric("saidi")`` and its additive inputs) and
:class:`~gdsmodel.metrics.reliability.ReliabilityState`. It lives apart from
:mod:`gdsmodel.metrics.partial` so that the generic partial states do not depend on the
reliability package (which computes on frames through :mod:`gdsmodel.metrics.frames`): the
metrics floor keeps no import cycle.
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction

from gdsmodel.errors import InputError
from gdsmodel.metrics.additive import AdditiveMetric
from gdsmodel.metrics.reliability import (
    RS2_CAUSES,
    RS3_CAUSES,
    OutageCause,
    ReliabilityState,
)

__all__ = ["reliability_inputs"]


def reliability_inputs(
    definition: AdditiveMetric,
    state: ReliabilityState,
    *,
    causes: Iterable[OutageCause | str] | None = None,
) -> dict[str, Fraction]:
    """The registry inputs of a reliability metric, taken from a :class:`ReliabilityState`.

    ``customers`` is the state's time-weighted mean (0 when it covers no period);
    ``outage_customer_hours``, ``customer_minutes`` and ``customer_interruptions`` count the
    cause classes ``causes`` (None: all, as RS-1).

    >>> import pendulum
    >>> from gdsmodel.metrics.registry import metric
    >>> from gdsmodel.metrics.reliability import Outage
    >>> t = pendulum.datetime(2024, 6, 1, tz="Asia/Shanghai")
    >>> o = Outage(start=t, end=t.add(hours=2), customers_affected=50, cause="fault")
    >>> s = ReliabilityState.from_outages([o], period=pendulum.interval(t, t.add(days=30)),
    ...                                   customers=1000)
    >>> metric("saidi").ratio(**reliability_inputs(metric("saidi"), s)).value == s.saidi().value
    True
    """
    if not isinstance(state, ReliabilityState):
        raise InputError(
            "must be a ReliabilityState", name="state", value=state, allowed="ReliabilityState"
        )
    chosen = state.total(causes)
    known: dict[str, Fraction] = {
        "customer_hours": state.customer_hours_in_period,
        "outage_customer_hours": chosen.customer_hours,
        "outage_customer_hours_excl_external": state.total(RS2_CAUSES).customer_hours,
        "outage_customer_hours_excl_shortage": state.total(RS3_CAUSES).customer_hours,
        "customers": state.customers or Fraction(0),
        "customer_interruptions": Fraction(chosen.customer_interruptions),
        "customer_minutes": chosen.customer_hours * 60,
    }
    unknown = [n for n in definition.inputs if n not in known]
    if unknown or not definition.inputs:
        raise InputError(
            f"metric {definition.id} is not a reliability index with additive inputs",
            name="definition",
            value=definition.id,
            allowed="rs1, rs2, rs3, asai, aihc, aitc, saifi, saidi, caidi",
        )
    return {n: known[n] for n in definition.inputs}
