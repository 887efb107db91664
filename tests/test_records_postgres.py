"""Records on PostgreSQL: the engine's store with the records' codec, in tables of their own
(``gdsmodel_records_*``) beside the safety-tool ledger's, stations isolated, the chain checked,
a move another writer made impossible refused. Needs a server (tests/pg_server.py); without one
these tests are skipped with a loud reason."""

from __future__ import annotations

import datetime as dt

import pytest

from gdsmodel.standards.records.book import RecordBook
from gdsmodel.standards.records.chain import ChainBroken
from gdsmodel.standards.records.machine import InvalidMove

pytestmark = pytest.mark.slow

D = dt.date
FIND = {"class": "major", "equipment": "T-3", "found_on": "patrol", "description": "oil"}


def _sql(database: str, statement: str) -> list[tuple[object, ...]]:
    import psycopg

    with psycopg.connect(database, autocommit=True) as conn:
        cur = conn.execute(statement)
        return list(cur.fetchall()) if cur.description else []


def test_records_on_postgres_beside_the_tool_ledger(postgres_database: str) -> None:
    from gdsmodel.standards.safety_tools import Ledger

    a = RecordBook.open(postgres_database, station="maple")
    b = RecordBook.open(postgres_database, station="maple")
    other = RecordBook.open(postgres_database, station="pine")
    a.add("defect", "D1", "find", D(2026, 3, 2), FIND)
    b.add("defect", "D1", "handle", D(2026, 3, 3), {"handling": "ok"})
    with pytest.raises(InvalidMove, match="not allowed when handled"):
        a.add("defect", "D1", "handle", D(2026, 3, 4), {"handling": "again"})
    other.add("defect", "D1", "find", D(2026, 3, 2), FIND)  # another station, another record
    assert other.state("defect", "D1").state == "open"
    with Ledger.open(postgres_database, station="maple") as lg:
        lg.register("GL-1", kind="insulating_gloves", rating="high_voltage", on=D(2026, 1, 5))
        assert len(lg.events) == 1
    for book in (a, b, other):
        book.close()
    tables = {r[0] for r in _sql(postgres_database, "SELECT tablename FROM pg_tables")}
    assert {"gdsmodel_records_events", "gdsmodel_ledger_events"} <= tables
    again = RecordBook.open(postgres_database, station="maple")
    assert [e.move for e in again.events()] == ["find", "handle"]
    again.close()
    _sql(
        postgres_database,
        "UPDATE gdsmodel_records_events SET data = replace(data, 'oil', 'air') "
        "WHERE station = 'maple' AND seq = 1",
    )
    with pytest.raises(ChainBroken) as info:
        RecordBook.open(postgres_database, station="maple")
    assert info.value.seq == 1
    RecordBook.open(postgres_database, station="pine").close()  # the other station is sound
