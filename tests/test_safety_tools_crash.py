"""Nothing committed is lost on a crash: a writer process is killed (SIGKILL) in the middle of
thousands of writes, and the ledger file then opens cleanly with every event it reported."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from gdsmodel.standards.safety_tools import Ledger

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")

# The writer registers and tests tools one after another. After each operation returns (its
# transaction committed) it prints the ledger's event count and the serial, and flushes.
WRITER = """
import sys, datetime
from gdsmodel.standards.safety_tools import Ledger
path, count = sys.argv[1], int(sys.argv[2])
day = datetime.date(2026, 1, 5)
ledger = Ledger.open(path)
for i in range(count):
    serial = f"T{i:05d}"
    ledger.register(serial, kind="phase_checker", on=day, batch=f"B{i % 7}", place="station")
    print(len(ledger), serial, flush=True)
    ledger.record_acceptance_test(serial, on=day, tester="t", passed=True)
    print(len(ledger), serial, flush=True)
"""


def _run_and_kill(path: Path, tools: int, kill_after: int) -> list[tuple[int, str]]:
    """Start the writer, kill it after it reported ``kill_after`` commits; return all reports."""
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), str(tools)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert proc.stdout is not None
    reports: list[tuple[int, str]] = []
    try:
        for line in proc.stdout:
            seq, serial = line.split()
            reports.append((int(seq), serial))
            if len(reports) >= kill_after:
                proc.send_signal(signal.SIGKILL)
                break
        rest, err = proc.communicate(timeout=30)  # lines flushed before the kill
    finally:
        if proc.poll() is None:  # pragma: no cover - only when something above failed
            proc.kill()
            proc.wait()
    for line in rest.splitlines():
        if line.strip():
            seq, serial = line.split()
            reports.append((int(seq), serial))
    assert proc.returncode == -signal.SIGKILL, err  # it was killed, it did not finish
    return reports


def _check_reports(ledger: Ledger, reports: list[tuple[int, str]]) -> None:
    events = ledger.events
    assert reports, "the writer reported nothing"
    assert [seq for seq, _ in reports] == list(range(1, len(reports) + 1))
    for seq, serial in reports:  # every reported commit is there, in its place
        assert events[seq - 1].serial == serial
    # at most one operation committed without being reported (killed between commit and print)
    assert len(reports) <= len(events) <= len(reports) + 1


def test_sqlite_ledger_survives_sigkill_mid_write(tmp_path: Path) -> None:
    path = tmp_path / "tools.sqlite"
    reports = _run_and_kill(path, tools=10_000, kill_after=2_500)
    assert len(reports) < 20_000  # killed in the middle of the writes
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    with Ledger.open(path) as ledger:  # opens cleanly; every stored event obeys the rules
        _check_reports(ledger, reports)
        assert ledger.check() == ()
        # and the ledger carries on where the writer stopped
        ledger.register("AFTER", kind="phase_checker", on=date(2026, 1, 6))
        count = len(ledger)
    with Ledger.open(path) as again:
        assert len(again) == count and again.events[-1].serial == "AFTER"


def test_json_ledger_survives_sigkill_mid_write(tmp_path: Path) -> None:
    path = tmp_path / "tools.json"
    reports = _run_and_kill(path, tools=1_000, kill_after=300)
    assert len(reports) < 2_000
    with Ledger.open(path) as ledger:  # never a torn file: the old or the new one
        _check_reports(ledger, reports)
    leftovers = [
        p.name for p in tmp_path.iterdir() if p.name not in ("tools.json", "tools.json.lock")
    ]
    assert all(name.startswith(".tools.json.") for name in leftovers)  # at most a stray temp file
    with Ledger.open(path) as ledger:  # the killed writer's lock went with it
        ledger.register("AFTER", kind="phase_checker", on=date(2026, 1, 6))
