"""``gdsmodel metrics``: list, show, compute, power-factor."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gdsmodel.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_and_show(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "metrics", "list", "--json")
    ids = {d["id"] for d in json.loads(out)}
    assert code == 0 and {"line_loss_rate", "rs3", "two_ticket_pass_rate"} <= ids
    code, out, _ = run(capsys, "metrics", "show", "two_ticket_pass_rate")
    assert code == 0 and "safety_officer.standard.4" in out
    code, _, err = run(capsys, "metrics", "show", "nope")
    assert code == 3 and "unknown" in err


def test_compute(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "metrics",
        "compute",
        "line_loss_rate_10kv",
        "supplied_kwh=120000",
        "sold_kwh=111500",
        "--target",
        "A",
        "--json",
    )
    data = json.loads(out)
    assert code == 0
    assert (data["numerator"], data["denominator"], data["verdict"]) == ("8500", "120000", "missed")
    code, out, _ = run(capsys, "metrics", "compute", "collection_rate", "collected=0", "billed=0")
    assert code == 1 and "undefined" in out
    code, _, err = run(capsys, "metrics", "compute", "collection_rate", "collected=-5", "billed=1")
    assert code == 1 and "collected" in err
    code, _, err = run(capsys, "metrics", "compute", "collection_rate", "collected")
    assert code == 1 and "NAME=VALUE" in err


def test_power_factor(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "metrics",
        "power-factor",
        "--active",
        "8000",
        "--reactive",
        "4200",
        "--standard",
        "0.90",
        "--charges",
        "5600",
        "--json",
    )
    assert code == 0
    assert json.loads(out) == {
        "power_factor": "0.89",
        "standard": "0.90",
        "adjustment_percent": "0.50",
        "fee_yuan": "28.00",
    }


def test_sql_prints_one_statement_that_runs(capsys: pytest.CaptureFixture[str]) -> None:
    duckdb = pytest.importorskip("duckdb")
    pytest.importorskip("sqlglot")
    code, out, _ = run(
        capsys,
        "metrics",
        "sql",
        "line_loss_rate_10kv",
        "--dialect",
        "duckdb",
        "--table",
        "meter",
        "--key",
        "line",
        "--column",
        "sold_kwh=billed",
        "--target",
        "A",
    )
    assert code == 0 and out.startswith("WITH sums AS (") and out.rstrip().endswith(";")
    con = duckdb.connect()
    con.execute("CREATE TABLE meter (line VARCHAR, supplied_kwh BIGINT, billed BIGINT)")
    con.execute("INSERT INTO meter VALUES ('L1', 1000, 935), ('L2', 1000, 934), ('L3', 0, 0)")
    assert [(r[0], r[1], r[4]) for r in con.sql(out.rstrip().rstrip(";")).fetchall()] == [
        ("L1", 65, "met"),
        ("L2", 66, "missed"),
        ("L3", 0, "undefined"),
    ]
    code, out, _ = run(capsys, "metrics", "sql", "collection_rate", "--dialect", "clickhouse")
    assert code == 0 and "FROM collection_rate" in out and "Float64" in out
    code, out, _ = run(capsys, "metrics", "sql", "collection_rate", "--one-line")
    assert code == 0 and len(out.strip().splitlines()) == 1
    code, out, _ = run(capsys, "metrics", "sql", "collection_rate", "--scale", "2")
    assert code == 0 and "CAST(collected_sum * 100 AS BIGINT)" in out


def test_sql_errors(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("sqlglot")
    code, _, err = run(capsys, "metrics", "sql", "nope")
    assert code == 3 and "unknown" in err
    code, _, err = run(capsys, "metrics", "sql", "power_factor")
    assert code == 1 and "not a ratio of sums" in err
    code, _, err = run(capsys, "metrics", "sql", "saidi", "--key", "feeder")
    assert code == 1 and "period" in err
    code, _, err = run(capsys, "metrics", "sql", "collection_rate", "--column", "billed=")
    assert code == 1 and "INPUT=COLUMN" in err
    with pytest.raises(SystemExit) as exc:
        main(["metrics", "sql", "collection_rate", "--dialect", "oracle"])
    assert exc.value.code == 2


def test_metricflow_writes_valid_yaml(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    yaml = pytest.importorskip("yaml")
    pytest.importorskip("dbt_semantic_interfaces")
    target = tmp_path / "gdsmodel_metrics.yml"
    code, out, err = run(
        capsys, "metrics", "metricflow", "--key", "line", "-o", str(target), "--check"
    )
    assert code == 0 and out == "" and "MetricFlow: valid" in err
    doc = yaml.safe_load(target.read_text(encoding="utf-8"))
    names = {m["name"] for m in doc["metrics"]}
    assert {"line_loss_rate", "two_ticket_pass_rate"} <= names and "saidi" not in names
    assert "# not exported: saidi" in target.read_text(encoding="utf-8")
    code, out, _ = run(capsys, "metrics", "metricflow", "--granularity", "day")
    assert code == 0 and "time_granularity: day" in out
