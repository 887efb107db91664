"""Output helpers shared by the commands: readable tables for people (from
:mod:`gdsmodel.terminal`), JSON for programs, and :class:`FittingStream`, which keeps every
line a command prints for people within the terminal's width."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO, cast

from gdsmodel import terminal
from gdsmodel.terminal import display_width, output_width, wrap_paragraph

if TYPE_CHECKING:
    from gdsmodel.text import Lang, Text

__all__ = [
    "FittingStream",
    "display_width",
    "interval_label",
    "label",
    "lang",
    "print_json",
    "print_table",
    "say",
    "set_lang",
    "text_of",
    "unit_label",
]

_LANG: list[str] = ["both"]  # the --lang of the running command

# The column headers and codes the commands print, in Chinese (the English is the key).
_LABELS = {
    "id": "编号", "serial": "编号", "kind": "类型", "rating": "电压等级/材质", "condition": "状态",
    "due": "应试日期", "issued to": "领用人", "place": "存放", "reason": "原因",
    "days over": "超期天数", "seq": "序号", "date": "日期", "event": "事件", "details": "详情",
    "conf.": "置信度", "source": "来源", "interval": "试验周期", "name": "名称",
    "clauses": "条款数", "category": "类别", "cadence": "周期", "text": "内容", "title": "标题",
    "regulation": "规程", "unit": "单位", "better": "方向", "target": "目标",
    "due window": "时间", "clause": "条款", "KPI": "指标", "value": "数值", "verdict": "判定",
    "rule": "考核项", "score": "得分", "available": "应得分", "deduction": "扣分",
    "note": "说明", "on": "日期", "total": "合计", "file": "文件", "rank": "名次",
    "person": "人员", "months": "月数", "band": "等级", "holds": "岗位", "from": "自",
    "to (excluded)": "至(不含)", "scope": "范围", "KPIs": "指标", "post / unit / role":
    "岗位/专业组/角色", "people": "人员", "area": "台区", "type": "类型", "class": "类别",
    "loss": "线损率", "days ok": "合格天数", "longest qualified": "最长连续合格",
    "high-loss days": "高损天数", "events": "次数", "longest (min)": "最长(分钟)",
    "days": "天数", "consecutive days": "连续天数", "flagged": "标记", "line": "线路",
    "kit": "配置点", "required": "应配", "usable": "可用", "missing": "缺", "unusable here":
    "其中不可用", "problem": "问题", "detail": "详情",
    # safety-tool events, ratings and discrepancies
    "registered": "登记", "tested": "试验", "issued": "领用", "returned": "归还",
    "checked": "使用前检查", "defect_found": "发现缺陷", "repaired": "修复", "recalled": "召回",
    "moved": "变更保管", "high_voltage": "高压", "low_voltage": "低压",
    "ledger_mismatch": "台账不符", "chain_broken": "记录链断开", "card_mismatch": "卡片不符",
    "missing_item": "实物缺失", "unregistered_item": "实物未登记",
    "scrapped_item_present": "报废品仍在",
    # work records
    "record": "记录", "state": "状态", "opened": "登记日期", "last": "最近", "overdue": "超期",
    "limit": "时限", "owner": "责任岗位", "metric": "指标", "month": "月份",
    "numerator": "分子", "denominator": "分母", "window": "时间", "what": "事项",
    "limits": "时限",
    "equipment": "设备",
    # codes
    "serviceable": "可用", "untested": "未做验收试验", "test_required": "待试验",
    "defective": "有缺陷", "sealed": "封存待修", "scrapped": "报废", "cycle": "周期试验",
    "acceptance": "验收试验", "after_repair": "修后试验", "batch_recall": "批次召回",
    "higher": "越高越好", "lower": "越低越好", "post": "岗位",
    "annual": "年度", "quarterly": "季度", "monthly": "每月", "month_end": "月末",
    "periodic": "定期", "seasonal": "季节性", "on_event": "事件触发", "ad_hoc": "临时",
    # clause categories
    "safety": "安全", "operations": "运行", "technical": "技术", "marketing": "营销",
    "metering": "计量", "billing": "电费", "line_loss": "线损", "service": "服务",
    "training": "培训", "reporting": "报表", "assessment": "考核", "planning": "计划",
    "meetings": "会议", "administration": "行政", "compliance": "合规",
}  # fmt: skip


def set_lang(lang: str) -> None:
    """Set the ``--lang`` of the running command (headers and codes follow it)."""
    _LANG[0] = lang if lang in ("zh", "en", "both") else "both"


def label(text: str, lang: str | None = None) -> str:
    """A header or code in the command's language: ``zh`` the Chinese, ``both`` the Chinese
    and the English, ``en`` (or an unknown word) as written.

    >>> label("serial", "zh"), label("serial", "both"), label("serial", "en"), label("x", "zh")
    ('编号', '编号 serial', 'serial', 'x')
    """
    lang = lang or _LANG[0]
    zh = _LABELS.get(text)
    if zh is None or lang == "en":
        return text
    return zh if lang == "zh" else f"{zh} {text}"


def lang() -> str:
    """The ``--lang`` of the running command."""
    return _LANG[0]


def say(zh: str, en: str, lang: str | None = None, *, sep: str = " / ") -> str:
    """A sentence in the command's language: ``zh`` the Chinese, ``en`` the English,
    ``both`` the two joined with ``sep``.

    >>> say("2 个台区", "2 areas", "zh"), say("2 个台区", "2 areas", "both")
    ('2 个台区', '2 个台区 / 2 areas')
    """
    lang = lang or _LANG[0]
    return {"zh": zh, "en": en}.get(lang, f"{zh}{sep}{en}")


def text_of(text: Text, lang: str | None = None) -> str:
    """A :class:`gdsmodel.text.Text` (a name, a title) in the command's language."""
    return text.get(cast("Lang", lang or _LANG[0]))  # --lang and set_lang allow zh, en, both


def unit_label(unit: str, lang: str | None = None) -> str:
    """A unit in the command's language (Chinese under ``zh``; both under ``both``).

    >>> unit_label("h/customer", "zh"), unit_label("h/customer", "both"), unit_label("%", "zh")
    ('小时/户', '小时/户 h/customer', '%')
    """
    from gdsmodel.metrics.units import units_zh

    lang = lang or _LANG[0]
    zh = units_zh().get(unit)
    if zh is None or lang == "en":
        return unit
    return zh if lang == "zh" else f"{zh} {unit}"


_CODE_COLUMNS = {
    "condition", "reason", "better", "cadence", "type", "class", "kind", "event", "category",
    "rating", "problem",
}  # fmt: skip


def print_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    out: TextIO | None = None,
    max_width: int | None = None,
    numeric: Sequence[int] = (),
) -> None:
    """:func:`gdsmodel.terminal.print_table` with the headers, and the codes of the code
    columns (condition, reason, cadence ...), in the command's language (:func:`set_lang`)."""
    lang = _LANG[0]
    if lang != "en":
        named = bool({"name", "名称"} & set(headers))  # a table that names its codes
        codes = [h in _CODE_COLUMNS for h in headers]
        rows = [
            [_code(c, headers[j], named) if j < len(codes) and codes[j] and isinstance(c, str)
             else c
             for j, c in enumerate(row)]
            for row in rows
        ]  # fmt: skip
        headers = [label(h) for h in headers]
    terminal.print_table(headers, rows, out=out, max_width=max_width, numeric=numeric)


def print_json(data: Any, *, out: TextIO | None = None) -> None:
    """Print data as indented UTF-8 JSON (Chinese stays readable)."""
    json.dump(data, out or sys.stdout, ensure_ascii=False, indent=2)
    print(file=out or sys.stdout)


class FittingStream:
    """A text stream that wraps the lines written to it at ``width`` display columns (at
    spaces and between CJK characters; a word longer than the line is cut), indenting the
    continuation under the line's own indent. Lines that fit, and lines with colour codes
    (tables rich laid out already), pass unchanged.

    >>> import io
    >>> out = io.StringIO()
    >>> s = FittingStream(out, 20)
    >>> _ = s.write("  wrote one report and two workbooks\\nok\\n")
    >>> print(out.getvalue(), end="")
      wrote one report
        and two
        workbooks
    ok
    """

    def __init__(self, stream: TextIO, width: int | None = None) -> None:
        self._stream = stream
        self._width = width if width is not None else output_width(stream)
        self._pending = ""

    def write(self, text: str) -> int:
        self._pending += text
        if "\n" in self._pending:
            *lines, self._pending = self._pending.split("\n")
            self._stream.write("".join(self._fit(line) + "\n" for line in lines))
        return len(text)

    def _fit(self, line: str) -> str:
        if "\x1b[" in line or display_width(line) <= self._width:
            return line
        indent = line[: len(line) - len(line.lstrip(" "))]
        more = indent + "  "
        text = line.strip()
        first = wrap_paragraph(text, max(self._width - display_width(indent), 10))[0]
        out = [indent + first]
        tail = text[len(first) :].lstrip()
        if tail:
            room = max(self._width - display_width(more), 10)
            out += [more + part for part in wrap_paragraph(tail, room)]
        return "\n".join(_cut_first(out, self._width))

    def flush(self) -> None:
        if self._pending:
            self._stream.write(self._fit(self._pending))
            self._pending = ""
        self._stream.flush()

    def __getattr__(self, name: str) -> Any:  # isatty, fileno, buffer, encoding ...
        return getattr(self._stream, name)


def _cut(lines: list[str], width: int) -> list[str]:
    """Lines with any word longer than ``width`` cut into pieces (wrap_paragraph keeps words)."""
    out: list[str] = []
    for line in lines:
        while display_width(line) > width:
            piece = ""
            for ch in line:
                if display_width(piece + ch) > width:
                    break
                piece += ch
            out.append(piece)
            line = line[len(piece) :]
        out.append(line)
    return out


def _cut_first(lines: list[str], width: int) -> list[str]:
    out: list[str] = []
    for line in lines:
        out += _cut([line], width)
    return out


_KINDS = {"post": "岗位", "unit": "专业组"}


def _code(value: str, column: str, named: bool = False) -> str:
    """A code shown by its name: a label, or in a ``kind`` column a safety-tool kind's name.

    >>> _code("operating_rod", "kind") if _LANG[0] == "both" else ""
    '绝缘杆 operating_rod'
    >>> _code("periodic,annual", "cadence") if _LANG[0] == "both" else ""
    '定期、年度 periodic, annual'
    """
    parts = value.split(",")
    if len(parts) > 1 and all(part in _LABELS for part in parts):  # a list of codes
        zh = "、".join(_LABELS[part] for part in parts)
        return {"zh": zh}.get(_LANG[0], f"{zh} {', '.join(parts)}")
    if column == "kind" and value in _KINDS:
        return {"zh": _KINDS[value]}.get(_LANG[0], f"{_KINDS[value]} {value}")
    if value in _LABELS or column != "kind" or named:  # a named code stays the ID to type
        return label(value) if column != "kind" else value
    from gdsmodel.errors import GdsmodelError
    from gdsmodel.standards.safety_tools import tool_kind

    try:
        name = tool_kind(value).name
    except GdsmodelError:
        return value
    short = name.zh.split("(")[0].split("(")[0]
    return short if _LANG[0] == "zh" else f"{short} {value}"


_DURATION_ZH = (
    (re.compile(r"\bservice life: "), "使用期限:"),
    (re.compile(r"; then every "), ";之后每 "),
    (re.compile(r"(\d+) years?\b"), r"\1 年"),
    (re.compile(r"(\d+) months?\b"), r"\1 个月"),
    (re.compile(r"(\d+) days?\b"), r"\1 天"),
)


def interval_label(text: str, lang: str | None = None) -> str:
    """A test interval or service life in the command's language (years, months, days).

    >>> interval_label("2 years 6 months", "zh"), interval_label("6 months", "both")
    ('2 年 6 个月', '6 个月 / 6 months')
    """
    lang = lang or _LANG[0]
    if lang == "en":
        return text
    zh = text
    for pattern, repl in _DURATION_ZH:
        zh = pattern.sub(repl, zh)
    return zh if lang == "zh" or zh == text else f"{zh} / {text}"
