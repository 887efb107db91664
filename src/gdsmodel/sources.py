"""Provenance of domain facts: every constant carries its source and a confidence mark."""

from __future__ import annotations

import enum

import attrs

from gdsmodel import _show

__all__ = ["Confidence", "Source"]


class Confidence(enum.StrEnum):
    """How well a fact is supported.

    * ``H``: two or more sources agree, or the rule's own text was seen.
    * ``M``: one plausible source.
    * ``L``: weak or conflicting sources; a documented default that users can override.
    """

    H = "H"
    M = "M"
    L = "L"


@attrs.frozen(slots=True)
class Source:
    """Where a fact comes from.

    >>> s = Source("DL/T 1476-2015", edition="2015", clause="table 1")
    >>> str(s)
    'DL/T 1476-2015, table 1'
    """

    document: str
    edition: str = ""
    clause: str = ""
    note: str = ""

    def __repr__(self) -> str:
        return _show.short_repr(self)

    def __str__(self) -> str:
        parts = [self.document]
        if self.edition and self.edition not in self.document:
            parts.append(f"edition {self.edition}")
        if self.clause:
            parts.append(self.clause)
        return ", ".join(parts)
