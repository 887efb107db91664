"""The standard as JSON-LD with schema.org.

* each post is a ``schema:Occupation``: its names (zh, en), its ``responsibilities`` (the
  texts of its duty clauses, in both languages), its ``skills`` where a clause of the text
  states them (see ``data/occupations.toml``), its ``occupationalCategory`` (the ISCO-08
  and 职业分类大典 codes of the crosswalk) and, as ``hasPart``, its clauses;
* each unit is a ``schema:Organization`` with its duties, its head post and member roles;
* each clause is a node of its own (``gds:Duty`` or ``gds:WorkStandard``) with its ID, number,
  text, the glossary terms it is ``about`` and the regulations it cites (``citation``);
* the glossary is a ``schema:DefinedTermSet`` of ``schema:DefinedTerm``; regulations are
  ``schema:CreativeWork``.

The context is inline (no network access is needed to read the document) and every node's
``@id`` is its stable URI (:mod:`gdsmodel.linked.uris`); ``url`` is its docs page.
Standard library only: the document is plain data; pyld is needed only to expand it.

>>> from gdsmodel.standards.standard import load_standard
>>> doc = to_jsonld(load_standard())
>>> post = next(n for n in doc["@graph"] if n["@id"].endswith("/post/safety_officer"))
>>> post["@type"], post["name"]["zh"]
('Occupation', '安全员')
>>> len(post["responsibilities"]["zh"]) == len(load_standard().post("safety_officer").duties)
True
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from gdsmodel.linked.crosswalk import Crosswalk, load_crosswalk, load_occupations
from gdsmodel.linked.uris import UriScheme
from gdsmodel.roles.model import Clause, Post, Unit
from gdsmodel.standards.standard import Standard
from gdsmodel.text import Text

__all__ = ["context", "jsonld_to_graph", "to_jsonld", "to_jsonld_text"]

if TYPE_CHECKING:  # pragma: no cover
    from rdflib import Graph

SCHEMA = "https://schema.org/"


def vocab(scheme: UriScheme) -> str:
    """The namespace of gdsmodel's own terms (``gds:Duty``, ``gds:category``...)."""
    return scheme.base + "vocab/"


def context(scheme: UriScheme) -> dict[str, Any]:
    """The inline JSON-LD context.

    >>> context(UriScheme())["gds"]
    'https://w3id.org/gdsmodel/vocab/'
    """

    def lang(iri: str) -> dict[str, str]:
        return {"@id": iri, "@container": "@language"}

    def ref(iri: str) -> dict[str, str]:
        return {"@id": iri, "@type": "@id"}

    return {
        "schema": SCHEMA,
        "gds": vocab(scheme),
        "xsd": "http://www.w3.org/2001/XMLSchema#",
        "@vocab": SCHEMA,
        "name": lang("schema:name"),
        "description": lang("schema:description"),
        "text": lang("schema:text"),
        "responsibilities": lang("schema:responsibilities"),
        "skills": lang("schema:skills"),
        "qualifications": lang("schema:qualifications"),
        "alternateName": {"@id": "schema:alternateName", "@language": "zh"},
        "identifier": "schema:identifier",
        "termCode": "schema:termCode",
        "codeValue": "schema:codeValue",
        "version": "schema:version",
        "genre": "schema:genre",
        "position": {"@id": "schema:position", "@type": "xsd:integer"},
        "url": ref("schema:url"),
        "hasPart": ref("schema:hasPart"),
        "isPartOf": ref("schema:isPartOf"),
        "hasDefinedTerm": ref("schema:hasDefinedTerm"),
        "inDefinedTermSet": ref("schema:inDefinedTermSet"),
        "inCodeSet": ref("schema:inCodeSet"),
        "about": ref("schema:about"),
        "citation": ref("schema:citation"),
        "member": ref("schema:member"),
        "parentOrganization": ref("schema:parentOrganization"),
        "occupationalCategory": ref("schema:occupationalCategory"),
        "category": "gds:category",
        "cadence": "gds:cadence",
        "head": ref("gds:head"),
        "heads": ref("gds:heads"),
        "reportsTo": ref("gds:reportsTo"),
        "section": {"@id": "gds:section", "@type": "xsd:integer"},
    }


def _lang(text: Text) -> dict[str, str]:
    out = {"zh": text.zh}
    if text.en:
        out["en"] = text.en
    return out


def _langs(texts: list[Text]) -> dict[str, list[str]]:
    return {
        "zh": [t.zh for t in texts],
        "en": [t.en or t.zh for t in texts],
    }


def _clause_node(std: Standard, scheme: UriScheme, c: Clause) -> dict[str, Any]:
    owner = std.owner(c.owner)
    is_unit = isinstance(owner, Unit)
    node: dict[str, Any] = {
        "@id": scheme.uri("clause", c.id),
        "@type": "gds:Duty" if c.kind == "duty" else "gds:WorkStandard",
        "identifier": c.id,
        "position": c.number,
        "text": _lang(c.text),
        "isPartOf": scheme.uri("unit" if is_unit else "post", c.owner),
        "url": scheme.human_view("clause", c.id, owner=c.owner, unit=c.owner if is_unit else ""),
    }
    if c.categories:
        node["category"] = [str(x) for x in c.categories]
    if c.cadences:
        node["cadence"] = [str(x) for x in c.cadences]
    if c.terms:
        node["about"] = [scheme.uri("term", t) for t in c.terms]
    if c.regulations:
        node["citation"] = [scheme.uri("regulation", r) for r in c.regulations]
    return node


def _categories(scheme: UriScheme, cw: Crosswalk, post_id: str) -> list[dict[str, Any]]:
    out = []
    for m in cw.for_subject(post_id):
        node: dict[str, Any] = {
            "@type": "CategoryCode",
            "codeValue": m.code,
            "name": {m.lang: m.title},
            "inCodeSet": m.scheme_uri or f"{scheme.base}scheme/{m.scheme}",
        }
        if m.target_uri:
            node["@id"] = m.target_uri
        out.append(node)
    return out


def _post_node(std: Standard, scheme: UriScheme, post: Post, cw: Crosswalk) -> dict[str, Any]:
    skills = [std.clause(cid).text for cid in load_occupations().skills.get(post.id, ())]
    node: dict[str, Any] = {
        "@id": scheme.uri("post", post.id),
        "@type": "Occupation",
        "identifier": post.id,
        "name": _lang(post.name),
        "section": post.section,
        "url": scheme.human_view("post", post.id),
        "responsibilities": _langs([d.text for d in post.duties]),
        "hasPart": [scheme.uri("clause", c.id) for c in post.clauses()],
    }
    if skills:
        node["skills"] = _langs(skills)
    if post.heads:
        node["heads"] = scheme.uri("unit", post.heads)
    if post.reports_to:
        node["reportsTo"] = scheme.uri("post", post.reports_to)
    categories = _categories(scheme, cw, post.id)
    if categories:
        node["occupationalCategory"] = categories
    return node


def _unit_node(std: Standard, scheme: UriScheme, unit: Unit, cw: Crosswalk) -> list[Any]:
    roles = []
    for r in unit.members:
        role: dict[str, Any] = {
            "@id": scheme.uri("role", r.id),
            "@type": "Occupation",
            "identifier": r.id,
            "name": _lang(r.name),
            "url": scheme.human_view("role", r.id, unit=unit.id),
        }
        categories = _categories(scheme, cw, r.id)
        if categories:
            role["occupationalCategory"] = categories
        roles.append(role)
    node: dict[str, Any] = {
        "@id": scheme.uri("unit", unit.id),
        "@type": "Organization",
        "identifier": unit.id,
        "name": _lang(unit.name),
        "section": unit.section,
        "url": scheme.human_view("unit", unit.id),
        "head": scheme.uri("post", unit.head),
        "hasPart": [scheme.uri("clause", c.id) for c in unit.clauses()],
        "parentOrganization": scheme.uri("standard") + "#station",
    }
    if roles:
        node["member"] = [r["@id"] for r in roles]
    return [node, *roles]


def to_jsonld(
    std: Standard,
    *,
    scheme: UriScheme | None = None,
    edition: str | None = None,
    crosswalk: Crosswalk | None = None,
) -> dict[str, Any]:
    """The standard as a JSON-LD document (a dict ready for ``json.dumps``).

    ``edition`` is the version to state (by default the edition the standard matches, if
    any: :func:`gdsmodel.standards.editions.edition_of`).
    """
    from gdsmodel.standards.editions import edition_of

    scheme = scheme or UriScheme()
    cw = crosswalk or load_crosswalk()
    version = edition if edition is not None else edition_of(std)
    root: dict[str, Any] = {
        "@id": scheme.uri("standard"),
        "@type": "CreativeWork",
        "name": _lang(std.title),
        "url": scheme.human_view("standard"),
        "hasPart": [scheme.uri("post", p.id) for p in std.posts]
        + [scheme.uri("unit", u.id) for u in std.units],
    }
    if version:
        root["version"] = version
    station = {
        "@id": scheme.uri("standard") + "#station",
        "@type": "Organization",
        "name": _lang(std.station.name),
    }
    graph: list[Any] = [root, station]
    for p in std.posts:
        graph.append(_post_node(std, scheme, p, cw))
    for u in std.units:
        graph += _unit_node(std, scheme, u, cw)
    graph += [_clause_node(std, scheme, c) for c in std.clauses()]
    glossary_id = scheme.uri("standard") + "#glossary"
    g = std.glossary
    graph.append(
        {
            "@id": glossary_id,
            "@type": "DefinedTermSet",
            "name": {"zh": "术语", "en": "Glossary"},
            "url": scheme.human_view("term", "terms").split("#")[0] + "#terms",
            "hasDefinedTerm": [scheme.uri("term", t.id) for t in g.terms],
        }
    )
    for t in g.terms:
        node: dict[str, Any] = {
            "@id": scheme.uri("term", t.id),
            "@type": "DefinedTerm",
            "termCode": t.id,
            "name": _lang(t.name),
            "description": _lang(t.definition),
            "inDefinedTermSet": glossary_id,
            "url": scheme.human_view("term", t.id),
        }
        if t.aliases:
            node["alternateName"] = list(t.aliases)
        graph.append(node)
    for r in g.regulations:
        graph.append(
            {
                "@id": scheme.uri("regulation", r.id),
                "@type": "CreativeWork",
                "identifier": r.id,
                "name": _lang(r.title),
                "genre": str(r.kind),
                "url": scheme.human_view("regulation", r.id),
            }
        )
    return {"@context": context(scheme), "@graph": graph}


def to_jsonld_text(
    std: Standard, *, scheme: UriScheme | None = None, edition: str | None = None
) -> str:
    """:func:`to_jsonld` as JSON text (UTF-8, Chinese kept readable)."""
    doc = to_jsonld(std, scheme=scheme, edition=edition)
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def jsonld_to_graph(doc: dict[str, Any] | str) -> Graph:
    """A JSON-LD document (or its text) expanded by pyld into RDF, as an rdflib graph.

    Needs the ``linked`` extra (pyld and rdflib). The document's context is inline, so
    nothing is fetched.

    >>> from gdsmodel.standards.standard import load_standard
    >>> from rdflib import Namespace, RDF
    >>> g = jsonld_to_graph(to_jsonld(load_standard()))
    >>> n = len(set(g.subjects(RDF.type, Namespace(SCHEMA).DefinedTerm)))
    >>> n == len(load_standard().glossary.terms)
    True
    """
    try:
        import rdflib
        from pyld import jsonld
    except ImportError as exc:  # pragma: no cover - depends on the environment
        from gdsmodel.errors import GdsmodelError

        raise GdsmodelError("JSON-LD expansion needs pyld: pip install 'gdsmodel[linked]'") from exc
    data = json.loads(doc) if isinstance(doc, str) else doc
    nquads: str = jsonld.to_rdf(data, {"format": "application/n-quads"})
    g: Graph = rdflib.Graph()
    g.parse(data=nquads, format="nt")  # one default graph: N-Quads are N-Triples
    return g
