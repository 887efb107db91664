"""Runs of consecutive marked steps (days, 15-minute points) as a mergeable state.

A :class:`RunState` covers a contiguous, ordered span of steps (ordinals: day numbers or
point numbers) and remembers how many steps were marked, the longest run of marked steps,
and the runs touching its two ends, so that adjacent or later spans merge exactly: the
state of a month is the merge of the states of its days, in order, and steps missing
between two spans break a run.

>>> days = [RunState.of(d, mark) for d, mark in enumerate([1, 1, 0, 1, 1, 1, 0])]
>>> total = RunState.merge(days)
>>> total.longest, total.marked, total.steps
(3, 5, 7)
>>> RunState.merge(days[:3]) + RunState.merge(days[3:]) == total
True
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from gdsmodel.errors import InputError

__all__ = ["Run", "RunState", "runs"]


@attrs.frozen(slots=True)
class Run:
    """A run of marked steps: the first ordinal and the number of steps."""

    start: int
    length: int

    @property
    def end(self) -> int:
        """The ordinal after the last step (half-open)."""
        return self.start + self.length


@attrs.frozen(slots=True)
class RunState:
    """Marked steps over the span ``first..last`` (inclusive ordinals), mergeable in order.

    ``steps`` counts the steps seen (a span may have holes: unseen steps are unmarked),
    ``marked`` the marked ones, ``longest`` the longest run, ``head`` the run starting at
    ``first`` and ``tail`` the run ending at ``last`` (0 when those steps are unmarked).
    """

    first: int
    last: int
    steps: int
    marked: int
    longest: int
    head: int
    tail: int

    @classmethod
    def of(cls, ordinal: int, marked: bool | int) -> RunState:
        """The state of one step."""
        m = 1 if marked else 0
        return cls(ordinal, ordinal, 1, m, m, m, m)

    def __add__(self, other: object) -> RunState:
        if not isinstance(other, RunState):
            return NotImplemented
        a, b = self, other
        if b.first <= a.last:
            if a.first > b.last:
                a, b = b, a  # merge in order whichever comes first
            else:
                raise InputError(
                    "run states overlap: each step must be counted once",
                    name="other",
                    value=(b.first, b.last),
                    allowed=f"a span before {a.first} or after {a.last}",
                )
        adjacent = b.first == a.last + 1
        join = a.tail + b.head if adjacent else 0
        a_full = a.head == a.last - a.first + 1
        b_full = b.tail == b.last - b.first + 1
        head = a.head + (b.head if a_full and adjacent else 0)
        tail = b.tail + (a.tail if b_full and adjacent else 0)
        return RunState(
            first=a.first,
            last=b.last,
            steps=a.steps + b.steps,
            marked=a.marked + b.marked,
            longest=max(a.longest, b.longest, join),
            head=head,
            tail=tail,
        )

    @classmethod
    def merge(cls, states: Iterable[RunState]) -> RunState:
        """Merge states (in any order; spans must not overlap).

        >>> RunState.merge([])
        Traceback (most recent call last):
        gdsmodel.errors.InputError: states=[]: nothing to merge (allowed: at least one state)
        """
        ordered = sorted(states, key=lambda s: s.first)
        if not ordered:
            raise InputError(
                "nothing to merge", name="states", value=[], allowed="at least one state"
            )
        total = ordered[0]
        for s in ordered[1:]:
            total = total + s
        return total


def runs(ordinals: Iterable[int], *, min_length: int = 1) -> list[Run]:
    """The runs of consecutive ordinals (marked steps) of at least ``min_length`` steps.

    Ordinals may come in any order; repeats are counted once.

    >>> runs([5, 1, 2, 3, 7, 8], min_length=2)
    [Run(start=1, length=3), Run(start=7, length=2)]
    """
    if min_length < 1:
        raise InputError("must be at least 1", name="min_length", value=min_length, allowed=">= 1")
    out: list[Run] = []
    start = prev = None
    for o in sorted(set(ordinals)):
        if prev is not None and o == prev + 1:
            prev = o
            continue
        if start is not None and prev is not None and prev - start + 1 >= min_length:
            out.append(Run(start, prev - start + 1))
        start = prev = o
    if start is not None and prev is not None and prev - start + 1 >= min_length:
        out.append(Run(start, prev - start + 1))
    return out
