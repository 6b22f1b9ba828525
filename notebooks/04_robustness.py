# %% [markdown]
# # Robustness
# The specification curve and how the headline range depends on each cycle-adjusted specification.

# %% tags=["parameters"]
results_dir = "results"

# %%
import json
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

R = Path(results_dir)
spec = pd.read_csv(R / "tables" / "specifications.csv")
headline = json.loads((R / "headline.json").read_text())
print(headline["sentence"])

# %%
h = spec[spec.outcome == "hours"].sort_values("estimate").reset_index(drop=True)
fig, ax = plt.subplots(figsize=(8, 3.5))
ax.errorbar(h.index, h.estimate, yerr=[(h.estimate - h.conf_low).clip(upper=500).fillna(0),
                                       (h.conf_high - h.estimate).clip(upper=500).fillna(0)], fmt="o")
ax.set_xticks(h.index, h.specification, rotation=60, ha="right")

# %%
adj = h[h.cycle_adjusted]
pd.DataFrame({"dropped": adj.specification,
              "range_without": [f"{adj.drop(i).estimate.min():.0f}-{adj.drop(i).estimate.max():.0f}" for i in adj.index]})

# %% [markdown]
# ## The investment case
# Benefit payments saved by the estimated change in weeks on each benefit, against the investment (written by the
# `investment` rule; absent when config has no `investment` section). The break-even year moves with the
# specification behind the weeks effects (`investment.specification` in config) and with the benefit rates.

# %%
inv_dir = R / "investment"
if (inv_dir / "investment.json").exists():
    inv = json.loads((inv_dir / "investment.json").read_text())
    print(f"invested {inv['investment_total_mio']:.1f} mio. kr.; saved {inv['savings_total_mio']:.1f} mio. kr. "
          f"through {inv['savings_through_year']}; break-even: {inv['break_even_year']}")
    display(pd.read_csv(inv_dir / "investment_by_year.csv").round(1))  # noqa: F821 (IPython)
    display(pd.read_csv(inv_dir / "investment_categories.csv").round(2))  # noqa: F821
else:
    print("no investment case in this results folder")
