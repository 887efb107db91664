"""The KPI registry as dbt MetricFlow semantic-layer definitions.

:func:`to_metricflow` gives the ratio KPIs of the registry in the shape of a dbt properties
file (``semantic_models:`` and ``metrics:``), so that a warehouse team can adopt gdsmodel's
definitions (their 口径) without re-typing them. For each ratio KPI ``K``:

* a semantic model ``K`` over the dbt model holding its input rows (``ref('K')`` unless
  ``model=`` says otherwise, a template with ``{id}``), a time dimension (``period``, monthly)
  and the group keys as categorical dimensions;
* one measure per input, ``K_in_<input>`` (``agg: sum``): the sums come first;
* simple metrics over those measures (named alike), derived metrics for a numerator or a
  denominator that combines inputs (``K_numerator = supplied_kwh - sold_kwh``), and the
  ratio metric ``K`` with that numerator and denominator: one division, at the end;
* under ``config.meta.gdsmodel``: the unit, direction, formula, targets with their source
  and confidence mark, and the rules of a valid group, which MetricFlow does not check.

KPIs that are not ratios of sums (composites such as the power factor) and those with a
stock input (the customer count of SAIDI, SAIFI... is averaged over periods, weighted by
hours, which MetricFlow's non-additive dimensions cannot express) are left out and listed in
:func:`skipped`. :func:`check` validates the result with MetricFlow's own package,
``dbt-semantic-interfaces``, when it is installed.

>>> from gdsmodel.metrics.registry import metric
>>> doc = to_metricflow([metric("line_loss_rate")], keys=["line"])
>>> [m["name"] for m in doc["metrics"]]
['line_loss_rate_in_supplied_kwh', 'line_loss_rate_in_sold_kwh', 'line_loss_rate_numerator', \
'line_loss_rate']
>>> doc["metrics"][-1]["type_params"]
{'numerator': {'name': 'line_loss_rate_numerator'}, \
'denominator': {'name': 'line_loss_rate_in_supplied_kwh'}}
>>> doc["metrics"][2]["type_params"]["expr"]
'supplied_kwh - sold_kwh'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

from gdsmodel.errors import InputError
from gdsmodel.metrics.definitions import MetricDefinition
from gdsmodel.metrics.partial import stock_inputs

__all__ = ["GRANULARITIES", "check", "dump", "skipped", "to_metricflow"]

GRANULARITIES: Final = ("day", "week", "month", "quarter", "year")
"""The time granularities a period dimension may have."""


def _exportable(d: MetricDefinition) -> bool:
    return d.additive and not stock_inputs(d)


def skipped(definitions: Iterable[MetricDefinition]) -> dict[str, str]:
    """The KPIs :func:`to_metricflow` leaves out, with the reason.

    >>> from gdsmodel.metrics.registry import metric
    >>> skipped([metric("power_factor"), metric("saidi"), metric("collection_rate")])
    {'power_factor': 'not a ratio of sums', 'saidi': 'stock input customers (averaged over \
periods)'}
    """
    out: dict[str, str] = {}
    for d in definitions:
        if not d.additive:
            out[d.id] = "not a ratio of sums"
        elif stock_inputs(d):
            out[d.id] = f"stock input {', '.join(stock_inputs(d))} (averaged over periods)"
    return out


def _expr(terms: Mapping[str, int], names: Mapping[str, str]) -> str:
    parts: list[str] = []
    for input_name, coef in terms.items():
        mag = abs(coef)
        term = names[input_name] if mag == 1 else f"{mag} * {names[input_name]}"
        if not parts:
            parts.append(term if coef > 0 else f"-{term}")
        else:
            parts.append(f"{'+' if coef > 0 else '-'} {term}")
    return " ".join(parts)


def _side(
    d: MetricDefinition, part: str, terms: Mapping[str, int], simple: Mapping[str, str]
) -> tuple[str, dict[str, Any] | None]:
    """The metric name of a numerator or denominator, and a derived metric when needed."""
    if len(terms) == 1 and next(iter(terms.values())) == 1:
        return simple[next(iter(terms))], None
    name = f"{d.id}_{part}"
    derived = {
        "name": name,
        "label": f"{d.name.en}: {part}",
        "description": f"The {part} of {d.id}: {_expr(terms, {n: n for n in terms})}",
        "type": "derived",
        "type_params": {
            "expr": _expr(terms, {n: n for n in terms}),
            "metrics": [{"name": simple[n], "alias": n} for n in terms],
        },
    }
    return name, derived


def _meta(d: MetricDefinition) -> dict[str, Any]:
    rules = [f"{_expr(d.denominator, {n: n for n in d.denominator})} >= 0"]
    num = _expr(d.numerator, {n: n for n in d.numerator})
    den = _expr(d.denominator, {n: n for n in d.denominator})
    if not d.signed:
        rules.append(f"{num} >= 0")
    if d.bounded:
        rules.append(f"{num} <= {den}")
    rules.append("every input >= 0 and not null in every row")
    return {
        "gdsmodel": {
            "id": d.id,
            "name_zh": d.name.zh,
            "name_en": d.name.en,
            "formula": d.formula,
            "unit": d.unit,
            "value_scale": "fraction of one (multiply by 100 for %)" if d.unit == "%" else "1",
            "direction": str(d.direction),
            "confidence": str(d.confidence),
            "valid_group": rules,
            "undefined": "a denominator of 0 gives no value (null), never 0",
            "default_target": d.default_target,
            "targets": [
                {
                    "id": t.id,
                    "value": str(t.value),
                    "unit": d.unit,
                    "direction": str(t.direction or d.direction),
                    "confidence": str(t.confidence),
                    "source": str(t.source),
                }
                for t in d.targets
            ],
            "clauses": list(d.clauses),
        }
    }


def to_metricflow(
    definitions: Iterable[MetricDefinition],
    *,
    keys: Sequence[str] = (),
    model: str = "ref('{id}')",
    time_dimension: str = "period",
    granularity: str = "month",
    columns: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The ratio KPIs of ``definitions`` as a dbt properties document (a dict, see :func:`dump`).

    * ``keys``: columns of the input rows to offer as categorical dimensions (station, line);
    * ``model``: the dbt model of each KPI's input rows, a template with ``{id}``;
    * ``time_dimension`` and ``granularity``: the column holding each row's period and its grain;
    * ``columns``: maps input names to column names where they differ (for every KPI).

    Raises :class:`~gdsmodel.errors.InputError` for an unknown granularity or a key that is
    also an input.
    """
    if granularity not in GRANULARITIES:
        raise InputError(
            "unknown granularity",
            name="granularity",
            value=granularity,
            allowed=", ".join(GRANULARITIES),
        )
    names = dict(columns or {})
    semantic_models: list[dict[str, Any]] = []
    metrics: list[dict[str, Any]] = []
    for d in definitions:
        if not _exportable(d):
            continue
        clash = [k for k in (*keys, time_dimension) if k in d.inputs]
        if clash:
            raise InputError(
                f"a dimension has the name of an input of {d.id}",
                name="keys",
                value=clash[0],
                allowed=f"names other than {', '.join(d.inputs)}",
            )
        measures = [
            {
                "name": f"{d.id}_in_{n}",
                "description": f"sum of {n} (input of {d.id})",
                "agg": "sum",
                "expr": names.get(n, n),
            }
            for n in d.inputs
        ]
        dimensions: list[dict[str, Any]] = [
            {
                "name": time_dimension,
                "type": "time",
                "type_params": {"time_granularity": granularity},
            },
            *[{"name": k, "type": "categorical"} for k in keys],
        ]
        semantic_models.append(
            {
                "name": d.id,
                "description": f"{d.name.zh} / {d.name.en}: the input rows of {d.id}",
                "model": model.format(id=d.id),
                "defaults": {"agg_time_dimension": time_dimension},
                "primary_entity": f"{d.id}_row",
                "dimensions": dimensions,
                "measures": measures,
            }
        )
        simple = {n: f"{d.id}_in_{n}" for n in d.inputs}
        for n in d.inputs:
            metrics.append(
                {
                    "name": simple[n],
                    "label": f"{d.name.en}: {n}",
                    "description": f"sum of {n} (input of {d.id})",
                    "type": "simple",
                    "type_params": {"measure": f"{d.id}_in_{n}"},
                }
            )
        num, num_metric = _side(d, "numerator", d.numerator, simple)
        den, den_metric = _side(d, "denominator", d.denominator, simple)
        metrics += [m for m in (num_metric, den_metric) if m is not None]
        metrics.append(
            {
                "name": d.id,
                "label": d.name.en,
                "description": f"{d.name.zh} / {d.name.en} ({d.unit or 'ratio'}): "
                f"sum({_expr(d.numerator, {n: n for n in d.numerator})}) / "
                f"sum({_expr(d.denominator, {n: n for n in d.denominator})})",
                "type": "ratio",
                "type_params": {"numerator": {"name": num}, "denominator": {"name": den}},
                "config": {"meta": _meta(d)},
            }
        )
    return {"version": 2, "semantic_models": semantic_models, "metrics": metrics}


def dump(document: Mapping[str, Any]) -> str:
    """The document as YAML (UTF-8 text, keys in order). Needs PyYAML (the ``yaml`` extra).

    >>> from gdsmodel.metrics.registry import metric
    >>> print(dump(to_metricflow([metric("meter_reading_rate")]))[:55], end="")
    version: 2
    semantic_models:
    - name: meter_reading_rate
    """
    try:
        import yaml
    except ImportError:  # pragma: no cover - depends on the installed extras
        raise InputError(
            "YAML output needs PyYAML", name="format", allowed="pip install 'gdsmodel[yaml]'"
        ) from None
    text: str = yaml.safe_dump(dict(document), allow_unicode=True, sort_keys=False, width=100)
    return text


def check(document: Mapping[str, Any], *, schema: str = "analytics") -> list[str]:
    """Validate ``document`` with MetricFlow's package (``dbt-semantic-interfaces``): its
    JSON schema, its parser and every rule of its semantic-manifest validator. Returns the
    issues (empty when valid); the dbt ``ref()`` of each model becomes a table of ``schema``.

    Raises :class:`~gdsmodel.errors.InputError` when the package is not installed.
    """
    try:
        from dbt_semantic_interfaces.parsing.dir_to_model import (
            parse_yaml_files_to_validation_ready_semantic_manifest,
        )
        from dbt_semantic_interfaces.parsing.objects import YamlConfigFile
        from dbt_semantic_interfaces.validations.semantic_manifest_validator import (
            SemanticManifestValidator,
        )
    except ImportError:
        raise InputError(
            "checking needs MetricFlow's package",
            name="check",
            allowed="pip install dbt-semantic-interfaces",
        ) from None
    import re

    # MetricFlow's own parser reads one object per YAML document, with the dbt model
    # resolved to a table (dbt-core does that step for a dbt project)
    docs: list[dict[str, Any]] = []
    for raw in document.get("semantic_models", []):
        sm = {k: v for k, v in raw.items() if k != "model"}
        ref = re.fullmatch(r"ref\('([^']+)'\)", str(raw.get("model", "")))
        alias = ref.group(1) if ref else str(raw.get("model", ""))
        sm["node_relation"] = {"alias": alias, "schema_name": schema}
        docs.append({"semantic_model": sm})
    docs += [{"metric": dict(raw)} for raw in document.get("metrics", [])]
    docs.append(
        {
            "project_configuration": {
                "time_spines": [
                    {
                        "node_relation": {"alias": "time_spine", "schema_name": schema},
                        "primary_column": {"name": "date_day", "time_granularity": "day"},
                    }
                ]
            }
        }
    )
    text = "\n---\n".join(dump(d) for d in docs)
    built = parse_yaml_files_to_validation_ready_semantic_manifest(
        [YamlConfigFile(filepath="gdsmodel-metricflow.yml", contents=text)],
        raise_issues_as_exceptions=False,
    )
    issues = [i.as_readable_str() for i in built.issues.errors]
    if issues:
        return issues
    validator = SemanticManifestValidator[Any]()
    results = validator.validate_semantic_manifest(built.semantic_manifest)
    return [i.as_readable_str() for i in results.errors]
