"""``metric(id).by(table, keys)`` on tables of SQL databases through ibis (PostgreSQL, slow;
ClickHouse through chDB): the same output as the DuckDB path, row for row and type for type
(exact numerators and denominators, undefined stays null, invalid rows flagged), partial
states that merge across databases, typed errors."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gdsmodel.errors import InputError
from gdsmodel.metrics import frames
from gdsmodel.metrics.definitions import MetricDefinition
from gdsmodel.metrics.partial import PartialState, stock_inputs
from gdsmodel.metrics.registry import metric, metrics

pytest.importorskip("ibis")
duckdb = pytest.importorskip("duckdb")
pa = pytest.importorskip("pyarrow")
pl = pytest.importorskip("polars")

from gdsmodel.metrics import warehouse  # noqa: E402

FLOWS = [d for d in metrics() if d.additive and not stock_inputs(d)]
LOSS10 = metric("line_loss_rate_10kv")
KEYS = ("line", "area")


def arrow(d: MetricDefinition, rows: list[dict[str, Any]], *, decimal: bool = False) -> Any:
    kind = pa.decimal128(14, 2) if decimal else pa.int64()
    return pa.table(
        {
            **{k: pa.array([r[k] for r in rows], pa.string()) for k in KEYS},
            **{n: pa.array([r[n] for r in rows], kind) for n in d.inputs},
        }
    )


def duck(data: Any, d: MetricDefinition, keys: Sequence[str], **kw: Any) -> list[dict[str, Any]]:
    """The DuckDB path: the reference."""
    rel = duckdb.from_arrow(data)
    out: list[dict[str, Any]] = d.by(rel, keys, invalid="flag", **kw).to_arrow_table().to_pylist()
    return out


class Chdb:
    """Tables in chDB (ClickHouse in this process)."""

    def __init__(self) -> None:
        pytest.importorskip("chdb")
        pytest.importorskip("clickhouse_connect")
        self.url = "chdb://memory"
        self.con = warehouse.connect(self.url)

    def load(self, data: Any) -> Any:
        name = f"t_{uuid.uuid4().hex[:10]}"
        cols = []
        for field in data.schema:
            if pa.types.is_string(field.type):
                kind = "String"
            elif pa.types.is_decimal(field.type):
                kind = f"Decimal({field.type.precision}, {field.type.scale})"
            else:
                kind = "Int64"
            cols.append(f"{field.name} Nullable({kind})")
        self.con.raw_sql(f"CREATE TABLE {name} ({', '.join(cols)}) ENGINE = Memory")
        if data.num_rows:
            self.con.con.insert_arrow(name, data)
        return warehouse.table(self.url, name)


class Postgres:
    """Tables in a real PostgreSQL server."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.con = warehouse.connect(url)

    def load(self, data: Any) -> Any:
        import psycopg

        name = f"t_{uuid.uuid4().hex[:10]}"
        cols = []
        for field in data.schema:
            if pa.types.is_string(field.type):
                kind = "text"
            elif pa.types.is_decimal(field.type):
                kind = f"numeric({field.type.precision}, {field.type.scale})"
            else:
                kind = "bigint"
            cols.append(f"{field.name} {kind}")
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f"CREATE TABLE {name} ({', '.join(cols)})")
            if data.num_rows:
                with conn.cursor().copy(f"COPY {name} FROM STDIN") as copy:
                    for row in data.to_pylist():
                        copy.write_row(list(row.values()))
        return warehouse.table(self.url, name)


@pytest.fixture(scope="module")
def chdb() -> Chdb:
    return Chdb()


@pytest.fixture
def pg(postgres_database: str) -> Postgres:
    return Postgres(postgres_database)


@st.composite
def meter_rows(draw: Any, d: MetricDefinition) -> list[dict[str, Any]]:
    out = []
    for _ in range(draw(st.integers(0, 12))):
        row: dict[str, Any] = {
            "line": draw(st.sampled_from(["L1", "L2", "L3", None])),
            "area": draw(st.sampled_from(["east", "west"])),
        }
        for name in d.inputs:
            row[name] = draw(
                st.integers(0, 10**12) | st.integers(0, 4) | st.none() | st.integers(-3, -1)
            )
        out.append(row)
    return out


ROWS = [
    {"line": "L1", "area": "east", "supplied_kwh": 600, "sold_kwh": 560},
    {"line": "L1", "area": "east", "supplied_kwh": 400, "sold_kwh": 375},
    {"line": "L2", "area": "east", "supplied_kwh": 1000, "sold_kwh": 934},
    {"line": "L3", "area": "west", "supplied_kwh": 0, "sold_kwh": 0},
    {"line": "L4", "area": "west", "supplied_kwh": 10, "sold_kwh": None},
    {"line": None, "area": "west", "supplied_kwh": 100, "sold_kwh": 110},
]
WANT = [
    {"line": "L1", "numerator": 65, "denominator": 1000, "value": 0.065, "verdict": "met"},
    {"line": "L2", "numerator": 66, "denominator": 1000, "value": 0.066, "verdict": "missed"},
    {"line": "L3", "numerator": 0, "denominator": 0, "value": None, "verdict": "undefined"},
    {"line": "L4", "numerator": 10, "denominator": 10, "value": None, "verdict": "invalid"},
    {"line": None, "numerator": -10, "denominator": 100, "value": -0.1, "verdict": "met"},
]


def worked_example(db: Chdb | Postgres) -> None:
    data = arrow(LOSS10, ROWS)
    out = LOSS10.by(db.load(data), "line", target="A")
    assert type(out).__module__.startswith("ibis")  # lazy: runs in the database
    got = out.to_pyarrow().to_pylist()
    assert [{k: r[k] for k in WANT[0]} for r in got] == WANT
    assert [r["invalid_rows"] for r in got] == [0, 0, 0, 1, 0]
    assert got == duck(data, LOSS10, ["line"], target="A")


def decimals(db: Chdb | Postgres) -> None:
    d = metric("collection_rate")
    rows = [
        {"line": "a", "area": "x", "collected": Decimal("1.10"), "billed": Decimal("3.35")},
        {"line": "a", "area": "x", "collected": Decimal("2.25"), "billed": Decimal("0")},
        {"line": "b", "area": "x", "collected": Decimal("0"), "billed": Decimal("0")},
    ]
    data = arrow(d, rows, decimal=True)
    got = d.by(db.load(data), "line").to_pyarrow().to_pylist()
    assert got == duck(data, d, ["line"])
    assert got[0]["numerator"] == Decimal("3.35") and got[0]["value"] == 1.0
    assert got[1]["value"] is None and got[1]["verdict"] == "undefined"


def merge_across(first: Chdb | Postgres, second: Chdb | Postgres) -> None:
    """States of two databases concatenate and finish to the KPI of the union."""
    d = metric("meter_reading_rate")
    jan = [
        {"line": "L1", "area": "east", "read": 98, "due": 100},
        {"line": "L2", "area": "west", "read": 7, "due": 7},
    ]
    feb = [
        {"line": "L1", "area": "east", "read": 50, "due": 50},
        {"line": "L3", "area": "east", "read": 0, "due": 0},
    ]
    parts = []
    for db, rows in ((first, jan), (second, feb)):
        states = frames.states(d, db.load(arrow(d, rows)), KEYS)
        parts.append(states.to_polars())
    both = pl.concat(parts)
    merged = frames.finish(d, both, ["area"])
    got = merged.select("area", "numerator", "denominator", "value", "verdict").rows()
    assert got == [("east", 148, 150, 148 / 150, "missed"), ("west", 7, 7, 1.0, "met")]
    union = duck(arrow(d, jan + feb), d, ["area"])
    assert [r["numerator"] for r in union] == merged.get_column("numerator").to_list()
    scalar = frames.to_states(d, both, ["area"])
    assert sum(scalar.values(), PartialState.empty(d)).ratio().numerator == 155


def raise_mode(db: Chdb | Postgres) -> None:
    data = arrow(LOSS10, [{"line": "L1", "area": "e", "supplied_kwh": 5, "sold_kwh": -1}])
    with pytest.raises(InputError, match="negative values"):
        LOSS10.by(db.load(data), "line", invalid="raise")


# --------------------------------------------------------------------------- chDB


def test_chdb_worked_example(chdb: Chdb) -> None:
    worked_example(chdb)


def test_chdb_decimals_stay_exact(chdb: Chdb) -> None:
    decimals(chdb)


def test_chdb_states_merge(chdb: Chdb) -> None:
    merge_across(chdb, chdb)


def test_chdb_raise_mode(chdb: Chdb) -> None:
    raise_mode(chdb)


@settings(max_examples=30, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_chdb_equals_duckdb(chdb: Chdb, data: Any) -> None:
    d = data.draw(st.sampled_from(FLOWS))
    rows = data.draw(meter_rows(d))
    keys = data.draw(st.sampled_from([list(KEYS), ["line"]]))
    table = arrow(d, rows)
    assert d.by(chdb.load(table), keys).to_pyarrow().to_pylist() == duck(table, d, keys)


def test_table_errors(chdb: Chdb) -> None:
    with pytest.raises(InputError, match="no such table"):
        warehouse.table(chdb.url, "no_such_table")
    with pytest.raises(InputError, match="unsupported database"):
        warehouse.connect("mysql://localhost/x")


# --------------------------------------------------------------------------- PostgreSQL


@pytest.mark.slow
def test_postgres_worked_example_decimals_and_raise(pg: Postgres) -> None:
    worked_example(pg)
    decimals(pg)
    raise_mode(pg)


@pytest.mark.slow
def test_states_merge_across_postgres_and_clickhouse(pg: Postgres, chdb: Chdb) -> None:
    merge_across(pg, chdb)
    merge_across(chdb, pg)


@pytest.fixture(scope="module")
def pg_module(postgres_url: str) -> Iterator[Postgres]:
    from pg_server import create_database, drop_database

    url = create_database(postgres_url)
    yield Postgres(url)
    drop_database(postgres_url, url)


@pytest.mark.slow
@settings(max_examples=15, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_postgres_equals_duckdb(pg_module: Postgres, data: Any) -> None:
    d = data.draw(st.sampled_from(FLOWS))
    rows = data.draw(meter_rows(d))
    keys = data.draw(st.sampled_from([list(KEYS), ["line"]]))
    table = arrow(d, rows)
    assert d.by(pg_module.load(table), keys).to_pyarrow().to_pylist() == duck(table, d, keys)


# --------------------------------------------------------------------------- stocks, partitions


def stocks(db: Chdb | Postgres) -> None:
    """SAIDI: customer-minutes add up, customers are averaged over the months (hours-weighted)."""
    d = metric("saidi")
    data = pa.table(
        {
            "feeder": ["F1", "F1", "F2", "F1"],
            "month": ["2024-06", "2024-07", "2024-06", "2024-07"],
            "hours": pa.array([720, 744, 720, 744], pa.int64()),
            "customer_minutes": pa.array([30_000, 6_000, 5_000, 700], pa.int64()),
            "customers": pa.array([1000, 1000, 200, 10], pa.int64()),
        }
    )
    t = db.load(data)
    for keys in (["feeder"], [], ["month"]):
        got = d.by(t, keys, period="month", hours="hours").to_pyarrow().to_pylist()
        assert got == duck(data, d, keys, period="month", hours="hours"), keys


def test_chdb_stocks_averaged_over_periods(chdb: Chdb) -> None:
    stocks(chdb)


@settings(max_examples=20, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_chdb_states_of_any_partition_merge_to_the_whole(chdb: Chdb, data: Any) -> None:
    d = data.draw(st.sampled_from(FLOWS))
    rows = [
        r for r in data.draw(meter_rows(d)) if all(r[n] is not None and r[n] >= 0 for n in d.inputs)
    ]
    cut = data.draw(st.integers(0, len(rows)))
    parts = [rows[:cut], rows[cut:]]
    states = [frames.states(d, chdb.load(arrow(d, p)), KEYS).to_polars() for p in parts]
    merged = frames.finish(d, pl.concat(states), ["area"], invalid="flag")
    assert merged.to_dicts() == duck(arrow(d, rows), d, ["area"])


@pytest.mark.slow
def test_postgres_stocks_averaged_over_periods(pg: Postgres) -> None:
    stocks(pg)
