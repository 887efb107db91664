"""Reliability on dataframes: the indices, daily SAIDI and major event days of a frame of
outages, per group, exactly as the object path counts them.

One row per outage with the columns ``start``, ``end`` (tz-aware datetimes, or integers of
microseconds since 1970 UTC), ``customers_affected``, ``cause`` (an
:class:`~.causes.OutageCause` value) and, optionally, ``line`` (for the momentary events of
IEEE 1366); other names are given with ``start=``, ``end=``... A pandas, polars (eager or
lazy), DuckDB or PySpark frame, or a path to Parquet/CSV files, goes through the same call
(narwhals, the ``dataframe`` extra).

The engine does the per-row work (instants in integer microseconds, the sustained test, the
clipping at the period's bounds, the bucket of the day each interruption began, the sums per
group); only the sums come back to Python, where they become the same exact
:class:`~.state.ReliabilityState`, :class:`~.med.DailySaidi` and :class:`~.med.MedSplit`
objects the object path builds: equal numerators and denominators, equal major event days.

* :func:`reliability_states_by` / :func:`reliability_by`: the state and the indices of each
  group over a period;
* :func:`daily_saidi_by`: daily SAIDI of each group (an interruption accrued to the local day
  it began);
* :func:`med_thresholds_by`: the 2.5β threshold of each group from its history;
* :func:`exclude_major_event_days_by`: each group's period split into normal and major event
  days.

Keys of the results are tuples of the group key values (``()`` without keys); a group is there
when one of its outages touches the period (daily SAIDI: begins in it). ``customers`` is one
count for every group or a mapping of group key to count (a bare value for one key); groups of
the mapping without such outages are given too (no interruptions).

>>> import pandas as pd, pendulum
>>> t = pendulum.datetime(2024, 6, 1, tz="Asia/Shanghai")
>>> june = pendulum.interval(t, t.add(days=30))
>>> df = pd.DataFrame({"area": ["A", "A", "B"],
...                    "start": [t.add(hours=9), t.add(days=3), t.add(hours=2)],
...                    "end": [t.add(hours=13), t.add(days=3, hours=2), t.add(hours=2, minutes=2)],
...                    "customers_affected": [200, 50, 10], "cause": ["planned", "fault", "fault"]})
>>> ix = reliability_by(df, period=june, customers={"A": 1000, "B": 500}, keys="area")
>>> ix[("A",)].saidi.value, ix[("B",)].saifi.value, ix[("B",)].maifi.value
(Fraction(54, 1), Fraction(0, 1), Fraction(1, 50))
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any, Final

from gdsmodel.errors import InputError
from gdsmodel.metrics.reliability._common import _customers, _instant_us, _period_bounds
from gdsmodel.metrics.reliability.causes import OutageCause, _causes
from gdsmodel.metrics.reliability.conventions import CountingConvention
from gdsmodel.metrics.reliability.conventions import convention as get_convention
from gdsmodel.metrics.reliability.med import (
    IEEE_1366_MED,
    DailySaidi,
    MedMethod,
    MedSplit,
    MedThreshold,
    _day_cuts,
    _DayValues,
    med_threshold,
)
from gdsmodel.metrics.reliability.state import (
    Exposure,
    ReliabilityIndices,
    ReliabilityState,
)
from gdsmodel.metrics.reliability.tally import (
    CAUSES,
    CUSTOMER_INTERRUPTIONS,
    CUSTOMER_US,
    EVENT_US,
    EVENTS,
    MOMENTARY_EVENT_CUSTOMERS,
    MOMENTARY_EVENTS,
    SHORT_CUSTOMERS,
    SHORT_EVENTS,
    Bucket,
    Records,
    add_into,
    check_plausible,
    lines_where,
    new_bucket,
    period_bucket,
)
from gdsmodel.periods import PeriodLike

__all__ = [
    "GroupKey",
    "daily_saidi_by",
    "exclude_major_event_days_by",
    "med_thresholds_by",
    "reliability_by",
    "reliability_states_by",
]

GroupKey = tuple[Hashable, ...]
"""The key of a group in the results: the values of the key columns, in their order."""

Customers = int | Mapping[Any, int]
"""Customers served: one count for every group, or a count per group key."""

_DAY: Final = 86_400_000_000
_SEC: Final = 1_000_000
_CAUSE_INDEX: Final = {c.value: i for i, c in enumerate(CAUSES)}
_P: Final = "__gds_r_"
# per-row columns the engine computes (summed per group and bucket)
_S, _E, _K, _C, _L, _J = (f"{_P}{n}" for n in ("s", "e", "k", "c", "line", "j"))
_MAX_K: Final = f"{_P}max_k"


def _nw() -> Any:
    try:
        import narwhals.stable.v2 as nw
    except ImportError:  # pragma: no cover - depends on the installed extras
        raise InputError(
            "dataframes need the 'dataframe' extra (narwhals)",
            name="outages",
            allowed="pip install 'gdsmodel[dataframe]'",
        ) from None
    return nw


def _frame(nw: Any, frame: Any) -> Any:
    """The outages as a narwhals lazy frame (a path is read by DuckDB, as ``by()`` reads it)."""
    if isinstance(frame, str | os.PathLike):
        from gdsmodel.metrics.frames import _read_path

        frame = _read_path(frame)
    if isinstance(frame, nw.DataFrame | nw.LazyFrame):
        return frame.lazy()
    try:
        f = nw.from_native(frame)
    except TypeError:
        f = None
    if not isinstance(f, nw.DataFrame | nw.LazyFrame):
        raise InputError(
            "is not a dataframe",
            name="outages",
            value=type(frame).__name__,
            allowed="a pandas, polars, DuckDB or PySpark frame, or a path to Parquet or CSV",
        )
    return f.lazy()


def _keys(keys: str | Sequence[str] | None) -> tuple[str, ...]:
    if keys is None:
        return ()
    out = (keys,) if isinstance(keys, str) else tuple(keys)
    bad = [k for k in out if not isinstance(k, str)]
    if bad or len(set(out)) != len(out):
        raise InputError(
            "group keys must be distinct column names",
            name="keys",
            value=out,
            allowed="a column name or a sequence of them",
        )
    return out


def _backend(f: Any) -> str:
    impl = str(f.implementation).lower()
    for name in ("polars", "pandas", "duckdb", "pyspark"):
        if name in impl:
            return name
    return impl


def _micros_expr(nw: Any, f: Any, schema: Mapping[str, Any], name: str, role: str) -> Any:
    """An engine expression: the column as integer microseconds since 1970 (UTC)."""
    if name not in schema:
        raise InputError(
            "the outage frame has no such column",
            name=role,
            value=name,
            allowed=f"one of {sorted(schema)}",
        )
    dtype = schema[name]
    col = nw.col(name)
    if dtype.is_integer():
        return col.cast(nw.Int64)
    backend = _backend(f)
    if backend == "pandas" and not isinstance(dtype, nw.Datetime):
        # narwhals reads some zone names (with "_") as Unknown: ask pandas itself
        native = getattr(f.to_native()[name], "dtype", None)
        tz, unit = getattr(native, "tz", None), getattr(native, "unit", None)
        if tz is not None and unit is not None:
            dtype = nw.Datetime(unit, str(tz))
    if not isinstance(dtype, nw.Datetime):
        raise InputError(
            "must be a tz-aware datetime or integer microseconds since 1970",
            name=role,
            value=f"{name}: {dtype}",
            allowed="a datetime column with a time zone, or int64 microseconds (UTC)",
        )
    if getattr(dtype, "time_zone", None) is None:
        raise InputError(
            "is a datetime without a time zone; the instant is unknown",
            name=role,
            value=f"{name}: {dtype}",
            allowed="a datetime column with a time zone (or int64 microseconds, UTC)",
        )
    if backend in ("polars", "pandas"):
        unit = getattr(dtype, "time_unit", "us")
        raw = col.cast(nw.Int64)
        if unit == "ns":
            return raw // 1000
        if unit == "ms":
            return raw * 1000
        if unit == "s":
            return raw * _SEC
        return raw
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    return (col - nw.lit(epoch)).dt.total_microseconds().cast(nw.Int64)


def _spark_micros(
    nw: Any, f: Any, schema: dict[str, Any], start: str, end: str
) -> tuple[Any, dict[str, Any], str, str]:
    """PySpark: tz-aware timestamps as microseconds by Spark's own ``unix_micros`` (narwhals
    has no microsecond extraction there)."""
    from pyspark.sql import functions as sf

    native = f.to_native()
    names = []
    for role, name in (("start", start), ("end", end)):
        dtype = schema.get(name)
        if isinstance(dtype, nw.Datetime) and getattr(dtype, "time_zone", None) is not None:
            new = f"{_P}{role}_us"
            native = native.withColumn(new, sf.unix_micros(sf.col(name)))
            names.append(new)
        else:
            names.append(name)
    f = nw.from_native(native).lazy()
    return f, dict(f.collect_schema()), names[0], names[1]


def _int(value: Any) -> int:
    return 0 if value is None else int(value)


def _when(nw: Any, cond: Any, value: Any) -> Any:
    return nw.when(cond).then(value).otherwise(nw.lit(0))


def _day_index(nw: Any, s: Any, cuts: list[int], *, inside: bool = False) -> Any:
    """The bucket ``j`` with ``cuts[j] <= s < cuts[j+1]``; -1 before, -2 after the cuts.

    Runs of whole 24-hour days are one arithmetic branch; days of another length (the first
    and last partial days, the days of a change of UTC offset) are branches of their own.
    With ``inside`` (every ``s`` is within the cuts) there are no guards: a zone of one UTC
    offset and a period from midnight to midnight give one subtraction and one division.
    """
    n = len(cuts) - 1
    branches: list[tuple[int, Any]] = []
    j = 0
    while j < n:
        a = j
        while j < n and cuts[j + 1] - cuts[j] == _DAY:
            j += 1
        if j > a:  # days a .. j-1 are whole days
            value = (s - cuts[a]) // _DAY
            branches.append((cuts[j], value + a if a else value))
        else:
            branches.append((cuts[j + 1], nw.lit(j)))
            j += 1
    if inside:
        *rest, (_, expr) = branches
        for upper, value in reversed(rest):
            expr = nw.when(s < upper).then(value).otherwise(expr)
        return expr
    chain = nw.when(s < cuts[0]).then(nw.lit(-1))
    for upper, value in branches:
        chain = chain.when(s < upper).then(value)
    return chain.otherwise(nw.lit(-2))


class _Outages:
    """The outage frame, its columns checked, with the per-row columns of the engine."""

    def __init__(
        self,
        frame: Any,
        *,
        keys: str | Sequence[str] | None,
        convention: CountingConvention | str | None,
        start: str,
        end: str,
        customers_affected: str,
        cause: str,
        line: str | None,
    ) -> None:
        nw = self.nw = _nw()
        self._checked: Any = None  # the per-row checks of the last query (see _group_checks)
        self.keys = _keys(keys)
        self.conv = get_convention(convention)
        f = _frame(nw, frame)
        schema = dict(f.collect_schema())
        for k in self.keys:
            if k not in schema:
                raise InputError(
                    "the outage frame has no such key column",
                    name="keys",
                    value=k,
                    allowed=f"one of {sorted(schema)}",
                )
        for role, name in (("customers_affected", customers_affected), ("cause", cause)):
            if name not in schema:
                raise InputError(
                    "the outage frame has no such column",
                    name=role,
                    value=name,
                    allowed=f"one of {sorted(schema)}",
                )
        if not schema[customers_affected].is_integer():
            raise InputError(
                "must be a column of whole numbers",
                name="customers_affected",
                value=f"{customers_affected}: {schema[customers_affected]}",
                allowed="an integer column",
            )
        if _backend(f) == "pyspark":
            f, schema, start, end = _spark_micros(nw, f, schema, start, end)
        s = _micros_expr(nw, f, schema, start, "start")
        e = _micros_expr(nw, f, schema, end, "end")
        has_line = line is not None and line in schema
        self.names = {"start": start, "end": end, "customers_affected": customers_affected}
        self.frame = f.select(
            *[nw.col(k) for k in self.keys],
            s.alias(_S),
            e.alias(_E),
            nw.col(customers_affected).cast(nw.Int64).alias(_K),
            nw.col(cause).cast(nw.String).alias(_C),
            (nw.col(line).cast(nw.String) if has_line else nw.lit(None, nw.String)).alias(_L),
        )

    def sums(
        self,
        first: int,
        last: int,
        *,
        mode: str,
        cuts: list[int] | None = None,
        causes: frozenset[OutageCause] = frozenset(CAUSES),
    ) -> tuple[Any, dict[str, list[Any]], dict[str, list[Any]] | None]:
        """The sums per group (and cause, and day), an eager frame, and the momentary
        records to group in Python (those with another record of their line within the
        window), in one engine pass over the outages.

        ``mode``: ``"states"`` (per group and cause, over ``[first, last)``), ``"daily"`` (per
        group and day of ``cuts``: the customer-time accrued to the day each interruption of
        ``causes`` began) or ``"split"`` (both, per group, day and cause). Day ``-1`` holds the
        interruptions that began before the period, ``-2`` the rows no day counts (they still
        count in the checks).
        """
        nw = self.nw
        s, e, k, c, ln = (nw.col(x) for x in (_S, _E, _K, _C, _L))
        threshold = self.conv.sustained_above_us
        valid_expr = ~c.is_null() & ~s.is_null() & ~e.is_null() & ~k.is_null() & (k >= 0) & (e > s)
        # the per-row conditions, computed once each
        f = self.frame.with_columns(
            (e - s).alias(f"{_P}d"),
            valid_expr.alias(f"{_P}valid"),
            ((s >= first) & (s < last)).alias(f"{_P}in"),
        )
        d, valid, starts_in = nw.col(f"{_P}d"), nw.col(f"{_P}valid"), nw.col(f"{_P}in")
        f = f.with_columns(
            (valid & (d > threshold)).alias(f"{_P}sus"),
            (valid & (d <= threshold)).alias(f"{_P}short"),
        )
        sus, short = nw.col(f"{_P}sus"), nw.col(f"{_P}short")
        cols: dict[str, Any] = {}
        # the checks read every row, in one total (per group only to say where it failed);
        # the sums only the rows that add to them
        bad = ~valid | ~c.is_in([x.value for x in CAUSES])
        check_cols = (_when(nw, bad, nw.lit(1)).alias("invalid"), k.alias(_MAX_K))
        self._checked = f.select(*[nw.col(x) for x in self.keys], *check_cols)
        checks = self._checked.select(nw.col("invalid").sum(), nw.col(_MAX_K).max())
        if mode == "daily":  # a group is there when one of its outages began in the period
            relevant = valid & starts_in
        else:
            relevant = valid & (s < last) & ((e > first) | starts_in)
        if mode in ("daily", "split"):
            assert cuts is not None
            mask = sus & starts_in
            if causes != frozenset(CAUSES):
                mask = mask & c.is_in([x.value for x in causes])
            accrued = _when(nw, mask, d)  # (daily: the rows are those that began in the period)
            cols["accrued_seconds"] = k * (accrued // _SEC)
            cols["accrued_micros"] = k * (accrued % _SEC)
        interacting = None
        if mode in ("states", "split"):
            overlaps = (e > first) & (s < last)
            lo = nw.when(s > first).then(s).otherwise(nw.lit(first))
            hi = nw.when(e < last).then(e).otherwise(nw.lit(last))
            clipped = _when(nw, sus & overlaps, hi - lo)
            counted = sus & starts_in
            cols.update(
                events=_when(nw, counted, nw.lit(1)),
                customer_interruptions=_when(nw, counted, k),
                customer_seconds=k * (clipped // _SEC),
                customer_micros=k * (clipped % _SEC),
                event_us=_when(nw, counted, d),
                short_events=_when(nw, short & starts_in, nw.lit(1)),
                short_customers=_when(nw, short & starts_in, k),
            )
        if mode == "states":
            group = [*self.keys, _C]
            bucket = None
        else:
            assert cuts is not None
            group = [*self.keys, _J] if mode == "daily" else [*self.keys, _J, _C]
            # invalid rows and rows outside the period have zero sums wherever they land
            # daily: only interruptions that began in the period are summed
            bucket = _day_index(nw, s, cuts, inside=mode == "daily")
        window_td = self.conv.momentary_event_window
        if window_td is not None and mode in ("states", "split"):
            w = (window_td.days * 86_400 + window_td.seconds) * _SEC + window_td.microseconds
            near = valid & ~ln.is_null() & (s >= first - w) & (s < last + w)
            part = [*self.keys, _L]
            f = f.with_columns(nw.when(near).then(s).alias(f"{_P}sn"))
            sn = nw.col(f"{_P}sn")
            f = f.with_columns(
                sn.shift(1).over(*part, order_by=f"{_P}sn").alias(f"{_P}prev"),
                sn.shift(-1).over(*part, order_by=f"{_P}sn").alias(f"{_P}next"),
            )
            prev, nxt = nw.col(f"{_P}prev"), nw.col(f"{_P}next")
            alone = (prev.is_null() | (s - prev > w)) & (nxt.is_null() | (nxt - s > w))
            head = short & starts_in & (ln.is_null() | alone)
            cols["momentary_events"] = _when(nw, head, nw.lit(1))
            cols["momentary_event_customers"] = _when(nw, head, k)
            interacting = f.filter(near & ~alone).select(
                *[nw.col(x) for x in self.keys],
                ln,
                s,
                k,
                c,
                sus,
                (nw.lit(0) if bucket is None else bucket).alias(_J),
            )
        if bucket is not None:
            f = f.with_columns(bucket.alias(_J))
        sums = (
            f.filter(relevant)
            .with_columns(**{f"{_P}{n}": v for n, v in cols.items()})
            .group_by(*group, drop_null_keys=False)
            .agg(*[nw.col(f"{_P}{n}").sum().alias(n) for n in cols])
        )
        queries = [sums, checks] + ([] if interacting is None else [interacting])
        done = _collect_all(nw, queries)
        extra = None if interacting is None else _columns_of(done[2])
        return done[0], _columns_of(done[1]), extra


def _group_checks(outages: _Outages) -> dict[str, list[Any]]:
    """Invalid rows and the most customers affected, per group (to locate a failed check)."""
    nw = outages.nw
    aggs = (nw.col("invalid").sum(), nw.col(_MAX_K).max())
    checked = outages._checked
    if outages.keys:
        return _columns_of(
            checked.group_by(*outages.keys, drop_null_keys=False).agg(*aggs).collect()
        )
    return _columns_of(checked.select(*aggs).collect())


def _collect_all(nw: Any, queries: list[Any]) -> list[Any]:
    """Collect lazy frames, one after the other (``pl.collect_all`` measured slower here)."""
    del nw
    return [q.collect() for q in queries]


def _columns_of(frame: Any) -> dict[str, list[Any]]:
    return {name: frame.get_column(name).to_list() for name in frame.columns}


def _group_customers(customers: Customers, n_keys: int) -> Mapping[GroupKey, int] | int:
    if isinstance(customers, Mapping):
        out: dict[GroupKey, int] = {}
        for key, value in customers.items():
            tkey = key if isinstance(key, tuple) else (key,)
            if len(tkey) != n_keys:
                raise InputError(
                    "a key of customers does not match the group keys",
                    name="customers",
                    value=key,
                    allowed=f"tuples of {n_keys} values (a bare value for one key)",
                )
            out[tkey] = _customers(value, f"customers[{key!r}]")
        return out
    return _customers(customers)


def _least(customers: Mapping[GroupKey, int] | int) -> int:
    """The fewest customers of any group (-1 with a mapping of none: every check locates)."""
    if isinstance(customers, int):
        return customers
    return min(customers.values(), default=-1)


def _customers_of(customers: Mapping[GroupKey, int] | int, key: GroupKey) -> int:
    if isinstance(customers, int):
        return customers
    try:
        return customers[key]
    except KeyError:
        raise InputError(
            "no customer count for a group of the outages",
            name="customers",
            value=key,
            allowed="a count for every group (or one count for all)",
        ) from None


def _check_group(key: GroupKey, invalid: int, max_k: int, n: int, names: Mapping[str, str]) -> None:
    if invalid:
        raise InputError(
            f"{invalid} outage rows of group {key!r} are not outages: null values, "
            f"customers affected below 0, end not later than start, or an unknown cause",
            name="outages",
            value=key,
            allowed=f"{names['end']} > {names['start']}, {names['customers_affected']} >= 0, "
            f"cause one of {', '.join(c.value for c in CAUSES)}",
        )
    if max_k > n:
        raise InputError(
            f"an outage of group {key!r} affects more customers than are served",
            name=names["customers_affected"],
            value=max_k,
            allowed=f"at most customers={n}",
        )


_FIELD_OF: Final = (
    ("events", EVENTS),
    ("customer_interruptions", CUSTOMER_INTERRUPTIONS),
    ("event_us", EVENT_US),
    ("short_events", SHORT_EVENTS),
    ("short_customers", SHORT_CUSTOMERS),
    ("momentary_events", MOMENTARY_EVENTS),
    ("momentary_event_customers", MOMENTARY_EVENT_CUSTOMERS),
)


class _Group:
    """What the engine gave for one group: the sums per cause, customer-µs per day, checks."""

    __slots__ = ("accrued", "invalid", "max_k", "records", "total")

    def __init__(self) -> None:
        self.total: Bucket = new_bucket()
        self.accrued: dict[int, int] = {}
        self.invalid = 0
        self.max_k = 0
        self.records: Records = {}


_SUM_FIELDS: Final = (*(n for n, _ in _FIELD_OF), "customer_seconds", "customer_micros")


def _ints(values: list[Any]) -> list[int]:
    """Engine sums as Python ints (DuckDB gives Decimals; an empty sum or maximum may be null,
    or NaN on pandas)."""
    return [0 if v is None or v != v else int(v) for v in values]


def _key_column(cols: Mapping[str, list[Any]], keys: tuple[str, ...]) -> list[GroupKey]:
    n = len(next(iter(cols.values()))) if cols else 0
    return list(zip(*[cols[k] for k in keys], strict=True)) if keys else [()] * n


def _cause_indices(values: list[Any]) -> list[int | None]:
    out: list[int | None] = []
    for x in values:
        ci = _CAUSE_INDEX.get(x) if isinstance(x, str) else None
        if ci is None and x is not None:
            raise InputError(
                "is not an outage cause",
                name="cause",
                value=x,
                allowed=", ".join(c.value for c in CAUSES),
            )
        out.append(ci)
    return out


def _add_rows(
    buckets: Mapping[GroupKey, Bucket], cols: Mapping[str, list[Any]], keys: tuple[str, ...]
) -> None:
    """Add rows of sums per (group, cause) into the groups' buckets."""
    targets = [
        None if ci is None or key not in buckets else buckets[key][ci]
        for key, ci in zip(_key_column(cols, keys), _cause_indices(cols[_C]), strict=True)
    ]
    for name, field in _FIELD_OF:
        if name in cols:
            for acc, v in zip(targets, _ints(cols[name]), strict=True):
                if acc is not None:
                    acc[field] += v
    for acc, a, b in zip(
        targets, _ints(cols["customer_seconds"]), _ints(cols["customer_micros"]), strict=True
    ):
        if acc is not None:
            acc[CUSTOMER_US] += a * _SEC + b


def _collect(
    outages: _Outages,
    first: int,
    last: int,
    mode: str,
    cuts: list[int] | None = None,
    causes: frozenset[OutageCause] = frozenset(CAUSES),
    *,
    least_customers: int,
) -> tuple[dict[GroupKey, _Group], Any]:
    """The groups with their checks, sums per cause and customer-µs per day; and the eager
    frame of sums per group, day and cause (``split``) for the days asked later."""
    nw = outages.nw
    sums, checks, extra = outages.sums(first, last, mode=mode, cuts=cuts, causes=causes)
    keys = outages.keys
    groups: dict[GroupKey, _Group] = {}
    for key in _key_column(_columns_of(sums.select(*keys)), keys) if keys else [()]:
        if key not in groups:
            groups[key] = _Group()
    invalid, most = _ints(checks["invalid"])[0], _ints(checks[_MAX_K])[0]
    if invalid or most > least_customers:  # say which group
        per_group = _group_checks(outages)
        for key, inv, mk in zip(
            _key_column(per_group, keys),
            _ints(per_group["invalid"]),
            _ints(per_group[_MAX_K]),
            strict=True,
        ):
            g = groups.get(key) or groups.setdefault(key, _Group())
            g.invalid, g.max_k = inv, mk
    if mode in ("daily", "split"):
        j = nw.col(_J)
        a, b = nw.col("accrued_seconds"), nw.col("accrued_micros")
        days = sums.filter(j >= 0)
        if mode == "split":
            days = days.group_by(*keys, _J, drop_null_keys=False).agg(a.sum(), b.sum())
        days = days.filter((a != 0) | (b != 0)).select(*keys, j, a, b)
        if keys:
            days = days.sort(*keys, nulls_last=True)
        cols = _columns_of(days)
        us = [
            x * _SEC + y
            for x, y in zip(
                _ints(cols["accrued_seconds"]), _ints(cols["accrued_micros"]), strict=True
            )
        ]
        js = _ints(cols[_J])
        at = 0  # one (group, day) per row, the rows of a group together: one dict per group
        for key, run in itertools.groupby(_key_column(cols, keys)):
            n = sum(1 for _ in run)
            groups[key].accrued = dict(zip(js[at : at + n], us[at : at + n], strict=True))
            at += n
    if mode in ("states", "split"):
        totals = sums if mode == "states" else sums.filter(nw.col(_J) != -2)
        if mode == "split":
            totals = totals.group_by(*keys, _C, drop_null_keys=False).agg(
                *[nw.col(n).sum() for n in _SUM_FIELDS if n in sums.columns]
            )
        _add_rows({k: g.total for k, g in groups.items()}, _columns_of(totals), keys)
    if extra:
        ekeys = _key_column(extra, keys)
        for key, line, s, k, c, sus, jj in zip(
            ekeys,
            extra[_L],
            extra[_S],
            extra[_K],
            extra[_C],
            extra[f"{_P}sus"],
            extra[_J],
            strict=True,
        ):
            groups.setdefault(key, _Group()).records.setdefault(line, []).append(
                (int(s), int(k), _CAUSE_INDEX[c], bool(sus), _int(jj))
            )
    return groups, sums


def _outside(days: frozenset[int]) -> Callable[[int], bool]:
    return lambda j: j not in days


def _day_rows(
    outages: _Outages, sums: Any, wanted: Mapping[GroupKey, frozenset[int]]
) -> dict[GroupKey, Bucket]:
    """The sums of the wanted days of each group (from the eager ``split`` frame)."""
    out = {key: new_bucket() for key, days in wanted.items() if days}
    if not out:
        return out
    nw = outages.nw
    keys = outages.keys
    index = f"{_P}row"
    numbered = sums.with_row_index(index)
    where = _columns_of(numbered.filter(nw.col(_J) >= 0).select(index, *keys, _J))
    rows = [
        i
        for i, key, j in zip(where[index], _key_column(where, keys), where[_J], strict=True)
        if key in out and j in wanted[key]
    ]
    _add_rows(out, _columns_of(numbered.filter(nw.col(index).is_in(rows))), keys)
    return out


def _outages(
    frame: Any,
    keys: str | Sequence[str] | None,
    convention: CountingConvention | str | None,
    columns: Mapping[str, str | None],
) -> _Outages:
    return _Outages(frame, keys=keys, convention=convention, **columns)  # type: ignore[arg-type]


def _columns(
    start: str, end: str, customers_affected: str, cause: str, line: str | None
) -> dict[str, str | None]:
    return {
        "start": start,
        "end": end,
        "customers_affected": customers_affected,
        "cause": cause,
        "line": line,
    }


def _all_keys(
    groups: Mapping[GroupKey, Any], customers: Mapping[GroupKey, int] | int
) -> list[GroupKey]:
    keys = list(groups)
    if not isinstance(customers, int):
        keys += [k for k in customers if k not in groups]
    return keys


def reliability_states_by(
    outages: Any,
    *,
    period: PeriodLike,
    customers: Customers,
    keys: str | Sequence[str] | None = None,
    convention: CountingConvention | str | None = None,
    start: str = "start",
    end: str = "end",
    customers_affected: str = "customers_affected",
    cause: str = "cause",
    line: str | None = "line",
) -> dict[GroupKey, ReliabilityState]:
    """The :class:`ReliabilityState` of each group of a frame of outages over ``period``.

    Equal to ``ReliabilityState.from_outages(outages of the group, period=period,
    customers=...)``, with the same checks (an outage affecting more customers than are
    served, more customer-hours interrupted than the period has); rows that are not outages
    (nulls, ``end <= start``, customers below 0, an unknown cause) are refused.

    >>> import polars as pl, pendulum
    >>> t = pendulum.datetime(2024, 6, 1, tz="Asia/Shanghai")
    >>> day = pendulum.interval(t, t.add(days=1))
    >>> lf = pl.LazyFrame({"start": [t], "end": [t.add(minutes=4)],
    ...                    "customers_affected": [5], "cause": ["fault"]})
    >>> s = reliability_states_by(lf, period=day, customers=10, convention="IEEE 1366")[()]
    >>> s.fault.events, s.fault.short_events, s.maifi().value
    (0, 1, Fraction(1, 2))
    """
    o = _outages(outages, keys, convention, _columns(start, end, customers_affected, cause, line))
    p_start, p_end = _period_bounds(period)
    first, last = _instant_us(p_start), _instant_us(p_end)
    served = _group_customers(customers, len(o.keys))
    groups, _ = _collect(o, first, last, "states", least_customers=_least(served))
    out: dict[GroupKey, ReliabilityState] = {}
    cuts = [first, last]
    for key in _all_keys(groups, served):
        n = _customers_of(served, key)
        g = groups.get(key) or _Group()
        _check_group(key, g.invalid, g.max_k, n, o.names)
        total = period_bucket([g.total], lines_where(g.records), o.conv, first, last)
        check_plausible([total], cuts, n)
        out[key] = ReliabilityState._build(
            [Exposure(start=p_start, end=p_end, customers=n)], [total], o.conv
        )
    return out


def reliability_by(
    outages: Any,
    *,
    period: PeriodLike,
    customers: Customers,
    keys: str | Sequence[str] | None = None,
    convention: CountingConvention | str | None = None,
    causes: Iterable[OutageCause | str] | None = None,
    start: str = "start",
    end: str = "end",
    customers_affected: str = "customers_affected",
    cause: str = "cause",
    line: str | None = "line",
) -> dict[GroupKey, ReliabilityIndices]:
    """Every reliability index of each group (as :func:`~.indices.reliability_indices`).

    >>> import pandas as pd, pendulum
    >>> t = pendulum.datetime(2024, 6, 1, tz="Asia/Shanghai")
    >>> df = pd.DataFrame({"start": [t], "end": [t.add(hours=6)], "customers_affected": [5],
    ...                    "cause": ["external"]})
    >>> ix = reliability_by(df, period=pendulum.interval(t, t.add(days=1)), customers=10)[()]
    >>> ix.rs1.value, ix.rs2.value, ix.saidi.value
    (Fraction(7, 8), Fraction(1, 1), Fraction(180, 1))
    """
    cs = _causes(causes)
    states = reliability_states_by(
        outages,
        period=period,
        customers=customers,
        keys=keys,
        convention=convention,
        start=start,
        end=end,
        customers_affected=customers_affected,
        cause=cause,
        line=line,
    )
    return {key: state.indices(cs) for key, state in states.items()}


def _days_setup(
    period: PeriodLike, customers: Customers, n_keys: int
) -> tuple[datetime, datetime, list[int], list[date], Mapping[GroupKey, int] | int]:
    p_start, p_end = _period_bounds(period)
    served = _group_customers(customers, n_keys)
    for n in [served] if isinstance(served, int) else served.values():
        if n == 0:
            raise InputError(
                "daily SAIDI is undefined without customers",
                name="customers",
                value=n,
                allowed="int >= 1",
            )
    cuts, days = _day_cuts(p_start, p_end)
    return p_start, p_end, cuts, days, served


def daily_saidi_by(
    outages: Any,
    *,
    period: PeriodLike,
    customers: Customers,
    keys: str | Sequence[str] | None = None,
    causes: Iterable[OutageCause | str] | None = None,
    convention: CountingConvention | str | None = None,
    start: str = "start",
    end: str = "end",
    customers_affected: str = "customers_affected",
    cause: str = "cause",
    line: str | None = "line",
) -> dict[GroupKey, DailySaidi]:
    """The :class:`DailySaidi` of each group (as :func:`~.med.daily_saidi`).

    Days are the calendar days in the time zone of ``period.start``; an interruption is
    accrued in full to the local day it began.

    >>> import pandas as pd, pendulum
    >>> t = pendulum.datetime(2024, 6, 1, tz="Asia/Shanghai")
    >>> df = pd.DataFrame({"start": [t.add(hours=23)], "end": [t.add(hours=25)],
    ...                    "customers_affected": [30], "cause": ["fault"]})
    >>> d = daily_saidi_by(df, period=pendulum.interval(t, t.add(days=3)), customers=60)[()]
    >>> list(d.values())
    [Fraction(60, 1), Fraction(0, 1), Fraction(0, 1)]
    """
    o = _outages(outages, keys, convention, _columns(start, end, customers_affected, cause, line))
    _, _, cuts, days, served = _days_setup(period, customers, len(o.keys))
    groups, _ = _collect(
        o, cuts[0], cuts[-1], "daily", cuts, _causes(causes), least_customers=_least(served)
    )
    out: dict[GroupKey, DailySaidi] = {}
    end_day = days[-1] + timedelta(days=1)
    for key in _all_keys(groups, served):
        n = _customers_of(served, key)
        g = groups.get(key) or _Group()
        _check_group(key, g.invalid, g.max_k, n, o.names)
        out[key] = DailySaidi(
            by_day=_DayValues(days, g.accrued, n), first_day=days[0], end_day=end_day
        )
    return out


def med_thresholds_by(
    outages: Any,
    *,
    history: PeriodLike,
    customers: Customers,
    year_start: date,
    keys: str | Sequence[str] | None = None,
    method: MedMethod = IEEE_1366_MED,
    causes: Iterable[OutageCause | str] | None = None,
    convention: CountingConvention | str | None = None,
    start: str = "start",
    end: str = "end",
    customers_affected: str = "customers_affected",
    cause: str = "cause",
    line: str | None = "line",
) -> dict[GroupKey, MedThreshold]:
    """The 2.5β threshold of each group: :func:`~.med.med_threshold` of its daily SAIDI over
    ``history`` (the coverage of the records: the declared range of those days).

    >>> import pandas as pd, pendulum
    >>> from datetime import date
    >>> t = pendulum.datetime(2023, 3, 1, tz="Asia/Shanghai")
    >>> df = pd.DataFrame({"start": [t.add(days=i) for i in range(4)],   # SAIDI 1, 2, 4, 8 min
    ...                    "end": [t.add(days=i, minutes=10 * 2**i) for i in range(4)],
    ...                    "customers_affected": [6] * 4, "cause": ["fault"] * 4})
    >>> five_years = pendulum.interval(pendulum.datetime(2019, 1, 1, tz="Asia/Shanghai"),
    ...                                pendulum.datetime(2024, 1, 1, tz="Asia/Shanghai"))
    >>> th = med_thresholds_by(df, history=five_years, customers=60, year_start=date(2024, 1, 1))
    >>> th[()].status.value, th[()].nonzero_days, round(th[()].t_med, 4)
    ('available', 4, 26.492)
    """
    daily = daily_saidi_by(
        outages,
        period=history,
        customers=customers,
        keys=keys,
        causes=causes,
        convention=convention,
        start=start,
        end=end,
        customers_affected=customers_affected,
        cause=cause,
        line=line,
    )
    return {key: med_threshold(d, year_start=year_start, method=method) for key, d in daily.items()}


def exclude_major_event_days_by(
    outages: Any,
    *,
    period: PeriodLike,
    customers: Customers,
    thresholds: MedThreshold | Mapping[Any, MedThreshold],
    keys: str | Sequence[str] | None = None,
    causes: Iterable[OutageCause | str] | None = None,
    convention: CountingConvention | str | None = None,
    start: str = "start",
    end: str = "end",
    customers_affected: str = "customers_affected",
    cause: str = "cause",
    line: str | None = "line",
) -> dict[GroupKey, MedSplit]:
    """Each group's period split into normal and major event days (as
    :func:`~.med.exclude_major_event_days`), with one threshold for all groups or one per
    group key (from :func:`med_thresholds_by`).

    >>> import pandas as pd, pendulum
    >>> from datetime import date
    >>> from gdsmodel.metrics.reliability import med_threshold
    >>> th = med_threshold({date(2023, 3, 1): 1, date(2023, 3, 2): 2, date(2023, 3, 3): 4,
    ...                     date(2023, 3, 4): 8}, year_start=date(2024, 1, 1),
    ...                    history_start=date(2019, 1, 1))
    >>> t = pendulum.datetime(2024, 6, 1, tz="Asia/Shanghai")
    >>> df = pd.DataFrame({"start": [t.add(hours=18), t.add(days=2)],
    ...                    "end": [t.add(hours=48), t.add(days=2, hours=1)],
    ...                    "customers_affected": [50, 10], "cause": ["fault", "fault"]})
    >>> split = exclude_major_event_days_by(df, period=pendulum.interval(t, t.add(days=30)),
    ...                                     customers=100, thresholds=th)[()]
    >>> split.major_event_days, split.normal.saidi().value, split.whole.saidi().value
    ((datetime.date(2024, 6, 1),), Fraction(6, 1), Fraction(906, 1))
    """
    o = _outages(outages, keys, convention, _columns(start, end, customers_affected, cause, line))
    p_start, p_end, cuts, days, served = _days_setup(period, customers, len(o.keys))
    per_group: dict[GroupKey, MedThreshold] | None = None
    if isinstance(thresholds, MedThreshold):
        one: MedThreshold | None = thresholds
    elif isinstance(thresholds, Mapping):
        one = None
        per_group = {}
        for k, v in thresholds.items():
            if not isinstance(v, MedThreshold):
                raise InputError(
                    "must be a MedThreshold",
                    name=f"thresholds[{k!r}]",
                    value=v,
                    allowed="MedThreshold",
                )
            per_group[k if isinstance(k, tuple) else (k,)] = v
    else:
        raise InputError(
            "must be a MedThreshold or a mapping of group key to MedThreshold",
            name="thresholds",
            value=thresholds,
            allowed="MedThreshold",
        )
    groups, sums = _collect(
        o, cuts[0], cuts[-1], "split", cuts, _causes(causes), least_customers=_least(served)
    )
    first, last = cuts[0], cuts[-1]
    end_day = days[-1] + timedelta(days=1)
    decided: dict[GroupKey, tuple[MedThreshold, int, _Group, _DayValues, frozenset[int]]] = {}
    for key in _all_keys(groups, served):
        th = one if per_group is None else per_group.get(key)
        if th is None:
            raise InputError(
                "no threshold for a group of the outages",
                name="thresholds",
                value=key,
                allowed="a MedThreshold for every group (or one for all)",
            )
        t = th._require()
        n = _customers_of(served, key)
        g = groups.get(key) or _Group()
        _check_group(key, g.invalid, g.max_k, n, o.names)
        if days[0] < th.applies_from or days[-1] >= th.applies_until:
            raise InputError(
                "the period has days outside the year the threshold applies to",
                name="period",
                value=f"{days[0]}..{days[-1]}",
                allowed=f"days in [{th.applies_from}, {th.applies_until})",
            )
        daily = _DayValues(days, g.accrued, n)
        decided[key] = (th, n, g, daily, frozenset(daily.above(t)))
    major_rows = _day_rows(o, sums, {key: v[4] for key, v in decided.items()})
    out: dict[GroupKey, MedSplit] = {}
    for key, (th, n, g, daily, med_j) in decided.items():
        raw = major_rows.get(key) or new_bucket()
        rest = [
            [a - b for a, b in zip(x, y, strict=True)] for x, y in zip(g.total, raw, strict=True)
        ]
        normal = period_bucket([rest], lines_where(g.records, _outside(med_j)), o.conv, first, last)
        major = period_bucket(
            [raw], lines_where(g.records, med_j.__contains__), o.conv, first, last
        )
        both = new_bucket()
        add_into(both, normal)
        add_into(both, major)
        check_plausible([both], [first, last], n)
        out[key] = MedSplit(
            normal=ReliabilityState._build(
                [Exposure(start=p_start, end=p_end, customers=n)], [normal], o.conv
            ),
            major=ReliabilityState._build([], [major], o.conv),
            major_event_days=tuple(sorted(days[j] for j in med_j)),
            daily_saidi=DailySaidi(by_day=daily, first_day=days[0], end_day=end_day),
            threshold=th,
        )
    return out
