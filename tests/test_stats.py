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
from lstm_tutorial.metrics import mae, mase, rmse, skill_vs_naive
from lstm_tutorial.stats import (
    COMPARE_WITH_NAIVE_COLUMNS,
    DMResult,
    SkillInterval,
    block_bootstrap_loss_skill,
    block_bootstrap_skill,
    compare_with_naive,
    diebold_mariano,
    dm_lags,
    holm,
    long_run_variance,
    optimal_block,
    pesaran_timmermann,
    spa_test,
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

def dm_from_scratch(y, a, b, h, loss=lambda e: e * e, lags=None):
    """DM statistic (unadjusted and HLN-adjusted) and p-value, one loop at a time.

    Newey–West variance with Bartlett weights 1 - k / (lags + 1); default bandwidth
    max(h - 1, ceil(n ** (1/3))).
    """
    y, a, b = (list(map(float, v)) for v in (y, a, b))
    n = len(y)
    if lags is None:
        lags = max(h - 1, math.ceil(n ** (1 / 3)))
    d = [loss(yt - at) - loss(yt - bt) for yt, at, bt in zip(y, a, b, strict=True)]
    mean = sum(d) / n
    gamma = []
    for k in range(lags + 1):
        total = 0.0
        for t in range(k, n):
            total += (d[t] - mean) * (d[t - k] - mean)
        gamma.append(total / n)
    variance = gamma[0]
    for k in range(1, lags + 1):
        variance += 2 * (1.0 - k / (lags + 1)) * gamma[k]
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


def test_dm_bandwidth_is_automatic_not_cut_at_h_minus_1():
    # 120 forecasts: ceil(120 ** (1/3)) = 5 lags even at h = 1; h = 10 needs 9
    assert (dm_lags(120, 1), dm_lags(120, 10), dm_lags(1000)) == (5, 9, 10)
    y, a, b = overlapping_case(120, 1, seed=2)
    _, five, _, _ = dm_from_scratch(y, a, b, 1, lags=5)
    _, zero, _, _ = dm_from_scratch(y, a, b, 1, lags=0)
    assert diebold_mariano(y, a, b).statistic == pytest.approx(five, rel=1e-10)
    assert diebold_mariano(y, a, b, lags=0).statistic == pytest.approx(zero, rel=1e-10)
    assert five != pytest.approx(zero, rel=1e-3)


def test_dm_hac_matters_for_persistent_loss_differentials():
    # the model is better on half the span and worse on the other half, in long runs:
    # the iid variance (lags=0) calls that significant, the HAC variance does not
    rng = np.random.default_rng(3)
    n = 400
    regime = np.repeat(rng.choice([-1.0, 1.0], size=n // 40), 40)
    y = np.zeros(n)
    b = rng.normal(size=n)
    a = b * np.sqrt(np.clip(1 + 0.6 * regime + 0.1, 0.05, None))
    iid = diebold_mariano(y, a, b, lags=0)
    hac = diebold_mariano(y, a, b)
    assert abs(hac.statistic) < abs(iid.statistic)
    assert hac.p_value > iid.p_value


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


def test_long_run_variance_never_negative_with_bartlett_weights():
    # d_t = 2 + (-1)^t + small noise: lag-1 autocovariance about -gamma_0; rectangular
    # weights would give gamma_0 + 2 gamma_1 < 0, the Bartlett weights stay positive
    rng = np.random.default_rng(5)
    d = 2 + (-1.0) ** np.arange(30) + 0.1 * rng.normal(size=30)
    centred = d - d.mean()
    assert centred @ centred + 2 * (centred[1:] @ centred[:-1]) < 0
    for lags in range(0, 10):
        assert long_run_variance(d, lags) > 0
    with pytest.raises(DataError, match="lags must be a whole number"):
        long_run_variance(d, -1)
    with pytest.raises(DataError, match="lags=30 needs more than 30 values"):
        long_run_variance(d, 30)


@pytest.mark.parametrize("h", [1, 3])
def test_dm_without_lags_at_h1_matches_dieboldmariano_package(h):
    # the package truncates at h - 1 with rectangular weights: the same as lags = h - 1
    # in our Bartlett form only for h = 1 (no lags at all)
    dieboldmariano = pytest.importorskip("dieboldmariano")
    y, a, b = overlapping_case(200, h, seed=11)
    stat, p = dieboldmariano.dm_test(y, a, b, h=h)  # HLN-corrected, Student t
    result = diebold_mariano(y, a, b, h=h, lags=0 if h == 1 else None)
    if h == 1:
        assert result.statistic == pytest.approx(stat, rel=1e-9)
        assert result.p_value == pytest.approx(p, rel=1e-6)
    else:  # same sign, same order of magnitude, not the same number
        assert np.sign(result.statistic) == np.sign(stat)


@pytest.mark.parametrize("h", [1, 2, 5])
@pytest.mark.parametrize(("loss", "criterion"), [("squared", "mse"), ("absolute", "mae")])
def test_dm_matches_statsmodels_diebold_mariano_test(h, loss, criterion):
    stattools = pytest.importorskip("statsmodels.tsa.stattools")
    if not hasattr(stattools, "diebold_mariano_test"):
        pytest.skip("statsmodels < 0.15 has no diebold_mariano_test")
    y, a, b = overlapping_case(150, h, seed=13 + h)
    theirs = stattools.diebold_mariano_test(y, a, b, criterion=criterion, harvey_adj=True,
                                            horizon=h)
    ours = diebold_mariano(y, a, b, h=h, loss=loss)
    assert theirs.lags == dm_lags(150, h)
    assert ours.statistic == pytest.approx(theirs.statistic, rel=1e-9)
    assert ours.p_value == pytest.approx(theirs.pvalue, rel=1e-7)
    explicit = stattools.diebold_mariano_test(y, a, b, lags=0, harvey_adj=True, horizon=h)
    assert diebold_mariano(y, a, b, h=h, lags=0).statistic == pytest.approx(
        explicit.statistic, rel=1e-9)


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
    assert (result.level, result.n_boot) == (0.95, 2000)
    # the block comes from the data: the loss differential of this case is close to iid
    assert result.block == optimal_block((y - model) ** 2 - (y - naive) ** 2) <= 3


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


# --- data-driven block length --------------------------------------------------------------

def test_optimal_block_is_arch_circular_estimate_rounded_up():
    arch_bootstrap = pytest.importorskip("arch.bootstrap")
    rng = np.random.default_rng(4)
    ar = np.zeros(600)
    for t in range(1, 600):
        ar[t] = 0.9 * ar[t - 1] + rng.normal()
    expected = math.ceil(arch_bootstrap.optimal_block_length(ar)["circular"].iloc[0])
    assert optimal_block(ar) == expected
    assert optimal_block(ar) > 5 * optimal_block(rng.normal(size=600))
    # never longer than half the span, never 0
    assert 5 <= optimal_block(np.arange(40.0) ** 2) <= 20
    assert optimal_block(np.ones(40)) == 1
    with pytest.raises(DataError, match="at least 10"):
        optimal_block(np.ones(5))


def test_bootstrap_default_block_follows_persistence_of_the_loss_differential():
    rng = np.random.default_rng(8)
    n = 500
    y = np.zeros(n)
    naive = rng.normal(size=n)
    persistent = np.repeat(rng.uniform(0.5, 1.5, size=n // 25), 25)  # 25-day runs
    model = naive * persistent
    result = block_bootstrap_skill(y, model, naive, n_boot=200)
    assert result.block >= 10
    iid = block_bootstrap_skill(y, naive * rng.uniform(0.5, 1.5, size=n), naive, n_boot=200)
    assert iid.block <= 3


# --- Pesaran–Timmermann ----------------------------------------------------------------------

def test_pt_by_hand_and_close_to_the_chi_square_test_of_independence():
    rng = np.random.default_rng(0)
    actual = rng.normal(size=2000)
    predicted = 0.15 * actual + rng.normal(size=2000)
    result = pesaran_timmermann(actual, predicted)
    x, y = predicted > 0, actual > 0
    assert result.hit_rate == pytest.approx(np.mean(x == y))
    assert result.expected == pytest.approx(y.mean() * x.mean() + (1 - y.mean()) * (1 - x.mean()))
    table = pd.crosstab(x, y).to_numpy()
    chi2 = scipy_stats.chi2_contingency(table, correction=False)[0]
    # PT is asymptotically the signed square root of the 2x2 independence test
    assert result.statistic**2 == pytest.approx(chi2, rel=0.01)
    assert result.statistic > 0 and result.p_value < 0.01


def test_pt_size_under_independence_and_always_up_is_not_skill():
    rng = np.random.default_rng(1)
    rejections = 0
    for _ in range(400):
        actual = rng.normal(0.1, 1, size=250)
        rejections += pesaran_timmermann(actual, rng.normal(size=250)).p_value < 0.05
    assert 0.02 < rejections / 400 < 0.09
    drift = rng.normal(0.3, 1, size=250)  # mostly up days
    with pytest.raises(DataError, match="all calls are on one side"):
        pesaran_timmermann(drift, np.ones(250))


def test_pt_leaves_out_flat_days_and_rejects_bad_input():
    actual = np.r_[np.tile([1.0, -1.0], 10), np.zeros(5)]
    predicted = np.r_[np.tile([1.0, -1.0], 10), np.ones(5)]
    result = pesaran_timmermann(actual, predicted)
    assert (result.n, result.hit_rate) == (20, 1.0)
    with pytest.raises(DataError, match="NaN"):
        pesaran_timmermann(np.r_[actual, np.nan], np.r_[predicted, 1.0])
    with pytest.raises(DataError, match="has 25 values but predicted_change has 24"):
        pesaran_timmermann(actual, predicted[:-1])


# --- joint tests ----------------------------------------------------------------------------

def test_spa_test_matches_arch_and_finds_the_one_good_model():
    arch_bootstrap = pytest.importorskip("arch.bootstrap")
    rng = np.random.default_rng(2)
    naive = rng.chisquare(1, size=400)
    models = {f"noise{i}": naive * rng.uniform(0.8, 1.25, 400) for i in range(4)}
    models["good"] = 0.8 * naive
    result = spa_test(models, naive, block=5, reps=400, seed=3)
    spa = arch_bootstrap.SPA(naive, pd.DataFrame(models), block_size=5, reps=400, seed=3)
    spa.compute()
    assert result.p_value == pytest.approx(spa.pvalues["consistent"])
    assert result.p_lower <= result.p_value <= result.p_upper
    assert (result.best, result.models, result.block, result.reps) == ("good", 5, 5, 400)
    assert result.p_value < 0.01
    del models["good"]
    assert spa_test(models, naive, reps=400).p_value > 0.1


def test_spa_test_rejects_misaligned_losses():
    with pytest.raises(DataError, match="has 30 samples but benchmark_loss has 40"):
        spa_test({"a": np.ones(30)}, np.ones(40))
    with pytest.raises(DataError, match="non-empty dict"):
        spa_test({}, np.ones(40))


def test_holm_matches_statsmodels_and_controls_the_family():
    multitest = pytest.importorskip("statsmodels.stats.multitest")
    p = {"a": 0.001, "b": 0.02, "c": 0.04, "d": 0.3}
    adjusted = holm(p)
    assert adjusted.index.tolist() == ["a", "b", "c", "d"]
    np.testing.assert_allclose(adjusted, multitest.multipletests(list(p.values()),
                                                                  method="holm")[1])
    assert adjusted["a"] == pytest.approx(0.004) and adjusted["c"] == pytest.approx(0.08)
    with pytest.raises(DataError, match=r"lie in \[0, 1\]"):
        holm({"a": 1.5})
