"""The report's section per person and group, from
:func:`gdsmodel.organisation.station.month_sheets` when the station's folder has
``staff.csv``: each group's and each person's KPIs against their targets, their score and
what they missed (the archived sheets at their latest amendment when the month is closed),
and the year-end ranking over the year's closed months when there are any.

>>> from gdsmodel.report.compute import _demo_report
>>> PEOPLE_SECTION.build(_demo_report()) is None  # the demo folder has no staff.csv
True
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

from gdsmodel.report.compute import Report
from gdsmodel.report.layout import Block, Cell, Paragraph, Section, SectionSpec, Table, cell
from gdsmodel.text import Text

__all__ = ["PEOPLE_SECTION", "build_people_section"]

_TABLES = ("lines", "areas", "billing", "rcd", "equipment")


def _kpis(sheet: dict[str, Any]) -> str:
    parts = []
    for k in sheet["kpis"]:
        value = f"{k['percent']}%" if k["percent"] is not None else "—"
        target = f" ({k['target']})" if k["target"] else ""
        parts.append(f"{k['metric']} {value}{target}")
    return "; ".join(parts)


def _score(sheet: dict[str, Any]) -> Cell:
    pct = sheet["percent"]
    if pct is None:
        return cell(Text("未考核", "not assessed"))
    return cell(
        f"{sheet['total']}/{sheet['available']} ({pct}%)",
        "good" if not sheet["missed"] else "warn",
        number=Fraction(pct) / 100,
        percent=True,
    )


def _table(title: Text, sheets: tuple[dict[str, Any], ...], *, group: bool) -> Table:
    return Table(
        title=title,
        headers=(
            Text("编号", "ID"),
            Text("名称", "name"),
            Text("组员" if group else "岗位", "members" if group else "holds"),
            Text("指标 (目标)", "KPIs (target)"),
            Text("得分", "score"),
            Text("未达", "missed"),
        ),
        rows=tuple(
            (
                cell(s["owner"]),
                cell(s["name"]),
                cell(", ".join(s["holds"])),
                cell(_kpis(s)),
                _score(s),
                cell("; ".join(s["missed"]), "bad" if s["missed"] else ""),
            )
            for s in sheets
        ),
        numeric=(4,),
    )


def build_people_section(report: Report) -> Section | None:
    """The section, or None when the station's folder has no ``staff.csv``."""
    from gdsmodel.organisation.station import closed_year_ranking, month_sheets

    if report.data is None:
        return None
    folder = Path(report.data.folder)
    tables = {
        stem: getattr(report.data, stem).records
        for stem in _TABLES
        if getattr(getattr(report.data, stem, None), "status", None) is not None
        and getattr(report.data, stem).status.value == "ok"
    }
    found = month_sheets(folder, tables, report.month)
    if found is None:
        return None
    status = (
        Text(
            f"{found.month} 已关账({found.closed_on}),以下为归档考核表(含更正)",
            f"{found.month} closed on {found.closed_on}: the archived sheets (with amendments)",
        )
        if found.closed_on
        else Text(
            f"{found.month} 未关账,考核表按本所数据计算",
            f"{found.month} is open: sheets computed from the station's files",
        )
    )
    assessed = [s for s in found.people if s["percent"] is not None]
    blocks: list[Block] = [
        Paragraph(status, "" if found.closed_on else "warn"),
        _table(Text("专业组", "Groups"), found.groups, group=True),
        _table(Text("人员", "People"), tuple(assessed), group=False),
    ]
    others = [s["owner"] for s in found.people if s["percent"] is None]
    if others:
        blocks.append(
            Paragraph(Text(f"未考核: {', '.join(others)}", f"not assessed: {', '.join(others)}"))
        )
    months, ranked = closed_year_ranking(folder, report.month.year.number)
    if ranked:
        names = {s["owner"]: s["name"] for s in found.people}
        blocks.append(
            Table(
                title=Text(
                    f"年终考评(已关账月份 {', '.join(months)})",
                    f"Year-end ranking (closed months {', '.join(months)})",
                ),
                headers=(
                    Text("名次", "rank"),
                    Text("编号", "ID"),
                    Text("姓名", "name"),
                    Text("得分率", "score"),
                    Text("等次", "band"),
                ),
                rows=tuple(
                    (
                        cell(str(r.ranking.rank), number=r.ranking.rank),
                        cell(r.ranking.owner),
                        cell(names.get(r.ranking.owner, "")),
                        cell(r.ranking.ratio.format(), number=r.ranking.ratio.value, percent=True)
                        if r.percent is not None
                        else cell(Text("未考核", "not assessed")),
                        cell(r.band.name if r.band else Text("—")),
                    )
                    for r in ranked
                ),
                numeric=(0, 3),
            )
        )
    for p in found.problems:
        blocks.append(Paragraph(Text(p), "bad"))
    return Section(
        id="people", title=Text("人员与考核", "People and assessment"), blocks=tuple(blocks)
    )


PEOPLE_SECTION = SectionSpec(id="people", after="assessment", build=build_people_section)
"""Placed after the station's assessment section."""
