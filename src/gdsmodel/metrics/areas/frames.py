"""Transformer-area analytics on dataframes: pandas, polars (eager, lazy, streaming), DuckDB.

The same rules as the scalar API (:mod:`gdsmodel.metrics.areas.loss`,
:mod:`~gdsmodel.metrics.areas.load`), as engine expressions through narwhals: a lazy input
gives a lazy result of the same library (collect a polars ``LazyFrame`` with
``collect(engine="streaming")`` for bounded memory; a DuckDB relation stays a relation).

Readings:

* supply frame: ``area``, ``day`` (a date), ``supplied_kwh`` (null: not read), optionally
  ``area_type`` (the rules' default type otherwise);
* customers frame: ``area``, ``day``, ``sold_kwh``, ``meters_expected``, ``meters_read`` and
  optionally ``estimated`` (boolean).

:func:`day_states` sums both sides per area and day into mergeable state rows (concatenate
the states of several files, days or stations and merge them with :func:`merge_day_states`);
:func:`classify_days` adds each area-day's reason and class; :func:`area_months` sums the
computable days per area and month and classes the month; :func:`class_counts` counts the
classes per group. :func:`load_events` and :func:`low_voltage_events` find runs over
96-point curves.

>>> import datetime as dt, polars as pl
>>> supply = pl.DataFrame({"area": ["T01", "T02"], "day": [dt.date(2026, 3, 1)] * 2,
...                        "supplied_kwh": [1000, 500]})
>>> customers = pl.DataFrame({"area": ["T01", "T02"], "day": [dt.date(2026, 3, 1)] * 2,
...                           "sold_kwh": [900, 510], "meters_expected": [50, 20],
...                           "meters_read": [50, 20]})
>>> months = area_months(classify_days(day_states(supply, customers)))
>>> months.select("area", "month", "loss", "area_class").rows()
[('T01', '2026-03', 0.1, 'qualified'), ('T02', '2026-03', -0.02, 'negative_loss')]
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Final

from gdsmodel.errors import InputError
from gdsmodel.metrics.areas.loss import AreaClass, NonComputable
from gdsmodel.metrics.areas.rules import AreaRules, LoadEventRule, area_rules

__all__ = [
    "DAY_STATE_COLUMNS",
    "area_load_points",
    "area_months",
    "class_counts",
    "classify_days",
    "day_states",
    "load_events",
    "low_voltage_events",
    "merge_day_states",
    "unbalance_events",
]

DAY_STATE_COLUMNS: Final = (
    "supply_meters",
    "supply_read",
    "supplied_kwh",
    "sold_kwh",
    "estimated_kwh",
    "meters_expected",
    "meters_read",
    "meters_estimated",
)
"""The additive columns of a day-state row (after the keys, ``day`` and ``area_type``)."""

_REASONS: Final = tuple(r.value for r in NonComputable if r is not NonComputable.TOO_FEW_DAYS)
_ENERGY: Final = ("supplied_kwh", "sold_kwh", "estimated_kwh")


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


_ALLOWED: Final = "a pandas or polars frame (eager or lazy), a DuckDB relation, or a path"


def _read_path(path: str | os.PathLike[str]) -> Any:
    import duckdb

    text = os.fspath(path)
    if os.path.isdir(text):
        for ext in ("parquet", "csv"):
            if any(f.endswith(f".{ext}") for f in os.listdir(text)):
                text = os.path.join(text, f"*.{ext}")
                break
        else:
            raise InputError(
                "the folder holds no Parquet or CSV files",
                name="frame",
                value=text,
                allowed=_ALLOWED,
            )
    elif not any(ch in text for ch in "*?[") and not os.path.exists(text):
        raise InputError("no such file", name="frame", value=text, allowed=_ALLOWED)
    if text.endswith((".parquet", ".pq")):
        return duckdb.read_parquet(text)
    if text.endswith(".csv"):
        return duckdb.read_csv(text)
    raise InputError("is neither Parquet nor CSV", name="frame", value=text, allowed=_ALLOWED)


def _frame(nw: Any, frame: Any, name: str) -> Any:
    if isinstance(frame, str | os.PathLike):
        frame = _read_path(frame)
    if isinstance(frame, nw.DataFrame | nw.LazyFrame):
        return frame
    if type(frame).__module__.startswith("pandas") and "day" in getattr(frame, "columns", ()):
        import pandas as pd

        if frame["day"].dtype == object:
            frame = frame.copy()
            try:
                frame["day"] = pd.to_datetime(frame["day"])
            except (TypeError, ValueError):
                raise InputError(
                    "column 'day' has values that are not dates",
                    name=f"{name}.day",
                    value=str(frame["day"].iloc[0]) if len(frame) else None,
                    allowed="dates (YYYY-MM-DD)",
                ) from None
    try:
        f = nw.from_native(frame)
    except TypeError:
        raise InputError(
            "is not a dataframe", name=name, value=type(frame).__name__, allowed=_ALLOWED
        ) from None
    if not isinstance(f, nw.DataFrame | nw.LazyFrame):
        raise InputError(
            "is not a dataframe", name=name, value=type(frame).__name__, allowed=_ALLOWED
        )
    return f


def _require(nw: Any, f: Any, name: str, columns: Sequence[str], numeric: Sequence[str]) -> None:
    schema = dict(f.collect_schema())
    known = ", ".join(schema) or "(none)"
    for c in columns:
        if c not in schema:
            raise InputError(
                f"the {name} frame has no column {c!r}", name=f"{name}.{c}", allowed=known
            )
    for c in numeric:
        if c in schema and not schema[c].is_numeric():
            raise InputError(
                f"column {c!r} of the {name} frame must be numeric",
                name=f"{name}.{c}",
                value=str(schema[c]),
                allowed="integer or float numbers",
            )
    if "day" in columns and not isinstance(schema["day"], nw.Date | nw.Datetime):
        raise InputError(
            f"column 'day' of the {name} frame must hold dates",
            name=f"{name}.day",
            value=str(schema["day"]),
            allowed="a Date or Datetime column",
        )


def _native(f: Any) -> Any:
    return f.to_native()


def _keys(keys: str | Sequence[str]) -> tuple[str, ...]:
    return (keys,) if isinstance(keys, str) else tuple(keys)


def _energy_dtype(nw: Any, *schemas: Any) -> Any:
    kinds = [s[c] for s in schemas for c in _ENERGY if c in s]
    return nw.Int64 if all(k.is_integer() for k in kinds) else nw.Float64


def _check_values(nw: Any, f: Any, name: str, cols: Sequence[str], lazy: bool) -> None:
    """Negative values are input errors (eager frames are checked; lazy ones too, cheaply)."""
    if not cols:
        return
    out = f.select(*[nw.col(c).min().alias(c) for c in cols])
    if lazy:
        out = out.collect()
    row = out.row(0)
    for c, low in zip(cols, row, strict=True):
        if low is not None and low == low and low < 0:
            raise InputError(
                f"column {c!r} of the {name} frame has negative values (smallest {low})",
                name=f"{name}.{c}",
                value=low,
                allowed="numbers >= 0",
            )


# --------------------------------------------------------------------------- line loss


def day_states(
    supply: Any, customers: Any, *, keys: str | Sequence[str] = "area", check: bool = True
) -> Any:
    """The additive state of each area-day from both sides' readings.

    Returns a frame of the supply frame's library with ``keys``, ``day``, ``area_type`` (when
    the supply frame has it) and :data:`DAY_STATE_COLUMNS`. Negative energies or counts
    raise :class:`~gdsmodel.errors.InputError` naming the frame and column (``check=False``
    skips that pass).

    >>> import datetime as dt, pandas as pd
    >>> s = pd.DataFrame({"area": ["T01", "T01"], "day": pd.to_datetime(["2026-03-01"] * 2),
    ...                   "supplied_kwh": [600.0, None]})
    >>> c = pd.DataFrame({"area": ["T01"], "day": pd.to_datetime(["2026-03-01"]),
    ...                   "sold_kwh": [500.0], "meters_expected": [9], "meters_read": [9]})
    >>> day_states(s, c)[["area", "supply_meters", "supply_read", "supplied_kwh"]]
      area  supply_meters  supply_read  supplied_kwh
    0  T01              2            1         600.0
    """
    nw = _nw()
    ks = _keys(keys)
    sf = _frame(nw, supply, "supply")
    cf = _frame(nw, customers, "customers")
    _require(nw, sf, "supply", (*ks, "day", "supplied_kwh"), ("supplied_kwh",))
    counts = ("meters_expected", "meters_read")
    _require(nw, cf, "customers", (*ks, "day", "sold_kwh", *counts), ("sold_kwh", *counts))
    s_schema = dict(sf.collect_schema())
    c_schema = dict(cf.collect_schema())
    lazy = isinstance(sf, nw.LazyFrame)
    if check:
        _check_values(nw, sf, "supply", ["supplied_kwh"], lazy)
        _check_values(nw, cf, "customers", ["sold_kwh", *counts], isinstance(cf, nw.LazyFrame))
    energy = _energy_dtype(nw, s_schema, c_schema)
    typed = "area_type" in s_schema
    if isinstance(sf, nw.LazyFrame) != isinstance(cf, nw.LazyFrame):
        raise InputError(
            "the supply and customers frames must both be eager or both lazy",
            name="customers",
            value=type(customers).__name__,
            allowed=f"a frame like the supply frame ({type(supply).__name__})",
        )
    c = nw.col
    one, zero = nw.lit(1, dtype=nw.Int64), nw.lit(0, dtype=nw.Int64)
    zero_e = nw.lit(0, dtype=energy)
    t_col = [c("area_type").cast(nw.String)] if typed else []
    t_none = [nw.lit(None, dtype=nw.String).alias("area_type")] if typed else []
    s_part = sf.select(
        *ks,
        c("day"),
        *t_col,
        one.alias("supply_meters"),
        nw.when(c("supplied_kwh").is_null()).then(zero).otherwise(one).alias("supply_read"),
        c("supplied_kwh").fill_null(0).cast(energy).alias("supplied_kwh"),
        zero_e.alias("sold_kwh"),
        zero_e.alias("estimated_kwh"),
        zero.alias("meters_expected"),
        zero.alias("meters_read"),
        zero.alias("meters_estimated"),
    )
    est = c("estimated").fill_null(False) if "estimated" in c_schema else nw.lit(False)
    c_part = cf.select(
        *ks,
        c("day").cast(s_schema["day"]),
        *t_none,
        zero.alias("supply_meters"),
        zero.alias("supply_read"),
        zero_e.alias("supplied_kwh"),
        c("sold_kwh").cast(energy).alias("sold_kwh"),
        nw.when(est).then(c("sold_kwh")).otherwise(zero_e).cast(energy).alias("estimated_kwh"),
        c("meters_expected").cast(nw.Int64).alias("meters_expected"),
        nw.when(est).then(zero).otherwise(c("meters_read")).cast(nw.Int64).alias("meters_read"),
        nw.when(est)
        .then(c("meters_read"))
        .otherwise(zero)
        .cast(nw.Int64)
        .alias("meters_estimated"),
    )
    both = nw.concat([s_part, c_part], how="vertical")
    return _native(_merge(nw, both, ks, typed, energy))


def _merge(nw: Any, frame: Any, ks: tuple[str, ...], typed: bool, energy: Any) -> Any:
    aggs = [nw.col(c).sum() for c in DAY_STATE_COLUMNS]
    if typed:
        aggs.insert(0, nw.col("area_type").max())
    casts = [nw.col(c).cast(energy if c in _ENERGY else nw.Int64) for c in DAY_STATE_COLUMNS]
    out = frame.group_by(*ks, "day").agg(*aggs).with_columns(*casts)
    # eager results in order; lazy ones are left for the plan (the final outputs are sorted)
    return out if isinstance(out, nw.LazyFrame) else out.sort(*ks, "day")


def merge_day_states(states: Any, *, keys: str | Sequence[str] = "area") -> Any:
    """Merge day-state rows of the same area-day (from several files, collectors, stations).

    >>> import polars as pl, datetime as dt
    >>> d = dt.date(2026, 3, 1)
    >>> a = day_states(pl.DataFrame({"area": ["T01"], "day": [d], "supplied_kwh": [100]}),
    ...                pl.DataFrame({"area": ["T01"], "day": [d], "sold_kwh": [40],
    ...                              "meters_expected": [5], "meters_read": [5]}))
    >>> b = day_states(pl.DataFrame({"area": ["T01"], "day": [d], "supplied_kwh": [None]},
    ...                             schema_overrides={"supplied_kwh": pl.Int64}),
    ...                pl.DataFrame({"area": ["T01"], "day": [d], "sold_kwh": [50],
    ...                              "meters_expected": [5], "meters_read": [4]}))
    >>> merged = merge_day_states(pl.concat([a, b]))
    >>> merged.select("supply_meters", "sold_kwh", "meters_read").rows()
    [(2, 90, 9)]
    """
    nw = _nw()
    ks = _keys(keys)
    f = _frame(nw, states, "states")
    _require(nw, f, "states", (*ks, "day", *DAY_STATE_COLUMNS), DAY_STATE_COLUMNS)
    schema = dict(f.collect_schema())
    return _native(_merge(nw, f, ks, "area_type" in schema, _energy_dtype(nw, schema)))


def _scale(values: Sequence[Decimal]) -> int:
    exps = [v.as_tuple().exponent for v in values]
    return max((-e for e in exps if isinstance(e, int) and e < 0), default=0)


def _band_edges(nw: Any, rules: AreaRules, typed: bool) -> tuple[Any, Any, int]:
    """Integer expressions for the band edges in units of 1 / (100 * 10**scale)."""
    values = [v for b in rules.area_types for v in (b.qualified_min, b.qualified_max)]
    scale = _scale(values)

    def units(v: Decimal) -> int:
        return int(v * 10**scale)

    default = rules.band(None)
    low = nw.lit(units(default.qualified_min))
    high = nw.lit(units(default.qualified_max))
    if typed:
        col = nw.col("area_type")
        for b in rules.area_types:
            if b.id == default.id:
                continue
            low = nw.when(col == b.id).then(nw.lit(units(b.qualified_min))).otherwise(low)
            high = nw.when(col == b.id).then(nw.lit(units(b.qualified_max))).otherwise(high)
    return low, high, 100 * 10**scale


def _classes(nw: Any, num: Any, den: Any, low: Any, high: Any, unit: int, reason: Any) -> Any:
    return (
        nw.when(~reason.is_null())
        .then(nw.lit(AreaClass.NON_COMPUTABLE.value))
        .otherwise(
            nw.when(num * unit < low * den)
            .then(nw.lit(AreaClass.NEGATIVE_LOSS.value))
            .otherwise(
                nw.when(num * unit > high * den)
                .then(nw.lit(AreaClass.HIGH_LOSS.value))
                .otherwise(nw.lit(AreaClass.QUALIFIED.value))
            )
        )
    )


def classify_days(states: Any, *, rules: AreaRules | None = None) -> Any:
    """Day-state rows with ``reason`` (null when computable), ``loss`` (float, null when not
    computable), ``collection_rate`` and ``area_class``. Comparisons with the band edges and
    the collection threshold are done on the sums (exact for integer columns). An area type
    not in the rules is an error on an eager frame; a lazy plan gives it the default band.

    >>> import polars as pl, datetime as dt
    >>> d = dt.date(2026, 3, 1)
    >>> s = day_states(pl.DataFrame({"area": ["T01"], "day": [d], "supplied_kwh": [1000]}),
    ...                pl.DataFrame({"area": ["T01"], "day": [d], "sold_kwh": [900],
    ...                              "meters_expected": [50], "meters_read": [49]}))
    >>> classify_days(s).select("reason", "loss", "area_class").rows()  # 98 %, 10 %: edges
    [(None, 0.1, 'qualified')]
    """
    nw = _nw()
    r = rules or area_rules()
    f = _frame(nw, states, "states")
    _require(nw, f, "states", ("day", *DAY_STATE_COLUMNS), DAY_STATE_COLUMNS)
    typed = "area_type" in f.collect_schema().names()
    if typed and isinstance(f, nw.DataFrame):  # eager: unknown area types are errors
        known = {b.id for b in r.area_types}
        seen = {t for t in f.get_column("area_type").unique().to_list() if t is not None}
        if seen - known:
            raise InputError(
                "unknown area type",
                name="area_type",
                value=sorted(seen - known)[0],
                allowed=", ".join(sorted(known)),
            )
    c = nw.col
    rate = r.collection.min_rate
    r_scale = _scale([rate])
    r_units, r_den = int(rate * 10**r_scale), 100 * 10**r_scale
    counted = c("meters_read") + (
        c("meters_estimated") if r.collection.estimated_counts_as_read else nw.lit(0)
    )
    reason = (
        nw.when((c("supply_meters") == 0) | (c("supply_read") < c("supply_meters")))
        .then(nw.lit(NonComputable.NO_SUPPLY_READING.value))
        .otherwise(
            nw.when(c("supplied_kwh") == 0)
            .then(nw.lit(NonComputable.ZERO_SUPPLY.value))
            .otherwise(
                nw.when(
                    (c("meters_expected") == 0)
                    | (c("meters_read") + c("meters_estimated") > c("meters_expected"))
                )
                .then(nw.lit(NonComputable.ARCHIVE_MISMATCH.value))
                .otherwise(
                    nw.when(counted * r_den < c("meters_expected") * r_units)
                    .then(nw.lit(NonComputable.LOW_COLLECTION.value))
                    .otherwise(nw.lit(None, dtype=nw.String))
                )
            )
        )
    )
    low, high, unit = _band_edges(nw, r, typed)
    num = c("supplied_kwh") - c("sold_kwh")
    den = c("supplied_kwh")
    out = f.with_columns(reason=reason).with_columns(
        loss=nw.when(c("reason").is_null()).then(num.cast(nw.Float64) / den.cast(nw.Float64)),
        collection_rate=nw.when(c("meters_expected") > 0).then(
            c("meters_read").cast(nw.Float64) / c("meters_expected").cast(nw.Float64)
        ),
        area_class=_classes(nw, num, den, low, high, unit, c("reason")),
    )
    return _native(out)


def _month(nw: Any) -> Any:
    return nw.col("day").dt.to_string("%Y-%m")


def area_months(
    days: Any, *, keys: str | Sequence[str] = "area", rules: AreaRules | None = None
) -> Any:
    """Per area and month (``month`` as ``YYYY-MM``): the sums over the computable days,
    ``loss`` (their ratio), the day counts by class and reason, the longest run of qualified
    days, and the month's ``area_class`` and ``reason`` (as :func:`~gdsmodel.metrics.areas.
    loss.classify`). ``days`` is the output of :func:`classify_days`.
    """
    nw = _nw()
    r = rules or area_rules()
    ks = _keys(keys)
    f = _frame(nw, days, "days")
    _require(nw, f, "days", (*ks, "day", "reason", "area_class", *DAY_STATE_COLUMNS), ())
    schema = dict(f.collect_schema())
    typed = "area_type" in schema
    energy = _energy_dtype(nw, schema)
    c = nw.col
    ok = c("reason").is_null()
    f = _once(nw, f.with_columns(month=_month(nw)))  # read by two branches
    group = (*ks, "month")

    one, zero = nw.lit(1, dtype=nw.Int64), nw.lit(0, dtype=nw.Int64)
    zero_e = nw.lit(0, dtype=energy)
    flags = {
        "computable_days": ok,
        **{f"{k.value}_days": c("area_class") == k.value for k in AreaClass},
        **{f"{why}_days": c("reason").fill_null("") == why for why in _REASONS},
    }
    prepared = f.with_columns(
        __one=one,
        **{f"__{e}": nw.when(ok).then(c(e)).otherwise(zero_e) for e in _ENERGY},
        **{f"__{name}": nw.when(cond).then(one).otherwise(zero) for name, cond in flags.items()},
    )
    sums = {
        "days": "__one",
        **{e: f"__{e}" for e in _ENERGY},
        "meters_expected": "meters_expected",
        "meters_read": "meters_read",
        **{name: f"__{name}" for name in flags},
    }
    aggs = [c(src).sum().alias(out) for out, src in sums.items()]
    if typed:
        aggs.insert(0, c("area_type").max())
    month = prepared.group_by(*group).agg(*aggs)
    month = month.with_columns(
        *[c(out).cast(energy if out in _ENERGY else nw.Int64) for out in sums]
    )
    # the longest run of qualified days: islands of consecutive days of the month
    q = f.filter(c("area_class") == AreaClass.QUALIFIED.value).with_columns(
        __dom=c("day").dt.day().cast(nw.Int64)
    )
    q = q.with_columns(
        __island=c("__dom") - c("__dom").rank(method="ordinal").over(*group).cast(nw.Int64)
    )
    longest = (
        q.group_by(*group, "__island")
        .agg(nw.len().alias("__n"))
        .group_by(*group)
        .agg(c("__n").max().alias("longest_qualified_run"))
    )
    month = month.join(longest, on=list(group), how="left").with_columns(
        longest_qualified_run=c("longest_qualified_run").fill_null(0).cast(nw.Int64)
    )
    # the month's class and reason
    counts = [c(f"{why}_days") for why in _REASONS]
    pick = nw.lit(NonComputable.TOO_FEW_DAYS.value)
    for i in reversed(range(len(_REASONS))):
        others = [counts[j] for j in range(len(_REASONS)) if j != i]
        cond = counts[i] > 0
        for o in others:
            cond = cond & (counts[i] >= o)
        pick = nw.when(cond).then(nw.lit(_REASONS[i])).otherwise(pick)
    need = r.month.min_computable_days
    m_reason = (
        nw.when(c("computable_days") >= need)
        .then(nw.lit(None, dtype=nw.String))
        .otherwise(
            nw.when(c("computable_days") > 0)
            .then(nw.lit(NonComputable.TOO_FEW_DAYS.value))
            .otherwise(pick)
        )
    )
    low, high, unit = _band_edges(nw, r, typed)
    num = c("supplied_kwh") - c("sold_kwh")
    den = c("supplied_kwh")
    month = month.with_columns(reason=m_reason).with_columns(
        loss_numerator=num,
        loss=nw.when(c("reason").is_null()).then(num.cast(nw.Float64) / den.cast(nw.Float64)),
        area_class=_classes(nw, num, den, low, high, unit, c("reason")),
    )
    return _native(month.sort(*group))


def class_counts(months: Any, *, keys: str | Sequence[str] = "month") -> Any:
    """Counts of areas by class per group (``month`` by default) with the KPIs as floats:
    ``qualified_rate`` (台区线损合格率), ``high_loss_share``, ``negative_loss_share`` (over
    computable areas) and ``computable_rate`` (over all areas); null when the denominator is
    0. Counts add up: the counts of stations sum to the counts of their county.

    >>> import polars as pl
    >>> m = pl.DataFrame({"month": ["2026-03"] * 4,
    ...                   "area_class": ["qualified", "qualified", "high_loss", "non_computable"]})
    >>> class_counts(m).select("qualified", "computable", "areas", "qualified_rate").rows()
    [(2, 3, 4, 0.6666666666666666)]
    """
    nw = _nw()
    ks = _keys(keys)
    f = _frame(nw, months, "months")
    _require(nw, f, "months", (*ks, "area_class"), ())
    c = nw.col

    one, zero = nw.lit(1, dtype=nw.Int64), nw.lit(0, dtype=nw.Int64)
    f = f.with_columns(
        **{
            k.value: nw.when(c("area_class") == k.value).then(one).otherwise(zero)
            for k in AreaClass
        }
    )
    aggs = [c(k.value).sum() for k in AreaClass]
    out = f.group_by(*ks).agg(*aggs) if ks else f.select(*aggs)
    out = out.with_columns(*[c(k.value).cast(nw.Int64) for k in AreaClass])
    comp = c("qualified") + c("high_loss") + c("negative_loss")
    out = out.with_columns(computable=comp, areas=comp + c("non_computable"))

    def share(part: str, whole: str) -> Any:
        return nw.when(c(whole) > 0).then(c(part).cast(nw.Float64) / c(whole).cast(nw.Float64))

    out = out.with_columns(
        qualified_rate=share("qualified", "computable"),
        high_loss_share=share("high_loss", "computable"),
        negative_loss_share=share("negative_loss", "computable"),
        computable_rate=share("computable", "areas"),
    )
    return _native(out.sort(*ks) if ks else out)


# --------------------------------------------------------------------------- curves


def _day_number(nw: Any) -> Any:
    """Days since 1970-01-01 from year and day of year (exact on every engine)."""
    d = nw.col("day")
    y = d.dt.year().cast(nw.Int64)
    leap = (y - 1969) // 4 - (y - 1901) // 100 + (y - 1601) // 400
    return (y - 1970) * 365 + leap + d.dt.ordinal_day().cast(nw.Int64) - 1


def area_load_points(curves: Any, transformers: Any) -> Any:
    """The load rate of each area at each point: P, Q and the rated kVA summed over the
    area's transformers (a point where one of them is missing is left out).

    ``curves``: ``transformer``, ``day``, ``point`` (0..95), ``p_kw`` and optionally
    ``q_kvar``; ``transformers``: ``transformer``, ``area``, ``rated_kva`` (a frame of the
    same library). Returns ``area``, ``day``, ``point``, ``p_kw``, ``q_kvar``, ``rated_kva``,
    ``load_rate``.
    """
    nw = _nw()
    cf = _frame(nw, curves, "curves")
    tf = _frame(nw, transformers, "transformers")
    _require(nw, cf, "curves", ("transformer", "day", "point", "p_kw"), ("p_kw", "point"))
    _require(nw, tf, "transformers", ("transformer", "area", "rated_kva"), ("rated_kva",))
    c = nw.col
    has_q = "q_kvar" in cf.collect_schema().names()
    members = tf.group_by("area").agg(nw.len().alias("__members"))
    joined = cf.join(tf.select("transformer", "area", "rated_kva"), on="transformer", how="inner")
    q = c("q_kvar").fill_null(0) if has_q else nw.lit(0.0)
    joined = joined.with_columns(
        p_kw=c("p_kw").cast(nw.Float64),
        q_kvar=q.cast(nw.Float64),
        rated_kva=c("rated_kva").cast(nw.Float64),
    )
    pts = joined.group_by("area", "day", "point").agg(
        c("p_kw").sum(), c("q_kvar").sum(), c("rated_kva").sum(), nw.len().alias("__seen")
    )
    pts = pts.join(members, on="area", how="inner").filter(c("__seen") == c("__members"))
    s = (c("p_kw") * c("p_kw") + c("q_kvar") * c("q_kvar")).sqrt()
    out = pts.select(
        "area",
        "day",
        "point",
        "p_kw",
        "q_kvar",
        "rated_kva",
        (s / c("rated_kva")).alias("load_rate"),
    )
    return _native(out)


def _events(
    nw: Any, f: Any, unit: tuple[str, ...], marked: Any, value: Any, need: int, days: int
) -> Any:
    """Per unit: events (runs of marked points of at least ``need``), the longest in
    minutes, the days touched by an event, the most consecutive such days and the flag."""
    c = nw.col
    f = _once(nw, f)
    units = f.select(*unit).unique()
    t = f.with_columns(__day=_day_number(nw)).with_columns(
        __t=c("__day") * 96 + c("point").cast(nw.Int64), __v=value
    )
    m = t.filter(marked)
    m = m.with_columns(
        __island=c("__t") - c("__t").rank(method="ordinal").over(*unit).cast(nw.Int64)
    )
    m = m.with_columns(__len=c("__t").count().over(*unit, "__island").cast(nw.Int64)).filter(
        c("__len") >= need
    )
    ev = (
        m.group_by(*unit, "__island")
        .agg(nw.len().alias("__n"), c("__v").max().alias("__peak"))
        .group_by(*unit)
        .agg(
            nw.len().alias("events"),
            c("__n").max().alias("__longest"),
            c("__peak").max().alias("peak"),
        )
        .with_columns(
            events=c("events").cast(nw.Int64),
            longest_minutes=(c("__longest") * 15).cast(nw.Int64),
        )
        .drop("__longest")
    )
    dd = m.select(*unit, "__day").unique()
    dd = dd.with_columns(
        __di=c("__day") - c("__day").rank(method="ordinal").over(*unit).cast(nw.Int64)
    )
    dsum = (
        dd.group_by(*unit, "__di")
        .agg(nw.len().alias("__k"))
        .group_by(*unit)
        .agg(c("__k").sum().alias("event_days"), c("__k").max().alias("most_consecutive_days"))
        .with_columns(
            event_days=c("event_days").cast(nw.Int64),
            most_consecutive_days=c("most_consecutive_days").cast(nw.Int64),
        )
    )
    out = units.join(ev, on=list(unit), how="left").join(dsum, on=list(unit), how="left")
    out = out.with_columns(
        events=c("events").fill_null(0),
        longest_minutes=c("longest_minutes").fill_null(0),
        event_days=c("event_days").fill_null(0),
        most_consecutive_days=c("most_consecutive_days").fill_null(0),
    ).with_columns(flagged=c("most_consecutive_days") >= days)
    return out.sort(*unit)


def _units(percent: Decimal) -> tuple[int, int]:
    """A percentage as integers ``(units, den)`` with ``percent / 100 == units / den``."""
    k = _scale([percent])
    return int(percent * 10**k), 100 * 10**k


def _once(nw: Any, f: Any) -> Any:
    """A frame that several branches of a plan read, computed once on DuckDB.

    DuckDB relations inline every use of a shared sub-plan (it would be computed once per
    branch): the relation is materialized into Arrow (memory: its rows, here the points of
    the curves) and read from there. polars plans share it themselves; eager frames are
    already computed.
    """
    if f.implementation is nw.Implementation.DUCKDB:
        import duckdb

        return nw.from_native(duckdb.from_arrow(f.to_native().to_arrow_table()))
    return f


def _need(minutes: int) -> int:
    return max(1, -(-minutes // 15))


def load_events(
    points: Any,
    rule: LoadEventRule | str,
    *,
    unit: str | Sequence[str] = "area",
    rules: AreaRules | None = None,
) -> Any:
    """Heavy-load or overload events per unit from :func:`area_load_points` (or any frame
    with ``day``, ``point`` and ``load_rate``): ``events``, ``longest_minutes``, ``peak``
    (the highest rate in an event), ``event_days``, ``most_consecutive_days``, ``flagged``.

    >>> import polars as pl, datetime as dt
    >>> pts = pl.DataFrame({"area": ["T01"] * 10, "day": [dt.date(2025, 7, 20)] * 10,
    ...                     "point": list(range(10)), "load_rate": [1.2] * 8 + [0.5] * 2})
    >>> load_events(pts, "overload").select("area", "events", "longest_minutes").rows()
    [('T01', 1, 120)]
    """
    nw = _nw()
    r = rules or area_rules()
    ev = r.load_event(rule) if isinstance(rule, str) else rule
    f = _frame(nw, points, "points")
    us = _keys(unit)
    _require(nw, f, "points", (*us, "day", "point", "load_rate"), ("load_rate",))
    names = f.collect_schema().names()
    t_units, t_den = _units(ev.threshold)
    if all(n in names for n in ("p_kw", "q_kvar", "rated_kva")):  # exact on the sums
        c = nw.col
        s2 = (c("p_kw") * c("p_kw") + c("q_kvar") * c("q_kvar")) * (t_den * t_den)
        marked = s2 > c("rated_kva") * c("rated_kva") * (t_units * t_units)
    else:
        marked = nw.col("load_rate") > float(ev.rate)
    out = _events(
        nw, f, us, marked, nw.col("load_rate"), _need(ev.min_minutes), r.runs.consecutive_days
    )
    return _native(out)


def low_voltage_events(
    points: Any, *, unit: str | Sequence[str] = ("area", "customer"), rules: AreaRules | None = None
) -> Any:
    """Low-voltage events per customer (``area``, ``customer``, ``day``, ``point``,
    ``voltage``): below the lower limit of the voltage data (strictly) for at least the
    rule's minutes; ``peak`` is the lowest voltage of an event, negated (``-peak`` volts)."""
    nw = _nw()
    r = rules or area_rules()
    f = _frame(nw, points, "points")
    us = _keys(unit)
    _require(nw, f, "points", (*us, "day", "point", "voltage"), ("voltage",))
    lower = r.low_voltage.lower_v
    out = _events(
        nw,
        f,
        us,
        nw.col("voltage") * lower.denominator < lower.numerator,
        -nw.col("voltage"),
        _need(r.low_voltage.min_minutes),
        r.runs.consecutive_days,
    )
    return _native(out)


def unbalance_events(
    curves: Any, *, unit: str | Sequence[str] = "transformer", rules: AreaRules | None = None
) -> Any:
    """Unbalance events per transformer from curves with ``ia``, ``ib``, ``ic``; the formula
    and threshold of the rules (``peak`` is the highest unbalance of an event)."""
    nw = _nw()
    r = rules or area_rules()
    f = _frame(nw, curves, "curves")
    us = _keys(unit)
    _require(nw, f, "curves", (*us, "day", "point", "ia", "ib", "ic"), ("ia", "ib", "ic"))
    c = nw.col
    hi = nw.max_horizontal(c("ia"), c("ib"), c("ic")).cast(nw.Float64)
    lo = nw.min_horizontal(c("ia"), c("ib"), c("ic")).cast(nw.Float64)
    t_units, t_den = _units(r.unbalance.threshold)
    if r.unbalance.formula.value == "max_minus_min_over_max":
        value = nw.when(hi > 0).then((hi - lo) / hi)
        above = (hi - lo) * t_den > hi * t_units
    else:
        total = (c("ia") + c("ib") + c("ic")).cast(nw.Float64)
        dev3 = nw.max_horizontal(
            (c("ia") * 3 - total).abs(), (c("ib") * 3 - total).abs(), (c("ic") * 3 - total).abs()
        )
        value = nw.when(total > 0).then(dev3 / total)
        above = dev3 * t_den > total * t_units
    f = f.with_columns(__u=value, __above=above & (hi > 0))
    out = _events(
        nw,
        f,
        us,
        c("__above"),
        c("__u"),
        _need(r.unbalance.min_minutes),
        r.runs.consecutive_days,
    )
    return _native(out)
