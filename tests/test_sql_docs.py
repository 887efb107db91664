"""docs/warehouse.md cannot go stale: its SQL blocks and its MetricFlow export are what the
code generates today, its DuckDB statement runs, and its Python example runs (on chDB)."""

from __future__ import annotations

import doctest
import re
import shlex
from pathlib import Path

import pytest

from gdsmodel.metrics.registry import metric

DOC = Path(__file__).parents[1] / "docs" / "warehouse.md"
LOSS10 = metric("line_loss_rate_10kv")
KEYS = ["station", "line"]


@pytest.fixture(scope="module")
def text() -> str:
    return DOC.read_text(encoding="utf-8")


def test_the_sql_blocks_are_generated(text: str) -> None:
    pytest.importorskip("sqlglot")
    from gdsmodel.metrics.sql import DIALECTS, to_sql

    blocks = re.findall(r"<!-- to_sql: dialect=(\w+) -->\n```sql\n(.*?)```", text, flags=re.S)
    assert {d for d, _ in blocks} == set(DIALECTS.values())
    for dialect, sql in blocks:
        want = to_sql(LOSS10, "dw.meter_daily", KEYS, dialect=dialect, target="A") + ";\n"
        assert sql == want, f"docs/warehouse.md: the {dialect} block is stale"


def test_the_duckdb_block_runs(text: str) -> None:
    duckdb = pytest.importorskip("duckdb")
    (sql,) = re.findall(r"<!-- to_sql: dialect=duckdb -->\n```sql\n(.*?);\n```", text, flags=re.S)
    con = duckdb.connect()
    con.execute("CREATE SCHEMA dw")
    con.execute(
        "CREATE TABLE dw.meter_daily (station VARCHAR, line VARCHAR, day DATE,"
        " supplied_kwh BIGINT, sold_kwh BIGINT)"
    )
    con.execute(
        "INSERT INTO dw.meter_daily VALUES ('S1', 'L1', '2026-03-01', 600, 560),"
        " ('S1', 'L1', '2026-03-02', 400, 375), ('S1', 'L2', '2026-03-01', 1000, 934),"
        " ('S2', 'L3', '2026-03-01', 0, 0), ('S2', 'L4', '2026-03-01', 5, NULL)"
    )
    got = [(r[1], r[2], r[3], r[5], r[6]) for r in con.sql(sql).fetchall()]
    assert got == [
        ("L1", 65, 1000, "met", 0),
        ("L2", 66, 1000, "missed", 0),
        ("L3", 0, 0, "undefined", 0),
        ("L4", 5, 5, "invalid", 1),
    ]


def test_the_metricflow_block_is_generated(text: str) -> None:
    pytest.importorskip("yaml")
    from gdsmodel.metrics.metricflow import dump, to_metricflow

    (block,) = re.findall(r"<!-- metricflow -->\n```yaml\n(.*?)```", text, flags=re.S)
    assert block == dump(to_metricflow([LOSS10], keys=KEYS)), "the MetricFlow block is stale"


def test_the_python_example_runs(text: str) -> None:
    pytest.importorskip("chdb")
    pytest.importorskip("ibis")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert blocks
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for i, block in enumerate(blocks):
        test = parser.get_doctest(block, {}, f"warehouse.md block {i}", str(DOC), 0)
        result = runner.run(test)
        assert result.failed == 0, f"block {i} of docs/warehouse.md"


def test_the_commands_on_the_page_parse(text: str) -> None:
    from gdsmodel.cli import build_parser

    parser = build_parser()
    joined = text.replace("\\\n", " ")
    commands = re.findall(r"^gdsmodel (metrics (?:sql|metricflow) .*?)$", joined, flags=re.M)
    assert len(commands) >= 4
    for line in commands:
        args = parser.parse_args(shlex.split(line))
        assert args.func.__name__ in ("cmd_sql", "cmd_metricflow")
