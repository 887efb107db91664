"""Reading a station's table files: CSV or Excel rows as text cells, the file checks, the header.

Every table file of a station folder (the report's ``lines.csv``, ``areas.csv``... and the
organisation's ``staff.csv``, ``responsibility.csv``...) is read through here, so all of
them accept the same things and refuse them in the same words:

* CSV in UTF-8, with or without BOM, or Excel ``.xlsx`` (the sheet named like the file,
  else the first; openpyxl's read-only mode, the ``excel`` extra). Rows are streamed
  (:func:`read_rows`), each as a list of text cells (:func:`cell_text`: an Excel cell as the
  text a CSV would hold).
* An Excel formula without a saved value (a file written by a program, never opened in
  Excel) is not an empty cell: it is marked (:data:`FORMULA_MARK`) and
  :func:`refuse_formula` says so.
* A file that is a folder, a link to a file outside the station folder (:func:`check_file`),
  or cannot be read, not UTF-8 or not CSV raises :class:`~gdsmodel.errors.DataFileError`
  naming the file, never another exception.
* The header (:func:`match_header`): each column found by its English or Chinese name, and
  the problems of the header (unknown, twice, missing) in the same words for every file.

The columns themselves (what a cell may hold) are declared by the callers.

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "staff.csv").write_bytes("\\ufeffperson,name\\nP01,王强\\n".encode())
>>> list(read_rows(d / "staff.csv", "staff"))
[['person', 'name'], ['P01', '王强']]
>>> _ = (d / "bad.csv").write_bytes(b"a\\n\\xff\\n")
>>> list(read_rows(d / "bad.csv", "bad"))
Traceback (most recent call last):
gdsmodel.errors.DataFileError: bad.csv: not UTF-8 text (byte 2); save it as 'CSV UTF-8'
"""

from __future__ import annotations

import csv
import datetime as _dt
import enum
import functools
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

import attrs

from gdsmodel.errors import DataFileError, ParseError
from gdsmodel.periods import Month

__all__ = [
    "CONTROL_CHARACTERS",
    "EXTENSIONS",
    "FORMULA_MARK",
    "CellError",
    "HeaderColumn",
    "HeaderProblem",
    "Problem",
    "TableFileError",
    "cell_text",
    "check_file",
    "find",
    "has_control",
    "header_row",
    "match_header",
    "month_of_cell",
    "month_of_text",
    "read_rows",
    "refuse_formula",
]

EXTENSIONS = (".csv", ".xlsx")
"""The extensions of a table file; when a folder holds both, the first is read."""

FORMULA_MARK = "\x00"
"""Put before the text of an Excel formula that has no saved value (the reader marks such
cells; no real cell starts with NUL)."""


class TableFileError(DataFileError):
    """A problem in a table file: which file, row and column, and what is allowed.

    ``row`` is the spreadsheet row (the header is row 1), ``column`` the column name; either
    may be None for a problem with the whole file. A ``warning`` only says something looks
    wrong (the row is kept).

    >>> print(TableFileError("is empty", file="staff.csv", row=4, column="name",
    ...                      allowed="a name"))
    staff.csv: row 4, column name: is empty (allowed: a name)
    >>> print(TableFileError("unknown column 'x' is ignored", file="staff.csv", row=1,
    ...                      warning=True))
    staff.csv: row 1: warning: unknown column 'x' is ignored
    """

    def __init__(
        self,
        message: str,
        *,
        file: str,
        row: int | None = None,
        column: str | None = None,
        allowed: str = "",
        warning: bool = False,
    ) -> None:
        self.row = row
        self.column = column
        self.allowed = allowed
        self.warning = warning
        super().__init__(message, file=file, line=row, path=column)

    @property
    def _kind_of_column(self) -> str:
        """How the place in the file is named (a subclass may name it otherwise)."""
        return "column"

    def __str__(self) -> str:
        cell = ", ".join(
            p
            for p in (
                f"row {self.row}" if self.row is not None else "",
                f"{self._kind_of_column} {self.column}" if self.column else "",
            )
            if p
        )
        where = [self.file or "", *([cell] if cell else [])]
        tail = f" (allowed: {self.allowed})" if self.allowed else ""
        prefix = "warning: " if self.warning else ""
        return ": ".join([*where, f"{prefix}{self.message}{tail}"])

    def to_data(self) -> dict[str, Any]:
        """Plain JSON-ready data.

        >>> TableFileError("bad", file="x.csv", row=2).to_data()["severity"]
        'error'
        """
        return {
            "severity": "warning" if self.warning else "error",
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "message": self.message,
            "allowed": self.allowed,
        }


class CellError(Exception):
    """A cell that its column does not allow: the message and what is allowed."""

    def __init__(self, message: str, allowed: str) -> None:
        super().__init__(message)
        self.message = message
        self.allowed = allowed


# ----------------------------------------------------------------------------- cells


def cell_text(value: Any) -> str:
    """An Excel cell as the text a CSV would hold.

    >>> import datetime
    >>> [cell_text(v) for v in (None, True, 3.0, 2.5, datetime.date(2026, 3, 1))]
    ['', 'true', '3', '2.5', '2026-03-01']
    >>> cell_text(datetime.datetime(2026, 3, 5, 14, 30))
    '2026-03-05 14:30:00'
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, _dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, _dt.date):
        return value.isoformat()
    return str(value)


def refuse_formula(text: str) -> None:
    """Raise :class:`CellError` for a cell marked as a formula without a saved value.

    >>> refuse_formula(FORMULA_MARK + "=A1+1")
    Traceback (most recent call last):
    gdsmodel.tablefiles.CellError: the formula '=A1+1' has no saved value
    """
    if text.startswith(FORMULA_MARK):
        raise CellError(
            f"the formula {text[1:]!r} has no saved value",
            "a value: open the file in Excel and save it, or save it as CSV",
        )


CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f]")
"""The control characters (below U+0020: tab, newline, NUL...) that no code may hold."""


def has_control(text: str) -> bool:
    """Whether text holds a control character (below U+0020: tab, newline, NUL...).

    >>> has_control("L01"), has_control("L\\t01")
    (False, True)
    """
    return CONTROL_CHARACTERS.search(text) is not None


@functools.lru_cache(maxsize=1024)
def month_of_text(text: str, tz: str) -> Month | None:
    """A month from text, cached (a file repeats the same few months); None if not one."""
    try:
        return Month.parse(text, tz=tz)
    except ParseError:
        return None


_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00)?)?")


def month_of_cell(text: str, tz: str) -> Month | None:
    """The month of a month column's cell: a month (``2026-03``, ``2026年3月``), or an
    Excel date in the column (often the 1st; a date at midnight); None if neither.

    >>> tz = "Asia/Shanghai"
    >>> month_of_cell("2026年3月", tz) == month_of_cell("2026-03-01 00:00:00", tz) == Month(2026, 3)
    True
    >>> month_of_cell("2026-03-01 08:00:00", tz) is None
    True
    """
    month = month_of_text(text, tz)
    if month is None:
        date = _DATE.fullmatch(text)
        if date is not None:
            month = month_of_text(f"{date[1]}-{date[2]}", tz)
    return month


# ----------------------------------------------------------------------------- files


def find(folder: Path, stem: str) -> tuple[Path | None, Path | None]:
    """The table file of ``stem`` in a folder (CSV before ``.xlsx``), and the other one
    when both exist (it is not read). ``(None, None)``: neither exists.

    >>> import tempfile
    >>> find(Path(tempfile.mkdtemp()), "lines")
    (None, None)
    """
    present = [p for p in (folder / f"{stem}{ext}" for ext in EXTENSIONS) if p.exists()]
    if not present:
        return None, None
    return present[0], (present[1] if len(present) > 1 else None)


def check_file(folder: Path, path: Path) -> None:
    """Refuse a station file that is a folder, or a link to a file outside the station folder.

    A station folder is read as one unit: a symbolic link that leads out of it (to another
    station's file, or anywhere on the machine) would mix data the folder does not hold, so it
    is refused with a :class:`~gdsmodel.errors.DataFileError` naming the file; a link that
    stays inside the folder is followed.

    >>> import tempfile, pathlib, os
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> (root / "station").mkdir()
    >>> (root / "other.csv").write_text("month")
    5
    >>> os.symlink(root / "other.csv", root / "station" / "lines.csv")
    >>> check_file(root / "station", root / "station" / "lines.csv")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    gdsmodel.errors.DataFileError: lines.csv: is a link to a file outside the station folder ...
    """
    if path.is_dir():
        raise DataFileError("is a folder, not a file", file=path.name)
    if path.is_symlink():
        target = path.resolve()
        base = folder.resolve()
        if not target.is_relative_to(base):
            raise DataFileError(
                f"is a link to a file outside the station folder ({target}); refused: copy "
                "the file into the folder instead",
                file=path.name,
            )


def read_rows(path: Path, stem: str) -> Iterator[list[str]]:
    """The rows of a CSV or XLSX file as text cells, one at a time (the file is streamed:
    ``csv.reader`` over the open file, openpyxl's read-only mode); raises DataFileError
    when the file cannot be read, also part way through."""
    try:
        if path.suffix.lower() == ".xlsx":
            yield from _xlsx_rows(path, stem)
            return
        yield from _csv_rows(path)
    except OSError as exc:
        raise DataFileError(f"cannot be read: {exc.strerror or exc}", file=path.name) from None


def _csv_rows(path: Path) -> Iterator[list[str]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            yield from csv.reader(f)
    except UnicodeDecodeError:
        try:  # only on the error path: the byte offset in the whole file
            path.read_bytes().decode("utf-8-sig")
            where = ""
        except UnicodeDecodeError as exc:
            where = f" (byte {exc.start})"
        raise DataFileError(
            f"not UTF-8 text{where}; save it as 'CSV UTF-8'", file=path.name
        ) from None
    except csv.Error as exc:
        raise DataFileError(f"not valid CSV: {exc}", file=path.name) from None


def _xlsx_rows(path: Path, stem: str) -> Iterator[list[str]]:
    try:
        import openpyxl  # type: ignore[import-untyped,unused-ignore]
    except ImportError:
        raise DataFileError(
            "reading .xlsx needs openpyxl: pip install 'gdsmodel[excel]' (or save it as CSV)",
            file=path.name,
        ) from None
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise DataFileError(f"not a readable .xlsx file: {exc}", file=path.name) from None
    formulas: _Formulas | None = None
    try:
        ws = wb[stem] if stem in wb.sheetnames else wb.worksheets[0]
        values_of = enumerate(ws.iter_rows(values_only=True))
        while True:
            try:  # a damaged sheet fails part way through, in openpyxl's XML parser
                got = next(values_of, None)
                if got is None:
                    break
                i, values = got
                row = [cell_text(v) for v in values]
                if "" in row:  # an empty cell may be a formula without a saved value
                    if formulas is None:
                        formulas = _Formulas(path, stem)
                    formulas.mark(i, row)
            except Exception as exc:  # openpyxl raises many kinds for a broken file
                raise DataFileError(
                    f"not a readable .xlsx file (part way through): {exc}"[:300], file=path.name
                ) from None
            yield row
    finally:
        wb.close()
        if formulas is not None:
            formulas.close()


class _Formulas:
    """The formulas of a sheet, read alongside its values (opened at the first empty cell):
    an empty cell that holds a formula without a saved value is marked, and its column then
    says so instead of "is empty"."""

    def __init__(self, path: Path, stem: str) -> None:
        import openpyxl  # type: ignore[import-untyped,unused-ignore]

        self._wb = openpyxl.load_workbook(path, read_only=True, data_only=False)
        ws = self._wb[stem] if stem in self._wb.sheetnames else self._wb.worksheets[0]
        self._rows = enumerate(ws.iter_rows(values_only=True))
        self._at = -1

    def mark(self, i: int, row: list[str]) -> None:
        found: tuple[Any, ...] | None = None
        while self._at < i:
            nxt = next(self._rows, None)
            if nxt is None:
                return
            self._at, found = nxt
        if found is None:
            return
        for j, v in enumerate(found):
            if j < len(row) and row[j] == "" and isinstance(v, str) and v[:1] == "=":
                row[j] = FORMULA_MARK + v

    def close(self) -> None:
        self._wb.close()


# ----------------------------------------------------------------------------- the header


def header_row(rows: Iterator[list[str]]) -> list[str] | None:
    """The first row that is not blank (blank lines before the header are skipped), taken
    from ``rows`` (the rows after it are left to read); None: every row is blank.

    >>> rows = iter([["", " "], ["month", "line"], ["2026-03", "L01"]])
    >>> header_row(rows), list(rows)
    (['month', 'line'], [['2026-03', 'L01']])
    """
    return next((r for r in rows if any(c.strip() for c in r)), None)


class HeaderColumn(Protocol):
    """What the header needs of a declared column: its names and whether it is required."""

    @property
    def name(self) -> str: ...

    @property
    def zh(self) -> str: ...

    @property
    def required(self) -> bool: ...


class Problem(enum.StrEnum):
    """What is wrong with a header: an unknown column (a warning: it is ignored), a column
    twice or a required column missing (the file cannot be read)."""

    UNKNOWN = "unknown"
    TWICE = "twice"
    MISSING = "missing"


@attrs.frozen(slots=True, kw_only=True)
class HeaderProblem:
    """A problem of the header row (row 1): the column, the message and what is allowed."""

    problem: Problem
    column: str
    message: str
    allowed: str

    @property
    def warning(self) -> bool:
        """Whether the file can still be read (an unknown column is ignored)."""
        return self.problem is Problem.UNKNOWN


def match_header(
    cells: Sequence[str], columns: Iterable[HeaderColumn]
) -> tuple[dict[str, int] | None, list[HeaderProblem]]:
    """The position of each declared column in a header row (by its English name, any case,
    or its Chinese name), and the problems found; the positions are None when the file
    cannot be read (a column twice, a required column missing).

    >>> from types import SimpleNamespace as C
    >>> cols = [C(name="person", zh="人员编号", required=True),
    ...         C(name="note", zh="备注", required=False)]
    >>> match_header(["人员编号", " Note ", "x"], cols)[0]
    {'person': 0, 'note': 1}
    >>> problem = match_header(["note"], cols)[1][0]
    >>> problem.message, problem.warning
    ("missing column 'person'", False)
    """
    declared = tuple(columns)
    header = [h.strip().lstrip("\ufeff") for h in cells]
    positions: dict[str, int] = {}
    problems: list[HeaderProblem] = []
    for i, h in enumerate(header):
        low = h.casefold()
        col = next((c for c in declared if low in (c.name, c.zh.casefold())), None)
        if col is None:
            if h:
                problems.append(
                    HeaderProblem(
                        problem=Problem.UNKNOWN,
                        column=h,
                        message=f"unknown column {h!r} is ignored",
                        allowed=", ".join(c.name for c in declared),
                    )
                )
            continue
        if col.name in positions:
            problems.append(
                HeaderProblem(
                    problem=Problem.TWICE,
                    column=col.name,
                    message=f"column {col.name!r} appears twice",
                    allowed="each column once",
                )
            )
            return None, problems
        positions[col.name] = i
    missing = [c.name for c in declared if c.required and c.name not in positions]
    required = "columns " + ", ".join(c.name for c in declared if c.required)
    for m in missing:
        problems.append(
            HeaderProblem(
                problem=Problem.MISSING,
                column=m,
                message=f"missing column {m!r}",
                allowed=required,
            )
        )
    return (None if missing else positions), problems
