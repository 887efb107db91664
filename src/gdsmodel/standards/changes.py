"""Differences between two standards as data: entity- and field-level changes.

A standard's data (:meth:`Standard.to_data`) is a set of entities, each found by its kind and
stable ID: the standard itself (title, source, the station's name), its sections, posts,
units, clauses, glossary terms, regulations and parties. Two standards differ by entities
added or removed and by fields changed (a dotted path inside the entity, e.g. ``text.en``).
:mod:`gdsmodel.standards.editions` records these changes as editions; ``Standard.diff``
summarises them.

>>> from gdsmodel.standards.standard import load_standard
>>> changes_between(load_standard(), load_standard())
()
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Any, Protocol

import attrs

from gdsmodel import _show
from gdsmodel.serialize import converter

__all__ = ["JSON", "AsData", "Bump", "Change", "Op", "changes_between", "required_bump"]

JSON = Any  # a JSON value: str, int, float, bool, list or dict of them


class AsData(Protocol):
    """Anything with the plain-data form of a standard (a :class:`Standard`)."""

    def to_data(self) -> dict[str, Any]:
        """The standard as plain JSON-ready data."""


class Op(enum.StrEnum):
    """What a change does to an entity."""

    ADD = "add"
    REMOVE = "remove"
    CHANGE = "change"


class Bump(enum.IntEnum):
    """The part of the version that a set of changes requires to be raised."""

    NONE = 0
    PATCH = 1
    MINOR = 2
    MAJOR = 3


@attrs.frozen(slots=True, kw_only=True)
class Change:
    """One entity-level change: an entity added or removed, or one field of it changed.

    ``value`` is the whole entity (as in :meth:`Standard.to_data`) for an ``add`` or a
    ``remove``; ``old`` and ``new`` are the field's values for a ``change`` (``None``
    when the field is absent on that side).

    >>> c = Change(op=Op.CHANGE, kind="clause", id="director.duty.1", field="text.en",
    ...            old="a", new="b")
    >>> str(c)
    "~ clause director.duty.1 text.en: 'a' -> 'b'"
    """

    op: Op
    kind: str
    id: str
    field: str = ""
    old: JSON = None
    new: JSON = None
    value: JSON = None

    def __repr__(self) -> str:
        return _show.short_repr(self)

    def __str__(self) -> str:
        if self.op is Op.ADD:
            return f"+ {self.kind} {self.id}"
        if self.op is Op.REMOVE:
            return f"- {self.kind} {self.id}"
        who = f"{self.kind} {self.id}" if self.id else self.kind
        return f"~ {who} {self.field}: {self.old!r} -> {self.new!r}"

    @property
    def bump(self) -> Bump:
        """The version part this change requires to be raised (see the module doc)."""
        if self.op is Op.REMOVE:
            return Bump.MAJOR
        if self.op is Op.ADD:
            return Bump.MINOR
        last = self.field.rsplit(".", 1)[-1]
        if last == "en" or self.field in ("note", "notes") or self.field.startswith("source"):
            return Bump.PATCH
        if self.field.startswith("errata"):
            return Bump.PATCH
        if _meaning(self.old) == _meaning(self.new):
            return Bump.PATCH  # only translations or notes inside a list (relations, parts)
        return Bump.MINOR


def _meaning(value: JSON) -> JSON:
    """A value with its translations (``en``) and ``note`` keys left out, at any depth.

    >>> _meaning([{"zh": "销售到户", "en": "sales"}]) == _meaning([{"zh": "销售到户", "en": "x"}])
    True
    """
    if isinstance(value, dict):
        return {k: _meaning(v) for k, v in value.items() if k not in ("en", "note")}
    if isinstance(value, list | tuple):
        return [_meaning(v) for v in value]
    return value


def required_bump(changes: Iterable[Change]) -> Bump:
    """The largest bump the changes require.

    >>> required_bump([Change(op=Op.ADD, kind="term", id="x")]).name
    'MINOR'
    >>> required_bump([]).name
    'NONE'
    """
    return max((c.bump for c in changes), default=Bump.NONE)


_OWNER_LISTS = ("duties", "standards")


def _flatten(data: dict[str, JSON], prefix: str = "") -> dict[str, JSON]:
    """Dotted paths to leaves; lists are leaves, ``None`` is absent."""
    out: dict[str, JSON] = {}
    for key, value in data.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, path + "."))
        elif value is not None:
            out[path] = value
    return out


def _entities(data: dict[str, JSON]) -> dict[tuple[str, str], dict[str, JSON]]:
    """Every entity of a standard's data, keyed by ``(kind, id)``, in source order.

    Posts and units are listed without their clauses, which are entities of their own.
    """
    station = data["station"]
    out: dict[tuple[str, str], dict[str, JSON]] = {
        ("standard", ""): {
            "title": data["title"],
            "source": data["source"],
            "name": station["name"],
        }
    }
    for s in station["sections"]:
        out[("section", str(s["number"]))] = {
            k: v for k, v in s.items() if k not in ("number", "posts", "units")
        }
    for kind, key in (("post", "posts"), ("unit", "units")):
        for owner in station[key]:
            out[(kind, owner["id"])] = {
                k: v for k, v in owner.items() if k not in (*_OWNER_LISTS, "id")
            }
    for key in ("units", "posts"):
        for owner in station[key]:
            for list_name in _OWNER_LISTS:
                clause_kind = "duty" if list_name == "duties" else "standard"
                for c in owner.get(list_name, ()):
                    cid = f"{owner['id']}.{clause_kind}.{c['number']}"
                    out[("clause", cid)] = {k: v for k, v in c.items() if k != "number"}
    for kind, key in (("term", "terms"), ("regulation", "regulations"), ("party", "parties")):
        for item in data["glossary"].get(key, ()):
            out[(kind, item["id"])] = {k: v for k, v in item.items() if k != "id"}
    return out


def _diff_data(a: dict[str, JSON], b: dict[str, JSON]) -> tuple[Change, ...]:
    """Removals (innermost first), then field changes, then additions (outermost first), so
    that the list applies forward in order and reverts backward in reverse order."""
    ea, eb = _entities(a), _entities(b)
    removed = [
        Change(op=Op.REMOVE, kind=k, id=i, value=v) for (k, i), v in ea.items() if (k, i) not in eb
    ]
    changed: list[Change] = []
    for key, value in ea.items():
        if key not in eb:
            continue
        fa, fb = _flatten(value), _flatten(eb[key])
        for field in [*fa, *(f for f in fb if f not in fa)]:
            if fa.get(field) != fb.get(field):
                changed.append(
                    Change(
                        op=Op.CHANGE, kind=key[0], id=key[1], field=field, old=fa.get(field),
                        new=fb.get(field),
                    )
                )  # fmt: skip
    added = [
        Change(op=Op.ADD, kind=k, id=i, value=v) for (k, i), v in eb.items() if (k, i) not in ea
    ]
    return (*reversed(removed), *changed, *added)


def changes_between(a: AsData, b: AsData) -> tuple[Change, ...]:
    """What changes from ``a`` to ``b``, entity by entity and field by field.

    Works for any two standards: two editions, or an edition and a station's variant.

    >>> from gdsmodel.standards.standard import load_standard
    >>> import attrs
    >>> ref = load_standard()
    >>> c = ref.clause("director.duty.11")
    >>> owner = attrs.evolve(ref.post("director"), duties=(
    ...     *ref.post("director").duties[:-1], attrs.evolve(c, note="changed")))
    >>> station = attrs.evolve(ref.station, posts=tuple(
    ...     owner if p.id == "director" else p for p in ref.posts))
    >>> [str(x) for x in changes_between(ref, attrs.evolve(ref, station=station))]
    ["~ clause director.duty.11 note: '' -> 'changed'"]
    """
    return _diff_data(a.to_data(), b.to_data())


converter.register_unstructure_hook(
    Change,
    lambda c: {
        k: (v.value if isinstance(v, Op) else v)
        for k, v in (
            ("op", c.op), ("kind", c.kind), ("id", c.id), ("field", c.field), ("old", c.old),
            ("new", c.new), ("value", c.value),
        )
        if v is not None and v != ""
    },
)  # fmt: skip
