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


def _unequal_world(rng, G: int, A: float = 25.0, B: float = 3600.0, tau: float = 0.0, n_t: float = 2000.0):
    """G comparison municipalities whose sizes differ a hundredfold (10 to 1,000 persons), plus two
    one-person municipalities whose sampling variance cannot be estimated; estimated variances carry
    their chi-square noise."""
    n = np.exp(rng.uniform(np.log(10), np.log(1000), G)).round()
    d = rng.normal(0, np.sqrt(A + B / n))
    v = B / n * rng.chisquare(n - 1) / (n - 1)
    d = np.append(d, rng.normal(0, np.sqrt(A + B), 2))
    v = np.append(v, [np.inf, np.inf])
    est = tau + rng.normal(0, np.sqrt(A + B / n_t))
    v_t = B / n_t * rng.chisquare(n_t - 1) / (n_t - 1)
    return est, d, v, v_t


@pytest.mark.parametrize("G", [20, 40, 97])
def test_placebo_inference_is_calibrated_at_the_pipelines_group_sizes(G):
    """Size 3-7 % under no effect and coverage 93-97 % of an effect of 30, at 20, 40 and 97 comparison
    municipalities of unequal size, one-person municipalities dropped and counted (pooling 'auto': the
    between-cluster variance with the treated cluster included at 20 and 40, from the placebos at 97)."""
    rng = np.random.default_rng(G)
    reps = 1000  # Monte Carlo standard error near 5 %: 0.7 points
    rej = cov = 0
    for _ in range(reps):
        est, d, v, v_t = _unequal_world(rng, G)
        inf = placebo_inference(est, d, v_treated=v_t, v_placebo=v)
        rej += inf.p_value <= 0.05
        est, d, v, v_t = _unequal_world(rng, G, tau=30.0)
        inf = placebo_inference(est, d, v_treated=v_t, v_placebo=v)
        cov += inf.conf_low <= 30.0 <= inf.conf_high
        assert inf.dropped == 2 and inf.n_placebos == G
    assert 0.03 <= rej / reps <= 0.07
    assert 0.93 <= cov / reps <= 0.97


def test_ten_comparison_municipalities_cannot_give_a_95_percent_interval():
    """With 10 placebos the smallest attainable p-value is 1/11: no test at 5 % and no finite interval,
    whatever the data, and the result says why through its bounds (infinite, shown as unavailable)."""
    rng = np.random.default_rng(10)
    for _ in range(50):
        est, d, v, v_t = _unequal_world(rng, 10, tau=200.0)
        inf = placebo_inference(est, d, v_treated=v_t, v_placebo=v)
        assert inf.p_value >= 1 / 11 - 1e-12
        assert np.isinf(inf.conf_low) and np.isinf(inf.conf_high)


def test_placebo_only_variance_over_rejects_with_20_comparisons():
    """Why 'auto' pools below 60 comparisons: with the between-cluster variance from the placebos alone the
    test rejects a true null far more than 5 % of the time at 20 comparisons (9.4 % in 2,000 samples)."""
    rng = np.random.default_rng(20)
    reps, rej = 1000, 0
    for _ in range(reps):
        est, d, v, v_t = _unequal_world(rng, 20)
        rej += placebo_inference(est, d, v_treated=v_t, v_placebo=v, pooling="placebos").p_value <= 0.05
    assert rej / reps > 0.075


def test_scaled_variance_model_recovers_a_and_b():
    """delta_g ~ N(0, A + B v_g) with A = 50, B = 2 and v_g a hundredfold apart: the profile maximum
    likelihood recovers both (2,000 clusters; over 30 seeds A came out 48.9 +- 2.8 and B 2.06 +- 0.19, so the
    tolerances are about three standard deviations), and with B = 1 in truth it does not invent a scale;
    B fixed at 1 on data with B = 2 overstates A (61.7 +- 2.6 over the same seeds)."""
    from evaluation.inference import between_variance, between_variance_scaled

    rng = np.random.default_rng(11)
    v = np.exp(rng.uniform(np.log(1.0), np.log(100.0), 2000))
    d = rng.normal(0, np.sqrt(50.0 + 2.0 * v))
    A, B = between_variance_scaled(d, v)
    assert A == pytest.approx(50.0, abs=9.0) and B == pytest.approx(2.0, abs=0.6)
    assert between_variance(d, v) > A + 5.0  # the excess of the noisy clusters absorbed into A
    d1 = rng.normal(0, np.sqrt(50.0 + v))
    A1, B1 = between_variance_scaled(d1, v)
    assert A1 == pytest.approx(50.0, abs=9.0) and B1 == pytest.approx(1.0, abs=0.3)


def test_scaled_variance_model_bound_is_binding_only_where_set():
    """Synthetic control's placebos have B of 16 and more; the default bound of 20 would cap a B of 40 and push
    the excess into A.  With v_g from 0.5 to 7 (synthetic control's range at 97 comparisons), A = 40, B = 40 and
    2,000 clusters, B is recovered when the bound is 1,000 (over 20 seeds B came out 40.6 +- 3.1, A 38.5 +- 5.1;
    tolerances about three standard deviations) and is held at 20 by the default, A then taking up the excess
    (by 23 or more over those seeds)."""
    from evaluation.inference import between_variance_scaled

    rng = np.random.default_rng(12)
    v = np.exp(rng.uniform(np.log(0.5), np.log(7.0), 2000))
    d = rng.normal(0, np.sqrt(40.0 + 40.0 * v))
    A, B = between_variance_scaled(d, v, max_scale=1000.0)
    assert B == pytest.approx(40.0, abs=10.0) and A == pytest.approx(40.0, abs=16.0)
    A20, B20 = between_variance_scaled(d, v)
    assert B20 == pytest.approx(20.0, rel=1e-3) and A20 > A + 15.0
