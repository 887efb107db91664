"""KPI definitions and the registry: validation, additive form, targets, overrides, links
to the clauses of the standard, and the generic properties of every ratio KPI."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gdsmodel
from gdsmodel.errors import DataFileError, GdsmodelError, InputError, NotFoundError
from gdsmodel.metrics.definitions import (
    MetricDefinition,
    MetricGroup,
    NotAdditiveError,
    TargetSpec,
    field_getter,
)
from gdsmodel.metrics.ratio import Direction, Ratio, VerdictStatus
from gdsmodel.metrics.registry import (
    Registry,
    default_registry,
    load_registry,
    metric,
    metrics,
)
from gdsmodel.serialize import structure, unstructure
from gdsmodel.sources import Confidence, Source
from gdsmodel.text import Text

ADDITIVE = [d for d in metrics() if d.additive]
OWNERS = {
    "director",
    "safety_officer",
    "technician",
    "marketing_officer",
    "customer_service_office",
    "customer_service_head",
    "revenue_group",
    "revenue_group_leader",
    "distribution_group",
    "distribution_group_leader",
}


def make(**kw: Any) -> MetricDefinition:
    base: dict[str, Any] = {
        "id": "demo",
        "name": Text("示例", "Demo"),
        "formula": r"\frac{a}{b}",
        "unit": "%",
        "direction": Direction.HIGHER,
        "inputs": ("a", "b"),
        "numerator": {"a": 1},
        "denominator": {"b": 1},
    }
    base.update(kw)
    return MetricDefinition(**base)


# -- the registry -----------------------------------------------------------------------------


def test_registry_loads_and_is_cached() -> None:
    assert default_registry() is default_registry()
    assert load_registry() is default_registry()
    ids = [d.id for d in metrics()]
    assert len(ids) == len(set(ids))
    assert metric("line_loss_rate").id == "line_loss_rate"
    assert {d.group for d in metrics()} == set(MetricGroup)


def test_unknown_metric_is_not_found() -> None:
    with pytest.raises(NotFoundError) as exc:
        metric("line_los_rate")
    assert "line_loss_rate" in str(exc.value)
    assert isinstance(exc.value, KeyError)


REQUIRED_IDS = [
    "line_loss_rate",
    "line_loss_rate_10kv",
    "line_loss_rate_lv",
    "technical_loss_rate",
    "management_loss_rate",
    "average_price",
    "meter_reading_rate",
    "reading_error_rate",
    "collection_rate",
    "collection_rate_current_year",
    "collection_rate_earlier_years",
    "collection_rate_cumulative",
    "fee_remittance_rate",
    "two_ticket_pass_rate",
    "rcd_installation_rate",
    "rcd_in_service_rate",
    "rcd_correct_operation_rate",
    "voltage_qualification_rate",
    "comprehensive_voltage_rate",
    "power_factor",
    "equipment_intact_rate",
    "class1_share",
    "rs1",
    "rs2",
    "rs3",
    "aihc",
    "aitc",
    "saifi",
    "saidi",
    "caidi",
    "asai",
]


@pytest.mark.parametrize("metric_id", REQUIRED_IDS)
def test_every_issue_metric_is_defined(metric_id: str) -> None:
    d = metric(metric_id)
    assert d.name.zh and d.name.en
    assert d.formula and d.unit is not None
    assert d.sources, "every definition names a source"
    assert d.clauses, "every definition is called for by a clause"
    assert d.owners


@pytest.mark.parametrize("d", metrics(), ids=lambda d: d.id)
def test_definitions_are_well_formed(d: MetricDefinition) -> None:
    assert set(d.owners) <= OWNERS
    assert d.formula.count("{") == d.formula.count("}")
    for spec in d.targets:
        assert spec.source.document
        assert isinstance(spec.confidence, Confidence)
    assert d.computed_by.startswith("gdsmodel.metrics.")
    if d.bounded and not d.signed and d.additive and d.unit == "%":
        assert d.valid_range == (0, 1)


@pytest.mark.parametrize("d", metrics(), ids=lambda d: d.id)
def test_definitions_round_trip_through_the_converter(d: MetricDefinition) -> None:
    assert structure(unstructure(d), MetricDefinition) == d


def test_computed_by_names_exist() -> None:
    import importlib

    def resolve(dotted: str) -> object:
        """A module attribute, or an attribute of a class in a module (``pkg.Class.method``)."""
        parts = dotted.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            try:
                target: object = importlib.import_module(".".join(parts[:cut]))
            except ModuleNotFoundError:
                continue
            for name in parts[cut:]:
                target = getattr(target, name)
            return target
        raise AssertionError(f"no module in {dotted}")

    for d in metrics():
        assert callable(resolve(d.computed_by)) or isinstance(resolve(d.computed_by), property), (
            d.computed_by
        )


def test_examples_of_the_contract() -> None:
    ll = metric("line_loss_rate")
    assert ll.inputs == ("supplied_kwh", "sold_kwh")
    assert dict(ll.numerator) == {"supplied_kwh": 1, "sold_kwh": -1}
    assert dict(ll.denominator) == {"supplied_kwh": 1}
    v = metric("voltage_qualification_rate")
    assert dict(v.numerator) == {
        "monitored_minutes": 1,
        "above_upper_minutes": -1,
        "below_lower_minutes": -1,
    }
    assert dict(v.denominator) == {"monitored_minutes": 1}
    assert metric("collection_rate").valid_range is None
    assert not metric("collection_rate").bounded
    assert metric("meter_reading_rate").valid_range == (0, 1)


def test_grade_targets() -> None:
    d = metric("line_loss_rate_10kv")
    assert [(t.id, t.value) for t in d.targets] == [
        ("A", Decimal("6.5")),
        ("B", Decimal("7")),
        ("C", Decimal("7.5")),
    ]
    assert d.target is None  # a station picks its grade
    a = d.target_for("A")
    assert a.threshold == Fraction(65, 1000) and a.direction is Direction.LOWER
    assert a.confidence is Confidence.H and a.source is not None
    assert d.verdict(Ratio(6, 100), "A").met
    assert str(d.verdict(Ratio(72, 1000), "B")) == "missed by 0.20 pp"
    lv = metric("line_loss_rate_lv")
    assert sorted(t.value for t in lv.targets) == [Decimal(11), Decimal(12)]
    rs3 = metric("rs3")
    assert [t.value for t in rs3.targets] == [Decimal("99.6"), Decimal("99.55"), Decimal("99.5")]
    assert rs3.target_for("C").threshold == Fraction(995, 1000)


def test_default_targets_with_confidence() -> None:
    t = metric("two_ticket_pass_rate").target
    assert t is not None and t.threshold == 1 and t.direction is Direction.HIGHER
    assert metric("meter_reading_rate").target.confidence is Confidence.L  # type: ignore[union-attr]
    assert metric("voltage_qualification_rate").target.threshold == Fraction(96, 100)  # type: ignore[union-attr]
    assert metric("reading_error_rate").target is None


def test_unknown_target_and_missing_default() -> None:
    with pytest.raises(NotFoundError):
        metric("line_loss_rate_10kv").target_for("D")
    with pytest.raises(NotFoundError):
        metric("line_loss_rate_10kv").verdict(Ratio(1, 10))
    assert metric("two_ticket_pass_rate").verdict(Ratio(0, 0)).status is VerdictStatus.UNDEFINED


def test_format_by_unit() -> None:
    assert metric("meter_reading_rate").format(Ratio(1, 3)) == "33.33%"
    assert metric("saidi").format(Ratio(1234, 100), 1) == "12.3 min/customer"
    assert metric("average_price").format(Fraction(52831, 100000), 4) == "0.5283 yuan/kWh"
    assert metric("power_factor").format(Fraction(9, 10)) == "0.90"
    assert metric("aihc").format(Ratio(1, 0)) == "undefined (1/0)"
    assert metric("aihc").format(None) == "undefined"


def test_for_clause_and_owner() -> None:
    reg = default_registry()
    assert [d.id for d in reg.for_clause("marketing_officer.standard.9")] == [
        "collection_rate",
        "fee_remittance_rate",
    ]
    assert "equipment_intact_rate" in reg.ids()
    assert "two_ticket_pass_rate" in reg and "nothing" not in reg
    assert {d.id for d in reg.for_owner("safety_officer")} >= {
        "two_ticket_pass_rate",
        "rcd_installation_rate",
    }
    assert len(reg) == len(list(reg))


# -- ratio(): validation ----------------------------------------------------------------------


def test_ratio_validates_keywords() -> None:
    d = metric("meter_reading_rate")
    with pytest.raises(InputError) as exc:
        d.ratio(read=1, due=2, extra=3)
    assert exc.value.name == "extra" and "read, due" in str(exc.value)
    with pytest.raises(InputError) as exc:
        d.ratio(read=1)
    assert exc.value.name == "due" and "read, due" in str(exc.value)


@pytest.mark.parametrize(
    "bad", [-1, float("nan"), float("inf"), -math.inf, Decimal("NaN"), "x", True, None, [1]]
)
def test_ratio_rejects_bad_numbers(bad: Any) -> None:
    with pytest.raises(InputError) as exc:
        metric("meter_reading_rate").ratio(read=bad, due=10)
    assert exc.value.name == "read"


def test_ratio_accepts_numbers_of_every_kind() -> None:
    d = metric("meter_reading_rate")
    r = d.ratio(read=Decimal("9.5"), due="10")
    assert r == d.ratio(read=9.5, due=Fraction(10)) == Ratio(Fraction(19, 2), 10)


def test_bounded_and_signed() -> None:
    with pytest.raises(InputError) as exc:
        metric("meter_reading_rate").ratio(read=11, due=10)
    assert exc.value.name == "read" and "read <= due" in str(exc.value)
    assert metric("collection_rate").ratio(collected=11, billed=10).value == Fraction(11, 10)
    with pytest.raises(InputError) as exc:
        metric("voltage_qualification_rate").ratio(
            monitored_minutes=100, above_upper_minutes=60, below_lower_minutes=50
        )
    assert "above_upper_minutes" in str(exc.value) and ">= 0" in str(exc.value)
    neg = metric("line_loss_rate").ratio(supplied_kwh=100, sold_kwh=110)
    assert neg.value == Fraction(-1, 10)
    with pytest.raises(InputError):
        metric("technical_loss_rate").ratio(supplied_kwh=10, technical_loss_kwh=11)


def test_composite_metrics_are_not_additive() -> None:
    for mid in ("comprehensive_voltage_rate", "power_factor"):
        d = metric(mid)
        assert not d.additive
        with pytest.raises(NotAdditiveError) as exc:
            d.ratio()
        assert d.computed_by in str(exc.value)
        assert isinstance(exc.value, GdsmodelError)


@pytest.mark.parametrize(
    ("kw", "text"),
    [
        ({"numerator": {"c": 1}}, "not declared"),
        ({"numerator": {"a": 0}}, "non-zero integers"),
        ({"numerator": {"a": True}}, "non-zero integers"),
        ({"numerator": {"a": 1.5}}, "non-zero integers"),
        ({"inputs": ("a", "b", "c")}, "neither numerator nor denominator"),
        ({"inputs": ("a", "a", "b")}, "repeat"),
        ({"denominator": {}}, "numerator without a denominator"),
        ({"valid_range": (1, 0)}, "range is empty"),
        ({"default_target": "x"}, "default target"),
    ],
)
def test_bad_definitions(kw: dict[str, Any], text: str) -> None:
    with pytest.raises(InputError, match=text):
        make(**kw)


def test_duplicate_target_ids() -> None:
    spec = TargetSpec(id="a", value=Decimal(1), source=Source("s"), confidence=Confidence.L)
    with pytest.raises(InputError, match="target IDs repeat"):
        make(targets=(spec, spec))


def test_definition_is_frozen_and_hashable() -> None:
    d = make()
    with pytest.raises(TypeError):
        d.numerator["a"] = 2  # type: ignore[index]
    assert hash(d) == hash(make())


def test_total_and_per_read_mappings_and_objects() -> None:
    d = metric("reading_error_rate")
    rows = [{"g": 1, "errors": 1, "readings": 500}, {"g": 2, "errors": 1, "readings": 500}]
    assert d.total(rows).format(1) == "0.2%"
    assert list(d.per(rows, "g")) == [1, 2]
    assert d.per(rows, lambda r: "all")["all"] == d.total(rows)

    class Row:
        errors = 3
        readings = 1000

    assert d.total([Row()]) == Ratio(3, 1000)
    with pytest.raises(InputError) as exc:
        d.total([{"errors": 1}])
    assert exc.value.name == "readings"
    with pytest.raises(InputError):
        field_getter(object())("x")
    assert d.total([]) == Ratio(0, 0)


def test_by_delegates_to_frames() -> None:
    import importlib.util

    if importlib.util.find_spec("gdsmodel.metrics.frames") is None:
        with pytest.raises(ModuleNotFoundError):
            metric("collection_rate").by(None, "x")
    else:  # the frames module is there: it is tested by its own suite
        assert callable(metric("collection_rate").by)


# -- station overrides ------------------------------------------------------------------------


OVERRIDE = """
[[overrides]]
metric = "line_loss_rate_10kv"
default_target = "B"

[[overrides]]
metric = "meter_reading_rate"
default_target = "county"
[[overrides.targets]]
id = "county"
value = "99.5"
confidence = "M"
source = { document = "县公司供电所考核办法", edition = "2026" }

[[overrides]]
metric = "two_ticket_pass_rate"
clear_default = true
"""


def test_override_file(tmp_path: Path) -> None:
    path = tmp_path / "targets.toml"
    path.write_text(OVERRIDE, encoding="utf-8")
    reg = load_registry(path)
    assert isinstance(reg, Registry)
    assert str(reg.metric("line_loss_rate_10kv").target) == "<= 7%"
    t = reg.metric("meter_reading_rate").target
    assert t is not None and t.threshold == Fraction(995, 1000) and t.confidence is Confidence.M
    assert [s.id for s in reg.metric("meter_reading_rate").targets] == ["full", "county"]
    assert reg.metric("two_ticket_pass_rate").target is None
    # the shipped registry is unchanged
    assert metric("line_loss_rate_10kv").target is None
    assert metric("meter_reading_rate").target.threshold == 1  # type: ignore[union-attr]
    assert [d.id for d in reg] == [d.id for d in metrics()]


def test_override_replaces_a_target_of_the_same_id() -> None:
    reg = load_registry(
        {
            "overrides": [
                {
                    "metric": "line_loss_rate_10kv",
                    "default_target": "A",
                    "targets": [
                        {
                            "id": "A",
                            "value": "6",
                            "confidence": "M",
                            "source": {"document": "省公司 2026"},
                        }
                    ],
                }
            ]
        }
    )
    assert reg.metric("line_loss_rate_10kv").target.threshold == Fraction(6, 100)  # type: ignore[union-attr]
    assert len(reg.metric("line_loss_rate_10kv").targets) == 3


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('[[overrides]]\nmetric = "nope"\n', "overrides[0]"),
        ('[[overrides]]\nmetric = "rs3"\ndefault_target = "Z"\n', "default_target"),
        ('[[overrides]]\nmetric = "rs3"\ncolour = "red"\n', "colour"),
        ('[[overrides]]\nmetric = "rs3"\n[[overrides.targets]]\nid = "X"\nvalue = "abc"\n', "$"),
        ("[[overrides]\n", "invalid TOML"),
    ],
)
def test_bad_override_files(tmp_path: Path, text: str, where: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError) as exc:
        load_registry(path)
    assert "bad.toml" in str(exc.value)
    assert where in str(exc.value)


def test_duplicate_ids_in_a_registry() -> None:
    with pytest.raises(DataFileError, match="duplicate"):
        Registry((make(), make()))


def test_bad_kpi_file_is_reported() -> None:
    from gdsmodel.metrics.registry import _parse

    with pytest.raises(DataFileError, match="format"):
        _parse({"format": "other/1", "metrics": []}, "x.toml")
    with pytest.raises(DataFileError):
        _parse({"format": "gdsmodel.kpis/1", "metrics": [{"id": "x"}]}, "x.toml")


# -- links to the standard --------------------------------------------------------------------


@pytest.fixture(scope="module")
def std() -> gdsmodel.Standard:
    return gdsmodel.load_standard()


def test_every_linked_clause_exists(std: gdsmodel.Standard) -> None:
    for d in metrics():
        for cid in d.clauses:
            std.clause(cid)  # raises NotFoundError when unknown
        for owner in d.owners:
            std.owner(owner)


def test_every_stated_target_links_to_its_metric(std: gdsmodel.Standard) -> None:
    stated = [(c, t) for c in std.clauses() for t in c.targets]
    assert {t.indicator for _, t in stated} == {
        "two_ticket_pass_rate",
        "rcd_installation_rate",
        "rcd_in_service_rate",
        "rcd_correct_operation_rate",
        "fee_remittance_rate",
    }
    for clause, t in stated:
        d = metric(t.indicator)
        assert clause.id in d.clauses
        assert t.unit == d.unit
        # the metric carries the clause's own target
        spec = next(s for s in d.targets if s.value == t.value)
        assert spec.source.document == "供电所人员及专业组岗位职责和工作标准"
        assert d.target is not None and d.target.threshold == Fraction(t.value) / 100


KPI_TERMS = {
    "two_ticket_pass_rate",
    "rcd_three_rates",
    "fee_three_rates",
    "meter_reading_rate",
    "reading_error_rate",
    "collection_rate",
    "fee_remittance_rate",
    "equipment_rating",
    "supply_reliability",
    "power_factor",
    "power_factor_assessment",
    "line_loss",
    "line_loss_by_level",
}


def test_every_clause_that_names_a_kpi_is_linked(std: gdsmodel.Standard) -> None:
    reg = default_registry()
    for clause in std.clauses():
        if KPI_TERMS & set(clause.terms):
            assert reg.for_clause(clause.id), clause.id


@pytest.mark.parametrize(
    ("clause", "ids"),
    [
        ("safety_officer.standard.4", {"two_ticket_pass_rate"}),
        (
            "safety_officer.standard.7",
            {"rcd_installation_rate", "rcd_in_service_rate", "rcd_correct_operation_rate"},
        ),
        ("marketing_officer.standard.9", {"fee_remittance_rate", "collection_rate"}),
        (
            "marketing_officer.standard.2",
            {"meter_reading_rate", "reading_error_rate", "collection_rate"},
        ),
        ("marketing_officer.standard.1", {"line_loss_rate_10kv", "line_loss_rate_lv"}),
        ("marketing_officer.standard.7", {"line_loss_rate"}),
        ("technician.duty.6", {"equipment_intact_rate", "class1_share"}),
        ("technician.duty.8", {"rs3", "voltage_qualification_rate", "power_factor"}),
        ("technician.standard.7", {"rs1", "comprehensive_voltage_rate", "power_factor"}),
        ("customer_service_office.duty.7", {"power_factor"}),
    ],
)
def test_named_clause_links(clause: str, ids: set[str]) -> None:
    assert ids <= {d.id for d in default_registry().for_clause(clause)}


# -- properties of every ratio KPI ------------------------------------------------------------

NUM = st.one_of(
    st.integers(0, 10**6),
    st.fractions(min_value=0, max_value=10**4, max_denominator=1000),
    st.decimals(min_value=0, max_value=10**4, places=2),
)


def _valid(d: MetricDefinition, record: dict[str, Any]) -> bool:
    try:
        d.ratio(**record)
    except InputError:
        return False
    return True


@st.composite
def definition_and_records(draw: st.DrawFn) -> tuple[MetricDefinition, list[dict[str, Any]]]:
    d = draw(st.sampled_from(ADDITIVE))
    record = st.fixed_dictionaries(dict.fromkeys(d.inputs, NUM)).filter(lambda r: _valid(d, r))
    return d, draw(st.lists(record, max_size=8))


@settings(max_examples=150, suppress_health_check=[HealthCheck.filter_too_much])
@given(definition_and_records(), st.data())
def test_merging_is_associative_and_commutative(
    dr: tuple[MetricDefinition, list[dict[str, Any]]], data: st.DataObject
) -> None:
    d, records = dr
    ratios = [d.ratio(**r) for r in records]
    if len(ratios) >= 3:
        a, b, c = ratios[:3]
        assert (a + b) + c == a + (b + c)
        assert a + b == b + a
    shuffled = data.draw(st.permutations(ratios))
    assert sum(shuffled, Ratio(0, 0)) == sum(ratios, Ratio(0, 0)) == d.total(records)


@settings(max_examples=150, suppress_health_check=[HealthCheck.filter_too_much])
@given(definition_and_records(), st.data())
def test_any_partition_gives_the_whole(
    dr: tuple[MetricDefinition, list[dict[str, Any]]], data: st.DataObject
) -> None:
    d, records = dr
    labels = data.draw(st.lists(st.integers(0, 3), min_size=len(records), max_size=len(records)))
    keyed = [{**r, "_k": k} for r, k in zip(records, labels, strict=True)]
    parts = d.per(keyed, "_k")
    assert Ratio.merge(parts.values()) == d.total(records)
    # the numerator and denominator are the linear forms of the summed inputs
    sums = {n: sum((Fraction(str(r[n])) for r in records), Fraction(0)) for n in d.inputs}
    whole = d.total(records)
    assert whole.numerator == sum(c * sums[n] for n, c in d.numerator.items())
    assert whole.denominator == sum(c * sums[n] for n, c in d.denominator.items())


@settings(max_examples=150, suppress_health_check=[HealthCheck.filter_too_much])
@given(definition_and_records())
def test_values_stay_in_range(dr: tuple[MetricDefinition, list[dict[str, Any]]]) -> None:
    d, records = dr
    for r in [*(d.ratio(**x) for x in records), d.total(records)]:
        assert d.in_range(r)
        if r.defined and d.bounded:
            assert r.require() <= 1
        if r.defined and not d.signed:
            assert r.require() >= 0


def test_every_unit_of_a_kpi_has_its_chinese() -> None:
    from gdsmodel.metrics.registry import default_registry
    from gdsmodel.metrics.units import unit_zh

    units = {d.unit for d in default_registry()} - {"", "%"}
    units |= {"kWh", "kvarh", "yuan", "h", "min"}  # the inputs' units, as the report shows them
    missing = sorted(u for u in units if unit_zh(u) == u)
    assert missing == []
    assert unit_zh("%") == "%" and unit_zh("an unknown unit") == "an unknown unit"
