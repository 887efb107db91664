"""WHO: the organisation of a power supply station and the clauses of its posts and units.

>>> from gdsmodel.roles import Post, Duty, Category
>>> Category.SAFETY.value
'safety'
"""

from gdsmodel.roles.model import (
    Cadence,
    Category,
    Clause,
    Duty,
    Erratum,
    Party,
    Post,
    Relation,
    RelationKind,
    Role,
    Section,
    StatedTarget,
    Station,
    Unit,
    WorkStandard,
)

__all__ = [
    "Cadence",
    "Category",
    "Clause",
    "Duty",
    "Erratum",
    "Party",
    "Post",
    "Relation",
    "RelationKind",
    "Role",
    "Section",
    "StatedTarget",
    "Station",
    "Unit",
    "WorkStandard",
]
