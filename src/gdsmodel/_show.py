"""How gdsmodel objects show themselves: short reprs and escaped, bilingual HTML for notebooks.

The classes keep one-line methods (``__repr__``, ``_repr_html_``) that call the functions here.
The functions read their objects by attribute (duck typing), so this module sits on the floor
of the values and imports nothing above it.

>>> from gdsmodel.text import Text
>>> print(bilingual(Text("两票<合格率>", "Two-ticket pass rate")))
两票&lt;合格率&gt;<br><span style="color:#666">Two-ticket pass rate</span>
>>> brief(tuple(range(10)))
'<10 items>'
"""

from __future__ import annotations

import datetime
import enum
import html
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs

from gdsmodel.text import Text

__all__ = [
    "area_period_html",
    "bilingual",
    "brief",
    "card",
    "clause_html",
    "ledger_html",
    "metric_html",
    "month_assessment_html",
    "owner_html",
    "period_html",
    "person_sheet_html",
    "ranking_html",
    "ratio_html",
    "reliability_html",
    "reliability_state_html",
    "report_html",
    "sheet_html",
    "short_repr",
    "standard_html",
    "table",
    "term_html",
    "tool_state_html",
]

LIMIT = 240
"""The longest repr :func:`short_repr` gives (characters)."""

_STYLE = "font-family:sans-serif;font-size:90%"


def _cut(s: str, n: int) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


def brief(value: object, width: int = 48) -> str:
    """A value in a few characters: collections as their size, texts in Chinese, objects by ID.

    >>> brief("x" * 100, 10)
    "'xxxxxxxxx…'"
    >>> brief(Text("线损率", "Line loss rate")), brief(Fraction(1, 3)), brief(())
    ("'线损率'", '1/3', '()')
    >>> brief(("director",)), brief(("a", "b"))
    ("('director',)", "('a', 'b')")
    """
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, str):
        return repr(_cut(value, width))
    if isinstance(value, Text):
        return repr(_cut(value.zh or value.en, width))
    if isinstance(value, Fraction | Decimal | int | float | bool) or value is None:
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return f"<{len(value)} entries>" if value else "{}"
    if isinstance(value, tuple | list | frozenset | set):
        if not value:
            return "()"
        items = list(value)
        if len(items) <= 3 and all(isinstance(x, str | int | enum.Enum) for x in items):
            one = "," if len(items) == 1 else ""  # ('director',): a tuple, not a string
            return _cut("(" + ", ".join(brief(x, 24) for x in items) + one + ")", width)
        return f"<{len(items)} items>"
    ident = getattr(value, "id", None)
    if isinstance(ident, str):
        return f"<{type(value).__name__} {ident}>"
    if type(value).__repr__ is object.__repr__:
        return f"<{type(value).__name__}>"
    shown = repr(value)
    return shown if len(shown) <= width else f"<{type(value).__name__}>"


def short_repr(obj: object, *fields: str, limit: int = LIMIT) -> str:
    """``ClassName(field=brief, ...)`` of an attrs object, at most ``limit`` characters.

    ``fields`` picks the fields shown (default: every field attrs would show).

    >>> from gdsmodel.text import Text
    >>> short_repr(Text("线损率", "Line loss rate"))
    "Text(zh='线损率', en='Line loss rate')"
    >>> short_repr(Text("长" * 400, "x"), "zh", limit=30)
    "Text(zh='长长长长长长长长长长长长长长长长长长长…)"
    """
    cls: Any = type(obj)
    if not fields:
        fields = tuple(f.name for f in attrs.fields(cls) if f.repr and not f.name.startswith("_"))
    parts = ", ".join(f"{name}={brief(getattr(obj, name))}" for name in fields)
    return _cut(f"{cls.__name__}({parts}", limit - 1) + ")"


def summary(obj: object, head: object, **counts: object) -> str:
    """``ClassName(head, key=value, ...)``: a container by its name and sizes.

    >>> summary(Text("x"), "demo", clauses=155)
    "Text('demo', clauses=155)"
    """
    name = head.zh or head.en if isinstance(head, Text) else str(head)
    parts = [repr(_cut(name, 60)), *(f"{k}={v}" for k, v in counts.items())]
    return _cut(f"{type(obj).__name__}({', '.join(parts)}", LIMIT - 1) + ")"


def standard_repr(standard: Any) -> str:
    """A standard by its title and sizes."""
    s = standard
    return summary(
        s,
        s.title,
        posts=len(s.station.posts),
        units=len(s.station.units),
        clauses=sum(1 for _ in s.clauses()),
        terms=len(s.glossary.terms),
    )


def owner_repr(owner: Any) -> str:
    """A post or unit by its ID, name and number of clauses."""
    o = owner
    return summary(o, f"{o.id} {o.name.zh}", clauses=sum(1 for _ in o.clauses()))


def kpi_row_repr(row: Any) -> str:
    """A report's KPI row: metric, the month's value, target and verdict."""
    r = row
    target = "" if r.target is None else f", target={str(r.target)!r}"
    verdict = "" if r.verdict is None else f", verdict={r.verdict}"
    return (
        _cut(f"KpiRow({str(r.key)!r}, month={r.format(r.month)}{target}{verdict}", LIMIT - 1) + ")"
    )


def report_repr(report: Any) -> str:
    """A report by station, month and counts (KPIs, missed, issues, gaps)."""
    r = report
    missed = sum(1 for k in r.kpis if k.verdict is not None and str(k.verdict.status) == "missed")
    return summary(
        r,
        f"{r.station.zh} {r.month}",
        kpis=len(r.kpis),
        missed=missed,
        issues=len(r.issues),
        gaps=len(r.gaps),
    )


def store_repr(store: Any) -> str:
    """A store of events by where it keeps them (a file's name, or a database's URL without
    its password, the end kept when it is long) and its chain head.

    >>> class JsonStore:
    ...     where, head = "tools.json", "44136fa355b3678a1146"
    >>> store_repr(JsonStore())
    "JsonStore('tools.json', head='44136fa355b3')"
    """
    where = store.where or "memory"
    if len(where) > 100:  # the end of a path or URL says most: keep it
        where = "…" + where[-99:]
    return f"{type(store).__name__}({where!r}, head={store.head[:12]!r})"


# ----------------------------------------------------------------------------- HTML pieces


def esc(value: object) -> str:
    """Text for HTML: escaped (``<``, ``>``, ``&`` and quotes)."""
    return html.escape(str(value), quote=True)


def bilingual(text: object) -> str:
    """A :class:`~gdsmodel.text.Text` as Chinese over English (escaped); a plain value escaped."""
    if isinstance(text, Text):
        if text.en and text.en != text.zh:
            return f'{esc(text.zh)}<br><span style="color:#666">{esc(text.en)}</span>'
        return esc(text.zh or text.en)
    return esc("" if text is None else text)


def table(headers: Sequence[str], rows: Iterable[Sequence[object]], *, limit: int = 60) -> str:
    """An HTML table; cells are :class:`Text` (bilingual) or values (escaped); at most ``limit``
    rows, then a row saying how many more.

    >>> table(["a"], [["<b>"]])
    '<table><thead><tr><th>a</th></tr></thead><tbody><tr><td>&lt;b&gt;</td></tr></tbody></table>'
    """
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body: list[str] = []
    more = 0
    for i, row in enumerate(rows):
        if i >= limit:
            more += 1
            continue
        cells = "".join(f"<td>{bilingual(c)}</td>" for c in row)
        body.append(f"<tr>{cells}</tr>")
    if more:
        body.append(f'<tr><td colspan="{len(headers)}">… {more} more / 另有 {more} 行</td></tr>')
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def card(title: object, kind: str, facts: Iterable[tuple[str, object]] = (), body: str = "") -> str:
    """A titled block: the object's kind, its title (bilingual), facts as a two-column list and
    an optional body (already HTML).

    >>> card("x<y", "Demo", [("a", 1)]).count("&lt;")
    1
    """
    rows = "".join(
        f'<tr><th style="text-align:left">{esc(k)}</th><td style="text-align:left">'
        f"{bilingual(v)}</td></tr>"
        for k, v in facts
    )
    facts_html = f"<table>{rows}</table>" if rows else ""
    return (
        f'<div class="gdsmodel" style="{_STYLE}"><div><small>{esc(kind)}</small></div>'
        f"<div><strong>{bilingual(title)}</strong></div>{facts_html}{body}</div>"
    )


def _join(values: Iterable[object]) -> str:
    return ", ".join(str(getattr(v, "value", v)) for v in values)


def _pct(value: Fraction | None, places: int = 2) -> str:
    if value is None:
        return "-"
    shown = (Decimal(value.numerator) / Decimal(value.denominator) * 100).quantize(
        Decimal(1).scaleb(-places), rounding="ROUND_HALF_UP"
    )
    return f"{shown}%"


# ----------------------------------------------------------------------------- the objects


def clause_html(clause: Any) -> str:
    """A clause: its ID, the Chinese text (authoritative) over the English, its annotations."""
    c = clause
    facts: list[tuple[str, object]] = [
        ("categories 类别", _join(getattr(c, "categories", ()))),
        ("cadences 周期", _join(getattr(c, "cadences", ()))),
        ("terms 术语", _join(getattr(c, "terms", ()))),
        ("regulations 规程", _join(getattr(c, "regulations", ()))),
        ("targets 指标", "; ".join(t.quote for t in getattr(c, "targets", ()))),
    ]
    if getattr(c, "note", ""):
        facts.append(("note 注", c.note))
    return card(
        getattr(c, "text", ""),
        f"{type(c).__name__} {c.id}",
        [f for f in facts if f[1]],
    )


def owner_html(owner: Any) -> str:
    """A post or unit: its name, where it sits and its clauses (Chinese over English)."""
    o = owner
    facts = [
        ("id", getattr(o, "id", "")),
        ("section 章节", getattr(o, "section", "")),
        ("reports to 上级", getattr(o, "reports_to", None) or ""),
        ("heads 负责", getattr(o, "heads", None) or getattr(o, "head", None) or ""),
    ]
    members = getattr(o, "members", ())
    if members:
        facts.append(("members 成员", "、".join(m.name.zh for m in members)))
    rows = [(c.id, c.text) for c in o.clauses()]
    return card(
        getattr(o, "name", ""),
        type(o).__name__,
        [f for f in facts if f[1] != ""],
        table(["clause 条款", "text 内容"], rows),
    )


def standard_html(standard: Any) -> str:
    """A standard: title, source, how many clauses and terms, and its posts and units."""
    s = standard
    station = s.station
    glossary = s.glossary
    clauses = list(s.clauses())
    owners = [*station.posts, *station.units]
    rows = [(o.id, o.name, type(o).__name__, sum(1 for _ in o.clauses())) for o in owners]
    source = getattr(s, "source", None)
    facts = [
        ("station 供电所", station.name),
        ("source 来源", getattr(source, "document", "") if source is not None else ""),
        ("clauses 条款", len(clauses)),
        ("posts / units 岗位/班组", f"{len(station.posts)} / {len(station.units)}"),
        ("terms 术语", len(glossary.terms)),
        ("regulations 规程", len(glossary.regulations)),
    ]
    return card(
        getattr(s, "title", ""),
        "Standard 标准",
        facts,
        table(["id", "name 名称", "kind", "clauses 条款"], rows),
    )


def term_html(term: Any) -> str:
    """A glossary term: its name, definition, aliases and parts."""
    t = term
    parts = getattr(t, "parts", ())
    body = table(["part 部分"], [(p,) for p in parts]) if parts else ""
    facts = [
        ("id", getattr(t, "id", "")),
        ("definition 定义", getattr(t, "definition", "")),
        ("aliases 别名", "、".join(getattr(t, "aliases", ()))),
        ("confidence 可信度", getattr(getattr(t, "confidence", None), "value", "")),
    ]
    return card(getattr(t, "name", ""), "Term 术语", [f for f in facts if f[1]], body)


def metric_html(definition: Any) -> str:
    """A KPI definition: formula, unit, direction, targets, owners and clauses."""
    d = definition
    targets = getattr(d, "targets", ())
    rows = [(t.id, t.label, f"{t.value} {getattr(d, 'unit', '')}", t.note) for t in targets]
    facts = [
        ("id", getattr(d, "id", "")),
        ("formula 公式", getattr(d, "formula", "")),
        ("unit 单位", getattr(d, "unit", "")),
        ("direction 方向", getattr(getattr(d, "direction", None), "value", "")),
        ("owners 责任岗位", _join(getattr(d, "owners", ()))),
        ("clauses 条款", _join(getattr(d, "clauses", ()))),
        ("confidence 可信度", getattr(getattr(d, "confidence", None), "value", "")),
    ]
    body = table(["target 目标", "label 名称", "value 值", "note 说明"], rows) if rows else ""
    return card(getattr(d, "name", ""), "MetricDefinition 指标", [f for f in facts if f[1]], body)


def ratio_html(ratio: Any) -> str:
    """An exact ratio: numerator / denominator = percent; a KPI result adds its metric, target
    and verdict."""
    r = ratio
    value = getattr(r, "value", None)
    # a KPI result in another unit than percent (SAIDI in min/customer) shows in its unit
    in_unit = getattr(r, "unit", "%") != "%"
    shown = r.format(4) if in_unit and value is not None else _pct(value, 4)
    facts: list[tuple[str, object]] = [
        ("numerator 分子", r.numerator),
        ("denominator 分母", r.denominator),
        ("value 值", shown if value is not None else "undefined 无定义"),
    ]
    if getattr(r, "target", None) is not None:
        facts += [("target 目标", str(r.target)), ("verdict 结论", str(r.verdict))]
    if getattr(r, "anomaly", False):
        facts.append(("anomaly 异常", "negative numerator 分子为负"))
    title = (
        f"{getattr(r, 'metric', '') or type(r).__name__}: {r.format() if in_unit else _pct(value)}"
    )
    return card(title, type(r).__name__, facts)


def period_html(period: Any) -> str:
    """A period: its labels in both languages and its half-open bounds."""
    p = period
    facts = [
        ("start 开始", p.start.isoformat()),
        ("end (excluded) 结束(不含)", p.end.isoformat()),
        ("hours 小时", p.hours),
    ]
    return card(getattr(p, "label", str(p)), f"{type(p).__name__} {p}", facts)


_ITEM_HEADERS = (
    "rule 规则",
    "item 项目",
    "available 分值",
    "deduction 扣分",
    "bonus 加分",
    "score 得分",
    "note 说明",
)


def _items(sheet: Any) -> str:
    rows = [
        (i.rule, i.name, i.available, i.deduction, i.bonus, i.score, i.note)
        for i in getattr(sheet, "items", ())
    ]
    return table(_ITEM_HEADERS, rows)


def sheet_html(sheet: Any) -> str:
    """An assessment sheet: the owner's total out of the available points, item by item."""
    s = sheet
    facts = [
        ("period 周期", getattr(s, "period", "")),
        ("scheme 方案", getattr(s, "scheme", "")),
        ("total 得分", f"{getattr(s, 'total', '')} / {getattr(s, 'available', '')}"),
    ]
    return card(f"{getattr(s, 'owner', '')}", "AssessmentSheet 考核表", facts, _items(s))


def _some(values: Sequence[object], n: int = 8) -> str:
    shown = "、".join(str(v) for v in values[:n])
    return f"{shown} … (+{len(values) - n})" if len(values) > n else shown


def person_sheet_html(sheet: Any) -> str:
    """A person's or group's month: what they held and answered for, their KPIs with target
    and verdict, and their scored items.

    >>> import types
    >>> s = types.SimpleNamespace(kind="person", owner="P1", name="<王强>", month="2026-03",
    ...     holds=("meter_reader",), answered_for=("A1",), kpis=(), missed=(),
    ...     sheet=types.SimpleNamespace(total=95, available=100, items=()))
    >>> "&lt;王强&gt;" in person_sheet_html(s)
    True
    """
    s = sheet
    kpis = [
        (
            k.metric,
            k.ratio.format(),
            "" if k.target is None else str(k.target),
            "" if k.verdict is None else str(k.verdict),
        )
        for k in s.kpis
    ]
    facts = [
        ("month 月份", str(s.month)),
        ("holds 岗位/班组/角色" if s.kind == "person" else "members 成员", _some(s.holds)),
        ("answers for 负责", _some(s.answered_for)),
        ("total 得分", f"{s.sheet.total} / {s.sheet.available}"),
        ("missed 未达标", "; ".join(s.missed)),
    ]
    body = ""
    if kpis:
        body += table(["KPI 指标", "value 值", "target 目标", "verdict 结论"], kpis)
    body += _items(s.sheet)
    kind = "Sheet 个人考核表" if s.kind == "person" else "Sheet 班组考核表"
    return card(f"{s.owner} {s.name}", f"{kind} ({s.kind})", [f for f in facts if f[1]], body)


def month_assessment_html(assessment: Any) -> str:
    """A month's assessment: every person's and group's total, and what each missed."""
    a = assessment
    rows = [
        (s.kind, s.owner, s.name, f"{s.sheet.total} / {s.sheet.available}", len(s.missed))
        for s in (*a.people, *a.groups)
    ]
    facts = [
        ("scheme 方案", a.scheme),
        ("people / groups 人员/班组", f"{len(a.people)} / {len(a.groups)}"),
    ]
    body = table(["kind 类别", "owner 编号", "name 姓名", "total 得分", "missed 未达标"], rows)
    return card(f"{a.month}", "MonthAssessment 月度考核", facts, body)


def ranking_html(result: Any) -> str:
    """A year-end result: rank, points over points available, percent and band (a
    :class:`~gdsmodel.metrics.assessment.Ranking`, or a ranked person with its band)."""
    ranking = getattr(result, "ranking", result)
    band = getattr(result, "band", None)
    facts: list[tuple[str, object]] = [
        ("rank 名次", ranking.rank),
        ("score 得分", f"{ranking.total} / {ranking.available}"),
        ("percent 得分率", _pct(ranking.ratio.value)),
        ("months 月数", ranking.months),
    ]
    if band is not None:
        facts.append(("band 等次", band.name))
    return card(ranking.owner, f"{type(result).__name__} 年终考评", facts)


def area_period_html(period: Any) -> str:
    """An area over days: energies, loss rate, collection rate, days not computable."""
    p = period
    reasons = "; ".join(f"{getattr(k, 'value', k)}: {n}" for k, n in p.reasons.items() if n)
    facts = [
        ("area type 台区类型", p.area_type or ""),
        ("days 天数", f"{p.computable_days} / {p.days} computable 可计算"),
        ("supplied 供电量", f"{p.supplied_kwh} kWh"),
        ("sold 售电量", f"{p.sold_kwh} kWh"),
        ("loss rate 线损率", p.loss.format()),
        ("collection 采集成功率", p.collection_rate.format()),
        ("high-loss days 高损天数", p.high_loss_days),
        ("not computable 不可计算", reasons),
    ]
    return card(p.area, "AreaPeriod 台区", [f for f in facts if f[1] != ""])


def reliability_html(
    indices: Any, facts: Iterable[tuple[str, object]] = (), kind: str = "ReliabilityIndices"
) -> str:
    """Reliability indices as a table (RS-1 to MAIFIe, rounded half-up; undefined ones say
    why); ``facts`` about the state they come from."""
    body = table(["index 指标", "value 值"], indices.as_rows())
    return card(Text("供电可靠性指标", "Reliability indices"), kind, facts, body)


def reliability_state_html(state: Any) -> str:
    """A reliability state: its counting convention, customers served, and its indices."""
    s = state
    causes = (s.planned, s.fault, s.external, s.supply_shortage)
    facts = [
        ("convention 统计口径", s.convention.name if s.convention is not None else "DL/T 836"),
        (
            "interruptions 停电次数 (planned 预安排 / fault 故障 / external 外部 / shortage 缺电)",
            " / ".join(str(t.events) for t in causes),
        ),
    ]
    return reliability_html(s.indices(), facts, kind=type(s).__name__)


def tool_state_html(state: Any) -> str:
    """A safety tool now: kind, condition, holder, last test and next due date."""
    s = state
    label = getattr(s, "label", None)
    facts = [
        ("kind 种类", getattr(s, "kind", "")),
        ("rating 电压等级", getattr(s, "rating", "")),
        ("condition 状态", getattr(getattr(s, "condition", None), "value", "")),
        ("place 存放", getattr(s, "place", "")),
        ("holder 领用人", getattr(s, "holder", None) or ""),
        ("tested 试验", f"{label.tested_on} {label.tester}" if label is not None else ""),
        ("due 下次试验", getattr(s, "due", None) or ""),
        ("events 事件", getattr(s, "events", "")),
    ]
    return card(getattr(s, "serial", ""), "ToolState 工器具", [f for f in facts if f[1] != ""])


def ledger_html(ledger: Any) -> str:
    """A ledger: where it is, its size and the state of every tool."""
    tools = ledger.tools()
    rows = [
        (t.serial, t.kind, t.condition.value, t.place, t.holder or "", t.due or "", t.events)
        for t in tools
    ]
    facts = [
        (
            "location 位置",
            getattr(ledger, "location", None) or getattr(ledger, "path", None) or "memory",
        ),
        ("tools 工器具", len(tools)),
        ("events 事件", len(ledger.events)),
    ]
    body = table(
        [
            "serial 编号",
            "kind 种类",
            "condition 状态",
            "place 存放",
            "holder 领用人",
            "due 下次试验",
            "events 事件",
        ],
        rows,
    )
    return card(Text("安全工器具台账", "Safety-tool ledger"), "Ledger", facts, body)


def report_html(report: Any) -> str:
    """A report in brief: station, month, each KPI with its target and verdict, the gaps."""
    r = report
    rows = []
    for k in getattr(r, "kpis", ()):
        verdict = k.verdict
        rows.append(
            (
                k.title,
                k.format(k.month),
                "" if k.target is None else str(k.target),
                "" if verdict is None else str(verdict),
            )
        )
    issues = getattr(r, "issues", ())
    gaps = getattr(r, "gaps", ())
    missed = sum(
        1
        for k in getattr(r, "kpis", ())
        if k.verdict is not None and str(k.verdict.status) == "missed"
    )
    facts = [
        ("month 月份", str(getattr(r, "month", ""))),
        ("KPIs 指标", f"{len(rows)} ({missed} missed 未达标)"),
        ("data issues 数据问题", len(issues)),
        ("gaps 未能计算", "; ".join(f"{g.part.en}: {g.reason}" for g in gaps)),
    ]
    body = table(["KPI 指标", "month 本月", "target 目标", "verdict 结论"], rows, limit=80)
    return card(
        getattr(r, "station", ""), "Report 月度报告", [f for f in facts if f[1] != ""], body
    )
