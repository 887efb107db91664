"""A KPI definition as one SQL statement, for the warehouses a grid uses.

:func:`to_sql` renders the additive form of a KPI (its input sums per group, the numerator and
the denominator, the value, the verdict against a target and the count of invalid input rows)
as one ``SELECT`` for DuckDB, PostgreSQL, ClickHouse, Spark SQL or Hive, so that a warehouse
can compute the figure without Python. The statement is built as a sqlglot expression tree and
generated for the dialect (the ``warehouse`` extra); nothing is pasted from strings.

>>> from gdsmodel.metrics.registry import metric
>>> print(to_sql(metric("meter_reading_rate"), "readings", "area", dialect="postgres"))
WITH sums AS (
  SELECT
    area,
    COALESCE(SUM(read), 0) AS read_sum,
    COALESCE(SUM(due), 0) AS due_sum,
    COUNT(CASE WHEN read >= 0 AND due >= 0 THEN NULL ELSE 1 END) AS invalid_rows
  FROM readings
  GROUP BY
    area
)
SELECT
  area,
  read_sum AS numerator,
  due_sum AS denominator,
  CASE
    WHEN due_sum >= 0 AND read_sum >= 0 AND read_sum <= due_sum AND invalid_rows = 0
    THEN CAST(read_sum AS DOUBLE PRECISION) / NULLIF(CAST(due_sum AS DOUBLE PRECISION), 0)
  END AS value,
  CASE
    WHEN NOT (
      due_sum >= 0 AND read_sum >= 0 AND read_sum <= due_sum AND invalid_rows = 0
    )
    THEN 'invalid'
    WHEN due_sum = 0
    THEN 'undefined'
    WHEN read_sum >= due_sum
    THEN 'met'
    ELSE 'missed'
  END AS verdict,
  invalid_rows
FROM sums
ORDER BY
  area

The semantics are those of :func:`gdsmodel.metrics.frames.by` with ``invalid="flag"``: the
sums are exact for integer and decimal columns; the value is null when the denominator is 0
(undefined) or the group is invalid (a negative or null input row, or sums that break the
definition: a numerator above a bounded denominator, a negative numerator of an unsigned
KPI); the verdict compares the exact sums with the target's exact fraction (``loss * 200 <=
supplied * 13`` for a line loss of at most 6.5 %), never a rounded float. NaN and
infinities in float columns are not detected (use integer or decimal columns, as a ledger of
energy or counts does).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Final

from gdsmodel.errors import InputError
from gdsmodel.metrics.additive import (
    AdditiveMetric,
    group_keys,
    require_additive,
    resolve_target,
)
from gdsmodel.metrics.partial import stock_inputs
from gdsmodel.metrics.ratio import Direction, Target, VerdictStatus

if TYPE_CHECKING:
    from sqlglot import exp

__all__ = ["DIALECTS", "INVALID", "to_sql"]

DIALECTS: Final = {
    "duckdb": "duckdb",
    "postgres": "postgres",
    "postgresql": "postgres",
    "clickhouse": "clickhouse",
    "spark": "spark",
    "hive": "hive",
}
"""The dialect names :func:`to_sql` accepts, and sqlglot's name for each."""

INVALID: Final = "invalid"
"""The verdict of a group with invalid input rows or sums that break the definition."""

_SUMS: Final = "sums"
_NAME: Final = re.compile(r"[^\s.()\[\]'\"`;,]+")
_OUTPUT: Final = ("numerator", "denominator", "value", "verdict", "invalid_rows")


def _sqlglot() -> None:
    try:
        import sqlglot  # noqa: F401
    except ImportError:  # pragma: no cover - depends on the installed extras
        raise InputError(
            "SQL output needs the 'warehouse' extra (sqlglot)",
            name="dialect",
            allowed="pip install 'gdsmodel[warehouse]'",
        ) from None


def _dialect(dialect: str) -> str:
    try:
        return DIALECTS[dialect.lower()]
    except (KeyError, AttributeError):
        raise InputError(
            "unknown SQL dialect", name="dialect", value=dialect, allowed=", ".join(DIALECTS)
        ) from None


def _linear(terms: Mapping[str, int], col: Mapping[str, exp.Expr]) -> exp.Expr:
    """``{"a": 1, "b": -1}`` over the summed columns -> ``a_sum - b_sum``."""
    from sqlglot import exp

    out: exp.Expr | None = None
    for name, coef in terms.items():
        term: exp.Expr = col[name].copy()
        if abs(coef) != 1:
            term = exp.Mul(this=term, expression=exp.Literal.number(abs(coef)))
        if out is None:
            out = term if coef > 0 else exp.Neg(this=term)
        elif coef > 0:
            out = exp.Add(this=out, expression=term)
        else:
            out = exp.Sub(this=out, expression=term)
    return out if out is not None else exp.Literal.number(0)


def to_sql(
    definition: AdditiveMetric,
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
    """The KPI ``definition`` per group of ``table`` as one SQL statement in ``dialect``.

    * ``table``: a table name, optionally qualified (``"dw.meter_monthly"``);
    * ``keys``: a column name, a sequence of them, or ``()``/None for one total row;
    * ``dialect``: one of :data:`DIALECTS` (``duckdb``, ``postgres``, ``clickhouse``,
      ``spark``, ``hive``);
    * ``columns``: maps input names to column names where they differ;
    * ``target``: a target ID (``"A"``) or a :class:`~gdsmodel.metrics.ratio.Target`; the
      default target when None (without one the verdict is null);
    * ``period``: for a KPI with a stock input (customers), the period column, which must be
      one of the keys (stocks add within a period, not across periods);
    * ``scale``: the decimal places of decimal input columns (2 for yuan with fen): the value
      is then divided from whole units of the last place, so it is the exactly rounded
      quotient (a decimal such as 3.35 is not exact as a double); 0 for integer columns.

    The result has the keys, then ``numerator``, ``denominator``, ``value``, ``verdict`` and
    ``invalid_rows``, ordered by the keys (see the module docstring for the semantics).

    >>> from gdsmodel.metrics.registry import metric
    >>> sql = to_sql(metric("line_loss_rate_10kv"), "dw.meter", ["line"], dialect="clickhouse",
    ...              target="A", pretty=False)
    >>> "(supplied_kwh_sum - sold_kwh_sum) * 200 <= supplied_kwh_sum * 13" in sql
    True
    >>> to_sql(metric("saidi"), "outages", "feeder")
    Traceback (most recent call last):
    gdsmodel.errors.InputError: period=None: customers of saidi is a count at a time, not \
additive across periods: name the period column, and make it a key (allowed: period='<a key \
column>')
    """
    require_additive(definition)
    _sqlglot()
    from sqlglot import exp

    sg_dialect = _dialect(dialect)
    ks = group_keys(keys)
    chosen = resolve_target(definition, target)
    stocks = stock_inputs(definition)
    if stocks and (period is None or period not in ks):
        raise InputError(
            f"{', '.join(stocks)} of {definition.id} is a count at a time, not additive across "
            "periods: name the period column, and make it a key",
            name="period",
            value=period,
            allowed="period='<a key column>'",
        )
    if isinstance(scale, bool) or not isinstance(scale, int) or not 0 <= scale <= 18:
        raise InputError(
            "must be the number of decimal places", name="scale", value=scale, allowed="0 to 18"
        )
    names = dict(columns or {})
    for name in names:
        if name not in definition.inputs:
            raise InputError(
                f"is not an input of {definition.id}",
                name="columns",
                value=name,
                allowed=", ".join(definition.inputs),
            )
    source = {n: names.get(n, n) for n in definition.inputs}
    summed = {n: f"{n}_sum" for n in definition.inputs}
    taken = set(ks) | set(source.values())
    clash = sorted(taken & (set(summed.values()) | set(_OUTPUT) | {_SUMS}))
    if clash:
        raise InputError(
            "a key or input column has the name of a column of the statement",
            name="keys",
            value=clash[0],
            allowed=f"names other than {', '.join([*_OUTPUT, _SUMS, *summed.values()])}",
        )
    parts = table.split(".") if isinstance(table, str) else []
    if not 1 <= len(parts) <= 3 or not all(_NAME.fullmatch(p) for p in parts):
        raise InputError(
            "is not a table name",
            name="table",
            value=table,
            allowed="[catalog.][schema.]table, each part without spaces, quotes or brackets",
        )
    *outer_parts, name = parts
    table_expr = exp.table_(
        exp.to_identifier(name),
        db=exp.to_identifier(outer_parts[-1]) if outer_parts else None,
        catalog=exp.to_identifier(outer_parts[0]) if len(outer_parts) == 2 else None,
    )

    def ident(name: str) -> exp.Identifier:
        return exp.to_identifier(name)

    def col(name: str) -> exp.Column:
        return exp.column(ident(name))

    zero = exp.Literal.number(0)
    # the sums per group, and the rows with a negative or null input (NULL >= 0 is not true)
    row_ok = exp.and_(*[exp.GTE(this=col(c), expression=zero.copy()) for c in source.values()])
    bad_rows = exp.Count(
        this=exp.Case(ifs=[exp.If(this=row_ok, true=exp.Null())], default=exp.Literal.number(1))
    )
    inner: list[exp.Expr] = [col(k) for k in ks]
    for name, column in source.items():
        total = exp.Coalesce(this=exp.Sum(this=col(column)), expressions=[zero.copy()])
        inner.append(exp.alias_(total, ident(summed[name])))
    inner.append(exp.alias_(bad_rows, ident("invalid_rows")))
    sums = exp.select(*inner).from_(table_expr)
    if ks:
        sums = sums.group_by(*[col(k) for k in ks])

    s = {n: col(summed[n]) for n in definition.inputs}
    num = _linear(definition.numerator, s)
    den = _linear(definition.denominator, s)

    def paren(e: exp.Expr) -> exp.Expr:
        return exp.Paren(this=e.copy()) if isinstance(e, exp.Binary | exp.Neg) else e.copy()

    # comparisons bind looser than arithmetic: only products need brackets
    rules: list[exp.Expr] = [exp.GTE(this=den.copy(), expression=zero.copy())]
    if not definition.signed:
        rules.append(exp.GTE(this=num.copy(), expression=zero.copy()))
    if definition.bounded:
        rules.append(exp.LTE(this=num.copy(), expression=den.copy()))
    rules.append(exp.EQ(this=col("invalid_rows"), expression=zero.copy()))
    valid = exp.and_(*rules)

    def double(e: exp.Expr) -> exp.Expr:
        if scale:  # decimals: whole units of the last place first, so the quotient is exact
            units = exp.Mul(this=paren(e), expression=exp.Literal.number(10**scale))
            e = exp.cast(units, exp.DataType.build("BIGINT"))
        return exp.cast(e.copy(), exp.DataType.build("DOUBLE"))

    quotient = exp.Div(
        this=double(num),
        expression=exp.Nullif(this=double(den), expression=zero.copy()),
    )
    value = exp.Case(ifs=[exp.If(this=valid.copy(), true=quotient)])
    if chosen is None:
        verdict: exp.Expr = exp.cast(exp.Null(), exp.DataType.build("VARCHAR"))
    else:
        # value <= p/q  <=>  num * q <= den * p  (den > 0): exact, no float rounding
        p, q = chosen.threshold.numerator, chosen.threshold.denominator
        lhs = num.copy() if q == 1 else exp.Mul(this=paren(num), expression=exp.Literal.number(q))
        rhs = den.copy() if p == 1 else exp.Mul(this=paren(den), expression=exp.Literal.number(p))
        if p == 0:
            rhs = zero.copy()
        met: exp.Expr
        if chosen.direction is Direction.LOWER:
            met = exp.LTE(this=lhs, expression=rhs)
        else:
            met = exp.GTE(this=lhs, expression=rhs)
        verdict = exp.Case(
            ifs=[
                exp.If(this=exp.Not(this=exp.Paren(this=valid.copy())), true=_str(INVALID)),
                exp.If(
                    this=exp.EQ(this=den.copy(), expression=zero.copy()),
                    true=_str(VerdictStatus.UNDEFINED.value),
                ),
                exp.If(this=met, true=_str(VerdictStatus.MET.value)),
            ],
            default=_str(VerdictStatus.MISSED.value),
        )
    outer: list[exp.Expr] = [col(k) for k in ks]
    outer += [
        exp.alias_(num.copy(), ident("numerator")),
        exp.alias_(den.copy(), ident("denominator")),
        exp.alias_(value, ident("value")),
        exp.alias_(verdict, ident("verdict")),
        col("invalid_rows"),
    ]
    query = exp.select(*outer).from_(exp.to_table(_SUMS)).with_(_SUMS, as_=sums)
    if ks:
        query = query.order_by(*[exp.Ordered(this=col(k), nulls_first=False) for k in ks])
    return query.sql(dialect=sg_dialect, pretty=pretty)


def _str(text: str) -> exp.Expr:
    from sqlglot import exp

    return exp.Literal.string(text)
