"""Counting conventions: which interruptions are sustained, and how short ones are counted.

Two conventions ship as data (``data/conventions.toml``, each with its source):

* ``DL/T 836`` (the default for the Chinese indices): sustained when an interruption lasts
  *more than* 3 minutes; 3 minutes or less is a short interruption (短时停电);
* ``IEEE 1366``: sustained when it lasts *more than* 5 minutes; 5 minutes or less is a
  momentary interruption, grouped into momentary interruption *events* (MAIFIe).

Every function of the reliability package takes ``convention=`` (a
:class:`CountingConvention`, its name or id; None for the default). A station chooses one in
its ``station.toml`` (``[reliability] convention = "IEEE 1366"``), read by
:func:`convention_from_station`.

>>> c = convention("IEEE 1366")
>>> c.id, c.sustained_above, c.momentary_event_window
('ieee1366', datetime.timedelta(seconds=300), datetime.timedelta(seconds=300))
>>> from datetime import timedelta
>>> c.is_sustained(timedelta(minutes=5)), c.is_sustained(timedelta(minutes=5, seconds=1))
(False, True)
>>> default_convention().name
'DL/T 836'
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from fractions import Fraction
from functools import cache
from typing import Any, Final

import attrs

from gdsmodel import _show
from gdsmodel.datafiles import package_toml, read_toml
from gdsmodel.errors import DataFileError, InputError
from gdsmodel.serialize import structure
from gdsmodel.sources import Confidence, Source
from gdsmodel.text import Text

__all__ = [
    "CountingConvention",
    "convention",
    "convention_from_station",
    "default_convention",
    "load_conventions",
]

_FORMAT: Final = "gdsmodel.reliability_conventions/1"
_US_PER_MINUTE: Final = 60_000_000


@attrs.frozen(slots=True, kw_only=True)
class CountingConvention:
    """A named counting convention with its source.

    ``sustained_above``: an interruption is sustained when its whole duration is strictly
    longer; one that lasts this long or less is short (momentary) and enters no index but
    the short-interruption ones. ``momentary_event_window`` (None when the convention defines
    no events): momentary interruptions of one line that start within this window after the
    first form one momentary interruption event.

    >>> c = convention("dlt836")
    >>> c.name, str(c.short_name), c.momentary_event_window is None
    ('DL/T 836', '短时停电', True)
    """

    name: str
    id: str
    title: Text
    sustained_above: timedelta
    short_name: Text
    confidence: Confidence
    source: Source
    momentary_event_window: timedelta | None = None
    note: str = ""

    def __repr__(self) -> str:
        return _show.short_repr(self)

    @property
    def sustained_above_us(self) -> int:
        """The threshold in microseconds (what the tally compares)."""
        return _micros(self.sustained_above)

    def is_sustained(self, duration: timedelta) -> bool:
        """True when an interruption of this whole duration is sustained (strictly longer).

        >>> from datetime import timedelta
        >>> convention("DL/T 836").is_sustained(timedelta(minutes=3))
        False
        """
        return duration > self.sustained_above

    def __str__(self) -> str:
        return self.name


@attrs.frozen(slots=True, kw_only=True)
class _ConventionWire:
    name: str
    id: str
    title: Text
    sustained_above_minutes: Fraction
    short_name: Text
    confidence: Confidence
    source: Source
    momentary_event_window_minutes: Fraction | None = None
    note: str = ""


@attrs.frozen(slots=True, kw_only=True)
class _FileWire:
    format: str
    default: str
    conventions: tuple[_ConventionWire, ...]


def _micros(delta: timedelta) -> int:
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def _minutes(value: Fraction, file: str, path: str) -> timedelta:
    us = value * _US_PER_MINUTE
    if value < 0 or us.denominator != 1:
        raise DataFileError(
            f"must be a whole number of microseconds >= 0, got {value} min", file=file, path=path
        )
    return timedelta(microseconds=int(us))


def _parse(data: Any, file: str) -> tuple[tuple[CountingConvention, ...], str]:
    wire = structure(data, _FileWire, file=file)
    if wire.format != _FORMAT:
        raise DataFileError(
            f"unknown format {wire.format!r} (allowed: {_FORMAT})", file=file, path="format"
        )
    out: list[CountingConvention] = []
    seen: set[str] = set()
    for i, w in enumerate(wire.conventions):
        where = f"conventions[{i}]"
        if w.name in seen or w.id in seen:
            raise DataFileError(f"{w.name!r} appears twice", file=file, path=f"{where}.name")
        seen |= {w.name, w.id}
        window = w.momentary_event_window_minutes
        out.append(
            CountingConvention(
                name=w.name,
                id=w.id,
                title=w.title,
                sustained_above=_minutes(
                    w.sustained_above_minutes, file, f"{where}.sustained_above_minutes"
                ),
                short_name=w.short_name,
                confidence=w.confidence,
                source=w.source,
                momentary_event_window=None
                if window is None
                else _minutes(window, file, f"{where}.momentary_event_window_minutes"),
                note=w.note,
            )
        )
    if wire.default not in {c.name for c in out}:
        raise DataFileError(
            f"default {wire.default!r} is not one of the conventions "
            f"(allowed: {', '.join(c.name for c in out)})",
            file=file,
            path="default",
        )
    return tuple(out), wire.default


@cache
def _shipped() -> tuple[tuple[CountingConvention, ...], str]:
    return _parse(*package_toml("gdsmodel.metrics.reliability", "data", "conventions.toml"))


def load_conventions(path: str | None = None) -> tuple[CountingConvention, ...]:
    """The shipped conventions, or those of a conventions file of the same format.

    >>> [c.name for c in load_conventions()]
    ['DL/T 836', 'IEEE 1366']
    """
    if path is None:
        return _shipped()[0]
    return _parse(read_toml(path), path)[0]


def default_convention() -> CountingConvention:
    """The default convention of the shipped data (``DL/T 836``)."""
    conventions, default = _shipped()
    return next(c for c in conventions if c.name == default)


def _allowed() -> str:
    return ", ".join(f"{c.name!r} ({c.id})" for c in load_conventions())


def convention(value: CountingConvention | str | None = None) -> CountingConvention:
    """A convention by name (``"IEEE 1366"``) or id (``"ieee1366"``); None gives the default.

    >>> convention("IEEE 1366") is convention("ieee1366")
    True
    >>> convention("EN 50160")
    Traceback (most recent call last):
    gdsmodel.errors.InputError: convention='EN 50160': is not a counting convention \
(allowed: 'DL/T 836' (dlt836), 'IEEE 1366' (ieee1366))
    """
    if value is None:
        return default_convention()
    if isinstance(value, CountingConvention):
        return value
    if isinstance(value, str):
        key = value.strip()
        for c in load_conventions():
            if key in (c.name, c.id):
                return c
    raise InputError(
        "is not a counting convention", name="convention", value=value, allowed=_allowed()
    )


def convention_from_station(
    station: Mapping[str, Any], *, file: str = "station.toml"
) -> CountingConvention:
    """The convention a station's ``station.toml`` chooses, or the default when it is silent.

    The choice is ``[reliability] convention = "IEEE 1366"`` (a name or an id). A value that
    is not a convention raises :class:`~gdsmodel.errors.DataFileError` naming the file and
    ``reliability.convention``.

    >>> convention_from_station({"reliability": {"convention": "ieee1366"}}).name
    'IEEE 1366'
    >>> convention_from_station({}).name
    'DL/T 836'
    >>> convention_from_station({"reliability": {"convention": 5}}, file="st/station.toml")
    Traceback (most recent call last):
    gdsmodel.errors.DataFileError: st/station.toml: reliability.convention: 5 is not a \
counting convention (allowed: 'DL/T 836' (dlt836), 'IEEE 1366' (ieee1366))
    """
    section = station.get("reliability", {})
    if not isinstance(section, Mapping):
        raise DataFileError("must be a table", file=file, path="reliability")
    if "convention" not in section:
        return default_convention()
    value = section["convention"]
    if isinstance(value, str):
        try:
            return convention(value)
        except InputError:
            pass
    raise DataFileError(
        f"{value!r} is not a counting convention (allowed: {_allowed()})",
        file=file,
        path="reliability.convention",
    )
