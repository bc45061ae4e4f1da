"""Tests of lstm_tutorial.baselines on real AAPL closes."""

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LinearRegression

from lstm_tutorial.baselines import (
    arima_forecast,
    common_root_distance,
    drift_forecast,
    fit_linear_baseline,
    flatten_windows,
    linear_forecast,
    moving_average_forecast,
    naive_forecast,
)
from lstm_tutorial.errors import DataError
from lstm_tutorial.windowing import make_windows


@pytest.fixture(scope="module")
def close(aapl) -> np.ndarray:
    return aapl.loc["2010":, "Close"].to_numpy()


def test_naive_forecast_is_series_shifted_by_one(close):
    T = 20
    X, y = make_windows(close, lookback=T)
    pred = naive_forecast(X)
    assert pred.shape == y.shape == (len(close) - T, 1)
    # prediction for the target at row t is the value at row t - 1
    shifted = pd.Series(close).shift(1).to_numpy()[T:]
    np.testing.assert_array_equal(pred[:, 0], shifted)


def test_naive_forecast_multifeature_and_horizon(aapl):
    frame = aapl.loc["2012", ["Open", "Close", "Volume"]]
    X, y = make_windows(frame, lookback=5, horizon=3, target_col="Close")
    pred = naive_forecast(X, target_col=1, horizon=3)
    assert pred.shape == y.shape
    np.testing.assert_array_equal(pred[:, 0], pred[:, 2])
    np.testing.assert_array_equal(pred[1:, 0], frame["Close"].to_numpy()[5:5 + len(pred) - 1])


def test_moving_average_matches_pandas_rolling(close):
    k, T = 5, 10
    X, _ = make_windows(close, lookback=T)
    pred = moving_average_forecast(X, k=k)
    rolling = pd.Series(close).rolling(k).mean().shift(1).to_numpy()[T:]
    np.testing.assert_allclose(pred[:, 0], rolling)
    np.testing.assert_array_equal(moving_average_forecast(X, k=1), naive_forecast(X))


def test_drift_forecast_by_hand():
    X = np.array([[[1.0], [2.0], [4.0], [7.0]]])  # average change (7 - 1) / 3 = 2
    np.testing.assert_allclose(drift_forecast(X, horizon=3), [[9.0, 11.0, 13.0]])


def test_drift_of_a_straight_line_is_exact():
    line = 3.0 + 0.5 * np.arange(40.0)
    X, y = make_windows(line, lookback=6, horizon=4)
    np.testing.assert_allclose(drift_forecast(X, horizon=4), y)


def test_linear_baseline_agrees_with_sklearn_on_flattened_windows(close):
    X, y = make_windows(close, lookback=10, horizon=2)
    n = 500
    pred = linear_forecast(X[:n], y[:n], X[n:])
    reference = LinearRegression().fit(X[:n].reshape(n, -1), y[:n]).predict(
        X[n:].reshape(len(X) - n, -1))
    assert pred.shape == y[n:].shape
    np.testing.assert_allclose(pred, reference, rtol=1e-6)
    model = fit_linear_baseline(X[:n], y[:n])
    np.testing.assert_allclose(model.predict(X[n:]), pred)
    ridge = linear_forecast(X[:n], y[:n], X[n:], alpha=10.0)
    assert ridge.shape == pred.shape and not np.allclose(ridge, pred)


def test_linear_baseline_accepts_1d_targets():
    X, y = make_windows(np.arange(60.0) ** 1.5, lookback=4)
    assert linear_forecast(X[:40], y[:40, 0], X[40:]).shape == (len(X) - 40, 1)


def test_two_dimensional_windows_mean_one_feature():
    X, _ = make_windows(np.arange(30.0), lookback=5)
    np.testing.assert_array_equal(naive_forecast(X[:, :, 0]), naive_forecast(X))
    assert flatten_windows(X).shape == (25, 5)


@pytest.mark.parametrize(
    "call",
    [
        lambda X: naive_forecast(X, target_col=3),
        lambda X: naive_forecast(X, horizon=0),
        lambda X: naive_forecast(X[0, 0]),
        lambda X: moving_average_forecast(X, k=11),
        lambda X: moving_average_forecast(X, k=0),
        lambda X: drift_forecast(X[:, :1]),
        lambda X: fit_linear_baseline(X, np.zeros(3)),
    ],
)
def test_bad_inputs_raise_data_error(call):
    X, _ = make_windows(np.arange(50.0), lookback=10)
    with pytest.raises(DataError):
        call(X)


# ----------------------------------------------------------------------------- ARIMA
def ar1_changes(phi: float, n: int, seed: int = 0) -> np.ndarray:
    """A price whose daily changes follow an AR(1) with coefficient phi."""
    rng = np.random.default_rng(seed)
    changes = np.zeros(n)
    noise = rng.normal(size=n)
    for t in range(1, n):
        changes[t] = phi * changes[t - 1] + noise[t]
    return 100.0 + changes.cumsum()


def test_arima_recovers_an_ar1_coefficient():
    y = ar1_changes(0.6, 1500)
    result = arima_forecast(y[:1200], y[1200:], order=(1, 1, 0))
    assert result.order == (1, 1, 0)
    assert abs(result.params["ar.L1"] - 0.6) < 0.07
    assert abs(result.params["sigma2"] - 1.0) < 0.15


def test_arima_one_step_forecast_is_the_ar1_recursion_with_fixed_params():
    y = ar1_changes(0.5, 900, seed=1)
    train, test = y[:700], y[700:]
    result = arima_forecast(train, test, order=(1, 1, 0))
    phi = result.params["ar.L1"]
    full = np.concatenate([train, test])
    t = np.arange(700, 900)
    expected = full[t - 1] + phi * (full[t - 1] - full[t - 2])
    np.testing.assert_allclose(result.forecasts, expected, rtol=0, atol=1e-8)


def test_arima_has_no_look_ahead():
    y = ar1_changes(0.4, 700, seed=2)
    train, test = y[:500], y[500:]
    base = arima_forecast(train, test)
    changed = test.copy()
    changed[120:] += np.random.default_rng(3).normal(scale=5.0, size=len(test) - 120)
    other = arima_forecast(train, changed)
    assert other.order == base.order
    # the forecast of test[i] uses test[:i] only: forecasts 0..120 cannot move
    np.testing.assert_array_equal(base.forecasts[:121], other.forecasts[:121])
    assert not np.allclose(base.forecasts[121:], other.forecasts[121:])


def test_arima_order_search_uses_aic_on_the_training_series():
    y = ar1_changes(0.6, 800, seed=4)
    result = arima_forecast(y[:600], y[600:], max_p=2, max_q=1)
    assert result.aic.shape == (3, 2)
    p, d, q = result.order
    allowed = [result.aic.loc[o[0], o[2]] for o in
               [(i, 1, j) for i in range(3) for j in range(2)] if o not in result.redundant]
    assert d == 1 and result.aic.loc[p, q] == min(allowed)
    assert p >= 1 or q >= 1          # the AR(1) in the changes is found, not a random walk


def test_arima_leaves_out_orders_whose_roots_cancel():
    """MSFT 2010-2014: ARIMA(2, 1, 2) has the lowest AIC, but its AR and MA roots nearly
    cancel (its estimates are not identified); among the identified orders the random
    walk wins, so ARIMA's forecast is the naive one."""
    from lstm_tutorial.data import adjust_for_splits_and_dividends, load_prices

    msft = load_prices("MSFT", "2010-01-01", "2016-12-31")
    close = adjust_for_splits_and_dividends(msft)["Close"]
    result = arima_forecast(close.iloc[:1322], close.iloc[1322:1400])
    assert result.aic.stack().idxmin() == (2, 2)
    assert (2, 1, 2) in result.redundant and result.redundant[(2, 1, 2)] < 0.1
    assert result.order == (0, 1, 0)
    np.testing.assert_allclose(result.forecasts, close.iloc[1321:1399])
    fixed = arima_forecast(close.iloc[:1322], close.iloc[1322:1400], order=(2, 1, 2))
    assert fixed.order == (2, 1, 2) and fixed.redundant == {}   # a given order is used as is


def test_common_root_distance():
    assert common_root_distance([0.5], [-0.5]) == 0.0            # identical factors
    assert common_root_distance([], [0.4]) == float("inf")         # nothing to cancel
    # AR root 2 (1 - 0.5 z), MA root -1/0.4 = -2.5 (1 + 0.4 z): |2 + 2.5| / 2.5
    assert common_root_distance([0.5], [0.4]) == pytest.approx(4.5 / 2.5)


def test_arima_random_walk_is_the_naive_forecast(close):
    result = arima_forecast(close[:500], close[500:600], order=(0, 1, 0))
    np.testing.assert_allclose(result.forecasts, close[499:599])


@pytest.mark.parametrize("bad", [dict(test=[]), dict(order=(1, 1)), dict(train=np.arange(8.0))])
def test_arima_rejects_bad_input(bad):
    args = dict(train=ar1_changes(0.3, 300), test=np.arange(5.0) + 100, order=None)
    args.update(bad)
    with pytest.raises(DataError):
        arima_forecast(**args)


def test_return_forecasts_match_split_aware_return_windows():
    """The forecasts equal those built by hand from split-aware windows of log returns."""
    from lstm_tutorial.baselines import return_forecasts
    from lstm_tutorial.data import adjust_for_splits_and_dividends, load_prices
    from lstm_tutorial.preprocessing import chronological_split, make_split_windows

    close = adjust_for_splits_and_dividends(load_prices("AAPL", source="sample"))["Close"]
    lookback, test_rows = 10, np.arange(2616, len(close))
    out = return_forecasts(close, test_rows, lookback)
    returns = np.log(close).diff().dropna().to_frame("r")
    split = chronological_split(returns, train=close.index[test_rows[0]])
    rw = make_split_windows(returns, split, lookback=lookback)
    assert (returns.index[rw["test"].target_rows] == close.index[test_rows]).all()
    last = close.to_numpy()[test_rows - 1, None]
    np.testing.assert_array_equal(out.forecasts["zero return"], last)
    np.testing.assert_allclose(out.forecasts["last return"], last * np.exp(rw["test"].X[:, -1]))
    assert out.mean_train_return == pytest.approx(rw["train"].y.mean(), rel=1e-12)
    linear = last * np.exp(linear_forecast(rw["train"].X, rw["train"].y, rw["test"].X))
    np.testing.assert_allclose(out.forecasts["linear on returns"], linear, rtol=1e-10)


def test_return_forecasts_refuse_bad_input():
    from lstm_tutorial.baselines import return_forecasts

    close = 100 + np.arange(50.0)
    with pytest.raises(DataError, match="no training window"):
        return_forecasts(close, [20, 21], lookback=10)
    with pytest.raises(DataError, match="ascending"):
        return_forecasts(close, [40, 30], lookback=5)
    with pytest.raises(DataError, match="positive prices"):
        return_forecasts(-close, [40], lookback=5)
