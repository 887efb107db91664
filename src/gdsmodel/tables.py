"""Frames out: gdsmodel's tables as pandas or polars DataFrames, with stable column names.

The classes' ``to_pandas()`` / ``to_polars()`` methods call :func:`pandas_frame` and
:func:`polars_frame`; pandas and polars are imported only then (the ``dataframe`` extra).
:data:`COLUMNS` lists the columns of every table, in order (documented in
``docs/learn/analyst.md``). Exact values (fractions, points) become floats; ``value`` is a
fraction of one (0.05 for 5 %) and ``percent`` is ``value`` x 100 for KPIs in percent (null
for other units); a missing value is null, never 0.

>>> COLUMNS["ranking"]
('rank', 'owner', 'total', 'available', 'percent', 'months')
>>> import gdsmodel
>>> rows = list(ROWS["clauses"](gdsmodel.load_standard()))
>>> len(rows), rows[0]["id"], list(rows[0]) == list(COLUMNS["clauses"])
(155, 'director.duty.1', True)
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Final, TypeAlias

import attrs

from gdsmodel.errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    import pandas
    import polars

    PandasFrame: TypeAlias = pandas.DataFrame
    PolarsFrame: TypeAlias = polars.DataFrame

__all__ = ["COLUMNS", "ROWS", "pandas_frame", "polars_frame", "rows"]

Row: TypeAlias = dict[str, object]

COLUMNS: Final[Mapping[str, tuple[str, ...]]] = {
    "clauses": (
        "id",
        "owner",
        "kind",
        "number",
        "text_zh",
        "text_en",
        "categories",
        "cadences",
        "terms",
        "regulations",
        "targets",
        "relations",
        "note",
    ),
    "glossary": (
        "id",
        "name_zh",
        "name_en",
        "definition_zh",
        "definition_en",
        "aliases",
        "parts",
        "confidence",
        "source",
    ),
    "registry": (
        "id",
        "name_zh",
        "name_en",
        "group",
        "unit",
        "direction",
        "formula",
        "default_target",
        "targets",
        "owners",
        "clauses",
        "confidence",
        "computed_by",
    ),
    "kpis": (
        "metric",
        "scope",
        "name_zh",
        "name_en",
        "unit",
        "month",
        "value",
        "percent",
        "target",
        "verdict",
        "gap",
        "ytd_value",
        "reason",
        "anomaly",
    ),
    "trends": (
        "metric",
        "scope",
        "name_zh",
        "name_en",
        "unit",
        "month",
        "value",
        "percent",
        "target",
        "verdict",
        "reason",
        "anomaly",
    ),
    "sheets": (
        "owner",
        "period",
        "scheme",
        "rule",
        "name_zh",
        "name_en",
        "assessed",
        "available",
        "deduction",
        "bonus",
        "score",
        "value",
        "passed",
        "note",
    ),
    "ranking": ("rank", "owner", "total", "available", "percent", "months"),
    "assessment": (
        "kind",
        "owner",
        "name",
        "month",
        "holds",
        "answered_for",
        "total",
        "available",
        "percent",
        "missed",
    ),
    "owner_kpis": (
        "kind",
        "owner",
        "month",
        "metric",
        "unit",
        "numerator",
        "denominator",
        "value",
        "percent",
        "target",
        "allowed",
        "verdict",
        "gap",
    ),
    "year_end": (
        "rank",
        "owner",
        "total",
        "available",
        "percent",
        "months",
        "band",
        "band_zh",
        "band_en",
    ),
    "tools": (
        "serial",
        "kind",
        "rating",
        "condition",
        "place",
        "keeper",
        "holder",
        "accepted",
        "tested_on",
        "tester",
        "due",
        "needs_test",
        "registered_on",
        "last_on",
        "events",
    ),
    "events": ("seq", "type", "serial", "on", "by", "note", "details"),
}
"""The columns of each table, in order."""


# ----------------------------------------------------------------------------- helpers


def _f(value: object) -> float | None:
    """An exact number as a float; None stays None."""
    if value is None:
        return None
    if isinstance(value, Fraction | Decimal | int | float):
        return float(value)
    return None


def _e(value: object) -> object:
    return value.value if isinstance(value, enum.Enum) else value


def _names(values: Iterable[object]) -> list[str]:
    return [str(_e(v)) for v in values]


def _target_threshold(target: object) -> float | None:
    return None if target is None else _f(getattr(target, "threshold", None))


def _percent(value: object, unit: str) -> float | None:
    v = _f(value)
    return None if v is None or unit != "%" else v * 100


# ----------------------------------------------------------------------------- tables


def _clauses(standard: Any) -> Iterator[Row]:
    for c in standard.clauses():
        yield {
            "id": c.id,
            "owner": c.owner,
            "kind": c.kind,
            "number": c.number,
            "text_zh": c.text.zh,
            "text_en": c.text.en,
            "categories": _names(c.categories),
            "cadences": _names(c.cadences),
            "terms": list(c.terms),
            "regulations": list(c.regulations),
            "targets": [f"{t.indicator} {t.comparison} {t.value}{t.unit}" for t in c.targets],
            "relations": [f"{_e(r.kind)}:{r.party}" for r in c.relations],
            "note": c.note,
        }


def _glossary(obj: Any) -> Iterator[Row]:
    glossary = getattr(obj, "glossary", obj)
    for t in glossary.terms:
        source = t.source
        yield {
            "id": t.id,
            "name_zh": t.name.zh,
            "name_en": t.name.en,
            "definition_zh": t.definition.zh,
            "definition_en": t.definition.en,
            "aliases": list(t.aliases),
            "parts": [getattr(p, "zh", str(p)) for p in t.parts],
            "confidence": str(_e(t.confidence)) if t.confidence is not None else None,
            "source": getattr(source, "document", None) if source is not None else None,
        }


def _registry(registry: Any) -> Iterator[Row]:
    for d in registry.metrics():
        yield {
            "id": d.id,
            "name_zh": d.name.zh,
            "name_en": d.name.en,
            "group": str(_e(d.group)),
            "unit": d.unit,
            "direction": str(_e(d.direction)),
            "formula": d.formula,
            "default_target": d.default_target or None,
            "targets": [t.id for t in d.targets],
            "owners": list(d.owners),
            "clauses": list(d.clauses),
            "confidence": str(_e(d.confidence)) if d.confidence is not None else None,
            "computed_by": d.computed_by or None,
        }


def _kpi_head(row: Any) -> Row:
    return {
        "metric": row.metric,
        "scope": row.key.scope,
        "name_zh": row.title.zh,
        "name_en": row.title.en,
        "unit": row.unit,
    }


def _kpis(report: Any) -> Iterator[Row]:
    for k in report.kpis:
        verdict = k.verdict
        yield {
            **_kpi_head(k),
            "month": str(report.month),
            "value": _f(k.month.value),
            "percent": _percent(k.month.value, k.unit),
            "target": _target_threshold(k.target),
            "verdict": None if verdict is None else str(_e(verdict.status)),
            "gap": None if verdict is None else _f(verdict.gap),
            "ytd_value": None if k.ytd is None else _f(k.ytd.value),
            "reason": k.month.reason or None,
            "anomaly": bool(k.month.anomaly),
        }


def _trends(report: Any) -> Iterator[Row]:
    for k in report.kpis:
        head = _kpi_head(k)
        for month, v in zip(report.trend_months, k.trend, strict=False):
            verdict = None if k.target is None else k.target.verdict(v.value)
            yield {
                **head,
                "month": str(month),
                "value": _f(v.value),
                "percent": _percent(v.value, k.unit),
                "target": _target_threshold(k.target),
                "verdict": None if verdict is None else str(_e(verdict.status)),
                "reason": v.reason or None,
                "anomaly": bool(v.anomaly),
            }


def _sheets(obj: Any) -> Iterator[Row]:
    sheets = getattr(obj, "sheets", None)
    if sheets is None:
        sheets = obj if isinstance(obj, Sequence) else (obj,)
    for held in sheets:
        # a person's or group's sheet holds its scored sheet
        s: Any = getattr(held, "sheet", held)
        for i in s.items:
            yield {
                "owner": s.owner,
                "period": str(s.period),
                "scheme": s.scheme,
                "rule": i.rule,
                "name_zh": i.name.zh,
                "name_en": i.name.en,
                "assessed": i.assessed,
                "available": _f(i.available),
                "deduction": _f(i.deduction),
                "bonus": _f(i.bonus),
                "score": _f(i.score),
                "value": _f(i.value),
                "passed": i.passed,
                "note": i.note,
            }


def _ranking_row(r: Any) -> Row:
    return {
        "rank": r.rank,
        "owner": r.owner,
        "total": _f(r.total),
        "available": _f(r.available),
        "percent": None if not r.available else float(r.total / r.available * 100),
        "months": r.months,
    }


def _ranking(obj: Any) -> Iterator[Row]:
    for r in getattr(obj, "ranking", obj):
        yield _ranking_row(r)


def _year_end(ranked: Any) -> Iterator[Row]:
    for r in ranked:
        band = r.band
        yield {
            **_ranking_row(r.ranking),
            "band": None if band is None else band.id,
            "band_zh": None if band is None else band.name.zh,
            "band_en": None if band is None else band.name.en,
        }


def _held_sheets(obj: Any) -> Sequence[Any]:
    """The people's and groups' sheets of a month's assessment, or one sheet."""
    return obj.sheets if hasattr(obj, "people") else (obj,)


def _assessment(obj: Any) -> Iterator[Row]:
    for s in _held_sheets(obj):
        a = s.sheet
        yield {
            "kind": s.kind,
            "owner": s.owner,
            "name": s.name,
            "month": str(s.month),
            "holds": list(s.holds),
            "answered_for": list(s.answered_for),
            "total": _f(a.total),
            "available": _f(a.available),
            "percent": None if not a.available else float(a.total / a.available * 100),
            "missed": list(s.missed),
        }


def _owner_kpis(obj: Any) -> Iterator[Row]:
    for s in _held_sheets(obj):
        for k in s.kpis:
            verdict = k.verdict
            yield {
                "kind": s.kind,
                "owner": s.owner,
                "month": str(s.month),
                "metric": k.metric,
                "unit": k.unit,
                "numerator": _f(k.ratio.numerator),
                "denominator": _f(k.ratio.denominator),
                "value": _f(k.ratio.value),
                "percent": _percent(k.ratio.value, k.unit),
                "target": _target_threshold(k.target),
                "allowed": _f(k.allowed),
                "verdict": None if verdict is None else str(_e(verdict.status)),
                "gap": None if verdict is None else _f(verdict.gap),
            }


def _tools(ledger: Any) -> Iterator[Row]:
    states = ledger.tools() if hasattr(ledger, "tools") else ledger
    for s in states:
        label = s.label
        yield {
            "serial": s.serial,
            "kind": s.kind,
            "rating": s.rating,
            "condition": str(_e(s.condition)),
            "place": s.place,
            "keeper": s.keeper,
            "holder": s.holder,
            "accepted": s.accepted,
            "tested_on": None if label is None else label.tested_on,
            "tester": None if label is None else label.tester,
            "due": s.due,
            "needs_test": None if s.needs_test is None else str(_e(s.needs_test)),
            "registered_on": s.registered_on,
            "last_on": s.last_on,
            "events": s.events,
        }


_COMMON = {"serial", "on", "by", "note"}


def _details(event: object) -> str:
    parts = []
    cls: Any = type(event)
    for f in attrs.fields(cls):
        if f.name in _COMMON:
            continue
        value = getattr(event, f.name)
        if value in (None, "", ()):
            continue
        if isinstance(value, tuple):
            value = ", ".join(
                str(getattr(v, "name", v)) + "=" + str(getattr(v, "value", "")) for v in value
            )
        parts.append(f"{f.name}={_e(value)}")
    return "; ".join(parts)


def _events(ledger: Any) -> Iterator[Row]:
    events = ledger.events if hasattr(ledger, "events") else ledger
    for seq, e in enumerate(events, start=1):
        yield {
            "seq": seq,
            "type": e.TYPE,
            "serial": e.serial,
            "on": e.on,
            "by": getattr(e, "by", "") or None,
            "note": getattr(e, "note", "") or None,
            "details": _details(e),
        }


ROWS: Final[Mapping[str, Callable[[Any], Iterator[Row]]]] = {
    "clauses": _clauses,
    "glossary": _glossary,
    "registry": _registry,
    "kpis": _kpis,
    "trends": _trends,
    "sheets": _sheets,
    "ranking": _ranking,
    "assessment": _assessment,
    "owner_kpis": _owner_kpis,
    "year_end": _year_end,
    "tools": _tools,
    "events": _events,
}
"""The row builders of each table (dicts keyed by :data:`COLUMNS`)."""


def rows(obj: object, table: str, allowed: Sequence[str]) -> list[Row]:
    """The rows of one table of ``obj``; ``table`` must be one of ``allowed``.

    >>> rows(None, "pivot", ("kpis", "trends"))
    Traceback (most recent call last):
    gdsmodel.errors.InputError: table='pivot': unknown table (allowed: kpis, trends)
    """
    if table not in allowed:
        raise InputError("unknown table", name="table", value=table, allowed=", ".join(allowed))
    return list(ROWS[table](obj))


def _is_date(rows_: Sequence[Row], column: str) -> bool:
    return any(isinstance(r[column], datetime.date) for r in rows_)


def pandas_frame(obj: object, table: str, allowed: Sequence[str]) -> PandasFrame:
    """One table as a pandas DataFrame (needs pandas: ``pip install gdsmodel[dataframe]``)."""
    import pandas as pd

    data = rows(obj, table, allowed)
    columns = list(COLUMNS[table])
    frame = (
        pd.DataFrame.from_records(data, columns=columns) if data else pd.DataFrame(columns=columns)
    )
    for c in columns:
        if data and _is_date(data, c):
            frame[c] = pd.to_datetime(frame[c])
    return frame


def polars_frame(obj: object, table: str, allowed: Sequence[str]) -> PolarsFrame:
    """One table as a polars DataFrame (needs polars: ``pip install gdsmodel[dataframe]``)."""
    import polars as pl

    data = rows(obj, table, allowed)
    columns = COLUMNS[table]
    return pl.DataFrame({c: [r[c] for r in data] for c in columns}, strict=False)
