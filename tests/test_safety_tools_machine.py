"""A hypothesis state machine drives random ledger operations against a simple reference model.

After every step it checks that the derived state of every tool matches the model, that a
refused operation changed nothing (in memory and in the file), and that the ledger round-trips
through SQLite (the file it writes to, reopened) and JSON (a saved copy) unchanged.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from unittest import mock

import pendulum
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from gdsmodel.errors import GdsmodelError
from gdsmodel.standards.safety_tools import Condition, Ledger
from gdsmodel.standards.safety_tools.state import fold

SERIALS = ["A", "B", "C", "D", "E"]
BATCHES = ["b1", "b2"]
# (kind, rating, months between tests): a short and a long cycle
KINDS = [("insulating_gloves", "high_voltage", 6), ("phase_checker", "", 12)]


def add_months(d: date, months: int) -> date:
    """The reference month arithmetic, written independently: clamp to the month's end."""
    y, m = divmod(d.year * 12 + d.month - 1 + months, 12)
    m += 1
    for day in (d.day, 30, 29, 28):
        try:
            return date(y, m, min(d.day, day))
        except ValueError:
            continue
    raise AssertionError  # pragma: no cover


@dataclass(frozen=True)
class Tool:
    """The reference model of one tool."""

    months: int
    batch: str
    cond: str = "untested"  # untested, ok, retest, defective, sealed, scrapped
    holder: str | None = None
    accepted: bool = False
    due: date | None = None

    def usable(self, on: date) -> bool:
        return self.cond == "ok" and self.due is not None and on <= self.due


_COND = {
    "untested": Condition.UNTESTED,
    "ok": Condition.SERVICEABLE,
    "retest": Condition.TEST_REQUIRED,
    "defective": Condition.DEFECTIVE,
    "sealed": Condition.SEALED,
    "scrapped": Condition.SCRAPPED,
}

serials = st.sampled_from(SERIALS)
# The steps and how often each is drawn.
OPERATIONS = (
    ["test"] * 5
    + ["advance"] * 4
    + ["issue"] * 4
    + ["return_tool"] * 3
    + ["check"] * 2
    + ["repair"] * 2
    + ["register"] * 2
    + ["defect", "seal", "scrap", "move", "recall", "backdated"]
)


class LedgerMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        # Durability is the crash test's business; here fsync would only make the run slow.
        self.no_fsync = mock.patch.object(os, "fsync", return_value=None)
        self.no_fsync.start()
        self.dir = Path(tempfile.mkdtemp(prefix="ledger-machine-"))
        self.path = self.dir / "tools.sqlite"
        self.ledger = Ledger.open(self.path)
        self.model: dict[str, Tool] = {}
        self.today = date(2026, 1, 1)

    def teardown(self) -> None:
        self.ledger.close()
        shutil.rmtree(self.dir, ignore_errors=True)
        self.no_fsync.stop()

    # ------------------------------------------------------------------ driving

    def attempt(self, allowed: bool, call: Any, new: dict[str, Tool] | None = None) -> None:
        """Run an operation; the model says whether it must succeed or be refused."""
        before = (self.ledger.events, self.ledger.tools())
        try:
            call()
        except GdsmodelError:
            assert not allowed, "the model allows this operation, the ledger refused it"
            assert (self.ledger.events, self.ledger.tools()) == before  # refused: no change
            with Ledger.open(self.path) as fresh:
                assert fresh.events == before[0]  # nor in the file
            return
        assert allowed, "the model refuses this operation, the ledger allowed it"
        if new:
            self.model.update(new)

    def tool(self, serial: str) -> Tool | None:
        return self.model.get(serial)

    def pick(self, data: st.DataObject, prefer: Any = lambda t: True) -> str:
        """Mostly a registered serial the operation fits, sometimes any other (the model decides
        either way whether the operation must succeed)."""
        known = sorted(self.model)
        fitting = [s for s in known if prefer(self.model[s])]
        pool = fitting * 8 + known * 2 + SERIALS
        return data.draw(st.sampled_from(pool), label="serial")

    @initialize(
        kinds=st.lists(st.sampled_from(KINDS), min_size=1, max_size=3),
        batch=st.sampled_from(BATCHES),
    )
    def stock(self, kinds: list[tuple[str, str, int]], batch: str) -> None:
        """Start with a few tools, so that most steps act on real ones."""
        for serial, kind in zip(SERIALS, kinds, strict=False):
            self.register(serial, kind, batch)

    @rule(data=st.data())
    def step(self, data: st.DataObject) -> None:
        """One step: an operation (constructive ones drawn more often), or time passing."""
        name = data.draw(st.sampled_from(OPERATIONS), label="operation")
        getattr(self, f"do_{name}")(data)

    def do_advance(self, data: st.DataObject) -> None:
        days = data.draw(st.sampled_from([0, 1, 7, 30, 90, 200, 400]), label="days")
        self.today += timedelta(days=days)

    def do_register(self, data: st.DataObject) -> None:
        serial = data.draw(serials, label="serial")
        kind = data.draw(st.sampled_from(KINDS), label="kind")
        batch = data.draw(st.sampled_from(BATCHES), label="batch")
        self.register(serial, kind, batch)

    def register(self, serial: str, kind: tuple[str, str, int], batch: str) -> None:
        kid, rating, months = kind
        self.attempt(
            serial not in self.model,
            lambda: self.ledger.register(
                serial, kind=kid, rating=rating, batch=batch, on=self.today
            ),
            {serial: Tool(months=months, batch=batch)},
        )

    def do_test(self, data: st.DataObject) -> None:
        passed = data.draw(st.sampled_from([True, True, True, False]), label="passed")
        serial = self.pick(
            data, lambda t: t.holder is None and t.cond in ("untested", "ok", "retest", "defective")
        )
        t = self.tool(serial)
        fitting = data.draw(st.sampled_from([True, True, True, True, False]), label="fitting")
        accepted = t is not None and t.accepted
        acceptance = not accepted if fitting else accepted  # mostly the right kind of test
        ok = (
            t is not None
            and t.holder is None
            and t.cond in ("untested", "ok", "retest", "defective")
            and t.accepted is not acceptance
        )
        new = None
        if ok and t is not None:
            if passed:
                due = add_months(self.today, t.months)
                new = {serial: replace(t, cond="ok", accepted=True, due=due)}
            else:
                new = {serial: replace(t, cond="defective")}
        method = self.ledger.record_acceptance_test if acceptance else self.ledger.record_test
        self.attempt(ok, lambda: method(serial, on=self.today, tester="t", passed=passed), new)

    def do_issue(self, data: st.DataObject) -> None:
        serial = self.pick(data, lambda t: t.holder is None and t.usable(self.today))
        t = self.tool(serial)
        ok = t is not None and t.holder is None and t.usable(self.today)
        new = {serial: replace(t, holder="w")} if ok and t else None
        self.attempt(ok, lambda: self.ledger.issue(serial, on=self.today, to="w"), new)

    def do_return_tool(self, data: st.DataObject) -> None:
        serial = self.pick(data, lambda t: t.holder is not None)
        t = self.tool(serial)
        ok = t is not None and t.holder is not None
        new = {serial: replace(t, holder=None)} if ok and t else None
        self.attempt(ok, lambda: self.ledger.return_tool(serial, on=self.today), new)

    def do_check(self, data: st.DataObject) -> None:
        passed = data.draw(st.sampled_from([True, True, False]), label="passed")
        serial = self.pick(data, lambda t: t.usable(self.today))
        t = self.tool(serial)
        ok = t is not None and t.usable(self.today)
        new = None
        if ok and t is not None and not passed:
            new = {serial: replace(t, cond="defective")}
        self.attempt(
            ok,
            lambda: self.ledger.record_check(serial, on=self.today, by="w", passed=passed),
            new,
        )

    def do_defect(self, data: st.DataObject) -> None:
        serial = self.pick(data, lambda t: t.cond not in ("sealed", "scrapped"))
        t = self.tool(serial)
        ok = t is not None and t.cond not in ("sealed", "scrapped")
        new = {serial: replace(t, cond="defective")} if ok and t else None
        self.attempt(
            ok, lambda: self.ledger.record_defect(serial, on=self.today, description="d"), new
        )

    def do_seal(self, data: st.DataObject) -> None:
        serial = self.pick(
            data, lambda t: t.holder is None and t.cond not in ("sealed", "scrapped")
        )
        t = self.tool(serial)
        ok = t is not None and t.holder is None and t.cond not in ("sealed", "scrapped")
        new = {serial: replace(t, cond="sealed")} if ok and t else None
        self.attempt(ok, lambda: self.ledger.seal(serial, on=self.today, reason="r"), new)

    def do_repair(self, data: st.DataObject) -> None:
        serial = self.pick(data, lambda t: t.cond == "sealed")
        t = self.tool(serial)
        ok = t is not None and t.cond == "sealed"
        new = {serial: replace(t, cond="retest")} if ok and t else None
        self.attempt(ok, lambda: self.ledger.repair(serial, on=self.today, description="x"), new)

    def do_scrap(self, data: st.DataObject) -> None:
        serial = self.pick(data, lambda t: t.holder is None and t.cond != "scrapped")
        t = self.tool(serial)
        ok = t is not None and t.holder is None and t.cond != "scrapped"
        new = {serial: replace(t, cond="scrapped")} if ok and t else None
        self.attempt(ok, lambda: self.ledger.scrap(serial, on=self.today, reason="r"), new)

    def do_move(self, data: st.DataObject) -> None:
        place = data.draw(st.sampled_from(["station", "vehicle-1"]), label="place")
        serial = self.pick(data, lambda t: t.holder is None and t.cond != "scrapped")
        t = self.tool(serial)
        ok = t is not None and t.holder is None and t.cond != "scrapped"
        self.attempt(ok, lambda: self.ledger.move(serial, on=self.today, place=place), {})

    def do_recall(self, data: st.DataObject) -> None:
        batch = data.draw(st.sampled_from(BATCHES), label="batch")
        members = {s: t for s, t in self.model.items() if t.batch == batch and t.cond != "scrapped"}
        new = {s: replace(t, cond="retest") if t.cond == "ok" else t for s, t in members.items()}
        self.attempt(
            bool(members),
            lambda: self.ledger.recall_batch(batch, on=self.today, reason="r"),
            new,
        )

    def do_backdated(self, data: st.DataObject) -> None:
        """An event dated before the tool's last event is always refused."""
        if not self.model:
            return
        serial = data.draw(st.sampled_from(sorted(self.model)), label="serial")
        last = self.ledger.state(serial).last_on
        self.attempt(
            False,
            lambda: self.ledger.record_defect(serial, on=last - timedelta(days=1), description="x"),
        )

    # ------------------------------------------------------------------ checks after every step

    @invariant()
    def states_match_the_model(self) -> None:
        states = {s.serial: s for s in self.ledger.tools()}
        assert set(states) == set(self.model)
        for serial, t in self.model.items():
            s = states[serial]
            assert s.condition is _COND[t.cond], serial
            assert s.holder == t.holder, serial
            assert s.accepted == t.accepted, serial
            assert s.due == (t.due if t.cond == "ok" else None), serial
            assert s.is_usable(self.today) == t.usable(self.today), serial
        assert fold(self.ledger.events) == states  # derived, never stored
        overdue = {d.serial for d in self.ledger.overdue(on=self.today)}
        assert overdue == {
            s for s, t in self.model.items() if t.cond == "ok" and t.due and t.due < self.today
        }
        unusable = {u.serial for u in self.ledger.unusable(on=self.today)}
        assert unusable == {
            s for s, t in self.model.items() if t.cond != "scrapped" and not t.usable(self.today)
        }

    @invariant()
    def round_trips(self) -> None:
        with Ledger.open(self.path) as again:  # the SQLite file it writes to
            assert again.events == self.ledger.events
            assert again.tools() == self.ledger.tools()
        copy = self.dir / "copy.json"
        self.ledger.save(copy, overwrite=True)
        with Ledger.open(copy) as again:
            assert again.events == self.ledger.events
            assert again.tools() == self.ledger.tools()
        assert self.ledger.check() == ()


LedgerMachine.TestCase.settings = settings(max_examples=50, stateful_step_count=30, deadline=None)
TestLedgerMachine = LedgerMachine.TestCase


def test_reference_month_arithmetic_agrees() -> None:
    from gdsmodel.standards.safety_tools import add_interval

    d = date(2020, 1, 1)
    while d < date(2029, 1, 1):
        for months in (1, 6, 12, 30):
            assert add_months(d, months) == add_interval(d, pendulum.duration(months=months))
        d += timedelta(days=1)
