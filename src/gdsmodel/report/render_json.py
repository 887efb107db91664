"""The report as JSON for programs: every figure exact (as a fraction) and as displayed.

The top-level keys (``kpis``, ``line_loss``, ``assessment``, ``safety_tools``...) give the
computed parts as data; ``sections`` is the neutral :class:`~gdsmodel.report.layout.Document`
that every other format renders, block by block (tables with each cell's text in both
languages and its exact number), so the JSON carries every section the others show,
including those added with :mod:`gdsmodel.report.sections`.

>>> from fractions import Fraction
>>> _num(Fraction(49, 50))
{'exact': '49/50', 'value': 0.98}
"""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction
from typing import Any

from gdsmodel.report.compute import KpiRow, KpiValue, Report
from gdsmodel.report.layout import Block, Cell, Chart, Document, Paragraph, Table
from gdsmodel.serialize import unstructure
from gdsmodel.text import Text

__all__ = ["document_data", "render_json", "report_data"]


def _num(value: Fraction | Decimal | int | None) -> dict[str, Any] | None:
    if value is None:
        return None
    f = Fraction(value)
    return {"exact": str(f), "value": round(float(f), 10)}


def _value(row: KpiRow, v: KpiValue | None) -> dict[str, Any] | None:
    if v is None:
        return None
    return {
        **(_num(v.value) or {"exact": None, "value": None}),
        "display": row.format(v),
        "reason": v.reason or None,
        "anomaly": v.anomaly or None,
    }


def _text(text: Text) -> dict[str, str]:
    return {"zh": text.get("zh"), "en": text.get("en")}


def _cell(c: Cell) -> dict[str, Any]:
    out: dict[str, Any] = {"text": _text(c.text)}
    if c.status:
        out["status"] = c.status
    if c.number is not None:
        out["number"] = _num(c.number)
        if c.percent:
            out["percent"] = True
    return out


def _block(b: Block) -> dict[str, Any]:
    if isinstance(b, Paragraph):
        return {"type": "paragraph", "text": _text(b.text), "status": b.status or None}
    if isinstance(b, Chart):
        return {
            "type": "chart",
            "id": b.id,
            "kind": b.kind,
            "title": _text(b.title),
            "categories": list(b.categories),
            "series": [{"name": _text(x.name), "values": list(x.values)} for x in b.series],
            "unit": b.unit,
            "target": b.target,
        }
    assert isinstance(b, Table)
    return {
        "type": "table",
        "title": _text(b.title) if b.title.zh else None,
        "headers": [_text(h) for h in b.headers],
        "rows": [[_cell(c) for c in row] for row in b.rows],
        "note": _text(b.note) if b.note.zh else None,
    }


def document_data(doc: Document) -> list[dict[str, Any]]:
    """The document's sections as JSON-ready data, block by block.

    >>> from gdsmodel.report.compute import _demo_report
    >>> from gdsmodel.report.layout import build_document
    >>> sections = document_data(build_document(_demo_report()))
    >>> [s["id"] for s in sections][4:6], sections[4]["blocks"][0]["type"]
    (['reliability', 'voltage'], 'chart')
    """
    return [
        {"id": s.id, "title": _text(s.title), "blocks": [_block(b) for b in s.blocks]}
        for s in doc.sections
    ]


def report_data(report: Report, doc: Document | None = None) -> dict[str, Any]:
    """The report as plain JSON-ready data (``doc``: its document, built when not given).

    >>> from gdsmodel.report.compute import _demo_report
    >>> data = report_data(_demo_report())
    >>> data["format"], data["kpis"][0]["month"]["exact"]
    ('gdsmodel.report/1', '1/20')
    >>> "reliability" in [s["id"] for s in data["sections"]]
    True
    """
    if doc is None:
        from gdsmodel.report.layout import build_document
        from gdsmodel.report.sections import extra_sections

        doc = build_document(report, extra=extra_sections())
    months = [str(m) for m in report.trend_months]
    return {
        "format": "gdsmodel.report/1",
        "station": unstructure(report.station),
        "month": str(report.month),
        "trend_months": months,
        "ytd_months": [str(m) for m in report.ytd_months],
        "kpis": [
            {
                "key": str(r.key),
                "metric": r.metric,
                "name": unstructure(r.name),
                "scope": unstructure(r.scope) if r.scope.zh else None,
                "unit": r.unit,
                "kind": r.kind.value,
                "month": _value(r, r.month),
                "target": str(r.target) if r.target is not None else None,
                "verdict": r.verdict.status.value if r.verdict is not None else None,
                "gap": _num(r.verdict.gap) if r.verdict is not None else None,
                "trend": dict(zip(months, (_value(r, v) for v in r.trend), strict=True)),
                "ytd": _value(r, r.ytd),
            }
            for r in report.kpis
        ],
        "line_loss": {
            "lines": [
                {
                    "line": x.id,
                    "name": x.name,
                    "voltage": x.voltage,
                    "supplied_kwh": _num(x.supplied_kwh),
                    "sold_kwh": _num(x.sold_kwh),
                    "rate": _num(x.rate.value),
                    "anomaly": x.anomaly,
                    "power_factor": str(x.power_factor) if x.power_factor is not None else None,
                }
                for x in report.lines
            ],
            "areas": [
                {
                    "area": x.id,
                    "line": x.line,
                    "customers": x.customers,
                    "supplied_kwh": _num(x.supplied_kwh),
                    "sold_kwh": _num(x.sold_kwh),
                    "rate": _num(x.rate.value),
                    "anomaly": x.anomaly,
                }
                for x in report.areas
            ],
        },
        "assessment": {
            "scheme": report.scheme.id,
            "sheets": [
                {
                    "owner": s.owner,
                    "period": s.period,
                    "total": str(s.total),
                    "available": str(s.available),
                    "items": [
                        {
                            "rule": i.rule,
                            "assessed": i.assessed,
                            "available": str(i.available),
                            "deduction": str(i.deduction),
                            "bonus": str(i.bonus),
                            "score": str(i.score),
                            "value": _num(i.value),
                            "passed": i.passed,
                            "note": i.note or None,
                        }
                        for i in s.items
                    ],
                }
                for s in report.sheets
            ],
            "ranking": [
                {
                    "rank": r.rank,
                    "owner": r.owner,
                    "total": str(r.total),
                    "available": str(r.available),
                    "months": r.months,
                }
                for r in report.ranking
            ],
        },
        "safety_tools": {
            "on": report.tools.on.isoformat() if report.tools.on else None,
            "tools": report.tools.tools,
            "due": [
                {
                    "serial": d.serial,
                    "kind": d.kind,
                    "due": d.due.isoformat(),
                    "reason": str(d.reason),
                }
                for d in report.tools.due
            ],
            "overdue": [
                {"serial": d.serial, "kind": d.kind, "due": d.due.isoformat()}
                for d in report.tools.overdue
            ],
            "unusable": [
                {
                    "serial": u.serial,
                    "kind": u.kind,
                    "condition": str(u.condition),
                    "reason": u.reason,
                }
                for u in report.tools.unusable
            ],
            "reason": report.tools.reason or None,
        },
        "obligations": {
            "period": str(report.obligations.period) if report.obligations.period else None,
            "items": [
                {
                    "clause": getattr(o, "clause", None),
                    "owner": getattr(o, "owner", None),
                    "cadence": str(getattr(o, "cadence", "")),
                    "window": str(o.window) if getattr(o, "window", None) is not None else None,
                }
                for o in report.obligations.items
            ],
            "reason": report.obligations.reason or None,
        },
        "gaps": [{"part": unstructure(g.part), "reason": g.reason} for g in report.gaps],
        "issues": [i.to_data() for i in report.issues],
        "sections": document_data(doc),
    }


def render_json(report: Report, doc: Document | None = None) -> str:
    """The report as indented UTF-8 JSON text.

    >>> from gdsmodel.report.compute import _demo_report
    >>> render_json(_demo_report()).splitlines()[1]
    '  "format": "gdsmodel.report/1",'
    """
    return json.dumps(report_data(report, doc), ensure_ascii=False, indent=2) + "\n"
