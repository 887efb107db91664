"""Under ``--lang zh`` the people-facing commands speak Chinese, under ``--lang en`` English.

The check is drawn from the data, not from the output it checks:

* under ``zh`` no word of four or more ASCII letters is left except an ID of the data (the
  standard's clauses, posts, units, terms, regulations and parties, the KPI registry, the
  roles catalogue, the scheme's rules, the safety-tool kinds and kits, the IDs of the tool
  ledger, the kinds of work record with their classes and choices, the commands' own names,
  the station folder's own IDs: its cells with a digit, such as ``P02`` or ``L12-02-C002``,
  and the words of its work records' values), a path the command wrote, or an option;
* under ``en`` no Chinese is left except text taken from the data (the station folder's data
  files, the text of the standard's clauses and its errata, and what the command line said).
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from functools import cache
from pathlib import Path

import pytest

from gdsmodel.cli import main

ROOT = Path(__file__).resolve().parents[1]
STATION = ROOT / "examples" / "station"

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


@cache
def _ids() -> frozenset[str]:
    """Every ID the data declare."""
    import argparse

    from gdsmodel.cli.standard import _standard
    from gdsmodel.metrics.assessment import load_scheme
    from gdsmodel.metrics.registry import default_registry
    from gdsmodel.organisation.staff import default_catalogue

    std = _standard(argparse.Namespace(standard=None, edition=None))
    g = std.glossary
    ids = {c.id for c in std.clauses()}
    ids |= {o.id for o in (*std.posts, *std.units)}
    ids |= {t.id for t in g.terms} | {r.id for r in g.regulations} | {p.id for p in g.parties}
    registry = default_registry()
    ids |= set(registry.ids()) | set(default_catalogue().ids())
    for d in registry:  # its inputs, and the Latin its formula and Chinese name write (SAIFI)
        ids |= set(d.inputs) | set(_TOKEN.findall(d.formula)) | set(_TOKEN.findall(d.name.zh))
    scheme = load_scheme(ROOT / "src" / "gdsmodel" / "organisation" / "data" / "scheme.toml")
    ids |= {r.id for r in scheme.rules}
    from gdsmodel.standards.safety_tools import kits, tool_kinds

    ids |= {k.id for k in tool_kinds()} | {k.id for k in kits()}
    ids |= {r for k in tool_kinds() for r in (*k.ratings, *k.service_life)}  # helmet materials
    ledger = json.loads((STATION / "safety_tools.json").read_text(encoding="utf-8"))
    ids |= {v for v in _strings(ledger) if re.fullmatch(r"[A-Za-z0-9][\w.\-]*", v)}
    from gdsmodel.cli import build_parser
    from gdsmodel.cli._conventions import leaf_parsers
    from gdsmodel.standards.records.kinds import kinds as record_kinds

    ids |= {"gdsmodel"} | {w for words, _ in leaf_parsers(build_parser()) for w in words}
    for k in record_kinds():  # the kinds of work record, their classes and choices
        ids |= {k.id} | {c.id for c in k.classes}
        ids |= {c for f in k.fields for c in getattr(f, "choices", ())}
    records = json.loads((STATION / "records.json").read_text(encoding="utf-8"))
    ids |= {t for v in _strings(records) for t in _TOKEN.findall(v)}  # the records' own text
    for path in STATION.glob("*.csv"):
        with path.open(encoding="utf-8") as f:
            for row in csv.reader(f):
                ids |= {c for c in row if re.fullmatch(r"[A-Za-z0-9][\w.\-]*", c) and
                        re.search(r"\d", c)}  # fmt: skip
    # a table may wrap a long ID at a dot: its first parts are of the ID too
    ids |= {i.rsplit(".", n)[0] for i in ids for n in range(1, i.count(".") + 1)}
    return frozenset(ids)


def _strings(data: object) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for v in data.values() for s in _strings(v)]
    if isinstance(data, list):
        return [s for v in data for s in _strings(v)]
    return []


@cache
def _data_text() -> str:
    """The text the data hold: the station's data files and the standard's clauses."""
    import argparse

    from gdsmodel.cli.standard import _standard

    parts = [p.read_text(encoding="utf-8") for p in sorted(STATION.iterdir())
             if p.suffix in (".csv", ".json", ".toml")]  # fmt: skip
    std = _standard(argparse.Namespace(standard=None, edition=None))
    for c in std.clauses():
        parts += [c.text.zh, c.note, *(t.quote for t in c.targets)]
        parts += [f"{e.written}\n{e.intended}\n{e.note}" for e in c.errata]
    from gdsmodel.metrics.registry import default_registry

    parts += [d.notes for d in default_registry()]
    return "\n".join(parts)


_TOKEN = re.compile(r"[A-Za-z0-9][\w.\-]*[A-Za-z0-9]|[A-Za-z]")


def _written(path: str, cwd: Path) -> bool:
    return len(path) < 200 and any((root / path).exists() for root in (cwd, cwd / "station"))


def english_left(text: str, cwd: Path) -> list[str]:
    """The English words of a Chinese output that are no ID, option or path (of the working
    folder or the station folder ``station`` in it)."""
    left = []
    for piece in text.split():
        bare = piece.strip(",;:()«»")
        if bare.startswith("--") or ("/" in bare and _written(bare, cwd)):
            continue
        for token in _TOKEN.findall(piece):
            if token not in _ids() and re.search(r"[A-Za-z]{4,}", token):
                left.append(token)
    return left


def chinese_left(text: str, argv: tuple[str, ...]) -> list[str]:
    """The Chinese of an English output that the data or the command line did not give."""
    given = _data_text() + "\n".join(argv)
    return [run for run in re.findall(r"[\u3400-\u9fff]+", text) if run not in given]


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
