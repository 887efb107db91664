"""How fast the command line starts, against the interpreter's own start-up, in the same run.

Goal (issue 20, item 5): ``gdsmodel --help`` and ``gdsmodel posts`` within 5x of
``python -c pass``. Each command runs in a fresh interpreter (``python -m gdsmodel ...``, the
same code as the ``gdsmodel`` script), with output to a pipe; the commands and the baseline
are interleaved, alternating who goes first, so a busy machine slows all alike. Wall time of
the whole process is what a user waits for: the figures are the best (minimum) and the median
of ``--repeat`` runs, and their ratios to the baseline's. ``gdsmodel show safety_officer`` is
reported too (no goal), and so is ``python -c "import attrs, cattrs.gen, rich.console,
rich.table"``: the libraries ``posts`` is made of, imported alone. ``--importtime`` adds the
slowest modules each command imports.

Run (from the project root)::

    .venv/bin/python benchmarks/bench_cli.py               # 30 runs of each
    .venv/bin/python benchmarks/bench_cli.py --repeat 60 --importtime
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import ROOT, machine, table

BASELINE = ("python -c pass", ["-c", "pass"])
COMMANDS = {
    "gdsmodel --help": ["--help"],
    "gdsmodel posts": ["posts"],
    "gdsmodel show safety_officer": ["show", "safety_officer"],
}
# What `posts` cannot do without: importing the libraries its model and its table are made of.
LIBRARIES = (
    "import attrs, cattrs.gen, rich.console, rich.table",
    ["-c", "import attrs, cattrs.gen, rich.console, rich.table"],
)
GOAL = 5.0
WITH_GOAL = ("gdsmodel --help", "gdsmodel posts")
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "COLUMNS": "100"}


def _argv(name: str) -> list[str]:
    if name == BASELINE[0]:
        return [sys.executable, *BASELINE[1]]
    if name == LIBRARIES[0]:
        return [sys.executable, *LIBRARIES[1]]
    return [sys.executable, "-m", "gdsmodel", *COMMANDS[name]]


def once(name: str) -> float:
    """Wall time of one fresh process, start to exit."""
    t0 = time.perf_counter()
    proc = subprocess.run(_argv(name), capture_output=True, env=ENV, check=False)
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"{name} exited {proc.returncode}: {proc.stderr.decode()[-2000:]}")
    return seconds


def measure(repeat: int) -> dict[str, list[float]]:
    names = [BASELINE[0], *COMMANDS, LIBRARIES[0]]
    for name in names:  # warm the file cache and the bytecode caches once
        once(name)
    times: dict[str, list[float]] = {name: [] for name in names}
    for i in range(repeat):
        for name in names if i % 2 == 0 else names[::-1]:
            times[name].append(once(name))
    return times


def importtime(name: str, top: int) -> str:
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "gdsmodel", *COMMANDS[name]],
        capture_output=True,
        text=True,
        env=ENV,
        check=False,
    )
    rows = []
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        head, cumulative, module = line.split("|")
        rows.append((int(cumulative), int(head.rsplit(":", 1)[1]), module.rstrip()))
    rows.sort(reverse=True)
    return table(["cumulative µs", "self µs", "module"], [list(r) for r in rows[:top]])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=30, help="runs of each (default 30)")
    parser.add_argument("--importtime", action="store_true", help="also the slowest imports")
    args = parser.parse_args(argv)
    times = measure(args.repeat)
    base = times[BASELINE[0]]
    best, med = min(base), statistics.median(base)
    rows = [
        [
            f"`{BASELINE[0]}` (baseline)",
            f"{best * 1000:.1f}",
            f"{med * 1000:.1f}",
            "1.00",
            "1.00",
            "",
        ]
    ]
    missed = False
    for name in [*COMMANDS, LIBRARIES[0]]:
        t = times[name]
        r_best, r_med = min(t) / best, statistics.median(t) / med
        verdict = ""
        if name in WITH_GOAL:
            met = r_best <= GOAL
            missed |= not met
            verdict = f"goal <= {GOAL:.0f}x: " + (
                "met" if met else f"MISSED by {r_best / GOAL:.2f}x"
            )
        rows.append(
            [
                f"`{name}`",
                f"{min(t) * 1000:.1f}",
                f"{statistics.median(t) * 1000:.1f}",
                f"**{r_best:.2f}**",
                f"{r_med:.2f}",
                verdict,
            ]
        )
    print(machine())
    print()
    print(f"{args.repeat} fresh processes of each, interleaved; wall time start to exit.")
    print()
    header = ["command", "ms (best)", "ms (median)", "ratio (best)", "ratio (median)", ""]
    print(table(header, rows))
    if args.importtime:
        for name in COMMANDS:
            print()
            print(f"Slowest imports of `{name}`:")
            print()
            print(importtime(name, 15))
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
