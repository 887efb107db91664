"""Where a log is kept: a file (JSON or SQLite, by the name's suffix) or a PostgreSQL database
(a ``postgresql://`` URL and a station).

>>> import tempfile, pathlib
>>> from gdsmodel.standards.records.events import CODEC
>>> folder = pathlib.Path((tmp := tempfile.TemporaryDirectory()).name)
>>> type(open_store(CODEC, folder / "records.sqlite")).__name__
'SqliteStore'
"""

from __future__ import annotations

from pathlib import Path

from gdsmodel.errors import InputError
from gdsmodel.standards.records.pgstore import PostgresStore, is_postgres_url
from gdsmodel.standards.records.store import Codec, E, JsonStore, SqliteStore, Store

__all__ = ["STATION_STORES", "open_store", "station_store"]

STATION_STORES = ("records.sqlite", "records.json")
"""The records store a station folder may hold, the first one preferred."""


def station_store(folder: str | Path) -> Path | None:
    """The records store of a station folder: ``records.sqlite``, else ``records.json``,
    else None (the station keeps no records).

    >>> station_store("/nonexistent") is None
    True
    """
    for name in STATION_STORES:
        path = Path(folder) / name
        if path.is_file():
            return path
    return None


def open_store(
    codec: Codec[E], path: str | Path, *, create: bool = True, station: str | None = None
) -> Store[E]:
    """The store for a location: a ``postgresql://`` URL (with ``station``; see
    :mod:`~gdsmodel.standards.records.pgstore`), else a file: JSON when the name ends in
    ``.json``, SQLite otherwise.

    >>> import tempfile, pathlib
    >>> from gdsmodel.standards.safety_tools.codec import TOOLS
    >>> folder = pathlib.Path((tmp := tempfile.TemporaryDirectory()).name)
    >>> type(open_store(TOOLS, folder / "t.json")).__name__
    'JsonStore'
    """
    if is_postgres_url(path):
        return PostgresStore(str(path), codec=codec, station=station, create=create)
    if station is not None:
        raise InputError(
            "a station is given for a database ledger only",
            name="station",
            value=station,
            allowed="a postgresql:// URL, or no station for a ledger file",
        )
    p = Path(path)
    if p.suffix.lower() == ".json":
        return JsonStore(p, codec=codec, create=create)
    return SqliteStore(p, codec=codec, create=create)
