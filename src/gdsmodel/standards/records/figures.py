"""Figures from records: the inputs of registry metrics, counted from the records' clocks and
states, as additive rows (ratios of sums: sum the rows, divide at the end).

Each kind's ``[[figures]]`` name a metric and its two inputs:

* a ``limit`` figure counts the clocks that ended: those stopped (in the month they stopped)
  and those still running past their due day on ``today`` (in the month after which they
  became late); its numerator counts the clocks stopped within their limit;
* a ``states`` figure counts the records that reached one of its states (in the month they
  reached it) and, in the numerator, those that reached one of its hit states.

>>> import datetime as dt
>>> from gdsmodel.standards.records.book import RecordBook
>>> book = RecordBook()
>>> def ticket(n, *checks):
...     book.add("ticket", n, "issue", dt.date(2026, 3, 2), {"class": "work", "number": n,
...              "task": "x"})
...     book.add("ticket", n, "start", dt.date(2026, 3, 2))
...     book.add("ticket", n, "end", dt.date(2026, 3, 3))
...     names = ("filled_correctly", "signatures_complete", "safety_measures",
...              "procedure_followed")
...     return book.add("ticket", n, "review", dt.date(2026, 3, 5), dict(zip(names, checks)))
>>> ticket("W1", "true", "true", "true", "true").state
'qualified'
>>> ticket("W2", "true", "false", "true", "true").state
'unqualified'
>>> [(str(r.month), r.scope, dict(r.inputs)) for r in monthly(figure_rows(
...     book.specs["ticket"], book.states("ticket"), today=dt.date(2026, 4, 1)))]
[('2026-03', 'work', {'qualified': 1, 'total': 2})]
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping

import attrs

from gdsmodel.periods import Month
from gdsmodel.standards.records.kinds import FigureSpec, KindSpec
from gdsmodel.standards.records.machine import Clock, RecordState

__all__ = ["FigureRow", "counts_csv", "figure_rows", "monthly"]


@attrs.frozen(slots=True, kw_only=True)
class FigureRow:
    """One record's (or one clock's) contribution to a metric's inputs in a month."""

    metric: str
    month: Month
    scope: str
    inputs: Mapping[str, int] = attrs.field(hash=False)
    record: str = ""


def _month(day: _dt.date) -> Month:
    return Month(day.year, day.month)


def _scope(fig: FigureSpec, state: RecordState, clock: Clock | None = None) -> str:
    if fig.scope == "class":
        return state.record_class
    if fig.scope == "limit" and clock is not None:
        return clock.limit
    return ""


def _limit_rows(fig: FigureSpec, s: RecordState, today: _dt.date) -> Iterable[FigureRow]:
    for c in s.clocks:
        if c.due is None or (fig.limit != "*" and c.limit != fig.limit):
            continue
        if c.stop is not None and c.stop <= today:
            ended, hit = c.stop, int(c.stop <= c.due)
        elif c.due < today:
            ended, hit = c.due + _dt.timedelta(days=1), 0
        else:
            continue
        yield FigureRow(
            metric=fig.metric,
            month=_month(ended),
            scope=_scope(fig, s, c),
            inputs={fig.numerator: hit, fig.denominator: 1},
            record=s.record,
        )


def _state_rows(fig: FigureSpec, s: RecordState, today: _dt.date) -> Iterable[FigureRow]:
    reached = [(s.entered(x), x) for x in fig.of_states]
    days = sorted((d, x) for d, x in reached if d is not None and d <= today)
    if not days:
        return
    day, state = days[0]
    yield FigureRow(
        metric=fig.metric,
        month=_month(day),
        scope=_scope(fig, s),
        inputs={fig.numerator: int(state in fig.hit_states), fig.denominator: 1},
        record=s.record,
    )


def figure_rows(
    spec: KindSpec, states: Iterable[RecordState], *, today: _dt.date
) -> list[FigureRow]:
    """The rows of every figure of ``spec`` from its records, as known on ``today``.

    >>> from gdsmodel.standards.records.kinds import kind
    >>> figure_rows(kind("defect"), [], today=_dt.date(2026, 1, 1))
    []
    """
    out: list[FigureRow] = []
    mine = [s for s in states if s.kind == spec.id]
    for fig in spec.figures:
        for s in mine:
            rows = _limit_rows(fig, s, today) if fig.limit else _state_rows(fig, s, today)
            out.extend(rows)
    return out


def monthly(rows: Iterable[FigureRow]) -> list[FigureRow]:
    """The rows summed per metric, month and scope (in order of metric, month, scope).

    >>> monthly([])
    []
    """
    sums: dict[tuple[str, Month, str], dict[str, int]] = {}
    for r in rows:
        acc = sums.setdefault((r.metric, r.month, r.scope), {})
        for k, v in r.inputs.items():
            acc[k] = acc.get(k, 0) + v
    return [
        FigureRow(metric=m, month=month, scope=scope, inputs=inputs)
        for (m, month, scope), inputs in sorted(
            sums.items(), key=lambda kv: (kv[0][0], kv[0][1].start, kv[0][2])
        )
    ]


def counts_csv(spec: KindSpec, states: Iterable[RecordState], *, today: _dt.date) -> str:
    """The records counted into the station file of the kind's hand count (the figure with a
    ``table``): ``tickets.csv`` from the ticket records (``month,type,total,qualified``), so a
    report that reads hand counts reads the records' figures.

    >>> from gdsmodel.standards.records.kinds import kind
    >>> counts_csv(kind("ticket"), [], today=_dt.date(2026, 1, 1))
    'month,type,total,qualified\\n'
    """
    import csv
    import io

    from gdsmodel.errors import InputError

    figs = [f for f in spec.figures if f.table]
    if not figs:
        raise InputError(
            "no station file holds this kind's figures as a hand count",
            name="kind",
            value=spec.id,
            allowed=", ".join(k for k in ("ticket",)),
        )
    fig = figs[0]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["month", fig.scope_column, fig.denominator, fig.numerator])
    rows = monthly(r for r in figure_rows(spec, states, today=today) if r.metric == fig.metric)
    for r in rows:
        w.writerow([str(r.month), r.scope, r.inputs[fig.denominator], r.inputs[fig.numerator]])
    return buf.getvalue()
