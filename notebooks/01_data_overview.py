# %% [markdown]
# # Data overview
# Calibration of the registers, the sample flow, and the target group by municipality (aggregates only).

# %% tags=["parameters"]
results_dir = "results"
treated = 860

# %%

import matplotlib.pyplot as plt
import pandas as pd

from evaluation.report.notebooks import results_folder

# the results folder, whether the notebook runs from the project root or is opened from results/notebooks/
R = results_folder(results_dir)
cal = pd.read_csv(R / "tables" / "calibration.csv")
flow = pd.read_csv(R / "tables" / "sample_flow.csv")
mp = pd.read_csv(R / "panels" / "municipality_year.csv")
cal

# %%
flow

# %%
fig, ax = plt.subplots(1, 2, figsize=(10, 3.5))
ax[0].plot(cal.year, cal.national_unemployment, "o-", label="national")
ax[0].plot(cal.year, cal.treated_unemployment, "s--", label=str(treated))
ax[0].set_title("gross unemployment, %"), ax[0].legend()
ax[1].plot(cal.year, cal.treated_baseline_hours, "o-", label=str(treated))
ax[1].plot(cal.year, cal.all_baseline_hours, "s--", label="all")
ax[1].set_title("yearly hours of the stock"), ax[1].legend()

# %%
stock = mp[(mp.design == "stock") & ~mp.suppressed.astype(bool)]
stock.groupby("year")[["n_persons"]].sum().T
