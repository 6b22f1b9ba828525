"""Matrix completion with a nuclear-norm penalty (Athey et al. 2021) against the reference
implementation causaltensor, and on a panel whose truth is known.

causaltensor pins numpy < 2 and pandas < 3, so it cannot be installed beside this project; its
numbers are frozen here.  They were made with causaltensor 0.1.12, ``MCNNMPanelSolver(Z).
solve_with_regularizer(O, l, eps=1e-16)`` with its fixed-effects demeaning tolerance tightened to
1e-24 (at its default of 1e-7 the fixed effects stop short and the estimate is off by 0.01 hours),
on the panel ``factor_panel(11, n_controls=30, tau=10)`` below, treated unit 0 from 2015."""

import numpy as np
import pytest

from evaluation.estimators.matrix_completion import matrix_completion, mcnnm_fit
from tests.estimators.factor_dgp import factor_panel

CAUSALTENSOR = {  # lambda -> tau (rank of the low-rank part)
    391.18792573886054: 35.981406975866165,  # rank 0: the two-way fixed-effects fit with missing cells
    97.79698143471514: 35.79329854189999,  # rank 1
    24.449245358678784: 32.37619820459846,  # rank 2
    5.0: 29.291003744386227,  # rank 9
}


def _panel():
    d = factor_panel(11, n_controls=30, tau=10.0)
    W = d.pivot(index="kom", columns="year", values="y").to_numpy()
    assert W.sum() == pytest.approx(879.1821341401508, rel=1e-12)  # the panel the numbers were made on
    return d, W


@pytest.mark.parametrize("lam", sorted(CAUSALTENSOR))
def test_agrees_with_causaltensor(lam):
    _, W = _panel()
    mask = np.ones_like(W, dtype=bool)
    mask[0, 5:] = False
    base, _ = mcnnm_fit(W, mask, lam)
    assert float((W - base)[0, 5:].mean()) == pytest.approx(CAUSALTENSOR[lam], rel=1e-6)


def test_rank_zero_is_two_way_fixed_effects_with_missing_cells():
    _, W = _panel()
    N, T = W.shape
    X, y = [], []
    for i in range(N):
        for t in range(T):
            if i == 0 and t >= 5:
                continue
            x = np.zeros(N + T)
            x[i], x[N + t] = 1, 1
            X.append(x)
            y.append(W[i, t])
    c = np.linalg.lstsq(np.array(X), np.array(y), rcond=None)[0]
    twfe = np.mean([W[0, t] - c[0] - c[N + t] for t in range(5, T)])
    mask = np.ones_like(W, dtype=bool)
    mask[0, 5:] = False
    base, L = mcnnm_fit(W, mask, 1e6)
    assert np.abs(L).max() == 0 and float((W - base)[0, 5:].mean()) == pytest.approx(twfe, rel=1e-10)


def test_noise_free_low_rank_panel_with_a_typical_treated_unit():
    """No noise, the treated unit's loadings drawn like the others': the completed cells come back
    close to the truth: cross-validation drives lambda down to the bottom of its grid, where the
    penalty hardly shrinks."""
    d = factor_panel(4, n_controls=60, tau=12.5, person_sd=0.0, exchangeable=True)
    res = matrix_completion(d, "kom", "year", "y", 0, 2015, size="n_persons")
    assert res.tidy().estimate.iloc[0] == pytest.approx(12.5, abs=0.1)
    assert res.extras["rank"] >= 1 and len(res.extras["effects_by_period"]) == 5
    assert len(res.extras["placebo_estimates"]) == 60


def test_errors():
    d, _ = _panel()
    with pytest.raises(ValueError, match=r"matrix_completion: 2 comparison unit\(s\); at least 3"):
        matrix_completion(d[d.kom <= 2], "kom", "year", "y", 0, 2015)


def test_placebo_fits_do_not_see_their_own_masked_cells():
    """Each placebo's post-reform cells are masked from its fit, so its prediction error keeps the size of the
    noise at any penalty.  A warm start from a fit that saw those cells (the previous placebo's) let them leak
    into their own prediction when the penalty is small and the iterations move slowly: the placebo effects
    shrank towards zero (to 0.4 of their size at a penalty of 1e-4 here; on the pipeline's stock, to an interval
    of a few hundredths of an hour)."""
    d = factor_panel(11, n_controls=30, tau=10.0)
    sd = {lam: np.std(matrix_completion(d, "kom", "year", "y", 0, 2015, size="n_persons", lam=lam)
                      .extras["placebo_estimates"]) for lam in (1.0, 1e-4)}
    assert sd[1e-4] > 0.7 * sd[1.0], sd
