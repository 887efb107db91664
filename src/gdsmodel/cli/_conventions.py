"""The conventions every command follows, applied once to the whole parser.

Each command module registers its own options; :func:`apply_conventions` then walks every
command and gives it what all commands share, so no command can forget one:

* ``--lang zh|en|both`` (default ``both``) and ``--width N`` (default: the terminal's width,
  or ``COLUMNS``);
* a help text on every option and argument, ending with its default when it has one;
* :func:`suggest`: a did-you-mean for an unknown ID or name (difflib over what is known).

>>> import argparse
>>> parser = argparse.ArgumentParser(prog="x")
>>> sub = parser.add_subparsers()
>>> p = sub.add_parser("show")
>>> _ = p.add_argument("--note", default="")
>>> apply_conventions(parser)
>>> sorted(a.dest for a in p._actions if a.dest != "help")
['lang', 'note', 'width']
>>> [a.help for a in p._actions if a.dest == "note"]
['a free note recorded with the event (default: none)']
"""

from __future__ import annotations

import argparse
import unicodedata
from collections.abc import Iterable, Iterator

__all__ = ["LANGS", "apply_conventions", "leaf_parsers", "suggest"]

LANGS = ("zh", "en", "both")

_LANG_HELP = "language of the output: zh (中文), en or both"
_WIDTH_HELP = "output width in columns (default: the terminal's width, or $COLUMNS)"

# Help for the options and arguments a command registered without one, by destination.
_HELP = {
    "json": "machine-readable JSON output instead of tables",
    "serial": "the tool's serial number (编号) as labelled on it",
    "batch": "the maker's batch (批次) the tools came in",
    "maker": "the maker (生产厂家)",
    "keeper": "who keeps the tool (保管人)",
    "place": "where the tool is kept (存放地点)",
    "note": "a free note recorded with the event",
    "tester": "who tested the tool (试验人)",
    "result": "the result: pass or fail",
    "value": "a measured value of the test, NAME=VALUE (repeatable)",
    "description": "what is wrong, or what was repaired",
    "reason": "why (recorded with the event)",
    "category": "only clauses of this category",
    "cadence": "only clauses with this cadence",
    "format": "output format",
    "file": "the file to check",
    "id": "a KPI ID (e.g. line_loss_rate) or its name in Chinese or English",
    "inputs": "the KPI's inputs as NAME=VALUE (e.g. supplied_kwh=1000)",
    "standard": "the power-factor standard of the tariff: 0.90, 0.85 or 0.80",
    "dialect": "the SQL dialect to write",
    "time_dimension": "the column that holds the period",
    "granularity": "the time granularity of the metrics",
    "folder": "the station's folder",
    "month": "the month: 2026-03, 2026年3月 or March 2026",
    "year": "the year, e.g. 2026",
    "person": "a person's ID or name (staff.csv)",
    "record": "the record's ID",
    "move_id": "the move to make (the kind's moves: gdsmodel records kinds)",
    "sheet": "the file to import (CSV or Excel)",
}


def leaf_parsers(
    parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    """(command words, parser) of every command that runs something: the leaves, and a
    command with actions that also runs without one (``gdsmodel assess --month M``).

    >>> parser = argparse.ArgumentParser()
    >>> _ = parser.add_subparsers().add_parser("posts")
    >>> [words for words, _ in leaf_parsers(parser)]
    [('posts',)]
    """
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs or parser._defaults.get("func") is not None:  # runs something itself
        yield prefix, parser
    if not subs:
        return
    seen: set[int] = set()
    for action in subs:
        for name, sub in action.choices.items():
            if id(sub) in seen:  # an alias
                continue
            seen.add(id(sub))
            yield from leaf_parsers(sub, (*prefix, name))


def _shown_default(action: argparse.Action) -> str | None:
    default = action.default
    if default is None or default is argparse.SUPPRESS or isinstance(default, bool):
        return None
    if isinstance(action, argparse._AppendAction) or default == []:
        return None
    if default == "":
        return "none"
    return str(default)


def _complete_help(action: argparse.Action) -> None:
    if action.help is argparse.SUPPRESS or isinstance(
        action, argparse._HelpAction | argparse._VersionAction | argparse._SubParsersAction
    ):
        return
    if not action.help:
        action.help = _HELP.get(action.dest, action.dest.replace("_", " "))
    shown = _shown_default(action)
    if shown is not None and "default" not in action.help and "%(default)" not in action.help:
        action.help = f"{action.help} (default: {shown.replace('%', '%%')})"


def apply_conventions(parser: argparse.ArgumentParser) -> None:
    """Give every command ``--lang`` and ``--width`` and every option a help text with its
    default (see the module's docstring)."""
    for _, p in leaf_parsers(parser):
        options = {s for a in p._actions for s in a.option_strings}
        if "--lang" not in options:
            p.add_argument("--lang", choices=LANGS, default="both", help=_LANG_HELP)
        if "--width" not in options:
            p.add_argument("--width", type=int, default=None, metavar="N", help=_WIDTH_HELP)
        for action in p._actions:
            if "--lang" in action.option_strings and action.help in (None, "language"):
                action.help = _LANG_HELP
            _complete_help(action)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().strip()


def suggest(wrong: str, known: Iterable[str], *, limit: int = 3) -> list[str]:
    """The known IDs or names closest to a mistyped one (difflib; full-width folded).

    >>> suggest("safty_officer", ["safety_officer", "director", "technician"])
    ['safety_officer']
    >>> suggest("安全", ["安全员", "所长"])
    ['安全员']
    """
    import difflib  # only for an unknown ID: not when the parser is built

    choices = {_fold(k): k for k in known if k}
    close = difflib.get_close_matches(_fold(wrong), list(choices), n=limit, cutoff=0.6)
    return [choices[c] for c in close]
