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
from fractions import Fraction
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gdsmodel
from gdsmodel.linked.crosswalk import load_crosswalk, load_occupations
from gdsmodel.metrics import load_registry, metric
from gdsmodel.metrics.areas.rules import load_area_rules
from gdsmodel.metrics.assessment import default_scheme
from gdsmodel.metrics.ratio import Direction, KpiResult, Ratio, Target
from gdsmodel.metrics.reactive import power_factor_data
from gdsmodel.metrics.reliability.conventions import load_conventions
from gdsmodel.organisation.assessment import default_person_scheme
from gdsmodel.organisation.files import load_organisation
from gdsmodel.organisation.responsibility import default_rules
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
    class with a public name (enums and errors aside: their reprs are the standard ones)."""
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
            out[f"{value.__module__}.{value.__qualname__}"] = value
    return out


def _collect(obj: object, pool: dict[type, object], seen: set[int], depth: int = 0) -> None:
    """One instance of every gdsmodel class reachable from ``obj`` (attrs fields, collections)."""
    if id(obj) in seen or depth > 8:
        return
    seen.add(id(obj))
    cls = type(obj)
    if cls.__module__.startswith("gdsmodel") and not isinstance(obj, enum.Enum | BaseException):
        pool.setdefault(cls, obj)
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
def pool(report: object) -> dict[type, object]:
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
        power_factor_data(),
        load_organisation(STATION),
        default_target_rules(),
        staff_catalogue(),
        default_person_scheme(),
        default_rules(),
    ]
    out: dict[type, object] = {}
    seen: set[int] = set()
    for root in [*roots, *_doctest_objects()]:
        _collect(root, out, seen)
    return out


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


def test_every_public_class_built_has_a_short_repr(pool: dict[type, object]) -> None:
    classes = _public_classes()
    built = {name: pool[cls] for name, cls in classes.items() if cls in pool}
    # the standard, the registry, a report and a ledger reach most of the package
    assert len(built) >= 170, sorted(built)
    too_long = {name: len(repr(obj)) for name, obj in built.items() if len(repr(obj)) >= LIMIT}
    assert too_long == {}


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
    }


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
    ],
)
def test_repr_html_is_valid_and_bilingual(name: str, report: object) -> None:
    obj = _html_objects(report)[name]
    markup = obj._repr_html_()  # type: ignore[attr-defined]
    checker = parse(markup)
    text = "".join(checker.text)
    assert "div" in checker.tags
    # bilingual: Chinese characters and English words both shown
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text), text[:200]
    assert any(ch.isascii() and ch.isalpha() for ch in text)


def test_repr_html_shows_the_facts(report: object) -> None:
    objs = _html_objects(report)
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
