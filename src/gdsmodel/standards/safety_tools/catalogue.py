"""The catalogue of safety-tool kinds: what each kind is and when it must be tested.

The facts live in the package data file ``data/tool_kinds.toml`` (the source of truth), one entry
per kind with a rule per edition of the test code: DL/T 1476-2015 by default, the 2002 predecessor
rules as a second edition. A station switches edition, or overrides and extends the kinds, with its
own TOML file (:func:`load_tool_kinds`).

>>> kind = tool_kind("insulating_gloves")
>>> kind.name.zh, format_interval(kind.test_interval), kind.confidence.value
('绝缘手套', 'P6M', 'H')
>>> format_interval(tool_kind("safety_belt", edition="rules-2002").test_interval)
'P6M'
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Iterator, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import attrs
import pendulum

from gdsmodel import _show
from gdsmodel.datafiles import parse_toml, read_text
from gdsmodel.errors import DataFileError, InputError, NotFoundError
from gdsmodel.serialize import structure
from gdsmodel.sources import Confidence, Source
from gdsmodel.text import Text

__all__ = [
    "STATION_EDITION",
    "Catalogue",
    "Category",
    "Edition",
    "TestSpec",
    "ToolKind",
    "default_catalogue",
    "editions",
    "format_interval",
    "load_tool_kinds",
    "parse_interval",
    "tool_kind",
    "tool_kinds",
]

#: The ``edition`` of a kind whose rule was set by a station's own file.
STATION_EDITION = "station"

_DATA_FILE = "tool_kinds.toml"
_ISO_INTERVAL = re.compile(r"P(?:(\d+)Y)?(?:(\d+)M)?")


class Category(enum.StrEnum):
    """gdsmodel's own grouping of tool kinds, for display and kits (not quoted from a standard).

    >>> Category("climbing").name
    'CLIMBING'
    """

    INSULATING = "insulating"
    EARTHING = "earthing"
    CLIMBING = "climbing"
    PERSONAL_PROTECTIVE = "personal_protective"


@attrs.frozen(slots=True, kw_only=True)
class Edition:
    """An edition of the test code a catalogue can follow.

    >>> [e.id for e in editions()]
    ['dlt1476-2015', 'rules-2002']
    """

    id: str
    document: str
    edition: str
    title: Text
    notes: str = ""

    def __repr__(self) -> str:
        return _show.short_repr(self)

    @property
    def source(self) -> Source:
        """The edition as a :class:`~gdsmodel.sources.Source`.

        >>> str(editions()[0].source)
        'DL/T 1476-2015'
        """
        return Source(self.document, edition=self.edition)


@attrs.frozen(slots=True, kw_only=True)
class TestSpec:
    """One test of a kind with the values seen for it (text with units; empty when not recorded).

    >>> spec = tool_kind("insulating_gloves").tests_for("high_voltage")[0]
    >>> spec.applied, spec.duration, spec.limit
    ('8 kV', '1 min', 'leakage current ≤ 9 mA')
    """

    __test__ = False  # not a pytest test class

    name: Text
    rating: str = ""
    applied: str = ""
    duration: str = ""
    limit: str = ""
    confidence: Confidence
    notes: str = ""


@attrs.frozen(slots=True, kw_only=True)
class ToolKind:
    """A kind of safety tool as one edition (or a station's file) rules it.

    ``test_interval`` is the test cycle as a pendulum Duration in years and months; a kind with a
    ``service_life`` (helmets) has no cycle within its life, and ``after_service_life_interval``
    applies after it.

    >>> helmet = tool_kind("safety_helmet")
    >>> helmet.test_interval is None, format_interval(helmet.service_life["plastic"])
    (True, 'P2Y6M')
    """

    id: str
    name: Text
    category: Category
    ratings: tuple[str, ...] = ()
    test_interval: pendulum.Duration | None = None
    service_life: Mapping[str, pendulum.Duration] = attrs.field(factory=dict, hash=False)
    after_service_life_interval: pendulum.Duration | None = None
    visual_check_interval: pendulum.Duration | None = None
    tests: tuple[TestSpec, ...] = ()
    edition: str
    source: Source
    confidence: Confidence
    notes: str = ""

    def __repr__(self) -> str:
        return _show.short_repr(self)

    def tests_for(self, rating: str = "") -> tuple[TestSpec, ...]:
        """The tests that apply to a tool of this rating (all tests without a rating, too).

        >>> [t.applied for t in tool_kind("electroscope").tests_for("35kV")]
        ['95 kV']
        """
        return tuple(t for t in self.tests if not t.rating or not rating or t.rating == rating)

    def check_rating(self, rating: str) -> str:
        """Return ``rating`` if a tool of this kind may have it, else raise InputError.

        >>> tool_kind("electroscope").check_rating("10kV")
        '10kV'
        >>> tool_kind("electroscope").check_rating("20kV")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        gdsmodel.errors.InputError: rating='20kV': not a rating of kind 'electroscope'
        (allowed: ...)
        """
        if self.ratings and rating not in self.ratings:
            raise InputError(
                f"not a rating of kind {self.id!r}",
                name="rating",
                value=rating,
                allowed=", ".join(self.ratings),
            )
        return rating

    @property
    def interval_text(self) -> str:
        """The test cycle, or the service life, for people.

        >>> tool_kind("earthing_set").interval_text
        '5 years'
        >>> tool_kind("safety_helmet").interval_text  # doctest: +ELLIPSIS
        'service life: woven 2 years, plastic 2 years 6 months, ...; then every 1 year'
        """
        if self.test_interval is not None:
            return str(self.test_interval)
        lives = ", ".join(f"{k} {v}" for k, v in self.service_life.items())
        after = self.after_service_life_interval
        return f"service life: {lives}" + (f"; then every {after}" if after is not None else "")


@attrs.frozen(slots=True)
class Catalogue:
    """The tool kinds in force for a ledger: one edition, plus any station files applied.

    >>> cat = default_catalogue()
    >>> cat.edition, len(cat), "electroscope" in cat
    ('dlt1476-2015', 16, True)
    """

    edition: str
    kinds: tuple[ToolKind, ...]
    files: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return _show.short_repr(self)

    def kind(self, id: str) -> ToolKind:
        """The kind with this ID, or :class:`~gdsmodel.errors.NotFoundError`.

        >>> default_catalogue().kind("phase_checker").name.en
        'phase checker'
        """
        for k in self.kinds:
            if k.id == id:
                return k
        raise NotFoundError("tool kind", id, self.ids())

    def ids(self) -> tuple[str, ...]:
        """The kind IDs in catalogue order.

        >>> default_catalogue().ids()[:2]
        ('insulating_gloves', 'insulating_boots')
        """
        return tuple(k.id for k in self.kinds)

    def __iter__(self) -> Iterator[ToolKind]:
        return iter(self.kinds)

    def __len__(self) -> int:
        return len(self.kinds)

    def __contains__(self, id: object) -> bool:
        return any(k.id == id for k in self.kinds)


# ----------------------------------------------------------------------------- intervals


def parse_interval(text: str) -> pendulum.Duration:
    """Parse an ISO 8601 duration in years and months (``P6M``, ``P1Y``, ``P2Y6M``).

    >>> parse_interval("P2Y6M")
    Duration(years=2, months=6)
    >>> parse_interval("6 months")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    gdsmodel.errors.InputError: interval='6 months': not an interval in years and months ...
    """
    m = _ISO_INTERVAL.fullmatch(text) if isinstance(text, str) else None
    if m is None or (m.group(1) is None and m.group(2) is None):
        raise InputError(
            "not an interval in years and months",
            name="interval",
            value=text,
            allowed='ISO 8601 years and months such as "P6M", "P1Y", "P2Y6M"',
        )
    years, months = int(m.group(1) or 0), int(m.group(2) or 0)
    if years == 0 and months == 0:
        raise InputError("an interval must be longer than zero", name="interval", value=text)
    return pendulum.duration(years=years, months=months)


def format_interval(interval: pendulum.Duration | None) -> str:
    """The ISO 8601 form of an interval in years and months ('' for None).

    >>> format_interval(pendulum.duration(months=18))
    'P1Y6M'
    """
    if interval is None:
        return ""
    months = interval.years * 12 + interval.months
    y, m = divmod(months, 12)
    return "P" + (f"{y}Y" if y else "") + (f"{m}M" if m else "")


# ----------------------------------------------------------------------------- raw file schema


@attrs.frozen(slots=True, kw_only=True)
class _RawTest:
    name: Text
    rating: str = ""
    applied: str = ""
    duration: str = ""
    limit: str = ""
    confidence: Confidence
    notes: str = ""


@attrs.frozen(slots=True, kw_only=True)
class _RawRule:
    confidence: Confidence
    clause: str = ""
    test_interval: str | None = None
    service_life: dict[str, str] = attrs.field(factory=dict)
    after_service_life_interval: str | None = None
    visual_check_interval: str | None = None
    tests: list[_RawTest] = attrs.field(factory=list)
    notes: str = ""


@attrs.frozen(slots=True, kw_only=True)
class _RawKind:
    id: str
    name: Text
    category: Category
    ratings: tuple[str, ...] = ()
    rules: dict[str, _RawRule]


@attrs.frozen(slots=True, kw_only=True)
class _RawEdition:
    id: str
    document: str
    edition: str
    title: Text
    notes: str = ""


@attrs.frozen(slots=True, kw_only=True)
class _RawCatalogue:
    default_edition: str
    editions: list[_RawEdition]
    kinds: list[_RawKind]


@attrs.frozen(slots=True, kw_only=True)
class _RawStationKind:
    id: str
    source: Source
    confidence: Confidence
    name: Text | None = None
    category: Category | None = None
    ratings: tuple[str, ...] | None = None
    test_interval: str | None = None
    service_life: dict[str, str] | None = None
    after_service_life_interval: str | None = None
    visual_check_interval: str | None = None
    tests: list[_RawTest] | None = None
    notes: str = ""


@attrs.frozen(slots=True, kw_only=True)
class _RawStationFile:
    edition: str | None = None
    kinds: list[_RawStationKind] = attrs.field(factory=list)


def _read_toml(text: str, file: str) -> dict[str, Any]:
    return parse_toml(text, file=file)


def _interval(text: str | None, file: str, path: str) -> pendulum.Duration | None:
    if text is None:
        return None
    try:
        return parse_interval(text)
    except InputError as exc:
        raise DataFileError(str(exc), file=file, path=path) from None


def _test(raw: _RawTest) -> TestSpec:
    return TestSpec(
        name=raw.name,
        rating=raw.rating,
        applied=raw.applied,
        duration=raw.duration,
        limit=raw.limit,
        confidence=raw.confidence,
        notes=raw.notes,
    )


def _validate_kind(kind: ToolKind, file: str, path: str) -> None:
    """Checks shared by the package file and station files."""
    if not kind.id or not re.fullmatch(r"[a-z][a-z0-9_]*", kind.id):
        raise DataFileError(
            f"kind ID {kind.id!r} is not allowed (lower-case letters, digits and _)",
            file=file,
            path=f"{path}.id",
        )
    if len(set(kind.ratings)) != len(kind.ratings):
        raise DataFileError("ratings repeat", file=file, path=f"{path}.ratings")
    if kind.test_interval is None and not kind.service_life:
        raise DataFileError(
            "a kind needs a test_interval or a service_life",
            file=file,
            path=f"{path}.test_interval",
        )
    if kind.test_interval is not None and kind.service_life:
        raise DataFileError(
            "a kind has either a test_interval or a service_life, not both",
            file=file,
            path=f"{path}.service_life",
        )
    if kind.service_life and set(kind.service_life) != set(kind.ratings):
        raise DataFileError(
            f"service_life must give one life per rating: {', '.join(kind.ratings) or '(none)'}",
            file=file,
            path=f"{path}.service_life",
        )
    if kind.after_service_life_interval is not None and not kind.service_life:
        raise DataFileError(
            "after_service_life_interval needs a service_life",
            file=file,
            path=f"{path}.after_service_life_interval",
        )
    for i, t in enumerate(kind.tests):
        if t.rating and kind.ratings and t.rating not in kind.ratings:
            raise DataFileError(
                f"rating {t.rating!r} is not one of the kind's ratings: {', '.join(kind.ratings)}",
                file=file,
                path=f"{path}.tests[{i}].rating",
            )


def _service_life(raw: Mapping[str, str], file: str, path: str) -> dict[str, pendulum.Duration]:
    out: dict[str, pendulum.Duration] = {}
    for key, text in raw.items():
        life = _interval(text, file, f"{path}.{key}")
        assert life is not None
        out[key] = life
    return out


def _parse_catalogue(text: str, file: str) -> tuple[tuple[Edition, ...], str, _RawCatalogue]:
    raw = structure(_read_toml(text, file), _RawCatalogue, file=file)
    eds = tuple(
        Edition(id=e.id, document=e.document, edition=e.edition, title=e.title, notes=e.notes)
        for e in raw.editions
    )
    ids = [e.id for e in eds]
    if raw.default_edition not in ids:
        raise DataFileError(
            f"default_edition {raw.default_edition!r} is not one of: {', '.join(ids)}",
            file=file,
            path="default_edition",
        )
    seen: set[str] = set()
    for i, k in enumerate(raw.kinds):
        if k.id in seen:
            raise DataFileError(f"kind {k.id!r} repeats", file=file, path=f"kinds[{i}].id")
        seen.add(k.id)
        for ed in k.rules:
            if ed not in ids:
                raise DataFileError(
                    f"unknown edition {ed!r}; known: {', '.join(ids)}",
                    file=file,
                    path=f"kinds[{i}].rules.{ed}",
                )
        if raw.default_edition not in k.rules:
            raise DataFileError(
                f"every kind needs a rule for the default edition {raw.default_edition!r}",
                file=file,
                path=f"kinds[{i}].rules",
            )
    return eds, raw.default_edition, raw


def _resolve(
    raw: _RawCatalogue, eds: tuple[Edition, ...], edition: str, file: str
) -> tuple[ToolKind, ...]:
    by_id = {e.id: e for e in eds}
    kinds: list[ToolKind] = []
    for i, k in enumerate(raw.kinds):
        used = edition if edition in k.rules else raw.default_edition
        rule = k.rules[used]
        path = f"kinds[{i}].rules.{used}"
        ed = by_id[used]
        note = "" if used == edition else f"no separate value recorded for edition {edition}"
        kind = ToolKind(
            id=k.id,
            name=k.name,
            category=k.category,
            ratings=tuple(k.ratings),
            test_interval=_interval(rule.test_interval, file, f"{path}.test_interval"),
            service_life=_service_life(rule.service_life, file, f"{path}.service_life"),
            after_service_life_interval=_interval(
                rule.after_service_life_interval, file, f"{path}.after_service_life_interval"
            ),
            visual_check_interval=_interval(
                rule.visual_check_interval, file, f"{path}.visual_check_interval"
            ),
            tests=tuple(_test(t) for t in rule.tests),
            edition=used,
            source=Source(ed.document, edition=ed.edition, clause=rule.clause, note=note),
            confidence=rule.confidence,
            notes=rule.notes,
        )
        _validate_kind(kind, file, f"kinds[{i}]")
        kinds.append(kind)
    return tuple(kinds)


@functools.cache
def _package_data() -> tuple[tuple[Edition, ...], str, _RawCatalogue]:
    text = (resources.files(__package__) / "data" / _DATA_FILE).read_text(encoding="utf-8")
    return _parse_catalogue(text, _DATA_FILE)


def editions() -> tuple[Edition, ...]:
    """The editions of the test code the shipped data covers, default first.

    >>> editions()[1].edition
    '2002'
    """
    eds, default, _ = _package_data()
    return tuple(sorted(eds, key=lambda e: e.id != default))


def _check_edition(edition: str | None) -> str:
    eds, default, _ = _package_data()
    if edition is None:
        return default
    ids = [e.id for e in eds]
    if edition not in ids:
        raise NotFoundError("edition", edition, ids)
    return edition


@functools.cache
def _default_catalogue(edition: str) -> Catalogue:
    eds, _, raw = _package_data()
    return Catalogue(edition, _resolve(raw, eds, edition, _DATA_FILE))


def default_catalogue(edition: str | None = None) -> Catalogue:
    """The shipped catalogue for one edition (DL/T 1476-2015 when ``edition`` is None).

    >>> default_catalogue("rules-2002").kind("climbing_board").source.edition
    '2002'
    >>> default_catalogue("rules-2002").kind("insulating_gloves").source.edition
    '2015'
    """
    return _default_catalogue(_check_edition(edition))


def tool_kinds(edition: str | None = None) -> tuple[ToolKind, ...]:
    """Every shipped tool kind, as the given edition (default DL/T 1476-2015) rules it.

    >>> [k.id for k in tool_kinds()][-2:]
    ['safety_belt', 'safety_helmet']
    """
    return default_catalogue(edition).kinds


def tool_kind(id: str, edition: str | None = None) -> ToolKind:
    """One shipped tool kind; an unknown ID raises :class:`~gdsmodel.errors.NotFoundError`.

    >>> str(tool_kind("insulating_ladder").test_interval)
    '6 months'
    """
    return default_catalogue(edition).kind(id)


def load_tool_kinds(
    path: str | Path, *, base: Catalogue | None = None, edition: str | None = None
) -> Catalogue:
    """A catalogue with a station's own kinds file applied over the shipped one.

    The file may name the ``edition`` to follow and lists ``[[kinds]]``. An entry whose ``id`` is
    a known kind replaces the fields it gives (a ``test_interval`` replaces a service life and the
    reverse); a new ``id`` adds a kind and needs ``name``, ``category`` and an interval or a
    service life. Every entry names its ``source`` and ``confidence``. A bad file raises
    :class:`~gdsmodel.errors.DataFileError` naming the file and the path inside it.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path((tmp := tempfile.TemporaryDirectory()).name)
    >>> _ = (d / "station.toml").write_text('''
    ... [[kinds]]
    ... id = "insulating_mat"
    ... test_interval = "P6M"
    ... source = { document = "Station rule 12", clause = "3.2" }
    ... confidence = "M"
    ... ''', encoding="utf-8")
    >>> cat = load_tool_kinds(d / "station.toml")
    >>> str(cat.kind("insulating_mat").test_interval), cat.kind("insulating_mat").edition
    ('6 months', 'station')
    """
    file = str(path)
    raw = structure(_read_toml(read_text(path), file), _RawStationFile, file=file)
    if base is None:
        try:
            base = default_catalogue(edition or raw.edition)
        except NotFoundError as exc:
            raise DataFileError(str(exc), file=file, path="edition") from None
    kinds = {k.id: k for k in base.kinds}
    order = list(kinds)
    seen: set[str] = set()
    for i, entry in enumerate(raw.kinds):
        path_i = f"kinds[{i}]"
        if entry.id in seen:
            raise DataFileError(f"kind {entry.id!r} repeats", file=file, path=f"{path_i}.id")
        seen.add(entry.id)
        kinds[entry.id] = _apply_station_entry(kinds.get(entry.id), entry, file, path_i)
        if entry.id not in order:
            order.append(entry.id)
    return Catalogue(base.edition, tuple(kinds[i] for i in order), (*base.files, file))


def _apply_station_entry(
    old: ToolKind | None, entry: _RawStationKind, file: str, path: str
) -> ToolKind:
    if old is None:
        for field in ("name", "category"):
            if getattr(entry, field) is None:
                raise DataFileError(
                    f"new kind {entry.id!r} needs a {field}", file=file, path=f"{path}.{field}"
                )
    interval = _interval(entry.test_interval, file, f"{path}.test_interval")
    life = (
        None
        if entry.service_life is None
        else _service_life(entry.service_life, file, f"{path}.service_life")
    )
    after = _interval(
        entry.after_service_life_interval, file, f"{path}.after_service_life_interval"
    )
    visual = _interval(entry.visual_check_interval, file, f"{path}.visual_check_interval")
    if old is not None and interval is None and life is None:
        interval, life = old.test_interval, dict(old.service_life)
        after = after if after is not None else old.after_service_life_interval
    name = entry.name if entry.name is not None else old.name if old else Text("")
    category = entry.category or (old.category if old else Category.INSULATING)
    kind = ToolKind(
        id=entry.id,
        name=name,
        category=category,
        ratings=tuple(entry.ratings) if entry.ratings is not None else old.ratings if old else (),
        test_interval=interval,
        service_life=life or {},
        after_service_life_interval=after,
        visual_check_interval=visual
        if visual is not None
        else (old.visual_check_interval if old else None),
        tests=tuple(_test(t) for t in entry.tests)
        if entry.tests is not None
        else (old.tests if old else ()),
        edition=STATION_EDITION,
        source=entry.source,
        confidence=entry.confidence,
        notes=entry.notes,
    )
    _validate_kind(kind, file, path)
    return kind
