"""The indices of outages over one period, as plain functions.

:func:`reliability_indices` builds the :class:`~.state.ReliabilityState` and computes every
index at once; ``rs1``, ``saidi`` and the other scalar functions are made from it by
:func:`_scalar` (one place, one code path): each returns one field of
:class:`~.state.ReliabilityIndices`, as the one shape of a scalar KPI result
(:class:`~gdsmodel.metrics.ratio.ScalarResult`) that knows its registry ID and, when a
``target=`` is given (a ``Target`` in the index's unit, or an ID of the registry's targets:
``rs3(..., target="A")``), its verdict. RS-1/2/3 and ASAI are a
:class:`~gdsmodel.metrics.ratio.KpiResult` (an exact, additive ratio in percent); the
per-customer indices an :class:`~.values.IndexValue` in their unit (SAIDI in minutes per
customer: its ``.percent`` is None).

>>> import pendulum
>>> from gdsmodel.metrics.ratio import Direction
>>> from gdsmodel.periods import Month
>>> t = pendulum.datetime(2024, 6, 10, 9, tz="Asia/Shanghai")
>>> o = Outage(start=t, end=t.add(hours=3), customers_affected=40, cause="fault")
>>> kw = {"outages": [o], "period": Month(2024, 6), "customers": 1000}
>>> r = rs3(**kw, target="A")                           # 1 - 120 / 720 000 against grade A
>>> r.format(4), r.metric, str(r.verdict)
('99.9833%', 'rs3', 'met')
>>> s = saidi(**kw, target=Target(threshold=5, direction=Direction.LOWER, unit="min/customer"))
>>> float(s), s.percent, s.format(), str(s.verdict)
(7.2, None, '7.20 min/customer', 'missed by 2.20 min/customer')
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final, Protocol, TypeVar

import attrs

from gdsmodel.errors import InputError
from gdsmodel.metrics.additive import given_target
from gdsmodel.metrics.ratio import KpiResult, Ratio, Target
from gdsmodel.metrics.registry import metric
from gdsmodel.metrics.reliability.causes import OutageCause
from gdsmodel.metrics.reliability.conventions import CountingConvention
from gdsmodel.metrics.reliability.outages import Outage
from gdsmodel.metrics.reliability.state import ReliabilityIndices, ReliabilityState
from gdsmodel.metrics.reliability.values import IndexValue
from gdsmodel.periods import PeriodLike

# --------------------------------------------------------------------------- scalar functions


def reliability_indices(
    *,
    outages: Iterable[Outage],
    period: PeriodLike,
    customers: int,
    convention: CountingConvention | str | None = None,
    causes: Iterable[OutageCause | str] | None = None,
) -> ReliabilityIndices:
    """Every reliability index of outages over a period (see :class:`ReliabilityState`).

    >>> import pendulum
    >>> t = pendulum.datetime(2024, 6, 1, tz="Asia/Shanghai")
    >>> day = pendulum.interval(t, t.add(days=1))
    >>> reliability_indices(outages=[], period=day, customers=0).rs3.defined
    False
    """
    state = ReliabilityState.from_outages(
        outages, period=period, customers=customers, convention=convention
    )
    return state.indices(causes)


_T_co = TypeVar("_T_co", covariant=True)


class ScalarIndex(Protocol[_T_co]):
    """The signature of the scalar index functions (``rs1``, ``saidi``...)."""

    def __call__(
        self,
        *,
        outages: Iterable[Outage],
        period: PeriodLike,
        customers: int,
        convention: CountingConvention | str | None = None,
        causes: Iterable[OutageCause | str] | None = None,
        target: str | Target | None = None,
    ) -> _T_co:
        """The index of ``outages`` over ``period`` for ``customers`` served, judged
        against ``target`` when one is given."""
        ...  # pragma: no cover


_FIXED_CAUSES: Final = frozenset({"rs1", "rs2", "rs3"})


def _scalar(field: str, doc: str) -> ScalarIndex[Any]:
    """One field of :func:`reliability_indices` as a function of its own."""

    def index(
        *,
        outages: Iterable[Outage],
        period: PeriodLike,
        customers: int,
        convention: CountingConvention | str | None = None,
        causes: Iterable[OutageCause | str] | None = None,
        target: str | Target | None = None,
    ) -> Any:
        definition = metric(field)
        chosen = given_target(definition, target)
        if causes is not None and field in _FIXED_CAUSES:
            raise InputError(
                f"{field} counts fixed cause classes",
                name="causes",
                value=causes,
                allowed="None (use asai/aihc/saidi... for other cause sets)",
            )
        ix = reliability_indices(
            outages=outages,
            period=period,
            customers=customers,
            convention=convention,
            causes=causes,
        )
        got: Ratio | IndexValue = getattr(ix, field)
        if isinstance(got, Ratio):
            return KpiResult(
                got.numerator, got.denominator, metric=field, target=chosen, unit=definition.unit
            )
        return attrs.evolve(got, metric=field, target=chosen)

    index.__name__ = index.__qualname__ = field
    index.__doc__ = doc
    index.__module__ = __name__
    return index


_EXAMPLE: Final = """

    >>> import pendulum
    >>> t = pendulum.datetime(2024, 6, 1, tz="Asia/Shanghai")
    >>> day = pendulum.interval(t, t.add(days=1))
    >>> o = Outage(start=t, end=t.add(hours=6), customers_affected=5, cause="{cause}")
    >>> {call}
    {result}
"""


def _doc(summary: str, call: str, result: str, cause: str = "fault") -> str:
    return summary + _EXAMPLE.format(call=call, result=result, cause=cause)


rs1: Final[ScalarIndex[KpiResult]] = _scalar(
    "rs1",
    _doc(
        "RS-1 (供电可靠率, all outages) as an additive :class:`KpiResult`.",
        "rs1(outages=[o], period=day, customers=10).value   # 1 - 30/240",
        "Fraction(7, 8)",
        "external",
    ),
)
rs2: Final[ScalarIndex[KpiResult]] = _scalar(
    "rs2",
    _doc(
        "RS-2: as RS-1, leaving out outages of external cause.",
        "rs2(outages=[o], period=day, customers=10).value",
        "Fraction(1, 1)",
        "external",
    ),
)
rs3: Final[ScalarIndex[KpiResult]] = _scalar(
    "rs3",
    _doc(
        "RS-3: as RS-1, leaving out load shedding for lack of system supply.",
        "rs3(outages=[o], period=day, customers=10).format(2)",
        "'100.00%'",
        "supply_shortage",
    ),
)
asai: Final[ScalarIndex[KpiResult]] = _scalar(
    "asai",
    _doc(
        "ASAI = 1 − SAIDI (h) ÷ hours in period (IEEE 1366), an additive :class:`KpiResult`.",
        "asai(outages=[o], period=day, customers=10).value   # 1 - 30/240",
        "Fraction(7, 8)",
    ),
)
aihc: Final[ScalarIndex[IndexValue]] = _scalar(
    "aihc",
    _doc(
        "AIHC (用户平均停电时间): Σ(duration × customers affected) ÷ customers, h/customer.",
        "str(aihc(outages=[o], period=day, customers=10))",
        "'3.00 h/customer'",
    ),
)
aitc: Final[ScalarIndex[IndexValue]] = _scalar(
    "aitc",
    _doc(
        "AITC (用户平均停电次数): Σ customers affected ÷ customers, times/customer.",
        "aitc(outages=[o], period=day, customers=10).value",
        "Fraction(1, 2)",
    ),
)
saifi: Final[ScalarIndex[IndexValue]] = _scalar(
    "saifi",
    _doc(
        "SAIFI: Σ customers interrupted ÷ customers served (IEEE 1366).",
        "saifi(outages=[o], period=day, customers=10).value",
        "Fraction(1, 2)",
    ),
)
saidi: Final[ScalarIndex[IndexValue]] = _scalar(
    "saidi",
    _doc(
        "SAIDI: Σ customer-minutes interrupted ÷ customers served, in minutes (IEEE 1366).",
        "saidi(outages=[o], period=day, customers=10).value",
        "Fraction(180, 1)",
    ),
)
maifi: Final[ScalarIndex[IndexValue]] = _scalar(
    "maifi",
    _doc(
        "MAIFI: Σ customers of short (momentary) interruptions ÷ customers served.",
        "maifi(outages=[o], period=day, customers=10).value   # 6 h is sustained",
        "Fraction(0, 1)",
    ),
)
maifie: Final[ScalarIndex[IndexValue]] = _scalar(
    "maifie",
    _doc(
        "MAIFIe (IEEE 1366): customers of momentary interruption events ÷ customers served.",
        "maifie(outages=[o], period=day, customers=10).reason",
        "'DL/T 836 defines no momentary interruption events'",
    ),
)
caidi: Final[ScalarIndex[IndexValue]] = _scalar(
    "caidi",
    _doc(
        "CAIDI = SAIDI ÷ SAIFI in minutes per interruption; undefined when SAIFI is 0.",
        "caidi(outages=[], period=day, customers=10).reason",
        "'no customer interruptions (SAIFI is 0)'",
    ),
)
