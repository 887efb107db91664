"""The safety-tool ledger at scale, standard loading and the cattrs round-trip of the standard.

* Ledger: N tools (default 100,000) of the shipped kinds, each registered, acceptance-tested
  and issued and returned four times (10 events a tool: 1,000,000 events), written through the
  public API (every event is checked against the tool's state); then the station's queries:
  ``due(month)``, ``overdue(on=)`` and ``unusable(on=)`` on a day after every event (answered
  from the kept states), ``tools()``, ``tools(on=)`` and ``overdue(on=)`` on a day in the middle
  of the history (the tools with later events are replayed), 1,000 ``card()`` look-ups and
  ``check()`` (derives every state afresh); optionally ``save()`` to SQLite, ``Ledger.open()``
  and ``check()`` of the opened file (which reads the file again).
* Standard: ``load_standard()`` in a fresh interpreter (import included and not), and the
  round-trip ``Standard.from_data(std.to_data())`` (cattrs, the whole standard), plus JSON.

Run (from the project root)::

    .venv/bin/python benchmarks/bench_ledger.py                  # 100k tools, 1M events
    .venv/bin/python benchmarks/bench_ledger.py --tools 10000    # a quick run
    .venv/bin/python benchmarks/bench_ledger.py --save           # also SQLite save and open
    .venv/bin/python benchmarks/bench_ledger.py --open 10000,100000 --repeat 5  # open vs floor
"""

from __future__ import annotations

import argparse
import datetime
import gc
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import ROOT, interleaved, machine, peak_rss_mb, summary, table

sys.path.insert(0, str(ROOT / "src"))


class Month:
    """A calendar month as a half-open period of tz-aware datetimes."""

    def __init__(self, year: int, month: int) -> None:
        import pendulum

        self.start = pendulum.datetime(year, month, 1, tz="Asia/Shanghai")
        self.end = self.start.add(months=1)


def timed(fn: Callable[[], Any], repeat: int = 1) -> tuple[float, Any]:
    """Best wall time of ``fn`` (with its result). The garbage collector runs first, so that a
    full collection owed to earlier work (millions of objects) is not charged to ``fn``."""
    best = float("inf")
    out: Any = None
    for _ in range(repeat):
        out = None
        gc.collect()
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def build_ledger(tools: int, cycles: int) -> tuple[Any, float]:
    from gdsmodel.standards.safety_tools.ledger import Ledger

    d = datetime.date
    ledger = Ledger()
    kinds = [("insulating_gloves", "high_voltage"), ("insulating_boots", "high_voltage")]
    t0 = time.perf_counter()
    for i in range(tools):
        serial = f"T-{i:06d}"
        kind, rating = kinds[i % len(kinds)]
        start = d(2025, 1, 1) + datetime.timedelta(days=i % 120)
        ledger.register(serial, kind=kind, rating=rating, on=start, place="station")
        ledger.record_acceptance_test(
            serial, on=start + datetime.timedelta(days=1), tester="李四", passed=True
        )
        for c in range(cycles):
            day = start + datetime.timedelta(days=2 + 3 * c)
            ledger.issue(serial, on=day, to="王五")
            ledger.return_tool(serial, on=day + datetime.timedelta(days=1))
    return ledger, time.perf_counter() - t0


def bench_ledger(tools: int, cycles: int, save: bool) -> list[list[str]]:
    ledger, seconds = build_ledger(tools, cycles)
    events = len(ledger)
    rows = [
        [
            f"build: {tools:,} tools, {events:,} events (API, checked)",
            f"{seconds:.1f}",
            f"{seconds / events * 1e6:.0f} µs/event",
        ]
    ]
    d = datetime.date
    serials = ledger.serials()
    queries: list[tuple[str, Callable[[], Any]]] = [
        ("due(2025-07): current states", lambda: ledger.due(Month(2025, 7))),
        ("overdue(on=2026-03-01): after every event", lambda: ledger.overdue(on=d(2026, 3, 1))),
        ("unusable(on=2026-03-01): after every event", lambda: ledger.unusable(on=d(2026, 3, 1))),
        ("tools(): current states", lambda: ledger.tools()),
        ("tools(on=2025-03-01): mid-history", lambda: ledger.tools(on=d(2025, 3, 1))),
        ("overdue(on=2025-03-01): mid-history", lambda: ledger.overdue(on=d(2025, 3, 1))),
        (
            "1,000 card() look-ups",
            lambda: [ledger.card(serials[i * len(serials) // 1000]) for i in range(1000)],
        ),
        ("check(): derives every state afresh", lambda: ledger.check()),
    ]
    for name, fn in queries:
        seconds, out = timed(fn)
        rows.append([name, f"{seconds:.3f}", f"{len(out):,} rows"])
    if save:
        with tempfile.TemporaryDirectory() as tmp:
            from gdsmodel.standards.safety_tools.ledger import Ledger

            path = Path(tmp) / "ledger.sqlite"
            seconds, _ = timed(lambda: ledger.save(path))
            rows.append(["save() to SQLite", f"{seconds:.1f}", f"{path.stat().st_size >> 20} MiB"])
            seconds, opened = timed(lambda: Ledger.open(path))
            rows.append(["Ledger.open() (re-checks every event)", f"{seconds:.1f}", ""])
            seconds, out = timed(lambda: opened.check())
            rows.append(["check() of the opened file (reads it again)", f"{seconds:.1f}", ""])
            assert out == ()
            opened.close()
    rows.append(["peak resident memory", "", f"{peak_rss_mb():.0f} MiB"])
    return rows


def floor_sqlite(path: Path) -> list[Any]:
    """The floor of opening a SQLite ledger: its rows read and each event's JSON decoded."""
    import sqlite3

    db = sqlite3.connect(path)
    try:
        rows = db.execute("SELECT seq, serial, type, data, hash FROM events ORDER BY seq")
        return [json.loads(row[3]) for row in rows.fetchall()]
    finally:
        db.close()


def floor_json(path: Path) -> Any:
    """The floor of opening a JSON ledger: the file read and decoded."""
    return json.loads(path.read_text(encoding="utf-8"))


def bench_open(tools: int, cycles: int, repeat: int) -> list[list[str]]:
    """``Ledger.open`` (every event structured, checked against the rules, the hash chain
    verified) against its floor, both measured in turn in the same run; the ledgers are built
    once into a temporary folder, and the states after opening are checked equal to the ones
    the ledger had when it was written."""
    from gdsmodel.standards.safety_tools.ledger import Ledger

    ledger, _ = build_ledger(tools, cycles)
    events = len(ledger)
    expected = ledger.tools()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for suffix, floor, floor_text in (
            ("sqlite", floor_sqlite, "`SELECT` + `json.loads` per row"),
            ("json", floor_json, "`json.loads` of the file"),
        ):
            path = Path(tmp) / f"ledger.{suffix}"
            ledger.save(path)
            opened = Ledger.open(path)
            assert opened.tools() == expected and len(opened) == events
            assert opened.head == ledger.head
            opened.close()
            del opened

            def open_it(path: Path = path) -> None:
                Ledger.open(path).close()

            def floor_it(path: Path = path, floor: Callable[[Path], Any] = floor) -> None:
                floor(path)

            gc.collect()
            times = interleaved({"open": open_it, "floor": floor_it}, repeat, warmup=0)
            o, f = summary(times["open"]), summary(times["floor"])
            rows.append(
                [
                    f"{events:,} events, {suffix} ({path.stat().st_size >> 20} MiB)",
                    f"{o['min']:.2f} / {o['median']:.2f}",
                    f"{f['min']:.2f} / {f['median']:.2f} ({floor_text})",
                    f"{o['min'] / f['min']:.2f}x / {o['median'] / f['median']:.2f}x",
                    f"{o['cpu_min'] / f['cpu_min']:.2f}x",
                ]
            )
    return rows


def cold(statement: str, repeat: int) -> float:
    """Median seconds of ``statement`` in fresh interpreters (imports excluded where stated)."""
    code = f"import time\nt0 = time.perf_counter()\n{statement}\nprint(time.perf_counter() - t0)"
    env = {"PYTHONPATH": str(ROOT / "src")}
    times = []
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
        )
        times.append(float(out.stdout.strip()))
    return statistics.median(times)


def bench_standard(repeat: int) -> list[list[str]]:
    from gdsmodel.standards.standard import Standard, load_standard

    rows = [
        [
            "import gdsmodel + load_standard() (fresh interpreter, median)",
            f"{cold('import gdsmodel; gdsmodel.load_standard()', repeat):.3f}",
            "",
        ],
        [
            "load_standard() only (modules imported first; fresh interpreter)",
            f"{cold_after_import(repeat):.3f}",
            "",
        ],
    ]
    std = load_standard()
    data = std.to_data()
    seconds, _ = timed(lambda: std.to_data(), repeat)
    rows.append(["unstructure: std.to_data() (cattrs)", f"{seconds:.4f}", f"{len(data)} keys"])
    seconds, back = timed(lambda: Standard.from_data(data), repeat)
    assert back == std
    rows.append(["structure: Standard.from_data(data) (cattrs)", f"{seconds:.4f}", ""])
    seconds, _ = timed(lambda: Standard.from_data(std.to_data()), repeat)
    rows.append(["round-trip: from_data(to_data())", f"{seconds:.4f}", "equal"])
    text = std.to_json()
    seconds, _ = timed(lambda: Standard.from_data(json.loads(std.to_json())), repeat)
    rows.append(["round-trip through JSON text", f"{seconds:.4f}", f"{len(text) >> 10} KiB JSON"])
    return rows


def cold_after_import(repeat: int) -> float:
    statement = (
        "import gdsmodel.standards.standard as m\nt0 = time.perf_counter()\nm.load_standard()"
    )
    return cold(statement, repeat)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tools", type=int, default=100_000)
    parser.add_argument("--cycles", type=int, default=4, help="issue/return pairs per tool")
    parser.add_argument("--save", action="store_true", help="also save to SQLite and reopen")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--skip-ledger", action="store_true")
    parser.add_argument(
        "--open",
        default="",
        help="only Ledger.open against its floor, for these numbers of tools (comma-separated; "
        "10 events a tool: 10000,100000 is 100k and 1M events)",
    )
    args = parser.parse_args(argv)
    print(machine())
    print()
    if args.open:
        header = ["ledger", "open (min / median s)", "floor (min / median s)", "ratio", "CPU"]
        rows = []
        for n in (int(x) for x in args.open.split(",")):
            rows += bench_open(n, args.cycles, args.repeat)
        print(table(header, rows))
        return 0
    print(table(["standard", "seconds", "note"], bench_standard(args.repeat)))
    print()
    if not args.skip_ledger:
        rows = bench_ledger(args.tools, args.cycles, args.save)
        print(table(["ledger", "seconds", "note"], rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
