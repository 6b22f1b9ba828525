"""Placebo inference with clusters of different sizes (Ferman & Pinto 2019)."""

import numpy as np
import pytest

from evaluation.inference import placebo_inference, variance_model


def _world(rng, G=97, A=25.0, B=3600.0):
    n = rng.integers(10, 400, size=G).astype(float)
    return n, rng.normal(0, np.sqrt(A + B / n))


def test_size_of_normalised_test_with_one_large_treated_cluster():
    """A treated cluster 20x larger than the typical comparison cluster, no effect:
    the normalised test rejects about 5 %, the raw permutation test almost never."""
    rng = np.random.default_rng(0)
    rej_norm, rej_raw = 0, 0
    reps = 2000
    for _ in range(reps):
        n, d = _world(rng)
        n_t = 2000.0
        est = rng.normal(0, np.sqrt(25.0 + 3600.0 / n_t))
        v = 3600.0 / n * rng.chisquare(n - 1) / (n - 1)  # estimated within-cluster variances
        v_t = 3600.0 / n_t * rng.chisquare(n_t - 1) / (n_t - 1)
        rej_norm += placebo_inference(est, d, n_t, n, v_treated=v_t, v_placebo=v).p_value <= 0.05
        rej_raw += placebo_inference(est, d, correction="none").p_value <= 0.05
    # binomial standard error at 5 % with 2,000 replications: 0.5 percentage points
    assert 0.03 <= rej_norm / reps <= 0.07
    assert rej_raw / reps < 0.01


def test_least_squares_variance_function_overstates_the_cluster_part():
    """Without a cluster-level component, the non-negative fit of delta^2 on 1/n still
    finds one (a positive bias): why person-level variances are used when available."""
    rng = np.random.default_rng(1)
    A_hat = [variance_model(*(lambda n, d: (d, n))(*_world(rng, A=0.0)))[0] for _ in range(300)]
    assert np.mean(A_hat) > 0


def test_degenerate_clusters():
    inf = placebo_inference(1.0, np.array([0.0, 0.5, -0.5, 0.0]), 100, np.array([5, 5, 5, 5]),
                            v_treated=0.01, v_placebo=np.array([0.0, 0.01, 0.01, 0.0]))
    assert 0 < inf.p_value <= 1
    with pytest.raises(ValueError, match="no placebo estimates"):
        placebo_inference(1.0, np.array([np.nan]), correction="none")
