# %% [markdown]
# # Difference-in-differences, the event study, and the business cycle
# All DiD specifications, with placebo-in-space inference (one treated municipality), the event study with its
# joint and linear pre-trend tests, and the factor models that learn each municipality's response to the cycle.

# %% tags=["parameters"]
results_dir = "results"

# %%

import matplotlib.pyplot as plt
import pandas as pd

from evaluation.report.notebooks import results_folder

# the results folder, whether the notebook runs from the project root or is opened from results/notebooks/
R = results_folder(results_dir)
spec = pd.read_csv(R / "tables" / "specifications.csv")
did = spec[spec.estimator.isin(["did", "matched_did", "naive"])]
did[did.outcome == "hours"][["specification", "design", "comparison", "covariates", "estimate", "conf_low",
                             "conf_high", "p_value", "truth"]]

# %% [markdown]
# ## The event study of each design
# The cohort is the same persons every year; the yearly stock's members change (repeated cross sections: each
# coefficient compares municipality-year means, so it includes who enters and leaves the stock). Both with the
# local unemployment rate as covariate, relative to the year before the reform.

# %%
from evaluation.report.interpret import cycle_adjustment, event_study as read_event_study

studies = {"cohort": "event_study", "stock": "event_study_stock"}
fig, axes = plt.subplots(1, 2, figsize=(11, 3.6), sharey=True)
for ax, (design, stem) in zip(axes, studies.items()):
    es = pd.read_csv(R / "details" / f"{stem}.csv")
    e = es.term.str.replace("e=", "").astype(int)
    ok = es.conf_low.notna() & es.conf_high.notna()  # an unavailable interval is drawn as a hollow point
    ax.errorbar(e[ok], es.estimate[ok], yerr=[es.estimate[ok] - es.conf_low[ok], es.conf_high[ok] - es.estimate[ok]],
                fmt="o", capsize=3, label="estimate, 95% interval")
    ax.plot(e[~ok], es.estimate[~ok], "o", mfc="none", color="C0")
    if "conf_low_uniform" in es:  # the simultaneous 95 % band (covers every year at once), where it exists
        ax.fill_between(e, es.conf_low_uniform, es.conf_high_uniform, alpha=0.15, lw=0, label="simultaneous 95% band")
    ax.axhline(0, color="grey"), ax.axvline(-0.5, ls="--", color="grey")
    ax.set_xlabel("years since the reform (reference: the year before)")
    ax.set_title(f"{design}: joint pre-trend p = {es.pretrend_p_value.iloc[0]:.3f}, "
                 f"linear p = {es.pretrend_linear_p_value.iloc[0]:.3f}", fontsize=9)
axes[0].set_ylabel("effect on hours per person per year")
axes[0].legend(fontsize=8)
plt.show()

# %% [markdown]
# What each event study says, read from its table (`evaluation.report.interpret.event_study`):

# %%
for design, stem in studies.items():
    print(f"{design}:", " ".join(read_event_study(pd.read_csv(R / "details" / f"{stem}.csv"))), "\n")

# %% [markdown]
# ### How robust is each event study to violations of parallel trends?
# Rambachan & Roth (2023), relative magnitudes: the 95 % interval of the average post-reform effect when each
# year's deviation from parallel trends may grow by up to Mbar times the largest change between adjacent
# pre-reform coefficients (plug-in: that change is taken at its estimate). The breakdown value is the largest
# Mbar at which the interval still excludes zero.

# %%
sens = []
for design, stem in studies.items():
    es = pd.read_csv(R / "details" / f"{stem}.csv")
    print(f"{design}: breakdown Mbar {es.rm_breakdown.iloc[0]:.2f}; largest pre-period step "
          f"{es.rm_max_pre_change.iloc[0]:.1f} hours")
    sens.append(pd.read_csv(R / "details" / f"{stem}_sensitivity.csv").assign(design=design))
pd.concat(sens)[["design", "mbar", "theta", "conf_low", "conf_high"]].round(1)

# %% [markdown]
# ### Matched DiD: balance before and after matching
# Standardised mean differences (over the pooled standard deviation before matching) of every matching covariate.

# %%
mb = pd.read_csv(R / "details" / "matched_balance.csv")
mb.pivot_table(index="covariate", columns="specification", values=["smd_before", "smd_after"]).round(3)

# %% [markdown]
# ## Net of the business cycle
# The factor models (interactive fixed effects, cycle slopes, matrix completion) against the covariate-only
# specifications, and the yearly effects of each design's factor model beside the DiD with the local unemployment
# rate only (`results/details/cycle_paths.csv`). A missing interval is unavailable (too few comparisons).

# %%
cyc = spec[(spec.outcome == "hours") & spec.estimator.isin(["interactive_fe", "cycle_slopes", "matrix_completion",
                                                              "did"])]
cyc[["specification", "design", "estimator", "covariates", "estimate", "conf_low", "conf_high", "p_value", "truth",
     "flagged"]]

# %% [markdown]
# What the cycle adjustment changes, read from the table (`evaluation.report.interpret.cycle_adjustment`):

# %%
print("\n\n".join(cycle_adjustment(spec)))

# %%
pd.read_csv(R / "details" / "cycle_paths.csv")

# %% [markdown]
# How much harder would the municipality have to have ridden the cycle for the stock's estimate to be the boom?
# The estimate if its untreated stock had changed `ratio` times as much as the comparison municipalities' from
# before the reform to after it (all of their change counted as the cycle: a conservative bound), the ratios at
# which the estimate and its interval reach zero, and the benchmark: its own pre-reform cyclicality of unemployment
# relative to theirs (`results/details/excess_cycle.csv`, `evaluation.estimators.excess_cycle`).

# %%
pd.read_csv(R / "details" / "excess_cycle.csv")

# %%
spec.pivot_table(index="specification", columns="outcome", values="estimate").round(3)
