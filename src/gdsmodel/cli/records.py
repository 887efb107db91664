"""``gdsmodel records``: the station's work records from the command line.

``records kinds`` lists the kinds; ``records KIND add|move|list|show|export|import`` work on
one kind's records; ``records due`` lists the open records' time limits (the obligations of
their posts and people; exit 1 when one is overdue); ``records figures`` computes the KPIs
from the records. A station's ``records.toml`` sets its own limits (``[limits.KIND.LIMIT]``)
or kind files (``[kinds]``). Records are kept in the station folder's store (``DIR``,
default the current folder): ``records.sqlite``, or ``records.json`` when only that exists,
or the file or ``postgresql://`` URL given with ``--store``. Every command prints JSON with
``--json``.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import io
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gdsmodel.cli._args import station_of
from gdsmodel.cli._output import lang, print_json, print_table, say
from gdsmodel.errors import InputError

if TYPE_CHECKING:
    from gdsmodel.standards.records.kinds import KindSpec

__all__ = ["DEFAULT_STORE", "figures_table", "records_registry", "register"]

#: The store of a station folder, unless ``--store`` names another.
DEFAULT_STORE = "records.sqlite"


def _date(text: str) -> datetime.date:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise argparse.ArgumentTypeError(f"not a date: {text!r} (expected YYYY-MM-DD)")
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date: {text!r} ({exc})") from None


def _value(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError(f"not FIELD=VALUE: {text!r}")
    return name.strip(), value.strip()


def _month(text: str) -> Any:
    from gdsmodel.periods import Month

    m = re.fullmatch(r"(\d{4})-(\d{2})", text)
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise argparse.ArgumentTypeError(f"not a month: {text!r} (expected YYYY-MM)")
    return Month(int(m.group(1)), int(m.group(2)))


def _today() -> datetime.date:
    import pendulum

    from gdsmodel.periods import DEFAULT_TZ

    t = pendulum.today(DEFAULT_TZ)
    return datetime.date(t.year, t.month, t.day)


def register(subparsers: Any) -> None:
    """Add the ``records`` command group to the ``gdsmodel`` parser.

    >>> import argparse
    >>> parser = argparse.ArgumentParser(prog="gdsmodel")
    >>> register(parser.add_subparsers(dest="command"))
    >>> args = parser.parse_args(["records", "defect", "show", "st", "DEF-1"])
    >>> args.kind, args.record, args.station
    ('defect', 'DEF-1', 'st')
    >>> parser.parse_args(["records", "defect", "show", "DEF-1", "--station", "st"]).station
    'st'
    >>> from gdsmodel.cli._args import station_of
    >>> station_of(parser.parse_args(["records", "defect", "show", "DEF-1"]))
    '.'

    """
    from gdsmodel.standards.records.kinds import kinds

    group = subparsers.add_parser(
        "records",
        help="work records: accidents, requests, connections, defects, tickets, meters ...",
        description="The station's work records, kept as typed lifecycles in its folder.",
    )
    sub = group.add_subparsers(dest="records_command", metavar="KIND|ACTION", required=True)
    common = argparse.ArgumentParser(add_help=False)
    from gdsmodel.cli._args import add_station_folder

    add_station_folder(common)
    common.add_argument(
        "--store", default=None, help=f"the store (default: FOLDER/{DEFAULT_STORE})"
    )
    common.add_argument("--json", action="store_true", help="print JSON for programs")

    p = sub.add_parser("kinds", help="the kinds of record", parents=[common])
    p.set_defaults(func=_cmd_kinds)
    p = sub.add_parser(
        "due", help="open records' time limits (exit 1 when one is overdue)", parents=[common]
    )
    p.add_argument("--today", type=_date, help="the day (default: today)")
    p.add_argument("--within", type=int, help="only those due within N days (and overdue)")
    p.add_argument("--owner", help="one post or unit")
    p.add_argument("--person", help="one person")
    p.add_argument("--kind", help="one kind")
    p.add_argument(
        "--month",
        type=_month,
        help="as the obligations calendar of a month (YYYY-MM): clause, owner, window",
    )
    p.set_defaults(func=_cmd_due)
    p = sub.add_parser("figures", help="KPIs computed from the records", parents=[common])
    p.add_argument("--today", type=_date, help="the day the records are read on (default: today)")
    p.add_argument("--month", type=_month, help="one month (YYYY-MM; default: every month)")
    p.set_defaults(func=_cmd_figures)

    dated = argparse.ArgumentParser(add_help=False)
    dated.add_argument("--date", type=_date, help="day of the move (default: today)")
    dated.add_argument("--by", default="", help="who makes the move (a person of the roster)")
    dated.add_argument("--note", default="")
    dated.add_argument(
        "--set", type=_value, action="append", default=[], metavar="FIELD=VALUE", dest="values"
    )
    for spec in kinds():
        _kind_commands(sub, spec, common, dated)


def _kind_commands(
    sub: Any, spec: Any, common: argparse.ArgumentParser, dated: argparse.ArgumentParser
) -> None:
    """``records KIND add|move|list|show|export|import``."""
    k = sub.add_parser(spec.id, help=spec.name.en, description=f"{spec.name.zh}: {spec.name.en}")
    ks = k.add_subparsers(dest="kind_command", metavar="ACTION", required=True)

    def add(name: str, help: str, func: Any, *parents: argparse.ArgumentParser) -> Any:
        p = ks.add_parser(name, help=help, description=help, parents=[common, *parents])
        p.set_defaults(func=func, kind=spec.id)
        return p

    p = add("add", "open a record (its first move)", _cmd_add, dated)
    p.add_argument("record")
    p.add_argument("--move", help="the opening move, when the kind has several")
    p = add("move", "make a move on a record", _cmd_move, dated)
    p.add_argument("record")
    p.add_argument("move_id", metavar="MOVE")
    p = add("list", "the records (exit 1 with --overdue when one is)", _cmd_list)
    p.add_argument("--state", help="only records in this state")
    p.add_argument("--overdue", action="store_true", help="only records past a limit")
    p.add_argument("--today", type=_date, help="the day (default: today)")
    p = add("show", "one record: fields, history, clocks", _cmd_show)
    p.add_argument("record")
    p.add_argument("--today", type=_date, help="the day (default: today)")
    p = add("export", "the records' events as CSV (or JSON with --json)", _cmd_export)
    p.add_argument("--output", "-o", help="write to this file (default: standard output)")
    p.add_argument(
        "--counts",
        action="store_true",
        help="the monthly hand-count file instead (tickets.csv from the ticket records)",
    )
    p.add_argument("--today", type=_date, help="with --counts: the day (default: today)")
    p = add("import", "add the moves of a CSV or Excel sheet (all or none)", _cmd_import)
    p.add_argument("sheet")
    p.add_argument("--check", action="store_true", help="only check the sheet")


# ------------------------------------------------------------------------- helpers


def _store_of(args: argparse.Namespace) -> str:
    if args.store:
        return str(args.store)
    folder = Path(station_of(args))
    if not folder.is_dir():
        raise InputError(
            "is not a directory", name="DIR", value=station_of(args), allowed="a station folder"
        )
    sqlite, js = folder / DEFAULT_STORE, folder / "records.json"
    return str(js if js.exists() and not sqlite.exists() else sqlite)


def _people(args: argparse.Namespace) -> frozenset[str] | None:
    """The person IDs of the station's roster (``staff.csv``), when it has one."""
    folder = Path(station_of(args))
    if not (folder / "staff.csv").exists() and not (folder / "staff.xlsx").exists():
        return None
    from gdsmodel.organisation.files import load_organisation

    roster = load_organisation(folder).roster
    return frozenset(p.id for p in roster.people) or None


def _book(args: argparse.Namespace, *, create: bool = False) -> Any:
    from gdsmodel.standards.records.book import RecordBook

    where = _store_of(args)
    url = where.startswith(("postgresql://", "postgres://"))
    if not create and not url and not Path(where).exists():
        raise InputError(
            "there is no records store here",
            name="--store",
            value=where,
            allowed="a station folder with records (add a record to create one)",
        )
    return RecordBook.open(where, specs=_specs(args), people=_people(args), create=create)


def _specs(args: argparse.Namespace) -> Any:
    """The kinds with the station's ``records.toml`` applied, when it has one."""
    from gdsmodel.standards.records.kinds import kinds, station_kinds

    own = Path(station_of(args)) / "records.toml"
    return station_kinds(own) if own.is_file() else kinds()


def _state_json(s: Any, today: datetime.date) -> dict[str, Any]:
    return {
        "kind": s.kind,
        "record": s.record,
        "state": s.state,
        "class": s.record_class,
        "opened_on": s.opened_on.isoformat(),
        "last_on": s.last_on.isoformat(),
        "owner": s.owner,
        "person": s.person,
        "fields": dict(s.fields),
        "history": [
            {"move": h.move, "on": h.on.isoformat(), "from": h.before, "to": h.after, "by": h.by}
            for h in s.history
        ],
        "clocks": [
            {
                "limit": c.limit,
                "start": c.start.isoformat(),
                "due": c.due.isoformat() if c.due else None,
                "stop": c.stop.isoformat() if c.stop else None,
                "days_taken": c.took(),
                "in_time": c.in_time(),
                "overdue": c.overdue(today),
            }
            for c in s.clocks
        ],
    }


def _named(spec: Any, what: str, code: str | None) -> str:
    """A kind's class, state, move, field or limit by its name in the command's language:
    the Chinese under ``zh``, the ID under ``en`` (what the commands take), both under
    ``both``; an unknown code as it is.

    >>> from gdsmodel.standards.records.kinds import kind
    >>> _named(kind("defect"), "state", "handled") if lang() == "both" else ""
    '已处理 handled'
    """
    from gdsmodel.errors import GdsmodelError

    if not code:
        return code or ""
    find = {
        "state": spec.state, "move": spec.move, "field": spec.field, "limit": spec.limit,
        "class": lambda c: next(x for x in spec.classes if x.id == c),
    }[what]  # fmt: skip
    try:
        name = find(code).name
    except (GdsmodelError, StopIteration):
        return code
    if not name.zh:
        return code
    zh: str = name.zh
    return {"zh": zh, "en": code}.get(lang(), f"{zh} {code}")


def _kind_name(spec: Any) -> str:
    zh: str = spec.name.zh
    return {"zh": zh, "en": str(spec.id)}.get(lang(), f"{zh} {spec.id}")


def _say(args: argparse.Namespace, s: Any) -> int:
    if args.json:
        print_json(_state_json(s, s.last_on))
    else:
        spec = book_spec(args)  # the station's own names of its kinds, as list and show
        print(f"{_kind_name(spec)} {s.record}: {_named(spec, 'state', s.state)}")
        for c in s.running():
            if c.due is not None:
                limit, due = _named(spec, "limit", c.limit), c.due.isoformat()
                print(f"  {say(f'{limit} 期限 {due}', f'{limit} due {due}')}")
    return 0


def records_registry() -> Any:
    """The shipped registry with the definitions of the figures from records
    (``gdsmodel/standards/records/data/kpis.toml``).

    >>> "staff_examined_rate" in records_registry()
    True
    """
    from importlib import resources

    from gdsmodel.metrics.registry import load_registry

    path = resources.files("gdsmodel.standards.records").joinpath("data", "kpis.toml")
    return load_registry(extra=[str(path)])


def figures_table(book: Any, *, today: datetime.date, month: Any = None) -> list[dict[str, Any]]:
    """The KPIs of every kind's figures, per month and scope: the registry's definition
    applied to the sums of the records' rows (exact; an empty denominator is undefined).

    >>> from gdsmodel.standards.records.book import RecordBook
    >>> figures_table(RecordBook(), today=datetime.date(2026, 1, 1))
    []
    """
    from gdsmodel.standards.records.figures import figure_rows, monthly

    registry = records_registry()
    out: list[dict[str, Any]] = []
    for spec in book.specs.values():
        rows = monthly(figure_rows(spec, book.states(spec.id), today=today))
        for r in rows:
            if month is not None and r.month != month:
                continue
            d = registry.metric(r.metric)
            ratio = d.ratio(**r.inputs)
            out.append(
                {
                    "kind": spec.id,
                    "month": str(r.month),
                    "metric": r.metric,
                    "scope": r.scope,
                    "numerator": str(ratio.numerator),
                    "denominator": str(ratio.denominator),
                    "value": ratio.format(2),
                }
            )
    return out


# ------------------------------------------------------------------------- commands


def _cmd_kinds(args: argparse.Namespace) -> int:
    rows: list[dict[str, Any]] = []
    for k in _specs(args):
        rows.append(
            {
                "id": k.id,
                "name": {"zh": k.name.zh, "en": k.name.en},
                "owner": k.owner,
                "clauses": list(k.clauses),
                "states": [s.id for s in k.states],
                "moves": [m.id for m in k.moves],
                "classes": [c.id for c in k.classes],
                "limits": [
                    {
                        "id": lim.id,
                        "days": lim.days,
                        "per_class": dict(lim.per_class),
                        "unit": lim.unit.value,
                        "confidence": lim.confidence.value,
                    }
                    for lim in k.limits
                ],
                "figures": [f.metric for f in k.figures],
            }
        )
    rows.append(
        {
            "id": "safety_tools",
            "name": {"zh": "安全工器具", "en": "Safety tools"},
            "owner": "safety_officer",
            "clauses": ["safety_officer.standard.6"],
            "note": "kept in its own ledger: see `gdsmodel tools`",
        }
    )
    if args.json:
        print_json(rows)
        return 0
    specs = {k.id: k for k in _specs(args)}
    tools = say("另有台账: 见 gdsmodel tools", "kept in its own ledger: see `gdsmodel tools`")
    print_table(
        ["kind", "name", "owner", "limits"],
        [
            [
                r["id"],
                r["name"]["zh"] if lang() == "zh" else r["name"]["en"] if lang() == "en"
                else f"{r['name']['zh']} / {r['name']['en']}",
                r["owner"],
                ", ".join(_named(specs[r["id"]], "limit", x["id"]) for x in r["limits"])
                if r["id"] in specs else tools,
            ]
            for r in rows
        ],
    )  # fmt: skip
    return 0


def _move(args: argparse.Namespace, move: str) -> int:
    from gdsmodel.standards.records.events import RecordEvent

    book = _book(args, create=True)
    try:
        s = book.record(
            RecordEvent(
                kind=args.kind,
                record=args.record,
                move=move,
                on=args.date or _today(),
                by=args.by,
                note=args.note,
                fields=dict(args.values),
            )
        )
    finally:
        book.close()
    return _say(args, s)


def _cmd_add(args: argparse.Namespace) -> int:
    from gdsmodel.standards.records.kinds import kind

    spec = kind(args.kind)
    opening = [m.id for m in spec.moves_from(None)]
    move = args.move or opening[0]
    if move not in opening:
        raise InputError(
            "not a move that opens a record", name="--move", value=move, allowed=", ".join(opening)
        )
    return _move(args, move)


def _cmd_move(args: argparse.Namespace) -> int:
    return _move(args, args.move_id)


def _cmd_list(args: argparse.Namespace) -> int:
    book = _book(args)
    today = args.today or _today()
    try:
        if args.state is not None:
            book.spec(args.kind).state(args.state)
        states = book.states(args.kind, state=args.state)
        late = {d.record for d in book.overdue(today, kind=args.kind)}
    finally:
        book.close()
    if args.overdue:
        states = [s for s in states if s.record in late]
    if args.json:
        print_json([_state_json(s, today) for s in states])
    else:
        spec = book_spec(args)
        print_table(
            ["record", "class", "state", "opened", "last", "person", "overdue"],
            [
                [
                    s.record,
                    _named(spec, "class", s.record_class),
                    _named(spec, "state", s.state),
                    s.opened_on.isoformat(),
                    s.last_on.isoformat(),
                    s.person,
                    say("是", "yes") if s.record in late else "",
                ]
                for s in states
            ],
        )
    return 1 if args.overdue and states else 0


def _cmd_show(args: argparse.Namespace) -> int:
    book = _book(args)
    today = args.today or _today()
    try:
        s = book.state(args.kind, args.record)
        allowed = [m.id for m in book.spec(args.kind).moves_from(s.state)]
    finally:
        book.close()
    data = _state_json(s, today) | {"allowed_moves": allowed}
    if args.json:
        print_json(data)
        return 0
    spec = book_spec(args)
    klass = _named(spec, "class", s.record_class) or "-"
    state = _named(spec, "state", s.state)
    print(f"{_kind_name(spec)} {s.record}: {state} ({say('类别', 'class')} {klass})")
    for k, v in s.fields.items():
        shown = _named(spec, "class", v) if k == "class" else v
        shown = _VALUES.get(str(v), str(v)) if lang() == "zh" and k != "class" else shown
        print(f"  {_named(spec, 'field', k)}: {shown}")
    print(say("经过:", "history:"))
    for h in s.history:
        move, after = _named(spec, "move", h.move), _named(spec, "state", h.after)
        print(f"  {h.on.isoformat()} {move} -> {after}" + (f" ({h.by})" if h.by else ""))
    for c in data["clocks"]:
        took = c["days_taken"]
        status = (
            (
                say("计时中", "running")
                if c["stop"] is None
                else say(f"用时 {took} 天", f"took {took} days")
            )
            + (say(", 已超期", ", overdue") if c["overdue"] else "")
            + (say(", 逾时", ", late") if c["in_time"] is False else "")
        )
        limit = _named(spec, "limit", c["limit"])
        start, due = c["start"], c["due"]
        print(
            "  "
            + say(f"时限 {limit}: 自 {start} 至 {due} ({status})",
                  f"clock {limit}: from {start} due {due} ({status})")
        )  # fmt: skip
    moves = ", ".join(_named(spec, "move", m) for m in allowed)
    print(say(f"现可: {moves or '无 (已终结)'}", f"allowed now: {moves or 'nothing (final)'}"))
    return 0


# Field values the records keep as words.
_VALUES = {"True": "是", "False": "否", "true": "是", "false": "否"}


def book_spec(args: argparse.Namespace) -> KindSpec:
    """The kind of the command line, with the station's ``records.toml`` applied."""
    specs = {k.id: k for k in _specs(args)}
    from gdsmodel.standards.records.kinds import kind

    return specs.get(args.kind) or kind(args.kind)


def _cmd_export(args: argparse.Namespace) -> int:
    from gdsmodel.standards.records.events import event_to_dict
    from gdsmodel.standards.records.figures import counts_csv

    book = _book(args)
    try:
        events = book.events(args.kind)
        spec = book.spec(args.kind)
        states = book.states(args.kind)
    finally:
        book.close()
    if args.counts:
        out = counts_csv(spec, states, today=args.today or _today())
    elif args.json:
        text = io.StringIO()
        print_json([event_to_dict(e) for e in events], out=text)
        out = text.getvalue()
    else:
        fields = ["class", *(f.id for f in spec.fields)]
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["record", "move", "date", "by", "note", *fields])
        for e in events:
            w.writerow(
                [
                    e.record,
                    e.move,
                    e.on.isoformat(),
                    e.by,
                    e.note,
                    *(e.get(f) or "" for f in fields),
                ]
            )
        out = buf.getvalue()
    if args.output:
        from gdsmodel.standards.records.store import atomic_write_text

        atomic_write_text(Path(args.output), out)
        what = "monthly counts" if args.counts else f"{len(events)} events"
        print(f"wrote {what} to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(out)
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    from gdsmodel.standards.records.sheets import read_sheet

    book = _book(args, create=not args.check)
    try:
        events, problems = read_sheet(args.sheet, args.kind, book)
        if problems:
            for p in problems:
                print(f"gdsmodel: error: {p}", file=sys.stderr)
            print(f"gdsmodel: nothing imported ({len(problems)} problems)", file=sys.stderr)
            return 1
        if not args.check:
            book.record_all(events)
    finally:
        book.close()
    done = "checked" if args.check else "imported"
    if args.json:
        print_json({"events": len(events), "stored": not args.check})
    else:
        print(f"{done} {len(events)} moves from {args.sheet}")
    return 0


def _cmd_obligations(args: argparse.Namespace, book: Any, today: datetime.date) -> int:
    from gdsmodel.standards.records.obligations import record_obligations

    states = book.states(args.kind)
    items = record_obligations(
        states, book.specs, args.month, today=today, owner=args.owner, person=args.person
    )
    rows = [
        {
            "clause": o.clause,
            "owner": o.owner,
            "window": str(o.window),
            "text": {"zh": o.text.zh, "en": o.text.en},
            "note": o.note,
            "overdue": o.note.endswith("overdue"),
        }
        for o in items
    ]
    if args.json:
        print_json(rows)
    else:
        print_table(
            ["window", "owner", "clause", "what"],
            [[r["window"], r["owner"], r["clause"], r["note"]] for r in rows],
        )
    return 1 if any(r["overdue"] for r in rows) else 0


def _cmd_due(args: argparse.Namespace) -> int:
    book = _book(args)
    today = args.today or _today()
    if args.month is not None:
        try:
            if args.kind is not None:
                book.spec(args.kind)
            return _cmd_obligations(args, book, today)
        finally:
            book.close()
    try:
        if args.kind is not None:
            book.spec(args.kind)
        due = book.due(
            today, kind=args.kind, within=args.within, owner=args.owner, person=args.person
        )
    finally:
        book.close()
    rows = [
        {
            "kind": d.kind,
            "record": d.record,
            "limit": d.limit,
            "start": d.start.isoformat(),
            "due": d.due.isoformat(),
            "owner": d.owner,
            "person": d.person,
            "overdue": d.overdue,
        }
        for d in due
    ]
    if args.json:
        print_json(rows)
    else:
        specs = {k.id: k for k in _specs(args)}
        print_table(
            ["due", "kind", "record", "limit", "owner", "person", "overdue"],
            [
                [r["due"], _kind_name(specs[r["kind"]]) if r["kind"] in specs else r["kind"],
                 r["record"],
                 _named(specs[r["kind"]], "limit", r["limit"]) if r["kind"] in specs
                 else r["limit"],
                 r["owner"], r["person"], say("是", "yes") if r["overdue"] else ""]
                for r in rows
            ],
        )  # fmt: skip
    return 1 if any(d.overdue for d in due) else 0


def _cmd_figures(args: argparse.Namespace) -> int:
    book = _book(args)
    today = args.today or _today()
    try:
        rows = figures_table(book, today=today, month=args.month)
    finally:
        book.close()
    if args.json:
        print_json(rows)
        return 0
    specs = {k.id: k for k in _specs(args)}
    registry = records_registry()

    def metric(m: str) -> str:
        zh: str = registry.metric(m).name.zh
        return {"zh": zh, "en": m}.get(lang(), f"{zh} {m}")

    def scope(r: dict[str, Any]) -> str:
        spec = specs.get(r["kind"])
        if spec is None or not r["scope"]:
            return str(r["scope"])
        named = _named(spec, "class", r["scope"])  # a class, else a time limit
        return named if named != r["scope"] else _named(spec, "limit", r["scope"])

    print_table(
        ["month", "metric", "scope", "numerator", "denominator", "value"],
        [
            [
                r["month"],
                metric(r["metric"]),
                scope(r),
                r["numerator"],
                r["denominator"],
                r["value"],
            ]
            for r in rows
        ],
    )
    return 0
