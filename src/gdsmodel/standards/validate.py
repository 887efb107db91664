"""Cross-reference checks of a whole standard.

Every glossary term and regulation a clause cites must exist, every related party must
be a post, a unit or a known external party, and heads, units and reporting lines must
point at each other consistently.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from gdsmodel.roles.model import Clause, Post, Station, Unit
from gdsmodel.standards.glossary import Glossary


class CheckedStandard(Protocol):
    """What the checks read of a standard (:class:`gdsmodel.standards.standard.Standard`
    is one); a protocol, so that the standard can run the checks without an import cycle."""

    @property
    def glossary(self) -> Glossary:
        """The glossary the clauses cite."""
        ...  # pragma: no cover

    @property
    def posts(self) -> tuple[Post, ...]:
        """Every post."""
        ...  # pragma: no cover

    @property
    def units(self) -> tuple[Unit, ...]:
        """Every unit."""
        ...  # pragma: no cover

    @property
    def station(self) -> Station:
        """The organisation and its sections."""
        ...  # pragma: no cover

    def clauses(self, owner: str | None = None) -> Iterator[Clause]:
        """Every clause in source order."""
        ...  # pragma: no cover

    def unit(self, unit_id: str) -> Unit:
        """The unit with this ID."""
        ...  # pragma: no cover


__all__ = ["CheckedStandard", "check_standard", "problems"]


def problems(std: CheckedStandard) -> list[str]:
    """Every broken reference of ``std``, as ``where: what`` lines (empty when valid)."""
    out: list[str] = []
    terms = {t.id for t in std.glossary.terms}
    regulations = {r.id for r in std.glossary.regulations}
    posts = {p.id for p in std.posts}
    units = {u.id for u in std.units}
    parties = posts | units | {p.id for p in std.glossary.parties}

    for clause in std.clauses():
        for t in clause.terms:
            if t not in terms:
                out.append(f"{clause.id}: unknown glossary term {t!r}")
        for r in clause.regulations:
            if r not in regulations:
                out.append(f"{clause.id}: unknown regulation {r!r}")
        for rel in clause.relations:
            if rel.party not in parties:
                out.append(f"{clause.id}: relation to unknown party {rel.party!r}")
        for target in clause.targets:
            if target.quote not in clause.text.zh:
                out.append(f"{clause.id}: target quote {target.quote!r} is not in the text")
        for err in clause.errata:
            if err.written not in clause.text.zh:
                out.append(f"{clause.id}: erratum {err.written!r} is not in the text")
        if not clause.text.zh.strip():
            out.append(f"{clause.id}: empty Chinese text")

    for post in std.posts:
        if post.reports_to is not None and post.reports_to not in posts:
            out.append(f"{post.id}: reports_to unknown post {post.reports_to!r}")
        if post.heads is not None:
            if post.heads not in units:
                out.append(f"{post.id}: heads unknown unit {post.heads!r}")
            elif std.unit(post.heads).head != post.id:
                out.append(f"{post.id}: heads {post.heads!r}, whose head is another post")
        if post.standards and post.standards_heading is None:
            out.append(f"{post.id}: has work standards but no standards_heading")
    for unit in std.units:
        if unit.head not in posts:
            out.append(f"{unit.id}: head is unknown post {unit.head!r}")
        if unit.reports_to is not None and unit.reports_to not in posts:
            out.append(f"{unit.id}: reports_to unknown post {unit.reports_to!r}")
    for section in std.station.sections:
        for i in (*section.posts, *section.units):
            if i not in posts | units:
                out.append(f"section {section.number}: unknown post or unit {i!r}")
    return out


def check_standard(std: CheckedStandard) -> None:
    """Raise ``ValueError`` listing the broken references of ``std``, if any."""
    found = problems(std)
    if found:
        more = f" (and {len(found) - 5} more)" if len(found) > 5 else ""
        raise ValueError("; ".join(found[:5]) + more)
