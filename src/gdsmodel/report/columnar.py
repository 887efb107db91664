"""The valid rows of a station file kept as columns: a compact array per column instead of
one record object per row.

A station file of a few hundred megabytes holds millions of rows, and a validated record
per row (an attrs object with its exact ``Fraction``\\ s) costs about ten times the row's
text. :class:`Columns` keeps what the reader parsed, exactly, column by column:

* a column whose values repeat (months, IDs, names, choices, yes/no) as one code per row
  (``array('i')``) into the column's distinct values;
* a number as an integer of the column's smallest unit (``array('q')``): a count as
  itself, a number in units of its last allowed decimal (kWh in millionths), yuan in fen;
  ``-1`` stands for an empty optional cell (every number is >= 0);
* anything else (date-times) as the values themselves.

A value that would not round-trip exactly through its array (a default with more decimals
than the column allows, an integer beyond 64 bits) turns that column into a list of the
values, so what :meth:`Columns.value` gives back is always what the reader parsed. The
report's sums run over the integer arrays; a record is built only when asked for
(:meth:`Columns.record`), the same record the reader would have built (property-tested);
a record class with checks of its own (validators, ``__attrs_post_init__``) has its records
built, and so checked, while the file is read, and kept.

>>> from fractions import Fraction
>>> from gdsmodel.periods import Month
>>> from gdsmodel.report.records import schema
>>> store = Columns(schema("tickets"), "Asia/Shanghai")
>>> store.append({"month": Month(2026, 3), "type": "work", "total": 5, "qualified": 4}, 2)
>>> store.append({"month": Month(2026, 3), "type": "operation", "total": 7, "qualified": 7}, 3)
>>> len(store), store.total("total", range(2)), store.record(1).type
(2, Fraction(12, 1), <TicketType.OPERATION: 'operation'>)
"""

from __future__ import annotations

import functools
import re
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any, TypeAlias, overload

import attrs

from gdsmodel.periods import Month
from gdsmodel.report.columns import CellError, Column, ColumnKind, Reader, reader
from gdsmodel.report.records import FileSchema, _fillers

__all__ = [
    "Columns",
    "FirstRows",
    "Records",
    "Selection",
    "build_record",
    "exact_sum",
    "plain_record",
]

Selection: TypeAlias = "range | array[int]"
"""Rows of a store: a ``range`` or an ``array('i')`` of positions, in row order."""

_NONE = -1
_MINUS_ONE = array("q", [_NONE]).tobytes()
_LIMIT = 2**63


class _Unfit(Exception):
    """A value that the column's array cannot hold exactly."""


class _Coded:
    """A column of repeated values: the distinct values and one code per row."""

    __slots__ = ("blank", "codes", "index", "values")

    def __init__(self) -> None:
        self.values: list[Any] = []
        self.index: dict[Any, int] = {}
        self.codes = array("i")
        self.blank: set[int] = set()  # the codes of None and "" (not a key)

    def code(self, value: Any) -> int:
        found = self.index.get(value)
        if found is None:
            found = self.index[value] = len(self.values)
            self.values.append(value)
            if value is None or value == "":
                self.blank.add(found)
        return found

    def append(self, value: Any) -> None:
        self.codes.append(self.code(value))

    def get(self, i: int) -> Any:
        return self.values[self.codes[i]]

    def objects(self) -> list[Any]:
        values = self.values
        return [values[c] for c in self.codes]


def _code_of(index: dict[Any, int], values: list[Any], value: Any) -> int:
    found = index.get(value)
    if found is None:
        found = index[value] = len(values)
        values.append(value)
    return found


class _Numbers:
    """A column of numbers >= 0 as integers of the column's unit (``-1``: None)."""

    __slots__ = ("data", "kind", "scale")

    def __init__(self, kind: ColumnKind, places: int) -> None:
        self.kind = kind
        self.scale = 100 if kind is ColumnKind.YUAN else 10**places
        self.data = array("q")

    def unit(self, value: Any) -> int:
        """The integer of a value (raises :class:`_Unfit` when it would not round-trip)."""
        if value is None:
            return _NONE
        k = self.kind
        if k is ColumnKind.COUNT:
            if type(value) is not int or not 0 <= value < _LIMIT:
                raise _Unfit
            return value
        if k is ColumnKind.YUAN:
            if type(value) is not Decimal or value.as_tuple().exponent != -2 or value < 0:
                raise _Unfit
            n = int(value.scaleb(2))
        else:
            if type(value) is not Fraction or value < 0:
                raise _Unfit
            n, rest = divmod(value.numerator * self.scale, value.denominator)
            if rest:
                raise _Unfit
        if n >= _LIMIT:
            raise _Unfit
        return n

    def append(self, value: Any) -> None:
        self.data.append(self.unit(value))

    def of(self, n: int) -> Any:
        if n == _NONE:
            return None
        if self.kind is ColumnKind.COUNT:
            return n
        if self.kind is ColumnKind.YUAN:
            return Decimal(n).scaleb(-2)
        return Fraction(n, self.scale)

    def get(self, i: int) -> Any:
        return self.of(self.data[i])

    def objects(self) -> list[Any]:
        return [self.of(n) for n in self.data]


class _Objects:
    """A column of values as they are."""

    __slots__ = ("data",)

    def __init__(self, data: list[Any] | None = None) -> None:
        self.data: list[Any] = data if data is not None else []

    def append(self, value: Any) -> None:
        self.data.append(value)

    def get(self, i: int) -> Any:
        return self.data[i]

    def objects(self) -> list[Any]:
        return self.data


_CODED = frozenset(
    {ColumnKind.MONTH, ColumnKind.ID, ColumnKind.TEXT, ColumnKind.CHOICE, ColumnKind.BOOL}
)


def _column_for(col: Column) -> _Coded | _Numbers | _Objects:
    if col.kind in _CODED:
        return _Coded()
    bounds = col.bounds
    if bounds is None:
        return _Objects()
    largest, places = bounds
    numbers = _Numbers(col.kind, places)
    if largest * numbers.scale >= _LIMIT:
        return _Objects()
    try:
        numbers.unit(col.default)
    except _Unfit:
        return _Objects()
    return numbers


def exact_sum(values: Iterable[int | Fraction | Decimal]) -> Fraction:
    """The exact sum of numbers, added per denominator as integers and made one Fraction at
    the end (much faster than adding Fractions one by one; the same value).

    >>> exact_sum([Fraction(1, 2), 3, Fraction(5, 2), Decimal("0.25")])
    Fraction(25, 4)
    """
    whole = 0
    by_den: dict[int, int] = {}
    for v in values:
        n, d = v.as_integer_ratio()
        if d == 1:
            whole += n
        else:
            by_den[d] = by_den.get(d, 0) + n
    by_den[1] = by_den.get(1, 0) + whole
    return sum((Fraction(n, d) for d, n in by_den.items()), Fraction(0))


def _given(kept: Any, text: str) -> Any:
    return kept


_PLAIN = re.compile(r"([0-9]+)(?:\.([0-9]*))?")
_FAST_CELL = 30
_TEXTS = 4096  # distinct texts of a month, choice or yes/no column remembered


def _fast(col: Column, kept: _Coded | _Numbers | _Objects, read: Reader) -> Callable[[str], Any]:
    """The fast function of :meth:`Columns.fast_plan` for one column."""
    if isinstance(kept, _Coded):
        code = kept.code
        if col.kind in (ColumnKind.ID, ColumnKind.TEXT):
            index = kept.index  # a valid label is its own value

            def label(text: str) -> int:
                found = index.get(text)
                return code(read(text)) if found is None else found

            return label
        texts: dict[str, int] = {}

        def remembered(text: str) -> int:
            found = texts.get(text)
            if found is None:
                found = code(read(text))
                if len(texts) < _TEXTS:
                    texts[text] = found
            return found

        return remembered
    if isinstance(kept, _Objects):
        return read
    unit = kept.unit
    if col.kind is ColumnKind.COUNT:
        return lambda text: unit(read(text))
    bounds = col.bounds
    assert bounds is not None
    if bounds[0] != int(bounds[0]):  # a largest value that is not whole: the reader decides
        return lambda text: unit(read(text))
    largest, places = int(bounds[0]), bounds[1]
    plain = _PLAIN.fullmatch
    money = col.kind is ColumnKind.YUAN
    scale = kept.scale
    digits = 2 if money else places

    def number(text: str) -> int:
        found = plain(text)
        if found is None or len(text) > _FAST_CELL:
            return unit(read(text))
        whole, point = found[1], found[2]
        if point is None or not point.rstrip("0"):
            n = int(whole)
            if n > largest:
                return unit(read(text))
            return n * scale
        frac = point if money else point.rstrip("0")
        if (len(frac) != 2) if money else (len(frac) > places):
            return unit(read(text))  # money to a tenth or beyond the fen: rounded by yuan()
        n = int(whole + frac.ljust(digits, "0"))
        if n > largest * scale or (money and int(whole) >= largest):
            return unit(read(text))
        return n

    return number


@functools.cache
def plain_record(record: type) -> bool:
    """True when building a record of this class cannot fail once its values are parsed:
    no validators, no converters, no ``__attrs_post_init__`` (its records need not be built
    while the file is read)."""
    if hasattr(record, "__attrs_post_init__") or hasattr(record, "__attrs_pre_init__"):
        return False
    return all(f.validator is None and f.converter is None for f in attrs.fields(record))


def build_record(
    spec: FileSchema, values: Mapping[str, Any], row: int, tz: str, *, direct: bool
) -> Any:
    """The record of one parsed row (its month from ``month_from`` for a file without a
    ``month`` column), by :meth:`FileSchema.build`."""
    month = None
    if spec.month_from:
        month = Month.of(values[spec.month_from], tz=tz)
    return spec.build(values, row=row, month=month, direct=direct)


class Columns:
    """The valid rows of one station file, column by column (see the module's docs).

    ``append`` takes a row's parsed values (by column name) and its row number; ``record``
    builds the record of a position (``direct``: without the converter, see
    :meth:`FileSchema.build`). ``built`` holds the records made while the file was read,
    for a record class with checks of its own (None: records are built when asked for).
    """

    def __init__(self, schema: FileSchema, tz: str) -> None:
        self.schema = schema
        self.tz = tz
        self.direct = True
        self.rows = array("i")
        self.columns: dict[str, _Coded | _Numbers | _Objects] = {
            c.name: _column_for(c) for c in schema.columns
        }
        self.built: list[Any] | None = None
        self._derived: _Coded | None = None  # the month of a row without a month column
        if "month" not in self.columns and schema.month_from:
            self._derived = _Coded()
        self._groups: dict[Month, Selection] | None = None
        self._fields = {c.field: c.name for c in schema.columns}
        self._appenders: list[Callable[[Any], None]] | None = None
        self.converted = False
        self._none_free: dict[str, bool] = {}  # numeric columns without an empty cell

    def __len__(self) -> int:
        return len(self.rows)

    def __repr__(self) -> str:
        return f"<Columns of {self.schema.filename}: {len(self)} rows>"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Columns):
            return NotImplemented
        return (
            self.schema is other.schema
            and self.rows == other.rows
            and all(self.columns[n].objects() == other.columns[n].objects() for n in self.columns)
        )

    def __hash__(self) -> int:  # equal stores have the same file and number of rows
        return hash((self.schema.stem, len(self.rows)))

    # ------------------------------------------------------------------ filling

    def code(self, name: str, value: Any) -> Any:
        """The code of a value in a column of repeated values (else the value itself): what
        a key is compared by."""
        col = self.columns[name]
        return col.code(value) if isinstance(col, _Coded) else (value,)

    def append(self, values: Mapping[str, Any], row: int, record: Any = None) -> None:
        """Add a valid row (``record``: its record, kept when records are built while
        reading)."""
        for name, col in self.columns.items():
            value = values[name]
            try:
                col.append(value)
            except (_Unfit, OverflowError):  # kept as it is, from now on
                kept = _Objects(col.objects())
                kept.append(value)
                self.columns[name] = kept
                self._appenders = None
                self.converted = True  # a fast plan made before no longer fits
        self.rows.append(row)
        if self.built is not None:
            self.built.append(record)
        if self._derived is not None:
            self._derived.append(getattr(record, "month", None))
        self._groups = None
        self._none_free.clear()

    def append_raw(self, raw: Sequence[Any], row: int) -> None:
        """Add a valid row given as what its columns keep (:meth:`fast_plan`)."""
        appenders = self._appenders
        if appenders is None:
            appenders = self._appenders = [
                col.codes.append if isinstance(col, _Coded) else col.data.append
                for col in self.columns.values()
            ]
        for append, v in zip(appenders, raw, strict=True):
            append(v)
        self.rows.append(row)
        self._groups = None
        self._none_free.clear()

    def decoded(self, name: str, raw: Any) -> Any:
        """The parsed value of what column ``name`` keeps (a code, an integer)."""
        col = self.columns[name]
        if isinstance(col, _Coded):
            return col.values[raw]
        if isinstance(col, _Numbers):
            return col.of(raw)
        return raw

    def fast_plan(
        self, plan: Sequence[tuple[Column, int | None]]
    ) -> tuple[tuple[Callable[[str], Any] | None, int, Any], ...]:
        """For each column (in the store's order) and its position in the file's rows: a
        function from a cell's text to what the column keeps (a code, an integer; raises
        :class:`~gdsmodel.report.columns.CellError` for a cell the full path must read),
        or None and the kept form of the default for a column absent from the file. The
        kept form equals the full reader's value (property-tested)."""
        out: list[tuple[Callable[[str], Any] | None, int, Any]] = []
        for col, i in plan:
            kept = self.columns[col.name]
            if i is None:
                if isinstance(kept, _Coded):
                    out.append((None, 0, kept.code(col.default)))
                elif isinstance(kept, _Numbers):
                    out.append((None, 0, kept.unit(col.default)))
                else:
                    out.append((None, 0, col.default))
                continue
            out.append((_fast(col, kept, reader(col, self.tz)), i, None))
        return tuple(out)

    def fast_rows(
        self, plan: Sequence[tuple[Column, int | None]]
    ) -> Callable[[Sequence[str]], tuple[list[Any], tuple[Any, ...]] | None]:
        """The fast path of the reader: a row's cells -> what the columns keep of it and its
        key's codes, when every cell reads fast (:meth:`fast_plan`), the key is whole and
        the file's rules hold; None: the row takes the full path (which names what is
        wrong)."""
        steps = self.fast_plan(plan)
        funcs: list[tuple[Callable[[str], Any], int]] = [
            (f if f is not None else functools.partial(_given, kept), i) for f, i, kept in steps
        ]
        need = max((i + 1 for f, i, _ in steps if f is not None), default=0)
        names = list(self.columns)
        schema = self.schema
        key_at = [names.index(k) for k in schema.key]
        blanks = [
            (j, col.blank if isinstance(col, _Coded) else None, k)
            for j, k, col in ((names.index(k), k, self.columns[k]) for k in schema.key)
        ]
        check = schema.check
        decoded = self.decoded
        key_parts = [
            (j, isinstance(self.columns[k], _Coded), k)
            for j, k in zip(key_at, schema.key, strict=True)
        ]
        plain_key = all(coded for _, coded, _ in key_parts)

        def read(cells: Sequence[str]) -> tuple[list[Any], tuple[Any, ...]] | None:
            if len(cells) < need:  # a short row: its missing cells are empty
                cells = [*cells, *([""] * (need - len(cells)))]
            try:
                raw = [f(cells[i]) for f, i in funcs]
            except CellError:
                return None
            for j, blank, k in blanks:
                if blank is None:
                    if decoded(k, raw[j]) in (None, ""):
                        return None
                elif raw[j] in blank:
                    return None
            if check is not None and check(
                {n: decoded(n, v) for n, v in zip(names, raw, strict=True)}
            ):
                return None
            if plain_key:
                return raw, tuple([raw[j] for j in key_at])
            return raw, tuple(
                [raw[j] if coded else (decoded(k, raw[j]),) for j, coded, k in key_parts]
            )

        if not key_at:
            return lambda cells: None
        return read

    def keep_records(self) -> None:
        """Keep the records built while reading from now on (before the first row)."""
        assert not self.rows
        self.built = []

    # ------------------------------------------------------------------ reading

    def value(self, name: str, i: int) -> Any:
        """The parsed value of column ``name`` at position ``i``."""
        return self.columns[name].get(i)

    def getter(self, name: str) -> Callable[[int], Any]:
        """The parsed value of column ``name`` by position."""
        return self.columns[name].get

    def values(self, i: int) -> dict[str, Any]:
        """The parsed values of position ``i``, by column name."""
        return {name: col.get(i) for name, col in self.columns.items()}

    def record(self, i: int) -> Any:
        """The record of position ``i``: the one built while reading, else built now."""
        if self.built is not None:
            return self.built[i]
        return build_record(self.schema, self.values(i), self.rows[i], self.tz, direct=self.direct)

    def records(self, where: Iterable[int] | None = None) -> Iterator[Any]:
        """The records of the positions ``where`` (None: every row), in order."""
        for i in range(len(self)) if where is None else where:
            yield self.record(i)

    def field_values(self, field: str) -> Iterator[Any]:
        """The values a record field takes, row by row (a choice of an enum field as the
        enum, as on the record)."""
        name = self._fields.get(field)
        if name is None:
            for r in self.records():
                yield getattr(r, field)
            return
        kind = next((k for n, _, k in _fillers(self.schema.record) if n == name), None)
        col = self.columns[name]
        if isinstance(col, _Coded):
            shown = [v if kind is None or v is None else kind(v) for v in col.values]
            for c in col.codes:
                yield shown[c]
            return
        for i in range(len(self)):
            v = col.get(i)
            yield v if kind is None or v is None else kind(v)

    def _month_column(self) -> _Coded | None:
        col = self.columns.get("month") if self._derived is None else self._derived
        return col if isinstance(col, _Coded) else None

    def months(self) -> set[Month]:
        """The months of the rows (a file without months: none)."""
        return set(self.groups())

    def groups(self) -> dict[Month, Selection]:
        """The positions of each month's rows (computed once)."""
        if self._groups is not None:
            return self._groups
        col = self._month_column()
        if col is not None:
            codes: Iterable[int] = col.codes
            values = col.values
        else:  # a record class with a month of its own: the records say
            values = []
            index: dict[Any, int] = {}
            codes = array(
                "i", [_code_of(index, values, getattr(r, "month", None)) for r in self.records()]
            )
        at: dict[int, array[int]] = {}
        for i, c in enumerate(codes):
            found = at.get(c)
            if found is None:
                at[c] = found = array("i")
            found.append(i)
        groups: dict[Month, Selection] = {}
        for c, positions in at.items():
            month = values[c]
            if not isinstance(month, Month):
                continue
            start, n = positions[0], len(positions)
            contiguous = positions[-1] == start + n - 1
            groups[month] = range(start, start + n) if contiguous else positions
        self._groups = groups
        return groups

    def where(self, rows: Selection, name: str, wanted: str) -> Selection:
        """The positions of ``rows`` whose column ``name`` shows as ``wanted`` on the record
        (``str`` of the record's field: an enum's value)."""
        kind = next((k for n, _, k in _fillers(self.schema.record) if n == name), None)

        def shown(v: Any) -> str:
            return str(v if kind is None or v is None else kind(v))

        col = self.columns[name]
        if isinstance(col, _Coded):
            match = {c for c, v in enumerate(col.values) if shown(v) == wanted}
            codes = col.codes
            return array("i", [i for i in rows if codes[i] in match])
        return array("i", [i for i in rows if shown(col.get(i)) == wanted])

    def has_none(self, rows: Selection, name: str) -> bool:
        """True when column ``name`` is empty (None) in one of ``rows``."""
        col = self.columns[name]
        if isinstance(col, _Numbers):
            data = col.data
            free = self._none_free.get(name)
            if free is None:
                free = self._none_free[name] = _MINUS_ONE not in data.tobytes()
            if free:
                return False
            if isinstance(rows, range):  # an 8-byte -1 can only be a whole value (all >= 0)
                return _MINUS_ONE in data[rows.start : rows.stop].tobytes()
            return bool(rows) and min(map(data.__getitem__, rows)) == _NONE
        return any(col.get(i) is None for i in rows)

    def without_none(self, rows: Selection, names: Sequence[str]) -> Selection:
        """The positions of ``rows`` where no column of ``names`` is empty (None)."""
        if not any(self.has_none(rows, n) for n in names):
            return rows
        cols = [self.columns[n] for n in names]
        return array("i", [i for i in rows if all(c.get(i) is not None for c in cols)])

    def total(self, name: str, rows: Selection) -> Fraction:
        """The exact sum of column ``name`` over ``rows`` (no empty cell among them)."""
        col = self.columns[name]
        if isinstance(col, _Numbers):
            data = col.data
            if isinstance(rows, range):
                n = sum(data[rows.start : rows.stop])
            else:
                n = sum(map(data.__getitem__, rows))
            return Fraction(n, 1 if col.kind is ColumnKind.COUNT else col.scale)
        return exact_sum(col.get(i) for i in rows)

    def distinct(self, name: str, rows: Selection | None = None) -> set[Any]:
        """The values column ``name`` takes in ``rows`` (None: every row)."""
        col = self.columns[name]
        if isinstance(col, _Coded):
            codes = col.codes
            found = set(codes) if rows is None else {codes[i] for i in rows}
            return {col.values[c] for c in found}
        return {col.get(i) for i in (range(len(self)) if rows is None else rows)}

    def rows_where(self, name: str, bad: Iterable[Any]) -> Iterator[tuple[int, Any]]:
        """``(row, value)`` of every row whose column ``name`` holds one of ``bad``, in row
        order."""
        wanted = set(bad)
        if not wanted:
            return
        col = self.columns[name]
        rows = self.rows
        if isinstance(col, _Coded):
            codes = {c for c, v in enumerate(col.values) if v in wanted}
            values = col.values
            for i, c in enumerate(col.codes):
                if c in codes:
                    yield rows[i], values[c]
            return
        for i in range(len(self)):
            v = col.get(i)
            if v in wanted:
                yield rows[i], v

    def column_of(self, field: str) -> str | None:
        """The column that fills a record field (None: not a column)."""
        return self._fields.get(field)


class Records(Sequence[Any]):
    """The records of a store, built when read (none are kept, unless the store keeps
    them); compares equal to a sequence of the same records.

    >>> from gdsmodel.report.records import schema
    >>> store = Columns(schema("tickets"), "Asia/Shanghai")
    >>> len(Records(store)), Records(store) == ()
    (0, True)
    """

    __slots__ = ("_store",)

    def __init__(self, store: Columns) -> None:
        self._store = store

    def __len__(self) -> int:
        return len(self._store)

    @overload
    def __getitem__(self, i: int) -> Any: ...

    @overload
    def __getitem__(self, i: slice) -> tuple[Any, ...]: ...

    def __getitem__(self, i: int | slice) -> Any:
        n = len(self._store)
        if isinstance(i, slice):
            return tuple(self._store.records(range(n)[i]))
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError("record index out of range")
        return self._store.record(i)

    def __iter__(self) -> Iterator[Any]:
        return self._store.records()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Records):
            return self._store == other._store or tuple(self) == tuple(other)
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"<{len(self)} items>" if len(self) else "()"


class FirstRows:
    """The first row of each key (a tuple of codes, see :meth:`Columns.code`), kept in one
    ``array('i')`` per key prefix indexed by the last code (a dict when the keys are
    sparse or not codes).

    >>> seen = FirstRows()
    >>> seen.first((0, 3), 2), seen.first((0, 3), 5), seen.first((1, 3), 6)
    (None, 2, None)
    """

    __slots__ = ("_arrays", "_count", "_dict", "_slots")

    def __init__(self) -> None:
        self._arrays: dict[tuple[Any, ...], array[int]] = {}
        self._dict: dict[tuple[Any, ...], int] | None = None
        self._slots = 0
        self._count = 0

    def first(self, key: tuple[Any, ...], row: int) -> int | None:
        """The first row with ``key``, or None (and ``row`` is now the first)."""
        if self._dict is None:
            last = key[-1]
            if type(last) is int and last >= 0:
                prefix = key[:-1]
                arr = self._arrays.get(prefix)
                if arr is None:
                    arr = self._arrays[prefix] = array("i")
                if last >= len(arr):
                    grow = max(last + 1, 2 * len(arr)) - len(arr)
                    if self._slots + grow > 8 * (self._count + 1) + (1 << 20):
                        self._to_dict()  # sparse keys: a dict holds them in less
                        return self.first(key, row)
                    arr.frombytes(bytes(grow * arr.itemsize))
                    self._slots += grow
                earlier = arr[last]
                if earlier:
                    return earlier
                arr[last] = row
                self._count += 1
                return None
            self._to_dict()
        assert self._dict is not None
        found = self._dict.get(key)
        if found is None:
            self._dict[key] = row
        return found

    def _to_dict(self) -> None:
        self._dict = {
            (*prefix, j): r for prefix, arr in self._arrays.items() for j, r in enumerate(arr) if r
        }
        self._arrays = {}
