"""Every command's output fits the terminal: at 80 and 120 columns, in Chinese, English and
both, no line is wider than the terminal (measured with rich's ``cell_len``, which counts a
CJK character as two columns). Every command also takes ``--lang`` and ``--width``, and every
option has a help text."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len

from gdsmodel.cli import build_parser, main
from gdsmodel.cli._conventions import leaf_parsers

ROOT = Path(__file__).resolve().parents[1]
LEDGER = ["--ledger", "station/safety_tools.json"]

# One run of every command that prints for people (a station copy is the working folder).
EXAMPLES: dict[tuple[str, ...], list[str]] = {
    ("posts",): ["posts"],
    ("show",): ["show", "safety_officer"],
    ("clause",): ["clause", "safety_officer.standard.6"],
    ("find",): ["find", "安全"],
    ("glossary",): ["glossary"],
    ("export",): ["export", "-o", "export.json"],
    ("schema",): ["schema", "-o", "schema.json"],
    ("validate",): ["validate", str(ROOT / "examples" / "station-variant.toml")],
    ("diff",): ["diff", str(ROOT / "examples" / "station-variant.toml")],
    ("editions",): ["editions"],
    ("calendar",): ["calendar", "2026-03"],
    ("tools", "register"): ["tools", "register", "NEW-1", "--kind", "safety_helmet", *LEDGER],
    ("tools", "test"): [
        "tools",
        "test",
        "JY-01",
        "--tester",
        "张工",
        "--result",
        "pass",
        "--date",
        "2026-03-20",
        *LEDGER,
    ],
    ("tools", "issue"): ["tools", "issue", "JY-01", "--to", "王文华", *LEDGER],
    ("tools", "return"): ["tools", "return", "JY-01", *LEDGER],
    ("tools", "inspect"): ["tools", "inspect", "JY-01", "--result", "pass", *LEDGER],
    ("tools", "defect"): ["tools", "defect", "JY-01", "--description", "裂纹", *LEDGER],
    ("tools", "seal"): ["tools", "seal", "JY-01", "--reason", "待修", *LEDGER],
    ("tools", "repair"): ["tools", "repair", "JY-01", "--description", "更换", *LEDGER],
    ("tools", "scrap"): ["tools", "scrap", "JY-01", "--reason", "老化", *LEDGER],
    ("tools", "recall"): ["tools", "recall", "JY2024-1", "--reason", "召回", *LEDGER],
    ("tools", "move"): ["tools", "move", "JY-01", "--place", "station", *LEDGER],
    ("tools", "list"): ["tools", "list", "--on", "2026-03-31", *LEDGER],
    ("tools", "due"): ["tools", "due", "2026-04", *LEDGER],
    ("tools", "overdue"): ["tools", "overdue", "--on", "2026-03-31", *LEDGER],
    ("tools", "unusable"): ["tools", "unusable", "--on", "2026-03-31", *LEDGER],
    ("tools", "card"): ["tools", "card", "JY-01", *LEDGER],
    ("tools", "shortfall"): ["tools", "shortfall", "--on", "2026-03-31", *LEDGER],
    ("tools", "check"): ["tools", "check", *LEDGER],
    ("tools", "kinds"): ["tools", "kinds", *LEDGER],
    ("metrics", "list"): ["metrics", "list"],
    ("metrics", "show"): ["metrics", "show", "line_loss_rate"],
    ("metrics", "compute"): [
        "metrics",
        "compute",
        "line_loss_rate",
        "supplied_kwh=1000",
        "sold_kwh=940",
    ],
    ("metrics", "power-factor"): [
        "metrics",
        "power-factor",
        "--active",
        "1000",
        "--reactive",
        "600",
        "--standard",
        "0.90",
        "--charges",
        "5000",
    ],
    ("metrics", "sql"): ["metrics", "sql", "line_loss_rate", "--key", "line"],
    ("metrics", "metricflow"): ["metrics", "metricflow", "-o", "mf.yml"],
    ("report",): ["report", "station", "--month", "2026-03"],
    ("generate-example",): ["generate-example", "generated", "--months", "1"],
    ("station-schema",): ["station-schema", "-o", "station.schema.json"],
    ("areas",): ["areas", "station", "--month", "2026-03"],
    ("staff",): ["staff", "station", "--on", "2026-03-31"],
    ("assess",): ["assess", "--month", "2026-03", "--station", "station"],
    ("assess", "show"): ["assess", "show", "station", "--month", "2026-03"],
    ("assess", "close"): ["assess", "close", "station", "2026-03", "--no-excel"],
    ("assess", "amend"): [
        "assess",
        "amend",
        "station",
        "2026-03",
        "--person",
        "P02",
        "--reason",
        "复核",
    ],
    ("assess", "history"): [
        "assess",
        "history",
        "station",
        "2026-03",
        "--person",
        "P02",
    ],
    ("assess", "year"): ["assess", "year", "station", "2026"],
}

# The records of the example station: one of each kind, and what each command needs.
RECORDS = {
    "accident": "ACC-2025-01", "request": "REQ-0001", "connection": "CON-002",
    "defect": "DEF-003", "ticket": "C2504-0018", "meter": "MTR-052", "spare_part": "SPR-01",
    "training": "TRN-2025-P01",
}  # fmt: skip
EXAMPLES.update(
    {
        ("records", "kinds"): ["records", "kinds"],
        ("records", "due"): ["records", "due", "station"],
        ("records", "figures"): ["records", "figures", "station"],
    }
)
for kind, record in RECORDS.items():
    EXAMPLES.update(
        {
            ("records", kind, "list"): ["records", kind, "list", "station"],
            ("records", kind, "show"): ["records", kind, "show", "station", record],
            ("records", kind, "export"): [
                "records",
                kind,
                "export",
                "station",
                "-o",
                f"{kind}.csv",
            ],
            ("records", kind, "add"): ["records", kind, "add", "station", f"{record}-NEW"],
            ("records", kind, "move"): ["records", kind, "move", "station", record, "close"],
            ("records", kind, "import"): [
                "records",
                kind,
                "import",
                "station",
                "station/staff.csv",
            ],
        }
    )

# Output for programs (SQL to copy) is not wrapped; its messages on stderr are.
DATA_OUT = {("metrics", "sql")}

COMMANDS = [words for words, _ in leaf_parsers(build_parser())]


def test_every_command_has_an_example() -> None:
    assert sorted(COMMANDS) == sorted(EXAMPLES), set(COMMANDS) ^ set(EXAMPLES)


def test_every_command_takes_lang_and_width_and_every_option_has_help() -> None:
    for words, parser in leaf_parsers(build_parser()):
        options = {s for a in parser._actions for s in a.option_strings}
        assert {"--lang", "--width"} <= options, words
        for action in parser._actions:
            if action.option_strings == ["--station"]:  # the hidden alias of the folder
                assert (
                    action.help == argparse.SUPPRESS
                    and any(a.dest == "station" and not a.option_strings for a in parser._actions)
                ) or words == ("assess",), words
                continue
            assert action.help and action.help != argparse.SUPPRESS, (words, action.dest)
            if "--lang" in action.option_strings:
                assert action.choices is not None and list(action.choices) == ["zh", "en", "both"]


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(ROOT / "examples" / "station", tmp_path / "station")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GDSMODEL_AMBIGUOUS_WIDE", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    return tmp_path


def _too_wide(text: str, width: int) -> list[str]:
    return [line for line in text.splitlines() if cell_len(line) > width]


@pytest.mark.parametrize("words", sorted(EXAMPLES), ids=" ".join)
def test_no_line_is_wider_than_the_terminal(
    words: tuple[str, ...],
    workdir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    if words[:1] == ("assess",) and words[1:] in (("amend",), ("history",)):
        main(["assess", "close", "station", "2026-03", "--no-excel"])
        capsys.readouterr()
    for width in (80, 120):
        monkeypatch.setenv("COLUMNS", str(width))
        for lang in ("zh", "en", "both"):
            code = main([*EXAMPLES[words], "--lang", lang])
            out, err = capsys.readouterr()
            assert code in (0, 1), (words, lang, code, err)
            if words not in DATA_OUT:
                assert not _too_wide(out, width), (words, width, lang, _too_wide(out, width)[:5])
            assert not _too_wide(err, width), (words, width, lang, _too_wide(err, width)[:5])
            assert "\x1b[" not in out  # piped: no colour codes


def test_width_option_beats_columns(
    workdir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    for argv in (["calendar", "2026-03"], ["report", "station", "--month", "2026-03"]):
        main([*argv, "--width", "64", "--lang", "both"])
        out = capsys.readouterr().out
        assert not _too_wide(out, 64), _too_wide(out, 64)[:3]
        assert max(cell_len(line) for line in out.splitlines()) > 50  # the room is used


def test_chinese_locale_counts_ambiguous_characters_twice(
    workdir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """In a zh_CN terminal ``…``, ``≥`` and the sparkline's blocks take two columns: the
    report's tables still fit when measured so."""
    from gdsmodel.terminal import display_width

    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    monkeypatch.setenv("COLUMNS", "100")
    main(["report", "station", "--month", "2026-03", "--lang", "zh"])
    out = capsys.readouterr().out
    assert "▁" in out or "█" in out or "▄" in out  # the sparklines are there
    wide = [line for line in out.splitlines() if display_width(line, ambiguous=True) > 100]
    assert not wide, wide[:3]


def test_import_gdsmodel_does_not_load_rich() -> None:
    code = "import sys, gdsmodel; print('rich' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )  # fmt: skip
    assert done.stdout.strip() == "False"
