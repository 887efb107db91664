"""The ``gdsmodel`` command line.

Each command group lives in its own module of this package and exposes
``register(subparsers)``; :func:`main` wires them together. Exit codes that scripts
can trust:

* 0: success;
* 1: the command ran but found a problem (invalid data, a rejected operation, a
  failed validation);
* 2: usage error (unknown command, bad option);
* 3: something asked for does not exist (unknown post, clause, term, tool...).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
from collections.abc import Sequence

from gdsmodel.errors import GdsmodelError, NotFoundError

__all__ = ["EXIT_ERROR", "EXIT_NOT_FOUND", "EXIT_OK", "EXIT_USAGE", "main"]

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_NOT_FOUND = 3

# Command modules, in the order their commands appear in --help.
_COMMAND_MODULES = (
    "standard",
    "calendar",
    "tools",
    "metrics",
    "report",
    "areas",
    "staff",
    "assess",
    "records",
)

# The top-level commands each module registers, with their one-line help, in the order the
# module registers them: `gdsmodel --help` lists them from here and `gdsmodel COMMAND` imports
# the one module that runs, so the parser costs what the command needs, not every group's
# imports. tests/test_cli_speed.py checks this table against the modules' own parsers.
_COMMANDS: dict[str, tuple[tuple[str, str], ...]] = {
    "standard": (
        ("posts", "list the posts and units of the station"),
        ("show", "show a post's or unit's clauses"),
        ("clause", "show one clause by its ID"),
        ("find", "find clauses by text, category, cadence or term"),
        ("glossary", "list the glossary, or show one term"),
        ("export", "export the whole standard (JSON, YAML, JSON-LD, Turtle, data package)"),
        ("schema", "print the JSON Schema of the exported standard"),
        ("validate", "check a station's variant file (exit 1 if invalid)"),
        (
            "diff",
            "what changes, clause by clause, between two editions or an edition and a variant",
        ),
        ("editions", "the editions of the standard and their changes"),
    ),
    "calendar": (("calendar", "obligations due in a period (e.g. 2026-03, 2026-Q1, 2026年3月)"),),
    "tools": (("tools", "safety tools (安全工器具): ledger, tests due, kits"),),
    "metrics": (("metrics", "the KPI registry; compute a KPI from numbers"),),
    "report": (
        ("report", "the monthly report of a station's data folder"),
        ("generate-example", "write the seeded example station into DIR"),
        ("station-schema", "the JSON Schema of a station folder's tables"),
    ),
    "areas": (
        ("areas", "transformer areas of a month by line-loss class (qualified, high-loss...)"),
    ),
    "staff": (
        (
            "staff",
            "the station's people: who holds which post, who answers for which line and area",
        ),
    ),
    "assess": (
        ("assess", "assessment sheets per person and group; close, amend, year-end ranking"),
    ),
    "records": (
        ("records", "work records: accidents, requests, connections, defects, tickets, meters ..."),
    ),
}


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every command group registered."""
    return _parser(None)


def _parser(only: str | None) -> argparse.ArgumentParser:
    """The parser with the group of command *only* registered in full and every other
    command listed by name and help alone (``None``: every group in full)."""
    from gdsmodel import __version__

    parser = argparse.ArgumentParser(
        prog="gdsmodel",
        description="The job standard of a rural power supply station (供电所), as data.",
    )
    parser.add_argument("--version", action="version", version=f"gdsmodel {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in _COMMAND_MODULES:
        commands = _COMMANDS.get(name, ())
        if only is not None and commands and only not in (c for c, _ in commands):
            for command, help in commands:
                sub.add_parser(command, help=help)  # listed in --help, never run
            continue
        try:
            module = importlib.import_module(f"gdsmodel.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"gdsmodel.cli.{name}":
                continue  # command group not part of this build
            raise
        module.register(sub)
    from gdsmodel.cli._conventions import apply_conventions

    apply_conventions(parser)  # --lang, --width and help with defaults on every command
    return parser


def _command_word(argv: Sequence[str]) -> str:
    """The command a command line runs: its first word that is not an option (the
    top-level options take no value); ``""`` when there is none (``--help``, ``--version``).

    >>> _command_word(["--help"]), _command_word(["show", "safety_officer"])
    ('', 'show')
    """
    words = iter(argv)
    for word in words:
        if word == "--":
            return next(words, "")
        if not word.startswith("-"):
            return word
    return ""


def _parser_for(argv: Sequence[str]) -> argparse.ArgumentParser:
    """The parser a command line needs: its command's group in full, the rest by name."""
    if build_parser is not _BUILD_PARSER:  # replaced, e.g. to run one group alone
        return build_parser()
    word = _command_word(argv)
    if word and all(word != c for commands in _COMMANDS.values() for c, _ in commands):
        return build_parser()  # not in the table (a typo, a new command): every group
    return _parser(word)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code.

    No Python traceback reaches the user: typed errors print their message (exit 1, or 3 for
    an unknown ID), an operating-system error names the file and the reason (exit 1), and an
    unexpected error prints one line asking for a report (exit 1; set ``GDSMODEL_DEBUG=1`` to
    see the traceback).
    """
    if argv is None:
        argv = sys.argv[1:]
    parser = _parser_for(argv)
    for arg in argv:
        if "\x00" in arg:
            # no shell can pass one; from Python it would reach a path or a database
            parser.error(f"argument {arg!r} contains a NUL character (allowed: text without one)")
    args = parser.parse_args(argv)
    if not hasattr(args, "func"):  # pragma: no cover - a command the light parser only lists
        args = build_parser().parse_args(argv)
    from gdsmodel.terminal import set_width

    set_width(getattr(args, "width", None))
    from gdsmodel.cli._output import FittingStream, set_lang

    set_lang(getattr(args, "lang", "both"))

    streams = sys.stdout, sys.stderr
    if _for_people(args) and _has_width(sys.stdout):
        sys.stdout = FittingStream(sys.stdout)
    if _has_width(sys.stderr):
        sys.stderr = FittingStream(sys.stderr)
    try:
        return _run(args)
    finally:
        for stream in (sys.stdout, sys.stderr):
            if isinstance(stream, FittingStream):
                with contextlib.suppress(OSError, ValueError):
                    stream.flush()
        sys.stdout, sys.stderr = streams


_BUILD_PARSER = build_parser


def _has_width(stream: object) -> bool:
    """A terminal, ``COLUMNS`` or ``--width`` sets a width; a pipe or a file has none."""
    from gdsmodel.terminal import terminal_width, width_given

    return width_given() or terminal_width(stream) is not None  # type: ignore[arg-type]


def _for_people(args: argparse.Namespace) -> bool:
    """Whether stdout is read by people (wrapped to the width), not a program (JSON, SQL,
    YAML, a whole document on stdout)."""
    if getattr(args, "json", False):
        return False
    data = (
        args.command in ("export", "schema", "station-schema")
        or getattr(args, "metrics_command", None) in ("sql", "metricflow")
        or getattr(args, "format", "text") != "text"
    )
    return not data or bool(getattr(args, "output", None))


def _run(args: argparse.Namespace) -> int:
    """Run the parsed command; typed errors become messages and exit codes."""
    try:
        code: int = args.func(args)
    except NotFoundError as exc:
        print(f"gdsmodel: error: {exc}", file=sys.stderr)
        from gdsmodel.cli._conventions import suggest

        close = suggest(exc.key, exc.known)
        if close:
            print(f"gdsmodel: did you mean {' or '.join(close)}?", file=sys.stderr)
        return EXIT_NOT_FOUND
    except GdsmodelError as exc:
        print(f"gdsmodel: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:  # pragma: no cover - e.g. `gdsmodel export | head`
        _quiet_stdout()
        return EXIT_OK
    except OSError as exc:
        print(f"gdsmodel: error: {_os_error(exc)}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("gdsmodel: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        if os.environ.get("GDSMODEL_DEBUG"):
            raise
        print(
            f"gdsmodel: internal error: {type(exc).__name__}: {exc}\n"
            "gdsmodel: this is a bug; please report it with the command you ran "
            "(GDSMODEL_DEBUG=1 shows the traceback)",
            file=sys.stderr,
        )
        return EXIT_ERROR
    return code


def _os_error(exc: OSError) -> str:
    """An operating-system error as one line: what, which file, why.

    >>> _os_error(IsADirectoryError(21, "Is a directory", "out"))
    "cannot use 'out': Is a directory"
    """
    reason = exc.strerror or str(exc)
    names = [n for n in (exc.filename, exc.filename2) if n is not None]
    if not names:
        return reason
    return f"cannot use {' -> '.join(repr(os.fsdecode(n)) for n in names)}: {reason}"


def _quiet_stdout() -> None:  # pragma: no cover - only after a closed pipe
    """After a closed pipe, point stdout at /dev/null so the interpreter's flush stays quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
