"""The named rules, concepts and regulations the job standard cites.

>>> from gdsmodel.standards.glossary import load_glossary
>>> g = load_glossary()
>>> g.term("two_tickets").name.zh
'两票'
>>> [p.zh for p in g.term("three_systems").parts]
['交接班制', '巡回检查制', '设备定期试验轮换制']
"""

from __future__ import annotations

import enum
from functools import cache

import attrs

from gdsmodel import _show
from gdsmodel import tables as _tables
from gdsmodel._textnorm import fold
from gdsmodel.datafiles import package_toml
from gdsmodel.errors import NotFoundError
from gdsmodel.roles.model import Party
from gdsmodel.serialize import structure
from gdsmodel.sources import Confidence, Source
from gdsmodel.text import Text

__all__ = ["Glossary", "Regulation", "RegulationKind", "Term", "load_glossary"]


@attrs.frozen(slots=True, kw_only=True)
class Term:
    """A named rule or concept (两票, 四不放过, 32字原则...).

    ``aliases`` are the Chinese forms in which the term appears verbatim in the source
    text; ``parts`` the components of a composite rule, in order.
    """

    id: str
    name: Text
    definition: Text
    confidence: Confidence
    source: Source
    aliases: tuple[str, ...] = ()
    parts: tuple[Text, ...] = ()

    def __repr__(self) -> str:
        return _show.short_repr(self, "id", "name", "confidence")

    def _repr_html_(self) -> str:
        return _show.term_html(self)

    def matches(self, needle: str) -> bool:
        """True when ``needle`` occurs in the ID, the name, an alias or the definition."""
        n = fold(needle)
        hay = [self.id, self.name.zh, self.name.en, *self.aliases, self.definition.zh]
        hay.append(self.definition.en)
        return any(n in fold(h) for h in hay)


class RegulationKind(enum.StrEnum):
    """What kind of document a regulation is."""

    LAW = "law"
    REGULATION = "regulation"
    RULES = "rules"
    CODE = "code"
    DOCUMENT = "document"


@attrs.frozen(slots=True, kw_only=True)
class Regulation:
    """A law, regulation or document that the standard cites (《电力法》...)."""

    id: str
    title: Text
    kind: RegulationKind
    aliases: tuple[str, ...] = ()
    issuer: str = ""
    year: str = ""
    note: str = ""

    def __repr__(self) -> str:
        return _show.short_repr(self)


@attrs.frozen(slots=True, kw_only=True)
class Glossary:
    """Terms, regulations and external parties, each found by ID."""

    terms: tuple[Term, ...]
    regulations: tuple[Regulation, ...]
    parties: tuple[Party, ...] = ()

    def __repr__(self) -> str:
        return _show.summary(
            self, "glossary", terms=len(self.terms), regulations=len(self.regulations)
        )

    def to_pandas(self, table: str = "glossary") -> _tables.PandasFrame:
        """The terms as a pandas DataFrame (columns: see ``gdsmodel.tables``)."""
        return _tables.pandas_frame(self, table, ("glossary",))

    def to_polars(self, table: str = "glossary") -> _tables.PolarsFrame:
        """The terms as a polars DataFrame (columns: see ``gdsmodel.tables``)."""
        return _tables.polars_frame(self, table, ("glossary",))

    def __attrs_post_init__(self) -> None:
        for kind, items in (
            ("term", self.terms),
            ("regulation", self.regulations),
            ("party", self.parties),
        ):
            ids = [i.id for i in items]
            dupes = sorted({i for i in ids if ids.count(i) > 1})
            if dupes:
                raise ValueError(f"duplicate {kind} IDs: {', '.join(dupes)}")

    def term(self, term_id: str) -> Term:
        """The term with this ID; :class:`~gdsmodel.errors.NotFoundError` otherwise."""
        for t in self.terms:
            if t.id == term_id:
                return t
        raise NotFoundError("term", term_id, [t.id for t in self.terms])

    def regulation(self, regulation_id: str) -> Regulation:
        """The regulation with this ID; :class:`~gdsmodel.errors.NotFoundError` otherwise."""
        for r in self.regulations:
            if r.id == regulation_id:
                return r
        raise NotFoundError("regulation", regulation_id, [r.id for r in self.regulations])

    def party(self, party_id: str) -> Party:
        """The external party with this ID."""
        for p in self.parties:
            if p.id == party_id:
                return p
        raise NotFoundError("party", party_id, [p.id for p in self.parties])

    def search(self, needle: str) -> tuple[Term, ...]:
        """Terms whose ID, name, aliases or definition contain ``needle``.

        >>> [t.id for t in load_glossary().search("四不放过")]
        ['four_not_letting_go']
        """
        return tuple(t for t in self.terms if t.matches(needle))


@cache
def load_glossary() -> Glossary:
    """The reference glossary shipped with gdsmodel (cached)."""
    data, name = package_toml("gdsmodel.standards", "data", "glossary.toml")
    return structure(data, Glossary, file=name)
