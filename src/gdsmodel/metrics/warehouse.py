"""KPI tables in SQL databases: PostgreSQL and ClickHouse (or chDB, ClickHouse in-process).

``metric(id).by(table, keys)`` accepts a table of a SQL database as an `ibis
<https://ibis-project.org>`_ table expression, the portable layer narwhals supports for SQL
backends: the sums, the numerator and the denominator, the value and the verdict are compiled
to one query and run *in the database*; the result is an ibis expression (lazy) with the same
columns as on DuckDB (``invalid="flag"`` by default, as for every lazy frame). Collect it with
``.to_pyarrow()`` (ClickHouse) or ``.execute()`` (PostgreSQL: ibis reads Arrow there through a
server-side cursor, which PostgreSQL runs without parallel workers). Partial states of
several databases merge: collect the :func:`~gdsmodel.metrics.frames.states` of each and
:func:`~gdsmodel.metrics.frames.finish` their concatenation.

:func:`table` opens a table from a URL (the ``warehouse`` extra):

* ``postgresql://user:password@host:5432/database`` (psycopg 3 underneath);
* ``clickhouse://user:password@host:8123/database`` (the HTTP interface);
* ``chdb://memory`` or ``chdb:///path/to/folder`` (chDB, in this process).

>>> connect("oracle://x")
Traceback (most recent call last):
gdsmodel.errors.InputError: url='oracle://x': unsupported database (allowed: postgresql://..., \
clickhouse://..., chdb://memory or chdb:///folder)
"""

from __future__ import annotations

from typing import Any, Final
from urllib.parse import unquote, urlsplit

from gdsmodel.errors import InputError

__all__ = ["SCHEMES", "connect", "table"]

SCHEMES: Final = ("postgresql", "postgres", "clickhouse", "chdb")
"""The URL schemes :func:`connect` understands."""

_ALLOWED: Final = "postgresql://..., clickhouse://..., chdb://memory or chdb:///folder"


def _ibis() -> Any:
    try:
        import ibis  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover - depends on the installed extras
        raise InputError(
            "SQL databases need the 'warehouse' extra (ibis)",
            name="url",
            allowed="pip install 'gdsmodel[warehouse]'",
        ) from None
    return ibis


def connect(url: str) -> Any:
    """An ibis backend (a database connection) for ``url``.

    >>> con = connect("chdb://memory")
    >>> con.name, con.raw_sql("SELECT 1 + 1").result_rows
    ('clickhouse', [(2,)])
    """
    scheme = urlsplit(url).scheme.lower() if isinstance(url, str) else ""
    if scheme not in SCHEMES:
        raise InputError("unsupported database", name="url", value=url, allowed=_ALLOWED)
    ibis = _ibis()
    if scheme in ("postgresql", "postgres"):
        return ibis.connect(url.replace("postgres://", "postgresql://", 1))
    if scheme == "clickhouse":
        parts = urlsplit(url)
        return ibis.clickhouse.connect(
            host=parts.hostname or "localhost",
            port=parts.port,
            user=unquote(parts.username or "default"),
            password=unquote(parts.password or ""),
            database=parts.path.lstrip("/") or "default",
        )
    return ibis.clickhouse.from_connection(_chdb_client(url))


_CHDB_CLIENTS: dict[str, Any] = {}


def _chdb_client(url: str) -> Any:
    """One clickhouse-connect client per chDB location (chDB runs one engine per process)."""
    if url not in _CHDB_CLIENTS:
        try:
            import clickhouse_connect
        except ImportError:  # pragma: no cover - depends on the installed extras
            raise InputError(
                "chDB needs the 'warehouse' extra (chdb, clickhouse-connect)",
                name="url",
                value=url,
                allowed="pip install 'gdsmodel[warehouse]'",
            ) from None
        _CHDB_CLIENTS[url] = clickhouse_connect.get_client(dsn=url)
    return _CHDB_CLIENTS[url]


def table(url: str, name: str, *, database: str | None = None) -> Any:
    """The ibis table ``name`` of the database at ``url`` (``database`` names a schema or
    another database of the server), ready for ``metric(id).by(...)``.

    Raises :class:`~gdsmodel.errors.InputError` naming the tables found when there is no such
    table.
    """
    con = connect(url)
    try:
        return con.table(name, database=database)
    except Exception as err:  # the drivers' own "no such table" errors
        try:
            found = ", ".join(sorted(con.list_tables(database=database))) or "(none)"
        except Exception:  # pragma: no cover - the listing itself failed
            found = "(could not list the tables)"
        raise InputError(
            "no such table", name="table", value=name, allowed=f"tables: {found}"
        ) from err
