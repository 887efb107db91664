"""MkDocs hook: the reference pages and downloads of the site, generated from the package.

Registered in ``mkdocs.yml`` under ``hooks:``. Everything here is derived at build time from
gdsmodel itself, so the site cannot drift from the data:

* ``standard/index.md``: the organisation (a Mermaid diagram of posts and units, who leads
  which unit, who assists, cooperates with, urges or supervises whom);
* ``standard/posts/<id>.md`` and ``standard/units/<id>.md``: every clause of a post or unit,
  its stable ID as the HTML anchor, Chinese and English side by side, its categories,
  cadences, targets, glossary terms, regulations, errata, notes and the KPIs that measure it;
* ``standard/clauses.md`` (an index of every clause ID) and ``standard/glossary.md`` (terms,
  regulations and parties, each anchored by its ID);
* ``kpis.md`` (every KPI of the registry, its formula rendered as MathML) and
  ``safety-tools-reference.md`` (the 32-character rule and the test intervals), when those
  modules are part of the build;
* ``reference/cli.md`` (from the argparse parser) and ``reference/api/*.md`` (mkdocstrings);
* ``downloads.md`` and ``downloads/*``: the standard as JSON and YAML, its JSON Schema, the
  KPI registry as JSON, the standard as JSON-LD and SKOS (Turtle), and the data package
  (``downloads/datapackage.json`` and its CSV tables beside it).

Formulas written ``$...$`` or ``$$...$$`` on any page (pymdownx.arithmatex, generic mode) are
turned into MathML here, so pages need no JavaScript to show them. Chinese search relies on
jieba (used by the search plugin); the glossary's words are added to its dictionary.
"""

from __future__ import annotations

import argparse
import functools
import html
import importlib
import importlib.util
import json
import logging
import os
import pkgutil
import posixpath
import re
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

log = logging.getLogger("mkdocs.plugins.gdsmodel_pages")

T = TypeVar("T")

# Pages that other parts of the project write by hand. When one is missing from this build a
# short placeholder stands in for it, so that links and the nav stay valid.
HAND_WRITTEN = {
    "metrics.md": ("KPIs 指标", "gdsmodel.metrics.registry"),
    "reliability.md": ("Supply reliability 供电可靠性", "gdsmodel.metrics.reliability"),
    "safety-tools.md": ("Safety tools 安全工器具", "gdsmodel.standards.safety_tools"),
    "periods.md": ("Periods 周期", "gdsmodel.periods"),
    "calendar.md": ("The obligations calendar 工作日历", "gdsmodel.standards.calendar"),
    "report.md": ("The monthly station report 月度工作报告", "gdsmodel.report"),
}

CATEGORY_ZH = {
    "safety": "安全",
    "operations": "运行维护",
    "technical": "技术",
    "marketing": "营销",
    "metering": "计量",
    "billing": "电费",
    "line_loss": "线损",
    "service": "客户服务",
    "training": "培训",
    "reporting": "报表统计",
    "assessment": "考核",
    "planning": "计划",
    "meetings": "会议",
    "administration": "行政管理",
    "compliance": "合规",
}
CADENCE_ZH = {
    "annual": "每年",
    "quarterly": "每季",
    "monthly": "每月",
    "month_end": "月底",
    "periodic": "定期",
    "seasonal": "季节性",
    "on_event": "遇事即办",
    "ad_hoc": "临时/不定期",
}
RELATION_ZH = {"assists": "协助", "cooperates": "配合", "urges": "督促", "supervises": "监督"}
COMPARISON = {">=": "≥", "<=": "≤", "==": "="}

_MATH = re.compile(r'<(span|div) class="arithmatex">(.*?)</\1>', re.S)


# ----------------------------------------------------------------------------- small helpers


def md(text: str) -> str:
    """Text made safe for Markdown (and for a table cell): no markup, no HTML, no math.

    >>> print(md("a|b *c* <d> $x$"))
    a\\|b \\*c\\* &lt;d&gt; \\$x\\$
    """
    out = html.escape(str(text), quote=False)
    out = re.sub(r"([\\`*_\[\]{}|$#!])", r"\\\1", out)
    return " ".join(out.split())


def bilingual(zh: str, en: str) -> list[str]:
    """Chinese and English side by side (a two-column table in plain Markdown)."""
    return [
        '<div class="gds-bilingual" markdown>',
        "",
        "| 中文 | English |",
        "|---|---|",
        f"| {md(zh)} | {md(en)} |",
        "",
        "</div>",
        "",
    ]


def rel(from_page: str, to_page: str, anchor: str | None = None) -> str:
    """The relative Markdown link from one generated page to another.

    >>> rel("standard/posts/director.md", "standard/glossary.md", "two_tickets")
    '../glossary.md#two_tickets'
    """
    target = posixpath.relpath(to_page, posixpath.dirname(from_page) or ".")
    return f"{target}#{anchor}" if anchor else target


def bi(zh: str, en: str) -> str:
    """Chinese and English on one line."""
    return f"{zh} · {en}" if en and en != zh else zh


def _optional(what: str, load: Callable[[], T]) -> T | None:
    """``load()``, or None when a module or data file of that part is not in this build."""
    try:
        return load()
    except (ImportError, OSError) as exc:
        log.info(
            "gdsmodel docs: %s is not part of this build (%s); its pages are left out", what, exc
        )
        return None


def _registry() -> Any:
    from gdsmodel.metrics.registry import default_registry

    return default_registry()


def _safety_tools() -> dict[str, Any]:
    from gdsmodel.standards.safety_tools import catalogue, principles

    return {"catalogue": catalogue, "principles": principles}


# ----------------------------------------------------------------------------- the model


class Site:
    """Everything the generated pages are made of, loaded once per build."""

    def __init__(self) -> None:
        from gdsmodel.standards.standard import load_standard

        self.std = load_standard()
        self.registry = _optional("the KPI registry", _registry)
        self.tools = _optional("the safety-tools catalogue", _safety_tools)
        self.examples: dict[str, str] = {}
        self.owner_ids = {p.id for p in self.std.posts} | {u.id for u in self.std.units}
        self.clause_ids = {c.id for c in self.std.clauses()}
        g = self.std.glossary
        ids = [t.id for t in g.terms] + [r.id for r in g.regulations] + [p.id for p in g.parties]
        clash = sorted({i for i in ids if ids.count(i) > 1})
        if clash:
            raise ValueError(f"glossary anchors must be unique on one page; repeated: {clash}")

    # paths ---------------------------------------------------------------------------

    def owner_page(self, owner_id: str) -> str:
        folder = "posts" if any(p.id == owner_id for p in self.std.posts) else "units"
        return f"standard/{folder}/{owner_id}.md"

    def owners(self) -> list[Any]:
        """Posts and units in the order of the source's sections."""
        out: list[Any] = []
        for section in self.std.station.sections:
            out += [self.std.unit(u) for u in section.units]
            out += [self.std.post(p) for p in section.posts]
        return out

    def party_link(self, page: str, party: str) -> str:
        """A link to a post, a unit or an external party."""
        if party in self.owner_ids:
            o = self.std.owner(party)
            return f"[{md(bi(o.name.zh, o.name.en))}]({rel(page, self.owner_page(party))})"
        p = self.std.glossary.party(party)
        return f"[{md(bi(p.name.zh, p.name.en))}]({rel(page, 'standard/glossary.md', party)})"

    def clause_link(self, page: str, clause_id: str) -> str:
        if clause_id not in self.clause_ids:
            log.warning("gdsmodel docs: %s refers to unknown clause %r", page, clause_id)
            return f"`{clause_id}`"
        owner = self.std.clause(clause_id).owner
        return f"[`{clause_id}`]({rel(page, self.owner_page(owner), clause_id)})"

    def kpi_link(self, page: str, metric_id: str) -> str:
        if self.registry is None or metric_id not in self.registry:
            return f"`{metric_id}`"
        d = self.registry.metric(metric_id)
        return f"[{md(bi(d.name.zh, d.name.en))}]({rel(page, 'kpis.md', metric_id)})"

    def kpis_of_clause(self, clause_id: str) -> tuple[Any, ...]:
        if self.registry is None:
            return ()
        return tuple(d for d in self.registry.metrics() if clause_id in d.clauses)


# ----------------------------------------------------------------------------- pages: standard


def page_organisation(site: Site) -> str:
    std = site.std
    page = "standard/index.md"
    lines = [
        f"# {md(bi(std.station.name.zh, std.station.name.en))}",
        "",
        f"**{md(std.title.zh)}** · {md(std.title.en)}  ",
        f"Source 来源: {md(str(std.source))}",
        "",
        "The organisation of the station: who reports to whom, which post leads which unit, and "
        "who assists, cooperates with, urges or supervises whom according to the clauses. "
        "组织结构：上下级、各专业组负责人，以及条款所述的协助、配合、督促、监督关系。",
        "",
        "```mermaid",
        "flowchart TD",
    ]
    for o in site.owners():
        label = f"{o.name.zh}<br>{o.name.en}".replace('"', "'")
        shape = ('["', '"]') if o in std.posts else ('(["', '"])')
        lines.append(f"    {o.id}{shape[0]}{label}{shape[1]}")
    relations = _relations(site)
    external = sorted({party for (_, _, party) in relations if party not in site.owner_ids})
    for pid in external:
        ext = std.glossary.party(pid)
        label = f"{ext.name.zh}<br>{ext.name.en}".replace('"', "'")
        lines.append(f'    {pid}{{{{"{label}"}}}}')
    for p in std.posts:
        if p.reports_to:
            lines.append(f"    {p.reports_to} --> {p.id}")
    for u in std.units:
        lines.append(f"    {u.head} ===|负责 heads| {u.id}")
        head_reports_to = std.post(u.head).reports_to if u.head in site.owner_ids else None
        if u.reports_to and u.reports_to not in (u.head, head_reports_to):
            lines.append(f"    {u.reports_to} --> {u.id}")
    for (owner, kind, party), clauses in relations.items():
        n = len(clauses)
        label = f"{RELATION_ZH[kind]} {kind}" + (f" ×{n}" if n > 1 else "")
        lines.append(f"    {owner} -.->|{label}| {party}")
    lines += [
        "```",
        "",
        "Solid arrows: reports to (上级 → 下级). Thick lines: the post that heads a unit. "
        "Dotted arrows: relations stated in clauses. "
        "实线：上下级；粗线：专业组负责人；虚线：条款所述关系。",
        "",
        "## Posts and units 岗位与专业组 {#owners}",
        "",
        "| § | 名称 | Name | Kind 类型 | Clauses 条款 | Reports to 上级 |",
        "|---|---|---|---|---|---|",
    ]
    for o in site.owners():
        kind = "post 岗位" if o in std.posts else "unit 专业组"
        numeral = next(s.numeral for s in std.station.sections if s.number == o.section)
        up = site.party_link(page, o.reports_to) if o.reports_to else "—"
        link = f"[{md(o.name.zh)}]({rel(page, site.owner_page(o.id))})"
        n = len(list(o.clauses()))
        lines.append(f"| {numeral} | {link} | {md(o.name.en)} | {kind} | {n} | {up} |")
    lines += [
        "",
        "## Relations 协作关系 {#relations}",
        "",
        "| From 主体 | Relation 关系 | To 对象 | Clauses 条款 |",
        "|---|---|---|---|",
    ]
    for (owner, kind, party), clauses in relations.items():
        links = ", ".join(site.clause_link(page, c) for c in clauses)
        lines.append(
            f"| {site.party_link(page, owner)} | {RELATION_ZH[kind]} {kind} "
            f"| {site.party_link(page, party)} | {links} |"
        )
    lines.append("")
    return "\n".join(lines)


def _relations(site: Site) -> dict[tuple[str, str, str], list[str]]:
    out: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for c in site.std.clauses():
        for r in c.relations:
            out[(c.owner, str(r.kind), r.party)].append(c.id)
    return dict(out)


def page_owner(site: Site, owner: Any) -> str:
    std = site.std
    page = site.owner_page(owner.id)
    is_post = owner in std.posts
    section = next(s for s in std.station.sections if s.number == owner.section)
    lines = [
        f"# {md(owner.name.zh)} · {md(owner.name.en)}",
        "",
        f"- **ID:** `{owner.id}` · {'post 岗位' if is_post else 'unit 专业组'}",
        f"- **Section 章节:** {section.numeral} · {md(bi(section.title.zh, section.title.en))}",
    ]
    if owner.reports_to:
        lines.append(f"- **Reports to 上级:** {site.party_link(page, owner.reports_to)}")
    if is_post and owner.heads:
        lines.append(f"- **Heads 负责:** {site.party_link(page, owner.heads)}")
    if not is_post:
        lines.append(f"- **Head 负责人:** {site.party_link(page, owner.head)}")
        if owner.members:
            members = ", ".join(md(bi(m.name.zh, m.name.en)) for m in owner.members)
            lines.append(f"- **Members 成员:** {members}")
    incoming = [(c, r) for c in std.clauses() for r in c.relations if r.party == owner.id]
    if incoming:
        items = ", ".join(
            f"{RELATION_ZH[str(r.kind)]} {r.kind}: {site.clause_link(page, c.id)}"
            for c, r in incoming
        )
        lines.append(f"- **Named by other clauses 他岗条款涉及:** {items}")
    if site.registry is not None:
        owned = [d for d in site.registry.metrics() if owner.id in d.owners]
        if owned:
            links = ", ".join(site.kpi_link(page, d.id) for d in owned)
            lines.append(f"- **KPIs owned 负责指标:** {links}")
    lines.append("")
    lists = [(owner.duties_heading, owner.duties, "duties")]
    if is_post and owner.standards:
        lists.append((owner.standards_heading, owner.standards, "standards"))
    for heading, clauses, anchor in lists:
        lines += [f"## {md(bi(heading.zh, heading.en))} {{#{anchor}}}", ""]
        for c in clauses:
            lines += clause_block(site, page, c)
    return "\n".join(lines)


def clause_block(site: Site, page: str, c: Any) -> list[str]:
    """One clause: its ID as heading and anchor, the text side by side, then its facts."""
    glossary = site.std.glossary
    out = [
        f"### {c.id} {{#{c.id}}}",
        "",
        *bilingual(c.text.zh, c.text.en),
    ]
    cats = ", ".join(
        f"`{x}` {CATEGORY_ZH.get(str(x), '')}"
        + (" (main 主)" if i == 0 and len(c.categories) > 1 else "")
        for i, x in enumerate(c.categories)
    )
    cads = ", ".join(f"`{x}` {CADENCE_ZH.get(str(x), '')}" for x in c.cadences)
    facts = [
        f"- **Category 类别:** {cats or '—'}",
        f"- **Cadence 周期:** {cads or '— (not stated 未规定)'}",
    ]
    for t in c.targets:
        facts.append(
            f"- **Target 目标:** {site.kpi_link(page, t.indicator)} "
            f"{COMPARISON.get(t.comparison, t.comparison)} {md(str(t.value))}{md(t.unit)} "
            f"— “{md(t.quote)}”"
        )
    if c.terms:
        terms = ", ".join(
            f"[{md(bi(glossary.term(t).name.zh, glossary.term(t).name.en))}]"
            f"({rel(page, 'standard/glossary.md', t)})"
            for t in c.terms
        )
        facts.append(f"- **Terms 术语:** {terms}")
    if c.regulations:
        regs = ", ".join(
            f"[{md(bi(glossary.regulation(r).title.zh, glossary.regulation(r).title.en))}]"
            f"({rel(page, 'standard/glossary.md', r)})"
            for r in c.regulations
        )
        facts.append(f"- **Regulations 法规:** {regs}")
    for r in c.relations:
        note = f" — {md(r.note)}" if r.note else ""
        facts.append(
            f"- **{r.kind.capitalize()} {RELATION_ZH[str(r.kind)]}:** "
            f"{site.party_link(page, r.party)}{note}"
        )
    for e in c.errata:
        note = f" — {md(e.note)}" if e.note else ""
        facts.append(
            f"- **Erratum 勘误:** written 原文 “{md(e.written)}”, "
            f"meant 应为 “{md(e.intended)}”{note}"
        )
    if c.note:
        facts.append(f"- **Note 注:** {md(c.note)}")
    kpis = site.kpis_of_clause(c.id)
    if kpis:
        facts.append(
            "- **Measured by 考核指标:** "
            + "; ".join(
                site.kpi_link(page, d.id) + (f" ${d.formula.strip()}$" if d.formula else "")
                for d in kpis
            )
        )
    return [*out, *facts, ""]


def page_clauses(site: Site) -> str:
    page = "standard/clauses.md"
    lines = [
        "---",
        "search:",
        "  exclude: true",
        "---",
        "",
        "# All clauses 条款索引",
        "",
        f"Every clause of the standard ({len(site.clause_ids)}), by its stable ID "
        "`OWNER.duty.N` (岗位职责, 工作职责) or `OWNER.standard.N` (岗位工作标准). "
        "全部条款及其稳定编号。",
        "",
    ]
    for section in site.std.station.sections:
        lines += [f"## {section.numeral} · {md(bi(section.title.zh, section.title.en))}", ""]
        lines += ["| ID | 类别 Category | 周期 Cadence | 中文 |", "|---|---|---|---|"]
        for owner_id in (*section.units, *section.posts):
            for c in site.std.clauses(owner_id):
                cads = ", ".join(str(x) for x in c.cadences) or "—"
                text = c.text.zh if len(c.text.zh) <= 36 else c.text.zh[:35] + "…"
                lines.append(
                    f"| {site.clause_link(page, c.id)} | {c.category or '—'} | {cads} "
                    f"| {md(text)} |"
                )
        lines.append("")
    return "\n".join(lines)


def page_glossary(site: Site) -> str:
    page = "standard/glossary.md"
    g = site.std.glossary
    used: dict[str, list[str]] = defaultdict(list)
    for c in site.std.clauses():
        for x in (*c.terms, *c.regulations, *(r.party for r in c.relations)):
            if c.id not in used[x]:
                used[x].append(c.id)
    lines = [
        "# Glossary and regulations 术语与法规",
        "",
        "The named rules and concepts the standard uses, the laws and documents it cites, and the "
        "parties outside the station it names. Each entry's anchor is its ID. "
        "标准中的专用术语、引用的法规文件及站外相关方；锚点即编号。",
        "",
        "## Terms 术语 {#terms}",
        "",
    ]
    for t in g.terms:
        lines += [
            f"### {md(bi(t.name.zh, t.name.en))} {{#{t.id}}}",
            "",
            *bilingual(t.definition.zh, t.definition.en),
            f"- **ID:** `{t.id}` · confidence 可信度 **{t.confidence}**",
        ]
        if t.parts:
            parts = "; ".join(f"{i}. {md(bi(p.zh, p.en))}" for i, p in enumerate(t.parts, 1))
            lines.append(f"- **Parts 组成:** {parts}")
        if t.aliases:
            lines.append("- **As written 原文写法:** " + ", ".join(f"“{md(a)}”" for a in t.aliases))
        lines.append(f"- **Source 来源:** {md(str(t.source))}")
        if t.source.note:
            lines.append(f"- **Note 注:** {md(t.source.note)}")
        lines += [_used_by(site, page, used.get(t.id, [])), ""]
    lines += ["## Regulations 法规 {#regulations}", ""]
    for r in g.regulations:
        lines += [
            f"### {md(bi(r.title.zh, r.title.en))} {{#{r.id}}}",
            "",
            f"- **ID:** `{r.id}` · {r.kind}",
        ]
        if r.issuer or r.year:
            lines.append(f"- **Issued 发布:** {md(', '.join(x for x in (r.issuer, r.year) if x))}")
        if r.aliases:
            lines.append("- **As written 原文写法:** " + ", ".join(f"“{md(a)}”" for a in r.aliases))
        if r.note:
            lines.append(f"- **Note 注:** {md(r.note)}")
        lines += [_used_by(site, page, used.get(r.id, [])), ""]
    lines += ["## Parties outside the station 站外相关方 {#parties}", ""]
    for p in g.parties:
        lines += [
            f"### {md(bi(p.name.zh, p.name.en))} {{#{p.id}}}",
            "",
            f"- **ID:** `{p.id}`",
            _used_by(site, page, used.get(p.id, [])),
            "",
        ]
    return "\n".join(lines)


def _used_by(site: Site, page: str, clause_ids: list[str]) -> str:
    if not clause_ids:
        return "- **Cited by 引用条款:** —"
    return "- **Cited by 引用条款:** " + ", ".join(site.clause_link(page, c) for c in clause_ids)


# ----------------------------------------------------------------------------- pages: KPIs


def page_kpis(site: Site) -> str:
    page = "kpis.md"
    head = [
        "# Every KPI 指标一览",
        "",
        "The KPI registry of gdsmodel, generated from `gdsmodel.metrics.registry`: formula, unit, "
        "direction, targets with their sources, the posts that own each figure and the clauses "
        "that call for it. How to compute them: see the [guide](metrics.md). "
        "指标注册表：公式、单位、方向、目标值及来源、责任岗位、相关条款。",
        "",
    ]
    if site.registry is None:
        return "\n".join([*head, "!!! note", "    The KPI registry is not part of this build.", ""])
    defs = list(site.registry.metrics())
    lines = [
        *head,
        "| ID | 名称 | Name | Unit 单位 | Better 方向 | Default target 默认目标 |",
        "|---|---|---|---|---|---|",
    ]
    for d in defs:
        target = md(_signs(str(d.target))) if d.target is not None else "—"
        lines.append(
            f"| [`{d.id}`](#{d.id}) | {md(d.name.zh)} | {md(d.name.en)} | {md(d.unit) or '—'} "
            f"| {d.direction} | {target} |"
        )
    lines.append("")
    groups: dict[str, list[Any]] = defaultdict(list)
    for d in defs:
        groups[str(getattr(d, "group", "")) or "other"].append(d)
    for group, items in groups.items():
        lines += [f"## {group.replace('_', ' ').capitalize()} {{#group-{group}}}", ""]
        for d in items:
            lines += kpi_block(site, page, d)
    return "\n".join(lines)


def kpi_block(site: Site, page: str, d: Any) -> list[str]:
    out = [f"### {md(bi(d.name.zh, d.name.en))} {{#{d.id}}}", ""]
    if d.formula:
        out += ["$$", d.formula.strip(), "$$", ""]
    out += [
        f"- **ID:** `{d.id}` · confidence 可信度 **{d.confidence}**",
        f"- **Unit 单位:** {md(d.unit) or '— (dimensionless)'}",
        f"- **Direction 方向:** {d.direction} is better",
    ]
    if d.valid_range is not None:
        lo, hi = d.valid_range
        out.append(
            f"- **Valid range 取值范围:** {md(str(lo))} … {md(str(hi))} (as a fraction of one)"
        )
    if d.inputs:
        out.append("- **Inputs 输入:** " + ", ".join(f"`{i}`" for i in d.inputs))
    if d.denominator:
        out.append(
            f"- **Additive form 可加形式:** numerator `{_linear(d.numerator)}`, "
            f"denominator `{_linear(d.denominator)}` (sum over records first, divide once)"
        )
    elif d.computed_by:
        out.append(f"- **Computed by 计算方法:** `{md(d.computed_by)}`")
    if d.targets:
        out += ["- **Targets 目标:**", ""]
        out += ["    | ID | Target 目标 | Source 来源 | Confidence | Note 注 |"]
        out += ["    |---|---|---|---|---|"]
        for t in d.targets:
            mark = " (default 默认)" if t.id == d.default_target else ""
            label = f" {md(bi(t.label.zh, t.label.en))}" if t.label.zh else ""
            value = md(_signs(str(t.target(unit=d.unit, direction=d.direction))))
            out.append(
                f"    | `{t.id}`{mark}{label} | {value} | {md(str(t.source))} "
                f"| {t.confidence} | {md(t.note)} |"
            )
        out.append("")
    else:
        out.append("- **Targets 目标:** none recorded 未规定")
    if d.owners:
        owners = ", ".join(
            site.party_link(page, o) if o in site.owner_ids else f"`{o}`" for o in d.owners
        )
        out.append(f"- **Owners 责任岗位:** {owners}")
    if d.clauses:
        out.append(
            "- **Clauses 相关条款:** " + ", ".join(site.clause_link(page, c) for c in d.clauses)
        )
    if d.sources:
        out.append("- **Sources 来源:** " + "; ".join(md(str(s)) for s in d.sources))
    if d.notes:
        out.append(f"- **Notes 说明:** {md(d.notes)}")
    out += _worked_example(site, d)
    out.append("")
    return out


def _signs(text: str) -> str:
    """``<= 7%`` shown as ``≤ 7%``."""
    for ascii_sign, sign in COMPARISON.items():
        text = text.replace(ascii_sign, sign)
    return text


def _linear(terms: Any) -> str:
    """``{"a": 1, "b": -1}`` shown as ``a - b``."""
    out = ""
    for name, coef in terms.items():
        term = name if abs(coef) == 1 else f"{abs(coef)}*{name}"
        if not out:
            out = term if coef > 0 else f"-{term}"
        else:
            out += f" {'-' if coef < 0 else '+'} {term}"
    return out


_EXAMPLE_SECTION = re.compile(r"^### `([a-z0-9_]+)`.*?$(.*?)(?=^#{1,3} |\Z)", re.S | re.M)
_EXAMPLE_BLOCK = re.compile(r"^```(?:python|pycon)\n(>>> .*?)^```", re.S | re.M)


def worked_examples(guide: str) -> dict[str, str]:
    """The worked example (a doctest) of each KPI in the KPI guide, by KPI ID.

    The guide (``docs/metrics.md``) has one section per KPI, headed ``### `ID`: ...``; the
    first ``>>>`` code block of a section is that KPI's worked example.
    """
    out: dict[str, str] = {}
    for m in _EXAMPLE_SECTION.finditer(guide):
        block = _EXAMPLE_BLOCK.search(m.group(2))
        if block:
            out[m.group(1)] = block.group(1).rstrip()
    return out


def _worked_example(site: Site, d: Any) -> list[str]:
    example = site.examples.get(d.id)
    if not example:
        return []
    lines = ["", '!!! example "Worked example 算例"', ""]
    lines += ["    From the [KPI guide](metrics.md):", "", "    ```pycon"]
    lines += [f"    {line}" if line else "" for line in example.splitlines()]
    lines += ["    ```"]
    return lines


# ----------------------------------------------------------------------------- pages: tools


def page_safety_tools(site: Site) -> str:
    page = "safety-tools-reference.md"
    head = [
        "# Safety tools: rules and test intervals 安全工器具：原则与试验周期",
        "",
        "Generated from `gdsmodel.standards.safety_tools`. How to keep a station's tool ledger: "
        "see the [guide](safety-tools.md) and [Keeping the tool ledger](learn/tool-ledger.md).",
        "",
    ]
    if site.tools is None:
        return "\n".join(
            [*head, "!!! note", "    The safety-tools catalogue is not part of this build.", ""]
        )
    principles = site.tools["principles"]
    catalogue = site.tools["catalogue"]
    source = principles.SOURCE_CLAUSE
    lines = [
        *head,
        "## The 32-character rule 32字原则 {#thirty-two-character-rule}",
        "",
        f"Stated in {site.clause_link(page, source)}; glossary: "
        f"[32字原则]({rel(page, 'standard/glossary.md', 'thirty_two_character_rule')}).",
        "",
        "| # | 原则 | Principle | 说明 | Meaning | Ledger operations 台账操作 |",
        "|---|---|---|---|---|---|",
    ]
    for p in principles.PRINCIPLES:
        ops = ", ".join(f"`{op.value}`" for op in p.operations)
        lines.append(
            f"| {p.number} | {md(p.text.zh)} | {md(p.text.en)} | {md(p.explanation.zh)} "
            f"| {md(p.explanation.en)} | {ops} |"
        )
    lines += ["", "## Editions of the test code 试验规程版本 {#editions}", ""]
    lines += ["| ID | Document | Edition | Title 名称 | Notes |", "|---|---|---|---|---|"]
    editions = catalogue.editions()
    for e in editions:
        lines.append(
            f"| `{e.id}` | {md(e.document)} | {md(e.edition)} | {md(bi(e.title.zh, e.title.en))} "
            f"| {md(e.notes)} |"
        )
    lines.append("")
    for i, e in enumerate(editions):
        default = " (default 默认)" if i == 0 else ""
        lines += [
            f"## Test intervals: {md(e.document)}{default} {{#intervals-{e.id}}}",
            "",
            "| Kind 种类 | 名称 | Name | Ratings 电压等级 | Test interval 试验周期 | "
            "Visual check 外观检查 | Source 来源 | Confidence |",
            "|---|---|---|---|---|---|---|---|",
        ]
        kinds = catalogue.tool_kinds(edition=e.id)
        for k in kinds:
            visual = (
                catalogue.format_interval(k.visual_check_interval)
                if k.visual_check_interval
                else "—"
            )
            lines.append(
                f"| `{k.id}` | {md(k.name.zh)} | {md(k.name.en)} "
                f"| {md(', '.join(k.ratings)) or '—'} "
                f"| {md(k.interval_text)} | {md(visual)} | {md(str(k.source))} | {k.confidence} |"
            )
        lines += [
            "",
            "| Kind 种类 | Test 试验 | Rating | Applied | Duration | Limit | Confidence |",
        ]
        lines += ["|---|---|---|---|---|---|---|"]
        for k in kinds:
            for t in k.tests:
                lines.append(
                    f"| `{k.id}` | {md(bi(t.name.zh, t.name.en))} | {md(t.rating) or '—'} "
                    f"| {md(t.applied) or '—'} | {md(t.duration) or '—'} | {md(t.limit) or '—'} "
                    f"| {t.confidence} |"
                )
        notes = [k for k in kinds if k.notes]
        if notes:
            lines += ["", "Notes 说明:", ""]
            lines += [f"- `{k.id}`: {md(k.notes)}" for k in notes]
        lines.append("")
    return "\n".join(lines)


# ----------------------------------------------------------------------------- CLI, API


def page_cli() -> str:
    from gdsmodel.cli import EXIT_ERROR, EXIT_NOT_FOUND, EXIT_OK, EXIT_USAGE, build_parser

    old = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "100"
    try:
        parser = build_parser()
        lines = [
            "# Command line 命令行",
            "",
            "Generated from the `gdsmodel` argument parser. Exit codes: "
            f"**{EXIT_OK}** success; **{EXIT_ERROR}** the command ran and found a problem "
            f"(invalid data, failed validation); **{EXIT_USAGE}** usage error; "
            f"**{EXIT_NOT_FOUND}** something asked for does not exist (unknown post, clause, "
            "term...). Most commands take `--json` for machine output; the standard's commands "
            "take `--standard FILE` to apply [a station's own variant](../learn/variants.md).",
            "",
            "```text",
            parser.format_help().rstrip(),
            "```",
            "",
        ]
        lines += _cli_commands(parser, [], 2)
        return "\n".join(lines)
    finally:
        if old is None:
            os.environ.pop("COLUMNS", None)
        else:
            os.environ["COLUMNS"] = old


def _cli_commands(parser: argparse.ArgumentParser, path: list[str], level: int) -> list[str]:
    """One section per command, nested commands (``gdsmodel tools register``) included."""
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        return []
    helps = {a.dest: a.help for a in subs[0]._choices_actions}
    lines: list[str] = []
    for name, p in subs[0].choices.items():
        words = [*path, name]
        lines += [f"{'#' * level} gdsmodel {' '.join(words)} {{#{'-'.join(words)}}}", ""]
        if helps.get(name):
            text = md(str(helps[name]))
            lines += [text[:1].upper() + text[1:] + ".", ""]
        lines += ["```text", p.format_help().rstrip(), "```", ""]
        lines += _cli_commands(p, words, min(level + 1, 4))
    return lines


def api_modules() -> list[str]:
    """The public modules of gdsmodel that import in this build, in a stable order."""
    import gdsmodel

    names = ["gdsmodel"]
    for info in pkgutil.walk_packages(gdsmodel.__path__, "gdsmodel."):
        parts = info.name.split(".")
        if any(p.startswith("_") for p in parts) or parts[1] == "cli" or parts[-1] == "data":
            continue
        if info.ispkg:  # a package's page would repeat its modules' pages
            continue
        names.append(info.name)
    out = []
    for name in names:
        spec = importlib.util.find_spec(name)
        if spec is None or spec.origin is None:  # a namespace package still being written
            continue
        if _optional(f"module {name}", functools.partial(importlib.import_module, name)):
            out.append(name)
    return sorted(out, key=_module_order)


def _module_order(name: str) -> tuple[int, str]:
    first = ["gdsmodel", "gdsmodel.standards.standard", "gdsmodel.roles.model"]
    return (first.index(name), "") if name in first else (len(first), name)


def api_page_path(module: str) -> str:
    return f"reference/api/{module}.md"


def page_api(module: str) -> str:
    return f"# `{module}`\n\n::: {module}\n    options:\n      show_root_heading: false\n"


# ----------------------------------------------------------------------------- downloads


def downloads(site: Site) -> dict[str, tuple[str, str]]:
    """``{path: (description, content)}`` of the files offered for download."""
    from gdsmodel.standards.export import json_schema

    out = {
        "downloads/standard.json": (
            "The whole standard as JSON 标准全文 (JSON): `Standard.to_data()`",
            site.std.to_json() + "\n",
        ),
        "downloads/standard.yaml": (
            "The whole standard as YAML 标准全文 (YAML)",
            site.std.to_yaml(),
        ),
        "downloads/standard.schema.json": (
            "The JSON Schema (draft 2020-12) of the JSON export",
            json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n",
        ),
    }
    if site.registry is not None:
        from gdsmodel.serialize import converter

        data = {
            "format": "gdsmodel.kpis/1",
            "metrics": [converter.unstructure(d) for d in site.registry.metrics()],
        }
        out["downloads/kpis.json"] = (
            "The KPI registry as JSON 指标注册表 (JSON)",
            json.dumps(data, ensure_ascii=False, indent=2, default=_jsonable) + "\n",
        )
    out.update(_linked_downloads(site))
    return out


def _linked_downloads(site: Site) -> dict[str, tuple[str, str]]:
    """The standard as linked data (JSON-LD, SKOS in Turtle) and as a Frictionless data
    package (see ``standard-as-data.md``)."""
    from gdsmodel.linked.datapackage import datapackage_files
    from gdsmodel.linked.jsonld import to_jsonld_text

    out = {
        "downloads/standard.jsonld": (
            "JSON-LD with schema.org (`Occupation`, `DefinedTermSet`): "
            "`gdsmodel export --format jsonld`",
            to_jsonld_text(site.std),
        )
    }

    def turtle() -> str:
        import rdflib  # noqa: F401  (an ImportError leaves the Turtle file out)

        from gdsmodel.linked.skos import to_turtle

        return to_turtle(site.std, registry=site.registry)

    ttl = _optional("the Turtle export (rdflib)", turtle)
    if ttl is not None:
        out["downloads/standard.ttl"] = (
            "SKOS in Turtle (posts, clauses, glossary, KPIs): `gdsmodel export --format turtle`",
            ttl,
        )
    # The package's tables sit beside its descriptor, which names them by relative path.
    files = datapackage_files(site.std, registry=site.registry)
    out["downloads/datapackage.json"] = (
        "Frictionless data package: the descriptor of the CSV tables below (types, keys, "
        "foreign keys) `gdsmodel export --format datapackage -o DIR`",
        files.pop("datapackage.json"),
    )
    for name, content in files.items():
        out[f"downloads/{name}"] = (f"data package table `{name[:-4]}` (CSV)", content)
    return out


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict | list | tuple):
        return value
    if hasattr(value, "items"):  # read-only mappings
        return dict(value.items())
    return str(value)


def page_downloads(files: dict[str, tuple[str, str]]) -> str:
    lines = [
        "# Downloads 下载",
        "",
        "Machine-readable files, generated from the package when this site was built. "
        "The same files come from the command line: `gdsmodel export` (JSON), "
        "`gdsmodel export --format yaml`, `gdsmodel schema`. 机器可读文件，与命令行导出一致。",
        "",
        "| File 文件 | Content 内容 | Size 大小 |",
        "|---|---|---|",
    ]
    for path, (what, content) in files.items():
        size = len(content.encode("utf-8"))
        lines.append(f"| [{posixpath.basename(path)}]({path}) | {what} | {size / 1024:.0f} KiB |")
    lines += [
        "",
        "Read the JSON back with `Standard.from_data(json.load(f))`; check it against the "
        "schema with any JSON Schema validator. The JSON-LD, Turtle and data package are "
        "explained in [Using the standard as data](standard-as-data.md).",
        "",
    ]
    return "\n".join(lines)


def page_missing(title: str, module: str) -> str:
    return (
        f"# {title}\n\n!!! note\n    This page belongs to `{module}`, which is not part of "
        "this build.\n"
    )


# ----------------------------------------------------------------------------- math


def render_math(text: str) -> str:
    """Replace arithmatex's generic-mode spans and divs with MathML (no JavaScript)."""
    if 'class="arithmatex"' not in text:
        return text
    from latex2mathml.converter import convert

    def replace(m: re.Match[str]) -> str:
        tag, body = m.group(1), html.unescape(m.group(2)).strip()
        if body.startswith("\\(") and body.endswith("\\)"):
            latex, display = body[2:-2], "inline"
        elif body.startswith("\\[") and body.endswith("\\]"):
            latex, display = body[2:-2], "block"
        else:
            return m.group(0)
        try:
            mathml = convert(latex.strip(), display=display)
        except Exception as exc:
            log.warning("gdsmodel docs: cannot render the formula %r: %s", latex, exc)
            return m.group(0)
        return f'<{tag} class="arithmatex">{mathml}</{tag}>'

    return _MATH.sub(replace, text)


# ----------------------------------------------------------------------------- MkDocs events

_state: dict[str, Any] = {}


# Cached loaders of the package data: cleared before each build, so that `mkdocs serve`
# shows edits of the data files (edits of Python code need a restart).
_DATA_LOADERS = [
    ("gdsmodel.roles.loader", "load_reference_station"),
    ("gdsmodel.standards.glossary", "load_glossary"),
    ("gdsmodel.standards.standard", "_reference"),
    ("gdsmodel.metrics.registry", "default_registry"),
    ("gdsmodel.standards.safety_tools.catalogue", "_package_data"),
    ("gdsmodel.standards.safety_tools.catalogue", "_default_catalogue"),
]


def _fresh_data() -> None:
    import sys

    for module, name in _DATA_LOADERS:
        loader = getattr(sys.modules.get(module), name, None)
        if loader is not None and hasattr(loader, "cache_clear"):
            loader.cache_clear()


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    _fresh_data()
    site = Site()
    _state["site"] = site
    _state["api"] = api_modules()
    _state["other"] = []
    listed = set(_nav_paths(_expand_nav(config.nav, site)))
    other = sorted(
        p.relative_to(config.docs_dir).as_posix()
        for p in Path(config.docs_dir).rglob("*.md")
        if not any(part.startswith("_") for part in p.relative_to(config.docs_dir).parts)
    )
    _state["other"] = [p for p in other if p not in listed]
    config.nav = _drop_empty(_expand_nav(config.nav, site))
    _teach_jieba(site)
    return config


def _expand_nav(nav: Any, site: Site) -> Any:
    if isinstance(nav, list):
        return [_expand_nav(item, site) for item in nav]
    if isinstance(nav, dict):
        return {k: _expand_nav(v, site) for k, v in nav.items()}
    if isinstance(nav, str) and nav.startswith("gdsmodel:"):
        what = nav.split(":", 1)[1]
        if what == "posts":
            return [{bi(p.name.zh, p.name.en): site.owner_page(p.id)} for p in site.std.posts]
        if what == "units":
            return [{bi(u.name.zh, u.name.en): site.owner_page(u.id)} for u in site.std.units]
        if what == "api":
            return [{m: api_page_path(m)} for m in _state["api"]]
        if what == "other":
            return list(_state.get("other", []))
        raise ValueError(f"mkdocs.yml nav: unknown generated section {nav!r}")
    return nav


def _nav_paths(nav: Any) -> list[str]:
    if isinstance(nav, list):
        return [p for item in nav for p in _nav_paths(item)]
    if isinstance(nav, dict):
        return [p for v in nav.values() for p in _nav_paths(v)]
    return [nav] if isinstance(nav, str) and nav.endswith(".md") else []


def _drop_empty(nav: Any) -> Any:
    """The nav without sections left empty (``gdsmodel:other`` when every page is listed)."""
    if isinstance(nav, list):
        kept = [_drop_empty(item) for item in nav]
        return [k for k in kept if not (isinstance(k, dict) and all(v == [] for v in k.values()))]
    if isinstance(nav, dict):
        return {k: _drop_empty(v) for k, v in nav.items()}
    return nav


def _teach_jieba(site: Site) -> None:
    """Add the standard's own words to jieba's dictionary so the search index keeps them whole."""
    try:
        import jieba  # type: ignore[import-untyped]
    except ImportError:
        log.warning("gdsmodel docs: jieba is not installed; Chinese search will not find words")
        return
    jieba.setLogLevel(logging.WARNING)
    words: set[str] = set()
    g = site.std.glossary
    for t in g.terms:
        words.update([t.name.zh, *t.aliases, *(p.zh for p in t.parts)])
    for r in g.regulations:
        words.update(a.strip("《》") for a in (r.title.zh, *r.aliases))
    words.update(x.name.zh for x in site.std.posts)
    words.update(x.name.zh for x in site.std.units)
    words.update(x.name.zh for x in g.parties)
    if site.registry is not None:
        words.update(d.name.zh for d in site.registry.metrics())
    for w in sorted(words):
        w = w.strip()
        if w and re.search(r"[\u4e00-\u9fff]", w) and not re.search(r"[\s,，、“”]", w):
            jieba.add_word(w)


def on_files(files: Files, config: MkDocsConfig) -> Files:
    site: Site = _state["site"]
    guide = files.get_file_from_path("metrics.md")
    if guide is not None and guide.abs_src_path:
        with open(guide.abs_src_path, encoding="utf-8") as f:
            site.examples = worked_examples(f.read())
    pages: dict[str, str] = {
        "standard/index.md": page_organisation(site),
        "standard/clauses.md": page_clauses(site),
        "standard/glossary.md": page_glossary(site),
        "kpis.md": page_kpis(site),
        "safety-tools-reference.md": page_safety_tools(site),
        "reference/cli.md": page_cli(),
    }
    for o in site.owners():
        pages[site.owner_page(o.id)] = page_owner(site, o)
    for m in _state["api"]:
        pages[api_page_path(m)] = page_api(m)
    dl = downloads(site)
    pages["downloads.md"] = page_downloads(dl)
    for name, (title, module) in HAND_WRITTEN.items():
        if files.get_file_from_path(name) is None:
            log.info("gdsmodel docs: %s is missing; a placeholder stands in for it", name)
            pages[name] = page_missing(title, module)
    for path, content in pages.items():
        if files.get_file_from_path(path) is not None:
            raise ValueError(f"docs/{path} exists but is generated at build time; remove it")
        files.append(File.generated(config, path, content=content))
    for path, (_, content) in dl.items():
        files.append(File.generated(config, path, content=content))
    return files


def on_page_content(html_text: str, **kwargs: Any) -> str:
    return render_math(html_text)
