"""The registry as dbt MetricFlow definitions (gdsmodel.metrics.metricflow): valid for
MetricFlow's own package, and the exported ratio of every KPI is its definition: the ratio of
the sums, with the numerator and the denominator of the registry."""

from __future__ import annotations

import copy
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gdsmodel.errors import InputError
from gdsmodel.metrics.definitions import MetricDefinition
from gdsmodel.metrics.metricflow import check, dump, skipped, to_metricflow
from gdsmodel.metrics.partial import stock_inputs
from gdsmodel.metrics.registry import metric, metrics

yaml = pytest.importorskip("yaml")
EXPORTED = [d for d in metrics() if d.additive and not stock_inputs(d)]


def by_name(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {m["name"]: m for m in doc["metrics"]}


def evaluate(name: str, metrics_: dict[str, dict[str, Any]], sums: dict[str, Fraction]) -> Any:
    """The value of a MetricFlow metric over measure sums, read from the exported document:
    simple metrics are their measure's sum, derived metrics their expression (evaluated by
    sqlglot's Python executor), ratio metrics numerator / denominator."""
    m = metrics_[name]
    params = m["type_params"]
    if m["type"] == "simple":
        return sums[params["measure"]]
    if m["type"] == "ratio":
        num = evaluate(params["numerator"]["name"], metrics_, sums)
        den = evaluate(params["denominator"]["name"], metrics_, sums)
        return (num, den)
    assert m["type"] == "derived"
    sqlglot = pytest.importorskip("sqlglot")
    from sqlglot import exp

    values = {i["alias"]: evaluate(i["name"], metrics_, sums) for i in params["metrics"]}
    tree = sqlglot.parse_one(params["expr"])
    for column in tree.find_all(exp.Column):
        assert column.name in values, (name, column.name)

    def ev(node: exp.Expr) -> Fraction:
        if isinstance(node, exp.Column):
            return Fraction(values[node.name])
        if isinstance(node, exp.Literal):
            return Fraction(node.this)
        if isinstance(node, exp.Neg):
            return -ev(node.this)
        if isinstance(node, exp.Paren):
            return ev(node.this)
        ops = {
            exp.Add: lambda a, b: a + b,
            exp.Sub: lambda a, b: a - b,
            exp.Mul: lambda a, b: a * b,
        }
        for kind, op in ops.items():
            if isinstance(node, kind):
                return Fraction(op(ev(node.this), ev(node.expression)))
        raise AssertionError(f"unexpected {node!r} in {params['expr']}")

    return ev(tree)


def test_the_whole_registry_is_valid_for_metricflow() -> None:
    pytest.importorskip("dbt_semantic_interfaces")
    doc = to_metricflow(metrics(), keys=["station", "line"])
    assert check(doc) == []
    assert {m["name"] for m in doc["semantic_models"]} == {d.id for d in EXPORTED}


def test_a_broken_document_is_reported() -> None:
    pytest.importorskip("dbt_semantic_interfaces")
    doc = to_metricflow([metric("line_loss_rate")])
    bad = copy.deepcopy(doc)
    bad["metrics"][-1]["type_params"]["denominator"]["name"] = "no_such_metric"
    assert any("no_such_metric" in issue for issue in check(bad))
    bad = copy.deepcopy(doc)
    bad["semantic_models"][0]["measures"][0]["agg"] = "mean_of_rates"
    assert check(bad)
    bad = copy.deepcopy(doc)
    bad["metrics"][0]["name"] = "Line Loss"
    assert check(bad)


@settings(max_examples=60)
@given(data=st.data())
def test_the_exported_ratio_is_the_definition(data: Any) -> None:
    d: MetricDefinition = data.draw(st.sampled_from(EXPORTED))
    doc = to_metricflow([d])
    rows = data.draw(
        st.lists(st.fixed_dictionaries({n: st.integers(0, 10**9) for n in d.inputs}), max_size=6)
    )
    (model,) = doc["semantic_models"]
    sums = {m["name"]: sum(Fraction(r[m["expr"]]) for r in rows) for m in model["measures"]}
    num, den = evaluate(d.id, by_name(doc), sums)
    want_num = sum((c * sum(Fraction(r[n]) for r in rows) for n, c in d.numerator.items()), 0)
    want_den = sum((c * sum(Fraction(r[n]) for r in rows) for n, c in d.denominator.items()), 0)
    assert (num, den) == (want_num, want_den)
    assert all(m["agg"] == "sum" for m in model["measures"])  # sums first, one division


def test_worked_example_and_metadata() -> None:
    d = metric("line_loss_rate_10kv")
    doc = to_metricflow([d], keys=["line"], model="ref('stg_meter_{id}')", granularity="day")
    (model,) = doc["semantic_models"]
    assert model["model"] == "ref('stg_meter_line_loss_rate_10kv')"
    assert [x["name"] for x in model["dimensions"]] == ["period", "line"]
    assert model["dimensions"][0]["type_params"] == {"time_granularity": "day"}
    m = by_name(doc)
    assert m["line_loss_rate_10kv_numerator"]["type_params"]["expr"] == "supplied_kwh - sold_kwh"
    meta = m["line_loss_rate_10kv"]["config"]["meta"]["gdsmodel"]
    assert [(t["id"], t["value"]) for t in meta["targets"]] == [
        ("A", "6.5"),
        ("B", "7"),
        ("C", "7.5"),
    ]
    assert meta["unit"] == "%" and meta["direction"] == "lower"
    assert "supplied_kwh - sold_kwh <= supplied_kwh" in meta["valid_group"]
    assert "supplied_kwh - sold_kwh >= 0" not in meta["valid_group"]  # a signed loss
    columns = to_metricflow([d], columns={"sold_kwh": "billed_kwh"})
    assert columns["semantic_models"][0]["measures"][1]["expr"] == "billed_kwh"


def test_yaml_round_trip_and_the_skipped() -> None:
    doc = to_metricflow(metrics())
    assert yaml.safe_load(dump(doc)) == doc
    assert "线损率" in dump(doc)  # Chinese names stay readable
    left = skipped(metrics())
    assert set(left) == {d.id for d in metrics()} - {d.id for d in EXPORTED}
    assert left["power_factor"] == "not a ratio of sums"


def test_typed_errors() -> None:
    with pytest.raises(InputError, match="granularity"):
        to_metricflow(metrics(), granularity="hour")
    with pytest.raises(InputError, match="name of an input"):
        to_metricflow([metric("line_loss_rate")], keys=["sold_kwh"])
