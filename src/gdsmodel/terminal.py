"""Terminal layout: the display width of text (CJK characters take two columns), wrapping and
tables that fit the terminal. A low floor of the house, imported by the report's text renderer
and by the CLI alike (``gdsmodel.cli._output`` re-exports it); it knows nothing of KPIs or
commands.

Tables are laid out by `rich <https://rich.readthedocs.io>`_ (it measures East Asian widths
and wraps every column to fit); rich is imported only when a table is printed, so
``import gdsmodel`` stays light. The width is ``--width`` (:func:`set_width`), else
``COLUMNS``, else the terminal's, else 80. In a Chinese, Japanese or Korean locale, terminals
draw the East Asian "ambiguous" characters (``…``, ``≥``, the sparkline's blocks, curly
quotes) two columns wide; :func:`ambiguous_wide` says so and every width here counts them so
(``GDSMODEL_AMBIGUOUS_WIDE=1`` or ``0`` overrides the guess).

>>> print_table(["post", "name"], [["safety_officer", "安全员"]], max_width=80)
post            name
--------------- ------
safety_officer  安全员
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import sys
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from typing import TextIO

__all__ = [
    "ambiguous_wide",
    "clip",
    "display_width",
    "output_width",
    "print_table",
    "printable",
    "progress",
    "render_table",
    "set_width",
    "terminal_width",
    "use_color",
    "width_given",
    "wrap",
    "wrap_paragraph",
]

_WIDTH: list[int | None] = [None]  # the --width of the running command
_MIN_WIDTH = 20


def set_width(width: int | None) -> None:
    """Set the output width of the running command (``--width``); None: the terminal's.

    >>> set_width(72); output_width()
    72
    >>> set_width(None)
    """
    _WIDTH[0] = None if width is None else max(width, _MIN_WIDTH)


def width_given() -> bool:
    """Whether ``--width`` or ``COLUMNS`` sets the width (else the terminal does, if any).

    >>> import os
    >>> os.environ.pop("COLUMNS", None) and None; width_given()
    False
    """
    env = os.environ.get("COLUMNS", "")
    return _WIDTH[0] is not None or (env.isdigit() and int(env) > 0)


def _known_width(stream: TextIO) -> bool:
    return width_given() or terminal_width(stream) is not None


def output_width(stream: TextIO | None = None) -> int:
    """Columns available: ``--width``, else ``COLUMNS``, else the terminal's (that of stdout,
    or of stderr when stdout is piped, as in ``gdsmodel show x | less``), else 100.

    >>> import os
    >>> os.environ["COLUMNS"] = "90"; output_width()
    90
    >>> del os.environ["COLUMNS"]
    """
    if _WIDTH[0] is not None:
        return _WIDTH[0]
    env = os.environ.get("COLUMNS", "")
    if env.isdigit() and int(env) > 0:
        return max(int(env), _MIN_WIDTH)
    columns = terminal_width(stream)
    return _NO_TERMINAL if columns is None else max(columns, _MIN_WIDTH)


def terminal_width(stream: TextIO | None = None) -> int | None:
    """The width of the terminal the output reaches: that of ``stream`` (stdout), or of
    stderr when stdout is piped (``gdsmodel show x | less``); None without a terminal.

    >>> import io
    >>> terminal_width(io.StringIO()) is None or True
    True
    """
    for s in (stream or sys.stdout, sys.__stderr__):
        try:
            if s is not None and s.isatty():
                return os.get_terminal_size(s.fileno()).columns
        except (AttributeError, ValueError, OSError):
            continue
    return None


_NO_TERMINAL = 100  # the width of output that reaches no terminal (a file, a pipe, a test)


_CJK_LOCALE = re.compile(r"^(zh|ja|ko)([_.@-]|$)", re.IGNORECASE)


def ambiguous_wide() -> bool:
    """True in a Chinese, Japanese or Korean locale, where terminals draw the East Asian
    ambiguous characters (``…``, ``≥``, ``▁``) two columns wide.

    >>> import os
    >>> os.environ["GDSMODEL_AMBIGUOUS_WIDE"] = "1"; ambiguous_wide()
    True
    >>> del os.environ["GDSMODEL_AMBIGUOUS_WIDE"]
    """
    forced = os.environ.get("GDSMODEL_AMBIGUOUS_WIDE", "")
    if forced in ("0", "1"):
        return forced == "1"
    for name in ("LC_ALL", "LC_CTYPE", "LANG"):
        value = os.environ.get(name, "")
        if value:
            return bool(_CJK_LOCALE.match(value))
    return False


def _char_width(ch: str, wide_ambiguous: bool) -> int:
    kind = unicodedata.east_asian_width(ch)
    if kind in "WF" or (wide_ambiguous and kind == "A"):
        return 2
    if unicodedata.combining(ch) or ch in "\u200b\u200d\ufe0f":
        return 0
    return 1


def display_width(s: str, *, ambiguous: bool | None = None) -> int:
    """Columns a string takes in a terminal: CJK characters take two (and, in a CJK
    locale or with ``ambiguous=True``, the ambiguous ones too).

    >>> display_width("安全员 ab", ambiguous=False)
    9
    >>> display_width("≥99%", ambiguous=True), display_width("≥99%", ambiguous=False)
    (5, 4)
    """
    wide = ambiguous_wide() if ambiguous is None else ambiguous
    return sum(_char_width(ch, wide) for ch in s)


def use_color(stream: TextIO | None = None) -> bool:
    """Colour only on a terminal, and never when ``NO_COLOR`` is set.

    >>> import io
    >>> use_color(io.StringIO())
    False
    """
    stream = stream or sys.stdout
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


# Placeholders for the ambiguous characters while rich lays a table out in a CJK locale:
# Yi syllables are wide (rich counts two columns), and no station data is written in Yi.
_PLACEHOLDER_BASE = 0xA000
_PLACEHOLDER_COUNT = 1165

_COMMA_LIST = re.compile(r",(?=[A-Za-z_])")  # "periodic,annual" may wrap after its comma

_STYLES = {"good": "green", "bad": "bold red", "warn": "yellow", "muted": "dim"}


def render_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    width: int | None = None,
    numeric: Sequence[int] = (),
    styles: Sequence[Sequence[str]] | None = None,
    color: bool = False,
) -> str:
    """Rows as a table ``width`` columns wide at most: every column wraps (at spaces and
    between CJK characters), numeric columns align right, trailing spaces are cut.
    ``styles`` gives each cell a status (``good``, ``bad``, ``warn``, ``muted``), coloured
    only with ``color``.

    >>> print(render_table(["id", "text"], [["a", "安全第一 预防为主 综合治理"]], width=20))
    id  text
    --- ----------------
    a   安全第一
        预防为主
        综合治理
    """
    from rich.box import Box
    from rich.console import Console
    from rich.table import Table as RichTable
    from rich.text import Text as RichText

    width = width if width is not None else output_width()
    wide = ambiguous_wide()
    back: dict[str, str] = {}
    there: dict[str, str] = {}

    def guard(text: str) -> str:
        if not wide:
            return text
        out = []
        for ch in text:
            if unicodedata.east_asian_width(ch) == "A" and ch.isprintable() and ch != " ":
                if ch not in there and len(there) < _PLACEHOLDER_COUNT:
                    ph = chr(_PLACEHOLDER_BASE + len(there))
                    there[ch], back[ph] = ph, ch
                out.append(there.get(ch, "?"))
            else:
                out.append(ch)
        return "".join(out)

    box = Box("    \n    \n -  \n    \n    \n    \n    \n    \n", ascii=True)
    table = RichTable(
        box=box,
        show_edge=False,
        pad_edge=False,
        padding=(0, 1, 0, 0),
        header_style="bold" if color else "",
        expand=False,
    )
    head = [guard(printable(str(h))) for h in headers]
    body = [[guard(_COMMA_LIST.sub(", ", printable(str(c)))) for c in row] for row in rows]
    widths = _column_widths([head, *body], max(width, _MIN_WIDTH) - 2 * (len(head) - 1))
    for j, h in enumerate(head):
        table.add_column(
            h,
            overflow="fold",
            justify="right" if j in numeric else "left",
            width=widths[j],
        )
    body = [[_wrap_cell(c, widths[j]) for j, c in enumerate(row)] for row in body]
    for i, row in enumerate(body):
        cells = []
        for j, c in enumerate(row):
            style = styles[i][j] if styles is not None and color else ""
            cells.append(RichText(c, style=_STYLES.get(style, "")))
        table.add_row(*cells)
    buf = io.StringIO()
    console = Console(
        file=buf,
        width=max(width, _MIN_WIDTH),
        color_system="standard" if color else None,
        force_terminal=color,
        highlight=False,
        markup=False,
        emoji=False,
        legacy_windows=False,
        no_color=not color,
        soft_wrap=False,
    )
    console.print(table)
    lines = [line.rstrip() for line in buf.getvalue().splitlines()]
    text = "\n".join(lines)
    if back:
        text = "".join(back.get(ch, ch) for ch in text)
    return text


_SHORT = 12  # a column whose cells are all this short is given its whole width first
# After these a line of Chinese text breaks best (and never before them).
_BREAK_AFTER = set(",。、;:!?”’)」』】》,;:!?)")
_NO_BREAK_BEFORE = set(",。、;:!?”’)」』】》,.;:!?)%")
_LOOK_BACK = 10  # columns a line may end early to break after punctuation


def _wrap_cell(text: str, width: int) -> str:
    """A cell's text broken into lines of ``width`` columns: at spaces, between CJK
    characters (after punctuation when one is near the end of the line, never before one);
    a word longer than the line is cut.

    >>> print(_wrap_cell("坏的封修、缺的补齐”的32字原则,认真做好", 12))
    坏的封修、
    缺的补齐”
    的32字原则,
    认真做好
    """
    from rich.cells import cell_len

    if width < 2:
        return text
    out: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for tok in _TOKENS.findall(paragraph):
            if cell_len((line + tok).rstrip()) <= width:
                line += tok
                continue
            if tok[0] in _NO_BREAK_BEFORE and line:  # keep punctuation on its line's end
                line, tok = line[:-1], line[-1] + tok
            cut = _break_at(line, width)
            if cut and cell_len(line[cut:] + tok) <= width:
                out.append(line[:cut].rstrip())
                line = line[cut:].lstrip() + tok
            else:
                if line.strip():
                    out.append(line.rstrip())
                line = tok.lstrip()
            while cell_len(line.rstrip()) > width:  # a word longer than the line
                piece = ""
                for ch in line:
                    if cell_len(piece + ch) > width:
                        break
                    piece += ch
                out.append(piece)
                line = line[len(piece) :]
        out.append(line.rstrip())
    return "\n".join(out)


def _break_at(line: str, width: int) -> int:
    """Where to break ``line`` early: after punctuation or a space in its last columns; 0
    for nowhere."""
    from rich.cells import cell_len

    for i in range(len(line) - 1, 0, -1):
        if cell_len(line[i:]) > _LOOK_BACK:
            break
        if (line[i - 1] in _BREAK_AFTER or line[i - 1] == " ") and line[i] not in _NO_BREAK_BEFORE:
            return i
    return 0


_WORD_CAP = 28  # a longer word (an ID fits) may be folded rather than widen its column


def _column_widths(table: Sequence[Sequence[str]], room: int) -> list[int]:
    """Widths that fit ``room``: every column gets its longest word (up to 28 columns) and
    the rest of the room goes to the columns in proportion to what they still lack.

    >>> _column_widths([["id", "text"], ["a", "a long sentence of words"]], 20)
    [2, 18]
    """
    from rich.cells import cell_len

    n = len(table[0]) if table else 0
    longest = [0] * n
    word = [1] * n
    prose = [False] * n  # a column with words: its long words fold before an ID column's
    for i, row in enumerate(table):
        for j, text in enumerate(row[:n]):
            for line in text.splitlines() or [""]:
                # a header may wrap at its spaces: it asks for its longest word only
                size = cell_len(line) if i > 0 else max(map(cell_len, line.split() or [""]))
                longest[j] = max(longest[j], size)
                prose[j] = prose[j] or (i > 0 and " " in line.strip())  # the body, not headers
                for w in line.split():
                    # CJK text breaks between any two characters
                    size = 2 if any(_char_width(ch, False) == 2 for ch in w) else cell_len(w)
                    word[j] = max(word[j], min(size, _WORD_CAP))
    longest = [max(x, 1) for x in longest]
    if sum(longest) <= room:
        return longest
    mins = [min(w, x) for w, x in zip(word, longest, strict=True)]
    # Not even the words fit: fold the longest words, those of prose first, then those of
    # every column but the first (the row's ID or name), then any.
    phases = (([j for j in range(n) if prose[j]], 8), (list(range(1, n)), 8), (range(n), 1))
    for columns, floor in phases:
        cap = _WORD_CAP
        while sum(mins) > room and cap > floor:
            cap -= 1
            mins = [min(m, cap) if j in columns else m for j, m in enumerate(mins)]
    if sum(mins) >= room:
        return mins
    full = [min(w, x) for w, x in zip(word, longest, strict=True)]
    for j in sorted(range(n), key=lambda j: full[j] - mins[j]):  # short words whole first
        give = min(full[j] - mins[j], room - sum(mins))
        mins[j] += give
    for j in sorted(range(n), key=lambda j: longest[j]):  # short cells (figures) unbroken
        if longest[j] <= _SHORT and sum(mins) - mins[j] + longest[j] <= room:
            mins[j] = longest[j]
    extra = room - sum(mins)
    lack = [x - m for x, m in zip(longest, mins, strict=True)]
    weight = [min(k, 40) for k in lack]  # by what each lacks, a long text no more than 40
    total = sum(weight)
    if total == 0:
        return mins
    out = [min(m + (extra * w // total), x) for m, w, x in zip(mins, weight, longest, strict=True)]
    left = room - sum(out)
    for j in sorted(range(n), key=lambda j: lack[j] - (out[j] - mins[j]), reverse=True):
        if left <= 0:
            break
        if out[j] < longest[j]:
            out[j] += 1
            left -= 1
    return out


def print_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    out: TextIO | None = None,
    max_width: int | None = None,
    numeric: Sequence[int] = (),
    styles: Sequence[Sequence[str]] | None = None,
) -> None:
    """Print rows as a table that fits the terminal (or ``max_width``): every column wraps.

    >>> print_table(["id", "name"], [["director", "所长"], ["technician", "技术员"]])
    id          name
    ----------- ------
    director    所长
    technician  技术员
    """
    out = out or sys.stdout
    width = output_width(out)  # max_width narrows it, never widens it past the terminal
    if max_width is not None and (max_width < width or not _known_width(out)):
        width = max_width
    text = render_table(
        headers, rows, width=width, numeric=numeric, styles=styles, color=use_color(out)
    )
    print(text, file=out)


@contextlib.contextmanager
def progress(what: str, *, stream: TextIO | None = None) -> Iterator[Callable[[str], None]]:
    """Show a spinner with the current step on a terminal (stderr); nothing when piped.

    Yields a function that names the step being worked on.

    >>> with progress("reading", stream=io.StringIO()) as step:
    ...     step("staff.csv")
    """
    stream = stream or sys.stderr
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError, OSError):
        tty = False
    if not tty:
        yield lambda _step: None
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    console = Console(file=stream, highlight=False, markup=False, emoji=False)
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}", markup=False),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task(what, total=None)

        def step(name: str) -> None:
            bar.update(task, description=f"{what}: {name}")

        yield step


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
