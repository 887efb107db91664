"""The station folder's organisation files: ``staff.csv`` and ``responsibility.csv``.

Both are tables like the station's other files (CSV in UTF-8 with or without BOM, or
Excel ``.xlsx`` with the ``excel`` extra; the first row names the columns, in English or
Chinese). Each column is declared once (:data:`STAFF`, :data:`RESPONSIBILITY`): the reader,
the located errors (file, row, column, what is allowed) and the JSON Schema
(:func:`json_schema`) derive from the declaration. A bad row is reported and left out;
reading never raises for bad data.

``staff.csv``: one row per assignment (a person holding a post, unit or role from a day,
optionally to a day, the end day not included); a person's name is repeated on each of
their rows. ``responsibility.csv``: one row per line, area or equipment class a person
answers for, with the KPIs it covers (empty: all). ``organisation.toml`` (optional) holds
the station's attribution rule and year-end bands (the form of
``gdsmodel/organisation/data/rules.toml``).

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "staff.csv").write_text(
...     "person,name,holds,start\\nP01,王强,technician,2025-01-01\\nP02,李明,plumber,2025-01-01\\n",
...     encoding="utf-8")
>>> org = load_organisation(d)
>>> [str(e) for e in org.errors]  # doctest: +ELLIPSIS
["staff.csv: row 3, column holds: 'plumber' is not a post, unit or role (allowed: director, ..."]
>>> [p.name for p in org.roster.people]
['王强']
"""

from __future__ import annotations

import datetime as _dt
import enum
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from gdsmodel import _show
from gdsmodel.errors import DataFileError
from gdsmodel.metrics.assessment import CheckEvidence, RuleKind, Scheme
from gdsmodel.organisation.dating import Effective
from gdsmodel.organisation.responsibility import (
    Issue,
    OrganisationRules,
    Responsibility,
    default_rules,
    load_rules,
    validate,
)
from gdsmodel.organisation.staff import (
    Assignment,
    Catalogue,
    Person,
    Roster,
    ScopeKind,
    default_catalogue,
)
from gdsmodel.periods import DEFAULT_TZ, Month
from gdsmodel.tablefiles import (
    CellError,
    TableFileError,
    check_file,
    find,
    has_control,
    header_row,
    match_header,
    month_of_cell,
    read_rows,
    refuse_formula,
)
from gdsmodel.text import Text

__all__ = [
    "PEOPLE_CHECKS",
    "RESPONSIBILITY",
    "STAFF",
    "FileColumn",
    "Kind",
    "Organisation",
    "OrganisationFileError",
    "PersonCheck",
    "TableSpec",
    "json_schema",
    "load_organisation",
]


class OrganisationFileError(TableFileError):
    """A problem in ``staff.csv`` or ``responsibility.csv``: file, row, column, allowed
    (a :class:`~gdsmodel.tablefiles.TableFileError`).

    >>> print(OrganisationFileError("is empty", file="staff.csv", row=4, column="name",
    ...                             allowed="a name"))
    staff.csv: row 4, column name: is empty (allowed: a name)
    """


class Kind(enum.StrEnum):
    """What a column holds."""

    ID = "id"
    TEXT = "text"
    DATE = "date"
    CHOICE = "choice"
    LIST = "list"  # IDs separated by spaces, commas or semicolons
    MONTH = "month"  # 2026-03 or 2026年3月
    BOOL = "bool"  # yes/no


_TRUE = {"yes", "y", "true", "1", "pass", "passed", "是", "合格", "通过", "√"}
_FALSE = {"no", "n", "false", "0", "fail", "failed", "否", "不合格", "未通过", "×"}
_DATE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")


@attrs.frozen(slots=True, kw_only=True)
class FileColumn:
    """One column: English and Chinese names, kind, whether required, allowed values."""

    name: str
    zh: str
    kind: Kind
    required: bool = True
    choices: tuple[str, ...] = ()
    aliases: Mapping[str, str] = attrs.field(factory=dict, hash=False)
    description: Text = attrs.field(factory=lambda: Text(""))

    @property
    def allowed(self) -> str:
        """What the column accepts."""
        return {
            Kind.ID: "a non-empty code",
            Kind.TEXT: "any text",
            Kind.DATE: "a day such as 2026-03-11 or 2026年3月11日",
            Kind.CHOICE: ", ".join(self.choices),
            Kind.LIST: "KPI IDs separated by spaces (empty: every KPI)",
            Kind.MONTH: "a month such as 2026-03 or 2026年3月",
            Kind.BOOL: "yes/no, 1/0, pass/fail, 是/否, 合格/不合格",
        }[self.kind]

    def parse(self, text: str) -> Any:
        """The value of a cell; raises an internal error when not allowed."""
        s = text.strip()
        refuse_formula(s)
        if not s:
            if self.required:
                raise CellError("is empty", self.allowed)
            return () if self.kind is Kind.LIST else None if self.kind is Kind.DATE else ""
        if self.kind is Kind.ID:
            if has_control(s) or " " in s:
                raise CellError(f"{s!r} is not a code (no spaces)", self.allowed)
            return s
        if self.kind is Kind.TEXT:
            return s
        if self.kind is Kind.DATE:
            m = _DATE.fullmatch(s.split(" ")[0].split("T")[0])
            try:
                if m is None:
                    raise ValueError
                return _dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                raise CellError(f"{s!r} is not a day", self.allowed) from None
        if self.kind is Kind.CHOICE:
            low = s.casefold()
            for c in self.choices:
                if c.casefold() == low:
                    return c
            if s in self.aliases:
                return self.aliases[s]
            raise CellError(f"{s!r} is not an allowed value", self.allowed)
        if self.kind is Kind.MONTH:
            month = month_of_cell(s, DEFAULT_TZ)  # also an Excel date in the column
            if month is None:
                raise CellError(f"{s!r} is not a month", self.allowed)
            return month
        if self.kind is Kind.BOOL:
            low = s.casefold()
            if low in _TRUE:
                return True
            if low in _FALSE:
                return False
            raise CellError(f"{s!r} is not yes or no", self.allowed)
        return tuple(p for p in re.split(r"[\s,;,;、]+", s) if p)


@attrs.frozen(slots=True, kw_only=True)
class TableSpec:
    """A declared table: its file stem, title and columns."""

    stem: str
    title: Text
    columns: tuple[FileColumn, ...]
    description: Text = attrs.field(factory=lambda: Text(""))

    def __repr__(self) -> str:
        return _show.short_repr(self)

    @property
    def filename(self) -> str:
        """The CSV name (``.xlsx`` is read too)."""
        return f"{self.stem}.csv"


def _c(name: str, zh: str, kind: Kind, en: str, **kw: Any) -> FileColumn:
    return FileColumn(name=name, zh=zh, kind=kind, description=Text(zh, en), **kw)


STAFF = TableSpec(
    stem="staff",
    title=Text("人员及岗位", "Staff and assignments"),
    description=Text(
        "每行一项任职:人员担任岗位、专业组成员或角色,自开始日起,至结束日(不含)止。",
        "One row per assignment: a person holds a post, unit membership or role from the start "
        "day, up to the end day (not included).",
    ),
    columns=(
        _c("person", "人员编号", Kind.ID, "the person's ID"),
        _c("name", "姓名", Kind.TEXT, "the person's name (the same on every row of a person)"),
        _c("contact", "联系方式", Kind.TEXT, "phone or other contact", required=False),
        _c("holds", "岗位", Kind.ID, "a post, unit or role ID (gdsmodel posts; roles.toml)"),
        _c("start", "开始日期", Kind.DATE, "the first day held"),
        _c("end", "结束日期", Kind.DATE, "the first day no longer held", required=False),
        _c("note", "备注", Kind.TEXT, "free text", required=False),
    ),
)

RESPONSIBILITY = TableSpec(
    stem="responsibility",
    title=Text("责任分工", "Responsibility"),
    description=Text(
        "每行一项责任:人员对某条线路、某个台区或某类设备负责,自开始日起,至结束日(不含)止。",
        "One row per responsibility: a person answers for a line, a transformer area or an "
        "equipment class from the start day, up to the end day (not included).",
    ),
    columns=(
        _c("person", "人员编号", Kind.ID, "the person's ID (in staff.csv)"),
        _c(
            "scope",
            "类型",
            Kind.CHOICE,
            "line, area or equipment",
            choices=tuple(s.value for s in ScopeKind),
            aliases={"线路": "line", "台区": "area", "设备": "equipment"},
        ),
        _c("target", "对象", Kind.ID, "the line, area or equipment class ID"),
        _c("start", "开始日期", Kind.DATE, "the first day answered for"),
        _c("end", "结束日期", Kind.DATE, "the first day no longer answered for", required=False),
        _c(
            "kpis",
            "考核指标",
            Kind.LIST,
            "the KPIs covered (registry IDs); empty: every KPI",
            required=False,
        ),
        _c("note", "备注", Kind.TEXT, "free text", required=False),
    ),
)


PEOPLE_CHECKS = TableSpec(
    stem="people_checks",
    title=Text("人员检查考核", "Checks of people and groups"),
    description=Text(
        "每行一项检查结果:某月对某人(或专业组)按考核项检查是否合格(安全员岗位工作标准第9条:月底检查、考核)。",
        "One row per check: whether a person (or a group, by its unit ID) passed a check rule "
        "of the scheme for people in a month (the safety officer's month-end check, 安全员 "
        "standard 9).",
    ),
    columns=(
        _c("month", "月份", Kind.MONTH, "the month checked"),
        _c("person", "人员编号", Kind.ID, "a person of staff.csv, or a unit ID for a group"),
        _c("rule", "考核项", Kind.ID, "a check rule of the scheme for people"),
        _c("passed", "是否合格", Kind.BOOL, "passed or not"),
        _c("note", "说明", Kind.TEXT, "what was found", required=False),
    ),
)


def json_schema(spec: TableSpec) -> dict[str, Any]:
    """The JSON Schema of one row of a declared table (as a JSON object of its columns).

    >>> s = json_schema(STAFF)
    >>> s["required"], s["properties"]["start"]["format"]
    (['person', 'name', 'holds', 'start'], 'date')
    """
    props: dict[str, Any] = {}
    for c in spec.columns:
        p: dict[str, Any] = {"title": c.zh, "description": c.description.en}
        if c.kind is Kind.DATE:
            p |= {"type": "string", "format": "date"}
        elif c.kind is Kind.CHOICE:
            p |= {"type": "string", "enum": list(c.choices)}
        elif c.kind is Kind.MONTH:
            p |= {"type": "string", "pattern": r"^\d{4}-(0[1-9]|1[0-2])$"}
        elif c.kind is Kind.BOOL:
            p |= {"type": "boolean"}
        elif c.kind is Kind.LIST:
            p |= {"type": "array", "items": {"type": "string", "minLength": 1}}
        elif c.kind is Kind.ID:
            p |= {"type": "string", "minLength": 1, "pattern": r"^\S+$"}
        else:
            p |= {"type": "string"}
        props[c.name] = p
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://gdsmodel.org/schema/{spec.stem}.json",
        "title": f"{spec.filename}: {spec.title.en} ({spec.title.zh})",
        "description": spec.description.en,
        "type": "object",
        "properties": props,
        "required": [c.name for c in spec.columns if c.required],
        "additionalProperties": False,
    }


# ----------------------------------------------------------------------------- reading


Row = tuple[int, dict[str, Any]]


def read_table(
    folder: Path, spec: TableSpec, errors: list[OrganisationFileError]
) -> tuple[str | None, list[Row]]:
    """The parsed rows of one declared table (row number, values); problems go to
    ``errors``. Returns the file name read (None when absent)."""
    path, other = find(folder, spec.stem)
    if path is None:
        return None, []
    name = path.name
    if other is not None:
        errors.append(
            OrganisationFileError(
                f"both {spec.stem}.csv and .xlsx exist: using the CSV",
                file=other.name,
                warning=True,
            )
        )
    try:
        check_file(folder, path)
        rows = read_rows(path, spec.stem)
        first = header_row(rows)
        body = list(rows)
    except DataFileError as exc:
        errors.append(OrganisationFileError(exc.message, file=name))
        return name, []
    if first is None:
        errors.append(OrganisationFileError("the file is empty (no header row)", file=name))
        return name, []
    positions, problems = match_header(first, spec.columns)
    errors.extend(
        OrganisationFileError(
            p.message, file=name, row=1, column=p.column, allowed=p.allowed, warning=p.warning
        )
        for p in problems
    )
    if positions is None:
        return name, []
    out: list[Row] = []
    for n, cells in enumerate(body, start=2):
        if not any(c.strip() for c in cells):
            continue
        values: dict[str, Any] = {}
        bad = False
        for col in spec.columns:
            at = positions.get(col.name)
            text = cells[at] if at is not None and at < len(cells) else ""
            try:
                values[col.name] = col.parse(text)
            except CellError as exc:
                errors.append(
                    OrganisationFileError(
                        exc.message, file=name, row=n, column=col.name, allowed=exc.allowed
                    )
                )
                bad = True
        if bad:
            continue
        end = values.get("end")
        if end is not None and end <= values["start"]:
            errors.append(
                OrganisationFileError(
                    f"{end.isoformat()} is not after the start {values['start'].isoformat()}",
                    file=name,
                    row=n,
                    column="end",
                    allowed="a day after the start (the end day is not included), or empty",
                )
            )
            continue
        out.append((n, values))
    return name, out


@attrs.frozen(slots=True, kw_only=True)
class PersonCheck:
    """One row of ``people_checks.csv``: a check rule passed or failed in a month."""

    month: Month
    owner: str
    rule: str
    passed: bool
    note: str = ""
    row: int | None = None


@attrs.frozen(slots=True, kw_only=True)
class Organisation:
    """A station's organisation read from its folder, with the problems found.

    ``files`` are the file names read (absent files are left out).
    """

    roster: Roster
    responsibilities: tuple[Responsibility, ...]
    rules: OrganisationRules
    catalogue: Catalogue
    files: tuple[str, ...] = ()
    issues: tuple[OrganisationFileError, ...] = ()
    checks: tuple[PersonCheck, ...] = ()

    def __repr__(self) -> str:
        return _show.short_repr(self)

    def checks_for(self, month: Month) -> dict[str, dict[str, CheckEvidence]]:
        """The check outcomes of a month by person (or unit) and rule ID."""
        out: dict[str, dict[str, CheckEvidence]] = {}
        for c in self.checks:
            if c.month == month:
                out.setdefault(c.owner, {})[c.rule] = CheckEvidence(c.passed, note=c.note)
        return out

    @property
    def errors(self) -> tuple[OrganisationFileError, ...]:
        """The issues that are errors (not warnings)."""
        return tuple(i for i in self.issues if not i.warning)

    def check(
        self, months: Iterable[Month], known: Mapping[ScopeKind, Iterable[str]]
    ) -> tuple[OrganisationFileError, ...]:
        """The responsibility split validated over ``months`` against the station's known
        lines, areas and equipment classes, as located errors of ``responsibility.csv``
        (gaps, which have no row, are warnings)."""
        found = validate(
            self.responsibilities, self.roster, months, known, catalogue=self.catalogue
        )
        return tuple(_located(i) for i in found)

    def held(self, month: Month) -> dict[str, tuple[str, ...]]:
        """What each person held on any day of ``month``."""
        return {
            p.id: tuple(dict.fromkeys(a.holds for a in self.roster.held_by(p.id, month)))
            for p in self.roster.people
        }


_COLUMN_OF = {
    "unknown_person": "person",
    "unknown_target": "target",
    "unfit": "person",
    "overlap": "start",
}


def _located(issue: Issue) -> OrganisationFileError:
    gap = issue.row is None
    return OrganisationFileError(
        f"{issue.kind}: {issue.message}",
        file="responsibility.csv",
        row=issue.row,
        column=None if gap else _COLUMN_OF.get(issue.kind.value),
        warning=gap,
    )


def load_organisation(
    folder: str | Path,
    *,
    catalogue: Catalogue | None = None,
    metric_ids: Iterable[str] | None = None,
    scheme: Scheme | None = None,
) -> Organisation:
    """Read ``staff.csv``, ``responsibility.csv``, ``people_checks.csv`` and
    ``organisation.toml`` of a station.

    Bad rows become located errors and are left out; absent files give an empty roster
    (and a warning). ``metric_ids`` are the KPIs a responsibility may name (default: the
    registry's); ``scheme`` the scheme whose check rules ``people_checks.csv`` may name
    (default: the shipped scheme for people).
    """
    path = Path(folder)
    cat = catalogue or default_catalogue()
    errors: list[OrganisationFileError] = []
    files: list[str] = []
    rules = default_rules()
    if (path / "organisation.toml").exists():
        try:
            rules = load_rules(path / "organisation.toml")
        except DataFileError as exc:
            errors.append(
                OrganisationFileError(exc.message, file="organisation.toml", column=exc.path)
            )
    staff_file, staff_rows = read_table(path, STAFF, errors)
    if staff_file is None:
        errors.append(
            OrganisationFileError(
                "no staff.csv (or .xlsx): no roster", file="staff.csv", warning=True
            )
        )
    else:
        files.append(staff_file)
    people: dict[str, Person] = {}
    first_row: dict[str, int] = {}
    assignments: list[Assignment] = []
    known = set(cat.ids())
    for n, v in staff_rows:
        assert staff_file is not None
        if v["holds"] not in known:
            errors.append(
                OrganisationFileError(
                    f"{v['holds']!r} is not a post, unit or role",
                    file=staff_file,
                    row=n,
                    column="holds",
                    allowed=", ".join(cat.ids()),
                )
            )
            continue
        pid = v["person"]
        if pid in people and people[pid].name != v["name"]:
            errors.append(
                OrganisationFileError(
                    f"{pid} is named {v['name']!r} here and {people[pid].name!r} in row "
                    f"{first_row[pid]}",
                    file=staff_file,
                    row=n,
                    column="name",
                    allowed="the same name on every row of a person",
                )
            )
            continue
        if pid not in people:
            people[pid] = Person(pid, v["name"], v["contact"])
            first_row[pid] = n
        elif v["contact"] and not people[pid].contact:
            people[pid] = attrs.evolve(people[pid], contact=v["contact"])
        a = Assignment(pid, v["holds"], Effective(v["start"], v["end"]), v["note"])
        clash = next(
            (
                b
                for b in assignments
                if (b.person, b.holds) == (pid, a.holds) and b.effective.overlaps(a.start, a.end)
            ),
            None,
        )
        if clash is not None:
            errors.append(
                OrganisationFileError(
                    f"{pid} already holds {a.holds} over {clash.effective}",
                    file=staff_file,
                    row=n,
                    column="start",
                    allowed="assignments of one thing that do not overlap",
                )
            )
            continue
        assignments.append(a)
    roster = Roster(people=tuple(people.values()), assignments=tuple(assignments))
    resp_file, resp_rows = read_table(path, RESPONSIBILITY, errors)
    if resp_file is not None:
        files.append(resp_file)
    if metric_ids is None:
        from gdsmodel.metrics.registry import default_registry

        metric_ids = default_registry().ids()
    metrics = set(metric_ids)
    responsibilities: list[Responsibility] = []
    for n, v in resp_rows:
        assert resp_file is not None
        if v["person"] not in people:
            errors.append(
                OrganisationFileError(
                    f"{v['person']!r} is not in staff.csv",
                    file=resp_file,
                    row=n,
                    column="person",
                    allowed="a person ID of staff.csv",
                )
            )
            continue
        unknown = [k for k in v["kpis"] if k not in metrics]
        if unknown:
            errors.append(
                OrganisationFileError(
                    f"unknown KPI {unknown[0]!r}",
                    file=resp_file,
                    row=n,
                    column="kpis",
                    allowed="metric IDs of `gdsmodel metrics list`, separated by spaces",
                )
            )
            continue
        responsibilities.append(
            Responsibility(
                v["person"],
                ScopeKind(v["scope"]),
                v["target"],
                Effective(v["start"], v["end"]),
                v["note"],
                row=n,
                metrics=tuple(v["kpis"]),
            )
        )
    checks = _read_checks(path, roster, cat, scheme, errors, files)
    return Organisation(
        roster=roster,
        responsibilities=tuple(responsibilities),
        rules=rules,
        catalogue=cat,
        files=tuple(files),
        issues=tuple(errors),
        checks=checks,
    )


def _read_checks(
    path: Path,
    roster: Roster,
    cat: Catalogue,
    scheme: Scheme | None,
    errors: list[OrganisationFileError],
    files: list[str],
) -> tuple[PersonCheck, ...]:
    name, rows = read_table(path, PEOPLE_CHECKS, errors)
    if name is None:
        return ()
    files.append(name)
    if scheme is None:
        from gdsmodel.organisation.assessment import default_person_scheme

        scheme = default_person_scheme()
    rules = {r.id: r for r in scheme.rules if r.kind is RuleKind.CHECK}
    out: list[PersonCheck] = []
    seen: dict[tuple[Month, str, str], int] = {}
    for n, v in rows:
        owner, month = v["person"], v["month"]
        if owner not in roster and owner not in cat.units:
            errors.append(
                OrganisationFileError(
                    f"{owner!r} is neither in staff.csv nor a unit",
                    file=name,
                    row=n,
                    column="person",
                    allowed="a person ID of staff.csv or a unit ID",
                )
            )
            continue
        rule = rules.get(v["rule"])
        if rule is None:
            errors.append(
                OrganisationFileError(
                    f"{v['rule']!r} is not a check rule of the scheme {scheme.id}",
                    file=name,
                    row=n,
                    column="rule",
                    allowed=", ".join(rules) or "(no check rules)",
                )
            )
            continue
        held = (
            {owner}
            if owner in cat.units
            else {owner, *(a.holds for a in roster.held_by(owner, month))}
        )
        if rule.owner not in held:
            errors.append(
                OrganisationFileError(
                    f"{rule.id} scores {rule.owner}, which {owner} did not hold in {month}",
                    file=name,
                    row=n,
                    column="rule",
                    allowed="a check rule of what the person held that month",
                )
            )
            continue
        key = (month, owner, rule.id)
        if key in seen:
            errors.append(
                OrganisationFileError(
                    f"the same month, person and rule as row {seen[key]}",
                    file=name,
                    row=n,
                    column="rule",
                    allowed="one row per month, person and rule",
                )
            )
            continue
        seen[key] = n
        out.append(
            PersonCheck(
                month=month, owner=owner, rule=rule.id, passed=v["passed"], note=v["note"], row=n
            )
        )
    return tuple(out)
