"""``gdsmodel areas DIR --month 2026-03``: the transformer areas of a station by class.

Lists the areas of the month with their same-period loss, class and (for non-computable
areas) the reason, filtered by ``--class``, ``--type`` or ``--area``; ``--events`` adds the
heavy-load, overload, unbalance and low-voltage lists. Exit codes: 0 listed, 1 the data
cannot be used (a bad cell names its file, line and column), 2 usage (a bad month or
option), 3 an unknown area, type or month.
"""

from __future__ import annotations

import argparse
from typing import Any

from gdsmodel.cli._output import print_json, print_table

__all__ = ["register"]

_CLASSES = ("qualified", "high_loss", "negative_loss", "non_computable")


def register(sub: Any) -> None:
    """Add the ``areas`` command."""
    p = sub.add_parser(
        "areas",
        help="transformer areas of a month by line-loss class (qualified, high-loss...)",
        description="Classify the transformer areas (台区) of a station's folder for a month "
        "from area_days.csv (same-period line loss, 同期线损), and list them by class.",
    )
    p.add_argument("folder", metavar="DIR", help="the station's folder (area_days.csv ...)")
    p.add_argument(
        "--month", required=True, type=_month, metavar="YYYY-MM", help="the month, e.g. 2026-03"
    )
    p.add_argument(
        "--class",
        dest="area_class",
        choices=_CLASSES,
        action="append",
        help="only areas of this class (repeatable)",
    )
    p.add_argument("--type", dest="area_type", metavar="TYPE", help="only areas of this type")
    p.add_argument("--area", metavar="ID", help="only this area")
    p.add_argument("--rules", metavar="FILE", help="a province's or station's rules (TOML)")
    p.add_argument("--events", action="store_true", help="also list load and voltage events")
    p.add_argument("--json", action="store_true", help="machine-readable JSON output")
    p.set_defaults(func=cmd_areas)


def _month(text: str) -> Any:
    """The month of ``--month`` (a bad one is a usage error: exit 2 with the usage)."""
    from gdsmodel.errors import ParseError
    from gdsmodel.periods import Month

    try:
        return Month.parse(text)
    except ParseError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def cmd_areas(args: argparse.Namespace) -> int:
    from gdsmodel.errors import NotFoundError
    from gdsmodel.metrics.areas.rules import load_area_rules
    from gdsmodel.metrics.areas.station import area_section

    month = args.month
    rules = load_area_rules(args.rules) if args.rules else None
    from gdsmodel.terminal import progress

    with progress("reading the station folder"):  # a spinner on a terminal
        section = area_section(args.folder, month, rules=rules)
    rows = list(section.rows)
    if args.area is not None:
        known = [r.area for r in rows]
        if args.area not in known:
            raise NotFoundError(f"area in {month}", args.area, known)
        rows = [r for r in rows if r.area == args.area]
    if args.area_type is not None:
        if rules is None:
            from gdsmodel.metrics.areas.rules import area_rules

            rules = area_rules()
        rules.band(args.area_type)  # unknown type: exit 3
        rows = [r for r in rows if r.area_type == args.area_type]
    if args.area_class:
        rows = [r for r in rows if r.classification.area_class.value in args.area_class]
    c = section.counts
    if args.json:
        print_json(
            {
                "month": str(month),
                "counts": {
                    "qualified": c.qualified,
                    "high_loss": c.high_loss,
                    "negative_loss": c.negative_loss,
                    "non_computable": c.non_computable,
                    "qualified_rate": _num(c.qualified_rate.value),
                },
                "areas": [
                    {
                        "area": r.area,
                        "area_type": r.area_type,
                        "class": r.classification.area_class.value,
                        "reason": r.classification.reason.value
                        if r.classification.reason
                        else None,
                        "loss": _num(r.classification.loss.value)
                        if r.classification.reason is None
                        else None,
                        "computable_days": r.period.computable_days,
                        "days": r.period.days,
                        "longest_qualified_run": r.period.longest_qualified_run,
                        "high_loss_days": r.period.high_loss_days,
                    }
                    for r in rows
                ],
                "events": _events_json(section) if args.events else None,
            }
        )
        return 0
    print(
        f"{month}: {c.areas} areas: {c.qualified} qualified, {c.high_loss} high-loss, "
        f"{c.negative_loss} negative-loss, {c.non_computable} non-computable; "
        f"台区线损合格率 {c.qualified_rate.format()}"
    )
    if rows:
        print_table(
            ["area", "type", "class", "loss", "days ok", "longest qualified", "high-loss days"],
            [
                [
                    r.area,
                    r.area_type,
                    r.classification.area_class.value,
                    r.classification.loss.format()
                    if r.classification.reason is None
                    else f"({r.classification.reason.value})",
                    f"{r.period.computable_days}/{r.period.days}",
                    r.period.longest_qualified_run,
                    r.period.high_loss_days,
                ]
                for r in rows
            ],
        )
    else:
        print("no area matches")
    if args.events:
        _print_events(section)
    return 0


def _num(value: Any) -> float | None:
    return None if value is None else float(value)


def _events_json(section: Any) -> dict[str, Any]:
    def summaries(items: Any) -> list[dict[str, Any]]:
        return [
            {
                "unit": s.unit if isinstance(s.unit, str) else list(s.unit),
                "events": len(s.events),
                "longest_minutes": s.longest_minutes,
                "event_days": len(s.event_days),
                "most_consecutive_days": s.most_consecutive_days,
                "flagged": s.flagged,
            }
            for s in items
        ]

    lv = section.low_voltage
    return {
        "monitored_areas": section.monitored_areas,
        "heavy_load": summaries(section.heavy_load),
        "overload": summaries(section.overload),
        "unbalance": summaries(section.unbalance),
        "low_voltage": None
        if lv is None
        else {"customers": list(lv.customers), "areas": list(lv.areas)},
    }


def _print_events(section: Any) -> None:
    print()
    print(f"load curves: {section.monitored_areas} areas monitored")
    for title, items in (
        ("heavy load", section.heavy_load),
        ("overload", section.overload),
        ("unbalance", section.unbalance),
    ):
        if not items:
            print(f"{title}: none")
            continue
        print(f"{title}:")
        print_table(
            ["unit", "events", "longest (min)", "days", "consecutive days", "flagged"],
            [
                [
                    s.unit if isinstance(s.unit, str) else " / ".join(s.unit),
                    len(s.events),
                    s.longest_minutes,
                    len(s.event_days),
                    s.most_consecutive_days,
                    "yes" if s.flagged else "",
                ]
                for s in items
            ],
        )
    lv = section.low_voltage
    if lv is None:
        print("low voltage: no voltage points")
    else:
        print(
            f"low voltage: {len(lv.customers)} of {lv.monitored_customers} customers, "
            f"{len(lv.areas)} of {lv.monitored_areas} areas"
            + (f" ({', '.join(lv.customers)})" if lv.customers else "")
        )
