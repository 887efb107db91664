"""Parser limits (issue: trust on any input): deep files, huge numbers, long text, numpy
scalars and huge money all end in typed errors that name what, where and the limit."""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import attrs
import numpy as np
import pytest

from gdsmodel.datafiles import parse_toml, read_data_file
from gdsmodel.errors import DataFileError, InputError, LimitError, ParseError
from gdsmodel.limits import MAX_DEPTH, MAX_DIGITS
from gdsmodel.metrics.ratio import Ratio, exact
from gdsmodel.money import yuan
from gdsmodel.periods import Period
from gdsmodel.serialize import structure

DEEP = 100_000


def _deep(suffix: str) -> str:
    if suffix == ".toml":
        return "x = " + "[" * DEEP + "]" * DEEP
    return "[" * DEEP + "]" * DEEP  # JSON and YAML flow style alike


@pytest.mark.parametrize("suffix", [".json", ".yaml", ".toml"])
def test_100_000_deep_files_are_a_located_error(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"station{suffix}"
    path.write_text(_deep(suffix), encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        read_data_file(path)
    err = caught.value
    assert err.file == str(path)
    assert f"nested too deeply (allowed: at most {MAX_DEPTH} levels)" in str(err)


@pytest.mark.parametrize("suffix", [".json", ".yaml", ".toml"])
def test_nesting_just_past_the_limit_names_the_place(tmp_path: Path, suffix: str) -> None:
    inner: object = 1
    for _ in range(MAX_DEPTH):
        inner = [inner]
    data = {"clauses": inner}
    text = json.dumps(data) if suffix != ".toml" else "clauses = " + json.dumps(inner)
    path = tmp_path / f"v{suffix}"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        read_data_file(path)
    assert caught.value.path == "clauses[0][0]..."
    # one level less is fine
    path.write_text(text.replace("[", "", 1).replace("]", "", 1), encoding="utf-8")
    assert read_data_file(path)["clauses"]


@pytest.mark.parametrize("suffix", [".json", ".yaml", ".toml"])
def test_5000_digit_integers_in_files(tmp_path: Path, suffix: str) -> None:
    sep = {".json": '{"a": 1,\n "n": ', ".yaml": "a: 1\nn: ", ".toml": "a = 1\nn = "}[suffix]
    end = "}" if suffix == ".json" else ""
    path = tmp_path / f"s{suffix}"
    path.write_text(sep + "9" * 5000 + end, encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        read_data_file(path)
    assert caught.value.line == 2  # the line of the number
    assert f"integers of at most {MAX_DIGITS} digits" in str(caught.value)
    # 65 digits pass Python's parser but not the limit: the key is named
    path.write_text(sep + "9" * 65 + end, encoding="utf-8")
    with pytest.raises(DataFileError, match=r": n: an integer of 65 digits is too large"):
        read_data_file(path)


def test_5000_digit_numbers_given_to_functions() -> None:
    with pytest.raises(LimitError, match=r"supplied_kwh=<an integer of 5000 digits>: is too large"):
        exact(10**5000 - 1, name="supplied_kwh")
    with pytest.raises(LimitError, match=r"\(5000 characters\): is too long for a number"):
        exact("9" * 5000, name="sold_kwh")
    with pytest.raises(LimitError, match="is out of range"):
        exact("1e9999999", name="sold_kwh")  # no ten-million-digit integer is ever built
    with pytest.raises(LimitError, match="digits after the point"):
        exact(Fraction(1, 10**70))
    assert exact(10**63) == 10**63  # the limit is 10^64
    assert isinstance(LimitError("x"), InputError)  # caught wherever InputError is


def test_period_parse_of_a_5000_digit_quarter() -> None:
    text = "2026Q" + "9" * 5000
    with pytest.raises(ParseError) as caught:
        Period.parse(text)
    message = str(caught.value)
    assert "longer than 200 characters" in message and "(5005 characters)" in message
    assert "accepted forms: 2026, 2026年" in message  # what is allowed


def test_ratio_of_numpy_integers_prints() -> None:
    r = Ratio(np.int64(1), np.int64(3))
    assert (str(r), r.format(1), float(r)) == ("33.33%", "33.3%", 1 / 3)
    assert type(r.numerator.numerator) is int  # plain ints inside
    assert repr(Ratio(np.int32(2), np.uint8(4))) == (
        "Ratio(numerator=Fraction(2, 1), denominator=Fraction(4, 1))"
    )
    assert exact(np.float64(0.5)) == Fraction(1, 2)


@pytest.mark.parametrize(
    "amount", ["1e26", 10**26, Decimal("123456789012345678901234567"), Fraction(10**27, 7)]
)
def test_money_above_1e24_yuan_is_a_limit_error(amount: object) -> None:
    with pytest.raises(
        LimitError, match=r"too large for an amount of money .allowed: less than 10\^24 yuan"
    ):
        yuan(amount, name="billed")  # type: ignore[arg-type]


def test_money_just_below_the_limit_keeps_its_fen() -> None:
    assert yuan("99999999999999999999999.994") == Decimal("99999999999999999999999.99")
    assert yuan("-12.345") == Decimal("-12.35")


def test_structured_numbers_are_bounded() -> None:
    @attrs.frozen
    class Cell:
        kwh: Decimal
        count: int

    with pytest.raises(DataFileError, match=r"lines.toml: \$.kwh: .*out of range"):
        structure({"kwh": "1e9999999", "count": 1}, Cell, file="lines.toml")
    with pytest.raises(DataFileError, match=r"\$.count: .*at most 64 digits"):
        structure({"kwh": "1", "count": 10**70}, Cell, file="lines.toml")
    assert structure({"kwh": "12.5", "count": 3}, Cell) == Cell(Decimal("12.5"), 3)
    # a Decimal already parsed is bounded the same way, both ends
    for huge in (Decimal("1e9999999"), Decimal("1e-9999999")):
        with pytest.raises(DataFileError, match="out of range"):
            structure({"kwh": huge, "count": 1}, Cell)
    assert structure({"kwh": Decimal("0E-9999"), "count": 1}, Cell).kwh == 0


def test_parse_toml_of_package_data_is_unaffected() -> None:
    assert parse_toml("a = [[1, 2], [3]]\n[t]\nb = 10", file="x.toml") == {
        "a": [[1, 2], [3]],
        "t": {"b": 10},
    }
