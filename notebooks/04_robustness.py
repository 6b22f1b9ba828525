# %% [markdown]
# # Robustness
# The specification curve and how the headline range depends on each cycle-adjusted specification.

# %% tags=["parameters"]
results_dir = "results"

# %%
import json

import matplotlib.pyplot as plt
import numpy as np
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
# what each specification is in words (the table's what_it_is column; results of older runs lack it)
labels = dict(zip(spec.specification, spec.what_it_is)) if "what_it_is" in spec else None
fig = specification_curve(spec, "hours", labels=labels)
plt.show()

# %% [markdown]
# How each design's range of cycle-adjusted estimates moves when one of them is dropped: a range that collapses
# without one specification rests on it.

# %%
pd.set_option("display.max_colwidth", 90)  # the specifications in words, not cut off
adj = h[h.cycle_adjusted]
rows = []
for design, g in adj.groupby("design"):  # cohort and stock are two estimands: never one range
    for i in g.index:
        rest = g.drop(i).estimate
        rows.append({"design": design, "dropped": g.specification[i], "what_it_is": g.get("what_it_is", g.specification)[i],
                     "range_without": f"{rest.min():.0f} to {rest.max():.0f}" if len(rest) else "none left"})
pd.DataFrame(rows)

# %% [markdown]
# In words (`evaluation.report.interpret.robustness`): each design's preferred estimate, its robustness range,
# and the specification the range rests on most.

# %%
from evaluation.report.interpret import robustness

for sentence in robustness(spec, headline):
    print(sentence)

# %% [markdown]
# ## Who left the stock
# The yearly stock's mean rises when persons with no hours leave it, e.g. for førtidspension, without anyone working
# more. A specification that keeps those leavers with their own hours (`keep_leavers_to` in config) bounds that
# part (`evaluation.report.interpret.composition_bounds`):

# %%
from evaluation.report.interpret import composition_bounds

for sentence in composition_bounds(spec):
    print(sentence)

# %% [markdown]
# ## The investment case
# Benefit payments saved by the estimated change in weeks on each benefit, against the investment (written by the
# `investment` rule; absent when config has no `investment` section). The break-even year moves with the
# specification behind the weeks effects (`investment.specification` in config) and with the benefit rates.

# %%
inv_dir = R / "investment"
if (inv_dir / "investment.json").exists():
    inv = json.loads((inv_dir / "investment.json").read_text())
    print(f"invested {inv['investment_total_mio']:.1f} mio. kr.; change in payments through "
          f"{inv['savings_through_year']} {-inv['savings_total_mio']:+.0f} mio. kr. (the yearly effects summed; "
          f"+ = more paid); break-even: {inv['break_even_year']}")
    tot = inv["savings_total"]  # the total estimated as one, with its own placebo interval

    def _ci(lo, hi):
        return f"95% interval {lo:+.0f} to {hi:+.0f}" if np.isfinite(lo) and np.isfinite(hi) else "no 95% interval"

    # as the report says it: + = more paid (the payments are minus the savings, so the interval's ends swap)
    print(f"the total as one estimate: change in payments {-tot['savings_mio']:+.0f} mio. kr. "
          f"({_ci(-tot['savings_high_mio'], -tot['savings_low_mio'])}; + = more paid); net for the public purse "
          f"{tot['net_mio']:+.0f} mio. kr. ({_ci(tot['net_low_mio'], tot['net_high_mio'])})")
    display(pd.read_csv(inv_dir / "investment_by_year.csv").round(1))  # noqa: F821 (IPython)
    display(pd.read_csv(inv_dir / "investment_categories.csv").round(2))  # noqa: F821
else:
    print("no investment case in this results folder")
