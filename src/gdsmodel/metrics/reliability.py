"""Supply reliability (供电可靠性) from typed outage events.

An :class:`Outage` is one interruption of supply: when it started and ended, how many
customers it cut off, and its cause class. Over a period (any object with tz-aware
pendulum or stdlib ``.start`` / ``.end``, half-open) and a customer count, the outages
give the Chinese indices RS-1, RS-2, RS-3 (供电可靠率), AIHC (用户平均停电时间) and AITC
(用户平均停电次数), and the IEEE 1366 indices SAIFI, SAIDI, CAIDI and ASAI.

Everything is computed through an additive :class:`ReliabilityState`: sums of
customer-hours interrupted, customers interrupted and customer-hours in the period, per
cause class. States of feeders, areas or periods merge by summing; the indices are
divided only at the end, so merging never averages rates.

Counting rules (see ``docs/reliability.md``):

* an outage counts from :data:`MIN_OUTAGE_DURATION` (3 minutes, confidence M; a
  parameter everywhere); shorter ones are tallied apart as *short* events and left out
  of every index. The outage's whole duration decides, not the part inside the period;
* an outage partly outside the period contributes only its customer-hours inside the
  period (clipped); it is counted as one interruption in the period where it *starts*,
  so consecutive periods add up exactly to the whole.

>>> import pendulum
>>> from gdsmodel.periods import Month
>>> june = Month(2024, 6)                        # 720 h; pendulum.interval(a, b) works too
>>> t0 = pendulum.datetime(2024, 6, 10, 9, tz="Asia/Shanghai")
>>> outages = [Outage(start=t0, end=t0.add(hours=4), customers_affected=200, cause="planned"),
...            Outage(start=t0.add(days=3), end=t0.add(days=3, hours=2), customers_affected=50,
...                   cause="external")]
>>> state = ReliabilityState.from_outages(outages, period=june, customers=1000)
>>> state.rs1().value, state.rs2().value     # 1 - 900/720000, 1 - 800/720000
(Fraction(799, 800), Fraction(899, 900))
>>> state.saidi().value, state.saifi().value, state.caidi().value
(Fraction(54, 1), Fraction(1, 4), Fraction(216, 1))
"""

from __future__ import annotations

import enum
import itertools
import math
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from fractions import Fraction
from typing import Any, Final, Protocol

import attrs

from gdsmodel.errors import GdsmodelError, InputError
from gdsmodel.metrics.ratio import Ratio, UndefinedRatioError, exact, round_half_up
from gdsmodel.serialize import converter
from gdsmodel.sources import Confidence, Source
from gdsmodel.text import Text

__all__ = [
    "ALL_CAUSES",
    "IEEE_1366_MED",
    "MIN_OUTAGE_DURATION",
    "MIN_OUTAGE_DURATION_CONFIDENCE",
    "MIN_OUTAGE_DURATION_SOURCE",
    "RS1_CAUSES",
    "RS2_CAUSES",
    "RS3_CAUSES",
    "CauseTotals",
    "Exposure",
    "IndexValue",
    "MedMethod",
    "MedSplit",
    "MedStatus",
    "MedThreshold",
    "MedUnavailableError",
    "Outage",
    "OutageCause",
    "PeriodLike",
    "ReliabilityIndices",
    "ReliabilityState",
    "aihc",
    "aitc",
    "asai",
    "caidi",
    "daily_saidi",
    "exclude_major_event_days",
    "med_threshold",
    "reliability_indices",
    "rs1",
    "rs2",
    "rs3",
    "saidi",
    "saifi",
]

_US_PER_HOUR: Final = 3_600_000_000
_UTC: Final = UTC

MIN_OUTAGE_DURATION: Final = timedelta(minutes=3)
"""Default shortest outage that counts (outages count from 3 minutes; confidence M).

Every function takes ``min_duration=`` to override it; an outage whose whole duration is
at least this long counts, a shorter one is tallied as a *short* event only."""

MIN_OUTAGE_DURATION_SOURCE: Final = Source(
    "DL/T 836",
    note="RS-1/RS-2/RS-3 as defined before the 2016 edition renamed and split the indices; "
    "outages count from 3 minutes. One plausible source: an overridable default.",
)
"""Where :data:`MIN_OUTAGE_DURATION` comes from."""

MIN_OUTAGE_DURATION_CONFIDENCE: Final = Confidence.M
"""Confidence of :data:`MIN_OUTAGE_DURATION` (M: one plausible source)."""


class MedUnavailableError(GdsmodelError):
    """Major event days were asked of a threshold that could not be computed."""


# --------------------------------------------------------------------------- causes


class OutageCause(enum.StrEnum):
    """The cause class of an outage, as the RS-1/RS-2/RS-3 indices tell them apart.

    >>> OutageCause("external").label.get("both")
    '外部影响 / external cause'
    """

    PLANNED = "planned"
    FAULT = "fault"
    EXTERNAL = "external"
    SUPPLY_SHORTAGE = "supply_shortage"

    @property
    def label(self) -> Text:
        """The bilingual name of the cause class."""
        return _CAUSE_LABELS[self]


_CAUSE_LABELS: Final = {
    OutageCause.PLANNED: Text("计划停电", "planned outage"),
    OutageCause.FAULT: Text("故障停电", "fault outage"),
    OutageCause.EXTERNAL: Text("外部影响", "external cause"),
    OutageCause.SUPPLY_SHORTAGE: Text(
        "系统电源不足限电", "load shedding for lack of system supply"
    ),
}

ALL_CAUSES: Final = frozenset(OutageCause)
"""Every cause class: the outages RS-1, AIHC-1 and AITC-1 count."""
RS1_CAUSES: Final = ALL_CAUSES
"""Causes counted by RS-1: all outages."""
RS2_CAUSES: Final = ALL_CAUSES - {OutageCause.EXTERNAL}
"""Causes counted by RS-2: all but external causes (不计外部影响)."""
RS3_CAUSES: Final = ALL_CAUSES - {OutageCause.SUPPLY_SHORTAGE}
"""Causes counted by RS-3: all but load shedding for lack of system supply.

(不计系统电源不足限电.)"""


def _causes(causes: Iterable[OutageCause | str] | None) -> frozenset[OutageCause]:
    if causes is None:
        return ALL_CAUSES
    if isinstance(causes, str):
        causes = [causes]
    return frozenset(_cause(c) for c in causes)


def _cause(value: object) -> OutageCause:
    if isinstance(value, OutageCause):
        return value
    try:
        return OutageCause(str(value))
    except ValueError:
        raise InputError(
            "is not an outage cause",
            name="cause",
            value=value,
            allowed=", ".join(c.value for c in OutageCause),
        ) from None


# --------------------------------------------------------------------------- time helpers


class PeriodLike(Protocol):
    """Any half-open period ``[start, end)`` with tz-aware datetimes.

    ``gdsmodel.periods`` periods and ``pendulum.interval(a, b)`` both qualify.

    >>> import pendulum
    >>> t = pendulum.datetime(2024, 6, 1, tz="Asia/Shanghai")
    >>> ReliabilityState.from_outages([], period=pendulum.interval(t, t.add(days=1)),
    ...                               customers=1).hours
    Fraction(24, 1)
    """

    @property
    def start(self) -> datetime:
        """First instant of the period (included)."""
        ...

    @property
    def end(self) -> datetime:
        """First instant after the period (excluded)."""
        ...


def _aware(value: object, name: str) -> datetime:
    if not isinstance(value, datetime):
        raise InputError(
            "must be a datetime", name=name, value=value, allowed="a tz-aware datetime"
        )
    if value.tzinfo is None or value.utcoffset() is None:
        raise InputError(
            "has no time zone",
            name=name,
            value=value,
            allowed="a tz-aware datetime, e.g. pendulum.datetime(..., tz='Asia/Shanghai')",
        )
    return value


def _instant(value: datetime) -> datetime:
    """The same instant as a stdlib datetime in UTC (safe to subtract and compare)."""
    offset = value.utcoffset()
    assert offset is not None
    naive = datetime(
        value.year, value.month, value.day, value.hour, value.minute, value.second,
        value.microsecond,
    )  # fmt: skip
    return (naive - offset).replace(tzinfo=_UTC)


def _micros(delta: timedelta) -> int:
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def _hours(micros: int) -> Fraction:
    return Fraction(micros, _US_PER_HOUR)


def _period_bounds(period: object) -> tuple[datetime, datetime]:
    """Validated (start, end) of a period, as given (not converted)."""
    try:
        start, end = period.start, period.end  # type: ignore[attr-defined]
    except AttributeError:
        raise InputError(
            "is not a period",
            name="period",
            value=period,
            allowed="an object with tz-aware .start and .end datetimes, half-open",
        ) from None
    _aware(start, "period.start")
    _aware(end, "period.end")
    if _instant(end) <= _instant(start):
        raise InputError(
            "ends before it starts",
            name="period",
            value=f"[{start}, {end})",
            allowed="period.end later than period.start",
        )
    return start, end


def _customers(value: object, name: str = "customers") -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InputError("must be a whole number >= 0", name=name, value=value, allowed="int >= 0")
    return value


def _min_duration(value: object) -> int:
    if not isinstance(value, timedelta) or value < timedelta(0):
        raise InputError(
            "must be a duration >= 0", name="min_duration", value=value, allowed="timedelta >= 0"
        )
    return _micros(value)


# --------------------------------------------------------------------------- outages


def _check_customers_affected(_: Any, attribute: Any, value: int) -> None:
    _customers(value, attribute.name)


def _optional_text(value: object) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise InputError("must be text or None", name="id/line/area", value=value, allowed="str")


@attrs.frozen(slots=True, kw_only=True)
class Outage:
    """One interruption of supply: ``[start, end)``, customers cut off and cause class.

    ``start`` and ``end`` are tz-aware (pendulum ``DateTime`` or stdlib ``datetime``) and
    ``end`` must be later than ``start``. ``id``, ``line`` and ``area`` are optional labels
    for grouping.

    >>> import pendulum
    >>> t = pendulum.datetime(2024, 6, 10, 9, tz="Asia/Shanghai")
    >>> o = Outage(start=t, end=t.add(minutes=90), customers_affected=100, cause="fault",
    ...            line="10kV 1#")
    >>> o.hours, o.customer_hours
    (Fraction(3, 2), Fraction(150, 1))
    >>> Outage(start=t, end=t, customers_affected=1, cause="fault")
    Traceback (most recent call last):
    gdsmodel.errors.InputError: end=...: must be later than start ... (allowed: end > start)
    """

    start: datetime
    end: datetime
    customers_affected: int = attrs.field(validator=_check_customers_affected)
    cause: OutageCause = attrs.field(converter=_cause)
    id: str | None = attrs.field(default=None, converter=_optional_text)
    line: str | None = attrs.field(default=None, converter=_optional_text)
    area: str | None = attrs.field(default=None, converter=_optional_text)

    def __attrs_post_init__(self) -> None:
        _aware(self.start, "start")
        _aware(self.end, "end")
        if _instant(self.end) <= _instant(self.start):
            where = f" (outage {self.id})" if self.id else ""
            raise InputError(
                f"must be later than start {self.start}{where}",
                name="end",
                value=self.end,
                allowed="end > start",
            )

    @property
    def duration(self) -> timedelta:
        """Elapsed time between start and end (absolute, across UTC offsets)."""
        return _instant(self.end) - _instant(self.start)

    @property
    def hours(self) -> Fraction:
        """The duration in hours, exactly."""
        return _hours(_micros(self.duration))

    @property
    def customer_hours(self) -> Fraction:
        """``hours × customers_affected``: the customer-outage-hours of this outage."""
        return self.hours * self.customers_affected

    def clip(self, period: PeriodLike) -> Outage | None:
        """The part of this outage inside ``period``, or None when none is.

        >>> import pendulum
        >>> t = pendulum.datetime(2024, 6, 30, 23, tz="Asia/Shanghai")
        >>> o = Outage(start=t, end=t.add(hours=3), customers_affected=10, cause="fault")
        >>> july = pendulum.interval(t.add(hours=1), t.add(hours=1, months=1))
        >>> o.clip(july).hours
        Fraction(2, 1)
        """
        start, end = _period_bounds(period)
        lo = max(self.start, start, key=_instant)
        hi = min(self.end, end, key=_instant)
        if _instant(hi) <= _instant(lo):
            return None
        return attrs.evolve(self, start=lo, end=hi)

    def split_at(self, moment: datetime) -> tuple[Outage, Outage]:
        """Two outages ``[start, moment)`` and ``[moment, end)``; customer-hours add up.

        >>> import pendulum
        >>> t = pendulum.datetime(2024, 6, 30, 23, tz="Asia/Shanghai")
        >>> o = Outage(start=t, end=t.add(hours=3), customers_affected=10, cause="fault")
        >>> a, b = o.split_at(t.add(hours=1))
        >>> a.customer_hours + b.customer_hours == o.customer_hours
        True
        """
        _aware(moment, "moment")
        if not _instant(self.start) < _instant(moment) < _instant(self.end):
            raise InputError(
                "must fall strictly inside the outage",
                name="moment",
                value=moment,
                allowed=f"start {self.start} < moment < end {self.end}",
            )
        return attrs.evolve(self, end=moment), attrs.evolve(self, start=moment)


_OUTAGE_KEYS: Final = ("start", "end", "customers_affected", "cause", "id", "line", "area")


def _parse_datetime(value: object, key: str) -> datetime:
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{key}: not an ISO 8601 date-time: {value!r}") from None
    if not isinstance(value, datetime) or value.utcoffset() is None:
        raise ValueError(f"{key}: expected an ISO 8601 date-time with a UTC offset, got {value!r}")
    return value


def _structure_outage(data: Any, _: type) -> Outage:
    if not isinstance(data, Mapping):
        raise ValueError(f"an outage must be a table of {', '.join(_OUTAGE_KEYS)}, got {data!r}")
    extra = sorted(set(data) - set(_OUTAGE_KEYS))
    if extra:
        raise ValueError(
            f"unknown keys {extra} are not allowed; allowed: {', '.join(_OUTAGE_KEYS)}"
        )
    missing = [k for k in _OUTAGE_KEYS[:4] if k not in data]
    if missing:
        raise ValueError(f"required keys {missing} are missing")
    return Outage(
        start=_parse_datetime(data["start"], "start"),
        end=_parse_datetime(data["end"], "end"),
        customers_affected=data["customers_affected"],
        cause=data["cause"],
        id=data.get("id"),
        line=data.get("line"),
        area=data.get("area"),
    )


def _unstructure_outage(outage: Outage) -> dict[str, Any]:
    out: dict[str, Any] = {
        "start": outage.start.isoformat(),
        "end": outage.end.isoformat(),
        "customers_affected": outage.customers_affected,
        "cause": outage.cause.value,
    }
    for key in ("id", "line", "area"):
        value = getattr(outage, key)
        if value is not None:
            out[key] = value
    return out


converter.register_structure_hook(Outage, _structure_outage)
converter.register_unstructure_hook(Outage, _unstructure_outage)


# --------------------------------------------------------------------------- values


@attrs.frozen(slots=True)
class IndexValue:
    """An exact index value with its unit, or *undefined* with the reason (never 0, never NaN).

    >>> IndexValue(Fraction(5, 4), "h/customer").format(2)
    '1.25 h/customer'
    >>> v = IndexValue(None, "min", "no customers served")
    >>> v.defined, str(v)
    (False, 'undefined (no customers served)')
    """

    value: Fraction | None
    unit: str
    reason: str = ""

    @property
    def defined(self) -> bool:
        """False when the index is undefined."""
        return self.value is not None

    def require(self) -> Fraction:
        """The exact value; raises :class:`UndefinedRatioError` when undefined."""
        if self.value is None:
            raise UndefinedRatioError(f"the index is undefined: {self.reason}")
        return self.value

    def __float__(self) -> float:
        return float(self.require())

    def format(self, places: int = 2) -> str:
        """The value rounded half-up with its unit, or ``undefined (reason)``."""
        if self.value is None:
            return f"undefined ({self.reason})"
        return f"{round_half_up(self.value, places)} {self.unit}"

    def __str__(self) -> str:
        return self.format(2)


def _count(name: str) -> Any:
    def check(_: Any, __: Any, value: object) -> None:
        _customers(value, name)

    return attrs.field(default=0, validator=check)


def _nonneg_fraction(value: object) -> Fraction:
    return exact(value, name="customer_hours")


@attrs.frozen(slots=True, kw_only=True)
class CauseTotals:
    """Additive sums for one cause class.

    * ``events``: outages counted (from the minimum duration), by the period they start in;
    * ``customer_interruptions``: Σ customers affected by those outages;
    * ``customer_hours``: Σ customers affected × hours inside the period (clipped);
    * ``short_events`` / ``short_customer_interruptions``: the same counts for outages
      shorter than the minimum duration, which no index uses.

    >>> CauseTotals(events=1, customer_interruptions=5, customer_hours=2) + CauseTotals(events=2)
    CauseTotals(events=3, customer_interruptions=5, customer_hours=Fraction(2, 1), \
short_events=0, short_customer_interruptions=0)
    """

    events: int = _count("events")
    customer_interruptions: int = _count("customer_interruptions")
    customer_hours: Fraction = attrs.field(default=Fraction(0), converter=_nonneg_fraction)
    short_events: int = _count("short_events")
    short_customer_interruptions: int = _count("short_customer_interruptions")

    def __add__(self, other: object) -> CauseTotals:
        if not isinstance(other, CauseTotals):
            return NotImplemented
        return CauseTotals(
            events=self.events + other.events,
            customer_interruptions=self.customer_interruptions + other.customer_interruptions,
            customer_hours=self.customer_hours + other.customer_hours,
            short_events=self.short_events + other.short_events,
            short_customer_interruptions=self.short_customer_interruptions
            + other.short_customer_interruptions,
        )


def _utc_instant(value: object) -> datetime:
    return _instant(_aware(value, "exposure bound"))


@attrs.frozen(slots=True, kw_only=True)
class Exposure:
    """``customers`` served over ``[start, end)`` (bounds kept as UTC instants).

    >>> import pendulum
    >>> t = pendulum.datetime(2024, 6, 1, tz="Asia/Shanghai")
    >>> Exposure(start=t, end=t.add(days=1), customers=10).customer_hours
    Fraction(240, 1)
    """

    start: datetime = attrs.field(converter=_utc_instant)
    end: datetime = attrs.field(converter=_utc_instant)
    customers: int = _count("customers")

    def __attrs_post_init__(self) -> None:
        if self.end <= self.start:
            raise InputError(
                "ends before it starts",
                name="exposure",
                value=f"[{self.start}, {self.end})",
                allowed="end > start",
            )

    @property
    def hours(self) -> Fraction:
        """Hours in the period, exactly."""
        return _hours(_micros(self.end - self.start))

    @property
    def customer_hours(self) -> Fraction:
        """``customers × hours``: the customer-hours of the period."""
        return self.hours * self.customers


def _canonical_exposure(entries: Iterable[Exposure]) -> tuple[Exposure, ...]:
    """Customers served as a step function of time, in canonical form.

    Overlapping entries add their customers (feeders of the same period); the time covered
    is the union of the entries; adjacent pieces with equal customers are joined. The
    result does not depend on how the entries were grouped or ordered.
    """
    delta: dict[datetime, int] = {}
    cover: dict[datetime, int] = {}
    for entry in entries:
        if not isinstance(entry, Exposure):
            raise InputError(
                "must be Exposure entries", name="exposure", value=entry, allowed="Exposure"
            )
        delta[entry.start] = delta.get(entry.start, 0) + entry.customers
        delta[entry.end] = delta.get(entry.end, 0) - entry.customers
        cover[entry.start] = cover.get(entry.start, 0) + 1
        cover[entry.end] = cover.get(entry.end, 0) - 1
    out: list[Exposure] = []
    customers = covering = 0
    points = sorted(delta)
    for here, nxt in itertools.pairwise(points):
        customers += delta[here]
        covering += cover[here]
        if not covering:
            continue
        last = out[-1] if out else None
        if last is not None and last.end == here and last.customers == customers:
            out[-1] = Exposure(start=last.start, end=nxt, customers=customers)
        else:
            out.append(Exposure(start=here, end=nxt, customers=customers))
    return tuple(out)


def _check_totals(_: Any, attribute: Any, value: CauseTotals) -> None:
    if not isinstance(value, CauseTotals):
        raise InputError(
            "must be CauseTotals", name=attribute.name, value=value, allowed="CauseTotals"
        )


def _check_min_duration_field(_: Any, __: Any, value: object) -> None:
    if value is not None:
        _min_duration(value)


@attrs.frozen(slots=True, kw_only=True)
class ReliabilityIndices:
    """All the indices of one state, computed at the end (see :meth:`ReliabilityState.indices`).

    RS-1/2/3 and ASAI are :class:`Ratio` (additive: customer-hours served over customer-hours
    in the period); the per-customer indices are :class:`IndexValue`.

    >>> ix = ReliabilityState().indices()
    >>> ix.rs3.defined, ix.caidi.reason
    (False, 'no customers served in the period')
    """

    rs1: Ratio
    rs2: Ratio
    rs3: Ratio
    aihc: IndexValue
    aitc: IndexValue
    saifi: IndexValue
    saidi: IndexValue
    caidi: IndexValue
    asai: Ratio

    def as_rows(self, places: int = 4) -> list[tuple[str, str]]:
        """``(name, formatted value)`` rows, rounded half-up for display.

        >>> ReliabilityState().indices().as_rows()[0]
        ('RS-1', 'undefined (0/0)')
        """
        return [
            ("RS-1", self.rs1.format(places)),
            ("RS-2", self.rs2.format(places)),
            ("RS-3", self.rs3.format(places)),
            ("AIHC", self.aihc.format(places)),
            ("AITC", self.aitc.format(places)),
            ("SAIFI", self.saifi.format(places)),
            ("SAIDI", self.saidi.format(places)),
            ("CAIDI", self.caidi.format(places)),
            ("ASAI", self.asai.format(places)),
        ]


@attrs.frozen(slots=True, kw_only=True)
class ReliabilityState:
    """Additive reliability sums; indices are divided only at the end.

    Additive (merged by summing): the :class:`CauseTotals` of each cause class, and the
    customer-hours in the period (``customers × hours``). **Not** additive: a plain customer
    count across periods, and the hours of a period across feeders. The state therefore keeps
    its ``exposure`` as customers served over time (a step function): where states overlap
    in time (feeders or areas of the same period) their customers add up; where they do not
    (consecutive periods) the time covered adds up. The customer count used by the
    per-customer indices is the time-weighted mean ``customers = Σ customers × hours ÷ hours
    covered`` (exact for one period and a fixed count).

    ``min_duration`` records the counting threshold; states counted with different
    thresholds refuse to merge. ``ReliabilityState()`` is the empty state (merge identity).

    >>> import pendulum
    >>> d1 = pendulum.datetime(2024, 6, 1, tz="Asia/Shanghai")
    >>> day1 = pendulum.interval(d1, d1.add(days=1))
    >>> day2 = pendulum.interval(d1.add(days=1), d1.add(days=2))
    >>> o = Outage(start=d1.add(hours=23), end=d1.add(hours=25), customers_affected=12,
    ...            cause="fault")
    >>> a = ReliabilityState.from_outages([o], period=day1, customers=100)
    >>> b = ReliabilityState.from_outages([o], period=day2, customers=100)
    >>> both = pendulum.interval(d1, d1.add(days=2))
    >>> a + b == ReliabilityState.from_outages([o], period=both, customers=100)
    True
    >>> (a + b).customers, (a + b).aihc().value
    (Fraction(100, 1), Fraction(6, 25))
    """

    exposure: tuple[Exposure, ...] = attrs.field(default=(), converter=_canonical_exposure)
    planned: CauseTotals = attrs.field(default=CauseTotals(), validator=_check_totals)
    fault: CauseTotals = attrs.field(default=CauseTotals(), validator=_check_totals)
    external: CauseTotals = attrs.field(default=CauseTotals(), validator=_check_totals)
    supply_shortage: CauseTotals = attrs.field(default=CauseTotals(), validator=_check_totals)
    min_duration: timedelta | None = attrs.field(default=None, validator=_check_min_duration_field)

    # ---- building and merging

    @classmethod
    def from_outages(
        cls,
        outages: Iterable[Outage],
        *,
        period: PeriodLike,
        customers: int,
        min_duration: timedelta = MIN_OUTAGE_DURATION,
    ) -> ReliabilityState:
        """Tally outages over ``period`` for ``customers`` customers served.

        Raises :class:`InputError` when an outage affects more customers than are served,
        or when the outages together interrupt more customer-hours than the period has
        (overlapping records counting the same customers twice).

        >>> import pendulum
        >>> t = pendulum.datetime(2024, 6, 1, tz="Asia/Shanghai")
        >>> day = pendulum.interval(t, t.add(days=1))
        >>> short = Outage(start=t, end=t.add(minutes=2), customers_affected=5, cause="fault")
        >>> s = ReliabilityState.from_outages([short], period=day, customers=10)
        >>> s.fault.events, s.fault.short_events, s.rs1().value
        (0, 1, Fraction(1, 1))
        """
        start, end = _period_bounds(period)
        n = _customers(customers)
        min_us = _min_duration(min_duration)
        cuts = [_instant(start), _instant(end)]
        (bucket,) = _tally(outages, cuts, n, min_us)
        return cls._build([Exposure(start=start, end=end, customers=n)], [bucket], min_duration)

    @classmethod
    def _build(
        cls,
        exposure: Iterable[Exposure],
        buckets: Iterable[_Bucket],
        min_duration: timedelta | None,
    ) -> ReliabilityState:
        totals = {c: [0, 0, 0, 0, 0] for c in OutageCause}
        for bucket in buckets:
            for cause, acc in bucket.items():
                tot = totals[cause]
                for i in range(5):
                    tot[i] += acc[i]
        made = {
            cause: CauseTotals(
                events=t[0],
                customer_interruptions=t[1],
                customer_hours=_hours(t[2]),
                short_events=t[3],
                short_customer_interruptions=t[4],
            )
            for cause, t in totals.items()
        }
        return cls(
            exposure=tuple(exposure),
            planned=made[OutageCause.PLANNED],
            fault=made[OutageCause.FAULT],
            external=made[OutageCause.EXTERNAL],
            supply_shortage=made[OutageCause.SUPPLY_SHORTAGE],
            min_duration=min_duration,
        )

    def __add__(self, other: object) -> ReliabilityState:
        if isinstance(other, ReliabilityState):
            if (
                self.min_duration is not None
                and other.min_duration is not None
                and self.min_duration != other.min_duration
            ):
                raise InputError(
                    "states counted with different minimum outage durations cannot merge",
                    name="min_duration",
                    value=(self.min_duration, other.min_duration),
                    allowed="the same min_duration for every state",
                )
            return ReliabilityState(
                exposure=self.exposure + other.exposure,
                planned=self.planned + other.planned,
                fault=self.fault + other.fault,
                external=self.external + other.external,
                supply_shortage=self.supply_shortage + other.supply_shortage,
                min_duration=self.min_duration
                if self.min_duration is not None
                else other.min_duration,
            )
        if isinstance(other, int) and not isinstance(other, bool) and other == 0:
            return self  # lets sum() start from 0
        return NotImplemented

    __radd__ = __add__

    @classmethod
    def merge(cls, states: Iterable[ReliabilityState]) -> ReliabilityState:
        """Merge states (feeders, areas, periods); empty gives the empty state.

        >>> ReliabilityState.merge([]) == ReliabilityState()
        True
        """
        total = cls()
        for state in states:
            total = total + state
        return total

    # ---- sums

    def totals(self, cause: OutageCause | str) -> CauseTotals:
        """The sums of one cause class.

        >>> ReliabilityState().totals("fault").events
        0
        """
        c = _cause(cause)
        if c is OutageCause.PLANNED:
            return self.planned
        if c is OutageCause.FAULT:
            return self.fault
        if c is OutageCause.EXTERNAL:
            return self.external
        return self.supply_shortage

    def total(self, causes: Iterable[OutageCause | str] | None = None) -> CauseTotals:
        """The sums over a set of cause classes (None: all).

        >>> ReliabilityState().total(RS3_CAUSES).customer_hours
        Fraction(0, 1)
        """
        out = CauseTotals()
        for c in sorted(_causes(causes)):
            out = out + self.totals(c)
        return out

    @property
    def hours(self) -> Fraction:
        """Hours covered: the sum over the distinct periods of the exposure."""
        return sum((e.hours for e in self.exposure), Fraction(0))

    @property
    def customer_hours_in_period(self) -> Fraction:
        """Σ customers × hours in period: the denominator of RS (additive)."""
        return sum((e.customer_hours for e in self.exposure), Fraction(0))

    @property
    def customers(self) -> Fraction | None:
        """Customers served: time-weighted mean over the periods (None if no period)."""
        hours = self.hours
        return self.customer_hours_in_period / hours if hours else None

    # ---- indices

    def _rs(self, causes: frozenset[OutageCause]) -> Ratio:
        den = self.customer_hours_in_period
        return Ratio(den - self.total(causes).customer_hours, den)

    def rs1(self) -> Ratio:
        """RS-1: 1 − Σ customer-hours interrupted (all causes) ÷ customer-hours in period."""
        return self._rs(RS1_CAUSES)

    def rs2(self) -> Ratio:
        """RS-2: as RS-1, leaving out outages of external cause (外部影响)."""
        return self._rs(RS2_CAUSES)

    def rs3(self) -> Ratio:
        """RS-3: as RS-1, leaving out load shedding for lack of system supply."""
        return self._rs(RS3_CAUSES)

    def asai(self, causes: Iterable[OutageCause | str] | None = None) -> Ratio:
        """ASAI = 1 − SAIDI(h) ÷ hours in period; the same ratio as RS-1 for the same causes."""
        return self._rs(_causes(causes))

    def _per_customer(self, amount: Fraction, unit: str) -> IndexValue:
        n = self.customers
        if not n:
            return IndexValue(None, unit, "no customers served in the period")
        return IndexValue(amount / n, unit)

    def aihc(self, causes: Iterable[OutageCause | str] | None = None) -> IndexValue:
        """AIHC: Σ customer-hours interrupted ÷ customers, in h per customer.

        ``causes`` None counts all (AIHC-1); ``RS2_CAUSES``/``RS3_CAUSES`` give AIHC-2/3.
        """
        return self._per_customer(self.total(causes).customer_hours, "h/customer")

    def aitc(self, causes: Iterable[OutageCause | str] | None = None) -> IndexValue:
        """AITC: Σ customers affected ÷ customers, in interruptions per customer."""
        return self._per_customer(
            Fraction(self.total(causes).customer_interruptions), "times/customer"
        )

    def saifi(self, causes: Iterable[OutageCause | str] | None = None) -> IndexValue:
        """SAIFI: Σ customers interrupted ÷ customers served (IEEE 1366)."""
        return self._per_customer(
            Fraction(self.total(causes).customer_interruptions), "interruptions/customer"
        )

    def saidi(self, causes: Iterable[OutageCause | str] | None = None) -> IndexValue:
        """SAIDI: Σ customer-minutes interrupted ÷ customers served, in minutes (IEEE 1366)."""
        return self._per_customer(self.total(causes).customer_hours * 60, "min/customer")

    def caidi(self, causes: Iterable[OutageCause | str] | None = None) -> IndexValue:
        """CAIDI = SAIDI ÷ SAIFI, minutes per interruption; undefined when SAIFI is 0."""
        unit = "min/interruption"
        if not self.customers:
            return IndexValue(None, unit, "no customers served in the period")
        t = self.total(causes)
        if not t.customer_interruptions:
            return IndexValue(None, unit, "no customer interruptions (SAIFI is 0)")
        return IndexValue(t.customer_hours * 60 / t.customer_interruptions, unit)

    def indices(self, causes: Iterable[OutageCause | str] | None = None) -> ReliabilityIndices:
        """Every index at once; ``causes`` applies to AIHC, AITC and the IEEE indices.

        >>> ReliabilityState().indices().saidi.defined
        False
        """
        cs = _causes(causes)
        return ReliabilityIndices(
            rs1=self.rs1(),
            rs2=self.rs2(),
            rs3=self.rs3(),
            aihc=self.aihc(cs),
            aitc=self.aitc(cs),
            saifi=self.saifi(cs),
            saidi=self.saidi(cs),
            caidi=self.caidi(cs),
            asai=self.asai(cs),
        )


# --------------------------------------------------------------------------- tallying

_Bucket = dict[OutageCause, list[int]]
# per cause: [events, customer_interruptions, customer-microseconds, short_events, short_ci]


def _tally(
    outages: Iterable[Outage], cuts: list[datetime], customers: int, min_us: int
) -> list[_Bucket]:
    """Sums per bucket ``[cuts[j], cuts[j+1])``: counts by start bucket, time clipped."""
    if isinstance(outages, Outage):
        raise InputError(
            "must be a collection of outages", name="outages", value=outages, allowed="[Outage]"
        )
    n = len(cuts) - 1
    buckets: list[_Bucket] = [{c: [0, 0, 0, 0, 0] for c in OutageCause} for _ in range(n)]
    for i, o in enumerate(outages):
        if not isinstance(o, Outage):
            raise InputError(
                "is not an Outage", name=f"outages[{i}]", value=o, allowed="Outage instances"
            )
        k = o.customers_affected
        if k > customers:
            label = f" ({o.id})" if o.id else ""
            raise InputError(
                f"affects more customers than are served{label}",
                name=f"outages[{i}].customers_affected",
                value=k,
                allowed=f"at most customers={customers}",
            )
        s, e = _instant(o.start), _instant(o.end)
        if e <= cuts[0] or s >= cuts[-1]:
            continue
        j0 = bisect_right(cuts, s) - 1  # bucket where it starts; -1 if before the first
        if _micros(e - s) < min_us:
            if 0 <= j0 < n:
                acc = buckets[j0][o.cause]
                acc[3] += 1
                acc[4] += k
            continue
        if 0 <= j0 < n:
            acc = buckets[j0][o.cause]
            acc[0] += 1
            acc[1] += k
        j = max(j0, 0)
        while j < n and cuts[j] < e:
            lo = max(s, cuts[j])
            hi = min(e, cuts[j + 1])
            if hi > lo:
                buckets[j][o.cause][2] += k * _micros(hi - lo)
            j += 1
    for j, bucket in enumerate(buckets):
        used = sum(acc[2] for acc in bucket.values())
        available = customers * _micros(cuts[j + 1] - cuts[j])
        if used > available:
            raise InputError(
                "the outages interrupt more customer-hours than the customers have in the "
                "period; overlapping records count the same customers twice",
                name="outages",
                value=f"{_hours(used)} customer-hours in [{cuts[j]}, {cuts[j + 1]})",
                allowed=f"at most customers × hours = {_hours(available)}",
            )
    return buckets


# --------------------------------------------------------------------------- scalar functions


def reliability_indices(
    *,
    outages: Iterable[Outage],
    period: PeriodLike,
    customers: int,
    min_duration: timedelta = MIN_OUTAGE_DURATION,
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
        outages, period=period, customers=customers, min_duration=min_duration
    )
    return state.indices(causes)


def rs1(
    *,
    outages: Iterable[Outage],
    period: PeriodLike,
    customers: int,
    min_duration: timedelta = MIN_OUTAGE_DURATION,
) -> Ratio:
    """RS-1 (供电可靠率, all outages) as an additive :class:`Ratio`.

    >>> import pendulum
    >>> t = pendulum.datetime(2024, 6, 1, tz="Asia/Shanghai")
    >>> day = pendulum.interval(t, t.add(days=1))
    >>> o = Outage(start=t, end=t.add(hours=6), customers_affected=10, cause="external")
    >>> rs1(outages=[o], period=day, customers=10).value   # 1 - 60/240
    Fraction(3, 4)
    """
    return ReliabilityState.from_outages(
        outages, period=period, customers=customers, min_duration=min_duration
    ).rs1()


def rs2(
    *,
    outages: Iterable[Outage],
    period: PeriodLike,
    customers: int,
    min_duration: timedelta = MIN_OUTAGE_DURATION,
) -> Ratio:
    """RS-2: as RS-1, leaving out outages of external cause.

    >>> import pendulum
    >>> t = pendulum.datetime(2024, 6, 1, tz="Asia/Shanghai")
    >>> day = pendulum.interval(t, t.add(days=1))
    >>> o = Outage(start=t, end=t.add(hours=6), customers_affected=10, cause="external")
    >>> rs2(outages=[o], period=day, customers=10).value
    Fraction(1, 1)
    """
    return ReliabilityState.from_outages(
        outages, period=period, customers=customers, min_duration=min_duration
    ).rs2()


def rs3(
    *,
    outages: Iterable[Outage],
    period: PeriodLike,
    customers: int,
    min_duration: timedelta = MIN_OUTAGE_DURATION,
) -> Ratio:
    """RS-3: as RS-1, leaving out load shedding for lack of system supply.

    >>> import pendulum
    >>> t = pendulum.datetime(2024, 6, 1, tz="Asia/Shanghai")
    >>> day = pendulum.interval(t, t.add(days=1))
    >>> o = Outage(start=t, end=t.add(hours=6), customers_affected=10, cause="supply_shortage")
    >>> rs3(outages=[o], period=day, customers=10).format(2)
    '100.00%'
    """
    return ReliabilityState.from_outages(
        outages, period=period, customers=customers, min_duration=min_duration
    ).rs3()


def asai(
    *,
    outages: Iterable[Outage],
    period: PeriodLike,
    customers: int,
    min_duration: timedelta = MIN_OUTAGE_DURATION,
    causes: Iterable[OutageCause | str] | None = None,
) -> Ratio:
    """ASAI = 1 − SAIDI (h) ÷ hours in period (IEEE 1366), an additive :class:`Ratio`.

    >>> import pendulum
    >>> t = pendulum.datetime(2024, 6, 1, tz="Asia/Shanghai")
    >>> day = pendulum.interval(t, t.add(days=1))
    >>> o = Outage(start=t, end=t.add(hours=6), customers_affected=5, cause="fault")
    >>> asai(outages=[o], period=day, customers=10).value   # 1 - 30/240
    Fraction(7, 8)
    """
    return ReliabilityState.from_outages(
        outages, period=period, customers=customers, min_duration=min_duration
    ).asai(causes)


def aihc(
    *,
    outages: Iterable[Outage],
    period: PeriodLike,
    customers: int,
    min_duration: timedelta = MIN_OUTAGE_DURATION,
    causes: Iterable[OutageCause | str] | None = None,
) -> IndexValue:
    """AIHC (用户平均停电时间): Σ(duration × customers affected) ÷ customers, h/customer.

    >>> import pendulum
    >>> t = pendulum.datetime(2024, 6, 1, tz="Asia/Shanghai")
    >>> day = pendulum.interval(t, t.add(days=1))
    >>> o = Outage(start=t, end=t.add(hours=6), customers_affected=5, cause="fault")
    >>> str(aihc(outages=[o], period=day, customers=10))
    '3.00 h/customer'
    """
    return ReliabilityState.from_outages(
        outages, period=period, customers=customers, min_duration=min_duration
    ).aihc(causes)


def aitc(
    *,
    outages: Iterable[Outage],
    period: PeriodLike,
    customers: int,
    min_duration: timedelta = MIN_OUTAGE_DURATION,
    causes: Iterable[OutageCause | str] | None = None,
) -> IndexValue:
    """AITC (用户平均停电次数): Σ customers affected ÷ customers, times/customer.

    >>> import pendulum
    >>> t = pendulum.datetime(2024, 6, 1, tz="Asia/Shanghai")
    >>> day = pendulum.interval(t, t.add(days=1))
    >>> o = Outage(start=t, end=t.add(hours=6), customers_affected=5, cause="fault")
    >>> aitc(outages=[o], period=day, customers=10).value
    Fraction(1, 2)
    """
    return ReliabilityState.from_outages(
        outages, period=period, customers=customers, min_duration=min_duration
    ).aitc(causes)


def saifi(
    *,
    outages: Iterable[Outage],
    period: PeriodLike,
    customers: int,
    min_duration: timedelta = MIN_OUTAGE_DURATION,
    causes: Iterable[OutageCause | str] | None = None,
) -> IndexValue:
    """SAIFI: Σ customers interrupted ÷ customers served.

    >>> import pendulum
    >>> t = pendulum.datetime(2024, 6, 1, tz="Asia/Shanghai")
    >>> day = pendulum.interval(t, t.add(days=1))
    >>> saifi(outages=[], period=day, customers=0).reason
    'no customers served in the period'
    """
    return ReliabilityState.from_outages(
        outages, period=period, customers=customers, min_duration=min_duration
    ).saifi(causes)


def saidi(
    *,
    outages: Iterable[Outage],
    period: PeriodLike,
    customers: int,
    min_duration: timedelta = MIN_OUTAGE_DURATION,
    causes: Iterable[OutageCause | str] | None = None,
) -> IndexValue:
    """SAIDI: Σ customer-minutes interrupted ÷ customers served, in minutes.

    >>> import pendulum
    >>> t = pendulum.datetime(2024, 6, 1, tz="Asia/Shanghai")
    >>> day = pendulum.interval(t, t.add(days=1))
    >>> o = Outage(start=t, end=t.add(hours=1), customers_affected=5, cause="fault")
    >>> saidi(outages=[o], period=day, customers=10).value
    Fraction(30, 1)
    """
    return ReliabilityState.from_outages(
        outages, period=period, customers=customers, min_duration=min_duration
    ).saidi(causes)


def caidi(
    *,
    outages: Iterable[Outage],
    period: PeriodLike,
    customers: int,
    min_duration: timedelta = MIN_OUTAGE_DURATION,
    causes: Iterable[OutageCause | str] | None = None,
) -> IndexValue:
    """CAIDI = SAIDI ÷ SAIFI in minutes per interruption; undefined when SAIFI is 0.

    >>> import pendulum
    >>> t = pendulum.datetime(2024, 6, 1, tz="Asia/Shanghai")
    >>> day = pendulum.interval(t, t.add(days=1))
    >>> caidi(outages=[], period=day, customers=10).reason
    'no customer interruptions (SAIFI is 0)'
    """
    return ReliabilityState.from_outages(
        outages, period=period, customers=customers, min_duration=min_duration
    ).caidi(causes)


# --------------------------------------------------------------------------- major event days


def _day_cuts(start: datetime, end: datetime) -> tuple[list[datetime], list[date]]:
    """Bucket bounds at local midnights (time zone of ``start``) and each bucket's day."""
    tz = start.tzinfo
    end_i = _instant(end)
    cuts = [_instant(start)]
    day = date(start.year, start.month, start.day)
    days = [day]
    while True:
        day = day + timedelta(days=1)
        midnight = _instant(datetime.combine(day, time(0), tzinfo=tz))
        if midnight >= end_i:
            break
        if midnight > cuts[-1]:
            cuts.append(midnight)
            days.append(day)
    cuts.append(end_i)
    return cuts, days


def _daily_buckets(
    outages: Iterable[Outage], period: PeriodLike, customers: int, min_duration: timedelta
) -> tuple[datetime, datetime, list[date], list[_Bucket]]:
    start, end = _period_bounds(period)
    n = _customers(customers)
    if n == 0:
        raise InputError(
            "daily SAIDI is undefined without customers",
            name="customers",
            value=customers,
            allowed="int >= 1",
        )
    min_us = _min_duration(min_duration)
    cuts, days = _day_cuts(start, end)
    return start, end, days, _tally(outages, cuts, n, min_us)


def _bucket_saidi(bucket: _Bucket, causes: frozenset[OutageCause], customers: int) -> Fraction:
    micros = sum(bucket[c][2] for c in causes)
    return _hours(micros) * 60 / customers


def daily_saidi(
    *,
    outages: Iterable[Outage],
    period: PeriodLike,
    customers: int,
    causes: Iterable[OutageCause | str] | None = None,
    min_duration: timedelta = MIN_OUTAGE_DURATION,
) -> dict[date, Fraction]:
    """SAIDI (minutes) of each calendar day of the period, zero days included.

    Days are calendar days in the time zone of ``period.start``; an outage over midnight
    puts its customer-minutes on each day it touches (clipped, as for any period).
    ``customers`` must be at least 1.

    >>> import pendulum
    >>> t = pendulum.datetime(2024, 6, 1, tz="Asia/Shanghai")
    >>> o = Outage(start=t.add(hours=23), end=t.add(hours=25), customers_affected=30,
    ...            cause="fault")
    >>> daily_saidi(outages=[o], period=pendulum.interval(t, t.add(days=3)), customers=60)
    {datetime.date(2024, 6, 1): Fraction(30, 1), datetime.date(2024, 6, 2): Fraction(30, 1), \
datetime.date(2024, 6, 3): Fraction(0, 1)}
    """
    _, _, days, buckets = _daily_buckets(outages, period, customers, min_duration)
    cs = _causes(causes)
    return {d: _bucket_saidi(b, cs, customers) for d, b in zip(days, buckets, strict=True)}


class MedStatus(enum.StrEnum):
    """Outcome of the 2.5β method: a threshold from full history, a provisional one, or none.

    >>> [s.value for s in MedStatus]
    ['available', 'provisional', 'insufficient_data']
    """

    AVAILABLE = "available"
    PROVISIONAL = "provisional"
    INSUFFICIENT_DATA = "insufficient_data"


def _positive_int(minimum: int) -> Any:
    def check(_: Any, attribute: Any, value: object) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise InputError(
                "is too small or not a whole number",
                name=attribute.name,
                value=value,
                allowed=f"int >= {minimum}",
            )

    return check


def _positive_fraction(value: object) -> Fraction:
    f = exact(value, name="beta_multiplier")
    if f <= 0:
        raise InputError("must be > 0", name="beta_multiplier", value=value, allowed="a number > 0")
    return f


_IEEE_1366_SOURCE: Final = Source("IEEE Std 1366", clause="major event day, 2.5 beta method")


@attrs.frozen(slots=True, kw_only=True)
class MedMethod:
    """Parameters of the IEEE 1366 2.5β major event day method, with their source.

    ``history_years`` (5) and ``beta_multiplier`` (2.5) are the method's (confidence H).
    ``min_nonzero_days`` is this library's guard, not a sourced fact: fewer non-zero days in
    the window give *insufficient data*. Its default, 2, is the least a sample standard
    deviation needs; a station should raise it for a stable threshold.

    >>> IEEE_1366_MED.history_years, IEEE_1366_MED.beta_multiplier
    (5, Fraction(5, 2))
    >>> MedMethod(min_nonzero_days=1)
    Traceback (most recent call last):
    gdsmodel.errors.InputError: min_nonzero_days=1: is too small or not a whole number \
(allowed: int >= 2)
    """

    history_years: int = attrs.field(default=5, validator=_positive_int(1))
    beta_multiplier: Fraction = attrs.field(default=Fraction(5, 2), converter=_positive_fraction)
    min_nonzero_days: int = attrs.field(default=2, validator=_positive_int(2))
    source: Source = _IEEE_1366_SOURCE
    confidence: Confidence = Confidence.H


IEEE_1366_MED: Final = MedMethod()
"""The 2.5β method with 5 years of history (IEEE 1366; confidence H)."""


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _plain_date(value: object, name: str) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise InputError("must be a date", name=name, value=value, allowed="a date (no time)")
    return date(value.year, value.month, value.day)


def _ln(value: Fraction) -> float:
    return math.log(value.numerator) - math.log(value.denominator)


@attrs.frozen(slots=True, kw_only=True)
class MedThreshold:
    """The result of the 2.5β method: T_MED (daily SAIDI, minutes) and how sure it is.

    ``status`` is ``available`` (full history), ``provisional`` (history shorter than
    ``method.history_years``) or ``insufficient_data`` (``t_med`` is None, with ``reason``).
    The threshold applies to the days ``[applies_from, applies_until)``; a day there whose
    SAIDI is *above* ``t_med`` is a major event day. ``alpha``, ``beta`` and ``t_med`` are
    floats (logarithms are not exact).

    >>> from datetime import date
    >>> th = med_threshold({date(2023, 5, 1): 3}, year_start=date(2024, 1, 1))
    >>> th.status, th.available
    (<MedStatus.INSUFFICIENT_DATA: 'insufficient_data'>, False)
    >>> th.reason
    '1 non-zero days in [2023-05-01, 2024-01-01); at least 2 needed'
    >>> th.is_major_event_day(100)
    Traceback (most recent call last):
    gdsmodel.metrics.reliability.MedUnavailableError: no major event day threshold ...
    """

    status: MedStatus
    t_med: float | None
    alpha: float | None
    beta: float | None
    nonzero_days: int
    window_start: date
    history_start: date | None
    applies_from: date
    applies_until: date
    method: MedMethod
    reason: str = ""

    @property
    def available(self) -> bool:
        """True when there is a threshold (full or provisional)."""
        return self.t_med is not None

    def _require(self) -> float:
        if self.t_med is None:
            raise MedUnavailableError(
                f"no major event day threshold for {self.applies_from}..{self.applies_until}: "
                f"{self.status}: {self.reason}"
            )
        return self.t_med

    def is_major_event_day(self, saidi: Fraction | int | float | str) -> bool:
        """True when a day's SAIDI (minutes) is above T_MED.

        Raises :class:`MedUnavailableError` when the data were insufficient.
        """
        return exact(saidi, name="saidi") > self._require()

    def major_event_days(self, daily_saidi: Mapping[date, Any]) -> tuple[date, ...]:
        """The days in ``[applies_from, applies_until)`` whose SAIDI is above T_MED, sorted.

        Days outside that year are ignored. Raises :class:`MedUnavailableError` when the
        data were insufficient.

        >>> from datetime import date, timedelta
        >>> hist = {date(2023, 1, 1) + timedelta(days=i): 1 + i % 3 for i in range(365)}
        >>> th = med_threshold(hist, year_start=date(2024, 1, 1))
        >>> th.status, round(th.t_med, 3)
        (<MedStatus.PROVISIONAL: 'provisional'>, 5.647)
        >>> th.major_event_days({date(2024, 1, 5): 6, date(2024, 1, 6): 5})
        (datetime.date(2024, 1, 5),)
        """
        t = self._require()
        days = []
        for key, value in daily_saidi.items():
            d = _plain_date(key, "daily_saidi key")
            if (
                self.applies_from <= d < self.applies_until
                and exact(value, name=f"daily_saidi[{d}]") > t
            ):
                days.append(d)
        return tuple(sorted(days))


def med_threshold(
    daily_saidi: Mapping[date, Any],
    *,
    year_start: date,
    history_start: date | None = None,
    method: MedMethod = IEEE_1366_MED,
) -> MedThreshold:
    """T_MED = exp(α + 2.5β) from daily SAIDI (minutes) before ``year_start``.

    Uses the days in ``[year_start − history_years, year_start)``, drops days of zero
    SAIDI, takes natural logs; α is their mean and β their sample standard deviation
    (n − 1). ``history_start`` is the first day the records are complete (default: the
    earliest day given); when it is later than the window start the result is
    *provisional*. Fewer than ``method.min_nonzero_days`` non-zero days give
    *insufficient data*. The sums are exactly rounded (``math.fsum``), so the threshold
    does not depend on the order of the days.

    >>> from datetime import date
    >>> hist = {date(2023, 3, 1): 1, date(2023, 3, 2): 2, date(2023, 3, 3): 4,
    ...         date(2023, 3, 4): 8, date(2023, 3, 5): 0}
    >>> th = med_threshold(hist, year_start=date(2024, 1, 1))
    >>> th.nonzero_days, round(th.t_med, 4)      # 2 ** (1.5 + 2.5 * sqrt(5/3))
    (4, 26.492)
    >>> med_threshold({}, year_start=date(2024, 1, 1)).status
    <MedStatus.INSUFFICIENT_DATA: 'insufficient_data'>
    """
    if not isinstance(method, MedMethod):
        raise InputError("must be a MedMethod", name="method", value=method, allowed="MedMethod")
    ys = _plain_date(year_start, "year_start")
    window_start = _add_years(ys, -method.history_years)
    applies_until = _add_years(ys, 1)
    values: dict[date, Fraction] = {}
    for key, value in daily_saidi.items():
        d = _plain_date(key, "daily_saidi key")
        values[d] = exact(value, name=f"daily_saidi[{d}]")
    hs = _plain_date(history_start, "history_start") if history_start is not None else None
    if hs is None and values:
        hs = min(values)
    lower = max(window_start, hs) if hs is not None else window_start
    used = [v for d, v in values.items() if lower <= d < ys and v > 0]

    def result(status: MedStatus, reason: str = "", **stats: Any) -> MedThreshold:
        return MedThreshold(
            status=status,
            t_med=stats.get("t_med"),
            alpha=stats.get("alpha"),
            beta=stats.get("beta"),
            nonzero_days=len(used),
            window_start=window_start,
            history_start=hs,
            applies_from=ys,
            applies_until=applies_until,
            method=method,
            reason=reason,
        )

    if hs is None or hs >= ys:
        return result(MedStatus.INSUFFICIENT_DATA, f"no history before {ys}")
    if len(used) < method.min_nonzero_days:
        return result(
            MedStatus.INSUFFICIENT_DATA,
            f"{len(used)} non-zero days in [{lower}, {ys}); "
            f"at least {method.min_nonzero_days} needed",
        )
    logs = [_ln(v) for v in used]
    n = len(logs)
    alpha = math.fsum(logs) / n
    beta = math.sqrt(math.fsum((x - alpha) ** 2 for x in logs) / (n - 1))
    t_med = math.exp(alpha + float(method.beta_multiplier) * beta)
    if hs > window_start:
        years = Fraction((ys - hs).days, 365)
        return result(
            MedStatus.PROVISIONAL,
            f"history from {hs}: about {round_half_up(years, 1)} of {method.history_years} years",
            t_med=t_med,
            alpha=alpha,
            beta=beta,
        )
    return result(MedStatus.AVAILABLE, t_med=t_med, alpha=alpha, beta=beta)


@attrs.frozen(slots=True, kw_only=True)
class MedSplit:
    """A period's reliability with major event days (MED) taken out.

    ``normal`` holds the whole period's exposure and the interruptions of the other days:
    its indices are the indices *with MED excluded*. ``major`` holds the interruptions of
    the major event days without exposure (its own indices are undefined); ``whole`` =
    ``normal + major`` equals the state of all outages (example: see
    :func:`exclude_major_event_days`).

    >>> MedSplit(normal=ReliabilityState(), major=ReliabilityState(), major_event_days=(),
    ...          daily_saidi={}, threshold=med_threshold({}, year_start=date(2024, 1, 1))).whole
    ReliabilityState(exposure=(), ...)
    """

    normal: ReliabilityState
    major: ReliabilityState
    major_event_days: tuple[date, ...]
    daily_saidi: Mapping[date, Fraction] = attrs.field(eq=False)
    threshold: MedThreshold

    @property
    def whole(self) -> ReliabilityState:
        """All interruptions, MED included."""
        return self.normal + self.major


def exclude_major_event_days(
    *,
    outages: Iterable[Outage],
    period: PeriodLike,
    customers: int,
    threshold: MedThreshold,
    causes: Iterable[OutageCause | str] | None = None,
    min_duration: timedelta = MIN_OUTAGE_DURATION,
) -> MedSplit:
    """Split a period's outages into major event days and the rest.

    Daily SAIDI is computed as in :func:`daily_saidi` (with ``causes``, which should match
    the series the threshold was computed from); every interruption on a day above T_MED,
    whatever its cause, goes to ``major``. The period's days must lie in the year the
    threshold applies to. Raises :class:`MedUnavailableError` when the threshold is
    *insufficient data*.

    >>> import pendulum
    >>> from datetime import date
    >>> th = med_threshold({date(2023, 3, 1): 1, date(2023, 3, 2): 2, date(2023, 3, 3): 4,
    ...                     date(2023, 3, 4): 8}, year_start=date(2024, 1, 1))
    >>> t = pendulum.datetime(2024, 6, 1, tz="Asia/Shanghai")
    >>> storm = Outage(start=t.add(hours=1), end=t.add(hours=13), customers_affected=50,
    ...                cause="fault")                      # 720 min x 50 / 100 = 360 min
    >>> small = Outage(start=t.add(days=1), end=t.add(days=1, hours=1), customers_affected=10,
    ...                cause="fault")                      # 6 min
    >>> split = exclude_major_event_days(outages=[storm, small], customers=100,
    ...     period=pendulum.interval(t, t.add(days=30)), threshold=th)
    >>> split.major_event_days, split.normal.saidi().value, split.whole.saidi().value
    ((datetime.date(2024, 6, 1),), Fraction(6, 1), Fraction(366, 1))
    """
    if not isinstance(threshold, MedThreshold):
        raise InputError(
            "must be a MedThreshold", name="threshold", value=threshold, allowed="MedThreshold"
        )
    t = threshold._require()
    start, end, days, buckets = _daily_buckets(outages, period, customers, min_duration)
    if days[0] < threshold.applies_from or days[-1] >= threshold.applies_until:
        raise InputError(
            "the period has days outside the year the threshold applies to",
            name="period",
            value=f"{days[0]}..{days[-1]}",
            allowed=f"days in [{threshold.applies_from}, {threshold.applies_until})",
        )
    cs = _causes(causes)
    daily = {d: _bucket_saidi(b, cs, customers) for d, b in zip(days, buckets, strict=True)}
    med = {d for d, v in daily.items() if v > t}
    normal = ReliabilityState._build(
        [Exposure(start=start, end=end, customers=customers)],
        (b for d, b in zip(days, buckets, strict=True) if d not in med),
        min_duration,
    )
    major = ReliabilityState._build(
        [], (b for d, b in zip(days, buckets, strict=True) if d in med), min_duration
    )
    return MedSplit(
        normal=normal,
        major=major,
        major_event_days=tuple(sorted(med)),
        daily_saidi=daily,
        threshold=threshold,
    )
