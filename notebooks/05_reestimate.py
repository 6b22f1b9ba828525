# %% [markdown]
# # Re-estimate from the published panel
# Change the treated municipality, the comparison group, the pre-reform years or the estimator in the
# `parameters` cell below and run the notebook again: it re-estimates from the published municipality-year
# panel (`results/panels/municipality_year.csv`: yearly means of the target group per municipality, cells of
# fewer than the minimum persons suppressed), so it needs no microdata and runs outside the research server.
#
# With the defaults it re-estimates the pipeline's preferred specification of the yearly stock (interactive
# fixed effects, all comparison municipalities) on what is published. Two things differ from the pipeline, which
# runs beside the microdata: a municipality with a suppressed cell in any year (fewer than the minimum persons,
# or two persons holding most of the hours: the disclosure rules) is left out here, and the placebo test
# normalises by the municipalities' sizes only (the pipeline also uses each mean's sampling variance, which needs
# the persons behind it). The last cell sets this estimate beside the pipeline's.

# %% tags=["parameters"]
results_dir = "results"
treated = 860  # municipality code of the reforming municipality
reform_year = 2015  # first year counted as after the reform
design = "stock"  # "stock" (the yearly stock of the target group) or "cohort" (the baseline year's cohort)
comparison = "all"  # "all", "region", "nearest", or a list of municipality codes
nearest_k = 20  # how many municipalities when comparison is nearest
first_year = 2010  # the first pre-reform year used
estimator = "interactive_fe"  # interactive_fe, synthetic_did, synthetic_control, matrix_completion, did
min_persons = 5  # a comparison municipality needs at least this many persons in every year
outcome = "hours"

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from evaluation import did, interactive_fe, matrix_completion, synthetic_control, synthetic_did
from evaluation.comparison import select_comparison
from evaluation.config import read_municipalities
from evaluation.report.notebooks import project_file, results_folder

R = results_folder(results_dir)
mp = pd.read_csv(R / "panels" / "municipality_year.csv")
municipalities = read_municipalities(project_file(R, "config/municipalities.csv"))
names = municipalities.set_index("municipality_code")["municipality_name"]
d = mp[(mp.design == design) & (mp.year >= first_year)].copy()
years = sorted(d.year.unique())
# a municipality enters only with a published mean in every year (a suppressed cell removes it)
complete = d.dropna(subset=[outcome]).groupby("kom").year.nunique() == len(years)
large = d.groupby("kom").n_persons.min() >= min_persons
keep = complete & large.reindex(complete.index, fill_value=False)
if treated not in keep.index or not keep.get(treated, False):
    raise ValueError(f"municipality {treated} has no published {design} mean of {outcome} in every year "
                     f"{years[0]}-{years[-1]} with at least {min_persons} persons: choose another")
d = d[d.kom.isin(keep[keep].index)]
pre_years = [y for y in years if y < reform_year]
comp = select_comparison(d, municipalities, treated, comparison, outcome, pre_years, k=nearest_k)
m = d[d.kom.isin([treated] + comp)].sort_values(["kom", "year"]).reset_index(drop=True)
m["w_post"] = m.n_persons * (m.year >= reform_year)
print(f"{names.get(treated, treated)} ({treated}) against {len(comp)} comparison municipalities "
      f"({comparison}); {int((~keep).sum())} municipalities left out for a suppressed or small cell; "
      f"years {years[0]}-{years[-1]}, reform from {reform_year}.")
if len(comp) < 3:
    print(f"Too few comparison municipalities with a published mean in every year ({len(comp)}; at least 3 are "
          "needed): nothing is estimated. The published panel of a small run suppresses most municipalities; "
          "try another comparison group, fewer years, or the pipeline's own estimates.")

# %%
res = None
if len(comp) < 3:
    pass
elif estimator == "interactive_fe":
    res = interactive_fe(m, "kom", "year", outcome, treated, reform_year, size="n_persons", post_weights="w_post")
elif estimator == "matrix_completion":
    res = matrix_completion(m, "kom", "year", outcome, treated, reform_year, size="n_persons", post_weights="w_post")
elif estimator == "synthetic_did":
    res = synthetic_did(m, "kom", "year", outcome, treated, reform_year, size="n_persons", post_weights="n_persons")
elif estimator == "synthetic_control":
    res = synthetic_control(m, "kom", "year", outcome, treated, reform_year, size="n_persons",
                            post_weights="n_persons", leave_one_out=False)
elif estimator == "did":
    m["treated"], m["post"] = m.kom == treated, m.year >= reform_year
    res = did(m, outcome, "year", "kom", "treated", "post", gname="kom", weights="n_persons")
else:
    raise ValueError(f"estimator {estimator!r}: expected interactive_fe, synthetic_did, synthetic_control, "
                     "matrix_completion or did")
tidy = res.tidy() if res is not None else None
if tidy is not None:
    display(tidy[["term", "estimate", "conf_low", "conf_high", "p_value", "n_control_units",  # noqa: F821
                  "inference"]].round(3))

# %% [markdown]
# The estimate is the reform's average effect on yearly hours per person over the years after the reform
# (weighted by the treated municipality's persons in each year). The interval inverts the placebo test: each
# comparison municipality in turn is treated as if it had reformed. With fewer than 19 comparison
# municipalities no 95 % interval exists, and it is shown as missing.

# %%
if res is not None and "path" in res.extras:
    ax = res.plot()
    ax = np.atleast_1d(ax)[0]
    ax.set_xlabel("year"), ax.set_ylabel(f"mean {outcome} per person")
    plt.show()
else:
    print("no path to draw (no estimate, or an estimator without one)")

# %% [markdown]
# The treated municipality's yearly mean against the estimated path without the reform (where the estimator
# has one): the gap after the reform line is the effect by year. Before the reform the two should lie close;
# a gap there means the model does not reproduce the municipality's own history.

# %%
spec = pd.read_csv(R / "tables" / "specifications.csv")
same = spec[(spec.estimator == estimator) & (spec.design == design) & (spec.outcome == outcome)
            & (spec.comparison == (comparison if isinstance(comparison, str) else "")) & (spec.covariates == "none")
            & (spec.note.isna() | (spec.note.astype(str) == ""))]
if len(same) and tidy is not None:
    here = tidy.iloc[0]
    display(pd.DataFrame({"source": ["this notebook", "pipeline: " + same.specification.iloc[0]],  # noqa: F821
                          "estimate": [here.estimate, same.estimate.iloc[0]],
                          "conf_low": [here.conf_low, same.conf_low.iloc[0]],
                          "conf_high": [here.conf_high, same.conf_high.iloc[0]],
                          "comparison_municipalities": [int(here.n_control_units),
                                                        int(same.n_control_units.iloc[0])]}).round(2))
else:
    print("no estimate here, or the pipeline ran no specification with these settings: nothing to compare")

# %% [markdown]
# Beside the pipeline's specification with the same settings: the two differ by the municipalities left out
# here for a suppressed cell (compare the numbers of comparison municipalities) and by the sampling variances
# (see the top). A large difference with the same municipalities would be a reason to look closer.
