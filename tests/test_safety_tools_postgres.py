"""The safety-tool ledger on PostgreSQL: the same promises as SQLite, tested the same way (the
random state machine, many writers, SIGKILL, the chain), and several stations in one database.

Needs a server: tests/pg_server.py starts a throwaway cluster, or uses
GDSMODEL_TEST_POSTGRES_URL; without one these tests are skipped with a loud reason."""

from __future__ import annotations

import datetime
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis.stateful import run_state_machine_as_test

from gdsmodel.errors import DataFileError, InputError
from gdsmodel.standards.safety_tools import ChainBroken, DiscrepancyKind, InvalidOperation, Ledger

pytestmark = pytest.mark.slow

D = datetime.date


def _url(database: str, station: str) -> str:
    return f"{database}?station={station}"


def _ready(lg: Ledger, serial: str = "GL-1") -> None:
    lg.register(serial, kind="insulating_gloves", rating="high_voltage", on=D(2026, 1, 5))
    lg.record_acceptance_test(serial, on=D(2026, 1, 6), tester="李四", passed=True)


def test_a_station_ledger_round_trips_and_refuses_invalid_moves(postgres_database: str) -> None:
    url = _url(postgres_database, "maple")
    with Ledger.open(url) as lg:
        _ready(lg)
        lg.issue("GL-1", on=D(2026, 2, 1), to="王五")
        with pytest.raises(InvalidOperation, match="already issued"):
            lg.issue("GL-1", on=D(2026, 2, 1), to="赵六")
        events, tools = lg.events, lg.tools()
        assert lg.path is None and lg.location is not None and "station=maple" in lg.location
    with Ledger.open(url) as again:
        assert again.events == events and again.tools() == tools and again.check() == ()
    with Ledger.open(postgres_database, station="maple") as same:
        assert same.events == events
    with pytest.raises(InputError, match="no ledger of this station"):
        Ledger.open(postgres_database, station="nobody", create=False)


def test_stations_in_one_database_are_isolated(postgres_database: str) -> None:
    a = Ledger.open(postgres_database, station="maple")
    b = Ledger.open(postgres_database, station="pine")
    _ready(a)
    _ready(b)  # the same serial, another station: another tool
    a.scrap("GL-1", on=D(2026, 2, 1), reason="aged")
    assert b.state("GL-1").condition.value == "serviceable"
    b.issue("GL-1", on=D(2026, 2, 1), to="王五")  # not refused by the other station's scrap
    assert a.refresh() == 0 and b.refresh() == 0
    assert len(a) == 3 and len(b) == 3
    assert Ledger.open(postgres_database, station="maple").events == a.events
    assert Ledger.open(postgres_database, station="pine").events == b.events
    a.close()
    b.close()


APPEND = """
import sys, datetime
from gdsmodel.standards.safety_tools import Ledger
url, prefix, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
day = datetime.date(2026, 1, 5)
ledger = Ledger.open(url)
for i in range(count):
    serial = f"{prefix}{i:04d}"
    ledger.register(serial, kind="phase_checker", on=day)
    print(serial, flush=True)
"""


def test_many_writers_on_two_stations_lose_nothing(postgres_database: str) -> None:
    jobs = [
        (_url(postgres_database, "maple"), "A"),
        (_url(postgres_database, "maple"), "B"),
        (_url(postgres_database, "pine"), "C"),
    ]
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", APPEND, url, prefix, "150"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for url, prefix in jobs
    ]
    printed: dict[str, list[str]] = {"maple": [], "pine": []}
    for (url, _), proc in zip(jobs, procs, strict=True):
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err
        printed[url.rsplit("=", 1)[1]] += out.split()
    for station, serials in printed.items():
        with Ledger.open(postgres_database, station=station) as lg:
            assert sorted(lg.serials()) == sorted(serials)
            assert lg.check() == ()
    assert len(printed["maple"]) == 300 and len(printed["pine"]) == 150


def test_a_writer_killed_mid_write_loses_nothing_it_reported(postgres_database: str) -> None:
    from test_safety_tools_crash import _check_reports, _run_and_kill

    url = _url(postgres_database, "maple")
    Ledger.open(url).close()
    reports = _run_and_kill(url, tools=2_000, kill_after=400)  # type: ignore[arg-type]
    assert len(reports) < 4_000
    with Ledger.open(url) as lg:
        _check_reports(lg, reports)
        assert lg.check() == ()
        lg.register("AFTER", kind="phase_checker", on=D(2026, 1, 6))
    assert Ledger.open(url).events[-1].serial == "AFTER"


def _sql(database: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(database, autocommit=True) as conn:
        conn.execute(statement)


def test_the_chain_and_the_count_find_edits_and_cut_off_ends(postgres_database: str) -> None:
    url = _url(postgres_database, "maple")
    with Ledger.open(url) as lg:
        _ready(lg)
        lg.issue("GL-1", on=D(2026, 2, 1), to="王五")
    with Ledger.open(postgres_database, station="pine") as other:
        _ready(other)
    _sql(
        postgres_database,
        "UPDATE gdsmodel_ledger_events SET data = replace(data, '2026-07-06', '2029-07-06') "
        "WHERE station = 'maple' AND seq = 2",
    )
    with pytest.raises(ChainBroken) as info:
        Ledger.open(url)
    assert info.value.seq == 2 and "station=maple" in (info.value.file or "")
    assert Ledger.open(postgres_database, station="pine").check() == ()  # the other is sound
    _sql(
        postgres_database,
        "UPDATE gdsmodel_ledger_events SET data = replace(data, '2029-07-06', '2026-07-06') "
        "WHERE station = 'maple' AND seq = 2",
    )
    lg = Ledger.open(url)
    _sql(
        postgres_database, "DELETE FROM gdsmodel_ledger_events WHERE station = 'maple' AND seq = 3"
    )
    with pytest.raises(DataFileError, match="removed or changed at the end"):
        Ledger.open(url)
    assert [d.kind for d in lg.check()] == [DiscrepancyKind.LEDGER_MISMATCH]
    lg.close()


def test_the_command_line_takes_a_database_url(postgres_database: str, tmp_path: Path) -> None:
    url = _url(postgres_database, "maple")
    code = (
        "import argparse, sys\n"
        "from gdsmodel.cli import tools\n"
        "import gdsmodel.cli as cli\n"
        "p = argparse.ArgumentParser(prog='gdsmodel')\n"
        "tools.register(p.add_subparsers(dest='command', required=True))\n"
        "cli.build_parser = lambda: p\n"
        "sys.exit(cli.main(sys.argv[1:]))\n"
    )

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", code, "tools", *args, "--ledger", url],
            capture_output=True,
            text=True,
            timeout=120,
        )

    assert (
        run("register", "GL-1", "--kind", "phase_checker", "--date", "2026-01-05").returncode == 0
    )
    listed = run("list", "--json")
    assert listed.returncode == 0 and "GL-1" in listed.stdout
    assert run("card", "NOPE").returncode == 3
    bad = subprocess.run(
        [sys.executable, "-c", code, "tools", "list", "--ledger",
         "postgresql://nobody@127.0.0.1:1/none"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert bad.returncode == 1 and "cannot connect" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_the_random_state_machine_on_postgres(postgres_database: str) -> None:
    from test_safety_tools_machine import LedgerMachine

    class PostgresMachine(LedgerMachine):
        def __init__(self) -> None:
            super().__init__()
            self.ledger.close()  # the SQLite file of the base machine, replaced by a station
            self.path = _url(postgres_database, f"m{uuid.uuid4().hex[:10]}")  # type: ignore[assignment]
            self.ledger = Ledger.open(self.path)

    run_state_machine_as_test(
        PostgresMachine,
        settings=settings(max_examples=15, stateful_step_count=20, deadline=None),
    )
