"""``gdsmodel assess``: every person's and group's monthly sheet, closing and amending a
month, and the year-end ranking.

    gdsmodel assess show DIR --month 2026-03 [--person ID]   sheets of a month (archived if
                                                             closed)
    gdsmodel assess close DIR 2026-03 [--on DAY]     archive the month (never rewritten)
    gdsmodel assess amend DIR 2026-03 --person ID --reason TEXT   a dated correction
    gdsmodel assess history DIR 2026-03 --person ID  a sheet and its amendments
    gdsmodel assess year DIR 2026                    the year-end ranking with bands

``DIR`` is the station folder (default the current folder; ``--station DIR``, the form of
earlier releases, still works, and so does ``gdsmodel assess --month 2026-03``). Exit codes: 0 when
the data were clean, 1 when a file had bad rows (they are listed) or an operation was
refused (closing a closed month, an amendment without a reason), 2 for a usage error,
3 for an unknown person or a month not closed.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import sys
from typing import TYPE_CHECKING, Any

from gdsmodel.cli._args import station_of
from gdsmodel.cli._output import print_json, print_table, say, text_of

if TYPE_CHECKING:
    from gdsmodel.organisation.assessment import MonthAssessment
    from gdsmodel.periods import Month
    from gdsmodel.text import Text

__all__ = ["register"]


def register(sub: Any) -> None:
    """Add the ``assess`` command and its actions.

    >>> import argparse
    >>> sub = argparse.ArgumentParser().add_subparsers()
    >>> register(sub)
    >>> sorted(sub.choices)
    ['assess']
    """
    from gdsmodel.cli._args import add_station_folder, day_arg, month_arg

    p = sub.add_parser(
        "assess",
        help="assessment sheets per person and group; close, amend, year-end ranking",
        description="Score every person and group of the station folder for a month by the "
        "scheme for people (their KPIs over what they answered for, against their targets), "
        "archive a closed month, correct it with dated amendments, and rank the year.",
    )
    common = argparse.ArgumentParser(add_help=False)
    add_station_folder(common)
    common.add_argument(
        "--json",
        action="store_true",
        default=argparse.SUPPRESS,
        help="machine-readable JSON output",
    )
    common.add_argument(
        "--scheme",
        metavar="FILE",
        default=argparse.SUPPRESS,
        help="a scheme for people (the form of organisation/data/scheme.toml)",
    )
    # `gdsmodel assess --month M` (the form of earlier releases): the folder by --station
    p.add_argument("--station", metavar="DIR", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    p.add_argument("--json", action="store_true", help="machine-readable JSON output")
    p.add_argument("--scheme", metavar="FILE", help="a scheme for people (TOML)")
    p.add_argument("--month", type=month_arg, metavar="MONTH", help="the month to show")
    p.add_argument("--person", metavar="ID", help="only this person (or group, by unit ID)")
    p.set_defaults(func=cmd_show)
    actions = p.add_subparsers(
        dest="action",
        metavar="ACTION",
        help="show, close, amend, history or year (none: the sheets of --month)",
    )
    s = actions.add_parser("show", parents=[common], help="the sheets of a month")
    s.add_argument("--month", required=True, type=month_arg, metavar="MONTH", help="the month")
    s.add_argument("--person", metavar="ID", help="only this person (or group, by unit ID)")
    s.set_defaults(func=cmd_show)
    c = actions.add_parser("close", parents=[common], help="archive a month's sheets")
    c.add_argument("month", type=month_arg, metavar="MONTH")
    c.add_argument("--on", type=day_arg, metavar="DAY", help="the closing day (default today)")
    c.add_argument("--no-excel", action="store_true", help="archive JSON only")
    c.add_argument("--force", action="store_true", help="close even when the data have errors")
    c.set_defaults(func=cmd_close)
    a = actions.add_parser("amend", parents=[common], help="correct a sheet of a closed month")
    a.add_argument("month", type=month_arg, metavar="MONTH")
    a.add_argument("--person", required=True, metavar="ID", help="the person (or unit) corrected")
    a.add_argument("--reason", required=True, metavar="TEXT", help="why the sheet is corrected")
    a.add_argument("--on", type=day_arg, metavar="DAY", help="the day (default today)")
    a.set_defaults(func=cmd_amend)
    h = actions.add_parser("history", parents=[common], help="a sheet and its amendments")
    h.add_argument("month", type=month_arg, metavar="MONTH")
    h.add_argument("--person", required=True, metavar="ID")
    h.set_defaults(func=cmd_history)
    y = actions.add_parser("year", parents=[common], help="the year-end ranking of closed months")
    y.add_argument("year", type=int, metavar="YEAR")
    y.set_defaults(func=cmd_year)


def _compute(args: argparse.Namespace, month: Month) -> tuple[MonthAssessment, list[str]]:
    from gdsmodel.cli.staff import load_station_organisation
    from gdsmodel.organisation.station import assess_station_month

    scheme = None
    if getattr(args, "scheme", None):
        from gdsmodel.metrics.assessment import load_scheme

        scheme = load_scheme(args.scheme)
    org, data, tables, issues = load_station_organisation(station_of(args), (month,), scheme)
    problems = [str(i) for i in issues if not i.warning]
    problems += [
        str(e)
        for e in data.errors
        if getattr(e, "month", None) in (None, month)
        and e.file in {f"{s}.csv" for s in tables} | {f"{s}.xlsx" for s in tables}
    ]
    return assess_station_month(org, tables, month, scheme=scheme), problems


def _verdict(text: str | None) -> str:
    """A verdict as the archive keeps it (``met``, ``missed by 0.08 pp``, ``undefined``) in
    the command's language.

    >>> _verdict("missed by 0.08 pp") if _lang() == "both" else ""
    '未达标, 差 0.08 个百分点 / missed by 0.08 pp'
    """
    import re

    if not text:
        return "-"
    gap = re.fullmatch(r"missed by (\S+) pp", text)
    if gap:
        zh = f"未达标, 差 {gap[1]} 个百分点"
    else:
        zh = {"met": "达标", "missed": "未达标", "undefined": "无法判定"}.get(text, text)
    return say(zh, text)


def _lang() -> str:
    from gdsmodel.cli._output import lang

    return lang()


def _missed(s: dict[str, Any]) -> list[str]:
    """What a sheet missed: its KPIs that missed their target and its failed checks."""
    out = [
        f"{k['metric']}: {_verdict(k['verdict'])}"
        for k in s["kpis"]
        if k["verdict"] and k["verdict"].startswith("missed")
    ]
    out += [
        f"{text_of(_name(i))}: {say('未通过', 'failed')}"
        for i in s["items"]
        if i.get("passed") is False
    ]
    return out


def _name(item: dict[str, Any]) -> Text:
    from gdsmodel.text import Text

    name = item.get("name") or {}
    return Text(name.get("zh") or item["rule"], name.get("en") or item["rule"])


# The notes the scheme and the archive write (a station's own notes stay as written).
_NOTES = {"no evidence": "无依据", "not assessed": "未考核", "closed": "归档"}


def _note(note: str) -> str:
    """A note of the scheme (``no evidence``, ``not assessed``) in the command's language; a
    note of the station's own stays as written."""
    return say(_NOTES[note], note) if note in _NOTES else note


def _print_sheet(s: dict[str, Any]) -> None:
    who = f"{s['owner']} {s['name']}"
    print(f"{who} — {s['month']} — {', '.join(s['holds']) or '-'}")
    if s["answered_for"]:
        n, targets = len(s["answered_for"]), " ".join(s["answered_for"])
        print(f"{say(f'负责 {n} 项', f'answers for {n}')}: {targets}")
    if s["kpis"]:
        print_table(
            ["KPI", "value", "target", "verdict"],
            [
                [
                    k["metric"],
                    f"{k['percent']}%"
                    if k["percent"] is not None
                    else say("无法计算", "undefined"),
                    k["target"] or "-",
                    _verdict(k["verdict"]),
                ]
                for k in s["kpis"]
            ],
        )
    if s["items"]:
        print_table(
            ["rule", "score", "available", "deduction", "note"],
            [
                [
                    text_of(_name(i)),
                    i["score"],
                    i["available"],
                    i["deduction"],
                    _note(i["note"] or ("" if i["assessed"] else "not assessed")),
                ]
                for i in s["items"]
            ],
        )
    pct = f" ({s['percent']}%)" if s["percent"] is not None else ""
    total, available = s["total"], s["available"]
    print(f"{say('合计', 'total')} {total}/{available}{pct}")
    missed = _missed(s)
    if missed:
        print(f"{say('未达到', 'missed')}: " + "; ".join(missed))
    print()


def cmd_show(args: argparse.Namespace) -> int:
    """The sheets of a month: archived ones if the month is closed, else computed."""
    from gdsmodel.errors import NotFoundError
    from gdsmodel.organisation.archive import Archive, sheet_data

    if args.month is None:
        print(
            "gdsmodel assess: error: give --month MONTH or an action (close, amend, history, year)",
            file=sys.stderr,
        )
        return 2
    archive = Archive(station_of(args))
    problems: list[str] = []
    if archive.is_closed(args.month):
        record = archive.current(args.month)
        people, groups = record["people"], record["groups"]
        note = f"closed on {record['closed_on']} (archived; corrections are amendments)"
        shown = say(
            f"已于 {record['closed_on']} 归档 (更正记为补充记录)",
            note,
        )
    else:
        assessment, problems = _compute(args, args.month)
        people = [sheet_data(s) for s in assessment.people]
        groups = [sheet_data(s) for s in assessment.groups]
        note = "open (computed from the station's files)"
        shown = say("未归档 (由所里的数据文件算出)", note)
    sheets = people + groups
    if args.person is not None:
        sheets = [s for s in sheets if s["owner"] == args.person]
        if not sheets:
            raise NotFoundError(
                f"person or group with a sheet in {args.month}",
                args.person,
                [s["owner"] for s in people + groups],
            )
    if args.json:
        print_json(
            {"month": str(args.month), "status": note, "sheets": sheets, "problems": problems}
        )
    else:
        print(f"{args.month}: {shown}\n")
        for s in sheets:
            _print_sheet(s)
    for p in problems:
        print(f"gdsmodel: {p}", file=sys.stderr)
    return 1 if problems else 0


def cmd_close(args: argparse.Namespace) -> int:
    """Archive a month; refused (1) when it is closed or, without --force, the data have
    errors."""
    from gdsmodel.organisation.archive import Archive

    station = station_of(args)
    args.station = station
    archive = Archive(station)
    if archive.is_closed(args.month):  # before computing: the answer does not depend on it
        from gdsmodel.organisation.archive import ArchiveError

        raise ArchiveError(f"{args.month} is closed already; use `gdsmodel assess amend`")
    assessment, problems = _compute(args, args.month)
    if problems and not args.force:
        for p in problems:
            print(f"gdsmodel: {p}", file=sys.stderr)
        print(
            f"gdsmodel: error: {args.month} not closed: the data have errors (fix them, or "
            "--force)",
            file=sys.stderr,
        )
        return 1
    on = args.on or _dt.date.today()
    written = archive.close(assessment, on=on, excel=not args.no_excel)
    if getattr(args, "json", False):
        print_json(
            {
                "month": str(args.month),
                "closed_on": on.isoformat(),
                "files": [str(p) for p in written],
            }
        )
    else:
        files, day = ", ".join(str(p) for p in written), on.isoformat()
        print(
            say(f"{args.month} 已于 {day} 归档: {files}", f"closed {args.month} on {day}: {files}")
        )
    return 0


def cmd_amend(args: argparse.Namespace) -> int:
    """Recompute one sheet from the station's files and record it as a dated amendment."""
    from gdsmodel.errors import NotFoundError
    from gdsmodel.organisation.archive import Archive

    args.station = station_of(args)
    archive = Archive(args.station)
    if not archive.is_closed(args.month):
        raise NotFoundError("closed month", str(args.month), archive.closed_months())
    assessment, problems = _compute(args, args.month)
    found = [s for s in (*assessment.people, *assessment.groups) if s.owner == args.person]
    if not found:
        raise NotFoundError(f"person or group of {args.month}", args.person)
    on = args.on or _dt.date.today()
    path = archive.amend(args.month, found[0], reason=args.reason, on=on)
    for p in problems:
        print(f"gdsmodel: {p}", file=sys.stderr)
    day = on.isoformat()
    print(
        say(
            f"{args.person} 的 {args.month} 考核表已于 {day} 更正: {path}",
            f"amended {args.person} in {args.month} on {day}: {path}",
        )
    )
    return 1 if problems else 0


def cmd_history(args: argparse.Namespace) -> int:
    """A sheet of a closed month and every amendment, in order."""
    from gdsmodel.organisation.archive import Archive

    archive = Archive(station_of(args))
    versions = archive.history(args.month, args.person)
    if getattr(args, "json", False):
        print_json(
            [
                {
                    "amendment": v.amendment,
                    "on": v.on.isoformat(),
                    "reason": v.reason,
                    "file": v.file,
                    "sheet": v.sheet,
                }
                for v in versions
            ]
        )
        return 0
    print_table(
        ["#", "on", "total", "available", "reason", "file"],
        [
            [
                str(v.amendment),
                v.on.isoformat(),
                v.sheet["total"],
                v.sheet["available"],
                _note(v.reason),
                v.file,
            ]
            for v in versions
        ],
    )
    return 0


def cmd_year(args: argparse.Namespace) -> int:
    """The year-end ranking over the closed months of a year (current versions)."""
    from gdsmodel.metrics.ratio import round_half_up
    from gdsmodel.organisation.archive import Archive
    from gdsmodel.organisation.assessment import year_end_ranking
    from gdsmodel.organisation.files import load_organisation
    from gdsmodel.periods import Month

    station = station_of(args)
    archive = Archive(station)
    months = [m for m in archive.closed_months() if m.startswith(f"{args.year}-")]
    org = load_organisation(station)
    names = {p.id: p.name for p in org.roster.people}
    ranked = year_end_ranking(archive.person_sheets(months), org.rules)
    open_months = [
        str(Month(args.year, n)) for n in range(1, 13) if str(Month(args.year, n)) not in months
    ]
    if getattr(args, "json", False):
        print_json(
            {
                "year": args.year,
                "closed_months": months,
                "not_closed": open_months,
                "ranking": [
                    {
                        "rank": r.ranking.rank,
                        "person": r.ranking.owner,
                        "name": names.get(r.ranking.owner, ""),
                        "total": str(r.ranking.total),
                        "available": str(r.ranking.available),
                        "months": r.ranking.months,
                        "percent": str(round_half_up(r.percent, 2))
                        if r.percent is not None
                        else None,
                        "band": r.band.id if r.band else None,
                    }
                    for r in ranked
                ],
            }
        )
        return 0
    listed = ", ".join(months) or say("无", "none")
    print(
        say(
            f"{args.year}: 已归档 {len(months)} 个月 ({listed})",
            f"{args.year}: {len(months)} closed months ({listed})",
        )
    )
    print_table(
        ["rank", "person", "name", "score", "months", "band"],
        [
            [
                str(r.ranking.rank),
                r.ranking.owner,
                names.get(r.ranking.owner, ""),
                f"{round_half_up(r.percent, 2)}%"
                if r.percent is not None
                else _note("not assessed"),
                str(r.ranking.months),
                text_of(r.band.name) if r.band else "-",
            ]
            for r in ranked
        ],
    )
    return 0
