"""The report as plain text for the terminal: headings and aligned tables.

CJK characters count as two columns, so tables stay aligned in a terminal. Charts are
left out (they are in the HTML report); the trend table shows a sparkline per KPI. In
both languages, a table's row labels are shown in Chinese and their English in a last
column.

>>> from gdsmodel.report.layout import Document, Paragraph, Section, Table, cell
>>> from gdsmodel.text import Text
>>> doc = Document(title=Text("报告", "Report"), subtitle=Text(""), sections=(
...     Section(id="k", title=Text("指标", "KPIs"), blocks=(
...         Table(headers=(Text("指标", "KPI"), Text("本月", "month")),
...               rows=((cell(Text("线损率", "loss")), cell("6.20%")),)),)),))
>>> print(render_text(doc, "en"))
Report
======
<BLANKLINE>
KPIs
----
KPI   month
----- -----
loss  6.20%
<BLANKLINE>
"""

from __future__ import annotations

import io

from gdsmodel.report.layout import Chart, Document, Paragraph, Table
from gdsmodel.terminal import clip, display_width, printable, render_table, wrap_paragraph
from gdsmodel.text import Lang

__all__ = ["render_text"]


def render_text(
    doc: Document,
    lang: Lang = "zh",
    *,
    width: int = 120,
    cell_width: int = 72,
    color: bool = False,
) -> str:
    """The document as text, ``width`` columns wide at most (every column of a table wraps);
    cells longer than ``cell_width`` columns are cut with an ellipsis. With ``color`` (a
    terminal), verdicts and real changes are coloured; numbers align right.

    >>> from gdsmodel.report.compute import _demo_report
    >>> from gdsmodel.report.layout import build_document
    >>> text = render_text(build_document(_demo_report()), "zh")
    >>> text.splitlines()[0], "供电可靠率 RS-3" in text
    ('演示 2026年3月工作报告', True)
    """
    out = io.StringIO()
    title = printable(doc.title.get(lang))
    print(title, file=out)
    print("=" * display_width(title), file=out)
    if doc.subtitle.zh:
        print(doc.subtitle.get(lang), file=out)
    for section in doc.sections:
        heading = section.title.get(lang)
        print(file=out)
        print(heading, file=out)
        print("-" * display_width(heading), file=out)
        for block in section.blocks:
            if isinstance(block, Chart):
                continue
            if isinstance(block, Paragraph):
                mark = {"bad": "! ", "warn": "* "}.get(block.status, "")
                for line in wrap_paragraph(mark + printable(block.text.get(lang)), width):
                    print(line, file=out)
                continue
            assert isinstance(block, Table)
            if block.title.zh:
                print(file=out)
                print(f"[{block.title.get(lang)}]", file=out)
            if block.rows:
                headers = [h.get(lang) for h in block.headers]
                rows = [
                    [clip(printable(c.text.get(lang)), cell_width) for c in row]
                    for row in block.rows
                ]
                if lang == "both" and any(row[0].text.en for row in block.rows):
                    # the row labels in Chinese first, their English in a last column that wraps
                    rows = [
                        [printable(row[0].text.zh), *r[1:], printable(row[0].text.en)]
                        for row, r in zip(block.rows, rows, strict=True)
                    ]
                    headers = [block.headers[0].zh, *headers[1:], "English"]
                styles = [[c.status for c in row] for row in block.rows]
                if lang == "both" and len(headers) > len(block.headers):
                    styles = [[*st, ""] for st in styles]
                out.write(
                    render_table(
                        headers,
                        rows,
                        width=width,
                        numeric=block.numeric,
                        styles=styles,
                        color=color,
                    )
                    + "\n"
                )
            if block.note.zh:
                for line in wrap_paragraph(block.note.get(lang), width):
                    print(line, file=out)
    return out.getvalue()
