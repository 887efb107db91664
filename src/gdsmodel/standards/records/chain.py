"""The hash chain of an append-only log: evidence that stored records were not changed.

Each record is stored with ``link(previous, canonical)``: the SHA-256 (hex) of the previous
record's hash followed by the record's canonical text. The canonical text of a ledger event is
its JSON form with sorted keys, UTF-8 and no ASCII escaping (``", "`` and ``": "`` between items,
as :mod:`json` writes by default), without the ``hash`` itself; the first record links to
:data:`GENESIS`, the empty string. So each hash vouches for its record and, through the previous
hash, for every record before it: a changed byte anywhere breaks the chain at that record.

What a chain does not do: it has no secret, so someone who edits a record on purpose and
recomputes every later hash is not detected (keep a copy elsewhere, or note the ledger's
``head``); and it cannot tell that records were cut off at the end (the remaining ones still
chain).

Nothing here knows what a record means: the same chain serves any kind of record.

>>> first = link(GENESIS, '{"a": 1}')
>>> len(first), first == link(GENESIS, '{"a": 2}')
(64, False)
>>> verify([(first, '{"a": 1}'), (link(first, '{"b": 2}'), '{"b": 2}')]) is None
True
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import attrs

from gdsmodel.errors import DataFileError

__all__ = ["GENESIS", "ChainBreak", "ChainBroken", "link", "verify"]

#: What the first record links to.
GENESIS = ""


def link(previous: str, canonical: str) -> str:
    """The hash stored with a record: SHA-256 (hex) of ``previous`` then ``canonical`` (UTF-8).

    >>> link(GENESIS, "{}")[:16]
    '44136fa355b3678a'
    """
    return hashlib.sha256((previous + canonical).encode("utf-8")).hexdigest()


@attrs.frozen(slots=True)
class ChainBreak:
    """The first record (``seq``, from 1) whose stored hash is not the one its content gives.

    >>> ChainBreak(3, "deadbeef", "cafe").seq
    3
    """

    seq: int
    stored: str | None
    computed: str


class ChainBroken(DataFileError):
    """A stored record whose hash does not match: the file was changed after it was written, or
    is corrupt. ``seq`` is the first such record (from 1); every record from it on is in doubt.

    >>> err = ChainBroken(2, file="t.json", path="events[1]")
    >>> err.seq, str(err).startswith("t.json: events[1]: event 2 does not match its stored hash")
    (2, True)
    """

    def __init__(self, seq: int, *, file: str | None = None, path: str | None = None) -> None:
        self.seq = seq
        super().__init__(
            f"event {seq} does not match its stored hash: the file was changed after it was "
            f"written, or is corrupt (every event from {seq} on is in doubt)",
            file=file,
            path=path,
        )


def verify(records: Iterable[tuple[str | None, str]], previous: str = GENESIS) -> ChainBreak | None:
    """The first break in ``(stored hash, canonical text)`` pairs following ``previous``; None
    when every stored hash matches.

    >>> verify([("0" * 64, "{}")]).seq
    1
    """
    head = previous
    for seq, (stored, canonical) in enumerate(records, start=1):
        head = link(head, canonical)
        if stored != head:
            return ChainBreak(seq, stored, head)
    return None
