"""The report as ONE self-contained HTML page: inline CSS, inline SVG charts, no scripts,
no fonts, images or links to anything outside the page.

>>> from gdsmodel.report.layout import Document, Paragraph, Section
>>> from gdsmodel.text import Text
>>> doc = Document(title=Text("报告", "Report"), subtitle=Text(""), sections=(
...     Section(id="k", title=Text("指标", "KPIs"), blocks=(Paragraph(Text("好", "good")),)),))
>>> page = render_html(doc, "both")
>>> page.startswith("<!DOCTYPE html>") and '<span class="en">KPIs</span>' in page
True
>>> "http" in page
False
"""

from __future__ import annotations

from html import escape

from gdsmodel.report.charts import render_svg
from gdsmodel.report.layout import Block, Cell, Chart, Document, Paragraph, Table
from gdsmodel.terminal import printable
from gdsmodel.text import Lang, Text

__all__ = ["render_html"]

_CSS = """
:root { --bad: #c23b3b; --good: #2e7d4f; --warn: #a86b00; --muted: #777; --line: #dde1e6; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei",
  sans-serif; margin: 0; color: #222; background: #f6f7f9; line-height: 1.45; }
header { background: #1f4e79; color: #fff; padding: 18px 28px; }
header h1 { margin: 0 0 4px; font-size: 1.5em; }
header p { margin: 0; opacity: .85; }
nav { display: flex; flex-wrap: wrap; gap: 6px 14px; padding: 10px 28px; background: #fff;
  border-bottom: 1px solid var(--line); position: sticky; top: 0; z-index: 1; }
nav a { color: #1f4e79; text-decoration: none; font-size: .92em; }
main { padding: 8px 28px 40px; max-width: 1400px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 6px; margin: 18px 0;
  padding: 6px 18px 16px; }
h2 { font-size: 1.25em; border-bottom: 2px solid #1f4e79; padding-bottom: 4px; }
h3 { font-size: 1.02em; margin: 18px 0 6px; }
table { border-collapse: collapse; margin: 6px 0; font-size: .9em; }
.scroll { overflow-x: auto; max-width: 100%; }
th, td { border: 1px solid var(--line); padding: 4px 8px; vertical-align: top; text-align: left; }
th { background: #eef2f6; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.good { color: var(--good); } .bad { color: var(--bad); font-weight: 600; }
.warn { color: var(--warn); } .muted { color: var(--muted); }
p.bad, p.warn { font-weight: 600; }
.en { display: block; color: #667; font-size: .85em; font-weight: normal; }
header .en { color: #dfe8f1; }
.note { color: var(--muted); font-size: .88em; margin: 2px 0 10px; }
.charts { display: flex; flex-wrap: wrap; gap: 12px; }
figure { margin: 6px 0; background: #fff; border: 1px solid var(--line); border-radius: 4px;
  padding: 4px; }
figure svg { display: block; max-width: 100%; height: auto; }
footer { color: var(--muted); font-size: .85em; padding: 0 28px 24px; }
@media print { nav { display: none; } section { break-inside: avoid-page; } }
"""


def _t(text: Text, lang: Lang) -> str:
    """Text in one language, or Chinese with the English under it (control characters of
    the data left out)."""
    if lang == "both" and text.en and text.en != text.zh:
        zh, en = escape(printable(text.zh)), escape(printable(text.en))
        return f'{zh}<span class="en">{en}</span>'
    return escape(printable(text.get(lang)))


def _td(c: Cell, numeric: bool, lang: Lang) -> str:
    classes = " ".join(x for x in ("num" if numeric else "", c.status) if x)
    attr = f' class="{classes}"' if classes else ""
    return f"<td{attr}>{_t(c.text, lang)}</td>"


def _table(t: Table, lang: Lang) -> str:
    out = []
    if t.title.zh:
        out.append(f"<h3>{_t(t.title, lang)}</h3>")
    if t.rows:
        out.append('<div class="scroll"><table><thead><tr>')
        out.append("".join(f"<th>{_t(h, lang)}</th>" for h in t.headers))
        out.append("</tr></thead><tbody>")
        for row in t.rows:
            cells = "".join(_td(c, i in t.numeric, lang) for i, c in enumerate(row))
            out.append(f"<tr>{cells}</tr>")
        out.append("</tbody></table></div>")
    if t.note.zh:
        out.append(f'<p class="note">{_t(t.note, lang)}</p>')
    return "\n".join(out)


def _blocks(blocks: tuple[Block, ...], lang: Lang) -> str:
    out: list[str] = []
    charts: list[str] = []
    chart_lang: Lang = "zh" if lang == "both" else lang

    def flush() -> None:
        if charts:
            out.append('<div class="charts">' + "".join(charts) + "</div>")
            charts.clear()

    for b in blocks:
        if isinstance(b, Chart):
            charts.append(f'<figure id="{escape(b.id)}">{render_svg(b, chart_lang)}</figure>')
            continue
        flush()
        if isinstance(b, Paragraph):
            cls = f' class="{b.status}"' if b.status else ""
            out.append(f"<p{cls}>{_t(b.text, lang)}</p>")
        else:
            out.append(_table(b, lang))
    flush()
    return "\n".join(out)


def render_html(doc: Document, lang: Lang = "zh", *, generator: str = "gdsmodel") -> str:
    """The document as a complete HTML page (UTF-8).

    >>> from gdsmodel.report.compute import _demo_report
    >>> from gdsmodel.report.layout import build_document
    >>> page = render_html(build_document(_demo_report()), "en")
    >>> '<html lang="en">' in page, page.count("<svg") >= 3
    (True, True)
    """
    html_lang = "en" if lang == "en" else "zh-CN"
    nav = " ".join(
        f'<a href="#{escape(s.id)}">{escape(s.title.get(lang))}</a>' for s in doc.sections
    )
    body = "\n".join(
        f'<section id="{escape(s.id)}"><h2>{_t(s.title, lang)}</h2>\n{_blocks(s.blocks, lang)}'
        "</section>"
        for s in doc.sections
    )
    subtitle = f"<p>{_t(doc.subtitle, lang)}</p>" if doc.subtitle.zh else ""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{html_lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(doc.title.get(lang))}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        f"<header><h1>{_t(doc.title, lang)}</h1>{subtitle}</header>\n"
        f"<nav>{nav}</nav>\n<main>\n{body}\n</main>\n"
        f"<footer>{escape(generator)}</footer>\n</body>\n</html>\n"
    )
