"""Typed errors of gdsmodel.

Every error says *what* was wrong, *where* (a file, a path inside it, a row or an
argument) and *what is allowed*. They all derive from :class:`GdsmodelError`, so a
caller can catch the whole family at once.

>>> from gdsmodel.errors import DataFileError
>>> err = DataFileError("cadence must be one of: annual, monthly", file="station.toml",
...                     path="clauses[3].cadences[0]")
>>> print(err)
station.toml: clauses[3].cadences[0]: cadence must be one of: annual, monthly
>>> isinstance(err, ValueError)
True
"""

from __future__ import annotations

import math
from collections.abc import Iterable

__all__ = [
    "DataFileError",
    "GdsmodelError",
    "InputError",
    "LimitError",
    "NotFoundError",
    "OutputError",
    "ParseError",
]


class GdsmodelError(Exception):
    """Base class of every error raised on purpose by gdsmodel."""


class NotFoundError(GdsmodelError, KeyError):
    """An ID (post, unit, clause, term, metric, tool...) that does not exist.

    >>> err = NotFoundError("post", "nobody", ["director", "safety_officer"])
    >>> print(err)
    unknown post 'nobody'; known: director, safety_officer
    """

    def __init__(self, kind: str, key: str, known: Iterable[str] = ()) -> None:
        self.kind = kind
        self.key = key
        self.known = tuple(known)
        shown = ", ".join(self.known[:20]) + (", ..." if len(self.known) > 20 else "")
        msg = f"unknown {kind} {key!r}" + (f"; known: {shown}" if self.known else "")
        super().__init__(msg)

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0])


class InputError(GdsmodelError, ValueError):
    """A value given to a function is not allowed (negative energy, NaN, a bad option...).

    ``name`` is the argument or field, ``allowed`` says what would be accepted.

    >>> err = InputError("must be >= 0", name="supplied_kwh", value=-1, allowed="a number >= 0")
    >>> print(err)
    supplied_kwh=-1: must be >= 0 (allowed: a number >= 0)
    """

    def __init__(
        self, message: str, *, name: str | None = None, value: object = None, allowed: str = ""
    ) -> None:
        self.name = name
        self.value = value
        self.allowed = allowed
        where = f"{name}={value!r}: " if name is not None else ""
        tail = f" (allowed: {allowed})" if allowed else ""
        super().__init__(f"{where}{message}{tail}")


class ParseError(GdsmodelError, ValueError):
    """Text that could not be parsed; says which forms are accepted.

    >>> print(ParseError("2026-13", what="period", accepted=["2026", "2026-03"]))
    cannot parse '2026-13' as a period; accepted forms: 2026, 2026-03
    """

    def __init__(
        self, text: str, *, what: str, accepted: Iterable[str] = (), reason: str = ""
    ) -> None:
        self.text = text
        self.what = what
        self.accepted = tuple(accepted)
        msg = f"cannot parse {text!r} as a {what}"
        if reason:
            msg += f" ({reason})"
        if self.accepted:
            msg += "; accepted forms: " + ", ".join(self.accepted)
        super().__init__(msg)


class DataFileError(GdsmodelError, ValueError):
    """A data file (reference data or a station's own file) that is not valid.

    ``file`` is the file, ``path`` the location inside it (``clauses[3].cadences``),
    ``line`` a line or row number where one is known.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        path: str | None = None,
        line: int | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.path = path
        self.line = line
        where = [p for p in (file, f"line {line}" if line is not None else None, path) if p]
        super().__init__(": ".join([*where, message]))


class OutputError(GdsmodelError):
    """A file that gdsmodel was asked to write could not be written.

    >>> print(OutputError("report.html", "No space left on device"))
    cannot write 'report.html': No space left on device
    """

    def __init__(self, file: str, reason: str) -> None:
        self.file = file
        self.reason = reason
        super().__init__(f"cannot write {file!r}: {reason}")


def _digits(value: int) -> int:
    """The number of decimal digits of an integer, without ``str()`` (which refuses
    integers of more than 4,300 digits)."""
    v = abs(value)
    if v < 10:
        return 1
    d = int(math.log10(v)) + 1
    while 10 ** (d - 1) > v:
        d -= 1
    while 10**d <= v:
        d += 1
    return d


def _shown(value: object, limit: int = 60) -> str:
    """A value for an error message, never huge and never failing (a 5,000-digit int has
    no ``repr`` under Python's default digit limit)."""
    if isinstance(value, int) and not isinstance(value, bool):
        digits = _digits(value)
        return f"<an integer of {digits} digits>" if digits > limit else repr(value)
    try:
        text = value if isinstance(value, str) else repr(value)
    except ValueError:  # a Fraction or Decimal of huge integers
        return f"<a {type(value).__name__} too large to show>"
    if len(text) > limit:
        return f"{text[:limit]!r}... ({len(text)} characters)"
    return repr(value) if isinstance(value, str) else text


class LimitError(InputError):
    """A value or a file beyond a size limit: nesting depth, digits, magnitude or length.

    An :class:`InputError` (so callers that catch those catch this too) whose message shows
    the value cut short: ``what`` was too large, ``name`` where, ``allowed`` the limit.

    >>> print(LimitError("has too many digits", name="supplied_kwh", value=10**5000,
    ...                  allowed="at most 64 digits"))
    supplied_kwh=<an integer of 5001 digits>: has too many digits (allowed: at most 64 digits)
    """

    def __init__(
        self, message: str, *, name: str | None = None, value: object = None, allowed: str = ""
    ) -> None:
        self.name = name
        self.value = value
        self.allowed = allowed
        where = f"{name}={_shown(value)}: " if name is not None else ""
        tail = f" (allowed: {allowed})" if allowed else ""
        ValueError.__init__(self, f"{where}{message}{tail}")
