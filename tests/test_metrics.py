"""Tests of lstm_tutorial.metrics: hand computations, sklearn, and real AAPL closes."""

import math

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import (
    mean_absolute_error,
    mean_absolute_percentage_error,
    root_mean_squared_error,
)

from lstm_tutorial.baselines import linear_forecast, naive_forecast
from lstm_tutorial.errors import DataError
from lstm_tutorial.metrics import (
    COMPARE_COLUMNS,
    compare,
    direction_accuracy,
    mae,
    mape,
    rmse,
    skill_vs_naive,
)
from lstm_tutorial.windowing import make_windows


@pytest.fixture(scope="module")
def aapl_forecasts(aapl):
    close = aapl.loc["2010":, "Close"].to_numpy()
    X, y = make_windows(close, lookback=10)
    n = 600
    return {
        "y": y[n:],
        "last": X[n:, -1, 0],
        "naive": naive_forecast(X[n:]),
        "linear": linear_forecast(X[:n], y[:n], X[n:]),
    }


Y_TRUE = np.array([100.0, 102.0, 101.0, 105.0])
Y_PRED = np.array([101.0, 101.0, 103.0, 105.0])


def test_metrics_by_hand():
    # errors 1, -1, 2, 0
    assert rmse(Y_TRUE, Y_PRED) == pytest.approx(math.sqrt((1 + 1 + 4 + 0) / 4))
    assert mae(Y_TRUE, Y_PRED) == pytest.approx((1 + 1 + 2 + 0) / 4)
    assert mape(Y_TRUE, Y_PRED) == pytest.approx(100 * (1 / 100 + 1 / 102 + 2 / 101) / 4)


def test_metrics_agree_with_sklearn_on_real_data(aapl_forecasts):
    y, p = aapl_forecasts["y"], aapl_forecasts["linear"]
    assert rmse(y, p) == pytest.approx(root_mean_squared_error(y, p))
    assert mae(y, p) == pytest.approx(mean_absolute_error(y, p))
    assert mape(y, p) == pytest.approx(100 * mean_absolute_percentage_error(y, p))


def test_multi_horizon_errors_are_pooled():
    y = np.array([[1.0, 2.0], [3.0, 4.0]])
    p = np.array([[1.0, 2.0], [3.0, 6.0]])
    assert rmse(y, p) == pytest.approx(1.0)  # sqrt(4 / 4)
    assert mae(y, p) == pytest.approx(0.5)


def test_column_and_flat_shapes_are_interchangeable():
    assert rmse(Y_TRUE[:, None], Y_PRED) == rmse(Y_TRUE, Y_PRED[:, None])


def test_direction_accuracy_by_hand():
    last = np.array([100.0, 100.0, 100.0, 100.0, 100.0])
    true = np.array([101.0, 99.0, 100.0, 102.0, 98.0])  # up, down, flat, up, down
    pred = np.array([100.5, 100.5, 101.0, 100.0, 97.0])  # up, up, up, none, down
    # flat actual move left out; right: 1st and 5th; wrong: 2nd and 4th (no move called)
    assert direction_accuracy(true, pred, last) == pytest.approx(2 / 4)
    assert direction_accuracy(true, true, last) == 1.0
    assert direction_accuracy(true, last, last) == 0.0  # naive calls no direction


def test_direction_accuracy_multi_horizon_compares_with_last_observed():
    last = np.array([10.0, 20.0])
    true = np.array([[11.0, 9.0], [21.0, 22.0]])
    pred = np.array([[12.0, 12.0], [19.0, 25.0]])
    assert direction_accuracy(true, pred, last) == pytest.approx(2 / 4)


def test_skill_vs_naive(aapl_forecasts):
    f = aapl_forecasts
    assert skill_vs_naive(f["y"], f["naive"], f["naive"]) == 0.0
    assert skill_vs_naive(f["y"], f["y"], f["naive"]) == 1.0
    expected = 1 - rmse(f["y"], f["linear"]) / rmse(f["y"], f["naive"])
    assert skill_vs_naive(f["y"], f["linear"], f["naive"]) == pytest.approx(expected)


def test_compare_ranks_models_and_includes_naive(aapl_forecasts):
    f = aapl_forecasts
    perfect = f["y"].copy()
    table = compare({"linear": f["linear"], "perfect": perfect}, f["y"], f["last"])
    assert list(table.columns) == COMPARE_COLUMNS
    assert table.index.name == "model"
    assert set(table.index) == {"linear", "perfect", "naive"}
    assert table.index[0] == "perfect"
    assert table["RMSE"].is_monotonic_increasing
    assert table.loc["naive", "skill vs naive"] == 0.0
    assert np.isnan(table.loc["naive", "direction accuracy"])  # calls no direction: n/a
    assert table.loc["perfect", "skill vs naive"] == 1.0
    assert table.loc["linear", "RMSE"] == pytest.approx(rmse(f["y"], f["linear"]))
    assert table.loc["linear", "MAPE %"] == pytest.approx(mape(f["y"], f["linear"]))
    assert table.loc["linear", "direction accuracy"] == pytest.approx(
        direction_accuracy(f["y"], f["linear"], f["last"]))
    # the naive forecast given directly gives the same table
    same = compare({"linear": f["linear"], "perfect": perfect}, f["y"], naive=f["naive"])
    pd.testing.assert_frame_equal(table, same)


@pytest.mark.parametrize(
    "call",
    [
        lambda: rmse([1.0, 2.0], [1.0, 2.0, 3.0]),
        lambda: mae(np.ones((3, 2)), np.ones((3, 1))),
        lambda: rmse([1.0, np.nan], [1.0, 2.0]),
        lambda: rmse([], []),
        lambda: mape([0.0, 1.0], [1.0, 1.0]),
        lambda: direction_accuracy([1.0, 2.0], [1.0, 2.0], [1.0]),
        lambda: direction_accuracy([1.0, 1.0], [2.0, 2.0], [1.0, 1.0]),
        lambda: skill_vs_naive([1.0, 2.0], [1.0, 2.0], [1.0, 2.0]),
        lambda: compare({}, [1.0], [1.0]),
        lambda: compare({"m": [1.0, 2.0]}, [1.0, 2.0]),
        lambda: compare({"m": [1.0, 2.0, 3.0]}, [1.0, 2.0], [0.5, 1.5]),
    ],
)
def test_mismatches_raise_data_error(call):
    with pytest.raises(DataError):
        call()
