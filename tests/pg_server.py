"""A PostgreSQL server for the tests that need a real database.

The tests use, in this order:

1. the server named by the environment variable ``GDSMODEL_TEST_POSTGRES_URL`` (a libpq URL
   such as ``postgresql://user:secret@db.example:5432/gdsmodel_test``): point the tests at a
   server of your own with it; the user must be allowed to ``CREATE DATABASE``;
2. else a throwaway cluster started from Debian's PostgreSQL binaries
   (``/usr/lib/postgresql/<version>/bin/initdb`` and ``pg_ctl``, package ``postgresql``), in a
   temporary directory, listening on 127.0.0.1 on a free port and on a unix socket in that
   directory, with ``trust`` authentication; run as root, the cluster runs as the unprivileged
   user ``nobody`` (PostgreSQL refuses to run as root). It is stopped and removed at the end of
   the test session.

When neither works the tests that need the server are skipped with a reason that says so
loudly (``pytest -ra`` lists it). Set ``GDSMODEL_REQUIRE_POSTGRES=1`` to turn that skip into
a failure (useful in CI, where a skipped database suite would hide a broken install).

The fixtures (registered in ``tests/conftest.py``):

* ``postgres_url`` (session): the URL of the server's maintenance database;
* ``postgres_database`` (function): the URL of a new, empty database, dropped after the test.

Tests that use them are marked ``@pytest.mark.slow``.

>>> _database_url("postgresql://u@127.0.0.1:5/postgres", "gds_t1")
'postgresql://u@127.0.0.1:5/gds_t1'
>>> _database_url("postgresql://u@h/postgres?sslmode=disable", "gds_t1")
'postgresql://u@h/gds_t1?sslmode=disable'
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

import pytest

ENV_URL = "GDSMODEL_TEST_POSTGRES_URL"
ENV_REQUIRE = "GDSMODEL_REQUIRE_POSTGRES"
_UNPRIVILEGED = "nobody"


class ServerUnavailable(RuntimeError):
    """No PostgreSQL server could be reached or started (the message says why)."""


def _bin_dir() -> str:
    """The newest Debian PostgreSQL ``bin`` folder holding ``initdb`` and ``pg_ctl``."""

    def version(path: str) -> tuple[int, ...]:
        name = path.rstrip("/").split("/")[-2]
        return tuple(int(p) for p in name.split(".") if p.isdigit())

    found = [
        d
        for d in glob.glob("/usr/lib/postgresql/*/bin/")
        if os.path.exists(os.path.join(d, "initdb")) and os.path.exists(os.path.join(d, "pg_ctl"))
    ]
    if not found:
        raise ServerUnavailable(
            "no PostgreSQL binaries in /usr/lib/postgresql/*/bin "
            "(install Debian's 'postgresql' package, or set " + ENV_URL + ")"
        )
    return sorted(found, key=version)[-1]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _database_url(url: str, database: str) -> str:
    """``url`` with its database (the path) replaced by ``database``."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + database, parts.query, parts.fragment))


class PostgresServer:
    """A throwaway PostgreSQL cluster: :meth:`start` it, use :attr:`url`, :meth:`stop` it."""

    def __init__(self) -> None:
        self.bin = _bin_dir()
        self.root = tempfile.mkdtemp(prefix="gdsmodel-pg-")
        self.data = os.path.join(self.root, "data")
        self.log = os.path.join(self.root, "server.log")
        self.port = _free_port()
        self.user = "postgres"
        self._as: str | None = _UNPRIVILEGED if os.geteuid() == 0 else None
        self.started = False

    @property
    def url(self) -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [os.path.join(self.bin, args[0]), *args[1:]],
            user=self._as,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            env={**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8", "TZ": "UTC"},
            cwd=self.root,
        )

    def start(self) -> None:
        if self._as is not None:
            shutil.chown(self.root, user=self._as)
            os.chmod(self.root, 0o700)
        init = self._run(
            "initdb",
            "-D",
            self.data,
            "-U",
            self.user,
            "--auth=trust",
            "--encoding=UTF8",
            "--no-instructions",
        )
        if init.returncode != 0:
            raise ServerUnavailable(f"initdb failed: {init.stderr.strip() or init.stdout.strip()}")
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -c unix_socket_directories={self.root}"
            " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            " -c max_connections=100 -c shared_buffers=64MB -c TimeZone=UTC"
        )
        for attempt in range(3):
            run = self._run(
                "pg_ctl", "-D", self.data, "-l", self.log, "-o", options, "-w", "-t", "60", "start"
            )
            if run.returncode == 0:
                self.started = True
                return
            if attempt < 2:  # the free port may have been taken meanwhile: try another
                options = options.replace(f"-p {self.port}", f"-p {(port := _free_port())}")
                self.port = port
                time.sleep(0.5)
        log = ""
        with contextlib.suppress(OSError), open(self.log, encoding="utf-8") as f:
            log = f.read()[-2000:]
        raise ServerUnavailable(f"pg_ctl start failed: {run.stderr.strip()} {log.strip()}")

    def stop(self) -> None:
        if self.started:
            self._run("pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop", timeout=60)
            self.started = False
        shutil.rmtree(self.root, ignore_errors=True)


def _check(url: str) -> None:
    """Connect once, so a wrong URL fails here with a clear reason."""
    try:
        import psycopg
    except ImportError:
        raise ServerUnavailable("psycopg is not installed: pip install 'psycopg[binary]'") from None
    try:
        with psycopg.connect(url, connect_timeout=10) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as exc:
        raise ServerUnavailable(f"cannot connect to {_redacted(url)}: {exc}") from None


def _redacted(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(":" + parts.password + "@", ":***@")
        return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    return url


@contextlib.contextmanager
def postgres_server() -> Iterator[str]:
    """The URL of a server to test with (see the module docstring); raises
    :class:`ServerUnavailable` when there is none."""
    given = os.environ.get(ENV_URL)
    if given:
        _check(given)
        yield given
        return
    server = PostgresServer()
    try:
        server.start()
        _check(server.url)
        yield server.url
    finally:
        server.stop()


def create_database(url: str, prefix: str = "gds_test") -> str:
    """Create a new, empty database on the server of ``url``; returns its URL."""
    import psycopg
    from psycopg import sql

    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return _database_url(url, name)


def drop_database(url: str, database_url: str) -> None:
    """Drop the database of ``database_url`` (closing its other connections first)."""
    import psycopg
    from psycopg import sql

    name = urlsplit(database_url).path.lstrip("/")
    with psycopg.connect(url, autocommit=True) as conn:
        drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
        conn.execute(drop.format(sql.Identifier(name)))


def unavailable(reason: str) -> None:
    """Skip loudly (or fail, with ``GDSMODEL_REQUIRE_POSTGRES=1``)."""
    message = f"!!! POSTGRESQL TESTS NOT RUN: no server ({reason}) !!!"
    if os.environ.get(ENV_REQUIRE) == "1":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """The URL of a PostgreSQL server's maintenance database (skips loudly without one)."""
    try:
        cm = postgres_server()
        url = cm.__enter__()
    except ServerUnavailable as exc:
        unavailable(str(exc))
        return
    try:
        yield url
    finally:
        cm.__exit__(None, None, None)


@pytest.fixture
def postgres_database(postgres_url: str) -> Iterator[str]:
    """The URL of a new, empty database for one test, dropped afterwards."""
    url = create_database(postgres_url)
    try:
        yield url
    finally:
        drop_database(postgres_url, url)
