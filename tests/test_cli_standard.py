"""The standard's commands: readable output, JSON, and exit codes scripts can trust."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from gdsmodel.cli import main

EXAMPLE = str(Path(__file__).parent.parent / "examples" / "station-variant.toml")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_posts(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "posts")
    assert code == 0
    assert "safety_officer" in out and "安全员 / Safety officer" in out
    code, out, _ = run(capsys, "posts", "--json")
    data = json.loads(out)
    assert sum(d["clauses"] for d in data) == 155
    assert {d["kind"] for d in data} == {"post", "unit"}


@pytest.mark.parametrize("lang", ["zh", "en", "both"])
def test_show(capsys: pytest.CaptureFixture[str], lang: str) -> None:
    code, out, _ = run(capsys, "show", "safety_officer", "--lang", lang)
    assert code == 0
    assert "safety_officer.standard.11" in out
    assert ("32字原则" in out) == (lang != "en")
    assert ("Work standards" in out) == (lang != "zh")


def test_show_json_and_unknown(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "show", "revenue_group", "--json")
    assert code == 0 and len(json.loads(out)["clauses"]) == 11
    code, _, err = run(capsys, "show", "nobody")
    assert code == 3 and "unknown post or unit 'nobody'" in err


def test_clause(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "clause", "director.standard.5")
    assert code == 0 and "erratum" in out and "提出得用电问题" in out
    code, out, _ = run(capsys, "clause", "safety_officer.standard.4", "--json")
    data = json.loads(out)
    assert data["id"] == "safety_officer.standard.4" and data["targets"][0]["value"] == "100"
    code, _, _ = run(capsys, "clause", "director.duty.99")
    assert code == 3


def test_find(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "find", "两票")
    assert code == 0 and "safety_officer.standard.4" in out
    code, out, _ = run(capsys, "find", "--cadence", "month_end", "--json")
    assert [c["id"] for c in json.loads(out)] == ["safety_officer.standard.9"]
    code, out, _ = run(capsys, "find", "no such words at all")
    assert code == 1 and "no clause matches" in out
    code, _, _ = run(capsys, "find")
    assert code == 2


def test_glossary(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "glossary")
    assert code == 0 and "four_not_letting_go" in out and "electricity_law" in out
    code, out, _ = run(capsys, "glossary", "three_systems", "--lang", "zh")
    assert code == 0 and "交接班制" in out and "used by: safety_officer.duty.3" in out
    code, out, _ = run(capsys, "glossary", "四不放过", "--json")
    assert [t["id"] for t in json.loads(out)] == ["four_not_letting_go"]
    code, _, _ = run(capsys, "glossary", "zzzz")
    assert code == 1


def test_export_schema(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "export")
    assert code == 0 and json.loads(out)["format"] == "gdsmodel.standard/1"
    target = tmp_path / "std.yaml"
    code, _, _ = run(capsys, "export", "--format", "yaml", "-o", str(target))
    assert code == 0 and "安全第一" in target.read_text(encoding="utf-8")
    code, out, _ = run(capsys, "schema")
    assert json.loads(out)["$schema"].startswith("https://json-schema.org/")


def test_validate_and_diff(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "validate", EXAMPLE)
    assert code == 0 and out.startswith("valid:")
    bad = tmp_path / "bad.toml"
    bad.write_text('remove = ["nobody"]\n', encoding="utf-8")
    code, _, err = run(capsys, "validate", str(bad))
    assert code == 1 and "$.remove[0]" in err
    code, out, _ = run(capsys, "validate", str(bad), "--json")
    assert json.loads(out)["path"] == "$.remove[0]"
    code, out, _ = run(capsys, "diff", EXAMPLE)
    assert code == 0 and "+ clause technician.duty.12" in out
    code, out, _ = run(capsys, "show", "technician", "--standard", EXAMPLE, "--lang", "en")
    assert "technician.duty.12" in out
    code, _, err = run(capsys, "diff", str(bad))
    assert code == 1 and "gdsmodel: error:" in err


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["no-such-command"])
    assert exc.value.code == 2


def test_python_dash_m() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "gdsmodel", "clause", "safety_officer.standard.6", "--lang", "zh"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert done.returncode == 0
    assert "择优选购" in done.stdout
