# %% [markdown]
# # Synthetic control
# The treated municipality against its synthetic control on the yearly stock, the donors, and the placebos.

# %% tags=["parameters"]
results_dir = "results"

# %%
import json

import matplotlib.pyplot as plt
import pandas as pd

from evaluation.report.notebooks import results_folder

# the results folder, whether the notebook runs from the project root or is opened from results/notebooks/
R = results_folder(results_dir) / "details"
path = pd.read_csv(R / "sc_path.csv")
weights = pd.read_csv(R / "sc_weights.csv")
gaps = pd.read_csv(R / "sc_placebo_gaps.csv", index_col=0)
summary = json.loads((R / "sc_summary.json").read_text())
summary

# %%
fig, ax = plt.subplots(1, 2, figsize=(10, 3.5))
ax[0].plot(path.year, path.treated, "o-", label="treated")
ax[0].plot(path.year, path.synthetic, "s--", label="synthetic"), ax[0].legend()
for c in gaps.columns:
    ax[1].plot(gaps.index, gaps[c], color="#ccc", lw=0.8)
ax[1].plot(path.year, path.gap, color="C0", lw=2)

# %%
weights[weights.weight > 0.001].sort_values("weight", ascending=False)

# %%
loo = pd.read_csv(R / "sc_leave_one_out.csv") if (R / "sc_leave_one_out.csv").exists() else None
loo

# %% [markdown]
# What these numbers say (`evaluation.report.interpret.synthetic_control`): the estimate and its placebo rank, the
# donors, whether the pre-reform fit is exact, the in-time placebo and how far one donor moves the estimate.

# %%
from evaluation.report.interpret import synthetic_control as read_synthetic_control

for sentence in read_synthetic_control(summary, weights, loo):
    print(sentence)
