"""Supply reliability (供电可靠性) from typed outage events.

An :class:`Outage` is one interruption of supply: when it started and ended, how many
customers it cut off, and its cause class. Over a period (any object with tz-aware
pendulum or stdlib ``.start`` / ``.end``, half-open) and a customer count, the outages
give the Chinese indices RS-1, RS-2, RS-3 (供电可靠率), AIHC (用户平均停电时间) and AITC
(用户平均停电次数), and the IEEE 1366 indices SAIFI, SAIDI, CAIDI, ASAI, MAIFI and MAIFIe.

Everything is computed through an additive :class:`ReliabilityState`: sums of
customer-hours interrupted, customers interrupted and customer-hours in the period, per
cause class. States of feeders, areas or periods merge by summing; the indices are
divided only at the end, so merging never averages rates.

The package holds one idea per module: :mod:`.causes` (cause classes and their sets),
:mod:`.outages` (the outage record), :mod:`.values` (an index value), :mod:`.state` (the
additive state and its indices), :mod:`.tally` (one pass over the outages),
:mod:`.indices` (the indices as plain functions), :mod:`.med` (major event days),
:mod:`.conventions` (DL/T 836 and IEEE 1366 counting), :mod:`.units` (CEMIn, CELID,
frequent outages), :mod:`.catalogue` (every index with its source) and :mod:`.frames` (the
same indices, daily SAIDI and major event days from a dataframe of outages, per group).

Counting rules (see ``docs/reliability.md``):

* an interruption is *sustained* when its whole duration is strictly longer than the
  threshold of the counting convention (``DL/T 836``, the default: 3 minutes;
  ``IEEE 1366``: 5 minutes; ``convention=`` everywhere); the others are tallied apart as
  short (momentary) interruptions, which only MAIFI and MAIFIe count;
* an outage partly outside the period contributes only its customer-hours inside the
  period (clipped); it is counted as one interruption in the period where it *starts*,
  so consecutive periods add up exactly to the whole;
* daily SAIDI for major event days accrues an interruption in full to the day it began.

>>> import pendulum
>>> from gdsmodel.periods import Month
>>> june = Month(2024, 6)                        # 720 h; pendulum.interval(a, b) works too
>>> t0 = pendulum.datetime(2024, 6, 10, 9, tz="Asia/Shanghai")
>>> outages = [Outage(start=t0, end=t0.add(hours=4), customers_affected=200, cause="planned"),
...            Outage(start=t0.add(days=3), end=t0.add(days=3, hours=2), customers_affected=50,
...                   cause="external")]
>>> state = ReliabilityState.from_outages(outages, period=june, customers=1000)
>>> state.rs1().value, state.rs2().value     # 1 - 900/720000, 1 - 800/720000
(Fraction(799, 800), Fraction(899, 900))
>>> state.saidi().value, state.saifi().value, state.caidi().value
(Fraction(54, 1), Fraction(1, 4), Fraction(216, 1))
"""

from __future__ import annotations

from gdsmodel.metrics.reliability.catalogue import (
    FrequentOutageRule,
    IndexInfo,
    OutageKind,
    frequent_outage_rule,
    index_catalogue,
    index_info,
    outage_kinds,
)
from gdsmodel.metrics.reliability.causes import (
    ALL_CAUSES,
    RS1_CAUSES,
    RS2_CAUSES,
    RS3_CAUSES,
    OutageCause,
)
from gdsmodel.metrics.reliability.conventions import (
    CountingConvention,
    convention,
    convention_from_station,
    default_convention,
    load_conventions,
)
from gdsmodel.metrics.reliability.frames import (
    daily_saidi_by,
    exclude_major_event_days_by,
    med_thresholds_by,
    reliability_by,
    reliability_states_by,
)
from gdsmodel.metrics.reliability.indices import (
    ScalarIndex,
    aihc,
    aitc,
    asai,
    caidi,
    maifi,
    maifie,
    reliability_indices,
    rs1,
    rs2,
    rs3,
    saidi,
    saifi,
)
from gdsmodel.metrics.reliability.med import (
    IEEE_1366_MED,
    DailySaidi,
    MedMethod,
    MedSplit,
    MedStatus,
    MedThreshold,
    MedUnavailableError,
    daily_saidi,
    exclude_major_event_days,
    med_threshold,
)
from gdsmodel.metrics.reliability.outages import Outage
from gdsmodel.metrics.reliability.state import (
    CauseTotals,
    Exposure,
    KindSummary,
    PlannedFaultSplit,
    ReliabilityIndices,
    ReliabilityState,
)
from gdsmodel.metrics.reliability.units import (
    FrequentOutageUnit,
    celid,
    cemi,
    frequent_outage_customers,
    frequent_outages,
)
from gdsmodel.metrics.reliability.values import IndexValue
from gdsmodel.periods import PeriodLike

__all__ = [
    "ALL_CAUSES",
    "IEEE_1366_MED",
    "RS1_CAUSES",
    "RS2_CAUSES",
    "RS3_CAUSES",
    "CauseTotals",
    "CountingConvention",
    "DailySaidi",
    "Exposure",
    "FrequentOutageRule",
    "FrequentOutageUnit",
    "IndexInfo",
    "IndexValue",
    "KindSummary",
    "MedMethod",
    "MedSplit",
    "MedStatus",
    "MedThreshold",
    "MedUnavailableError",
    "Outage",
    "OutageCause",
    "OutageKind",
    "PeriodLike",  # re-exported from gdsmodel.periods (compatibility)
    "PlannedFaultSplit",
    "ReliabilityIndices",
    "ReliabilityState",
    "ScalarIndex",
    "aihc",
    "aitc",
    "asai",
    "caidi",
    "celid",
    "cemi",
    "convention",
    "convention_from_station",
    "daily_saidi",
    "daily_saidi_by",
    "default_convention",
    "exclude_major_event_days",
    "exclude_major_event_days_by",
    "frequent_outage_customers",
    "frequent_outage_rule",
    "frequent_outages",
    "index_catalogue",
    "index_info",
    "load_conventions",
    "maifi",
    "maifie",
    "med_threshold",
    "med_thresholds_by",
    "outage_kinds",
    "reliability_by",
    "reliability_indices",
    "reliability_states_by",
    "rs1",
    "rs2",
    "rs3",
    "saidi",
    "saifi",
]
