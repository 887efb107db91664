"""``gdsmodel report DIR --month 2026-03``: the monthly report of a station's folder, and
``gdsmodel generate-example DIR``: write the seeded example station.

Exit codes: 0 when the report was written and the data had no errors; 1 when it was
written but some rows were bad (they are listed in the report's data issues), or when the
folder or month is not usable.
"""

from __future__ import annotations

import argparse
import datetime
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from gdsmodel.metrics.reliability import CountingConvention
    from gdsmodel.periods import Month

__all__ = ["register"]

# What --help shows, kept here so that building the parser does not import the report
# package (tests/test_cli_speed.py checks them against gdsmodel.report and its example).
FORMATS: tuple[str, ...] = ("text", "markdown", "html", "excel", "json")
DEFAULT_SEED = 2026
FIRST_MONTH = "2025-04"
MONTHS = 12


def register(sub: Any) -> None:
    """Add the ``report`` and ``generate-example`` commands.

    >>> import argparse
    >>> sub = argparse.ArgumentParser().add_subparsers()
    >>> register(sub)
    >>> sorted(sub.choices)
    ['generate-example', 'report', 'station-schema']
    """
    from gdsmodel.cli._args import month_arg

    p = sub.add_parser(
        "report",
        help="the monthly report of a station's data folder",
        description="Compute every KPI with its target, verdict and trend, the assessment "
        "sheets, the safety tools due and overdue and next month's obligations from a "
        "station's folder (see docs/report.md), and write them as text, Markdown, HTML, "
        "Excel or JSON.",
    )
    p.add_argument("folder", metavar="DIR", help="the station's folder")
    p.add_argument(
        "--month",
        type=month_arg,
        metavar="MONTH",
        help="2026-03 or 2026年3月 (default: the last complete month)",
    )
    p.add_argument("--format", choices=FORMATS, default="text", help="output format")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    p.add_argument("--lang", choices=["zh", "en", "both"], default="both", help="language")
    p.add_argument("--json", action="store_true", help="same as --format json")
    p.add_argument(
        "--trend-months", type=int, default=12, metavar="N", help="months of trend (default 12)"
    )
    p.add_argument("--scheme", metavar="FILE", help="an assessment scheme (TOML)")
    p.add_argument("--targets", metavar="FILE", help="a targets file (registry overrides)")
    p.add_argument(
        "--convention",
        type=_convention_arg,
        metavar="NAME",
        help="counting convention of the reliability indices: 'DL/T 836' (dlt836) or "
        "'IEEE 1366' (ieee1366); default: [reliability] of station.toml, else DL/T 836",
    )
    p.add_argument(
        "--width",
        type=int,
        metavar="N",
        help="text width in columns (default: the terminal's width, or $COLUMNS)",
    )
    p.add_argument(
        "--progress", action="store_true", help="show progress on stderr (always on a terminal)"
    )
    p.set_defaults(func=cmd_report)

    g = sub.add_parser(
        "generate-example",
        help="write the seeded example station into DIR",
        description="Write a realistic example station (seeded: the same seed writes the "
        "same bytes).",
    )
    g.add_argument("folder", metavar="DIR")
    g.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"default {DEFAULT_SEED}")
    g.add_argument("--months", type=int, default=MONTHS, help=f"how many months (default {MONTHS})")
    g.add_argument("--first", default=str(FIRST_MONTH), metavar="MONTH", help="first month")
    g.add_argument("--force", action="store_true", help="overwrite existing files")
    g.set_defaults(func=cmd_generate)

    sc = sub.add_parser(
        "station-schema",
        help="the JSON Schema of a station folder's tables",
        description="Print (or write with -o) the JSON Schema of the tables of a station "
        "folder, derived from the declarations of their columns (see docs/report.md).",
    )
    sc.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    sc.set_defaults(func=cmd_schema)


def _convention_arg(text: str) -> CountingConvention:
    """A counting convention by name or id (an unknown one is a usage error, exit 2).

    >>> _convention_arg("ieee1366").name
    'IEEE 1366'
    >>> _convention_arg("EN 50160")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    argparse.ArgumentTypeError: 'EN 50160' is not a counting convention (allowed: ...
    """
    from gdsmodel.metrics.reliability import convention, load_conventions

    names = [c.name for c in load_conventions()] + [c.id for c in load_conventions()]
    if text.strip() not in names:
        raise argparse.ArgumentTypeError(
            f"{text[:200]!r} is not a counting convention (allowed: {', '.join(names)})"
        )
    return convention(text)


def _progress(stream: TextIO, enabled: bool) -> tuple[Callable[[str], None], Callable[[], None]]:
    """A progress printer: a spinner with the step on a terminal (rich.progress), else one
    line per step (``--progress``)."""
    if not enabled:
        return (lambda _: None), (lambda: None)
    if stream.isatty():
        import contextlib

        from gdsmodel.terminal import progress

        stack = contextlib.ExitStack()
        step = stack.enter_context(progress("gdsmodel report", stream=stream))
        return step, stack.close

    def say(step: str) -> None:
        stream.write(f"[gdsmodel] {step}\n")
        stream.flush()

    return say, (lambda: None)


def _last_complete_month(folder: str, now: datetime.datetime | None = None) -> Month:
    """The month before the current one (``now``, default: the clock), in the station's time
    zone when its station.toml names one.

    >>> import datetime
    >>> _last_complete_month("no/such/dir", datetime.datetime(2026, 4, 1, tzinfo=datetime.UTC))
    Month(2026, 3)
    """
    import pendulum

    from gdsmodel.periods import Month

    zone = "Asia/Shanghai"
    try:
        import tomllib

        with open(Path(folder) / "station.toml", "rb") as f:
            zone = str(tomllib.load(f).get("timezone", zone))
        pendulum.timezone(zone)
    except Exception:  # no folder, bad TOML, unknown zone: the report says why later
        zone = "Asia/Shanghai"
    today = pendulum.instance(now).in_timezone(zone) if now is not None else pendulum.now(zone)
    first = today.start_of("month").subtract(months=1)
    return Month(first.year, first.month)


def _text(report: Any, lang: Any, width: int, *, color: bool) -> str:
    """The text report as :func:`gdsmodel.report.render` writes it, with verdicts and real
    changes coloured on a terminal; the trend table shows six months, three below 100
    columns (the sparkline still has every month)."""
    from gdsmodel.report.layout import build_document
    from gdsmodel.report.render_text import render_text
    from gdsmodel.report.sections import extra_sections

    months = 6 if width >= 100 else 3
    doc = build_document(report, trend_months=months, all_areas=False, extra=extra_sections())
    return render_text(doc, lang, width=width, color=color)


def cmd_report(args: argparse.Namespace) -> int:
    """Build and write the report; 1 when the data had errors.

    ``args.month`` is already a :class:`~gdsmodel.periods.Month` (parsed once, by the
    argument type); it travels as that object to :func:`~gdsmodel.report.build_report`,
    which puts it in the station's time zone, and on to the renderers.

    >>> from gdsmodel.cli import main
    >>> main(["report", "no/such/dir", "--month", "2026-03"])
    1
    """
    from gdsmodel.errors import InputError
    from gdsmodel.report import build_report, render

    fmt = "json" if args.json else args.format
    if fmt == "excel" and not args.output:
        raise InputError(
            "Excel output needs a file", name="--output", value=None, allowed="-o FILE.xlsx"
        )
    from gdsmodel.terminal import output_width, use_color

    month = args.month if args.month is not None else _last_complete_month(args.folder)
    say, done = _progress(sys.stderr, args.progress or sys.stderr.isatty())
    try:
        report = build_report(
            args.folder,
            month,
            trend_months=args.trend_months,
            scheme_file=args.scheme,
            targets_file=args.targets,
            progress=say,
            convention=args.convention,
        )
        say(f"writing {fmt}")
        width = args.width or output_width()
        output: str | bytes
        if fmt == "text":
            color = not args.output and use_color(sys.stdout)
            output = _text(report, args.lang, width, color=color)
        else:
            output = render(report, fmt, args.lang, width=width)
    finally:
        done()
    if args.output:
        from gdsmodel.cli._files import write_output

        path = Path(args.output)
        path.parent.mkdir(parents=True, exist_ok=True)
        print(f"wrote {write_output(path, output)}")
    else:
        assert isinstance(output, str)
        sys.stdout.write(output)
    errors = len(report.errors)
    if errors:
        print(
            f"gdsmodel: {errors} bad rows or files were left out; see the data issues",
            file=sys.stderr,
        )
        return 1
    return 0


def cmd_generate(args: argparse.Namespace) -> int:
    """Write the example station.

    >>> import tempfile
    >>> from gdsmodel.cli import main
    >>> main(["generate-example", tempfile.mkdtemp() + "/x", "--months", "1"])  # doctest: +ELLIPSIS
    wrote ... files to .../x
    0
    """
    from gdsmodel.periods import Month
    from gdsmodel.report import generate_station

    written = generate_station(
        args.folder,
        seed=args.seed,
        months=args.months,
        first=Month.parse(args.first),
        overwrite=args.force,
    )
    print(f"wrote {len(written)} files to {args.folder}")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    """Print or write the station folder's JSON Schema.

    >>> import json, tempfile, pathlib
    >>> from gdsmodel.cli import main
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "station.schema.json"
    >>> main(["station-schema", "-o", str(out)])  # doctest: +ELLIPSIS
    wrote .../station.schema.json
    0
    >>> json.loads(out.read_text(encoding="utf-8"))["$id"]
    'gdsmodel.station/1'
    """
    import json

    from gdsmodel.report import json_schema

    text = json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"
    if args.output:
        from gdsmodel.cli._files import write_output

        print(f"wrote {write_output(args.output, text)}")
    else:
        sys.stdout.write(text)
    return 0
