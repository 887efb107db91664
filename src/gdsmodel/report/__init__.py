"""The monthly station report (月度工作报告): station data in, the report out.

* :func:`load_station` reads and validates a station's folder (see ``docs/report.md``);
  bad rows become :class:`StationDataError` issues naming file, row and column;
* :func:`build_report` computes every KPI with its target, verdict and trend, the
  assessment sheets, the safety tools due and overdue and the obligations of the coming
  month, and says what it could not compute and why;
* :func:`render` writes the report as text, Markdown, a self-contained HTML page with
  charts, an Excel workbook (needs the ``excel`` extra) or JSON, in Chinese, English or
  both;
* :func:`generate_station` writes the seeded example station.

Where things go (see ``docs/adding-a-kpi.md``): a KPI is a registry entry with a
``[metrics.report]`` table (:mod:`gdsmodel.report.kpis` computes it); a station file is a
:class:`FileSchema` in :data:`FILES`; a section is a :class:`~gdsmodel.report.sections.SectionSpec`
in :func:`~gdsmodel.report.sections.extra_sections`; example data is one call in
:func:`generate_station`.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp()) / "station"
>>> _ = generate_station(folder, months=2)
>>> report = build_report(folder, "2025-05")
>>> report.kpi("two_ticket_pass_rate").verdict is not None
True
>>> "<svg" in render(report, "html", "both")
True
"""

from __future__ import annotations

from typing import Literal

from gdsmodel.errors import InputError
from gdsmodel.report.compute import Gap, KpiRow, KpiValue, Report, build_report
from gdsmodel.report.example import DEFAULT_SEED, generate_station
from gdsmodel.report.inputs import (
    FILES,
    Severity,
    StationConfig,
    StationData,
    StationDataError,
    json_schema,
    load_station,
    schema,
)
from gdsmodel.text import Lang

__all__ = [
    "DEFAULT_SEED",
    "FILES",
    "FORMATS",
    "Gap",
    "KpiRow",
    "KpiValue",
    "Report",
    "Severity",
    "StationConfig",
    "StationData",
    "StationDataError",
    "build_report",
    "generate_station",
    "json_schema",
    "load_station",
    "render",
    "schema",
]

Format = Literal["text", "markdown", "html", "excel", "json"]
FORMATS: tuple[str, ...] = ("text", "markdown", "html", "excel", "json")
"""The output formats of :func:`render`."""


def render(
    report: Report, fmt: str = "text", lang: Lang = "zh", *, width: int = 120
) -> str | bytes:
    """The report in one format: text (``width`` columns), markdown, html, json (str) or
    excel (bytes of an ``.xlsx`` file).

    >>> render(None, "pdf")  # type: ignore[arg-type]  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    gdsmodel.errors.InputError: fmt='pdf': unknown format (allowed: text, markdown, html, ...)
    """
    if fmt not in FORMATS:
        raise InputError("unknown format", name="fmt", value=fmt, allowed=", ".join(FORMATS))
    if lang not in ("zh", "en", "both"):
        raise InputError("unknown language", name="lang", value=lang, allowed="zh, en, both")
    from gdsmodel.report.layout import build_document
    from gdsmodel.report.sections import extra_sections

    extra = extra_sections()
    if fmt == "json":
        from gdsmodel.report.render_json import render_json

        return render_json(report, build_document(report, extra=extra))

    if fmt == "text":
        from gdsmodel.report.render_text import render_text

        doc = build_document(report, trend_months=6, all_areas=False, extra=extra)
        return render_text(doc, lang, width=width)
    if fmt == "markdown":
        from gdsmodel.report.render_markdown import render_markdown

        return render_markdown(build_document(report, all_areas=False, extra=extra), lang)
    if fmt == "html":
        from gdsmodel import __version__
        from gdsmodel.report.render_html import render_html

        doc = build_document(report, all_areas=False, extra=extra)
        return render_html(doc, lang, generator=f"gdsmodel {__version__}")
    from gdsmodel.report.render_excel import render_excel

    return render_excel(build_document(report, extra=extra), lang)
