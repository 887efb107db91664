"""Editions of the standard: a semantic version, a changelog of clause-level changes, old
editions loadable by version.

The package's data files are the *current* edition. Every edition is recorded in
``data/editions.toml`` with its version, date, summary, the SHA-256 digest of its data and
the changes that lead to it from the edition before, one per entity and field::

    [[editions.changes]]
    op = "change"                     # change | add | remove
    kind = "clause"                   # standard | section | post | unit | clause | term ...
    id = "technician.duty.3"
    field = "text.en"                 # dotted path inside the entity (change only)
    old = "Carry out periodic ..."
    new = "Carry out the periodic ..."

An old edition is not a copy of the data files: it is rebuilt from the current data by
reverting, newest first, the changes of the editions after it, and checked against its
recorded digest. A correction of a translation is a ``change`` of ``text.en`` like any
other, so it is an edition entry of its own (a *patch* edition).

Versions follow semantic versioning for the users of the data (a station system pins one):

* **major**: something is removed (a clause, post, term...), so stored IDs may dangle;
* **minor**: something is added, or the authoritative Chinese text or an annotation that
  changes meaning (categories, cadences, targets, terms, relations...) changes;
* **patch**: only translations (``.en``), notes, errata annotations and sources change.

>>> from gdsmodel.standards.editions import load_changelog, load_edition
>>> log = load_changelog()
>>> log.versions()[:2]
('1.0.0', '1.0.1')
>>> {c.field.rsplit(".", 1)[-1] for c in log.edition("1.0.1").changes} >= {"en"}
True
>>> old = load_edition("1.0.0")  # rebuilt from the current data, checked against its digest
>>> [str(c) for c in changes_between(old, load_edition("1.0.1"))] == [
...     str(c) for c in log.edition("1.0.1").changes]
True
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from gdsmodel import _show
from gdsmodel.datafiles import package_toml, read_data_file
from gdsmodel.errors import DataFileError, NotFoundError
from gdsmodel.serialize import converter, structure
from gdsmodel.standards.changes import (
    JSON,
    Bump,
    Change,
    Op,
    _entities,
    _flatten,
    changes_between,
    required_bump,
)
from gdsmodel.text import Text

if TYPE_CHECKING:  # pragma: no cover  (avoids an import cycle)
    from gdsmodel.standards.standard import Standard

__all__ = [
    "FORMAT",
    "Bump",
    "Change",
    "Changelog",
    "Edition",
    "Op",
    "apply_changes",
    "changes_between",
    "digest",
    "edition_of",
    "load_changelog",
    "load_edition",
    "read_drafts",
    "record_edition",
    "required_bump",
    "revert_changes",
    "to_toml",
]

FORMAT = "gdsmodel.editions/1"


@attrs.frozen(slots=True, kw_only=True)
class Edition:
    """One edition: its version, date, summary, digest and the changes leading to it."""

    version: str
    date: datetime.date
    summary: Text
    digest: str = ""
    changes: tuple[Change, ...] = ()

    def __repr__(self) -> str:
        return _show.short_repr(self)

    def __attrs_post_init__(self) -> None:
        _parse_version(self.version)


@attrs.frozen(slots=True, kw_only=True)
class Changelog:
    """Every edition in order; ``current`` is the one the package's data files hold.

    Editions after ``current`` are drafts (a test file may carry one); they are built by
    applying their changes forward.
    """

    format: str
    current: str
    editions: tuple[Edition, ...]

    def __repr__(self) -> str:
        return _show.short_repr(self)

    def __attrs_post_init__(self) -> None:
        if self.format != FORMAT:
            raise ValueError(f"unknown format {self.format!r} (allowed: {FORMAT})")
        versions = [_parse_version(e.version) for e in self.editions]
        if versions != sorted(set(versions)):
            raise ValueError("editions must be in increasing version order, each once")
        if self.current not in self.versions():
            raise ValueError(f"the current edition {self.current!r} is not listed")

    def versions(self) -> tuple[str, ...]:
        """Every version, oldest first."""
        return tuple(e.version for e in self.editions)

    def edition(self, version: str) -> Edition:
        """The edition with this version; :class:`NotFoundError` otherwise."""
        for e in self.editions:
            if e.version == version:
                return e
        raise NotFoundError("edition", version, self.versions())

    def with_drafts(self, drafts: Iterable[Edition]) -> Changelog:
        """This changelog with draft editions appended (after the last one)."""
        return attrs.evolve(self, editions=(*self.editions, *drafts))


def _parse_version(version: str) -> tuple[int, int, int]:
    parts = version.split(".")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        raise ValueError(f"bad version {version!r}; allowed: MAJOR.MINOR.PATCH, e.g. 1.0.0")
    major, minor, patch = (int(p) for p in parts)
    return major, minor, patch


def bump_of(old: str, new: str) -> Bump:
    """Which part of the version rises from ``old`` to ``new``.

    >>> bump_of("1.0.0", "1.0.1").name, bump_of("1.2.3", "2.0.0").name
    ('PATCH', 'MAJOR')
    """
    a, b = _parse_version(old), _parse_version(new)
    if b <= a:
        return Bump.NONE
    if b[0] > a[0]:
        return Bump.MAJOR
    if b[1] > a[1]:
        return Bump.MINOR
    return Bump.PATCH


# ----------------------------------------------------------------------------- applying


def _set_path(target: dict[str, JSON], path: str, value: JSON) -> None:
    keys = path.split(".")
    for k in keys[:-1]:
        nxt = target.get(k)
        if not isinstance(nxt, dict):
            nxt = {}
            target[k] = nxt
        target = nxt
    if value is None:
        target.pop(keys[-1], None)
    else:
        target[keys[-1]] = value


def _get_path(source: dict[str, JSON], path: str) -> JSON:
    cur: JSON = source
    for k in path.split("."):
        if not isinstance(cur, dict) or k not in cur:
            return None
        cur = cur[k]
    return cur


class _Located:
    """Finds the dict that holds an entity inside a standard's data."""

    def __init__(self, data: dict[str, JSON]) -> None:
        self.data = data
        self.station = data["station"]

    def owners(self) -> Iterator[tuple[str, dict[str, JSON]]]:
        for kind, key in (("post", "posts"), ("unit", "units")):
            for o in self.station[key]:
                yield kind, o

    def owner(self, owner_id: str) -> dict[str, JSON]:
        for _, o in self.owners():
            if o["id"] == owner_id:
                return o
        raise KeyError(owner_id)


def _list_of(clause_kind: str) -> str:
    return "duties" if clause_kind == "duty" else "standards"


def _glossary_list(kind: str) -> str:
    return {"term": "terms", "regulation": "regulations", "party": "parties"}[kind]


def _change_field(data: dict[str, JSON], c: Change, value: JSON, expect: JSON) -> None:
    loc = _Located(data)
    if c.kind == "standard":
        path = f"station.{c.field}" if c.field.startswith("name") else c.field
        holder: dict[str, JSON] = data
    elif c.kind == "section":
        holder = next(s for s in loc.station["sections"] if str(s["number"]) == c.id)
        path = c.field
    elif c.kind in ("post", "unit"):
        holder, path = loc.owner(c.id), c.field
    elif c.kind == "clause":
        owner_id, clause_kind, number = c.id.split(".")
        items = loc.owner(owner_id).get(_list_of(clause_kind), [])
        holder = next(x for x in items if x["number"] == int(number))
        path = c.field
    else:
        items = data["glossary"][_glossary_list(c.kind)]
        holder = next(x for x in items if x["id"] == c.id)
        path = c.field
    current = _get_path(holder, path)
    if current != expect:
        raise ValueError(f"{c.kind} {c.id} {c.field}: expected {expect!r}, found {current!r}")
    _set_path(holder, path, value)


def _add(data: dict[str, JSON], kind: str, eid: str, value: JSON) -> None:
    station = data["station"]
    if kind == "clause":
        owner_id, clause_kind, number = eid.split(".")
        owner = _Located(data).owner(owner_id)
        items = [x for x in owner.get(_list_of(clause_kind), []) if x["number"] != int(number)]
        items.append({"number": int(number), **value})
        owner[_list_of(clause_kind)] = sorted(items, key=lambda x: x["number"])
    elif kind in ("post", "unit"):
        key = kind + "s"
        entity = {"id": eid, "duties": [], **value}
        station[key].append(entity)
        for s in station["sections"]:
            if s["number"] == entity["section"]:
                s[key] = [*s[key], eid]
                break
        else:
            raise ValueError(f"{kind} {eid}: no section {entity['section']}")
    elif kind == "section":
        station["sections"].append({"number": int(eid), "posts": [], "units": [], **value})
        station["sections"].sort(key=lambda s: s["number"])
    elif kind in ("term", "regulation", "party"):
        data["glossary"].setdefault(_glossary_list(kind), []).append({"id": eid, **value})
    else:
        raise ValueError(f"cannot add a {kind}")


def _remove(data: dict[str, JSON], kind: str, eid: str) -> None:
    station = data["station"]
    if kind == "clause":
        owner_id, clause_kind, number = eid.split(".")
        owner = _Located(data).owner(owner_id)
        key = _list_of(clause_kind)
        owner[key] = [x for x in owner.get(key, []) if x["number"] != int(number)]
    elif kind in ("post", "unit"):
        key = kind + "s"
        station[key] = [o for o in station[key] if o["id"] != eid]
        for s in station["sections"]:
            s[key] = [i for i in s[key] if i != eid]
    elif kind == "section":
        station["sections"] = [s for s in station["sections"] if str(s["number"]) != eid]
    elif kind in ("term", "regulation", "party"):
        key = _glossary_list(kind)
        data["glossary"][key] = [x for x in data["glossary"][key] if x["id"] != eid]
    else:
        raise ValueError(f"cannot remove a {kind}")


def _apply(data: dict[str, JSON], changes: Iterable[Change], *, forward: bool) -> None:
    for c in changes:
        try:
            if c.op is Op.CHANGE:
                value, expect = (c.new, c.old) if forward else (c.old, c.new)
                _change_field(data, c, value, expect)
            elif (c.op is Op.ADD) == forward:
                _add(data, c.kind, c.id, json.loads(json.dumps(c.value)))
            else:
                found = _entities(data).get((c.kind, c.id))
                if found is None:
                    raise KeyError(c.id)
                if _flatten(found) != _flatten(c.value or {}):
                    raise ValueError(f"{c.kind} {c.id} is not as the change records it")
                _remove(data, c.kind, c.id)
        except (KeyError, StopIteration):
            raise ValueError(f"{c.kind} {c.id} does not exist") from None


def apply_changes(std: Standard, changes: Iterable[Change]) -> Standard:
    """The standard with the changes applied (the next edition from this one).

    Raises ``ValueError`` when a change does not fit (a field's old value differs).
    """
    from gdsmodel.standards.standard import Standard

    data = json.loads(json.dumps(std.to_data()))
    _apply(data, list(changes), forward=True)
    return Standard.from_data(data)


def revert_changes(std: Standard, changes: Iterable[Change]) -> Standard:
    """The standard with the changes reverted (the previous edition from this one)."""
    from gdsmodel.standards.standard import Standard

    data = json.loads(json.dumps(std.to_data()))
    _apply(data, reversed(list(changes)), forward=False)
    return Standard.from_data(data)


def _canonical(value: JSON) -> JSON:
    """The value without empty fields (``None``, ``""``, ``[]``, ``{}``) at any depth, so that a
    new field with an empty default does not change the digest of an old edition.

    >>> _canonical({"id": "x", "tags": [], "note": "", "text": {"zh": "字", "en": ""}})
    {'id': 'x', 'text': {'zh': '字'}}
    """
    if isinstance(value, dict):
        items = ((k, _canonical(v)) for k, v in value.items())
        return {k: v for k, v in items if v not in (None, "", [], {})}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    return value


def digest(std: Standard) -> str:
    """The SHA-256 of the standard's canonical JSON (sorted keys, no spaces, empty fields
    left out).

    >>> from gdsmodel.standards.standard import load_standard
    >>> digest(load_standard()).startswith("sha256:")
    True
    """
    data = _canonical(std.to_data())
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


# ----------------------------------------------------------------------------- loading


def load_changelog(path: str | Path | None = None) -> Changelog:
    """The package's changelog of editions, or one read from a file (TOML, JSON, YAML)."""
    if path is None:
        return _package_changelog()
    data = read_data_file(path)
    return _structure_changelog(data, str(path))


def _structure_changelog(data: Any, file: str) -> Changelog:
    try:
        return structure(data, Changelog, file=file)
    except ValueError as exc:
        if isinstance(exc, DataFileError):
            raise
        raise DataFileError(str(exc), file=file) from None


@attrs.frozen(slots=True, kw_only=True)
class _DraftFile:
    editions: tuple[Edition, ...]


def read_drafts(path: str | Path) -> tuple[Edition, ...]:
    """Draft editions from a file that holds ``[[editions]]`` entries only (TOML, JSON, YAML).

    Add them to the package's changelog with :meth:`Changelog.with_drafts`.
    """
    data = read_data_file(path)
    return structure(data, _DraftFile, file=str(path)).editions


@cache
def _package_changelog() -> Changelog:
    data, name = package_toml("gdsmodel.standards", "data", "editions.toml")
    return _structure_changelog(data, name)


def load_edition(version: str, *, changelog: Changelog | None = None) -> Standard:
    """The standard as it was (or, for a draft, will be) in edition ``version``.

    Editions before the current one are rebuilt by reverting changes from the package's
    data, drafts after it by applying theirs; each rebuilt edition must match its recorded
    digest (``DataFileError`` otherwise). Unknown versions raise
    :class:`~gdsmodel.errors.NotFoundError`.

    >>> load_edition("0.0.1")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    gdsmodel.errors.NotFoundError: unknown edition '0.0.1'; known: 1.0.0...
    """
    log = changelog or _package_changelog()
    if changelog is None:
        return _package_edition(version)
    return _build_edition(log, version)


@cache
def _package_edition(version: str) -> Standard:
    return _build_edition(_package_changelog(), version)


def _build_edition(log: Changelog, version: str) -> Standard:
    from gdsmodel.standards.standard import load_standard

    target = log.edition(version)
    versions = log.versions()
    here = versions.index(log.current)
    there = versions.index(target.version)
    std = load_standard()
    try:
        if there < here:
            for e in reversed(log.editions[there + 1 : here + 1]):
                std = revert_changes(std, e.changes)
        else:
            for e in log.editions[here + 1 : there + 1]:
                std = apply_changes(std, e.changes)
    except ValueError as exc:
        raise DataFileError(f"edition {version} cannot be built: {exc}") from None
    # The current edition is the data files as they are; a drift of the files from its recorded
    # digest is caught by the tests. A rebuilt edition must match its digest exactly.
    if there != here and target.digest and digest(std) != target.digest:
        raise DataFileError(
            f"edition {version} does not match its recorded digest {target.digest} "
            f"(built: {digest(std)}); the data files changed without a new edition entry"
        )
    return std


def edition_of(std: Standard, *, changelog: Changelog | None = None) -> str | None:
    """The version of the edition whose digest ``std`` has, or None (a variant, a draft).

    >>> import attrs
    >>> from gdsmodel.standards.standard import load_standard
    >>> edition_of(attrs.evolve(load_standard(), title=Text("本所自编"))) is None
    True
    """
    d = digest(std)
    for e in (changelog or _package_changelog()).editions:
        if e.digest == d:
            return e.version
    return None


def record_edition(
    old: Standard, new: Standard, *, version: str, date: datetime.date, summary: Text
) -> Edition:
    """The edition entry that leads from ``old`` to ``new`` (write it with :func:`to_toml`).

    The version must rise at least as much as the changes require (:func:`required_bump`).
    """
    changes = changes_between(old, new)
    old_version = edition_of(old)
    need = required_bump(changes)
    if old_version is not None and bump_of(old_version, version) < need:
        raise ValueError(
            f"{old_version} -> {version} is too small a step: the changes need a "
            f"{need.name.lower()} bump"
        )
    return Edition(version=version, date=date, summary=summary, digest=digest(new), changes=changes)


# ----------------------------------------------------------------------------- writing


def _toml_value(value: JSON) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return json.dumps(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        inner = ", ".join(
            f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items() if v is not None
        )
        return "{ " + inner + " }" if inner else "{}"
    if isinstance(value, datetime.date):
        return value.isoformat()
    raise TypeError(f"cannot write {value!r} as TOML")


def _toml_key(key: str) -> str:
    return key if key.replace("_", "").replace("-", "").isalnum() else json.dumps(key)


def to_toml(edition: Edition) -> str:
    """An edition entry as TOML, ready to append to ``editions.toml``.

    >>> e = Edition(version="1.0.1", date=datetime.date(2026, 12, 2),
    ...             summary=Text("译文更正", "Translation corrections"),
    ...             changes=(Change(op=Op.CHANGE, kind="term", id="x", field="name.en",
    ...                             old="a", new="b"),))
    >>> print(to_toml(e))
    [[editions]]
    version = "1.0.1"
    date = "2026-12-02"
    summary = { zh = "译文更正", en = "Translation corrections" }
    digest = ""
    <BLANKLINE>
    [[editions.changes]]
    op = "change"
    kind = "term"
    id = "x"
    field = "name.en"
    old = "a"
    new = "b"
    <BLANKLINE>
    """
    lines = [
        "[[editions]]",
        f"version = {_toml_value(edition.version)}",
        f'date = "{edition.date.isoformat()}"',
        f"summary = {_toml_value(converter.unstructure(edition.summary))}",
        f"digest = {_toml_value(edition.digest)}",
        "",
    ]
    for c in edition.changes:
        lines.append("[[editions.changes]]")
        for key in ("op", "kind", "id", "field", "old", "new", "value"):
            v = getattr(c, key)
            if v is None or (key == "field" and not v):
                continue
            lines.append(f"{key} = {_toml_value(v.value if isinstance(v, Op) else v)}")
        lines.append("")
    return "\n".join(lines)
