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


# ------------------------------------------------------------------------- linked data, editions

DRAFTS = str(Path(__file__).parent / "data" / "edition-draft.toml")


def test_export_jsonld_and_turtle(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    rdflib = pytest.importorskip("rdflib")
    code, out, _ = run(capsys, "export", "--format", "jsonld", "--base", "https://example.org/id/")
    assert code == 0
    doc = json.loads(out)
    assert any(n.get("@id") == "https://example.org/id/post/technician" for n in doc["@graph"])
    ttl = tmp_path / "standard.ttl"
    code, _, _ = run(capsys, "export", "--format", "turtle", "-o", str(ttl))
    assert code == 0
    g = rdflib.Graph().parse(ttl, format="turtle")
    notations = {str(o) for o in g.objects(None, rdflib.namespace.SKOS.notation)}
    assert "safety_officer.standard.6" in notations and "line_loss_rate" in notations


def test_export_datapackage(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "export", "--format", "datapackage")
    assert code == 2 and "needs -o" in err
    code, out, _ = run(capsys, "export", "--format", "datapackage", "-o", str(tmp_path / "pkg"))
    assert code == 0 and "data package written" in out
    desc = json.loads((tmp_path / "pkg" / "datapackage.json").read_text(encoding="utf-8"))
    names = {r["name"] for r in desc["resources"]}
    assert {"posts", "clauses", "terms", "kpis", "crosswalk", "editions"} <= names
    code, _, _ = run(capsys, "export", "--format", "datapackage", "-o", str(tmp_path / "p.zip"))
    assert code == 0 and (tmp_path / "p.zip").stat().st_size > 1000
    code, _, _ = run(capsys, "export", "--format", "datapackage", "--standard", EXAMPLE,
                     "-o", str(tmp_path / "mine"))  # fmt: skip
    clauses = (tmp_path / "mine" / "clauses.csv").read_text(encoding="utf-8")
    assert "technician.duty.12" in clauses and "director.duty.11," not in clauses


def test_diff_two_editions_and_an_edition_and_a_variant(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from gdsmodel.standards.editions import load_changelog

    current = load_changelog().current
    code, out, _ = run(capsys, "diff", current, "90.0.0", "--drafts", DRAFTS)
    assert code == 0
    old, new = "完成上级安排的临时任务。", "完成上级和县公司安排的临时任务。"
    assert out.splitlines() == [f"~ clause director.duty.11 text.zh: {old} -> {new}"]
    code, out, _ = run(capsys, "diff", current, "90.0.0", "--drafts", DRAFTS, "--json")
    assert json.loads(out) == [
        {"op": "change", "kind": "clause", "id": "director.duty.11", "field": "text.zh",
         "old": "完成上级安排的临时任务。", "new": "完成上级和县公司安排的临时任务。"}
    ]  # fmt: skip
    code, out, _ = run(capsys, "diff", current, EXAMPLE)
    assert "- clause director.duty.11" in out and "+ clause technician.duty.12" in out
    assert '~ clause technician.standard.4 cadences: [] -> ["quarterly"]' in out
    code, out, _ = run(capsys, "diff", current, current)
    assert out.strip() == "no differences"
    code, _, err = run(capsys, "diff", "9.9.9")
    assert code == 3 and "unknown edition '9.9.9'" in err


def test_editions_and_pinning(capsys: pytest.CaptureFixture[str]) -> None:
    from gdsmodel.standards.editions import load_changelog

    current = load_changelog().current
    code, out, _ = run(capsys, "editions")
    assert code == 0 and f"{current}  " in out and "(current)" in out
    code, out, _ = run(capsys, "editions", "--drafts", DRAFTS, "90.0.0")
    assert "director.duty.11 text.zh" in out
    code, out, _ = run(capsys, "editions", "--json")
    assert [e["version"] for e in json.loads(out)] == list(load_changelog().versions())
    code, out, _ = run(capsys, "clause", "director.duty.11", "--edition", current, "--lang", "zh")
    assert code == 0 and "完成上级安排的临时任务" in out
    code, _, err = run(capsys, "show", "technician", "--edition", "0.0.9")
    assert code == 3 and "unknown edition" in err


def test_record_an_edition_from_a_previous_export(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The previous edition as `gdsmodel export` JSON, one translation corrected since: the
    printed entry records exactly that change as a patch edition, and it rebuilds both."""
    import tomllib

    from gdsmodel.serialize import structure
    from gdsmodel.standards.editions import Edition, digest, load_changelog, load_edition
    from gdsmodel.standards.standard import Standard, load_standard

    ref = load_standard()
    data = ref.to_data()
    post = next(p for p in data["station"]["posts"] if p["id"] == "technician")
    post["duties"][2]["text"]["en"] = "An older translation."
    previous = tmp_path / "previous.json"
    previous.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, out, _ = run(capsys, "diff", str(previous))
    assert out.splitlines() == [
        f"~ clause technician.duty.3 text.en: {ref.clause('technician.duty.3').text.en[:59]}… "
        "-> An older translation."
    ]
    code, out, _ = run(capsys, "editions", "--record", "77.0.1", "--from", str(previous),
                       "--summary-zh", "译文更正", "--date", "2026-12-01")  # fmt: skip
    assert code == 0
    entry = structure(tomllib.loads(out)["editions"][0], Edition)
    assert [(c.id, c.field, c.old) for c in entry.changes] == [
        ("technician.duty.3", "text.en", "An older translation.")
    ]
    assert entry.digest == digest(ref)
    old = Standard.from_data(data)
    code, _, err = run(capsys, "editions", "--record", "77.0.1", "--from", str(previous))
    assert code == 2 and "--summary-zh" in err
    # the previous file is no recorded edition here, so the version step cannot be checked
    code, _, err = run(capsys, "editions", "--record", "77.0.1", "--from", str(previous),
                       "--summary-zh", "x")  # fmt: skip
    assert code == 0 and "no recorded edition" in err
    assert load_edition(load_changelog().current) is ref and old != ref
