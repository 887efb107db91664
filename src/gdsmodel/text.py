"""Bilingual text: Chinese is authoritative, English is a faithful translation."""

from __future__ import annotations

from typing import Literal

import attrs

__all__ = ["Lang", "Text"]

Lang = Literal["zh", "en", "both"]


def _cut(s: str, n: int = 100) -> str:
    shown = repr(s)
    return shown if len(shown) <= n else shown[: n - 2] + "…" + shown[-1]


@attrs.frozen(slots=True)
class Text:
    """A human-facing string in Chinese and English.

    The Chinese text is authoritative; the English is a translation of it.

    >>> t = Text(zh="安全员", en="Safety officer")
    >>> t.get("zh"), t.get("en")
    ('安全员', 'Safety officer')
    >>> t.get("both")
    '安全员 / Safety officer'
    >>> str(t)
    '安全员'
    """

    zh: str
    en: str = ""

    def get(self, lang: Lang = "zh") -> str:
        """The text in one language, or both joined with ``" / "``."""
        if lang == "zh":
            return self.zh
        if lang == "en":
            return self.en or self.zh
        return f"{self.zh} / {self.en}" if self.en else self.zh

    def __repr__(self) -> str:
        """``Text(zh=..., en=...)``, each part cut to 100 characters: a long clause shows short.

        >>> len(repr(Text("长" * 500, "long " * 100)))
        214
        """
        return f"Text(zh={_cut(self.zh)}, en={_cut(self.en)})"

    def __str__(self) -> str:
        return self.zh

    def contains(self, needle: str) -> bool:
        """Case-insensitive search in both languages (NFKC-normalised).

        >>> Text("两票合格率达100%", "two-ticket pass rate 100%").contains("TICKET")
        True
        """
        from gdsmodel._textnorm import fold

        n = fold(needle)
        return n in fold(self.zh) or n in fold(self.en)
