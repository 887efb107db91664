"""Where a new part of the monthly report goes: a section builder, placed after a section.

The core sections (summary, KPIs, trends, line loss, reliability, voltage, assessment, safety
tools, obligations, data issues) are built by :func:`gdsmodel.report.layout.build_document`.
Another part of gdsmodel (people and their assessment, transformer areas) adds its own
section with one :class:`SectionSpec` in :func:`extra_sections`: a function from the
computed :class:`~gdsmodel.report.compute.Report` (which carries the station's data,
:attr:`Report.data`, and the station's registry, :attr:`Report.registry`) to a
:class:`~gdsmodel.report.layout.Section`, or None when the station has nothing for it. Every
renderer (text, Markdown, HTML, Excel, JSON) then shows it; nothing else changes.

>>> from gdsmodel.report.compute import _demo_report
>>> from gdsmodel.report.layout import Paragraph, Section, build_document
>>> from gdsmodel.text import Text
>>> hello = SectionSpec(id="hello", after="kpis", build=lambda r: Section(
...     id="hello", title=Text("你好", "Hello"), blocks=(Paragraph(Text(r.station.zh)),)))
>>> doc = build_document(_demo_report(), extra=(hello,))
>>> [s.id for s in doc.sections][:4]
['summary', 'kpis', 'hello', 'trends']
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from gdsmodel.report.compute import Report
    from gdsmodel.report.layout import Section

__all__ = ["SectionSpec", "extra_sections", "place"]


@attrs.frozen(slots=True, kw_only=True)
class SectionSpec:
    """A section of the report beyond the core ones.

    ``after`` is the ID of the section it follows (``kpis``, ``line_loss``, ``assessment``
    ...; an unknown ID puts it before the data issues, which stay last).
    """

    id: str
    after: str
    build: Callable[[Report], Section | None] = attrs.field(eq=False)


def extra_sections() -> tuple[SectionSpec, ...]:
    """The sections other parts of gdsmodel add to the report, one line each.

    >>> extra_sections()
    ()
    """
    specs: list[SectionSpec] = []
    # Add a section here, e.g.:
    #   from gdsmodel.organisation.report import PEOPLE_SECTION
    #   specs.append(PEOPLE_SECTION)
    return tuple(specs)


def place(core: Sequence[Section], extra: Sequence[tuple[SectionSpec, Section]]) -> list[Section]:
    """The core sections with each extra section after the one it names.

    >>> from gdsmodel.report.layout import Section
    >>> from gdsmodel.text import Text
    >>> a, z = (Section(id=i, title=Text(i), blocks=()) for i in ("a", "issues"))
    >>> x = Section(id="x", title=Text("x"), blocks=())
    >>> [s.id for s in place([a, z], [(SectionSpec(id="x", after="?", build=print), x)])]
    ['a', 'x', 'issues']
    """
    out = list(core)
    for spec, section in extra:
        ids = [s.id for s in out]
        if spec.after in ids:
            at = ids.index(spec.after) + 1
        elif "issues" in ids:
            at = ids.index("issues")
        else:
            at = len(out)
        out.insert(at, section)
    return out
