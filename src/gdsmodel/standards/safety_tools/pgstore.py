"""The ledger in a PostgreSQL database (psycopg 3): the records engine's
:class:`~gdsmodel.standards.records.pgstore.PostgresStore` with the safety tools' encoding, in
the tables ``gdsmodel_ledger_stations`` and ``gdsmodel_ledger_events``.

``Ledger.open("postgresql://user@host/db", station="maple")`` keeps the ledger of one station;
stations in one database are isolated from one another; one transaction per ledger operation.

>>> station_and_url("postgresql://u@db/ledgers?station=maple&sslmode=require")
('maple', 'postgresql://u@db/ledgers?sslmode=require')
"""

from __future__ import annotations

from gdsmodel.standards.records.pgstore import (
    DEFAULT_STATION,
    is_postgres_url,
    station_and_url,
)
from gdsmodel.standards.records.pgstore import PostgresStore as _PostgresStore
from gdsmodel.standards.safety_tools.codec import TOOLS
from gdsmodel.standards.safety_tools.events import Event

__all__ = ["DEFAULT_STATION", "PostgresStore", "is_postgres_url", "station_and_url"]


class PostgresStore(_PostgresStore[Event]):
    """One station's ledger in a PostgreSQL database (see the module text)."""

    def __init__(
        self, url: str, *, station: str | None = None, create: bool = True, timeout: float = 30.0
    ) -> None:
        super().__init__(url, codec=TOOLS, station=station, create=create, timeout=timeout)
