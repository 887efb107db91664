"""The organisation of a power supply station and the clauses of its job standard.

Posts (岗位) and units (专业组, 室) each own numbered clauses: duties (岗位职责, 工作职责)
and, for the four posts of sections 一 to 四, work standards (岗位工作标准). A clause has a
stable ID built from its owner, its list and its number, e.g. ``safety_officer.standard.6``.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from decimal import Decimal
from typing import ClassVar, Literal

import attrs

from gdsmodel import _show
from gdsmodel.text import Text

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


class Category(enum.StrEnum):
    """What a clause is about. A clause has one or more; the first is its main one."""

    SAFETY = "safety"
    OPERATIONS = "operations"  # running, patrolling, maintaining equipment
    TECHNICAL = "technical"  # technical plans, reliability, voltage, equipment rating
    MARKETING = "marketing"  # sales, tariffs, business expansion, demand
    METERING = "metering"  # meters, meter reading, calibration
    BILLING = "billing"  # bills, fee collection, remittance
    LINE_LOSS = "line_loss"
    SERVICE = "service"  # customer service, complaints, service commitments
    TRAINING = "training"
    REPORTING = "reporting"  # statistics, reports, records and archives
    ASSESSMENT = "assessment"  # internal assessment, scoring (考核)
    PLANNING = "planning"
    MEETINGS = "meetings"
    ADMINISTRATION = "administration"  # leadership, records, discipline, ad hoc tasks
    COMPLIANCE = "compliance"  # laws, policies, rules, financial discipline


class Cadence(enum.StrEnum):
    """How often a clause's work recurs."""

    ANNUAL = "annual"
    QUARTERLY = "quarterly"
    MONTHLY = "monthly"
    MONTH_END = "month_end"
    PERIODIC = "periodic"  # 定期: regular, interval not stated
    SEASONAL = "seasonal"
    ON_EVENT = "on_event"  # when something happens (an accident, an application...)
    AD_HOC = "ad_hoc"  # 临时, 不定期: when assigned or as needed


class RelationKind(enum.StrEnum):
    """How a clause ties its owner to another party."""

    ASSISTS = "assists"  # 协助
    COOPERATES = "cooperates"  # 配合
    URGES = "urges"  # 督促
    SUPERVISES = "supervises"  # 监督


@attrs.frozen(slots=True)
class Relation:
    """The owner of a clause assists, cooperates with, urges or supervises ``party``.

    ``party`` is the ID of a post, a unit or an external party of the station.
    """

    kind: RelationKind
    party: str
    note: str = ""


@attrs.frozen(slots=True)
class StatedTarget:
    """A quantified target stated in a clause, e.g. 两票合格率达100%.

    ``indicator`` is the ID of the KPI in the metrics registry; ``quote`` is the words of
    the clause that state it, verbatim.
    """

    indicator: str
    value: Decimal
    unit: str
    quote: str
    comparison: Literal[">=", "<=", "=="] = ">="


@attrs.frozen(slots=True)
class Erratum:
    """A slip in the source, kept verbatim in the text and annotated here."""

    written: str
    intended: str
    note: str = ""


@attrs.frozen(slots=True, kw_only=True)
class Clause:
    """A numbered item of the standard. Use :class:`Duty` or :class:`WorkStandard`."""

    kind: ClassVar[str] = "clause"

    owner: str
    number: int
    text: Text
    categories: tuple[Category, ...] = ()
    cadences: tuple[Cadence, ...] = ()
    targets: tuple[StatedTarget, ...] = ()
    terms: tuple[str, ...] = ()
    regulations: tuple[str, ...] = ()
    relations: tuple[Relation, ...] = ()
    errata: tuple[Erratum, ...] = ()
    note: str = ""

    def __repr__(self) -> str:
        return _show.short_repr(self, "owner", "number", "text")

    def _repr_html_(self) -> str:
        return _show.clause_html(self)

    @property
    def id(self) -> str:
        """The stable ID: ``{owner}.{kind}.{number}``."""
        return f"{self.owner}.{self.kind}.{self.number}"

    @property
    def category(self) -> Category | None:
        """The main category (the first one), if any."""
        return self.categories[0] if self.categories else None


@attrs.frozen(slots=True, kw_only=True)
class Duty(Clause):
    """A duty (岗位职责 of a post, 工作职责 of a unit or its head).

    >>> d = Duty(owner="director", number=11, text=Text("完成上级安排的临时任务。"))
    >>> d.id
    'director.duty.11'
    """

    kind: ClassVar[str] = "duty"

    def __repr__(self) -> str:
        return _show.short_repr(self, "owner", "number", "text")


@attrs.frozen(slots=True, kw_only=True)
class WorkStandard(Clause):
    """A work standard (岗位工作标准): how well and how often a duty is done.

    >>> WorkStandard(owner="safety_officer", number=6, text=Text("…")).id
    'safety_officer.standard.6'
    """

    kind: ClassVar[str] = "standard"

    def __repr__(self) -> str:
        return _show.short_repr(self, "owner", "number", "text")


def _check_owned(owner: str, clauses: tuple[Clause, ...], what: str) -> None:
    # Numbers are stable IDs: a station's variant may remove clause 5 and keep 6 as 6,
    # so they must be positive and increasing, not necessarily contiguous.
    numbers = [c.number for c in clauses]
    for c in clauses:
        if c.owner != owner:
            raise ValueError(f"{what} {c.id} belongs to {c.owner!r}, not to {owner!r}")
        if c.number < 1:
            raise ValueError(f"{what} {c.id}: numbers start at 1")
    if numbers != sorted(set(numbers)):
        raise ValueError(f"{what} of {owner!r} must have increasing unique numbers, got {numbers}")


@attrs.frozen(slots=True)
class Role:
    """A member role of a unit that has no clauses of its own (抄表员, 农电工)."""

    id: str
    name: Text


@attrs.frozen(slots=True, kw_only=True)
class Post:
    """A post (岗位) and its clauses.

    ``heads`` names the unit the post leads, if any; ``reports_to`` the post above it.
    """

    id: str
    name: Text
    section: int
    duties_heading: Text
    duties: tuple[Duty, ...]
    standards_heading: Text | None = None
    standards: tuple[WorkStandard, ...] = ()
    heads: str | None = None
    reports_to: str | None = None

    def __repr__(self) -> str:
        return _show.owner_repr(self)

    def _repr_html_(self) -> str:
        return _show.owner_html(self)

    def __attrs_post_init__(self) -> None:
        _check_owned(self.id, self.duties, "duties")
        _check_owned(self.id, self.standards, "work standards")

    def clauses(self) -> Iterator[Clause]:
        """Duties first, then work standards, in source order."""
        yield from self.duties
        yield from self.standards


@attrs.frozen(slots=True, kw_only=True)
class Unit:
    """A unit (客户服务室, 营业组, 配电组): its head post, member roles and duties."""

    id: str
    name: Text
    section: int
    head: str
    duties_heading: Text
    duties: tuple[Duty, ...]
    members: tuple[Role, ...] = ()
    reports_to: str | None = None

    def __repr__(self) -> str:
        return _show.owner_repr(self)

    def _repr_html_(self) -> str:
        return _show.owner_html(self)

    def __attrs_post_init__(self) -> None:
        _check_owned(self.id, self.duties, "duties")

    def clauses(self) -> Iterator[Clause]:
        """The unit's duties in source order."""
        yield from self.duties


@attrs.frozen(slots=True)
class Party:
    """Someone outside the station's posts that a clause refers to (县公司, 当地政府...)."""

    id: str
    name: Text


@attrs.frozen(slots=True)
class Section:
    """A numbered section of the source (一 to 七) and the posts and units it covers."""

    number: int
    numeral: str
    title: Text
    posts: tuple[str, ...] = ()
    units: tuple[str, ...] = ()


@attrs.frozen(slots=True, kw_only=True)
class Station:
    """The organisation: its sections, posts and units (the reference one, or a station's own)."""

    name: Text
    sections: tuple[Section, ...]
    posts: tuple[Post, ...]
    units: tuple[Unit, ...]

    def __repr__(self) -> str:
        return _show.summary(self, self.name, posts=len(self.posts), units=len(self.units))
