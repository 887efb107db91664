"""The page "Using the standard as data": its code samples run, and its crosswalk table is
the crosswalk data file."""

from __future__ import annotations

import contextlib
import io
import re
import shlex
import shutil
from pathlib import Path

import pytest

from gdsmodel.cli import main
from gdsmodel.linked.crosswalk import crosswalk_markdown, subject_names
from gdsmodel.standards.standard import load_standard

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "standard-as-data.md"
_FENCE = re.compile(r"^( *)```(\w+)\n(.*?)^\1```", re.S | re.M)

pytest.importorskip("rdflib")
pytest.importorskip("pyld")


def _samples() -> list[tuple[str, str]]:
    return [(m.group(2), m.group(3)) for m in _FENCE.finditer(PAGE.read_text(encoding="utf-8"))]


def test_the_page_has_python_and_console_samples() -> None:
    kinds = [k for k, _ in _samples()]
    assert kinds.count("python") >= 4 and "console" in kinds


def test_code_samples_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every python block runs and its ``print(...)  # expected`` comments hold (the SPARQL
    query, the pandas read); every ``$ gdsmodel ...`` line exits with 0."""
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    checked = 0
    for lang, body in _samples():
        if lang == "python":
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                exec(compile(body, "standard-as-data.md:sample", "exec"), {"__name__": "__s__"})
            printed = out.getvalue()
            for line in body.splitlines():
                m = re.match(r"\s*print\(.*\)\s+#\s(.+)$", line)
                if m:
                    assert m.group(1).strip() in printed, f"{line.strip()!r} printed {printed!r}"
                    checked += 1
        elif lang == "console":
            for line in body.splitlines():
                if line.startswith("$ gdsmodel "):
                    assert main(shlex.split(line[2:])[1:]) == 0, line
                    checked += 1
    capsys.readouterr()
    assert checked >= 15
    assert (tmp_path / "standard-package" / "datapackage.json").exists()
    assert (tmp_path / "standard-package.zip").exists()


def test_crosswalk_table_is_the_data_file() -> None:
    text = PAGE.read_text(encoding="utf-8")
    start = text.index("<!-- crosswalk:start")
    start = text.index("\n", start) + 1
    end = text.index("<!-- crosswalk:end -->")
    expected = crosswalk_markdown(names=subject_names(load_standard()))
    assert text[start:end] == expected, (
        "the crosswalk table of docs/standard-as-data.md is out of date; regenerate it with "
        "gdsmodel.linked.crosswalk.crosswalk_markdown(names=subject_names(load_standard()))"
    )
