"""``gdsmodel areas DIR --month 2026-03``: the transformer areas of a station by class.

Lists the areas of the month with their same-period loss, class and (for non-computable
areas) the reason, filtered by ``--class``, ``--type`` or ``--area``; ``--events`` adds the
heavy-load, overload, unbalance and low-voltage lists. Exit codes: 0 listed, 1 the data
cannot be used (a bad cell names its file, line and column), 2 usage (a bad month or
option), 3 an unknown area, type or month.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from gdsmodel.cli._output import lang, print_json, print_table, say

if TYPE_CHECKING:
    from gdsmodel.metrics.areas.rules import AreaRules
    from gdsmodel.text import Text

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
    names = _Names(rules)
    n = names.of_class
    print(
        say(
            f"{month}: {c.areas} 个台区: {n('qualified', 'zh')} {c.qualified}, "
            f"{n('high_loss', 'zh')} {c.high_loss}, {n('negative_loss', 'zh')} "
            f"{c.negative_loss}, {n('non_computable', 'zh')} {c.non_computable}; "
            f"台区线损合格率 {c.qualified_rate.format()}",
            f"{month}: {c.areas} areas: {c.qualified} {n('qualified', 'en')}, {c.high_loss} "
            f"{n('high_loss', 'en')}, {c.negative_loss} {n('negative_loss', 'en')}, "
            f"{c.non_computable} {n('non_computable', 'en')}; qualified rate "
            f"{c.qualified_rate.format()}",
            sep="\n",
        )
    )
    if rows:
        print_table(
            ["area", "type", "class", "loss", "days ok", "longest qualified", "high-loss days"],
            [
                [
                    r.area,
                    names.of_type(r.area_type),
                    names.shown(r.classification.area_class.value),
                    r.classification.loss.format()
                    if r.classification.reason is None
                    else f"({names.shown(r.classification.reason.value)})",
                    f"{r.period.computable_days}/{r.period.days}",
                    r.period.longest_qualified_run,
                    r.period.high_loss_days,
                ]
                for r in rows
            ],
        )
    else:
        print(say("没有符合条件的台区", "no area matches"))
    if args.events:
        _print_events(section, names)
    return 0


class _Names:
    """The names of the area types (the rules' data) and of the classes and reasons
    (``area_classes.toml``) in the command's language: the Chinese under ``zh``, the English
    under ``en``, the Chinese and the ID to type under ``both``."""

    def __init__(self, rules: AreaRules | None) -> None:
        from gdsmodel.metrics.areas.labels import area_labels
        from gdsmodel.metrics.areas.rules import area_rules

        self.rules = rules if rules is not None else area_rules()
        self._labels = area_labels()

    def of_class(self, code: str, lang: str) -> str:
        name = self._labels.name(code)
        return name.zh if lang == "zh" else name.en

    def shown(self, code: str) -> str:
        return self._show(code, self._labels.name(code))

    def of_type(self, area_type: str) -> str:
        from gdsmodel.errors import NotFoundError

        try:
            name = self.rules.band(area_type).name
        except NotFoundError:
            return area_type
        return self._show(area_type, name)

    @staticmethod
    def _show(code: str, name: Text) -> str:
        if not name.zh:
            return code
        return {"zh": name.zh, "en": name.en or code}.get(lang(), f"{name.zh} {code}")


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


def _print_events(section: Any, names: _Names) -> None:

    print()
    monitored = section.monitored_areas
    print(say(f"负荷曲线: 监测 {monitored} 个台区", f"load curves: {monitored} areas monitored"))
    for key, items in (
        ("heavy_load", section.heavy_load),
        ("overload", section.overload),
        ("unbalance", section.unbalance),
    ):
        title = names.rules.event_name(key)
        zh, en = title.zh, title.en or key.replace("_", " ")
        if not items:
            print(say(f"{zh}: 无", f"{en}: none"))
            continue
        print(say(f"{zh}:", f"{en}:"))
        print_table(
            ["area", "events", "longest (min)", "days", "consecutive days", "flagged"],
            [
                [
                    s.unit if isinstance(s.unit, str) else " / ".join(s.unit),
                    len(s.events),
                    s.longest_minutes,
                    len(s.event_days),
                    s.most_consecutive_days,
                    say("是", "yes") if s.flagged else "",
                ]
                for s in items
            ],
        )
    lv = section.low_voltage
    if lv is None:
        print(say("低电压: 无电压监测点", "low voltage: no voltage points"))
    else:
        some = f" ({', '.join(lv.customers)})" if lv.customers else ""
        print(
            say(
                f"低电压: {len(lv.customers)}/{lv.monitored_customers} 户, "
                f"{len(lv.areas)}/{lv.monitored_areas} 个台区{some}",
                f"low voltage: {len(lv.customers)} of {lv.monitored_customers} customers, "
                f"{len(lv.areas)} of {lv.monitored_areas} areas{some}",
            )
        )
