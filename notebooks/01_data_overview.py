# %% [markdown]
# # Data overview
# Calibration of the registers, the sample flow, and the target group by municipality (aggregates only).

# %% tags=["parameters"]
results_dir = "results"
treated = 860
reform_year = 2015

# %%
import matplotlib.pyplot as plt
import pandas as pd

from evaluation.report.interpret import data_overview
from evaluation.report.notebooks import results_folder

# the results folder, whether the notebook runs from the project root or is opened from results/notebooks/
R = results_folder(results_dir)
cal = pd.read_csv(R / "tables" / "calibration.csv")
flow = pd.read_csv(R / "tables" / "sample_flow.csv")
mp = pd.read_csv(R / "panels" / "municipality_year.csv")
cal

# %% [markdown]
# The sample flow: each step of the panel, the persons and person-years left and those it removed (counts rounded
# for disclosure).

# %%
flow

# %%
fig, ax = plt.subplots(1, 2, figsize=(10, 3.5))
ax[0].plot(cal.year, cal.national_unemployment, "o-", label="national")
ax[0].plot(cal.year, cal.treated_unemployment, "s--", label=str(treated))
ax[0].set_title("gross unemployment"), ax[0].set_ylabel("% of the labour force"), ax[0].legend()
ax[1].plot(cal.year, cal.treated_baseline_hours, "o-", label=str(treated))
ax[1].plot(cal.year, cal.all_baseline_hours, "s--", label="all municipalities")
ax[1].set_title("the yearly stock's hours"), ax[1].set_ylabel("paid hours per person per year"), ax[1].legend()
for a in ax:
    a.axvline(reform_year - 0.5, ls=":", color="grey")
    a.set_xlabel("year")
plt.show()

# %% [markdown]
# What the calibration table and the sample flow say (`evaluation.report.interpret.data_overview`):

# %%
print("\n\n".join(data_overview(cal, flow, treated, reform_year)))

# %% [markdown]
# Persons in the yearly stock, all municipalities together (cells under the disclosure threshold left out):

# %%
stock = mp[(mp.design == "stock") & ~mp.suppressed.astype(bool)]
stock.groupby("year")[["n_persons"]].sum().T
