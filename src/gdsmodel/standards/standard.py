"""The job standard as a whole: organisation, clauses and glossary, with look-ups.

>>> from gdsmodel import load_standard
>>> std = load_standard()
>>> [p.id for p in std.posts][:4]
['director', 'safety_officer', 'technician', 'marketing_officer']
>>> c = std.clause("safety_officer.standard.6")
>>> c.number, c.owner, c.kind
(6, 'safety_officer', 'standard')
>>> "32字原则" in c.text.zh
True
>>> [c.id for c in std.find(term="four_not_letting_go")]
['safety_officer.duty.5', 'safety_officer.standard.3']
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
from cattrs.gen import make_dict_unstructure_fn, override

from gdsmodel import _show
from gdsmodel import tables as _tables
from gdsmodel._textnorm import fold
from gdsmodel.errors import NotFoundError
from gdsmodel.roles.loader import load_reference_station
from gdsmodel.roles.model import Cadence, Category, Clause, Post, Station, Unit
from gdsmodel.serialize import converter
from gdsmodel.sources import Source
from gdsmodel.standards.glossary import Glossary, load_glossary
from gdsmodel.standards.validate import check_standard
from gdsmodel.text import Text

if TYPE_CHECKING:  # pragma: no cover
    from gdsmodel.periods import Period
    from gdsmodel.standards.calendar import CalendarConfig, Obligation

__all__ = ["FORMAT", "Standard", "load_standard"]

FORMAT = "gdsmodel.standard/1"


@attrs.frozen(slots=True, kw_only=True)
class Standard:
    """A job standard: the organisation, its clauses and the glossary they cite.

    Look-ups by ID raise :class:`~gdsmodel.errors.NotFoundError` for unknown IDs.
    The constructor checks that every ID is unique and every reference (glossary term,
    regulation, related party, head post) exists.
    """

    title: Text
    source: Source
    station: Station
    glossary: Glossary
    _index: dict[str, Any] = attrs.field(init=False, eq=False, repr=False, hash=False)

    def __repr__(self) -> str:
        return _show.standard_repr(self)

    def _repr_html_(self) -> str:
        return _show.standard_html(self)

    def to_pandas(self, table: str = "clauses") -> _tables.PandasFrame:
        """The clauses (annotated) or the glossary as a pandas DataFrame (``gdsmodel.tables``)."""
        return _tables.pandas_frame(self, table, ("clauses", "glossary"))

    def to_polars(self, table: str = "clauses") -> _tables.PolarsFrame:
        """The clauses (annotated) or the glossary as a polars DataFrame (``gdsmodel.tables``)."""
        return _tables.polars_frame(self, table, ("clauses", "glossary"))

    def __attrs_post_init__(self) -> None:
        index: dict[str, Any] = {}
        owners: tuple[Post | Unit, ...] = (*self.station.posts, *self.station.units)
        for owner in owners:
            if owner.id in index:
                raise ValueError(f"duplicate post or unit ID {owner.id!r}")
            index[owner.id] = owner
            for clause in owner.clauses():
                if clause.id in index:
                    raise ValueError(f"duplicate clause ID {clause.id!r}")
                index[clause.id] = clause
        object.__setattr__(self, "_index", index)
        check_standard(self)

    # -- the organisation -------------------------------------------------------------

    @property
    def posts(self) -> tuple[Post, ...]:
        """Every post, in the order of the source."""
        return self.station.posts

    @property
    def units(self) -> tuple[Unit, ...]:
        """Every unit (客户服务室, 营业组, 配电组)."""
        return self.station.units

    def post(self, post_id: str) -> Post:
        """The post with this ID."""
        found = self._index.get(post_id)
        if not isinstance(found, Post):
            raise NotFoundError("post", post_id, [p.id for p in self.posts])
        return found

    def unit(self, unit_id: str) -> Unit:
        """The unit with this ID."""
        found = self._index.get(unit_id)
        if not isinstance(found, Unit):
            raise NotFoundError("unit", unit_id, [u.id for u in self.units])
        return found

    def owner(self, owner_id: str) -> Post | Unit:
        """The post or unit with this ID.

        >>> load_standard().owner("revenue_group").head
        'revenue_group_leader'
        """
        found = self._index.get(owner_id)
        if not isinstance(found, Post | Unit):
            known = [p.id for p in self.posts] + [u.id for u in self.units]
            raise NotFoundError("post or unit", owner_id, known)
        return found

    # -- clauses ---------------------------------------------------------------------

    def clauses(self, owner: str | None = None) -> Iterator[Clause]:
        """Every clause in source order (section by section), or those of one owner."""
        if owner is not None:
            yield from self.owner(owner).clauses()
            return
        for section in self.station.sections:
            for unit_id in section.units:
                yield from self.unit(unit_id).clauses()
            for post_id in section.posts:
                yield from self.post(post_id).clauses()

    def clause(self, clause_id: str) -> Clause:
        """The clause with this stable ID, e.g. ``safety_officer.standard.6``."""
        found = self._index.get(clause_id)
        if not isinstance(found, Clause):
            raise NotFoundError("clause", clause_id, [c.id for c in self.clauses()][:10])
        return found

    def find(
        self,
        text: str | None = None,
        *,
        category: Category | str | None = None,
        cadence: Cadence | str | None = None,
        term: str | None = None,
        regulation: str | None = None,
        owner: str | None = None,
    ) -> tuple[Clause, ...]:
        """Clauses matching every criterion given.

        ``text`` is searched in Chinese and English (NFKC-normalised, case-insensitive);
        ``category`` and ``cadence`` match any of a clause's values; ``term`` and
        ``regulation`` are glossary IDs.

        >>> [c.id for c in load_standard().find("两票合格率")]
        ['safety_officer.standard.4']
        >>> len(load_standard().find(cadence="month_end"))
        1
        """
        cat = Category(category) if category is not None else None
        cad = Cadence(cadence) if cadence is not None else None
        if term is not None:
            self.glossary.term(term)
        if regulation is not None:
            self.glossary.regulation(regulation)
        needle = fold(text) if text else None
        out = []
        for c in self.clauses(owner):
            if needle is not None and not (needle in fold(c.text.zh) or needle in fold(c.text.en)):
                continue
            if cat is not None and cat not in c.categories:
                continue
            if cad is not None and cad not in c.cadences:
                continue
            if term is not None and term not in c.terms:
                continue
            if regulation is not None and regulation not in c.regulations:
                continue
            out.append(c)
        return tuple(out)

    # -- the calendar -----------------------------------------------------------------

    def obligations(
        self,
        period: Period,
        *,
        owner: str | None = None,
        config: CalendarConfig | None = None,
        triggers: bool = True,
    ) -> tuple[Obligation, ...]:
        """What is due in ``period``, for whom, from which clause (see
        :mod:`gdsmodel.standards.calendar`).

        >>> from gdsmodel.periods import Month
        >>> due = load_standard().obligations(Month(2026, 3), owner="safety_officer")
        >>> due[0].owner, type(due[0]).__name__
        ('safety_officer', 'Obligation')
        """
        from gdsmodel.standards.calendar import obligations

        return obligations(self, period, owner=owner, config=config, triggers=triggers)

    # -- variants --------------------------------------------------------------------

    @classmethod
    def from_file(cls, path: str | Path, *, base: Standard | None = None) -> Standard:
        """A station's own variant (TOML, JSON or YAML) applied on top of ``base``.

        ``base`` defaults to the reference standard. See :mod:`gdsmodel.standards.variant`.
        """
        from gdsmodel.standards.variant import apply_variant_file

        return apply_variant_file(base or load_standard(), Path(path))

    def diff(self, other: Standard) -> list[str]:
        """What differs between two standards, one line per difference.

        >>> load_standard().diff(load_standard())
        []
        """
        from gdsmodel.standards.variant import diff_standards

        return diff_standards(self, other)

    # -- export ----------------------------------------------------------------------

    def to_data(self) -> dict[str, Any]:
        """The whole standard as plain JSON-ready data (the inverse of :meth:`from_data`)."""
        data: dict[str, Any] = {"format": FORMAT, **converter.unstructure(self)}
        return data

    @classmethod
    def from_data(cls, data: object, *, file: str | None = None) -> Standard:
        """Build a standard from :meth:`to_data` output; bad data raises ``DataFileError``."""
        from gdsmodel.serialize import structure

        if isinstance(data, dict) and "format" in data:
            data = {k: v for k, v in data.items() if k != "format"}
        return structure(data, cls, file=file)

    def to_json(self, *, indent: int | None = 2) -> str:
        """The whole standard as JSON text (UTF-8, Chinese kept readable)."""
        import json

        return json.dumps(self.to_data(), ensure_ascii=False, indent=indent)

    def to_yaml(self) -> str:
        """The whole standard as YAML (needs the ``yaml`` extra: PyYAML)."""
        from gdsmodel.serialize import to_yaml

        return to_yaml(self.to_data())


converter.register_unstructure_hook(
    Standard, make_dict_unstructure_fn(Standard, converter, _index=override(omit=True))
)


@cache
def _reference() -> Standard:
    meta, station = load_reference_station()
    return Standard(title=meta.title, source=meta.source, station=station, glossary=load_glossary())


def load_standard(path: str | Path | None = None) -> Standard:
    """The reference standard (cached), or a station's variant file applied on top of it.

    >>> load_standard() is load_standard()
    True
    """
    if path is None:
        return _reference()
    return Standard.from_file(path)
