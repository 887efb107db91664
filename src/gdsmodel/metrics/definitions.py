"""KPI definitions as data: what a figure means before it is code.

A :class:`MetricDefinition` carries the name (zh/en), the formula (LaTeX), the unit, the
direction (higher or lower is better), the valid range, the targets with their sources
and confidence marks, the posts and units that own the figure, the clauses of the job
standard that call for it and, for every ratio KPI, its **additive form**: the keyword
inputs and the numerator and denominator as linear combinations of them. Aggregating a
KPI over lines, areas or months sums those inputs first and divides once at the end.

>>> d = MetricDefinition(
...     id="demo_rate",
...     name=Text("示例", "Demo rate"),
...     formula=r"\\frac{a}{b}",
...     unit="%",
...     direction=Direction.HIGHER,
...     inputs=("a", "b"),
...     numerator={"a": 1},
...     denominator={"b": 1},
... )
>>> d.ratio(a=3, b=4).percent
Fraction(75, 1)
>>> d.ratio(a=5, b=4)
Traceback (most recent call last):
gdsmodel.errors.InputError: a=5: exceeds the denominator b = 4 (allowed: a <= b)
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar, overload

import attrs

from gdsmodel import _show as _reprs
from gdsmodel.errors import InputError, NotFoundError
from gdsmodel.metrics.additive import (
    AdditiveMetric,
    NotAdditiveError,
    field_getter,
    in_unit,
    require_additive,
)
from gdsmodel.metrics.ratio import (
    Direction,
    KpiResult,
    NumberLike,
    Ratio,
    Target,
    Verdict,
    exact,
    round_half_up,
)
from gdsmodel.sources import Confidence, Source
from gdsmodel.text import Text

if TYPE_CHECKING:  # pragma: no cover - the frame libraries are optional
    import duckdb
    import pyarrow as pa

    from gdsmodel.metrics.frames import FramePath, Invalid, Keys, NativeFrame

__all__ = [
    "AdditiveMetric",
    "MetricDefinition",
    "MetricGroup",
    "NotAdditiveError",
    "TargetSpec",
    "field_getter",
    "require_additive",
]

K = TypeVar("K", bound=Hashable)
R = TypeVar("R")


class MetricGroup(enum.StrEnum):
    """The family a KPI belongs to, used to order the registry and the docs."""

    ENERGY = "energy"  # line loss, average price
    BILLING = "billing"  # meter reading, errors, collection, remittance
    SAFETY = "safety"  # two tickets, residual current devices
    VOLTAGE = "voltage"
    POWER_FACTOR = "power_factor"
    EQUIPMENT = "equipment"
    RELIABILITY = "reliability"


@attrs.frozen(slots=True, kw_only=True)
class TargetSpec:
    """A target of a KPI as data: a value in the KPI's unit with its source and confidence.

    ``value`` is given in the unit of the metric (``"6.5"`` for 6.5 % when the unit is
    ``"%"``). ``id`` names a grade or a variant (``"A"``, ``"rural_residential"``).

    >>> spec = TargetSpec(id="A", value=Decimal("6.5"), source=Source("notes"),
    ...                   confidence=Confidence.H)
    >>> str(spec.target(unit="%", direction=Direction.LOWER))
    '<= 6.5%'
    """

    id: str
    value: Decimal
    source: Source
    confidence: Confidence
    label: Text = attrs.field(factory=lambda: Text(""))
    direction: Direction | None = None
    note: str = ""

    def __repr__(self) -> str:
        return _reprs.short_repr(self)

    def target(self, *, unit: str, direction: Direction) -> Target:
        """The :class:`~gdsmodel.metrics.ratio.Target` this spec stands for."""
        value = Fraction(self.value)
        threshold = value / 100 if unit == "%" else value
        return Target(
            threshold=threshold,
            direction=self.direction or direction,
            unit=unit,
            source=self.source,
            confidence=self.confidence,
        )


def _coefficients(value: Mapping[str, int]) -> Mapping[str, int]:
    return MappingProxyType(dict(value))


def _frozen_range(value: Any) -> tuple[Fraction, Fraction] | None:
    if value is None:
        return None
    lo, hi = value
    return (Fraction(lo), Fraction(hi))


def _key_function(key: str | Callable[[Any], K]) -> Callable[[Any], Any]:
    if callable(key):
        return key
    name = key
    return lambda record: field_getter(record)(name)


def _expression(terms: Mapping[str, int]) -> str:
    """``{"a": 1, "b": -1}`` -> ``"a - b"``; ``{"a": 2}`` -> ``"2*a"``."""
    parts: list[str] = []
    for name, coef in terms.items():
        sign = "-" if coef < 0 else "+"
        mag = abs(coef)
        term = name if mag == 1 else f"{mag}*{name}"
        if not parts:
            parts.append(term if sign == "+" else f"-{term}")
        else:
            parts.append(f"{sign} {term}")
    return " ".join(parts) or "0"


def _show(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    return f"{value} (= {round_half_up(value, 6).normalize():f})"


@attrs.frozen(slots=True, kw_only=True)
class MetricDefinition:
    """A KPI as data, with its additive form and a validating :meth:`ratio`.

    * ``inputs``: the keyword names of the additive inputs, e.g. ``("supplied_kwh", "sold_kwh")``;
    * ``numerator`` and ``denominator``: integer linear combinations of the inputs;
    * ``bounded``: the numerator may not exceed the denominator;
    * ``signed``: the numerator may be negative (line loss when more is sold than supplied);
      otherwise a negative numerator is an input error.

    A composite metric (a weighted mean of ratios, a power factor) has an empty
    ``denominator``; asking it for :meth:`ratio` raises :class:`NotAdditiveError`.
    ``valid_range`` is the range of the value as a fraction of one (``(0, 1)`` for a
    bounded rate) or None when unbounded. ``targets`` lists every target seen (grades A/B/C
    of the line loss, ...); ``default_target`` names the one :attr:`target` returns.

    >>> from gdsmodel.metrics.registry import metric
    >>> d = metric("voltage_qualification_rate")
    >>> d.ratio(monitored_minutes=43200, above_upper_minutes=300, below_lower_minutes=132).format()
    '99.00%'
    >>> d.numerator["above_upper_minutes"], d.denominator["monitored_minutes"]
    (-1, 1)
    """

    id: str
    name: Text
    formula: str
    unit: str
    direction: Direction
    group: MetricGroup = MetricGroup.ENERGY
    valid_range: tuple[Fraction, Fraction] | None = attrs.field(
        default=None, converter=_frozen_range
    )
    inputs: tuple[str, ...] = ()
    numerator: Mapping[str, int] = attrs.field(factory=dict, converter=_coefficients, hash=False)
    denominator: Mapping[str, int] = attrs.field(factory=dict, converter=_coefficients, hash=False)
    bounded: bool = True
    signed: bool = False
    targets: tuple[TargetSpec, ...] = ()
    default_target: str | None = None
    owners: tuple[str, ...] = ()
    clauses: tuple[str, ...] = ()
    confidence: Confidence = Confidence.H
    sources: tuple[Source, ...] = ()
    computed_by: str = ""
    notes: str = ""

    def __repr__(self) -> str:
        return _reprs.short_repr(self, "id", "name", "unit", "direction", "default_target")

    def _repr_html_(self) -> str:
        return _reprs.metric_html(self)

    def __attrs_post_init__(self) -> None:
        where = f"metric {self.id!r}"
        if len(set(self.inputs)) != len(self.inputs):
            raise InputError(f"{where}: inputs repeat a name", name="inputs", value=self.inputs)
        for part, terms in (("numerator", self.numerator), ("denominator", self.denominator)):
            for name, coef in terms.items():
                if name not in self.inputs:
                    raise InputError(
                        f"{where}: the {part} uses an input that is not declared",
                        name=f"{part}.{name}",
                        value=coef,
                        allowed=", ".join(self.inputs) or "(no inputs)",
                    )
                if isinstance(coef, bool) or not isinstance(coef, int) or coef == 0:
                    raise InputError(
                        f"{where}: coefficients must be non-zero integers",
                        name=f"{part}.{name}",
                        value=coef,
                        allowed="a non-zero integer",
                    )
        if self.denominator:
            unused = [
                n for n in self.inputs if n not in self.numerator and n not in self.denominator
            ]
            if unused:
                raise InputError(
                    f"{where}: inputs used by neither numerator nor denominator",
                    name="inputs",
                    value=tuple(unused),
                )
        elif self.numerator:
            raise InputError(
                f"{where}: a numerator without a denominator", name="denominator", value={}
            )
        if self.valid_range is not None and not self.valid_range[0] < self.valid_range[1]:
            raise InputError(
                f"{where}: the valid range is empty",
                name="valid_range",
                value=self.valid_range,
                allowed="(low, high) with low < high",
            )
        ids = [t.id for t in self.targets]
        if len(set(ids)) != len(ids):
            raise InputError(f"{where}: target IDs repeat", name="targets", value=ids)
        if self.default_target is not None and self.default_target not in ids:
            raise InputError(
                f"{where}: the default target is not one of its targets",
                name="default_target",
                value=self.default_target,
                allowed=", ".join(ids) or "(no targets)",
            )

    # -- the additive form ----------------------------------------------------------------

    @property
    def additive(self) -> bool:
        """True for a ratio of sums (it has a denominator)."""
        return bool(self.denominator)

    def _require_additive(self) -> None:
        require_additive(self)

    def ratio(self, **inputs: NumberLike) -> Ratio:
        """The exact :class:`~gdsmodel.metrics.ratio.Ratio` for these inputs, validated.

        Every input must be a finite number >= 0 (int, float, Decimal, Fraction or numeric
        text); a missing or unknown keyword, a negative numerator (unless ``signed``) or a
        numerator above the denominator (when ``bounded``) raises
        :class:`~gdsmodel.errors.InputError`.

        >>> from gdsmodel.metrics.registry import metric
        >>> metric("collection_rate").ratio(collected=105, billed=100).format()
        '105.00%'
        >>> metric("collection_rate").ratio(collected=1)
        Traceback (most recent call last):
        gdsmodel.errors.InputError: missing input billed of collection_rate (allowed: ...)
        """
        self._require_additive()
        unknown = [n for n in inputs if n not in self.inputs]
        if unknown:
            raise InputError(
                f"unknown input of {self.id}",
                name=unknown[0],
                value=inputs[unknown[0]],
                allowed=", ".join(self.inputs),
            )
        missing = [n for n in self.inputs if n not in inputs]
        if missing:
            err = InputError(
                f"missing input {', '.join(missing)} of {self.id}", allowed=", ".join(self.inputs)
            )
            err.name = missing[0]
            raise err
        values = {n: exact(inputs[n], name=n) for n in self.inputs}
        return self._combine(values, inputs)

    def evaluate(
        self, inputs: Mapping[str, NumberLike], *, target: str | Target | None = None
    ) -> KpiResult:
        """The validated ratio of ``inputs`` as a :class:`~gdsmodel.metrics.ratio.KpiResult`:
        it knows this metric, the target (an ID of this metric's targets, or a ``Target``)
        and its verdict, and flags a negative numerator of a signed metric as an anomaly.

        >>> from gdsmodel.metrics.registry import metric
        >>> tickets = metric("two_ticket_pass_rate")
        >>> r = tickets.evaluate({"qualified": 49, "total": 50}, target="full")
        >>> float(r), r.format(), str(r.verdict)
        (0.98, '98.00%', 'missed by 2.00 pp')
        """
        r = self.ratio(**inputs)
        chosen = self._chosen_target(target)
        return KpiResult(
            r.numerator,
            r.denominator,
            metric=self.id,
            target=chosen,
            anomaly=self.signed and r.numerator < 0,
            unit=self.unit,
        )

    def _chosen_target(self, target: str | Target | None) -> Target | None:
        if target is None:
            return None
        if isinstance(target, Target):
            return in_unit(self, target)
        if isinstance(target, str):
            return self.target_for(target)
        raise InputError(
            "must be a target ID or a Target",
            name="target",
            value=target,
            allowed=", ".join(t.id for t in self.targets) or "a Target",
        )

    def _combine(self, values: Mapping[str, Fraction], raw: Mapping[str, Any]) -> Ratio:
        num = sum((coef * values[n] for n, coef in self.numerator.items()), Fraction(0))
        den = sum((coef * values[n] for n, coef in self.denominator.items()), Fraction(0))
        num_expr = _expression(self.numerator)
        den_expr = _expression(self.denominator)
        single = next(iter(self.numerator)) if len(self.numerator) == 1 else None
        name = single or num_expr
        shown: Any = raw[single] if single else _show(num)
        if den < 0:
            raise InputError(
                f"the denominator of {self.id} is negative",
                name=den_expr,
                value=_show(den),
                allowed=f"{den_expr} >= 0",
            )
        if num < 0 and not self.signed:
            raise InputError(
                f"the numerator of {self.id} is negative",
                name=name,
                value=shown,
                allowed=f"{num_expr} >= 0",
            )
        if self.bounded and num > den:
            raise InputError(
                f"exceeds the denominator {den_expr} = {_show(den)}",
                name=name,
                value=shown,
                allowed=f"{num_expr} <= {den_expr}",
            )
        return Ratio(num, den)

    def total(self, records: Iterable[object]) -> Ratio:
        """The merged ratio of many records (mappings or objects holding the inputs).

        >>> from gdsmodel.metrics.registry import metric
        >>> rows = [{"read": 98, "due": 100}, {"read": 50, "due": 50}]
        >>> metric("meter_reading_rate").total(rows).format()
        '98.67%'
        """
        return Ratio.merge(self.ratio(**self._inputs_of(r)) for r in records)

    @overload
    def per(self, records: Iterable[R], key: Callable[[R], K]) -> dict[K, Ratio]: ...
    @overload
    def per(self, records: Iterable[object], key: str) -> dict[Hashable, Ratio]: ...
    def per(self, records: Iterable[Any], key: str | Callable[[Any], Hashable]) -> dict[Any, Ratio]:
        """One merged ratio per key (a field name or a function of the record), in first-seen
        order. Sums first, divides at the end.

        >>> from gdsmodel.metrics.registry import metric
        >>> rows = [
        ...     {"area": "east", "read": 9, "due": 10},
        ...     {"area": "west", "read": 5, "due": 5},
        ...     {"area": "east", "read": 10, "due": 10},
        ... ]
        >>> {k: r.format(1) for k, r in metric("meter_reading_rate").per(rows, "area").items()}
        {'east': '95.0%', 'west': '100.0%'}
        """
        key_of = _key_function(key)
        out: dict[Any, Ratio] = {}
        for record in records:
            k = key_of(record)
            r = self.ratio(**self._inputs_of(record))
            out[k] = out[k] + r if k in out else r
        return out

    def _inputs_of(self, record: Any) -> dict[str, Any]:
        self._require_additive()
        get = field_getter(record)
        return {n: get(n) for n in self.inputs}

    @overload
    def by(
        self,
        frame: NativeFrame,
        keys: Keys,
        *,
        columns: Mapping[str, str] | None = ...,
        target: str | Target | None = ...,
        period: str | None = ...,
        hours: str | None = ...,
        invalid: Invalid | None = ...,
    ) -> NativeFrame: ...
    @overload
    def by(
        self,
        frame: FramePath,
        keys: Keys,
        *,
        columns: Mapping[str, str] | None = ...,
        target: str | Target | None = ...,
        period: str | None = ...,
        hours: str | None = ...,
        invalid: Invalid | None = ...,
    ) -> duckdb.DuckDBPyRelation: ...
    @overload
    def by(
        self,
        frame: pa.Table,
        keys: Keys,
        *,
        columns: Mapping[str, str] | None = ...,
        target: str | Target | None = ...,
        period: str | None = ...,
        hours: str | None = ...,
        invalid: Invalid | None = ...,
    ) -> pa.Table: ...
    def by(
        self,
        frame: object,
        keys: Keys,
        *,
        columns: Mapping[str, str] | None = None,
        target: str | Target | None = None,
        period: str | None = None,
        hours: str | None = None,
        invalid: Invalid | None = None,
    ) -> object:
        """The KPI per group: inputs summed per group first, then divided once.

        ``frame`` is a pandas or polars frame (eager or lazy), a pyarrow table, a DuckDB
        relation, a PySpark or Dask frame, or a path to Parquet/CSV files (read by DuckDB,
        for data larger than memory). The result is a frame of the same library (a DuckDB
        relation for a path) with the keys, ``numerator``, ``denominator``, ``value`` (null
        when undefined), ``percent`` (``value`` x 100), ``verdict`` and ``anomaly``; a lazy
        input stays lazy. The options are those of :func:`gdsmodel.metrics.frames.by`:

        * ``columns``: input names mapped to column names where they differ;
        * ``target``: a target ID (``"A"``) or a :class:`~gdsmodel.metrics.ratio.Target`;
        * ``period``, ``hours``: the period column (and its hours) for stock inputs;
        * ``invalid``: ``"raise"`` or ``"flag"`` (adds ``invalid_rows``).

        Needs the ``dataframe`` extra.

        >>> import polars as pl
        >>> from gdsmodel.metrics.registry import metric
        >>> df = pl.DataFrame({"k": ["a", "a"], "collected": [1, 2], "billed": [3, 3]})
        >>> out = metric("collection_rate").by(df, "k")
        >>> out["numerator"].to_list(), out["verdict"].to_list()
        ([3], ['missed'])
        """
        from gdsmodel.metrics.frames import by

        result: object = by(
            self,
            frame,  # checked at run time against every library
            keys,
            columns=columns,
            target=target,
            period=period,
            hours=hours,
            invalid=invalid,
        )
        return result

    def to_sql(
        self,
        table: str,
        keys: str | Sequence[str] | None,
        *,
        dialect: str = "duckdb",
        columns: Mapping[str, str] | None = None,
        target: str | Target | None = None,
        period: str | None = None,
        scale: int = 0,
        pretty: bool = True,
    ) -> str:
        """This KPI per group of ``table`` as one SQL statement in ``dialect``.

        The same definition as :meth:`by`, for a warehouse to run without Python: sums,
        ``value``, ``verdict`` against a target and ``invalid_rows``, built with sqlglot for
        ``duckdb``, ``postgres``, ``clickhouse``, ``spark`` or ``hive``. The options are
        those of :func:`gdsmodel.metrics.sql.to_sql`. Needs the ``warehouse`` extra.

        >>> from gdsmodel.metrics.registry import metric
        >>> sql = metric("line_loss_rate").to_sql("lines", "line", dialect="postgres")
        >>> sql.splitlines()[0], "GROUP BY" in sql
        ('WITH sums AS (', True)
        """
        from gdsmodel.metrics.sql import to_sql

        return to_sql(
            self,
            table,
            keys,
            dialect=dialect,
            columns=columns,
            target=target,
            period=period,
            scale=scale,
            pretty=pretty,
        )

    # -- targets and display --------------------------------------------------------------

    @property
    def target(self) -> Target | None:
        """The default target, or None when there is none (or a grade must be chosen)."""
        if self.default_target is None:
            return None
        return self.target_for(self.default_target)

    def target_for(self, target_id: str) -> Target:
        """The target with this ID (a grade such as ``"A"``).

        >>> from gdsmodel.metrics.registry import metric
        >>> str(metric("line_loss_rate_10kv").target_for("B"))
        '<= 7%'
        """
        for spec in self.targets:
            if spec.id == target_id:
                return spec.target(unit=self.unit, direction=self.direction)
        raise NotFoundError(f"target of {self.id}", target_id, [t.id for t in self.targets])

    def verdict(self, value: Ratio | Fraction | None, target: str | None = None) -> Verdict:
        """Judge a value against the default target or the target ``target``.

        Raises :class:`~gdsmodel.errors.NotFoundError` when there is no such target.

        >>> from gdsmodel.metrics.registry import metric
        >>> str(metric("two_ticket_pass_rate").verdict(Ratio(49, 50)))
        'missed by 2.00 pp'
        """
        if target is None:
            t = self.target
            if t is None:
                raise NotFoundError(
                    f"default target of {self.id}", "(none)", [s.id for s in self.targets]
                )
        else:
            t = self.target_for(target)
        return t.verdict(value)

    def in_range(self, value: Ratio | Fraction) -> bool:
        """True when the value lies in :attr:`valid_range` (always True when unbounded or
        undefined).

        >>> from gdsmodel.metrics.registry import metric
        >>> metric("meter_reading_rate").in_range(Fraction(1, 2))
        True
        """
        v = value.value if isinstance(value, Ratio) else value
        if v is None or self.valid_range is None:
            return True
        lo, hi = self.valid_range
        return lo <= v <= hi

    def format(self, value: Ratio | Fraction | None, places: int = 2) -> str:
        """A value for display, rounded half-up: ``"98.50%"`` or ``"1.23 h/customer"``.

        >>> from gdsmodel.metrics.registry import metric
        >>> metric("aihc").format(Ratio(370, 100))
        '3.70 h/customer'
        """
        if isinstance(value, Ratio):
            if not value.defined:
                return str(value)
            value = value.value
        if value is None:
            return "undefined"
        if self.unit == "%":
            return f"{round_half_up(value * 100, places)}%"
        unit = f" {self.unit}" if self.unit else ""
        return f"{round_half_up(value, places)}{unit}"
