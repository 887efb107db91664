"""The standard as SKOS in Turtle (needs the ``linked`` extra: rdflib).

Three concept schemes, each entity's URI from :mod:`gdsmodel.linked.uris`:

* the standard (``{base}standard``): posts and units are its top concepts (a unit's member
  roles are concepts with ``gds:memberOf`` their unit); each clause is a
  concept with ``skos:broader`` to its post or unit, ``skos:notation`` its ID and
  ``skos:definition`` its text in zh and en; the clause ``skos:related`` the glossary terms
  it uses and ``dct:references`` the regulations it cites; posts carry their crosswalk as
  ``skos:exactMatch``/``broadMatch``/``narrowMatch``/``relatedMatch`` where the target
  classification publishes URIs;
* the glossary (``{base}standard#glossary``): each term with ``skos:prefLabel`` in zh and en,
  ``skos:altLabel`` its aliases, ``skos:definition`` its definition;
* the KPIs (``{base}standard#kpis``), when a registry is given: each KPI ``skos:related`` the
  clauses that call for it.

Every concept has ``foaf:page``: its docs page (the human view). The scheme of the standard
states its edition as ``owl:versionInfo``.

>>> from gdsmodel.standards.standard import load_standard
>>> g = to_graph(load_standard())
>>> from rdflib.namespace import SKOS
>>> from rdflib import URIRef
>>> clause = URIRef("https://w3id.org/gdsmodel/clause/technician.duty.3")
>>> str(g.value(clause, SKOS.broader))
'https://w3id.org/gdsmodel/post/technician'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gdsmodel.errors import GdsmodelError
from gdsmodel.linked.crosswalk import Crosswalk, MappingKind, load_crosswalk
from gdsmodel.linked.uris import UriScheme
from gdsmodel.roles.model import Post, Unit
from gdsmodel.standards.standard import Standard

if TYPE_CHECKING:  # pragma: no cover
    from rdflib import Graph

    from gdsmodel.metrics.registry import Registry

__all__ = ["to_graph", "to_turtle"]


def _rdflib() -> Any:
    try:
        import rdflib
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise GdsmodelError("Turtle export needs rdflib: pip install 'gdsmodel[linked]'") from exc
    return rdflib


def to_graph(
    std: Standard,
    *,
    scheme: UriScheme | None = None,
    registry: Registry | None = None,
    edition: str | None = None,
    crosswalk: Crosswalk | None = None,
) -> Graph:
    """The standard (and, if given, the KPI registry) as an rdflib graph of SKOS concepts."""
    from gdsmodel.standards.editions import edition_of

    try:
        import rdflib
        from rdflib import Literal, URIRef
        from rdflib.namespace import DCTERMS, FOAF, OWL, RDF, SKOS
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise GdsmodelError("Turtle export needs rdflib: pip install 'gdsmodel[linked]'") from exc

    scheme = scheme or UriScheme()
    cw = crosswalk or load_crosswalk()
    g: Graph = rdflib.Graph()
    gds = rdflib.Namespace(scheme.base + "vocab/")
    g.bind("skos", SKOS)
    g.bind("dct", DCTERMS)
    g.bind("foaf", FOAF)
    g.bind("owl", OWL)
    g.bind("gds", gds)
    for prefix in ("post", "unit", "clause", "term", "regulation", "kpi", "role"):
        g.bind(prefix, rdflib.Namespace(f"{scheme.base}{prefix}/"))

    def uri(kind: Any, entity_id: str = "") -> Any:
        return URIRef(scheme.uri(kind, entity_id))

    def labels(node: Any, prop: Any, text: Any) -> None:
        g.add((node, prop, Literal(text.zh, lang="zh")))
        if text.en:
            g.add((node, prop, Literal(text.en, lang="en")))

    def page(node: Any, kind: Any, entity_id: str = "", **kw: str) -> None:
        g.add((node, FOAF.page, URIRef(scheme.human_view(kind, entity_id, **kw))))

    root = uri("standard")
    g.add((root, RDF.type, SKOS.ConceptScheme))
    labels(root, SKOS.prefLabel, std.title)
    page(root, "standard")
    version = edition if edition is not None else edition_of(std)
    if version:
        g.add((root, OWL.versionInfo, Literal(version)))
        g.add((root, OWL.versionIRI, uri("edition", version)))

    owners: tuple[Post | Unit, ...] = (*std.posts, *std.units)
    for owner in owners:
        kind = "unit" if isinstance(owner, Unit) else "post"
        node = uri(kind, owner.id)
        g.add((node, RDF.type, SKOS.Concept))
        g.add((node, RDF.type, gds.Unit if kind == "unit" else gds.Post))
        g.add((node, SKOS.inScheme, root))
        g.add((node, SKOS.topConceptOf, root))
        g.add((root, SKOS.hasTopConcept, node))
        g.add((node, SKOS.notation, Literal(owner.id)))
        labels(node, SKOS.prefLabel, owner.name)
        page(node, kind, owner.id)
        for m in cw.for_subject(owner.id):
            if m.target_uri:
                g.add((node, getattr(SKOS, MappingKind(m.kind).skos), URIRef(m.target_uri)))
        if isinstance(owner, Unit):
            g.add((node, gds.head, uri("post", owner.head)))
            for role in owner.members:
                rnode = uri("role", role.id)
                g.add((rnode, RDF.type, SKOS.Concept))
                g.add((rnode, RDF.type, gds.Role))
                g.add((rnode, SKOS.inScheme, root))
                g.add((rnode, SKOS.notation, Literal(role.id)))
                g.add((rnode, gds.memberOf, node))
                labels(rnode, SKOS.prefLabel, role.name)
                page(rnode, "role", role.id, unit=owner.id)
                for m in cw.for_subject(role.id):
                    if m.target_uri:
                        g.add((rnode, getattr(SKOS, m.kind.skos), URIRef(m.target_uri)))
        for c in owner.clauses():
            cnode = uri("clause", c.id)
            g.add((cnode, RDF.type, SKOS.Concept))
            g.add((cnode, RDF.type, gds.Duty if c.kind == "duty" else gds.WorkStandard))
            g.add((cnode, SKOS.inScheme, root))
            g.add((cnode, SKOS.broader, node))
            g.add((node, SKOS.narrower, cnode))
            g.add((cnode, SKOS.notation, Literal(c.id)))
            heading = (
                owner.duties_heading
                if c.kind == "duty"
                else getattr(owner, "standards_heading", None)
            )
            if heading is not None:
                g.add((cnode, SKOS.prefLabel, Literal(f"{heading.zh} 第{c.number}条", lang="zh")))
                g.add((cnode, SKOS.prefLabel, Literal(f"{heading.en}, item {c.number}", lang="en")))
            labels(cnode, SKOS.definition, c.text)
            for term_id in c.terms:
                g.add((cnode, SKOS.related, uri("term", term_id)))
            for reg_id in c.regulations:
                g.add((cnode, DCTERMS.references, uri("regulation", reg_id)))
            for cat in c.categories:
                g.add((cnode, gds.category, Literal(str(cat))))
            page(cnode, "clause", c.id, owner=c.owner, unit=c.owner if kind == "unit" else "")

    glossary = URIRef(scheme.uri("standard") + "#glossary")
    g.add((glossary, RDF.type, SKOS.ConceptScheme))
    g.add((glossary, SKOS.prefLabel, Literal("术语", lang="zh")))
    g.add((glossary, SKOS.prefLabel, Literal("Glossary", lang="en")))
    for t in std.glossary.terms:
        node = uri("term", t.id)
        g.add((node, RDF.type, SKOS.Concept))
        g.add((node, SKOS.inScheme, glossary))
        g.add((node, SKOS.topConceptOf, glossary))
        g.add((node, SKOS.notation, Literal(t.id)))
        labels(node, SKOS.prefLabel, t.name)
        labels(node, SKOS.definition, t.definition)
        for alias in t.aliases:
            if alias != t.name.zh:
                g.add((node, SKOS.altLabel, Literal(alias, lang="zh")))
        page(node, "term", t.id)
    for r in std.glossary.regulations:
        node = uri("regulation", r.id)
        g.add((node, RDF.type, DCTERMS.BibliographicResource))
        g.add((node, DCTERMS.identifier, Literal(r.id)))
        labels(node, DCTERMS.title, r.title)
        page(node, "regulation", r.id)

    if registry is not None:
        kpis = URIRef(scheme.uri("standard") + "#kpis")
        g.add((kpis, RDF.type, SKOS.ConceptScheme))
        g.add((kpis, SKOS.prefLabel, Literal("指标", lang="zh")))
        g.add((kpis, SKOS.prefLabel, Literal("KPIs", lang="en")))
        clause_ids = {c.id for c in std.clauses()}
        for d in registry.metrics():
            node = uri("kpi", d.id)
            g.add((node, RDF.type, SKOS.Concept))
            g.add((node, SKOS.inScheme, kpis))
            g.add((node, SKOS.topConceptOf, kpis))
            g.add((node, SKOS.notation, Literal(d.id)))
            labels(node, SKOS.prefLabel, d.name)
            for cid in d.clauses:
                if cid in clause_ids:
                    g.add((node, SKOS.related, uri("clause", cid)))
            page(node, "kpi", d.id)
    return g


def to_turtle(
    std: Standard,
    *,
    scheme: UriScheme | None = None,
    registry: Registry | None = None,
    edition: str | None = None,
) -> str:
    """:func:`to_graph` serialised as Turtle."""
    g = to_graph(std, scheme=scheme, registry=registry, edition=edition)
    text: str = g.serialize(format="turtle")
    return text
