"""Every model round-trips through the one cattrs converter; the export matches its schema."""

from __future__ import annotations

import json
from decimal import Decimal

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gdsmodel
from gdsmodel.errors import DataFileError
from gdsmodel.roles.model import (
    Cadence,
    Category,
    Duty,
    Erratum,
    Post,
    Relation,
    RelationKind,
    Role,
    StatedTarget,
    Unit,
    WorkStandard,
)
from gdsmodel.serialize import converter, structure, unstructure
from gdsmodel.sources import Confidence, Source
from gdsmodel.standards.export import json_schema
from gdsmodel.standards.glossary import Glossary, Regulation, RegulationKind, Term
from gdsmodel.text import Text

ids = st.from_regex(r"[a-z][a-z0-9_]{0,15}", fullmatch=True)
words = st.text(min_size=0, max_size=30)
texts = st.builds(Text, zh=st.text(min_size=1, max_size=40), en=words)
decimals = st.decimals(
    allow_nan=False, allow_infinity=False, places=3, min_value=-1000, max_value=1000
)
sources = st.builds(Source, document=words, edition=words, clause=words, note=words)
targets = st.builds(
    StatedTarget,
    indicator=ids,
    value=decimals,
    unit=st.sampled_from(["%", "h", ""]),
    quote=words,
    comparison=st.sampled_from([">=", "<=", "=="]),
)
relations = st.builds(Relation, kind=st.sampled_from(RelationKind), party=ids, note=words)
errata = st.builds(Erratum, written=words, intended=words, note=words)


def clause_fields(draw: st.DrawFn) -> dict[str, object]:
    return {
        "text": draw(texts),
        "categories": tuple(draw(st.lists(st.sampled_from(Category), max_size=3, unique=True))),
        "cadences": tuple(draw(st.lists(st.sampled_from(Cadence), max_size=3, unique=True))),
        "targets": tuple(draw(st.lists(targets, max_size=2))),
        "terms": tuple(draw(st.lists(ids, max_size=3))),
        "regulations": tuple(draw(st.lists(ids, max_size=2))),
        "relations": tuple(draw(st.lists(relations, max_size=2))),
        "errata": tuple(draw(st.lists(errata, max_size=1))),
        "note": draw(words),
    }


@st.composite
def posts(draw: st.DrawFn) -> Post:
    pid = draw(ids)
    n_duties = draw(st.integers(0, 4))
    n_std = draw(st.integers(0, 3))
    numbers = sorted(draw(st.sets(st.integers(1, 50), min_size=n_duties, max_size=n_duties)))
    return Post(
        id=pid,
        name=draw(texts),
        section=draw(st.integers(1, 9)),
        duties_heading=draw(texts),
        duties=tuple(Duty(owner=pid, number=n, **clause_fields(draw)) for n in numbers),  # type: ignore[arg-type]
        standards_heading=draw(st.none() | texts),
        standards=tuple(
            WorkStandard(owner=pid, number=n + 1, **clause_fields(draw))  # type: ignore[arg-type]
            for n in range(n_std)
        ),
        heads=draw(st.none() | ids),
        reports_to=draw(st.none() | ids),
    )


@st.composite
def units(draw: st.DrawFn) -> Unit:
    uid = draw(ids)
    return Unit(
        id=uid,
        name=draw(texts),
        section=draw(st.integers(1, 9)),
        head=draw(ids),
        duties_heading=draw(texts),
        duties=tuple(
            Duty(owner=uid, number=n + 1, **clause_fields(draw))  # type: ignore[arg-type]
            for n in range(draw(st.integers(0, 3)))
        ),
        members=tuple(draw(st.lists(st.builds(Role, id=ids, name=texts), max_size=2))),
        reports_to=draw(st.none() | ids),
    )


terms = st.builds(
    Term,
    id=ids,
    name=texts,
    definition=texts,
    confidence=st.sampled_from(Confidence),
    source=sources,
    aliases=st.lists(words, max_size=2).map(tuple),
    parts=st.lists(texts, max_size=3).map(tuple),
)
regulations = st.builds(
    Regulation,
    id=ids,
    title=texts,
    kind=st.sampled_from(RegulationKind),
    aliases=st.lists(words, max_size=2).map(tuple),
    issuer=words,
    year=words,
    note=words,
)

MODELS = [
    (Text, texts),
    (Source, sources),
    (StatedTarget, targets),
    (Relation, relations),
    (Erratum, errata),
    (Post, posts()),
    (Unit, units()),
    (Term, terms),
    (Regulation, regulations),
]


@pytest.mark.parametrize(("cls", "strategy"), MODELS, ids=[m[0].__name__ for m in MODELS])
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_round_trip(cls: type, strategy: st.SearchStrategy[object], data: st.DataObject) -> None:
    value = data.draw(strategy)
    plain = unstructure(value)
    # through real JSON text, as a file would carry it
    assert structure(json.loads(json.dumps(plain)), cls) == value


def test_clause_owner_is_implied_by_its_post() -> None:
    post = gdsmodel.load_standard().post("technician")
    plain = converter.unstructure(post)
    assert "owner" not in plain["duties"][0]
    assert converter.structure(plain, Post) == post


def test_whole_standard_round_trips_through_json() -> None:
    std = gdsmodel.load_standard()
    again = gdsmodel.Standard.from_data(json.loads(std.to_json()))
    assert again == std
    assert [c.id for c in again.clauses()] == [c.id for c in std.clauses()]


def test_export_validates_against_the_schema() -> None:
    data = json.loads(gdsmodel.load_standard().to_json())
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)
    data["station"]["posts"][0]["duties"][0]["cadences"] = ["fortnightly"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)


def test_yaml_export_round_trips() -> None:
    yaml = pytest.importorskip("yaml")
    std = gdsmodel.load_standard()
    assert gdsmodel.Standard.from_data(yaml.safe_load(std.to_yaml())) == std


def test_bad_data_gets_a_located_error() -> None:
    data = gdsmodel.load_standard().to_data()
    data["station"]["posts"][1]["duties"][2]["cadences"] = ["fortnightly"]
    with pytest.raises(DataFileError) as err:
        gdsmodel.Standard.from_data(data, file="mine.json")
    assert err.value.file == "mine.json"
    assert err.value.path == "$.station.posts[1].duties[2].cadences[0]"
    assert "fortnightly" in str(err.value)


def test_unknown_keys_are_rejected() -> None:
    with pytest.raises(DataFileError, match=r"unknown keys \['colour'\]"):
        structure({"zh": "安全员", "colour": "red"}, Text)


def test_decimal_values_stay_exact() -> None:
    t = structure({"indicator": "x", "value": "99.60", "unit": "%", "quote": "q"}, StatedTarget)
    assert t.value == Decimal("99.60")
    assert unstructure(t)["value"] == "99.60"
    with pytest.raises(DataFileError, match="value"):
        structure({"indicator": "x", "value": "NaN", "unit": "%", "quote": "q"}, StatedTarget)


def test_glossary_rejects_duplicate_ids() -> None:
    g = gdsmodel.load_standard().glossary
    with pytest.raises(ValueError, match="duplicate term IDs: two_tickets"):
        Glossary(terms=(g.term("two_tickets"), g.term("two_tickets")), regulations=())
