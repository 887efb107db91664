"""KPIs per group of a dataframe: sums first, one division per group, on any engine.

:func:`by` (also reachable as ``metric(id).by(frame, keys)``) takes a pandas, polars (eager or
lazy), pyarrow, DuckDB, PySpark or Dask frame, or a path to Parquet/CSV files, sums the inputs
of a KPI per group, forms the numerator and the denominator from the definition's linear
forms, divides once and judges the value against a target. The result is a frame of the same
library with the group keys and the columns ``numerator``, ``denominator``, ``value`` and
``verdict``; a lazy frame stays lazy until the caller collects it. Dataframes are reached
through narwhals (the ``dataframe`` extra), imported only when a function here is called.

>>> import pandas as pd
>>> from gdsmodel.metrics.registry import metric
>>> df = pd.DataFrame({"line": ["L1", "L1", "L2", "L3"],
...                    "supplied_kwh": [1000, 500, 300, 0], "sold_kwh": [950, 480, 300, 0]})
>>> metric("line_loss_rate").by(df, "line")
  line  numerator  denominator     value   percent verdict  anomaly
0   L1         70         1500  0.046667  4.666667    <NA>    False
1   L2          0          300       0.0       0.0    <NA>    False
2   L3          0            0      <NA>      <NA>    <NA>    False
>>> metric("meter_reading_rate").by(
...     pd.DataFrame({"area": ["a", "a", "b"], "read": [99, 100, 97], "due": [100, 100, 100]}),
...     ["area"])
  area  numerator  denominator  value  percent verdict  anomaly
0    a        199          200  0.995     99.5  missed    False
1    b         97          100   0.97     97.0  missed    False

Exactness: with integer or decimal input columns the numerator and denominator are the exact
sums and ``value`` equals ``float(Ratio(numerator, denominator))`` (while the sums stay below
2**53 in the columns' smallest unit); an empty denominator gives a null value (never NaN or 0)
and the verdict ``undefined``. Float columns are summed in floating point by the engine.

Partial states: :func:`states` gives the additive state per group (the input
sums), :func:`finish` merges states (of partitions, files or workers; any order) and divides
once; ``by(frame) == finish(states(frame))``.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Final, Literal, TypeAlias, TypeVar, cast, overload

from gdsmodel.errors import InputError
from gdsmodel.metrics.additive import (
    AdditiveMetric,
    group_keys,
    require_additive,
    resolve_target,
)
from gdsmodel.metrics.partial import PartialState, stock_inputs
from gdsmodel.metrics.ratio import Direction, Ratio, Target, VerdictStatus, exact

if TYPE_CHECKING:  # pragma: no cover - the frame libraries are optional
    import dask.dataframe as dd
    import duckdb
    import narwhals.stable.v2 as nw_t
    import pandas as pd
    import polars as pl
    import pyarrow as pa
    import pyspark.sql

NwFrame: TypeAlias = "nw_t.DataFrame[Any] | nw_t.LazyFrame[Any]"

NativeFrame = TypeVar(
    "NativeFrame",
    "pd.DataFrame",
    "pl.DataFrame",
    "pl.LazyFrame",
    "duckdb.DuckDBPyRelation",
    "pyspark.sql.DataFrame",
    "dd.DataFrame",
)
"""A frame of one of the supported libraries; results come back in the same library."""

Keys = str | Sequence[str] | None
"""Group keys: a column name, a sequence of them, or ``()``/None for one total row."""

FramePath = str | os.PathLike[str]
"""A Parquet or CSV file, a glob or a folder of them (read by DuckDB)."""

__all__ = [
    "ANOMALY",
    "DENOMINATOR",
    "HOURS",
    "INVALID",
    "INVALID_ROWS",
    "NUMERATOR",
    "OUTPUT_COLUMNS",
    "PERCENT",
    "VALUE",
    "VERDICT",
    "FramePath",
    "Invalid",
    "Keys",
    "NativeFrame",
    "by",
    "finish",
    "states",
    "to_ratios",
    "to_states",
]

NUMERATOR: Final = "numerator"
"""Output column: the numerator of each group (exact sums for integer or decimal inputs)."""
DENOMINATOR: Final = "denominator"
"""Output column: the denominator of each group."""
VALUE: Final = "value"
"""Output column: numerator / denominator as a float (0.05 for 5 %); null when undefined."""
PERCENT: Final = "percent"
"""Output column: ``value`` x 100 as a float (5.0 for 5 %); null when undefined."""
VERDICT: Final = "verdict"
"""Output column: ``met``, ``missed``, ``undefined``, ``invalid``, or null without a target."""
ANOMALY: Final = "anomaly"
"""Output column: True when the numerator of a signed metric is negative (a negative line
loss: more sold than supplied, as ``LineLoss.anomaly`` on numbers); False otherwise."""
INVALID_ROWS: Final = "invalid_rows"
"""Column added with ``invalid="flag"``: rows of the group with a negative, null, NaN or
infinite input."""
HOURS: Final = "hours"
"""State column: the length of the period of a state row (with ``hours=``)."""
INVALID: Final = "invalid"
"""The verdict of a group whose inputs or sums break the definition's rules."""
OUTPUT_COLUMNS: Final = (NUMERATOR, DENOMINATOR, VALUE, PERCENT, VERDICT, ANOMALY)
"""The columns :func:`by` adds after the group keys."""

Invalid = Literal["raise", "flag"]

_P: Final = "__gds_"
_ALLOWED_FRAMES: Final = (
    "a pandas, polars (DataFrame or LazyFrame), pyarrow, DuckDB, PySpark or Dask frame, "
    "or a path to Parquet or CSV files"
)
_RESERVED: Final = frozenset({*OUTPUT_COLUMNS, INVALID_ROWS, HOURS})


def _nw() -> Any:
    try:
        import narwhals.stable.v2 as nw
    except ImportError:  # pragma: no cover - depends on the installed extras
        raise InputError(
            "dataframes need the 'dataframe' extra (narwhals)",
            name="frame",
            allowed="pip install 'gdsmodel[dataframe]'",
        ) from None
    return nw


# --------------------------------------------------------------------------- frames in and out


def _read_path(path: str | os.PathLike[str]) -> Any:
    """A DuckDB relation over Parquet or CSV files (a file, a glob, or a folder of them)."""
    try:
        import duckdb
    except ImportError:  # pragma: no cover - depends on the installed extras
        raise InputError(
            "reading files needs the 'duckdb' extra",
            name="frame",
            value=os.fspath(path),
            allowed="pip install 'gdsmodel[duckdb]', or pass a dataframe",
        ) from None
    text = os.fspath(path)
    has_glob = any(ch in text for ch in "*?[")
    if os.path.isdir(text):
        found = {
            kind
            for _, _, files in os.walk(text)
            for f in files
            for kind in ("parquet", "csv")
            if f.lower().endswith((f".{kind}", ".pq" if kind == "parquet" else ".tsv"))
        }
        if not found:
            raise InputError(
                "the folder holds no Parquet or CSV files",
                name="frame",
                value=text,
                allowed="a folder of *.parquet or *.csv files",
            )
        kind = "parquet" if "parquet" in found else "csv"
        ext = "parquet" if kind == "parquet" else "csv"
        text = os.path.join(text, "**", f"*.{ext}")
    elif not has_glob and not os.path.exists(text):
        raise InputError("no such file", name="frame", value=text, allowed=_ALLOWED_FRAMES)
    lower = text.lower()
    if lower.endswith((".parquet", ".pq")):
        return duckdb.read_parquet(text)
    if lower.endswith((".csv", ".tsv", ".csv.gz", ".txt")):
        return duckdb.read_csv(text)
    raise InputError(
        "is neither Parquet nor CSV",
        name="frame",
        value=text,
        allowed="*.parquet, *.pq, *.csv, *.tsv or *.csv.gz",
    )


def _from_native(frame: object) -> NwFrame:
    import narwhals.stable.v2 as nw

    if isinstance(frame, str | os.PathLike):
        frame = _read_path(frame)
    if isinstance(frame, nw.DataFrame | nw.LazyFrame):
        return frame
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*Dask support is moving.*")
            f: object = nw.from_native(cast(Any, frame))  # any object: checked just below
    except TypeError:
        raise InputError(
            "is not a dataframe", name="frame", value=type(frame).__name__, allowed=_ALLOWED_FRAMES
        ) from None
    if not isinstance(f, nw.DataFrame | nw.LazyFrame):
        raise InputError(
            "is not a dataframe", name="frame", value=type(frame).__name__, allowed=_ALLOWED_FRAMES
        )
    return f


def _is_pandas(native: Any) -> bool:
    return type(native).__module__.startswith("pandas")


def _to_native(frame: NwFrame) -> Any:
    native = frame.to_native()
    if _is_pandas(native):  # nullable dtypes: undefined is <NA>, never NaN
        import pandas as pd

        native = native.copy()
        for name in (VALUE, PERCENT, NUMERATOR, DENOMINATOR):
            if name in native.columns and native[name].dtype.kind == "f":
                native[name] = native[name].astype("Float64")
        if VERDICT in native.columns:
            native[VERDICT] = native[VERDICT].astype(pd.StringDtype(na_value=pd.NA))
        if ANOMALY in native.columns:
            native[ANOMALY] = native[ANOMALY].astype("boolean")
    return native


# --------------------------------------------------------------------------- the plan


class _Plan:
    """What :func:`by`, :func:`states` and :func:`finish` need to know about a call."""

    def __init__(
        self,
        definition: AdditiveMetric,
        frame: Any,
        keys: str | Sequence[str] | None,
        *,
        columns: Mapping[str, str] | None,
        period: str | None,
        hours: str | None,
        invalid: Invalid | None,
        state_frame: bool,
    ) -> None:
        require_additive(definition)
        _nw()  # a clear error without the dataframe extra
        import narwhals.stable.v2 as nw

        self.definition = definition
        self.frame = _from_native(frame)
        self.lazy = isinstance(self.frame, nw.LazyFrame)
        self.keys = group_keys(keys)
        schema = dict(self.frame.collect_schema())
        self.schema = schema
        known = ", ".join(schema) or "(none)"
        if invalid is None:
            invalid = "flag" if self.lazy else "raise"
        if invalid not in ("raise", "flag"):
            raise InputError(
                "unknown mode", name="invalid", value=invalid, allowed="'raise' or 'flag'"
            )
        self.mode: Invalid = invalid
        for key in self.keys:
            if key not in schema:
                raise InputError("no such key column", name="keys", value=key, allowed=known)
            if key in _RESERVED or key.startswith(_P):
                raise InputError(
                    "a key column may not be named like an output column",
                    name="keys",
                    value=key,
                    allowed=f"names other than {', '.join(sorted(_RESERVED))}",
                )
        names = dict(columns or {})
        if state_frame and names:
            raise InputError(
                "a state frame names its columns after the inputs",
                name="columns",
                value=names,
                allowed="no columns= with finish()",
            )
        for name in names:
            if name not in definition.inputs:
                raise InputError(
                    f"is not an input of {definition.id}",
                    name="columns",
                    value=name,
                    allowed=", ".join(definition.inputs),
                )
        self.columns = {n: names.get(n, n) for n in definition.inputs}
        for name, col in self.columns.items():
            if col not in schema:
                raise InputError(
                    f"the frame has no column for input {name} of {definition.id}",
                    name=col,
                    value=None,
                    allowed=f"columns: {known}; map inputs to columns with columns={{...}}",
                )
            if col in self.keys:
                raise InputError(
                    "a column cannot be both a group key and an input",
                    name=col,
                    value=name,
                    allowed="distinct key and input columns",
                )
        clash = [n for n in definition.inputs if n in self.keys]
        if clash:
            raise InputError(
                "a group key has the name of an input",
                name="keys",
                value=clash[0],
                allowed="rename the key column",
            )
        self.kinds = {n: self._kind(n, schema[c]) for n, c in self.columns.items()}
        self.object_bad: dict[str, tuple[int, Any]] = {}
        for name, col in self.columns.items():
            if self.kinds[name] == "object":  # Python objects: checked one by one
                assert isinstance(self.frame, nw.DataFrame)  # objects only in eager frames
                values = self.frame.get_column(col).to_list()
                flags = [_object_ok(v) for v in values]
                if not all(flags):
                    self.object_bad[name] = (flags.count(False), values[flags.index(False)])
                backend = nw.get_native_namespace(self.frame)
                ok = nw.new_series(f"{_P}ok_{name}", flags, dtype=nw.Boolean, backend=backend)
                self.frame = self.frame.with_columns(ok)
        self.scale: int = max(
            (
                dtype.scale
                for n, c in self.columns.items()
                if isinstance(dtype := schema[c], nw.Decimal) and self.kinds[n] == "decimal"
            ),
            default=0,
        )
        self.stocks = stock_inputs(definition)
        if period is not None and period not in schema:
            raise InputError("no such period column", name="period", value=period, allowed=known)
        if hours is not None:
            if period is None:
                raise InputError(
                    "hours= weighs periods: give period= too",
                    name="hours",
                    value=hours,
                    allowed="hours= together with period=",
                )
            if hours not in schema:
                raise InputError("no such hours column", name="hours", value=hours, allowed=known)
            if not schema[hours].is_numeric():
                raise InputError(
                    "must be a numeric column",
                    name=hours,
                    value=str(schema[hours]),
                    allowed="hours",
                )
        if self.stocks and period is None:
            raise InputError(
                f"{', '.join(self.stocks)} of {definition.id} is a count at a time, not "
                "additive across periods: name the column holding each row's period",
                name="period",
                value=None,
                allowed="period='<column>' (rows of a period are summed, periods are "
                "averaged, weighted by hours='<column>' when given)",
            )
        self.period = period
        self.hours = hours
        # stocks averaged across periods only when the period is not itself a group key
        self.split = bool(self.stocks) and period is not None and period not in self.keys
        self.flag_in = state_frame and INVALID_ROWS in schema
        self.hours_in = state_frame and HOURS in schema

    def _kind(self, name: str, dtype: Any) -> str:
        import narwhals.stable.v2 as nw

        col = self.columns[name]
        if isinstance(dtype, nw.Decimal):
            return "decimal"
        if dtype.is_integer():
            return "int"
        if dtype.is_float():
            return "float"
        if isinstance(dtype, nw.Object) and not self.lazy:
            return "object"  # pandas columns of Decimal or int objects
        raise InputError(
            f"input {name} of {self.definition.id} must be a numeric column",
            name=col,
            value=str(dtype),
            allowed="integer, decimal or float numbers >= 0",
        )

    @property
    def group(self) -> tuple[str, ...]:
        """The keys of the state rows (the period too when stocks are averaged over it)."""
        return (*self.keys, self.period) if self.split and self.period else self.keys

    @property
    def complex_aggregations(self) -> bool:
        """The engine aggregates expressions, not only columns (polars and SQL engines)."""
        impl = self.frame.implementation
        names = ("POLARS", "DUCKDB", "PYSPARK", "PYSPARK_CONNECT", "SQLFRAME", "IBIS")
        import narwhals.stable.v2 as nw

        return any(impl is getattr(nw.Implementation, n, None) for n in names)

    @property
    def all_int(self) -> bool:
        """Every input column holds integers."""
        return all(k == "int" for k in self.kinds.values())

    @property
    def exact_in_python(self) -> bool:
        """Eager frames with decimal or object inputs are finished exactly in Python."""
        return not self.lazy and any(k in ("decimal", "object") for k in self.kinds.values())


# --------------------------------------------------------------------------- checks


def _object_ok(value: Any) -> bool:
    if value is None:
        return False
    try:
        exact(value, name="value")
    except InputError:
        return False
    return True


def _row_ok(plan: _Plan, name: str) -> nw_t.Expr:
    import narwhals.stable.v2 as nw

    if plan.kinds[name] == "object":
        return nw.col(f"{_P}ok_{name}")
    c = nw.col(plan.columns[name])
    ok = c >= 0
    if plan.kinds[name] == "float":
        ok = ok & c.is_finite()
    return ok


def _check_rows(plan: _Plan) -> None:
    """Raise for a negative, null, NaN or infinite input (one pass over the frame)."""
    import narwhals.stable.v2 as nw

    for name, (count, first) in plan.object_bad.items():
        col = plan.columns[name]
        raise InputError(
            f"column {col!r} (input {name} of {plan.definition.id}) has {count} rows that are "
            "not finite numbers >= 0",
            name=col,
            value=first,
            allowed="finite numbers >= 0 in every row",
        )
    # integers and decimals: the minimum and the null count need no per-row temporaries;
    # floats also need NaN and infinities counted
    exprs = []
    for i, name in enumerate(plan.definition.inputs):
        column = nw.col(plan.columns[name])
        if plan.kinds[name] == "float":
            bad = nw.when(_row_ok(plan, name)).then(nw.lit(0)).otherwise(nw.lit(1)).sum()
        elif plan.kinds[name] == "object":
            bad = nw.lit(0)  # checked one by one when the plan was made
        else:
            bad = column.null_count()
        low = nw.lit(0) if plan.kinds[name] == "object" else column.min()
        exprs += [bad.alias(f"{_P}bad{i}"), low.alias(f"{_P}min{i}")]
    if plan.hours is not None:
        hours_ok = nw.when(nw.col(plan.hours) > 0).then(nw.lit(0)).otherwise(nw.lit(1))
        exprs.append(hours_ok.sum().alias(f"{_P}badh"))
    selected = plan.frame.select(*exprs)
    out = selected.collect() if isinstance(selected, nw.LazyFrame) else selected
    row = out.row(0)
    for i, name in enumerate(plan.definition.inputs):
        bad, low = row[2 * i], row[2 * i + 1]
        negative = low is not None and low == low and low < 0
        if bad or negative:
            col = plan.columns[name]
            if negative:
                what = f"negative values (smallest {low})"
            else:
                what = f"{int(bad)} missing" + (
                    ", NaN or infinite" if plan.kinds[name] == "float" else ""
                )
                what += " values"
            raise InputError(
                f"column {col!r} (input {name} of {plan.definition.id}) has {what}",
                name=col,
                value=low if negative else None,
                allowed="finite numbers >= 0 in every row",
            )
    if plan.hours is not None and row[-1]:
        raise InputError(
            f"column {plan.hours!r} has {row[-1]} rows without a positive length",
            name=plan.hours,
            allowed="hours > 0 in every row",
        )


# --------------------------------------------------------------------------- states


def _bad_flag(plan: _Plan, *, counted: bool) -> nw_t.Expr:
    """A row flag for a negative, null, NaN or infinite input (or hours <= 0).

    ``counted``: null for a good row and 1 for a bad one (counting the non-nulls counts the
    bad rows: cheap on SQL engines); else 0 and 1, to be summed (pandas-like engines).
    """
    import narwhals.stable.v2 as nw

    ok = _row_ok(plan, plan.definition.inputs[0])
    for name in plan.definition.inputs[1:]:
        ok = ok & _row_ok(plan, name)
    if plan.hours is not None:
        ok = ok & (nw.col(plan.hours) > 0)
    good = nw.lit(None, dtype=nw.Int64) if counted else nw.lit(0, dtype=nw.Int64)
    return nw.when(ok).then(good).otherwise(nw.lit(1, dtype=nw.Int64))


def _states(plan: _Plan) -> NwFrame:
    """Sums of the inputs per group (+ hours, + invalid rows in flag mode), narwhals frame."""
    import narwhals.stable.v2 as nw

    frame = plan.frame
    if plan.mode == "raise":
        _check_rows(plan)
    aggs = [nw.col(c).sum().alias(n) for n, c in plan.columns.items()]
    if plan.hours is not None and plan.split:
        aggs.append(nw.col(plan.hours).max().alias(HOURS))
    if plan.mode == "flag":
        if plan.complex_aggregations:  # one relation less to plan (DuckDB binds each one)
            aggs.append(_bad_flag(plan, counted=True).count().alias(INVALID_ROWS))
        else:
            frame = frame.with_columns(_bad_flag(plan, counted=False).alias(f"{_P}bad"))
            aggs.append(nw.col(f"{_P}bad").sum().alias(INVALID_ROWS))
    if plan.group:
        return frame.group_by(*plan.group, drop_null_keys=False).agg(*aggs)
    return frame.select(*aggs)


def _merge_states(plan: _Plan, frame: NwFrame, group: tuple[str, ...]) -> NwFrame:
    """Merge state rows of the same group: sum the input sums and invalid rows."""
    import narwhals.stable.v2 as nw

    aggs = [nw.col(n).sum() for n in plan.definition.inputs]
    if plan.hours_in or (plan.hours is not None and plan.split):
        aggs.append(nw.col(HOURS).max())
    if plan.flag_in or plan.mode == "flag":
        aggs.append(nw.col(INVALID_ROWS).sum())
    if group:
        return frame.group_by(*group, drop_null_keys=False).agg(*aggs)
    return frame.select(*aggs)


# --------------------------------------------------------------------------- finishing


def _linear(nw: Any, terms: Mapping[str, int], col: Callable[[str], nw_t.Expr]) -> nw_t.Expr:
    expr = None
    for name, coef in terms.items():
        term = col(name)
        mag = abs(coef)
        if mag != 1:
            term = term * mag
        if expr is None:
            expr = term if coef > 0 else term * -1
        else:
            expr = expr + term if coef > 0 else expr - term
    return expr if expr is not None else nw.lit(0)


def _as_float(plan: _Plan, expr: nw_t.Expr) -> nw_t.Expr:
    import narwhals.stable.v2 as nw

    if any(k == "float" for k in plan.kinds.values()):
        return expr.cast(nw.Float64)
    if plan.scale:  # decimals: scale to whole units first, so the division is exact
        factor: int = 10**plan.scale
        return (expr * factor).cast(nw.Int64).cast(nw.Float64)
    return expr.cast(nw.Float64)


def _finish_engine(plan: _Plan, st: NwFrame, target: Target | None) -> NwFrame:
    """Numerator, denominator, value and verdict as engine expressions (stays lazy).

    Everything is computed in one projection of the grouped sums: fewer intermediate
    relations keep lazy engines (DuckDB binds each one) cheap to plan.
    """
    import narwhals.stable.v2 as nw

    d = plan.definition
    flag = plan.flag_in or plan.mode == "flag"
    if plan.split:
        # stocks: weighted sum over the periods; flows scaled by the total weight W
        weight = nw.col(HOURS) if (plan.hours is not None or plan.hours_in) else nw.lit(1)
        w_col = f"{_P}w"
        st = st.with_columns(
            weight.alias(w_col), *[(nw.col(s) * weight).alias(s) for s in plan.stocks]
        )
        aggs = [nw.col(n).sum() for n in d.inputs] + [nw.col(w_col).sum()]
        if flag:
            aggs.append(nw.col(INVALID_ROWS).sum())
        if plan.keys:
            st = st.group_by(*plan.keys, drop_null_keys=False).agg(*aggs)
        else:
            st = st.select(*aggs)
        stocks = set(plan.stocks)

        def scaled(name: str) -> nw_t.Expr:
            c = nw.col(name)
            return c if name in stocks else c * nw.col(w_col)

        num_x = _linear(nw, d.numerator, scaled)
        den_x = _linear(nw, d.denominator, scaled)
        num_f, den_f = num_x.cast(nw.Float64), den_x.cast(nw.Float64)
        w = nw.col(w_col).cast(nw.Float64)
        num_out, den_out = num_f / w, den_f / w
    else:
        num_x = _linear(nw, d.numerator, nw.col)
        den_x = _linear(nw, d.denominator, nw.col)
        num_f, den_f = _as_float(plan, num_x), _as_float(plan, den_x)
        num_out, den_out = num_x, den_x
        if plan.all_int:  # DuckDB and Spark widen integer sums: back to 64 bits (checked)
            num_out, den_out = num_x.cast(nw.Int64), den_x.cast(nw.Int64)
    valid = den_x >= 0
    if not d.signed:
        valid = valid & (num_x >= 0)
    if d.bounded:
        valid = valid & (num_x <= den_x)
    if flag:
        valid = valid & (nw.col(INVALID_ROWS) == 0)
    value = nw.when(valid & (den_x != 0)).then(num_f / den_f)
    if target is None:
        judged = nw.lit(None, dtype=nw.String)
    else:
        threshold = float(target.threshold)
        ratio = num_f / den_f
        met = ratio <= threshold if target.direction is Direction.LOWER else ratio >= threshold
        judged = (
            nw.when(den_x == 0)
            .then(nw.lit(VerdictStatus.UNDEFINED.value))
            .otherwise(
                nw.when(met)
                .then(nw.lit(VerdictStatus.MET.value))
                .otherwise(nw.lit(VerdictStatus.MISSED.value))
            )
        )
    verdict = nw.when(valid).then(judged).otherwise(nw.lit(INVALID))
    percent = nw.when(valid & (den_x != 0)).then(num_f * 100 / den_f)
    # a CASE of boolean literals, not the comparison itself: ClickHouse compares to UInt8
    anomaly = (
        nw.when(num_x < 0).then(nw.lit(True)).otherwise(nw.lit(False))
        if d.signed
        else nw.lit(False)
    )
    cols = [
        *[nw.col(k) for k in plan.keys],
        num_out.alias(NUMERATOR),
        den_out.alias(DENOMINATOR),
        value.alias(VALUE),
        percent.alias(PERCENT),
        verdict.alias(VERDICT),
        anomaly.alias(ANOMALY),
    ]
    if flag:
        cols.append(nw.col(INVALID_ROWS).cast(nw.Int64))
    return st.select(*cols)


def _exact(value: Any, name: str) -> Fraction:
    if value is None:
        return Fraction(0)
    return exact(value, name=name, nonnegative=False)


def _python_number(value: Fraction, like: Iterable[Any]) -> Any:
    """An exact sum as an int, or as a Decimal with the scale of the input values."""
    decimals = [x for x in like if isinstance(x, Decimal)]
    if not decimals and value.denominator == 1:
        return int(value)
    exps = [x.as_tuple().exponent for x in decimals]
    exp = min((e for e in exps if isinstance(e, int)), default=0)
    while (value * 10**-exp).denominator != 1:  # a Fraction input: widen the scale
        exp -= 1
    return Decimal(int(value * 10**-exp)).scaleb(exp)


def _finish_python(plan: _Plan, st: NwFrame, target: Target | None) -> NwFrame:
    """Numerator, denominator, value and verdict computed exactly in Python (small, eager)."""
    import narwhals.stable.v2 as nw

    d = plan.definition
    flag = plan.flag_in or plan.mode == "flag"
    if plan.split:
        return _finish_engine(plan, st, target)  # averaged stocks: floats either way
    assert isinstance(st, nw.DataFrame)  # only eager frames are finished in Python
    cols = {n: st.get_column(n).to_list() for n in d.inputs}
    invalid = st.get_column(INVALID_ROWS).to_list() if flag else None
    nums: list[Any] = []
    dens: list[Any] = []
    values: list[float | None] = []
    percents: list[float | None] = []
    verdicts: list[str | None] = []
    anomalies: list[bool] = []
    for i in range(len(st)):
        raw = {n: cols[n][i] for n in d.inputs}
        sums = {n: _exact(v, n) for n, v in raw.items()}
        num = sum((c * sums[n] for n, c in d.numerator.items()), Fraction(0))
        den = sum((c * sums[n] for n, c in d.denominator.items()), Fraction(0))
        nums.append(_python_number(num, raw.values()))
        dens.append(_python_number(den, raw.values()))
        anomalies.append(d.signed and num < 0)
        ok = den >= 0 and (d.signed or num >= 0) and (not d.bounded or num <= den)
        if invalid is not None and invalid[i]:
            ok = False
        if not ok:
            values.append(None)
            percents.append(None)
            verdicts.append(INVALID)
            continue
        ratio = Ratio(num, den)
        values.append(float(ratio) if ratio.defined else None)
        percents.append(float(ratio.percent) if ratio.percent is not None else None)
        verdicts.append(None if target is None else target.verdict(ratio).status.value)
    backend = nw.get_native_namespace(st)
    return st.with_columns(
        nw.new_series(NUMERATOR, nums, backend=backend),
        nw.new_series(DENOMINATOR, dens, backend=backend),
        nw.new_series(VALUE, values, dtype=nw.Float64, backend=backend),
        nw.new_series(PERCENT, percents, dtype=nw.Float64, backend=backend),
        nw.new_series(VERDICT, verdicts, dtype=nw.String, backend=backend),
        nw.new_series(ANOMALY, anomalies, dtype=nw.Boolean, backend=backend),
    )


def _select_output(plan: _Plan, st: NwFrame, current: list[str] | None = None) -> NwFrame:
    import narwhals.stable.v2 as nw

    names = [*plan.keys, *OUTPUT_COLUMNS]
    if plan.mode == "flag":
        names.append(INVALID_ROWS)
    if current is None:
        current = st.collect_schema().names()
    if current != names:
        cols = [nw.col(c) for c in names]
        if plan.mode == "flag":
            cols[-1] = cols[-1].cast(nw.Int64)
        st = st.select(*cols)
    if plan.keys:
        st = st.sort(*plan.keys, nulls_last=True)
    return st


def _raise_invalid(plan: _Plan, out: Any) -> None:
    """In raise mode (eager), a group whose sums break the definition's rules is an error."""
    import narwhals.stable.v2 as nw

    bad = out.filter(nw.col(VERDICT) == INVALID)
    if len(bad) == 0:
        return
    d = plan.definition
    values = bad.row(0)
    row = dict(zip(bad.columns, values, strict=True))
    group = {k: row[k] for k in plan.keys}
    num, den = row[NUMERATOR], row[DENOMINATOR]
    where = f"group {group}" if group else "the whole frame"
    if row.get(INVALID_ROWS):
        raise InputError(
            f"the states of {where} count {row[INVALID_ROWS]} rows with a negative, null, "
            "NaN or infinite input",
            name=INVALID_ROWS,
            value=row[INVALID_ROWS],
            allowed="states made from valid rows (invalid_rows = 0)",
        )
    if den is not None and den < 0:
        rule = "denominator >= 0"
    elif not d.signed and num is not None and num < 0:
        rule = f"numerator >= 0 ({d.id} may not be negative)"
    else:
        rule = f"numerator <= denominator ({d.id} is bounded)"
    raise InputError(
        f"the sums of {where} break the rule of {d.id}: numerator {num}, denominator {den}",
        name=NUMERATOR,
        value=num,
        allowed=rule,
    )


def _finish(plan: _Plan, st: NwFrame, target: Target | None) -> NwFrame:
    current = None
    if plan.exact_in_python and not plan.split:
        out = _finish_python(plan, st, target)
    else:
        out = _finish_engine(plan, st, target)
        current = [*plan.keys, *OUTPUT_COLUMNS]
        if plan.flag_in or plan.mode == "flag":
            current.append(INVALID_ROWS)
    if plan.mode == "raise" and not plan.lazy:
        _raise_invalid(plan, out)
    return _select_output(plan, out, current)


# --------------------------------------------------------------------------- public API


@overload
def by(
    definition: AdditiveMetric,
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
    definition: AdditiveMetric,
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
    definition: AdditiveMetric,
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
    definition: AdditiveMetric,
    frame: object,
    keys: str | Sequence[str] | None,
    *,
    columns: Mapping[str, str] | None = None,
    target: str | Target | None = None,
    period: str | None = None,
    hours: str | None = None,
    invalid: Invalid | None = None,
) -> Any:
    """The KPI ``definition`` per group of ``frame``: sums first, then one division per group.

    * ``frame``: pandas, polars (DataFrame or LazyFrame), pyarrow Table, DuckDB relation,
      PySpark or Dask DataFrame, or a path (str or PathLike) to a Parquet or CSV file, a glob
      or a folder of them (read by DuckDB, the engine for data larger than memory);
    * ``keys``: a column name, a sequence of them, or ``()``/None for one total row;
    * ``columns``: maps input names to column names where they differ;
    * ``target``: a target ID of the definition (``"A"``) or a :class:`Target`; the default
      target when None (no default: the verdict is null);
    * ``period``, ``hours``: for metrics with a stock input (customers): the column holding
      each row's period and, optionally, its length in hours (see
      :mod:`gdsmodel.metrics.partial`);
    * ``invalid``: ``"raise"`` (default for eager frames) raises
      :class:`~gdsmodel.errors.InputError` for a negative, null, NaN or infinite input or a
      group whose sums break the definition (numerator above a bounded denominator...);
      ``"flag"`` (default for lazy frames, which stay lazy) adds the column ``invalid_rows``
      and gives such groups a null value and the verdict ``invalid``.

    Returns a frame of the same library (a DuckDB relation for a path) with the keys, then
    ``numerator``, ``denominator``, ``value`` and ``verdict``, sorted by the keys.

    >>> import polars as pl
    >>> from gdsmodel.metrics.registry import metric
    >>> lf = pl.LazyFrame({"station": ["s1", "s1", "s2"], "collected": [90, 10, 5],
    ...                    "billed": [100, 0, 0]})
    >>> out = by(metric("collection_rate"), lf, "station")
    >>> type(out).__name__
    'LazyFrame'
    >>> out.collect().rows()
    [('s1', 100, 100, 1.0, 100.0, 'met', False, 0), ('s2', 5, 0, None, None, 'undefined', False, 0)]
    >>> by(metric("collection_rate"), pl.DataFrame({"collected": [-1], "billed": [1]}), ())
    Traceback (most recent call last):
    gdsmodel.errors.InputError: collected=-1: column 'collected' (input collected of \
collection_rate) has negative values (smallest -1) (allowed: finite numbers >= 0 in every row)
    """
    plan = _Plan(
        definition,
        frame,
        keys,
        columns=columns,
        period=period,
        hours=hours,
        invalid=invalid,
        state_frame=False,
    )
    chosen = resolve_target(definition, target)
    # the state rows are per group (per group and period for averaged stocks)
    return _to_native(_finish(plan, _states(plan), chosen))


@overload
def states(
    definition: AdditiveMetric,
    frame: NativeFrame,
    keys: Keys,
    *,
    columns: Mapping[str, str] | None = ...,
    period: str | None = ...,
    hours: str | None = ...,
    invalid: Invalid | None = ...,
) -> NativeFrame: ...
@overload
def states(
    definition: AdditiveMetric,
    frame: FramePath,
    keys: Keys,
    *,
    columns: Mapping[str, str] | None = ...,
    period: str | None = ...,
    hours: str | None = ...,
    invalid: Invalid | None = ...,
) -> duckdb.DuckDBPyRelation: ...
@overload
def states(
    definition: AdditiveMetric,
    frame: pa.Table,
    keys: Keys,
    *,
    columns: Mapping[str, str] | None = ...,
    period: str | None = ...,
    hours: str | None = ...,
    invalid: Invalid | None = ...,
) -> pa.Table: ...
def states(
    definition: AdditiveMetric,
    frame: object,
    keys: str | Sequence[str] | None,
    *,
    columns: Mapping[str, str] | None = None,
    period: str | None = None,
    hours: str | None = None,
    invalid: Invalid | None = None,
) -> Any:
    """The additive state of a KPI per group: the sums of its inputs, one column per input.

    The result (same library as ``frame``) has the keys (and the ``period`` column for a
    metric with stock inputs, unless it is a key), one column per input named after the
    input, ``hours`` (with ``hours=``) and ``invalid_rows`` (with ``invalid="flag"``). States
    of partitions concatenate and merge with :func:`finish`; see :func:`by` for the arguments.

    >>> import pandas as pd
    >>> from gdsmodel.metrics.registry import metric
    >>> d = metric("line_loss_rate")
    >>> jan = pd.DataFrame({"line": ["L1", "L2"], "supplied_kwh": [100, 50], "sold_kwh": [90, 45]})
    >>> feb = pd.DataFrame({"line": ["L1"], "supplied_kwh": [100], "sold_kwh": [96]})
    >>> both = pd.concat([states(d, jan, "line"), states(d, feb, "line")])
    >>> finish(d, both, "line")
      line  numerator  denominator  value  percent verdict  anomaly
    0   L1         14          200   0.07      7.0    <NA>    False
    1   L2          5           50    0.1     10.0    <NA>    False
    """
    plan = _Plan(
        definition,
        frame,
        keys,
        columns=columns,
        period=period,
        hours=hours,
        invalid=invalid,
        state_frame=False,
    )
    st = _states(plan)
    import narwhals.stable.v2 as nw

    cols = [nw.col(k) for k in plan.group]
    for name in definition.inputs:  # integer sums back to 64 bits (DuckDB, Spark widen them)
        c = nw.col(name)
        cols.append(c.cast(nw.Int64) if plan.kinds[name] == "int" else c)
    if plan.hours is not None and plan.split:
        cols.append(nw.col(HOURS))
    if plan.mode == "flag":
        cols.append(nw.col(INVALID_ROWS).cast(nw.Int64))
    st = st.select(*cols)
    if plan.group:
        st = st.sort(*plan.group, nulls_last=True)
    return st.to_native()


@overload
def finish(
    definition: AdditiveMetric,
    states: NativeFrame,
    keys: Keys,
    *,
    target: str | Target | None = ...,
    period: str | None = ...,
    invalid: Invalid | None = ...,
) -> NativeFrame: ...
@overload
def finish(
    definition: AdditiveMetric,
    states: FramePath,
    keys: Keys,
    *,
    target: str | Target | None = ...,
    period: str | None = ...,
    invalid: Invalid | None = ...,
) -> duckdb.DuckDBPyRelation: ...
@overload
def finish(
    definition: AdditiveMetric,
    states: pa.Table,
    keys: Keys,
    *,
    target: str | Target | None = ...,
    period: str | None = ...,
    invalid: Invalid | None = ...,
) -> pa.Table: ...
def finish(
    definition: AdditiveMetric,
    states: object,
    keys: str | Sequence[str] | None,
    *,
    target: str | Target | None = None,
    period: str | None = None,
    invalid: Invalid | None = None,
) -> Any:
    """Merge state rows (from :func:`states`, of any partitions, in any order) per group and
    divide once: the same output as :func:`by`.

    ``keys`` may be coarser than the keys the states were made with (states by line and
    month finish by month). A metric with stock inputs needs ``period=`` as in :func:`by`.

    >>> import polars as pl
    >>> from gdsmodel.metrics.registry import metric
    >>> d = metric("meter_reading_rate")
    >>> s = states(d, pl.DataFrame({"area": ["a", "b"], "read": [9, 10], "due": [10, 10]}), "area")
    >>> finish(d, s, ()).rows()
    [(19, 20, 0.95, 95.0, 'missed', False)]
    """
    plan = _Plan(
        definition,
        states,
        keys,
        columns=None,
        period=period,
        hours=None,
        invalid=invalid,
        state_frame=True,
    )
    if plan.mode == "raise":
        _check_rows(plan)
    elif not plan.flag_in:  # flag the state rows themselves
        plan.frame = plan.frame.with_columns(_bad_flag(plan, counted=False).alias(INVALID_ROWS))
        plan.flag_in = True
    chosen = resolve_target(definition, target)
    st = _merge_states(plan, plan.frame, plan.group)
    return _to_native(_finish(plan, st, chosen))


def to_ratios(
    definition: AdditiveMetric, result: object, keys: Keys
) -> dict[tuple[Hashable, ...], Ratio]:
    """The exact :class:`Ratio` of each group of a :func:`by` or :func:`finish` result.

    Lazy results are collected. Integer and decimal numerators and denominators convert
    exactly; floats (averaged stocks, float inputs) at their shortest representation.

    >>> import pandas as pd
    >>> from gdsmodel.metrics.registry import metric
    >>> d = metric("collection_rate")
    >>> out = d.by(pd.DataFrame({"k": ["a", "a"], "collected": [1, 2], "billed": [3, 3]}), "k")
    >>> to_ratios(d, out, "k")
    {('a',): Ratio(numerator=Fraction(3, 1), denominator=Fraction(6, 1))}
    """
    require_additive(definition)
    _nw()
    import narwhals.stable.v2 as nw

    frame = _from_native(result)
    if isinstance(frame, nw.LazyFrame):
        frame = frame.collect()
    ks = group_keys(keys)
    out: dict[tuple[Hashable, ...], Ratio] = {}
    for row in frame.select(*ks, NUMERATOR, DENOMINATOR).iter_rows():
        *key, num, den = row
        out[tuple(key)] = Ratio(_exact(num, NUMERATOR), _exact(den, DENOMINATOR))
    return out


def to_states(
    definition: AdditiveMetric,
    result: object,
    keys: Keys,
    *,
    period: str | None = None,
) -> dict[tuple[Hashable, ...], PartialState]:
    """The :class:`~gdsmodel.metrics.partial.PartialState` of each row of a :func:`states`
    frame, keyed by ``keys``; rows of the same key merge. Lazy frames are collected.

    >>> import pandas as pd
    >>> from gdsmodel.metrics.registry import metric
    >>> d = metric("collection_rate")
    >>> s = states(d, pd.DataFrame({"k": ["a", "a"], "collected": [1, 2], "billed": [3, 3]}), "k")
    >>> to_states(d, s, "k")[("a",)].ratio()
    Ratio(numerator=Fraction(3, 1), denominator=Fraction(6, 1))
    """
    require_additive(definition)
    _nw()
    import narwhals.stable.v2 as nw

    frame = _from_native(result)
    if isinstance(frame, nw.LazyFrame):
        frame = frame.collect()
    ks = group_keys(keys)
    stocks = stock_inputs(definition)
    if stocks and period is None:
        raise InputError(
            f"{', '.join(stocks)} of {definition.id} needs the period of each state row",
            name="period",
            allowed="period='<column>'",
        )
    extra = [period] if period is not None else []
    has_hours = HOURS in frame.columns
    cols = [*ks, *extra, *definition.inputs, *([HOURS] if has_hours else [])]
    out: dict[tuple[Hashable, ...], PartialState] = {}
    for row in frame.select(*cols).iter_rows(named=True):
        key = tuple(row[k] for k in ks)
        inputs = {n: exact(row[n], name=n) for n in definition.inputs}
        state = PartialState.of(
            definition,
            period=row[period] if period is not None else None,
            hours=row[HOURS] if has_hours else None,
            **inputs,
        )
        out[key] = out[key] + state if key in out else state
    return out
