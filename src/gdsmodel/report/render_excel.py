"""The report as an Excel workbook: one sheet per part, numbers as numbers.

Needs openpyxl (the ``excel`` extra: ``pip install 'gdsmodel[excel]'``); it is imported
only when a workbook is written. Charts are left out (they are in the HTML report).
"""

from __future__ import annotations

import io
import re
from decimal import Decimal
from fractions import Fraction
from typing import Any

from gdsmodel.errors import GdsmodelError
from gdsmodel.report.layout import Cell, Chart, Document, Paragraph, Table
from gdsmodel.terminal import display_width, printable
from gdsmodel.text import Lang

__all__ = ["ExcelUnavailableError", "render_excel"]

_FILLS = {"good": "E3F1E7", "bad": "F8DEDE", "warn": "FDF0D5"}
_FONTS = {"good": "2E7D4F", "bad": "C23B3B", "warn": "A86B00", "muted": "777777"}


class ExcelUnavailableError(GdsmodelError):
    """openpyxl is not installed.

    >>> print(ExcelUnavailableError())
    Excel output needs openpyxl: pip install 'gdsmodel[excel]'
    """

    def __init__(self) -> None:
        super().__init__("Excel output needs openpyxl: pip install 'gdsmodel[excel]'")


def _sheet_name(text: str, taken: set[str]) -> str:
    name = re.sub(r"\s+", " ", re.sub(r"[\[\]:*?/\\]", " ", text)).strip()[:31] or "Sheet"
    base, n = name, 2
    while name in taken:
        suffix = f" {n}"
        name = base[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(name)
    return name


_FORMULA_START = ("=", "+", "-", "@")


def _text_cell(ws: Any, row: int, column: int, text: str) -> Any:
    """A cell that holds ``text`` as text, never as a formula: control characters are
    stripped, and text that starts like a formula (``= + - @``) is stored as a string with
    Excel's quote prefix, so Excel shows it and never evaluates it."""
    clean = printable(text)
    c = ws.cell(row=row, column=column, value=clean)
    if clean.startswith(_FORMULA_START):
        c.data_type = "s"
        c.quotePrefix = True
    return c


def _number(value: Fraction | Decimal | int) -> float | int:
    if isinstance(value, int):
        return value
    if isinstance(value, Fraction) and value.denominator == 1:
        return value.numerator
    return float(value)


def _format(c: Cell) -> str:
    if c.percent:
        places = max(c.places - 2, 0)
        return "0" + ("." + "0" * places if places else "") + "%"
    if isinstance(c.number, int) or (isinstance(c.number, Fraction) and c.number.denominator == 1):
        return "#,##0"
    return "#,##0." + "0" * max(c.places, 1)


def render_excel(doc: Document, lang: Lang = "zh") -> bytes:
    """The document as ``.xlsx`` bytes; raises :class:`ExcelUnavailableError` without openpyxl.

    >>> from gdsmodel.report.layout import Document, Paragraph, Section
    >>> from gdsmodel.text import Text
    >>> doc = Document(title=Text("报告", "Report"), subtitle=Text(""), sections=(
    ...     Section(id="k", title=Text("指标", "KPIs"), blocks=(Paragraph(Text("好", "good")),)),))
    >>> try:
    ...     data = render_excel(doc, "en")
    ... except ExcelUnavailableError:
    ...     data = b"PK (openpyxl missing)"
    >>> data[:2]
    b'PK'
    """
    try:
        import openpyxl  # type: ignore[import-untyped,unused-ignore]
        from openpyxl.styles import Alignment, Font, PatternFill  # type: ignore[import-untyped,unused-ignore]
    except ImportError:
        raise ExcelUnavailableError() from None
    wb: Any = openpyxl.Workbook()
    wb.remove(wb.active)
    taken: set[str] = set()
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="EEF2F6")
    for s_index, section in enumerate(doc.sections):
        ws = wb.create_sheet(_sheet_name(section.title.get(lang), taken))
        widths: dict[int, int] = {}
        r = 1
        if s_index == 0:
            _text_cell(ws, r, 1, doc.title.get(lang)).font = Font(bold=True, size=14)
            r += 2
        _text_cell(ws, r, 1, section.title.get(lang)).font = Font(bold=True, size=12)
        r += 2
        for block in section.blocks:
            if isinstance(block, Chart):
                continue
            if isinstance(block, Paragraph):
                cell = _text_cell(ws, r, 1, block.text.get(lang))
                if block.status in _FONTS:
                    cell.font = Font(color=_FONTS[block.status], bold=block.status == "bad")
                r += 2
                continue
            assert isinstance(block, Table)
            if block.title.zh:
                _text_cell(ws, r, 1, block.title.get(lang)).font = bold
                r += 1
            if block.rows:
                for j, h in enumerate(block.headers, start=1):
                    c = _text_cell(ws, r, j, h.get(lang))
                    c.font = bold
                    c.fill = head_fill
                    c.alignment = Alignment(wrap_text=True, vertical="top")
                    widths[j] = max(widths.get(j, 0), display_width(h.get(lang)))
                r += 1
                for row in block.rows:
                    for j, item in enumerate(row, start=1):
                        text = item.text.get(lang)
                        if item.number is not None:
                            c = ws.cell(row=r, column=j, value=_number(item.number))
                            c.number_format = _format(item)
                        else:
                            c = _text_cell(ws, r, j, text)
                        if item.status in _FILLS:
                            c.fill = PatternFill("solid", fgColor=_FILLS[item.status])
                        if item.status in _FONTS:
                            c.font = Font(color=_FONTS[item.status])
                        widths[j] = max(widths.get(j, 0), display_width(text))
                    r += 1
            if block.note.zh:
                _text_cell(ws, r, 1, block.note.get(lang)).font = Font(italic=True, color="777777")
                r += 1
            r += 1
        for j, w in widths.items():
            letter = openpyxl.utils.get_column_letter(j)
            ws.column_dimensions[letter].width = min(max(w + 2, 8), 60)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
