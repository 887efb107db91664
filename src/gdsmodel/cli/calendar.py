"""``gdsmodel calendar PERIOD``: what the standard asks, of whom, in a period."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from gdsmodel.cli._args import station_of
from gdsmodel.cli._output import print_json, print_table, say, text_of
from gdsmodel.text import Text

__all__ = ["register"]


def register(sub: Any) -> None:
    """Add the ``calendar`` command."""
    from gdsmodel.cli._args import add_station_folder, day_arg, period_arg

    p = sub.add_parser(
        "calendar",
        help="obligations due in a period (e.g. 2026-03, 2026-Q1, 2026年3月)",
        description="List what is due in PERIOD, for whom, from which clause; "
        "on-event and ad hoc work is listed as triggers.",
    )
    add_station_folder(
        p, help="the station folder for --person and its open records (default: the current folder)"
    )
    p.add_argument(
        "period",
        type=period_arg,
        metavar="PERIOD",
        help="2026, 2026-Q1, 2026-03, 2026-03-D1, 2026年3月...",
    )
    p.add_argument(
        "--post",
        metavar="ID",
        help="only this post or unit, by ID or name (a head gets its unit's too)",
    )
    p.add_argument(
        "--person",
        metavar="ID",
        help="only what this person held in the period (staff.csv of DIR)",
    )
    p.add_argument(
        "--today",
        type=day_arg,
        metavar="YYYY-MM-DD",
        help="the day open records are judged overdue on (default today)",
    )
    p.add_argument("--ics", metavar="FILE", help="also write the dated obligations as iCalendar")
    p.add_argument("--config", metavar="FILE", help="a station's calendar file (TOML)")
    p.add_argument("--standard", metavar="FILE", help="a station's variant of the standard")
    p.add_argument("--no-triggers", action="store_true", help="leave out on-event and ad hoc work")
    p.add_argument("--lang", choices=["zh", "en", "both"], default="both", help="language")
    p.add_argument("--json", action="store_true", help="machine-readable JSON output")
    p.set_defaults(func=cmd_calendar)


def _person_items(args: argparse.Namespace, period: Any, std: Any, config: Any) -> tuple[Any, str]:
    """The obligations of what ``--person`` held during the period (``--post`` narrows)."""
    from gdsmodel.errors import InputError
    from gdsmodel.organisation.files import load_organisation
    from gdsmodel.organisation.obligations import person_obligations

    if not Path(station_of(args)).is_dir():
        raise InputError(
            "is not a directory",
            name="DIR",
            value=station_of(args),
            allowed="a station folder with staff.csv",
        )
    org = load_organisation(station_of(args))
    for issue in org.errors:
        print(f"gdsmodel: {issue}", file=sys.stderr)
    person = org.roster.person(args.person)
    items = person_obligations(
        org.roster,
        person.id,
        period,
        standard=std,
        config=config,
        triggers=not args.no_triggers,
        catalogue=org.catalogue,
    )
    if args.post is not None:
        owner = std.owner(args.post)
        keep = {owner.id} | ({owner.heads} if getattr(owner, "heads", None) else set())
        items = tuple(o for o in items if o.owner in keep)
    owners = ", ".join(dict.fromkeys(o.owner for o in items)) or "-"
    return items, f"{person.id} {person.name}: {owners}"


def cmd_calendar(args: argparse.Namespace) -> int:
    from gdsmodel.periods import Period
    from gdsmodel.standards.calendar import load_calendar_config, to_ics
    from gdsmodel.standards.standard import load_standard

    period = args.period if isinstance(args.period, Period) else Period.parse(args.period)
    std = load_standard(args.standard)
    if args.post is not None:  # a post's or unit's name in either language works too
        from gdsmodel.cli.standard import _owner

        args.post = _owner(std, args.post).id
    config = load_calendar_config(args.config) if args.config else None
    name = f"gdsmodel {period}"
    header = ""
    if args.person is not None:
        items, header = _person_items(args, period, std, config)
        name = f"gdsmodel {period} {args.person}"
    else:
        items = std.obligations(
            period, owner=args.post, config=config, triggers=not args.no_triggers
        )
    items = (*items, *_record_items(args, period))
    if args.ics:
        from gdsmodel.cli._files import write_output

        write_output(args.ics, to_ics(items, lang=args.lang, name=name))
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
                    "note": o.note,
                }
                for o in items
            ]
        )
        return 0
    if header:
        print(header)
    dated = [o for o in items if not o.is_trigger]
    trig = [o for o in items if o.is_trigger]
    zh = f"{period.format('zh')}:定期工作 {len(dated)} 项,事件触发 {len(trig)} 项"
    en = f"{period.format('en')}: {len(dated)} dated, {len(trig)} triggers"
    print({"zh": zh, "en": en}.get(args.lang, f"{zh} / {en}"))
    if dated:
        from gdsmodel.standards.calendar import default_calendar_config

        seasons = {s.id: s.name for s in (config or default_calendar_config()).seasons}
        print_table(
            ["due window", "clause", "cadence", "text"],
            [
                [
                    str(o.window) if o.window else "",
                    o.clause,
                    str(o.cadence),
                    _season(o.season, seasons, args.lang)
                    + o.text.get(args.lang)
                    + _note(o.note, args.lang),
                ]
                for o in dated
            ],
        )
    if trig:
        print()
        zh, en = "事件触发与临时性工作:", "triggers (on event / ad hoc):"
        print({"zh": zh, "en": en}.get(args.lang, f"{zh} / {en}"))
        print_table(
            ["clause", "cadence", "text"],
            [[o.clause, str(o.cadence), o.text.get(args.lang)] for o in trig],
        )
    if args.ics:
        n = sum(1 for o in dated)
        print("\n" + say(f"已写入 {n} 个日程: {args.ics}", f"wrote {n} events to {args.ics}"))
    return 0


# The meter-reading days: a window of the calendar's settings, not one of its seasons.
_READING_DAYS = Text("抄表例日", "meter-reading days")


def _season(season: str | None, names: dict[str, Text], lang: str) -> str:
    """The season of a window by its name, ``[春季安全大检查] ``; nothing for a record's
    time limit (its text names the record).

    >>> _season("meter_reading", {}, "zh"), _season("record:defect/DEF-1/handle", {}, "en")
    ('[抄表例日] ', '')
    """
    if not season or season.startswith("record:"):
        return ""
    name = _READING_DAYS if season == "meter_reading" else names.get(season)
    return f"[{text_of(name, lang) if name is not None else season}] "


def _note(note: str, lang: str) -> str:
    """An obligation's note in the command's language: the meter-reading days, and a record's
    limit (``defect DEF-003 (P02): handle due 2026-03-10, overdue``) as its due day.

    >>> _note("defect DEF-3: handle due 2026-03-10, overdue", "zh")
    ' (期限 2026-03-10, 已超期)'
    >>> _note("meter-reading days", "en")
    ''
    """
    import re

    if not note or note == _READING_DAYS.en:  # said by the season
        return ""
    limit = re.fullmatch(r"\S+ \S+( \(.+\))?: \S+ due (\S+)(, overdue)?", note)
    if limit is None:
        return f" ({note})"
    who, due, late = (limit[1] or "").strip().strip("()"), limit[2], bool(limit[3])
    zh = f"{who} 期限 {due}".strip() + (", 已超期" if late else "")
    en = f"{who} due {due}".strip() + (", overdue" if late else "")
    return f" ({say(zh, en, lang)})"


def _record_items(args: argparse.Namespace, period: Any) -> tuple[Any, ...]:
    """The open records with a time limit kept in ``DIR`` (none when it keeps no
    records), of ``--post`` and ``--person`` when given; overdue on ``--today``."""
    from gdsmodel.standards.records.obligations import station_record_obligations

    if not Path(station_of(args)).is_dir():
        return ()
    if args.today is None:
        from gdsmodel.cli.records import _today

        args.today = _today()
    return station_record_obligations(
        station_of(args), period, today=args.today, owner=args.post, person=args.person
    )
