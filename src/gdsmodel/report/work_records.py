"""The report's section of the station's work records (:mod:`gdsmodel.standards.records`),
when the station's folder has a records store (``records.sqlite``, or ``records.json`` when
only that exists): the month's figures from the records against their targets, and the open
and overdue records of each post and person on the first day after the month.

The figures' definitions are the report's registry (the station's targets applied) followed by
the records' own definitions (``standards/records/data/kpis.toml``, which ship no target: the
standard gives none but the tickets' 100 %); a station without records gets no section, and its
hand-counted totals (``tickets.csv``) are read as before.

A scope shows by the name of the kind's class or time limit, a record by its kind's name and
ID, a post by its name in the roles catalogue (the names of the kinds' data files,
``standards/records/data/``); an ID without a name shows as it is.

>>> from gdsmodel.report.compute import _demo_report
>>> RECORDS_SECTION.build(_demo_report()) is None  # the demo folder has no records
True
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from gdsmodel.errors import NotFoundError
from gdsmodel.metrics.registry import Registry, load_definitions
from gdsmodel.report.compute import Report
from gdsmodel.report.layout import (
    Block,
    Cell,
    Paragraph,
    Section,
    SectionSpec,
    Table,
    cell,
    verdict_cell,
)
from gdsmodel.text import Text

if TYPE_CHECKING:
    from gdsmodel.standards.records.kinds import KindSpec
    from gdsmodel.standards.records.machine import RecordState

__all__ = ["RECORDS_SECTION", "build_records_section"]

_TITLE = Text("工作记录", "Work records")


def _scope_name(spec: KindSpec, scope: str) -> Text:
    """The name of a figure's scope: a class of the kind, else one of its time limits.

    >>> from gdsmodel.standards.records.kinds import kind
    >>> _scope_name(kind("ticket"), "work").zh, _scope_name(kind("connection"), "plan_reply").zh
    ('工作票', '供电方案答复')
    >>> _scope_name(kind("ticket"), "").zh, _scope_name(kind("ticket"), "other").zh
    ('', 'other')
    """
    for c in spec.classes:
        if c.id == scope:
            return c.name
    for lim in spec.limits:
        if lim.id == scope:
            return lim.name
    return Text(scope)


def _post_name(post: str) -> Text:
    """A post's name in the roles catalogue, or the post as it is.

    >>> _post_name("safety_officer").zh, _post_name("nobody").zh
    ('安全员', 'nobody')
    """
    from gdsmodel.organisation.staff import default_catalogue

    try:
        return default_catalogue().name(post)
    except NotFoundError:
        return Text(post)


def _registry(report: Report) -> Registry:
    from gdsmodel.metrics.registry import default_registry

    base = report.registry if report.registry is not None else default_registry()
    path = resources.files("gdsmodel.standards.records").joinpath("data", "kpis.toml")
    return base.extended(load_definitions(str(path)))


def _target(reg: Registry, metric: str, value: object) -> tuple[Cell, Cell]:
    from gdsmodel.metrics.ratio import Ratio

    d = reg.metric(metric)
    t = d.target
    if t is None:
        return cell("—"), cell(Text("无目标", "no target"))
    assert isinstance(value, Ratio)
    v = t.verdict(value)
    shown = verdict_cell(v, d.unit).text  # in the words of the report's KPI tables
    if v.met:
        return cell(str(t)), cell(shown, "good")
    return cell(str(t)), cell(shown, "" if v.gap is None else "bad")


def _figures(report: Report, specs: Iterable[KindSpec], states: list[RecordState],
             today: _dt.date) -> Table | None:  # fmt: skip
    from gdsmodel.standards.records.figures import figure_rows, monthly

    reg = _registry(report)
    rows: list[tuple[Cell, ...]] = []
    for spec in specs:
        for r in monthly(figure_rows(spec, states, today=today)):
            if r.month != report.month:
                continue
            try:
                d = reg.metric(r.metric)
            except NotFoundError:
                continue  # a station's own kind naming a metric no registry defines
            ratio = d.ratio(**r.inputs)
            target, verdict = _target(reg, r.metric, ratio)
            rows.append(
                (
                    cell(d.name),
                    cell(_scope_name(spec, r.scope)),
                    cell(f"{ratio.numerator}/{ratio.denominator}"),
                    cell(d.format(ratio), number=ratio.value, percent=d.unit == "%"),
                    target,
                    verdict,
                )
            )
    if not rows:
        return None
    return Table(
        title=Text("记录统计指标", "Figures from records"),
        headers=(
            Text("指标", "KPI"),
            Text("范围", "scope"),
            Text("分子/分母", "numerator/denominator"),
            Text("数值", "value"),
            Text("目标", "target"),
            Text("评价", "verdict"),
        ),
        rows=tuple(rows),
        numeric=(2, 3),
    )


def _label(spec: KindSpec | None, s: RecordState, limit: str, due: _dt.date) -> Text:
    """A running clock: its record (kind and ID), its time limit and when it is due.

    >>> from gdsmodel.standards.records.kinds import kind
    >>> from gdsmodel.standards.records.machine import RecordState
    >>> s = RecordState(kind="training", record="TRN-1", state="open",
    ...                 opened_on=_dt.date(2025, 6, 1), last_on=_dt.date(2025, 6, 1))
    >>> label = _label(kind("training"), s, "examination", _dt.date(2025, 7, 2))
    >>> print(label.zh); print(label.en)
    安全培训与考试 TRN-1(考试期限 2025-07-02 到期)
    Safety training and examinations TRN-1 (examined within: due 2025-07-02)
    """
    kind = spec.name if spec is not None else Text(s.kind)
    lim = _limit_name(spec, limit)
    day = due.isoformat()
    return Text(
        f"{kind.zh} {s.record}({lim.zh} {day} 到期)",
        f"{kind.en or kind.zh} {s.record} ({lim.en or lim.zh}: due {day})",
    )


def _limit_name(spec: KindSpec | None, limit: str) -> Text:
    for lim in spec.limits if spec is not None else ():
        if lim.id == limit and lim.name.zh:
            return lim.name
    return Text(limit)


def _open(
    specs: Mapping[str, KindSpec], states: list[RecordState], today: _dt.date
) -> Table | None:
    per: dict[tuple[str, str], list[tuple[Text, bool]]] = {}
    running = [(c.due, s, c) for s in states for c in s.running() if c.due is not None]
    for due, s, c in sorted(running, key=lambda x: (x[0], x[1].kind, x[1].record, x[2].limit)):
        label = _label(specs.get(s.kind), s, c.limit, due)
        per.setdefault((s.owner, s.person), []).append((label, c.overdue(today)))
    if not per:
        return None
    rows = []
    for (owner, person), items in sorted(per.items()):
        late = [label for label, overdue in items if overdue]
        rows.append(
            (
                cell(_post_name(owner)),
                cell(person),
                cell(str(len(items)), number=len(items)),
                cell(str(len(late)), "bad" if late else "good", number=len(late)),
                cell(
                    Text("; ".join(t.zh for t in late), "; ".join(t.en for t in late)),
                    "bad" if late else "",
                ),
            )
        )
    return Table(
        title=Text("未结记录(按岗位、人员)", "Open records per post and person"),
        headers=(
            Text("岗位", "post"),
            Text("人员", "person"),
            Text("未结时限", "open limits"),
            Text("逾期", "overdue"),
            Text("逾期记录", "overdue records"),
        ),
        rows=tuple(rows),
        numeric=(2, 3),
    )


def build_records_section(report: Report) -> Section | None:
    """The section, or None when the station's folder has no records store."""
    from gdsmodel.standards.records.book import RecordBook
    from gdsmodel.standards.records.kinds import kinds, station_kinds
    from gdsmodel.standards.records.location import station_store

    folder = Path(report.data.folder if report.data is not None else report.folder)
    where = station_store(folder)
    if where is None:
        return None
    own = folder / "records.toml"
    specs = station_kinds(own) if own.is_file() else kinds()
    today = report.month.end.date()  # the first day after the month
    with RecordBook.open(where, specs=specs, create=False) as book:
        states = book.states_on(today)  # as the records stood on the first day after the month
        figures = _figures(report, book.specs.values(), states, today)
        open_ = _open(book.specs, states, today)
        events = sum(1 for e in book.events() if e.on < today)
    blocks: list[Block] = [
        Paragraph(
            Text(
                f"{where.name}: {events} 条记录事件; 统计截至 {today.isoformat()}",
                f"{where.name}: {events} record events; counted as of {today.isoformat()}",
            )
        )
    ]
    if figures is not None:
        blocks.append(figures)
    else:
        blocks.append(Paragraph(Text("本月无记录统计指标", "no figures from records this month")))
    if open_ is not None:
        blocks.append(open_)
    return Section(id="records", title=_TITLE, blocks=tuple(blocks))


RECORDS_SECTION = SectionSpec(
    id="records", after="tools", build=build_records_section, title=_TITLE
)
"""Placed after the safety-tool section."""
