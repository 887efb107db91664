"""The job standard as data: completeness, fidelity to the source, IDs, look-ups."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

import gdsmodel
from gdsmodel.errors import NotFoundError
from gdsmodel.roles.model import Cadence, Category, Duty, Post, Unit, WorkStandard
from gdsmodel.standards.validate import problems

SOURCE = Path(__file__).parent / "data" / "station-job-standards.zh.txt"

# (owner of the first list, owner of the second list, count, count), per section.
SECTIONS = [
    ("director", "director", 11, 8),
    ("safety_officer", "safety_officer", 11, 11),
    ("technician", "technician", 11, 10),
    ("marketing_officer", "marketing_officer", 13, 12),
    ("customer_service_office", "customer_service_head", 13, 9),
    ("revenue_group", "revenue_group_leader", 11, 12),
    ("distribution_group", "distribution_group_leader", 12, 11),
]


def nfkc(s: str) -> str:
    return unicodedata.normalize("NFKC", s).strip()


def parse_source() -> list[list[list[str]]]:
    """The source text, independently parsed: sections -> two lists -> item texts."""
    sections: list[list[list[str]]] = []
    for raw in SOURCE.read_text(encoding="utf-8").splitlines():
        line = nfkc(raw)
        if re.match(r"^[一二三四五六七]、", line):
            sections.append([])
        elif re.match(r"^\([一二]\)", line):
            sections[-1].append([])
        elif (m := re.match(r"^(\d+)、(.+)$", line)) and sections and sections[-1]:
            items = sections[-1][-1]
            assert int(m.group(1)) == len(items) + 1, line
            items.append(m.group(2))
    return sections


@pytest.fixture(scope="module")
def std() -> gdsmodel.Standard:
    return gdsmodel.load_standard()


def test_there_are_155_clauses(std: gdsmodel.Standard) -> None:
    clauses = list(std.clauses())
    assert len(clauses) == 155
    assert sum(a + b for _, _, a, b in SECTIONS) == 155


@pytest.mark.parametrize(("first", "second", "n1", "n2"), SECTIONS)
def test_section_counts(std: gdsmodel.Standard, first: str, second: str, n1: int, n2: int) -> None:
    if first == second:
        post = std.post(first)
        assert (len(post.duties), len(post.standards)) == (n1, n2)
    else:
        unit = std.unit(first)
        head = std.post(second)
        assert unit.head == head.id and head.heads == unit.id
        assert (len(unit.duties), len(head.duties), len(head.standards)) == (n1, n2, 0)


def test_every_clause_is_verbatim(std: gdsmodel.Standard) -> None:
    source = parse_source()
    assert [len(s) for s in source] == [2] * 7
    for (first, second, _, _), (list1, list2) in zip(SECTIONS, source, strict=True):
        if first == second:
            ours1 = [c.text.zh for c in std.post(first).duties]
            ours2 = [c.text.zh for c in std.post(first).standards]
        else:
            ours1 = [c.text.zh for c in std.unit(first).duties]
            ours2 = [c.text.zh for c in std.post(second).duties]
        assert [nfkc(t) for t in ours1] == list1
        assert [nfkc(t) for t in ours2] == list2


def test_texts_are_byte_for_byte_in_the_source(std: gdsmodel.Standard) -> None:
    text = SOURCE.read_text(encoding="utf-8")
    for c in std.clauses():
        assert f"{c.number}、{c.text.zh}" in text, c.id


def test_ids_are_unique_and_well_formed(std: gdsmodel.Standard) -> None:
    ids = [c.id for c in std.clauses()]
    assert len(ids) == len(set(ids))
    owners = {p.id for p in std.posts} | {u.id for u in std.units}
    for c in std.clauses():
        owner, kind, number = c.id.split(".")
        assert owner in owners and kind in ("duty", "standard") and int(number) == c.number
        assert isinstance(c, Duty if kind == "duty" else WorkStandard)
    assert std.clause("safety_officer.standard.6").number == 6


def test_every_clause_is_translated_and_annotated(std: gdsmodel.Standard) -> None:
    for c in std.clauses():
        assert c.text.en.strip(), c.id
        # Chinese may appear only as a gloss in parentheses, e.g. "incidents (障碍)"
        unglossed = re.sub(r"\([^)]*\)", "", c.text.en)
        assert not re.search(r"[\u4e00-\u9fff]", unglossed), c.id
        assert 1 <= len(c.categories) <= 3, c.id
        assert len(set(c.categories)) == len(c.categories)
    for o in (*std.posts, *std.units):
        assert o.name.en and o.duties_heading.en


def test_references_resolve(std: gdsmodel.Standard) -> None:
    assert problems(std) == []
    terms = {t.id for t in std.glossary.terms}
    used = {t for c in std.clauses() for t in c.terms}
    assert used <= terms
    assert {r for c in std.clauses() for r in c.regulations} <= {
        r.id for r in std.glossary.regulations
    }


def test_glossary_aliases_are_in_the_source_and_tagged(std: gdsmodel.Standard) -> None:
    text = SOURCE.read_text(encoding="utf-8")
    for entry in (*std.glossary.terms, *std.glossary.regulations):
        for alias in entry.aliases:
            assert alias in text, (entry.id, alias)
    # a clause whose text uses a term's verbatim form is tagged with that term
    for t in std.glossary.terms:
        for alias in t.aliases:
            for c in std.clauses():
                if alias in c.text.zh:
                    assert t.id in c.terms, (c.id, t.id, alias)
    for r in std.glossary.regulations:
        for alias in r.aliases:
            for c in std.clauses():
                if alias in c.text.zh:
                    assert r.id in c.regulations, (c.id, r.id)


def test_named_rules_are_in_the_glossary(std: gdsmodel.Standard) -> None:
    g = std.glossary
    for tid in (
        "two_tickets",
        "three_systems",
        "four_not_letting_go",
        "three_publics",
        "four_to_household",
        "five_unifications",
        "fee_three_rates",
        "rcd_three_rates",
        "three_level_line_protection",
        "first_inquiry_responsibility",
        "single_window",
        "business_expansion",
        "safety_first_prevention",
        "thirty_two_character_rule",
    ):
        term = g.term(tid)
        assert term.definition.zh and term.definition.en and term.source.document
    assert len(g.term("three_systems").parts) == 3
    assert len(g.term("four_not_letting_go").parts) == 4
    assert len(g.term("five_unifications").parts) == 5
    rule = g.term("thirty_two_character_rule")
    assert (
        "".join(p.zh for p in rule.parts)
        == "择优选购按需配备登记造册定期检验坏的封修缺的补齐正确使用妥善保管"
    )


def test_errata_are_kept_verbatim_and_annotated(std: gdsmodel.Standard) -> None:
    c = std.clause("director.standard.5")
    assert "提出得用电问题" in c.text.zh
    assert [(e.written, e.intended) for e in c.errata] == [("提出得用电问题", "提出的用电问题")]
    m = std.clause("marketing_officer.duty.5")
    assert "需求测管理" in m.text.zh and m.errata[0].intended == "需求侧管理"
    assert "demand-side" in m.text.en


def test_stated_targets(std: gdsmodel.Standard) -> None:
    tickets = std.clause("safety_officer.standard.4").targets
    assert [(t.indicator, str(t.value), t.unit) for t in tickets] == [
        ("two_ticket_pass_rate", "100", "%")
    ]
    rcd = {t.indicator for t in std.clause("safety_officer.standard.7").targets}
    assert rcd == {"rcd_installation_rate", "rcd_in_service_rate", "rcd_correct_operation_rate"}
    fee = std.clause("marketing_officer.standard.9").targets
    assert fee[0].indicator == "fee_remittance_rate"


def test_lookups_and_errors(std: gdsmodel.Standard) -> None:
    assert isinstance(std.post("technician"), Post)
    assert isinstance(std.unit("distribution_group"), Unit)
    assert [m.id for m in std.unit("distribution_group").members] == ["rural_electrician"]
    with pytest.raises(NotFoundError, match="unknown post 'nobody'; known: director"):
        std.post("nobody")
    with pytest.raises(NotFoundError, match="unknown unit"):
        std.unit("director")  # a post, not a unit
    with pytest.raises(NotFoundError, match="unknown clause"):
        std.clause("director.duty.99")
    with pytest.raises(NotFoundError):
        std.find(term="no_such_term")
    with pytest.raises(ValueError, match="not a valid Category"):
        std.find(category="gardening")


def test_find(std: gdsmodel.Standard) -> None:
    assert [c.id for c in std.find("32字原则")] == ["safety_officer.standard.6"]
    assert [c.id for c in std.find("32-CHARACTER")] == ["safety_officer.standard.6"]
    monthly = std.find(cadence=Cadence.MONTHLY)
    assert monthly and all(Cadence.MONTHLY in c.cadences for c in monthly)
    safety = std.find(category="safety", owner="safety_officer")
    assert safety and all(c.owner == "safety_officer" for c in safety)
    assert all(
        Category.SAFETY in c.categories
        for c in std.find(category=Category.SAFETY, term="two_tickets")
    )
    # full-width and ASCII punctuation find the same clauses
    assert std.find("安全第一,预防为主") == std.find("安全第一，预防为主")


def test_clauses_are_in_source_order(std: gdsmodel.Standard) -> None:
    ids = [c.id for c in std.clauses()]
    assert ids[0] == "director.duty.1"
    assert ids[19] == "safety_officer.duty.1"
    assert ids.index("customer_service_office.duty.13") + 1 == ids.index(
        "customer_service_head.duty.1"
    )
    assert ids[-1] == "distribution_group_leader.duty.11"


def test_load_standard_is_cached() -> None:
    assert gdsmodel.load_standard() is gdsmodel.load_standard()
