"""Tests of lstm_tutorial.stats against hand values and from-scratch loops.

Where an independent implementation is installed (the `dieboldmariano`
package, statsmodels' HAC standard errors), the DM test is also checked
against it; those tests are skipped otherwise.
"""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats as scipy_stats

from lstm_tutorial.errors import DataError
from lstm_tutorial.metrics import mae, rmse, skill_vs_naive
from lstm_tutorial.stats import (
    COMPARE_WITH_NAIVE_COLUMNS,
    DMResult,
    SkillInterval,
    block_bootstrap_loss_skill,
    block_bootstrap_skill,
    compare_with_naive,
    diebold_mariano,
    mase,
)


def random_walk_case(n, seed, model_share=0.6, model_noise=0.5):
    """Prices, the naive forecast, and a model that shrinks the naive error, plus noise."""
    rng = np.random.default_rng(seed)
    y = 100 + rng.normal(size=n + 1).cumsum()
    naive = y[:-1]
    y = y[1:]
    model = naive + model_share * (y - naive) + model_noise * rng.normal(size=n)
    return y, model, naive


def overlapping_case(n, h, seed):
    """Two forecasts whose errors are MA(h-1), like h-step-ahead forecast errors."""
    rng = np.random.default_rng(seed)
    shocks = rng.normal(size=(n + h - 1, 2))
    errors = np.lib.stride_tricks.sliding_window_view(shocks, h, axis=0).sum(axis=2)
    y = 50 + rng.normal(size=n)
    return y, y - 1.1 * errors[:, 0], y - errors[:, 1]


# --- from-scratch reference: plain Python, straight from the papers ---------------------

def dm_from_scratch(y, a, b, h, loss=lambda e: e * e, weights="rectangular"):
    """DM statistic (unadjusted and HLN-adjusted) and p-value, one loop at a time."""
    y, a, b = (list(map(float, v)) for v in (y, a, b))
    n = len(y)
    d = [loss(yt - at) - loss(yt - bt) for yt, at, bt in zip(y, a, b, strict=True)]
    mean = sum(d) / n
    gamma = []
    for k in range(h):
        total = 0.0
        for t in range(k, n):
            total += (d[t] - mean) * (d[t - k] - mean)
        gamma.append(total / n)
    variance = gamma[0]
    for k in range(1, h):
        weight = 1.0 if weights == "rectangular" else 1.0 - k / h
        variance += 2 * weight * gamma[k]
    dm = mean / math.sqrt(variance / n)
    hln = math.sqrt((n + 1 - 2 * h + h * (h - 1) / n) / n)
    p = 2 * scipy_stats.t.sf(abs(hln * dm), df=n - 1)
    return dm, hln * dm, p, mean


# --- Diebold–Mariano ---------------------------------------------------------------------

@pytest.mark.parametrize("h", [1, 3])
@pytest.mark.parametrize("loss", ["squared", "absolute"])
def test_dm_matches_from_scratch_loop(h, loss):
    y, a, b = overlapping_case(120, h, seed=h)
    loss_fn = (lambda e: e * e) if loss == "squared" else abs
    _, expected, p, mean = dm_from_scratch(y, a, b, h, loss_fn)
    result = diebold_mariano(y, a, b, h=h, loss=loss)
    assert isinstance(result, DMResult)
    assert result.statistic == pytest.approx(expected, rel=1e-10)
    assert result.p_value == pytest.approx(p, rel=1e-10)
    assert result.mean_loss_diff == pytest.approx(mean, rel=1e-12)
    assert (result.n, result.h, result.loss) == (120, h, loss)


def test_dm_hln_factor_by_hand():
    y, a, b = overlapping_case(20, 3, seed=7)
    unadjusted, _, _, _ = dm_from_scratch(y, a, b, h=3)
    # n = 20, h = 3: (n + 1 - 2h + h(h - 1)/n) / n = (20 + 1 - 6 + 6/20) / 20 = 15.3 / 20
    assert diebold_mariano(y, a, b, h=3).statistic == pytest.approx(
        math.sqrt(15.3 / 20) * unadjusted, rel=1e-10)
    # h = 1: (n - 1) / n
    unadjusted1, _, _, _ = dm_from_scratch(y, a, b, h=1)
    assert diebold_mariano(y, a, b).statistic == pytest.approx(
        math.sqrt(19 / 20) * unadjusted1, rel=1e-10)


def test_dm_callable_loss_equals_named_loss():
    y, a, b = overlapping_case(60, 2, seed=3)
    named = diebold_mariano(y, a, b, h=2, loss="squared")

    def square(errors):
        return errors**2

    custom = diebold_mariano(y, a, b, h=2, loss=square)
    assert custom.statistic == pytest.approx(named.statistic, rel=1e-12)
    assert custom.loss == "square"


def test_dm_falls_back_to_bartlett_when_rectangular_variance_is_negative():
    # d_t = 2 + (-1)^t + small noise: lag-1 autocovariance about -gamma_0, so with h = 2
    # gamma_0 + 2 gamma_1 < 0, while the Bartlett weight 1/2 gives gamma_0 + gamma_1 > 0
    rng = np.random.default_rng(5)
    n = 30
    d = 2 + (-1.0) ** np.arange(n) + 0.1 * rng.normal(size=n)
    y, b = np.zeros(n), np.zeros(n)
    a = np.sqrt(d)  # squared loss of a is d, of b is 0
    centred = d - d.mean()
    assert centred @ centred + 2 * (centred[1:] @ centred[:-1]) < 0  # rectangular fails
    _, expected, p, _ = dm_from_scratch(y, a, b, h=2, weights="bartlett")
    result = diebold_mariano(y, a, b, h=2)
    assert result.statistic == pytest.approx(expected, rel=1e-10)
    assert result.p_value == pytest.approx(p, rel=1e-10)


@pytest.mark.parametrize("h", [1, 3])
def test_dm_matches_dieboldmariano_package(h):
    dieboldmariano = pytest.importorskip("dieboldmariano")
    y, a, b = overlapping_case(200, h, seed=11)
    stat, p = dieboldmariano.dm_test(y, a, b, h=h)  # HLN-corrected, Student t
    result = diebold_mariano(y, a, b, h=h)
    assert result.statistic == pytest.approx(stat, rel=1e-9)
    assert result.p_value == pytest.approx(p, rel=1e-6)


@pytest.mark.parametrize(("h", "kernel"), [(1, "uniform"), (3, "uniform"), (2, "bartlett")])
def test_dm_variance_matches_statsmodels_hac(h, kernel):
    sm = pytest.importorskip("statsmodels.api")
    if kernel == "uniform":
        y, a, b = overlapping_case(150, h, seed=13)
    else:  # the Bartlett fallback case
        rng = np.random.default_rng(5)
        d = 2 + (-1.0) ** np.arange(30) + 0.1 * rng.normal(size=30)
        y, a, b = np.zeros(30), np.sqrt(d), np.zeros(30)
    d = (y - a) ** 2 - (y - b) ** 2
    fit = sm.OLS(d, np.ones_like(d)).fit(
        cov_type="HAC", cov_kwds={"maxlags": h - 1, "kernel": kernel, "use_correction": False})
    n = len(d)
    hln = math.sqrt((n + 1 - 2 * h + h * (h - 1) / n) / n)
    assert diebold_mariano(y, a, b, h=h).statistic == pytest.approx(
        hln * fit.tvalues[0], rel=1e-9)


def test_dm_sign_flips_when_forecasts_swap_and_p_is_symmetric():
    y, a, b = overlapping_case(80, 2, seed=17)
    ab = diebold_mariano(y, a, b, h=2)
    ba = diebold_mariano(y, b, a, h=2)
    assert ba.statistic == pytest.approx(-ab.statistic, rel=1e-12)
    assert ba.mean_loss_diff == pytest.approx(-ab.mean_loss_diff, rel=1e-12)
    assert ba.p_value == pytest.approx(ab.p_value, rel=1e-12)
    assert ab.p_value == pytest.approx(2 * scipy_stats.t.cdf(-abs(ab.statistic), df=79))


def test_dm_clearly_better_model_is_significant():
    y, model, naive = random_walk_case(500, seed=0, model_share=0.6, model_noise=0.3)
    result = diebold_mariano(y, model, naive)
    assert result.statistic < 0  # the model (A) has the smaller loss
    assert result.p_value < 0.01


def test_dm_noise_level_difference_is_not_significant():
    rng = np.random.default_rng(1)
    y = rng.normal(size=500)
    a = y + rng.normal(size=500)
    b = y + rng.normal(size=500)  # same error distribution as a
    assert diebold_mariano(y, a, b).p_value > 0.05


def test_dm_accepts_single_columns():
    y, a, b = overlapping_case(40, 1, seed=2)
    assert diebold_mariano(y[:, None], a[:, None], b) == diebold_mariano(y, a, b)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda y, a, b: diebold_mariano(y, a, a), "identical forecasts"),
        (lambda y, a, b: diebold_mariano(y, y + 1.0, y + 3.0), "same at every point"),
        (lambda y, a, b: diebold_mariano(y[:4], a[:4], b[:4]), "at least max"),
        (lambda y, a, b: diebold_mariano(y[:8], a[:8], b[:8], h=3), r"= 9 forecasts for h=3"),
        (lambda y, a, b: diebold_mariano(y, a, b, h=0), "h must be a positive integer"),
        (lambda y, a, b: diebold_mariano(y, a[:-1], b), "must be aligned"),
        (lambda y, a, b: diebold_mariano(y, np.r_[np.nan, a[1:]], b), "NaN"),
        (lambda y, a, b: diebold_mariano(np.c_[y, y], np.c_[a, a], np.c_[b, b]),
         r"pass y\[:, k\] for step k"),
        (lambda y, a, b: diebold_mariano(y, a, b, loss="huber"), "loss must be"),
        (lambda y, a, b: diebold_mariano(y, a, b, loss=lambda e: e[:-1]), "one finite loss"),
    ],
)
def test_dm_edge_cases_raise(call, message):
    y, a, b = overlapping_case(30, 1, seed=4)
    with pytest.raises(DataError, match=message):
        call(y, a, b)


# --- MASE ------------------------------------------------------------------------------

Y_TRAIN = np.array([10.0, 12.0, 11.0, 15.0, 14.0])


def test_mase_by_hand():
    # lag-1 naive errors in training: |12-10|, |11-12|, |15-11|, |14-15| = 2, 1, 4, 1 -> 8/4 = 2
    # forecast errors: |16-15|, |15-17| = 1, 2 -> MAE 1.5; MASE = 1.5 / 2 = 0.75
    assert mase([16.0, 15.0], [15.0, 17.0], Y_TRAIN) == pytest.approx(0.75)
    # lag 2: |11-10|, |15-12|, |14-11| = 1, 3, 3 -> 7/3; MASE = 1.5 / (7/3) = 9/14
    assert mase([16.0, 15.0], [15.0, 17.0], Y_TRAIN, m=2) == pytest.approx(9 / 14)


def test_mase_pools_horizon_steps_and_takes_a_training_column():
    # errors 1, 0, 2, 3 -> pooled MAE 6/4 = 1.5; scale 2 as above
    y = np.array([[16.0, 17.0], [15.0, 14.0]])
    p = np.array([[15.0, 17.0], [17.0, 11.0]])
    assert mase(y, p, Y_TRAIN[:, None]) == pytest.approx(0.75)


@pytest.mark.parametrize(
    ("y_train", "m", "message"),
    [
        ([10.0], 1, "needs more than m=1"),
        ([10.0, 11.0], 2, "needs more than m=2"),
        ([10.0, 10.0, 10.0], 1, "MAE is 0"),
        ([10.0, 11.0, 10.0, 11.0], 2, "MAE is 0"),
        (np.ones((5, 2)), 1, "1-D"),
        ([10.0, np.nan, 11.0], 1, "NaN"),
        ([10.0, 11.0, 12.0], 0, "m must be a positive integer"),
    ],
)
def test_mase_edge_cases_raise(y_train, m, message):
    with pytest.raises(DataError, match=message):
        mase([16.0, 15.0], [15.0, 17.0], y_train, m=m)


# --- block bootstrap ---------------------------------------------------------------------

def bootstrap_from_scratch(y, pred, naive, block, n_boot, level, seed):
    """Circular block bootstrap with the same RNG draws, one resample at a time."""
    n = len(y)
    n_blocks = -(-n // block)
    starts = np.random.default_rng(seed).integers(0, n, size=(n_boot, n_blocks))
    skills = []
    for row in starts:
        idx = []
        for s in row:
            idx.extend((s + j) % n for j in range(block))
        idx = idx[:n]
        skills.append(skill_vs_naive(y[idx], pred[idx], naive[idx]))
    alpha = 1 - level
    return np.quantile(skills, [alpha / 2, 1 - alpha / 2])


@pytest.mark.parametrize("block", [1, 3, 7])
def test_bootstrap_matches_from_scratch_loop(block):
    y, model, naive = random_walk_case(50, seed=21)  # 50 is no multiple of 3 or 7
    result = block_bootstrap_skill(y, model, naive, block=block, n_boot=300, seed=4)
    low, high = bootstrap_from_scratch(y, model, naive, block, 300, 0.95, seed=4)
    assert result.low == pytest.approx(low, rel=1e-12)
    assert result.high == pytest.approx(high, rel=1e-12)


def test_bootstrap_point_skill_and_interval():
    y, model, naive = random_walk_case(1000, seed=2)
    result = block_bootstrap_skill(y, model, naive)
    assert isinstance(result, SkillInterval)
    assert result.skill == skill_vs_naive(y, model, naive)
    assert result.low < result.skill < result.high
    assert (result.level, result.block, result.n_boot) == (0.95, 10, 2000)  # 1000 ** (1/3)


def test_bootstrap_is_deterministic_for_a_seed():
    y, model, naive = random_walk_case(200, seed=3)
    first = block_bootstrap_skill(y, model, naive, n_boot=500, seed=9)
    assert block_bootstrap_skill(y, model, naive, n_boot=500, seed=9) == first
    assert block_bootstrap_skill(y, model, naive, n_boot=500, seed=10) != first


def test_bootstrap_interval_is_wider_for_fewer_points():
    y, model, naive = random_walk_case(1000, seed=6)
    wide = block_bootstrap_skill(y[:100], model[:100], naive[:100], n_boot=1000)
    narrow = block_bootstrap_skill(y, model, naive, n_boot=1000)
    assert wide.high - wide.low > 2 * (narrow.high - narrow.low)


def test_bootstrap_pools_horizon_steps_by_sample():
    y, model, naive = random_walk_case(101, seed=8)
    y2, m2, n2 = (np.c_[v[:-1], v[1:]] for v in (y, model, naive))
    result = block_bootstrap_skill(y2, m2, n2, block=3, n_boot=200)
    assert result.skill == pytest.approx(skill_vs_naive(y2, m2, n2))
    assert result.low < result.skill < result.high


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"block": 60}, "block=60 is too long for 50 samples"),
        ({"block": 26}, "at most n / 2 = 25"),
        ({"block": 0}, "block must be a positive integer"),
        ({"level": 1.0}, "level must be strictly between 0 and 1"),
        ({"level": 0}, "level must be strictly between 0 and 1"),
        ({"level": 95}, "level must be strictly between 0 and 1"),
        ({"n_boot": 0}, "n_boot must be a positive integer"),
    ],
)
def test_bootstrap_bad_arguments_raise(kwargs, message):
    y, model, naive = random_walk_case(50, seed=1)
    with pytest.raises(DataError, match=message):
        block_bootstrap_skill(y, model, naive, **kwargs)


def test_bootstrap_edge_cases_raise():
    y, model, naive = random_walk_case(50, seed=1)
    with pytest.raises(DataError, match="at least 10 samples"):
        block_bootstrap_skill(y[:9], model[:9], naive[:9])
    with pytest.raises(DataError, match="naive forecast is exact"):  # on the whole span
        block_bootstrap_skill(y, model, y)
    exact_but_once = y.copy()
    exact_but_once[0] += 1.0  # resamples that miss sample 0 have naive RMSE 0
    with pytest.raises(DataError, match=r"exact \(RMSE 0\) on \d+ of 500 resamples"):
        block_bootstrap_skill(y, model, exact_but_once, block=1, n_boot=500)
    with pytest.raises(DataError, match="but y_pred has"):
        block_bootstrap_skill(y, model[:-1], naive)


def test_bootstrap_of_identical_or_constant_errors():
    y, model, naive = random_walk_case(50, seed=1)
    # the model is the naive forecast: skill 0 on every resample
    assert block_bootstrap_skill(y, naive, naive, n_boot=100)[:3] == (0.0, 0.0, 0.0)
    # constant errors 1 and 2: skill 1 - 1/2 on every resample
    result = block_bootstrap_skill(y, y + 1.0, y + 2.0, n_boot=100)
    assert result.low == pytest.approx(0.5) and result.high == pytest.approx(0.5)


# --- the table ---------------------------------------------------------------------------

def test_compare_with_naive_table():
    y, model, naive = random_walk_case(300, seed=12)
    worse = naive - 0.5 * (y - naive)  # errors 1.5 times the naive errors
    train = 100 + np.random.default_rng(0).normal(size=500).cumsum()
    table = compare_with_naive(
        {"model": model, "worse": worse}, y, naive, train, n_boot=300, seed=1)
    assert list(table.columns) == COMPARE_WITH_NAIVE_COLUMNS
    assert table.index.name == "model"
    assert table.index.tolist() == ["model", "naive", "worse"]  # sorted by RMSE
    row = table.loc["model"]
    assert row["RMSE"] == rmse(y, model)
    assert row["MAE"] == mae(y, model)
    assert row["MASE"] == mase(y, model, train)
    interval = block_bootstrap_skill(y, model, naive, n_boot=300, seed=1)
    assert (row["skill"], row["skill low"], row["skill high"]) == interval[:3]
    dm = diebold_mariano(y, model, naive)
    assert (row["DM stat"], row["DM p"]) == (dm.statistic, dm.p_value)
    assert table.loc["worse", "DM stat"] > 0
    naive_row = table.loc["naive"]
    assert naive_row["skill"] == 0.0
    assert naive_row[["skill low", "skill high", "DM stat", "DM p"]].isna().all()
    assert not table.drop(index="naive").isna().any().any()
    assert isinstance(table, pd.DataFrame)


def test_compare_with_naive_errors_name_the_model():
    y, model, naive = random_walk_case(50, seed=12)
    with pytest.raises(DataError, match="model 'copy' against 'naive': .*identical forecasts"):
        compare_with_naive({"copy": naive.copy()}, y, naive, y, n_boot=50)
    with pytest.raises(DataError, match=r"pass y\[:, k\]"):
        compare_with_naive({"m": np.c_[model, model]}, np.c_[y, y], np.c_[naive, naive], y)
    with pytest.raises(DataError, match="non-empty dict"):
        compare_with_naive({}, y, naive, y)


def test_verdict_needs_interval_and_test_to_agree():
    from lstm_tutorial.stats import verdict

    assert verdict(0.01, 0.2, 0.01) == "better than"
    assert verdict(-0.3, -0.1, 0.001) == "worse than"
    assert verdict(-0.3, -0.1, 0.2) == "not distinguishable from"   # test does not reject
    assert verdict(-0.1, 0.2, 0.001) == "not distinguishable from"  # interval straddles 0
    with pytest.raises(DataError, match="naive row"):
        verdict(float("nan"), float("nan"), float("nan"))


# --- bootstrap of any per-sample loss -------------------------------------------------------

def loss_bootstrap_from_scratch(model, ref, block, n_boot, level, seed):
    """The loss-skill bootstrap one resample at a time, with the same RNG draws."""
    n = len(model)
    n_blocks = -(-n // block)
    starts = np.random.default_rng(seed).integers(0, n, size=(n_boot, n_blocks))
    skills = []
    for row in starts:
        idx = [(s + j) % n for s in row for j in range(block)][:n]
        skills.append(1 - model[idx].mean() / ref[idx].mean())
    alpha = 1 - level
    return np.quantile(skills, [alpha / 2, 1 - alpha / 2])


@pytest.mark.parametrize("block", [1, 4])
def test_loss_bootstrap_matches_from_scratch_loop(block):
    rng = np.random.default_rng(5)
    ref = rng.exponential(size=45)
    model = ref * rng.uniform(0.3, 1.2, size=45)
    result = block_bootstrap_loss_skill(model, ref, block=block, n_boot=300, seed=2)
    low, high = loss_bootstrap_from_scratch(model, ref, block, 300, 0.95, seed=2)
    assert result.low == pytest.approx(low, rel=1e-12)
    assert result.high == pytest.approx(high, rel=1e-12)
    assert result.skill == pytest.approx(1 - model.mean() / ref.mean(), rel=1e-12)


def test_loss_bootstrap_by_hand_and_same_draws_as_rmse_bootstrap():
    # losses 1, 2, 3, 4 (x 3) against 2, 2, 2, 2 (x 3): mean 2.5 vs 2, skill 1 - 2.5 / 2
    model, ref = np.tile([1.0, 2.0, 3.0, 4.0], 3), np.full(12, 2.0)
    assert block_bootstrap_loss_skill(model, ref, n_boot=50).skill == pytest.approx(-0.25)
    # with squared errors as the loss, its resample sums are those of block_bootstrap_skill
    y, pred, naive = random_walk_case(60, seed=11)
    rmse_result = block_bootstrap_skill(y, pred, naive, n_boot=401, seed=3)
    mse_result = block_bootstrap_loss_skill((y - pred) ** 2, (y - naive) ** 2, n_boot=401, seed=3)
    # skill_rmse = 1 - sqrt(1 - skill_mse), resample by resample; with 401 resamples the
    # 2.5 % and 97.5 % quantiles are single resamples (no interpolation), so they map too
    assert rmse_result.low == pytest.approx(1 - np.sqrt(1 - mse_result.low), rel=1e-9)
    assert rmse_result.high == pytest.approx(1 - np.sqrt(1 - mse_result.high), rel=1e-9)


def test_loss_bootstrap_rejects_bad_losses():
    ref = np.ones(20)
    with pytest.raises(DataError, match="has 19 samples but loss_reference has 20"):
        block_bootstrap_loss_skill(np.ones(19), ref)
    with pytest.raises(DataError, match="negative values"):
        block_bootstrap_loss_skill(-ref, ref)
    with pytest.raises(DataError, match="NaN or infinite"):
        block_bootstrap_loss_skill(np.r_[np.nan, ref[1:]], ref)
    with pytest.raises(DataError, match="loss is 0 on every sample"):
        block_bootstrap_loss_skill(ref, np.zeros(20))
    with pytest.raises(DataError, match=r"loss is 0 on \d+ of 300 resamples"):
        block_bootstrap_loss_skill(ref, np.r_[1.0, np.zeros(19)], block=1, n_boot=300)
    with pytest.raises(DataError, match="at least 10 samples"):
        block_bootstrap_loss_skill(ref[:9], ref[:9])
