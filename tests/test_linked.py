"""The standard as linked data: stable URIs, JSON-LD, SKOS in Turtle, SHACL shapes, the data
package and the crosswalks.

Every export is read back with a library other than the code that wrote it (pyld for the
JSON-LD, rdflib's parser for the Turtle, frictionless and pandas for the CSV tables) and
rebuilt into the same entities as the standard.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import re
import zipfile
from collections import defaultdict
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gdsmodel.errors import DataFileError
from gdsmodel.linked import crosswalk as cwmod
from gdsmodel.linked.crosswalk import load_crosswalk
from gdsmodel.linked.datapackage import datapackage_files, write_datapackage
from gdsmodel.linked.jsonld import to_jsonld, to_jsonld_text
from gdsmodel.linked.uris import KINDS, UriScheme
from gdsmodel.metrics.registry import default_registry
from gdsmodel.roles.model import Unit
from gdsmodel.sources import Confidence, Source
from gdsmodel.standards.standard import Standard, load_standard
from gdsmodel.text import Text

rdflib = pytest.importorskip("rdflib")
pytest.importorskip("pyld")

from rdflib import RDF, Graph, Literal, Namespace, URIRef  # noqa: E402
from rdflib.namespace import FOAF, SKOS  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SHAPES = ROOT / "src" / "gdsmodel" / "linked" / "data" / "shapes.ttl"
SDO = Namespace("https://schema.org/")
STD = load_standard()
SCHEME = UriScheme()


def _lang(g: Graph, s: Any, p: Any) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for o in g.objects(s, p):
        out[o.language or ""].append(str(o))
    return {k: sorted(v) for k, v in out.items()}


def _expected_clauses(std: Standard) -> dict[str, tuple[Any, ...]]:
    return {
        c.id: (c.owner, c.number, c.text.zh, c.text.en, tuple(sorted(c.terms)),
               tuple(sorted(c.regulations)))
        for c in std.clauses()
    }  # fmt: skip


def _expected_terms(std: Standard) -> dict[str, tuple[Any, ...]]:
    return {
        t.id: (t.name.zh, t.name.en, t.definition.zh, t.definition.en) for t in std.glossary.terms
    }


# ----------------------------------------------------------------------------- URIs

ENTITY_IDS = st.from_regex(r"[a-z][a-z0-9_]{0,12}(\.(duty|standard)\.[1-9][0-9]?)?", fullmatch=True)


@given(kind=st.sampled_from([k for k in KINDS if k != "standard"]), entity_id=ENTITY_IDS)
def test_uri_parses_back_to_kind_and_id(kind: Any, entity_id: str) -> None:
    for scheme in (SCHEME, UriScheme(base="https://example.org/id"), UriScheme(base="urn:x:#")):
        assert scheme.parse(scheme.uri(kind, entity_id)) == (kind, entity_id)


def _all_uris(std: Standard, scheme: UriScheme) -> dict[str, str]:
    out = {}
    for kind, ids in (
        ("post", [p.id for p in std.posts]),
        ("unit", [u.id for u in std.units]),
        ("role", [r.id for u in std.units for r in u.members]),
        ("clause", [c.id for c in std.clauses()]),
        ("term", [t.id for t in std.glossary.terms]),
        ("regulation", [r.id for r in std.glossary.regulations]),
        ("party", [p.id for p in std.glossary.parties]),
        ("kpi", list(default_registry().ids())),
    ):
        for i in ids:
            out[f"{kind}:{i}"] = scheme.uri(kind, i)  # type: ignore[arg-type]
    return out


def test_every_entity_has_one_uri_and_no_two_share_one() -> None:
    uris = _all_uris(STD, SCHEME)
    assert len(set(uris.values())) == len(uris)
    assert len(uris) > 155 + 64


def test_uri_base_is_configurable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GDSMODEL_URI_BASE", "https://station.example/ld")
    monkeypatch.setenv("GDSMODEL_DOCS_BASE", "https://station.example/docs")
    s = UriScheme()
    assert s.uri("post", "director") == "https://station.example/ld/post/director"
    assert (
        s.human_view("post", "director") == "https://station.example/docs/standard/posts/director/"
    )
    with pytest.raises(ValueError, match="not a valid post ID"):
        s.uri("post", "a b")
    with pytest.raises(ValueError, match="not under"):
        s.parse("https://elsewhere.example/post/x")


@cache
def _hook() -> Any:
    spec = importlib.util.spec_from_file_location("gen_pages", ROOT / "docs/_hooks/gen_pages.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_human_views_are_the_generated_docs_anchors() -> None:
    """Each URI's human view names the page and the anchor that the docs hook generates."""
    gen = _hook()
    site = gen.Site()
    pages = {site.owner_page(o.id): gen.page_owner(site, o) for o in site.owners()}
    glossary = gen.page_glossary(site)
    kpis = gen.page_kpis(site)

    def anchored(page_md: str, anchor: str) -> bool:
        return "{#" + anchor + "}" in page_md

    for c in STD.clauses():
        unit = c.owner if isinstance(STD.owner(c.owner), Unit) else ""
        page, _, anchor = SCHEME.page("clause", c.id, owner=c.owner, unit=unit).partition("#")
        md_path = page.rstrip("/") + ".md"
        assert md_path in pages and anchored(pages[md_path], anchor), c.id
    for t in STD.glossary.terms:
        page, _, anchor = SCHEME.page("term", t.id).partition("#")
        assert page == "standard/glossary/" and anchored(glossary, anchor)
    for d in default_registry().metrics():
        page, _, anchor = SCHEME.page("kpi", d.id).partition("#")
        assert page == "kpis/" and anchored(kpis, anchor)


# ----------------------------------------------------------------------------- JSON-LD


@cache
def _jsonld_graph() -> Graph:
    """The JSON-LD text expanded to RDF by pyld (an independent reader), read by rdflib."""
    from pyld import jsonld

    doc = json.loads(to_jsonld_text(STD))
    nquads = jsonld.to_rdf(doc, {"format": "application/n-quads"})
    return Graph().parse(data=nquads, format="nt")


def test_jsonld_round_trip_gives_the_same_posts() -> None:
    g = _jsonld_graph()
    found = {}
    for s in g.subjects(RDF.type, SDO.Occupation):
        kind, pid = SCHEME.parse(str(s))
        if kind != "post":
            continue
        resp = _lang(g, s, SDO.responsibilities)
        found[pid] = (_lang(g, s, SDO.name), resp["zh"], resp["en"])
    expected = {
        p.id: (
            {"zh": [p.name.zh], "en": [p.name.en]},
            sorted(d.text.zh for d in p.duties),
            sorted(d.text.en for d in p.duties),
        )
        for p in STD.posts
    }
    assert found == expected


def test_jsonld_round_trip_gives_the_same_clauses_and_terms() -> None:
    g = _jsonld_graph()
    clauses = {}
    for s in g.subjects(SDO.isPartOf, None):
        owner = SCHEME.parse(str(g.value(s, SDO.isPartOf)))[1]
        text = _lang(g, s, SDO.text)
        terms = tuple(sorted(SCHEME.parse(str(t))[1] for t in g.objects(s, SDO.about)))
        regs = tuple(sorted(SCHEME.parse(str(r))[1] for r in g.objects(s, SDO.citation)))
        clauses[str(g.value(s, SDO.identifier))] = (
            owner, int(g.value(s, SDO.position)), text["zh"][0], text["en"][0], terms, regs
        )  # fmt: skip
    assert clauses == _expected_clauses(STD)
    terms = {}
    for s in g.subjects(RDF.type, SDO.DefinedTerm):
        name, desc = _lang(g, s, SDO.name), _lang(g, s, SDO.description)
        terms[str(g.value(s, SDO.termCode))] = (
            name["zh"][0], name["en"][0], desc["zh"][0], desc["en"][0]
        )  # fmt: skip
        assert g.value(s, SDO.inDefinedTermSet) is not None
    assert terms == _expected_terms(STD)


def test_jsonld_skills_only_where_the_text_states_them() -> None:
    g = _jsonld_graph()
    with_skills = {
        SCHEME.parse(str(s))[1]: _lang(g, s, SDO.skills)["zh"] for s in g.subjects(SDO.skills, None)
    }
    assert with_skills == {
        "customer_service_head": sorted(
            STD.clause(f"customer_service_head.duty.{n}").text.zh for n in (4, 5)
        )
    }
    for text in with_skills["customer_service_head"]:
        assert text.startswith("掌握")
    assert not list(g.subjects(SDO.qualifications, None))


def test_jsonld_occupational_categories_are_the_crosswalk() -> None:
    g = _jsonld_graph()
    cw = load_crosswalk()
    for p in STD.posts:
        codes = {
            str(g.value(cat, SDO.codeValue))
            for cat in g.objects(URIRef(SCHEME.uri("post", p.id)), SDO.occupationalCategory)
        }
        assert codes == {m.code for m in cw.for_subject(p.id)}


def test_jsonld_uses_the_configured_base() -> None:
    doc = to_jsonld(STD, scheme=UriScheme(base="https://example.org/x/"))
    ids = [n["@id"] for n in doc["@graph"] if "@id" in n]
    assert all(i.startswith("https://example.org/x/") for i in ids)


# ----------------------------------------------------------------------------- Turtle


@cache
def _turtle_graph() -> Graph:
    from gdsmodel.linked.skos import to_turtle

    text = to_turtle(STD, registry=default_registry())
    return Graph().parse(data=text, format="turtle")


def test_turtle_round_trip_gives_the_same_clauses_and_terms() -> None:
    g = _turtle_graph()
    clauses = {}
    for s in g.subjects(SKOS.broader, None):
        cid = str(g.value(s, SKOS.notation))
        owner = str(g.value(g.value(s, SKOS.broader), SKOS.notation))
        text = _lang(g, s, SKOS.definition)
        terms = tuple(sorted(str(g.value(t, SKOS.notation)) for t in g.objects(s, SKOS.related)))
        regs = tuple(
            sorted(
                SCHEME.parse(str(r))[1]
                for r in g.objects(s, URIRef(str(rdflib.DCTERMS) + "references"))
            )
        )
        number = int(cid.rsplit(".", 1)[1])
        clauses[cid] = (owner, number, text["zh"][0], text["en"][0], terms, regs)
    assert clauses == _expected_clauses(STD)
    glossary = URIRef(SCHEME.uri("standard") + "#glossary")
    terms = {}
    for s in g.subjects(SKOS.inScheme, glossary):
        label, definition = _lang(g, s, SKOS.prefLabel), _lang(g, s, SKOS.definition)
        terms[str(g.value(s, SKOS.notation))] = (
            label["zh"][0], label["en"][0], definition["zh"][0], definition["en"][0]
        )  # fmt: skip
    assert terms == _expected_terms(STD)


def test_turtle_posts_are_top_concepts_with_both_labels() -> None:
    g = _turtle_graph()
    top = {
        str(g.value(s, SKOS.notation))
        for s in g.objects(URIRef(SCHEME.uri("standard")), SKOS.hasTopConcept)
    }
    assert top == {p.id for p in STD.posts} | {u.id for u in STD.units}
    for p in STD.posts:
        assert _lang(g, URIRef(SCHEME.uri("post", p.id)), SKOS.prefLabel) == {
            "zh": [p.name.zh],
            "en": [p.name.en],
        }


def test_turtle_kpis_relate_to_the_clauses_that_call_for_them() -> None:
    g = _turtle_graph()
    clause_ids = {c.id for c in STD.clauses()}
    for d in default_registry().metrics():
        node = URIRef(SCHEME.uri("kpi", d.id))
        related = {str(g.value(c, SKOS.notation)) for c in g.objects(node, SKOS.related)}
        assert related == {c for c in d.clauses if c in clause_ids}
        assert (node, FOAF.page, URIRef(SCHEME.human_view("kpi", d.id))) in g


def test_turtle_crosswalk_matches_only_where_the_target_has_a_uri() -> None:
    g = _turtle_graph()
    for m in load_crosswalk().mappings:
        prop = getattr(SKOS, m.kind.skos)
        node = URIRef(
            SCHEME.uri("post" if m.subject in {p.id for p in STD.posts} else "role", m.subject)
        )
        if m.target_uri:
            assert (node, prop, URIRef(m.target_uri)) in g
    assert not list(g.subjects(SKOS.exactMatch, None))  # no mapping claims an exact match


def test_turtle_and_jsonld_name_the_same_clauses() -> None:
    ttl = {str(s) for s in _turtle_graph().subjects(SKOS.broader, None)}
    js = {str(s) for s in _jsonld_graph().subjects(SDO.isPartOf, None)}
    assert ttl == js


# ----------------------------------------------------------------------------- SHACL


def _conforms(g: Graph) -> tuple[bool, str]:
    from pyshacl import validate

    ok, _, text = validate(g, shacl_graph=Graph().parse(SHAPES))
    return bool(ok), str(text)


@pytest.mark.parametrize("which", ["turtle", "jsonld"])
def test_exports_conform_to_the_shacl_shapes(which: str) -> None:
    pytest.importorskip("pyshacl")
    g = _turtle_graph() if which == "turtle" else _jsonld_graph()
    ok, report = _conforms(g)
    assert ok, report


def test_shapes_reject_a_term_without_chinese_label_and_a_clause_with_two_parents() -> None:
    pytest.importorskip("pyshacl")
    g = Graph()
    for t in _turtle_graph():
        g.add(t)
    term = URIRef(SCHEME.uri("term", "two_tickets"))
    g.remove((term, SKOS.prefLabel, Literal("两票", lang="zh")))
    ok, report = _conforms(g)
    assert not ok and "two_tickets" in report
    g2 = Graph()
    for t in _turtle_graph():
        g2.add(t)
    g2.add((URIRef(SCHEME.uri("clause", "director.duty.1")), SKOS.broader,
            URIRef(SCHEME.uri("post", "technician"))))  # fmt: skip
    ok, report = _conforms(g2)
    assert not ok and "director.duty.1" in report


# ----------------------------------------------------------------------------- data package


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_datapackage(
        STD, tmp_path_factory.mktemp("dp") / "pkg", registry=default_registry()
    )


def _validate(path: Path) -> Any:
    frictionless = pytest.importorskip("frictionless")
    return frictionless.validate(str(path / "datapackage.json"))


def test_data_package_validates(package: Path) -> None:
    report = _validate(package)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_data_package_declares_keys_between_clauses_posts_and_terms(package: Path) -> None:
    desc = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    res = {r["name"]: r["schema"] for r in desc["resources"]}
    assert res["clauses"]["primaryKey"] == ["id"]
    refs = {(fk["fields"], fk["reference"]["resource"]) for fk in res["clauses"]["foreignKeys"]}
    assert refs == {("post", "posts"), ("unit", "units")}
    refs = {
        (fk["fields"], fk["reference"]["resource"]) for fk in res["clause_terms"]["foreignKeys"]
    }
    assert refs == {("clause", "clauses"), ("term", "terms")}
    from gdsmodel.standards.editions import edition_of

    assert desc.get("version") == edition_of(STD)  # absent when the data match no edition


def test_data_package_rejects_a_dangling_term(package: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    for f in package.iterdir():
        (bad / f.name).write_bytes(f.read_bytes())
    with (bad / "clause_terms.csv").open("a", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerow(["director.duty.1", "no_such_term"])
    report = _validate(bad)
    assert not report.valid
    assert "foreign-key" in {e[2] for e in report.flatten(["rowNumber", "fieldName", "type"])}


def test_data_package_reads_back_with_pandas(package: Path) -> None:
    pd = pytest.importorskip("pandas")
    clauses = pd.read_csv(package / "clauses.csv", keep_default_na=False, dtype={"number": int})
    got = {r.id: (r.post or r.unit, r.number, r.text_zh, r.text_en) for r in clauses.itertuples()}
    assert got == {c.id: (c.owner, c.number, c.text.zh, c.text.en) for c in STD.clauses()}
    links = pd.read_csv(package / "clause_terms.csv")
    assert sorted(map(tuple, links.to_numpy().tolist())) == sorted(
        (c.id, t) for c in STD.clauses() for t in c.terms
    )
    kpis = pd.read_csv(package / "kpis.csv", keep_default_na=False)
    assert list(kpis["id"]) == list(default_registry().ids())


def test_data_package_as_zip(tmp_path: Path) -> None:
    path = write_datapackage(STD, tmp_path / "pkg.zip")
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        desc = json.loads(z.read("datapackage.json"))
        assert {r["path"] for r in desc["resources"]} | {"datapackage.json"} == names
        rows = list(csv.DictReader(io.StringIO(z.read("terms.csv").decode("utf-8"))))
    assert [r["id"] for r in rows] == [t.id for t in STD.glossary.terms]
    assert "kpis.csv" not in names  # no registry given


def test_data_package_files_are_deterministic() -> None:
    assert datapackage_files(STD) == datapackage_files(STD)


# ----------------------------------------------------------------------------- crosswalk

CN_CODE = re.compile(r"^\d-\d{2}-\d{2}(-\d{2})?$")


def test_crosswalk_subjects_codes_and_coverage() -> None:
    cw = load_crosswalk()
    posts = {p.id for p in STD.posts}
    roles = {r.id for u in STD.units for r in u.members}
    for m in cw.mappings:
        assert m.subject in posts | roles
        if m.scheme == "cn_2022":
            assert CN_CODE.match(m.code), m.code
            assert m.target_uri == ""
        if m.scheme == "isco08":
            assert re.fullmatch(r"\d{4}", m.code)
            assert m.target_uri == f"http://data.europa.eu/esco/isco/C{m.code}"
        assert cw.scheme(m.scheme).source.document
    # every post is either mapped or listed as a gap, for each classification
    for scheme in ("cn_2022", "isco08", "esco"):
        for pid in posts:
            mapped = any(m.subject == pid and m.scheme == scheme for m in cw.mappings)
            gap = any(g.scheme == scheme and g.subject in (pid, "*") for g in cw.gaps)
            assert mapped != gap or (mapped and not gap), (pid, scheme)
            assert mapped or gap, (pid, scheme)


def test_crosswalk_rejects_unknown_scheme_and_duplicates() -> None:
    scheme = cwmod.Scheme(id="x", title=Text("x"), lang="en", source=Source("s"))
    m = cwmod.OccupationMapping(
        subject="director", scheme="y", code="1", title="t", level="unit group",
        kind=cwmod.MappingKind.RELATED, confidence=Confidence.L,
    )  # fmt: skip
    where = r"\$\.mappings\[0\]\.scheme: unknown scheme 'y'; known: x"
    with pytest.raises(DataFileError, match=where):
        cwmod._build(
            cwmod._File(format="gdsmodel.crosswalk/1", schemes=(scheme,), mappings=(m,)), "f"
        )
    ok = cwmod.OccupationMapping(
        subject="director", scheme="x", code="1", title="t", level="unit group",
        kind=cwmod.MappingKind.RELATED, confidence=Confidence.L,
    )  # fmt: skip
    with pytest.raises(DataFileError, match="listed twice"):
        cwmod._build(
            cwmod._File(format="gdsmodel.crosswalk/1", schemes=(scheme,), mappings=(ok, ok)), "f"
        )


# ----------------------------------------------------------------------------- editions, weight


def test_an_entity_keeps_its_uri_across_editions() -> None:
    from gdsmodel.standards.editions import load_changelog, load_edition

    log = load_changelog()
    docs = [to_jsonld(load_edition(v)) for v in log.versions()]
    ids = [{n["@id"] for n in d["@graph"] if "@id" in n} for d in docs]
    assert all(i == ids[0] for i in ids)  # no entity was added or removed so far
    assert [d["@graph"][0].get("version") for d in docs] == list(log.versions())
    old, new = (load_edition(v) for v in log.versions()[:2])
    changed = {c.id for c in old.clauses() if c != new.clause(c.id)}
    assert changed  # the same URIs name changed texts
    for cid in changed:
        assert SCHEME.uri("clause", cid) in ids[0]


def test_import_gdsmodel_and_json_export_do_not_load_the_linked_libraries() -> None:
    import subprocess
    import sys

    code = (
        "import sys, gdsmodel; from gdsmodel.cli import main; main(['export', '-o', '/dev/null']);"
        "print(sorted(m for m in ('rdflib', 'pyld', 'gdsmodel.linked') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_a_stations_variant_exports_a_valid_package_and_the_same_clauses(tmp_path: Path) -> None:
    """Not only the reference: a variant with a removed and an added clause exports a package
    that validates, and JSON-LD whose clauses are the variant's."""
    from pyld import jsonld

    mine = load_standard(ROOT / "examples" / "station-variant.toml")
    report = _validate(write_datapackage(mine, tmp_path / "mine", registry=default_registry()))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    nquads = jsonld.to_rdf(to_jsonld(mine), {"format": "application/n-quads"})
    g = Graph().parse(data=nquads, format="nt")
    ids = {str(g.value(s, SDO.identifier)) for s in g.subjects(SDO.isPartOf, None)}
    assert ids == {c.id for c in mine.clauses()}
    assert "technician.duty.12" in ids and "director.duty.11" not in ids
    station = next(n for n in to_jsonld(mine)["@graph"] if n["@id"].endswith("#station"))
    assert station["name"]["zh"] == mine.station.name.zh


def test_jsonld_compacts_and_expands_back_to_the_same_graph() -> None:
    """pyld compacts the expanded document with the inline context and expands it again to an
    isomorphic graph: the context loses nothing."""
    from pyld import jsonld
    from rdflib.compare import isomorphic

    doc = to_jsonld(STD)
    compacted = jsonld.compact(jsonld.expand(doc), doc["@context"])
    nquads = jsonld.to_rdf(compacted, {"format": "application/n-quads"})
    assert isomorphic(Graph().parse(data=nquads, format="nt"), _jsonld_graph())
