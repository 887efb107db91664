"""Terminal layout: the display width of text (CJK characters take two columns), wrapping and
aligned tables. A low floor of the house, imported by the report's text renderer and by the
CLI alike (``gdsmodel.cli._output`` re-exports it); it knows nothing of KPIs or commands.

>>> print_table(["post", "name"], [["safety_officer", "安全员"]])
post            name
--------------  ------
safety_officer  安全员
"""

from __future__ import annotations

import re
import shutil
import sys
import unicodedata
from collections.abc import Sequence
from typing import TextIO

__all__ = ["clip", "display_width", "print_table", "printable", "wrap", "wrap_paragraph"]


def display_width(s: str) -> int:
    """Columns a string takes in a terminal: CJK characters take two.

    >>> display_width("安全员 ab")
    9
    """
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _pad(s: str, width: int) -> str:
    return s + " " * (width - display_width(s))


def print_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    out: TextIO | None = None,
    max_width: int | None = None,
) -> None:
    """Print rows as an aligned table; long cells in the last column wrap.

    >>> print_table(["id", "name"], [["director", "所长"], ["technician", "技术员"]])
    id          name
    ----------  ------
    director    所长
    technician  技术员
    """
    out = out or sys.stdout
    if max_width is None:
        max_width = max(80, shutil.get_terminal_size((100, 24)).columns)
    cells = [[str(c) for c in row] for row in rows]
    widths = [display_width(h) for h in headers]
    for row in cells:
        for i, c in enumerate(row[:-1]):
            widths[i] = max(widths[i], display_width(c))
    last = len(headers) - 1
    indent = sum(widths[:last]) + 2 * last
    room = max(20, max_width - indent)
    widths[last] = max(
        [display_width(headers[last])] + [min(display_width(r[last]), room) for r in cells]
    )
    print("  ".join(_pad(h, w) for h, w in zip(headers, widths, strict=True)).rstrip(), file=out)
    print("  ".join("-" * w for w in widths), file=out)
    for row in cells:
        head = "  ".join(_pad(c, w) for c, w in zip(row[:last], widths[:last], strict=True))
        lines = wrap(row[last], room)
        print(((head + "  ") if last else "") + lines[0], file=out)
        for more in lines[1:]:
            print(" " * indent + more, file=out)


def _tokens(s: str) -> list[str]:
    """Words (with their trailing space) and single wide characters: the units of wrapping."""
    out: list[str] = []
    word = ""
    for ch in s:
        if display_width(ch) == 2:
            if word:
                out.append(word)
                word = ""
            out.append(ch)
        else:
            word += ch
            if ch == " ":
                out.append(word)
                word = ""
    if word:
        out.append(word)
    return out


def wrap(s: str, width: int) -> list[str]:
    """Wrap at spaces and between wide characters; over-long words are cut.

    >>> wrap("abc def ghi", 8)
    ['abc def', 'ghi']
    >>> wrap("安全第一预防为主", 6)
    ['安全第', '一预防', '为主']
    """
    lines: list[str] = []
    cur = ""
    for tok in _tokens(s):
        while display_width(tok) > width:  # a word longer than the line
            room = width - display_width(cur)
            lines.append(cur + tok[:room]) if room > 0 else lines.append(cur)
            tok = tok[max(room, 0) :]
            cur = ""
        if display_width((cur + tok).rstrip()) > width:
            lines.append(cur.rstrip())
            cur = ""
        cur += tok
    lines.append(cur.rstrip())
    return lines


_TOKENS = re.compile(r"[\u2e80-\u9fff\uff00-\uffef]|[^\s\u2e80-\u9fff\uff00-\uffef]+\s*|\s+")


def wrap_paragraph(text: str, width: int) -> list[str]:
    """Wrap between words and between wide characters.

    >>> wrap_paragraph("安全第一 prevention first", 10)
    ['安全第一', 'prevention', 'first']
    """
    lines: list[str] = []
    cur = ""
    for tok in _TOKENS.findall(text):
        if cur and display_width((cur + tok).rstrip()) > width:
            lines.append(cur.rstrip())
            cur = tok.lstrip()
        else:
            cur += tok
    lines.append(cur.rstrip())
    return lines


def clip(text: str, limit: int) -> str:
    """Text cut to ``limit`` display columns, with an ellipsis when cut.

    >>> clip("安全第一,预防为主", 9)
    '安全第一…'
    """
    if display_width(text) <= limit:
        return text
    out = ""
    for ch in text:
        if display_width(out + ch) > limit - 1:
            break
        out += ch
    return out + "…"


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """Text without control characters (an ESC sequence from a data file would otherwise
    recolour or move the terminal's cursor, and Excel refuses them); tabs and line breaks
    stay.

    >>> printable("L1\x1b[31m red\x07")
    'L1[31m red'
    """
    return _CONTROL.sub("", text)
