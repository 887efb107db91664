"""Under ``--lang zh`` the people-facing commands speak Chinese, under ``--lang en`` English.

The check is drawn from the data, not from the output it checks (see ``tests/langcheck.py``):
under ``zh`` no word of four or more ASCII letters is left except an ID of the data, a path the
command wrote, or an option; under ``en`` no Chinese is left except text taken from the data
and what the command line said.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from gdsmodel.cli import main
from langcheck import STATION, chinese_left, english_left

CLAUSES = (
    "safety_officer.standard.6",  # terms
    "safety_officer.standard.4",  # a stated target
    "director.standard.5",  # an erratum
    "distribution_group_leader.duty.4",  # a note
    "technician.duty.3",
)

# (name, command line); the assess actions run in this order on one copy of the station.
RUNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("staff", ("staff", "station", "--on", "2026-03-31")),
    ("staff person", ("staff", "station", "--person", "P14")),
    ("staff area manager", ("staff", "station", "--person", "P18")),
    ("areas", ("areas", "station", "--month", "2026-03", "--events")),
    ("areas none", ("areas", "station", "--month", "2026-03", "--area", "L01-01",
                    "--class", "high_loss")),
    ("assess show", ("assess", "show", "station", "--month", "2026-03")),
    ("assess close", ("assess", "close", "station", "2026-03", "--no-excel", "--on",
                      "2026-04-02")),
    ("assess closed", ("assess", "show", "station", "--month", "2026-03", "--person", "P09")),
    ("assess amend", ("assess", "amend", "station", "2026-03", "--person", "P09", "--reason",
                      "复核", "--on", "2026-04-03")),
    ("assess history", ("assess", "history", "station", "2026-03", "--person", "P09")),
    ("assess year", ("assess", "year", "station", "2026")),
    *((f"clause {c}", ("clause", c)) for c in CLAUSES),
    ("calendar", ("calendar", "2026-03")),
    ("metrics list", ("metrics", "list")),
    *((f"metrics show {m}", ("metrics", "show", m)) for m in ("line_loss_rate", "aihc")),
    ("metrics compute", ("metrics", "compute", "line_loss_rate", "supplied_kwh=1000",
                         "sold_kwh=940")),
    ("tools kinds", ("tools", "kinds")),
    ("records kinds", ("records", "kinds")),
    ("records due", ("records", "due", "station", "--today", "2026-04-01")),
    ("records figures", ("records", "figures", "station", "--today", "2026-04-01")),
    *((f"records {k} {a}", ("records", k, a, "station", *r, "--today", "2026-04-01"))
      for k, rec in (("accident", "ACC-2025-01"), ("request", "REQ-0001"),
                     ("connection", "CON-002"), ("defect", "DEF-003"), ("ticket", "C2504-0018"),
                     ("meter", "MTR-052"), ("spare_part", "SPR-01"), ("training", "TRN-2025-P01"))
      for a, r in (("list", ()), ("show", (rec,)))),
    ("calendar person", ("calendar", "station", "2026-03", "--person", "P11", "--today",
                         "2026-04-01")),
    *((f"tools {' '.join(t)}", ("tools", *t, "--ledger", "station/safety_tools.json")) for t in (
        ("list", "--on", "2026-03-31"), ("due", "2026-04"), ("overdue", "--on", "2026-03-31"),
        ("unusable", "--on", "2026-03-31"), ("card", "JY-01"), ("card", "GL-01"),
        ("shortfall", "--on", "2026-03-31"), ("check",),
    )),
)  # fmt: skip


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], str]:
    """Each run's output in each language (the assess actions on one copy per language)."""
    import contextlib
    import io
    import os

    out: dict[tuple[str, str], str] = {}
    for lang in ("zh", "en", "both"):
        work = tmp_path_factory.mktemp(lang)
        shutil.copytree(STATION, work / "station")
        old = Path.cwd()
        os.chdir(work)
        try:
            for name, argv in RUNS:
                buf = io.StringIO()
                with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(io.StringIO()):
                    code = main([*argv, "--lang", lang, "--width", "100"])
                assert code in (0, 1), (name, lang, code)
                out[name, lang] = buf.getvalue()
        finally:
            os.chdir(old)
        out["cwd", lang] = str(work)
    return out


@pytest.mark.parametrize("name", [n for n, _ in RUNS])
def test_zh_output_is_chinese(outputs: dict[tuple[str, str], str], name: str) -> None:
    text = outputs[name, "zh"]
    assert text.strip()
    assert english_left(text, Path(outputs["cwd", "zh"])) == [], text[:2000]


@pytest.mark.parametrize("name", [n for n, _ in RUNS])
def test_en_output_is_english(outputs: dict[tuple[str, str], str], name: str) -> None:
    said = tuple(word for _, argv in RUNS for word in argv)  # a reason given to amend
    text = outputs[name, "en"]
    assert chinese_left(text, said) == [], text[:2000]


@pytest.mark.parametrize("name", [n for n, _ in RUNS])
def test_both_has_both(outputs: dict[tuple[str, str], str], name: str) -> None:
    """Under ``both`` the labels come in each language: what ``zh`` and ``en`` show of them."""
    text = outputs[name, "both"]
    assert re.search(r"[\u4e00-\u9fff]", text) and re.search(r"[A-Za-z]{4,}", text)


def test_the_check_finds_english_and_chinese() -> None:
    """The checks fail on what they must catch (an English sentence, a Chinese label)."""
    assert english_left("organisation as of 2026-03-31 (26 people)", Path(".")) == [
        "organisation", "people"
    ]  # fmt: skip
    assert english_left("安全员 safety_officer P02 L12-02-C002 --lang", Path(".")) == []
    assert english_left("农村台区 rural", Path(".")) == ["rural"]  # a code is no data ID
    assert chinese_left("2026-03: 60 个台区", ()) == ["个台区"]
    assert chinese_left("杨静 (P02)", ()) == []  # a name of the staff file


def test_area_class_names_come_from_their_data_file() -> None:
    from gdsmodel.errors import DataFileError
    from gdsmodel.metrics.areas.labels import area_labels, load_area_labels

    labels = area_labels()
    assert labels.name("negative_loss").zh == "负损"
    data = {
        "format": "gdsmodel.area_classes/1",
        "classes": [json.loads(json.dumps({"id": "qualified", "name": {"zh": "合格", "en": "ok"},
                                           "confidence": "M",
                                           "source": {"document": "x"}}))],
        "reasons": [],
    }  # fmt: skip
    with pytest.raises(DataFileError, match="missing"):
        load_area_labels(data, "area_classes.toml")
