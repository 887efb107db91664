"""One pass over the outages: additive sums per cause class and per time bucket.

Each outage's UTC instants are integers (microseconds since 1970) computed once when the
outage is made; the tally compares and subtracts integers only and builds no objects per
outage. Fractions are made once per bucket, at the end (:mod:`.state`).

A bucket holds, per cause class (in the order of :class:`~.causes.OutageCause`), the eight
sums named by the constants below.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable
from typing import Final

from gdsmodel.errors import InputError
from gdsmodel.metrics.reliability._common import _hours, _micros, _moment
from gdsmodel.metrics.reliability.causes import OutageCause
from gdsmodel.metrics.reliability.conventions import CountingConvention
from gdsmodel.metrics.reliability.outages import Outage

EVENTS: Final = 0
"""Sustained interruptions, counted in the bucket where they start."""
CUSTOMER_INTERRUPTIONS: Final = 1
"""Σ customers affected by those interruptions."""
CUSTOMER_US: Final = 2
"""Σ customers affected × microseconds (clipped to the bucket, or accrued to the start)."""
EVENT_US: Final = 3
"""Σ whole durations (µs) of the sustained interruptions starting in the bucket."""
SHORT_EVENTS: Final = 4
"""Short (momentary) interruptions starting in the bucket."""
SHORT_CUSTOMERS: Final = 5
"""Σ customers affected by those."""
MOMENTARY_EVENTS: Final = 6
"""Momentary interruption events (IEEE 1366) whose first interruption is in the bucket."""
MOMENTARY_EVENT_CUSTOMERS: Final = 7
"""Σ customers of those events."""
FIELDS: Final = 8

CAUSES: Final = tuple(OutageCause)
_CAUSE_INDEX: Final = {c: i for i, c in enumerate(CAUSES)}
_STRIDE: Final = len(CAUSES) * FIELDS

Bucket = list[list[int]]
"""Per cause class (index in :data:`CAUSES`): the eight sums above."""

Lines = dict[str | None, list[tuple[int, int, int, bool]]]
"""Per line: ``(start µs, customers, cause index, sustained)`` of the outages to group into
momentary events."""


def new_bucket() -> Bucket:
    """An empty bucket."""
    return [[0] * FIELDS for _ in CAUSES]


def tally(
    outages: Iterable[Outage],
    cuts: list[int],
    customers: int,
    convention: CountingConvention,
    *,
    accrue_to_start: bool = False,
) -> list[Bucket]:
    """Sums per bucket ``[cuts[j], cuts[j+1])`` (instants in µs since 1970).

    Interruptions are counted in the bucket where they start. Their customer-time is clipped
    to each bucket they touch; with ``accrue_to_start`` it all goes to the bucket where the
    interruption starts (daily SAIDI of the major event day method) and interruptions that
    start before the first bucket are left out.
    """
    if isinstance(outages, Outage):
        raise InputError(
            "must be a collection of outages", name="outages", value=outages, allowed="[Outage]"
        )
    n = len(cuts) - 1
    first, last = cuts[0], cuts[-1]
    # one flat list of sums: bucket j, cause c, field f at (j * len(CAUSES) + c) * FIELDS + f
    flat = [0] * (n * _STRIDE)
    width = max((last - first) // n, 1)  # a first guess of the bucket, then exact
    threshold = convention.sustained_above_us
    window_td = convention.momentary_event_window
    window = None if window_td is None else _micros(window_td)
    lines: Lines = {}
    single = n == 1
    cause_index = _CAUSE_INDEX
    for i, o in enumerate(outages):
        if not isinstance(o, Outage):
            raise InputError(
                "is not an Outage", name=f"outages[{i}]", value=o, allowed="Outage instances"
            )
        k = o.customers_affected
        if k > customers:
            label = f" ({o.id})" if o.id else ""
            raise InputError(
                f"affects more customers than are served{label}",
                name=f"outages[{i}].customers_affected",
                value=k,
                allowed=f"at most customers={customers}",
            )
        s = o.start_us
        e = o.end_us
        sustained = e - s > threshold
        ci = cause_index[o.cause]
        if window is not None and first - window <= s < last + window:
            lines.setdefault(o.line, []).append((s, k, ci, sustained))
        if accrue_to_start:
            if s < first or s >= last:
                continue
        elif e <= first or s >= last:
            continue
        # the bucket where it starts; -1 if before the first
        if s < first:
            j0 = -1
        elif single:
            j0 = 0
        else:
            j0 = (s - first) // width
            if j0 >= n:
                j0 = n - 1
            while cuts[j0] > s:
                j0 -= 1
            while cuts[j0 + 1] <= s:
                j0 += 1
        if not sustained:
            if j0 >= 0:
                base = j0 * _STRIDE + ci * FIELDS
                flat[base + SHORT_EVENTS] += 1
                flat[base + SHORT_CUSTOMERS] += k
            continue
        if j0 >= 0:
            base = j0 * _STRIDE + ci * FIELDS
            flat[base + EVENTS] += 1
            flat[base + CUSTOMER_INTERRUPTIONS] += k
            flat[base + EVENT_US] += e - s
            if accrue_to_start:
                flat[base + CUSTOMER_US] += k * (e - s)
                continue
            if e <= cuts[j0 + 1]:
                flat[base + CUSTOMER_US] += k * (e - s)
                continue
        j = max(j0, 0)
        while j < n and cuts[j] < e:
            lo = s if s > cuts[j] else cuts[j]
            hi = e if e < cuts[j + 1] else cuts[j + 1]
            if hi > lo:
                flat[j * _STRIDE + ci * FIELDS + CUSTOMER_US] += k * (hi - lo)
            j += 1
    buckets = [
        [flat[b + c * FIELDS : b + (c + 1) * FIELDS] for c in range(len(CAUSES))]
        for b in range(0, n * _STRIDE, _STRIDE)
    ]
    if window is not None:
        _momentary_events(lines, window, cuts, buckets)
    return buckets


def _momentary_events(
    lines: Lines,
    window: int,
    cuts: list[int],
    buckets: list[Bucket],
) -> None:
    """Group the momentary interruptions of each line into events (IEEE 1366).

    An event starts with a momentary interruption; the momentary interruptions of the same
    line that start within ``window`` of it belong to it. Its customers are the most any of
    them cut off. An event is left out when a sustained interruption of the line starts
    within the window (the reclosing sequence ended in a lockout). Outages without a line
    cannot be grouped: each is an event of its own.
    """
    first, last = cuts[0], cuts[-1]
    for line, records in lines.items():
        records.sort()
        if line is None:
            groups = [[r] for r in records if not r[3]]
            sustained_starts: list[int] = []
        else:
            sustained_starts = [r[0] for r in records if r[3]]
            groups = []
            for r in records:
                if r[3]:
                    continue
                if groups and r[0] - groups[-1][0][0] <= window:
                    groups[-1].append(r)
                else:
                    groups.append([r])
        for group in groups:
            s0 = group[0][0]
            if not first <= s0 < last:
                continue
            lo = bisect_right(sustained_starts, s0 - 1)
            if lo < len(sustained_starts) and sustained_starts[lo] - s0 <= window:
                continue  # preceded a lockout
            j = 0 if len(cuts) == 2 else bisect_right(cuts, s0) - 1
            acc = buckets[j][group[0][2]]
            acc[MOMENTARY_EVENTS] += 1
            acc[MOMENTARY_EVENT_CUSTOMERS] += max(r[1] for r in group)


def check_plausible(buckets: list[Bucket], cuts: list[int], customers: int) -> None:
    """Refuse buckets whose outages interrupt more customer-time than the customers have."""
    for j, bucket in enumerate(buckets):
        used = sum(acc[CUSTOMER_US] for acc in bucket)
        available = customers * (cuts[j + 1] - cuts[j])
        if used > available:
            raise InputError(
                "the outages interrupt more customer-hours than the customers have in the "
                "period; overlapping records count the same customers twice",
                name="outages",
                value=f"{_hours(used)} customer-hours in [{_moment(cuts[j])}, "
                f"{_moment(cuts[j + 1])})",
                allowed=f"at most customers × hours = {_hours(available)}",
            )


Records = dict[str | None, list[tuple[int, int, int, bool, int]]]
"""Per line: ``(start µs, customers, cause index, sustained, day index)`` of the outages the
momentary events of IEEE 1366 group (day index as in :func:`tally_days`)."""


def tally_days(
    outages: Iterable[Outage],
    cuts: list[int],
    customers: int,
    convention: CountingConvention,
    causes: frozenset[OutageCause],
    *,
    split: bool,
) -> tuple[dict[int, int], dict[int, Bucket], Records]:
    """One pass over the outages for daily SAIDI and the major event day split.

    Returns, per day ``j`` (``[cuts[j], cuts[j+1])``, instants in µs since 1970): the
    customer-µs of the sustained interruptions of ``causes`` that *began* that day (accrued in
    full, even past the period), and with ``split`` the sums of :func:`tally` of the
    interruptions that began that day, over the whole period (customer-time clipped at the
    period's end); day ``-1`` holds the outages that began before the period (clipped at its
    start). The records for momentary events carry their day (``-2`` after the period).
    """
    if isinstance(outages, Outage):
        raise InputError(
            "must be a collection of outages", name="outages", value=outages, allowed="[Outage]"
        )
    first, last = cuts[0], cuts[-1]
    threshold = convention.sustained_above_us
    window_td = convention.momentary_event_window
    window = None if window_td is None else _micros(window_td)
    counted = frozenset(_CAUSE_INDEX[c] for c in causes)
    accrued: dict[int, int] = {}
    flat: dict[int, list[int]] = {}
    records: Records = {}
    cause_index = _CAUSE_INDEX
    single = len(cuts) == 2
    for i, o in enumerate(outages):
        if not isinstance(o, Outage):
            raise InputError(
                "is not an Outage", name=f"outages[{i}]", value=o, allowed="Outage instances"
            )
        k = o.customers_affected
        if k > customers:
            label = f" ({o.id})" if o.id else ""
            raise InputError(
                f"affects more customers than are served{label}",
                name=f"outages[{i}].customers_affected",
                value=k,
                allowed=f"at most customers={customers}",
            )
        s = o.start_us
        e = o.end_us
        d = e - s
        sustained = d > threshold
        if s >= last:
            j = -2
        elif s < first:
            j = -1
        else:
            j = 0 if single else bisect_right(cuts, s) - 1
        ci = cause_index[o.cause]
        if window is not None and first - window <= s < last + window:
            records.setdefault(o.line, []).append((s, k, ci, sustained, j))
        if j == -2:
            continue
        if j == -1:
            if split and sustained and e > first:
                acc = flat.get(-1)
                if acc is None:
                    acc = flat[-1] = [0] * _STRIDE
                acc[ci * FIELDS + CUSTOMER_US] += k * ((e if e < last else last) - first)
            continue
        if sustained and ci in counted:
            accrued[j] = accrued.get(j, 0) + k * d
        if not split:
            continue
        acc = flat.get(j)
        if acc is None:
            acc = flat[j] = [0] * _STRIDE
        base = ci * FIELDS
        if sustained:
            acc[base + EVENTS] += 1
            acc[base + CUSTOMER_INTERRUPTIONS] += k
            acc[base + EVENT_US] += d
            acc[base + CUSTOMER_US] += k * ((e if e < last else last) - s)
        else:
            acc[base + SHORT_EVENTS] += 1
            acc[base + SHORT_CUSTOMERS] += k
    buckets = {
        j: [acc[c * FIELDS : (c + 1) * FIELDS] for c in range(len(CAUSES))]
        for j, acc in flat.items()
    }
    return accrued, buckets, records


def add_into(total: Bucket, part: Bucket) -> None:
    """Add the sums of ``part`` to ``total``."""
    for tot, acc in zip(total, part, strict=True):
        for i, v in enumerate(acc):
            tot[i] += v


def lines_where(records: Records, keep: Callable[[int], bool] | None = None) -> Lines:
    """The records of the days ``keep`` accepts (all with None), as :func:`tally` keeps them."""
    out: Lines = {}
    for line, recs in records.items():
        chosen = [(s, k, c, sus) for s, k, c, sus, j in recs if keep is None or keep(j)]
        if chosen:
            out[line] = chosen
    return out


def period_bucket(
    buckets: Iterable[Bucket],
    lines: Lines,
    convention: CountingConvention,
    first: int,
    last: int,
) -> Bucket:
    """The sums of one period from day buckets, momentary events grouped over the period."""
    total = new_bucket()
    for b in buckets:
        add_into(total, b)
    window_td = convention.momentary_event_window
    if window_td is not None and lines:
        _momentary_events(lines, _micros(window_td), [first, last], [total])
    return total
