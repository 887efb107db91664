"""The report's transformer-area (台区) section, built from
:func:`gdsmodel.metrics.areas.station.area_section` when the station's folder has
``area_days.csv``: the class counts of the month with their trend (a stacked chart), the
high- and negative-loss areas, the non-computable areas with their reason, the heavy-load,
overload and unbalance events and the low-voltage customers.

The names of the classes and reasons are those of ``metrics/data/area_classes.toml``
(:func:`~gdsmodel.metrics.areas.labels.area_labels`), the names of the area types and load
events those of the area rules (``metrics/data/areas.toml``); a code without a name shows as
it is.

>>> from gdsmodel.report.compute import _demo_report
>>> AREAS_SECTION.build(_demo_report()) is None  # the demo folder has no area files
True
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Hashable, Mapping
from pathlib import Path

from gdsmodel.errors import NotFoundError
from gdsmodel.metrics.areas.labels import area_labels
from gdsmodel.metrics.areas.loss import AreaClass
from gdsmodel.metrics.areas.rules import AreaRules, area_rules
from gdsmodel.metrics.areas.station import DAYS_FILE, AreaRow, AreaSection, area_section
from gdsmodel.periods import Month
from gdsmodel.report.compute import Report
from gdsmodel.report.layout import (
    Block,
    Chart,
    Paragraph,
    Section,
    SectionSpec,
    Series,
    Table,
    cell,
)
from gdsmodel.text import Text

__all__ = ["AREAS_SECTION", "answering_for_areas", "build_areas_section"]

_TITLE = Text("台区", "Transformer areas")


def _named(code: str) -> Text:
    """The name of a class or reason code (``area_classes.toml``).

    >>> _named("archive_mismatch").zh, _named("high_loss").en
    ('档案不一致', 'high loss')
    """
    return area_labels().name(code)


def _type_name(rules: AreaRules, area_type: str) -> Text:
    """The name of an area type in the rules, or the type as it is.

    >>> _type_name(area_rules(), "rural"), _type_name(area_rules(), "island")
    (Text(zh='农村台区', en='rural area'), Text(zh='island', en=''))
    """
    try:
        name = rules.band(area_type).name
    except NotFoundError:
        return Text(area_type)
    return name if name.zh else Text(area_type)


def _event_name(rules: AreaRules, event: str) -> Text:
    """The name of an event of the load curves in the rules (``heavy_load``, ``overload``,
    ``unbalance``), or the event as it is.

    >>> _event_name(area_rules(), "overload").zh
    '过载'
    """
    name = rules.event_name(event)
    return name if name.zh else Text(event)


def _loss_table(
    title: Text,
    rows: tuple[AreaRow, ...],
    rules: AreaRules,
    answering: Mapping[str, str] | None = None,
) -> Table:
    """The areas with their loss; with ``answering``, who answers for each area's loss."""
    people = (Text("负责人", "answered for by"),) if answering else ()
    return Table(
        title=title,
        headers=(
            Text("台区", "area"),
            Text("类型", "type"),
            Text("同期线损率", "same-period loss"),
            Text("可算天数", "computable days"),
            Text("高损天数", "high-loss days"),
            *people,
        ),
        rows=tuple(
            (
                cell(r.area),
                cell(_type_name(rules, r.area_type)),
                cell(
                    r.classification.loss.format(),
                    "bad",
                    number=r.classification.loss.value,
                    percent=True,
                ),
                cell(f"{r.period.computable_days}/{r.period.days}"),
                cell(str(r.period.high_loss_days), number=r.period.high_loss_days),
                *((cell(answering.get(r.area, "-")),) if answering else ()),
            )
            for r in rows
        ),
        numeric=(2, 3, 4),
    )


def answering_for_areas(folder: str | Path, month: Month) -> dict[str, str]:
    """Who answers for each transformer area's line loss on the last day of ``month``.

    Read from the station's ``responsibility.csv`` (see the organisation model): the people
    whose responsibility for the area covers the low-voltage line loss on that day, by name.
    Empty when the folder keeps no responsibility file.

    >>> import tempfile
    >>> answering_for_areas(tempfile.mkdtemp(), Month(2026, 3))
    {}
    """
    root = Path(folder)
    if not any((root / f"responsibility{ext}").exists() for ext in (".csv", ".xlsx")):
        return {}
    from gdsmodel.organisation import load_organisation
    from gdsmodel.organisation.staff import ScopeKind

    org = load_organisation(root)
    last = month.end.date() - _dt.timedelta(days=1)
    names: dict[str, set[str]] = {}
    for r in org.responsibilities:
        if r.scope is ScopeKind.AREA and r.covers(_AREA_LOSS) and r.effective.contains(last):
            try:
                name = org.roster.person(r.person).name
            except NotFoundError:
                name = r.person
            names.setdefault(r.target, set()).add(name)
    return {area: "、".join(sorted(n)) for area, n in names.items()}


_AREA_LOSS = "line_loss_rate_lv"
"""The KPI whose responsibility makes a person answer for an area's loss."""


def _unit(unit: Hashable) -> str:
    return " / ".join(str(u) for u in unit) if isinstance(unit, tuple) else str(unit)


def _blocks(
    s: AreaSection, rules: AreaRules, answering: Mapping[str, str] | None = None
) -> list[Block]:
    c = s.counts
    n = {k: _named(k.value) for k in AreaClass}
    counts = [(n[k], getattr(c, k.value)) for k in AreaClass]
    blocks: list[Block] = [
        Paragraph(
            Text(
                f"{c.areas} 个台区: {', '.join(f'{t.zh} {k}' for t, k in counts)}; "
                f"台区线损合格率 {c.qualified_rate.format()}",
                f"{c.areas} areas: {', '.join(f'{k} {t.en}' for t, k in counts)}; "
                f"qualified rate {c.qualified_rate.format()}",
            ),
            "good" if c.high_loss == c.negative_loss == 0 else "warn",
        ),
        Chart(
            id="areas_by_class",
            kind="stacked",
            title=Text("台区分类趋势", "Areas by class"),
            categories=tuple(str(m) for m, _ in s.trend),
            series=tuple(
                Series(
                    name=n[k],
                    values=tuple(float(getattr(n, k.value)) for _, n in s.trend),
                )
                for k in AreaClass
            ),
        ),
    ]
    bad = s.of_class(AreaClass.HIGH_LOSS) + s.of_class(AreaClass.NEGATIVE_LOSS)
    if bad:
        blocks.append(
            _loss_table(
                Text("高损、负损台区", "High- and negative-loss areas"), bad, rules, answering
            )
        )
    nc = s.of_class(AreaClass.NON_COMPUTABLE)
    if nc:
        blocks.append(
            Table(
                title=Text("不可算台区", "Non-computable areas"),
                headers=(Text("台区", "area"), Text("原因", "reason")),
                rows=tuple(
                    (
                        cell(r.area),
                        cell(
                            _named(r.classification.reason.value) if r.classification.reason else ""
                        ),
                    )
                    for r in nc
                ),
            )
        )
    events = (
        [(_event_name(rules, "heavy_load"), e) for e in s.heavy_load]
        + [(_event_name(rules, "overload"), e) for e in s.overload]
        + [(_event_name(rules, "unbalance"), e) for e in s.unbalance]
    )
    if events:
        blocks.append(
            Table(
                title=Text("配变负荷", "Transformer load"),
                headers=(
                    Text("事件", "event"),
                    Text("台区", "area"),
                    Text("次数", "events"),
                    Text("最长 (分钟)", "longest (min)"),
                    Text("天数", "days"),
                    Text("连续天数", "consecutive days"),
                ),
                rows=tuple(
                    (
                        cell(kind),
                        cell(_unit(e.unit)),
                        cell(str(len(e.events)), number=len(e.events)),
                        cell(str(e.longest_minutes), number=e.longest_minutes),
                        cell(str(len(e.event_days)), number=len(e.event_days)),
                        cell(str(e.most_consecutive_days), "bad" if e.flagged else ""),
                    )
                    for kind, e in events
                ),
                numeric=(2, 3, 4, 5),
            )
        )
    lv = s.low_voltage
    if lv is not None:
        blocks.append(
            Paragraph(
                Text(
                    f"低电压用户 {len(lv.customers)}/{lv.monitored_customers}, 台区 "
                    f"{len(lv.areas)}/{lv.monitored_areas}: {', '.join(lv.customers) or '无'}",
                    f"low-voltage customers {len(lv.customers)}/{lv.monitored_customers}, "
                    f"areas {len(lv.areas)}/{lv.monitored_areas}: "
                    f"{', '.join(lv.customers) or 'none'}",
                ),
                "warn" if lv.customers else "good",
            )
        )
    return blocks


def build_areas_section(report: Report) -> Section | None:
    """The section, or None when the station's folder has no ``area_days.csv``."""
    folder = report.data.folder if report.data is not None else Path(report.folder)
    if not (Path(folder) / DAYS_FILE).exists():
        return None
    rules = area_rules()
    try:
        s = area_section(folder, report.month, rules=rules)
    except NotFoundError as exc:
        if exc.kind != _NO_MONTH:
            raise
        return Section(id="areas", title=_TITLE, blocks=(_no_month(str(report.month), exc.known),))
    answering = answering_for_areas(folder, report.month)
    return Section(id="areas", title=_TITLE, blocks=tuple(_blocks(s, rules, answering)))


_NO_MONTH = "month with area data"
"""The kind of :class:`~gdsmodel.errors.NotFoundError` of a month the area files lack."""


def _no_month(month: str, known: tuple[str, ...]) -> Paragraph:
    """The paragraph of a month without area data, with the months that have it.

    >>> text = _no_month("2025-10", ("2026-01",)).text
    >>> print(text.zh); print(text.en)
    2025-10 无台区数据(有数据的月份: 2026-01)
    no area data for 2025-10 (months with data: 2026-01)
    """
    shown = ", ".join(known) or "-"
    return Paragraph(
        Text(
            f"{month} 无台区数据(有数据的月份: {shown})",
            f"no area data for {month} (months with data: {shown})",
        ),
        "warn",
    )


AREAS_SECTION = SectionSpec(id="areas", after="line_loss", build=build_areas_section, title=_TITLE)
"""Placed after the line-loss section."""
