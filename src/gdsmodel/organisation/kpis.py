"""Every additive KPI per person: ratios of sums over what each person answered for.

A station's monthly records (per line or per transformer area) hold the inputs of the
registry's KPIs. :func:`attribute` cuts each record's partial state into the shares of the
people who answered for its line or area that month (the attribution rule of
:mod:`~gdsmodel.organisation.responsibility`); :func:`person_states` merges a person's
parts into one :class:`~gdsmodel.metrics.partial.PartialState`, divided once at the end:
a person's line loss is the sum of the losses over the sum of the energy supplied of the
areas they answered for, never an average of their areas' rates.

The parts of a record add up to the record (shares add up to one, unassigned days go to
``None``), so the people's numerators and denominators, with the unassigned part, add up
to the station's.

>>> from datetime import date
>>> from gdsmodel.metrics.registry import metric
>>> from gdsmodel.organisation.dating import Effective
>>> from gdsmodel.organisation.responsibility import Responsibility
>>> resp = [Responsibility("P1", ScopeKind.AREA, "A1", Effective(date(2026, 1, 1))),
...         Responsibility("P1", ScopeKind.AREA, "A2", Effective(date(2026, 1, 1))),
...         Responsibility("P2", ScopeKind.AREA, "A3", Effective(date(2026, 1, 1)))]
>>> rows = [{"month": "2026-03", "area": "A1", "supplied_kwh": 1000, "sold_kwh": 950},
...         {"month": "2026-03", "area": "A2", "supplied_kwh": 200, "sold_kwh": 150},
...         {"month": "2026-03", "area": "A3", "supplied_kwh": 500, "sold_kwh": 480}]
>>> states = person_states(metric("line_loss_rate"), rows, resp, scope=ScopeKind.AREA,
...                        months=Month(2026, 3))
>>> {p: s.ratio().format() for p, s in states.items()}  # P1: 100 / 1200, not (5% + 25%) / 2
{'P1': '8.33%', 'P2': '4.00%'}
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any

import attrs

from gdsmodel.errors import InputError
from gdsmodel.metrics.definitions import MetricDefinition, field_getter, require_additive
from gdsmodel.metrics.partial import PartialState, PeriodStock, stock_inputs
from gdsmodel.organisation.responsibility import (
    Attribution,
    AttributionRule,
    Responsibility,
    month_shares,
)
from gdsmodel.organisation.staff import ScopeKind
from gdsmodel.periods import Month

__all__ = [
    "Part",
    "attribute",
    "by_unit",
    "merge_parts",
    "person_states",
    "person_states_from_frame",
    "scale",
]


@attrs.frozen(slots=True, kw_only=True)
class Part:
    """The share of one line's or area's month that one person (or nobody) answered for."""

    person: str | None
    target: str
    month: Month
    share: Fraction
    state: PartialState


def scale(state: PartialState, share: Fraction) -> PartialState:
    """A state with every sum (flows, and stocks within their period) multiplied by ``share``.

    >>> from gdsmodel.metrics.registry import metric
    >>> s = PartialState.of(metric("meter_reading_rate"), read=9, due=10)
    >>> scale(s, Fraction(1, 3)).ratio()
    Ratio(numerator=Fraction(3, 1), denominator=Fraction(10, 3))
    """
    if share == 1:
        return state
    sums = {n: v * share for n, v in state.sums.items()}
    periods = {
        label: PeriodStock({n: v * share for n, v in st.sums.items()}, st.hours)
        for label, st in state.periods.items()
    }
    return PartialState(state.definition, sums, periods)


def _months(months: Month | Iterable[Month]) -> tuple[Month, ...]:
    return (months,) if isinstance(months, Month) else tuple(months)


def _rule(
    definition: MetricDefinition, rule: AttributionRule | Attribution | None
) -> AttributionRule:
    if rule is None:
        from gdsmodel.organisation.responsibility import default_rules

        rule = default_rules().attribution
    if isinstance(rule, Attribution):
        rule = rule.for_metric(definition.id)
    return rule


def attribute(
    definition: MetricDefinition,
    records: Iterable[Any],
    responsibilities: Sequence[Responsibility],
    *,
    scope: ScopeKind,
    months: Month | Iterable[Month],
    rule: AttributionRule | Attribution | None = None,
    key: str | None = None,
    month: str = "month",
    columns: Mapping[str, str] | None = None,
) -> tuple[Part, ...]:
    """The records of ``months`` cut into the parts of the people who answered for them.

    ``records`` are mappings or objects with a month field (``month``: a
    :class:`~gdsmodel.periods.Month` or its text), the line or area field (``key``,
    default the scope's name) and the KPI's inputs (renamed by ``columns``). Only the
    responsibilities that cover the KPI count (:meth:`Responsibility.covers`). ``rule`` is
    an attribution rule, a station's :class:`Attribution` (its rule for this KPI), or None
    for the shipped default.
    """
    require_additive(definition)
    rule_ = _rule(definition, rule)
    wanted = {str(m): m for m in _months(months)}
    field = key or scope.value
    names = dict(columns or {})
    stocks = bool(stock_inputs(definition))
    responsibilities = [r for r in responsibilities if r.covers(definition.id)]
    per_month: dict[str, list[tuple[str, PartialState]]] = {}
    for record in records:
        get = field_getter(record)
        label = str(get(month))
        if label not in wanted:
            continue
        inputs = {n: get(names.get(n, n)) for n in definition.inputs}
        if any(v is None for v in inputs.values()):
            missing = [n for n, v in inputs.items() if v is None]
            raise InputError(
                f"a record of {label} has no value for an input of {definition.id}",
                name=names.get(missing[0], missing[0]),
                value=None,
                allowed="a number in every record",
            )
        state = PartialState.of(definition, period=label if stocks else None, **inputs)
        per_month.setdefault(label, []).append((str(get(field)), state))
    parts: list[Part] = []
    for label, items in per_month.items():
        m = wanted[label]
        targets = list(dict.fromkeys(t for t, _ in items))
        table = month_shares(responsibilities, scope, targets, m, rule_)
        for target, state in items:
            for person, share in table[target]:
                parts.append(
                    Part(
                        person=person,
                        target=target,
                        month=m,
                        share=share,
                        state=scale(state, share),
                    )
                )
    return tuple(parts)


def person_states(
    definition: MetricDefinition,
    records: Iterable[Any],
    responsibilities: Sequence[Responsibility],
    *,
    scope: ScopeKind,
    months: Month | Iterable[Month],
    rule: AttributionRule | Attribution | None = None,
    key: str | None = None,
    month: str = "month",
    columns: Mapping[str, str] | None = None,
) -> dict[str | None, PartialState]:
    """One merged state per person over ``months`` (``None``: the unassigned part, only
    when there is one). Arguments as :func:`attribute`; people in order of first part."""
    parts = attribute(
        definition,
        records,
        responsibilities,
        scope=scope,
        months=months,
        rule=rule,
        key=key,
        month=month,
        columns=columns,
    )
    return merge_parts(definition, parts)


def merge_parts(
    definition: MetricDefinition, parts: Iterable[Part]
) -> dict[str | None, PartialState]:
    """Merge parts per person.

    >>> from gdsmodel.metrics.registry import metric
    >>> merge_parts(metric("collection_rate"), [])
    {}
    """
    out: dict[str | None, PartialState] = {}
    for p in parts:
        out[p.person] = out[p.person] + p.state if p.person in out else p.state
    return out


def by_unit(parts: Iterable[Part]) -> dict[str, PartialState]:
    """The whole state of each line or area (the parts of all its people merged).

    >>> by_unit([])
    {}
    """
    out: dict[str, PartialState] = {}
    for p in parts:
        out[p.target] = out[p.target] + p.state if p.target in out else p.state
    return out


def person_states_from_frame(
    definition: MetricDefinition,
    frame: Any,
    responsibilities: Sequence[Responsibility],
    *,
    scope: ScopeKind,
    months: Month | Iterable[Month],
    rule: AttributionRule | Attribution | None = None,
    key: str | None = None,
    month: str = "month",
    columns: Mapping[str, str] | None = None,
) -> dict[str | None, PartialState]:
    """:func:`person_states` for a dataframe (any engine of
    :func:`gdsmodel.metrics.frames.states`): the engine sums the inputs per month and line
    or area; the shares are then applied exactly. Needs the ``dataframe`` extra.

    >>> import pandas as pd
    >>> from datetime import date
    >>> from gdsmodel.metrics.registry import metric
    >>> from gdsmodel.organisation.dating import Effective
    >>> df = pd.DataFrame({"month": ["2026-03"] * 3, "area": ["A1", "A1", "A2"],
    ...                    "read": [50, 48, 10], "due": [50, 50, 10]})
    >>> resp = [Responsibility("P1", ScopeKind.AREA, "A1", Effective(date(2026, 1, 1)))]
    >>> out = person_states_from_frame(metric("meter_reading_rate"), df, resp,
    ...                                scope=ScopeKind.AREA, months=Month(2026, 3))
    >>> {p: s.ratio().format() for p, s in out.items()}
    {'P1': '98.00%', None: '100.00%'}
    """
    from gdsmodel.metrics.frames import states, to_states

    field = key or scope.value
    stocks = bool(stock_inputs(definition))
    st = states(
        definition,
        frame,
        [month, field],
        columns=columns,
        period=month if stocks else None,
    )
    merged = to_states(definition, st, [month, field], period=month if stocks else None)
    # one record per month and line or area: a stock summed there is one period's value
    records = [{month: m, field: t, **s.inputs()} for (m, t), s in merged.items()]
    return person_states(
        definition,
        records,
        responsibilities,
        scope=scope,
        months=months,
        rule=rule,
        key=field,
        month=month,
    )
