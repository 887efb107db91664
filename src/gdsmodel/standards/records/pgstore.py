"""A log of records in a PostgreSQL database (psycopg 3): a station system's own database.

``Ledger.open("postgresql://user@host/db", station="maple")`` keeps the ledger of one station in
tables shared by every station of the database (created when missing), named after the codec's
``tables`` prefix (``gdsmodel_ledger`` for the safety tools, ``gdsmodel_records`` for the other
records):

* ``<prefix>_stations``: one row per station: the log's format and version, how many
  events it holds and the hash of the last one;
* ``<prefix>_events``: the events, keyed by ``(station, seq)``, with their JSON text (as
  ``text``, never ``jsonb``, which would reorder the keys the hash covers) and their chain hash.

Every statement names its station, so stations in one database are isolated from one another:
one station's writers never wait for another's, never see its events, and its chain and count
are its own. (The isolation is the ledger's; a database role that may write the tables directly
can still change any station's rows, which the chain then reports.)

One transaction per ledger operation: the station's row is locked (``SELECT ... FOR UPDATE``),
the events other writers committed since are read and checked, the new ones inserted and the
row's count and head updated, then commit. So many processes (on many machines) may write one
station's ledger and no acknowledged event is lost; a crashed writer loses only what it had not
committed. Durability is the server's (``fsync`` and ``synchronous_commit`` on, as by default).

Reading verifies the chain, and also the count and head kept in the station's row, so events cut
off at the end are found too (unless the row was changed with them).

The station may also be given in the URL as ``?station=maple`` (taken out before connecting).

>>> station_and_url("postgresql://u@db/ledgers?station=maple&sslmode=require")
('maple', 'postgresql://u@db/ledgers?sslmode=require')
"""

from __future__ import annotations

import contextlib
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from gdsmodel import _show
from gdsmodel.errors import DataFileError, InputError
from gdsmodel.standards.records.chain import GENESIS, ChainBroken
from gdsmodel.standards.records.store import (
    Codec,
    E,
    Plan,
    StoreError,
    checked_rows,
    event_rows,
)

if TYPE_CHECKING:
    import psycopg

__all__ = ["DEFAULT_STATION", "PostgresStore", "is_postgres_url", "station_and_url"]

#: The station of a ledger opened without one.
DEFAULT_STATION = "default"


def _ddl(prefix: str) -> tuple[str, ...]:
    return (
        f"""CREATE TABLE IF NOT EXISTS {prefix}_stations (
            station TEXT PRIMARY KEY,
            format TEXT NOT NULL,
            version INTEGER NOT NULL,
            events BIGINT NOT NULL DEFAULT 0,
            head TEXT NOT NULL DEFAULT ''
        )""",
        f"""CREATE TABLE IF NOT EXISTS {prefix}_events (
            station TEXT NOT NULL REFERENCES {prefix}_stations (station),
            seq BIGINT NOT NULL,
            serial TEXT NOT NULL,
            type TEXT NOT NULL,
            on_date DATE NOT NULL,
            data TEXT NOT NULL,
            hash TEXT NOT NULL,
            PRIMARY KEY (station, seq)
        )""",
        f"""CREATE INDEX IF NOT EXISTS {prefix}_events_by_serial
            ON {prefix}_events (station, serial, seq)""",
    )


# Creating the tables is serialised across sessions (CREATE ... IF NOT EXISTS can race).
_DDL_LOCK = 0x6764736D  # 'gdsm'


def _normal(value: str) -> str:
    """A station name in the form compared (Unicode NFKC)."""
    return unicodedata.normalize("NFKC", value) if isinstance(value, str) else value


def is_postgres_url(location: object) -> bool:
    """Whether ``location`` names a PostgreSQL database rather than a file.

    >>> is_postgres_url("postgresql://db/x"), is_postgres_url("postgres://db/x")
    (True, True)
    >>> is_postgres_url("tools.sqlite")
    False
    """
    return isinstance(location, str) and location.startswith(("postgresql://", "postgres://"))


def station_and_url(url: str, station: str | None = None) -> tuple[str, str]:
    """The station (``station``, else the URL's ``station`` parameter, else
    :data:`DEFAULT_STATION`) and the URL to connect to (without that parameter).

    >>> station_and_url("postgresql://db/x", "pine")
    ('pine', 'postgresql://db/x')
    """
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    given = [v for k, v in query if k == "station"]
    rest = [(k, v) for k, v in query if k != "station"]
    if station is not None and given and _normal(given[-1]) != _normal(station):
        raise InputError(
            "two different stations given",
            name="station",
            value=station,
            allowed=f"the URL's station {given[-1]!r}, or no station in the URL",
        )
    name = station if station is not None else (given[-1] if given else DEFAULT_STATION)
    if not isinstance(name, str) or not name.strip() or len(name) > 100:
        raise InputError(
            "not a usable station name", name="station", value=name, allowed="1 to 100 characters"
        )
    clean = urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(rest), parts.fragment))
    return _normal(name.strip()), clean


def _redacted(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(":" + parts.password + "@", ":***@")
        return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    return url


class PostgresStore(Generic[E]):
    """One station's ledger in a PostgreSQL database (see the module text).

    ``create`` makes the tables and the station's row when missing; without it, a station the
    database does not hold is refused.
    """

    def __repr__(self) -> str:
        return _show.store_repr(self)

    def __init__(
        self,
        url: str,
        *,
        codec: Codec[E],
        station: str | None = None,
        create: bool = True,
        timeout: float = 30.0,
    ) -> None:
        try:
            import psycopg
        except ImportError:
            raise StoreError(
                "a PostgreSQL ledger needs psycopg: pip install 'gdsmodel[postgres]'"
            ) from None
        self._codec = codec
        self._t = codec.tables
        self._insert = (
            f"INSERT INTO {self._t}_events (station, seq, serial, type, on_date, data, hash) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s)"
        )
        self.station, conninfo = station_and_url(url, station)
        self.where = f"{_redacted(conninfo)}#station={self.station}"
        self._psycopg = psycopg
        self._count, self._head = 0, GENESIS
        try:
            self._db: psycopg.Connection[Any] = psycopg.connect(
                conninfo,
                autocommit=True,
                connect_timeout=max(1, int(timeout)),
                options=f"-c lock_timeout={int(timeout * 1000)}",
            )
        except psycopg.Error as exc:
            raise StoreError(f"cannot connect to {self.where}: {_first_line(exc)}") from None
        try:
            self._setup(create)
        except BaseException:
            self._db.close()
            raise

    # ------------------------------------------------------------------ set-up

    def _setup(self, create: bool) -> None:
        with self._errors("open"):
            exists = self._db.execute(
                "SELECT to_regclass(%s) IS NOT NULL", (f"{self._t}_stations",)
            ).fetchone()
            if not (exists and exists[0]):
                if not create:
                    raise self._missing()
                with self._db.transaction():
                    self._db.execute("SELECT pg_advisory_xact_lock(%s)", (_DDL_LOCK,))
                    for statement in _ddl(self._t):
                        self._db.execute(statement)
            row = self._station_row()
            if row is None:
                if not create:
                    raise self._missing()
                self._db.execute(
                    f"INSERT INTO {self._t}_stations (station, format, version) "
                    "VALUES (%s, %s, %s) ON CONFLICT (station) DO NOTHING",
                    (self.station, self._codec.format, self._codec.version),
                )
                row = self._station_row()
            assert row is not None
            fmt, version = row[0], row[1]
            codec = self._codec
            if fmt != codec.format or version != codec.version:
                raise DataFileError(
                    f"not a {codec.noun} of a supported version (format {fmt!r}, "
                    f"version {version!r}; supported: {codec.format} {codec.version})",
                    file=self.where,
                )

    def _station_row(self, lock: bool = False) -> tuple[Any, ...] | None:
        sql = f"SELECT format, version, events, head FROM {self._t}_stations WHERE station = %s"
        row = self._db.execute(sql + (" FOR UPDATE" if lock else ""), (self.station,)).fetchone()
        return tuple(row) if row is not None else None

    def _missing(self) -> InputError:
        return InputError(
            "the database holds no ledger of this station",
            name="station",
            value=self.station,
            allowed=f"a station registered in the database ({self._codec.create_hint})",
        )

    @contextlib.contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        """The driver's errors as :class:`StoreError` (the typed errors pass through)."""
        try:
            yield
        except self._psycopg.Error as exc:
            raise StoreError(
                f"{self.where}: cannot {doing} the ledger: {_first_line(exc)}"
            ) from None

    # ------------------------------------------------------------------ the Store protocol

    @property
    def path(self) -> Path | None:
        """Not a file: None (see :attr:`where`)."""
        return None

    @property
    def head(self) -> str:
        """The chain hash after the last event read or written."""
        return self._head

    def _head_at(self, seq: int) -> str:
        if seq == self._count:
            return self._head
        rows = self._db.execute(
            f"SELECT seq, serial, type, data, hash FROM {self._t}_events "
            "WHERE station = %s AND seq <= %s ORDER BY seq",
            (self.station, seq),
        ).fetchall()
        return checked_rows(self._codec, rows, 0, GENESIS, self.where)[2]

    def _rows(self, after: int) -> tuple[list[E], ChainBroken | None, int, str]:
        rows = self._db.execute(
            f"SELECT seq, serial, type, data, hash FROM {self._t}_events "
            "WHERE station = %s AND seq > %s ORDER BY seq",
            (self.station, after),
        ).fetchall()
        out, broken, h = checked_rows(self._codec, rows, after, self._head_at(after), self.where)
        return out, broken, after + len(out), h

    def _read(self, after: int, *, lock: bool = False) -> tuple[list[E], ChainBroken | None]:
        """The events after ``after``; the station's count and head checked against the rows."""
        row = self._station_row(lock=lock)
        if row is None:
            raise DataFileError("the station's ledger row is gone", file=self.where)
        events, broken, count, head = self._rows(after)
        if broken is None:
            recorded, recorded_head = int(row[2]), str(row[3])
            if count != recorded or head != recorded_head:
                raise DataFileError(
                    f"the ledger records {recorded} events, {count} are stored, and the last "
                    "hash differs: events were removed or changed at the end",
                    file=self.where,
                    path=f"events[seq={min(count, recorded) + 1}]",
                )
            self._count, self._head = count, head
        return events, broken

    def _verified(self, after: int, *, lock: bool = False) -> list[E]:
        events, broken = self._read(after, lock=lock)
        if broken is not None:
            raise broken
        return events

    @contextlib.contextmanager
    def _snapshot(self) -> Iterator[None]:
        """One read-only transaction that sees one snapshot, so that the station's row and its
        events are read as of the same commit (a writer committing between the two reads
        would otherwise look like events added behind the count)."""
        with self._errors("read"), self._db.transaction():
            self._db.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield

    def open_events(self) -> tuple[list[E], ChainBroken | None]:
        """Every committed event, and the first break of the chain (not raised)."""
        with self._snapshot():
            return self._read(0)

    def load(self) -> list[E]:
        """Every committed event, in order (the chain verified)."""
        with self._snapshot():
            return self._verified(0)

    def read_after(self, seq: int) -> list[E]:
        """Events committed after the first ``seq``."""
        with self._snapshot():
            return self._verified(seq)

    def append(self, known: int, plan: Plan[E]) -> tuple[list[E], list[E]]:
        """One transaction: lock the station's row, read what others committed, plan, insert,
        update the row, commit (or roll back)."""
        try:
            with self._errors("write"), self._db.transaction():
                fresh = self._verified(known, lock=True)
                new = list(plan(fresh))
                if new:
                    rows = list(event_rows(self._codec, new, known + len(fresh) + 1, self._head))
                    with self._db.cursor() as cur:
                        cur.executemany(self._insert, [(self.station, *r) for r in rows])
                    self._db.execute(
                        f"UPDATE {self._t}_stations SET events = %s, head = %s WHERE station = %s",
                        (rows[-1][0], rows[-1][5], self.station),
                    )
        except BaseException:
            self._count, self._head = 0, GENESIS  # read afresh next time
            raise
        if new:
            self._count, self._head = rows[-1][0], rows[-1][5]
        return fresh, new

    def integrity(self) -> str:
        """'ok', or the first problem of the station's ledger (chain, count, rows)."""
        try:
            self.load()
        except DataFileError as exc:
            return str(exc)
        return "ok"

    def close(self) -> None:
        """Close the connection."""
        self._db.close()


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__
