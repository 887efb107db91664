"""The PostgreSQL test server: reachable, fresh databases are empty and isolated."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


def test_server_answers_and_databases_are_fresh(postgres_url: str) -> None:
    import psycopg

    from pg_server import create_database, drop_database

    first = create_database(postgres_url)
    second = create_database(postgres_url)
    try:
        assert first != second
        with psycopg.connect(first, autocommit=True) as conn:
            conn.execute("CREATE TABLE t (x integer)")
            conn.execute("INSERT INTO t VALUES (1), (2)")
            assert conn.execute("SELECT sum(x) FROM t").fetchone() == (3,)
        with psycopg.connect(second) as conn:
            found = conn.execute("SELECT count(*) FROM pg_tables WHERE tablename = 't'").fetchone()
            assert found == (0,)
    finally:
        drop_database(postgres_url, first)
        drop_database(postgres_url, second)
    with psycopg.connect(postgres_url) as conn:
        names = {r[0] for r in conn.execute("SELECT datname FROM pg_database").fetchall()}
    assert first.rsplit("/", 1)[1] not in names


def test_postgres_database_fixture(postgres_database: str) -> None:
    import psycopg

    with psycopg.connect(postgres_database) as conn:
        (name,) = conn.execute("SELECT current_database()").fetchone() or ("",)
    assert postgres_database.endswith("/" + name)
