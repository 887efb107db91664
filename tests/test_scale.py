"""The same KPIs on every engine: pandas, polars (eager and lazy), pyarrow, DuckDB (relations
and Parquet/CSV files), and, marked slow, a local PySpark session and Dask. Every engine gives
exactly the scalar result on the same generated data, and partial states made on one engine
merge on another."""

from __future__ import annotations

import importlib.util
import random
import warnings
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

from gdsmodel.metrics import frames
from gdsmodel.metrics.definitions import MetricDefinition
from gdsmodel.metrics.partial import PartialState
from gdsmodel.metrics.registry import metric

duckdb = pytest.importorskip("duckdb")  # the `duckdb` extra

KEYS = ["station", "line", "month"]
# (metric, keys of the result, period column for stock inputs)
CASES: list[tuple[str, list[str], str | None]] = [
    ("line_loss_rate", ["station", "line", "month"], None),
    ("line_loss_rate_10kv", ["station", "month"], None),
    ("meter_reading_rate", ["station"], None),
    ("collection_rate", ["month"], None),
    ("management_loss_rate", [], None),
    ("saifi", ["station"], "month"),
    ("saidi", ["line", "month"], "month"),
]


def generate(n: int = 3000, seed: int = 8) -> list[dict[str, Any]]:
    """Synthetic meter rows: station, line, month and the inputs of every case (integers)."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        supplied = rng.randrange(0, 10_000)
        sold = supplied - rng.randrange(0, supplied // 5 + 1)
        technical = rng.randrange(0, supplied - sold + 1)
        due = rng.randrange(0, 50)
        billed = rng.randrange(0, 5000)
        station = f"S{rng.randrange(3)}"
        out.append(
            {
                "station": station,
                "line": f"{station}-L{rng.randrange(4)}",
                "month": f"2024-{rng.randrange(1, 4):02d}",
                "hours": 744,  # every month of the case is given 31 days: weights still apply
                "supplied_kwh": supplied,
                "sold_kwh": sold,
                "technical_loss_kwh": technical,
                "read": rng.randrange(0, due + 1),
                "due": due,
                "collected": rng.randrange(0, billed + 100),
                "billed": billed,
                "customer_interruptions": rng.randrange(0, 30),
                "customer_minutes": rng.randrange(0, 5000),
                "customers": rng.randrange(1, 400),
            }
        )
    return out


@pytest.fixture(scope="module")
def rows() -> list[dict[str, Any]]:
    return generate()


@pytest.fixture(scope="module")
def files(rows: list[dict[str, Any]], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The rows as one Parquet file, one CSV file, and a folder with a Parquet file a month."""
    root = tmp_path_factory.mktemp("meter")
    df = pl.DataFrame(rows)
    df.write_parquet(root / "rows.parquet")
    df.write_csv(root / "rows.csv")
    (root / "by_month").mkdir()
    for (month,), part in df.partition_by("month", as_dict=True).items():
        part.write_parquet(root / "by_month" / f"{month}.parquet")
    return root


def expected(
    d: MetricDefinition, rows: list[dict[str, Any]], keys: list[str], period: str | None
) -> list[tuple[Any, ...]]:
    """The scalar result (PartialState per group, exact), as rows of plain values."""
    groups: dict[tuple[Any, ...], PartialState] = {}
    for r in rows:
        key = tuple(r[k] for k in keys)
        inputs = {n: r[n] for n in d.inputs}
        extra = {"period": r[period], "hours": r["hours"]} if period else {}
        s = PartialState.of(d, **extra, **inputs)
        groups[key] = groups[key] + s if key in groups else s
    out = []
    for key in sorted(groups):
        r = groups[key].ratio()
        out.append((*key, float(r) if r.defined else None))
    return out


def normalise(result: Any, keys: list[str]) -> list[tuple[Any, ...]]:
    """Rows (keys..., value) of any engine's result, in key order."""
    if isinstance(result, pl.LazyFrame):
        result = result.collect()
    if type(result).__name__ == "DuckDBPyRelation":
        result = result.to_arrow_table()
    if isinstance(result, pa.Table):
        result = pl.from_arrow(result)
    if isinstance(result, pd.DataFrame):
        result = pl.from_pandas(result)
    if hasattr(result, "compute"):  # dask
        result = pl.from_pandas(result.compute())
    if hasattr(result, "toLocalIterator"):  # pyspark
        data = [r.asDict() for r in result.collect()]
        return sorted(tuple(r[c] for c in [*keys, "value"]) for r in data)
    assert isinstance(result, pl.DataFrame)
    return sorted(result.select(*keys, "value").rows())


def sums(result: Any, keys: list[str]) -> list[tuple[Any, ...]]:
    if isinstance(result, pl.LazyFrame):
        result = result.collect()
    if type(result).__name__ == "DuckDBPyRelation":
        result = result.to_arrow_table()
    if isinstance(result, pa.Table):
        result = pl.from_arrow(result)
    if isinstance(result, pd.DataFrame):
        result = pl.from_pandas(result)
    assert isinstance(result, pl.DataFrame)
    return sorted(
        (*r[:-2], Fraction(r[-2]), Fraction(r[-1]))
        for r in result.select(*keys, "numerator", "denominator").rows()
    )


def engines(rows: list[dict[str, Any]], files: Path) -> Iterator[tuple[str, Any]]:
    df = pl.DataFrame(rows)
    yield "pandas", df.to_pandas()
    yield "polars", df
    yield "polars-lazy", df.lazy()
    yield "polars-scan", pl.scan_parquet(files / "rows.parquet")
    yield "pyarrow", df.to_arrow()
    yield "duckdb", duckdb.from_arrow(df.to_arrow())
    yield "duckdb-parquet", files / "rows.parquet"
    yield "duckdb-csv", str(files / "rows.csv")
    yield "duckdb-folder", files / "by_month"


@pytest.mark.parametrize(("metric_id", "keys", "period"), CASES, ids=[c[0] for c in CASES])
def test_every_local_engine_gives_the_scalar_result(
    rows: list[dict[str, Any]], files: Path, metric_id: str, keys: list[str], period: str | None
) -> None:
    d = metric(metric_id)
    want = expected(d, rows, keys, period)
    extra = {"period": period, "hours": "hours"} if period else {}
    first = None
    for name, frame in engines(rows, files):
        out = d.by(frame, keys, **extra)
        got = normalise(out, keys)
        assert got == want, name
        if not period:  # integer sums: exact on every engine
            s = sums(d.by(frame, keys), keys)
            first = first or s
            assert s == first, name


def test_lazy_engines_stay_lazy(files: Path) -> None:
    d = metric("line_loss_rate")
    assert isinstance(d.by(pl.scan_parquet(files / "rows.parquet"), KEYS), pl.LazyFrame)
    rel = d.by(files / "rows.parquet", KEYS)
    assert type(rel).__name__ == "DuckDBPyRelation"
    assert "read_parquet" in rel.sql_query().lower() or "parquet" in rel.sql_query().lower()


def test_partial_states_made_on_one_engine_finish_on_another(
    rows: list[dict[str, Any]], files: Path
) -> None:
    """A state per monthly file, made by DuckDB; merged and finished by polars and pandas."""
    d = metric("line_loss_rate")
    parts = [
        frames.states(d, p, ["station", "line"]).to_arrow_table()
        for p in sorted((files / "by_month").glob("*.parquet"))
    ]
    merged = pa.concat_tables(parts)
    whole = normalise(d.by(files / "rows.parquet", ["station"]), ["station"])
    assert normalise(frames.finish(d, pl.from_arrow(merged), ["station"]), ["station"]) == whole
    assert normalise(frames.finish(d, merged.to_pandas(), ["station"]), ["station"]) == whole


# --------------------------------------------------------------------------- clusters (slow)


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    pytest.importorskip("pyspark")
    from pyspark.sql import SparkSession

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        session = (
            SparkSession.builder.master("local[2]")
            .appName("gdsmodel-test")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.sql.session.timeZone", "UTC")
            .getOrCreate()
        )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.mark.slow
def test_pyspark_gives_the_same_results(
    spark: Any, rows: list[dict[str, Any]], files: Path
) -> None:
    sdf = spark.read.parquet(str(files / "rows.parquet"))
    for metric_id, keys, period in CASES:
        d = metric(metric_id)
        extra = {"period": period, "hours": "hours"} if period else {}
        out = d.by(sdf, keys, **extra)
        assert type(out).__module__.startswith("pyspark")
        assert normalise(out, keys) == expected(d, rows, keys, period), metric_id


@pytest.mark.slow
@pytest.mark.skipif(importlib.util.find_spec("dask") is None, reason="dask is not installed")
@pytest.mark.filterwarnings("ignore:The inplace keyword")  # inside dask, with pandas 3
def test_dask_gives_the_same_results(rows: list[dict[str, Any]], files: Path) -> None:
    import dask.dataframe as dd

    ddf = dd.read_parquet(str(files / "rows.parquet"))
    for metric_id, keys, period in CASES:
        d = metric(metric_id)
        extra = {"period": period, "hours": "hours"} if period else {}
        out = d.by(ddf, keys, **extra)
        assert type(out).__module__.startswith("dask")
        assert normalise(out, keys) == expected(d, rows, keys, period), metric_id
