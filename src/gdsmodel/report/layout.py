"""The report as a neutral document: sections of tables, paragraphs and charts, in both
languages. Every renderer (text, Markdown, HTML, Excel) formats the same document, so the
four outputs never disagree.

>>> from gdsmodel.text import Text
>>> doc = Document(title=Text("报告", "Report"), subtitle=Text(""), sections=(
...     Section(id="a", title=Text("指标", "KPIs"), blocks=(Paragraph(Text("好", "good")),)),))
>>> [s.title.get("en") for s in doc.sections]
['KPIs']
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal

import attrs

from gdsmodel import _show
from gdsmodel.errors import GdsmodelError
from gdsmodel.metrics.assessment import AssessmentSheet
from gdsmodel.metrics.ratio import Direction, Ratio, Verdict, VerdictStatus, round_half_up
from gdsmodel.metrics.reliability import OutageCause
from gdsmodel.report.compute import (
    KpiKind,
    KpiRow,
    KpiValue,
    LossRow,
    Report,
)
from gdsmodel.report.inputs import Severity
from gdsmodel.text import Lang, Text

__all__ = [
    "Cell",
    "Chart",
    "Document",
    "Paragraph",
    "Section",
    "SectionSpec",
    "Series",
    "Table",
    "build_document",
    "cell",
    "place",
    "unit_zh",
]

Status = Literal["", "good", "bad", "warn", "muted"]
_EMPTY = Text("")


def _neutral(text: Text) -> Text:
    """The same text in both languages is kept once (``both`` then shows it once)."""
    return Text(text.zh) if text.en == text.zh else text


@attrs.frozen(slots=True, kw_only=True)
class Cell:
    """A table cell: its text in both languages, a status for colour, and the exact number
    behind it (for spreadsheets) with how to show it (``percent``, ``places``).

    >>> Cell(text=Text("6.25%", "6.25%"), number=Fraction(1, 16), percent=True).text
    Text(zh='6.25%', en='')
    """

    text: Text = attrs.field(converter=_neutral)
    status: Status = ""
    number: Fraction | Decimal | int | None = None
    percent: bool = False
    places: int = 2
    # a verdict: its word without figures (``short``) and by how much a target was missed
    # (``gap``, a fraction of one when ``percent``), so a spreadsheet keeps them apart
    short: Text = _EMPTY
    gap: Fraction | None = None


def cell(value: str | Text, status: Status = "", **kw: Any) -> Cell:
    """A cell from text (the same in both languages) or a :class:`Text`.

    >>> cell("12.5%").text.get("en"), cell(Text("达标", "met"), "good").status
    ('12.5%', 'good')
    """
    text = value if isinstance(value, Text) else Text(value)
    return Cell(text=text, status=status, **kw)


@attrs.frozen(slots=True, kw_only=True)
class Table:
    """Headers and rows; ``title`` and ``note`` are optional.

    >>> Table(headers=(Text("指标", "KPI"),), rows=((cell("a"),),)).rows[0][0].text.zh
    'a'
    """

    headers: tuple[Text, ...]
    rows: tuple[tuple[Cell, ...], ...]
    title: Text = _EMPTY
    note: Text = _EMPTY
    numeric: tuple[int, ...] = ()  # columns aligned right

    def __repr__(self) -> str:
        return _show.short_repr(self)


@attrs.frozen(slots=True)
class Paragraph:
    """A line of text.

    >>> Paragraph(Text("注意", "note"), "warn").status
    'warn'
    """

    text: Text
    status: Status = ""

    def __repr__(self) -> str:
        return _show.short_repr(self)


@attrs.frozen(slots=True, kw_only=True)
class Series:
    """One series of a chart: values aligned with the chart's categories (None: a gap).

    >>> Series(name=Text("线损率"), values=(6.2, None)).values
    (6.2, None)
    """

    name: Text
    values: tuple[float | None, ...]

    def __repr__(self) -> str:
        return _show.short_repr(self)


@attrs.frozen(slots=True, kw_only=True)
class Chart:
    """A chart: ``line`` (trend), ``bar`` (horizontal bars) or ``stacked`` (stacked columns).

    Values are floats for drawing only; the exact figures are in the tables.

    >>> Chart(id="c", kind="bar", title=Text("分线线损率"), categories=("L1",),
    ...       series=(Series(name=Text("线损率"), values=(5.0,)),)).kind
    'bar'
    """

    id: str
    kind: Literal["line", "bar", "stacked"]
    title: Text
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    unit: str = ""
    target: float | None = None
    flagged: tuple[bool, ...] = ()

    def __repr__(self) -> str:
        return _show.short_repr(self)


Block = Table | Paragraph | Chart


@attrs.frozen(slots=True, kw_only=True)
class Section:
    """A part of the report (one sheet in Excel).

    >>> Section(id="s", title=Text("概况", "Summary"), blocks=()).title.get("both")
    '概况 / Summary'
    """

    id: str
    title: Text
    blocks: tuple[Block, ...]

    def __repr__(self) -> str:
        return _show.short_repr(self)


@attrs.frozen(slots=True, kw_only=True)
class Document:
    """The whole report, ready for a renderer.

    >>> Document(title=Text("报告"), subtitle=Text(""), sections=()).lang_default
    'zh'
    """

    title: Text
    subtitle: Text
    sections: tuple[Section, ...]
    lang_default: Lang = "zh"

    def __repr__(self) -> str:
        return _show.short_repr(self)


@attrs.frozen(slots=True, kw_only=True)
class SectionSpec:
    """A section of the report beyond the core ones.

    ``after`` is the ID of the section it follows (``kpis``, ``line_loss``, ``assessment``
    ...; an unknown ID puts it before the data issues, which stay last). When ``build``
    raises a :class:`~gdsmodel.errors.GdsmodelError` (its data is missing or bad), the
    section shows the reason under ``title`` instead; the rest of the report is unchanged.
    """

    id: str
    after: str
    build: Callable[[Report], Section | None] = attrs.field(eq=False)
    title: Text = _EMPTY


def place(core: Sequence[Section], extra: Sequence[tuple[SectionSpec, Section]]) -> list[Section]:
    """The core sections with each extra section after the one it names.

    >>> from gdsmodel.text import Text
    >>> a, z = (Section(id=i, title=Text(i), blocks=()) for i in ("a", "issues"))
    >>> x = Section(id="x", title=Text("x"), blocks=())
    >>> [s.id for s in place([a, z], [(SectionSpec(id="x", after="?", build=print), x)])]
    ['a', 'x', 'issues']
    """
    out = list(core)
    for spec, section in extra:
        ids = [s.id for s in out]
        if spec.after in ids:
            at = ids.index(spec.after) + 1
        elif "issues" in ids:
            at = ids.index("issues")
        else:
            at = len(out)
        out.insert(at, section)
    return out


# ----------------------------------------------------------------------------- wording

T = Text
H = {
    "kpi": T("指标", "KPI"),
    "month": T("本月", "month"),
    "target": T("目标", "target"),
    "verdict": T("判定", "verdict"),
    "previous": T("上月", "previous"),
    "change": T("环比", "change"),
    "ytd": T("年累计", "year to date"),
    "note": T("说明", "note"),
    "trend": T("走势", "trend"),
    "line": T("线路", "line"),
    "area": T("台区", "area"),
    "name": T("名称", "name"),
    "voltage": T("电压等级", "voltage"),
    "supplied": T("供电量(kWh)", "supplied (kWh)"),
    "sold": T("售电量(kWh)", "sold (kWh)"),
    "loss_kwh": T("损失电量(kWh)", "loss (kWh)"),
    "loss_rate": T("线损率", "loss rate"),
    "pf": T("功率因数", "power factor"),
    "customers": T("用户数", "customers"),
}

_VERDICT = {
    VerdictStatus.MET: T("达标", "met"),
    VerdictStatus.UNDEFINED: T("无法判定", "undefined"),
}
_CADENCE = {
    "annual": T("年度", "annual"),
    "quarterly": T("季度", "quarterly"),
    "monthly": T("每月", "monthly"),
    "month_end": T("月末", "month end"),
    "periodic": T("定期", "periodic"),
    "seasonal": T("季节性", "seasonal"),
    "on_event": T("事件触发", "on event"),
    "ad_hoc": T("临时", "ad hoc"),
}
_CONDITION = {
    "untested": T("未做验收试验", "untested"),
    "serviceable": T("超期未试验", "overdue"),
    "test_required": T("待试验", "test required"),
    "defective": T("有缺陷", "defective"),
    "sealed": T("封存待修", "sealed for repair"),
    "scrapped": T("报废", "scrapped"),
}
_DUE_REASON = {
    "cycle": T("周期试验", "test cycle"),
    "acceptance": T("验收试验", "acceptance test"),
    "after_repair": T("修后试验", "after repair"),
    "batch_recall": T("批次召回", "batch recall"),
}
_OWNER_ALL = T("全所", "station")


def _n(value: Fraction | Decimal | int, places: int = 0) -> str:
    """A number with thousands separators, rounded half-up."""
    d = round_half_up(Fraction(value) if not isinstance(value, Decimal) else value, places)
    return f"{d:,.{places}f}"


def _pct(ratio: Ratio, places: int = 2) -> str:
    return ratio.format(places) if ratio.defined else "-"


def _points(value: Decimal) -> str:
    return f"{value:.2f}"


def _number_cell(value: Fraction | int, places: int = 0, **kw: Any) -> Cell:
    """A number with thousands separators (``places`` decimals), exact behind the text."""
    return Cell(text=Text(_n(value, places)), number=value, **kw)


def _points_cell(value: Decimal, **kw: Any) -> Cell:
    """Assessment points, two decimals."""
    return Cell(text=Text(_points(value)), number=value, **kw)


def _rate_cell(ratio: Ratio, **kw: Any) -> Cell:
    """A ratio as a percentage (``-`` when undefined), exact behind the text."""
    return Cell(text=Text(_pct(ratio)), number=ratio.value, percent=True, places=4, **kw)


def verdict_cell(verdict: Verdict | None, unit: str = "%", *, anomaly: str = "") -> Cell:
    """A verdict as a coloured cell: met, missed by N, undefined, or no target.

    >>> verdict_cell(Verdict(VerdictStatus.MISSED, Fraction(3, 2000))).text.get("both")
    '未达标 -0.15pp / missed by 0.15 pp'
    """
    if anomaly:
        word = T("异常", "anomaly")
        return cell(T("异常:" + _anomaly_zh(anomaly), "anomaly: " + anomaly), "warn", short=word)
    if verdict is None:
        return cell(T("无目标", "no target"), "muted", short=T("无目标", "no target"))
    if verdict.status is VerdictStatus.MISSED and verdict.gap is not None:
        missed = T("未达标", "missed")
        exact = Fraction(verdict.gap)
        if unit == "%":
            gap = round_half_up(verdict.gap * 100, 2)
            text = T(f"未达标 -{gap}pp", f"missed by {gap} pp")
            return cell(text, "bad", short=missed, gap=exact, percent=True)
        gap = round_half_up(verdict.gap, 2)
        text = T(f"未达标 -{gap} {unit}", f"missed by {gap} {unit}")
        return cell(text, "bad", short=missed, gap=exact)
    status: Status = "good" if verdict.status is VerdictStatus.MET else "muted"
    return cell(_VERDICT[verdict.status], status, short=_VERDICT[verdict.status])


def _anomaly_zh(text: str) -> str:
    return "售电量大于供电量(负线损)" if "negative" in text else text


def _target_text(row: KpiRow) -> str:
    if row.target is None:
        return "-"
    return str(row.target).replace(">=", "≥").replace("<=", "≤")


def _compact(row: KpiRow, value: KpiValue | None) -> Cell:
    """A value without its unit (the unit is in the row's title), for the trend table."""
    if value is None or value.value is None:
        return cell("-", "muted")
    if row.unit == "%":
        return _value_cell(row, value)
    text = str(round_half_up(value.value, row.places))
    return Cell(text=Text(text), number=value.value, places=row.places)


def unit_zh(unit: str) -> str:
    """A unit of the registry as a Chinese reader writes it (another unit as it is).

    >>> unit_zh("min/customer"), unit_zh("%")
    ('分钟/户', '%')
    """
    from gdsmodel.metrics.units import unit_zh as zh

    return zh(unit)


def _unit_zh(text: str, unit: str) -> str:
    """``text`` with the unit in Chinese.

    >>> _unit_zh("0.5287 yuan/kWh", "yuan/kWh")
    '0.5287 元/千瓦时'
    """
    from gdsmodel.metrics.units import in_zh

    return in_zh(text, unit)


def _value_cell(
    row: KpiRow, value: KpiValue | None, *, verdict: Verdict | None = None, bare: bool = False
) -> Cell:
    """A KPI's value, coloured by its verdict; ``bare`` leaves out a unit other than ``%``
    (the table's row title carries it)."""
    if value is None or value.value is None:
        return cell("-", "muted")
    status: Status = ""
    if verdict is not None:
        if verdict.status is VerdictStatus.MET:
            status = "good"
        elif verdict.status is VerdictStatus.MISSED:
            status = "bad"
    shown = row.format(value)
    if bare and row.unit != "%" and row.unit and shown.endswith(" " + row.unit):
        shown = shown[: -len(row.unit) - 1]
    return Cell(
        text=T(_unit_zh(shown, row.unit), shown),
        status=status,
        number=value.value,
        percent=row.unit == "%",
        places=row.places + (2 if row.unit == "%" else 0),
    )


def _change_cell(row: KpiRow, now: KpiValue, before: KpiValue | None) -> Cell:
    if before is None or now.value is None or before.value is None:
        return cell("-", "muted")
    diff = now.value - before.value
    if row.unit == "%":
        shown = round_half_up(diff * 100, row.places)
        text = f"{shown:+} pp" if shown else "±0 pp"
    else:
        shown = round_half_up(diff, row.places)
        text = f"{shown:+}" if shown else "±0"
    status: Status = ""
    if row.definition is not None and shown:  # a change that rounds to zero is no change
        better = (diff > 0) == (row.definition.direction is Direction.HIGHER)
        status = "good" if better else "bad"
    return Cell(text=T(text, text), status=status)


_SPARK = "▁▂▃▄▅▆▇█"


def sparkline(values: Sequence[Fraction | None], *, floor: Fraction | None = None) -> str:
    """A one-line chart of values, one block character per month (gaps as spaces), in the
    order given: the report's trend table gives them newest first, as its month columns.

    The scale spans at least ``floor`` (default: a twentieth of the largest magnitude), centred
    on the values, so a tiny change stays a small step instead of a cliff.

    >>> sparkline([Fraction(1), Fraction(2), None, Fraction(3)])
    '▁▄ █'
    >>> sparkline([Fraction(9998, 10000), Fraction(9997, 10000)], floor=Fraction(1, 100))
    '▄▄'
    """
    known = [v for v in values if v is not None]
    if not known:
        return ""
    lo, hi = min(known), max(known)
    span = hi - lo
    least = floor if floor is not None else max(abs(hi), abs(lo)) / 20
    if span < least:
        mid = (hi + lo) / 2
        lo, span = mid - least / 2, least
    out = []
    for v in values:
        if v is None:
            out.append(" ")
        elif span == 0:
            out.append(_SPARK[3])
        else:
            step = int((v - lo) / span * (len(_SPARK) - 1))
            out.append(_SPARK[min(max(step, 0), len(_SPARK) - 1)])
    return "".join(out)


# ----------------------------------------------------------------------------- sections


def _summary(report: Report) -> Section:
    rows = [r for r in report.kpis if r.verdict is not None]
    met = sum(1 for r in rows if r.verdict is not None and r.verdict.met)
    missed = [r for r in rows if r.verdict is not None and r.verdict.status is VerdictStatus.MISSED]
    undefined = len(rows) - met - len(missed)
    errors = len(report.errors)
    warnings = len(report.issues) - errors
    month = report.month
    blocks: list[Block] = [
        Table(
            headers=(T("项目", "item"), T("内容", "value")),
            rows=(
                (cell(T("供电所", "station")), cell(report.station)),
                (cell(T("报告月份", "month")), cell(T(month.format("zh"), month.format("en")))),
                (
                    cell(T("趋势月份", "trend months")),
                    cell(f"{report.trend_months[0]} .. {report.trend_months[-1]}"),
                ),
                (
                    cell(T("年累计月份", "year to date")),
                    cell(f"{report.ytd_months[0]} .. {report.ytd_months[-1]}"),
                ),
                (
                    cell(T("有目标的指标", "KPIs with a target")),
                    cell(
                        T(
                            f"{len(rows)} 项:达标 {met},未达标 {len(missed)},无法判定 {undefined}",
                            f"{len(rows)}: {met} met, {len(missed)} missed, {undefined} undefined",
                        ),
                        "bad" if missed else "good",
                    ),
                ),
                (
                    cell(T("数据问题", "data issues")),
                    cell(
                        T(
                            f"错误 {errors},提示 {warnings}",
                            f"{errors} errors, {warnings} warnings",
                        ),
                        "bad" if errors else ("warn" if warnings else "good"),
                    ),
                ),
                (
                    cell(T("未能计算", "not computed")),
                    cell(
                        T(f"{len(report.gaps)} 项", f"{len(report.gaps)} parts"),
                        "warn" if report.gaps else "good",
                    ),
                ),
                (
                    cell(T("考核方案", "assessment scheme")),
                    cell(T(f"{report.scheme.name.zh}({report.scheme.id})", report.scheme.name.en)),
                ),
            ),
        )
    ]
    if missed:
        names_zh = "、".join(r.title.zh for r in missed)
        names_en = "; ".join(r.title.en for r in missed)
        blocks.append(
            Paragraph(T(f"未达标指标:{names_zh}。", f"Targets missed: {names_en}."), "bad")
        )
    anomalies = [a for a in report.lines + report.areas if a.anomaly]
    if anomalies:
        ids = ", ".join(a.id for a in anomalies)
        blocks.append(
            Paragraph(
                T(
                    f"负线损(售电量大于供电量,可能抄表不同期或计量异常):{ids}。",
                    f"Negative loss (sold > supplied: readings out of step or a meter fault): "
                    f"{ids}.",
                ),
                "warn",
            )
        )
    if report.tools.overdue:
        ids = ", ".join(d.serial for d in report.tools.overdue)
        blocks.append(
            Paragraph(
                T(f"超期未试验的安全工器具:{ids}。", f"Safety tools overdue for test: {ids}."),
                "bad",
            )
        )
    return Section(id="summary", title=T("概况", "Summary"), blocks=tuple(blocks))


def _kpis(report: Report) -> Section:
    rows = []
    for r in report.kpis:
        before = r.trend[-2] if len(r.trend) > 1 else None
        note_zh, note_en = r.month.reason, r.month.reason
        if r.kind is KpiKind.YEAR_TO_DATE:
            note_zh = note_zh or "自年初累计"
            note_en = note_en or "cumulative from January"
        rows.append(
            (
                cell(_titled(r)),
                _value_cell(r, r.month, verdict=r.verdict, bare=True),
                cell(_target_text(r), "" if r.target else "muted"),
                verdict_cell(r.verdict, r.unit, anomaly=r.month.anomaly),
                _value_cell(r, before, bare=True),
                _change_cell(r, r.month, before),
                _value_cell(r, r.ytd, bare=True) if r.ytd is not None else cell("-", "muted"),
                cell(T(note_zh, note_en), "muted" if r.month.defined else "warn"),
            )
        )
    return Section(
        id="kpis",
        title=T("指标", "KPIs"),
        blocks=(
            Table(
                headers=(
                    H["kpi"],
                    H["month"],
                    H["target"],
                    H["verdict"],
                    H["previous"],
                    H["change"],
                    H["ytd"],
                    H["note"],
                ),
                rows=tuple(rows),
                numeric=(1, 4, 5, 6),
                note=T(
                    "比率均为分子、分母分别求和后相除(不对比率取平均);年累计为本年各月之和。",
                    "Every rate is a ratio of sums (rates are never averaged); the year to date "
                    "sums this year's months.",
                ),
            ),
        ),
    )


def _titled(r: KpiRow) -> Text:
    """A KPI's title with its unit when that is not ``%`` (the cells then show the number)."""
    title = r.title
    if r.unit and r.unit != "%":
        unit = r.unit_text
        return T(f"{title.zh}({_unit_zh(unit.zh, r.unit)})", f"{title.en} ({unit.en})")
    return title


def _trends(report: Report, max_months: int) -> Section:
    months = report.trend_months[-max_months:]
    k = len(months)
    rows = []
    for r in report.kpis:
        values = r.trend[-k:]
        title = _titled(r)
        floor = Fraction(1, 100) if r.unit == "%" else None  # 1 pp for a rate
        rows.append(
            (
                cell(title),
                *(_compact(r, v) for v in reversed(values)),  # this month first
                # newest first, as the month columns: the first character is this month
                cell(sparkline([v.value for v in reversed(r.trend)], floor=floor)),
            )
        )
    headers = (H["kpi"], *(T(str(m)) for m in reversed(months)), H["trend"])
    charts: list[Block] = []
    charted = sorted(
        (r for r in report.kpis if r.spec.chart is not None and not r.key.scope),
        key=lambda r: r.spec.chart or 0,
    )
    for r in charted:
        key = str(r.key)
        vals = tuple(
            float(v.value * 100) if v.value is not None and r.unit == "%" else None for v in r.trend
        )
        if all(v is None for v in vals):
            continue
        target = float(r.target.threshold * 100) if r.target is not None else None
        charts.append(
            Chart(
                id=f"trend-{key}",
                kind="line",
                title=r.name,
                categories=tuple(f"{m.number:02d}" for m in report.trend_months),
                series=(Series(name=r.name, values=vals),),
                unit="%",
                target=target,
            )
        )
    return Section(
        id="trends",
        title=T("趋势", "Trends"),
        blocks=(
            *charts,
            Table(
                headers=headers,
                rows=tuple(rows),
                numeric=tuple(range(1, k + 1)),
                note=_TREND_NOTE,
            ),
        ),
    )


_TREND_NOTE = T(
    "走势与各月一样从本月读起: 第一个字符是本月, 往右是更早的月份。",
    "The trend reads as the month columns do: its first character is this month, earlier "
    "months follow to the right.",
)


def _loss_table(rows: Sequence[LossRow], *, areas: bool, title: Text) -> Table:
    out = []
    for r in rows:
        loss = r.supplied_kwh - r.sold_kwh
        first = (
            (cell(r.id), cell(r.line), cell(_n(r.customers) if r.customers is not None else "-"))
            if areas
            else (cell(r.id), cell(r.name), cell(r.voltage))
        )
        tail = () if areas else (cell(str(r.power_factor) if r.power_factor else "-"),)
        out.append(
            (
                *first,
                _number_cell(r.supplied_kwh),
                _number_cell(r.sold_kwh),
                _number_cell(loss),
                _rate_cell(r.rate, status="warn" if r.anomaly else ""),
                verdict_cell(
                    r.verdict, anomaly="sold > supplied (negative loss)" if r.anomaly else ""
                ),
                *tail,
            )
        )
    head = (H["area"], H["line"], H["customers"]) if areas else (H["line"], H["name"], H["voltage"])
    tail_h = () if areas else (H["pf"],)
    return Table(
        title=title,
        headers=(
            *head,
            H["supplied"],
            H["sold"],
            H["loss_kwh"],
            H["loss_rate"],
            H["verdict"],
            *tail_h,
        ),
        rows=tuple(out),
        numeric=(2, 3, 4, 5, 6) if areas else (3, 4, 5, 6),
    )


def _line_loss(report: Report, all_areas: bool) -> Section:
    blocks: list[Block] = []
    if report.lines:
        lines = report.lines
        target = report.kpi("line_loss_rate_10kv").target
        blocks.append(
            Chart(
                id="loss-by-line",
                kind="bar",
                title=T("分线线损率", "Line loss by line"),
                categories=tuple(f"{r.id} {r.name}".strip() for r in lines),
                series=(
                    Series(
                        name=H["loss_rate"],
                        values=tuple(
                            float(r.rate.value * 100) if r.rate.value is not None else None
                            for r in lines
                        ),
                    ),
                ),
                unit="%",
                target=float(target.threshold * 100) if target is not None else None,
                flagged=tuple(
                    r.anomaly
                    or (r.verdict is not None and r.verdict.status is VerdictStatus.MISSED)
                    for r in lines
                ),
            )
        )
        blocks.append(_loss_table(lines, areas=False, title=T("分线", "By line")))
    else:
        blocks.append(Paragraph(T("无线路电量数据。", "No line energy data."), "muted"))
    if report.areas:
        areas = sorted(
            report.areas, key=lambda r: (-(r.rate.value if r.rate.value is not None else -1), r.id)
        )
        note = T("全部台区,按线损率从高到低。", "All areas, highest loss first.")
        if not all_areas:
            worst = areas[:10]
            flagged = [
                a
                for a in areas
                if a.anomaly or (a.verdict is not None and a.verdict.status is VerdictStatus.MISSED)
            ]
            keep = {a.id for a in worst} | {a.id for a in flagged}
            areas = [a for a in areas if a.id in keep]
            note = T(
                f"线损率最高的10个台区及异常、超标台区(共{len(report.areas)}个台区)。",
                f"The 10 areas of highest loss, and every anomaly or miss "
                f"({len(report.areas)} areas in all).",
            )
        t = _loss_table(areas, areas=True, title=T("分台区", "By transformer area"))
        blocks.append(attrs.evolve(t, note=note))
    return Section(id="line_loss", title=T("线损", "Line loss"), blocks=tuple(blocks))


def _dt_text(value: _dt.datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M")


def _convention_text(report: Report) -> Text:
    """Which counting convention the reliability indices use, and its threshold."""
    conv = report.convention
    minutes = _n(Fraction(conv.sustained_above.total_seconds()) / 60, 0)
    short = conv.short_name
    return T(
        f"计数规则:{conv.name}({conv.title.zh}):停电超过 {minutes} 分钟计入指标,"
        f"{minutes} 分钟及以下为{short.zh},另行统计",
        f"Counting convention: {conv.name} ({conv.title.en}): an interruption longer than "
        f"{minutes} min is sustained and counted; one of {minutes} min or less is a "
        f"{short.en}, counted apart",
    )


def _reliability(report: Report) -> Section:
    rel = report.reliability
    blocks: list[Block] = []
    months = [m for m, _ in rel.monthly_customer_hours]
    if any(v is not None for _, v in rel.monthly_customer_hours):
        blocks.append(
            Chart(
                id="reliability",
                kind="stacked",
                title=T("停电时户数(按性质)", "Customer-hours interrupted, by cause"),
                categories=tuple(f"{m.number:02d}" for m in months),
                series=tuple(
                    Series(
                        name=c.label,
                        values=tuple(
                            float(v[c]) if v is not None else None
                            for _, v in rel.monthly_customer_hours
                        ),
                    )
                    for c in OutageCause
                ),
                unit="h",
            )
        )
    rows = []
    for r in (k for k in report.kpis if k.spec.state == "reliability"):
        rows.append(
            (
                cell(r.name),
                _value_cell(r, r.month, verdict=r.verdict),
                _value_cell(r, r.ytd),
                cell(T(r.month.reason, r.month.reason), "muted"),
            )
        )
    blocks.append(
        Table(
            title=T("指标", "Indices"),
            headers=(H["kpi"], H["month"], H["ytd"], H["note"]),
            rows=tuple(rows),
            numeric=(1, 2),
        )
    )
    blocks.append(Paragraph(_convention_text(report)))
    if rel.reason:
        blocks.append(
            Paragraph(T(f"本月无法计算:{rel.reason}", f"Not computed: {rel.reason}"), "warn")
        )
        return Section(id="reliability", title=T("供电可靠性", "Reliability"), blocks=tuple(blocks))
    customers = _n(rel.customers) if rel.customers is not None else "-"
    short = report.convention.short_name  # 短时停电 (DL/T 836) or 瞬时停电 (IEEE 1366)
    blocks.append(Paragraph(T(f"本月用户数:{customers}", f"Customers served: {customers}")))
    blocks.append(
        Table(
            title=T("按停电性质", "By cause"),
            headers=(
                T("性质", "cause"),
                T("停电次数", "events"),
                T("停电户次", "customers interrupted"),
                T("停电时户数", "customer-hours"),
                T(f"{short.zh}(不计)", f"{short.en} (not counted)"),
            ),
            rows=tuple(
                (
                    cell(c.label),
                    cell(str(events)),
                    cell(_n(ci)),
                    _number_cell(ch, 2),
                    cell(str(short)),
                )
                for c, events, ci, ch, short in rel.by_cause
            ),
            numeric=(1, 2, 3, 4),
        )
    )
    if rel.by_line:
        blocks.append(
            Table(
                title=T("按线路", "By line"),
                headers=(
                    H["line"],
                    T("停电次数", "events"),
                    T("停电户次", "customers interrupted"),
                    T("停电时户数", "customer-hours"),
                ),
                rows=tuple(
                    (
                        cell(line),
                        cell(str(n)),
                        cell(_n(ci)),
                        _number_cell(ch, 2),
                    )
                    for line, n, ci, ch in rel.by_line
                ),
                numeric=(1, 2, 3),
            )
        )
    if rel.outages:
        blocks.append(
            Table(
                title=T("本月停电事件", "Outages of the month"),
                headers=(
                    T("编号", "id"),
                    H["line"],
                    H["area"],
                    T("停电", "start"),
                    T("送电", "end"),
                    T("时长(h)", "hours"),
                    T("停电户数", "customers"),
                    T("性质", "cause"),
                    T("本月时户数", "customer-hours in month"),
                    H["note"],
                ),
                rows=tuple(
                    (
                        cell(o.id),
                        cell(o.line),
                        cell(o.area or "-"),
                        cell(_dt_text(o.start)),
                        cell(_dt_text(o.end)),
                        cell(_n(o.hours, 2)),
                        cell(_n(o.customers_affected)),
                        cell(o.cause.label),
                        _number_cell(
                            o.customer_hours_in_month, 2, status="" if o.counted else "muted"
                        ),
                        cell(
                            T(
                                o.note + ("" if o.counted else f"({short.zh},不计入指标)"),
                                o.note + ("" if o.counted else f" ({short.en}: not counted)"),
                            )
                        ),
                    )
                    for o in rel.outages
                ),
                numeric=(5, 6, 8),
            )
        )
    return Section(id="reliability", title=T("供电可靠性", "Reliability"), blocks=tuple(blocks))


def _voltage(report: Report) -> Section:
    blocks: list[Block] = []
    rows = []
    for v in report.voltage:
        rate = v.minutes.ratio
        rows.append(
            (
                cell(T(f"{v.monitoring_class}类", f"class {v.monitoring_class}")),
                cell(str(v.points)),
                _number_cell(v.minutes.monitored_minutes),
                _number_cell(v.minutes.above_upper_minutes),
                _number_cell(v.minutes.below_lower_minutes),
                _rate_cell(rate),
                cell(str(v.weight) if v.weight is not None else "-"),
            )
        )
    if rows:
        blocks.append(
            Table(
                headers=(
                    T("类别", "class"),
                    T("监测点数", "points"),
                    T("监测时间(min)", "monitored (min)"),
                    T("超上限(min)", "above upper (min)"),
                    T("超下限(min)", "below lower (min)"),
                    T("合格率", "qualification rate"),
                    T("综合率权重", "weight"),
                ),
                rows=tuple(rows),
                numeric=(1, 2, 3, 4, 5),
                note=T(
                    "同类监测点按分钟数求和后计算合格率;综合电压合格率按权重加权各类合格率"
                    "(权重为可配置的默认值,置信度低)。",
                    "Points of a class merge by summing minutes; the comprehensive rate weighs the "
                    "class rates (the weights are a configurable default of low confidence).",
                ),
            )
        )
    for r in (k for k in report.kpis if k.spec.table == "voltage"):
        blocks.append(
            Paragraph(
                T(
                    f"{r.title.zh}:{r.format(r.month)} {r.month.reason}".rstrip(),
                    f"{r.title.en}: {r.format(r.month)} {r.month.reason}".rstrip(),
                ),
                "" if r.month.defined else "warn",
            )
        )
    return Section(id="voltage", title=T("电压质量", "Voltage quality"), blocks=tuple(blocks))


def _sheet_table(report: Report, sheet: AssessmentSheet) -> Table:
    rows = []
    for i in sheet.items:
        if i.value is not None:
            value = f"{round_half_up(i.value * 100, 2)}%"
        elif i.passed is not None:
            value = "pass" if i.passed else "fail"
        else:
            value = "-"
        shown = {"pass": T("合格", "pass"), "fail": T("不合格", "fail")}.get(value, T(value, value))
        status: Status = "muted" if not i.assessed else ("bad" if i.deduction else "good")
        rows.append(
            (
                cell(i.name),
                cell(shown, status),
                _points_cell(i.available),
                _points_cell(i.deduction, status="bad" if i.deduction else ""),
                _points_cell(i.bonus),
                _points_cell(i.score),
                cell(
                    T(
                        i.note or ("" if i.assessed else "未考核"),
                        i.note or ("" if i.assessed else "not assessed"),
                    ),
                    "muted",
                ),
            )
        )
    pct = sheet.percent
    rows.append(
        (
            cell(T("合计", "total")),
            cell(_pct(pct)),
            _points_cell(sheet.available),
            cell(_points(sum((i.deduction for i in sheet.items), Decimal(0)))),
            cell(_points(sum((i.bonus for i in sheet.items), Decimal(0)))),
            _points_cell(sheet.total),
            cell(
                T(
                    f"未考核 {len(sheet.not_assessed)} 项",
                    f"{len(sheet.not_assessed)} not assessed",
                ),
                "muted",
            ),
        )
    )
    return Table(
        title=report.owner_name(sheet.owner),
        headers=(
            T("考核项", "item"),
            T("实际", "evidence"),
            T("分值", "points"),
            T("扣分", "deduction"),
            T("加分", "bonus"),
            T("得分", "score"),
            H["note"],
        ),
        rows=tuple(rows),
        numeric=(2, 3, 4, 5),
    )


def _assessment(report: Report) -> Section:
    blocks: list[Block] = [
        Paragraph(
            T(
                f"考核方案:{report.scheme.name.zh}({report.scheme.id})。无证据的检查项"
                "与无法计算的指标记为“未考核”,其分值不计入应得分。",
                f"Scheme: {report.scheme.name.en} ({report.scheme.id}). Checks without evidence "
                "and KPIs that could not be computed are 'not assessed' and leave the points "
                "available.",
            )
        )
    ]
    blocks += [_sheet_table(report, s) for s in report.sheets]
    ytd = report.ytd_months
    blocks.append(
        Table(
            title=T(
                f"年度累计排名({ytd[0]}..{ytd[-1]})", f"Year-to-date ranking ({ytd[0]}..{ytd[-1]})"
            ),
            headers=(
                T("名次", "rank"),
                T("岗位/专业组", "post or unit"),
                T("得分", "score"),
                T("应得分", "available"),
                T("得分率", "score rate"),
                T("月数", "months"),
            ),
            rows=tuple(
                (
                    cell(str(r.rank)),
                    cell(report.owner_name(r.owner)),
                    Cell(text=Text(str(r.total)), number=r.total),
                    Cell(text=Text(str(r.available)), number=r.available),
                    _rate_cell(r.ratio),
                    cell(str(r.months)),
                )
                for r in report.ranking
            ),
            numeric=(2, 3, 4, 5),
            note=T(
                "年终考评规则:各月得分之和除以各月应得分之和(与月份顺序无关)。",
                "Year-end rule: points scored over points available, summed over the months "
                "(the order of the months does not matter).",
            ),
        )
    )
    return Section(id="assessment", title=T("考核", "Assessment"), blocks=tuple(blocks))


def _kind_name(kind: str) -> Text:
    from gdsmodel.errors import NotFoundError
    from gdsmodel.standards.safety_tools import tool_kind

    try:
        return tool_kind(kind).name
    except NotFoundError:
        return T(kind, kind)


def _tools(report: Report) -> Section:
    from gdsmodel.standards.safety_tools.state import unusable_reason

    tools = report.tools
    blocks: list[Block] = []
    if tools.reason:
        blocks.append(
            Paragraph(T(f"无法列出:{tools.reason}", f"Not listed: {tools.reason}"), "warn")
        )
        return Section(id="tools", title=T("安全工器具", "Safety tools"), blocks=tuple(blocks))
    on = tools.on.isoformat() if tools.on else ""
    nxt = tools.due_period
    blocks.append(
        Paragraph(
            T(
                f"台账共 {tools.tools} 件;状态截至 {on}(月末次日)。",
                f"{tools.tools} tools in the ledger; state as of {on} (the day after the month).",
            )
        )
    )
    head = (T("编号", "serial"), T("品种", "kind"), T("存放", "place"))
    blocks.append(
        Table(
            title=T("超期未试验", "Overdue for test"),
            headers=(*head, T("应试日期", "due")),
            rows=tuple(
                (
                    cell(d.serial),
                    cell(_kind_name(d.kind)),
                    cell(d.place or "-"),
                    cell(d.due.isoformat(), "bad"),
                )
                for d in tools.overdue
            ),
            note=T("无。", "None.") if not tools.overdue else _EMPTY,
        )
    )
    blocks.append(
        Table(
            title=T("不可使用", "Not usable"),
            headers=(*head, T("状态", "condition"), T("原因", "reason")),
            rows=tuple(
                (
                    cell(u.serial),
                    cell(_kind_name(u.kind)),
                    cell(u.place or "-"),
                    cell(
                        _CONDITION.get(u.condition.value, T(u.condition.value, u.condition.value)),
                        "bad",
                    ),
                    cell(unusable_reason(u.reason), "muted"),
                )
                for u in tools.unusable
            ),
            note=T("无。", "None.") if not tools.unusable else _EMPTY,
        )
    )
    period = f"{nxt}" if nxt is not None else ""
    blocks.append(
        Table(
            title=T(f"{period} 应试验(含立即应试)", f"Tests due in {period} (and due at once)"),
            headers=(*head, T("应试日期", "due"), T("原因", "reason")),
            rows=tuple(
                (
                    cell(d.serial),
                    cell(_kind_name(d.kind)),
                    cell(d.place or "-"),
                    cell(d.due.isoformat(), "warn" if tools.on and d.due < tools.on else ""),
                    cell(_DUE_REASON.get(d.reason.value, T(d.reason.value, d.reason.value))),
                )
                for d in tools.due
            ),
            note=T("无。", "None.") if not tools.due else _EMPTY,
        )
    )
    return Section(id="tools", title=T("安全工器具", "Safety tools"), blocks=tuple(blocks))


def _when(o: Any) -> str:
    """An obligation's window as dates (first .. last day), or ``-``."""
    window = getattr(o, "window", None)
    if window is None:
        return "-"
    first = str(window.start.date().isoformat())
    end = window.end.subtract(days=1) if hasattr(window.end, "subtract") else window.end
    last = str(end.date().isoformat())
    if first == last:
        return first
    return f"{first} .. {last[5:] if last[:4] == first[:4] else last}"


_WHEN_EN = {"全年": "whole year", "〃": "ditto", "全月": "whole month"}


def _whole_month(when: str) -> bool:
    """Whether a window ``first .. last`` is one whole calendar month.

    >>> _whole_month("2026-04-01 .. 04-30"), _whole_month("2026-04-26 .. 04-30")
    (True, False)
    """
    import calendar

    first, _, last = when.partition(" .. ")
    last = first[:5] + last if len(last) == 5 else last
    if len(first) != 10 or len(last) != 10 or first[:7] != last[:7] or first[8:] != "01":
        return False
    year, month = int(first[:4]), int(first[5:7])
    return int(last[8:]) == calendar.monthrange(year, month)[1]


def _days(o: Any) -> int:
    """Days of an obligation's window (a large number without one)."""
    window = getattr(o, "window", None)
    if window is None:
        return 10**6
    try:
        return int((window.end - window.start).in_days())
    except AttributeError:
        return int((window.end - window.start).days)


def _obligations(report: Report) -> Section:
    ob = report.obligations
    blocks: list[Block] = []
    if ob.reason:
        blocks.append(Paragraph(T(f"无法列出:{ob.reason}", f"Not listed: {ob.reason}"), "warn"))
        return Section(
            id="obligations", title=T("下月工作", "Next month's obligations"), blocks=tuple(blocks)
        )
    # A checklist per post: each clause once (its narrowest window; the cadences that bring
    # it due joined), a window that is the whole year shown once per post.
    by_clause: dict[tuple[str, str], list[Any]] = {}
    owners: dict[str, int] = {}
    for o in ob.items:
        key = (str(getattr(o, "owner", "")), str(getattr(o, "clause", "")))
        owners.setdefault(key[0], len(owners))
        by_clause.setdefault(key, []).append(o)
    rows = []
    last_owner = None
    for (owner, clause), items in sorted(by_clause.items(), key=lambda kv: owners[kv[0][0]]):
        spans = [(_when(o), _days(o)) for o in items]
        when, days = min(spans, key=lambda w: w[1])
        if days >= 365:
            when = "全年" if last_owner != owner else "〃"
        elif _whole_month(when):
            when = "全月"
        cadences = list(dict.fromkeys(str(getattr(o, "cadence", "")) for o in items))
        names = [_CADENCE.get(c, T(c, c)) for c in cadences]
        text: Text = getattr(items[0], "text", T(str(items[0]), str(items[0])))
        rows.append(
            (
                cell(report.owner_name(owner) if owner != last_owner else T("")),
                cell(T(f"□{text.zh}", f"[ ] {text.en}" if text.en else "")),
                cell(T(when, _WHEN_EN.get(when, when))),
                cell(T("、".join(n.zh for n in names), ", ".join(n.en for n in names))),
                cell(clause),
            )
        )
        last_owner = owner
    period = str(ob.period) if ob.period is not None else ""
    blocks.append(
        Table(
            headers=(
                T("岗位/专业组", "post or unit"),
                T("应办事项", "to do"),
                T("时间", "window"),
                T("周期", "cadence"),
                T("条款", "clause"),
            ),
            rows=tuple(rows),
            title=T(f"{period} 应办工作", f"Due in {period}"),
            note=T(
                "按工作标准的周期条款生成,每条款列一次;事件触发与临时性工作不列出。",
                "From the clauses with a cadence, each clause once; on-event and ad hoc work "
                "is not listed.",
            ),
        )
    )
    return Section(
        id="obligations", title=T("下月工作", "Next month's obligations"), blocks=tuple(blocks)
    )


def _issues(report: Report) -> Section:
    blocks: list[Block] = []
    blocks.append(
        Table(
            title=T("未能计算", "Not computed"),
            headers=(T("部分", "part"), T("原因", "reason")),
            rows=tuple((cell(g.part), cell(T(g.reason, g.reason), "warn")) for g in report.gaps),
            note=T("全部已计算。", "Everything was computed.") if not report.gaps else _EMPTY,
        )
    )
    rows = []
    for i in report.issues:
        level: Status = "bad" if i.severity is Severity.ERROR else "warn"
        rows.append(
            (
                cell(
                    T("错误", "error") if i.severity is Severity.ERROR else T("提示", "warning"),
                    level,
                ),
                cell(i.file or "-"),
                cell(str(i.row) if i.row is not None else "-"),
                cell(i.column or "-"),
                cell(i.message),
                cell(i.allowed or "-", "muted"),
            )
        )
    blocks.append(
        Table(
            title=T("数据问题", "Data issues"),
            headers=(
                T("级别", "level"),
                T("文件", "file"),
                T("行", "row"),
                T("列", "column"),
                T("问题", "problem"),
                T("允许值", "allowed"),
            ),
            rows=tuple(rows),
            note=T("未发现问题。", "No problems found.") if not rows else _EMPTY,
        )
    )
    return Section(id="issues", title=T("数据问题", "Data issues"), blocks=tuple(blocks))


def build_document(
    report: Report,
    *,
    trend_months: int = 12,
    all_areas: bool = True,
    extra: Sequence[SectionSpec] = (),
) -> Document:
    """The report laid out as sections of tables, paragraphs and charts.

    ``trend_months`` limits the columns of the trend table (the terminal shows fewer);
    ``all_areas`` lists every transformer area, else the ten worst and every anomaly.
    ``extra`` are the sections added beyond the core ones (:func:`gdsmodel.report.render`
    passes :func:`gdsmodel.report.sections.extra_sections`).

    >>> from gdsmodel.report.compute import _demo_report
    >>> doc = build_document(_demo_report())
    >>> doc.title.en, [s.id for s in doc.sections][:3]
    ('Demo: monthly report, March 2026', ['summary', 'kpis', 'trends'])
    """
    core = (
        _summary(report),
        _kpis(report),
        _trends(report, trend_months),
        _line_loss(report, all_areas),
        _reliability(report),
        _voltage(report),
        _assessment(report),
        _tools(report),
        _obligations(report),
        _issues(report),
    )
    added = []
    for spec in extra:
        try:
            section = spec.build(report)
        except GdsmodelError as exc:  # a part that cannot be computed says why, as KPIs do
            reason = str(exc)
            section = Section(
                id=spec.id,
                title=spec.title if spec.title.zh else T(spec.id),
                blocks=(Paragraph(T(f"无法计算:{reason}", f"Not computed: {reason}"), "warn"),),
            )
        if section is not None:
            added.append((spec, section))
    month = report.month
    return Document(
        title=T(
            f"{report.station.zh} {month.format('zh')}工作报告",
            f"{report.station.en or report.station.zh}: monthly report, {month.format('en')}",
        ),
        subtitle=T(
            "指标、趋势、考核、安全工器具与下月工作",
            "KPIs, trends, assessment, safety tools and obligations",
        ),
        sections=tuple(place(core, added)),
    )
