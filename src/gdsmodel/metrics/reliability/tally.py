"""One pass over the outages: additive sums per cause class and per time bucket."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from datetime import datetime

from gdsmodel.errors import InputError
from gdsmodel.metrics.reliability._common import _hours, _micros
from gdsmodel.metrics.reliability.causes import OutageCause
from gdsmodel.metrics.reliability.outages import Outage
from gdsmodel.periods import utc_instant

# --------------------------------------------------------------------------- tallying

_Bucket = dict[OutageCause, list[int]]
# per cause: [events, customer_interruptions, customer-microseconds, short_events, short_ci]


def _tally(
    outages: Iterable[Outage], cuts: list[datetime], customers: int, min_us: int
) -> list[_Bucket]:
    """Sums per bucket ``[cuts[j], cuts[j+1])``: counts by start bucket, time clipped."""
    if isinstance(outages, Outage):
        raise InputError(
            "must be a collection of outages", name="outages", value=outages, allowed="[Outage]"
        )
    n = len(cuts) - 1
    buckets: list[_Bucket] = [{c: [0, 0, 0, 0, 0] for c in OutageCause} for _ in range(n)]
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
        s, e = utc_instant(o.start), utc_instant(o.end)
        if e <= cuts[0] or s >= cuts[-1]:
            continue
        j0 = bisect_right(cuts, s) - 1  # bucket where it starts; -1 if before the first
        if _micros(e - s) < min_us:
            if 0 <= j0 < n:
                acc = buckets[j0][o.cause]
                acc[3] += 1
                acc[4] += k
            continue
        if 0 <= j0 < n:
            acc = buckets[j0][o.cause]
            acc[0] += 1
            acc[1] += k
        j = max(j0, 0)
        while j < n and cuts[j] < e:
            lo = max(s, cuts[j])
            hi = min(e, cuts[j + 1])
            if hi > lo:
                buckets[j][o.cause][2] += k * _micros(hi - lo)
            j += 1
    for j, bucket in enumerate(buckets):
        used = sum(acc[2] for acc in bucket.values())
        available = customers * _micros(cuts[j + 1] - cuts[j])
        if used > available:
            raise InputError(
                "the outages interrupt more customer-hours than the customers have in the "
                "period; overlapping records count the same customers twice",
                name="outages",
                value=f"{_hours(used)} customer-hours in [{cuts[j]}, {cuts[j + 1]})",
                allowed=f"at most customers × hours = {_hours(available)}",
            )
    return buckets
