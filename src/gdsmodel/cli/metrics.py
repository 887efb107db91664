"""``gdsmodel metrics``: the KPI registry, and KPIs computed from numbers on the command line.

::

    gdsmodel metrics list
    gdsmodel metrics show line_loss_rate
    gdsmodel metrics compute line_loss_rate supplied_kwh=120000 sold_kwh=111500
    gdsmodel metrics power-factor --active 8000 --reactive 4200 --standard 0.90 --charges 5600
    gdsmodel metrics sql line_loss_rate_10kv --dialect clickhouse --table dw.meter --key line
    gdsmodel metrics metricflow --key station --key line -o models/gdsmodel_metrics.yml
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from gdsmodel.cli._output import label, print_json, print_table, unit_label

__all__ = ["register"]


def register(sub: Any) -> None:
    """Add the ``metrics`` command group."""
    p = sub.add_parser("metrics", help="the KPI registry; compute a KPI from numbers")
    msub = p.add_subparsers(dest="metrics_command", metavar="SUBCOMMAND", required=True)

    q = msub.add_parser("list", help="every KPI with its unit, direction and default target")
    q.add_argument("--lang", choices=["zh", "en", "both"], default="both")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_list)

    q = msub.add_parser("show", help="one KPI's definition: formula, inputs, targets, clauses")
    q.add_argument("id", metavar="ID")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_show)

    q = msub.add_parser("compute", help="compute a ratio KPI from NAME=VALUE inputs")
    q.add_argument("id", metavar="ID")
    q.add_argument("inputs", nargs="*", metavar="NAME=VALUE")
    q.add_argument("--target", metavar="GRADE", help="judge against this target ID (grade)")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_compute)

    q = msub.add_parser("power-factor", help="power factor, 1983 adjustment and fee")
    q.add_argument("--active", required=True, metavar="KWH", help="active energy, kWh")
    q.add_argument("--reactive", required=True, metavar="KVARH", help="reactive energy, kvarh")
    q.add_argument("--standard", required=True, choices=["0.90", "0.85", "0.80"])
    q.add_argument(
        "--charges", metavar="YUAN", help="basic + energy charge, yuan (to compute the fee)"
    )
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_power_factor)

    q = msub.add_parser("sql", help="a ratio KPI per group as one SQL statement")
    q.add_argument("id", metavar="ID")
    q.add_argument(
        "--dialect",
        default="duckdb",
        choices=["duckdb", "postgres", "postgresql", "clickhouse", "spark", "hive"],
    )
    q.add_argument(
        "--table", metavar="TABLE", help="[schema.]table of the input rows (default: ID)"
    )
    q.add_argument(
        "--key", action="append", default=[], metavar="COLUMN", help="a group key (repeatable)"
    )
    q.add_argument(
        "--column",
        action="append",
        default=[],
        metavar="INPUT=COLUMN",
        help="the column of an input, where the names differ (repeatable)",
    )
    q.add_argument("--target", metavar="GRADE", help="judge against this target ID (grade)")
    q.add_argument("--period", metavar="COLUMN", help="the period key (KPIs with a stock input)")
    q.add_argument(
        "--scale",
        type=int,
        default=0,
        metavar="PLACES",
        help="decimal places of decimal input columns (2 for yuan): an exact value",
    )
    q.add_argument("--one-line", action="store_true", help="no line breaks")
    q.set_defaults(func=cmd_sql)

    q = msub.add_parser("metricflow", help="the registry as dbt MetricFlow semantic-layer YAML")
    q.add_argument(
        "--key", action="append", default=[], metavar="COLUMN", help="a dimension (repeatable)"
    )
    q.add_argument(
        "--model",
        default="ref('{id}')",
        metavar="TEMPLATE",
        help="the dbt model of a KPI's input rows, {id} is the KPI (default: ref('{id}'))",
    )
    q.add_argument("--time-dimension", default="period", metavar="COLUMN")
    q.add_argument(
        "--granularity", default="month", choices=["day", "week", "month", "quarter", "year"]
    )
    q.add_argument("-o", "--output", metavar="FILE", help="write the YAML here (default: stdout)")
    q.add_argument(
        "--check",
        action="store_true",
        help="validate with MetricFlow's package (dbt-semantic-interfaces); exit 1 on issues",
    )
    q.set_defaults(func=cmd_metricflow)


def cmd_list(args: argparse.Namespace) -> int:
    from gdsmodel.metrics.registry import metrics

    defs = metrics()
    if args.json:
        print_json(
            [
                {
                    "id": d.id,
                    "name": {"zh": d.name.zh, "en": d.name.en},
                    "unit": d.unit,
                    "direction": str(d.direction),
                    "target": str(d.target) if d.target is not None else None,
                    "additive": d.additive,
                    "clauses": list(d.clauses),
                }
                for d in defs
            ]
        )
        return 0
    print_table(
        ["id", "unit", "better", "target", "name"],
        [
            [
                d.id,
                unit_label(d.unit, args.lang),
                str(d.direction),
                str(d.target) if d.target is not None else "-",
                d.name.get(args.lang),
            ]
            for d in defs
        ],
    )
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from gdsmodel.serialize import unstructure

    d = _metric(args.id)
    if args.json:
        print_json(unstructure(d))
        return 0
    lang = args.lang

    def say(zh: str, en: str) -> str:
        return _say(lang, zh, en)

    print(f"{d.id}: {d.name.get(lang)}")
    print(f"  {say('公式', 'formula')}: {d.formula}")
    better = label(str(d.direction), lang) if lang != "en" else f"{d.direction} is better"
    confidence = say("置信度", "confidence")
    print(f"  {say('单位', 'unit')}: {unit_label(d.unit, lang)}; {better}; {confidence} "
          f"{d.confidence}")  # fmt: skip
    if d.additive:
        num = " ".join(f"{c:+d}·{n}" for n, c in d.numerator.items())
        den = " ".join(f"{c:+d}·{n}" for n, c in d.denominator.items())
        print(f"  {say('输入', 'inputs')}: {', '.join(d.inputs)}")
        print(f"  {say('比率', 'ratio')}: ({num}) / ({den})")
    elif d.computed_by:
        print(f"  {say('计算者', 'computed by')}: {d.computed_by}")
    for t in d.targets:
        mark = say("(默认)", "(default)") if t.id == d.default_target else ""
        unit = unit_label(d.unit, lang)
        print(
            f"  {say('目标', 'target')} {t.id}{mark}: {t.value}{unit} [{t.confidence}] {t.source}"
        )
    if d.owners:
        print(f"  {say('责任岗位', 'owners')}: {', '.join(d.owners)}")
    if d.clauses:
        print(f"  {say('条款', 'clauses')}: {', '.join(d.clauses)}")
    if d.notes:
        notes = d.notes if lang != "zh" else "仅有英文 (--lang en)"  # the notes are in English
        print(f"  {say('说明', 'notes')}: {notes}")
    return 0


def _metric(text: str) -> Any:
    """A KPI by its ID or its name in either language (``线损率``, ``Line loss rate``).

    >>> _metric("线损率").id
    'line_loss_rate'
    """
    import unicodedata

    from gdsmodel.errors import NotFoundError
    from gdsmodel.metrics.registry import metric, metrics

    try:
        return metric(text)
    except NotFoundError as exc:
        error = exc

    def fold(s: str) -> str:
        return unicodedata.normalize("NFKC", s).casefold().strip()

    defs = metrics()
    for d in defs:
        if fold(text) in (fold(d.name.zh), fold(d.name.en)):
            return d
    raise NotFoundError(error.kind, text, [*error.known, *(d.name.zh for d in defs)]) from None


def _say(lang: str, zh: str, en: str) -> str:
    return {"zh": zh, "en": en}.get(lang, f"{zh} {en}")


def _verdict(verdict: Any, lang: str) -> str:
    """A verdict in the command's language.

    >>> from fractions import Fraction
    >>> from gdsmodel.metrics.ratio import Verdict, VerdictStatus
    >>> _verdict(Verdict(VerdictStatus.MISSED, Fraction(3, 2000)), "zh")
    '未达标 -0.15pp'
    """
    from gdsmodel.metrics.ratio import VerdictStatus, round_half_up

    if verdict.status is VerdictStatus.MISSED and verdict.gap is not None:
        zh = f"未达标 -{round_half_up(verdict.gap * 100, 2)}pp"
    else:
        zh = {"met": "达标", "missed": "未达标", "undefined": "无法判定"}[str(verdict.status)]
    return {"zh": zh, "en": str(verdict)}.get(lang, f"{zh} / {verdict}")


def _parse_inputs(items: list[str]) -> dict[str, str]:
    from gdsmodel.errors import InputError

    out: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise InputError(
                "inputs are NAME=VALUE pairs", name="input", value=item, allowed="NAME=VALUE"
            )
        out[name] = value
    return out


def cmd_compute(args: argparse.Namespace) -> int:
    from gdsmodel.metrics.ratio import round_half_up

    d = _metric(args.id)
    ratio = d.ratio(**_parse_inputs(args.inputs))
    verdict = d.verdict(ratio, args.target) if d.targets else None
    if args.json:
        print_json(
            {
                "metric": d.id,
                "numerator": str(ratio.numerator),
                "denominator": str(ratio.denominator),
                "value": str(ratio.value) if ratio.value is not None else None,
                "percent": str(round_half_up(ratio.percent, 4))
                if ratio.percent is not None
                else None,
                "verdict": str(verdict.status) if verdict is not None else None,
            }
        )
    else:
        shown = d.format(ratio)
        if d.unit and d.unit != "%" and args.lang != "en":
            shown = shown.replace(d.unit, unit_label(d.unit, "zh"))
        print(f"{d.name.get(args.lang)}: {shown}  ({ratio.numerator}/{ratio.denominator})")
        if verdict is not None:
            target = d.target_for(args.target) if args.target else d.target
            print(f"  {_say(args.lang, '目标', 'target')} {target}: {_verdict(verdict, args.lang)}")
    return 0 if ratio.defined else 1  # an undefined KPI is a problem found


def cmd_power_factor(args: argparse.Namespace) -> int:
    from gdsmodel.metrics.reactive import (
        power_factor,
        power_factor_adjustment,
        power_factor_fee,
    )

    pf = power_factor(active_kwh=args.active, reactive_kvarh=args.reactive)
    pct = power_factor_adjustment(power_factor=pf, standard=args.standard)
    fee = (
        power_factor_fee(
            basic_charge=0, energy_charge=args.charges, power_factor=pf, standard=args.standard
        )
        if args.charges is not None
        else None
    )
    if args.json:
        print_json(
            {
                "power_factor": str(pf),
                "standard": args.standard,
                "adjustment_percent": str(pct),
                "fee_yuan": str(fee) if fee is not None else None,
            }
        )
        return 0
    kind = "reduction" if pct < 0 else "surcharge" if pct > 0 else "no adjustment"
    kind_zh = "减收" if pct < 0 else "增收" if pct > 0 else "不调整"
    lang = args.lang
    zh = f"功率因数 {pf},考核标准 {args.standard}:调整 {pct}%({kind_zh})"
    en = f"power factor {pf} against standard {args.standard}: {pct}% ({kind})"
    print({"zh": zh, "en": en}.get(lang, f"{zh}\n{en}"))
    if fee is not None:
        zh = f"按电费 {args.charges} 元计,力调电费 {fee} 元"
        en = f"adjustment fee on {args.charges} yuan: {fee} yuan"
        print({"zh": zh, "en": en}.get(lang, f"{zh}\n{en}"))
    sys.stdout.flush()
    return 0


def cmd_sql(args: argparse.Namespace) -> int:
    from gdsmodel.errors import InputError
    from gdsmodel.metrics.sql import to_sql

    d = _metric(args.id)
    columns = _parse_inputs(args.column)
    for name, col in columns.items():
        if not col:
            raise InputError("a column name is missing", name=name, allowed="INPUT=COLUMN")
    sql = to_sql(
        d,
        args.table or d.id,
        args.key,
        dialect=args.dialect,
        columns=columns,
        target=args.target,
        period=args.period,
        scale=args.scale,
        pretty=not args.one_line,
    )
    print(sql + ";")
    return 0


def cmd_metricflow(args: argparse.Namespace) -> int:
    from pathlib import Path

    from gdsmodel.metrics.metricflow import check, dump, skipped, to_metricflow
    from gdsmodel.metrics.registry import metrics

    defs = metrics()
    document = to_metricflow(
        defs,
        keys=args.key,
        model=args.model,
        time_dimension=args.time_dimension,
        granularity=args.granularity,
    )
    left = skipped(defs)
    header = (
        "# gdsmodel KPI registry as dbt MetricFlow definitions (generated: "
        "gdsmodel metrics metricflow).\n"
        + "".join(f"# not exported: {k} ({why})\n" for k, why in left.items())
    )
    text = header + dump(document)
    if args.output:
        from gdsmodel.cli._files import write_output

        write_output(Path(args.output), text)
        print(f"wrote {args.output}: {len(document['metrics'])} metrics", file=sys.stderr)
    else:
        print(text, end="")
    if args.check:
        issues = check(document)
        for issue in issues:
            print(issue, file=sys.stderr)
        if issues:
            return 1
        print("MetricFlow: valid", file=sys.stderr)
    return 0
