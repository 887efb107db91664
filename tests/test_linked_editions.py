"""Editions of the standard: the changelog, old editions rebuilt from the current data,
clause-by-clause differences, semantic-version bumps, and the recorded TOML."""

from __future__ import annotations

import datetime
import tomllib
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gdsmodel.errors import DataFileError, NotFoundError
from gdsmodel.roles.model import Cadence, Category, Duty, Post, Unit
from gdsmodel.serialize import structure, unstructure
from gdsmodel.standards.editions import (
    Bump,
    Change,
    Changelog,
    Edition,
    Op,
    apply_changes,
    changes_between,
    digest,
    edition_of,
    load_changelog,
    load_edition,
    read_drafts,
    record_edition,
    required_bump,
    revert_changes,
    to_toml,
)
from gdsmodel.standards.glossary import Term
from gdsmodel.standards.standard import Standard, load_standard
from gdsmodel.text import Text

DATA = Path(__file__).parent / "data"
EXAMPLE = Path(__file__).parent.parent / "examples" / "station-variant.toml"
REF = load_standard()
CLAUSE_IDS = [c.id for c in REF.clauses()]


def _with_clause(std: Standard, clause_id: str, **changes: Any) -> Standard:
    """``std`` with one clause's fields changed."""
    c = std.clause(clause_id)
    owner = std.owner(c.owner)
    field = "duties" if c.kind == "duty" else "standards"
    items = tuple(
        attrs.evolve(x, **changes) if x.id == clause_id else x for x in getattr(owner, field)
    )
    return _with_owner(std, attrs.evolve(owner, **{field: items}))


def _with_owner(std: Standard, owner: Post | Unit) -> Standard:
    if isinstance(owner, Post):
        station = attrs.evolve(
            std.station, posts=tuple(owner if p.id == owner.id else p for p in std.posts)
        )
    else:
        station = attrs.evolve(
            std.station, units=tuple(owner if u.id == owner.id else u for u in std.units)
        )
    return attrs.evolve(std, station=station)


# ------------------------------------------------------------------------- the package's editions


def test_the_data_files_are_the_recorded_current_edition() -> None:
    """Silent version drift fails here: a change to roles/data/*.toml or the glossary needs a
    new entry in standards/data/editions.toml (see docs/standard-as-data.md#editions)."""
    log = load_changelog()
    recorded = log.edition(log.current).digest
    assert digest(REF) == recorded, (
        f"the data files differ from edition {log.current} as recorded; record the changes as "
        "a new edition (gdsmodel.standards.editions.record_edition, to_toml)"
    )
    assert edition_of(REF) == log.current


def test_every_recorded_edition_is_rebuilt_to_its_digest() -> None:
    log = load_changelog()
    for e in log.editions:
        std = load_edition(e.version)
        if e.version != log.current:
            assert digest(std) == e.digest, e.version
    # and each edition's changes need no more than its version step allows
    for before, after in zip(log.editions, log.editions[1:], strict=False):
        from gdsmodel.standards.editions import bump_of

        assert bump_of(before.version, after.version) >= required_bump(after.changes)


def test_unknown_edition_is_not_found() -> None:
    with pytest.raises(NotFoundError, match=r"unknown edition '0\.1\.0'"):
        load_edition("0.1.0")


# ----------------------------------------------------------------------------- the test edition


def _draft_log() -> Changelog:
    return load_changelog().with_drafts(read_drafts(DATA / "edition-draft.toml"))


def test_test_edition_diffs_to_exactly_its_one_change() -> None:
    log = _draft_log()
    draft = load_edition("90.0.0", changelog=log)
    changes = changes_between(REF, draft)
    assert changes == (
        Change(
            op=Op.CHANGE, kind="clause", id="director.duty.11", field="text.zh",
            old="完成上级安排的临时任务。", new="完成上级和县公司安排的临时任务。",
        ),
    )  # fmt: skip
    assert changes == log.edition("90.0.0").changes
    back = changes_between(draft, REF)
    assert [(c.id, c.field, c.old, c.new) for c in back] == [
        (
            "director.duty.11",
            "text.zh",
            "完成上级和县公司安排的临时任务。",
            "完成上级安排的临时任务。",
        )
    ]
    assert revert_changes(draft, changes) == REF
    assert required_bump(changes) is Bump.MINOR  # the Chinese text changed


def test_a_change_that_does_not_fit_is_refused() -> None:
    wrong = Change(
        op=Op.CHANGE, kind="clause", id="director.duty.11", field="text.zh", old="x", new="y"
    )
    with pytest.raises(ValueError, match="expected 'x'"):
        apply_changes(REF, [wrong])
    missing = Change(
        op=Op.CHANGE, kind="clause", id="director.duty.99", field="note", old="", new="y"
    )
    with pytest.raises(ValueError, match=r"director\.duty\.99 does not exist"):
        apply_changes(REF, [missing])


def test_a_rebuilt_edition_must_match_its_digest() -> None:
    log = _draft_log()
    bad = attrs.evolve(log.edition("90.0.0"), digest="sha256:0")
    broken = attrs.evolve(log, editions=(*log.editions[:-1], bad))
    with pytest.raises(DataFileError, match="does not match its recorded digest"):
        load_edition("90.0.0", changelog=broken)


def test_changelog_versions_must_increase() -> None:
    e = load_changelog().editions[0]
    with pytest.raises(ValueError, match="increasing version order"):
        Changelog(format="gdsmodel.editions/1", current=e.version, editions=(e, e))
    with pytest.raises(ValueError, match="bad version"):
        Edition(version="1.0", date=datetime.date(2026, 1, 1), summary=Text("x"))


# ----------------------------------------------------------------------------- a station's variant


def test_variant_diff_clause_by_clause() -> None:
    mine = load_standard(EXAMPLE)
    changes = changes_between(REF, mine)
    lines = [str(c) for c in changes]
    assert "- clause director.duty.11" in lines
    assert "+ clause technician.duty.12" in lines
    fields = {(c.id, c.field) for c in changes if c.op is Op.CHANGE}
    assert ("technician.standard.4", "cadences") in fields and ("", "name.zh") in fields
    # the changes rebuild the variant from the reference, and the reference from the variant
    assert apply_changes(REF, changes) == mine
    assert revert_changes(mine, changes) == REF
    assert required_bump(changes) is Bump.MAJOR  # a clause is removed


# ----------------------------------------------------------------------------- properties

TEXTS = st.text(alphabet=st.sampled_from("供电所安全员abc xyz，。"), min_size=1, max_size=12)
EDITS = st.lists(
    st.tuples(
        st.sampled_from(CLAUSE_IDS),
        st.sampled_from(["en", "zh", "note", "categories", "cadences", "terms"]),
        TEXTS,
        st.data(),
    ),
    min_size=0,
    max_size=5,
)


def _edit(std: Standard, clause_id: str, what: str, text: str, data: Any) -> Standard:
    c = std.clause(clause_id)
    if what == "en":
        return _with_clause(std, clause_id, text=Text(c.text.zh, text))
    if what == "zh":  # appended: the quotes of the clause's stated targets stay in its text
        return _with_clause(std, clause_id, text=Text(c.text.zh + text, c.text.en))
    if what == "note":
        return _with_clause(std, clause_id, note=text)
    if what == "categories":
        cats = data.draw(st.lists(st.sampled_from(list(Category)), unique=True, max_size=3))
        return _with_clause(std, clause_id, categories=tuple(cats))
    if what == "cadences":
        cads = data.draw(st.lists(st.sampled_from(list(Cadence)), unique=True, max_size=2))
        return _with_clause(std, clause_id, cadences=tuple(cads))
    terms = data.draw(
        st.lists(st.sampled_from([t.id for t in std.glossary.terms]), unique=True, max_size=3)
    )
    return _with_clause(std, clause_id, terms=tuple(terms))


@settings(max_examples=40)
@given(edits=EDITS, remove=st.sets(st.sampled_from(CLAUSE_IDS), max_size=3), add_term=st.booleans())
def test_changes_rebuild_either_edition_from_the_other(
    edits: list[tuple[str, str, str, Any]], remove: set[str], add_term: bool
) -> None:
    """For any set of edits, removals and additions: applying the changes to the old edition
    gives the new one, reverting them gives the old one back, and they name only what
    changed."""
    new = REF
    for clause_id, what, text, data in edits:
        new = _edit(new, clause_id, what, text, data)
    for clause_id in remove:
        c = new.clause(clause_id)
        owner = new.owner(c.owner)
        field = "duties" if c.kind == "duty" else "standards"
        new = _with_owner(
            new,
            attrs.evolve(
                owner, **{field: tuple(x for x in getattr(owner, field) if x.id != clause_id)}
            ),
        )
    tech = new.post("technician")
    extra = Duty(
        owner="technician",
        number=max(d.number for d in tech.duties) + 1,
        text=Text("负责无人机巡检。", "Drone patrols."),
    )
    new = _with_owner(new, attrs.evolve(tech, duties=(*tech.duties, extra)))
    if add_term:
        first = REF.glossary.terms[0]
        term = Term(
            id="drone_patrol",
            name=Text("无人机巡检", "Drone patrol"),
            definition=Text("用无人机巡视线路。"),
            confidence=first.confidence,
            source=first.source,
        )
        new = attrs.evolve(
            new, glossary=attrs.evolve(new.glossary, terms=(*new.glossary.terms, term))
        )
    new = Standard.from_data(new.to_data())  # validated like any standard
    changes = changes_between(REF, new)
    assert apply_changes(REF, changes) == new
    assert revert_changes(new, changes) == REF
    touched = {c.id for c in changes}
    assert set(remove) <= touched and extra.id in touched
    assert touched <= {e[0] for e in edits} | remove | {extra.id, "drone_patrol"}
    # a translation-only change needs a patch, a removal a major version
    if remove:
        assert required_bump(changes) is Bump.MAJOR


@settings(max_examples=25)
@given(edits=EDITS)
def test_recorded_edition_round_trips_through_toml(edits: list[tuple[str, str, str, Any]]) -> None:
    new = REF
    for clause_id, what, text, data in edits:
        new = _edit(new, clause_id, what, text, data)
    log = load_changelog()
    need = required_bump(changes_between(REF, new))
    major, minor, patch = (int(x) for x in log.current.split("."))
    version = {
        Bump.NONE: f"{major}.{minor}.{patch + 1}", Bump.PATCH: f"{major}.{minor}.{patch + 1}",
        Bump.MINOR: f"{major}.{minor + 1}.0", Bump.MAJOR: f"{major + 1}.0.0",
    }[need]  # fmt: skip
    entry = record_edition(
        REF, new, version=version, date=datetime.date(2026, 12, 1), summary=Text("测试", "test")
    )
    parsed = structure(tomllib.loads(to_toml(entry)), _Drafts).editions
    assert parsed == (entry,)
    assert load_edition(version, changelog=log.with_drafts(parsed)) == new
    assert unstructure(entry)["version"] == version


@attrs.frozen
class _Drafts:
    editions: tuple[Edition, ...]


def test_translation_only_changes_need_a_patch_and_too_small_a_step_is_refused() -> None:
    c = REF.clause("technician.duty.3")
    new = _with_clause(REF, "technician.duty.3", text=Text(c.text.zh, c.text.en + " (corrected)"))
    changes = changes_between(REF, new)
    assert [(x.field, x.bump) for x in changes] == [("text.en", Bump.PATCH)]
    zh = _with_clause(REF, "technician.duty.3", text=Text(c.text.zh + "。", c.text.en))
    if edition_of(REF) is not None:
        current = edition_of(REF)
        assert current is not None
        major, minor, patch = (int(x) for x in current.split("."))
        with pytest.raises(ValueError, match="minor bump"):
            record_edition(REF, zh, version=f"{major}.{minor}.{patch + 1}",
                           date=datetime.date(2026, 12, 1), summary=Text("x"))  # fmt: skip
