"""Where a ledger's events are kept: the records engine's stores
(:mod:`gdsmodel.standards.records.store`) with the safety tools' event encoding, :data:`TOOLS`.

* JSON: the whole log in one UTF-8 file, rewritten atomically on every change, under an
  exclusive lock (a ``.lock`` file beside it);
* SQLite: write-ahead log, ``synchronous=FULL``, one transaction per ledger operation;
* PostgreSQL: :mod:`~gdsmodel.standards.safety_tools.pgstore`.

Every stored event carries the hash of the chain; reading verifies it and names the first event
that does not match. Stores only keep events; they know nothing of the rules (the ledger applies
those).

>>> import tempfile, pathlib, datetime
>>> from gdsmodel.standards.safety_tools.events import Registered
>>> path = pathlib.Path((tmp := tempfile.TemporaryDirectory()).name) / "tools.sqlite"
>>> store = open_store(path)
>>> ev = Registered(serial="A-1", on=datetime.date(2026, 1, 5), kind="phase_checker")
>>> store.append(0, lambda fresh: [ev])
([], [Registered(serial='A-1', ...)])
>>> store.close()
>>> open_store(path).load() == [ev]
True
"""

from __future__ import annotations

import os  # noqa: F401  (the stores' file operations; tests patch os.replace through here)
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from gdsmodel.standards.records import store as _engine
from gdsmodel.standards.records.chain import GENESIS, ChainBroken
from gdsmodel.standards.records.store import (
    _ENCODE,
    LedgerReplaced,
    StoreError,
    _json_loads,
    atomic_write_text,
)
from gdsmodel.standards.safety_tools.codec import FORMAT, TOOLS, VERSION, VERSIONS
from gdsmodel.standards.safety_tools.events import Event

__all__ = [
    "FORMAT",
    "TOOLS",
    "VERSION",
    "VERSIONS",
    "JsonStore",
    "LedgerReplaced",
    "MemoryStore",
    "SqliteStore",
    "Store",
    "StoreError",
    "atomic_write_text",
    "chain_head",
    "checked_rows",
    "event_rows",
    "open_store",
    "write_events",
]

Plan = _engine.Plan[Event]
Store = _engine.Store[Event]
MemoryStore = _engine.MemoryStore[Event]


class JsonStore(_engine.JsonStore[Event]):
    """The ledger as one JSON file (:class:`gdsmodel.standards.records.store.JsonStore`).

    >>> import tempfile, pathlib
    >>> JsonStore(pathlib.Path(tempfile.mkdtemp()) / "tools.json").load()
    []
    """

    def __init__(self, path: Path, *, create: bool = True, timeout: float = 30.0) -> None:
        super().__init__(path, codec=TOOLS, create=create, timeout=timeout)


class SqliteStore(_engine.SqliteStore[Event]):
    """The ledger in SQLite (:class:`gdsmodel.standards.records.store.SqliteStore`).

    >>> import tempfile, pathlib
    >>> s = SqliteStore(pathlib.Path(tempfile.mkdtemp()) / "tools.sqlite")
    >>> s.load(), s.journal_mode
    ([], 'wal')
    >>> s.close()
    """

    def __init__(self, path: Path, *, create: bool = True, timeout: float = 30.0) -> None:
        super().__init__(path, codec=TOOLS, create=create, timeout=timeout)


def chain_head(events: Sequence[Event]) -> str:
    """The chain hash after ``events`` (what a store holding them records last).

    >>> chain_head([])
    ''
    """
    return _engine.chain_head(TOOLS, events)


def event_rows(
    events: Iterable[Event], first: int, previous: str = GENESIS
) -> Iterator[tuple[int, str, str, str, str, str]]:
    """The rows of ``events`` numbered from ``first``, chained from ``previous``.

    >>> list(event_rows([], 1))
    []
    """
    return _engine.event_rows(TOOLS, events, first, previous)


def checked_rows(
    rows: Sequence[Sequence[Any]], after: int, previous: str, where: str, *, chained: bool = True
) -> tuple[list[Event], ChainBroken | None, str]:
    """Stored rows read back as events (:func:`gdsmodel.standards.records.store.checked_rows`).

    >>> checked_rows([], 0, GENESIS, "t.sqlite")
    ([], None, '')
    """
    return _engine.checked_rows(TOOLS, rows, after, previous, where, chained=chained)


def open_store(path: str | Path, *, create: bool = True, station: str | None = None) -> Store:
    """The store for a location: a ``postgresql://`` URL (with ``station``), else a file: JSON
    when the name ends in ``.json``, SQLite otherwise.

    >>> import tempfile, pathlib
    >>> type(open_store(pathlib.Path(tempfile.mkdtemp()) / "t.json")).__name__
    'JsonStore'
    """
    from gdsmodel.standards.records.location import open_store as _open
    from gdsmodel.standards.records.pgstore import is_postgres_url
    from gdsmodel.standards.safety_tools.pgstore import PostgresStore

    if is_postgres_url(path):
        return PostgresStore(str(path), station=station, create=create)
    if station is None and Path(path).suffix.lower() == ".json":
        return JsonStore(Path(path), create=create)
    if station is None:
        return SqliteStore(Path(path), create=create)
    return _open(TOOLS, path, create=create, station=station)


def write_events(path: str | Path, events: Sequence[Event], *, overwrite: bool = False) -> None:
    """Write a whole ledger to a new file (JSON or SQLite by suffix), all at once, chained.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path((tmp := tempfile.TemporaryDirectory()).name) / "copy.json"
    >>> write_events(p, [])
    >>> JsonStore(p).load()
    []
    """
    _engine.write_events(TOOLS, path, events, overwrite=overwrite)


_ = (_ENCODE, _json_loads)  # the encoder and decoder the stores use (read by tests)
