"""The period parser: text in any accepted form to the fields of a period.

This module reads text and nothing else: :func:`read` returns a :class:`Parsed` (the kind,
its numbers or a span's bounds, and the time zone) without building a period, so the
period classes in :mod:`gdsmodel.periods` depend on the parser and not the other way
round. :meth:`gdsmodel.periods.Period.parse` is the usual entry point; it builds the period
from a ``Parsed`` and turns a bad field (month 13) into a :class:`~gdsmodel.errors.ParseError`.

>>> from gdsmodel.periods.parser import read
>>> read("2026年第一季度")
Parsed(kind=<PeriodKind.QUARTER: 'quarter'>, numbers=(2026, 1), bounds=None, tz='Asia/Shanghai')
>>> read("2026-03-D1 [UTC]").numbers, read("2026-03-D1 [UTC]").tz
((2026, 3, 1), 'UTC')
>>> read("1 March 2026 to 14 March 2026").bounds  # inclusive in the text, half-open here
(datetime.date(2026, 3, 1), datetime.date(2026, 3, 15))
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from typing import Final

import attrs

from gdsmodel.errors import InputError, ParseError
from gdsmodel.periods._time import (
    _EN_DEKAD,
    _EN_MONTHS,
    _ZH_DEKAD,
    DEFAULT_TZ,
    PeriodKind,
    _zone,
)

__all__ = ["FORMS", "MAX_TEXT", "Parsed", "accepted_forms", "read"]

MAX_TEXT: Final = 200
"""The longest text :func:`read` looks at, in characters (longer text is refused at once)."""

FORMS: Final[dict[PeriodKind, tuple[str, ...]]] = {
    PeriodKind.YEAR: ("2026", "2026年"),
    PeriodKind.QUARTER: ("2026-Q1", "2026年第一季度", "2026 Q1"),
    PeriodKind.MONTH: ("2026-03", "2026年3月", "March 2026"),
    PeriodKind.DEKAD: (
        "2026-03-D1 (D1/D2/D3 = days 1-10/11-20/21-end)",
        "2026-03-上旬",
        "2026年3月上旬",
        "early March 2026 (days 1-10)",
    ),
    PeriodKind.DAY: ("2026-03-15", "2026年3月15日", "15 March 2026"),
    PeriodKind.SPAN: (
        "2026-03-01/2026-03-15 (ISO 8601 interval, end exclusive)",
        "2026-03-01T08:00+08:00/2026-03-01T20:00+08:00",
        "2026年3月1日至2026年3月14日 (last day included)",
        "1 March 2026 to 14 March 2026 (inclusive)",
    ),
}
"""Examples of the accepted text forms of each kind (shown in parse errors and the docs)."""

_TZ_FORM: Final = "any form + [Area/City] for a time zone"


def accepted_forms(kinds: Iterable[PeriodKind]) -> tuple[str, ...]:
    """The example forms of ``kinds``, and the time-zone suffix, for error messages.

    >>> accepted_forms([PeriodKind.YEAR])
    ('2026', '2026年', 'any form + [Area/City] for a time zone')
    """
    return (*(form for k in kinds for form in FORMS[k]), _TZ_FORM)


@attrs.frozen(slots=True)
class Parsed:
    """What a text names: the kind and either its numbers or a span's ``[start, end)``.

    ``numbers`` are (year,), (year, quarter), (year, month), (year, month, dekad) or
    (year, month, day); ``bounds`` is set for spans only (``end`` exclusive). The numbers
    are as written: the period classes check their ranges.
    """

    kind: PeriodKind
    numbers: tuple[int, ...] = ()
    bounds: tuple[date | datetime, date | datetime] | None = None
    tz: str = DEFAULT_TZ


class _Reject(Exception):
    """A form matched but its values are wrong (internal)."""


_MONTH_NAMES: Final = (
    {name.casefold(): i + 1 for i, name in enumerate(_EN_MONTHS)}
    | {name[:3].casefold(): i + 1 for i, name in enumerate(_EN_MONTHS)}
    | {"sept": 9}
)
_MON: Final = "(?P<mon>" + "|".join(sorted(_MONTH_NAMES, key=len, reverse=True)) + r")\.?"
_ZH_DIGITS: Final = {
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_ZH_DEKAD_NO: Final = {name: i + 1 for i, name in enumerate(_ZH_DEKAD)}
_EN_DEKAD_NO: Final = {name: i + 1 for i, name in enumerate(_EN_DEKAD)}

# Numbers in the forms have bounded widths (a quarter or 旬 of up to 3 digits is still read,
# so that "2026-Q9" is "quarter=9 is not allowed" rather than "no form matches").
_ISO_DATE: Final = re.compile(r"\d{4}-\d{2}-\d{2}")
_ZH_DATE: Final = re.compile(r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})[日号]")
_EN_DATE: Final = (
    re.compile(r"(?P<d>\d{1,2}) " + _MON + r",? (?P<y>\d{4})"),
    re.compile(_MON + r" (?P<d>\d{1,2}),? (?P<y>\d{4})"),
)


def _zh_int(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text in _ZH_DIGITS:
        return _ZH_DIGITS[text]
    raise _Reject(f"{text!r} is not a number")


def _date(y: str | int, m: str | int, d: str | int) -> date:
    try:
        return date(int(y), int(m), int(d))
    except ValueError as exc:
        raise _Reject(f"{int(y):04d}-{int(m):02d}-{int(d):02d} is not a date: {exc}") from None


def _iso_point(text: str) -> date | datetime:
    if _ISO_DATE.fullmatch(text):
        y, m, d = text.split("-")
        return _date(y, m, d)
    if "T" in text or "t" in text:
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            raise _Reject(f"{text!r} is not an ISO 8601 date-time") from None
    raise _Reject(f"{text!r} is not an ISO 8601 date (YYYY-MM-DD) or date-time")


def _en_date(text: str) -> date:
    for pattern in _EN_DATE:
        m = pattern.fullmatch(text)
        if m:
            return _date(m["y"], _MONTH_NAMES[m["mon"]], m["d"])
    raise _Reject(f"{text!r} is not a date such as '15 March 2026'")


def _zh_date(text: str) -> date:
    m = _ZH_DATE.fullmatch(text)
    if not m:
        raise _Reject(f"{text!r} is not a date such as '2026年3月15日'")
    return _date(m["y"], m["m"], m["d"])


def _dekad_en(m: re.Match[str], tz: str) -> Parsed:
    y, month, n = int(m["y"]), _MONTH_NAMES[m["mon"]], _EN_DEKAD_NO[m["part"]]
    if m["d1"] is not None:
        first = 10 * n - 9
        last = 10 * n if n < 3 else calendar.monthrange(max(y, 1), month)[1]
        if (int(m["d1"]), int(m["d2"])) != (first, last):
            raise _Reject(f"that 旬 covers days {first}-{last}, not {m['d1']}-{m['d2']}")
    return Parsed(PeriodKind.DEKAD, (y, month, n), tz=tz)


def _inclusive_span(a: date, b: date, tz: str) -> Parsed:
    if b < a:
        raise _Reject(f"the last day {b} is before the first day {a}")
    try:
        stop = b + timedelta(days=1)
    except OverflowError:
        raise _Reject(f"the last day {b} is out of the supported range") from None
    return Parsed(PeriodKind.SPAN, bounds=(a, stop), tz=tz)


def _n(kind: PeriodKind, *groups: str) -> Callable[[re.Match[str], str], Parsed]:
    def build(m: re.Match[str], tz: str) -> Parsed:
        return Parsed(kind, tuple(int(m[g]) for g in groups), tz=tz)

    return build


_Y, _Q, _M, _K, _D, _S = (
    PeriodKind.YEAR,
    PeriodKind.QUARTER,
    PeriodKind.MONTH,
    PeriodKind.DEKAD,
    PeriodKind.DAY,
    PeriodKind.SPAN,
)
_Builder = Callable[[re.Match[str], str], Parsed]
_RULES_COMPACT: Final[tuple[tuple[re.Pattern[str], _Builder], ...]] = (
    # ISO 8601 and the canonical forms
    (re.compile(r"(?P<y>\d{4})"), _n(_Y, "y")),
    (re.compile(r"(?P<y>\d{4})-?[Qq](?P<q>\d{1,3})"), _n(_Q, "y", "q")),
    (re.compile(r"(?P<y>\d{4})-(?P<m>\d{2})"), _n(_M, "y", "m")),
    (
        re.compile(r"(?P<y>\d{4})-(?P<m>\d{2})-(?:[Dd](?P<n>\d{1,3})|(?P<zh>[上中下]旬))"),
        lambda m, tz: Parsed(
            _K, (int(m["y"]), int(m["m"]), int(m["n"]) if m["n"] else _ZH_DEKAD_NO[m["zh"]]), tz=tz
        ),
    ),
    (re.compile(r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})"), _n(_D, "y", "m", "d")),
    (
        re.compile(r"(?P<a>[^/]+)/(?P<b>[^/]+)"),
        lambda m, tz: Parsed(_S, bounds=(_iso_point(m["a"]), _iso_point(m["b"])), tz=tz),
    ),
    # Chinese
    (re.compile(r"(?P<y>\d{4})年度?"), _n(_Y, "y")),
    (
        re.compile(r"(?P<y>\d{4})年第?(?P<q>\d{1,3}|[一二三四五六七八九])季度?"),
        lambda m, tz: Parsed(_Q, (int(m["y"]), _zh_int(m["q"])), tz=tz),
    ),
    (re.compile(r"(?P<y>\d{4})年(?P<m>\d{1,2})月份?"), _n(_M, "y", "m")),
    (
        re.compile(r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<zh>[上中下]旬)"),
        lambda m, tz: Parsed(_K, (int(m["y"]), int(m["m"]), _ZH_DEKAD_NO[m["zh"]]), tz=tz),
    ),
    (_ZH_DATE, _n(_D, "y", "m", "d")),
    (
        re.compile(r"(?P<a>\d{4}年[^至到~\-—–]+)(?:至|到|~|-|—|–)(?P<b>\d{4}年[^至到~\-—–]+)"),
        lambda m, tz: _inclusive_span(_zh_date(m["a"]), _zh_date(m["b"]), tz),
    ),
)
_RULES_SPACED: Final[tuple[tuple[re.Pattern[str], _Builder], ...]] = (
    (
        re.compile(r"(?P<y>\d{4}) q(?P<q>\d{1,3})|q(?P<q2>\d{1,3}),? (?P<y2>\d{4})"),
        lambda m, tz: Parsed(_Q, (int(m["y"] or m["y2"]), int(m["q"] or m["q2"])), tz=tz),
    ),
    (
        re.compile(_MON + r",? (?P<y>\d{4})"),
        lambda m, tz: Parsed(_M, (int(m["y"]), _MONTH_NAMES[m["mon"]]), tz=tz),
    ),
    (
        re.compile(
            r"(?P<part>early|mid|late)[ -]"
            + _MON
            + r",? (?P<y>\d{4})(?: ?\(days? (?P<d1>\d{1,2}) ?[-–] ?(?P<d2>\d{1,2})\))?"
        ),
        _dekad_en,
    ),
    *(
        (p, lambda m, tz: Parsed(_D, (int(m["y"]), _MONTH_NAMES[m["mon"]], int(m["d"])), tz=tz))
        for p in _EN_DATE
    ),
    (
        re.compile(r"(?P<a>.+?) (?:to|through|until) (?P<b>.+?)(?: \(inclusive\))?"),
        lambda m, tz: _inclusive_span(_en_date(m["a"]), _en_date(m["b"]), tz),
    ),
)
_TZ_SUFFIX: Final = re.compile(r"(?P<body>.*?)\s*\[(?P<tz>[^\[\]]*)\]")
_SPACE_AROUND_SYMBOL: Final = re.compile(r"\s*([^0-9A-Za-z\s])\s*")
_SPACES: Final = re.compile(r"\s+")
# The canonical forms, tried first without normalising the text (the common case).
_FAST: Final = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?|-Q(\d))?")


def _shown(text: str, limit: int = 60) -> str:
    """``text`` cut to ``limit`` characters for an error message (with its full length).

    >>> _shown("2026Q" + "9" * 5000)
    '2026Q9999999999999999999999999999999999999999999999999999999... (5005 characters)'
    """
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text)} characters)"


def _known_zone(tz: str) -> bool:
    try:
        _zone(tz)
    except InputError:
        return False
    return True


def read(
    text: str,
    tz: str = DEFAULT_TZ,
    *,
    what: str = "period",
    accepted: tuple[str, ...] | None = None,
) -> Parsed:
    """What ``text`` names, in zone ``tz`` unless the text ends with ``[Area/City]``.

    Text that matches no form (or names an impossible date), a bad zone and text longer
    than :data:`MAX_TEXT` characters raise :class:`~gdsmodel.errors.ParseError`, which
    lists ``accepted`` (by default every form) and says ``what`` was expected.

    >>> read("2026-03")
    Parsed(kind=<PeriodKind.MONTH: 'month'>, numbers=(2026, 3), bounds=None, tz='Asia/Shanghai')
    >>> read("2026Q" + "9" * 5000)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    gdsmodel.errors.ParseError: cannot parse '2026Q999...9... (5005 characters)' as a period \
(longer than 200 characters); accepted forms: ...
    """
    if accepted is None:
        accepted = accepted_forms(PeriodKind)
    if not isinstance(text, str):
        raise ParseError(_shown(repr(text)), what=what, reason="not text", accepted=accepted)
    fast = _FAST.fullmatch(text)
    if fast is not None and (tz == DEFAULT_TZ or _known_zone(tz)):
        y, m, d, q = fast.groups()
        if q is not None:
            return Parsed(_Q, (int(y), int(q)), tz=tz)
        if d is not None:
            return Parsed(_D, (int(y), int(m), int(d)), tz=tz)
        if m is not None:
            return Parsed(_M, (int(y), int(m)), tz=tz)
        return Parsed(_Y, (int(y),), tz=tz)

    def fail(reason: str) -> ParseError:
        return ParseError(_shown(text), what=what, reason=reason, accepted=accepted)

    if len(text) > MAX_TEXT:
        raise fail(f"longer than {MAX_TEXT} characters")
    s = unicodedata.normalize("NFKC", text).strip()
    suffix = _TZ_SUFFIX.fullmatch(s)
    if suffix:
        s, tz = suffix["body"].strip(), suffix["tz"].strip()
    try:
        _zone(tz)
    except InputError as exc:
        raise fail(str(exc)) from None
    if not s:
        raise fail("the text is empty")
    compact = _SPACE_AROUND_SYMBOL.sub(r"\1", s)
    spaced = _SPACES.sub(" ", s).casefold()
    for rules, subject in ((_RULES_COMPACT, compact), (_RULES_SPACED, spaced)):
        for pattern, build in rules:
            match = pattern.fullmatch(subject)
            if match is None:
                continue
            try:
                return build(match, tz)
            except _Reject as exc:
                raise fail(str(exc)) from None
    raise fail("no accepted form matches")
