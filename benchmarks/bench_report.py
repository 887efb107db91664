"""The monthly report near its I/O floor: load + build of a station folder against a plain
``csv.reader`` + ``Decimal`` pass over the same files, measured in the same run.

* (a) Station sizes x1, x10, x50: the example station (``gdsmodel generate-example``) with
  its registers scaled (every line, area, voltage point and outage copied k times under new
  IDs), ``build_report(folder, month)`` (loading, validation, every KPI, sections, the
  ledger) against the floor: each station file read with ``csv.reader`` and each numeric
  cell made a ``Decimal``. Goal: within 4x (issue: "the report near its I/O floor").
* (b) A station folder whose ``lines.csv`` is about 200 MB (the example's lines copied under
  new IDs): load + build in a fresh interpreter, wall and CPU time and peak resident memory
  (``ru_maxrss``), against a plain ``csv.reader`` pass over the same file in a fresh
  interpreter, in the same run. Goals: under 60 s, peak memory under 3x the file size (also
  shown: the peak above the ``csv.reader`` pass's, per byte of the file).

The folders are written into a temporary directory (never committed).

Run (from the project root)::

    .venv/bin/python benchmarks/bench_report.py                      # (a) and (b), 200 MB
    .venv/bin/python benchmarks/bench_report.py --sizes 1 10 --big-mb 20   # a quick run
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import ROOT, interleaved, machine, run_worker, summary, table

sys.path.insert(0, str(ROOT / "src"))

MONTH = "2026-03"
CORE = (
    "lines",
    "areas",
    "billing",
    "outages",
    "voltage",
    "tickets",
    "rcd",
    "equipment",
    "checks",
)


def _example(dst: Path) -> Path:
    from gdsmodel.report import generate_station

    generate_station(dst)
    return dst


def _rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def _write(path: Path, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def _copy(row: Sequence[str], at: Sequence[int], j: int) -> list[str]:
    """Copy ``j`` of a row: for j > 0 every ID column (positions ``at``) gets ``~j``."""
    r = list(row)
    if j:
        for i in at:
            if r[i]:
                r[i] = f"{r[i]}~{j}"
    return r


def _copies(
    row: Sequence[str], header: Sequence[str], ids: Sequence[str], k: int
) -> list[list[str]]:
    """``k`` copies of a row (:func:`_copy` 0 .. k-1)."""
    at = [header.index(c) for c in ids if c in header]
    return [_copy(row, at, j) for j in range(k)]


_IDS = {
    "lines": ("line",),
    "areas": ("area", "line"),
    "billing": ("area",),
    "rcd": ("area",),
    "outages": ("id", "line", "area"),
    "voltage": ("point",),
}


def scaled_station(src: Path, dst: Path, k: int) -> Path:
    """The station of ``src`` with its registers scaled ``k`` times (core files only)."""
    dst.mkdir(parents=True)
    for name in ("station.toml", "safety_tools.json"):
        shutil.copy(src / name, dst / name)
    for stem in CORE:
        header, rows = _rows(src / f"{stem}.csv")
        ids = _IDS.get(stem)
        out = rows if ids is None else [c for r in rows for c in _copies(r, header, ids, k)]
        _write(dst / f"{stem}.csv", header, out)
    return dst


def big_lines_station(src: Path, dst: Path, megabytes: float) -> Path:
    """The example station with a ``lines.csv`` of about ``megabytes`` MB (lines copied)."""
    dst.mkdir(parents=True)
    for name in ("station.toml", "safety_tools.json"):
        shutil.copy(src / name, dst / name)
    for stem in CORE:
        if stem != "lines":
            shutil.copy(src / f"{stem}.csv", dst / f"{stem}.csv")
    header, rows = _rows(src / "lines.csv")
    target = int(megabytes * 1_000_000)
    with (dst / "lines.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        at = [header.index("line")]
        j = 0
        while f.tell() < target:
            w.writerows(_copy(r, at, j) for r in rows)
            j += 1
    return dst


def _numeric(stem: str) -> set[str]:
    from gdsmodel.report import schema
    from gdsmodel.report.columns import ColumnKind

    kinds = (ColumnKind.COUNT, ColumnKind.NUMBER, ColumnKind.YUAN)
    return {c.name for c in schema(stem).columns if c.kind in kinds}


def floor(folder: Path, numeric: dict[str, set[str]]) -> int:
    """The floor: every station file through ``csv.reader``, each numeric cell a Decimal."""
    n = 0
    for stem in CORE:
        path = folder / f"{stem}.csv"
        with path.open(encoding="utf-8-sig", newline="") as f:
            reader = csv.reader(f)
            header = next(reader)
            at = [i for i, h in enumerate(header) if h in numeric[stem]]
            for row in reader:
                for i in at:
                    if row[i]:
                        Decimal(row[i])
                n += 1
    return n


def gdsmodel_side(folder: Path) -> Callable[[], Any]:
    from gdsmodel.report import build_report

    def run() -> Any:
        report = build_report(folder, MONTH)
        assert not report.errors, [str(e) for e in report.errors[:3]]
        return report

    return run


def part_a(sizes: Sequence[int], repeat: int, work: Path) -> list[list[Any]]:
    src = _example(work / "example")
    numeric = {stem: _numeric(stem) for stem in CORE}
    rows = []
    for k in sizes:
        folder = scaled_station(src, work / f"x{k}", k)
        n = floor(folder, numeric)
        mb = sum((folder / f"{s}.csv").stat().st_size for s in CORE) / 1e6
        times = interleaved(
            {"gdsmodel": gdsmodel_side(folder), "floor": lambda f=folder: floor(f, numeric)},
            repeat=repeat if k < 50 else max(3, repeat // 2),
        )
        g, b = summary(times["gdsmodel"]), summary(times["floor"])
        rows.append(
            [
                f"x{k}",
                f"{n:,}",
                f"{mb:.1f}",
                f"{g['min']:.3f} / {g['median']:.3f}",
                f"{b['min']:.4f} / {b['median']:.4f}",
                f"{g['min'] / b['min']:.1f}",
                f"{g['median'] / b['median']:.1f}",
                f"{g['cpu_min'] / b['cpu_min']:.1f}",
            ]
        )
        print(table(HEADER_A, rows[-1:]), flush=True)
    return rows


HEADER_A = [
    "station",
    "rows",
    "MB",
    "gdsmodel s (min / median)",
    "floor s (min / median)",
    "ratio (min)",
    "ratio (median)",
    "ratio (CPU, min)",
]


def worker(side: str, folder: str) -> None:
    """One side of (b) in a fresh interpreter: prints wall seconds and peak RSS (MiB)."""
    t0 = time.perf_counter()
    path = Path(folder)
    if side == "gdsmodel":
        from gdsmodel.report import build_report

        report = build_report(path, MONTH)
        extra = {"errors": len(report.errors), "lines": len(report.lines)}
    else:
        n = 0
        with (path / "lines.csv").open(encoding="utf-8-sig", newline="") as f:
            for _ in csv.reader(f):
                n += 1
        extra = {"rows": n}
    wall = time.perf_counter() - t0
    usage = resource.getrusage(resource.RUSAGE_SELF)
    peak = usage.ru_maxrss / 1024
    cpu = usage.ru_utime + usage.ru_stime
    print(json.dumps({"wall": wall, "cpu": cpu, "peak_mib": peak, **extra}))


def part_b(megabytes: float, work: Path) -> list[list[Any]]:
    src = work / "example"
    if not src.exists():
        _example(src)
    folder = big_lines_station(src, work / "big", megabytes)
    size = (folder / "lines.csv").stat().st_size
    script = Path(__file__).resolve()
    floor_run = run_worker(script, ["floor", str(folder)])
    ours = run_worker(script, ["gdsmodel", str(folder)], timeout=7200)
    size_mib = size / 2**20
    assert ours["errors"] == 0, ours
    return [
        [
            f"{size / 1e6:.0f} MB lines.csv ({floor_run['rows'] - 1:,} rows)",
            f"{ours['wall']:.1f} / {ours['cpu']:.1f}",
            f"{floor_run['wall']:.1f} / {floor_run['cpu']:.1f}",
            f"{ours['wall'] / floor_run['wall']:.1f}",
            f"{ours['peak_mib']:.0f}",
            f"{floor_run['peak_mib']:.0f}",
            f"{ours['peak_mib'] / size_mib:.2f}",
            f"{(ours['peak_mib'] - floor_run['peak_mib']) / size_mib:.2f}",
        ]
    ]


HEADER_B = [
    "folder",
    "gdsmodel s (wall / CPU)",
    "csv.reader s (wall / CPU)",
    "ratio (wall)",
    "gdsmodel peak MiB",
    "csv.reader peak MiB",
    "gdsmodel peak / file size",
    "(gdsmodel - csv.reader peak) / file size",
]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print its tables."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", type=int, nargs="*", default=[1, 10, 50])
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--big-mb", type=float, default=200.0, help="size of lines.csv in (b); 0: skip")
    p.add_argument("--worker", nargs=2, metavar=("SIDE", "FOLDER"), help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.worker:
        worker(*args.worker)
        return 0
    print(machine(), flush=True)
    with tempfile.TemporaryDirectory(prefix="gdsmodel-bench-report-") as tmp:
        work = Path(tmp)
        if args.sizes:
            rows = part_a(args.sizes, args.repeat, work)
            print("\n(a) load + build against csv.reader + Decimal of the same files\n")
            print(table(HEADER_A, rows))
        if args.big_mb:
            rows_b = part_b(args.big_mb, work)
            print("\n(b) a station folder with a big lines.csv (fresh interpreters)\n")
            print(table(HEADER_B, rows_b))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
