"""The report as JSON for programs: every figure exact (as a fraction) and as displayed.

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
from gdsmodel.serialize import unstructure

__all__ = ["render_json", "report_data"]


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


def report_data(report: Report) -> dict[str, Any]:
    """The report as plain JSON-ready data.

    >>> from gdsmodel.report.compute import _demo_report
    >>> data = report_data(_demo_report())
    >>> data["format"], data["kpis"][0]["month"]["exact"]
    ('gdsmodel.report/1', '1/20')
    """
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
    }


def render_json(report: Report) -> str:
    """The report as indented UTF-8 JSON text.

    >>> from gdsmodel.report.compute import _demo_report
    >>> render_json(_demo_report()).splitlines()[1]
    '  "format": "gdsmodel.report/1",'
    """
    return json.dumps(report_data(report), ensure_ascii=False, indent=2) + "\n"
