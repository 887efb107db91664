"""Data files are read with typed, located errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from gdsmodel.datafiles import package_toml, parse_toml, read_data_file, read_toml
from gdsmodel.errors import DataFileError


def test_read_toml_errors(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="cannot read the file") as err:
        read_toml(tmp_path / "missing.toml")
    assert err.value.file == str(tmp_path / "missing.toml")
    bad = tmp_path / "bad.toml"
    bad.write_bytes(b"x = '\xff'")
    with pytest.raises(DataFileError, match="not UTF-8"):
        read_toml(bad)
    bad.write_text("x = [", encoding="utf-8")
    with pytest.raises(DataFileError, match="invalid TOML"):
        read_toml(bad)
    with pytest.raises(DataFileError, match="not UTF-8"):
        parse_toml(b"\xff", file="f.toml")


def test_read_data_file_by_suffix(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text("x = 1\n", encoding="utf-8")
    (tmp_path / "a.json").write_text('{"x": 1}', encoding="utf-8")
    assert read_data_file(tmp_path / "a.toml") == read_data_file(tmp_path / "a.json") == {"x": 1}
    (tmp_path / "b.json").write_text('{"x": }', encoding="utf-8")
    with pytest.raises(DataFileError, match="invalid JSON") as err:
        read_data_file(tmp_path / "b.json")
    assert err.value.line == 1
    with pytest.raises(DataFileError, match="unsupported file type"):
        read_data_file(tmp_path / "a.txt")


def test_yaml(tmp_path: Path) -> None:
    pytest.importorskip("yaml")
    (tmp_path / "a.yaml").write_text("x: 1\n", encoding="utf-8")
    assert read_data_file(tmp_path / "a.yaml") == {"x": 1}
    (tmp_path / "b.yaml").write_text("x: [1,\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="invalid YAML"):
        read_data_file(tmp_path / "b.yaml")


def test_package_toml() -> None:
    data, name = package_toml("gdsmodel.metrics", "data", "assessment.toml")
    assert name == "gdsmodel/metrics/data/assessment.toml" and data["rules"]


def test_station_toml_that_is_not_utf8_is_reported(tmp_path: Path) -> None:
    from gdsmodel.report.inputs import load_station

    (tmp_path / "station.toml").write_bytes(b'name = "\xff"\n')
    data = load_station(tmp_path)
    assert any(i.file == "station.toml" and "not UTF-8" in str(i) for i in data.issues), data.issues
