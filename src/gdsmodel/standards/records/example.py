"""A seeded year of records for the example station (``records.json``, and ``tickets.csv``
counted from its tickets): tickets (a few
unqualified, a few cancelled), accidents and near misses (one closed late), customer requests
(hand-offs, late replies), new connections (stages over their limits, one withdrawn),
equipment defects (handled late, still open), meters falling due for verification (some
late, some never done), spare parts (checks missed, shortages) and the safety-rules
examination of every person (a few failed first).

Every event is checked by the kinds' state machines before it is written; events after the
last day of the data are left out, so records still open then are open in the example.

>>> import random
>>> from gdsmodel.periods import Month
>>> class Station:
...     months = (Month(2026, 1), Month(2026, 2))
>>> files = station_files(Station(), random.Random(1))
>>> sorted(files), files["records.json"].count('"kind": "ticket"') > 20
(['records.json', 'tickets.csv'], True)
"""

from __future__ import annotations

import datetime as _dt
import random
from collections.abc import Sequence
from typing import Protocol

from gdsmodel.periods import Month
from gdsmodel.standards.records.events import CODEC, RecordEvent
from gdsmodel.standards.records.figures import counts_csv
from gdsmodel.standards.records.kinds import kind, kinds
from gdsmodel.standards.records.machine import fold
from gdsmodel.standards.records.store import render_json

__all__ = ["ExampleStationLike", "example_events", "station_files"]

_CHECKS = ("filled_correctly", "signatures_complete", "safety_measures", "procedure_followed")
_PEOPLE = tuple(f"P{n:02d}" for n in range(1, 26))
_SERVICE = ("P05", "P06", "P07")
_CUSTOMERS = "张王李赵刘陈杨黄周吴"


class ExampleStationLike(Protocol):
    """What the report's example generator hands over: the months of the data."""

    @property
    def months(self) -> tuple[Month, ...]: ...


def _day(m: Month, d: int) -> _dt.date:
    return _dt.date(m.year.number, m.number, d)


def _plus(day: _dt.date, days: int) -> _dt.date:
    return day + _dt.timedelta(days=days)


def _working(day: _dt.date, n: int) -> _dt.date:
    while n > 0:
        day = _plus(day, 1)
        if day.weekday() < 5:
            n -= 1
    return day


class _Log:
    def __init__(self) -> None:
        self.events: list[RecordEvent] = []

    def add(
        self, kind: str, record: str, move: str, on: _dt.date, by: str = "", **fields: object
    ) -> None:
        self.events.append(
            RecordEvent(
                kind=kind,
                record=record,
                move=move,
                on=on,
                by=by,
                fields={
                    k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in fields.items()
                },
            )
        )


def _tickets(log: _Log, rng: random.Random, span: Sequence[Month]) -> None:
    n = 0
    for m in span:
        for cls, lo, hi, bad in (("work", 8, 15, 0.05), ("operation", 10, 20, 0.03)):
            for _ in range(rng.randint(lo, hi)):
                n += 1
                letter = "W" if cls == "work" else "C"
                rid = f"{letter}{m.year.number % 100:02d}{m.number:02d}-{n:04d}"
                day = _day(m, rng.randint(1, 24))
                log.add(
                    "ticket",
                    rid,
                    "issue",
                    day,
                    "P02",
                    **{
                        "class": cls,
                        "number": rid,
                        "task": "10kV line work" if cls == "work" else "switching",
                    },
                )
                if rng.random() < 0.04:
                    log.add("ticket", rid, "cancel", _plus(day, 1), "P02", reason="work postponed")
                    continue
                log.add("ticket", rid, "start", _plus(day, 1), "P14")
                log.add("ticket", rid, "end", _plus(day, 1), "P14")
                checks = dict.fromkeys(_CHECKS, True)
                if rng.random() < bad:
                    checks[rng.choice(_CHECKS)] = False
                log.add("ticket", rid, "review", _plus(day, rng.randint(2, 6)), "P02", **checks)


def _accidents(log: _Log, rng: random.Random, span: Sequence[Month]) -> None:
    n = 0
    for i, m in enumerate(span):
        for cls, p in (
            ("near_miss", 0.5),
            ("disturbance", 0.3),
            ("accident", 0.08 if i != 2 else 1.0),
        ):
            if rng.random() >= p:
                continue
            n += 1
            rid = f"ACC-{m.year.number}-{n:02d}"
            day = _day(m, rng.randint(1, 20))
            log.add(
                "accident", rid, "report", day, "P02", **{"class": cls, "description": "见调查报告"}
            )
            log.add("accident", rid, "investigate", _plus(day, 1), "P02")
            late = cls == "accident" or rng.random() < 0.15
            step = rng.randint(3, 8) if not late else rng.randint(20, 25)
            d = _plus(day, 2)
            for f in ("cause", "responsible_dealt", "staff_educated", "measures"):
                d = _plus(d, step)
                log.add("accident", rid, "record", d, "P02", **{f: "已落实"})
            d = _plus(d, 2)
            log.add(
                "accident",
                rid,
                "file_report",
                d,
                "P02",
                report_filed="yes",
                filed_to="县公司安监部",
            )
            log.add("accident", rid, "close", _plus(d, 1), "P01")


def _requests(log: _Log, rng: random.Random, span: Sequence[Month]) -> None:
    n = 0
    for m in span:
        for _ in range(rng.randint(6, 12)):
            n += 1
            rid = f"REQ-{n:04d}"
            cls = rng.choices(("consultation", "complaint", "report", "visit"), (6, 2, 1, 2))[0]
            day = _day(m, rng.randint(1, 26))
            owner = rng.choice(_SERVICE)
            customer = rng.choice(_CUSTOMERS) + "先生"
            log.add(
                "request",
                rid,
                "receive",
                day,
                owner,
                **{"class": cls, "customer": customer, "first_asked": owner, "subject": "用电问题"},
            )
            d = day
            if cls != "consultation" and rng.random() < 0.7:
                d = _working(d, rng.randint(1, 2))
                log.add(
                    "request",
                    rid,
                    "hand_off",
                    d,
                    owner,
                    to_unit=rng.choice(("distribution_group", "revenue_group")),
                )
            limit = 1 if cls == "consultation" else 5
            d = _working(d, rng.randint(0, limit + (3 if rng.random() < 0.1 else 0)))
            log.add("request", rid, "reply", d, owner, reply="已答复客户")
            log.add(
                "request",
                rid,
                "close",
                _plus(d, rng.randint(1, 5)),
                owner,
                satisfied=rng.random() < 0.95,
            )


def _connections(log: _Log, rng: random.Random, span: Sequence[Month]) -> None:
    n = 0
    stages = (
        ("reply_plan", None),
        ("submit_design", "review_design"),
        ("request_mid_check", "mid_check"),
        ("report_completion", "inspect"),
    )
    for m in span:
        for _ in range(rng.randint(2, 4)):
            n += 1
            rid = f"CON-{n:03d}"
            cls = rng.choices(("lv", "hv_single", "hv_dual"), (6, 3, 1))[0]
            day = _day(m, rng.randint(1, 20))
            log.add(
                "connection",
                rid,
                "apply",
                day,
                "P04",
                **{
                    "class": cls,
                    "customer": rng.choice(_CUSTOMERS) + "氏企业",
                    "capacity_kva": rng.choice((50, 100, 250, 400)),
                },
            )
            limit = {"lv": 7, "hv_single": 15, "hv_dual": 30}[cls]
            d = _working(day, rng.randint(2, limit + (4 if rng.random() < 0.15 else 0)))
            log.add(
                "connection",
                rid,
                "reply_plan",
                d,
                "P04",
                plan="10kV T接" if cls != "lv" else "0.4kV接入",
            )
            if rng.random() < 0.08:
                log.add("connection", rid, "withdraw", _plus(d, 10), "P04", reason="客户撤回申请")
                continue
            for ask, do in stages[1:]:
                if cls == "lv" and ask != "report_completion":
                    continue
                d = _plus(d, rng.randint(5, 20))
                log.add("connection", rid, ask, d, "P04")
                d = _working(
                    d,
                    rng.randint(1, 10 if do == "review_design" else 5)
                    + (3 if rng.random() < 0.1 else 0),
                )
                log.add("connection", rid, do, d, "P04")
            signed = _plus(d, -rng.randint(0, 3))
            if signed < day:
                signed = d
            log.add(
                "connection", rid, "sign_contract", d, "P04", contract_signed=signed.isoformat()
            )
            log.add(
                "connection",
                rid,
                "connect",
                _working(d, rng.randint(1, 5 if rng.random() > 0.1 else 8)),
                "P04",
                meter=f"M{n:05d}",
            )


def _defects(log: _Log, rng: random.Random, span: Sequence[Month]) -> None:
    n = 0
    for m in span:
        for _ in range(rng.randint(3, 6)):
            n += 1
            rid = f"DEF-{n:03d}"
            cls = rng.choices(("emergency", "major", "ordinary"), (1, 3, 8))[0]
            day = _day(m, rng.randint(1, 26))
            log.add(
                "defect",
                rid,
                "find",
                day,
                "P03",
                **{
                    "class": cls,
                    "equipment": f"L0{rng.randint(1, 3)}",
                    "found_on": rng.choice(("patrol", "patrol", "test")),
                    "description": "缺陷",
                },
            )
            limit = {"emergency": 1, "major": 7, "ordinary": 90}[cls]
            took = rng.randint(0, limit) if rng.random() > 0.12 else limit + rng.randint(1, 10)
            d = _plus(day, took)
            log.add("defect", rid, "handle", d, "P14", handling="已处理")
            log.add("defect", rid, "close", _plus(d, rng.randint(0, 3)), "P03", evidence="验收记录")


def _meters(log: _Log, rng: random.Random, span: Sequence[Month]) -> None:
    first = _day(span[0], 1)
    for n in range(1, 81):
        cls = rng.choices(("single_phase", "three_phase", "hv_metering"), (12, 5, 1))[0]
        months = {"single_phase": 96, "three_phase": 60, "hv_metering": 12}[cls]
        back = rng.randint(0, months - 1)
        installed = _plus(first, -back * 30 - rng.randint(0, 29))
        rid = f"MTR-{n:03d}"
        log.add(
            "meter",
            rid,
            "install",
            installed,
            "P08",
            **{"class": cls, "customer": f"户{n:03d}", "meter": f"E{n:06d}"},
        )
        due = _dt.date(
            installed.year + (installed.month - 1 + months) // 12,
            (installed.month - 1 + months) % 12 + 1,
            min(installed.day, 28),
        )
        while due < _plus(_day(span[-1], 28), 40):
            r = rng.random()
            if r < 0.1:
                break  # never done: overdue at the end
            late = rng.randint(1, 40) if r < 0.25 else -rng.randint(0, 20)
            on = max(_plus(due, late), installed)
            if cls == "single_phase":
                log.add("meter", rid, "rotate", on, "P09", new_meter=f"N{n:06d}")
            else:
                log.add("meter", rid, "verify", on, "P09", result="pass")
            due = _dt.date(
                on.year + (on.month - 1 + months) // 12,
                (on.month - 1 + months) % 12 + 1,
                min(on.day, 28),
            )


def _spares(log: _Log, rng: random.Random, span: Sequence[Month]) -> None:
    items = (
        ("line", "JKLYJ-70导线"),
        ("line", "绝缘子"),
        ("transformer", "S13-200配变"),
        ("transformer", "高压熔断器"),
        ("switchgear", "柱上开关"),
        ("metering", "单相电能表"),
    )
    start = _plus(_day(span[0], 1), -20)
    for n, (cls, item) in enumerate(items, start=1):
        rid = f"SPR-{n:02d}"
        qty, minimum = rng.randint(8, 20), 5
        log.add(
            "spare_part",
            rid,
            "stock",
            start,
            "P03",
            **{"class": cls, "item": item, "quantity": qty, "minimum": minimum},
        )
        d = start
        while True:
            d = _plus(d, rng.randint(70, 95) if rng.random() > 0.15 else rng.randint(100, 130))
            if d > _day(span[-1], 28):
                break
            qty = max(0, qty - rng.randint(0, 9))
            log.add("spare_part", rid, "check", d, "P03", quantity=qty, sufficient=qty >= minimum)
            if qty < minimum:
                qty += rng.randint(10, 15)
                log.add(
                    "spare_part",
                    rid,
                    "replenish",
                    _plus(d, rng.randint(5, 40)),
                    "P03",
                    quantity=qty,
                )


def _training(log: _Log, rng: random.Random, span: Sequence[Month]) -> None:
    m = span[min(1, len(span) - 1)]
    day = _day(m, 3)
    for person in _PEOPLE:
        rid = f"TRN-{m.year.number}-{person}"
        log.add(
            "training",
            rid,
            "enrol",
            day,
            "P02",
            **{"class": "safety_rules", "person": person, "course": "电力安全工作规程"},
        )
        d = _plus(day, rng.randint(5, 20))
        log.add("training", rid, "attend", d, person, hours=16)
        d = _plus(d, rng.randint(5, 20))
        passed = rng.random() > 0.12
        log.add(
            "training",
            rid,
            "examine",
            d,
            person,
            passed=passed,
            score=rng.randint(85, 98) if passed else rng.randint(50, 79),
        )
        if not passed and rng.random() < 0.7:
            log.add(
                "training",
                rid,
                "examine",
                _plus(d, rng.randint(20, 40)),
                person,
                passed=True,
                score=rng.randint(80, 90),
            )


def example_events(months: Sequence[Month], rng: random.Random) -> list[RecordEvent]:
    """The example's events, checked and in the order of their days.

    >>> len(example_events([Month(2026, 1)], random.Random(2))) > 100
    True
    """
    log = _Log()
    for part in (
        _tickets,
        _accidents,
        _requests,
        _connections,
        _defects,
        _meters,
        _spares,
        _training,
    ):
        part(log, rng, months)
    last = months[-1].end.date() - _dt.timedelta(days=1)
    events = sorted((e for e in log.events if e.on <= last), key=lambda e: e.on)
    fold({k.id: k for k in kinds()}, events, people=_PEOPLE)
    return events


def station_files(station: ExampleStationLike, rng: random.Random) -> dict[str, str]:
    """The example generator hooked into :func:`gdsmodel.report.example.generate_station`:
    ``records.json``, and ``tickets.csv`` counted from its ticket records (as known on the
    first day after the data), so the hand count and the figures from records agree."""
    events = example_events(station.months, rng)
    spec = kind("ticket")
    states = fold({spec.id: spec}, [e for e in events if e.kind == spec.id])
    today = station.months[-1].end.date()
    return {
        "records.json": render_json(CODEC, events),
        "tickets.csv": counts_csv(spec, states.values(), today=today),
    }
