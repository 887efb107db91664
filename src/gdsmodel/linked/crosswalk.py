"""Crosswalks: each post (and member role) mapped to 职业分类大典 2022, ISCO-08 and ESCO.

Every mapping has a kind (``exact``, ``broader``, ``narrower``, ``related``: how the
target relates to the post, as the SKOS mapping relations), a confidence mark for the fit,
and the source of its code and title (its scheme's). Where no fitting code was found in a
source nothing is mapped: the gap is recorded with a note instead.

>>> cw = load_crosswalk()
>>> [(m.scheme, m.code, str(m.kind)) for m in cw.for_subject("technician")]
[('cn_2022', '2-02-12-02', 'broader'), ('isco08', '3113', 'broader')]
>>> cw.for_subject("technician")[1].target_uri
'http://data.europa.eu/esco/isco/C3113'
>>> [g.scheme for g in cw.gaps if g.subject == "marketing_officer"]
['isco08']
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from functools import cache

import attrs

from gdsmodel import _show
from gdsmodel.datafiles import package_toml
from gdsmodel.errors import DataFileError, NotFoundError
from gdsmodel.serialize import structure
from gdsmodel.sources import Confidence, Source
from gdsmodel.standards.standard import Standard
from gdsmodel.text import Text

__all__ = [
    "Crosswalk",
    "Gap",
    "MappingKind",
    "OccupationMapping",
    "Occupations",
    "Scheme",
    "crosswalk_markdown",
    "load_crosswalk",
    "load_occupations",
    "subject_names",
]


class MappingKind(enum.StrEnum):
    """How the target occupation relates to the post (SKOS mapping relations)."""

    EXACT = "exact"
    BROADER = "broader"
    NARROWER = "narrower"
    RELATED = "related"

    @property
    def skos(self) -> str:
        """The SKOS property: ``exactMatch``, ``broadMatch``, ``narrowMatch``, ``relatedMatch``.

        >>> MappingKind.BROADER.skos
        'broadMatch'
        """
        return {
            "exact": "exactMatch",
            "broader": "broadMatch",
            "narrower": "narrowMatch",
            "related": "relatedMatch",
        }[self.value]


@attrs.frozen(slots=True, kw_only=True)
class Scheme:
    """A classification: its title, the language of its titles, its URI pattern, its source."""

    id: str
    title: Text
    lang: str
    source: Source
    uri_pattern: str = ""
    uri: str = ""

    def __repr__(self) -> str:
        return _show.short_repr(self)


@attrs.frozen(slots=True, kw_only=True)
class OccupationMapping:
    """One post or role mapped to one code of a scheme."""

    subject: str
    scheme: str
    code: str
    title: str
    level: str
    kind: MappingKind
    confidence: Confidence
    note: str = ""
    target_uri: str = ""
    scheme_uri: str = ""
    lang: str = ""

    def __repr__(self) -> str:
        return _show.short_repr(self)


@attrs.frozen(slots=True, kw_only=True)
class Gap:
    """A post (``*`` for all) and a scheme for which no fitting code was found."""

    subject: str
    scheme: str
    note: str


@attrs.frozen(slots=True, kw_only=True)
class _File:
    format: str
    schemes: tuple[Scheme, ...]
    mappings: tuple[OccupationMapping, ...] = ()
    gaps: tuple[Gap, ...] = ()


@attrs.frozen(slots=True, kw_only=True)
class Crosswalk:
    """The schemes, the mappings (each with its target URI where the scheme has URIs) and
    the gaps."""

    schemes: tuple[Scheme, ...]
    mappings: tuple[OccupationMapping, ...]
    gaps: tuple[Gap, ...]

    def __repr__(self) -> str:
        return _show.short_repr(self)

    def scheme(self, scheme_id: str) -> Scheme:
        """The scheme with this ID."""
        for s in self.schemes:
            if s.id == scheme_id:
                return s
        raise NotFoundError("scheme", scheme_id, [s.id for s in self.schemes])

    def for_subject(self, subject: str) -> tuple[OccupationMapping, ...]:
        """The mappings of one post or role, in file order."""
        return tuple(m for m in self.mappings if m.subject == subject)


def _build(data: _File, file: str) -> Crosswalk:
    if data.format != "gdsmodel.crosswalk/1":
        raise DataFileError(
            f"unknown format {data.format!r} (allowed: gdsmodel.crosswalk/1)", file=file
        )
    schemes = {s.id: s for s in data.schemes}
    out = []
    seen: set[tuple[str, str, str]] = set()
    for i, m in enumerate(data.mappings):
        if m.scheme not in schemes:
            raise DataFileError(
                f"unknown scheme {m.scheme!r}; known: {', '.join(schemes)}",
                file=file,
                path=f"$.mappings[{i}].scheme",
            )
        key = (m.subject, m.scheme, m.code)
        if key in seen:
            raise DataFileError(
                f"mapping {key} is listed twice", file=file, path=f"$.mappings[{i}]"
            )
        seen.add(key)
        s = schemes[m.scheme]
        uri = s.uri_pattern.format(code=m.code) if s.uri_pattern else ""
        out.append(attrs.evolve(m, target_uri=uri, scheme_uri=s.uri, lang=s.lang))
    for i, g in enumerate(data.gaps):
        if g.scheme not in schemes:
            raise DataFileError(
                f"unknown scheme {g.scheme!r}", file=file, path=f"$.gaps[{i}].scheme"
            )
    return Crosswalk(schemes=data.schemes, mappings=tuple(out), gaps=data.gaps)


@cache
def load_crosswalk() -> Crosswalk:
    """The shipped crosswalk (``data/crosswalk.toml``), checked and cached."""
    raw, name = package_toml("gdsmodel.linked", "data", "crosswalk.toml")
    return _build(structure(raw, _File, file=name), name)


@attrs.frozen(slots=True, kw_only=True)
class Occupations:
    """The clauses whose words state a post's skills or qualifications."""

    format: str
    skills: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)
    qualifications: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)


@cache
def load_occupations() -> Occupations:
    """The shipped ``data/occupations.toml``.

    >>> load_occupations().skills["customer_service_head"]
    ('customer_service_head.duty.4', 'customer_service_head.duty.5')
    """
    raw, name = package_toml("gdsmodel.linked", "data", "occupations.toml")
    return structure(raw, Occupations, file=name)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def subject_names(std: Standard) -> dict[str, str]:
    """The Chinese name of every post and member role of a standard, by ID."""
    names = {p.id: p.name.zh for p in std.posts}
    names.update({r.id: r.name.zh for u in std.units for r in u.members})
    return names


def crosswalk_markdown(
    cw: Crosswalk | None = None, *, names: Mapping[str, str] | None = None
) -> str:
    """The crosswalk as Markdown tables (mappings, gaps, sources) for the docs.

    ``names`` gives a display name for each subject ID (post or role), e.g.
    :func:`subject_names`.

    >>> print(crosswalk_markdown().splitlines()[0])
    | Post 岗位 | Scheme 分类 | Code 代码 | Title 名称 | Kind 关系 | Confidence 置信度 | Note 说明 |
    """
    cw = cw or load_crosswalk()
    names = names or {}
    head = ["Post 岗位", "Scheme 分类", "Code 代码", "Title 名称", "Kind 关系"]
    head += ["Confidence 置信度", "Note 说明"]
    lines = ["| " + " | ".join(head) + " |", "|---" * len(head) + "|"]
    for m in cw.mappings:
        code = f"[{m.code}]({m.target_uri})" if m.target_uri else m.code
        subject = names.get(m.subject, m.subject)
        lines.append(
            f"| {_cell(subject)} (`{m.subject}`) | {m.scheme} | {code} | {_cell(m.title)} "
            f"| {m.kind} | {m.confidence} | {_cell(m.note)} |"
        )
    lines += ["", "Not mapped (no fitting code found in a source) 未映射:", ""]
    lines += ["| Post 岗位 | Scheme 分类 | Why 原因 |", "|---|---|---|"]
    for g in cw.gaps:
        subject = "every post 全部岗位" if g.subject == "*" else names.get(g.subject, g.subject)
        code = "" if g.subject == "*" else f" (`{g.subject}`)"
        lines.append(f"| {_cell(subject)}{code} | {g.scheme} | {_cell(g.note)} |")
    lines += ["", "Sources 来源:", ""]
    for s in cw.schemes:
        lines.append(f"* `{s.id}`: {s.title.zh} / {s.title.en}. {_cell(str(s.source))}. "
                     f"{_cell(s.source.note)}")  # fmt: skip
    return "\n".join(lines) + "\n"
