"""The registry of KPI definitions, loaded from ``data/kpis.toml``, and station overrides.

>>> from gdsmodel.metrics.registry import metric, metrics
>>> d = metric("line_loss_rate_10kv")
>>> d.name.zh, d.unit, str(d.direction)
('10 kV 综合线损率', '%', 'lower')
>>> [(t.id, str(t.value)) for t in d.targets]
[('A', '6.5'), ('B', '7'), ('C', '7.5')]
>>> "safety_officer.standard.4" in metric("two_ticket_pass_rate").clauses
True
>>> len(metrics()) >= 30
True

Each metric the monthly report shows carries a ``[metrics.report]`` table: its
:class:`ReportSpec` (kind over months, input table and columns, display places):

>>> spec = default_registry().report("line_loss_rate_10kv")
>>> spec.table, spec.kind.value, spec.where
('lines', 'flow', {'voltage': '10kV'})

A station loads its own targets with :func:`load_registry` (or
:meth:`Registry.with_overrides`); the shipped registry stays unchanged:

>>> reg = load_registry(overrides={"overrides": [
...     {"metric": "line_loss_rate_10kv", "default_target": "B"}]})
>>> str(reg.metric("line_loss_rate_10kv").target), metric("line_loss_rate_10kv").target
('<= 7%', None)
"""

from __future__ import annotations

import enum
import fnmatch
import os
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import attrs

from gdsmodel import _show
from gdsmodel import tables as _tables
from gdsmodel.datafiles import parse_toml
from gdsmodel.errors import DataFileError, NotFoundError
from gdsmodel.metrics.definitions import MetricDefinition, TargetSpec
from gdsmodel.serialize import structure
from gdsmodel.text import Text

__all__ = [
    "DATA_FILES",
    "Breakdown",
    "InputSource",
    "KpiFile",
    "KpiKind",
    "MissingValues",
    "Registry",
    "ReportSpec",
    "ScopeValue",
    "TargetOverride",
    "TargetOverrideFile",
    "default_registry",
    "load_definitions",
    "load_registry",
    "metric",
    "metrics",
]

DATA_FILES: tuple[str, ...] = ("kpis.toml", "areas*.toml")
"""The shipped definition files in ``gdsmodel/metrics/data``, in load order (glob patterns:
every file that matches, sorted by name). A matching file is a definition file when it says
``format = "gdsmodel.kpis/1"``; others (rules data beside them) are passed over."""

_FORMAT = "gdsmodel.kpis/1"
_NO_TEXT = Text("")


class KpiKind(enum.StrEnum):
    """How a KPI of the report behaves over months.

    * ``flow``: the month's inputs; the year to date sums the months' inputs;
    * ``stock``: a state at the month's end (devices installed): no year to date;
    * ``year_to_date``: the value of a month is already cumulative from January.

    >>> KpiKind("stock").name
    'STOCK'
    """

    FLOW = "flow"
    STOCK = "stock"
    YEAR_TO_DATE = "year_to_date"


class MissingValues(enum.StrEnum):
    """What an empty cell of an optional input column does to a month's KPI.

    * ``gap``: the KPI is not computed for the month (it says which column is empty);
    * ``skip``: the rows without the value are left out of the sums.

    >>> MissingValues("skip").value
    'skip'
    """

    GAP = "gap"
    SKIP = "skip"


@attrs.frozen(slots=True, kw_only=True)
class InputSource:
    """Where one input of a metric comes from in a station's data.

    ``column`` of the KPI's table (or of ``table`` when given) is summed over the month's
    rows; ``setting`` names a value of ``station.toml`` instead (``arrears``: the earlier
    years' arrears of the month's year), which is not summed over months.

    >>> InputSource(column="billed_yuan", table="billing").table
    'billing'
    """

    column: str = ""
    table: str = ""
    setting: str = ""


@attrs.frozen(slots=True, kw_only=True)
class ScopeValue:
    """One value of a breakdown column and its label (``work`` -> 工作票 / work tickets)."""

    value: str
    label: Text


@attrs.frozen(slots=True, kw_only=True)
class Breakdown:
    """One KPI row per value of ``column``.

    ``values`` fixes the values and their labels, in order; without them every value seen
    in the table is a row, in the order first seen, labelled by the value and, when
    ``label_column`` is given, that column (``lines, km``). ``total`` keeps the row of the
    whole table before the breakdown rows.
    """

    column: str
    values: tuple[ScopeValue, ...] = ()
    label_column: str = ""
    total: bool = False


@attrs.frozen(slots=True, kw_only=True)
class ReportSpec:
    """What the monthly report needs to know of a metric (``[metrics.report]`` in kpis.toml).

    * ``order``: position of the KPI's rows in the report (ascending; ties by registry order);
    * ``kind``: :class:`KpiKind`;
    * ``state``: how the month's inputs are gathered: ``sum`` (each input is a column summed
      over the month's rows of ``table``, after ``where``), ``reliability`` (the outages'
      additive state, :class:`~gdsmodel.metrics.reliability.ReliabilityState`) or
      ``voltage_classes`` (monitoring minutes per class, for the comprehensive rate);
    * ``inputs``: metric input -> :class:`InputSource` (``sum`` only);
    * ``where``: column -> value, the rows that count (``voltage = "10kV"``);
    * ``empty``: the reason shown when ``where`` leaves no rows (``{month}``, ``{file}``);
    * ``missing``: :class:`MissingValues`, for optional input columns;
    * ``scope``: a label shown after the name (``D类(居民)监测点``);
    * ``breakdown``: :class:`Breakdown`, one row per value of a column;
    * ``places``: decimals shown (of the percentage for ``%`` metrics);
    * ``unit``: the unit shown, per language (default: the metric's unit in both);
    * ``anomaly``: the flag when a signed numerator is negative (a negative line loss);
    * ``chart``: position among the trend charts of the HTML report (none: no chart);
    * ``conventions``: the counting conventions (ids) under which the report shows the KPI
      (none: under every one; MAIFI only under ``ieee1366``).

    >>> ReportSpec(table="tickets", order=1).state
    'sum'
    """

    order: int
    table: str = ""
    kind: KpiKind = KpiKind.FLOW
    state: str = "sum"
    inputs: Mapping[str, InputSource] = attrs.field(factory=dict, hash=False)
    where: Mapping[str, str] = attrs.field(factory=dict, hash=False)
    empty: str = ""
    missing: MissingValues = MissingValues.GAP
    scope: Text = _NO_TEXT
    breakdown: Breakdown | None = None
    places: int = 2
    unit: Text | None = None
    anomaly: str = ""
    chart: int | None = None
    conventions: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return _show.short_repr(self)


@attrs.frozen(slots=True, kw_only=True)
class KpiFile:
    """The wire form of ``kpis.toml``: a format tag and the definitions."""

    format: str
    metrics: tuple[MetricDefinition, ...]

    def __repr__(self) -> str:
        return _show.short_repr(self)


@attrs.frozen(slots=True, kw_only=True)
class TargetOverride:
    """A station's change to the targets of one metric.

    ``targets`` are added, or replace the shipped target of the same ID; ``default_target``
    picks the target that :attr:`MetricDefinition.target` returns (a grade such as
    ``"B"``, or one of the added targets). ``clear_default`` removes the default.
    """

    metric: str
    targets: tuple[TargetSpec, ...] = ()
    default_target: str | None = None
    clear_default: bool = False


@attrs.frozen(slots=True, kw_only=True)
class TargetOverrideFile:
    """The wire form of a station's targets file (TOML)::

    [[overrides]]
    metric = "line_loss_rate_10kv"
    default_target = "B"

    [[overrides]]
    metric = "meter_reading_rate"
    default_target = "county_2026"
    [[overrides.targets]]
    id = "county_2026"
    value = "99.5"
    confidence = "M"
    source = { document = "县公司供电所考核办法", edition = "2026" }
    """

    overrides: tuple[TargetOverride, ...] = ()


@attrs.frozen(slots=True)
class Registry:
    """An ordered, immutable set of metric definitions with look-ups by ID.

    >>> reg = default_registry()
    >>> reg.metric("rs3").unit
    '%'
    >>> [d.id for d in reg.for_clause("safety_officer.standard.7")]
    ['rcd_installation_rate', 'rcd_in_service_rate', 'rcd_correct_operation_rate']
    """

    definitions: tuple[MetricDefinition, ...]
    reports: Mapping[str, ReportSpec] = attrs.field(factory=dict, eq=False, hash=False)
    _index: dict[str, MetricDefinition] = attrs.field(init=False, eq=False, repr=False, hash=False)

    def __repr__(self) -> str:
        return _show.summary(self, "registry", metrics=len(self.definitions))

    def to_pandas(self, table: str = "registry") -> _tables.PandasFrame:
        """The KPI definitions as a pandas DataFrame (columns: see ``gdsmodel.tables``)."""
        return _tables.pandas_frame(self, table, ("registry",))

    def to_polars(self, table: str = "registry") -> _tables.PolarsFrame:
        """The KPI definitions as a polars DataFrame (columns: see ``gdsmodel.tables``)."""
        return _tables.polars_frame(self, table, ("registry",))

    def __attrs_post_init__(self) -> None:
        index: dict[str, MetricDefinition] = {}
        for d in self.definitions:
            if d.id in index:
                raise DataFileError(f"duplicate metric ID {d.id!r}", path=f"metrics[{d.id}]")
            index[d.id] = d
        for metric_id in self.reports:
            if metric_id not in index:
                raise DataFileError(f"report spec of unknown metric {metric_id!r}")
        object.__setattr__(self, "_index", index)

    def report(self, metric_id: str) -> ReportSpec | None:
        """How the monthly report shows this metric, or None when it does not.

        >>> default_registry().report("technical_loss_rate") is None
        True
        """
        self.metric(metric_id)
        return self.reports.get(metric_id)

    def extended(self, other: Registry) -> Registry:
        """This registry followed by the definitions of ``other`` (IDs must not repeat).

        >>> extra = Registry((attrs.evolve(metric("rs1"), id="rs1_copy"),))
        >>> default_registry().extended(extra).ids()[-1]
        'rs1_copy'
        """
        return Registry(
            self.definitions + other.definitions, reports={**self.reports, **other.reports}
        )

    def metric(self, metric_id: str) -> MetricDefinition:
        """The definition with this ID; :class:`~gdsmodel.errors.NotFoundError` if unknown."""
        try:
            return self._index[metric_id]
        except KeyError:
            raise NotFoundError("metric", metric_id, self._index) from None

    def metrics(self) -> tuple[MetricDefinition, ...]:
        """Every definition, in registry order."""
        return self.definitions

    def ids(self) -> tuple[str, ...]:
        """Every metric ID, in registry order."""
        return tuple(self._index)

    def __iter__(self) -> Iterator[MetricDefinition]:
        return iter(self.definitions)

    def __len__(self) -> int:
        return len(self.definitions)

    def __contains__(self, metric_id: object) -> bool:
        return metric_id in self._index

    def for_clause(self, clause_id: str) -> tuple[MetricDefinition, ...]:
        """The metrics that a clause of the standard calls for."""
        return tuple(d for d in self.definitions if clause_id in d.clauses)

    def for_owner(self, owner_id: str) -> tuple[MetricDefinition, ...]:
        """The metrics a post or unit owns."""
        return tuple(d for d in self.definitions if owner_id in d.owners)

    def with_overrides(
        self,
        overrides: str | os.PathLike[str] | Mapping[str, Any],
        *,
        file: str | None = None,
    ) -> Registry:
        """A new registry with a station's targets applied (this one is unchanged).

        ``overrides`` is a path to a TOML file or the same data as a mapping. A bad file
        raises :class:`~gdsmodel.errors.DataFileError` naming the file and the entry.
        """
        if isinstance(overrides, Mapping):
            data: Any = overrides
        else:
            path = Path(overrides)
            file = file or str(path)
            data = _read_toml(path.read_bytes(), file)
        parsed = structure(data, TargetOverrideFile, file=file)
        changed = dict(self._index)
        for i, ov in enumerate(parsed.overrides):
            where = f"overrides[{i}]"
            if ov.metric not in changed:
                known = ", ".join(self._index)
                raise DataFileError(
                    f"unknown metric {ov.metric!r}; known: {known}", file=file, path=where
                )
            changed[ov.metric] = _apply(changed[ov.metric], ov, file=file, where=where)
        return Registry(tuple(changed[d.id] for d in self.definitions), reports=self.reports)


def _apply(
    d: MetricDefinition, ov: TargetOverride, *, file: str | None, where: str
) -> MetricDefinition:
    specs = {t.id: t for t in d.targets}
    for t in ov.targets:
        specs[t.id] = t
    default = d.default_target
    if ov.clear_default:
        default = None
    if ov.default_target is not None:
        if ov.default_target not in specs:
            raise DataFileError(
                f"metric {d.id!r} has no target {ov.default_target!r}; "
                f"known: {', '.join(specs) or '(none)'}",
                file=file,
                path=f"{where}.default_target",
            )
        default = ov.default_target
    return attrs.evolve(d, targets=tuple(specs.values()), default_target=default)


def _read_toml(raw: bytes, file: str) -> Any:
    return parse_toml(raw, file=file)


def _parse(data: Any, file: str) -> Registry:
    reports: dict[str, ReportSpec] = {}
    raw_metrics = data.get("metrics") if isinstance(data, dict) else None
    if isinstance(raw_metrics, list):
        plain = []
        for i, entry in enumerate(raw_metrics):
            if isinstance(entry, dict) and "report" in entry:
                entry = dict(entry)
                raw = entry.pop("report")
                spec = structure(_report_wire(raw), ReportSpec, file=file)
                reports[str(entry.get("id", f"metrics[{i}]"))] = spec
            plain.append(entry)
        data = {**data, "metrics": plain}
    parsed = structure(data, KpiFile, file=file)
    if parsed.format != _FORMAT:
        raise DataFileError(
            f"unknown format {parsed.format!r} (allowed: {_FORMAT})", file=file, path="format"
        )
    return Registry(parsed.metrics, reports=reports)


def _report_wire(raw: Any) -> Any:
    """An input given as a plain column name is the column of the KPI's own table."""
    if isinstance(raw, dict) and isinstance(raw.get("inputs"), dict):
        inputs = {k: {"column": v} if isinstance(v, str) else v for k, v in raw["inputs"].items()}
        return {**raw, "inputs": inputs}
    return raw


def load_definitions(path: str | os.PathLike[str]) -> Registry:
    """The definitions of one KPI file (``format = "gdsmodel.kpis/1"``), alone.

    Join them to the shipped ones with :meth:`Registry.extended` or
    ``load_registry(extra=[path])``.
    """
    p = Path(path)
    return _parse(_read_toml(p.read_bytes(), str(p)), str(p))


def _shipped_files() -> list[tuple[str, bytes]]:
    folder = resources.files("gdsmodel.metrics").joinpath("data")
    names = sorted(f.name for f in folder.iterdir() if f.name.endswith(".toml"))
    out: list[tuple[str, bytes]] = []
    for pattern in DATA_FILES:
        for name in names:
            if fnmatch.fnmatchcase(name, pattern) and name not in [n for n, _ in out]:
                out.append((name, folder.joinpath(name).read_bytes()))
    return out


@cache
def default_registry() -> Registry:
    """The shipped registry: every file of :data:`DATA_FILES` (loaded once and cached)."""
    reg: Registry | None = None
    for name, raw in _shipped_files():
        file = f"gdsmodel/metrics/data/{name}"
        data = _read_toml(raw, file)
        if name != "kpis.toml" and data.get("format") != _FORMAT:
            continue  # another kind of data file beside the definitions (areas.toml rules)
        part = _parse(data, file)
        reg = part if reg is None else reg.extended(part)
    assert reg is not None, "kpis.toml ships with the package"
    return reg


def load_registry(
    overrides: str | os.PathLike[str] | Mapping[str, Any] | None = None,
    *,
    extra: Iterable[str | os.PathLike[str]] = (),
) -> Registry:
    """The shipped registry, with more definition files (``extra``) and a station's targets
    file applied when given.

    >>> reg = load_registry()
    >>> reg is default_registry()
    True
    """
    reg = default_registry()
    for path in extra:
        reg = reg.extended(load_definitions(path))
    return reg if overrides is None else reg.with_overrides(overrides)


def metric(metric_id: str) -> MetricDefinition:
    """The shipped definition of a metric; :class:`~gdsmodel.errors.NotFoundError` if unknown.

    >>> metric("collection_rate").valid_range is None
    True
    >>> metric("nonsense")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    gdsmodel.errors.NotFoundError: unknown metric 'nonsense'; known: line_loss_rate, ...
    """
    return default_registry().metric(metric_id)


def metrics() -> tuple[MetricDefinition, ...]:
    """Every shipped definition, in registry order."""
    return default_registry().metrics()
