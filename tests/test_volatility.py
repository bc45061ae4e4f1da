"""Tests of lstm_tutorial.volatility: values by hand, and real AAPL where a series is needed."""

import math

import numpy as np
import pandas as pd
import pytest

from lstm_tutorial import volatility as vol
from lstm_tutorial.data import adjust_for_splits_and_dividends
from lstm_tutorial.errors import DataError


@pytest.fixture(scope="module")
def prices(aapl) -> pd.DataFrame:
    return adjust_for_splits_and_dividends(aapl)


@pytest.fixture(scope="module")
def returns(prices) -> pd.Series:
    return vol.log_returns(prices["Close"])


@pytest.fixture(scope="module")
def train_end(returns) -> int:
    """Train on 2000-03..2009 (2,480 days), test on 2010-01..2013-03."""
    return int(returns.index.searchsorted(pd.Timestamp("2010-01-01")))


def days(n: int) -> pd.DatetimeIndex:
    return pd.bdate_range("2020-01-01", periods=n)


# ----------------------------------------------------------------------------- proxies


def test_parkinson_by_hand_keeps_the_index():
    idx = days(2)
    low = pd.Series([100.0, 50.0], index=idx)
    high = low * np.exp([0.02, 0.10])  # ln(H/L) = 0.02 and 0.10
    out = vol.parkinson_variance(high, low)
    expected = [0.02**2 / (4 * math.log(2)), 0.10**2 / (4 * math.log(2))]  # 1.4427e-4, 3.6067e-3
    np.testing.assert_allclose(out.to_numpy(), expected, rtol=1e-12)
    assert out.index.equals(idx) and out.name == "parkinson"
    table = pd.DataFrame({"High": high, "Low": low})
    pd.testing.assert_series_equal(vol.parkinson_variance(table), out)
    assert isinstance(vol.parkinson_variance(high.to_numpy(), low.to_numpy()), np.ndarray)


def test_garman_klass_by_hand():
    o = pd.Series([100.0], index=days(1))
    low, high, close = o * 0.99, o * 0.99 * math.exp(0.02), o * math.exp(0.01)
    # 0.5 * 0.02^2 - (2 ln 2 - 1) * 0.01^2 = 0.0002 - 0.386294 * 0.0001
    expected = 0.0002 - (2 * math.log(2) - 1) * 0.0001
    out = vol.garman_klass_variance(o, high, low, close)
    assert out.iloc[0] == pytest.approx(expected, rel=1e-12)
    assert out.iloc[0] == pytest.approx(1.6137056e-4, rel=1e-7)
    table = pd.DataFrame({"Open": o, "High": high, "Low": low, "Close": close})
    pd.testing.assert_series_equal(vol.garman_klass_variance(table), out)


def test_squared_returns_by_hand_first_value_nan():
    close = pd.Series([100.0, 110.0, 99.0], index=days(3))
    out = vol.squared_returns(close)
    assert np.isnan(out.iloc[0]) and out.index.equals(close.index)
    np.testing.assert_allclose(out.iloc[1:], [math.log(1.1) ** 2, math.log(0.9) ** 2])
    np.testing.assert_allclose(vol.log_returns(close).iloc[1:], [math.log(1.1), math.log(0.9)])


def test_proxies_on_real_aapl(prices):
    sq = vol.squared_returns(prices)
    pk = vol.parkinson_variance(prices)
    gk = vol.garman_klass_variance(prices)
    assert (pk > 0).all() and (gk > 0).all() and (sq.iloc[1:] >= 0).all()
    # daily standard deviations of a few percent, range proxies below close-to-close
    assert 0.01 < math.sqrt(pk.mean()) < 0.04
    assert pk.mean() < sq.mean() and gk.mean() < sq.mean()
    assert np.corrcoef(pk, gk)[0, 1] > 0.9


# ----------------------------------------------------------------------------- EWMA


def test_ewma_three_steps_by_hand():
    x = pd.Series([4.0, 1.0, 2.0, 8.0], index=days(4))
    out = vol.ewma_variance_forecast(x, lam=0.9)
    # f0 = x0 = 4; f1 = .9*4 + .1*1 = 3.7; f2 = .9*3.7 + .1*2 = 3.53; f3 = .9*3.53 + .1*8 = 3.977
    np.testing.assert_allclose(out, [4.0, 3.7, 3.53, 3.977], rtol=1e-12)
    assert out.index.equals(x.index) and out.name == "ewma_forecast"
    # init replaces f_{-1}: f0 = .9*2 + .1*4 = 2.2
    assert vol.ewma_variance_forecast(x, lam=0.9, init=2.0).iloc[0] == pytest.approx(2.2)


def test_ewma_skips_the_leading_nan_and_uses_no_later_data():
    x = np.array([np.nan, 4.0, 1.0, 2.0, 8.0])
    out = vol.ewma_variance_forecast(x, lam=0.9)
    assert np.isnan(out[0])
    np.testing.assert_allclose(out[1:], [4.0, 3.7, 3.53, 3.977])
    changed = x.copy()
    changed[3:] = [100.0, 0.0]
    np.testing.assert_array_equal(vol.ewma_variance_forecast(changed, lam=0.9)[:3], out[:3])


# ----------------------------------------------------------------------------- HAR


def test_har_features_by_hand_on_25_days():
    x = pd.Series(np.arange(1.0, 26.0), index=days(25))  # 1, 2, ..., 25
    table = vol.har_features(x)
    assert list(table.columns) == ["var_1d", "var_5d", "var_22d"]
    assert table.index.equals(x.index)
    assert table.iloc[:21].isna().all().all()  # the 22-day window is full from day 21 on
    # day 21 holds x = 22: mean(18..22) = 20, mean(1..22) = 253 / 22 = 11.5
    np.testing.assert_allclose(table.iloc[21], [22.0, 20.0, 11.5])
    # day 24 holds x = 25: mean(21..25) = 23, mean(4..25) = 319 / 22 = 14.5
    np.testing.assert_allclose(table.iloc[24], [25.0, 23.0, 14.5])
    target = vol.har_target(x, horizon=1)
    assert target.iloc[21] == 23.0 and np.isnan(target.iloc[-1])
    target5 = vol.har_target(x, horizon=5)  # day 19: mean(21..25) = 23
    assert target5.iloc[19] == 23.0 and target5.iloc[-5:].isna().all()
    assert target5.name == "next_5d"


def test_har_fit_recovers_known_coefficients():
    rng = np.random.default_rng(1)
    x = pd.Series(rng.lognormal(-8.0, 1.0, 1000), index=days(1000))  # variances near 3e-4
    features = vol.har_features(x)
    c, b = 1e-5, np.array([0.4, 0.3, 0.2])
    target = c + features @ b + rng.normal(0.0, 1e-6, len(x))  # NaN for the first 21 days
    model = vol.fit_har(features.iloc[:800], target.iloc[:800])  # drops the 21 warm-up rows
    assert model.intercept_ == pytest.approx(c, rel=0.05)
    np.testing.assert_allclose(model.coef_, b, rtol=0.01)
    forecast = vol.har_forecast(model, features.iloc[800:])
    assert forecast.index.equals(features.index[800:]) and forecast.name == "har_forecast"
    np.testing.assert_allclose(forecast, c + features.iloc[800:] @ b, rtol=1e-3)
    assert vol.har_forecast(model, features).iloc[:21].isna().all()
    # arrays in, array out
    arr = vol.fit_har(features.to_numpy()[:800], target.to_numpy()[:800])
    np.testing.assert_allclose(arr.coef_, model.coef_)
    assert isinstance(vol.har_forecast(arr, features.to_numpy()), np.ndarray)


def test_har_on_real_aapl_parkinson(prices, train_end):
    pk = vol.parkinson_variance(prices)
    features, target = vol.har_features(pk), vol.har_target(pk)
    model = vol.fit_har(features.iloc[: train_end - 1], target.iloc[: train_end - 1])
    assert (model.coef_ > 0).all() and 0.5 < model.coef_.sum() < 1.0  # persistent, stationary
    test = slice(train_end, len(pk) - 1)
    forecast = vol.har_forecast(model, features.iloc[test])
    assert (forecast > 0).all()
    # HAR beats a constant (the training mean) on the test span
    assert vol.qlike(target.iloc[test], forecast) < vol.qlike(
        target.iloc[test], np.full(len(forecast), pk.iloc[:train_end].mean())
    )


# ----------------------------------------------------------------------------- QLIKE


def test_qlike_by_hand_zero_at_truth_and_asymmetric():
    y = np.array([1.0, 2.0, 4.0])
    f = np.array([2.0, 2.0, 1.0])
    # 0.5 - ln 0.5 - 1; 0; 4 - ln 4 - 1
    expected = [0.5 + math.log(2) - 1, 0.0, 3 - math.log(4)]
    np.testing.assert_allclose(vol.qlike_loss(y, f), expected, atol=1e-15)
    assert vol.qlike(y, f) == pytest.approx(np.mean(expected))
    assert vol.qlike(y, y) == 0.0
    under, over = vol.qlike([1.0], [0.8]), vol.qlike([1.0], [1.2])
    assert under > over > 0  # 0.0269 vs 0.0157


def test_qlike_zero_proxy_and_log_form():
    y = np.array([0.0, 1.0, 2.0])
    f = np.array([0.5, 1.0, 1.0])  # ln f + y/f: ln 0.5 + 0, 0 + 1, 0 + 2
    with pytest.raises(DataError, match="form='log'"):
        vol.qlike(y, f)
    np.testing.assert_allclose(
        vol.qlike_loss(y, f, form="log"), [math.log(0.5), 1.0, 2.0], atol=1e-15
    )
    # the forms differ by ln y + 1, the same for every model: loss differences agree
    y, f1, f2 = np.array([0.5, 1.0, 3.0]), np.array([1.0, 2.0, 2.0]), np.array([0.4, 1.1, 5.0])
    np.testing.assert_allclose(
        vol.qlike_loss(y, f1) - vol.qlike_loss(y, f2),
        vol.qlike_loss(y, f1, form="log") - vol.qlike_loss(y, f2, form="log"),
    )


def test_qlike_refuses_bad_forecasts():
    with pytest.raises(DataError, match="positive"):
        vol.qlike([1.0, 1.0], [0.5, 0.0])
    with pytest.raises(DataError, match="align"):
        vol.qlike([1.0, 1.0], [1.0])
    with pytest.raises(DataError, match="NaN"):
        vol.qlike([1.0, np.nan], [1.0, 1.0])
    with pytest.raises(DataError, match="form"):
        vol.qlike([1.0], [1.0], form="mse")
    with pytest.raises(DataError, match="different indexes"):
        vol.qlike(pd.Series([1.0, 2.0], index=days(2)), pd.Series([1.0, 2.0]))


# ----------------------------------------------------------------------------- GARCH


@pytest.fixture(scope="module")
def garch(returns, train_end):
    return vol.garch_forecasts(returns, train_end, horizon=5)


def test_garch_forecasts_are_positive_and_aligned_at_their_origin(returns, train_end, garch):
    assert list(garch.columns) == ["one_step", "mean_5"] and garch.index.equals(returns.index)
    assert garch.iloc[: train_end - 1].isna().all().all()  # starts at the last training day
    test = garch.iloc[train_end - 1 :]
    assert test.notna().all().all() and (test > 0).all().all()
    # the value at t is omega + alpha r_t^2 + beta f_{t-1}, in decimals (arch works in percent)
    p = vol.fit_garch(returns, train_end).params
    omega, alpha, beta = p["omega"] / 1e4, p["alpha[1]"], p["beta[1]"]
    f, r = garch["one_step"].to_numpy(), returns.to_numpy()
    t = np.arange(train_end, len(r))
    np.testing.assert_allclose(f[t], omega + alpha * r[t] ** 2 + beta * f[t - 1], rtol=1e-10)
    # the 5-day mean reverts toward the unconditional variance omega / (1 - alpha - beta)
    long_run = omega / (1 - alpha - beta)
    assert ((test["mean_5"] - long_run).abs() <= (test["one_step"] - long_run).abs()).all()


def test_garch_has_no_look_ahead(returns, train_end, garch):
    k = train_end + 300
    changed = returns.copy()
    changed.iloc[k + 1 :] = changed.iloc[k + 1 :] * 3.0 + 0.01
    again = vol.garch_forecasts(changed, train_end, horizon=5)
    pd.testing.assert_frame_equal(again.iloc[: k + 1], garch.iloc[: k + 1])
    assert not np.allclose(again["one_step"].iloc[k + 1 :], garch["one_step"].iloc[k + 1 :])


def test_garch_is_fitted_on_the_training_span_only(returns, train_end):
    fitted = vol.fit_garch(returns, train_end)
    assert fitted.nobs == train_end - 1  # the first return is NaN
    other_test_span = returns.iloc[: train_end + 100].copy()
    other_test_span.iloc[train_end:] = -other_test_span.iloc[train_end:] * 5.0
    refitted = vol.fit_garch(other_test_span, train_end)
    pd.testing.assert_series_equal(refitted.params, fitted.params)
    by_date = vol.fit_garch(returns, "2010-01-01")
    pd.testing.assert_series_equal(by_date.params, fitted.params)


# ----------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: vol.parkinson_variance([2.0, np.nan], [1.0, 1.0]), "NaN"),
        (lambda: vol.parkinson_variance([2.0, 0.0], [1.0, 1.0]), "positive"),
        (lambda: vol.parkinson_variance([2.0, 1.0], [1.0, 1.5]), "High is below Low"),
        (lambda: vol.parkinson_variance([2.0, 2.0], [1.0]), "same days"),
        (lambda: vol.parkinson_variance([2.0, 2.0]), "pass all of"),
        (lambda: vol.garman_klass_variance(pd.DataFrame({"Open": [1.0]})), "lacks column"),
        (lambda: vol.squared_returns([100.0]), "at least 2"),
        (lambda: vol.squared_returns([100.0, -1.0]), "positive"),
        (lambda: vol.ewma_variance_forecast([1.0, np.nan, 2.0]), "NaN"),
        (lambda: vol.ewma_variance_forecast([1.0, 2.0], lam=1.0), r"lam must be .* \(0, 1\)"),
        (lambda: vol.ewma_variance_forecast([1.0, -2.0]), "negative"),
        (lambda: vol.har_features(np.ones(22)), "load a longer span"),
        (lambda: vol.har_features(np.ones(30), lags=(1, 0)), "positive integer"),
        (lambda: vol.har_target(np.ones(30), horizon=0), "horizon must be a positive integer"),
        (lambda: vol.fit_har(np.ones((3, 3)), np.ones(3)), "training row"),
        (lambda: vol.fit_har(np.ones((30, 3)), np.ones(29)), "same rows"),
        (lambda: vol.har_forecast(object(), np.ones((2, 3))), "not fitted"),
        (lambda: vol.garch_forecasts(np.zeros(500), 400, horizon=0), "horizon must be"),
        (lambda: vol.garch_forecasts(np.zeros(500), 500), "one test return"),
        (lambda: vol.fit_garch(np.zeros(150), 50), "at least 100"),
        (lambda: vol.fit_garch(np.r_[np.zeros(200), np.nan, np.zeros(100)], 150), "NaN"),
        (lambda: vol.fit_garch(np.zeros(300), "2010-01-01"), "indexed by date"),
    ],
)
def test_bad_input_raises_data_error_naming_the_fix(call, message):
    with pytest.raises(DataError, match=message):
        call()


def test_har_forecast_checks_the_columns(prices):
    pk = vol.parkinson_variance(prices)
    features = vol.har_features(pk)
    model = vol.fit_har(features.iloc[:500], vol.har_target(pk).iloc[:500])
    with pytest.raises(DataError, match="columns"):
        vol.har_forecast(model, vol.har_features(pk, lags=(1, 5)))


# ----------------------------------------------------------------------------- loss table


def test_loss_table_by_hand():
    # proxies 1, 2, 4, 2 (x 6); "last value" is off by a factor 2 every day:
    # QLIKE (0.193147 + 0.306853 + 0.306853 + 0.193147) / 4 = 0.25, MSE (1 + 1 + 4 + 4) / 4 = 2.5
    y = pd.Series([1.0, 2.0, 4.0, 2.0] * 6, index=days(24))
    last = pd.Series(np.r_[2.0, y.to_numpy()[:-1]], index=y.index)
    flat = pd.Series(2.0, index=y.index)  # QLIKE 1/2 - ln 1/2 - 1 = 0.193147 and 2 - ln 2 - 1
    table = vol.loss_table(y, {"last value": last, "flat": flat}, references=["last value"],
                           h=1, n_boot=300)
    assert table.index.tolist() == ["last value", "flat"]
    assert table.loc["last value", "QLIKE"] == pytest.approx(0.25, rel=1e-12)
    assert table.loc["last value", "MSE"] == pytest.approx(2.5, rel=1e-12)
    # flat: y/f = 0.5, 1, 2, 1 -> (0.193147 + 0 + 0.306853 + 0) / 4 = 0.125; MSE (1 + 0 + 4 + 0) / 4
    assert table.loc["flat", "QLIKE"] == pytest.approx(0.125, rel=1e-6)
    assert table.loc["flat", "MSE"] == pytest.approx(1.25, rel=1e-12)
    assert table.loc["flat", "QLIKE skill vs last value"] == pytest.approx(0.5, rel=1e-6)
    assert table.loc["flat", "MSE skill vs last value"] == pytest.approx(0.5, rel=1e-12)
    frame = pd.DataFrame({"last value": last, "flat": flat})
    pd.testing.assert_frame_equal(
        vol.loss_table(y, frame, references=["last value"], n_boot=300), table)
    ref_row = table.loc["last value"]
    assert ref_row["QLIKE skill vs last value"] == 0.0
    assert ref_row[["QLIKE DM p vs last value", "MSE skill low vs last value"]].isna().all()
    low, high = table.loc["flat", ["QLIKE skill low vs last value",
                                   "QLIKE skill high vs last value"]]
    assert low <= 0.5 <= high


def test_loss_table_dm_and_interval_match_the_stats_functions():
    from lstm_tutorial.stats import block_bootstrap_loss_skill, diebold_mariano

    rng = np.random.default_rng(3)
    true_var = np.exp(rng.normal(size=200).cumsum() * 0.05) * 1e-4
    y = true_var * rng.chisquare(1, size=200)  # a noisy, unbiased proxy
    good, bad = true_var * 1.1, np.full(200, true_var.mean())
    table = vol.loss_table(y, {"bad": bad, "good": good}, references=["bad"], h=5, n_boot=400)
    q_good, q_bad = vol.qlike_loss(y, good), vol.qlike_loss(y, bad)
    expected = diebold_mariano(y, good, bad, h=5, loss=lambda e: vol.qlike_loss(y, y - e))
    assert table.loc["good", "QLIKE DM p vs bad"] == pytest.approx(expected.p_value, rel=1e-9)
    mse_dm = diebold_mariano(y, good, bad, h=5)
    assert table.loc["good", "MSE DM p vs bad"] == pytest.approx(mse_dm.p_value, rel=1e-12)
    interval = block_bootstrap_loss_skill(q_good, q_bad, n_boot=400)
    assert table.loc["good", "QLIKE skill low vs bad"] == pytest.approx(interval.low)
    skill = 1 - q_good.mean() / q_bad.mean()
    assert table.loc["good", "QLIKE skill vs bad"] == pytest.approx(skill)


def test_loss_table_refuses_what_qlike_cannot_score():
    y = np.ones(20)
    with pytest.raises(DataError, match="not among the forecasts"):
        vol.loss_table(y, {"a": y}, references=["HAR"])
    with pytest.raises(DataError, match="forecast 'a'.*<= 0"):
        vol.loss_table(y, {"a": np.zeros(20), "b": y}, references=["b"])
    with pytest.raises(DataError, match="'a' against 'b'"):
        vol.loss_table(y, {"a": y, "b": y}, references=["b"])  # identical: nothing to test


# ----------------------------------------------------------------------------- windows


def test_variance_windows_by_hand():
    from lstm_tutorial.preprocessing import chronological_split

    # 10 days, proxies v = 1..10 and w = 10 * v; train rows 0..5, test rows 6..9
    proxies = pd.DataFrame({"v": np.arange(1.0, 11.0)}, index=days(10))
    proxies["w"] = 10 * proxies["v"]
    features = np.log(proxies.to_numpy())
    split = chronological_split(proxies, train=0.6)
    w = vol.variance_windows(features, proxies, split, lookback=2, horizons=(1, 2))
    train, test = w["train"], w["test"]
    assert train.columns == ("v 1d", "v 2d", "w 1d", "w 2d")
    # window [v0, v1] = [1, 2] at origin row 1: next day 3, next two days (3 + 4) / 2
    assert train.origins.tolist() == [1, 2, 3]  # targets rows 2..5 stay in training
    np.testing.assert_allclose(train.target[0], [3.0, 3.5, 30.0, 35.0])
    np.testing.assert_allclose(train.anchor[0], [1.5, 1.5, 15.0, 15.0])
    np.testing.assert_allclose(train.X[0], features[0:2])
    # test windows: first origin is the last training day (row 5), targets rows 6..
    assert test.origins.tolist() == [5, 6, 7]
    np.testing.assert_allclose(test.target[:, 1], [7.5, 8.5, 9.5])
    # the same targets as har_target at the origins
    np.testing.assert_allclose(test.target[:, 3],
                               vol.har_target(proxies["w"], 2).to_numpy()[test.origins])
    assert train.X.shape == (3, 2, 2) and train.X.flags["C_CONTIGUOUS"]


def test_variance_windows_refuses_bad_input():
    from lstm_tutorial.preprocessing import chronological_split

    proxies = pd.DataFrame({"v": np.arange(1.0, 31.0)})
    split = chronological_split(proxies, train=0.6)
    with pytest.raises(DataError, match="same rows"):
        vol.variance_windows(np.zeros((29, 1)), proxies, split, lookback=3)
    with pytest.raises(DataError, match="negative"):
        vol.variance_windows(np.zeros((30, 1)), -proxies, split, lookback=3)
    with pytest.raises(DataError, match="distinct"):
        vol.variance_windows(np.zeros((30, 1)), proxies, split, lookback=3, horizons=(1, 1))
    with pytest.raises(DataError, match="DataFrame"):
        vol.variance_windows(np.zeros((30, 1)), proxies["v"], split, lookback=3)
