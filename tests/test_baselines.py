"""Tests of lstm_tutorial.baselines on real AAPL closes."""

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LinearRegression

from lstm_tutorial.baselines import (
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
