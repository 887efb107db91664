"""``gdsmodel staff``: the station's people, what they hold and what they answer for.

Reads ``staff.csv`` and ``responsibility.csv`` of the station folder (``gdsmodel staff
DIR``, default the current folder; see ``docs/organisation.md``), prints the organisation as of
a day filled with names, or one person's posts and responsibilities, and checks the
responsibility split against the station's lines and areas (gaps, overlaps, unknown
lines and areas, people without a fitting post or role).

Exit codes: 0 when the files are clean, 1 when a row is bad or the split has an error
(every problem is listed with its file, row and column), 3 for an unknown person.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gdsmodel.cli._output import label, print_json, print_table, say, text_of

if TYPE_CHECKING:
    from gdsmodel.organisation.files import Organisation, OrganisationFileError
    from gdsmodel.periods import Month

__all__ = ["load_station_organisation", "register"]


def register(sub: Any) -> None:
    """Add the ``staff`` command.

    >>> import argparse
    >>> sub = argparse.ArgumentParser().add_subparsers()
    >>> register(sub)
    >>> sorted(sub.choices)
    ['staff']
    """
    from gdsmodel.cli._args import add_station_folder, day_arg, month_arg

    p = sub.add_parser(
        "staff",
        help="the station's people: who holds which post, who answers for which line and area",
        description="Print the organisation as of a day with the names of its people (or one "
        "person's posts and responsibilities), and check staff.csv and responsibility.csv "
        "of the station folder.",
    )
    add_station_folder(p)
    p.add_argument("--on", type=day_arg, metavar="DAY", help="as of this day (default today)")
    p.add_argument("--person", metavar="ID", help="one person: what they held and answer for")
    p.add_argument(
        "--month", type=month_arg, metavar="MONTH", help="check (and show) this month only"
    )
    p.add_argument("--json", action="store_true", help="machine-readable JSON output")
    p.set_defaults(func=cmd_staff)


def load_station_organisation(
    folder: str | Path, months: tuple[Month, ...] | None = None, scheme: Any = None
) -> tuple[Organisation, Any, dict[str, Any], tuple[OrganisationFileError, ...]]:
    """The organisation, the station data, its tables by stem, and every problem (file
    rows and the responsibility split over ``months``, default every month of the data)."""
    from gdsmodel.errors import InputError
    from gdsmodel.organisation.files import load_organisation
    from gdsmodel.organisation.station import known_scopes
    from gdsmodel.report.inputs import load_station

    path = Path(folder)
    if not path.is_dir():
        raise InputError(
            "is not a directory",
            name="DIR",
            value=str(folder),
            allowed="a station folder (see docs/organisation.md)",
        )
    from gdsmodel.terminal import progress

    with progress("reading the station folder") as step:  # a spinner on a terminal
        step("station data")
        data = load_station(path)
        tables = {
            stem: getattr(data, stem).records
            for stem in ("lines", "areas", "billing", "rcd", "equipment")
            if getattr(data, stem).status.value == "ok"
        }
        step("organisation")
        org = load_organisation(path, scheme=scheme)
    found = org.check(months if months is not None else data.months, known_scopes(tables))
    return org, data, tables, (*org.issues, *found)


def _print_issues(issues: tuple[OrganisationFileError, ...]) -> None:
    for issue in issues:
        print(f"gdsmodel: {issue}", file=sys.stderr)


def cmd_staff(args: argparse.Namespace) -> int:
    """Print the chart or one person; 1 when a file or the split has an error."""
    from gdsmodel.cli._args import station_of
    from gdsmodel.organisation.dating import month_bounds

    months = (args.month,) if args.month is not None else None
    org, _, _, issues = load_station_organisation(station_of(args), months)
    if args.on is not None:
        on = args.on
    elif args.month is not None:
        on = month_bounds(args.month)[1] - _dt.timedelta(days=1)
    else:
        on = _dt.date.today()
    errors = [i for i in issues if not i.warning]
    roster = org.roster
    if args.person is not None:
        person = roster.person(args.person)
        held = [a for a in roster.assignments if a.person == person.id]
        resp = [r for r in org.responsibilities if r.person == person.id]
        if args.json:
            print_json(
                {
                    "person": {"id": person.id, "name": person.name, "contact": person.contact},
                    "holds": [
                        {
                            "holds": a.holds,
                            "start": a.start.isoformat(),
                            "end": a.end.isoformat() if a.end else None,
                            "note": a.note,
                        }
                        for a in held
                    ],
                    "answers_for": [
                        {
                            "scope": str(r.scope),
                            "target": r.target,
                            "start": r.effective.start.isoformat(),
                            "end": r.effective.end.isoformat() if r.effective.end else None,
                            "kpis": list(r.metrics),
                        }
                        for r in resp
                    ],
                    "issues": [i.to_data() for i in issues if i.row in {r.row for r in resp}],
                }
            )
        else:
            contact = f" ({person.contact})" if person.contact else ""
            print(f"{person.id} {person.name}{contact}")
            print_table(
                ["holds", "name", "from", "to (excluded)", "note"],
                [
                    [
                        a.holds,
                        text_of(org.catalogue.name(a.holds)),
                        a.start.isoformat(),
                        a.end.isoformat() if a.end else "",
                        a.note,
                    ]
                    for a in held
                ],
            )
            if resp:
                print()
                print_table(
                    ["scope", "target", "from", "to (excluded)", "KPIs"],
                    [
                        [
                            label(str(r.scope)),
                            r.target,
                            r.effective.start.isoformat(),
                            r.effective.end.isoformat() if r.effective.end else "",
                            " ".join(r.metrics) or say("(全部)", "(all)"),
                        ]
                        for r in resp
                    ],
                )
        _print_issues(tuple(errors))
        return 1 if errors else 0
    chart = roster.chart(on, org.catalogue)
    if args.json:
        print_json(
            {
                "on": on.isoformat(),
                "chart": [
                    {
                        "holds": e.holds,
                        "kind": str(e.kind),
                        "unit": e.unit,
                        "name": {"zh": e.name.zh, "en": e.name.en},
                        "people": [{"id": p.id, "name": p.name} for p in e.people],
                    }
                    for e in chart
                ],
                "issues": [i.to_data() for i in issues],
            }
        )
    else:
        day, count = on.isoformat(), len(roster.people)
        print(say(f"{day} 的组织 ({count} 人)", f"organisation as of {day} ({count} people)"))
        print_table(
            ["post / unit / role", "name", "people"],
            [
                [
                    e.holds,
                    text_of(e.name),
                    ", ".join(f"{p.name} ({p.id})" for p in e.people) or "-",
                ]
                for e in chart
            ],
        )
        for w in (i for i in issues if i.warning):
            print(f"{say('警告', 'warning')}: {w}")
    _print_issues(tuple(errors))
    return 1 if errors else 0
