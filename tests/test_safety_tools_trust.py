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


# ----------------------------------------------------------------------------- 3: evidence

import json  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import sqlite3  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402

from gdsmodel.errors import DataFileError  # noqa: E402
from gdsmodel.standards.safety_tools import DiscrepancyKind, StoreError  # noqa: E402
from gdsmodel.standards.safety_tools.chain import ChainBroken  # noqa: E402
from gdsmodel.standards.safety_tools.store import SqliteStore, open_store  # noqa: E402

DUE = b'"next_due": "2026-07-06"'
LATER = b'"next_due": "2029-07-06"'


def _three(lg: Ledger) -> None:
    _ready(lg)  # events 1 and 2: the second writes the label due 2026-07-06
    lg.issue("GL-1", on=D(2026, 2, 1), to="王五")


def _flip(path: Path, old: bytes, new: bytes) -> None:
    data = path.read_bytes()
    assert data.count(old) == 1, "the bytes to change are in the file once"
    path.write_bytes(data.replace(old, new))


def _tools_cli(*args: str) -> subprocess.CompletedProcess[str]:
    code = (
        "import argparse, sys\n"
        "from gdsmodel.cli import tools\n"
        "import gdsmodel.cli as cli\n"
        "p = argparse.ArgumentParser(prog='gdsmodel')\n"
        "tools.register(p.add_subparsers(dest='command', required=True))\n"
        "cli.build_parser = lambda: p\n"
        "sys.exit(cli.main(sys.argv[1:]))\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code, "tools", *args], capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("suffix", [".json", ".sqlite"])
def test_a_flipped_byte_is_found_at_its_event(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"tools{suffix}"
    with Ledger.open(path) as lg:
        _three(lg)
    _flip(path, DUE, LATER)  # the label date moved three years on: still a valid event
    with pytest.raises(ChainBroken) as info:
        Ledger.open(path)
    assert info.value.seq == 2 and info.value.file == str(path)
    assert info.value.path in ("events[1]", "events[seq=2]")
    assert "event 2 does not match its stored hash" in str(info.value)
    assert "every event from 2 on" in str(info.value)
    store = open_store(path, create=False)
    assert "event 2 does not match" in store.integrity()
    store.close()
    result = _tools_cli("check", "--ledger", str(path))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "event 2 does not match its stored hash" in result.stderr


def test_check_reports_a_chain_broken_behind_an_open_ledger(tmp_path: Path) -> None:
    path = tmp_path / "tools.sqlite"
    lg = Ledger.open(path)
    _three(lg)
    con = sqlite3.connect(path)
    con.execute("UPDATE events SET data = replace(data, '2026-07-06', '2029-07-06') WHERE seq = 2")
    con.commit()
    con.close()
    found = lg.check()
    assert [d.kind for d in found] == [DiscrepancyKind.CHAIN_BROKEN]
    assert "event 2" in found[0].detail
    lg.close()


def test_an_event_taken_out_of_a_json_ledger_breaks_the_chain_there(tmp_path: Path) -> None:
    path = tmp_path / "tools.json"
    with Ledger.open(path) as lg:
        _three(lg)
        lg.return_tool("GL-1", on=D(2026, 2, 2))
        lg.register("GL-2", kind="phase_checker", on=D(2026, 2, 3))
    data = json.loads(path.read_text(encoding="utf-8"))
    del data["events"][2:4]  # issue and return: the rest still obeys the rules
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ChainBroken) as info:
        Ledger.open(path)
    assert info.value.seq == 3


def test_an_edit_that_breaks_the_rules_says_so_and_names_the_chain(tmp_path: Path) -> None:
    path = tmp_path / "tools.json"
    with Ledger.open(path) as lg:
        _three(lg)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"GL-1"', '"ES-1"', 1), encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        Ledger.open(path)
    assert info.value.path == "events[1]"
    assert "event 2 breaks the ledger rules" in info.value.message
    assert "event 1 does not match its stored hash" in info.value.message


def _legacy_json(path: Path, lg: Ledger) -> None:
    from gdsmodel.standards.safety_tools import event_to_dict

    data = {
        "format": "gdsmodel-safety-tools-ledger",
        "version": 1,
        "events": [event_to_dict(e) for e in lg.events],
    }
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


def _legacy_sqlite(path: Path, lg: Ledger) -> None:
    from gdsmodel.standards.safety_tools import event_to_dict

    con = sqlite3.connect(path)
    con.executescript(
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
        "CREATE TABLE events (seq INTEGER PRIMARY KEY, serial TEXT NOT NULL, type TEXT NOT NULL,"
        " on_date TEXT NOT NULL, data TEXT NOT NULL);"
        "INSERT INTO meta VALUES ('format', 'gdsmodel-safety-tools-ledger'), ('version', '1');"
    )
    con.executemany(
        "INSERT INTO events VALUES (?, ?, ?, ?, ?)",
        [
            (i, e.serial, e.TYPE, e.on.isoformat(), json.dumps(event_to_dict(e), sort_keys=True))
            for i, e in enumerate(lg.events, start=1)
        ],
    )
    con.commit()
    con.close()


@pytest.mark.parametrize(
    ("suffix", "write"), [(".json", _legacy_json), (".sqlite", _legacy_sqlite)]
)
def test_a_ledger_from_before_the_chain_opens_and_is_chained_on_its_first_write(
    tmp_path: Path, suffix: str, write: Callable[[Path, Ledger], None]
) -> None:
    path = tmp_path / f"old{suffix}"
    mem = Ledger()
    _three(mem)
    write(path, mem)
    with Ledger.open(path) as lg:  # read as it is: no hashes to check
        assert lg.events == mem.events and lg.check() == ()
        lg.return_tool("GL-1", on=D(2026, 2, 2))  # the first write chains every event
    with Ledger.open(path) as lg:
        assert len(lg) == 4 and lg.check() == ()
    _flip(path, DUE, LATER)
    with pytest.raises(ChainBroken) as info:  # an old event edited after the migration
        Ledger.open(path)
    assert info.value.seq == 2


def test_an_empty_sqlite_file_is_refused_not_made_a_ledger(tmp_path: Path) -> None:
    path = tmp_path / "tools.sqlite"
    path.touch()
    with pytest.raises(DataFileError, match="0 bytes"):
        Ledger.open(path)
    assert path.stat().st_size == 0  # untouched, not initialised
    result = _tools_cli("register", "X-1", "--kind", "phase_checker", "--ledger", str(path))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "0 bytes" in result.stderr and path.stat().st_size == 0


def test_a_new_sqlite_ledger_is_never_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "tools.sqlite"
    store = SqliteStore(path)
    assert path.stat().st_size > 0 and store.load() == []
    store.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tools.sqlite"]  # nothing left aside


def test_two_processes_appending_to_one_new_sqlite_ledger_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "tools.sqlite"  # created by whichever process comes first
    acknowledged = _run_together(APPEND, path, 150)
    with Ledger.open(path) as lg:
        assert sorted(lg.serials()) == sorted(acknowledged) and len(acknowledged) == 300
        assert lg.check() == ()


READ_ONLY = """
import sys
from gdsmodel.standards.safety_tools import Ledger, StoreError
import datetime
with Ledger.open(sys.argv[1], create=False) as lg:
    print(len(lg), ",".join(lg.serials()), len(lg.check()))
    try:
        lg.return_tool("GL-1", on=datetime.date(2026, 3, 1))
    except StoreError as exc:
        print("refused:", exc)
"""


def _run_without_write_rights(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``script`` as a process that the file permissions bind (root ignores them: it runs
    without the capability to override them)."""
    command = [sys.executable, "-c", script, *args]
    if os.geteuid() == 0:
        capsh = shutil.which("capsh")
        if capsh is None:
            pytest.skip("running as root without capsh: cannot make a folder read-only to root")
        import shlex

        command = [capsh, "--drop=cap_dac_override", "--", "-c", shlex.join(command)]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("suffix", [".json", ".sqlite"])
def test_a_ledger_in_a_read_only_folder_is_readable(tmp_path: Path, suffix: str) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / f"tools{suffix}"
    with Ledger.open(path) as lg:
        _three(lg)
    before = sorted(p.name for p in folder.iterdir())
    folder.chmod(0o555)
    try:
        result = _run_without_write_rights(READ_ONLY, str(path))
    finally:
        folder.chmod(0o755)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "3 GL-1 0"
    assert lines[1].startswith("refused:") and str(path) in lines[1]
    assert sorted(p.name for p in folder.iterdir()) == before
    assert len(Ledger.open(path)) == 3


def test_a_read_only_sqlite_file_opens_read_only(tmp_path: Path) -> None:
    path = tmp_path / "tools.sqlite"
    with Ledger.open(path) as lg:
        _three(lg)
    path.chmod(0o444)
    with Ledger.open(path) as lg:
        assert len(lg) == 3 and lg.check() == ()
        with pytest.raises(StoreError, match="read-only"):
            lg.return_tool("GL-1", on=D(2026, 2, 2))
    path.chmod(0o644)


# ----------------------------------------------------------------------------- 4: bounds


def test_a_label_date_beyond_the_interval_needs_a_reason() -> None:
    from gdsmodel.errors import InputError

    lg = Ledger()
    lg.register("GL-1", kind="insulating_gloves", rating="high_voltage", on=D(2026, 1, 5))
    with pytest.raises(InputError, match="interval") as info:  # fifty years on a 6-month tool
        lg.record_acceptance_test(
            "GL-1", on=D(2026, 1, 6), tester="李四", passed=True, next_due=D(2076, 1, 6)
        )
    assert info.value.name == "next_due" and "2026-07-06" in info.value.allowed
    assert len(lg) == 1
    # the interval itself, or less, needs no reason (6 months: 2026-07-06)
    lg.record_acceptance_test(
        "GL-1", on=D(2026, 1, 6), tester="李四", passed=True, next_due=D(2026, 7, 6)
    )
    with pytest.raises(InputError, match="interval"):  # one day more does
        lg.record_test("GL-1", on=D(2026, 1, 7), tester="李四", passed=True, next_due=D(2026, 7, 8))
    s = lg.record_test(
        "GL-1",
        on=D(2026, 1, 7),
        tester="李四",
        passed=True,
        next_due=D(2026, 9, 30),
        next_due_reason="test lab closed in July; county order 2026-3",
    )
    assert s.due == D(2026, 9, 30)
    assert lg.events[-1].next_due_reason == "test lab closed in July; county order 2026-3"


def test_the_reason_is_stored_with_the_event_and_only_when_given(tmp_path: Path) -> None:
    path = tmp_path / "tools.json"
    with Ledger.open(path) as lg:
        _ready(lg)
        lg.record_test(
            "GL-1", on=D(2026, 2, 1), tester="x", passed=True, next_due=D(2027, 2, 1),
            next_due_reason="extended by the county",
        )  # fmt: skip
    data = json.loads(path.read_text(encoding="utf-8"))
    assert "next_due_reason" not in data["events"][1]
    assert data["events"][2]["next_due_reason"] == "extended by the county"
    assert Ledger.open(path).events[2].next_due_reason == "extended by the county"
    other = Ledger()
    other.register("X", kind="phase_checker", on=D(2026, 1, 1))
    with pytest.raises(GdsmodelError, match="failed test writes no label"):
        other.record_acceptance_test(
            "X", on=D(2026, 1, 2), tester="x", passed=False, next_due_reason="why"
        )


@pytest.mark.parametrize("day", [D(9999, 12, 31), D(1, 1, 1), D(1899, 12, 31), D(2200, 1, 1)])
def test_dates_out_of_the_sane_range_get_a_typed_error(day: date) -> None:
    from gdsmodel.errors import InputError
    from gdsmodel.standards.safety_tools.events import DATE_RANGE

    lg = Ledger()
    _ready(lg)
    calls: list[Callable[[], Any]] = [
        lambda: lg.record_test("GL-1", on=day, tester="x", passed=True),
        lambda: lg.record_acceptance_test("GL-1", on=day, tester="x", passed=True),
        lambda: lg.register("N-1", kind="phase_checker", on=day),
        lambda: lg.register("N-1", kind="phase_checker", on=D(2026, 1, 1), purchased=day),
        lambda: lg.issue("GL-1", on=day, to="x"),
        lambda: lg.record_test("GL-1", on=D(2026, 2, 1), tester="x", passed=True, next_due=day),
    ]
    for call in calls:
        with pytest.raises(InputError) as info:
            call()
        assert DATE_RANGE[1].isoformat() in info.value.allowed
    assert len(lg) == 2
    first, last = DATE_RANGE
    assert (first, last) == (D(1900, 1, 1), D(2199, 12, 31))
    lg.register("EDGE", kind="phase_checker", on=last)  # the last day itself is allowed


def test_a_test_dated_9999_on_the_command_line_is_a_typed_error(tmp_path: Path) -> None:
    path = tmp_path / "tools.sqlite"
    with Ledger.open(path) as lg:
        _ready(lg)
    result = _tools_cli(
        "test", "GL-1", "--tester", "x", "--result", "pass", "--date", "9999-12-31",
        "--ledger", str(path),
    )  # fmt: skip
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "2199-12-31" in result.stderr
    result = _tools_cli(
        "test", "GL-1", "--tester", "x", "--result", "pass", "--date", "2026-02-01",
        "--next-due", "2076-02-01", "--ledger", str(path),
    )  # fmt: skip
    assert result.returncode == 1 and "interval" in result.stderr
    result = _tools_cli(
        "test", "GL-1", "--tester", "x", "--result", "pass", "--date", "2026-02-01",
        "--next-due", "2027-02-01", "--next-due-reason", "county order", "--ledger", str(path),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert Ledger.open(path).state("GL-1").due == D(2027, 2, 1)


def test_add_interval_past_the_last_year_is_a_typed_error() -> None:
    import pendulum

    from gdsmodel.errors import InputError
    from gdsmodel.standards.safety_tools import add_interval

    with pytest.raises(InputError, match="last year"):
        add_interval(D(9999, 12, 31), pendulum.duration(months=6))


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Café", "Cafe\u0301"),  # NFC and NFD
        ("ＧＬ－１", "GL-1"),  # full-width and ASCII
        ("GL-1", "ＧＬ－１"),
        ("Ⅻ-3", "XII-3"),  # a compatibility numeral
    ],
)
def test_serials_that_differ_only_by_unicode_form_are_one_tool(
    tmp_path: Path, first: str, second: str
) -> None:
    from gdsmodel.standards.safety_tools import DuplicateSerial, Sighting

    path = tmp_path / "tools.json"
    with Ledger.open(path) as lg:
        lg.register(first, kind="phase_checker", on=D(2026, 1, 5), batch="Ｂ７")
        with pytest.raises(DuplicateSerial):
            lg.register(second, kind="phase_checker", on=D(2026, 1, 5))
        assert len(lg.serials()) == 1
        # every look-up and writer takes either form
        assert lg.state(second).serial == lg.state(first).serial
        lg.record_acceptance_test(second, on=D(2026, 1, 6), tester="x", passed=True)
        assert lg.card(first).state.condition.value == "serviceable"
        assert len(lg.card(second).history) == 2
        assert lg.allowed(second, on=D(2026, 1, 7))
        lg.issue(second, on=D(2026, 1, 7), to="王五")
        lg.return_tool(first, on=D(2026, 1, 7))
        assert [s.serial for s in lg.recall_batch("B7", on=D(2026, 1, 8), reason="x")] == [
            lg.serials()[0]
        ]
        assert Sighting(serial=second).serial == lg.serials()[0]
        assert [d.kind.value for d in lg.check([Sighting(serial=second, place="")])] == []
    assert Ledger.open(path).serials() == lg.serials()


# ----------------------------------------------------------------------------- 5: one writer

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from gdsmodel.standards.safety_tools import (  # noqa: E402
    EVENT_TYPES,
    InvalidOperation,
    Sighting,
    TestPurpose,
    queries,
)
from gdsmodel.standards.safety_tools.events import (  # noqa: E402
    Checked,
    DefectFound,
    Issued,
    Moved,
    Recalled,
    Registered,
    Repaired,
    Returned,
    Scrapped,
    Sealed,
    Tested,
)


def _life(lg: Ledger, record: bool) -> None:
    """The same life of two tools, through ``record`` or through the named writers."""
    d = D
    reg = {"kind": "insulating_gloves", "rating": "high_voltage", "place": "station"}
    if record:
        lg.record(Registered(serial="A", on=d(2026, 1, 5), batch="A", **reg))
        lg.record(Registered(serial="B", on=d(2026, 1, 5), batch="B", **reg))
        for s in ("A", "B"):
            lg.record(
                Tested(
                    serial=s,
                    on=d(2026, 1, 6),
                    purpose=TestPurpose.ACCEPTANCE,
                    tester="李四",
                    passed=True,
                    next_due=d(2026, 7, 6),
                )
            )
        lg.record(Issued(serial="A", on=d(2026, 2, 1), to="王五"))
        lg.record(Checked(serial="A", on=d(2026, 2, 1), by="王五", passed=True))
        lg.record(Returned(serial="A", on=d(2026, 2, 2)))
        lg.record(DefectFound(serial="A", on=d(2026, 2, 3), description="pinhole"))
        lg.record(Sealed(serial="A", on=d(2026, 2, 3), reason="pinhole"))
        lg.record(Repaired(serial="A", on=d(2026, 2, 9), description="patched"))
        lg.record(Moved(serial="B", on=d(2026, 2, 9), keeper="赵六", place="vehicle-1"))
        lg.record(Recalled(serial="B", on=d(2026, 2, 10), batch="B", reason="seam"))
        lg.record(Scrapped(serial="B", on=d(2026, 2, 11), reason="seam"))
    else:
        lg.register("A", on=d(2026, 1, 5), batch="A", **reg)
        lg.register("B", on=d(2026, 1, 5), batch="B", **reg)
        for s in ("A", "B"):
            lg.record_acceptance_test(s, on=d(2026, 1, 6), tester="李四", passed=True)
        lg.issue("A", on=d(2026, 2, 1), to="王五")
        lg.record_check("A", on=d(2026, 2, 1), by="王五", passed=True)
        lg.return_tool("A", on=d(2026, 2, 2))
        lg.record_defect("A", on=d(2026, 2, 3), description="pinhole")
        lg.seal("A", on=d(2026, 2, 3), reason="pinhole")
        lg.repair("A", on=d(2026, 2, 9), description="patched")
        lg.move("B", on=d(2026, 2, 9), keeper="赵六", place="vehicle-1")
        lg.recall_batch("B", on=d(2026, 2, 10), reason="seam")
        lg.scrap("B", on=d(2026, 2, 11), reason="seam")


def test_record_takes_every_event_type_as_the_named_writers_write_it(tmp_path: Path) -> None:
    with Ledger.open(tmp_path / "a.sqlite") as by_record:
        _life(by_record, record=True)
    named = Ledger()
    _life(named, record=False)
    assert by_record.events == named.events
    assert {e.TYPE for e in named.events} == set(EVENT_TYPES)
    assert Ledger.open(tmp_path / "a.sqlite").tools() == named.tools()


def test_record_refuses_what_the_writers_refuse() -> None:
    from gdsmodel.errors import InputError, NotFoundError

    lg = Ledger()
    _ready(lg)
    with pytest.raises(InvalidEvent, match="not a ledger event"):
        lg.record({"type": "issued", "serial": "GL-1"})  # type: ignore[arg-type]
    with pytest.raises(NotFoundError, match="known: GL-1"):
        lg.record(Issued(serial="GL-9", on=D(2026, 2, 1), to="x"))
    with pytest.raises(NotFoundError, match="kind"):
        lg.record(Registered(serial="N", on=D(2026, 2, 1), kind="flying_carpet"))
    with pytest.raises(InputError, match="manufacture"):  # a helmet's life counts from it
        lg.record(Registered(serial="H", on=D(2026, 2, 1), kind="safety_helmet", rating="plastic"))
    with pytest.raises(InputError, match="periodic"):  # a serviceable tool's test is periodic
        lg.record(
            Tested(
                serial="GL-1",
                on=D(2026, 2, 1),
                purpose=TestPurpose.RETEST,
                tester="x",
                passed=True,
                next_due=D(2026, 8, 1),
            )
        )
    with pytest.raises(InputError, match="interval"):
        lg.record(
            Tested(
                serial="GL-1",
                on=D(2026, 2, 1),
                purpose=TestPurpose.PERIODIC,
                tester="x",
                passed=True,
                next_due=D(2036, 8, 1),
            )
        )
    with pytest.raises(InvalidOperation, match="allowed now"):
        lg.record(Repaired(serial="GL-1", on=D(2026, 2, 1), description="x"))
    with pytest.raises(InvalidEvent, match="passed"):
        lg.record(Checked(serial="GL-1", on=D(2026, 2, 1), by="x", passed=None))  # type: ignore[arg-type]
    assert len(lg) == 2


def test_the_queries_are_functions_over_states_the_ledger_calls() -> None:
    lg = Ledger()
    _life(lg, record=False)
    _ready(lg, serial="C")
    for day in (D(2026, 1, 5), D(2026, 2, 5), D(2026, 7, 7), D(2027, 1, 1)):
        states = lg.tools(on=day)
        assert queries.overdue(states, on=day) == lg.overdue(on=day)
        assert queries.unusable(states, on=day) == lg.unusable(on=day)
        assert queries.shortfall(states, on=day) == lg.shortfall(on=day)
    seen = [Sighting(serial="C", place="station"), Sighting(serial="Z")]
    assert queries.stock_take({s.serial: s for s in lg.tools()}, seen) == lg.check(seen)


# ----------------------------------------------------------------------------- the command line


def _tools_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """``gdsmodel`` with the tools group alone (the other groups are not under test here)."""
    import argparse

    import gdsmodel.cli as cli
    from gdsmodel.cli import tools

    def build() -> argparse.ArgumentParser:
        parser = argparse.ArgumentParser(prog="gdsmodel")
        tools.register(parser.add_subparsers(dest="command", metavar="COMMAND", required=True))
        return parser

    monkeypatch.setattr(cli, "build_parser", build)


def _exit_code(argv: list[str]) -> int:
    from gdsmodel.cli import main

    try:
        return main(argv)
    except SystemExit as exc:  # argparse: usage errors (2) and --help (0)
        return int(exc.code or 0)


def _folder(root: Path) -> dict[str, str]:
    """Ledgers and files for the command line to meet: good, empty, broken, deep, odd."""
    good = root / "good.sqlite"
    with Ledger.open(good) as lg:
        _ready(lg)
    with Ledger.open(root / "good.json") as lg:
        _ready(lg)
    (root / "empty.sqlite").touch()
    (root / "garbage.sqlite").write_bytes(b"\x00\xff" * 500)
    (root / "deep.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    (root / "digits.json").write_text('{"format": 1' + "1" * 5000 + "}", encoding="utf-8")
    (root / "latin1.csv").write_bytes("serial,place\nGL-1,caf\xe9\n".encode("latin-1"))
    (root / "nul.csv").write_bytes(b"serial,place\nGL-1,\x00\n")
    (root / "dir.json").mkdir()
    return {
        "good": str(good),
        "json": str(root / "good.json"),
        "empty": str(root / "empty.sqlite"),
        "garbage": str(root / "garbage.sqlite"),
        "deep": str(root / "deep.json"),
        "digits": str(root / "digits.json"),
        "latin1": str(root / "latin1.csv"),
        "nul": str(root / "nul.csv"),
        "dir": str(root / "dir.json"),
        "missing": str(root / "no" / "such" / "tools.sqlite"),
    }


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (["card", "NOPE", "--ledger", "{good}"], 3),
        (["card", "ＧＬ－１", "--ledger", "{good}"], 0),
        (["list", "--ledger", "{missing}"], 1),
        (["register", "X", "--kind", "phase_checker", "--ledger", "{missing}"], 1),
        (["test", "GL-1", "--tester", "x", "--result", "maybe", "--ledger", "{good}"], 2),
        (["overdue", "--on", "2026/07/01", "--ledger", "{good}"], 2),
        (["overdue", "--on", "2026-02-30", "--ledger", "{good}"], 2),
        (["register", "X", "--kind", "flying_carpet", "--ledger", "{good}"], 3),
        (["list", "--ledger", "{empty}"], 1),
        (["list", "--ledger", "{garbage}"], 1),
        (["list", "--ledger", "{deep}"], 1),
        (["list", "--ledger", "{digits}"], 1),
        (["list", "--ledger", "{dir}"], 1),
        (["check", "--inventory", "{latin1}", "--ledger", "{good}"], 1),
        (["check", "--inventory", "{nul}", "--ledger", "{good}"], 1),
        (["check", "--inventory", "{dir}", "--ledger", "{good}"], 1),
        (["register", "\udcff", "--kind", "phase_checker", "--ledger", "{json}"], 1),
        (["issue", "GL-1", "--to", "\udcff", "--ledger", "{good}"], 1),
        (["issue", "GL-1", "--to", "", "--ledger", "{good}"], 1),
        (["register", "x" * 101, "--kind", "phase_checker", "--ledger", "{good}"], 1),
        (["due", "2026Q" + "9" * 5000, "--ledger", "{good}"], None),
        (
            [
                "test",
                "GL-1",
                "--tester",
                "x",
                "--result",
                "pass",
                "--date",
                "9999-12-31",
                "--ledger",
                "{json}",
            ],
            1,
        ),
        (["shortfall", "--kits", "{latin1}", "--ledger", "{good}"], 1),
        (["list", "--kinds", "{deep}", "--ledger", "{good}"], 1),
        (["list", "--edition", "nope", "--ledger", "{good}"], None),
    ],
)
def test_bad_command_lines_get_their_exit_code_and_no_traceback(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    code: int | None,
) -> None:
    _tools_only(monkeypatch)
    files = _folder(tmp_path)
    got = _exit_code(["tools", *(a.format(**files) for a in argv)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    if code is None:  # a usage error or a typed one, whichever the command names
        assert got in (1, 2, 3), err
    else:
        assert got == code, err
    if got:
        assert (err + out).strip(), "a failing command says why"


COMMANDS = [
    "register", "test", "issue", "return", "inspect", "defect", "seal", "repair", "scrap",
    "recall", "move", "list", "due", "overdue", "unusable", "card", "shortfall", "check", "kinds",
]  # fmt: skip
OPTIONS = [
    "--kind", "--rating", "--date", "--on", "--next-due", "--next-due-reason", "--result",
    "--tester", "--to", "--by", "--value", "--reason", "--description", "--keeper", "--place",
    "--kits", "--inventory", "--kinds", "--edition", "--json", "--note", "--made", "--bought",
    "--batch", "--maker", "--ledger", "-h",
]  # fmt: skip
WORDS = [
    # (no lone surrogates here: argparse's own messages would print them, and the test's capture
    # is strict UTF-8 where a terminal's standard error is not; the explicit cases have them)
    "GL-1", "ＧＬ－１", "", " ", "\x00", "x" * 120, "phase_checker",
    "insulating_gloves", "high_voltage", "pass", "fail", "2026-01-05", "2026-07-06",
    "9999-12-31", "0001-01-01", "2026-02-30", "banana", "2026-07", "2026-Q3", "2026Q9",
    "a=b", "=", "B7", "station", "-", "--", "{good}", "{json}", "{empty}", "{garbage}",
    "{deep}", "{digits}", "{latin1}", "{nul}", "{dir}", "{missing}",
]  # fmt: skip


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.sampled_from(COMMANDS),
    st.lists(st.sampled_from(OPTIONS + WORDS), max_size=8),
    st.sampled_from(["{good}", "{json}", "{missing}", "{empty}"]),
)
def test_random_command_lines_never_print_a_traceback(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: str,
    rest: list[str],
    ledger: str,
) -> None:
    import tempfile

    _tools_only(monkeypatch)
    with tempfile.TemporaryDirectory() as tmp:
        files = _folder(Path(tmp))
        argv = ["tools", command, *(w.format(**files) for w in rest), "--ledger"]
        argv.append(ledger.format(**files))
        got = _exit_code(argv)
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert got in (0, 1, 2, 3)


# ----------------------------------------------------------------------------- random damage


def _damaged_ledgers() -> dict[str, bytes]:
    import tempfile

    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        for suffix in (".json", ".sqlite"):
            path = Path(tmp) / f"tools{suffix}"
            with Ledger.open(path) as lg:
                _three(lg)
            out[suffix] = path.read_bytes()
    return out


_ORIGINALS = _damaged_ledgers()
_EVENTS = Ledger()
_three(_EVENTS)


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from([".json", ".sqlite"]),
    st.booleans(),
    st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), min_size=1,
             max_size=3),
)  # fmt: skip
def test_random_damage_is_a_typed_error_or_changes_nothing(
    suffix: str, in_events: bool, flips: list[tuple[float, int]]
) -> None:
    import tempfile

    data = bytearray(_ORIGINALS[suffix])
    # anywhere in the file, or where the events' text is (most of a small SQLite file is empty)
    start, end = (data.find(b'{"'), data.rfind(b"}") + 1) if in_events else (0, len(data))
    for where, value in flips:
        data[start + int(where * (end - start))] = value
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"tools{suffix}"
        path.write_bytes(bytes(data))
        try:
            lg = Ledger.open(path, create=False)
        except GdsmodelError:
            return  # refused, with a typed error
        with lg:
            assert lg.events == _EVENTS.events  # or it opened, and nothing was changed
            assert lg.check() == ()


@pytest.mark.parametrize("suffix", [".json", ".sqlite"])
def test_the_head_is_the_same_in_memory_in_a_file_and_in_a_copy(
    tmp_path: Path, suffix: str
) -> None:
    mem = Ledger()
    _three(mem)
    with Ledger.open(tmp_path / f"a{suffix}") as lg:
        assert lg.head == ""
        _three(lg)
        assert lg.head == mem.head and len(lg.head) == 64
    assert Ledger.open(tmp_path / f"a{suffix}").head == mem.head
    mem.save(tmp_path / f"copy{suffix}")
    assert Ledger.open(tmp_path / f"copy{suffix}").head == mem.head
    with Ledger.open(tmp_path / f"a{suffix}") as lg:  # cut off at the end: the head moves back
        lg.return_tool("GL-1", on=D(2026, 2, 2))
        assert lg.head != mem.head


def test_two_threads_with_their_own_ledgers_on_one_json_file_lose_nothing(tmp_path: Path) -> None:
    import threading

    path = tmp_path / "tools.json"
    Ledger.open(path).close()
    done: list[str] = []
    failures: list[BaseException] = []

    def write(prefix: str) -> None:
        try:
            with Ledger.open(path) as lg:
                for i in range(40):
                    lg.register(f"{prefix}{i:02d}", kind="phase_checker", on=D(2026, 1, 5))
                    done.append(f"{prefix}{i:02d}")
        except BaseException as exc:  # pragma: no cover - reported below
            failures.append(exc)

    threads = [threading.Thread(target=write, args=(p,)) for p in "XY"]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    assert sorted(Ledger.open(path).serials()) == sorted(done) and len(done) == 80
