"""A station's own variant of the standard, and the differences between two standards.

A variant file (TOML, JSON or YAML) is applied on top of a base standard (the reference
by default). Every key is optional:

.. code-block:: toml

    name = { zh = "城关供电所", en = "Chengguan power supply station" }
    remove = ["director.duty.11", "revenue_group"]     # clauses, posts or units

    [[clauses]]                     # override fields of an existing clause ...
    id = "safety_officer.standard.4"
    targets = [{ indicator = "two_ticket_pass_rate", value = "100", unit = "%",
                 quote = "两票合格率达100%" }]

    [[clauses]]                     # ... or add one after the last of its list
    id = "technician.duty.12"
    text = { zh = "负责无人机巡检工作。", en = "Be responsible for drone patrols." }
    categories = ["operations"]

    [[posts]]                       # new posts and units, in full
    id = "drone_operator"
    ...

Errors name the file, the path inside it and what is allowed.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from gdsmodel import _show
from gdsmodel.datafiles import read_data_file
from gdsmodel.errors import DataFileError
from gdsmodel.roles.model import (
    Cadence,
    Category,
    Clause,
    Duty,
    Erratum,
    Post,
    Relation,
    StatedTarget,
    Station,
    Unit,
    WorkStandard,
)
from gdsmodel.serialize import converter, structure
from gdsmodel.standards.glossary import Glossary, Regulation, Term
from gdsmodel.text import Text

if TYPE_CHECKING:  # pragma: no cover  (avoids an import cycle)
    from gdsmodel.standards.standard import Standard

__all__ = ["ClausePatch", "Variant", "apply_variant", "apply_variant_file", "diff_standards"]


@attrs.frozen(slots=True, kw_only=True)
class ClausePatch:
    """Fields to set on a clause (``id`` names it); unset fields keep their value."""

    id: str
    text: Text | None = None
    categories: tuple[Category, ...] | None = None
    cadences: tuple[Cadence, ...] | None = None
    targets: tuple[StatedTarget, ...] | None = None
    terms: tuple[str, ...] | None = None
    regulations: tuple[str, ...] | None = None
    relations: tuple[Relation, ...] | None = None
    errata: tuple[Erratum, ...] | None = None
    note: str | None = None

    def __repr__(self) -> str:
        return _show.short_repr(self)

    def changes(self) -> dict[str, Any]:
        """The fields this patch sets."""
        return {
            f.name: getattr(self, f.name)
            for f in attrs.fields(ClausePatch)
            if f.name != "id" and getattr(self, f.name) is not None
        }


@attrs.frozen(slots=True, kw_only=True)
class Variant:
    """The content of a variant file."""

    name: Text | None = None
    remove: tuple[str, ...] = ()
    clauses: tuple[ClausePatch, ...] = ()
    posts: tuple[Post, ...] = ()
    units: tuple[Unit, ...] = ()
    terms: tuple[Term, ...] = ()
    regulations: tuple[Regulation, ...] = ()

    def __repr__(self) -> str:
        return _show.short_repr(self)


def apply_variant_file(base: Standard, path: Path) -> Standard:
    """Read a variant file and apply it to ``base``."""
    data = read_data_file(path)
    if not isinstance(data, dict):
        raise DataFileError("the top level must be a table/object", file=str(path), path="$")
    variant = structure(data, Variant, file=str(path))
    return apply_variant(base, variant, file=str(path))


def apply_variant(base: Standard, variant: Variant, *, file: str | None = None) -> Standard:
    """Apply a variant to a standard; the base is never modified.

    The result is built by the base's own class, so this module needs no import of
    :mod:`gdsmodel.standards.standard` at run time (which imports this one).
    """

    posts: dict[str, Post] = {p.id: p for p in base.posts}
    units: dict[str, Unit] = {u.id: u for u in base.units}

    def fail(message: str, where: str) -> DataFileError:
        return DataFileError(message, file=file, path=where)

    for i, post in enumerate(variant.posts):
        if post.id in posts or post.id in units:
            raise fail(
                f"post {post.id!r} already exists; change it with [[clauses]]", f"$.posts[{i}]"
            )
        posts[post.id] = post
    for i, unit in enumerate(variant.units):
        if unit.id in posts or unit.id in units:
            raise fail(f"unit {unit.id!r} already exists", f"$.units[{i}]")
        units[unit.id] = unit

    for i, patch in enumerate(variant.clauses):
        where = f"$.clauses[{i}].id"
        owner_id, kind, number = _split_id(patch.id, fail, where)
        if owner_id in posts:
            owner: Post | Unit = posts[owner_id]
        elif owner_id in units:
            owner = units[owner_id]
        else:
            known = ", ".join([*posts, *units])
            raise fail(f"unknown post or unit {owner_id!r}; known: {known}", where)
        if kind == "standard" and isinstance(owner, Unit):
            raise fail(f"units have duties only, not work standards: {patch.id!r}", where)
        field = "duties" if kind == "duty" else "standards"
        items: tuple[Clause, ...] = getattr(owner, field)
        existing = [c for c in items if c.number == number]
        changes = patch.changes()
        if existing:
            new_items = tuple(
                attrs.evolve(c, **changes) if c.number == number else c for c in items
            )
        else:
            last = max((c.number for c in items), default=0)
            if number <= last:
                raise fail(
                    f"{patch.id!r} does not exist and new clauses must come after the last one "
                    f"(number > {last})",
                    where,
                )
            if "text" not in changes:
                raise fail(f"the new clause {patch.id!r} needs a text", f"$.clauses[{i}]")
            cls = Duty if kind == "duty" else WorkStandard
            new_items = (*items, cls(owner=owner_id, number=number, **changes))
        try:
            updated = _with_clauses(owner, field, new_items)
        except ValueError as exc:
            raise fail(str(exc), f"$.clauses[{i}]") from None
        if isinstance(updated, Post):
            posts[owner_id] = updated
        else:
            units[owner_id] = updated

    for i, rid in enumerate(variant.remove):
        where = f"$.remove[{i}]"
        if rid in posts:
            del posts[rid]
        elif rid in units:
            del units[rid]
        elif rid.count(".") == 2:
            owner_id, kind, number = _split_id(rid, fail, where)
            target = posts.get(owner_id) or units.get(owner_id)
            field = "duties" if kind == "duty" else "standards"
            items = getattr(target, field, ()) if target is not None else ()
            if target is None or not any(c.number == number for c in items):
                raise fail(f"cannot remove {rid!r}: no such clause", where)
            kept = tuple(c for c in items if c.number != number)
            updated = _with_clauses(target, field, kept)
            if isinstance(updated, Post):
                posts[owner_id] = updated
            else:
                units[owner_id] = updated
        else:
            raise fail(f"cannot remove {rid!r}: not a post, unit or clause ID", where)

    sections = tuple(
        attrs.evolve(
            s,
            posts=tuple(p for p in s.posts if p in posts),
            units=tuple(u for u in s.units if u in units),
        )
        for s in base.station.sections
    )
    placed = {i for s in sections for i in (*s.posts, *s.units)}
    extra_posts = [p.id for p in posts.values() if p.id not in placed]
    extra_units = [u.id for u in units.values() if u.id not in placed]
    sections = _place_new(sections, extra_posts, extra_units, posts, units)
    station = Station(
        name=variant.name or base.station.name,
        sections=sections,
        posts=tuple(posts.values()),
        units=tuple(units.values()),
    )
    glossary = Glossary(
        terms=_merge(base.glossary.terms, variant.terms),
        regulations=_merge(base.glossary.regulations, variant.regulations),
        parties=base.glossary.parties,
    )
    try:
        return type(base)(title=base.title, source=base.source, station=station, glossary=glossary)
    except ValueError as exc:
        raise DataFileError(f"the result is not a valid standard: {exc}", file=file) from None


def _place_new(
    sections: tuple[Any, ...],
    post_ids: list[str],
    unit_ids: list[str],
    posts: dict[str, Post],
    units: dict[str, Unit],
) -> tuple[Any, ...]:
    """Put new posts and units into the section their ``section`` number names."""
    from gdsmodel.roles.model import Section

    by_number = {s.number: s for s in sections}
    for pid in post_ids:
        n = posts[pid].section
        s = by_number.get(n) or Section(number=n, numeral=str(n), title=posts[pid].name)
        by_number[n] = attrs.evolve(s, posts=(*s.posts, pid))
    for uid in unit_ids:
        n = units[uid].section
        s = by_number.get(n) or Section(number=n, numeral=str(n), title=units[uid].name)
        by_number[n] = attrs.evolve(s, units=(*s.units, uid))
    return tuple(by_number[n] for n in sorted(by_number))


def _with_clauses(owner: Post | Unit, field: str, items: tuple[Any, ...]) -> Post | Unit:
    changes: dict[str, Any] = {field: items}
    return attrs.evolve(owner, **changes)


def _merge(base: tuple[Any, ...], extra: tuple[Any, ...]) -> tuple[Any, ...]:
    ids = {x.id for x in extra}
    return tuple(x for x in base if x.id not in ids) + extra


def _split_id(clause_id: str, fail: Any, where: str) -> tuple[str, str, int]:
    parts = clause_id.split(".")
    if len(parts) != 3 or parts[1] not in ("duty", "standard") or not parts[2].isdigit():
        raise fail(f"bad clause ID {clause_id!r}; allowed: OWNER.duty.N or OWNER.standard.N", where)
    number = int(parts[2])
    if number < 1:
        raise fail(f"bad clause ID {clause_id!r}: numbers start at 1", where)
    return parts[0], parts[1], number


def diff_standards(a: Standard, b: Standard) -> list[str]:
    """Lines saying what ``b`` adds, removes or changes relative to ``a``: a summary of
    :func:`gdsmodel.standards.editions.changes_between` (one line per entity, the changed
    fields of a clause named; posts and units only when added or removed)."""
    from gdsmodel.standards.changes import Op, changes_between

    changes = changes_between(a, b)
    by_op: dict[Op, set[tuple[str, str]]] = {op: set() for op in Op}
    fields: dict[str, set[str]] = {}
    for ch in changes:
        by_op[ch.op].add((ch.kind, ch.id))
        if ch.op is Op.CHANGE and ch.kind == "clause":
            fields.setdefault(ch.id, set()).add(ch.field.split(".", 1)[0])
    out: list[str] = []
    if a.station.name != b.station.name:
        out.append(f"~ station name: {a.station.name.zh} -> {b.station.name.zh}")
    for kind, xs, ys in (
        ("post", a.posts, b.posts),
        ("unit", a.units, b.units),
        ("term", a.glossary.terms, b.glossary.terms),
        ("regulation", a.glossary.regulations, b.glossary.regulations),
    ):
        out += [f"- {kind} {x.id}" for x in xs if (kind, x.id) in by_op[Op.REMOVE]]
        out += [f"+ {kind} {y.id}" for y in ys if (kind, y.id) in by_op[Op.ADD]]
        if kind in ("term", "regulation"):
            out += [f"~ {kind} {x.id}" for x in xs if (kind, x.id) in by_op[Op.CHANGE]]
    out += [f"- clause {c.id}" for c in a.clauses() if ("clause", c.id) in by_op[Op.REMOVE]]
    out += [f"+ clause {c.id}" for c in b.clauses() if ("clause", c.id) in by_op[Op.ADD]]
    for c in a.clauses():
        if c.id in fields:
            names = [f.name for f in attrs.fields(type(c)) if f.name in fields[c.id]]
            out.append(f"~ clause {c.id}: {', '.join(names)}")
    return out


# A variant's clause patches unstructure like everything else.
converter.register_unstructure_hook(
    ClausePatch, lambda p: {"id": p.id, **converter.unstructure(p.changes())}
)
