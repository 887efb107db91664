"""The report as Markdown (GitHub-flavoured pipe tables).

>>> from gdsmodel.report.layout import Document, Section, Table, cell
>>> from gdsmodel.text import Text
>>> doc = Document(title=Text("报告", "Report"), subtitle=Text(""), sections=(
...     Section(id="k", title=Text("指标", "KPIs"), blocks=(
...         Table(headers=(Text("指标", "KPI"), Text("本月", "month")), numeric=(1,),
...               rows=((cell("a|b"), cell("6.20%")),)),)),))
>>> print(render_markdown(doc, "en"))
# Report
<BLANKLINE>
## KPIs
<BLANKLINE>
| KPI | month |
| --- | ---: |
| a\\|b | 6.20% |
<BLANKLINE>
"""

from __future__ import annotations

import io

from gdsmodel.report.layout import Chart, Document, Paragraph, Table
from gdsmodel.terminal import printable
from gdsmodel.text import Lang

__all__ = ["render_markdown"]


def _cell(text: str) -> str:
    clean = printable(text)
    return clean.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def render_markdown(doc: Document, lang: Lang = "zh") -> str:
    """The document as Markdown; charts are left out (they are in the HTML report).

    >>> from gdsmodel.report.compute import _demo_report
    >>> from gdsmodel.report.layout import build_document
    >>> render_markdown(build_document(_demo_report()), "en").splitlines()[0]
    '# Demo: monthly report, March 2026'
    """
    out = io.StringIO()
    print(f"# {doc.title.get(lang)}", file=out)
    if doc.subtitle.zh:
        print(f"\n_{doc.subtitle.get(lang)}_", file=out)
    for section in doc.sections:
        print(f"\n## {section.title.get(lang)}", file=out)
        for block in section.blocks:
            if isinstance(block, Chart):
                continue
            if isinstance(block, Paragraph):
                mark = {"bad": "**!** ", "warn": "**\\*** "}.get(block.status, "")
                print(f"\n{mark}{printable(block.text.get(lang))}", file=out)
                continue
            assert isinstance(block, Table)
            if block.title.zh:
                print(f"\n### {block.title.get(lang)}", file=out)
            if block.rows:
                print(file=out)
                print("| " + " | ".join(_cell(h.get(lang)) for h in block.headers) + " |", file=out)
                align = ["---:" if i in block.numeric else "---" for i in range(len(block.headers))]
                print("| " + " | ".join(align) + " |", file=out)
                for row in block.rows:
                    print("| " + " | ".join(_cell(c.text.get(lang)) for c in row) + " |", file=out)
            if block.note.zh:
                print(f"\n> {block.note.get(lang)}", file=out)
    return out.getvalue()
