"""Who answers for which line, transformer area or equipment class, and when.

The standard asks the technician to divide the equipment "按线、分片明确分工、责任到人"
(技术员 standard 1) and the marketing officer to break the line-loss targets down by line
and area "落实到人" (营销员 standard 1). A :class:`Responsibility` says that a person
answers for one line, area or equipment class over a half-open span of days.

:func:`validate` names what is wrong: gaps (days of a month nobody answered for a known
area or line), overlaps (two people at once), unknown people, lines, areas and
assignments to people who held no fitting post or role on those days.

:func:`shares` says who answers for a month, by the station's rule (data, see
``organisation/data/rules.toml``): ``month_end`` (the holder on the last day of the month
answers for all of it) or ``split_by_days`` (each holder answers for the share of days
held, for flow KPIs). The shares of a month always add up to one: days nobody held go to
``None`` (unassigned), so the people's sums and the unassigned part add up to the station.

>>> from datetime import date
>>> from gdsmodel.periods import Month
>>> r = (Responsibility("P1", ScopeKind.AREA, "A1", Effective(date(2025, 1, 1), date(2025, 3, 11))),
...      Responsibility("P2", ScopeKind.AREA, "A1", Effective(date(2025, 3, 11))))
>>> shares(r, ScopeKind.AREA, "A1", Month(2025, 3), AttributionRule.MONTH_END)
(('P2', Fraction(1, 1)),)
>>> shares(r, ScopeKind.AREA, "A1", Month(2025, 3), AttributionRule.SPLIT_BY_DAYS)
(('P1', Fraction(10, 31)), ('P2', Fraction(21, 31)))
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import attrs

from gdsmodel import _show
from gdsmodel.datafiles import package_toml, read_toml
from gdsmodel.errors import DataFileError, InputError
from gdsmodel.organisation.dating import Effective, month_bounds
from gdsmodel.organisation.staff import Catalogue, Roster, ScopeKind, default_catalogue
from gdsmodel.periods import Month
from gdsmodel.serialize import structure
from gdsmodel.sources import Confidence, Source
from gdsmodel.text import Text

__all__ = [
    "RULES_FORMAT",
    "AttributionRule",
    "Band",
    "Issue",
    "IssueKind",
    "OrganisationRules",
    "Responsibility",
    "default_rules",
    "load_rules",
    "month_shares",
    "shares",
    "validate",
]

RULES_FORMAT = "gdsmodel.organisation.rules/1"


class AttributionRule(enum.StrEnum):
    """Who answers for a month in which the holder of a line or area changed."""

    MONTH_END = "month_end"
    SPLIT_BY_DAYS = "split_by_days"


@attrs.frozen(slots=True)
class Responsibility:
    """``person`` answers for the ``scope`` ``target`` (a line, area or equipment class ID).

    ``metrics`` limits the responsibility to some KPIs (a meter reader answers for the
    reading of an area, its transformer-area manager for its line loss); empty: every KPI.

    >>> r = Responsibility("P1", ScopeKind.AREA, "A1", Effective(_dt.date(2026, 1, 1)),
    ...                    metrics=("meter_reading_rate",))
    >>> r.covers("meter_reading_rate"), r.covers("line_loss_rate_lv")
    (True, False)
    """

    person: str
    scope: ScopeKind
    target: str
    effective: Effective
    note: str = ""
    row: int | None = attrs.field(default=None, eq=False)
    metrics: tuple[str, ...] = ()

    def covers(self, metric_id: str) -> bool:
        """True when the responsibility includes the KPI ``metric_id``."""
        return not self.metrics or metric_id in self.metrics

    def shares_kpis_with(self, other: Responsibility) -> bool:
        """True when the two responsibilities cover a KPI in common."""
        if not self.metrics or not other.metrics:
            return True
        return bool(set(self.metrics) & set(other.metrics))


def _frozen(value: Mapping[str, AttributionRule]) -> Mapping[str, AttributionRule]:
    return MappingProxyType(dict(value))


@attrs.frozen(slots=True, kw_only=True)
class Attribution:
    """The attribution rule of a station: a default and overrides per KPI."""

    rule: AttributionRule = AttributionRule.MONTH_END
    metrics: Mapping[str, AttributionRule] = attrs.field(factory=dict, converter=_frozen)
    confidence: Confidence = Confidence.L
    note: str = ""

    def __repr__(self) -> str:
        return _show.short_repr(self)

    def for_metric(self, metric_id: str) -> AttributionRule:
        """The rule that applies to one KPI."""
        return self.metrics.get(metric_id, self.rule)


@attrs.frozen(slots=True, kw_only=True)
class Band:
    """A band of the year-end evaluation: its lowest score in percent."""

    id: str
    name: Text
    min_percent: Fraction


@attrs.frozen(slots=True, kw_only=True)
class OrganisationRules:
    """The organisation rules of a station: attribution and year-end bands."""

    format: str = RULES_FORMAT
    attribution: Attribution = Attribution()
    bands: tuple[Band, ...] = ()
    bands_source: Source | None = None

    def __repr__(self) -> str:
        return _show.short_repr(self)

    def __attrs_post_init__(self) -> None:
        mins = [b.min_percent for b in self.bands]
        if mins != sorted(mins, reverse=True) or len(set(mins)) != len(mins):
            raise InputError(
                "bands must be listed best first, with decreasing min_percent",
                name="bands",
                value=[str(m) for m in mins],
                allowed="decreasing thresholds",
            )

    def band(self, percent: Fraction | None) -> Band | None:
        """The band of a score in percent (None when undefined or below every band).

        >>> rules = default_rules()
        >>> rules.band(Fraction(90)).id, rules.band(Fraction(8999, 100)).id
        ('excellent', 'qualified')
        """
        if percent is None:
            return None
        for b in self.bands:
            if percent >= b.min_percent:
                return b
        return None


def _rules(data: Any, file: str) -> OrganisationRules:
    if isinstance(data, dict) and isinstance(data.get("bands"), list):
        data = dict(data)
        data["bands"] = [
            {**b, "min_percent": str(b["min_percent"])} if isinstance(b, dict) else b
            for b in data["bands"]
        ]
    try:
        rules = structure(data, OrganisationRules, file=file)
    except InputError as exc:
        raise DataFileError(str(exc), file=file) from None
    if rules.format != RULES_FORMAT:
        raise DataFileError(
            f"unknown format {rules.format!r} (allowed: {RULES_FORMAT})", file=file, path="format"
        )
    return rules


@cache
def default_rules() -> OrganisationRules:
    """The shipped defaults (``organisation/data/rules.toml``)."""
    data, name = package_toml("gdsmodel.organisation", "data", "rules.toml")
    return _rules(data, name)


def load_rules(path: str | Path) -> OrganisationRules:
    """A station's own rules file (``organisation.toml``) of the same form."""
    return _rules(read_toml(path), str(path))


# ----------------------------------------------------------------------------- shares


def _days(month: Month) -> list[_dt.date]:
    first, after = month_bounds(month)
    return [first + _dt.timedelta(days=i) for i in range((after - first).days)]


def shares(
    responsibilities: Iterable[Responsibility],
    scope: ScopeKind,
    target: str,
    month: Month,
    rule: AttributionRule,
) -> tuple[tuple[str | None, Fraction], ...]:
    """Who answers for ``target`` in ``month``, with their shares (adding up to one).

    * ``month_end``: the holder on the last day of the month (the last holder within the
      month if nobody held it on the last day); two holders at once share equally;
    * ``split_by_days``: each day of the month goes to that day's holders (equally).

    Days nobody held go to ``None``. Persons are listed in order of first appearance.
    """
    mine = [r for r in responsibilities if r.scope is scope and r.target == target]
    days = _days(month)
    if rule is AttributionRule.MONTH_END:
        for day in reversed(days):
            holders = sorted({r.person for r in mine if r.effective.contains(day)})
            if holders:
                return tuple((p, Fraction(1, len(holders))) for p in holders)
        return ((None, Fraction(1)),)
    out: dict[str | None, Fraction] = {}
    for day in days:
        holders = sorted({r.person for r in mine if r.effective.contains(day)})
        if not holders:
            out[None] = out.get(None, Fraction(0)) + Fraction(1, len(days))
            continue
        for p in holders:
            out[p] = out.get(p, Fraction(0)) + Fraction(1, len(days) * len(holders))
    return tuple(out.items())


def month_shares(
    responsibilities: Iterable[Responsibility],
    scope: ScopeKind,
    targets: Iterable[str],
    month: Month,
    rule: AttributionRule,
) -> dict[str, tuple[tuple[str | None, Fraction], ...]]:
    """:func:`shares` for every target of one scope in a month.

    >>> month_shares([], ScopeKind.LINE, ["L1"], Month(2026, 3), AttributionRule.MONTH_END)
    {'L1': ((None, Fraction(1, 1)),)}
    """
    mine = [r for r in responsibilities if r.scope is scope]
    return {t: shares(mine, scope, t, month, rule) for t in targets}


# ----------------------------------------------------------------------------- validation


class IssueKind(enum.StrEnum):
    """What is wrong with the responsibility split."""

    GAP = "gap"
    OVERLAP = "overlap"
    UNKNOWN_PERSON = "unknown_person"
    UNKNOWN_TARGET = "unknown_target"
    UNFIT = "unfit"


@attrs.frozen(slots=True, kw_only=True)
class Issue:
    """One problem of the split, with where it is (the row of responsibility.csv if known)."""

    kind: IssueKind
    message: str
    scope: ScopeKind | None = None
    target: str | None = None
    person: str | None = None
    month: Month | None = None
    row: int | None = None

    def __str__(self) -> str:
        where = f"row {self.row}: " if self.row is not None else ""
        return f"{where}{self.kind}: {self.message}"


def _ranges(days: Sequence[_dt.date]) -> str:
    parts: list[str] = []
    start = prev = days[0]
    for d in [*days[1:], None]:
        if d is not None and d == prev + _dt.timedelta(days=1):
            prev = d
            continue
        parts.append(start.isoformat() if start == prev else f"{start} to {prev}")
        if d is not None:
            start = prev = d
    return ", ".join(parts)


def validate(
    responsibilities: Sequence[Responsibility],
    roster: Roster,
    months: Iterable[Month],
    known: Mapping[ScopeKind, Iterable[str]],
    *,
    catalogue: Catalogue | None = None,
) -> tuple[Issue, ...]:
    """Every problem of the split over ``months``.

    ``known`` lists the lines, areas and equipment classes of the station (from its energy
    files); a scope left out of ``known`` is not checked for gaps or unknown targets.

    >>> from datetime import date
    >>> from gdsmodel.organisation.staff import Person, Assignment
    >>> roster = Roster(people=(Person("P1", "x"),), assignments=(
    ...     Assignment("P1", "meter_reader", Effective(date(2026, 1, 1))),))
    >>> r = [Responsibility("P1", ScopeKind.AREA, "A1", Effective(date(2026, 3, 5)))]
    >>> [str(i) for i in validate(r, roster, [Month(2026, 3)], {ScopeKind.AREA: ["A1", "A2"]})]
    ['gap: nobody answered for area A1 on 2026-03-01 to 2026-03-04', \
'gap: nobody answered for area A2 in 2026-03']
    """
    cat = catalogue or default_catalogue()
    issues: list[Issue] = []
    known_sets = {k: set(v) for k, v in known.items()}
    months = tuple(months)
    ids = set(cat.ids())
    for r in responsibilities:
        if r.person not in roster:
            issues.append(
                Issue(
                    kind=IssueKind.UNKNOWN_PERSON,
                    message=f"{r.person!r} is not in the staff file",
                    scope=r.scope,
                    target=r.target,
                    person=r.person,
                    row=r.row,
                )
            )
            continue
        if r.scope in known_sets and r.target not in known_sets[r.scope]:
            issues.append(
                Issue(
                    kind=IssueKind.UNKNOWN_TARGET,
                    message=f"{r.scope} {r.target!r} is not one of the station's {r.scope}s",
                    scope=r.scope,
                    target=r.target,
                    person=r.person,
                    row=r.row,
                )
            )
        # every day answered for must be a day the person held a fitting post or role
        fitting = [
            a.effective
            for a in roster.assignments
            if a.person == r.person and a.holds in ids and cat.may_answer_for(a.holds, r.scope)
        ]
        for m in months:
            if not r.effective.overlaps_month(m):
                continue
            unfit = [
                d
                for d in _days(m)
                if r.effective.contains(d) and not any(f.contains(d) for f in fitting)
            ]
            if unfit:
                issues.append(
                    Issue(
                        kind=IssueKind.UNFIT,
                        message=f"{r.person} answered for {r.scope} {r.target} on "
                        f"{_ranges(unfit)} without a post or role that may answer for a "
                        f"{r.scope}",
                        scope=r.scope,
                        target=r.target,
                        person=r.person,
                        month=m,
                        row=r.row,
                    )
                )
    by_target: dict[tuple[ScopeKind, str], list[Responsibility]] = {}
    for r in responsibilities:
        by_target.setdefault((r.scope, r.target), []).append(r)
    for (scope, target), mine in by_target.items():
        for i, a in enumerate(mine):
            for b in mine[i + 1 :]:
                if a.shares_kpis_with(b) and a.effective.overlaps(
                    b.effective.start, b.effective.end
                ):
                    who = (
                        f"{a.person} ({a.effective}) and {b.person} ({b.effective}) both answer"
                        if a.person != b.person
                        else f"{a.person} answers twice ({a.effective} and {b.effective})"
                    )
                    issues.append(
                        Issue(
                            kind=IssueKind.OVERLAP,
                            message=f"{who} for {scope} {target}",
                            scope=scope,
                            target=target,
                            person=b.person,
                            row=b.row,
                        )
                    )
    for scope, targets in known_sets.items():
        # the KPIs the station splits by person for this scope: a gap is per KPI then
        named = sorted({k for r in responsibilities if r.scope is scope for k in r.metrics})
        kpis: list[str | None] = [None, *named]
        for target in sorted(targets):
            mine = by_target.get((scope, target), [])
            for m in months:
                days = _days(m)
                for kpi in kpis:
                    held = [r for r in mine if kpi is None or r.covers(kpi)]
                    uncovered = [d for d in days if not any(r.effective.contains(d) for r in held)]
                    if kpi is not None:  # days nobody held at all are the plain gap's
                        uncovered = [
                            d for d in uncovered if any(r.effective.contains(d) for r in mine)
                        ]
                    if not uncovered:
                        continue
                    when = f"in {m}" if len(uncovered) == m.days else f"on {_ranges(uncovered)}"
                    what = f"{scope} {target}" if kpi is None else f"the {kpi} of {scope} {target}"
                    issues.append(
                        Issue(
                            kind=IssueKind.GAP,
                            message=f"nobody answered for {what} {when}",
                            scope=scope,
                            target=target,
                            month=m,
                        )
                    )
    return tuple(issues)
