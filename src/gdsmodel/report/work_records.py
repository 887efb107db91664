"""The report's section of the station's work records (:mod:`gdsmodel.standards.records`),
when the station's folder has a records store (``records.sqlite``, or ``records.json`` when
only that exists): the month's figures from the records against their targets, and the open
and overdue records of each post and person on the first day after the month.

The figures' definitions are the report's registry (the station's targets applied) followed by
the records' own definitions (``standards/records/data/kpis.toml``, which ship no target: the
standard gives none but the tickets' 100 %); a station without records gets no section, and its
hand-counted totals (``tickets.csv``) are read as before.

>>> from gdsmodel.report.compute import _demo_report
>>> RECORDS_SECTION.build(_demo_report()) is None  # the demo folder has no records
True
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from gdsmodel.errors import NotFoundError
from gdsmodel.metrics.registry import Registry, load_definitions
from gdsmodel.report.compute import Report
from gdsmodel.report.layout import Block, Cell, Paragraph, Section, SectionSpec, Table, cell
from gdsmodel.text import Text

if TYPE_CHECKING:
    from gdsmodel.standards.records.kinds import KindSpec
    from gdsmodel.standards.records.machine import RecordState

__all__ = ["RECORDS_SECTION", "build_records_section"]


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
    if v.met:
        return cell(str(t)), cell(str(v), "good")
    return cell(str(t)), cell(str(v), "" if v.gap is None else "bad")


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
                    cell(r.scope),
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


def _open(states: list[RecordState], today: _dt.date) -> Table | None:
    per: dict[tuple[str, str], list[tuple[str, bool]]] = {}
    running = [(c.due, s, c) for s in states for c in s.running() if c.due is not None]
    for due, s, c in sorted(running, key=lambda x: (x[0], x[1].kind, x[1].record, x[2].limit)):
        label = f"{s.kind} {s.record} ({c.limit} {due.isoformat()})"
        per.setdefault((s.owner, s.person), []).append((label, c.overdue(today)))
    if not per:
        return None
    rows = []
    for (owner, person), items in sorted(per.items()):
        late = [label for label, overdue in items if overdue]
        rows.append(
            (
                cell(owner),
                cell(person),
                cell(str(len(items)), number=len(items)),
                cell(str(len(late)), "bad" if late else "good", number=len(late)),
                cell("; ".join(late), "bad" if late else ""),
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
        open_ = _open(states, today)
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
    return Section(id="records", title=Text("工作记录", "Work records"), blocks=tuple(blocks))


RECORDS_SECTION = SectionSpec(id="records", after="tools", build=build_records_section)
"""Placed after the safety-tool section."""
