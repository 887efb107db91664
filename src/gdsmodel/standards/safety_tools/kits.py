"""Kit requirements (按需配备): which tools a station, team or vehicle must hold.

A kit lists kinds (optionally of one rating) and how many usable tools of each it needs. A tool
counts towards a kit when its ``place`` in the ledger is the kit's ``id``. The shipped file
``data/kits.toml`` is an example of the format, not a rule; a station loads its own with
:func:`load_kits`. The ledger's ``shortfall`` compares the two (缺的补齐).

>>> [k.id for k in kits()]
['station', 'team-distribution', 'vehicle-1']
>>> kits()[0].items[0]
KitItem(kind='electroscope', rating='10kV', count=2)
"""

from __future__ import annotations

import enum
import functools
from importlib import resources
from pathlib import Path

import attrs

from gdsmodel import _show
from gdsmodel.datafiles import parse_toml, read_text
from gdsmodel.errors import DataFileError, InputError, NotFoundError
from gdsmodel.serialize import structure
from gdsmodel.sources import Confidence, Source
from gdsmodel.standards.safety_tools.catalogue import Catalogue, default_catalogue
from gdsmodel.text import Text

__all__ = ["Holder", "Kit", "KitItem", "Shortfall", "kits", "load_kits"]

_DATA_FILE = "kits.toml"


class Holder(enum.StrEnum):
    """Who holds a kit.

    >>> Holder("vehicle").name
    'VEHICLE'
    """

    STATION = "station"
    TEAM = "team"
    VEHICLE = "vehicle"


def _positive(_: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InputError("must be a whole number of at least 1", name=attribute.name, value=value)


@attrs.frozen(slots=True, kw_only=True)
class KitItem:
    """One line of a kit: a kind, optionally of one rating, and the number of usable tools needed.

    >>> KitItem(kind="earthing_set", count=4).rating
    ''
    """

    kind: str
    rating: str = ""
    count: int = attrs.field(validator=_positive)


@attrs.frozen(slots=True, kw_only=True)
class Kit:
    """The requirement of one station, team or vehicle.

    >>> kits()[2].holder.value, kits()[2].name.zh
    ('vehicle', '抢修车')
    """

    id: str
    holder: Holder
    name: Text
    items: tuple[KitItem, ...]
    source: Source
    confidence: Confidence
    notes: str = ""

    def __repr__(self) -> str:
        return _show.short_repr(self)


@attrs.frozen(slots=True, kw_only=True)
class Shortfall:
    """What a kit lacks for one item: how many usable tools it has against how many it needs.

    ``unusable`` lists the serials placed in the kit that count for nothing now (overdue,
    defective, sealed, untested...).

    >>> Shortfall(kit="vehicle-1", kind="earthing_set", rating="", required=2, usable=1,
    ...           unusable=("ES-3",)).missing
    1
    """

    kit: str
    kind: str
    rating: str
    required: int
    usable: int
    unusable: tuple[str, ...] = ()

    @property
    def missing(self) -> int:
        """How many usable tools must be added (or brought back into use).

        >>> Shortfall(kit="k", kind="safety_belt", rating="", required=3, usable=5).missing
        0
        """
        return max(0, self.required - self.usable)


@attrs.frozen(slots=True, kw_only=True)
class _RawItem:
    kind: str
    rating: str = ""
    count: int


@attrs.frozen(slots=True, kw_only=True)
class _RawKit:
    id: str
    holder: Holder
    name: Text
    confidence: Confidence
    source: Source
    notes: str = ""
    items: list[_RawItem] = attrs.field(factory=list)


@attrs.frozen(slots=True, kw_only=True)
class _RawKits:
    kits: list[_RawKit]


def _parse(text: str, file: str, catalogue: Catalogue) -> tuple[Kit, ...]:
    data = parse_toml(text, file=file)
    raw = structure(data, _RawKits, file=file)
    out: list[Kit] = []
    seen: set[str] = set()
    for i, k in enumerate(raw.kits):
        if not k.id.strip():
            raise DataFileError("a kit needs an id", file=file, path=f"kits[{i}].id")
        if k.id in seen:
            raise DataFileError(f"kit {k.id!r} repeats", file=file, path=f"kits[{i}].id")
        seen.add(k.id)
        items: list[KitItem] = []
        for j, item in enumerate(k.items):
            path = f"kits[{i}].items[{j}]"
            try:
                kind = catalogue.kind(item.kind)
            except NotFoundError as exc:
                raise DataFileError(str(exc), file=file, path=f"{path}.kind") from None
            try:
                if item.rating:
                    kind.check_rating(item.rating)
                items.append(KitItem(kind=item.kind, rating=item.rating, count=item.count))
            except InputError as exc:
                field = "rating" if exc.name == "rating" else "count"
                raise DataFileError(str(exc), file=file, path=f"{path}.{field}") from None
        out.append(
            Kit(
                id=k.id,
                holder=k.holder,
                name=k.name,
                items=tuple(items),
                source=k.source,
                confidence=k.confidence,
                notes=k.notes,
            )
        )
    return tuple(out)


@functools.cache
def kits() -> tuple[Kit, ...]:
    """The example kits shipped with gdsmodel (an illustration of the format, not a rule).

    >>> kits()[1].confidence.value
    'L'
    """
    text = (resources.files(__package__) / "data" / _DATA_FILE).read_text(encoding="utf-8")
    return _parse(text, _DATA_FILE, default_catalogue())


def load_kits(path: str | Path, *, catalogue: Catalogue | None = None) -> tuple[Kit, ...]:
    """A station's own kit file; kinds and ratings are checked against ``catalogue``.

    A bad file raises :class:`~gdsmodel.errors.DataFileError` naming the file and the path.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path((tmp := tempfile.TemporaryDirectory()).name) / "kits.toml"
    >>> _ = p.write_text('''
    ... [[kits]]
    ... id = "team-1"
    ... holder = "team"
    ... name = { zh = "一班", en = "team 1" }
    ... confidence = "M"
    ... source = { document = "Station kit list 2026" }
    ... items = [ { kind = "safety_belt", count = 3 } ]
    ... ''', encoding="utf-8")
    >>> load_kits(p)[0].items
    (KitItem(kind='safety_belt', rating='', count=3),)
    """
    return _parse(read_text(path), str(path), catalogue or default_catalogue())
