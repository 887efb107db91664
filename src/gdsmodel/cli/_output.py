"""Output helpers shared by the commands: readable tables for people (from
:mod:`gdsmodel.terminal`), JSON for programs, and :class:`FittingStream`, which keeps every
line a command prints for people within the terminal's width."""

from __future__ import annotations

import json
import sys
from typing import Any, TextIO

from gdsmodel.terminal import display_width, output_width, print_table, wrap_paragraph

__all__ = ["FittingStream", "display_width", "print_json", "print_table"]


def print_json(data: Any, *, out: TextIO | None = None) -> None:
    """Print data as indented UTF-8 JSON (Chinese stays readable)."""
    json.dump(data, out or sys.stdout, ensure_ascii=False, indent=2)
    print(file=out or sys.stdout)


class FittingStream:
    """A text stream that wraps the lines written to it at ``width`` display columns (at
    spaces and between CJK characters; a word longer than the line is cut), indenting the
    continuation under the line's own indent. Lines that fit, and lines with colour codes
    (tables rich laid out already), pass unchanged.

    >>> import io
    >>> out = io.StringIO()
    >>> s = FittingStream(out, 20)
    >>> _ = s.write("  wrote one report and two workbooks\\nok\\n")
    >>> print(out.getvalue(), end="")
      wrote one report
        and two
        workbooks
    ok
    """

    def __init__(self, stream: TextIO, width: int | None = None) -> None:
        self._stream = stream
        self._width = width if width is not None else output_width(stream)
        self._pending = ""

    def write(self, text: str) -> int:
        self._pending += text
        if "\n" in self._pending:
            *lines, self._pending = self._pending.split("\n")
            self._stream.write("".join(self._fit(line) + "\n" for line in lines))
        return len(text)

    def _fit(self, line: str) -> str:
        if "\x1b[" in line or display_width(line) <= self._width:
            return line
        indent = line[: len(line) - len(line.lstrip(" "))]
        more = indent + "  "
        text = line.strip()
        first = wrap_paragraph(text, max(self._width - display_width(indent), 10))[0]
        out = [indent + first]
        tail = text[len(first) :].lstrip()
        if tail:
            room = max(self._width - display_width(more), 10)
            out += [more + part for part in wrap_paragraph(tail, room)]
        return "\n".join(_cut_first(out, self._width))

    def flush(self) -> None:
        if self._pending:
            self._stream.write(self._fit(self._pending))
            self._pending = ""
        self._stream.flush()

    def __getattr__(self, name: str) -> Any:  # isatty, fileno, buffer, encoding ...
        return getattr(self._stream, name)


def _cut(lines: list[str], width: int) -> list[str]:
    """Lines with any word longer than ``width`` cut into pieces (wrap_paragraph keeps words)."""
    out: list[str] = []
    for line in lines:
        while display_width(line) > width:
            piece = ""
            for ch in line:
                if display_width(piece + ch) > width:
                    break
                piece += ch
            out.append(piece)
            line = line[len(piece) :]
        out.append(line)
    return out


def _cut_first(lines: list[str], width: int) -> list[str]:
    out: list[str] = []
    for line in lines:
        out += _cut([line], width)
    return out
