"""The station as an organisation: people, what they hold, what they answer for, and their
assessment.

The standard models posts and units; this package models the station that lives by it:
the people who hold the posts and the groups' members (:mod:`~gdsmodel.organisation.staff`),
who answers for which line and transformer area (:mod:`~gdsmodel.organisation.responsibility`),
targets broken down to people (:mod:`~gdsmodel.organisation.targets`), every additive KPI
per person (:mod:`~gdsmodel.organisation.kpis`), monthly sheets per person and group, the
year-end ranking (:mod:`~gdsmodel.organisation.assessment`), the archive of closed months
(:mod:`~gdsmodel.organisation.archive`), each person's obligations
(:mod:`~gdsmodel.organisation.obligations`) and the station files ``staff.csv`` and
``responsibility.csv`` (:mod:`~gdsmodel.organisation.files`).

Names are exported lazily, so importing the package loads nothing else:

>>> import gdsmodel.organisation as org
>>> org.ScopeKind.AREA.value
'area'
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "Effective": "dating",
    "Assignment": "staff",
    "Catalogue": "staff",
    "HoldKind": "staff",
    "Person": "staff",
    "RoleDefinition": "staff",
    "Roster": "staff",
    "ScopeKind": "staff",
    "default_catalogue": "staff",
    "load_catalogue": "staff",
    "AttributionRule": "responsibility",
    "Issue": "responsibility",
    "OrganisationRules": "responsibility",
    "Responsibility": "responsibility",
    "default_rules": "responsibility",
    "load_rules": "responsibility",
    "shares": "responsibility",
    "validate": "responsibility",
    "PersonTarget": "targets",
    "TargetRule": "targets",
    "TargetRules": "targets",
    "break_down": "targets",
    "default_target_rules": "targets",
    "load_target_rules": "targets",
    "Part": "kpis",
    "attribute": "kpis",
    "person_states": "kpis",
    "person_states_from_frame": "kpis",
    "Feed": "assessment",
    "KpiLine": "assessment",
    "MonthAssessment": "assessment",
    "Sheet": "assessment",
    "assess_month": "assessment",
    "default_person_scheme": "assessment",
    "year_end_ranking": "assessment",
    "Archive": "archive",
    "ArchiveError": "archive",
    "person_obligations": "obligations",
    "Organisation": "files",
    "OrganisationFileError": "files",
    "RESPONSIBILITY": "files",
    "STAFF": "files",
    "json_schema": "files",
    "load_organisation": "files",
    "assess_station_month": "station",
    "month_sheets": "station",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    try:
        module = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


def __dir__() -> list[str]:
    return __all__
