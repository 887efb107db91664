"""Text normalisation used for comparing and searching Chinese text."""

from __future__ import annotations

import unicodedata

__all__ = ["fold", "nfkc"]


def nfkc(s: str) -> str:
    """Unicode NFKC: full-width punctuation and digits become their ASCII forms.

    >>> nfkc("达１００％，")
    '达100%,'
    """
    return unicodedata.normalize("NFKC", s)


def fold(s: str) -> str:
    """NFKC, then case-folded: the form used for search.

    >>> fold("RCD “三率”")
    'rcd "三率"'
    """
    return nfkc(s).casefold().replace("“", '"').replace("”", '"')
