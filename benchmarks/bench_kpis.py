"""KPIs per group over synthetic meter rows: gdsmodel against hand-written queries.

The line-loss rate per station, line and month (50 stations x 20 lines x 12 months = 12,000
groups) over N synthetic meter rows stored as Parquet in a temporary folder:

* ``polars-lazy``: ``metric("line_loss_rate").by(pl.scan_parquet(path), keys).collect()``
  against a hand-written lazy polars group-by of the same sums;
* ``polars-stream``: the same lazy queries collected with polars' streaming engine
  (``collect(engine="streaming")``, memory bounded by the groups);
* ``polars-eager``: the same on a DataFrame already in memory (gdsmodel checks the inputs
  first: one extra pass);
* ``duckdb``: ``by(metric, path, keys)`` (a DuckDB relation over the Parquet file) against
  hand-written DuckDB SQL of the same sums.
* ``postgres``: ``metric("line_loss_rate").by(table, keys).execute()`` on an ibis table of a
  PostgreSQL database (the rows loaded there first, not timed) against hand-written PostgreSQL
  SQL of the same sums fetched with psycopg into an Arrow table; the server is
  ``GDSMODEL_TEST_POSTGRES_URL`` or a throwaway cluster (``tests/pg_server.py``);
* ``postgres-sql``: the statement of ``gdsmodel.metrics.sql.to_sql(..., dialect="postgres")``
  against the same hand-written SQL, both through psycopg;
* ``chdb``: ``by(table, keys).to_pyarrow()`` on an ibis table of chDB (ClickHouse in-process, a
  MergeTree table) against hand-written ClickHouse SQL through the same client (Arrow);
* ``chdb-sql``: the ``to_sql(..., dialect="clickhouse")`` statement against the same SQL.

The SQL engines run in the database (PostgreSQL in its own server processes): their peak
memory is not measured here.

Both sides produce the same table (keys, numerator, denominator, value, sorted by the keys);
the script checks that they agree. Times are interleaved in one process; peak memory is the
peak resident set of a fresh process while it runs one side once, above its resident set just
before (after the imports and, for the eager case, after loading the frame).

Run (from the project root, with the ``dataframe`` and ``duckdb`` extras installed)::

    .venv/bin/python benchmarks/bench_kpis.py                 # 1M and 10M rows
    .venv/bin/python benchmarks/bench_kpis.py --rows 1000000 --repeat 9
    .venv/bin/python benchmarks/bench_kpis.py --hundred-million  # adds 100M rows (slow)
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    ROOT,
    interleaved,
    machine,
    peak_rss_mb,
    reset_peak,
    rss_mb,
    run_worker,
    summary,
    table,
)

KEYS = ["station", "line", "month"]
ENGINES = ("polars-lazy", "polars-stream", "polars-eager", "duckdb")
SQL_ENGINES = ("postgres", "postgres-sql", "chdb", "chdb-sql")
ALL_ENGINES = ENGINES + SQL_ENGINES
PG_ENV = "GDSMODEL_TEST_POSTGRES_URL"
HAND_SQL = """
    SELECT station, line, month,
           sum(supplied_kwh) - sum(sold_kwh) AS numerator,
           sum(supplied_kwh) AS denominator,
           CASE WHEN sum(supplied_kwh) <> 0
                THEN CAST(sum(supplied_kwh) - sum(sold_kwh) AS DOUBLE PRECISION)
                     / CAST(sum(supplied_kwh) AS DOUBLE PRECISION) END AS value
    FROM {table}
    GROUP BY station, line, month
    ORDER BY station, line, month
"""
CHUNK = 10_000_000


# --------------------------------------------------------------------------- data


def generate(rows: int, folder: Path) -> Path:
    """N synthetic meter rows in Parquet: one file up to 10M rows, else a folder of files."""
    import numpy as np
    import polars as pl

    target = folder / f"meter-{rows}"
    target.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(20240601)
    done = 0
    part = 0
    while done < rows:
        n = min(CHUNK, rows - done)
        supplied = rng.integers(100, 10_000, n)
        loss = (supplied * rng.random(n) * 0.12).astype(np.int64)
        frame = pl.DataFrame(
            {
                "station": rng.integers(0, 50, n),
                "line": rng.integers(0, 20, n),
                "month": rng.integers(1, 13, n),
                "supplied_kwh": supplied,
                "sold_kwh": supplied - loss,
            }
        ).with_columns(
            station=pl.format("S{}", pl.col("station").cast(pl.String).str.zfill(3)),
            line=pl.format("L{}", pl.col("line").cast(pl.String).str.zfill(2)),
            month=pl.format("2024-{}", pl.col("month").cast(pl.String).str.zfill(2)),
        )
        frame.write_parquet(target / f"part-{part:03d}.parquet", row_group_size=1_000_000)
        done += n
        part += 1
    return target


# --------------------------------------------------------------------------- the two sides


def sides(engine: str, folder: Path) -> tuple[dict[str, Any], Any]:
    """The gdsmodel and hand-written callables of an engine (and the loaded frame, if any)."""
    import duckdb
    import polars as pl

    from gdsmodel.metrics.registry import metric

    loss = metric("line_loss_rate")
    glob = str(folder / "*.parquet")

    def hand_lazy(src: Any) -> Any:
        q = src.group_by(KEYS).agg(pl.col("supplied_kwh").sum(), pl.col("sold_kwh").sum())
        q = q.with_columns(
            numerator=pl.col("supplied_kwh") - pl.col("sold_kwh"),
            denominator=pl.col("supplied_kwh"),
        ).with_columns(
            value=pl.when(pl.col("denominator") != 0).then(
                pl.col("numerator") / pl.col("denominator")
            )
        )
        return q.select(*KEYS, "numerator", "denominator", "value").sort(KEYS)

    if engine == "polars-lazy":
        return {
            "gdsmodel": lambda: loss.by(pl.scan_parquet(glob), KEYS).collect(),
            "hand": lambda: hand_lazy(pl.scan_parquet(glob)).collect(),
        }, None
    if engine == "polars-stream":
        return {
            "gdsmodel": lambda: loss.by(pl.scan_parquet(glob), KEYS).collect(engine="streaming"),
            "hand": lambda: hand_lazy(pl.scan_parquet(glob)).collect(engine="streaming"),
        }, None
    if engine == "polars-eager":
        df = pl.read_parquet(glob)
        return {
            "gdsmodel": lambda: loss.by(df, KEYS),
            "hand": lambda: _hand_eager(df),
        }, df
    if engine == "duckdb":
        sql = f"""
            SELECT station, line, month,
                   sum(supplied_kwh) - sum(sold_kwh) AS numerator,
                   sum(supplied_kwh) AS denominator,
                   CASE WHEN sum(supplied_kwh) != 0
                        THEN (sum(supplied_kwh) - sum(sold_kwh))::DOUBLE
                             / sum(supplied_kwh)::DOUBLE END AS value
            FROM read_parquet('{glob}')
            GROUP BY station, line, month
            ORDER BY station, line, month
        """
        return {
            "gdsmodel": lambda: loss.by(glob, KEYS).to_arrow_table(),
            "hand": lambda: duckdb.sql(sql).to_arrow_table(),
        }, None
    if engine in SQL_ENGINES:
        return _sql_sides(engine, folder), None
    raise SystemExit(f"unknown engine {engine}")


def _table_name(folder: Path) -> str:
    return "meter_" + folder.name.replace("-", "_")


def load_postgres(url: str, folder: Path) -> None:
    """Copy the Parquet rows into a PostgreSQL table (once per size; not timed)."""
    import duckdb
    import psycopg

    table = _table_name(folder)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP TABLE IF EXISTS {table}")
        conn.execute(
            f"CREATE TABLE {table} (station text, line text, month text,"
            " supplied_kwh bigint, sold_kwh bigint)"
        )
        rel = duckdb.sql(
            "SELECT station, line, month, supplied_kwh, sold_kwh "
            f"FROM read_parquet('{folder / '*.parquet'}')"
        )
        with conn.cursor().copy(f"COPY {table} FROM STDIN (FORMAT csv)") as copy:
            reader = rel.to_arrow_reader(batch_size=500_000)
            import pyarrow.csv as pacsv

            for batch in reader:
                buf = io.BytesIO()
                pacsv.write_csv(batch, buf, pacsv.WriteOptions(include_header=False))
                copy.write(buf.getvalue())
        conn.execute(f"VACUUM ANALYZE {table}")


def _sql_sides(engine: str, folder: Path) -> dict[str, Any]:
    import os

    from gdsmodel.metrics.registry import metric
    from gdsmodel.metrics.sql import to_sql
    from gdsmodel.metrics.warehouse import connect, table

    loss = metric("line_loss_rate")  # the same KPI on every engine
    name = _table_name(folder)
    if engine.startswith("postgres"):
        import psycopg

        url = os.environ[PG_ENV]
        conn = psycopg.connect(url)
        if engine == "postgres":

            def hand_arrow() -> Any:
                import pyarrow as pa

                cur = conn.execute(HAND_SQL.format(table=name))
                names = [c.name for c in cur.description or ()]
                rows = cur.fetchall()
                return pa.table({n: [r[i] for r in rows] for i, n in enumerate(names)})

            pg_table = table(url, name)  # opened once, as a user holds a table
            # .execute(), not .to_pyarrow(): ibis fetches Arrow from PostgreSQL through a
            # server-side cursor, which PostgreSQL plans without parallel workers (2x slower)
            return {
                "gdsmodel": lambda: loss.by(pg_table, KEYS).execute(),
                "hand": hand_arrow,
            }
        mine = to_sql(loss, name, KEYS, dialect="postgres")
        return {
            "gdsmodel": lambda: conn.execute(mine).fetchall(),
            "hand": lambda: conn.execute(HAND_SQL.format(table=name)).fetchall(),
        }
    url = "chdb://memory"
    con = connect(url)
    con.raw_sql(
        f"CREATE TABLE IF NOT EXISTS {name} (station String, line String, month String,"
        " supplied_kwh Int64, sold_kwh Int64) ENGINE = MergeTree ORDER BY tuple()"
    )
    con.raw_sql(
        f"INSERT INTO {name} SELECT station, line, month, supplied_kwh, sold_kwh "
        f"FROM file('{folder / '*.parquet'}', Parquet)"
    )
    hand = HAND_SQL.format(table=name).replace("DOUBLE PRECISION", "Float64")
    client = con.con
    if engine == "chdb":
        ch_table = table(url, name)
        return {
            "gdsmodel": lambda: loss.by(ch_table, KEYS).to_pyarrow(),
            "hand": lambda: client.query_arrow(hand),
        }
    mine = to_sql(loss, name, KEYS, dialect="clickhouse")
    return {
        "gdsmodel": lambda: client.query_arrow(mine),
        "hand": lambda: client.query_arrow(hand),
    }


def _hand_eager(df: Any) -> Any:
    import polars as pl

    out = df.group_by(KEYS).agg(pl.col("supplied_kwh").sum(), pl.col("sold_kwh").sum())
    out = out.with_columns(
        numerator=pl.col("supplied_kwh") - pl.col("sold_kwh"),
        denominator=pl.col("supplied_kwh"),
    )
    out = out.with_columns(
        value=pl.when(pl.col("denominator") != 0).then(pl.col("numerator") / pl.col("denominator"))
    )
    return out.select(*KEYS, "numerator", "denominator", "value").sort(KEYS)


def _as_polars(result: Any) -> Any:
    import polars as pl

    if isinstance(result, list):  # rows fetched by a DB-API cursor
        result = pl.DataFrame(
            [r[:6] for r in result],
            schema=[*KEYS, "numerator", "denominator", "value"],
            orient="row",
        )
    elif type(result).__module__.startswith("pandas"):
        result = pl.from_pandas(result)
    elif not isinstance(result, pl.DataFrame):
        result = pl.from_arrow(result)
    return result.select(
        *KEYS,
        pl.col("numerator").cast(pl.Int64),
        pl.col("denominator").cast(pl.Int64),
        "value",
    ).sort(KEYS)


# --------------------------------------------------------------------------- workers


def worker_time(engine: str, folder: Path, repeat: int) -> dict[str, Any]:
    fns, _ = sides(engine, folder)
    a, b = _as_polars(fns["gdsmodel"]()), _as_polars(fns["hand"]())
    if not a.equals(b):
        raise SystemExit(f"{engine}: gdsmodel and the hand-written query disagree")
    times = interleaved(fns, repeat)
    return {"groups": a.height, **{k: summary(v) for k, v in times.items()}}


def worker_memory(engine: str, side: str, folder: Path) -> dict[str, Any]:
    import duckdb  # noqa: F401  (imports count in the baseline, not in the query)
    import narwhals  # noqa: F401
    import polars  # noqa: F401

    import gdsmodel.metrics.frames  # noqa: F401
    from gdsmodel.metrics.registry import metric

    metric("line_loss_rate")
    fns, _ = sides(engine, folder)  # the eager frame is loaded here, before the baseline
    reset_peak()
    before = rss_mb()
    t0 = time.perf_counter()
    result = fns[side]()
    seconds = time.perf_counter() - t0
    del result
    return {"seconds": seconds, "baseline_mb": before, "peak_mb": peak_rss_mb()}


# --------------------------------------------------------------------------- driver


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--hundred-million", action="store_true", help="also 100M rows")
    parser.add_argument("--repeat", type=int, default=7, help="timed runs of each side")
    parser.add_argument("--engines", nargs="+", default=list(ENGINES), choices=ALL_ENGINES)
    parser.add_argument(
        "--sql",
        action="store_true",
        help="also PostgreSQL and chDB (" + ", ".join(SQL_ENGINES) + ")",
    )
    parser.add_argument("--eager-max", type=int, default=20_000_000, help="skip polars-eager above")
    parser.add_argument("--data", type=Path, help="folder for the Parquet files (default: temp)")
    parser.add_argument("--json", type=Path, help="write the results as JSON here")
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        kind, engine, folder, *rest = args.worker
        if kind == "time":
            out = worker_time(engine, Path(folder), int(rest[0]))
        else:
            out = worker_memory(engine, rest[0], Path(folder))
        print(json.dumps(out))
        return 0

    sizes = list(args.rows) + ([100_000_000] if args.hundred_million else [])
    script = Path(__file__).resolve()
    results: list[dict[str, Any]] = []
    engines = list(args.engines) + [e for e in SQL_ENGINES if args.sql and e not in args.engines]
    with contextlib.ExitStack() as stack:
        if any(e.startswith("postgres") for e in engines) and not os.environ.get(PG_ENV):
            sys.path.insert(0, str(ROOT / "tests"))
            from pg_server import postgres_server

            os.environ[PG_ENV] = stack.enter_context(postgres_server())
        _run(args, sizes, engines, script, results)
        print()
        print(report(results))  # while the server runs: the report names its version
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


def _run(
    args: argparse.Namespace,
    sizes: list[int],
    engines: list[str],
    script: Path,
    results: list[dict[str, Any]],
) -> None:
    with tempfile.TemporaryDirectory(prefix="gdsmodel-bench-") as tmp:
        base = args.data or Path(tmp)
        for rows in sizes:
            t0 = time.perf_counter()
            folder = generate(rows, base)
            print(f"# {rows:,} rows generated in {time.perf_counter() - t0:.1f} s", flush=True)
            if any(e.startswith("postgres") for e in engines):
                t0 = time.perf_counter()
                load_postgres(os.environ[PG_ENV], folder)
                print(f"# loaded into PostgreSQL in {time.perf_counter() - t0:.1f} s", flush=True)
            for engine in engines:
                if engine == "polars-eager" and rows > args.eager_max:
                    continue
                timing = run_worker(script, ["time", engine, str(folder), str(args.repeat)])
                memory: dict[str, Any] | None = None
                if engine not in SQL_ENGINES:
                    memory = {
                        side: run_worker(script, ["memory", engine, str(folder), side])
                        for side in ("gdsmodel", "hand")
                    }
                row = {"rows": rows, "engine": engine, **timing, "memory": memory}
                results.append(row)
                print(f"  {engine}: {_ratio(row):.2f}x", flush=True)


def _ratio(row: dict[str, Any], stat: str = "min") -> float:
    return float(row["gdsmodel"][stat] / row["hand"][stat])


def report(results: list[dict[str, Any]]) -> str:
    rows = []
    for r in results:
        mem = r["memory"]
        peaks = (
            [
                f"{mem[side]['peak_mb'] - mem[side]['baseline_mb']:.0f}"
                for side in ("gdsmodel", "hand")
            ]
            if mem
            else ["-", "-"]
        )
        rows.append(
            [
                f"{r['rows']:,}",
                r["engine"],
                f"{r['groups']:,}",
                f"{r['gdsmodel']['min']:.3f}",
                f"{r['hand']['min']:.3f}",
                f"**{_ratio(r):.2f}**",
                f"{_ratio(r, 'median'):.2f}",
                f"{_ratio(r, 'cpu_min'):.2f}",
                *peaks,
            ]
        )
    header = [
        "rows",
        "engine",
        "groups",
        "gdsmodel s (best)",
        "hand s (best)",
        "ratio (best)",
        "ratio (median)",
        "ratio (CPU, best)",
        "gdsmodel peak MiB",
        "hand peak MiB",
    ]
    return f"{machine()}{_sql_versions(results)}\n\n{table(header, rows)}"


def _sql_versions(results: list[dict[str, Any]]) -> str:
    """The versions of the SQL layer, when SQL engines ran."""
    if not any(r["engine"] in SQL_ENGINES for r in results):
        return ""
    import importlib.metadata as md

    names = ("ibis-framework", "sqlglot", "chdb", "psycopg")
    found = []
    for name in names:
        with contextlib.suppress(md.PackageNotFoundError):
            found.append(f"{name} {md.version(name)}")
    server = ""
    url = os.environ.get(PG_ENV)
    if url:
        import psycopg

        with psycopg.connect(url) as conn:
            row = conn.execute("SHOW server_version").fetchone()
            server = f", PostgreSQL {row[0].split()[0]}" if row else ""
    return "; " + ", ".join(found) + server


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    raise SystemExit(main())
