"""The import cost of gdsmodel against its three runtime dependencies, in the same run.

Goal: ``import gdsmodel`` costs at most 1.2x ``import attrs, cattrs, pendulum`` (measured in
fresh interpreters, interleaved, many repetitions; the interpreter's own start-up is not
counted: each child times its import statement with ``time.perf_counter``). The script also
reports the first imports a user makes after it (the KPI registry, the frames module) and
checks that none of them loads a dataframe library. ``--importtime`` prints the slowest
modules of ``python -X importtime -c 'import gdsmodel'``.

Run (from the project root)::

    .venv/bin/python benchmarks/bench_import.py               # 40 repetitions
    .venv/bin/python benchmarks/bench_import.py --repeat 100 --importtime
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import ROOT, machine, table

DATAFRAME_MODULES = (
    "narwhals",
    "pandas",
    "polars",
    "pyarrow",
    "duckdb",
    "pyspark",
    "dask",
    "numpy",
)
BASELINE = "import attrs, cattrs, pendulum"
CASES = {
    "import gdsmodel": "import gdsmodel",
    "import gdsmodel.metrics.frames (no dataframe library)": "import gdsmodel.metrics.frames",
    "from gdsmodel.metrics.registry import metric": (
        "from gdsmodel.metrics.registry import metric"
    ),
}


def child(statement: str) -> tuple[float, list[str]]:
    code = (
        "import sys, time\n"
        "t0 = time.perf_counter()\n"
        f"{statement}\n"
        "t1 = time.perf_counter()\n"
        f"print(t1 - t0, [m for m in {DATAFRAME_MODULES!r} if m in sys.modules])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(ROOT / "src")},
    ).stdout.strip()
    seconds, loaded = out.split(" ", 1)
    return float(seconds), eval(loaded)  # a list of module names printed by the child


def measure(repeat: int) -> dict[str, list[float]]:
    statements = {"baseline": BASELINE, **CASES}
    times: dict[str, list[float]] = {name: [] for name in statements}
    for stmt in statements.values():  # warm the file cache once
        child(stmt)
    for i in range(repeat):
        order = list(statements.items())
        if i % 2:
            order.reverse()
        for name, stmt in order:
            seconds, loaded = child(stmt)
            if loaded:
                raise SystemExit(f"{stmt!r} loaded dataframe libraries: {loaded}")
            times[name].append(seconds)
    return times


def importtime(top: int) -> str:
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import gdsmodel"],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(ROOT / "src")},
    )
    rows = []
    for line in proc.stderr.splitlines()[1:]:
        head, cumulative, name = line.split("|")
        self_us = head.rsplit(":", 1)[1]
        rows.append((int(cumulative), int(self_us), name.rstrip()))
    rows.sort(reverse=True)
    return table(["cumulative µs", "self µs", "module"], [list(r) for r in rows[:top]])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--importtime", action="store_true")
    args = parser.parse_args(argv)
    times = measure(args.repeat)
    base = statistics.median(times["baseline"])
    rows = [[f"`{BASELINE}` (baseline)", f"{base * 1000:.1f}", "1.00", ""]]
    for name in CASES:
        med = statistics.median(times[name])
        verdict = ""
        if name == "import gdsmodel":
            verdict = "goal <= 1.20: " + ("met" if med <= 1.2 * base else "MISSED")
        rows.append([f"`{name}`", f"{med * 1000:.1f}", f"{med / base:.2f}", verdict])
    print(machine())
    print()
    print(f"median of {args.repeat} fresh interpreters each, interleaved; no dataframe library")
    print("was loaded by any statement.")
    print()
    print(table(["statement", "ms (median)", "ratio to baseline", ""], rows))
    if args.importtime:
        print()
        print(importtime(15))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
