# %% [markdown]
# # An analyst's month at the example station
#
# A notebook-style script (cells marked `# %%`, runnable as a plain script or cell by cell in
# an editor). It reads the example station's files with pandas, works out line loss the right
# way (sum the energies, divide at the end), checks the figures against gdsmodel's report,
# finds the areas to visit, and saves a chart.
#
#     python examples/analyst_workflow.py [OUTPUT_DIR]
#
# Needs pandas and matplotlib (`pip install pandas matplotlib`). The chart and a CSV go to
# OUTPUT_DIR (a new temporary folder when not given).

# %%
from __future__ import annotations

import sys
import tempfile
from fractions import Fraction
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # write files, open no window
import matplotlib.pyplot as plt
import pandas as pd

from gdsmodel.metrics.registry import metric
from gdsmodel.report import build_report

STATION = Path(__file__).resolve().parent / "station"
OUT = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="gdsmodel-"))
OUT.mkdir(parents=True, exist_ok=True)

# %% [markdown]
# ## 1. Low-voltage line loss per month: a ratio of sums
#
# Averaging the areas' rates gives every area the same weight, however much energy it takes.
# The station's rate is the sum of the losses over the sum of the energy supplied.

# %%
areas = pd.read_csv(STATION / "areas.csv")
monthly = areas.groupby("month")[["supplied_kwh", "sold_kwh"]].sum()
monthly["loss_rate"] = (monthly.supplied_kwh - monthly.sold_kwh) / monthly.supplied_kwh
areas["loss_rate"] = (areas.supplied_kwh - areas.sold_kwh) / areas.supplied_kwh
monthly["mean_of_rates"] = areas.groupby("month")["loss_rate"].mean()
print((monthly[["loss_rate", "mean_of_rates"]] * 100).round(2).tail(3))

# %% [markdown]
# ## 2. The same figure from gdsmodel: exact, and equal to the report's

# %%
march = areas[areas.month == "2026-03"]
exact = metric("line_loss_rate_lv").total(march.to_dict("records"))
report = build_report(STATION, "2026-03")
assert report.kpi("line_loss_rate_lv").month.ratio == exact
assert abs(float(exact) - monthly.loc["2026-03", "loss_rate"]) < 1e-12
print(
    "LV line loss, March 2026:", exact.format(), "| target", report.kpi("line_loss_rate_lv").target
)

# %% [markdown]
# ## 3. Areas to visit: the highest losses of the year, and negative losses
#
# A negative loss (more sold than supplied) usually means the readings were not taken on the
# same day (抄表不同期) or a meter is wrong: compute it, then check it.

# %%
year = areas.groupby("area")[["supplied_kwh", "sold_kwh"]].sum()
year["loss_rate"] = (year.supplied_kwh - year.sold_kwh) / year.supplied_kwh
worst = year.sort_values("loss_rate", ascending=False).head(5)
negative = areas[areas.sold_kwh > areas.supplied_kwh][["month", "area", "supplied_kwh", "sold_kwh"]]
print(worst.assign(loss_rate=(worst.loss_rate * 100).round(2)))
print(negative)
worst.to_csv(OUT / "areas_to_visit.csv")

# %% [markdown]
# ## 4. Collection: this year's rate from January, as the report counts it

# %%
billing = pd.read_csv(STATION / "billing.csv", dtype={"billed_yuan": str, "collected_yuan": str})
this_year = billing[billing.month >= "2026-01"]
collected = sum(Fraction(x) for x in this_year.collected_yuan)
billed = sum(Fraction(x) for x in this_year.billed_yuan)
assert report.kpi("collection_rate_current_year").month.value == collected / billed
print("collection rate 2026 to date:", f"{float(collected / billed):.2%}")

# %% [markdown]
# ## 5. A chart for the monthly meeting

# %%
lines = pd.read_csv(STATION / "lines.csv")
hv = lines.groupby("month")[["supplied_kwh", "sold_kwh"]].sum()
hv["loss_rate"] = (hv.supplied_kwh - hv.sold_kwh) / hv.supplied_kwh
fig, ax = plt.subplots(figsize=(8, 4))
ax.plot(hv.index, hv.loss_rate * 100, marker="o", label="10 kV combined")
ax.plot(monthly.index, monthly.loss_rate * 100, marker="s", label="low voltage")
for key, style in (("line_loss_rate_10kv", "C0"), ("line_loss_rate_lv", "C1")):
    target = report.kpi(key).target
    if target is not None:
        ax.axhline(float(target.threshold) * 100, color=style, linestyle="--", linewidth=1)
ax.set_ylabel("line loss rate (%)")
ax.set_title("Line loss by month, with targets (dashed)")
ax.tick_params(axis="x", rotation=45)
ax.legend()
fig.tight_layout()
fig.savefig(OUT / "line_loss.png", dpi=100)
plt.close(fig)
print("wrote", OUT / "line_loss.png", "and", OUT / "areas_to_visit.csv")
