"""``gdsmodel tools``: the safety-tool ledger from the command line.

Writing commands (``register``, ``test``, ``issue``, ``return``, ``inspect``, ``defect``, ``seal``,
``repair``, ``scrap``, ``recall``, ``move``) record one event each in the ledger file given with
``--ledger`` (SQLite by default, ``safety-tools.sqlite`` in the current directory; a name ending in
``.json`` keeps it as JSON). Queries (``list``, ``due``, ``overdue``, ``unusable``, ``card``,
``shortfall``, ``check``, ``kinds``) print tables, or JSON with ``--json``. ``overdue``,
``unusable``, ``shortfall`` and ``check`` exit with 1 when they find something.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import functools
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from gdsmodel.cli._args import period_arg
from gdsmodel.cli._output import display_width, interval_label, lang, print_json, print_table, say
from gdsmodel.cli._output import label as _label
from gdsmodel.errors import InputError

__all__ = ["DEFAULT_LEDGER", "register"]

#: The ledger file used when ``--ledger`` is not given.
DEFAULT_LEDGER = "safety-tools.sqlite"


def _date(text: str) -> datetime.date:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise argparse.ArgumentTypeError(f"not a date: {text!r} (expected YYYY-MM-DD)")
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date: {text!r} ({exc})") from None


def _today() -> datetime.date:
    import pendulum

    from gdsmodel.periods import DEFAULT_TZ

    t = pendulum.today(DEFAULT_TZ)
    return datetime.date(t.year, t.month, t.day)


def _value(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError(f"not NAME=VALUE: {text!r}")
    return name.strip(), value.strip()


#: Actions that record one event with one required text option:
#: action -> (help, event type, option, what the message says was done). Each builds the event
#: and gives it to ``Ledger.record``.
_ONE_FIELD_EVENTS = {
    "defect": (
        "record a defect found on a tool",
        "defect_found",
        "description",
        "defect recorded",
    ),
    "seal": (
        "seal a defective tool for repair (坏的封修)",
        "sealed",
        "reason",
        "sealed for repair",
    ),
    "repair": (
        "record the repair of a sealed tool (a retest follows)",
        "repaired",
        "description",
        "repaired (a passing test is needed before use)",
    ),
    "scrap": ("take a tool out of service for good", "scrapped", "reason", "scrapped"),
}


def register(subparsers: Any) -> None:
    """Add the ``tools`` command group to the ``gdsmodel`` parser.

    >>> import argparse
    >>> parser = argparse.ArgumentParser(prog="gdsmodel")
    >>> register(parser.add_subparsers(dest="command"))
    >>> args = parser.parse_args(["tools", "card", "GL-1", "--ledger", "x.sqlite"])
    >>> args.serial, args.ledger
    ('GL-1', 'x.sqlite')
    """
    group = subparsers.add_parser(
        "tools",
        help="safety tools (安全工器具): ledger, tests due, kits",
        description="The safety-tool ledger of the 32-character rule (safety officer standard 6).",
    )
    _add_common(group, top=True)
    sub = group.add_subparsers(dest="tools_command", metavar="ACTION", required=True)

    common = argparse.ArgumentParser(add_help=False)
    _add_common(common, top=False)
    common.add_argument("--json", action="store_true", help="print JSON for programs")
    dated = argparse.ArgumentParser(add_help=False)
    dated.add_argument("--date", type=_date, help="day of the event (default: today)")
    dated.add_argument("--by", default="", help="who records or does it")

    def add(name: str, help: str, func: Any, *parents: argparse.ArgumentParser) -> Any:
        p = sub.add_parser(name, help=help, description=help, parents=[common, *parents])
        p.set_defaults(func=func)
        return p

    p = add("register", "enter a new tool in the ledger", _cmd_register, dated)
    p.add_argument("serial")
    p.add_argument("--kind", required=True, help="tool kind ID (see `gdsmodel tools kinds`)")
    p.add_argument("--rating", default="", help="voltage class, or a helmet's material")
    p.add_argument("--maker", default="")
    p.add_argument("--batch", default="")
    p.add_argument("--made", type=_date, help="date of manufacture")
    p.add_argument("--bought", type=_date, help="date of purchase")
    p.add_argument("--keeper", default="")
    p.add_argument("--place", default="", help="where it is kept (a kit ID counts it there)")
    p.add_argument("--note", default="")

    p = add(
        "test",
        "record a test (the acceptance test for a tool never tested, else periodic or retest)",
        _cmd_test,
        dated,
    )
    p.add_argument("serial")
    p.add_argument("--tester", required=True)
    p.add_argument("--result", required=True, choices=["pass", "fail"])
    p.add_argument("--value", type=_value, action="append", default=[], metavar="NAME=VALUE")
    p.add_argument("--next-due", type=_date, help="label date (default: from the catalogue)")
    p.add_argument(
        "--next-due-reason",
        default="",
        metavar="TEXT",
        help="why the label date is later than the kind's interval allows (recorded)",
    )
    p.add_argument("--note", default="")

    p = add("issue", "hand a usable tool out", _cmd_issue, dated)
    p.add_argument("serial")
    p.add_argument("--to", required=True, help="the person who takes it")

    p = add("return", "take an issued tool back", _cmd_return, dated)
    p.add_argument("serial")
    p.add_argument("--note", default="")

    p = add("inspect", "record the check before use", _cmd_inspect, dated)
    p.add_argument("serial")
    p.add_argument("--result", required=True, choices=["pass", "fail"])
    p.add_argument("--note", default="")

    for name, (text, event_type, option, done) in _ONE_FIELD_EVENTS.items():
        func = functools.partial(_cmd_one_field, event_type=event_type, option=option, done=done)
        p = add(name, text, func, dated)
        p.add_argument("serial")
        p.add_argument(f"--{option}", required=True)

    p = add("recall", "call in every tool of a batch for a test", _cmd_recall, dated)
    p.add_argument("batch")
    p.add_argument("--reason", required=True)

    p = add("move", "give a tool a new keeper or place", _cmd_move, dated)
    p.add_argument("serial")
    p.add_argument("--keeper")
    p.add_argument("--place")

    p = add("list", "every tool and its state", _cmd_list)
    p.add_argument("--on", type=_date, help="state as of this day (default: now)")

    p = add("due", "tools whose test falls due in a period, e.g. 2026-07", _cmd_due)
    p.add_argument(
        "period", type=period_arg, help="a period: 2026, 2026-Q3, 2026-07, 2026年7月 ..."
    )

    p = add("overdue", "tools past their due date on a day", _cmd_overdue)
    p.add_argument("--on", type=_date, help="the day (default: today)")

    p = add("unusable", "tools that may not be used on a day, and why", _cmd_unusable)
    p.add_argument("--on", type=_date, help="the day (default: today)")

    p = add("card", "the card of one tool (一物一卡) with its history", _cmd_card)
    p.add_argument("serial")

    p = add("shortfall", "what each kit lacks (缺的补齐)", _cmd_shortfall)
    p.add_argument("--on", type=_date, help="the day (default: today)")
    p.add_argument("--kits", help="the station's kit file (default: the shipped example)")

    p = add("check", "check that ledger, items and cards agree (帐、物、卡相符)", _cmd_check)
    p.add_argument(
        "--inventory", help="stock-take CSV with columns serial, place, label_due (YYYY-MM-DD)"
    )

    add("kinds", "the tool kinds and their test intervals", _cmd_kinds)


def _add_common(parser: argparse.ArgumentParser, *, top: bool) -> None:
    # On the group the defaults apply; on each action they are suppressed, so an option given
    # before the action is not overwritten by the action's default.
    d = (lambda v: v) if top else (lambda v: argparse.SUPPRESS)
    parser.add_argument(
        "--ledger",
        default=d(DEFAULT_LEDGER),
        metavar="PATH",
        help=f"ledger file: SQLite, or JSON if it ends in .json (default: {DEFAULT_LEDGER}); "
        "or postgresql://.../DB?station=NAME",
    )
    parser.add_argument(
        "--kinds", default=d(None), metavar="FILE", help="the station's own tool-kinds file"
    )
    parser.add_argument(
        "--edition", default=d(None), help="edition of the test code (default: dlt1476-2015)"
    )


# ----------------------------------------------------------------------------- helpers


def _catalogue(args: argparse.Namespace) -> Any:
    from gdsmodel.standards.safety_tools import default_catalogue, load_tool_kinds

    if args.kinds:
        return load_tool_kinds(args.kinds, edition=args.edition)
    return default_catalogue(args.edition)


def _open(args: argparse.Namespace, *, create: bool) -> Any:
    from gdsmodel.standards.safety_tools import Ledger
    from gdsmodel.standards.safety_tools.pgstore import is_postgres_url
    from gdsmodel.terminal import progress

    # opening replays the ledger's events (a large one takes a while): a spinner on a terminal
    with progress("opening the ledger") as step:
        if is_postgres_url(args.ledger):  # a station's ledger in a PostgreSQL database
            step("PostgreSQL")
            return Ledger.open(args.ledger, catalogue=_catalogue(args), create=create)
        path = Path(args.ledger)
        if not create and not path.exists():
            raise InputError(
                "there is no ledger file here",
                name="--ledger",
                value=args.ledger,
                allowed="an existing ledger file (`gdsmodel tools register` creates one)",
            )
        step(path.name)
        return Ledger.open(path, catalogue=_catalogue(args), create=create)


def _day(args: argparse.Namespace, name: str = "date") -> datetime.date:
    value: datetime.date | None = getattr(args, name, None)
    return value if value is not None else _today()


def _state_dict(state: Any) -> dict[str, Any]:
    from gdsmodel.serialize import unstructure

    data: dict[str, Any] = unstructure(state)
    data["due"] = state.due.isoformat() if state.due else None
    return data


def _report(args: argparse.Namespace, state: Any, what: str) -> int:
    if args.json:
        print_json(_state_dict(state))
    else:
        zh = f"{state.serial}:{_event_zh(what)};现为{_state_zh(state)}"
        print(say(zh, f"{state.serial}: {what}; now {state.describe()}", sep="\n"))
    return 0


_EVENTS_ZH = (
    (r"registered \(acceptance test due before first use\)", "已登记(首次使用前须做验收试验)"),
    (r"test passed", "试验合格"),
    (r"test failed", "试验不合格"),
    (r"; label: tested (\S+) by (.+), next due (\S+)", r";标签:\1 由 \2 试验,下次试验 \3"),
    (r"issued to (.+)", r"已领用:\1"),
    (r"returned", "已归还"),
    (r"check before use passed", "使用前检查合格"),
    (r"check before use failed", "使用前检查不合格"),
    (r"defect recorded", "已记录缺陷"),
    (r"sealed for repair", "已封存待修"),
    (r"repaired \(a passing test is needed before use\)", "已修复(试验合格后方可使用)"),
    (r"scrapped", "已报废"),
    (r"moved", "保管已变更"),
)


def _event_zh(what: str) -> str:
    """What a command did, in Chinese (``--lang zh``).

    >>> _event_zh("test passed; label: tested 2026-03-20 by 张工, next due 2027-03-20")
    '试验合格;标签:2026-03-20 由 张工 试验,下次试验 2027-03-20'
    """
    import re

    for pattern, repl in _EVENTS_ZH:
        what = re.sub(f"^{pattern}" if not pattern.startswith(";") else pattern, repl, what)
    return what


def _state_zh(state: Any) -> str:
    """A tool's condition, due date and holder in Chinese.

    >>> from gdsmodel.standards.safety_tools.state import _serviceable_example
    >>> _state_zh(_serviceable_example())
    '可用,应试日期 2026-07-06'
    """
    from gdsmodel.cli._output import label

    text = label(state.condition.value, "zh")
    if state.due is not None:
        text += f",应试日期 {state.due.isoformat()}"
    if state.holder is not None:
        text += f",领用人 {state.holder}"
    return text


def _write(args: argparse.Namespace, action: Any, *, create: bool = False) -> Any:
    """Run one writing action; only ``register`` creates the ledger file."""
    with _open(args, create=create) as ledger:
        return action(ledger)


# ----------------------------------------------------------------------------- writing commands


def _cmd_register(args: argparse.Namespace) -> int:
    state = _write(
        args,
        lambda lg: lg.register(
            args.serial,
            kind=args.kind,
            on=_day(args),
            rating=args.rating,
            maker=args.maker,
            batch=args.batch,
            manufactured=args.made,
            purchased=args.bought,
            keeper=args.keeper,
            place=args.place,
            by=args.by,
            note=args.note,
        ),
        create=True,
    )
    return _report(args, state, "registered (acceptance test due before first use)")


def _cmd_test(args: argparse.Namespace) -> int:
    from gdsmodel.standards.safety_tools import Condition

    def action(lg: Any) -> Any:
        current = lg.state(args.serial)
        acceptance = not current.accepted and current.condition is not Condition.SCRAPPED
        method = lg.record_acceptance_test if acceptance else lg.record_test
        return method(
            args.serial,
            on=_day(args),
            tester=args.tester,
            passed=args.result == "pass",
            values=dict(args.value),
            next_due=args.next_due,
            note=args.note,
            next_due_reason=args.next_due_reason,
        )

    state = _write(args, action)
    label = state.label
    what = f"test {args.result}ed"
    if args.result == "pass" and label is not None:
        what += f"; label: tested {label.tested_on} by {label.tester}, next due {label.next_due}"
    return _report(args, state, what)


def _record(args: argparse.Namespace, event_type: str, **fields: Any) -> Any:
    """Record one event of ``event_type`` on the tool ``args.serial``, dated ``--date``."""
    from gdsmodel.standards.safety_tools import EVENT_TYPES

    event = EVENT_TYPES[event_type](serial=args.serial, on=_day(args), **fields)
    return _write(args, lambda lg: lg.record(event))


def _cmd_issue(args: argparse.Namespace) -> int:
    state = _record(args, "issued", to=args.to, by=args.by)
    return _report(args, state, f"issued to {args.to}")


def _cmd_return(args: argparse.Namespace) -> int:
    state = _record(args, "returned", by=args.by, note=args.note)
    return _report(args, state, "returned")


def _cmd_inspect(args: argparse.Namespace) -> int:
    state = _record(args, "checked", by=args.by, passed=args.result == "pass", note=args.note)
    return _report(args, state, f"check before use {args.result}ed")


def _cmd_one_field(args: argparse.Namespace, *, event_type: str, option: str, done: str) -> int:
    """``defect``, ``seal``, ``repair`` and ``scrap``: one event, one text option."""
    state = _record(args, event_type, by=args.by, **{option: getattr(args, option)})
    return _report(args, state, done)


def _cmd_recall(args: argparse.Namespace) -> int:
    states = _write(
        args,
        lambda lg: lg.recall_batch(args.batch, on=_day(args), reason=args.reason, by=args.by),
    )
    if args.json:
        print_json([_state_dict(s) for s in states])
    else:
        for s in states:
            zh = f"{s.serial}:随批次 {args.batch} 召回;现为{_state_zh(s)}"
            en = f"{s.serial}: recalled with batch {args.batch}; now {s.describe()}"
            print(say(zh, en, sep="\n"))
    return 0


def _cmd_move(args: argparse.Namespace) -> int:
    state = _write(
        args,
        lambda lg: lg.move(
            args.serial, on=_day(args), keeper=args.keeper, place=args.place, by=args.by
        ),
    )
    return _report(args, state, "moved")


# ----------------------------------------------------------------------------- queries


def _cmd_list(args: argparse.Namespace) -> int:
    with _open(args, create=False) as ledger:
        states = ledger.tools(on=args.on)
    if args.json:
        print_json([_state_dict(s) for s in states])
        return 0
    rows = [
        [
            s.serial,
            s.kind,
            s.rating,
            s.condition.value,
            s.due.isoformat() if s.due else "",
            s.holder or "",
            s.place,
        ]
        for s in states
    ]
    print_table(["serial", "kind", "rating", "condition", "due", "issued to", "place"], rows)
    return 0


def _due_rows(items: Sequence[Any], on: datetime.date | None = None) -> list[list[str]]:
    rows = []
    for d in items:
        row = [d.serial, d.kind, d.due.isoformat(), d.reason.value, d.place, d.holder or ""]
        if on is not None:
            row.insert(3, str((on - d.due).days))
        rows.append(row)
    return rows


def _unstructured(items: Sequence[Any]) -> list[Any]:
    from gdsmodel.serialize import unstructure

    return [unstructure(d) for d in items]


def _cmd_due(args: argparse.Namespace) -> int:
    from gdsmodel.periods import Period

    period = args.period if isinstance(args.period, Period) else Period.parse(args.period)
    with _open(args, create=False) as ledger:
        items = ledger.due(period)
    if args.json:
        print_json(_unstructured(items))
    else:
        print_table(["serial", "kind", "due", "reason", "place", "issued to"], _due_rows(items))
    return 0


def _cmd_overdue(args: argparse.Namespace) -> int:
    on = _day(args, "on")
    with _open(args, create=False) as ledger:
        items = ledger.overdue(on=on)
    if args.json:
        print_json(_unstructured(items))
    else:
        print_table(
            ["serial", "kind", "due", "days over", "reason", "place", "issued to"],
            _due_rows(items, on),
        )
    return 1 if items else 0


def _cmd_unusable(args: argparse.Namespace) -> int:
    on = _day(args, "on")
    with _open(args, create=False) as ledger:
        items = ledger.unusable(on=on)
    if args.json:
        print_json(_unstructured(items))
    else:
        rows = [[u.serial, u.kind, u.place, u.holder or "", _why(u.reason)] for u in items]
        print_table(["serial", "kind", "place", "issued to", "reason"], rows)
    return 1 if items else 0


def _why(reason: str) -> str:
    """Why a tool may not be used, in the command's language.

    >>> _why("overdue: its test was due on 2026-02-17") if lang() == "both" else ""
    '超期: 应于 2026-02-17 试验 / overdue: its test was due on 2026-02-17'
    """
    from gdsmodel.standards.safety_tools.state import unusable_reason

    text = unusable_reason(reason)
    return say(text.zh, text.en) if text.en else text.zh


def _event_details(event: Any) -> str:
    from gdsmodel.standards.safety_tools import event_to_dict

    data = event_to_dict(event)
    for key in ("type", "serial", "on"):
        data.pop(key, None)
    parts = []
    for key, value in data.items():
        if value in ("", None, [], ()):
            continue
        if key == "values":
            value = ", ".join(f"{m['name']} {m['value']}" for m in value)
        if lang() != "en":
            value = _DETAIL_VALUES.get(str(value), value)
            key = (
                _DETAIL_KEYS.get(key, key)
                if lang() == "zh"
                else f"{_DETAIL_KEYS.get(key, key)} {key}"
            )
        parts.append(f"{key}: {value}")
    return "; ".join(parts)


# The fields of the ledger's events (a card's history), in Chinese.
_DETAIL_KEYS = {
    "kind": "类型", "rating": "电压等级/材质", "maker": "生产厂家", "batch": "批次",
    "manufactured": "出厂日期", "purchased": "购置日期", "keeper": "保管人", "place": "存放地点",
    "note": "说明", "purpose": "试验类别", "tester": "试验人", "passed": "合格",
    "next_due": "下次试验", "next_due_reason": "下次试验依据", "values": "试验数据",
    "to": "领用人", "result": "结果", "description": "情况", "reason": "原因", "by": "经办人",
}  # fmt: skip
_DETAIL_VALUES = {"True": "是", "False": "否", "acceptance": "验收试验", "periodic": "周期试验",
                  "after_repair": "修后试验", "pass": "合格", "fail": "不合格"}  # fmt: skip


def _cmd_card(args: argparse.Namespace) -> int:
    from gdsmodel.standards.safety_tools import event_to_dict

    with _open(args, create=False) as ledger:
        card = ledger.card(args.serial)
    s = card.state
    if args.json:
        print_json(
            {
                "state": _state_dict(s),
                "history": [{"seq": e.seq, **event_to_dict(e.event)} for e in card.history],
            }
        )
        return 0
    name = card.kind.name.get(lang()) if card.kind is not None else ""
    label = card.label
    condition = _state_zh(s) if lang() == "zh" else s.describe()
    if lang() == "both":
        condition = f"{_state_zh(s)} / {s.describe()}"
    tag = (
        say(
            f"{label.tested_on} 由 {label.tester} 试验, 下次试验 {label.next_due}",
            f"tested {label.tested_on} by {label.tester}; next due {label.next_due}",
        )
        if label
        else say("无 (从未试验合格)", "none (never passed a test)")
    )
    lines = [
        (say("一物一卡", "card", sep=" "), s.serial),
        (say("类型", "kind", sep=" "), f"{name} ({s.kind})" if name else s.kind),
        (say("电压等级/材质", "rating", sep=" "), _label(s.rating) if s.rating else ""),
        (say("厂家/批次", "maker / batch", sep=" "), " / ".join([s.maker or "-", s.batch or "-"])),
        (
            say("出厂/购置", "made / bought", sep=" "),
            " / ".join(str(d) if d else "-" for d in (s.manufactured, s.purchased)),
        ),
        (
            say("保管人/存放", "keeper / place", sep=" "),
            " / ".join([s.keeper or "-", s.place or "-"]),
        ),
        (say("状态", "condition", sep=" "), condition),
        (say("试验标签", "label", sep=" "), tag),
    ]
    room = max(display_width(key) for key, _ in lines) + 2
    for key, value in lines:
        print(f"{key}{' ' * (room - display_width(key))}{value}")
    print()
    rows = [
        [str(e.seq), e.event.on.isoformat(), e.event.TYPE, _event_details(e.event)]
        for e in card.history
    ]
    print_table(["seq", "date", "event", "details"], rows, max_width=100)
    return 0


def _cmd_shortfall(args: argparse.Namespace) -> int:
    from gdsmodel.serialize import unstructure
    from gdsmodel.standards.safety_tools import load_kits

    on = _day(args, "on")
    with _open(args, create=False) as ledger:
        kits = load_kits(args.kits, catalogue=ledger.catalogue) if args.kits else None
        if kits is None:
            print(
                "note: comparing with the example kits shipped with gdsmodel (not a rule); "
                "give --kits FILE for the station's own",
                file=sys.stderr,
            )
        items = ledger.shortfall(on=on, kits=kits)
    if args.json:
        print_json([{**unstructure(s), "missing": s.missing} for s in items])
    else:
        rows = [
            [
                s.kit,
                s.kind,
                s.rating,
                str(s.required),
                str(s.usable),
                str(s.missing),
                ", ".join(s.unusable),
            ]
            for s in items
        ]
        print_table(
            ["kit", "kind", "rating", "required", "usable", "missing", "unusable here"], rows
        )
    return 1 if items else 0


def _read_inventory(path: str) -> list[Any]:
    from gdsmodel.errors import DataFileError
    from gdsmodel.standards.safety_tools import Sighting

    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            rows = list(csv.DictReader(f))
    except OSError as exc:
        raise DataFileError(f"cannot read the file: {exc.strerror}", file=path) from None
    except UnicodeDecodeError as exc:
        raise DataFileError(
            f"the file is not UTF-8 text (byte {exc.start}): save it as UTF-8 CSV", file=path
        ) from None
    except csv.Error as exc:
        raise DataFileError(f"not a readable CSV file: {exc}", file=path) from None
    out = []
    for i, row in enumerate(rows, start=2):
        serial = (row.get("serial") or "").strip()
        if not serial:
            raise DataFileError("a row needs a serial", file=path, line=i, path="serial")
        due_text = (row.get("label_due") or "").strip()
        try:
            due = datetime.date.fromisoformat(due_text) if due_text else None
        except ValueError:
            raise DataFileError(
                f"label_due {due_text!r} is not a date (YYYY-MM-DD)",
                file=path,
                line=i,
                path="label_due",
            ) from None
        out.append(Sighting(serial=serial, place=(row.get("place") or "").strip(), label_due=due))
    return out


def _cmd_check(args: argparse.Namespace) -> int:
    inventory = _read_inventory(args.inventory) if args.inventory else None
    with _open(args, create=False) as ledger:
        found = ledger.check(inventory)
    if args.json:
        print_json(_unstructured(found))
    elif found:
        print_table(
            ["serial", "problem", "detail"], [[d.serial, d.kind.value, d.detail] for d in found]
        )
    else:
        print(say("帐、物、卡相符", "ledger, items and cards agree"))
    return 1 if found else 0


def _kind_dict(k: Any) -> dict[str, Any]:
    from gdsmodel.serialize import unstructure
    from gdsmodel.standards.safety_tools import format_interval

    return {
        "id": k.id,
        "name": unstructure(k.name),
        "category": k.category.value,
        "ratings": list(k.ratings),
        "test_interval": format_interval(k.test_interval) or None,
        "service_life": {r: format_interval(v) for r, v in k.service_life.items()},
        "after_service_life_interval": format_interval(k.after_service_life_interval) or None,
        "visual_check_interval": format_interval(k.visual_check_interval) or None,
        "tests": [unstructure(t) for t in k.tests],
        "edition": k.edition,
        "source": unstructure(k.source),
        "confidence": k.confidence.value,
        "notes": k.notes,
    }


def _cmd_kinds(args: argparse.Namespace) -> int:
    catalogue = _catalogue(args)
    if args.json:
        print_json({"edition": catalogue.edition, "kinds": [_kind_dict(k) for k in catalogue]})
        return 0
    rows = [
        [
            k.id,
            k.name.get(lang()),
            k.confidence.value,
            str(k.source),
            interval_label(k.interval_text),
        ]
        for k in catalogue
    ]
    print_table(["kind", "name", "conf.", "source", "interval"], rows, max_width=110)
    return 0
