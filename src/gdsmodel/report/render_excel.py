"""The report as an Excel workbook staff can work in: one Excel table per sheet, with
filters and a frozen header row, figures as numbers with number formats.

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
from gdsmodel.report.layout import Cell, Document, Paragraph, Table
from gdsmodel.terminal import display_width, printable
from gdsmodel.text import Lang, Text

__all__ = ["ExcelUnavailableError", "figure", "render_excel"]

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


# A figure written as text by a section ("≥ 99.80%", "+0.12 pp", "1,234 kWh", "0.96"): the
# workbook stores the number and shows the rest with a number format.
_FIGURE = re.compile(
    r"^(?P<op>[≥≤<>]=?\s?)?(?P<num>[+±-]?\d[\d,]*(?:\.(?P<dec>\d+))?)\s?"
    r"(?P<unit>%|pp|kWh|kvarh|元|yuan|min|h|小时|分钟)?$"
)
_UNITS = {"kWh": " kWh", "kvarh": " kvarh", "元": " 元", "yuan": " 元", "min": " min",
          "h": " h", "小时": " 小时", "分钟": " 分钟"}  # fmt: skip


def _quoted(text: str) -> str:
    return '"' + text.replace('"', "") + '"' if text else ""


def figure(text: str) -> tuple[float | int, str] | None:
    """The number in a cell's text and the Excel number format that shows it as written;
    None when the text is not one figure.

    >>> figure("≥ 99.80%")
    (0.998, '"≥ "0.00%')
    >>> figure("+0.12 pp")
    (0.12, '+0.00" pp";-0.00" pp";0.00" pp"')
    >>> figure("±0 pp")
    (0, '+0" pp";-0" pp";0" pp"')
    >>> figure("1,234 kWh"), figure("L01"), figure("2026-03-31")
    ((1234, '#,##0" kWh"'), None, None)
    """
    m = _FIGURE.match(text.strip())
    if m is None:
        return None
    digits = m["num"].replace(",", "").replace("±", "")  # ±0: no change
    places = len(m["dec"] or "")
    value: float | int = float(digits) if places else int(digits)
    unit = m["unit"] or ""
    body = "0" + ("." + "0" * places if places else "")
    if (unit != "%" and "," in m["num"]) or (unit in _UNITS and not places):
        body = "#,##" + body
    op = _quoted((m["op"] or "").strip() + " ") if m["op"] else ""
    if unit == "%":
        return float(Decimal(digits) / 100), op + body + "%"
    if unit == "pp":
        return value, f'+{body}" pp";-{body}" pp";{body}" pp"'
    suffix = _quoted(_UNITS.get(unit, ""))
    if m["num"].startswith(("+", "±")):
        return value, f"+{body}{suffix};-{body}{suffix};{body}{suffix}"
    return value, op + body + suffix


def _unique(names: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for i, name in enumerate(names):
        base = name.strip() or f"column {i + 1}"
        name, n = base, 2
        while name in seen:
            name, n = f"{base} {n}", n + 1
        seen.add(name)
        out.append(name)
    return out


_GAP = Text("差距", "missed by")
_WRAP_AT = 40  # display columns of text beyond which a cell wraps


def render_excel(doc: Document, lang: Lang = "zh") -> bytes:
    """The document as ``.xlsx`` bytes; raises :class:`ExcelUnavailableError` without openpyxl.

    One table per sheet, each a real Excel table (with filters) under a frozen header row;
    every figure is a number with a number format (percent, percentage points, kWh, yuan);
    a verdict's word and the gap of a missed target have their own columns, and missed
    targets are highlighted by conditional formatting. Paragraphs and notes are listed on a
    last sheet. The first table of a part is named after the part.

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
        from openpyxl.formatting.rule import FormulaRule  # type: ignore[import-untyped,unused-ignore]
        from openpyxl.styles import Alignment, Font, PatternFill  # type: ignore[import-untyped,unused-ignore]
        from openpyxl.utils import get_column_letter  # type: ignore[import-untyped,unused-ignore]
        from openpyxl.worksheet.table import Table as XlTable  # type: ignore[import-untyped,unused-ignore]
        from openpyxl.worksheet.table import TableStyleInfo  # type: ignore[import-untyped,unused-ignore]
    except ImportError:
        raise ExcelUnavailableError() from None
    wb: Any = openpyxl.Workbook()
    wb.remove(wb.active)
    taken: set[str] = set()
    top = Alignment(vertical="top")
    wrap = Alignment(wrap_text=True, vertical="top")
    missed_fill = PatternFill("solid", fgColor=_FILLS["bad"])
    missed_font = Font(color=_FONTS["bad"], bold=True)
    notes: list[tuple[str, str, str]] = []  # (part, note, status)
    n_tables = 0

    def sheet(name: str, headers: list[str], rows: list[list[tuple[Any, str, str]]]) -> Any:
        """A sheet holding one Excel table; a row is (value, number format, status) cells."""
        nonlocal n_tables
        ws = wb.create_sheet(_sheet_name(name, taken))
        headers = _unique(headers)
        widths = [display_width(h) for h in headers]
        for j, h in enumerate(headers, start=1):
            _text_cell(ws, 1, j, h).alignment = wrap
        for i, row in enumerate(rows, start=2):
            for j, (value, fmt, status) in enumerate(row, start=1):
                if value is None:
                    continue
                if isinstance(value, str):
                    c = _text_cell(ws, i, j, value)
                    c.alignment = wrap if display_width(value) > _WRAP_AT else top
                    widths[j - 1] = max(widths[j - 1], min(display_width(value), 60))
                else:
                    c = ws.cell(row=i, column=j, value=value)
                    c.number_format = fmt
                    c.alignment = top
                    widths[j - 1] = max(widths[j - 1], len(fmt.strip('"')) // 2 + 6)
                if status in _FILLS:
                    c.fill = PatternFill("solid", fgColor=_FILLS[status])
                if status in _FONTS:
                    c.font = Font(color=_FONTS[status], bold=status == "bad")
        last = get_column_letter(len(headers))
        n_tables += 1
        table = XlTable(displayName=f"T{n_tables}", ref=f"A1:{last}{max(len(rows), 1) + 1}")
        table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
        ws.add_table(table)
        ws.freeze_panes = "B2" if len(headers) > 2 else "A2"
        for j, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(j)].width = min(max(w + 2, 8), 60)
        return ws

    for section in doc.sections:
        part = section.title.get(lang)
        tables = [b for b in section.blocks if isinstance(b, Table)]
        for block in section.blocks:
            if isinstance(block, Paragraph):
                notes.append((part, block.text.get(lang), block.status))
        for k, table in enumerate(tables):
            name = part if k == 0 else (table.title.get(lang) or f"{part} {k + 1}")
            if table.note.zh:
                where = f"{part}: {table.title.get(lang)}" if table.title.zh else part
                notes.append((where, table.note.get(lang), ""))
            verdicts = {j for row in table.rows for j, c in enumerate(row) if c.short.zh or c.gap}
            headers: list[str] = []
            for j, h in enumerate(table.headers):
                headers.append(h.get(lang))
                if j in verdicts:
                    headers.append(_GAP.get(lang))
            rows: list[list[tuple[Any, str, str]]] = []
            for row in table.rows:
                out: list[tuple[Any, str, str]] = []
                for j, item in enumerate(row):
                    text = item.text.get(lang)
                    if j in verdicts:
                        out.append((item.short.get(lang) or text, "", item.status))
                        if item.gap is None:
                            out.append((None, "", ""))
                        elif item.percent:
                            out.append((float(item.gap * 100), '0.00" pp"', "bad"))
                        else:
                            out.append((float(item.gap), "0.00", "bad"))
                        continue
                    if item.number is not None:
                        out.append((_number(item.number), _format(item), item.status))
                        continue
                    found = figure(text)
                    if found is not None:
                        out.append((found[0], found[1], item.status))
                    else:
                        out.append((text if text not in ("", "-", "—") else None, "", item.status))
                rows.append(out)
            if not rows:
                none = table.note.get(lang) or ("无" if lang == "zh" else "none")
                rows = [[(none, "", "muted")] + [(None, "", "")] * (len(headers) - 1)]
            ws = sheet(name, headers, rows)
            gaps = [j for j, h in enumerate(headers) if h == _GAP.get(lang)]
            if gaps and table.rows:
                col = get_column_letter(gaps[0] + 1)
                area = f"A2:{get_column_letter(len(headers))}{len(rows) + 1}"
                ws.conditional_formatting.add(
                    area,
                    FormulaRule(formula=[f"${col}2>0"], fill=missed_fill, font=missed_font),
                )
        if not tables and not any(isinstance(b, Paragraph) for b in section.blocks):
            notes.append((part, "-", "muted"))
    title = doc.title.get(lang)
    note_rows = [[(title, "", ""), (doc.subtitle.get(lang) or None, "", "")]]
    note_rows += [[(p, "", ""), (t, "", st)] for p, t, st in notes]
    sheet(
        Text("说明", "Notes").get(lang),
        [Text("部分", "part").get(lang), Text("说明", "note").get(lang)],
        note_rows,
    )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
