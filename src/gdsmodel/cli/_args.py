"""Argument types shared by the commands, so the same kind of mistake gets the same answer.

A value that does not parse (``--month banana``, ``--on 2026/07/01``, ``calendar 2099-13``)
is a usage error on every command: argparse prints the usage line and the reason, and the
exit code is 2. Each type parses its text once; the command receives the parsed value.
"""

from __future__ import annotations

import argparse
import datetime
from typing import TYPE_CHECKING

from gdsmodel.errors import GdsmodelError

if TYPE_CHECKING:
    from gdsmodel.periods import Month, Period

__all__ = ["add_station_folder", "day_arg", "month_arg", "period_arg", "station_of"]

_MAX_ARG = 200  # longer text is no period or date anyone typed


def _text(text: str, what: str) -> str:
    if len(text) > _MAX_ARG:
        raise argparse.ArgumentTypeError(f"not {what}: {len(text)} characters is too long")
    return text


def period_arg(text: str) -> Period:
    """A reporting period in any form ``Period.parse`` accepts (2026, 2026-Q1, 2026-03 ...).

    >>> period_arg("2026-03")
    Month(2026, 3)
    >>> period_arg("2026-13")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    argparse.ArgumentTypeError: cannot parse '2026-13' as a period ...
    """
    from gdsmodel.periods import Period

    try:
        return Period.parse(_text(text, "a period"))
    except GdsmodelError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def month_arg(text: str) -> Month:
    """A month (2026-03, 2026年3月, March 2026).

    >>> month_arg("2026年3月")
    Month(2026, 3)
    >>> month_arg("banana")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    argparse.ArgumentTypeError: cannot parse 'banana' as a month ...
    """
    from gdsmodel.periods import Month

    try:
        return Month.parse(_text(text, "a month"))
    except GdsmodelError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def day_arg(text: str) -> datetime.date:
    """A calendar day written YYYY-MM-DD.

    >>> day_arg("2026-07-01")
    datetime.date(2026, 7, 1)
    >>> day_arg("2026/07/01")
    Traceback (most recent call last):
    argparse.ArgumentTypeError: not a date: '2026/07/01' (expected YYYY-MM-DD)
    """
    _text(text, "a date")
    try:
        if len(text) != 10 or text[4] != "-" or text[7] != "-":
            raise ValueError
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {text!r} (expected YYYY-MM-DD)") from None


STATION_HELP = "the station's folder (default: the current folder)"


def add_station_folder(parser: argparse.ArgumentParser, *, help: str = STATION_HELP) -> None:
    """The station folder as the command's first positional argument ``[DIR]`` (default: the
    current folder), as ``report DIR`` and ``areas DIR`` take it; ``--station DIR``, the form
    earlier releases took, still works but is not shown in the help.

    Neither form stores a default, so that one cannot overwrite the other; :func:`station_of`
    gives the folder of the parsed command line.

    >>> p = argparse.ArgumentParser()
    >>> add_station_folder(p)
    >>> [station_of(p.parse_args(a)) for a in ([], ["st"], ["--station", "st"])]
    ['.', 'st', 'st']
    """
    parser.add_argument("station", nargs="?", default=argparse.SUPPRESS, metavar="DIR", help=help)
    parser.add_argument(
        "--station", dest="station", default=argparse.SUPPRESS, metavar="DIR",
        help=argparse.SUPPRESS,
    )  # fmt: skip


def station_of(args: argparse.Namespace) -> str:
    """The station folder of a command line parsed with :func:`add_station_folder`."""
    folder = getattr(args, "station", ".")
    return folder if isinstance(folder, str) else "."
