"""Every kind's state machine under hypothesis: random moves with random (mostly valid) fields
on a few records. No invalid move is accepted (checked against the rules read from the kind's
data, independently of the machine), a refused move changes nothing, and the records always
equal the replay of the stored events (in memory, and after a round trip through a file).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from gdsmodel.errors import InputError
from gdsmodel.standards.records.book import RecordBook
from gdsmodel.standards.records.kinds import FieldType, KindSpec, kind, kinds
from gdsmodel.standards.records.machine import InvalidMove, fold

PEOPLE = ("P01", "P02", "P03")
RECORDS = ("R1", "R2", "R3")


def _values(spec: KindSpec, name: str) -> st.SearchStrategy[str]:
    f = spec.field(name)
    bad = st.sampled_from(["", "bogus", "2026-13-01", "-", "x" * 3])
    good: st.SearchStrategy[str]
    if f.type is FieldType.DATE:
        good = st.dates(dt.date(2025, 1, 1), dt.date(2027, 1, 1)).map(dt.date.isoformat)
    elif f.type is FieldType.INT:
        good = st.integers(0, 500).map(str)
    elif f.type is FieldType.BOOL:
        good = st.sampled_from(["true", "false", "yes", "no"])
    elif f.type in (FieldType.CHOICE,):
        good = st.sampled_from(f.choices)
    elif f.type is FieldType.PERSON:
        good = st.sampled_from(PEOPLE)
    else:
        good = st.text(alphabet="ab中 1", min_size=1, max_size=4).filter(lambda s: s.strip() != "")
    return st.one_of(good, good, good, good, bad)


def _truthy(value: str | None) -> bool:
    return value == "true"


def machine_for(spec: KindSpec) -> type[RuleBasedStateMachine]:
    names = sorted({"class", *(f.id for f in spec.fields)})
    move_ids = [m.id for m in spec.moves] + ["nonsense"]

    class Machine(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.book = RecordBook(specs=[spec], people=PEOPLE)
            self.day = dt.date(2026, 1, 5)

        @rule(
            record=st.sampled_from(RECORDS),
            move=st.sampled_from(move_ids),
            step=st.integers(-2, 20),
            data=st.data(),
        )
        def make_a_move(self, record: str, move: str, step: int, data: Any) -> None:
            self.day += dt.timedelta(days=step)
            before = {s.record: s for s in self.book.states()}
            prior = before.get(record)
            fields: dict[str, str] = {}
            wanted: list[str] = list(names)
            if move != "nonsense":
                m = spec.move(move)
                wanted = sorted({*m.requires, *m.allows}) + [n for n in names if data.draw(
                    st.integers(0, 9)) == 0]  # fmt: skip
            for n in wanted:
                if data.draw(st.integers(0, 9)) > 0:
                    fields[n] = data.draw(_values(spec, n))
            by = data.draw(st.sampled_from(["", *PEOPLE]))
            if prior is not None and data.draw(st.booleans()):
                by = prior.fields.get(spec.person_field, by) if spec.person_field else by
            n_events = len(self.book.events())
            try:
                after = self.book.add(spec.id, record, move, self.day, fields, by=by)
            except (InvalidMove, InputError):
                assert {s.record: s for s in self.book.states()} == before
                assert len(self.book.events()) == n_events
                return
            # accepted: every rule of the kind's data holds
            m = spec.move(move)
            assert m.id in [x.id for x in spec.moves_from(None if prior is None else prior.state)]
            assert set(m.requires) <= set(fields)
            assert set(fields) <= {*m.requires, *m.allows}
            merged = {**(prior.fields if prior else {}), **after.fields}
            assert all(merged.get(f) for f in m.needs)
            if m.by_field:
                assert by == merged[m.by_field]
            if prior is not None:
                assert not spec.state(prior.state).final
                assert self.day >= prior.last_on
            if m.branch is not None:
                ok = all(_truthy(after.fields.get(f)) for f in m.branch.fields)
                assert after.state == (m.branch.all_true if ok else m.branch.otherwise)
            elif m.to:
                assert after.state == m.to
            for f, v in fields.items():
                if spec.field(f).type is FieldType.PERSON:
                    assert v in PEOPLE
            assert len(self.book.events()) == n_events + 1

        @invariant()
        def state_is_the_replay_of_the_events(self) -> None:
            replay = fold(self.book.specs, self.book.events(), people=PEOPLE)
            assert replay == {(s.kind, s.record): s for s in self.book.states()}

        @invariant()
        def clocks_are_consistent(self) -> None:
            for s in self.book.states():
                for lim in {c.limit for c in s.clocks}:
                    assert sum(1 for c in s.clocks if c.limit == lim and c.running) <= 1
                for c in s.clocks:
                    assert c.stop is None or c.stop >= c.start
                    assert c.due is None or c.due >= c.start

        def teardown(self) -> None:
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / "records.json"
                self.book.save(path)
                again = RecordBook.open(path, specs=[spec], people=PEOPLE)
                assert again.states() == self.book.states()
                again.close()

    Machine.__name__ = f"Machine_{spec.id}"
    return Machine


@pytest.mark.parametrize("kind_id", [k.id for k in kinds()])
def test_state_machine(kind_id: str) -> None:
    machine = machine_for(kind(kind_id))
    case = machine.TestCase
    case.settings = settings(
        max_examples=40,
        stateful_step_count=25,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    case("runTest").runTest()
