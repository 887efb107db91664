"""The standard, its glossary and the KPI registry as CSV tables with a Frictionless
``datapackage.json`` (types, primary keys, foreign keys). Standard library only; the
``frictionless`` package validates the result in the tests.

Tables (one CSV each): ``posts``, ``units``, ``roles``, ``clauses`` (its ``post`` or
``unit`` column names the owner), ``clause_terms``, ``clause_regulations``,
``clause_targets``, ``terms``, ``regulations``, ``parties``, ``crosswalk``, ``editions``,
``edition_changes`` and, with a registry, ``kpis``, ``kpi_targets`` and ``kpi_clauses``.
Lists (categories, cadences, aliases) are ``;``-separated. Every entity row has its stable
``uri`` and its docs ``page``.

>>> from gdsmodel.standards.standard import load_standard
>>> files = datapackage_files(load_standard())
>>> sorted(files)[:3]
['clause_regulations.csv', 'clause_targets.csv', 'clause_terms.csv']
>>> files["clauses.csv"].splitlines()[0]
'id,post,unit,kind,number,text_zh,text_en,categories,cadences,note,uri,page'
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gdsmodel.linked.crosswalk import Crosswalk, load_crosswalk
from gdsmodel.linked.uris import UriScheme
from gdsmodel.roles.model import Unit
from gdsmodel.standards.standard import Standard

if TYPE_CHECKING:  # pragma: no cover
    from gdsmodel.metrics.registry import Registry

__all__ = ["datapackage_descriptor", "datapackage_files", "write_datapackage"]

Field = tuple[str, str]  # (name, frictionless type)


def _f(name: str, type_: str = "string", **extra: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"name": name, "type": type_}
    out.update(extra)
    return out


def _list(name: str, what: str) -> dict[str, Any]:
    return _f(name, "string", description=f"{what}, separated by ';'")


def _req(name: str, type_: str = "string", **extra: Any) -> dict[str, Any]:
    return _f(name, type_, constraints={"required": True}, **extra)


def _fk(fields: str | list[str], resource: str, ref: str | list[str]) -> dict[str, Any]:
    return {"fields": fields, "reference": {"resource": resource, "fields": ref}}


def _tables(with_kpis: bool) -> dict[str, dict[str, Any]]:
    """The schema of every table: ``{name: {fields, primaryKey, foreignKeys}}``."""
    tables: dict[str, dict[str, Any]] = {
        "posts": {
            "fields": [
                _req("id"), _req("name_zh"), _f("name_en"), _req("section", "integer"),
                _f("reports_to"), _f("heads"), _req("uri", "string", format="uri"),
                _f("page"),
            ],
            "primaryKey": ["id"],
            "foreignKeys": [_fk("reports_to", "posts", "id"), _fk("heads", "units", "id")],
        },
        "units": {
            "fields": [
                _req("id"), _req("name_zh"), _f("name_en"), _req("section", "integer"),
                _req("head"), _f("reports_to"), _req("uri", "string", format="uri"), _f("page"),
            ],
            "primaryKey": ["id"],
            "foreignKeys": [_fk("head", "posts", "id")],
        },
        "roles": {
            "fields": [_req("id"), _req("unit"), _req("name_zh"), _f("name_en"),
                       _req("uri", "string", format="uri")],
            "primaryKey": ["id"],
            "foreignKeys": [_fk("unit", "units", "id")],
        },
        "clauses": {
            "fields": [
                _req("id"), _f("post"), _f("unit"),
                _f("kind", constraints={"required": True, "enum": ["duty", "standard"]}),
                _req("number", "integer"), _req("text_zh"), _f("text_en"),
                _list("categories", "categories"), _list("cadences", "cadences"), _f("note"),
                _req("uri", "string", format="uri"), _f("page"),
            ],
            "primaryKey": ["id"],
            "foreignKeys": [_fk("post", "posts", "id"), _fk("unit", "units", "id")],
        },
        "clause_terms": {
            "fields": [_req("clause"), _req("term")],
            "primaryKey": ["clause", "term"],
            "foreignKeys": [_fk("clause", "clauses", "id"), _fk("term", "terms", "id")],
        },
        "clause_regulations": {
            "fields": [_req("clause"), _req("regulation")],
            "primaryKey": ["clause", "regulation"],
            "foreignKeys": [
                _fk("clause", "clauses", "id"), _fk("regulation", "regulations", "id"),
            ],
        },
        "clause_targets": {
            "fields": [
                _req("clause"), _req("indicator"), _req("comparison"), _req("value", "number"),
                _f("unit"), _req("quote"),
            ],
            "primaryKey": ["clause", "indicator"],
            "foreignKeys": [_fk("clause", "clauses", "id")]
            + ([_fk("indicator", "kpis", "id")] if with_kpis else []),
        },
        "terms": {
            "fields": [
                _req("id"), _req("name_zh"), _f("name_en"), _req("definition_zh"),
                _f("definition_en"),
                _f("confidence", constraints={"required": True, "enum": ["H", "M", "L"]}),
                _f("source"), _list("aliases", "aliases as they appear in the source"),
                _req("uri", "string", format="uri"), _f("page"),
            ],
            "primaryKey": ["id"],
        },
        "regulations": {
            "fields": [
                _req("id"), _req("title_zh"), _f("title_en"), _req("kind"), _f("issuer"),
                _f("year"), _req("uri", "string", format="uri"), _f("page"),
            ],
            "primaryKey": ["id"],
        },
        "parties": {
            "fields": [_req("id"), _req("name_zh"), _f("name_en")],
            "primaryKey": ["id"],
        },
        "crosswalk": {
            "fields": [
                _req("subject"), _req("scheme"), _req("code"), _req("title"), _f("level"),
                _f("kind", constraints={
                    "required": True, "enum": ["exact", "broader", "narrower", "related"]}),
                _f("confidence", constraints={"required": True, "enum": ["H", "M", "L"]}),
                _f("target_uri"), _f("note"), _f("source"),
            ],
            "primaryKey": ["subject", "scheme", "code"],
        },
        "editions": {
            "fields": [_req("version"), _req("date", "date"), _f("summary_zh"),
                       _f("summary_en"), _f("digest"), _f("current", "boolean")],
            "primaryKey": ["version"],
        },
        "edition_changes": {
            "fields": [_req("version"), _req("seq", "integer"), _req("op"), _req("kind"),
                       _f("id"), _f("field"), _f("old"), _f("new")],
            "primaryKey": ["version", "seq"],
            "foreignKeys": [_fk("version", "editions", "version")],
        },
    }  # fmt: skip
    if with_kpis:
        tables["kpis"] = {
            "fields": [
                _req("id"),
                _req("group"),
                _req("name_zh"),
                _f("name_en"),
                _f("unit"),
                _req("direction"),
                _f("formula"),
                _f("confidence", constraints={"required": True, "enum": ["H", "M", "L"]}),
                _f("default_target"),
                _req("uri", "string", format="uri"),
                _f("page"),
            ],
            "primaryKey": ["id"],
        }
        tables["kpi_targets"] = {
            "fields": [
                _req("kpi"),
                _req("target"),
                _f("label_zh"),
                _f("label_en"),
                _req("value", "number"),
                _f("confidence", constraints={"required": True, "enum": ["H", "M", "L"]}),
                _f("source"),
            ],
            "primaryKey": ["kpi", "target"],
            "foreignKeys": [_fk("kpi", "kpis", "id")],
        }
        tables["kpi_clauses"] = {
            "fields": [_req("kpi"), _req("clause")],
            "primaryKey": ["kpi", "clause"],
            "foreignKeys": [_fk("kpi", "kpis", "id"), _fk("clause", "clauses", "id")],
        }
    return tables


def _join(items: Iterable[Any]) -> str:
    return ";".join(str(i) for i in items)


def _rows(
    std: Standard,
    scheme: UriScheme,
    registry: Registry | None,
    cw: Crosswalk,
) -> dict[str, list[Sequence[Any]]]:
    from gdsmodel.standards.editions import load_changelog

    rows: dict[str, list[Sequence[Any]]] = {name: [] for name in _tables(registry is not None)}
    for p in std.posts:
        rows["posts"].append(
            [p.id, p.name.zh, p.name.en, p.section, p.reports_to or "", p.heads or "",
             scheme.uri("post", p.id), scheme.page("post", p.id)]
        )  # fmt: skip
    for u in std.units:
        rows["units"].append(
            [u.id, u.name.zh, u.name.en, u.section, u.head, u.reports_to or "",
             scheme.uri("unit", u.id), scheme.page("unit", u.id)]
        )  # fmt: skip
        for role in u.members:
            rows["roles"].append(
                [role.id, u.id, role.name.zh, role.name.en, scheme.uri("role", role.id)]
            )
    for c in std.clauses():
        is_unit = isinstance(std.owner(c.owner), Unit)
        rows["clauses"].append(
            [c.id, "" if is_unit else c.owner, c.owner if is_unit else "", c.kind, c.number,
             c.text.zh, c.text.en, _join(c.categories), _join(c.cadences), c.note,
             scheme.uri("clause", c.id),
             scheme.page("clause", c.id, owner=c.owner, unit=c.owner if is_unit else "")]
        )  # fmt: skip
        rows["clause_terms"] += [[c.id, t] for t in c.terms]
        rows["clause_regulations"] += [[c.id, r] for r in c.regulations]
        rows["clause_targets"] += [
            [c.id, t.indicator, t.comparison, str(t.value), t.unit, t.quote] for t in c.targets
        ]
    g = std.glossary
    for t in g.terms:
        rows["terms"].append(
            [t.id, t.name.zh, t.name.en, t.definition.zh, t.definition.en, str(t.confidence),
             str(t.source), _join(t.aliases), scheme.uri("term", t.id), scheme.page("term", t.id)]
        )  # fmt: skip
    for r in g.regulations:
        rows["regulations"].append(
            [r.id, r.title.zh, r.title.en, str(r.kind), r.issuer, r.year,
             scheme.uri("regulation", r.id), scheme.page("regulation", r.id)]
        )  # fmt: skip
    for party in g.parties:
        rows["parties"].append([party.id, party.name.zh, party.name.en])
    for m in cw.mappings:
        src = cw.scheme(m.scheme).source
        rows["crosswalk"].append(
            [m.subject, m.scheme, m.code, m.title, m.level, str(m.kind), str(m.confidence),
             m.target_uri, m.note, str(src)]
        )  # fmt: skip
    log = load_changelog()
    for e in log.editions:
        rows["editions"].append(
            [e.version, e.date.isoformat(), e.summary.zh, e.summary.en, e.digest,
             "true" if e.version == log.current else "false"]
        )  # fmt: skip
        for i, ch in enumerate(e.changes, 1):
            old = "" if ch.old is None else json.dumps(ch.old, ensure_ascii=False)
            new = "" if ch.new is None else json.dumps(ch.new, ensure_ascii=False)
            rows["edition_changes"].append(
                [e.version, i, str(ch.op), ch.kind, ch.id, ch.field, old, new]
            )
    if registry is not None:
        clause_ids = {c.id for c in std.clauses()}
        for d in registry.metrics():
            rows["kpis"].append(
                [d.id, str(d.group), d.name.zh, d.name.en, d.unit, str(d.direction), d.formula,
                 str(d.confidence), d.default_target or "", scheme.uri("kpi", d.id),
                 scheme.page("kpi", d.id)]
            )  # fmt: skip
            for spec in d.targets:
                label = spec.label
                rows["kpi_targets"].append(
                    [d.id, spec.id, label.zh if label else "", label.en if label else "",
                     str(spec.value), str(spec.confidence), str(spec.source)]
                )  # fmt: skip
            rows["kpi_clauses"] += [[d.id, cid] for cid in d.clauses if cid in clause_ids]
    return rows


def _csv(header: list[str], rows: list[Sequence[Any]]) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return out.getvalue()


def datapackage_descriptor(
    std: Standard,
    *,
    registry: Registry | None = None,
    scheme: UriScheme | None = None,
    edition: str | None = None,
) -> dict[str, Any]:
    """The ``datapackage.json`` descriptor (Data Package v1, tabular resources)."""
    from gdsmodel.standards.editions import edition_of

    scheme = scheme or UriScheme()
    version = edition if edition is not None else edition_of(std)
    resources = []
    for name, schema in _tables(registry is not None).items():
        table_schema: dict[str, Any] = {"fields": schema["fields"]}
        if "primaryKey" in schema:
            table_schema["primaryKey"] = schema["primaryKey"]
        if schema.get("foreignKeys"):
            # a foreign key into the resource itself is written with an empty resource name
            table_schema["foreignKeys"] = [
                {**fk, "reference": {**fk["reference"], "resource": ""}}
                if fk["reference"]["resource"] == name
                else fk
                for fk in schema["foreignKeys"]
            ]
        resources.append(
            {
                "name": name,
                "path": f"{name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": table_schema,
            }
        )
    descriptor: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": "gdsmodel-standard",
        "id": scheme.uri("standard"),
        "title": f"{std.title.zh} / {std.title.en}",
        "homepage": scheme.human_view("standard"),
        "sources": [{"title": std.source.document, "version": std.source.edition}],
        "resources": resources,
    }
    if version:
        descriptor["version"] = version
    return descriptor


def datapackage_files(
    std: Standard,
    *,
    registry: Registry | None = None,
    scheme: UriScheme | None = None,
    crosswalk: Crosswalk | None = None,
    edition: str | None = None,
) -> dict[str, str]:
    """Every file of the package: ``{"datapackage.json": ..., "posts.csv": ..., ...}``."""
    scheme = scheme or UriScheme()
    cw = crosswalk or load_crosswalk()
    tables = _tables(registry is not None)
    rows = _rows(std, scheme, registry, cw)
    files = {
        f"{name}.csv": _csv([f["name"] for f in schema["fields"]], rows[name])
        for name, schema in tables.items()
    }
    descriptor = datapackage_descriptor(std, registry=registry, scheme=scheme, edition=edition)
    files["datapackage.json"] = json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n"
    return files


def write_datapackage(
    std: Standard,
    dest: str | Path,
    *,
    registry: Registry | None = None,
    scheme: UriScheme | None = None,
    edition: str | None = None,
) -> Path:
    """Write the package into the folder ``dest`` (created), or as a zip if it ends ``.zip``."""
    path = Path(dest)
    files = datapackage_files(std, registry=registry, scheme=scheme, edition=edition)
    if path.suffix == ".zip":
        path.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for name, content in files.items():
                z.writestr(name, content)
        return path
    path.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (path / name).write_text(content, encoding="utf-8")
    return path
