"""Internal assessment (考核): scoring rules as data, monthly sheets, the year-end evaluation.

The standard asks the director to run the station's internal assessment (所长 duty 10),
the safety officer to check and score the groups at month end and archive the results
for the year-end evaluation (安全员 standard 9), and the marketing officer to assess line
loss and collection (营销员 standards 2 and 7). This module turns that into data and code:

* a :class:`ScoringRule` is either a **KPI rule** (a metric, its target, the points at
  stake and the deduction or bonus per step of shortfall or surplus) or a **check**
  (a work-standard clause that is passed or failed);
* a :class:`Scheme` is a set of rules per post or unit; one documented default ships with
  the package and a station can load its own;
* :func:`assess` scores one owner's month into an :class:`AssessmentSheet`;
* :func:`year_end` combines monthly sheets into a ranking.

Scores are :class:`~decimal.Decimal` points rounded half-up to 0.01. A rule's score is
bounded: ``0 <= score <= points + max_bonus``.

>>> rule = ScoringRule(id="rs3", owner="technician", kind=RuleKind.KPI, metric="rs3",
...     name=Text("供电可靠率RS-3", "Reliability RS-3"), points=Decimal(10),
...     target=Target.percent("99.6", Direction.HIGHER), step=Fraction(1, 1000),
...     deduction_per_step=Decimal("2.5"))
>>> score_rule(rule, KpiEvidence(Ratio(9950, 10000))).score   # 0.1 pp short: -2.5
Decimal('7.50')
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

import attrs

from gdsmodel import _show
from gdsmodel import tables as _tables
from gdsmodel.datafiles import package_toml, read_toml
from gdsmodel.errors import DataFileError, InputError, NotFoundError
from gdsmodel.metrics.ratio import Direction, Ratio, Target, VerdictStatus
from gdsmodel.serialize import structure
from gdsmodel.sources import Confidence, Source
from gdsmodel.text import Text

__all__ = [
    "AssessmentSheet",
    "CheckEvidence",
    "ItemScore",
    "KpiEvidence",
    "Ranking",
    "RuleKind",
    "Scheme",
    "ScoringRule",
    "StepRounding",
    "assess",
    "default_scheme",
    "load_scheme",
    "score_rule",
    "year_end",
]

POINT = Decimal("0.01")


def _points(value: Decimal | Fraction | int) -> Decimal:
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return Decimal(value).quantize(POINT, rounding=ROUND_HALF_UP)


class RuleKind(enum.StrEnum):
    """A KPI rule scores a measured figure; a check rule scores a pass/fail inspection."""

    KPI = "kpi"
    CHECK = "check"


class StepRounding(enum.StrEnum):
    """How a partial step of shortfall counts.

    * ``proportional``: 0.05 pp short at 2.5 points per 0.1 pp costs 1.25 points (default);
    * ``started``: every started step counts in full (costs 2.5);
    * ``full``: only full steps count (costs 0).
    """

    PROPORTIONAL = "proportional"
    STARTED = "started"
    FULL = "full"


@attrs.frozen(slots=True, kw_only=True)
class ScoringRule:
    """One item of an assessment sheet.

    For a KPI rule: ``metric`` (an ID of the KPI registry), ``target``, ``step`` (a
    fraction of one: 1/1000 = 0.1 percentage points), ``deduction_per_step`` and
    optionally ``bonus_per_step`` up to ``max_bonus`` for doing better than the target.
    For a check rule: ``clause`` (the work standard checked); a failed check costs
    ``points``.
    """

    id: str
    owner: str
    kind: RuleKind
    name: Text
    points: Decimal
    metric: str | None = None
    target: Target | None = None
    step: Fraction | None = None
    deduction_per_step: Decimal = Decimal(0)
    bonus_per_step: Decimal = Decimal(0)
    max_bonus: Decimal = Decimal(0)
    rounding: StepRounding = StepRounding.PROPORTIONAL
    clause: str | None = None
    source: Source | None = None
    confidence: Confidence = Confidence.L
    note: str = ""

    def __repr__(self) -> str:
        return _show.short_repr(self)

    def __attrs_post_init__(self) -> None:
        def bad(msg: str, name: str, value: object, allowed: str) -> InputError:
            return InputError(f"rule {self.id!r}: {msg}", name=name, value=value, allowed=allowed)

        if self.points < 0:
            raise bad("points must not be negative", "points", self.points, "points >= 0")
        for name in ("deduction_per_step", "bonus_per_step", "max_bonus"):
            if getattr(self, name) < 0:
                raise bad("must not be negative", name, getattr(self, name), "a number >= 0")
        if self.kind is RuleKind.KPI:
            if self.metric is None or self.target is None or self.step is None:
                raise bad(
                    "a KPI rule needs metric, target and step",
                    "metric/target/step",
                    (self.metric, self.target, self.step),
                    "all three set",
                )
            if self.step <= 0:
                raise bad("the step must be positive", "step", self.step, "a fraction > 0")
        elif self.clause is None:
            raise bad("a check rule needs the clause it checks", "clause", None, "a clause ID")


@attrs.frozen(slots=True)
class KpiEvidence:
    """The measured value of a KPI rule's metric (an undefined ratio is allowed)."""

    ratio: Ratio
    note: str = ""


@attrs.frozen(slots=True)
class CheckEvidence:
    """The outcome of a check rule."""

    passed: bool
    note: str = ""


Evidence = KpiEvidence | CheckEvidence


@attrs.frozen(slots=True, kw_only=True)
class ItemScore:
    """A scored rule: its evidence, points at stake, deduction, bonus and score.

    ``assessed`` is False when the evidence was missing or the KPI undefined: the item
    then scores nothing and its points are left out of the sheet's available total.
    """

    rule: str
    name: Text
    assessed: bool
    available: Decimal
    deduction: Decimal = Decimal(0)
    bonus: Decimal = Decimal(0)
    score: Decimal = Decimal(0)
    value: Fraction | None = None
    passed: bool | None = None
    note: str = ""

    def __repr__(self) -> str:
        return _show.short_repr(self)


def _steps(gap: Fraction, step: Fraction, rounding: StepRounding) -> Fraction:
    raw = gap / step
    if rounding is StepRounding.PROPORTIONAL:
        return raw
    if rounding is StepRounding.FULL:
        return Fraction(raw.numerator // raw.denominator)
    return Fraction(-((-raw.numerator) // raw.denominator))  # ceiling


def score_rule(rule: ScoringRule, evidence: Evidence | None) -> ItemScore:
    """Score one rule on its evidence (None: not assessed)."""
    if evidence is None:
        return ItemScore(
            rule=rule.id, name=rule.name, assessed=False, available=Decimal(0), note="no evidence"
        )
    if rule.kind is RuleKind.CHECK:
        if not isinstance(evidence, CheckEvidence):
            raise InputError(
                "a check rule needs CheckEvidence",
                name=rule.id,
                value=evidence,
                allowed="CheckEvidence",
            )
        deduction = Decimal(0) if evidence.passed else rule.points
        return ItemScore(
            rule=rule.id,
            name=rule.name,
            assessed=True,
            available=_points(rule.points),
            deduction=_points(deduction),
            score=_points(rule.points - deduction),
            passed=evidence.passed,
            note=evidence.note,
        )
    if not isinstance(evidence, KpiEvidence):
        raise InputError(
            "a KPI rule needs KpiEvidence", name=rule.id, value=evidence, allowed="KpiEvidence"
        )
    assert rule.target is not None and rule.step is not None  # checked at construction
    verdict = rule.target.verdict(evidence.ratio)
    if verdict.status is VerdictStatus.UNDEFINED:
        return ItemScore(
            rule=rule.id,
            name=rule.name,
            assessed=False,
            available=Decimal(0),
            note=evidence.note or f"undefined: {evidence.ratio}",
        )
    value = evidence.ratio.value
    assert value is not None and verdict.gap is not None
    deduction = Decimal(0)
    bonus = Decimal(0)
    if verdict.gap > 0:
        steps = _steps(verdict.gap, rule.step, rule.rounding)
        deduction = min(rule.points, _points(steps * Fraction(rule.deduction_per_step)))
    elif rule.bonus_per_step and rule.max_bonus:
        better = (
            value - rule.target.threshold
            if rule.target.direction is Direction.HIGHER
            else rule.target.threshold - value
        )
        # a started step of surplus earns nothing: bonuses count proportional or full steps
        bonus_rounding = (
            StepRounding.FULL if rule.rounding is StepRounding.STARTED else rule.rounding
        )
        steps = _steps(better, rule.step, bonus_rounding)
        bonus = min(rule.max_bonus, _points(steps * Fraction(rule.bonus_per_step)))
    return ItemScore(
        rule=rule.id,
        name=rule.name,
        assessed=True,
        available=_points(rule.points),
        deduction=deduction,
        bonus=bonus,
        score=_points(rule.points - deduction + bonus),
        value=value,
        note=evidence.note,
    )


@attrs.frozen(slots=True, kw_only=True)
class Scheme:
    """A named set of scoring rules, with its source."""

    id: str
    name: Text
    rules: tuple[ScoringRule, ...]
    source: Source | None = None
    note: str = ""

    def __repr__(self) -> str:
        return _show.short_repr(self)

    def __attrs_post_init__(self) -> None:
        ids = [r.id for r in self.rules]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"duplicate rule IDs: {', '.join(dupes)}")

    def rules_for(self, owner: str) -> tuple[ScoringRule, ...]:
        """The rules that score one post or unit."""
        return tuple(r for r in self.rules if r.owner == owner)

    @property
    def owners(self) -> tuple[str, ...]:
        """Every post or unit the scheme scores, in rule order."""
        return tuple(dict.fromkeys(r.owner for r in self.rules))

    def rule(self, rule_id: str) -> ScoringRule:
        """The rule with this ID."""
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise NotFoundError("scoring rule", rule_id, [r.id for r in self.rules])


@attrs.frozen(slots=True, kw_only=True)
class AssessmentSheet:
    """One owner's monthly sheet: every item, and the totals.

    ``period`` is the canonical text of the period (``"2026-03"``).
    """

    owner: str
    period: str
    scheme: str
    items: tuple[ItemScore, ...]

    def __repr__(self) -> str:
        return _show.short_repr(self, "owner", "period", "scheme", "items")

    def _repr_html_(self) -> str:
        return _show.sheet_html(self)

    def to_pandas(self, table: str = "sheets") -> _tables.PandasFrame:
        """The items of the sheet as a pandas DataFrame (columns: see ``gdsmodel.tables``)."""
        return _tables.pandas_frame(self, table, ("sheets",))

    def to_polars(self, table: str = "sheets") -> _tables.PolarsFrame:
        """The items of the sheet as a polars DataFrame (columns: see ``gdsmodel.tables``)."""
        return _tables.polars_frame(self, table, ("sheets",))

    @property
    def available(self) -> Decimal:
        """Points at stake on the items that could be assessed."""
        return sum((i.available for i in self.items), Decimal(0))

    @property
    def total(self) -> Decimal:
        """Points scored."""
        return sum((i.score for i in self.items), Decimal(0))

    @property
    def percent(self) -> Ratio:
        """Points scored over points available (undefined when nothing was assessed)."""
        return Ratio(self.total, self.available)

    @property
    def not_assessed(self) -> tuple[ItemScore, ...]:
        """Items left out for lack of evidence or an undefined KPI."""
        return tuple(i for i in self.items if not i.assessed)


def assess(
    scheme: Scheme, owner: str, period: str, evidence: Mapping[str, Evidence | None]
) -> AssessmentSheet:
    """Score one owner's rules on the evidence given by rule ID; missing -> not assessed.

    Unknown rule IDs in ``evidence`` are an error (a typo must not pass silently).
    """
    rules = scheme.rules_for(owner)
    known = {r.id for r in rules}
    unknown = sorted(set(evidence) - known)
    if unknown:
        raise InputError(
            f"evidence for rules that do not score {owner!r}",
            name="evidence",
            value=unknown,
            allowed=", ".join(sorted(known)) or "(no rules)",
        )
    items = tuple(score_rule(r, evidence.get(r.id)) for r in rules)
    return AssessmentSheet(owner=owner, period=period, scheme=scheme.id, items=items)


@attrs.frozen(slots=True, kw_only=True)
class Ranking:
    """One owner's year-end result: points over available points across the months."""

    owner: str
    total: Decimal
    available: Decimal
    months: int
    rank: int

    def _repr_html_(self) -> str:
        return _show.ranking_html(self)

    @property
    def ratio(self) -> Ratio:
        """The year-end score as a ratio of sums (never a mean of monthly percentages)."""
        return Ratio(self.total, self.available)


def year_end(sheets: Iterable[AssessmentSheet]) -> tuple[Ranking, ...]:
    """Combine monthly sheets into the year-end evaluation (年终考评).

    The documented rule: an owner's result is the **sum of points scored over the sum of
    points available** across its sheets, so months where less could be assessed weigh
    less, and the order of the months never matters. Owners are ranked by that ratio
    (highest first; undefined last); ties share a rank and are listed by owner ID. Two
    sheets of the same owner and period are an error.
    """
    seen: set[tuple[str, str]] = set()
    totals: dict[str, list[Decimal]] = {}
    counts: dict[str, int] = {}
    for s in sheets:
        sheet_key = (s.owner, s.period)
        if sheet_key in seen:
            raise InputError(
                "two sheets for the same owner and period",
                name="sheets",
                value=sheet_key,
                allowed="one sheet per owner and period",
            )
        seen.add(sheet_key)
        acc = totals.setdefault(s.owner, [Decimal(0), Decimal(0)])
        acc[0] += s.total
        acc[1] += s.available
        counts[s.owner] = counts.get(s.owner, 0) + 1

    def rank_key(owner: str) -> tuple[int, Fraction, str]:
        total, available = totals[owner]
        r = Ratio(total, available).value
        return (0, -r, owner) if r is not None else (1, Fraction(0), owner)

    ordered = sorted(totals, key=rank_key)
    out: list[Ranking] = []
    for i, owner in enumerate(ordered):
        total, available = totals[owner]
        rank = i + 1
        if out and rank_key(owner)[:2] == rank_key(out[-1].owner)[:2]:
            rank = out[-1].rank
        out.append(
            Ranking(owner=owner, total=total, available=available, months=counts[owner], rank=rank)
        )
    return tuple(out)


@cache
def default_scheme() -> Scheme:
    """The documented default scheme shipped with gdsmodel (see its data file)."""
    data, name = package_toml("gdsmodel.metrics", "data", "assessment.toml")
    return _scheme_from_data(data, name)


def load_scheme(path: str | Path) -> Scheme:
    """A station's own scheme from a TOML file of the same form as the default."""
    return _scheme_from_data(read_toml(path), str(path))


def _scheme_from_data(data: Any, file: str) -> Scheme:
    """Targets and steps are written in percent in the files; convert them here."""
    if not isinstance(data, dict):
        raise DataFileError("the top level must be a table", file=file, path="$")
    rules = data.get("rules", [])
    if isinstance(rules, list):
        converted = []
        for i, r in enumerate(rules):
            if not isinstance(r, dict):
                raise DataFileError("a rule must be a table", file=file, path=f"$.rules[{i}]")
            r = dict(r)
            try:
                if "target_percent" in r:
                    r["target"] = {
                        "threshold": str(Fraction(str(r.pop("target_percent"))) / 100),
                        "direction": r.pop("direction", "higher"),
                    }
                if "step_percent" in r:
                    r["step"] = str(Fraction(str(r.pop("step_percent"))) / 100)
            except (ValueError, ZeroDivisionError) as exc:
                raise DataFileError(str(exc), file=file, path=f"$.rules[{i}]") from None
            converted.append(r)
        data = {**data, "rules": converted}
    try:
        return structure(data, Scheme, file=file)
    except InputError as exc:
        raise DataFileError(str(exc), file=file) from None
