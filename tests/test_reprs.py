"""Objects show themselves: every public class has a short repr, the ones people look at an
escaped, bilingual ``_repr_html_`` that parses as HTML."""

from __future__ import annotations

import collections.abc as cabc
import contextlib
import datetime
import doctest
import enum
import html.parser
import importlib
import inspect
import io
import pkgutil
import shutil
import tomllib
from fractions import Fraction
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gdsmodel
from gdsmodel.linked.crosswalk import load_crosswalk, load_occupations
from gdsmodel.metrics import load_registry, metric
from gdsmodel.metrics.areas.labels import area_labels
from gdsmodel.metrics.areas.rules import load_area_rules
from gdsmodel.metrics.assessment import default_scheme
from gdsmodel.metrics.ratio import Direction, KpiResult, Ratio, Target
from gdsmodel.metrics.reactive import power_factor_data
from gdsmodel.metrics.reliability.conventions import load_conventions
from gdsmodel.organisation.assessment import default_person_scheme
from gdsmodel.organisation.files import load_organisation
from gdsmodel.organisation.responsibility import Band, default_rules
from gdsmodel.organisation.staff import default_catalogue as staff_catalogue
from gdsmodel.organisation.targets import default_target_rules
from gdsmodel.periods import Day, Month, Quarter, Year
from gdsmodel.report import build_report, load_station
from gdsmodel.report.layout import build_document
from gdsmodel.roles.model import Duty
from gdsmodel.sources import Confidence, Source
from gdsmodel.standards.calendar import default_calendar_config
from gdsmodel.standards.editions import load_changelog
from gdsmodel.standards.glossary import Term
from gdsmodel.standards.safety_tools import PRINCIPLES, Ledger, default_catalogue, kits
from gdsmodel.standards.safety_tools.ledger import _example_ledger
from gdsmodel.text import Text

STATION = Path(__file__).parents[1] / "examples" / "station"
LIMIT = 300


def _public_classes() -> dict[str, type]:
    """Every class defined in a gdsmodel module that is public: in ``__all__``, or an attrs
    class with a public name (enums and errors aside: their reprs are the standard ones;
    protocols too: they are types to check against, with no instances of their own)."""
    out: dict[str, type] = {}
    for info in pkgutil.walk_packages(gdsmodel.__path__, "gdsmodel."):
        if info.name.startswith("gdsmodel.cli") or info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        names = getattr(module, "__all__", None)
        for name, value in vars(module).items():
            if not inspect.isclass(value) or name.startswith("_"):
                continue
            if value.__module__ != module.__name__:
                continue
            if names is not None and name not in names and not attrs.has(value):
                continue
            if issubclass(value, enum.Enum | BaseException):
                continue
            if getattr(value, "_is_protocol", False):
                continue
            out[f"{value.__module__}.{value.__qualname__}"] = value
    return out


PER_CLASS = 200
"""The instances of one class kept (and their reprs checked): the first ones found."""


def _collect(obj: object, pool: dict[type, list[object]], seen: set[int], depth: int = 0) -> None:
    """The instances of every gdsmodel class reachable from ``obj`` (attrs fields,
    collections), up to :data:`PER_CLASS` of each."""
    if id(obj) in seen or depth > 8:
        return
    seen.add(id(obj))
    cls = type(obj)
    if cls.__module__.startswith("gdsmodel") and not isinstance(obj, enum.Enum | BaseException):
        found = pool.setdefault(cls, [])
        if len(found) < PER_CLASS:
            found.append(obj)
        if attrs.has(cls):
            for f in attrs.fields(cls):
                _collect(getattr(obj, f.name), pool, seen, depth + 1)
    if isinstance(obj, tuple | list | frozenset | set):
        for x in list(obj)[:40]:
            _collect(x, pool, seen, depth + 1)
    elif isinstance(obj, cabc.Mapping):
        for k, v in list(obj.items())[:40]:
            _collect(k, pool, seen, depth + 1)
            _collect(v, pool, seen, depth + 1)


@pytest.fixture(scope="module")
def report() -> object:
    return build_report(STATION, "2026-03")


@pytest.fixture(scope="module")
def pool(report: object, tmp_path_factory: pytest.TempPathFactory) -> dict[type, list[object]]:
    ledger = _example_ledger()
    roots: list[object] = [
        gdsmodel.load_standard(),
        load_registry(),
        report,
        load_station(STATION),
        ledger,
        ledger.events,
        ledger.tools(),
        Month(2026, 3),
        Quarter(2026, 1),
        Year(2026),
        Day(2026, 3, 1),
        KpiResult(
            1996, 2000, metric="meter_reading_rate", target=Target.percent(100, Direction.HIGHER)
        ),
    ]
    roots += [
        build_document(report),  # type: ignore[arg-type]
        default_catalogue(),
        kits(),
        PRINCIPLES,
        load_conventions(),
        default_scheme(),
        default_calendar_config(),
        load_changelog(),
        load_crosswalk(),
        load_occupations(),
        load_area_rules(),
        area_labels(),
        power_factor_data(),
        load_organisation(STATION),
        default_target_rules(),
        staff_catalogue(),
        default_person_scheme(),
        default_rules(),
    ]
    roots += _station_objects(report, tmp_path_factory.mktemp("reprs"))
    out: dict[type, list[object]] = {}
    seen: set[int] = set()
    for root in [*roots, *_doctest_objects()]:
        _collect(root, out, seen)
    return out


def _station_objects(report: Any, tmp: Path) -> list[object]:
    """The objects no loader keeps: results of queries on the example station (its ledger,
    records, organisation, outages), its archive closed in a temporary copy, and the parsed
    forms of the data files (registry, overrides, variant, sections)."""
    from gdsmodel.metrics.areas import CustomerReading, SupplyReading, area_days
    from gdsmodel.metrics.assessment import KpiEvidence
    from gdsmodel.metrics.registry import KpiFile, TargetOverrideFile
    from gdsmodel.metrics.reliability import (
        FrequentOutageRule,
        frequent_outages,
        index_catalogue,
        outage_kinds,
    )
    from gdsmodel.metrics.voltage import VoltageMinutes, voltage_data
    from gdsmodel.organisation.archive import Archive
    from gdsmodel.organisation.responsibility import ScopeKind, validate
    from gdsmodel.organisation.station import (
        assess_station_month,
        input_specs,
        known_scopes,
        month_sheets,
        station_feeds,
    )
    from gdsmodel.periods.parser import read
    from gdsmodel.report.example import ExampleArea, ExampleStation
    from gdsmodel.report.inputs import Register, ReliabilitySettings
    from gdsmodel.report.kpis import ClassMinutes, Sums
    from gdsmodel.roles.loader import SectionFile, load_reference_station
    from gdsmodel.serialize import structure
    from gdsmodel.standards.records.book import RecordBook
    from gdsmodel.standards.records.chain import verify
    from gdsmodel.standards.records.figures import figure_rows, monthly
    from gdsmodel.standards.records.kinds import kind, kinds
    from gdsmodel.standards.records.store import MemoryStore
    from gdsmodel.standards.safety_tools import catalogue as tool_catalogue
    from gdsmodel.standards.safety_tools.queries import Sighting
    from gdsmodel.standards.safety_tools.store import open_store
    from gdsmodel.standards.variant import Variant

    data = report.data
    march = Month(2026, 3)
    found: list[object] = []

    # the station's files, as the report reads them
    tables = {
        stem: getattr(data, stem).records
        for stem in ("lines", "areas", "billing", "outages", "voltage", "tickets", "rcd")
    }
    # a table keeps its rows as columns and builds records when read: a few of each file
    for stem in ("lines", "areas", "billing", "outages", "voltage", "tickets", "rcd"):
        found.append(list(getattr(data, stem).records[:3]))
    found += [list(data.equipment.records[:3]), list(data.checks.records[:3])]
    day = datetime.date(2026, 3, 1)
    areas = [a.area for a in tables["areas"][:2]]
    supply = [SupplyReading(a, day, Fraction(2000)) for a in areas]
    sold = [CustomerReading(a, day, 1900, meters_expected=80, meters_read=80) for a in areas]
    found += [supply, sold, area_days(supply, sold)]
    found.append(Register(lines=tuple(r.line for r in tables["lines"][:3])))
    found.append(ReliabilitySettings(convention="IEEE 1366"))
    outages = [r.outage for r in tables["outages"]]
    strict = FrequentOutageRule(more_than=1, window=datetime.timedelta(days=180))
    found.append(frequent_outages(outages, period=Year(2025), by="line", rule=strict))
    found.append(index_catalogue())
    found.append(outage_kinds())
    found.append(voltage_data())
    minutes = VoltageMinutes(Fraction(0), Fraction(10), Fraction(43_200))
    found.append(ClassMinutes(dict.fromkeys(voltage_data().weights.as_mapping(), minutes), {}))
    found.append(Sums({"read": Fraction(1996), "due": Fraction(2000)}))
    found.append(KpiEvidence(Ratio(1996, 2000)))

    # the organisation: its chart, its checks, a month assessed, closed and amended
    org = load_organisation(STATION)
    found += [org.roster.chart(datetime.date(2026, 3, 31)), org.checks_for(march)]
    found += [input_specs(), station_feeds(tables)]
    known = known_scopes(tables)
    known[ScopeKind.AREA] |= {"新建台区"}  # an area nobody answers for yet: a gap
    found.append(validate(org.responsibilities, org.roster, [march], known))
    found.append(month_sheets(STATION, tables, march))
    assessed = assess_station_month(org, tables, march)
    folder = tmp / "station"
    shutil.copytree(STATION, folder)
    archive = Archive(folder)
    archive.close(assessed, on=datetime.date(2026, 4, 3), excel=False)
    first = assessed.people[0]
    archive.amend(march, first, reason="a late meter reading", on=datetime.date(2026, 4, 9))
    found.append(archive.history(march, first.owner))

    # the ledger of the example station: queries and every kind of event
    ledger = Ledger.open(folder / "safety_tools.json", create=False)
    serials = ledger.serials()
    today = datetime.date(2026, 3, 31)
    seen = [Sighting(serial=serials[0], place="?")]
    found += [seen, ledger.shortfall(on=today), ledger.check(seen)]
    found.append(ledger.overdue(on=datetime.date(2030, 1, 1)))
    found.append(tool_catalogue.editions())
    before = len(ledger.events)
    after = max(e.on for e in ledger.events) + datetime.timedelta(days=1)
    usable = [t.serial for t in ledger.tools() if t.condition.value == "serviceable"]
    a, b, c, d, e = usable[:5]
    ledger.record_test(a, on=after, tester="检测中心", passed=True, values={"泄漏电流": "7.2 mA"})
    ledger.record_defect(b, on=after, description="裂纹")
    ledger.seal(b, on=after, reason="待修")
    ledger.repair(b, on=after, description="更换")
    ledger.move(c, on=after, keeper="P1", place="二号柜")
    ledger.issue(c, on=after, to="P2")
    ledger.return_tool(c, on=after)
    ledger.scrap(d, on=after, reason="老化")
    ledger.recall_batch(ledger.state(e).batch, on=after, reason="厂家召回")
    found.append(ledger.events[before:])
    found.append(open_store(tmp / "tools.json"))
    ledger.close()

    # the records of the example station
    book = RecordBook.open(folder / "records.json", create=False)
    found += [book.due(today), kinds()]
    found.append(monthly(figure_rows(kind("ticket"), book.states(), today=today)))
    book.close()
    found += [verify([("0" * 64, "{}")]), MemoryStore()]

    # the data files in their parsed forms
    found.append(KpiFile(format="gdsmodel.kpis/1", metrics=load_registry().definitions))
    overrides = {"overrides": [{"metric": "meter_reading_rate", "default_target": None}]}
    found.append(structure(overrides, TargetOverrideFile))
    variant = tomllib.loads((STATION.parent / "station-variant.toml").read_text("utf-8"))
    found.append(structure(variant, Variant))
    reference, station = load_reference_station()
    found += [reference, SectionFile(section=1, numeral="一", title=station.name)]
    found.append(read("2026-03"))
    found.append(
        ExampleStation(
            seed=1,
            months=(march,),
            lines=("L01",),
            areas=(ExampleArea(id="A01", line="L01", customers={march: 80}),),
        )
    )
    return found


def _doctest_objects() -> list[object]:
    """The objects the package's own docstring examples build (real instances of the classes
    that the roots above do not reach: reliability states, area sections, ledger cards...)."""
    finder = doctest.DocTestFinder()
    found: list[object] = []
    for info in pkgutil.walk_packages(gdsmodel.__path__, "gdsmodel."):
        if info.name.startswith("gdsmodel.cli") or info.name.endswith("__main__"):
            continue
        for test in finder.find(importlib.import_module(info.name)):
            if not test.examples:
                continue
            runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
            with contextlib.redirect_stdout(io.StringIO()):
                runner.run(test, clear_globs=False, out=lambda _: None)
            found.extend(test.globs.values())
    return found


BASES = frozenset({"gdsmodel.roles.model.Clause"})
"""Concrete bases whose instances are always of a subclass (the standard holds duties and work
standards): one counts as built when an instance of a subclass is. Abstract classes likewise."""

NEEDS_SERVER = {
    # PostgreSQL stores connect when made: their reprs are checked against a real server in
    # test_postgres_store_reprs_are_short (slow; skipped, saying so, without a server)
    "gdsmodel.standards.records.pgstore.PostgresStore",
    "gdsmodel.standards.safety_tools.pgstore.PostgresStore",
}


def _instances_of(name: str, cls: type, pool: dict[type, list[object]]) -> list[object]:
    if name in BASES or inspect.isabstract(cls):
        return [obj for kind, objs in pool.items() if issubclass(kind, cls) for obj in objs]
    return pool.get(cls, [])


def _check_repr(shown: str) -> bool:
    """Short: under LIMIT characters, on one line or a few."""
    return len(shown) < LIMIT and shown.count("\n") < 4


def test_every_public_class_is_built_and_has_a_short_repr(pool: dict[type, list[object]]) -> None:
    classes = _public_classes()
    assert set(classes) >= NEEDS_SERVER  # the exclusions name classes that exist
    built = {name: _instances_of(name, cls, pool) for name, cls in classes.items()}
    missing = sorted(name for name, objs in built.items() if not objs)
    # a public class no root, query or factory above reaches: give the pool an instance
    assert sorted(set(missing) - NEEDS_SERVER) == []
    assert set(missing) == NEEDS_SERVER  # one built after all leaves the exclusions
    too_long = {
        name: (len(shown), shown[:120])
        for name, objs in built.items()
        for shown in map(repr, objs)
        if not _check_repr(shown)
    }
    assert too_long == {}
    # the pool holds more than one of most classes: reprs are checked on varied instances
    assert sum(map(len, built.values())) > 4 * len(built)


def test_stores_show_where_they_keep_the_events(tmp_path: Path) -> None:
    from gdsmodel.standards.records.store import MemoryStore
    from gdsmodel.standards.safety_tools.store import open_store

    assert repr(MemoryStore()) == "MemoryStore('memory', head='')"
    store = open_store(tmp_path / "tools.json")
    try:
        assert repr(store) == f"JsonStore({str(tmp_path / 'tools.json')!r}, head='')"
    finally:
        store.close()


@pytest.mark.slow
def test_postgres_store_reprs_are_short(postgres_database: str) -> None:
    from gdsmodel.standards.records.events import CODEC
    from gdsmodel.standards.records.pgstore import PostgresStore as RecordsStore
    from gdsmodel.standards.safety_tools.pgstore import PostgresStore

    url = urlsplit(postgres_database)
    if url.password is None:  # the throwaway server trusts its user: any password will do
        netloc = f"{url.username or 'postgres'}:not-shown@{url.hostname}:{url.port}"
        postgres_database = urlunsplit(url._replace(netloc=netloc))
    password = urlsplit(postgres_database).password or ""
    for store in (
        PostgresStore(postgres_database, station="青山"),
        RecordsStore(postgres_database, codec=CODEC, station="青山"),
    ):
        try:
            shown = repr(store)
            assert _check_repr(shown) and "station=青山" in shown, shown
            assert password not in shown
            assert shown.startswith("PostgresStore('postgresql://")
        finally:
            store.close()


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (
            gdsmodel.load_standard,
            "Standard('供电所人员及专业组岗位职责和工作标准', posts=7, units=3, "
            "clauses=155, terms=64)",
        ),
        (
            lambda: gdsmodel.load_standard().post("safety_officer"),
            "Post('safety_officer 安全员', clauses=22)",
        ),
        (load_registry, "Registry('registry', metrics="),
        (
            lambda: metric("line_loss_rate"),
            "MetricDefinition(id='line_loss_rate', name='线损率', unit='%', direction=lower",
        ),
    ],
)
def test_reprs_say_what_the_object_is(make: object, expected: str) -> None:
    assert callable(make)
    assert repr(make()).startswith(expected)


def test_the_report_repr_counts_kpis_and_missed(report: object) -> None:
    kpis = report.kpis  # type: ignore[attr-defined]
    missed = sum(1 for k in kpis if k.verdict is not None and k.verdict.status == "missed")
    assert repr(report) == (
        f"Report('青山供电所(示例) 2026-03', kpis={len(kpis)}, missed={missed}, issues=0, gaps=0)"
    )
    assert missed > 0  # the example station misses some targets: the count is not trivial


# ----------------------------------------------------------------------------- HTML


class _Checker(html.parser.HTMLParser):
    """Parses HTML and checks that every element closes, and in order; collects the text."""

    VOID = frozenset({"br", "hr", "img", "meta", "input", "col"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs_: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, (tag, self.stack)
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(markup: str) -> _Checker:
    checker = _Checker()
    checker.feed(markup)
    checker.close()
    assert checker.stack == [], checker.stack
    return checker


def _html_objects(report: object) -> dict[str, object]:
    std = gdsmodel.load_standard()
    ledger = _example_ledger()
    return {
        "Standard": std,
        "Post": std.post("safety_officer"),
        "Unit": std.units[0],
        "Clause": std.clause("safety_officer.standard.6"),
        "Term": std.glossary.term("four_not_letting_go"),
        "MetricDefinition": metric("line_loss_rate"),
        "Ratio": Ratio(3, 200),
        "KpiResult": KpiResult(
            1996, 2000, metric="meter_reading_rate", target=Target.percent(100, Direction.HIGHER)
        ),
        "Month": Month(2026, 3),
        "Quarter": Quarter(2026, 1),
        "AssessmentSheet": report.sheets[0],  # type: ignore[attr-defined]
        "ToolState": ledger.tools()[0],
        "Ledger": ledger,
        "Report": report,
        **_people_and_areas(report),
    }


def _people_and_areas(report: Any) -> dict[str, object]:
    """The organisation's sheets, ranking and the area and reliability results of the
    example station's March."""
    from gdsmodel.metrics.areas import CustomerReading, SupplyReading, area_days, area_periods
    from gdsmodel.metrics.reliability import ReliabilityState
    from gdsmodel.organisation.assessment import year_end_ranking
    from gdsmodel.organisation.station import assess_station_month

    march = Month(2026, 3)
    data = report.data
    tables = {stem: getattr(data, stem).records for stem in ("lines", "areas", "billing", "rcd")}
    assessed = assess_station_month(load_organisation(STATION), tables, march)
    ranked = year_end_ranking([s.sheet for s in assessed.people])
    areas = [r for r in data.areas.records if r.month == march][:3]
    day = datetime.date(2026, 3, 31)
    days = area_days(
        [SupplyReading(a.area, day, a.supplied_kwh) for a in areas],
        [
            CustomerReading(
                a.area, day, a.sold_kwh, meters_expected=a.customers, meters_read=a.customers
            )
            for a in areas
        ],
    )
    outages = [r.outage for r in data.outages.records if r.month == march]
    customers = sum(a.customers for a in data.areas.records if a.month == march)
    state = ReliabilityState.from_outages(outages, period=march, customers=customers)
    return {
        "PersonSheet": next(s for s in assessed.people if s.kpis and s.sheet.items),
        "GroupSheet": assessed.groups[0],
        "MonthAssessment": assessed,
        "RankedPerson": ranked[0],
        "Ranking": ranked[0].ranking,
        "AreaPeriod": next(iter(area_periods(days.values()).values())),
        "ReliabilityState": state,
        "ReliabilityIndices": state.indices(),
    }


@pytest.fixture(scope="module")
def html_objects(report: object) -> dict[str, object]:
    return _html_objects(report)


@pytest.mark.parametrize(
    "name",
    [
        "Standard",
        "Post",
        "Unit",
        "Clause",
        "Term",
        "MetricDefinition",
        "Ratio",
        "KpiResult",
        "Month",
        "Quarter",
        "AssessmentSheet",
        "ToolState",
        "Ledger",
        "Report",
        "PersonSheet",
        "GroupSheet",
        "MonthAssessment",
        "RankedPerson",
        "Ranking",
        "AreaPeriod",
        "ReliabilityState",
        "ReliabilityIndices",
    ],
)
def test_repr_html_is_valid_and_bilingual(name: str, html_objects: dict[str, object]) -> None:
    obj = html_objects[name]
    markup = obj._repr_html_()  # type: ignore[attr-defined]
    checker = parse(markup)
    text = "".join(checker.text)
    assert "div" in checker.tags
    # bilingual: Chinese characters and English words both shown
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text), text[:200]
    assert any(ch.isascii() and ch.isalpha() for ch in text)


def test_repr_html_shows_the_facts(report: object, html_objects: dict[str, object]) -> None:
    objs = html_objects
    assert "安全工器具" in "".join(parse(objs["Clause"]._repr_html_()).text)  # type: ignore[attr-defined]
    kpi = "".join(parse(objs["KpiResult"]._repr_html_()).text)  # type: ignore[attr-defined]
    assert "99.80%" in kpi and "missed by 0.20 pp" in kpi and ">= 100%" in kpi
    month = "".join(parse(objs["Month"]._repr_html_()).text)  # type: ignore[attr-defined]
    assert "2026年3月" in month and "2026-04-01" in month  # the excluded end of a half-open month
    rep = "".join(parse(report._repr_html_()).text)  # type: ignore[attr-defined]
    for row in report.kpis:  # type: ignore[attr-defined]
        if row.verdict is not None:
            assert str(row.verdict) in rep
    ledger = "".join(parse(objs["Ledger"]._repr_html_()).text)  # type: ignore[attr-defined]
    assert "GL-1" in ledger and "2026-07-06" in ledger


def _text(obj: object) -> str:
    return "".join(parse(obj._repr_html_()).text)  # type: ignore[attr-defined]


def test_people_and_areas_show_their_facts(html_objects: dict[str, Any]) -> None:
    person = html_objects["PersonSheet"]
    shown = _text(person)
    assert person.name in shown and f"{person.sheet.total} / {person.sheet.available}" in shown
    for k in person.kpis:  # each KPI with its value and verdict
        assert k.metric in shown and k.ratio.format() in shown
        assert k.verdict is None or str(k.verdict) in shown
    for item in person.sheet.items:
        assert item.rule in shown
    group = html_objects["GroupSheet"]
    assert "members 成员" in _text(group) and group.owner in _text(group)
    month = _text(html_objects["MonthAssessment"])
    assert all(s.name in month for s in html_objects["MonthAssessment"].people)
    ranked = html_objects["RankedPerson"]
    shown = _text(ranked)
    assert ranked.ranking.owner in shown and f"rank 名次{ranked.ranking.rank}" in shown
    assert ranked.band is None or ranked.band.name.zh in shown
    area = html_objects["AreaPeriod"]
    assert area.area in _text(area) and area.loss.format() in _text(area)
    state = html_objects["ReliabilityState"]
    shown = _text(state)
    for name, value in state.indices().as_rows():
        assert name in shown and value in shown
    assert "DL/T 836" in shown and "ReliabilityState" in shown
    indices = _text(html_objects["ReliabilityIndices"])
    assert all(value in indices for _, value in state.indices().as_rows())


def test_people_and_areas_are_escaped(html_objects: dict[str, Any]) -> None:
    person = attrs.evolve(html_objects["PersonSheet"], name=HOSTILE, holds=(HOSTILE,))
    ranked = html_objects["RankedPerson"]
    band = ranked.band or Band(id="b", name=Text("x"), min_percent=Fraction(0))
    hostile_band = attrs.evolve(ranked, band=attrs.evolve(band, name=Text(HOSTILE, HOSTILE)))
    area = attrs.evolve(html_objects["AreaPeriod"], area=HOSTILE)
    for obj in (person, hostile_band, area):
        markup = obj._repr_html_()
        assert "<script>" not in markup
        checker = parse(markup)
        assert "script" not in checker.tags
        assert HOSTILE in "".join(checker.text)


HOSTILE = '<script>alert("x")</script> & co'


def test_names_are_escaped() -> None:
    name = Text(HOSTILE, HOSTILE)
    clause = Duty(owner="x", number=1, text=name, note=HOSTILE)
    term = Term(
        id="evil",
        name=name,
        definition=name,
        aliases=(HOSTILE,),
        confidence=Confidence.L,
        source=Source(HOSTILE),
    )
    ratio = KpiResult(1, 2, metric=HOSTILE)
    ledger = Ledger()
    ledger.register(
        "S-1",
        kind="insulating_gloves",
        rating="high_voltage",
        on=datetime.date(2026, 1, 5),
        place=HOSTILE,
    )
    for obj in (clause, term, ratio, ledger.state("S-1"), ledger):
        markup = obj._repr_html_()
        assert "<script>" not in markup
        checker = parse(markup)
        assert "script" not in checker.tags
        assert HOSTILE in "".join(checker.text)  # shown as text, unharmed


def test_a_ratio_without_denominator_says_undefined() -> None:
    text = "".join(parse(Ratio(5, 0)._repr_html_()).text)
    assert "undefined" in text and "无定义" in text
    assert Fraction(3, 200) == Ratio(3, 200).value


@settings(max_examples=200, deadline=None)
@given(zh=st.text(max_size=300), en=st.text(max_size=300), note=st.text(max_size=50))
def test_any_text_is_shown_escaped_and_reprs_stay_short(zh: str, en: str, note: str) -> None:
    clause = Duty(owner="x", number=1, text=Text(zh, en), note=note)
    shown = "".join(parse(clause._repr_html_()).text)
    for part in (zh, en, note):
        assert part in shown
    assert len(repr(clause)) < LIMIT
    term = Term(
        id="t",
        name=Text(zh, en),
        definition=Text(en, zh),
        aliases=(note,),
        confidence=Confidence.L,
        source=Source("s"),
    )
    assert zh in "".join(parse(term._repr_html_()).text)
    assert len(repr(term)) < LIMIT
