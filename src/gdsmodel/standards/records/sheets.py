"""Records from a sheet (CSV, or an Excel ``.xlsx`` with openpyxl): one move per row.

The sheet is read by the one reader of station table files (:mod:`gdsmodel.tablefiles`).

Columns: ``record``, ``move``, ``date`` (``YYYY-MM-DD``), optional ``by`` and ``note``, and a
column per field the moves record (an empty cell records nothing). Every row is checked
against the kind's state machine, after the records the book holds and the rows above it;
each problem names the file, the row and the column, and nothing is stored unless every row is
good.

>>> import tempfile, pathlib
>>> from gdsmodel.standards.records.book import RecordBook
>>> p = pathlib.Path(tempfile.mkdtemp()) / "defects.csv"
>>> _ = p.write_text("record,move,date,class,equipment,found_on,description,handling\\n"
...                  "D1,find,2026-03-02,major,T-3,patrol,oil,\\n"
...                  "D1,handle,2026-03-01,,,,,done\\n", encoding="utf-8")
>>> events, problems = read_sheet(p, "defect", RecordBook())
>>> [(e.file.endswith("defects.csv"), e.line, e.path) for e in problems]
[(True, 3, 'date')]
>>> problems[0].message  # doctest: +ELLIPSIS
"cannot handle defect 'D1': dated 2026-03-01, before the record's last event (2026-03-02) ..."
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

from gdsmodel.errors import DataFileError, GdsmodelError, InputError
from gdsmodel.standards.records.book import RecordBook
from gdsmodel.standards.records.events import RecordEvent
from gdsmodel.standards.records.machine import InvalidMove, RecordState, apply
from gdsmodel.tablefiles import FORMULA_MARK, CellError, read_rows, refuse_formula

__all__ = ["SHEET_COLUMNS", "import_sheet", "read_sheet"]

#: The columns every sheet may have besides the kind's fields.
SHEET_COLUMNS = ("record", "move", "date", "by", "note")
_MAX_ROWS = 200_000


def _rows(path: Path) -> list[list[str]]:
    """The sheet's rows as text cells, read by the station's one table-file reader (CSV in
    UTF-8 with or without BOM, or an ``.xlsx``: the sheet named as the file, else the first);
    at most ``_MAX_ROWS``."""
    rows: list[list[str]] = []
    for row in read_rows(path, path.stem):
        if len(rows) > _MAX_ROWS:
            raise DataFileError(f"more than {_MAX_ROWS} rows", file=str(path))
        rows.append([c.strip() for c in row])
    return rows


def _day(text: str) -> _dt.date:
    """A date cell: ``YYYY-MM-DD``, or an Excel date or date-time (its day).

    >>> _day("2026-03-05"), _day("2026-03-05 14:30:00")
    (datetime.date(2026, 3, 5), datetime.date(2026, 3, 5))
    """
    if len(text) == 19 and text[10] == " ":  # an Excel cell's text (``cell_text``)
        return _dt.datetime.fromisoformat(text).date()
    return _dt.date.fromisoformat(text)


def read_sheet(
    path: str | Path, kind: str, book: RecordBook
) -> tuple[list[RecordEvent], list[DataFileError]]:
    """The events of a sheet of ``kind``'s records and the problems found (located)."""
    p = Path(path)
    file = str(p)
    spec = book.spec(kind)
    rows = _rows(p)
    if not rows or not any(rows[0]):
        raise DataFileError("the sheet has no header row", file=file, line=1)
    header = [h.strip() for h in rows[0]]
    field_ids = {f.id for f in spec.fields} | {"class"}
    unknown = [h for h in header if h and h not in SHEET_COLUMNS and h not in field_ids]
    if unknown:
        raise DataFileError(
            f"unknown column {unknown[0]!r} (allowed: {', '.join(SHEET_COLUMNS)}, "
            f"{', '.join(sorted(field_ids))})",
            file=file,
            line=1,
            path=unknown[0],
        )
    for needed in ("record", "move", "date"):
        if needed not in header:
            raise DataFileError(f"no {needed} column", file=file, line=1, path=needed)
    states: dict[str, RecordState] = {s.record: s for s in book.states(kind)}
    events: list[RecordEvent] = []
    problems: list[DataFileError] = []
    for n, row in enumerate(rows[1:], start=2):
        cells = {h: (row[i] if i < len(row) else "") for i, h in enumerate(header) if h}
        if not any(cells.values()):
            continue

        def bad(column: str, message: str, n: int = n) -> None:
            problems.append(DataFileError(message, file=file, line=n, path=column))

        formula = next((h for h, v in cells.items() if v.startswith(FORMULA_MARK)), None)
        if formula is not None:
            try:
                refuse_formula(cells[formula])
            except CellError as exc:
                bad(formula, f"{exc} (allowed: {exc.allowed})")
            continue
        try:
            day = _day(cells["date"])
        except ValueError:
            bad("date", f"not a date: {cells['date']!r} (allowed: YYYY-MM-DD)")
            continue
        fields = {k: v for k, v in cells.items() if k in field_ids and v}
        try:
            event = RecordEvent(
                kind=kind,
                record=cells["record"],
                move=cells["move"],
                on=day,
                by=cells.get("by", ""),
                note=cells.get("note", ""),
                fields=fields,
            )
            states[event.record] = apply(spec, states.get(event.record), event, people=book.people)
        except InvalidMove as exc:
            column = "date" if "dated" in exc.reason else "move"
            for f in fields:
                if f in exc.reason:
                    column = f
            bad(column, str(exc))
            continue
        except InputError as exc:
            bad(exc.name if exc.name in cells else "record", str(exc))
            continue
        except GdsmodelError as exc:
            bad("move", str(exc))
            continue
        events.append(event)
    return events, problems


def import_sheet(path: str | Path, kind: str, book: RecordBook) -> list[RecordEvent]:
    """Store every row of a sheet, or none: the first problem raises (see :func:`read_sheet`
    for them all)."""
    events, problems = read_sheet(path, kind, book)
    if problems:
        raise problems[0]
    book.record_all(events)
    return events
