"""The standard as open, linked data: stable URIs, JSON-LD, SKOS, a data package, crosswalks.

* :mod:`gdsmodel.linked.uris`: the stable URI of every post, unit, clause, term, regulation,
  party and KPI, and the docs page that is its human view;
* :mod:`gdsmodel.linked.jsonld`: JSON-LD with schema.org (``Occupation``, ``DefinedTermSet``);
* :mod:`gdsmodel.linked.skos`: SKOS in Turtle (needs the ``linked`` extra: rdflib);
* :mod:`gdsmodel.linked.datapackage`: CSV tables with a Frictionless ``datapackage.json``;
* :mod:`gdsmodel.linked.crosswalk`: posts mapped to 职业分类大典 2022, ISCO-08 and ESCO.

This floor sits above :mod:`gdsmodel.standards` and :mod:`gdsmodel.metrics` (it publishes
both); nothing below imports it. The optional libraries load only when a format needs them.
"""
