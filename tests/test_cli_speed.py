"""The command line imports what a command runs, only when it runs (issue 20, item 5).

``gdsmodel --help`` lists the commands from a light table in ``gdsmodel.cli``; ``gdsmodel
COMMAND`` imports the one command module that registers COMMAND. These tests pin that the
table says what the modules register (so ``--help`` reads the same either way) and that the
heavy packages stay out of ``--help`` and ``posts``.
"""

from __future__ import annotations

import argparse
import importlib
import os
import subprocess
import sys

import pytest

import gdsmodel.cli as cli

HEAVY = ("gdsmodel.report", "gdsmodel.metrics.reliability", "pandas", "polars", "pyarrow")


_CHILD = """
import sys
from gdsmodel.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code or 0
sys.stdout.flush()
print("@@modules", *sorted(sys.modules), file=sys.stderr)
sys.exit(code)
"""


def _imported(*argv: str) -> tuple[int, set[str]]:
    """Exit code and the modules a fresh interpreter running ``gdsmodel ARGV`` holds at the
    end (``-X importtime`` does not see ``importlib.import_module``)."""
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, *argv],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "COLUMNS": "100"},
        check=False,
    )
    (line,) = (x for x in proc.stderr.splitlines() if x.startswith("@@modules"))
    return proc.returncode, set(line.split()[1:])


def _help(parser: argparse.ArgumentParser, words: list[str]) -> str:
    (sub,) = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return sub.choices[words[0]].format_help()


def _top_level(parser: argparse.ArgumentParser) -> list[tuple[str, str | None]]:
    (sub,) = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return [(c.dest, c.help) for c in sub._choices_actions]


@pytest.mark.parametrize("module", cli._COMMAND_MODULES)
def test_the_table_lists_what_each_module_registers(module: str) -> None:
    sub = argparse.ArgumentParser().add_subparsers()
    importlib.import_module(f"gdsmodel.cli.{module}").register(sub)
    registered = [(c.dest, c.help) for c in sub._choices_actions]
    assert registered == list(cli._COMMANDS[module])


def test_help_reads_the_same_from_the_table_as_from_every_module() -> None:
    light, full = cli._parser(""), cli.build_parser()
    assert _top_level(light) == _top_level(full)
    assert light.format_help() == full.format_help()
    assert light.format_usage() == full.format_usage()


def test_a_command_gets_its_group_in_full_and_the_others_by_name() -> None:
    parser = cli._parser("posts")
    for words in (["posts"], ["show"], ["export"]):
        assert _help(parser, words) == _help(cli.build_parser(), words)
    args = parser.parse_args(["posts", "--json"])
    assert args.json is True and callable(args.func)
    assert _top_level(parser) == _top_level(cli.build_parser())


@pytest.mark.parametrize(
    ("argv", "word"),
    [
        (["--help"], ""),
        ([], ""),
        (["--version"], ""),
        (["posts", "--json"], "posts"),
        (["-h", "report"], "report"),
        (["--", "show", "x"], "show"),
    ],
)
def test_the_command_word_is_the_first_word_that_is_not_an_option(
    argv: list[str], word: str
) -> None:
    assert cli._command_word(argv) == word


def test_help_imports_no_command_module_and_nothing_heavy() -> None:
    code, modules = _imported("--help")
    assert code == 0
    assert not {m for m in modules if m.startswith(HEAVY)}, sorted(modules)
    assert not {m for m in modules if m.startswith("rich")}  # argparse prints the help
    loaded = {f"gdsmodel.cli.{name}" for name in cli._COMMAND_MODULES} & modules
    assert not loaded


def test_posts_imports_its_own_group_alone() -> None:
    code, modules = _imported("posts")
    assert code == 0
    assert "gdsmodel.cli.standard" in modules
    assert not {m for m in modules if m.startswith(HEAVY)}, sorted(modules)
    others = {f"gdsmodel.cli.{n}" for n in cli._COMMAND_MODULES if n != "standard"}
    assert not others & modules


def test_usage_errors_keep_their_exit_code_and_message(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["nope"], []):
        with pytest.raises(SystemExit) as exc:
            cli.main(argv)
        assert exc.value.code == 2
        err = capsys.readouterr().err
        assert err.startswith("usage: gdsmodel [-h] [--version] COMMAND ...")
    assert "invalid choice: 'nope' (choose from 'posts', 'show'," in _run_err(["nope"])


def _run_err(argv: list[str]) -> str:
    proc = subprocess.run(
        [sys.executable, "-m", "gdsmodel", *argv],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 2
    return proc.stderr


def test_the_report_commands_help_shows_the_report_packages_values() -> None:
    from gdsmodel.cli import report as cli_report
    from gdsmodel.report import FORMATS
    from gdsmodel.report.example import DEFAULT_SEED, FIRST_MONTH, MONTHS

    assert cli_report.FORMATS == FORMATS
    assert (cli_report.DEFAULT_SEED, cli_report.MONTHS) == (DEFAULT_SEED, MONTHS)
    assert str(FIRST_MONTH) == cli_report.FIRST_MONTH


@pytest.mark.parametrize("argv", [["report", "--help"], ["generate-example", "--help"]])
def test_the_report_commands_help_does_not_import_the_report(argv: list[str]) -> None:
    code, modules = _imported(*argv)
    assert code == 0
    assert not {m for m in modules if m.startswith(HEAVY)}, sorted(modules)


def test_the_clause_filters_offer_the_models_values() -> None:
    from gdsmodel.cli import standard
    from gdsmodel.roles.model import Cadence, Category

    assert tuple(c.value for c in Category) == standard.CATEGORIES
    assert tuple(c.value for c in Cadence) == standard.CADENCES


@pytest.mark.parametrize("argv", [["posts", "--help"], ["find", "--help"]])
def test_the_standards_help_does_not_import_the_model(argv: list[str]) -> None:
    code, modules = _imported(*argv)
    assert code == 0
    assert not {m for m in modules if m.startswith(("gdsmodel.roles", "cattrs"))}


def test_a_command_missing_from_the_table_still_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """A command a module registers but the table does not list gets every group."""
    table = dict(cli._COMMANDS)
    table["standard"] = tuple(c for c in table["standard"] if c[0] != "glossary")
    monkeypatch.setattr(cli, "_COMMANDS", table)
    args = cli._parser_for(["glossary", "--json"]).parse_args(["glossary", "--json"])
    assert callable(args.func) and args.json is True
