"""The command line as a hostile user meets it: random argument lists never end in a traceback.

Every command, option and a set of nasty values (non-dates, huge numbers, control characters,
formulas, paths that are directories or full devices) are drawn by hypothesis; each run must end
in one of the documented exit codes (0 ok, 1 problem found, 2 usage, 3 unknown ID) with no Python
traceback and no exception escaping ``main``. The runs happen in a temporary folder, on a copy of
the example station, so nothing of the repository is written.
"""

from __future__ import annotations

import argparse
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gdsmodel.cli import build_parser, main

ROOT = Path(__file__).resolve().parents[1]
EXIT_CODES = {0, 1, 2, 3}


def _commands(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()) -> Iterator[
    tuple[tuple[str, ...], list[str]]
]:  # fmt: skip
    """(command words, option strings) for every command and subcommand."""
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    options = [s for a in parser._actions for s in a.option_strings if s not in ("-h", "--help")]
    if not subs:
        yield prefix, options
        return
    for action in subs:
        for name, sub in action.choices.items():
            yield from _commands(sub, (*prefix, name))


COMMANDS = sorted(c for c in _commands(build_parser()) if c[0][0] != "generate-example")


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("cli")
    shutil.copytree(ROOT / "examples" / "station", work / "station")
    (work / "a-directory").mkdir()
    return work


def _values() -> st.SearchStrategy[str]:
    nasty = [
        "",
        "banana",
        "2026-03",
        "2026-13",
        "2026/07/01",
        "2026-07-01",
        "9999-12-31",
        "0001-01-01",
        "-1",
        "0",
        "1e9999999",
        "1e30",
        "9" * 5000,
        "2026Q" + "9" * 500,
        "=1+1",
        '=HYPERLINK("http://x")',
        "\x1b[31mred",
        "名字",
        "安全员",
        "safety_officer",
        "safety_officer.standard.6",
        "line_loss_rate",
        "GL-001",
        "ＧＬ－００１",
        "station",
        "a-directory",
        "/dev/full",
        "/dev/null",
        "missing-folder/x",
        "supplied_kwh=100",
        "sold_kwh=abc",
        "zh",
        "en",
        "both",
        "json",
        "html",
        "xlsx",
    ]
    return st.one_of(st.sampled_from(nasty), st.text(max_size=12))


@st.composite
def argument_lists(draw: st.DrawFn) -> list[str]:
    words, options = draw(st.sampled_from(COMMANDS))
    argv = list(words)
    for _ in range(draw(st.integers(0, 5))):
        if options and draw(st.booleans()):
            argv.append(draw(st.sampled_from(options)))
        argv.append(draw(_values()))
    return argv


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse: --help (0) and usage errors (2)
        code = exc.code if isinstance(exc.code, int) else 2
    err = capsys.readouterr().err
    return code, err


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(argv=argument_lists())
def test_random_argument_lists_end_in_a_documented_exit_code(
    argv: list[str],
    workdir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(workdir)
    code, err = _run(argv, capsys)
    assert code in EXIT_CODES, (argv, code, err)
    assert "Traceback" not in err, (argv, err)
    assert "internal error" not in err, (argv, err)


@pytest.mark.parametrize(
    "argv",
    [
        ["report", "station", "--month", "banana"],
        ["tools", "overdue", "--on", "2026/07/01"],
        ["calendar", "2099-13"],
        # a NUL cannot come from a shell; through main() it would reach a path or a database
        ["records", "connection", "import", "\x00"],
        ["report", "station\x00", "--month", "2026-03"],
        ["tools", "list", "--ledger", "a\x00b"],
    ],
)
def test_a_value_that_does_not_parse_is_a_usage_error_on_every_command(
    argv: list[str],
    workdir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(workdir)
    code, err = _run(argv, capsys)
    assert code == 2, (argv, err)
    assert "usage:" in err


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["report", "station", "--month", "2026-03", "-o", "a-directory"], "a-directory"),
        (["report", "station", "--month", "2026-03", "-o", "/dev/full"], "/dev/full"),
        (["report", "a-directory", "--month", "2026-03"], "a-directory"),
        (["export", "-o", "a-directory"], "a-directory"),
    ],
)
def test_operating_system_errors_name_the_file(
    argv: list[str],
    says: str,
    workdir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(workdir)
    code, err = _run(argv, capsys)
    assert code == 1, (argv, err)
    assert says in err and "Traceback" not in err and "internal error" not in err, err
