"""A station's month for its people: from the station's tables to every person's sheet.

The station's monthly files (``lines``, ``areas``, ``billing``, ``rcd``, ``equipment``;
see ``docs/report.md``) hold the KPIs' inputs per line and area; ``data/inputs.toml`` says
which file and columns give which KPI. :func:`station_feeds` turns the tables (records
by file stem) into :class:`~gdsmodel.organisation.assessment.Feed` objects,
:func:`known_scopes` lists the station's lines, areas and equipment classes, and
:func:`assess_station_month` gives every person's and group's sheet of a month.

>>> station_feeds({})
()
>>> sorted(s.value for s in known_scopes({"lines": [{"line": "L1"}]}))
['line']
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

import attrs

from gdsmodel import _show
from gdsmodel.datafiles import package_toml
from gdsmodel.errors import DataFileError
from gdsmodel.metrics.assessment import CheckEvidence, Scheme
from gdsmodel.metrics.definitions import field_getter
from gdsmodel.metrics.registry import Registry
from gdsmodel.organisation.assessment import (
    Feed,
    MonthAssessment,
    RankedPerson,
    assess_month,
    year_end_ranking,
)
from gdsmodel.organisation.files import Organisation
from gdsmodel.organisation.staff import ScopeKind
from gdsmodel.organisation.targets import TargetRules
from gdsmodel.periods import Month
from gdsmodel.serialize import structure

__all__ = [
    "INPUTS_FORMAT",
    "InputSpec",
    "MonthSheets",
    "assess_station_month",
    "closed_year_ranking",
    "input_specs",
    "known_scopes",
    "month_sheets",
    "station_feeds",
]

INPUTS_FORMAT = "gdsmodel.organisation.inputs/1"

_KEY_OF_TABLE = {
    "lines": "line",
    "areas": "area",
    "billing": "area",
    "rcd": "area",
    "equipment": "category",
}


@attrs.frozen(slots=True, kw_only=True)
class InputSpec:
    """Which station file and columns give one KPI per line or area."""

    metric: str
    table: str
    scope: ScopeKind
    columns: dict[str, str]


@attrs.frozen(slots=True, kw_only=True)
class _InputsFile:
    format: str
    inputs: tuple[InputSpec, ...]


@cache
def input_specs() -> tuple[InputSpec, ...]:
    """The shipped list (``organisation/data/inputs.toml``).

    >>> [s.metric for s in input_specs()][:2]
    ['line_loss_rate_lv', 'line_loss_rate_10kv']
    """
    data, name = package_toml("gdsmodel.organisation", "data", "inputs.toml")
    parsed = structure(data, _InputsFile, file=name)
    if parsed.format != INPUTS_FORMAT:
        raise DataFileError(f"unknown format {parsed.format!r}", file=name, path="format")
    return parsed.inputs


def station_feeds(tables: Mapping[str, Sequence[Any]]) -> tuple[Feed, ...]:
    """A feed per KPI of :func:`input_specs` whose table is given (records by file stem)."""
    return tuple(
        Feed(
            metric=s.metric,
            scope=s.scope,
            records=tables[s.table],
            columns=s.columns,
            key=_KEY_OF_TABLE.get(s.table),
        )
        for s in input_specs()
        if s.table in tables
    )


def known_scopes(tables: Mapping[str, Sequence[Any]]) -> dict[ScopeKind, set[str]]:
    """The lines, areas and equipment classes named in the station's files (only the
    kinds whose file is given)."""
    out: dict[ScopeKind, set[str]] = {}
    for table, scope, field in (
        ("lines", ScopeKind.LINE, "line"),
        ("areas", ScopeKind.AREA, "area"),
        ("equipment", ScopeKind.EQUIPMENT, "category"),
    ):
        if table in tables:
            out[scope] = {str(field_getter(r)(field)) for r in tables[table]}
    return out


def assess_station_month(
    organisation: Organisation,
    tables: Mapping[str, Sequence[Any]],
    month: Month,
    *,
    scheme: Scheme | None = None,
    target_rules: TargetRules | None = None,
    registry: Registry | None = None,
    checks: Mapping[str, Mapping[str, CheckEvidence]] | None = None,
) -> MonthAssessment:
    """Every person's and group's sheet of ``month`` from the station's tables (the check
    rules scored from ``people_checks.csv`` unless ``checks`` are given)."""
    return assess_month(
        month,
        people=organisation.roster.people,
        held=organisation.held(month),
        responsibilities=organisation.responsibilities,
        feeds=station_feeds(tables),
        scheme=scheme,
        rules=organisation.rules,
        target_rules=target_rules,
        registry=registry,
        checks=checks if checks is not None else organisation.checks_for(month),
        catalogue=organisation.catalogue,
    )


@attrs.frozen(slots=True, kw_only=True)
class MonthSheets:
    """The sheets of a month as plain data (see :func:`~gdsmodel.organisation.archive.sheet_data`):
    archived at their latest amendment when the month is closed, else computed."""

    month: Month
    closed_on: str | None
    people: tuple[dict[str, Any], ...]
    groups: tuple[dict[str, Any], ...]
    problems: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return _show.short_repr(self)


def month_sheets(
    folder: str | os.PathLike[str], tables: Mapping[str, Sequence[Any]], month: Month
) -> MonthSheets | None:
    """Every person's and group's sheet of ``month`` for a station folder (the report's
    section per person and group), or None when the folder has no ``staff.csv``.

    >>> import tempfile
    >>> month_sheets(tempfile.mkdtemp(), {}, Month(2026, 3)) is None
    True
    """
    from pathlib import Path

    from gdsmodel.organisation.archive import Archive, sheet_data
    from gdsmodel.organisation.files import load_organisation

    path = Path(folder)
    if not any((path / f"staff{ext}").exists() for ext in (".csv", ".xlsx")):
        return None
    archive = Archive(path)
    org = load_organisation(path)
    problems = tuple(str(e) for e in org.errors) + tuple(
        str(e) for e in org.check((month,), known_scopes(tables)) if not e.warning
    )
    if archive.is_closed(month):
        record = archive.current(month)
        return MonthSheets(
            month=month,
            closed_on=record["closed_on"],
            people=tuple(record["people"]),
            groups=tuple(record["groups"]),
            problems=problems,
        )
    a = assess_station_month(org, tables, month)
    return MonthSheets(
        month=month,
        closed_on=None,
        people=tuple(sheet_data(s) for s in a.people),
        groups=tuple(sheet_data(s) for s in a.groups),
        problems=problems,
    )


def closed_year_ranking(
    folder: str | os.PathLike[str], year: int
) -> tuple[tuple[str, ...], tuple[RankedPerson, ...]]:
    """The closed months of ``year`` in a station folder's archive and the people's ranking
    over them (current versions; the station's bands).

    >>> import tempfile
    >>> closed_year_ranking(tempfile.mkdtemp(), 2026)
    ((), ())
    """
    from pathlib import Path

    from gdsmodel.organisation.archive import Archive
    from gdsmodel.organisation.files import load_organisation

    archive = Archive(folder)
    months = tuple(m for m in archive.closed_months() if m.startswith(f"{year}-"))
    if not months:
        return (), ()
    rules = load_organisation(Path(folder)).rules
    return months, year_end_ranking(archive.person_sheets(months), rules)
