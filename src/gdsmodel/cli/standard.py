"""Commands that browse and export the standard: posts, show, clause, find, glossary,
export, schema, validate, diff, editions."""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gdsmodel.cli._output import label, print_json, print_table, say
from gdsmodel.errors import DataFileError

if TYPE_CHECKING:
    from gdsmodel.roles.model import Clause, Post, Unit
    from gdsmodel.text import Lang

__all__ = ["register"]

# The values of roles.model's Category and Cadence, for --help without importing the model
# (tests/test_cli_speed.py checks them against the enums).
CATEGORIES = (
    "safety",
    "operations",
    "technical",
    "marketing",
    "metering",
    "billing",
    "line_loss",
    "service",
    "training",
    "reporting",
    "assessment",
    "planning",
    "meetings",
    "administration",
    "compliance",
)
CADENCES = (
    "annual",
    "quarterly",
    "monthly",
    "month_end",
    "periodic",
    "seasonal",
    "on_event",
    "ad_hoc",
)


def unstructure(obj: object) -> Any:
    """:func:`gdsmodel.serialize.unstructure`, imported when a command runs."""
    from gdsmodel.serialize import unstructure as plain

    return plain(obj)


def _standard(args: argparse.Namespace) -> Any:
    from gdsmodel.standards.standard import Standard, load_standard

    edition = getattr(args, "edition", None)
    path = getattr(args, "standard", None)
    if edition is None:
        return load_standard(path)
    from gdsmodel.standards.editions import load_edition

    base = load_edition(edition)
    return base if path is None else Standard.from_file(path, base=base)


def _common(p: argparse.ArgumentParser, *, lang: bool = True, as_json: bool = True) -> None:
    p.add_argument(
        "--standard",
        metavar="FILE",
        help="a station's variant file (TOML, JSON or YAML) applied on top of the reference",
    )
    p.add_argument(
        "--edition",
        metavar="VERSION",
        help="an edition of the reference standard, e.g. 1.0.0 (default: the current one)",
    )
    if lang:
        p.add_argument("--lang", choices=["zh", "en", "both"], default="both", help="language")
    if as_json:
        p.add_argument("--json", action="store_true", help="machine-readable JSON output")


def register(sub: Any) -> None:
    """Add the standard's commands to the ``gdsmodel`` parser."""
    p = sub.add_parser("posts", help="list the posts and units of the station")
    _common(p)
    p.set_defaults(func=cmd_posts)

    p = sub.add_parser("show", help="show a post's or unit's clauses")
    p.add_argument(
        "owner", metavar="POST", help="post or unit: its ID or name, e.g. safety_officer, 安全员"
    )
    _common(p)
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("clause", help="show one clause by its ID")
    p.add_argument("id", metavar="ID", help="clause ID, e.g. safety_officer.standard.6")
    _common(p)
    p.set_defaults(func=cmd_clause)

    p = sub.add_parser("find", help="find clauses by text, category, cadence or term")
    p.add_argument("text", nargs="?", metavar="TEXT", help="words in Chinese or English")
    p.add_argument("--category", choices=list(CATEGORIES))
    p.add_argument("--cadence", choices=list(CADENCES))
    p.add_argument("--term", metavar="TERM_ID", help="glossary term ID")
    p.add_argument("--owner", metavar="POST", help="only this post or unit (ID or name)")
    _common(p)
    p.set_defaults(func=cmd_find)

    p = sub.add_parser("glossary", help="list the glossary, or show one term")
    p.add_argument("term", nargs="?", metavar="TERM", help="a term ID or words to search")
    _common(p)
    p.set_defaults(func=cmd_glossary)

    p = sub.add_parser(
        "export", help="export the whole standard (JSON, YAML, JSON-LD, Turtle, data package)"
    )
    p.add_argument(
        "--format", choices=["json", "yaml", "jsonld", "turtle", "datapackage"], default="json"
    )
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write to FILE instead of stdout (datapackage: a folder, or a .zip file)",
    )
    p.add_argument(
        "--base",
        metavar="URI",
        help="base of the entities' URIs (default: $GDSMODEL_URI_BASE or "
        "https://w3id.org/gdsmodel/)",
    )
    _common(p, lang=False, as_json=False)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("schema", help="print the JSON Schema of the exported standard")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("validate", help="check a station's variant file (exit 1 if invalid)")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser(
        "diff",
        help="what changes, clause by clause, between two editions or an edition and a variant",
    )
    p.add_argument(
        "old",
        metavar="OLD",
        help="an edition (e.g. 1.0.0), a variant file or a `gdsmodel export` JSON file; "
        "alone: compared with the current edition",
    )
    p.add_argument("new", nargs="?", metavar="NEW", help="an edition or a variant file")
    p.add_argument(
        "--drafts",
        metavar="FILE",
        help="draft editions ([[editions]] entries) to add to the changelog",
    )
    p.add_argument("--json", action="store_true", help="the changes as JSON")
    p.set_defaults(func=cmd_diff)

    p = sub.add_parser("editions", help="the editions of the standard and their changes")
    p.add_argument("version", nargs="?", metavar="VERSION", help="show one edition's changes")
    p.add_argument("--drafts", metavar="FILE", help="draft editions to add to the changelog")
    p.add_argument("--json", action="store_true", help="machine-readable JSON output")
    p.add_argument(
        "--record",
        metavar="VERSION",
        help="print the [[editions]] entry that leads from --from to the current data files",
    )
    p.add_argument(
        "--from",
        dest="previous",
        metavar="FILE",
        help="the previous edition as `gdsmodel export` JSON (with --record)",
    )
    p.add_argument("--summary-zh", default="", metavar="TEXT", help="summary (with --record)")
    p.add_argument("--summary-en", default="", metavar="TEXT", help="summary (with --record)")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="edition date (default: today)")
    p.set_defaults(func=cmd_editions)


def _clause_row(c: Clause, lang: Lang) -> list[str]:
    return [c.id, c.category or "", ",".join(c.cadences), c.text.get(lang)]


def _clause_data(c: Clause) -> dict[str, Any]:
    data: dict[str, Any] = {"id": c.id, "kind": c.kind, **unstructure(c)}
    return data


def cmd_posts(args: argparse.Namespace) -> int:
    from gdsmodel.roles.model import Post

    std = _standard(args)
    owners: list[Post | Unit] = [*std.posts, *std.units]
    owners.sort(key=lambda o: (o.section, isinstance(o, Post)))
    if args.json:
        print_json(
            [
                {
                    "id": o.id,
                    "kind": "post" if isinstance(o, Post) else "unit",
                    "section": o.section,
                    "name": unstructure(o.name),
                    "clauses": len(list(o.clauses())),
                }
                for o in owners
            ]
        )
        return 0
    rows = []
    for o in owners:
        kind = "post" if isinstance(o, Post) else "unit"
        n_duties = len(o.duties)
        n_std = len(o.standards) if isinstance(o, Post) else 0
        counts = f"{n_duties}/{n_std}" if isinstance(o, Post) and o.standards else str(n_duties)
        rows.append([o.section, o.id, kind, counts, o.name.get(args.lang)])
    print(f"{std.station.name.get(args.lang)}: {std.title.get(args.lang)}")
    print_table(["§", "id", "kind", "clauses", "name"], rows)
    return 0


def _owner(std: Any, text: str) -> Post | Unit:
    """A post or unit by its ID or its name in either language (``安全员``, ``Safety officer``).

    >>> from gdsmodel.standards.standard import load_standard
    >>> _owner(load_standard(), "安全员").id
    'safety_officer'
    """
    import unicodedata

    from gdsmodel.errors import NotFoundError

    owners: list[Post | Unit] = [*std.posts, *std.units]
    if any(o.id == text for o in owners):
        return std.owner(text)  # type: ignore[no-any-return]
    fold = unicodedata.normalize("NFKC", text).casefold().strip()
    for o in owners:
        names = (o.name.zh, o.name.en, o.id)
        if fold in (unicodedata.normalize("NFKC", n).casefold().strip() for n in names if n):
            return o
    known = [o.id for o in owners] + [o.name.zh for o in owners]
    raise NotFoundError("post or unit", text, known)


def cmd_show(args: argparse.Namespace) -> int:
    from gdsmodel.roles.model import Post, Unit

    std = _standard(args)
    owner = _owner(std, args.owner)
    clauses = list(owner.clauses())
    if args.json:
        print_json(
            {
                "id": owner.id,
                "name": unstructure(owner.name),
                "clauses": [_clause_data(c) for c in clauses],
            }
        )
        return 0
    print(f"{owner.name.get(args.lang)} ({owner.id}), section {owner.section}")
    if isinstance(owner, Unit):
        members = ", ".join(m.name.get(args.lang) for m in owner.members)
        print(f"head: {owner.head}" + (f"; members: {members}" if members else ""))
    lists: list[tuple[Any, tuple[Clause, ...]]] = [(owner.duties_heading, owner.duties)]
    if isinstance(owner, Post) and owner.standards_heading is not None:
        lists.append((owner.standards_heading, owner.standards))
    for heading, items in lists:
        print()
        print(heading.get(args.lang))
        print_table(
            ["id", "category", "cadence", "text"], [_clause_row(c, args.lang) for c in items]
        )
    return 0


def cmd_clause(args: argparse.Namespace) -> int:
    std = _standard(args)
    c = std.clause(args.id)
    if args.json:
        print_json(_clause_data(c))
        return 0
    owner = std.owner(c.owner)
    lang = args.lang
    kind_zh = _CLAUSE_KINDS.get(str(c.kind), str(c.kind))
    print(
        c.id
        + "  "
        + say(
            f"({owner.name.zh}{kind_zh}第 {c.number} 条)",
            f"({owner.name.en}, {c.kind} {c.number})",
            lang,
            sep=" ",
        )
    )
    if lang in ("zh", "both"):
        print(f"  {say('中文', 'zh', lang, sep=' ')}: {c.text.zh}")
    if lang in ("en", "both"):
        print(f"  {say('英文', 'en', lang, sep=' ')}: {c.text.en}")

    def field(zh: str, en: str, value: str) -> None:
        print(f"  {say(zh, en, lang, sep=' ')}: {value}")

    comma = "、" if lang == "zh" else ", "
    field("类别", "categories", comma.join(label(x, lang) for x in c.categories) or "-")
    field("周期", "cadences", comma.join(label(x, lang) for x in c.cadences) or "-")
    if c.terms:
        names = [f"{t} ({std.glossary.term(t).name.get(lang)})" for t in c.terms]
        field("术语", "terms", ", ".join(names))
    if c.regulations:
        titles = [std.glossary.regulation(r).title.get(lang) for r in c.regulations]
        field("引用", "cites", ", ".join(titles))
    for t in c.targets:
        quote = f"  «{t.quote}»" if lang != "en" else ""
        field("目标", "target", f"{t.indicator} {t.comparison} {t.value}{t.unit}{quote}")
    for r in c.relations:
        kind = str(r.kind)
        party = _party(std, r.party, lang)
        field(_RELATIONS.get(kind, kind), kind, party + (f"  ({r.note})" if r.note else ""))
    for e in c.errata:
        zh = f"«{e.written}» 应为 «{e.intended}»"
        en = f"«{e.written}» for «{e.intended}»"
        note = f": {e.note}" if e.note and lang != "zh" else ""  # the notes are in English
        field("勘误", "erratum", (zh if lang != "en" else en) + note)
    if c.note:  # the notes are written in English
        field("说明", "note", c.note if lang != "zh" else "仅有英文 (--lang en)")
    return 0


# The kinds of clause as the standard heads them (安全员岗位职责, 安全员岗位工作标准).
_CLAUSE_KINDS = {"duty": "职责", "standard": "工作标准"}

# How a clause ties its owner to a party (gdsmodel.roles.model.RelationKind).
_RELATIONS = {"assists": "协助", "cooperates": "配合", "urges": "督促", "supervises": "监督"}


def _party(std: Any, party: str, lang: Lang) -> str:
    """A post, unit or external party by its name (and its ID)."""
    from gdsmodel.errors import NotFoundError

    try:
        name = std.owner(party).name
    except NotFoundError:
        try:
            name = std.glossary.party(party).name
        except NotFoundError:
            return party
    return f"{name.get(lang)} ({party})"


def cmd_find(args: argparse.Namespace) -> int:
    std = _standard(args)
    if not (args.text or args.category or args.cadence or args.term or args.owner):
        print("gdsmodel find: give TEXT or at least one filter option", file=sys.stderr)
        return 2
    owner = _owner(std, args.owner).id if args.owner else None
    found = std.find(
        args.text, category=args.category, cadence=args.cadence, term=args.term, owner=owner
    )
    if args.json:
        print_json([_clause_data(c) for c in found])
    elif found:
        print_table(
            ["id", "category", "cadence", "text"], [_clause_row(c, args.lang) for c in found]
        )
    else:
        print("no clause matches")
    return 0 if found else 1


def cmd_glossary(args: argparse.Namespace) -> int:
    std = _standard(args)
    g = std.glossary
    if args.term:
        term_ids = {t.id for t in g.terms}
        terms = (g.term(args.term),) if args.term in term_ids else g.search(args.term)
        if not terms:
            print(f"no glossary term matches {args.term!r}", file=sys.stderr)
            return 1
        if args.json:
            print_json([unstructure(t) for t in terms])
            return 0
        for t in terms:
            print(f"{t.id}: {t.name.get(args.lang)}  [confidence {t.confidence}]")
            print(f"  {t.definition.get(args.lang)}")
            for i, part in enumerate(t.parts, 1):
                print(f"  {i}. {part.get(args.lang)}")
            print(f"  source: {t.source}")
            used = [c.id for c in std.find(term=t.id)]
            if used:
                print(f"  used by: {', '.join(used)}")
        return 0
    if args.json:
        print_json(unstructure(g))
        return 0
    print_table(["id", "name"], [[t.id, t.name.get(args.lang)] for t in g.terms])
    print()
    print_table(["regulation", "title"], [[r.id, r.title.get(args.lang)] for r in g.regulations])
    return 0


def _write(text: str, output: str | None) -> None:
    if output:
        Path(output).write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


def cmd_export(args: argparse.Namespace) -> int:
    std = _standard(args)
    if args.format in ("json", "yaml"):
        _write(std.to_yaml() if args.format == "yaml" else std.to_json(), args.output)
        return 0
    from gdsmodel.linked.uris import UriScheme
    from gdsmodel.metrics.registry import default_registry

    scheme = UriScheme(base=args.base) if args.base else UriScheme()
    edition = args.edition
    if args.format == "jsonld":
        from gdsmodel.linked.jsonld import to_jsonld_text

        _write(to_jsonld_text(std, scheme=scheme, edition=edition), args.output)
    elif args.format == "turtle":
        from gdsmodel.linked.skos import to_turtle

        ttl = to_turtle(std, scheme=scheme, registry=default_registry(), edition=edition)
        _write(ttl, args.output)
    else:
        if not args.output:
            print("gdsmodel export: --format datapackage needs -o FOLDER or -o FILE.zip",
                  file=sys.stderr)  # fmt: skip
            return 2
        from gdsmodel.linked.datapackage import write_datapackage

        out = write_datapackage(
            std, args.output, registry=default_registry(), scheme=scheme, edition=edition
        )
        print(f"data package written to {out}")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from gdsmodel.standards.export import json_schema

    _write(json.dumps(json_schema(), ensure_ascii=False, indent=2), args.output)
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from gdsmodel.standards.standard import load_standard

    try:
        std = load_standard(args.file)
    except DataFileError as exc:
        if args.json:
            print_json(
                {
                    "valid": False,
                    "file": exc.file,
                    "path": exc.path,
                    "line": exc.line,
                    "error": str(exc),
                }
            )
        else:
            print(f"invalid: {exc}", file=sys.stderr)
        return 1
    n = len(list(std.clauses()))
    if args.json:
        print_json({"valid": True, "file": args.file, "clauses": n})
    else:
        print(f"valid: {args.file} ({len(std.posts)} posts, {len(std.units)} units, {n} clauses)")
    return 0


_VERSION = re.compile(r"^\d+\.\d+\.\d+$")


def _changelog(args: argparse.Namespace) -> Any:
    from gdsmodel.standards.editions import load_changelog, read_drafts

    log = load_changelog()
    drafts = getattr(args, "drafts", None)
    return log.with_drafts(read_drafts(drafts)) if drafts else log


def _edition_or_file(spec: str, log: Any) -> Any:
    """An edition by version, or a variant file applied on top of the current edition."""
    from gdsmodel.standards.editions import load_edition
    from gdsmodel.standards.standard import load_standard

    if _VERSION.match(spec) and not Path(spec).exists():
        return load_edition(spec, changelog=log)
    if spec.endswith(".json"):
        from gdsmodel.datafiles import read_data_file
        from gdsmodel.standards.standard import FORMAT, Standard

        data = read_data_file(spec)
        if isinstance(data, dict) and data.get("format") == FORMAT:
            return Standard.from_data(data, file=spec)  # a whole standard (`gdsmodel export`)
    return load_standard(spec)


def cmd_diff(args: argparse.Namespace) -> int:
    from gdsmodel.standards.editions import changes_between
    from gdsmodel.standards.standard import load_standard

    log = _changelog(args)
    if args.new is None:
        old, new = load_standard(), _edition_or_file(args.old, log)
    else:
        old, new = _edition_or_file(args.old, log), _edition_or_file(args.new, log)
    changes = changes_between(old, new)
    if args.json:
        print_json([unstructure(c) for c in changes])
    else:
        print("\n".join(_change_line(c) for c in changes) if changes else "no differences")
    return 0


def _short(value: Any, width: int = 60) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= width else text[: width - 1] + "…"


def _change_line(c: Any) -> str:
    if c.field:
        who = f"{c.kind} {c.id}" if c.id else c.kind
        return f"~ {who} {c.field}: {_short(c.old)} -> {_short(c.new)}"
    return str(c)


def _record(args: argparse.Namespace) -> int:
    import datetime

    from gdsmodel.datafiles import read_data_file
    from gdsmodel.standards.editions import record_edition, to_toml
    from gdsmodel.standards.standard import Standard, load_standard
    from gdsmodel.text import Text

    if not args.previous or not args.summary_zh:
        print("gdsmodel editions --record: give --from FILE and --summary-zh", file=sys.stderr)
        return 2
    old = Standard.from_data(read_data_file(args.previous), file=args.previous)
    try:
        day = datetime.date.fromisoformat(args.date) if args.date else datetime.date.today()
        entry = record_edition(
            old,
            load_standard(),
            version=args.record,
            date=day,
            summary=Text(args.summary_zh, args.summary_en),
        )
    except ValueError as exc:
        print(f"gdsmodel editions --record: {exc}", file=sys.stderr)
        return 1
    from gdsmodel.standards.editions import edition_of

    if edition_of(old) is None:
        print(
            f"note: {args.previous} is no recorded edition; the version step was not checked",
            file=sys.stderr,
        )
    sys.stdout.write(to_toml(entry))
    return 0


def cmd_editions(args: argparse.Namespace) -> int:
    if args.record:
        return _record(args)
    log = _changelog(args)
    editions = [log.edition(args.version)] if args.version else list(log.editions)
    if args.json:
        print_json([unstructure(e) for e in editions])
        return 0
    for e in editions:
        mark = "  (current)" if e.version == log.current else ""
        print(f"{e.version}  {e.date}  {e.summary.get('both')}{mark}")
        for c in e.changes if args.version else ():
            print(f"  {_change_line(c)}")
        if not args.version and e.changes:
            print(f"  {len(e.changes)} change(s); gdsmodel editions {e.version} lists them")
    return 0
