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

__all__ = ["open_store"]


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
