"""Assessment of people and groups: monthly sheets and the year-end ranking with bands.

The scoring machinery is the station's (:mod:`gdsmodel.metrics.assessment`): a
:class:`~gdsmodel.metrics.assessment.Scheme` of rules, scored by
:func:`~gdsmodel.metrics.assessment.score_rule` into an
:class:`~gdsmodel.metrics.assessment.AssessmentSheet`. Here a rule's ``owner`` may also be
a role (``meter_reader``), a unit (the group's own sheet) or a person's ID; a person is
scored by the rules of the posts and roles they held in the month, and where a target was
broken down to them (:mod:`~gdsmodel.organisation.targets`) it replaces the rule's own.

:func:`assess_month` gives every person's and group's sheet of a month;
:func:`year_end_ranking` ranks the year by points scored over points available (a ratio
of sums, never a mean of monthly percentages), ties sharing a rank, with the bands of the
station's rules (优秀/合格/不合格 by default).

>>> from decimal import Decimal
>>> from gdsmodel.metrics.assessment import AssessmentSheet, ItemScore
>>> from gdsmodel.text import Text
>>> def sheet(owner, period, total, available):
...     item = ItemScore(rule="r", name=Text("x"), assessed=True, available=Decimal(available),
...                      score=Decimal(total))
...     return AssessmentSheet(owner=owner, period=period, scheme="s", items=(item,))
>>> ranked = year_end_ranking([sheet("P1", "2026-01", 95, 100), sheet("P2", "2026-01", 95, 100),
...                            sheet("P3", "2026-01", 60, 100)])
>>> [(r.ranking.owner, r.ranking.rank, r.band.id if r.band else None) for r in ranked]
[('P1', 1, 'excellent'), ('P2', 1, 'excellent'), ('P3', 3, 'unqualified')]

The sheets of a month and the ranking go out as DataFrames (``to_pandas()`` /
``to_polars()``, the columns of :data:`gdsmodel.tables.COLUMNS`): a month's ``assessment``
(one row per person's or group's sheet), its ``owner_kpis`` (one row per KPI of a sheet),
its ``sheets`` (one row per scored item), and the ranking's ``year_end`` (with the bands).

>>> ranked
YearEndRanking(3 ranked: P1 #1 excellent, P2 #1 excellent, P3 #3 unqualified)
>>> from gdsmodel.tables import ROWS
>>> [row["band_en"] for row in ROWS["year_end"](ranked)]
['excellent', 'excellent', 'unqualified']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from functools import cache
from importlib import resources
from typing import Any

import attrs

from gdsmodel import _show
from gdsmodel import tables as _tables
from gdsmodel.metrics.assessment import (
    AssessmentSheet,
    CheckEvidence,
    KpiEvidence,
    Ranking,
    RuleKind,
    Scheme,
    ScoringRule,
    load_scheme,
    score_rule,
    year_end,
)
from gdsmodel.metrics.partial import PartialState
from gdsmodel.metrics.ratio import Ratio, Target, Verdict
from gdsmodel.metrics.registry import Registry, default_registry
from gdsmodel.organisation.kpis import Part, attribute, by_unit, merge_parts
from gdsmodel.organisation.responsibility import Band, OrganisationRules, default_rules
from gdsmodel.organisation.staff import Catalogue, Person, ScopeKind, default_catalogue
from gdsmodel.organisation.targets import PersonTarget, TargetRules, break_down
from gdsmodel.periods import Month

__all__ = [
    "Feed",
    "KpiLine",
    "MonthAssessment",
    "RankedPerson",
    "Sheet",
    "YearEndRanking",
    "assess_month",
    "default_person_scheme",
    "rules_for",
    "year_end_ranking",
]


@cache
def default_person_scheme() -> Scheme:
    """The shipped scheme for people and groups (``organisation/data/scheme.toml``)."""
    ref = resources.files("gdsmodel.organisation").joinpath("data", "scheme.toml")
    with resources.as_file(ref) as path:
        return load_scheme(path)


@attrs.frozen(slots=True, kw_only=True)
class Feed:
    """The monthly records that give one KPI per line or area (see ``data/inputs.toml``).

    ``records`` hold a ``month``, the ``key`` field (the line or area) and the KPI's
    inputs under the names of ``columns`` (input -> field).
    """

    metric: str
    scope: ScopeKind
    records: Sequence[Any]
    columns: Mapping[str, str] = attrs.field(factory=dict)
    key: str | None = None

    def __repr__(self) -> str:
        return _show.short_repr(self)


@attrs.frozen(slots=True, kw_only=True)
class KpiLine:
    """One KPI of a person or group in a month, with the target and the verdict.

    ``unit`` is the KPI's unit in the registry (``"%"`` for a rate)."""

    metric: str
    ratio: Ratio
    target: Target | None
    allowed: Fraction | None = None
    unit: str = "%"

    @property
    def verdict(self) -> Verdict | None:
        """Met, missed or undefined against the target (None without a target)."""
        return None if self.target is None else self.target.verdict(self.ratio)


_SHEET_TABLES = ("sheets", "owner_kpis", "assessment")
_MONTH_TABLES = ("assessment", "owner_kpis", "sheets")


@attrs.frozen(slots=True, kw_only=True)
class Sheet:
    """A person's or group's month: what they held, their KPIs and their scored sheet.

    ``kind`` is ``"person"`` or ``"group"``; ``holds`` the posts, units and roles held in
    the month (for a group: its members' IDs); ``answered_for`` the lines and areas.
    """

    kind: str
    owner: str
    name: str
    month: Month
    holds: tuple[str, ...]
    answered_for: tuple[str, ...]
    kpis: tuple[KpiLine, ...]
    sheet: AssessmentSheet

    def _repr_html_(self) -> str:
        return _show.person_sheet_html(self)

    def __repr__(self) -> str:
        return _show.short_repr(self)

    def to_pandas(self, table: str = "sheets") -> _tables.PandasFrame:
        """A table of the sheet as a pandas DataFrame: ``sheets`` (its scored items),
        ``owner_kpis`` (its KPIs) or ``assessment`` (its totals, one row)."""
        return _tables.pandas_frame(self, table, _SHEET_TABLES)

    def to_polars(self, table: str = "sheets") -> _tables.PolarsFrame:
        """A table of the sheet as a polars DataFrame (the tables of :meth:`to_pandas`)."""
        return _tables.polars_frame(self, table, _SHEET_TABLES)

    @property
    def missed(self) -> tuple[str, ...]:
        """What was missed: the KPIs that missed their target and the failed checks.

        >>> from gdsmodel.metrics.ratio import Direction
        >>> s = Sheet(kind="person", owner="P1", name="x", month=Month(2026, 3), holds=(),
        ...           answered_for=(), kpis=(KpiLine(metric="collection_rate",
        ...           ratio=Ratio(99, 100), target=Target.percent(100, Direction.HIGHER)),),
        ...           sheet=AssessmentSheet(owner="P1", period="2026-03", scheme="s", items=()))
        >>> s.missed
        ('collection_rate: missed by 1.00 pp',)
        """
        out = []
        for k in self.kpis:
            v = k.verdict
            if v is not None and v.status.value == "missed":
                out.append(f"{k.metric}: {v}")
        out += [f"{i.rule}: failed" for i in self.sheet.items if i.passed is False]
        return tuple(out)


@attrs.frozen(slots=True, kw_only=True)
class MonthAssessment:
    """Every person's and group's sheet of one month."""

    month: Month
    scheme: str
    people: tuple[Sheet, ...]
    groups: tuple[Sheet, ...]

    def _repr_html_(self) -> str:
        return _show.month_assessment_html(self)

    @property
    def sheets(self) -> tuple[Sheet, ...]:
        """Every sheet of the month: the people's, then the groups'."""
        return self.people + self.groups

    def to_pandas(self, table: str = "assessment") -> _tables.PandasFrame:
        """A table of the month as a pandas DataFrame: ``assessment`` (one row per person's
        or group's sheet), ``owner_kpis`` (one row per KPI of a sheet) or ``sheets`` (one
        row per scored item); columns: see ``gdsmodel.tables``."""
        return _tables.pandas_frame(self, table, _MONTH_TABLES)

    def to_polars(self, table: str = "assessment") -> _tables.PolarsFrame:
        """A table of the month as a polars DataFrame (the tables of :meth:`to_pandas`)."""
        return _tables.polars_frame(self, table, _MONTH_TABLES)

    def person(self, person_id: str) -> Sheet:
        """The sheet of one person."""
        from gdsmodel.errors import NotFoundError

        for s in self.people:
            if s.owner == person_id:
                return s
        raise NotFoundError("person with a sheet", person_id, [s.owner for s in self.people])


def rules_for(scheme: Scheme, owners: Iterable[str]) -> tuple[ScoringRule, ...]:
    """The rules of a scheme whose owner is one of ``owners``, in scheme order.

    >>> [r.id for r in rules_for(default_person_scheme(), ["collector"])]
    ['collector.collection']
    """
    wanted = set(owners)
    return tuple(r for r in scheme.rules if r.owner in wanted)


def _score(
    rules: Sequence[ScoringRule],
    owner: str,
    month: Month,
    scheme: Scheme,
    kpis: Mapping[str, KpiLine],
    checks: Mapping[str, CheckEvidence],
) -> AssessmentSheet:
    items = []
    for rule in rules:
        if rule.kind is RuleKind.CHECK:
            items.append(score_rule(rule, checks.get(rule.id)))
            continue
        line = kpis.get(rule.metric or "")
        if line is None:
            items.append(score_rule(rule, None))
            continue
        if line.target is not None and rule.target is not None:
            rule = attrs.evolve(
                rule,
                target=attrs.evolve(line.target, unit=rule.target.unit),
            )
        items.append(score_rule(rule, KpiEvidence(line.ratio)))
    return AssessmentSheet(owner=owner, period=str(month), scheme=scheme.id, items=tuple(items))


def _lines(
    states: Mapping[str, PartialState], targets: Mapping[str, PersonTarget]
) -> dict[str, KpiLine]:
    out: dict[str, KpiLine] = {}
    for metric, state in states.items():
        t = targets.get(metric)
        out[metric] = KpiLine(
            metric=metric,
            ratio=state.ratio(),
            target=t.target if t is not None else None,
            allowed=t.allowed if t is not None else None,
            # a registry definition has its unit; another additive metric counts as a rate
            unit=str(getattr(state.definition, "unit", "%")),
        )
    return out


def _with_rule_targets(
    lines: dict[str, KpiLine], rules: Sequence[ScoringRule]
) -> dict[str, KpiLine]:
    """A KPI without a target broken down to its owner is judged by its scoring rule's."""
    out = dict(lines)
    for r in rules:
        line = out.get(r.metric or "")
        if line is not None and line.target is None and r.target is not None:
            allowed = r.target.threshold * line.ratio.denominator if line.ratio.defined else None
            out[line.metric] = attrs.evolve(line, target=r.target, allowed=allowed)
    return out


def assess_month(
    month: Month,
    *,
    people: Sequence[Person],
    held: Mapping[str, Sequence[str]],
    responsibilities: Sequence[Any],
    feeds: Sequence[Feed],
    scheme: Scheme | None = None,
    rules: OrganisationRules | None = None,
    target_rules: TargetRules | None = None,
    registry: Registry | None = None,
    checks: Mapping[str, Mapping[str, CheckEvidence]] | None = None,
    catalogue: Catalogue | None = None,
) -> MonthAssessment:
    """Every person's and group's sheet of ``month``.

    ``held`` maps each person to what they held in the month (posts, units, roles:
    :meth:`~gdsmodel.organisation.staff.Roster.held_by`); ``feeds`` give the KPIs per line
    and area; ``checks`` the outcome of check rules per owner and rule ID. Groups are the
    units with rules in the scheme; a group's KPIs (those its rules score) are over all its
    members' parts and its target is its members' targets merged (allowed numerators over
    denominators).
    """
    from gdsmodel.organisation.targets import default_target_rules

    scheme = scheme or default_person_scheme()
    rules = rules or default_rules()
    target_rules = target_rules or default_target_rules()
    registry = registry or default_registry()
    cat = catalogue or default_catalogue()
    checks = checks or {}
    per_person: dict[str, dict[str, PartialState]] = {p.id: {} for p in people}
    targets: dict[str, dict[str, PersonTarget]] = {p.id: {} for p in people}
    answered: dict[str, set[str]] = {p.id: set() for p in people}
    all_parts: dict[str, tuple[Part, ...]] = {}
    for feed in feeds:
        d = registry.metric(feed.metric)
        parts = attribute(
            d,
            feed.records,
            responsibilities,
            scope=feed.scope,
            months=month,
            rule=rules.attribution,
            key=feed.key,
            columns=feed.columns,
        )
        all_parts[feed.metric] = parts
        for person, state in merge_parts(d, parts).items():
            if person in per_person:
                per_person[person][feed.metric] = state
        for q in parts:
            if q.person in answered and q.share:
                answered[q.person].add(q.target)
        rule = target_rules.for_metric(feed.metric)
        if rule is None:
            continue
        history = None
        if rule.rule.value == "band":
            past = []
            m = month
            for _ in range(rule.history_months):
                m = m.previous()
                past.append(m)
            history = by_unit(
                attribute(
                    d,
                    feed.records,
                    responsibilities,
                    scope=feed.scope,
                    months=past,
                    rule=rules.attribution,
                    key=feed.key,
                    columns=feed.columns,
                )
            )
        for person, t in break_down(rule, d, parts, history=history).items():
            if person in targets:
                targets[person][feed.metric] = t
    sheets: list[Sheet] = []
    for p in people:
        holds = tuple(dict.fromkeys(held.get(p.id, ())))
        # a unit's rules score the group's sheet, not each member
        own = [h for h in holds if h not in cat.units]
        own_rules = rules_for(scheme, [*own, p.id])
        lines = _with_rule_targets(_lines(per_person[p.id], targets[p.id]), own_rules)
        sheets.append(
            Sheet(
                kind="person",
                owner=p.id,
                name=p.name,
                month=month,
                holds=holds,
                answered_for=tuple(sorted(answered[p.id])),
                kpis=tuple(lines.values()),
                sheet=_score(own_rules, p.id, month, scheme, lines, checks.get(p.id, {})),
            )
        )
    groups: list[Sheet] = []
    for unit in cat.units:
        group_rules = scheme.rules_for(unit)
        if not group_rules:
            continue
        members = [p.id for p in people if any(cat.unit_of(h) == unit for h in held.get(p.id, ()))]
        group_states: dict[str, PartialState] = {}
        group_targets: dict[str, PersonTarget] = {}
        used = {r.metric for r in group_rules if r.metric is not None}
        for metric, mparts in all_parts.items():
            if metric not in used:
                continue
            mine = [q for q in mparts if q.person in members]
            if not mine:
                continue
            group_states[metric] = sum((q.state for q in mine[1:]), mine[0].state)
            ts = [targets[m][metric] for m in members if metric in targets[m]]
            if ts and all(t.allowed is not None for t in ts):
                den = sum(
                    (
                        per_person[m][metric].ratio().denominator
                        for m in members
                        if metric in targets[m] and metric in per_person[m]
                    ),
                    Fraction(0),
                )
                allowed = sum((t.allowed or Fraction(0) for t in ts), Fraction(0))
                if den:
                    group_targets[metric] = attrs.evolve(
                        ts[0],
                        person=unit,
                        allowed=allowed,
                        target=attrs.evolve(ts[0].target, threshold=allowed / den),
                    )
        lines = _with_rule_targets(_lines(group_states, group_targets), group_rules)
        groups.append(
            Sheet(
                kind="group",
                owner=unit,
                name=cat.name(unit).zh,
                month=month,
                holds=tuple(members),
                answered_for=tuple(sorted({t for m in members for t in answered[m]})),
                kpis=tuple(lines.values()),
                sheet=_score(group_rules, unit, month, scheme, lines, checks.get(unit, {})),
            )
        )
    return MonthAssessment(
        month=month, scheme=scheme.id, people=tuple(sheets), groups=tuple(groups)
    )


@attrs.frozen(slots=True, kw_only=True)
class RankedPerson:
    """A year-end result: the ranking (ties share a rank) and the band."""

    ranking: Ranking
    band: Band | None

    def _repr_html_(self) -> str:
        return _show.ranking_html(self)

    @property
    def percent(self) -> Fraction | None:
        """Points scored over points available, in percent (None when nothing was assessed)."""
        return self.ranking.ratio.percent


class YearEndRanking(tuple[RankedPerson, ...]):
    """The year-end results in rank order: a tuple of :class:`RankedPerson` that goes out as
    a DataFrame (table ``year_end``: the ranking's columns and the band)."""

    __slots__ = ()

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{r.ranking.owner} #{r.ranking.rank}" + (f" {r.band.id}" if r.band else "")
            for r in self[:5]
        )
        more = ", ..." if len(self) > 5 else ""
        return f"YearEndRanking({len(self)} ranked: {shown}{more})"

    def to_pandas(self, table: str = "year_end") -> _tables.PandasFrame:
        """The ranking as a pandas DataFrame (columns: see ``gdsmodel.tables``)."""
        return _tables.pandas_frame(self, table, ("year_end",))

    def to_polars(self, table: str = "year_end") -> _tables.PolarsFrame:
        """The ranking as a polars DataFrame (columns: see ``gdsmodel.tables``)."""
        return _tables.polars_frame(self, table, ("year_end",))


def year_end_ranking(
    sheets: Iterable[AssessmentSheet], rules: OrganisationRules | None = None
) -> YearEndRanking:
    """The year-end evaluation (年终考评): :func:`~gdsmodel.metrics.assessment.year_end`
    ranks by points over points available; each result gets the band of its percent."""
    rules = rules or default_rules()
    return YearEndRanking(
        RankedPerson(ranking=r, band=rules.band(r.ratio.percent)) for r in year_end(sheets)
    )
