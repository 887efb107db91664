"""Where a log of records' events is kept: in memory, in a JSON file, in SQLite (or PostgreSQL,
:mod:`~gdsmodel.standards.records.pgstore`). One engine for every kind of record: what a kind's
events look like is a :class:`Codec` the stores take as a parameter.

* JSON: the whole log in one UTF-8 file, rewritten atomically on every change (a temporary file in
  the same directory, flushed and fsynced, then ``os.replace``), so a crash leaves either the old
  or the new file, never a torn one. Writers take an exclusive lock (a ``.lock`` file beside it)
  and read the file again under it, so several may share it. Meant for small logs, exchange
  and review: each write rewrites the whole file.
* SQLite (stdlib :mod:`sqlite3`): write-ahead log (WAL), ``synchronous=FULL``, one transaction per
  operation. A crash at any moment loses nothing that was committed. Several processes may
  write: each operation first reads the events others committed since, under the write lock. A
  new file is built aside and linked into place, so a log is never an empty file: a 0-byte file
  is refused. A file this process may not write (or one in a read-only folder) opens read-only.

Every stored event carries the hash of the chain (:mod:`~gdsmodel.standards.records.chain`);
reading verifies it and names the first event that does not match.

Stores only keep events; they know nothing of the rules (the book or ledger applies those).

>>> import tempfile, pathlib, datetime
>>> from gdsmodel.standards.safety_tools.codec import TOOLS
>>> from gdsmodel.standards.safety_tools.events import Registered
>>> path = pathlib.Path((tmp := tempfile.TemporaryDirectory()).name) / "tools.sqlite"
>>> from gdsmodel.standards.records.location import open_store
>>> store = open_store(TOOLS, path)
>>> ev = Registered(serial="A-1", on=datetime.date(2026, 1, 5), kind="phase_checker")
>>> store.append(0, lambda fresh: [ev])
([], [Registered(serial='A-1', ...)])
>>> store.close()
>>> open_store(TOOLS, path).load() == [ev]
True
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

import attrs

from gdsmodel import _show
from gdsmodel.errors import DataFileError, GdsmodelError, InputError
from gdsmodel.standards.records.chain import GENESIS, ChainBroken, link

__all__ = [
    "Codec",
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
    "render_json",
    "write_events",
]

E = TypeVar("E")

Plan = Callable[[Sequence[E]], Sequence[E]]


@attrs.frozen(slots=True, kw_only=True)
class Codec(Generic[E]):
    """What a store needs to know of one kind of event: the file's ``format`` tag and version
    (and the versions it still reads: 1 has no chain hashes, chained on its first write), the
    name of the log in messages (``noun``), how a new log comes about (``create_hint``), the
    event's wire form both ways, and its key, type and date (the indexed columns).
    ``tables`` is the prefix of a PostgreSQL store's tables.

    >>> from gdsmodel.standards.safety_tools.codec import TOOLS
    >>> TOOLS.format, TOOLS.noun
    ('gdsmodel-safety-tools-ledger', 'safety-tool ledger')
    """

    format: str
    version: int
    versions: tuple[int, ...]
    noun: str
    create_hint: str
    to_dict: Callable[[E], dict[str, Any]]
    from_dict: Callable[[Any], E]
    key: Callable[[E], str]
    type_of: Callable[[E], str]
    on: Callable[[E], Any]
    tables: str

    def __repr__(self) -> str:
        return _show.short_repr(self)


class StoreError(GdsmodelError):
    """The ledger file could not be written or read (locked, disk full, permission...).

    >>> print(StoreError("database is locked"))
    database is locked
    """


class LedgerReplaced(StoreError):
    """The file no longer begins with the events this ledger read: replaced or rewritten behind
    it (with a chain of its own). Open it again.

    >>> isinstance(LedgerReplaced("x"), StoreError)
    True
    """


class Store(Protocol[E]):
    """What the ledger needs from a store (:class:`MemoryStore`, :class:`JsonStore`,
    :class:`SqliteStore`).

    >>> isinstance(MemoryStore().load(), list)
    True
    """

    @property
    def path(self) -> Path | None:
        """The file, or None (in memory, in a database)."""
        ...  # pragma: no cover

    @property
    def where(self) -> str | None:
        """Where the events are kept, for messages: the file, the database and station, or None
        in memory."""
        ...  # pragma: no cover

    @property
    def head(self) -> str:
        """The chain hash after the last event this store has read or written."""
        ...  # pragma: no cover

    def load(self) -> list[E]:
        """Every stored event, in order (the chain verified: :class:`ChainBroken` if not)."""
        ...  # pragma: no cover

    def open_events(self) -> tuple[list[E], ChainBroken | None]:
        """The events read when the store was opened, and the first break of their chain (not
        raised, so that the ledger can first say which event breaks its rules)."""
        ...  # pragma: no cover

    def integrity(self) -> str:
        """'ok', or what is wrong with the stored log (its chain, the database's own check)."""
        ...  # pragma: no cover

    def read_after(self, seq: int) -> list[E]:
        """Events stored after the first ``seq`` ones (written by others since)."""
        ...  # pragma: no cover

    def append(self, known: int, plan: Plan[E]) -> tuple[list[E], list[E]]:
        """Under the write lock: read the events after ``known``, ask ``plan`` for new ones, write
        them all or none. Returns (events found, events written)."""
        ...  # pragma: no cover

    def close(self) -> None:
        """Release the file."""
        ...  # pragma: no cover


class MemoryStore(Generic[E]):
    """No file: the ledger's own list is the only copy.

    >>> MemoryStore().append(0, lambda fresh: [])
    ([], [])
    """

    def __repr__(self) -> str:
        return _show.store_repr(self)

    path: Path | None = None
    where: str | None = None
    head: str = GENESIS

    def load(self) -> list[E]:
        """Nothing is stored outside the ledger."""
        return []

    def open_events(self) -> tuple[list[E], ChainBroken | None]:
        """Nothing is stored."""
        return [], None

    def integrity(self) -> str:
        """Nothing stored, nothing wrong."""
        return "ok"

    def read_after(self, seq: int) -> list[E]:
        """Nothing is written by others."""
        return []

    def append(self, known: int, plan: Plan[E]) -> tuple[list[E], list[E]]:
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
    mode = _mode_for(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            fchmod = getattr(os, "fchmod", None)  # not on every platform
            if fchmod is not None:
                fchmod(f.fileno(), mode)
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _fsync_dir(folder)


def _mode_for(path: Path) -> int:
    """The permission bits of the file being replaced; for a new file, what ``open`` gives
    (0o666 less the umask)."""
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0o022)
        os.umask(umask)
        return 0o666 & ~umask


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


def _json_encoder() -> Callable[[Any], str]:
    """What ``json.dumps(data, ensure_ascii=False, sort_keys=True)`` writes, as one function.

    ``JSONEncoder.encode`` builds the C encoder anew on every call; for a log of a million events
    it is built once here, and used only when it writes exactly what ``encode`` writes.
    """
    encoder = json.JSONEncoder(ensure_ascii=False, sort_keys=True)
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # pragma: no cover - CPython has it
        return encoder.encode
    try:
        c_encode = make(
            None,  # no circular check: an event's data is a fresh tree of dicts and lists
            encoder.default,
            json.encoder.encode_basestring,
            None,
            encoder.key_separator,
            encoder.item_separator,
            True,  # sort_keys
            False,  # skipkeys
            True,  # allow_nan
        )

        def encode(data: Any) -> str:
            return "".join(c_encode(data, 0))

        sample = {"z": '王五 "引号"\n\t', "a": [{"name": "U", "value": "8 kV"}], "b": True}
        sample |= {"c": None, "d": False, "e": "", "f": 1}
        if encode(sample) == encoder.encode(sample):
            return encode
    except Exception:  # pragma: no cover - a Python whose C encoder differs
        pass
    return encoder.encode  # pragma: no cover


_ENCODE = _json_encoder()

# json.loads runs the decoder's scanner from the first non-blank character and then refuses
# anything but blanks after the value; a row that is one JSON object, nothing around it, can go
# to the scanner directly (anything else goes to json.loads, which says what is wrong).
_SCAN: Callable[[str, int], tuple[Any, int]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]


def _json_loads(data: Any) -> Any:
    """``json.loads(data)``, quicker for the text of one JSON object."""
    if isinstance(data, str) and data[:1] == "{":
        try:
            value, end = _SCAN(data, 0)
        except (StopIteration, ValueError):
            return json.loads(data)
        if end == len(data):
            return value
    return json.loads(data)


def _event_json(codec: Codec[E], event: E) -> str:
    """The stored text of one event (a row of SQLite; the canonical text of its hash)."""
    return _ENCODE(codec.to_dict(event))


def _chained_lines(
    codec: Codec[E], events: Sequence[E], previous: str = GENESIS
) -> Iterator[tuple[str, str]]:
    """(hash, canonical text) of each event, chained from ``previous``."""
    h = previous
    for e in events:
        data = codec.to_dict(e)
        text = _ENCODE(data)
        h = link(h, text)
        data["hash"] = h
        yield h, _ENCODE(data)


def chain_head(codec: Codec[E], events: Sequence[E]) -> str:
    """The chain hash after ``events`` (what a store holding them records last).

    >>> from gdsmodel.standards.safety_tools.codec import TOOLS
    >>> chain_head(TOOLS, [])
    ''
    """
    head = GENESIS
    for h, _ in _chained_lines(codec, events):
        head = h
    return head


def _render_json(codec: Codec[E], events: Sequence[E]) -> str:
    lines = [line for _, line in _chained_lines(codec, events)]
    body = ",\n    ".join(lines)
    events_text = f"[\n    {body}\n  ]" if lines else "[]"
    return (
        f'{{\n  "format": "{codec.format}",\n  "version": {codec.version},\n'
        f'  "events": {events_text}\n}}\n'
    )


def _short(exc: BaseException) -> str:
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    return str(exc)[:200]


class _Parsed(Generic[E]):
    """A log file read: its events, the chain hash after each, the first break (if any)."""

    __slots__ = ("broken", "events", "hashes")

    def __init__(self, events: list[E], hashes: list[str], broken: ChainBroken | None) -> None:
        self.events, self.hashes, self.broken = events, hashes, broken

    @property
    def head(self) -> str:
        return self.hashes[-1] if self.hashes else GENESIS


def _parse_json(codec: Codec[E], text: str, file: str) -> _Parsed[E]:
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataFileError(f"not valid JSON: {exc.msg}", file=file, line=exc.lineno) from None
    except (ValueError, RecursionError) as exc:  # a 5,000-digit number, 100,000-deep nesting
        raise DataFileError(f"not a readable ledger: {_short(exc)}", file=file) from None
    if not isinstance(data, dict) or data.get("format") != codec.format:
        raise DataFileError(f'not a {codec.noun} (expected "format": "{codec.format}")', file=file)
    version = data.get("version")
    if isinstance(version, bool) or version not in codec.versions:
        raise DataFileError(
            f"ledger version {version!r} is not supported (supported: "
            f"{', '.join(map(str, codec.versions))})",
            file=file,
            path="version",
        )
    extra = sorted(set(data) - {"format", "version", "events"})
    if extra:
        raise DataFileError(f"unknown keys {extra} are not allowed", file=file)
    raw = data.get("events")
    if not isinstance(raw, list):
        raise DataFileError("events must be a list", file=file, path="events")
    chained = version >= 2
    events: list[E] = []
    hashes: list[str] = []
    broken: ChainBroken | None = None
    h = GENESIS
    for i, item in enumerate(raw):
        stored: Any = None
        if chained and isinstance(item, dict):
            item = dict(item)
            stored = item.pop("hash", None)
        events.append(_event_at(codec, item, file, f"events[{i}]"))
        h = link(h, _ENCODE(item))
        hashes.append(h)
        if chained and broken is None and stored != h:
            broken = ChainBroken(i + 1, file=file, path=f"events[{i}]")
    return _Parsed(events, hashes, broken)


def _event_at(codec: Codec[E], item: Any, file: str, where: str) -> E:
    try:
        return codec.from_dict(item)
    except DataFileError as exc:
        raise _placed(exc, file, where) from None


def _placed(exc: DataFileError, file: str, where: str) -> DataFileError:
    """The error of an event's data, placed in the file (``where`` the event is)."""
    inner = (exc.path or "$").removeprefix("$")
    return DataFileError(exc.message, file=file, path=where + inner)


class JsonStore(Generic[E]):
    """The ledger as one JSON file, rewritten atomically on every operation.

    Several writers (processes or threads) may share the file: each operation takes an exclusive
    lock (a ``.lock`` file beside the ledger, through :mod:`filelock`), reads the file again under
    it, adds its events and replaces the file atomically before it lets go. Readers take no lock:
    they see the old file or the new one, never a torn one. The file keeps its mode; a read-only
    file is refused, never replaced.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path((tmp := tempfile.TemporaryDirectory()).name)
    >>> from gdsmodel.standards.safety_tools.codec import TOOLS
    >>> store = JsonStore(folder / "tools.json", codec=TOOLS, create=True)
    >>> store.load()
    []
    """

    def __repr__(self) -> str:
        return _show.store_repr(self)

    def __init__(
        self, path: Path, *, codec: Codec[E], create: bool = True, timeout: float = 30.0
    ) -> None:
        self._path = path
        self._codec = codec
        self._timeout = timeout
        if path.exists():
            parsed = self._read()
        elif create:
            with self._locked():
                if path.exists():  # another writer created it meanwhile
                    parsed = self._read()
                else:
                    _write_or_fail(path, _render_json(codec, []))
                    parsed = _Parsed([], [], None)
        else:
            raise _missing(path, codec)
        self._events, self._hashes = parsed.events, parsed.hashes
        self._opened: _Parsed[E] | None = parsed

    @property
    def path(self) -> Path | None:
        """The JSON file."""
        return self._path

    @property
    def where(self) -> str | None:
        """The JSON file's name."""
        return str(self._path)

    @property
    def head(self) -> str:
        """The chain hash after the last event read or written."""
        return self._hashes[-1] if self._hashes else GENESIS

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """The exclusive write lock of the file (released on exit, and by the system when the
        process dies)."""
        import filelock

        lock = filelock.FileLock(str(self._path) + ".lock", timeout=self._timeout)
        try:
            lock.acquire()
        except filelock.Timeout:
            raise StoreError(
                f"{self._path}: another writer has held the ledger for over {self._timeout:g} s"
            ) from None
        except OSError as exc:
            raise StoreError(
                f"{self._path}: cannot lock the ledger for writing: {exc.strerror or exc} "
                "(reading it needs no lock)"
            ) from None
        try:
            yield
        finally:
            lock.release()

    def _read(self) -> _Parsed[E]:
        try:
            text = self._path.read_text(encoding="utf-8")
        except OSError as exc:
            raise StoreError(f"{self._path}: cannot read: {exc.strerror}") from None
        except UnicodeDecodeError:
            raise DataFileError("the file is not UTF-8 text", file=str(self._path)) from None
        return _parse_json(self._codec, text, str(self._path))

    def _verified(self) -> _Parsed[E]:
        parsed = self._read()
        if parsed.broken is not None:
            raise parsed.broken
        return parsed

    def open_events(self) -> tuple[list[E], ChainBroken | None]:
        """The events read when the store was opened (so that opening reads the file once)."""
        opened, self._opened = self._opened, None
        if opened is None:
            opened = self._read()
        return list(opened.events), opened.broken

    def load(self) -> list[E]:
        """The events in the file now (the chain verified)."""
        return self._verified().events

    def integrity(self) -> str:
        """'ok', or the first problem of the file (its chain, its events).

        >>> import tempfile, pathlib
        >>> from gdsmodel.standards.safety_tools.codec import TOOLS
        >>> JsonStore(pathlib.Path(tempfile.mkdtemp()) / "t.json", codec=TOOLS).integrity()
        'ok'
        """
        try:
            self._verified()
        except DataFileError as exc:
            return str(exc)
        return "ok"

    def _adopt(self, parsed: _Parsed[E], known: int) -> None:
        """Take the file's events as this store's when they extend the ``known`` first ones."""
        if len(parsed.hashes) < known or (
            known and parsed.hashes[known - 1] != self._hashes[known - 1]
        ):
            raise LedgerReplaced(
                f"{self._path}: the file no longer holds the events this ledger read "
                "(it was replaced or edited); open it again"
            )
        self._events, self._hashes = parsed.events, parsed.hashes

    def read_after(self, seq: int) -> list[E]:
        """Events in the file beyond the first ``seq``."""
        parsed = self._verified()
        self._adopt(parsed, seq)
        return parsed.events[seq:]

    def append(self, known: int, plan: Plan[E]) -> tuple[list[E], list[E]]:
        """Under the lock: read the file again, plan with the events others wrote since, and
        write the file anew with the planned events added."""
        with self._locked():
            parsed = self._verified()
            self._adopt(parsed, known)
            fresh = parsed.events[known:]
            new = list(plan(fresh))
            if new:
                _refuse_read_only(self._path)
                everything = [*parsed.events, *new]
                _write_or_fail(self._path, _render_json(self._codec, everything))
                self._events = everything
                self._hashes = [
                    *parsed.hashes,
                    *(h for h, _ in _chained_lines(self._codec, new, self.head)),
                ]
        return fresh, new

    def close(self) -> None:
        """Nothing stays open."""


def _refuse_read_only(path: Path) -> None:
    """A file without write permission (for its owner, or for this process) is not replaced."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return
    if not mode & 0o222 or not os.access(path, os.W_OK):
        raise StoreError(
            f"{path}: the ledger file is read-only; nothing was written (make it writable to "
            "record events)"
        )


def _write_or_fail(path: Path, text: str) -> None:
    try:
        atomic_write_text(path, text)
    except OSError as exc:
        raise StoreError(f"{path}: cannot write: {exc.strerror}") from None


def _missing(path: Path, codec: Codec[Any]) -> InputError:
    return InputError(
        "there is no ledger file here",
        name="path",
        value=str(path),
        allowed=f"an existing ledger file ({codec.create_hint})",
    )


# ----------------------------------------------------------------------------- SQLite

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY,
    serial TEXT NOT NULL,
    type TEXT NOT NULL,
    on_date TEXT NOT NULL,
    data TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_by_serial ON events (serial, seq);
"""


_INSERT = "INSERT INTO events (seq, serial, type, on_date, data, hash) VALUES (?, ?, ?, ?, ?, ?)"


def event_rows(
    codec: Codec[E], events: Iterable[E], first: int, previous: str = GENESIS
) -> Iterator[tuple[int, str, str, str, str, str]]:
    """The rows of ``events`` numbered from ``first``, chained from ``previous``, one at a time."""
    h = previous
    key, type_of, on = codec.key, codec.type_of, codec.on
    for seq, e in enumerate(events, start=first):
        text = _event_json(codec, e)
        h = link(h, text)
        yield seq, key(e), type_of(e), on(e).isoformat(), text, h


def checked_rows(
    codec: Codec[E],
    rows: Sequence[Sequence[Any]],
    after: int,
    previous: str,
    where: str,
    *,
    chained: bool = True,
) -> tuple[list[E], ChainBroken | None, str]:
    """The events of stored rows ``(seq, serial, type, data[, hash])`` numbered from
    ``after + 1``: each parsed, checked against its columns and chained from ``previous``.

    Returns the events, the first break of the chain (None when whole; every row is read either
    way, so that the caller can check the rules first) and the hash after the last row. A
    missing row, a row that is not JSON or not an event raises :class:`DataFileError` at once.
    The rows of a database store (SQLite, PostgreSQL) go through here.

    >>> from gdsmodel.standards.safety_tools.codec import TOOLS
    >>> checked_rows(TOOLS, [], 0, GENESIS, "t.sqlite")
    ([], None, '')
    """
    out: list[E] = []
    append = out.append
    loads, from_dict, key, type_of = _json_loads, codec.from_dict, codec.key, codec.type_of
    scan, sha256 = _SCAN, hashlib.sha256
    h = previous
    broken: ChainBroken | None = None
    # One pass: each row decoded (the scanner directly for the text of one object), structured,
    # checked against its columns and chained over its stored text (link(), inlined).
    for expected, row in enumerate(rows, start=after + 1):
        seq, serial, kind, data = row[:4]
        if data.__class__ is not str and not isinstance(data, str):  # a blob, a number...
            raise DataFileError("the event data is not text", file=where, path=f"events[seq={seq}]")
        if seq != expected:
            raise DataFileError(
                f"event {expected} is missing (the log jumps to {seq})",
                file=where,
                path=f"events[seq={seq}]",
            )
        item = None
        if data[:1] == "{":
            try:
                item, end = scan(data, 0)
            except (StopIteration, ValueError, RecursionError):
                end = -1
            if end != len(data):
                item = None
        if item is None:
            try:
                item = loads(data)
            except (ValueError, TypeError, RecursionError):
                raise DataFileError(
                    "the event data is not JSON", file=where, path=f"events[seq={seq}]"
                ) from None
        try:
            event = from_dict(item)
        except DataFileError as exc:
            raise _placed(exc, where, f"events[seq={seq}]") from None
        if key(event) != serial or kind != type_of(event):
            raise DataFileError(
                "the serial or type column disagrees with the event data",
                file=where,
                path=f"events[seq={seq}]",
            )
        h = sha256((h + data).encode("utf-8")).hexdigest()  # link(h, data)
        if chained and broken is None and row[4] != h:
            broken = ChainBroken(seq, file=where, path=f"events[seq={seq}]")
        append(event)
    return out, broken, h


def _writable(path: Path) -> bool:
    """Whether this process may write the file and create files beside it (the journal)."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return bool(mode & 0o222) and os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _sqlite_uri(path: Path, query: str) -> str:
    from urllib.parse import quote

    return f"file:{quote(str(path.absolute()))}?{query}"


class SqliteStore(Generic[E]):
    """The ledger in SQLite: WAL, ``synchronous=FULL``, one transaction per operation.

    A file this process may not write, or one in a folder where it may not create the journal,
    opens read-only: every query works, writes are refused with :class:`StoreError`.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path((tmp := tempfile.TemporaryDirectory()).name)
    >>> from gdsmodel.standards.safety_tools.codec import TOOLS
    >>> store = SqliteStore(folder / "tools.sqlite", codec=TOOLS)
    >>> store.load(), store.journal_mode
    ([], 'wal')
    >>> store.close()
    """

    def __repr__(self) -> str:
        return _show.store_repr(self)

    def __init__(
        self, path: Path, *, codec: Codec[E], create: bool = True, timeout: float = 30.0
    ) -> None:
        self._path = path
        self._codec = codec
        self._file = str(path)
        if not path.exists():
            if not create:
                raise _missing(path, codec)
            _create_sqlite(codec, path)
        elif path.is_file() and path.stat().st_size == 0:
            raise DataFileError(
                "the file is empty (0 bytes): not a ledger, and not made into one (a ledger "
                "file is never empty; remove the file to start a new ledger)",
                file=self._file,
            )
        self.read_only = not _writable(path)
        self._count, self._head = 0, GENESIS
        self._chained = True
        try:
            if self.read_only:
                self._db = _connect_read_only(path, timeout)
            else:
                self._db = sqlite3.connect(self._file, isolation_level=None, timeout=timeout)
        except sqlite3.Error as exc:
            raise StoreError(f"{path}: cannot open: {exc}") from None
        try:
            self._setup()
        except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:  # damaged text, too
            self._db.close()
            raise DataFileError(f"not a usable SQLite ledger: {exc}", file=self._file) from None
        except BaseException:
            self._db.close()
            raise

    def _setup(self) -> None:
        db = self._db
        if self.read_only:
            self.journal_mode: str = db.execute("PRAGMA journal_mode").fetchone()[0]
        else:
            self.journal_mode = db.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            db.execute("PRAGMA synchronous=FULL")
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "meta" not in tables or "events" not in tables:
            raise DataFileError(
                f"a SQLite database, but not a {self._codec.noun} (no meta and events tables)",
                file=self._file,
            )
        self._read_version()

    def _read_version(self) -> None:
        meta = dict(self._db.execute("SELECT key, value FROM meta").fetchall())
        codec = self._codec
        if meta.get("format") != codec.format:
            raise DataFileError(
                f"not a {codec.noun} (meta format {meta.get('format')!r})", file=self._file
            )
        version = meta.get("version")
        if version not in {str(v) for v in codec.versions}:
            raise DataFileError(
                f"ledger version {version!r} is not supported (supported: "
                f"{', '.join(map(str, codec.versions))})",
                file=self._file,
                path="meta.version",
            )
        self._chained = version != "1"

    @property
    def path(self) -> Path | None:
        """The database file."""
        return self._path

    @property
    def where(self) -> str | None:
        """The database file's name."""
        return self._file

    @property
    def head(self) -> str:
        """The chain hash after the last event read or written."""
        return self._head

    def _head_at(self, seq: int) -> str:
        """The chain hash after the first ``seq`` events (from the kept one when it is that)."""
        if seq == self._count:
            return self._head
        h = GENESIS
        for (data,) in self._db.execute(
            "SELECT data FROM events WHERE seq <= ? ORDER BY seq", (seq,)
        ):
            h = link(h, data)
        return h

    def _rows(self, after: int) -> tuple[list[E], ChainBroken | None]:
        # One read of every row, then each row parsed, checked and chained in one pass.
        self._read_version()
        columns = "seq, serial, type, data, hash" if self._chained else "seq, serial, type, data"
        rows = self._db.execute(
            f"SELECT {columns} FROM events WHERE seq > ? ORDER BY seq", (after,)
        ).fetchall()
        out, broken, h = checked_rows(
            self._codec, rows, after, self._head_at(after), self._file, chained=self._chained
        )
        if broken is None:
            self._count, self._head = after + len(out), h
        return out, broken

    def _read(self, after: int) -> tuple[list[E], ChainBroken | None]:
        try:
            return self._rows(after)
        except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:
            raise DataFileError(f"cannot read the ledger: {exc}", file=self._file) from None

    def _verified(self, after: int) -> list[E]:
        events, broken = self._read(after)
        if broken is not None:
            raise broken
        return events

    def open_events(self) -> tuple[list[E], ChainBroken | None]:
        """Every committed event, and the first break of the chain (not raised)."""
        return self._read(0)

    def load(self) -> list[E]:
        """Every committed event, in order (the chain verified)."""
        return self._verified(0)

    def read_after(self, seq: int) -> list[E]:
        """Events committed after the first ``seq``."""
        return self._verified(seq)

    def _migrate(self) -> None:
        """Chain a version-1 ledger (no hashes): within the caller's transaction."""
        db = self._db
        db.execute("ALTER TABLE events ADD COLUMN hash TEXT")
        h = GENESIS
        updates = []
        for seq, data in db.execute("SELECT seq, data FROM events ORDER BY seq").fetchall():
            h = link(h, data)
            updates.append((h, seq))
        db.executemany("UPDATE events SET hash = ? WHERE seq = ?", updates)
        db.execute("UPDATE meta SET value = ? WHERE key = 'version'", (str(self._codec.version),))
        self._chained = True

    def append(self, known: int, plan: Plan[E]) -> tuple[list[E], list[E]]:
        """One transaction: read what others committed, plan, insert, commit (or roll back)."""
        if self.read_only:
            raise StoreError(
                f"{self._path}: the ledger is open read-only (the file or its folder may not be "
                "written); nothing was written"
            )
        db = self._db
        try:
            db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(f"{self._path}: cannot lock the ledger: {exc}") from None
        try:
            fresh = self._verified(known)
            new = list(plan(fresh))
            if new and not self._chained:
                self._migrate()
            first = known + len(fresh) + 1
            rows = list(event_rows(self._codec, new, first, self._head))
            db.executemany(_INSERT, rows)
            db.execute("COMMIT")
        except sqlite3.Error as exc:
            if db.in_transaction:
                db.execute("ROLLBACK")
            self._count, self._head = 0, GENESIS  # read afresh next time
            raise StoreError(f"{self._path}: cannot write the ledger: {exc}") from None
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            self._count, self._head = 0, GENESIS
            raise
        if rows:
            self._count, self._head = rows[-1][0], rows[-1][5]
        return fresh, new

    def integrity(self) -> str:
        """SQLite's own ``PRAGMA integrity_check`` and the chain: 'ok' when both are sound.

        >>> import tempfile, pathlib
        >>> folder = pathlib.Path((tmp := tempfile.TemporaryDirectory()).name)
        >>> from gdsmodel.standards.safety_tools.codec import TOOLS
        >>> SqliteStore(folder / "t.sqlite", codec=TOOLS).integrity()
        'ok'
        """
        try:
            rows = self._db.execute("PRAGMA integrity_check").fetchall()
        except sqlite3.DatabaseError as exc:
            return f"{self._file}: the database cannot be checked: {exc}"
        problems = [str(r[0]) for r in rows if str(r[0]) != "ok"]
        try:
            self.load()
        except DataFileError as exc:
            problems.append(str(exc))
        return "; ".join(problems) or "ok"

    def close(self) -> None:
        """Close the connection."""
        self._db.close()


def _connect_read_only(path: Path, timeout: float) -> sqlite3.Connection:
    """A read-only connection; in a folder where the WAL index cannot be made, an immutable one
    (it then sees the file as it is when opened)."""
    try:
        db = sqlite3.connect(
            _sqlite_uri(path, "mode=ro"), uri=True, isolation_level=None, timeout=timeout
        )
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return db
    except sqlite3.OperationalError:
        return sqlite3.connect(
            _sqlite_uri(path, "mode=ro&immutable=1"),
            uri=True,
            isolation_level=None,
            timeout=timeout,
        )


def _write_sqlite(codec: Codec[E], path: Path, events: Sequence[E]) -> None:
    """A new SQLite ledger holding ``events``: the schema of :class:`SqliteStore`, written in one
    transaction (rollback journal, ``synchronous=FULL``; the index built after the rows)."""
    statements = [x.strip() for x in _SCHEMA.split(";") if x.strip()]
    tables = [x for x in statements if not x.startswith("CREATE INDEX")]
    indexes = [x for x in statements if x.startswith("CREATE INDEX")]
    try:
        db = sqlite3.connect(str(path), isolation_level=None)
    except sqlite3.Error as exc:
        raise StoreError(f"{path}: cannot open: {exc}") from None
    try:
        db.execute("PRAGMA journal_mode=DELETE")
        db.execute("PRAGMA synchronous=FULL")
        db.execute("BEGIN IMMEDIATE")
        for statement in tables:
            db.execute(statement)
        db.execute(
            "INSERT INTO meta (key, value) VALUES ('format', ?), ('version', ?)",
            (codec.format, str(codec.version)),
        )
        db.executemany(_INSERT, event_rows(codec, events, 1))
        for statement in indexes:
            db.execute(statement)
        db.execute("COMMIT")
    except sqlite3.Error as exc:
        raise StoreError(f"{path}: cannot write the ledger: {exc}") from None
    finally:
        db.close()


def _aside(path: Path) -> Path:
    """A fresh name beside ``path`` for a file built before it is put in place."""
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise StoreError(f"{path}: cannot write: {exc.strerror}") from None
    os.close(fd)
    os.unlink(name)
    return Path(name)


def _remove_aside(tmp: Path) -> None:
    for side in ("", "-journal", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(str(tmp) + side)


def _create_sqlite(codec: Codec[Any], path: Path) -> None:
    """A new, empty ledger at ``path``, built aside and linked into place (never seen half-made;
    when another process creates it at the same moment, its file is kept)."""
    tmp = _aside(path)
    try:
        _write_sqlite(codec, tmp, [])
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass  # another writer made it first: theirs is the ledger
        except OSError:  # pragma: no cover - a file system without hard links
            if not path.exists():
                os.replace(tmp, path)
        _fsync_dir(path.parent)
    finally:
        _remove_aside(tmp)


def write_events(
    codec: Codec[E], path: str | Path, events: Sequence[E], *, overwrite: bool = False
) -> None:
    """Write a whole log to a new file (JSON or SQLite by suffix), all at once, chained.

    An existing file is refused unless ``overwrite`` is true; the new file appears complete or not
    at all.

    >>> import tempfile, pathlib
    >>> from gdsmodel.standards.safety_tools.codec import TOOLS
    >>> p = pathlib.Path((tmp := tempfile.TemporaryDirectory()).name) / "copy.json"
    >>> write_events(TOOLS, p, [])
    >>> JsonStore(p, codec=TOOLS).load()
    []
    """
    p = Path(path)
    if p.exists() and not overwrite:
        raise InputError(
            "the file exists", name="path", value=str(p), allowed="a new file, or overwrite=True"
        )
    if p.suffix.lower() == ".json":
        _write_or_fail(p, _render_json(codec, events))
        return
    tmp = _aside(p)
    try:
        _write_sqlite(codec, tmp, events)
        for side in ("-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(str(p) + side)
        os.replace(tmp, p)
        _fsync_dir(p.parent)
    except BaseException:
        _remove_aside(tmp)
        raise


def render_json(codec: Codec[E], events: Sequence[E]) -> str:
    """The text of a JSON log holding ``events``, chained (what a JSON store writes).

    >>> from gdsmodel.standards.safety_tools.codec import TOOLS
    >>> render_json(TOOLS, []).splitlines()[1]
    '  "format": "gdsmodel-safety-tools-ledger",'
    """
    return _render_json(codec, events)
