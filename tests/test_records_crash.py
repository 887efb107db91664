"""Records survive a crash: a writer is killed (SIGKILL) in the middle of its moves, and the
book then opens cleanly with every move it reported, its records still the replay of them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from gdsmodel.standards.records.book import RecordBook

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")

WRITER = """
import sys, datetime
from gdsmodel.standards.records.book import RecordBook
path, count = sys.argv[1], int(sys.argv[2])
day = datetime.date(2026, 3, 2)
book = RecordBook.open(path)
for i in range(count):
    rid = f"D{i:05d}"
    book.add("defect", rid, "find", day, {"class": "ordinary", "equipment": "T",
             "found_on": "patrol", "description": "x"})
    print(len(book.events()), rid, flush=True)
    book.add("defect", rid, "handle", day, {"handling": "ok"})
    print(len(book.events()), rid, flush=True)
"""


def _run_and_kill(path: Path, count: int, kill_after: int) -> list[tuple[int, str]]:
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), str(count)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert proc.stdout is not None
    reports: list[tuple[int, str]] = []
    try:
        for line in proc.stdout:
            seq, rid = line.split()
            reports.append((int(seq), rid))
            if len(reports) >= kill_after:
                proc.send_signal(signal.SIGKILL)
                break
        rest, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:  # pragma: no cover - only when something above failed
            proc.kill()
            proc.wait()
    reports += [(int(s), r) for s, r in (x.split() for x in rest.splitlines() if x.strip())]
    assert proc.returncode == -signal.SIGKILL, err
    return reports


@pytest.mark.parametrize(("name", "count", "kill"), [("records.sqlite", 3000, 1200),
                                                     ("records.json", 400, 150)])  # fmt: skip
def test_a_killed_writer_loses_no_reported_move(
    tmp_path: Path, name: str, count: int, kill: int
) -> None:
    path = tmp_path / name
    reports = _run_and_kill(path, count, kill)
    assert len(reports) < 2 * count
    book = RecordBook.open(path)  # replays every stored move through the rules
    events = book.events()
    assert [seq for seq, _ in reports] == list(range(1, len(reports) + 1))
    for seq, rid in reports:
        assert events[seq - 1].record == rid
    assert len(reports) <= len(events) <= len(reports) + 1
    assert book.integrity() == "ok"
    book.add("defect", "AFTER", "find", date(2026, 3, 3), {"class": "major", "equipment": "T",
             "found_on": "test", "description": "x"})  # fmt: skip
    book.close()
    assert RecordBook.open(path).events()[-1].record == "AFTER"
