"""``gdsmodel calendar PERIOD``: what the standard asks, of whom, in a period."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from gdsmodel.cli._output import print_json, print_table

__all__ = ["register"]


def register(sub: Any) -> None:
    """Add the ``calendar`` command."""
    p = sub.add_parser(
        "calendar",
        help="obligations due in a period (e.g. 2026-03, 2026-Q1, 2026年3月)",
        description="List what is due in PERIOD, for whom, from which clause; "
        "on-event and ad hoc work is listed as triggers.",
    )
    p.add_argument(
        "period", metavar="PERIOD", help="2026, 2026-Q1, 2026-03, 2026-03-D1, 2026年3月..."
    )
    p.add_argument(
        "--post", metavar="ID", help="only this post or unit (a head gets its unit's too)"
    )
    p.add_argument("--ics", metavar="FILE", help="also write the dated obligations as iCalendar")
    p.add_argument("--config", metavar="FILE", help="a station's calendar file (TOML)")
    p.add_argument("--standard", metavar="FILE", help="a station's variant of the standard")
    p.add_argument("--no-triggers", action="store_true", help="leave out on-event and ad hoc work")
    p.add_argument("--lang", choices=["zh", "en", "both"], default="both")
    p.add_argument("--json", action="store_true", help="machine-readable JSON output")
    p.set_defaults(func=cmd_calendar)


def cmd_calendar(args: argparse.Namespace) -> int:
    from gdsmodel.periods import Period
    from gdsmodel.standards.calendar import load_calendar_config, to_ics
    from gdsmodel.standards.standard import load_standard

    period = Period.parse(args.period)
    std = load_standard(args.standard)
    config = load_calendar_config(args.config) if args.config else None
    items = std.obligations(period, owner=args.post, config=config, triggers=not args.no_triggers)
    if args.ics:
        Path(args.ics).write_bytes(to_ics(items, lang=args.lang, name=f"gdsmodel {period}"))
    if args.json:
        print_json(
            [
                {
                    "clause": o.clause,
                    "owner": o.owner,
                    "cadence": str(o.cadence),
                    "window": str(o.window) if o.window is not None else None,
                    "covers": str(o.covers) if o.covers is not None else None,
                    "season": o.season,
                    "trigger": o.is_trigger,
                    "text": {"zh": o.text.zh, "en": o.text.en},
                }
                for o in items
            ]
        )
        return 0
    dated = [o for o in items if not o.is_trigger]
    trig = [o for o in items if o.is_trigger]
    print(
        f"{period.format('zh')} / {period.format('en')}: {len(dated)} dated, {len(trig)} triggers"
    )
    if dated:
        print_table(
            ["due window", "clause", "cadence", "text"],
            [
                [
                    str(o.window) if o.window else "",
                    o.clause,
                    str(o.cadence),
                    (f"[{o.season}] " if o.season else "") + o.text.get(args.lang),
                ]
                for o in dated
            ],
        )
    if trig:
        print()
        print("triggers (on event / ad hoc):")
        print_table(
            ["clause", "cadence", "text"],
            [[o.clause, str(o.cadence), o.text.get(args.lang)] for o in trig],
        )
    if args.ics:
        print(f"\nwrote {sum(1 for o in dated)} events to {args.ics}")
    return 0
