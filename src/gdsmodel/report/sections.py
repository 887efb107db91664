"""Where a new part of the monthly report goes: a section builder, placed after a section.

The core sections (summary, KPIs, trends, line loss, reliability, voltage, assessment, safety
tools, obligations, data issues) are built by :func:`gdsmodel.report.layout.build_document`.
Another part of gdsmodel (people and their assessment, transformer areas) adds its own
section with one :class:`~gdsmodel.report.layout.SectionSpec` in :func:`extra_sections`:
a function from the computed :class:`~gdsmodel.report.compute.Report` (which carries the
station's data, :attr:`Report.data`, and the station's registry, :attr:`Report.registry`)
to a :class:`~gdsmodel.report.layout.Section`, or None when the station has nothing for it.
Every renderer (text, Markdown, HTML, Excel, JSON) then shows it; nothing else changes.

>>> from gdsmodel.report.compute import _demo_report
>>> from gdsmodel.report.layout import Paragraph, Section, SectionSpec, build_document
>>> from gdsmodel.text import Text
>>> hello = SectionSpec(id="hello", after="kpis", build=lambda r: Section(
...     id="hello", title=Text("你好", "Hello"), blocks=(Paragraph(Text(r.station.zh)),)))
>>> doc = build_document(_demo_report(), extra=(hello,))
>>> [s.id for s in doc.sections][:4]
['summary', 'kpis', 'hello', 'trends']
"""

from __future__ import annotations

from gdsmodel.report.layout import SectionSpec

__all__ = ["SectionSpec", "extra_sections"]


def extra_sections() -> tuple[SectionSpec, ...]:
    """The sections other parts of gdsmodel add to the report, one line each.

    >>> [s.id for s in extra_sections()]
    ['areas', 'people', 'records']
    """
    specs: list[SectionSpec] = []
    # Add a section here, e.g.:
    #   from gdsmodel.organisation.report import PEOPLE_SECTION
    #   specs.append(PEOPLE_SECTION)
    from gdsmodel.report.areas import AREAS_SECTION

    specs.append(AREAS_SECTION)
    from gdsmodel.report.people import PEOPLE_SECTION

    specs.append(PEOPLE_SECTION)
    from gdsmodel.report.work_records import RECORDS_SECTION

    specs.append(RECORDS_SECTION)
    return tuple(specs)
