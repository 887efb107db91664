"""Helpers shared by the benchmark scripts: timing, peak memory and report tables.

Benchmarks are scripts, not tests: they print a Markdown table and can write JSON. Ratios are
always measured in the same run, with the two sides interleaved, so that a busy machine slows
both sides alike; the best (minimum) time of each side is the figure least disturbed by other
work, the median is shown too.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def peak_rss_mb() -> float:
    """Peak resident memory of this process since the last :func:`reset_peak`, in MiB."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 if sys.platform != "darwin" else peak / 2**20


def rss_mb() -> float:
    """Resident memory of this process now, in MiB (Linux; else the peak)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return peak_rss_mb()


def reset_peak() -> bool:
    """Reset the peak resident memory to the current one (Linux: /proc/self/clear_refs)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def interleaved(
    sides: dict[str, Callable[[], Any]], repeat: int, warmup: int = 1
) -> dict[str, dict[str, list[float]]]:
    """Wall and CPU times of each side, run in turn ``repeat`` times after ``warmup`` runs.

    CPU time is the process's time on every core (all the engine's threads): it is less
    disturbed than wall time by other work on a shared machine.
    """
    for _ in range(warmup):
        for fn in sides.values():
            fn()
    times: dict[str, dict[str, list[float]]] = {n: {"wall": [], "cpu": []} for n in sides}
    names = list(sides)
    for i in range(repeat):
        order = names if i % 2 == 0 else names[::-1]  # alternate who goes first
        for name in order:
            c0, t0 = time.process_time(), time.perf_counter()
            sides[name]()
            times[name]["wall"].append(time.perf_counter() - t0)
            times[name]["cpu"].append(time.process_time() - c0)
    return times


def summary(times: dict[str, list[float]]) -> dict[str, float]:
    wall, cpu = times["wall"], times["cpu"]
    return {
        "min": min(wall),
        "median": statistics.median(wall),
        "cpu_min": min(cpu),
        "cpu_median": statistics.median(cpu),
        "runs": len(wall),
    }


def run_worker(script: Path, args: Sequence[str], timeout: float = 3600) -> dict[str, Any]:
    """Run ``script --worker ...`` in a fresh interpreter and read its JSON line."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.run(
        [sys.executable, str(script), "--worker", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"worker {args} failed:\n{proc.stderr[-4000:]}")
    line = proc.stdout.strip().splitlines()[-1]
    result: dict[str, Any] = json.loads(line)
    return result


def machine() -> str:
    """One line about the machine and the library versions, for the report."""
    import importlib.metadata as md

    versions = []
    for name in ("polars", "duckdb", "narwhals", "pandas", "pyarrow", "cattrs", "attrs"):
        with contextlib.suppress(md.PackageNotFoundError):
            versions.append(f"{name} {md.version(name)}")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, load {load:.1f}; " + ", ".join(versions)
    )


def table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)
