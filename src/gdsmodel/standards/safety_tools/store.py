"""Where a ledger's events are kept: in memory, in a JSON file, or in SQLite.

* JSON: the whole log in one UTF-8 file, rewritten atomically on every change (a temporary file in
  the same directory, flushed and fsynced, then ``os.replace``), so a crash leaves either the old
  or the new file, never a torn one. Meant for small ledgers, exchange and review; one writer.
* SQLite (stdlib :mod:`sqlite3`): write-ahead log (WAL), ``synchronous=FULL``, one transaction per
  ledger operation. A crash at any moment loses nothing that was committed. Several processes may
  write: each operation first reads the events others committed since, under the write lock.

Stores only keep events; they know nothing of the rules (the ledger applies those).

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

import contextlib
import json
import os
import sqlite3
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

from gdsmodel.errors import DataFileError, GdsmodelError, InputError
from gdsmodel.standards.safety_tools.events import Event, event_from_dict, event_to_dict

__all__ = [
    "FORMAT",
    "VERSION",
    "JsonStore",
    "MemoryStore",
    "SqliteStore",
    "Store",
    "StoreError",
    "atomic_write_text",
    "open_store",
    "write_events",
]

#: The ``format`` tag of a ledger file, and its version.
FORMAT = "gdsmodel-safety-tools-ledger"
VERSION = 1

Plan = Callable[[Sequence[Event]], Sequence[Event]]


class StoreError(GdsmodelError):
    """The ledger file could not be written or read (locked, disk full, permission...).

    >>> print(StoreError("database is locked"))
    database is locked
    """


class Store(Protocol):
    """What the ledger needs from a store (:class:`MemoryStore`, :class:`JsonStore`,
    :class:`SqliteStore`).

    >>> isinstance(MemoryStore().load(), list)
    True
    """

    @property
    def path(self) -> Path | None:
        """The file, or None in memory."""
        ...  # pragma: no cover

    def load(self) -> list[Event]:
        """Every stored event, in order."""
        ...  # pragma: no cover

    def read_after(self, seq: int) -> list[Event]:
        """Events stored after the first ``seq`` ones (written by others since)."""
        ...  # pragma: no cover

    def append(self, known: int, plan: Plan) -> tuple[list[Event], list[Event]]:
        """Under the write lock: read the events after ``known``, ask ``plan`` for new ones, write
        them all or none. Returns (events found, events written)."""
        ...  # pragma: no cover

    def close(self) -> None:
        """Release the file."""
        ...  # pragma: no cover


class MemoryStore:
    """No file: the ledger's own list is the only copy.

    >>> MemoryStore().append(0, lambda fresh: [])
    ([], [])
    """

    path: Path | None = None

    def load(self) -> list[Event]:
        """Nothing is stored outside the ledger."""
        return []

    def read_after(self, seq: int) -> list[Event]:
        """Nothing is written by others."""
        return []

    def append(self, known: int, plan: Plan) -> tuple[list[Event], list[Event]]:
        """Run the plan; there is nothing to write."""
        return [], list(plan(()))

    def close(self) -> None:
        """Nothing to release."""


# ----------------------------------------------------------------------------- JSON


def atomic_write_text(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` atomically: temporary file, fsync, ``os.replace``.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path((tmp := tempfile.TemporaryDirectory()).name) / "x.json"
    >>> atomic_write_text(p, "{}")
    >>> p.read_text()
    '{}'
    """
    folder = path.parent
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory handles
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def _render_json(events: Sequence[Event]) -> str:
    lines = [json.dumps(event_to_dict(e), ensure_ascii=False, sort_keys=True) for e in events]
    body = ",\n    ".join(lines)
    events_text = f"[\n    {body}\n  ]" if lines else "[]"
    return f'{{\n  "format": "{FORMAT}",\n  "version": {VERSION},\n  "events": {events_text}\n}}\n'


def _parse_json(text: str, file: str) -> list[Event]:
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataFileError(f"not valid JSON: {exc.msg}", file=file, line=exc.lineno) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise DataFileError(f'not a safety-tool ledger (expected "format": "{FORMAT}")', file=file)
    if data.get("version") != VERSION:
        raise DataFileError(
            f"ledger version {data.get('version')!r} is not supported (supported: {VERSION})",
            file=file,
            path="version",
        )
    extra = sorted(set(data) - {"format", "version", "events"})
    if extra:
        raise DataFileError(f"unknown keys {extra} are not allowed", file=file)
    raw = data.get("events")
    if not isinstance(raw, list):
        raise DataFileError("events must be a list", file=file, path="events")
    return [_event_at(item, file, f"events[{i}]") for i, item in enumerate(raw)]


def _event_at(item: Any, file: str, where: str) -> Event:
    try:
        return event_from_dict(item)
    except DataFileError as exc:
        inner = (exc.path or "$").removeprefix("$")
        raise DataFileError(exc.message, file=file, path=where + inner) from None


class JsonStore:
    """The ledger as one JSON file, rewritten atomically on every operation (one writer).

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path((tmp := tempfile.TemporaryDirectory()).name)
    >>> store = JsonStore(folder / "tools.json", create=True)
    >>> store.load()
    []
    """

    def __init__(self, path: Path, *, create: bool = True) -> None:
        self._path = path
        if path.exists():
            self._events = self._read()
        elif create:
            self._events = []
            _write_or_fail(path, _render_json([]))
        else:
            raise _missing(path)

    @property
    def path(self) -> Path | None:
        """The JSON file."""
        return self._path

    def _read(self) -> list[Event]:
        try:
            text = self._path.read_text(encoding="utf-8")
        except OSError as exc:
            raise StoreError(f"{self._path}: cannot read: {exc.strerror}") from None
        except UnicodeDecodeError:
            raise DataFileError("the file is not UTF-8 text", file=str(self._path)) from None
        return _parse_json(text, str(self._path))

    def load(self) -> list[Event]:
        """The events in the file now."""
        return self._read()

    def read_after(self, seq: int) -> list[Event]:
        """Events in the file beyond the first ``seq`` (adopted when they extend this store's)."""
        events = self._read()
        if events[: len(self._events)] == self._events:
            self._events = events
        return events[seq:]

    def append(self, known: int, plan: Plan) -> tuple[list[Event], list[Event]]:
        """Write the file anew with the planned events added."""
        fresh = self._events[known:]
        new = list(plan(fresh))
        if new:
            _write_or_fail(self._path, _render_json([*self._events, *new]))
            self._events = [*self._events, *new]
        return fresh, new

    def close(self) -> None:
        """Nothing stays open."""


def _write_or_fail(path: Path, text: str) -> None:
    try:
        atomic_write_text(path, text)
    except OSError as exc:
        raise StoreError(f"{path}: cannot write: {exc.strerror}") from None


def _missing(path: Path) -> InputError:
    return InputError(
        "there is no ledger file here",
        name="path",
        value=str(path),
        allowed="an existing ledger file (register a tool to create one)",
    )


# ----------------------------------------------------------------------------- SQLite

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY,
    serial TEXT NOT NULL,
    type TEXT NOT NULL,
    on_date TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_by_serial ON events (serial, seq);
"""


class SqliteStore:
    """The ledger in SQLite: WAL, ``synchronous=FULL``, one transaction per operation.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path((tmp := tempfile.TemporaryDirectory()).name)
    >>> store = SqliteStore(folder / "tools.sqlite")
    >>> store.load(), store.journal_mode
    ([], 'wal')
    >>> store.close()
    """

    def __init__(self, path: Path, *, create: bool = True, timeout: float = 30.0) -> None:
        self._path = path
        self._file = str(path)
        if not path.exists() and not create:
            raise _missing(path)
        try:
            self._db = sqlite3.connect(self._file, isolation_level=None, timeout=timeout)
        except sqlite3.Error as exc:
            raise StoreError(f"{path}: cannot open: {exc}") from None
        try:
            self._setup()
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise DataFileError(f"not a usable SQLite ledger: {exc}", file=self._file) from None
        except BaseException:
            self._db.close()
            raise

    def _setup(self) -> None:
        db = self._db
        self.journal_mode: str = db.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        db.execute("PRAGMA synchronous=FULL")
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if tables and "meta" not in tables:
            raise DataFileError(
                "a SQLite database, but not a safety-tool ledger (no meta table)", file=self._file
            )
        if not tables:
            db.execute("BEGIN IMMEDIATE")
            try:
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute(
                    "INSERT OR IGNORE INTO meta (key, value) VALUES ('format', ?), ('version', ?)",
                    (FORMAT, str(VERSION)),
                )
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
        meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
        if meta.get("format") != FORMAT:
            raise DataFileError(
                f"not a safety-tool ledger (meta format {meta.get('format')!r})", file=self._file
            )
        if meta.get("version") != str(VERSION):
            raise DataFileError(
                f"ledger version {meta.get('version')!r} is not supported (supported: {VERSION})",
                file=self._file,
                path="meta.version",
            )

    @property
    def path(self) -> Path | None:
        """The database file."""
        return self._path

    def _rows(self, after: int) -> list[Event]:
        rows = self._db.execute(
            "SELECT seq, serial, type, data FROM events WHERE seq > ? ORDER BY seq", (after,)
        ).fetchall()
        out: list[Event] = []
        for expected, (seq, serial, kind, data) in enumerate(rows, start=after + 1):
            where = f"events[seq={seq}]"
            if seq != expected:
                raise DataFileError(
                    f"event {expected} is missing (the log jumps to {seq})",
                    file=self._file,
                    path=where,
                )
            try:
                item = json.loads(data)
            except (json.JSONDecodeError, TypeError):
                raise DataFileError(
                    "the event data is not JSON", file=self._file, path=where
                ) from None
            event = _event_at(item, self._file, where)
            if event.serial != serial or kind != event.TYPE:
                raise DataFileError(
                    "the serial or type column disagrees with the event data",
                    file=self._file,
                    path=where,
                )
            out.append(event)
        return out

    def load(self) -> list[Event]:
        """Every committed event, in order."""
        try:
            return self._rows(0)
        except sqlite3.DatabaseError as exc:
            raise DataFileError(f"cannot read the ledger: {exc}", file=self._file) from None

    def read_after(self, seq: int) -> list[Event]:
        """Events committed after the first ``seq``."""
        try:
            return self._rows(seq)
        except sqlite3.DatabaseError as exc:
            raise DataFileError(f"cannot read the ledger: {exc}", file=self._file) from None

    def append(self, known: int, plan: Plan) -> tuple[list[Event], list[Event]]:
        """One transaction: read what others committed, plan, insert, commit (or roll back)."""
        db = self._db
        try:
            db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(f"{self._path}: cannot lock the ledger: {exc}") from None
        try:
            fresh = self._rows(known)
            new = list(plan(fresh))
            first = known + len(fresh) + 1
            db.executemany(
                "INSERT INTO events (seq, serial, type, on_date, data) VALUES (?, ?, ?, ?, ?)",
                [
                    (
                        first + i,
                        e.serial,
                        e.TYPE,
                        e.on.isoformat(),
                        json.dumps(event_to_dict(e), ensure_ascii=False, sort_keys=True),
                    )
                    for i, e in enumerate(new)
                ],
            )
            db.execute("COMMIT")
        except sqlite3.Error as exc:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise StoreError(f"{self._path}: cannot write the ledger: {exc}") from None
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
        return fresh, new

    def integrity(self) -> str:
        """SQLite's own ``PRAGMA integrity_check`` ('ok' when sound).

        >>> import tempfile, pathlib
        >>> folder = pathlib.Path((tmp := tempfile.TemporaryDirectory()).name)
        >>> SqliteStore(folder / "t.sqlite").integrity()
        'ok'
        """
        rows = self._db.execute("PRAGMA integrity_check").fetchall()
        return "; ".join(str(r[0]) for r in rows)

    def close(self) -> None:
        """Close the connection."""
        self._db.close()


def open_store(path: str | Path, *, create: bool = True) -> JsonStore | SqliteStore:
    """The store for a file: JSON when the name ends in ``.json``, SQLite otherwise.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path((tmp := tempfile.TemporaryDirectory()).name)
    >>> type(open_store(folder / "t.json")).__name__
    'JsonStore'
    """
    p = Path(path)
    if p.suffix.lower() == ".json":
        return JsonStore(p, create=create)
    return SqliteStore(p, create=create)


def write_events(path: str | Path, events: Sequence[Event], *, overwrite: bool = False) -> None:
    """Write a whole ledger to a new file (JSON or SQLite by suffix), all at once.

    An existing file is refused unless ``overwrite`` is true; the new file appears complete or not
    at all.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path((tmp := tempfile.TemporaryDirectory()).name) / "copy.json"
    >>> write_events(p, [])
    >>> JsonStore(p).load()
    []
    """
    p = Path(path)
    if p.exists() and not overwrite:
        raise InputError(
            "the file exists", name="path", value=str(p), allowed="a new file, or overwrite=True"
        )
    if p.suffix.lower() == ".json":
        _write_or_fail(p, _render_json(events))
        return
    fd, tmp_name = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=p.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        tmp.unlink()
        store = SqliteStore(tmp)
        try:
            store.append(0, lambda fresh: events)
            store._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            store._db.execute("PRAGMA journal_mode=DELETE")
        finally:
            store.close()
        for side in ("-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(str(p) + side)
        os.replace(tmp, p)
        _fsync_dir(p.parent)
    except BaseException:
        for side in ("", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(str(tmp) + side)
        raise
