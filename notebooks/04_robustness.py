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
