"""Under ``zh`` the monthly report speaks Chinese, under ``en`` English, in every rendering
people read: the text, the Markdown, the HTML page (its visible text: the content of its
elements and the charts' tooltips, not its tags, attributes or CSS) and the Excel workbook (its
sheet names and the strings of its cells), for the example station's months 2026-03 and
2025-10 (a month without area data).

The check is the one of the CLI's commands (``tests/langcheck.py``): under ``zh`` no word of
four or more ASCII letters is left but an ID of the data or a file of the station folder; under
``en`` no Chinese is left but text of the data.
"""

from __future__ import annotations

import io
from html.parser import HTMLParser
from pathlib import Path

import pytest

from gdsmodel.report import Report, build_report, render
from langcheck import STATION, chinese_left, english_left

MONTHS = ("2026-03", "2025-10")
FORMATS = ("text", "markdown", "html", "excel")


class _Visible(HTMLParser):
    """The text of a page's elements, without its style sheet or scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._hidden += tag in ("style", "script")

    def handle_endtag(self, tag: str) -> None:
        self._hidden -= tag in ("style", "script")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible_text(page: str) -> str:
    """What a reader sees of an HTML page (the text of its elements, SVG tooltips included).

    >>> visible_text('<style>p {color: red}</style><p class="good">达标</p>')
    '达标'
    """
    parser = _Visible()
    parser.feed(page)
    parser.close()
    return "\n".join(p for p in parser.parts if p.strip())


def workbook_text(data: bytes) -> str:
    """The sheet names and the string cells of an Excel workbook."""
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.load_workbook(io.BytesIO(data))
    parts = [ws.title for ws in wb.worksheets]
    for ws in wb.worksheets:
        parts += [v for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str)]
    return "\n".join(parts)


def shown(report: Report, fmt: str, lang: str) -> str:
    """The text a reader sees of the report in one format and language."""
    out = render(report, fmt, lang, width=100)  # type: ignore[arg-type]
    if fmt == "excel":
        assert isinstance(out, bytes)
        return workbook_text(out)
    assert isinstance(out, str)
    return visible_text(out) if fmt == "html" else out


@pytest.fixture(
    scope="module",
    # IEEE 1366 adds the momentary indices (MAIFIe, in events per customer)
    params=[(m, None) for m in MONTHS] + [("2026-03", "IEEE 1366")],
    ids=lambda p: "-".join(x for x in p if x),
)
def report(request: pytest.FixtureRequest) -> Report:
    month, convention = request.param
    return build_report(STATION, month, convention=convention)


@pytest.mark.parametrize("fmt", FORMATS)
def test_zh_report_is_chinese(report: Report, fmt: str) -> None:
    text = shown(report, fmt, "zh")
    assert "台区" in text and "工作记录" in text  # the added sections are there
    # a file the report names is the station folder's (``records.json``)
    assert english_left(text, STATION.parent) == [], fmt


@pytest.mark.parametrize("fmt", FORMATS)
def test_en_report_is_english(report: Report, fmt: str) -> None:
    text = shown(report, fmt, "en")
    assert "Transformer areas" in text and "Work records" in text
    assert chinese_left(text, ()) == [], fmt


def test_the_readers_see_names_not_codes() -> None:
    """The codes the report once showed (an area type, a no-loss reason, a ticket class, a
    post, a KPI, a chart's target line) show by their names in the language asked for."""
    report = build_report(STATION, "2026-03")
    zh, en = shown(report, "text", "zh"), shown(report, "text", "en")
    for name in (
        "农村台区",
        "档案不一致",
        "工作票",
        "安全员",
        "电能实抄率 未达标",
        "批次召回后须试验",
    ):
        assert name in zh, name
    for name in ("rural area", "archive mismatch", "work ticket", "Safety officer"):
        assert name in en, name
    assert "<title>目标</title>" in str(render(report, "html", "zh"))


def test_the_page_text_leaves_out_tags_and_styles() -> None:
    """The check of the HTML page fails on English text and passes over tags and CSS."""
    page = '<html lang="zh-CN"><style>.muted {color: grey}</style><p class="muted">{}</p></html>'
    assert english_left(visible_text(page.replace("{}", "合格")), Path(".")) == []
    assert english_left(visible_text(page.replace("{}", "missed")), Path(".")) == ["missed"]
