"""A seeded roster for the example station: about 25 people and who answers for what.

The roster has the seven posts, two customer-service staff, the revenue group (its leader
also reads meters; two meter readers, a bill checker, two fee collectors) and the
distribution group (its leader is also a rural electrician; three more rural electricians
answer for the 10 kV lines; eight transformer-area managers answer for the areas' line
loss and residual current devices). Half-way through the data, on the 16th of a month,
one transformer-area manager moves to the revenue group as a meter reader: half of the
areas go to a colleague, half to a new hire, and the mid-month handover shows the
attribution rule at work. The safety officer's month-end checks (``people_checks.csv``)
find three faults over the months.

>>> files = roster_files({"L01-01": "L01", "L01-02": "L01", "L02-01": "L02"},
...                      [Month(2026, 1), Month(2026, 2)], random.Random(1))
>>> sorted(files)
['people_checks.csv', 'responsibility.csv', 'staff.csv']
>>> files["staff.csv"].splitlines()[0]
'person,name,contact,holds,start,end,note'
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import random
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from gdsmodel.organisation.dating import month_bounds
from gdsmodel.periods import Month

__all__ = ["EQUIPMENT_CLASSES", "ExampleStationLike", "roster", "roster_files"]

EQUIPMENT_CLASSES = ("10kV线路", "配电变压器", "柱上开关")
"""The equipment classes of the example station's equipment.csv."""

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾"
_GIVEN = (
    "建国", "志强", "海燕", "秀英", "桂兰", "国平", "立新", "文华", "晓东", "春梅", "振华",
    "红霞", "德明", "玉兰", "永刚", "丽娟", "卫东", "淑珍", "宏伟", "金凤", "勇", "静",
    "磊", "军", "芳", "伟", "敏", "涛", "斌", "娜",
)  # fmt: skip
_AREA_KPIS = (
    "line_loss_rate_lv rcd_installation_rate rcd_in_service_rate rcd_correct_operation_rate"
)


def _csv(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def _halves(items: Sequence[str], n: int) -> list[list[str]]:
    """``items`` in ``n`` contiguous, nearly equal chunks (the first ones larger)."""
    q, r = divmod(len(items), n)
    out, at = [], 0
    for i in range(n):
        size = q + (1 if i < r else 0)
        out.append(list(items[at : at + size]))
        at += size
    return out


class _Area(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def line(self) -> str: ...


class ExampleStationLike(Protocol):
    """What the report's example generator hands to the generators of other parts."""

    @property
    def months(self) -> tuple[Month, ...]: ...
    @property
    def areas(self) -> Sequence[_Area]: ...


def roster(station: ExampleStationLike, rng: random.Random) -> dict[str, str]:
    """The example generator hooked into :func:`gdsmodel.report.example.generate_station`.

    >>> class S:
    ...     months = (Month(2026, 1),)
    ...     areas = ()
    >>> sorted(roster(S(), random.Random(0)))
    ['people_checks.csv', 'responsibility.csv', 'staff.csv']
    """
    return roster_files({a.id: a.line for a in station.areas}, station.months, rng)


def roster_files(
    areas: Mapping[str, str], span: Sequence[Month], rng: random.Random
) -> dict[str, str]:
    """``staff.csv`` and ``responsibility.csv`` for the areas (area -> line) of ``span``.

    Deterministic: the same random stream and areas give the same text.
    """
    first, _ = month_bounds(span[0])
    start = _dt.date(first.year - 1, 1, 1)
    mid = span[len(span) // 2]
    move, _ = month_bounds(mid)
    move = move.replace(day=16)
    names: list[str] = []
    while len(names) < 26:
        name = rng.choice(_SURNAMES) + rng.choice(_GIVEN)
        if name not in names:
            names.append(name)
    ids = [f"P{i:02d}" for i in range(1, 27)]
    person = dict(zip(ids, names, strict=True))
    phone = {p: f"139{rng.randint(0, 99_999_999):08d}" for p in ids}
    staff: list[list[Any]] = []

    def hold(
        p: str, holds: str, since: _dt.date, end: _dt.date | None = None, note: str = ""
    ) -> None:
        staff.append([p, person[p], phone[p], holds, since.isoformat(),
                      end.isoformat() if end else "", note])  # fmt: skip

    posts = [
        "director",
        "safety_officer",
        "technician",
        "marketing_officer",
        "customer_service_head",
        "revenue_group_leader",
        "distribution_group_leader",
    ]
    hold("P01", posts[0], start)
    hold("P02", posts[1], start)
    hold("P03", posts[2], start)
    hold("P04", posts[3], start)
    hold("P05", posts[4], start)
    hold("P06", "customer_service_office", start)
    hold("P07", "customer_service_office", start)
    hold("P08", posts[5], start)
    hold("P08", "meter_reader", start, note="组长兼抄表员")
    hold("P09", "meter_reader", start)
    hold("P10", "meter_reader", start)
    hold("P11", "checker", start)
    hold("P12", "collector", start)
    hold("P13", "collector", start)
    hold("P14", posts[6], start)
    hold("P14", "rural_electrician", start, note="组长兼农电工")
    for p in ("P15", "P16", "P17"):
        hold(p, "rural_electrician", start)
    tams = [f"P{i}" for i in range(18, 26)]
    for p in tams:
        hold(p, "transformer_area_manager", start)
    mover, colleague, hire = "P21", "P20", "P26"
    for row in staff:
        if row[0] == mover:
            row[5] = move.isoformat()
            row[6] = "调营业组任抄表员"
    hold(mover, "meter_reader", move, note="由台区经理调任")
    hold(hire, "transformer_area_manager", move, note="新入职")

    resp: list[list[Any]] = []

    def answer(
        p: str,
        scope: str,
        target: str,
        since: _dt.date,
        end: _dt.date | None = None,
        kpis: str = "",
        note: str = "",
    ) -> None:
        resp.append([p, scope, target, since.isoformat(), end.isoformat() if end else "",
                     kpis, note])  # fmt: skip

    for cls in EQUIPMENT_CLASSES:
        answer("P03", "equipment", cls, start)
    lines = sorted(set(areas.values()))
    electricians = ["P14", "P15", "P16", "P17"]
    for group, p in zip(_halves(lines, 4), electricians, strict=True):
        for line in group:
            answer(p, "line", line, start, kpis="line_loss_rate_10kv")
    ordered = sorted(areas)
    for group, p in zip(_halves(ordered, len(tams)), tams, strict=True):
        for k, area in enumerate(group):
            if p != mover:
                answer(p, "area", area, start, kpis=_AREA_KPIS)
                continue
            answer(p, "area", area, start, move, kpis=_AREA_KPIS)
            to = colleague if k % 2 == 0 else hire
            answer(to, "area", area, move, kpis=_AREA_KPIS, note="交接")
    readers = _halves(ordered, 2)
    taken = readers[1][len(readers[1]) // 2 :]
    for area in readers[0]:
        answer("P09", "area", area, start, kpis="meter_reading_rate")
    for area in readers[1]:
        if area in taken:
            answer("P10", "area", area, start, move, kpis="meter_reading_rate")
            answer(mover, "area", area, move, kpis="meter_reading_rate", note="交接")
        else:
            answer("P10", "area", area, start, kpis="meter_reading_rate")
    for area in ordered:
        answer("P11", "area", area, start, kpis="reading_error_rate")
    for group, p in zip(_halves(ordered, 2), ("P12", "P13"), strict=True):
        for area in group:
            answer(p, "area", area, start, kpis="collection_rate")
    # the safety officer's month-end check of the rural electricians and the groups
    fails = {
        (span[min(4, len(span) - 1)], "P15"): "登杆作业未系安全带",
        (span[len(span) // 3], "P16"): "现场未装设遮栏和标示牌",
        (span[-2] if len(span) > 1 else span[0], "distribution_group"): "工器具未按期送检",
    }
    checks: list[list[Any]] = []
    for m in span:
        for owner in ("P14", "P15", "P16", "P17", "distribution_group", "revenue_group"):
            rule = ("rural_electrician" if owner.startswith("P") else owner) + ".safety_check"
            note = fails.get((m, owner), "")
            checks.append([str(m), owner, rule, "no" if note else "yes", note])
    return {
        "people_checks.csv": _csv(["month", "person", "rule", "passed", "note"], checks),
        "staff.csv": _csv(["person", "name", "contact", "holds", "start", "end", "note"], staff),
        "responsibility.csv": _csv(
            ["person", "scope", "target", "start", "end", "kpis", "note"], resp
        ),
    }
