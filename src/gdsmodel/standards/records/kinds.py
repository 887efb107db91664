"""The kinds of record, each with its rules as data (``records/data/<kind>.toml``).

A kind names its states, its moves (which state each leaves and reaches, the fields it must
carry, the fields that must have been recorded before it may happen), its classes (accident,
disturbance, near miss; consultation, complaint...), its time limits (a clock started and
stopped by moves, with days per class) and the figures computed from its records. Every rule
carries its source (clause IDs of the standard, the domain notes) and a confidence mark; a
limit with no source found ships as an overridable default marked ``L``.

A station overrides a kind with its own file (:func:`load_kind`), or only its limits
(:meth:`KindSpec.with_limits`).

>>> k = kind("accident")
>>> k.name.zh, [m.id for m in k.moves_from(None)]
('事故、障碍、未遂', ['report'])
>>> sorted(k.move("close").needs)
['cause', 'measures', 'report_filed', 'responsible_dealt', 'staff_educated']
>>> [k.id for k in kinds()][:3]
['accident', 'request', 'connection']
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Iterator, Mapping
from functools import cache
from importlib import resources
from pathlib import Path

import attrs

from gdsmodel import _show
from gdsmodel.datafiles import parse_toml, read_text
from gdsmodel.errors import DataFileError, InputError, NotFoundError
from gdsmodel.serialize import structure
from gdsmodel.sources import Confidence, Source
from gdsmodel.text import Text

__all__ = [
    "FORMAT",
    "KIND_FILES",
    "Branch",
    "ClassSpec",
    "FieldSpec",
    "FieldType",
    "FigureSpec",
    "KindSpec",
    "LimitSpec",
    "LimitUnit",
    "MoveSpec",
    "StateSpec",
    "add_limit",
    "kind",
    "kinds",
    "load_kind",
    "station_kinds",
]

#: The ``format`` tag of a kind file.
FORMAT = "gdsmodel.record-kind/1"

#: The shipped kinds, in the order they are listed.
KIND_FILES = (
    "accident",
    "request",
    "connection",
    "defect",
    "ticket",
    "meter",
    "spare_part",
    "training",
)

_NO_TEXT = Text("")


class FieldType(enum.StrEnum):
    """What a field of a record holds (its value is stored as canonical text)."""

    TEXT = "text"
    DATE = "date"
    INT = "int"
    BOOL = "bool"
    CHOICE = "choice"
    PERSON = "person"


class LimitUnit(enum.StrEnum):
    """How a time limit counts: calendar days, working days (Monday to Friday; public holidays
    are not known to gdsmodel, so they count as working days) or calendar months."""

    DAYS = "days"
    WORKING_DAYS = "working_days"
    MONTHS = "months"


@attrs.frozen(slots=True, kw_only=True)
class ClassSpec:
    """One class of record (``accident``, ``complaint``, ``emergency``...)."""

    id: str
    name: Text


@attrs.frozen(slots=True, kw_only=True)
class FieldSpec:
    """A field moves may carry: its type, and its choices for a ``choice`` field."""

    id: str
    type: FieldType = FieldType.TEXT
    name: Text = _NO_TEXT
    choices: tuple[str, ...] = ()


@attrs.frozen(slots=True, kw_only=True)
class StateSpec:
    """A state of the kind's state machine; ``final`` states allow no move."""

    id: str
    name: Text
    final: bool = False


@attrs.frozen(slots=True, kw_only=True)
class Branch:
    """A move whose end state depends on checks: ``all_true`` when every one of ``fields`` is
    true, else ``otherwise`` (a ticket reviewed: qualified or not)."""

    fields: tuple[str, ...]
    all_true: str
    otherwise: str


@attrs.frozen(slots=True, kw_only=True)
class MoveSpec:
    """One move: from the states ``sources`` (none: it creates the record) to ``to`` (empty:
    it stays), with the fields it ``requires`` and ``allows``, the fields that must have been
    recorded by then (``needs``), and ``by_field``: a field whose value the move's ``by`` must
    equal (the reply to a customer made by the first person asked)."""

    id: str
    name: Text
    sources: tuple[str, ...] = ()
    to: str = ""
    requires: tuple[str, ...] = ()
    allows: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    by_field: str = ""
    branch: Branch | None = None
    note: str = ""

    def __repr__(self) -> str:
        return _show.short_repr(self)

    @property
    def creates(self) -> bool:
        """Whether the move opens a record."""
        return not self.sources


@attrs.frozen(slots=True, kw_only=True)
class LimitSpec:
    """A time limit: a clock started by the moves ``start`` and stopped by ``stop`` (a move
    may be named ``move:state``, the move when it reaches that state), ``days`` of ``unit`` by
    default or per class. A move in both stops the running clock and starts the next one (a
    meter's periodic verification).
    """

    id: str
    name: Text
    start: tuple[str, ...]
    stop: tuple[str, ...]
    days: int | None = None
    per_class: Mapping[str, int] = attrs.field(factory=dict, hash=False)
    unit: LimitUnit = LimitUnit.DAYS
    clause: str = ""
    confidence: Confidence = Confidence.L
    sources: tuple[Source, ...] = ()
    note: str = ""

    def __repr__(self) -> str:
        return _show.short_repr(self)

    def days_for(self, record_class: str) -> int | None:
        """The limit for a class (None: the class has no limit)."""
        return self.per_class.get(record_class, self.days)


@attrs.frozen(slots=True, kw_only=True)
class FigureSpec:
    """A figure from the records, the inputs of a registry metric (``metric``).

    ``limit`` figures count clocks: ``denominator`` the clocks that ended (stopped, or
    overdue), ``numerator`` those stopped within the limit, in the month they ended.
    ``states`` figures count records that reached one of ``of_states`` (denominator) and
    those that reached ``hit_states`` (numerator), in the month they reached it. ``limit``
    ``*`` counts the clocks of every limit. ``scope`` splits by class (``class``), by limit
    (``limit``: each stage of a connection) or not (empty). ``table`` names the station
    file that holds the same figure as a hand count (``tickets``), with the scope in its
    ``scope_column`` (``type``): :func:`~gdsmodel.standards.records.figures.counts_csv`
    writes that file from the records.
    """

    metric: str
    numerator: str
    denominator: str
    limit: str = ""
    of_states: tuple[str, ...] = ()
    hit_states: tuple[str, ...] = ()
    scope: str = ""
    table: str = ""
    scope_column: str = ""


@attrs.frozen(slots=True, kw_only=True)
class _KindFile:
    format: str
    id: str
    name: Text
    owner: str
    clauses: tuple[str, ...]
    confidence: Confidence
    sources: tuple[Source, ...]
    prefix: str
    classes: tuple[ClassSpec, ...]
    states: tuple[StateSpec, ...]
    moves: tuple[MoveSpec, ...]
    fields: tuple[FieldSpec, ...] = ()
    limits: tuple[LimitSpec, ...] = ()
    figures: tuple[FigureSpec, ...] = ()
    person_field: str = ""
    notes: str = ""


@attrs.frozen(slots=True, kw_only=True)
class KindSpec:
    """One kind of record and its rules (see the module text).

    ``owner`` is the post that owns its records; ``person_field`` the field naming the person
    who owns one (the first person asked, the person examined), when there is one.
    """

    id: str
    name: Text
    owner: str
    clauses: tuple[str, ...]
    confidence: Confidence
    sources: tuple[Source, ...]
    prefix: str
    classes: tuple[ClassSpec, ...]
    states: tuple[StateSpec, ...]
    moves: tuple[MoveSpec, ...]
    fields: tuple[FieldSpec, ...]
    limits: tuple[LimitSpec, ...]
    figures: tuple[FigureSpec, ...]
    person_field: str = ""
    notes: str = ""
    file: str = attrs.field(default="", eq=False)

    def __repr__(self) -> str:
        return f"KindSpec({self.id!r}, {len(self.states)} states, {len(self.moves)} moves)"

    def move(self, move_id: str) -> MoveSpec:
        """A move by ID; :class:`~gdsmodel.errors.NotFoundError` if unknown."""
        for m in self.moves:
            if m.id == move_id:
                return m
        raise NotFoundError(f"move of {self.id}", move_id, [m.id for m in self.moves])

    def state(self, state_id: str) -> StateSpec:
        """A state by ID."""
        for s in self.states:
            if s.id == state_id:
                return s
        raise NotFoundError(f"state of {self.id}", state_id, [s.id for s in self.states])

    def field(self, field_id: str) -> FieldSpec:
        """A field by ID (``class`` is the kind's classes)."""
        for f in self._all_fields():
            if f.id == field_id:
                return f
        raise NotFoundError(f"field of {self.id}", field_id, [f.id for f in self._all_fields()])

    def _all_fields(self) -> Iterator[FieldSpec]:
        yield FieldSpec(
            id="class",
            type=FieldType.CHOICE,
            name=Text("类别", "class"),
            choices=tuple(c.id for c in self.classes),
        )
        yield from self.fields

    def limit(self, limit_id: str) -> LimitSpec:
        """A time limit by ID."""
        for lim in self.limits:
            if lim.id == limit_id:
                return lim
        raise NotFoundError(f"limit of {self.id}", limit_id, [x.id for x in self.limits])

    def moves_from(self, state: str | None) -> tuple[MoveSpec, ...]:
        """The moves allowed in ``state`` (None: the moves that open a record).

        >>> [m.id for m in kind("ticket").moves_from("issued")]
        ['start', 'cancel']
        """
        if state is None:
            return tuple(m for m in self.moves if m.creates)
        return tuple(m for m in self.moves if state in m.sources)

    def with_limits(self, days: Mapping[str, Mapping[str, int]]) -> KindSpec:
        """The kind with a station's own limits: ``{limit: {"days": n, class: n}}``.

        >>> k = kind("defect").with_limits({"handling": {"ordinary": 60}})
        >>> k.limit("handling").days_for("ordinary")
        60
        """
        limits = []
        for lim in self.limits:
            given = dict(days.get(lim.id, {}))
            if not given:
                limits.append(lim)
                continue
            default = given.pop("days", lim.days)
            limits.append(
                attrs.evolve(
                    lim,
                    days=default,
                    per_class={**lim.per_class, **given},
                    note=(lim.note + " (the station's own limit)").strip(),
                )
            )
        unknown = sorted(set(days) - {x.id for x in self.limits})
        if unknown:
            raise InputError(
                f"no such limit of {self.id}",
                name="limit",
                value=unknown[0],
                allowed=", ".join(x.id for x in self.limits),
            )
        return attrs.evolve(self, limits=tuple(limits))


def add_limit(start: _dt.date, amount: int, unit: LimitUnit) -> _dt.date:
    """The last day within a limit of ``amount`` units counted from ``start`` (the day the
    clock started is day 0). Working days skip Saturdays and Sundays; months end on the same
    day of the month, or the month's last day.

    >>> add_limit(_dt.date(2026, 3, 6), 1, LimitUnit.WORKING_DAYS)  # a Friday
    datetime.date(2026, 3, 9)
    >>> add_limit(_dt.date(2026, 1, 31), 1, LimitUnit.MONTHS)
    datetime.date(2026, 2, 28)
    """
    if unit is LimitUnit.DAYS:
        return start + _dt.timedelta(days=amount)
    if unit is LimitUnit.MONTHS:
        month0 = start.month - 1 + amount
        year, month = start.year + month0 // 12, month0 % 12 + 1
        for day in range(start.day, 27, -1):
            try:
                return _dt.date(year, month, day)
            except ValueError:
                continue
        return _dt.date(year, month, min(start.day, 28))
    last = start
    left = amount
    while left > 0:
        last += _dt.timedelta(days=1)
        if last.weekday() < 5:
            left -= 1
    return last


def _check(spec: _KindFile, file: str) -> None:
    """The cross-references of a kind file: every state, field and class named exists."""
    states = {s.id for s in spec.states}
    fields = {"class", *(f.id for f in spec.fields)}
    classes = {c.id for c in spec.classes}

    def bad(path: str, message: str) -> DataFileError:
        return DataFileError(message, file=file, path=path)

    if spec.format != FORMAT:
        raise bad("format", f"not a record kind file (expected format = {FORMAT!r})")
    seen: set[str] = set()
    for i, m in enumerate(spec.moves):
        where = f"moves[{i}]"
        if m.id in seen:
            raise bad(where, f"move {m.id!r} is defined twice")
        seen.add(m.id)
        for s in (*m.sources, m.to):
            if s and s not in states:
                raise bad(where, f"unknown state {s!r} (states: {', '.join(sorted(states))})")
        if m.creates and not m.to:
            raise bad(where, "a move that opens a record needs a state to reach (to)")
        if m.creates and "class" not in m.requires:
            raise bad(where, "a move that opens a record requires the class")
        for f in (*m.requires, *m.allows, *m.needs, *((m.by_field,) if m.by_field else ())):
            if f not in fields:
                raise bad(where, f"unknown field {f!r} (fields: {', '.join(sorted(fields))})")
        if m.branch is not None:
            for s in (m.branch.all_true, m.branch.otherwise):
                if s not in states:
                    raise bad(f"{where}.branch", f"unknown state {s!r}")
            for f in m.branch.fields:
                if f not in fields:
                    raise bad(f"{where}.branch", f"unknown field {f!r}")
    for i, f in enumerate(spec.fields):
        if f.type is FieldType.CHOICE and not f.choices:
            raise bad(f"fields[{i}]", f"the choice field {f.id!r} lists no choices")
    for i, lim in enumerate(spec.limits):
        for name in (*lim.start, *lim.stop):
            move, _, state = name.partition(":")
            if move not in seen:
                raise bad(f"limits[{i}]", f"unknown move {move!r}")
            if state and state not in states:
                raise bad(f"limits[{i}]", f"unknown state {state!r}")
        for c, days in lim.per_class.items():
            if c not in classes:
                raise bad(f"limits[{i}].per_class", f"unknown class {c!r}")
            if days < 0:
                raise bad(f"limits[{i}].per_class", "a limit is never negative")
        if lim.confidence is not Confidence.L and not lim.sources:
            raise bad(f"limits[{i}]", "a limit marked H or M names its source")
    limits = {x.id for x in spec.limits}
    for i, fig in enumerate(spec.figures):
        if fig.limit and fig.limit != "*" and fig.limit not in limits:
            raise bad(f"figures[{i}]", f"unknown limit {fig.limit!r}")
        if not fig.limit and not fig.of_states:
            raise bad(f"figures[{i}]", "a figure counts a limit or states")
        for s in (*fig.of_states, *fig.hit_states):
            if s not in states:
                raise bad(f"figures[{i}]", f"unknown state {s!r}")
    if spec.person_field and spec.person_field not in fields:
        raise bad("person_field", f"unknown field {spec.person_field!r}")


def _parse(raw: str | bytes, file: str) -> KindSpec:
    data = parse_toml(raw, file=file)
    wire = structure(data, _KindFile, file=file)
    _check(wire, file)
    values = {a.name: getattr(wire, a.name) for a in attrs.fields(_KindFile) if a.name != "format"}
    return KindSpec(**values, file=file)


@cache
def kind(kind_id: str) -> KindSpec:
    """A shipped kind by ID; :class:`~gdsmodel.errors.NotFoundError` if unknown.

    >>> kind("meter").limit("verification").unit.value
    'months'
    """
    if kind_id not in KIND_FILES:
        raise NotFoundError("record kind", kind_id, KIND_FILES)
    folder = resources.files("gdsmodel.standards.records").joinpath("data")
    raw = folder.joinpath(f"{kind_id}.toml").read_bytes()
    return _parse(raw, f"gdsmodel/standards/records/data/{kind_id}.toml")


def kinds() -> tuple[KindSpec, ...]:
    """Every shipped kind, in the order of :data:`KIND_FILES`.

    >>> len(kinds())
    8
    """
    return tuple(kind(k) for k in KIND_FILES)


def load_kind(path: str | Path) -> KindSpec:
    """A kind from a station's own file (the shipped file's form); errors name the file and
    the place in it.

    >>> load_kind("no/such.toml")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    gdsmodel.errors.DataFileError: no/such.toml: cannot read the file: ...
    """
    return _parse(read_text(path), str(path))


def station_kinds(path: str | Path) -> tuple[KindSpec, ...]:
    """The kinds as a station keeps them: the shipped ones with the station's ``records.toml``
    applied: ``[kinds]`` names a station's own kind file per kind (relative to the file), and
    ``[limits.<kind>.<limit>]`` sets ``days`` and days per class. Errors name the file and the
    key.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "records.toml"
    >>> _ = p.write_text("[limits.request.reply]\\ncomplaint = 2\\n", encoding="utf-8")
    >>> [k.limit("reply").days_for("complaint") for k in station_kinds(p) if k.id == "request"]
    [2]
    """
    p = Path(path)
    file = str(p)
    data = parse_toml(read_text(p), file=file)
    extra = sorted(set(data) - {"kinds", "limits"})
    if extra:
        raise DataFileError(f"unknown key {extra[0]!r} (allowed: kinds, limits)", file=file)
    own = data.get("kinds", {})
    limits = data.get("limits", {})
    if not isinstance(own, dict) or not isinstance(limits, dict):
        raise DataFileError("kinds and limits are tables", file=file)
    for key in [*own, *limits]:
        if key not in KIND_FILES:
            raise DataFileError(
                f"unknown kind {key!r} (allowed: {', '.join(KIND_FILES)})", file=file, path=key
            )
    out = []
    for k in KIND_FILES:
        spec = kind(k)
        if k in own:
            if not isinstance(own[k], str):
                raise DataFileError("a kind file's name is text", file=file, path=f"kinds.{k}")
            spec = load_kind(p.parent / own[k])
            if spec.id != k:
                raise DataFileError(
                    f"the file is kind {spec.id!r}, not {k!r}", file=file, path=f"kinds.{k}"
                )
        given = limits.get(k, {})
        if given:
            if not isinstance(given, dict) or not all(isinstance(v, dict) for v in given.values()):
                raise DataFileError("limits are tables of days", file=file, path=f"limits.{k}")
            for lim, days in given.items():
                for c, n in days.items():
                    if not isinstance(n, int) or isinstance(n, bool) or not 0 <= n <= 100_000:
                        raise DataFileError(
                            f"not a number of days: {n!r} (allowed: 0 to 100000)",
                            file=file,
                            path=f"limits.{k}.{lim}.{c}",
                        )
                    if c != "days" and c not in {x.id for x in spec.classes}:
                        raise DataFileError(
                            f"unknown class {c!r} of {k} (allowed: days, "
                            f"{', '.join(x.id for x in spec.classes)})",
                            file=file,
                            path=f"limits.{k}.{lim}.{c}",
                        )
            try:
                spec = spec.with_limits(given)
            except InputError as exc:
                raise DataFileError(str(exc), file=file, path=f"limits.{k}") from None
        out.append(spec)
    return tuple(out)
