"""The outage record: one interruption of supply, with its (de)serialisation hooks."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from fractions import Fraction
from typing import Any, Final

import attrs

from gdsmodel import _show
from gdsmodel.errors import InputError
from gdsmodel.metrics.reliability._common import (
    _customers,
    _hours,
    _instant_us,
    _period_bounds,
)
from gdsmodel.metrics.reliability.causes import OutageCause, _cause
from gdsmodel.metrics.reliability.conventions import CountingConvention
from gdsmodel.metrics.reliability.conventions import convention as get_convention
from gdsmodel.periods import PeriodLike, utc_instant
from gdsmodel.serialize import converter


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
    # the UTC instants in microseconds since 1970, computed once (what the tally reads)
    start_us: int = attrs.field(init=False, eq=False, repr=False)
    end_us: int = attrs.field(init=False, eq=False, repr=False)

    def __repr__(self) -> str:
        return _show.short_repr(self)

    def __attrs_post_init__(self) -> None:
        s = _instant_us(self.start, "start")
        e = _instant_us(self.end, "end")
        object.__setattr__(self, "start_us", s)
        object.__setattr__(self, "end_us", e)
        if e <= s:
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
        return timedelta(microseconds=self.end_us - self.start_us)

    @property
    def hours(self) -> Fraction:
        """The duration in hours, exactly."""
        return _hours(self.end_us - self.start_us)

    @property
    def customer_hours(self) -> Fraction:
        """``hours × customers_affected``: the customer-outage-hours of this outage."""
        return self.hours * self.customers_affected

    def is_sustained(self, convention: CountingConvention | str | None = None) -> bool:
        """True when the outage's whole duration is strictly longer than the convention's
        threshold (default ``DL/T 836``: 3 minutes); else it is a short interruption.

        >>> import pendulum
        >>> t = pendulum.datetime(2024, 6, 10, 9, tz="Asia/Shanghai")
        >>> o = Outage(start=t, end=t.add(minutes=4), customers_affected=1, cause="fault")
        >>> o.is_sustained(), o.is_sustained("IEEE 1366")
        (True, False)
        """
        return self.end_us - self.start_us > get_convention(convention).sustained_above_us

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
        lo = max(self.start, start, key=utc_instant)
        hi = min(self.end, end, key=utc_instant)
        if utc_instant(hi) <= utc_instant(lo):
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
        utc_instant(moment, name="moment")
        if not utc_instant(self.start) < utc_instant(moment) < utc_instant(self.end):
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
