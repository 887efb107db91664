"""People and what they hold: posts, unit memberships and roles, effective-dated.

A :class:`Person` holds posts (the seven of the standard), unit memberships (a member of
the distribution group) and roles the text names beyond the posts (农电工, 抄表员,
核算员, 收费员, 台区经理; see ``organisation/data/roles.toml``), each through an
:class:`Assignment` with a start day and an optional end day (half-open). Several
assignments may run at once: a group leader is also a member of the group.

>>> from datetime import date
>>> roster = Roster(
...     people=(Person("P01", "张伟"), Person("P02", "李娜")),
...     assignments=(
...         Assignment("P01", "technician", Effective(date(2025, 1, 1))),
...         Assignment("P02", "meter_reader", Effective(date(2025, 1, 1), date(2025, 7, 1))),
...     ),
... )
>>> [p.name for p in roster.holders("meter_reader", date(2025, 6, 30))]
['李娜']
>>> roster.holders("meter_reader", date(2025, 7, 1))
()
>>> [a.holds for a in roster.held_by("P02", Month(2025, 6))]
['meter_reader']
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import attrs

from gdsmodel import _show
from gdsmodel.datafiles import package_toml, read_toml
from gdsmodel.errors import DataFileError, InputError, NotFoundError
from gdsmodel.organisation.dating import Effective, month_bounds
from gdsmodel.periods import Month
from gdsmodel.serialize import structure
from gdsmodel.sources import Confidence
from gdsmodel.text import Text

__all__ = [
    "ROLES_FORMAT",
    "Assignment",
    "Catalogue",
    "ChartEntry",
    "HoldKind",
    "Person",
    "PostFit",
    "RoleDefinition",
    "Roster",
    "ScopeKind",
    "default_catalogue",
    "load_catalogue",
    "month_end_day",
]

ROLES_FORMAT = "gdsmodel.organisation.roles/1"


class ScopeKind(enum.StrEnum):
    """What a person can answer for: a 10 kV line, a transformer area, an equipment class.

    >>> ScopeKind("area").value
    'area'
    """

    LINE = "line"
    AREA = "area"
    EQUIPMENT = "equipment"


class HoldKind(enum.StrEnum):
    """What an assignment gives: a post, a membership of a unit, or a role."""

    POST = "post"
    UNIT = "unit"
    ROLE = "role"


@attrs.frozen(slots=True, kw_only=True)
class RoleDefinition:
    """A role the text names beyond the posts, with its unit and source clauses."""

    id: str
    name: Text
    unit: str
    answers_for: tuple[ScopeKind, ...] = ()
    clauses: tuple[str, ...] = ()
    confidence: Confidence = Confidence.L
    note: str = ""

    def __repr__(self) -> str:
        return _show.short_repr(self)


@attrs.frozen(slots=True, kw_only=True)
class PostFit:
    """What the holder of a post of the standard may answer for."""

    id: str
    answers_for: tuple[ScopeKind, ...] = ()
    clauses: tuple[str, ...] = ()
    confidence: Confidence = Confidence.L
    note: str = ""


@attrs.frozen(slots=True, kw_only=True)
class _RolesFile:
    format: str
    roles: tuple[RoleDefinition, ...] = ()
    posts: tuple[PostFit, ...] = ()


@attrs.frozen(slots=True, kw_only=True)
class Catalogue:
    """Everything a person may hold: the posts and units of the standard, and the roles.

    >>> cat = default_catalogue()
    >>> cat.kind_of("meter_reader"), cat.kind_of("technician"), cat.kind_of("revenue_group")
    (<HoldKind.ROLE: 'role'>, <HoldKind.POST: 'post'>, <HoldKind.UNIT: 'unit'>)
    >>> cat.unit_of("transformer_area_manager"), cat.unit_of("revenue_group_leader")
    ('distribution_group', 'revenue_group')
    >>> cat.may_answer_for("technician", ScopeKind.AREA)
    False
    """

    posts: tuple[str, ...]
    units: tuple[str, ...]
    heads: dict[str, str]  # post -> the unit it heads
    names: dict[str, Text]
    roles: tuple[RoleDefinition, ...]
    fits: tuple[PostFit, ...]

    def __repr__(self) -> str:
        return _show.short_repr(self)

    def ids(self) -> tuple[str, ...]:
        """Every ID a person may hold: posts, units, roles."""
        return (*self.posts, *self.units, *(r.id for r in self.roles))

    def kind_of(self, holds: str) -> HoldKind:
        """Post, unit or role; :class:`~gdsmodel.errors.NotFoundError` if none."""
        if holds in self.posts:
            return HoldKind.POST
        if holds in self.units:
            return HoldKind.UNIT
        if any(r.id == holds for r in self.roles):
            return HoldKind.ROLE
        raise NotFoundError("post, unit or role", holds, self.ids())

    def role(self, role_id: str) -> RoleDefinition:
        """The role with this ID."""
        for r in self.roles:
            if r.id == role_id:
                return r
        raise NotFoundError("role", role_id, [r.id for r in self.roles])

    def unit_of(self, holds: str) -> str | None:
        """The unit a holder of ``holds`` belongs to (a member role, a head post, the unit)."""
        kind = self.kind_of(holds)
        if kind is HoldKind.UNIT:
            return holds
        if kind is HoldKind.ROLE:
            return self.role(holds).unit
        return self.heads.get(holds)

    def may_answer_for(self, holds: str, scope: ScopeKind) -> bool:
        """True when a holder of ``holds`` may be made responsible for a ``scope``."""
        kind = self.kind_of(holds)
        if kind is HoldKind.ROLE:
            return scope in self.role(holds).answers_for
        if kind is HoldKind.POST:
            return any(f.id == holds and scope in f.answers_for for f in self.fits)
        return False

    def name(self, holds: str) -> Text:
        """The name of a post, unit or role."""
        if holds in self.names:
            return self.names[holds]
        return self.role(holds).name


def _catalogue(data: Any, file: str) -> Catalogue:
    parsed = structure(data, _RolesFile, file=file)
    if parsed.format != ROLES_FORMAT:
        raise DataFileError(
            f"unknown format {parsed.format!r} (allowed: {ROLES_FORMAT})", file=file, path="format"
        )
    from gdsmodel.standards.standard import load_standard

    std = load_standard()
    posts = tuple(p.id for p in std.posts)
    units = tuple(u.id for u in std.units)
    for i, r in enumerate(parsed.roles):
        if r.unit not in units:
            raise DataFileError(
                f"unknown unit {r.unit!r}; known: {', '.join(units)}",
                file=file,
                path=f"roles[{i}].unit",
            )
        if r.id in posts or r.id in units:
            raise DataFileError(
                f"role {r.id!r} has the ID of a post or unit", file=file, path=f"roles[{i}].id"
            )
        for c in r.clauses:
            std.clause(c)  # NotFoundError for an unknown clause
    for i, f in enumerate(parsed.posts):
        if f.id not in posts:
            raise DataFileError(
                f"unknown post {f.id!r}; known: {', '.join(posts)}",
                file=file,
                path=f"posts[{i}].id",
            )
        for c in f.clauses:
            std.clause(c)
    names = {p.id: p.name for p in std.posts} | {u.id: u.name for u in std.units}
    heads = {p.id: p.heads for p in std.posts if p.heads is not None}
    return Catalogue(
        posts=posts, units=units, heads=heads, names=names, roles=parsed.roles, fits=parsed.posts
    )


@cache
def default_catalogue() -> Catalogue:
    """The posts and units of the reference standard and the shipped roles file."""
    data, name = package_toml("gdsmodel.organisation", "data", "roles.toml")
    return _catalogue(data, name)


def load_catalogue(path: str | Path) -> Catalogue:
    """A station's own roles file (the form of ``organisation/data/roles.toml``)."""
    return _catalogue(read_toml(path), str(path))


@attrs.frozen(slots=True)
class Person:
    """A member of the station's staff: an ID, a name, optionally a contact."""

    id: str
    name: str
    contact: str = ""


@attrs.frozen(slots=True)
class Assignment:
    """A person holds a post, unit membership or role over a half-open span of days."""

    person: str
    holds: str
    effective: Effective
    note: str = ""

    @property
    def start(self) -> _dt.date:
        """The first day held."""
        return self.effective.start

    @property
    def end(self) -> _dt.date | None:
        """The first day no longer held (None: still held)."""
        return self.effective.end


@attrs.frozen(slots=True, kw_only=True)
class ChartEntry:
    """One line of the organisation chart: a post, unit or role and who holds it."""

    holds: str
    kind: HoldKind
    name: Text
    unit: str | None
    people: tuple[Person, ...]

    def __repr__(self) -> str:
        return _show.short_repr(self)


@attrs.frozen(slots=True, kw_only=True)
class Roster:
    """The staff and their assignments; queries take a day or a month."""

    people: tuple[Person, ...]
    assignments: tuple[Assignment, ...]
    _index: dict[str, Person] = attrs.field(init=False, eq=False, repr=False, hash=False)

    def __repr__(self) -> str:
        return _show.short_repr(self)

    def __attrs_post_init__(self) -> None:
        index: dict[str, Person] = {}
        for p in self.people:
            if p.id in index:
                raise InputError("two people with one ID", name="person", value=p.id)
            index[p.id] = p
        for a in self.assignments:
            if a.person not in index:
                raise NotFoundError("person", a.person, index)
        object.__setattr__(self, "_index", index)

    def person(self, person_id: str) -> Person:
        """The person with this ID; :class:`~gdsmodel.errors.NotFoundError` if unknown."""
        try:
            return self._index[person_id]
        except KeyError:
            raise NotFoundError("person", person_id, self._index) from None

    def __contains__(self, person_id: object) -> bool:
        return person_id in self._index

    def __iter__(self) -> Iterator[Person]:
        return iter(self.people)

    def holders(self, holds: str, on: _dt.date) -> tuple[Person, ...]:
        """Who held ``holds`` (a post, unit or role ID) on a day, in roster order."""
        ids = {a.person for a in self.assignments if a.holds == holds and a.effective.contains(on)}
        return tuple(p for p in self.people if p.id in ids)

    def held_by(self, person_id: str, month: Month) -> tuple[Assignment, ...]:
        """What a person held on any day of ``month``."""
        self.person(person_id)
        return tuple(
            a
            for a in self.assignments
            if a.person == person_id and a.effective.overlaps_month(month)
        )

    def holds_on(self, person_id: str, on: _dt.date) -> tuple[str, ...]:
        """The IDs a person held on a day."""
        return tuple(
            a.holds for a in self.assignments if a.person == person_id and a.effective.contains(on)
        )

    def members(
        self, unit: str, month: Month, catalogue: Catalogue | None = None
    ) -> tuple[Person, ...]:
        """Everyone who belonged to ``unit`` on a day of ``month`` (members and the head)."""
        cat = catalogue or default_catalogue()
        ids = {
            a.person
            for a in self.assignments
            if a.effective.overlaps_month(month) and cat.unit_of(a.holds) == unit
        }
        return tuple(p for p in self.people if p.id in ids)

    def chart(self, on: _dt.date, catalogue: Catalogue | None = None) -> tuple[ChartEntry, ...]:
        """The organisation as of a day: every post, unit and role with its holders.

        Posts come in the order of the standard, then the units (everyone in each: its
        head, its members and the holders of its roles), then the roles.
        """
        cat = catalogue or default_catalogue()
        out: list[ChartEntry] = []
        for holds in cat.ids():
            kind = cat.kind_of(holds)
            people = self.holders(holds, on)
            if kind is HoldKind.UNIT:  # a unit lists everyone in it: head, members, roles
                ids = {
                    a.person
                    for a in self.assignments
                    if a.effective.contains(on)
                    and a.holds in cat.ids()
                    and cat.unit_of(a.holds) == holds
                }
                people = tuple(p for p in self.people if p.id in ids)
            out.append(
                ChartEntry(
                    holds=holds,
                    kind=kind,
                    name=cat.name(holds),
                    unit=cat.unit_of(holds),
                    people=people,
                )
            )
        return tuple(out)

    def validate(self, catalogue: Catalogue | None = None) -> tuple[str, ...]:
        """Problems of the roster: unknown posts, units or roles; one person holding the
        same thing twice on one day.

        >>> Roster(people=(Person("P1", "x"),), assignments=(
        ...     Assignment("P1", "nobody", Effective(_dt.date(2026, 1, 1))),)).validate()
        ("P1 holds 'nobody', which is not a post, unit or role",)
        """
        cat = catalogue or default_catalogue()
        known = set(cat.ids())
        problems: list[str] = []
        for a in self.assignments:
            if a.holds not in known:
                problems.append(f"{a.person} holds {a.holds!r}, which is not a post, unit or role")
        for i, a in enumerate(self.assignments):
            for b in self.assignments[i + 1 :]:
                if (a.person, a.holds) == (b.person, b.holds) and a.effective.overlaps(
                    b.start, b.end
                ):
                    problems.append(
                        f"{a.person} holds {a.holds!r} twice at once ({a.effective} and "
                        f"{b.effective})"
                    )
        return tuple(problems)


def month_end_day(month: Month) -> _dt.date:
    """The last day of a month.

    >>> month_end_day(Month(2026, 2))
    datetime.date(2026, 2, 28)
    """
    return month_bounds(month)[1] - _dt.timedelta(days=1)
