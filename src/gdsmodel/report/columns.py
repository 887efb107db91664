"""The columns of a station file, declared once on the record class that a row becomes.

Each field of a record class (:mod:`gdsmodel.report.records`) that a file's column fills is
declared with :func:`column`: its Chinese name, :class:`ColumnKind`, unit, whether it is
required, its choices and bounds. :func:`columns_of` reads the declarations back as
:class:`Column` objects; the reader, its located errors, the docs page of the station folder
(checked by a test) and the folder's JSON Schema (:func:`gdsmodel.report.records.json_schema`)
all derive from them.

Every numeric cell is bounded at parse time (digits, decimals and magnitude: a station's
monthly kWh, money to the fen), so a value that passes is one every renderer can format.

>>> import attrs
>>> @attrs.frozen(kw_only=True)
... class Row:
...     row: int
...     sold_kwh: Fraction = column("售电量", ColumnKind.NUMBER, "kWh")
>>> [(c.name, c.zh, c.kind.value, c.unit) for c in columns_of(Row)]
[('sold_kwh', '售电量', 'number', 'kWh')]
>>> columns_of(Row)[0].parse("1e30", tz="Asia/Shanghai")
Traceback (most recent call last):
gdsmodel.tablefiles.CellError: 1e30 exceeds the largest value allowed
"""

from __future__ import annotations

import datetime as _dt
import enum
import functools
import re
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from sys import intern
from typing import Any

import attrs
import pendulum

from gdsmodel.money import yuan
from gdsmodel.tablefiles import (
    CONTROL_CHARACTERS,
    FORMULA_MARK,
    CellError,
    has_control,
    month_of_cell,
    month_of_text,
    refuse_formula,
)
from gdsmodel.text import Text

__all__ = [
    "BOUNDS",
    "FORMULA_MARK",
    "CellError",
    "Column",
    "ColumnKind",
    "column",
    "columns_of",
    "month_of_text",
    "reader",
]

_EMPTY = Text("")
_KEY = "gdsmodel.column"


# ----------------------------------------------------------------------------- columns


class ColumnKind(enum.StrEnum):
    """What a column holds, and so how its cells are read.

    >>> ColumnKind("yuan").name
    'YUAN'
    """

    MONTH = "month"  # 2026-03 or 2026年3月
    ID = "id"  # a non-empty label
    TEXT = "text"  # free text, may be empty
    COUNT = "count"  # a whole number >= 0
    NUMBER = "number"  # a decimal number >= 0 (kWh, minutes, km...)
    YUAN = "yuan"  # money: a decimal number >= 0, rounded half-up to the fen
    DATETIME = "datetime"  # ISO 8601; without an offset: local time of the station
    CHOICE = "choice"  # one of a fixed set of values
    BOOL = "bool"  # yes/no


_ALLOWED = {
    ColumnKind.MONTH: "a month such as 2026-03 or 2026年3月",
    ColumnKind.ID: "a non-empty name or code",
    ColumnKind.TEXT: "any text",
    ColumnKind.COUNT: "a whole number >= 0",
    ColumnKind.NUMBER: "a number >= 0 without thousands separators, e.g. 1234.5",
    ColumnKind.YUAN: "an amount >= 0 in yuan, e.g. 1234.56",
    ColumnKind.DATETIME: "a date and time such as 2026-03-05 14:30 or 2026-03-05T14:30+08:00",
    ColumnKind.BOOL: "yes/no, true/false, 1/0, pass/fail, 是/否, 合格/不合格",
}

_TRUE = {"yes", "y", "true", "t", "1", "pass", "passed", "是", "合格", "通过", "√"}
_FALSE = {"no", "n", "false", "f", "0", "fail", "failed", "否", "不合格", "未通过", "×"}
_NUMBER = re.compile(r"[+]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_COUNT = re.compile(r"[+]?\d+")


def _norm_choice(text: str) -> str:
    return re.sub(r"\s+", "", text).casefold()


@attrs.frozen(slots=True, kw_only=True)
class Column:
    """One column of a station file: name (English and Chinese), kind, unit and rules.

    ``choices`` are the allowed values of a CHOICE column; ``aliases`` map other spellings
    (Chinese names, ``10 kV``) to them. ``attr`` is the record field when it differs from
    the name. ``default`` is used when an optional column is absent or a cell is empty.

    >>> c = Column(name="cause", zh="原因", kind=ColumnKind.CHOICE,
    ...            choices=("planned", "fault"), aliases={"计划停电": "planned"})
    >>> c.parse("计划停电", tz="Asia/Shanghai"), c.allowed
    ('planned', 'planned, fault')
    """

    name: str
    zh: str
    kind: ColumnKind
    unit: str = ""
    required: bool = True
    choices: tuple[str, ...] = ()
    aliases: Mapping[str, str] = attrs.field(factory=dict, hash=False)
    default: Any = None
    attr: str = ""
    description: Text = _EMPTY
    maximum: Decimal | None = None
    places: int | None = None

    @property
    def field(self) -> str:
        """The record field the column fills."""
        return self.attr or self.name

    @property
    def bounds(self) -> tuple[Decimal, int] | None:
        """The largest value and the most decimals a numeric column accepts (None: not
        numeric).

        >>> Column(name="n", zh="数", kind=ColumnKind.COUNT).bounds
        (Decimal('1000000000'), 0)
        """
        default = BOUNDS.get(self.kind)
        if default is None:
            return None
        return (
            self.maximum if self.maximum is not None else default[0],
            self.places if self.places is not None else default[1],
        )

    @property
    def allowed(self) -> str:
        """What the column accepts, for error messages."""
        if self.kind is ColumnKind.CHOICE:
            return ", ".join(self.choices)
        text = _ALLOWED[self.kind]
        return f"{text} ({self.unit})" if self.unit else text

    @property
    def allowed_range(self) -> str:
        """The bounds of a numeric column, for the error of a value outside them.

        >>> Column(name="n", zh="数", kind=ColumnKind.YUAN, unit="yuan").allowed_range
        'at most 1,000,000,000,000 with at most 4 decimals (yuan)'
        """
        bounds = self.bounds
        if bounds is None:
            return self.allowed
        text = f"at most {bounds[0]:,f}"
        text += f" with at most {bounds[1]} decimals" if bounds[1] else ", a whole number"
        return f"{text} ({self.unit})" if self.unit else text

    def parse(self, text: str, *, tz: str) -> Any:
        """The value of one cell; raises an internal cell error when it is not allowed."""
        s = text.strip()
        refuse_formula(s)
        if not s:
            if self.required or self.kind in (ColumnKind.ID, ColumnKind.MONTH):
                if self.default is not None:
                    return self.default
                raise CellError("is empty", self.allowed)
            return self.default
        k = self.kind
        if k is ColumnKind.MONTH:
            month = month_of_cell(s, tz)  # also an Excel date in a month column: its month
            if month is None:
                raise CellError(f"{s!r} is not a month", self.allowed)
            return month
        if k is ColumnKind.ID:
            if has_control(s):
                raise CellError(f"{s!r} holds control characters", self.allowed)
            return s
        if k is ColumnKind.TEXT:
            return s
        if k is ColumnKind.COUNT:
            if len(s) > _MAX_CELL or not _COUNT.fullmatch(s):
                raise CellError(f"{_short(s)!r} is not a whole number >= 0", self.allowed)
            d = self._bounded(Decimal(s), s)
            return int(d)
        if k in (ColumnKind.NUMBER, ColumnKind.YUAN):
            if len(s) > _MAX_CELL:
                raise CellError(f"{_short(s)!r} is too long for a number", self.allowed_range)
            if s.startswith("-") and _NUMBER.fullmatch(s[1:]):
                raise CellError(f"{s} is negative", self.allowed)
            if not _NUMBER.fullmatch(s):
                raise CellError(f"{s!r} is not a number", self.allowed)
            d = self._bounded(Decimal(s), s)
            if k is ColumnKind.YUAN:
                return yuan(d)
            return Fraction(d)
        if k is ColumnKind.DATETIME:
            return _parse_datetime(s, tz, self.allowed)
        if k is ColumnKind.CHOICE:
            key = _norm_choice(s)
            for choice in self.choices:
                if _norm_choice(choice) == key:
                    return choice
            for alias, choice in self.aliases.items():
                if _norm_choice(alias) == key:
                    return choice
            raise CellError(f"{s!r} is not an allowed value", self.allowed)
        # BOOL
        low = s.casefold()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        raise CellError(f"{s!r} is not yes or no", self.allowed)

    def _bounded(self, d: Decimal, text: str) -> Decimal:
        bounds = self.bounds
        assert bounds is not None
        largest, places = bounds
        try:
            if d > largest:
                raise CellError(f"{text} exceeds the largest value allowed", self.allowed_range)
            raw = d.as_tuple().exponent
            if isinstance(raw, int) and raw < -(places + _MAX_CELL):  # 1e-9999999: no digits
                raise CellError(f"{text} has more than {places} decimals", self.allowed_range)
            exponent = d.normalize().as_tuple().exponent
        except InvalidOperation:  # pragma: no cover - the regex admits finite numbers only
            raise CellError(f"{text!r} is not a number", self.allowed) from None
        if isinstance(exponent, int) and -exponent > places:
            raise CellError(f"{text} has more than {places} decimals", self.allowed_range)
        return d


Reader = Callable[[str], Any]
"""A column's cell reader: the text of a cell -> its value (raises :class:`CellError`)."""


@functools.lru_cache(maxsize=512)
def reader(col: Column, tz: str) -> Reader:
    """The cell reader of a column in a time zone: the common valid cells (plain numbers,
    labels, known choices, months) by a path made for the column once; every other cell
    through :meth:`Column.parse`, which also says what is wrong. Both give the same value
    (property-tested).

    >>> read = reader(Column(name="n", zh="数", kind=ColumnKind.NUMBER), "Asia/Shanghai")
    >>> read("12.50"), read(" 3 ")
    (Fraction(25, 2), Fraction(3, 1))
    """

    def full(text: str) -> Any:
        return col.parse(text, tz=tz)

    k = col.kind
    if k in _NUMERIC:
        largest, places = _int_bounds(k, col.maximum, col.places)
        if largest is None:
            return full
        plain = _PLAIN.fullmatch
        count, money = k is ColumnKind.COUNT, k is ColumnKind.YUAN

        def number(text: str) -> Any:
            found = plain(text)
            if found is None or len(text) > _FAST_CELL:
                return full(text)
            whole, point = found[1], found[2]
            if point is None or not point.rstrip("0"):
                if count and point is not None:
                    return full(text)
                n = int(whole)
                if n > largest:
                    return full(text)
                if count:
                    return n
                return yuan(Decimal(text)) if money else Fraction(n)
            if count:
                return full(text)
            if money and len(point) == 2 and int(whole) < largest:
                return Decimal(text)  # already to the fen: what yuan() would round it to
            frac = point.rstrip("0")
            if len(frac) > places:
                return full(text)
            scale = 10 ** len(frac)
            n = int(whole + frac)
            if n > largest * scale:
                return full(text)
            return yuan(Decimal(text)) if money else Fraction(n, scale)

        return number
    if k is ColumnKind.ID or k is ColumnKind.TEXT:
        control = CONTROL_CHARACTERS.search if k is ColumnKind.ID else None

        def label(text: str) -> Any:
            if not text or text[0].isspace() or text[-1].isspace() or text[0] == FORMULA_MARK:
                return full(text)  # empty, padded or marked: the full path decides
            if control is not None and control(text) is not None:
                return full(text)
            # one string object per distinct short label: a line's ID and name repeat in
            # every month, and a big file would otherwise hold a copy in every record
            return intern(text) if len(text) <= _INTERNED else text

        return label
    if k is ColumnKind.CHOICE or k is ColumnKind.MONTH:
        known: dict[str, Any] = {}  # the full path's value of each valid text seen

        def remembered(text: str) -> Any:
            found = known.get(text)
            if found is None:
                found = full(text)  # a bad cell raises here, and is not remembered
                if len(known) < _REMEMBERED:
                    known[text] = found
            return found

        return remembered
    return full


def _parse_datetime(s: str, tz: str, allowed: str) -> _dt.datetime:
    try:
        value = _dt.datetime.fromisoformat(s)
    except ValueError:
        raise CellError(f"{s!r} is not a date and time", allowed) from None
    if value.tzinfo is None:
        return pendulum.datetime(
            value.year,
            value.month,
            value.day,
            value.hour,
            value.minute,
            value.second,
            value.microsecond,
            tz=tz,
        )
    return value


BOUNDS: Mapping[ColumnKind, tuple[Decimal, int]] = {
    ColumnKind.COUNT: (Decimal(10) ** 9, 0),
    ColumnKind.NUMBER: (Decimal(10) ** 12, 6),
    ColumnKind.YUAN: (Decimal(10) ** 12, 4),
}
"""Default bounds of numeric cells: the largest value and the most decimals. They are
sanity limits of data entry, not domain facts: a thousand billion kWh or yuan is far beyond
any station's month, and a count above a billion is a typing error. A column overrides them
(``maximum``, ``places``). Money keeps up to 4 decimals on input and is rounded half-up to
the fen."""

_MAX_CELL = 40  # characters of a numeric cell
_FAST_CELL = 30  # a plain cell this short is read by the fast path
_NUMERIC = frozenset({ColumnKind.COUNT, ColumnKind.NUMBER, ColumnKind.YUAN})
_PLAIN = re.compile(r"([0-9]+)(?:\.([0-9]*))?")
_INTERNED = 64  # labels up to this long are interned (sys.intern)
_REMEMBERED = 4096  # distinct valid texts of a choice or month column kept per reader


@functools.lru_cache(maxsize=64)
def _int_bounds(
    kind: ColumnKind, maximum: Decimal | None, places: int | None
) -> tuple[int | None, int]:
    """A numeric column's largest value as an int (None when it is not whole) and its
    most decimals."""
    default = BOUNDS[kind]
    largest = maximum if maximum is not None else default[0]
    most = places if places is not None else default[1]
    return (int(largest) if largest == int(largest) else None), most


def _short(text: str) -> str:
    return text if len(text) <= _MAX_CELL else text[:_MAX_CELL] + "..."


def column(
    zh: str,
    kind: ColumnKind,
    unit: str = "",
    *,
    name: str = "",
    required: bool = True,
    default: Any = attrs.NOTHING,
    choices: tuple[str, ...] = (),
    aliases: Mapping[str, str] | None = None,
    description: Text = _EMPTY,
    maximum: Decimal | None = None,
    places: int | None = None,
) -> Any:
    """An attrs field that a station file's column fills (``name``: the column's name when
    it is not the field's, e.g. ``class`` for ``monitoring_class``).

    An optional column (``required=False``) takes ``default`` when it is absent or a cell
    is empty.

    >>> import attrs
    >>> f = attrs.fields(attrs.make_class("R", {"x": column("某", ColumnKind.TEXT)})).x
    >>> f.metadata["gdsmodel.column"].zh
    '某'
    """
    spec = Column(
        name=name,
        zh=zh,
        kind=kind,
        unit=unit,
        required=required,
        choices=choices,
        aliases=dict(aliases or {}),
        default=None if default is attrs.NOTHING else default,
        description=description,
        maximum=maximum,
        places=places,
    )
    return attrs.field(default=default, metadata={_KEY: spec})


@functools.cache
def columns_of(record: type) -> tuple[Column, ...]:
    """The columns declared on a record class, in field order.

    >>> from gdsmodel.report.records import VoltageRecord
    >>> [(c.name, c.field) for c in columns_of(VoltageRecord)][1:3]
    [('point', 'point'), ('class', 'monitoring_class')]
    """
    out: list[Column] = []
    for f in attrs.fields(record):
        spec = f.metadata.get(_KEY)
        if spec is None:
            continue
        assert isinstance(spec, Column)
        if spec.name and spec.name != f.name:
            out.append(attrs.evolve(spec, attr=f.name))
        else:
            out.append(attrs.evolve(spec, name=f.name))
    return tuple(out)
