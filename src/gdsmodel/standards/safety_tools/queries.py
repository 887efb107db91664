"""The ledger's questions, as functions over tool states: what is due, overdue, unusable, short.

Each function takes the states of the tools (:class:`~gdsmodel.standards.safety_tools.ToolState`,
as of the day the caller chose) and returns plain values; none reads or writes a store. The
:class:`~gdsmodel.standards.safety_tools.Ledger` answers its queries (``due``, ``overdue``,
``unusable``, ``shortfall``, ``check`` with a stock-take) through them, with the states as of the
day asked; a report or another program may call them on states it has kept.

>>> import datetime
>>> from gdsmodel.standards.safety_tools.ledger import _example_ledger
>>> states = _example_ledger().tools()
>>> [x.serial for x in overdue(states, on=datetime.date(2026, 7, 7))]
['GL-1']
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Protocol

import attrs

from gdsmodel import _show
from gdsmodel.standards.safety_tools.catalogue import ToolKind
from gdsmodel.standards.safety_tools.events import Event, normal_serial
from gdsmodel.standards.safety_tools.kits import Kit, Shortfall, kits
from gdsmodel.standards.safety_tools.state import Condition, DueReason, Label, ToolState

__all__ = [
    "Card",
    "Discrepancy",
    "DiscrepancyKind",
    "Due",
    "Entry",
    "PeriodLike",
    "Sighting",
    "Unusable",
    "due",
    "overdue",
    "shortfall",
    "stock_take",
    "unusable",
]


class PeriodLike(Protocol):
    """Anything with a half-open ``[start, end)`` span, such as :class:`gdsmodel.periods.Period`.

    ``start`` and ``end`` are aware or naive datetimes (pendulum's included) or plain dates.

    >>> class Q3:
    ...     start, end = datetime.date(2026, 7, 1), datetime.date(2026, 10, 1)
    >>> from gdsmodel.standards.safety_tools.ledger import _example_ledger
    >>> due(_example_ledger().tools(), Q3())[0].due
    datetime.date(2026, 7, 6)
    """

    @property
    def start(self) -> datetime.date:
        """First moment (or day) of the span."""
        ...  # pragma: no cover

    @property
    def end(self) -> datetime.date:
        """First moment (or day) after the span."""
        ...  # pragma: no cover


@attrs.frozen(slots=True)
class Entry:
    """An event with its position (``seq``, from 1) in the ledger.

    >>> from gdsmodel.standards.safety_tools.ledger import _example_ledger
    >>> Entry(1, _example_ledger().events[0]).event.TYPE
    'registered'
    """

    seq: int
    event: Event


@attrs.frozen(slots=True, kw_only=True)
class Due:
    """A tool that needs a test: when, and why.

    For the cycle, ``due`` is the next due date on the label. For a new, repaired or recalled tool,
    ``due`` is the day the need arose: the test is due at once.

    >>> Due(serial="GL-1", kind="insulating_gloves", due=datetime.date(2026, 7, 6),
    ...     reason=DueReason.CYCLE).reason.value
    'cycle'
    """

    serial: str
    kind: str
    due: datetime.date
    reason: DueReason
    place: str = ""
    holder: str | None = None


@attrs.frozen(slots=True, kw_only=True)
class Unusable:
    """A tool that may not be used on a day, and why.

    >>> Unusable(serial="GL-1", kind="insulating_gloves", condition=Condition.SEALED,
    ...          reason="sealed for repair").reason
    'sealed for repair'
    """

    serial: str
    kind: str
    condition: Condition
    reason: str
    place: str = ""
    holder: str | None = None


@attrs.frozen(slots=True, kw_only=True)
class Card:
    """The card of one tool (一物一卡): what it is, where it stands, its label, and its history.

    >>> from gdsmodel.standards.safety_tools import Ledger
    >>> ledger = Ledger()
    >>> _ = ledger.register("PC-1", kind="phase_checker", on=datetime.date(2026, 1, 5))
    >>> card = ledger.card("PC-1")
    >>> card.state.condition.value, len(card.history), card.label
    ('untested', 1, None)
    """

    state: ToolState
    kind: ToolKind | None
    history: tuple[Entry, ...]

    def __repr__(self) -> str:
        return _show.short_repr(self)

    @property
    def label(self) -> Label | None:
        """The label of the last passing test (None before any).

        >>> from gdsmodel.standards.safety_tools.ledger import _example_ledger
        >>> _example_ledger().card("GL-1").label.next_due
        datetime.date(2026, 7, 6)
        """
        return self.state.label

    @property
    def serial(self) -> str:
        """The tool's serial number.

        >>> from gdsmodel.standards.safety_tools.ledger import _example_ledger
        >>> _example_ledger().card("GL-1").serial
        'GL-1'
        """
        return self.state.serial


class DiscrepancyKind(enum.StrEnum):
    """How ledger, item and card (帐、物、卡) can disagree.

    >>> DiscrepancyKind.MISSING_ITEM.value
    'missing_item'
    """

    LEDGER_MISMATCH = "ledger_mismatch"
    CHAIN_BROKEN = "chain_broken"
    CARD_MISMATCH = "card_mismatch"
    MISSING_ITEM = "missing_item"
    UNREGISTERED_ITEM = "unregistered_item"
    SCRAPPED_ITEM_PRESENT = "scrapped_item_present"
    ISSUED_ITEM_PRESENT = "issued_item_present"
    PLACE_MISMATCH = "place_mismatch"
    LABEL_MISMATCH = "label_mismatch"


@attrs.frozen(slots=True, kw_only=True)
class Discrepancy:
    """One disagreement found by :meth:`Ledger.check` or :func:`stock_take`.

    >>> Discrepancy(serial="GL-9", kind=DiscrepancyKind.UNREGISTERED_ITEM, detail="not in ledger")
    Discrepancy(serial='GL-9', kind=<DiscrepancyKind.UNREGISTERED_ITEM: 'unregistered_item'>, ...)
    """

    serial: str
    kind: DiscrepancyKind
    detail: str


@attrs.frozen(slots=True, kw_only=True)
class Sighting:
    """An item seen during a stock-take: its serial, where it was, the due date on its label.

    >>> Sighting(serial="GL-1", place="station").label_due is None
    True
    """

    serial: str = attrs.field(converter=normal_serial)
    place: str = ""
    label_due: datetime.date | None = None


def _as_moment(day: datetime.date, like: datetime.date) -> datetime.date:
    """The start of ``day`` in the form of ``like`` (an aware or naive datetime, or a date)."""
    if isinstance(like, datetime.datetime):
        return datetime.datetime.combine(day, datetime.time(), tzinfo=like.tzinfo)
    return day


def _in_period(day: datetime.date, period: PeriodLike) -> bool:
    start, end = period.start, period.end
    return start <= _as_moment(day, start) and _as_moment(day, end) < end


def _before_end(day: datetime.date, period: PeriodLike) -> bool:
    return _as_moment(day, period.end) < period.end


def _memo(fn: Callable[[datetime.date], bool]) -> Callable[[datetime.date], bool]:
    """``fn`` asked once per day."""
    seen: dict[datetime.date, bool] = {}

    def memo(day: datetime.date) -> bool:
        try:
            return seen[day]
        except KeyError:
            answer = seen[day] = fn(day)
            return answer

    return memo


def due(states: Iterable[ToolState], period: PeriodLike) -> tuple[Due, ...]:
    """Tools whose test falls due in ``period`` (half-open ``[start, end)``), by date.

    A day counts when its first moment is in the period. Listed: serviceable tools whose label
    date falls in it, and tools needing a test at once (new, repaired, recalled) if the need
    arose before the period ends, and defective tools in doubt (a defect found, a failed check;
    test them or seal them).

    >>> import pendulum
    >>> class July:  # any object with .start and .end, such as gdsmodel.periods.Period
    ...     start = pendulum.datetime(2026, 7, 1, tz="Asia/Shanghai")
    ...     end = pendulum.datetime(2026, 8, 1, tz="Asia/Shanghai")
    >>> from gdsmodel.standards.safety_tools.ledger import _example_ledger
    >>> [(x.serial, x.due.isoformat()) for x in due(_example_ledger().tools(), July())]
    [('GL-1', '2026-07-06')]
    """
    out: list[Due] = []
    # Many tools share a day: ask the period about each day once.
    in_period = _memo(lambda day: _in_period(day, period))
    before_end = _memo(lambda day: _before_end(day, period))
    for s in states:
        if s.condition is Condition.SCRAPPED:
            continue
        day = s.due
        if day is not None and in_period(day):
            out.append(_due(s, day, DueReason.CYCLE))
        need = s.needs_test
        if need is not None:
            since = s.test_required_since or s.registered_on
            if before_end(since):
                out.append(_due(s, since, need))
    return tuple(sorted(out, key=lambda d: (d.due, d.serial)))


def overdue(states: Iterable[ToolState], *, on: datetime.date) -> tuple[Due, ...]:
    """Serviceable tools whose label date is before ``on``, by date (``states`` as of ``on``).

    >>> from gdsmodel.standards.safety_tools.ledger import _example_ledger
    >>> [x.serial for x in overdue(_example_ledger().tools(), on=datetime.date(2026, 7, 6))]
    []
    """
    out = [
        _due(s, s.due, DueReason.CYCLE) for s in states if s.due is not None and s.is_overdue(on)
    ]
    return tuple(sorted(out, key=lambda d: (d.due, d.serial)))


def unusable(states: Iterable[ToolState], *, on: datetime.date) -> tuple[Unusable, ...]:
    """Tools (not scrapped) that may not be used on ``on``, with the reason (``states`` as of
    ``on``), in the order given.

    >>> from gdsmodel.standards.safety_tools.ledger import _example_ledger
    >>> [(x.serial, x.reason) for x in unusable(_example_ledger().tools(),
    ...                                         on=datetime.date(2026, 7, 7))]
    [('GL-1', 'overdue: its test was due on 2026-07-06')]
    """
    out: list[Unusable] = []
    for s in states:
        reason = s.why_unusable(on)
        if reason is None or s.condition is Condition.SCRAPPED:
            continue
        out.append(
            Unusable(
                serial=s.serial,
                kind=s.kind,
                condition=s.condition,
                reason=reason,
                place=s.place,
                holder=s.holder,
            )
        )
    return tuple(out)


def stock_take(
    states: Mapping[str, ToolState], seen: Iterable[Sighting]
) -> tuple[Discrepancy, ...]:
    """What a stock-take finds against the tools' ``states`` (帐物相符): tools in store not
    seen, items unknown or scrapped, issued tools seen in store, places and label dates that
    differ.

    >>> from gdsmodel.standards.safety_tools.ledger import _example_ledger
    >>> states = {s.serial: s for s in _example_ledger().tools()}
    >>> [d.kind.value for d in stock_take(states, [Sighting(serial="GL-X")])]
    ['missing_item', 'unregistered_item']
    """
    seen = list(seen)
    out: list[Discrepancy] = []
    k = DiscrepancyKind
    sighted = {s.serial: s for s in seen}
    for serial, st in states.items():
        if st.condition is Condition.SCRAPPED or st.holder is not None or serial in sighted:
            continue
        out.append(
            Discrepancy(
                serial=serial,
                kind=k.MISSING_ITEM,
                detail=f"in store at {st.place or '(no place)'} by the ledger, but not seen",
            )
        )
    for s in seen:
        st_ = states.get(s.serial)
        if st_ is None:
            out.append(
                Discrepancy(serial=s.serial, kind=k.UNREGISTERED_ITEM, detail="not in the ledger")
            )
            continue
        if st_.condition is Condition.SCRAPPED:
            out.append(
                Discrepancy(
                    serial=s.serial,
                    kind=k.SCRAPPED_ITEM_PRESENT,
                    detail="scrapped, but still here",
                )
            )
            continue
        if st_.holder is not None and s.place:
            out.append(
                Discrepancy(
                    serial=s.serial,
                    kind=k.ISSUED_ITEM_PRESENT,
                    detail=f"issued to {st_.holder} by the ledger, but seen at {s.place}",
                )
            )
        elif s.place and s.place != st_.place:
            out.append(
                Discrepancy(
                    serial=s.serial,
                    kind=k.PLACE_MISMATCH,
                    detail=f"seen at {s.place}, the ledger says {st_.place or '(no place)'}",
                )
            )
        ledger_due = st_.label.next_due if st_.label is not None else None
        if s.label_due is not None and s.label_due != ledger_due:
            shown = ledger_due.isoformat() if ledger_due else "no label"
            out.append(
                Discrepancy(
                    serial=s.serial,
                    kind=k.LABEL_MISMATCH,
                    detail=f"label says due {s.label_due.isoformat()}, the ledger {shown}",
                )
            )
    return tuple(out)


def shortfall(
    states: Iterable[ToolState], *, on: datetime.date, kits: Sequence[Kit] | None = None
) -> tuple[Shortfall, ...]:
    """What each kit lacks on ``on`` (缺的补齐): missing or unusable tools against its need.

    ``kits`` defaults to the example kits shipped with gdsmodel. A tool counts for a kit when
    its place is the kit's ID; items naming a rating are filled first, then the others.
    ``states`` are the tools as of ``on`` (see :meth:`Ledger.shortfall`).

    >>> from gdsmodel.standards.safety_tools.kits import Kit, KitItem, Holder
    >>> from gdsmodel.sources import Confidence, Source
    >>> from gdsmodel.text import Text
    >>> need = Kit(id="station", holder=Holder.STATION, name=Text("所"), source=Source("x"),
    ...            confidence=Confidence.M, items=(KitItem(kind="insulating_gloves", count=2),))
    >>> from gdsmodel.standards.safety_tools.ledger import _example_ledger
    >>> [(s.kind, s.usable, s.missing) for s in shortfall(
    ...     _example_ledger().tools(), on=datetime.date(2026, 2, 1), kits=[need])]
    [('insulating_gloves', 1, 1)]
    """
    wanted = _default_kits() if kits is None else kits
    in_service = [s for s in states if s.condition is not Condition.SCRAPPED]
    out: list[Shortfall] = []
    for kit in wanted:
        taken: set[str] = set()
        here = [s for s in in_service if s.place == kit.id]
        found: dict[int, Shortfall] = {}
        order = sorted(range(len(kit.items)), key=lambda i: kit.items[i].rating == "")
        for index in order:
            item = kit.items[index]
            pool = [
                s
                for s in here
                if s.kind == item.kind
                and (not item.rating or s.rating == item.rating)
                and s.serial not in taken
            ]
            usable = [s for s in pool if s.is_usable(on)][: item.count]
            taken.update(s.serial for s in usable)
            bad = tuple(s.serial for s in pool if not s.is_usable(on))
            if len(usable) < item.count:
                found[index] = Shortfall(
                    kit=kit.id,
                    kind=item.kind,
                    rating=item.rating,
                    required=item.count,
                    usable=len(usable),
                    unusable=bad,
                )
        out.extend(found[i] for i in sorted(found))
    return tuple(out)


def _default_kits() -> tuple[Kit, ...]:
    return kits()


def _due(s: ToolState, day: datetime.date, reason: DueReason) -> Due:
    return Due(serial=s.serial, kind=s.kind, due=day, reason=reason, place=s.place, holder=s.holder)
