"""The ledger under hostile input: what the loader would refuse is refused when it is written,
concurrent writers lose nothing, edits and corruption are detected, values that defeat the checks
are bounded (issue: nothing lost, nothing silently wrong)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from gdsmodel.errors import GdsmodelError
from gdsmodel.standards.safety_tools import Ledger
from gdsmodel.standards.safety_tools.events import InvalidEvent

D = date


def _ready(lg: Ledger, serial: str = "GL-1", batch: str = "B7") -> None:
    lg.register(
        serial,
        kind="insulating_gloves",
        rating="high_voltage",
        on=D(2026, 1, 5),
        place="station",
        batch=batch,
    )
    lg.record_acceptance_test(serial, on=D(2026, 1, 6), tester="李四", passed=True)


# ----------------------------------------------------------------------------- 1: write = load

# (writer, keyword arguments that are right; the serial is GL-1, serviceable in store)
ON = D(2026, 2, 1)
WRITERS: dict[str, dict[str, Any]] = {
    "register": {"kind": "phase_checker", "on": ON, "rating": "", "maker": "m", "keeper": "k"},
    "record_test": {"on": ON, "tester": "李四", "passed": True, "note": ""},
    "issue": {"on": ON, "to": "王五", "by": ""},
    "record_check": {"on": ON, "by": "王五", "passed": True, "note": ""},
    "record_defect": {"on": ON, "description": "pinhole", "by": ""},
    "seal": {"on": ON, "reason": "pinhole", "by": ""},
    "scrap": {"on": ON, "reason": "aged", "by": ""},
    "move": {"on": ON, "keeper": "赵六", "place": "team-1", "by": ""},
}
BAD = {
    "on": ["2026-02-01", 20260201, None],
    "passed": ["yes", 1, 0, None, "True"],
    "tester": [1, None, ""],
    "to": [1, None, ""],
    "by": [1, None, b"x"],
    "note": [1, None],
    "description": [1, None, ""],
    "reason": [1, None, ""],
    "keeper": [1, ["x"]],
    "place": [1, ["x"]],
    "maker": [1, None],
    "kind": [1, None],
    "rating": [1],
}
CASES = [
    (writer, field, bad)
    for writer, good in WRITERS.items()
    for field in good
    for bad in BAD.get(field, [])
]


@pytest.mark.parametrize(("writer", "field", "bad"), CASES)
@pytest.mark.parametrize("suffix", [".json", ".sqlite"])
def test_every_writer_refuses_what_the_loader_would_refuse(
    tmp_path: Path, writer: str, field: str, bad: Any, suffix: str
) -> None:
    path = tmp_path / f"tools{suffix}"
    with Ledger.open(path) as lg:
        _ready(lg)
        serial = "NEW-1" if writer == "register" else "GL-1"
        before = lg.events
        with pytest.raises(GdsmodelError):
            getattr(lg, writer)(serial, **{**WRITERS[writer], field: bad})
        assert lg.events == before
    with Ledger.open(path) as again:  # the file still opens, unchanged
        assert again.events == before
        getattr(again, writer)(serial, **WRITERS[writer])  # and the right write goes through


@pytest.mark.parametrize("bad", ["yes", 1, None])
def test_acceptance_test_with_a_non_boolean_result_is_refused(tmp_path: Path, bad: Any) -> None:
    path = tmp_path / "tools.json"
    with Ledger.open(path) as lg:
        lg.register("GL-1", kind="insulating_gloves", rating="high_voltage", on=D(2026, 1, 5))
        with pytest.raises(InvalidEvent) as info:
            lg.record_acceptance_test("GL-1", on=D(2026, 1, 6), tester="李四", passed=bad)
        assert info.value.name == "passed" and info.value.value == bad
        assert "True or False" in str(info.value)
    assert len(Ledger.open(path)) == 1


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda lg: lg.recall_batch("B7", on=ON, reason=1), "reason"),
        (lambda lg: lg.recall_batch("B7", on="2026-02-01", reason="x"), "date"),
        (lambda lg: lg.return_tool("GL-1", on=ON, note=1), "note"),
        (lambda lg: lg.repair("GL-1", on=ON, description=None), "description"),
        (lambda lg: lg.record_test("GL-1", on=ON, tester="x", passed=True, values=[1]), "values"),
        (
            lambda lg: lg.record_test("GL-1", on=ON, tester="x", passed=True, next_due="2026-09"),
            "date",
        ),
    ],
)
def test_other_writers_and_options_refuse_bad_values(
    tmp_path: Path, call: Callable[[Ledger], Any], message: str
) -> None:
    path = tmp_path / "tools.sqlite"
    with Ledger.open(path) as lg:
        _ready(lg)
        with pytest.raises(GdsmodelError, match=message):
            call(lg)
    assert len(Ledger.open(path)) == 2


# ----------------------------------------------------------------------------- 2: many writers

APPEND = """
import sys, datetime
from gdsmodel.standards.safety_tools import Ledger
path, prefix, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
day = datetime.date(2026, 1, 5)
ledger = Ledger.open(path)
for i in range(count):
    serial = f"{prefix}{i:04d}"
    ledger.register(serial, kind="phase_checker", on=day)
    print(serial, flush=True)
"""

# Each command parsed and run as `gdsmodel tools register` runs it (the tools group alone, so
# that the loop does not depend on the other command groups).
CLI_LOOP = """
import argparse, sys
from gdsmodel.cli import tools
parser = argparse.ArgumentParser(prog="gdsmodel")
tools.register(parser.add_subparsers(dest="command", required=True))
path, prefix, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
for i in range(count):
    serial = f"{prefix}{i:03d}"
    args = parser.parse_args(["tools", "register", serial, "--kind", "phase_checker",
                              "--date", "2026-01-05", "--ledger", path])
    assert args.func(args) == 0
    sys.stdout.flush()
"""


def _run_together(script: str, path: Path, count: int, prefixes: str = "AB") -> list[str]:
    """Run ``script`` in one process per prefix at the same time; the lines each printed."""
    import subprocess
    import sys

    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(path), prefix, str(count)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for prefix in prefixes
    ]
    lines: list[str] = []
    for proc in procs:
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err
        assert "Traceback" not in err, err
        lines += out.splitlines()
    return lines


def test_two_processes_appending_to_one_json_ledger_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "tools.json"
    Ledger.open(path).close()
    path.chmod(0o640)
    acknowledged = _run_together(APPEND, path, 300)
    assert len(acknowledged) == 600
    with Ledger.open(path) as lg:
        assert sorted(lg.serials()) == sorted(acknowledged)
        assert lg.check() == ()
    assert path.stat().st_mode & 0o777 == 0o640  # the file kept its mode


def test_two_cli_loops_on_one_json_ledger_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "tools.json"
    printed = _run_together(CLI_LOOP, path, 30)
    registered = [line.split(":")[0] for line in printed if "registered" in line]
    assert len(registered) == 60
    with Ledger.open(path) as lg:
        assert sorted(lg.serials()) == sorted(registered)


def test_a_read_only_json_ledger_is_refused_not_replaced(tmp_path: Path) -> None:
    from gdsmodel.standards.safety_tools import StoreError

    path = tmp_path / "tools.json"
    with Ledger.open(path) as lg:
        _ready(lg)
    path.chmod(0o444)
    before = path.read_bytes()
    inode = path.stat().st_ino
    with Ledger.open(path) as lg, pytest.raises(StoreError, match="read-only"):
        lg.issue("GL-1", on=D(2026, 2, 1), to="王五")
    assert path.read_bytes() == before and path.stat().st_ino == inode
    assert path.stat().st_mode & 0o777 == 0o444
    assert len(Ledger.open(path)) == 2  # still readable


def test_a_json_ledger_replaced_behind_a_writer_is_refused(tmp_path: Path) -> None:
    from gdsmodel.standards.safety_tools import StoreError

    path = tmp_path / "tools.json"
    lg = Ledger.open(path)
    _ready(lg)
    other = Ledger()
    _ready(other, serial="GL-9")
    other.save(path, overwrite=True)
    with pytest.raises(StoreError, match="no longer holds"):
        lg.issue("GL-1", on=D(2026, 2, 1), to="王五")
    assert Ledger.open(path).serials() == ("GL-9",)
