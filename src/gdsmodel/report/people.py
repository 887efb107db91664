"""The report's section per person and group, from
:func:`gdsmodel.organisation.station.month_sheets` when the station's folder has
``staff.csv``: each group's and each person's KPIs against their targets, their score and
what they missed (the archived sheets at their latest amendment when the month is closed),
and the year-end ranking over the year's closed months when there are any.

A KPI shows by its name in the report's registry, a post, unit or role by its name in the
roles catalogue, a verdict in the words of the report's own KPI tables; an ID without a name
shows as it is.

>>> from gdsmodel.report.compute import _demo_report
>>> PEOPLE_SECTION.build(_demo_report()) is None  # the demo folder has no staff.csv
True
"""

from __future__ import annotations

import re
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

from gdsmodel.errors import NotFoundError
from gdsmodel.metrics.registry import Registry
from gdsmodel.report.compute import Report
from gdsmodel.report.layout import (
    Block,
    Cell,
    Paragraph,
    Section,
    SectionSpec,
    Table,
    cell,
    unit_zh,
)
from gdsmodel.text import Text

__all__ = ["PEOPLE_SECTION", "build_people_section"]

_TABLES = ("lines", "areas", "billing", "rcd", "equipment")
_TITLE = Text("人员与考核", "People and assessment")

Names = Callable[[str], Text]
"""The name of an ID (a KPI, a post, unit or role), or the ID as it is."""


def _metric_names(registry: Registry | None) -> Names:
    """A KPI's name in the registry (the report's, else the shipped one).

    >>> _metric_names(None)("collection_rate").zh, _metric_names(None)("no_such_kpi").zh
    ('电费回收率', 'no_such_kpi')
    """
    if registry is None:
        from gdsmodel.metrics.registry import default_registry

        registry = default_registry()
    reg = registry

    def name(metric: str) -> Text:
        try:
            return reg.metric(metric).name
        except NotFoundError:
            return Text(metric)

    return name


def _hold_names() -> Names:
    """A post's, unit's or role's name in the roles catalogue.

    >>> _hold_names()("meter_reader").zh, _hold_names()("P08").zh
    ('抄表员', 'P08')
    """
    from gdsmodel.organisation.staff import default_catalogue

    cat = default_catalogue()

    def name(holds: str) -> Text:
        try:
            return cat.name(holds)
        except NotFoundError:
            return Text(holds)

    return name


def _joined(texts: list[Text], sep: str) -> Text:
    """Texts joined in each language.

    >>> _joined([Text("甲", "a"), Text("P1")], ", ").get("both")
    '甲, P1 / a, P1'
    """
    return Text(sep.join(t.zh for t in texts), sep.join(t.en or t.zh for t in texts))


def _verdict(text: str) -> Text:
    """A verdict as a sheet keeps it (``missed by 0.07 pp``, ``missed by 2 h/customer``) in
    the words of the report's KPI tables.

    >>> _verdict("missed by 0.07 pp").get("both")
    '未达标 -0.07pp / missed by 0.07 pp'
    >>> _verdict("missed by 1.5 h/customer").zh, _verdict("met").zh
    ('未达标 -1.5 小时/户', '达标')
    """
    gap = re.fullmatch(r"missed by (\S+)(?: (.+))?", text)
    if gap is None:
        zh = {"met": "达标", "missed": "未达标", "undefined": "无法判定"}.get(text, text)
        return Text(zh, text)
    unit = gap[2] or ""
    if unit == "pp":
        return Text(f"未达标 -{gap[1]}pp", text)
    return Text(f"未达标 -{gap[1]} {unit_zh(unit)}".rstrip(), text)


def _kpis(sheet: dict[str, Any], metric: Names) -> Text:
    parts = []
    for k in sheet["kpis"]:
        value = f"{k['percent']}%" if k["percent"] is not None else "—"
        target = f" ({k['target']})" if k["target"] else ""
        name = metric(k["metric"])
        parts.append(Text(f"{name.zh} {value}{target}", f"{name.en or name.zh} {value}{target}"))
    return _joined(parts, "; ")


def _missed(sheet: dict[str, Any], metric: Names) -> Text:
    """What a sheet missed: its KPIs that missed their target and its failed checks."""
    parts = []
    for k in sheet["kpis"]:
        if k["verdict"] and k["verdict"].startswith("missed"):
            name, verdict = metric(k["metric"]), _verdict(k["verdict"])
            parts.append(Text(f"{name.zh} {verdict.zh}", f"{name.en or name.zh}: {verdict.en}"))
    for i in sheet["items"]:
        if i.get("passed") is False:
            item = i.get("name") or {}
            zh, en = item.get("zh") or i["rule"], item.get("en") or i["rule"]
            parts.append(Text(f"{zh} 未通过", f"{en}: failed"))
    return _joined(parts, "; ")


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


def _table(
    title: Text, sheets: tuple[dict[str, Any], ...], metric: Names, hold: Names, *, group: bool
) -> Table:
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
                cell(_joined([hold(h) for h in s["holds"]], ", ")),
                cell(_kpis(s, metric)),
                _score(s),
                cell(_missed(s, metric), "bad" if s["missed"] else ""),
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
    metric, hold = _metric_names(report.registry), _hold_names()
    blocks: list[Block] = [
        Paragraph(status, "" if found.closed_on else "warn"),
        _table(Text("专业组", "Groups"), found.groups, metric, hold, group=True),
        _table(Text("人员", "People"), tuple(assessed), metric, hold, group=False),
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
    return Section(id="people", title=_TITLE, blocks=tuple(blocks))


PEOPLE_SECTION = SectionSpec(
    id="people", after="assessment", build=build_people_section, title=_TITLE
)
"""Placed after the station's assessment section."""
