"""The archive of closed months: sheets written once, corrections as dated amendments.

The safety officer files the month-end results "整理、归档,作为年终考评的依据" (安全员
standard 9). Closing a month writes its sheets into the station folder::

    assessment/2026-03/sheets.json        every person's and group's sheet (the record)
    assessment/2026-03/sheets.xlsx        the same, for people (needs the excel extra)
    assessment/2026-03/amendments/0001.json   a correction: date, reason, the new sheet

A closed month is never rewritten: files are created exclusively (a second close, or
any write over an archived file, raises :class:`ArchiveError`) and made read-only. A
correction after closing is a new amendment file with its day and reason; the history of
a sheet is its original and its amendments in order, and its current version the last.

>>> import tempfile, datetime
>>> from gdsmodel.periods import Month
>>> from gdsmodel.organisation.assessment import MonthAssessment
>>> archive = Archive(tempfile.mkdtemp())
>>> empty = MonthAssessment(month=Month(2026, 3), scheme="s", people=(), groups=())
>>> _ = archive.close(empty, on=datetime.date(2026, 4, 3), excel=False)
>>> archive.is_closed(Month(2026, 3))
True
>>> archive.close(empty, on=datetime.date(2026, 4, 4), excel=False)  # doctest: +ELLIPSIS
Traceback (most recent call last):
gdsmodel.organisation.archive.ArchiveError: 2026-03 is closed (on 2026-04-03)...
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import stat
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs

from gdsmodel import _show
from gdsmodel.errors import GdsmodelError, InputError, NotFoundError
from gdsmodel.metrics.assessment import AssessmentSheet, ItemScore
from gdsmodel.organisation.assessment import MonthAssessment, Sheet
from gdsmodel.periods import Month
from gdsmodel.text import Text

__all__ = [
    "ARCHIVE_FORMAT",
    "Archive",
    "ArchiveError",
    "Version",
    "assessment_sheet",
    "sheet_data",
]

ARCHIVE_FORMAT = "gdsmodel.assessment-archive/1"
FOLDER = "assessment"


class ArchiveError(GdsmodelError):
    """An archived month or file would be rewritten, or an amendment is not allowed."""


def _fraction(value: Fraction | None) -> str | None:
    if value is None:
        return None
    return (
        str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"
    )


def _percent(value: Fraction | None) -> str | None:
    from gdsmodel.metrics.ratio import round_half_up

    return None if value is None else f"{round_half_up(value * 100, 2)}"


def sheet_data(sheet: Sheet) -> dict[str, Any]:
    """A sheet as plain JSON-ready data (exact values as ``"n/d"`` text, points as text).

    >>> from gdsmodel.periods import Month
    >>> s = Sheet(kind="person", owner="P1", name="x", month=Month(2026, 3), holds=("a",),
    ...           answered_for=(), kpis=(),
    ...           sheet=AssessmentSheet(owner="P1", period="2026-03", scheme="s", items=()))
    >>> sheet_data(s)["total"], sheet_data(s)["percent"]
    ('0', None)
    """
    a = sheet.sheet
    return {
        "kind": sheet.kind,
        "owner": sheet.owner,
        "name": sheet.name,
        "month": str(sheet.month),
        "holds": list(sheet.holds),
        "answered_for": list(sheet.answered_for),
        "scheme": a.scheme,
        "kpis": [
            {
                "metric": k.metric,
                "numerator": _fraction(k.ratio.numerator),
                "denominator": _fraction(k.ratio.denominator),
                "percent": _percent(k.ratio.value),
                "target": str(k.target) if k.target is not None else None,
                "target_threshold": _fraction(k.target.threshold) if k.target else None,
                "allowed": _fraction(k.allowed),
                "verdict": str(k.verdict) if k.verdict is not None else None,
            }
            for k in sheet.kpis
        ],
        "items": [
            {
                "rule": i.rule,
                "name": {"zh": i.name.zh, "en": i.name.en},
                "assessed": i.assessed,
                "available": str(i.available),
                "deduction": str(i.deduction),
                "bonus": str(i.bonus),
                "score": str(i.score),
                "value": _fraction(i.value),
                "passed": i.passed,
                "note": i.note,
            }
            for i in a.items
        ],
        "total": str(a.total),
        "available": str(a.available),
        "percent": _percent(a.percent.value),
        "missed": list(sheet.missed),
    }


def assessment_sheet(data: dict[str, Any]) -> AssessmentSheet:
    """The scored sheet back from :func:`sheet_data` (for the year-end ranking)."""
    items = tuple(
        ItemScore(
            rule=i["rule"],
            name=Text(i["name"]["zh"], i["name"]["en"]),
            assessed=i["assessed"],
            available=Decimal(i["available"]),
            deduction=Decimal(i["deduction"]),
            bonus=Decimal(i["bonus"]),
            score=Decimal(i["score"]),
            value=Fraction(i["value"]) if i["value"] is not None else None,
            passed=i["passed"],
            note=i["note"],
        )
        for i in data["items"]
    )
    return AssessmentSheet(
        owner=data["owner"], period=data["month"], scheme=data["scheme"], items=items
    )


@attrs.frozen(slots=True, kw_only=True)
class Version:
    """One version of a sheet in the archive: the original (``amendment`` 0) or a correction."""

    month: str
    owner: str
    amendment: int
    on: _dt.date
    reason: str
    sheet: dict[str, Any] = attrs.field(eq=False, hash=False)
    file: str

    def __repr__(self) -> str:
        return _show.short_repr(self)


def _write_once(path: Path, data: bytes) -> None:
    """Create ``path`` with ``data``; never replaces a file (atomic: a crash leaves no
    half-written file under the final name)."""
    if path.exists():
        raise ArchiveError(f"{path.name} is archived and is never rewritten ({path})")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "xb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    try:
        os.link(tmp, path)  # fails if the name exists: never overwrites
    except FileExistsError:
        raise ArchiveError(f"{path.name} is archived and is never rewritten ({path})") from None
    finally:
        tmp.unlink()
    os.chmod(path, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)


def _dump(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode()


class Archive:
    """The ``assessment/`` folder of a station: closed months and their amendments."""

    def __init__(self, station: str | os.PathLike[str]) -> None:
        self.root = Path(station) / FOLDER

    def _month_dir(self, month: Month | str) -> Path:
        return self.root / str(month)

    def is_closed(self, month: Month | str) -> bool:
        """True when the month's sheets are archived."""
        return (self._month_dir(month) / "sheets.json").exists()

    def closed_months(self) -> tuple[str, ...]:
        """The closed months, in order."""
        if not self.root.is_dir():
            return ()
        return tuple(sorted(p.name for p in self.root.iterdir() if (p / "sheets.json").exists()))

    def _record(self, month: Month | str) -> dict[str, Any]:
        path = self._month_dir(month) / "sheets.json"
        if not path.exists():
            raise NotFoundError("closed month", str(month), self.closed_months())
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return data

    def close(
        self, assessment: MonthAssessment, *, on: _dt.date, excel: bool = True
    ) -> tuple[Path, ...]:
        """Archive a month's sheets on the day ``on`` (after the month's end);
        :class:`ArchiveError` if the month is closed already."""
        month = assessment.month
        from gdsmodel.organisation.dating import month_bounds

        after = month_bounds(month)[1]
        if on < after:
            raise InputError(
                "a month is closed once it is over",
                name="on",
                value=on.isoformat(),
                allowed=f"{after.isoformat()} or later",
            )
        if self.is_closed(month):
            closed_on = self._record(month).get("closed_on")
            raise ArchiveError(
                f"{month} is closed (on {closed_on}); correct a sheet with an amendment "
                "(Archive.amend / gdsmodel assess amend), never by closing again"
            )
        record = {
            "format": ARCHIVE_FORMAT,
            "month": str(month),
            "closed_on": on.isoformat(),
            "scheme": assessment.scheme,
            "people": [sheet_data(s) for s in assessment.people],
            "groups": [sheet_data(s) for s in assessment.groups],
        }
        folder = self._month_dir(month)
        written = []
        if excel:
            xlsx = folder / "sheets.xlsx"
            _write_once(xlsx, _excel(record))
            written.append(xlsx)
        path = folder / "sheets.json"  # written last: its presence means "closed"
        _write_once(path, _dump(record))
        written.insert(0, path)
        return tuple(written)

    def amend(self, month: Month | str, sheet: Sheet, *, reason: str, on: _dt.date) -> Path:
        """Record a correction of one sheet of a closed month, with its day and reason."""
        if not reason.strip():
            raise InputError(
                "an amendment needs its reason",
                name="reason",
                value=reason,
                allowed="the reason of the correction",
            )
        record = self._record(month)
        if str(sheet.month) != str(month):
            raise InputError(
                "the sheet is of another month",
                name="sheet",
                value=str(sheet.month),
                allowed=str(month),
            )
        owners = {s["owner"] for s in [*record["people"], *record["groups"]]}
        if sheet.owner not in owners:
            raise NotFoundError(f"sheet of {month}", sheet.owner, sorted(owners))
        closed_on = _dt.date.fromisoformat(record["closed_on"])
        if on < closed_on:
            raise InputError(
                "an amendment cannot predate the closing",
                name="on",
                value=on.isoformat(),
                allowed=f"{closed_on} or later",
            )
        folder = self._month_dir(month) / "amendments"
        n = len(list(folder.glob("*.json"))) + 1 if folder.is_dir() else 1
        path = folder / f"{n:04d}.json"
        _write_once(
            path,
            _dump(
                {
                    "format": ARCHIVE_FORMAT,
                    "month": str(month),
                    "amendment": n,
                    "on": on.isoformat(),
                    "reason": reason,
                    "sheet": sheet_data(sheet),
                }
            ),
        )
        return path

    def history(self, month: Month | str, owner: str) -> tuple[Version, ...]:
        """The original sheet of ``owner`` in a closed month and every amendment, in order."""
        record = self._record(month)
        found = [s for s in [*record["people"], *record["groups"]] if s["owner"] == owner]
        if not found:
            raise NotFoundError(f"sheet of {month}", owner)
        out = [
            Version(
                month=str(month),
                owner=owner,
                amendment=0,
                on=_dt.date.fromisoformat(record["closed_on"]),
                reason="closed",
                sheet=found[0],
                file=f"{FOLDER}/{month}/sheets.json",
            )
        ]
        folder = self._month_dir(month) / "amendments"
        if folder.is_dir():
            for path in sorted(folder.glob("*.json")):
                a = json.loads(path.read_text(encoding="utf-8"))
                if a["sheet"]["owner"] == owner:
                    out.append(
                        Version(
                            month=str(month),
                            owner=owner,
                            amendment=a["amendment"],
                            on=_dt.date.fromisoformat(a["on"]),
                            reason=a["reason"],
                            sheet=a["sheet"],
                            file=f"{FOLDER}/{month}/amendments/{path.name}",
                        )
                    )
        return tuple(out)

    def current(self, month: Month | str) -> dict[str, Any]:
        """The month's record with every sheet at its latest version."""
        record = dict(self._record(month))
        latest: dict[str, dict[str, Any]] = {}
        folder = self._month_dir(month) / "amendments"
        if folder.is_dir():
            for path in sorted(folder.glob("*.json")):
                a = json.loads(path.read_text(encoding="utf-8"))
                latest[a["sheet"]["owner"]] = a["sheet"]
        for key in ("people", "groups"):
            record[key] = [latest.get(s["owner"], s) for s in record[key]]
        return record

    def person_sheets(self, months: Iterable[str]) -> tuple[AssessmentSheet, ...]:
        """The current sheets of the people in the closed ``months`` (for the ranking)."""
        out: list[AssessmentSheet] = []
        for m in months:
            out.extend(assessment_sheet(s) for s in self.current(m)["people"])
        return tuple(out)


def _excel(record: dict[str, Any]) -> bytes:
    try:
        import openpyxl  # type: ignore[import-untyped,unused-ignore]
    except ImportError:
        raise ArchiveError(
            "the Excel copy needs openpyxl: pip install 'gdsmodel[excel]' (or close with "
            "excel=False / --no-excel)"
        ) from None
    import io

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "sheets"
    ws.append(
        [
            "month",
            "kind",
            "owner",
            "name",
            "rule",
            "assessed",
            "available",
            "deduction",
            "bonus",
            "score",
            "note",
        ]
    )
    for s in [*record["people"], *record["groups"]]:
        for i in s["items"]:
            ws.append(
                [
                    record["month"],
                    s["kind"],
                    s["owner"],
                    s["name"],
                    i["rule"],
                    "yes" if i["assessed"] else "no",
                    float(Decimal(i["available"])),
                    float(Decimal(i["deduction"])),
                    float(Decimal(i["bonus"])),
                    float(Decimal(i["score"])),
                    i["note"],
                ]
            )
    totals = wb.create_sheet("totals")
    totals.append(["month", "kind", "owner", "name", "total", "available", "percent", "missed"])
    for s in [*record["people"], *record["groups"]]:
        totals.append(
            [
                record["month"],
                s["kind"],
                s["owner"],
                s["name"],
                float(Decimal(s["total"])),
                float(Decimal(s["available"])),
                s["percent"],
                "; ".join(s["missed"]),
            ]
        )
    kpis = wb.create_sheet("kpis")
    kpis.append(["month", "kind", "owner", "metric", "percent", "target", "verdict"])
    for s in [*record["people"], *record["groups"]]:
        for k in s["kpis"]:
            kpis.append(
                [
                    record["month"],
                    s["kind"],
                    s["owner"],
                    k["metric"],
                    k["percent"],
                    k["target"],
                    k["verdict"],
                ]
            )
    wb.properties.created = _dt.datetime(2026, 1, 1)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
