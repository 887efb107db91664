"""The rows of a station file kept as columns (:mod:`gdsmodel.report.columnar`) give what the
record path gave: the same records, the same located errors for bad cells, the same data
issues for missing and duplicated rows, and the same sums.

The reference here is the record path written plainly: every cell through
:meth:`Column.parse`, one record per valid row built by the converter, the key checked in
a dict, the register and the sums over the records.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gdsmodel.errors import GdsmodelError
from gdsmodel.metrics.ratio import Ratio
from gdsmodel.periods import Month
from gdsmodel.report import build_report, load_station, schema
from gdsmodel.report.columnar import Columns, FirstRows, Records, exact_sum
from gdsmodel.report.columns import CellError
from gdsmodel.report.inputs import FileSchema, StationDataError, _month_of_values
from gdsmodel.report.records import FILES

TZ = "Asia/Shanghai"


# ----------------------------------------------------------------------------- the reference


def _error(spec: FileSchema, **kw: Any) -> tuple[Any, ...]:
    e = StationDataError(kw.pop("message"), file=spec.filename, **kw)
    return _shown(e)


def _shown(e: StationDataError) -> tuple[Any, ...]:
    return (e.file, e.row, e.column, e.message, e.allowed, e.severity.value, e.month)


def reference(
    spec: FileSchema, text_rows: Sequence[Sequence[str]]
) -> tuple[list[Any], list[tuple[Any, ...]], set[Month | None]]:
    """The records, issues and bad months of a file's rows (header first), by the record
    path: every cell by ``Column.parse``, every record by the converter."""
    header = [h.strip() for h in text_rows[0]]
    at = {}
    for i, h in enumerate(header):
        col = next(c for c in spec.columns if h.casefold() in (c.name, c.zh.casefold()))
        at[col.name] = i
    width = len(header)
    records: list[Any] = []
    found: list[tuple[Any, ...]] = []
    bad: set[Month | None] = set()
    seen: dict[tuple[Any, ...], int] = {}
    identical: dict[tuple[Any, ...], int] = {}
    for n, cells in enumerate(text_rows[1:], start=2):
        if not "".join(cells).strip():
            continue
        if len(cells) > width and any(c.strip() for c in cells[width:]):
            found.append(
                _error(
                    spec,
                    message=f"{len(cells)} cells in a row of {width} columns",
                    row=n,
                    allowed=f"{width} cells, as in the header",
                )
            )
            i = at.get("month")
            month = None
            if i is not None and i < len(cells):
                try:
                    month = Month.parse(cells[i].strip(), tz=TZ)
                except GdsmodelError:
                    month = None
            bad.add(month)
            continue
        values: dict[str, Any] = {}
        errors = []
        for col in spec.columns:
            i = at.get(col.name)
            if i is None:
                values[col.name] = col.default
                continue
            try:
                values[col.name] = col.parse(cells[i] if i < len(cells) else "", tz=TZ)
            except CellError as exc:
                errors.append((col.name, exc.message, exc.allowed))
        month = values.get("month")
        if not errors and spec.check is not None:
            errors = list(spec.check(values))
        if errors:
            for column, message, allowed in errors:
                found.append(
                    _error(
                        spec, message=message, row=n, column=column, allowed=allowed, month=month
                    )
                )
            bad.add(_month_of_values(values, TZ))
            continue
        key = tuple(values.get(k) for k in spec.key)
        keyed = bool(key) and None not in key and "" not in key
        if keyed:
            if key in seen:
                found.append(
                    _error(
                        spec,
                        message=f"the same {' and '.join(spec.key)} as row {seen[key]}",
                        row=n,
                        column=spec.key[-1],
                        allowed=f"one row per {' and '.join(spec.key)}",
                        month=month,
                    )
                )
                bad.add(_month_of_values(values, TZ))
                continue
            seen[key] = n
        else:
            whole = tuple(values.items())
            if whole in identical:
                found.append(
                    _error(
                        spec,
                        message=f"the same values as row {identical[whole]} (a duplicated row)",
                        row=n,
                        allowed="each row once",
                        month=_month_of_values(values, TZ),
                    )
                )
                bad.add(_month_of_values(values, TZ))
                continue
            identical[whole] = n
        record_month = Month.of(values[spec.month_from], tz=TZ) if spec.month_from else None
        try:
            record = spec.build(values, row=n, month=record_month)
        except GdsmodelError as exc:
            found.append(
                _error(
                    spec,
                    message=str(exc),
                    row=n,
                    column=getattr(exc, "name", None) or "",
                    month=month,
                )
            )
            bad.add(_month_of_values(values, TZ))
            continue
        records.append(record)
    return records, found, bad


def reference_register(
    spec: FileSchema,
    records: Sequence[Any],
    bad_months: set[Month | None],
    column: str,
    declared: Sequence[str],
) -> tuple[list[tuple[Any, ...]], set[Month | None]]:
    """The register check over the records (the rows expected every month)."""
    by_month: dict[Month, set[str]] = {}
    for r in records:
        by_month.setdefault(r.month, set()).add(getattr(r, column))
    months = sorted(set(by_month) | {m for m in bad_months if m is not None})
    out: list[tuple[Any, ...]] = []
    bad = set(bad_months)
    before: tuple[Month, set[str]] | None = None
    for m in months:
        have = by_month.get(m, set())
        if declared:
            expected, source = set(declared), "the register of station.toml"
        elif before is not None:
            expected, source = before[1], f"it has one for {before[0]}"
        else:
            expected, source = set(), ""
        if m not in bad_months:
            for missing in sorted(expected - have):
                out.append(
                    _error(
                        spec,
                        message=f"{column} {missing!r} has no row for {m} ({source})",
                        column=column,
                        allowed=f"a row for every {column} of the register, every month "
                        "([register] in station.toml)",
                        month=m,
                    )
                )
                bad.add(m)
        before = (m, have if m not in bad_months else have | expected)
    if declared:
        for r in records:
            if getattr(r, column) not in declared:
                e = StationDataError(
                    f"{column} {getattr(r, column)!r} is not in the register",
                    file=spec.filename,
                    row=r.row,
                    column=column,
                    allowed=", ".join(declared),
                )
                out.append((*_shown(e)[:5], "warning", None))
    return out, bad


# ----------------------------------------------------------------------------- random files

_MONTHS = st.sampled_from(["2026-01", "2026-02", "2026年2月", "2026-03", "2026-13", ""])
_IDS = st.sampled_from(["L1", "L2", "L3", " L2 ", "", "L\x01"])
_AREAS = st.sampled_from(["A1", "A2", "A3", "", "A1 "])
_NUMBERS = st.one_of(
    st.sampled_from(["100", "12.5", "0", "0.000001", "-3", "abc", "1e3", "", "1.1234567"]),
    st.sampled_from(["1000000000000", "1000000000001", "007", "3.", " 5", "\x00=A1"]),
    st.integers(0, 10**6).map(str),
    st.decimals(0, 10**5, places=3, allow_nan=False).map(str),
)
_COUNTS = st.one_of(
    st.sampled_from(["0", "1", "10", "x", "-1", "2.0"]), st.integers(0, 50).map(str)
)
_YUAN = st.one_of(
    st.sampled_from(["0", "5.00", "12.5", "3.005", "9.999", "abc", "", "1000000000000.00"]),
    st.decimals(0, 10**4, places=2, allow_nan=False).map(str),
)
_VOLTAGES = st.sampled_from(["10kV", "10", "35kV", "10 kV", "x"])


def _lines_row() -> st.SearchStrategy[list[str]]:
    return st.tuples(
        _MONTHS,
        _IDS,
        st.sampled_from(["", "东线"]),
        _VOLTAGES,
        _NUMBERS,
        _NUMBERS,
        st.one_of(st.just(""), _NUMBERS),
    ).map(list)


def _areas_row() -> st.SearchStrategy[list[str]]:
    return st.tuples(_MONTHS, _AREAS, _IDS, _NUMBERS, _NUMBERS, _COUNTS).map(list)


def _billing_row() -> st.SearchStrategy[list[str]]:
    return st.tuples(
        _MONTHS,
        _AREAS,
        _COUNTS,
        _COUNTS,
        _COUNTS,
        _YUAN,
        _YUAN,
        st.one_of(st.just(""), _YUAN),
        st.one_of(st.just(""), _YUAN),
    ).map(list)


_ROWS = {"lines": _lines_row(), "areas": _areas_row(), "billing": _billing_row()}


@st.composite
def files(draw: st.DrawFn, stem: str) -> list[list[str]]:
    """A file's rows: a header and rows made of good and bad cells, some rows repeated
    (duplicated keys), some short or long."""
    spec = schema(stem)
    header = [c.name for c in spec.columns]
    rows = draw(st.lists(_ROWS[stem], max_size=14))
    for _ in range(draw(st.integers(0, 3))):  # repeat some rows
        if rows:
            rows.insert(draw(st.integers(0, len(rows))), list(draw(st.sampled_from(rows))))
    if rows and draw(st.booleans()):
        rows[draw(st.integers(0, len(rows) - 1))].append(draw(st.sampled_from(["", "x"])))
    if rows and draw(st.booleans()):
        rows[draw(st.integers(0, len(rows) - 1))] = rows[0][:2]
    if draw(st.booleans()):  # an optional column left out
        optional = [i for i, c in enumerate(spec.columns) if not c.required]
        if optional:
            cut = optional[-1]
            header = header[:cut] + header[cut + 1 :]
            rows = [r[:cut] + r[cut + 1 :] for r in rows]
    return [header, *rows]


def _csv(rows: Sequence[Sequence[str]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def _issues_of(data: Any, filename: str) -> list[tuple[Any, ...]]:
    return [_shown(i) for i in data.issues if i.file == filename]


_SETTINGS = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@_SETTINGS
@given(lines=files("lines"), areas=files("areas"), billing=files("billing"), data=st.data())
def test_the_columns_give_the_record_paths_records_issues_and_register(
    tmp_path_factory: pytest.TempPathFactory,
    lines: list[list[str]],
    areas: list[list[str]],
    billing: list[list[str]],
    data: st.DataObject,
) -> None:
    folder = tmp_path_factory.mktemp("station")
    register = data.draw(st.sampled_from([(), ("L1", "L2")]))
    toml = 'name = { zh = "测", en = "T" }\n'
    if register:
        toml += "[register]\nlines = " + str(list(register)).replace("'", '"') + "\n"
    (folder / "station.toml").write_text(toml, encoding="utf-8")
    texts = {"lines": lines, "areas": areas, "billing": billing}
    for stem, rows in texts.items():
        (folder / f"{stem}.csv").write_text(_csv(rows), encoding="utf-8")
    got = load_station(folder)
    expected: dict[str, tuple[list[Any], list[tuple[Any, ...]], set[Month | None]]] = {}
    for stem, rows in texts.items():
        spec = schema(stem)
        parsed = list(csv.reader(io.StringIO(_csv(rows))))
        expected[stem] = reference(spec, parsed)
        records, _, _bad = expected[stem]
        table = got.table(stem)
        assert table.records == records  # the same records, built from the columns
        assert list(table.records) == records
        assert len(table.records) == len(records)
        if records:
            assert table.records[-1] == records[-1]
            assert table.records[:2] == tuple(records[:2])
        for m in {r.month for r in records}:
            assert table.of(m) == tuple(r for r in records if r.month == m)
    # the issues of each file, in order: its rows, the areas' unknown lines, the register
    lines_records, lines_found, lines_bad = expected["lines"]
    reg_found, reg_bad = reference_register(
        schema("lines"), lines_records, lines_bad, "line", register
    )
    assert _issues_of(got, "lines.csv") == lines_found + reg_found
    assert got.lines.bad_months == frozenset(reg_bad)
    known = {r.line for r in lines_records}
    areas_records, areas_found, areas_bad = expected["areas"]
    cross = []
    if known:
        for r in areas_records:
            if r.line and r.line not in known:
                e = StationDataError(
                    f"line {r.line!r} is not in lines.csv",
                    file="areas.csv",
                    row=r.row,
                    column="line",
                    allowed="a line listed there",
                )
                cross.append((*_shown(e)[:5], "warning", None))
    area_reg, area_bad = reference_register(schema("areas"), areas_records, areas_bad, "area", ())
    assert _issues_of(got, "areas.csv") == areas_found + cross + area_reg
    assert got.areas.bad_months == frozenset(area_bad)
    billing_records, billing_found, billing_bad = expected["billing"]
    known_areas = {r.area for r in areas_records}
    cross = []
    if known_areas:
        for r in billing_records:
            if r.area and r.area not in known_areas:
                e = StationDataError(
                    f"area {r.area!r} is not in areas.csv",
                    file="billing.csv",
                    row=r.row,
                    column="area",
                    allowed="an area listed there",  # as the reader words it
                )
                cross.append((*_shown(e)[:5], "warning", None))
    bill_reg, bill_bad = reference_register(
        schema("billing"), billing_records, billing_bad, "area", ()
    )
    assert _issues_of(got, "billing.csv") == billing_found + cross + bill_reg
    assert got.billing.bad_months == frozenset(bill_bad)
    months = {r.month for rs in (lines_records, areas_records, billing_records) for r in rs}
    assert set(got.months) == months


def _kpi(report: Any, metric: str) -> Fraction | None:
    value: Fraction | None = report.kpi(metric).month.value
    return value


@_SETTINGS
@given(lines=files("lines"), billing=files("billing"))
def test_the_sums_of_the_columns_are_the_sums_of_the_records(
    tmp_path_factory: pytest.TempPathFactory, lines: list[list[str]], billing: list[list[str]]
) -> None:
    folder = tmp_path_factory.mktemp("sums")
    (folder / "lines.csv").write_text(_csv(lines), encoding="utf-8")
    (folder / "billing.csv").write_text(_csv(billing), encoding="utf-8")
    data = load_station(folder)
    if not data.months:
        return
    month = data.months[-1]
    report = build_report(data, month)
    problem = data.lines.problem(month)
    rows = list(reference(schema("lines"), list(csv.reader(io.StringIO(_csv(lines)))))[0])
    of_month = [r for r in rows if r.month == month]
    if problem is None and of_month:
        supplied = sum((r.supplied_kwh for r in of_month), Fraction(0))
        sold = sum((r.sold_kwh for r in of_month), Fraction(0))
        assert report.kpi("line_loss_rate").month.ratio == Ratio(supplied - sold, supplied)
        ten = [r for r in of_month if r.voltage == "10kV"]
        row10 = report.kpi("line_loss_rate_10kv").month
        if ten:
            s10 = sum((r.supplied_kwh for r in ten), Fraction(0))
            assert row10.ratio == Ratio(s10 - sum((r.sold_kwh for r in ten), Fraction(0)), s10)
        else:
            assert row10.ratio is None
        assert [(x.id, x.supplied_kwh, x.sold_kwh) for x in report.lines] == [
            (r.line, r.supplied_kwh, r.sold_kwh) for r in of_month
        ]
    else:
        assert report.kpi("line_loss_rate").month.value is None
        assert report.lines == ()
    bills = reference(schema("billing"), list(csv.reader(io.StringIO(_csv(billing)))))[0]
    of_month_b = [b for b in bills if b.month == month]
    collection = report.kpi("collection_rate").month
    if data.billing.problem(month) is None and of_month_b:
        billed = sum((Fraction(b.billed_yuan) for b in of_month_b), Fraction(0))
        collected = sum((Fraction(b.collected_yuan) for b in of_month_b), Fraction(0))
        assert collection.ratio == Ratio(collected, billed)
        due = sum(b.meters_due for b in of_month_b)
        read = sum(b.meters_read for b in of_month_b)
        assert report.kpi("meter_reading_rate").month.ratio == Ratio(read, due)
    else:
        assert collection.value is None


# ----------------------------------------------------------------------------- the pieces

_TEXTS = st.one_of(
    _NUMBERS,
    _YUAN,
    _COUNTS,
    _MONTHS,
    _IDS,
    _VOLTAGES,
    st.from_regex(r"\A[0-9]{1,14}(\.[0-9]{0,8})?\Z"),
    st.text(max_size=8),
)


@settings(max_examples=300)
@given(text=_TEXTS)
def test_a_cell_kept_by_the_fast_path_is_the_full_paths_value(text: str) -> None:
    """Each column's fast function (what the column keeps, straight from the text) keeps
    what the full path parses, and fails where it fails (every column of every file)."""
    for spec in FILES:
        store = Columns(spec, TZ)
        plan = store.fast_plan([(c, 0) for c in spec.columns])
        for col, (fast, _, _) in zip(spec.columns, plan, strict=True):
            assert fast is not None
            try:
                expected: Any = ("ok", col.parse(text, tz=TZ))
            except CellError as exc:
                expected = ("error", exc.message)
            try:
                kept = fast(text)
            except CellError as exc:
                got: Any = ("error", exc.message)
            else:
                got = ("ok", store.decoded(col.name, kept))
                assert fast(text) == kept  # a remembered text: the same
            assert got == expected, (spec.stem, col.name)
            if got[0] == "ok":
                assert type(got[1]) is type(expected[1])
                assert str(got[1]) == str(expected[1])  # a Decimal keeps its places


def test_a_value_the_arrays_cannot_hold_is_kept_as_it_is() -> None:
    spec = schema("lines")
    store = Columns(spec, TZ)
    row = {
        "month": Month(2026, 3),
        "line": "L1",
        "name": "",
        "voltage": "10kV",
        "supplied_kwh": Fraction(1, 3),  # not a number of millionths: kept as a Fraction
        "sold_kwh": Fraction(2**70),  # beyond 64 bits
        "reactive_kvarh": None,
    }
    store.append(row, 2)
    store.append({**row, "supplied_kwh": Fraction(5)}, 3)
    assert store.value("supplied_kwh", 0) == Fraction(1, 3)
    assert store.value("sold_kwh", 1) == Fraction(2**70)
    assert store.total("supplied_kwh", range(2)) == Fraction(16, 3)
    assert store.converted
    assert next(iter(store.records())).supplied_kwh == Fraction(1, 3)


def test_records_view_and_store_compare_by_content() -> None:
    spec = schema("tickets")
    a, b = Columns(spec, TZ), Columns(spec, TZ)
    for s in (a, b):
        s.append({"month": Month(2026, 3), "type": "work", "total": 5, "qualified": 4}, 2)
    assert a == b and Records(a) == Records(b) and Records(a) == tuple(Records(b))
    with pytest.raises(IndexError):
        Records(a)[1]
    assert repr(Records(a)) == "<1 items>"


@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 40)), max_size=60))
def test_first_rows_is_a_dict_of_first_rows(keys: list[tuple[int, int]]) -> None:
    seen = FirstRows()
    reference_dict: dict[tuple[int, int], int] = {}
    for row, key in enumerate(keys, start=2):
        assert seen.first(key, row) == reference_dict.get(key)
        reference_dict.setdefault(key, row)


def test_sparse_keys_fall_back_to_a_dict() -> None:
    seen = FirstRows()
    assert seen.first((0, 5_000_000), 2) is None  # one key far out: arrays would be sparse
    assert seen.first((0, 5_000_000), 3) == 2
    assert seen.first(("x", "y"), 4) is None  # keys that are not codes
    assert seen.first(("x", "y"), 5) == 4
    assert seen.first((0, 5_000_000), 6) == 2


def test_exact_sum_of_the_columns_module() -> None:
    assert exact_sum([Fraction(1, 2), 3]) == Fraction(7, 2)


def test_every_file_keeps_its_rows_as_columns_or_builds_its_records() -> None:
    """Only a record class with checks of its own (outages: its Outage) builds and keeps
    its records while read; every other file is kept as columns alone."""
    from gdsmodel.report.columnar import plain_record

    built = {s.stem for s in FILES if not plain_record(s.record) or s.month_from}
    assert built == {"outages"}


def test_a_big_file_holds_no_record_per_row(tmp_path: Path) -> None:
    """Reading a file keeps no record object per row: the store's columns are arrays."""
    import gc

    from gdsmodel.report.records import LineEnergy

    rows = [["month", "line", "voltage", "supplied_kwh", "sold_kwh"]]
    rows += [
        [f"2026-{m:02d}", f"L{i}", "10kV", str(100 + i), "90"] for m in (1, 2) for i in range(3000)
    ]
    (tmp_path / "lines.csv").write_text(_csv(rows), encoding="utf-8")
    data = load_station(tmp_path)
    gc.collect()
    assert sum(isinstance(o, LineEnergy) for o in gc.get_objects()) < 10
    assert len(data.lines.records) == 6000


def test_a_key_on_a_number_column_is_checked_by_value_on_both_paths(tmp_path: Path) -> None:
    """A file declared beyond FILES whose key holds a count: a repeated key is found whether
    the rows took the fast path or the full one, and a large count grows no array."""
    import attrs

    from gdsmodel.report.columns import ColumnKind, column

    @attrs.frozen(slots=True, kw_only=True)
    class Meter:
        row: int
        month: Month = column("月份", ColumnKind.MONTH)  # noqa: RUF009 - an attrs field
        number: int = column("表号", ColumnKind.COUNT)
        note: str = column("说明", ColumnKind.TEXT, required=False, default="")

    spec = FileSchema(
        stem="meters", title=schema("lines").title, record=Meter, key=("month", "number")
    )
    rows = [
        ["month", "number", "note"],
        ["2026-03", "999999999", ""],  # the first row: the full path
        ["2026-03", "999999999", "again"],  # the fast path: the same key
        ["2026-03", " 999999999 ", "padded"],  # the full path: the same key
        ["2026-03", "7", ""],
    ]
    (tmp_path / "meters.csv").write_text(_csv(rows), encoding="utf-8")
    data = load_station(tmp_path, extra_files=[spec])
    found = [i.message for i in data.issues if i.file == "meters.csv"]
    assert found == ["the same month and number as row 2", "the same month and number as row 2"]
    assert [r.number for r in data.table("meters").records] == [999999999, 7]
