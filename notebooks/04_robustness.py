# %% [markdown]
# # Robustness
# The specification curve and how the headline range depends on each cycle-adjusted specification.

# %% tags=["parameters"]
results_dir = "results"

# %%
import json

import matplotlib.pyplot as plt
import pandas as pd

from evaluation.report.notebooks import results_folder

# the results folder, whether the notebook runs from the project root or is opened from results/notebooks/
R = results_folder(results_dir)
spec = pd.read_csv(R / "tables" / "specifications.csv")
headline = json.loads((R / "headline.json").read_text())
print(headline["sentence"])

# %% [markdown]
# The specification curve as in the report (`evaluation.report.figures.specification_curve`): the axis is set by
# the estimates, so an interval or an estimate beyond it is drawn as an arrow at the edge, never silently cut;
# the panel below says what each specification is.

# %%
from evaluation.report.figures import specification_curve

h = spec[spec.outcome == "hours"].sort_values("estimate").reset_index(drop=True)
fig = specification_curve(spec, "hours")
plt.show()

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
