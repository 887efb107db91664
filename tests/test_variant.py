"""A station's variant of the standard: overrides, additions, removals, and clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import gdsmodel
from gdsmodel.errors import DataFileError

EXAMPLE = Path(__file__).parent.parent / "examples" / "station-variant.toml"


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_the_example_variant_applies() -> None:
    ref = gdsmodel.load_standard()
    mine = gdsmodel.load_standard(EXAMPLE)
    assert mine.station.name.zh == "城关供电所"
    assert mine.clause("technician.standard.4").cadences == ("quarterly",)
    assert mine.clause("technician.standard.4").text == ref.clause("technician.standard.4").text
    assert mine.clause("technician.duty.12").text.en.startswith("Be responsible for drone")
    assert len(list(mine.clauses())) == 155
    with pytest.raises(gdsmodel.errors.NotFoundError):
        mine.clause("director.duty.11")
    assert mine.diff(mine) == []
    assert ref.diff(mine) == [
        "~ station name: 供电所(参考组织) -> 城关供电所",
        "- clause director.duty.11",
        "+ clause technician.duty.12",
        "~ clause technician.standard.4: cadences, note",
    ]
    # the reference is untouched
    assert ref.clause("director.duty.11").number == 11
    assert gdsmodel.load_standard() is ref


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_json_and_yaml_variants(tmp_path: Path, suffix: str) -> None:
    data = {"remove": ["revenue_group.duty.7"], "clauses": [{"id": "director.duty.1", "note": "x"}]}
    if suffix == ".json":
        text = json.dumps(data)
    else:
        yaml = pytest.importorskip("yaml")
        text = yaml.safe_dump(data)
    std = gdsmodel.load_standard(write(tmp_path, "v" + suffix, text))
    assert std.clause("director.duty.1").note == "x"
    assert [c.number for c in std.unit("revenue_group").duties][5:8] == [6, 8, 9]


def test_new_post_with_its_clauses(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        "v.toml",
        """
[[posts]]
id = "drone_pilot"
section = 8
name = { zh = "无人机操作员", en = "Drone pilot" }
reports_to = "technician"
duties_heading = { zh = "无人机操作员岗位职责", en = "Duties of the drone pilot" }
[[posts.duties]]
number = 1
text = { zh = "按计划巡线。", en = "Patrol lines as planned." }
categories = ["operations"]
relations = [{ kind = "assists", party = "technician" }]
""",
    )
    std = gdsmodel.load_standard(p)
    assert std.clause("drone_pilot.duty.1").owner == "drone_pilot"
    assert std.station.sections[-1].posts == ("drone_pilot",)


BAD = [
    ('remove = ["nobody"]', "$.remove[0]", "not a post, unit or clause ID"),
    ('remove = ["director.duty.40"]', "$.remove[0]", "no such clause"),
    (
        '[[clauses]]\nid = "director.duty.5"\ncadences = ["fortnightly"]',
        "$.clauses[0].cadences[0]",
        "fortnightly",
    ),
    ('[[clauses]]\nid = "nobody.duty.1"\nnote = "x"', "$.clauses[0].id", "unknown post or unit"),
    ('[[clauses]]\nid = "director.duties.1"', "$.clauses[0].id", "OWNER.duty.N"),
    (
        '[[clauses]]\nid = "revenue_group.standard.1"\nnote = "x"',
        "$.clauses[0].id",
        "units have duties only",
    ),
    ('[[clauses]]\nid = "director.duty.13"\nnote = "x"', "$.clauses[0]", "needs a text"),
    (
        '[[clauses]]\nid = "director.duty.1"\nterms = ["no_such_term"]',
        None,
        "unknown glossary term 'no_such_term'",
    ),
    (
        '[[clauses]]\nid = "director.duty.1"\nrelations = [{kind = "assists", party = "mars"}]',
        None,
        "unknown party 'mars'",
    ),
    ('colour = "red"', "$", "unknown keys ['colour']"),
    ('remove = "director.duty.1"', "$.remove", "expected a list of strings"),
    ('remove = ["revenue_group_leader"]', None, "head is unknown post 'revenue_group_leader'"),
    ("remove = [", None, "invalid TOML"),
]


@pytest.mark.parametrize(("body", "path", "message"), BAD)
def test_bad_variants_get_located_errors(
    tmp_path: Path, body: str, path: str | None, message: str
) -> None:
    p = write(tmp_path, "bad.toml", body)
    with pytest.raises(DataFileError) as err:
        gdsmodel.load_standard(p)
    assert err.value.file == str(p)
    if path is not None:
        assert err.value.path == path
    assert message in str(err.value)
    # a failed load never changes the reference
    assert len(list(gdsmodel.load_standard().clauses())) == 155


def test_unsupported_and_missing_files(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match=r"unsupported file type '\.ini'"):
        gdsmodel.load_standard(write(tmp_path, "v.ini", "x"))
    with pytest.raises(DataFileError, match="cannot read the file"):
        gdsmodel.load_standard(tmp_path / "missing.toml")
    with pytest.raises(DataFileError, match="line 1"):
        gdsmodel.load_standard(write(tmp_path, "v.json", "{nope"))
    with pytest.raises(DataFileError, match="top level"):
        gdsmodel.load_standard(write(tmp_path, "v.json", "[1, 2]"))


def test_diff_names_terms_posts_and_each_changed_clause_once(tmp_path: Path) -> None:
    """The summary lines agree with the field-level changes they summarise."""
    from gdsmodel.standards.editions import changes_between

    ref = gdsmodel.load_standard()
    term = ref.glossary.term("two_tickets")
    path = write(
        tmp_path,
        "v.json",
        json.dumps(
            {
                "remove": ["director.duty.11", "director.duty.10"],
                "posts": [
                    {
                        "id": "drone_operator",
                        "name": {"zh": "无人机巡检员", "en": "Drone operator"},
                        "section": 3,
                        "reports_to": "technician",
                        "duties_heading": {"zh": "无人机巡检员岗位职责"},
                        "duties": [{"number": 1, "text": {"zh": "负责无人机巡检。"}}],
                    }
                ],
                "clauses": [
                    {"id": "technician.duty.3", "note": "本所自定", "cadences": ["monthly"]},
                    {"id": "technician.duty.4", "text": {"zh": "测试测量。", "en": "Tests."}},
                ],
                "terms": [
                    {
                        **gdsmodel.serialize.unstructure(term),
                        "definition": {"zh": "工作票和操作票。"},
                    }
                ],
            },
            ensure_ascii=False,
        ),
    )
    mine = gdsmodel.load_standard(path)
    lines = ref.diff(mine)
    assert "+ post drone_operator" in lines and "~ term two_tickets" in lines
    assert "+ clause drone_operator.duty.1" in lines
    assert "~ clause technician.duty.3: cadences, note" in lines
    assert "~ clause technician.duty.4: text" in lines
    assert lines.index("- clause director.duty.10") < lines.index("- clause director.duty.11")
    changed = {c.id for c in changes_between(ref, mine) if c.kind == "clause" and c.field}
    assert [ln for ln in lines if ln.startswith("~ clause")] == [
        ln for ln in lines if any(ln.startswith(f"~ clause {i}:") for i in changed)
    ]
    assert len([ln for ln in lines if ln.startswith("~ clause")]) == len(changed)
