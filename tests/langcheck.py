"""The check that an output speaks the language asked for, drawn from the data, not from the
output it checks (shared by the tests of the CLI's commands and of the monthly report):

* :func:`english_left`: under ``zh`` no word of four or more ASCII letters is left except an
  ID of the data (the standard's clauses, posts, units, terms, regulations and parties, the
  KPI registry, the roles catalogue, the assessment schemes and their rules, the safety-tool
  kinds and kits, the IDs of the tool ledger, the kinds of work record with their classes and
  choices, the commands' own names, the station folder's own IDs: its cells with a digit,
  such as ``P02`` or ``L12-02-C002``, and the words of its work records' values), a path of
  the working folder or of the station folder in it (a command wrote it, or the report names
  its data file), or an option;
* :func:`chinese_left`: under ``en`` no Chinese is left except text taken from the data (the
  station folder's data files, the text of the standard's clauses and its errata, and what
  the command line said).
"""

from __future__ import annotations

import csv
import json
import re
from functools import cache
from pathlib import Path

__all__ = ["STATION", "chinese_left", "english_left"]

ROOT = Path(__file__).resolve().parents[1]
STATION = ROOT / "examples" / "station"


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
    from gdsmodel.metrics.assessment import default_scheme

    for scheme in (
        load_scheme(ROOT / "src" / "gdsmodel" / "organisation" / "data" / "scheme.toml"),
        default_scheme(),  # the station's (the report names it)
    ):
        ids |= {scheme.id} | {r.id for r in scheme.rules}
    from gdsmodel.metrics.reliability import load_conventions

    # the counting conventions are named by their standards' designations (IEEE 1366)
    ids |= {w for c in load_conventions() for w in (c.id, *_TOKEN.findall(c.name))}
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
        if bare.startswith("--") or (("/" in bare or "." in bare) and _written(bare, cwd)):
            continue
        for token in _TOKEN.findall(piece):
            if token not in _ids() and re.search(r"[A-Za-z]{4,}", token):
                left.append(token)
    return left


def chinese_left(text: str, argv: tuple[str, ...]) -> list[str]:
    """The Chinese of an English output that the data or the command line did not give."""
    given = _data_text() + "\n".join(argv)
    return [run for run in re.findall(r"[\u3400-\u9fff]+", text) if run not in given]
