"""Tests of lstm_tutorial.evaluation: walk-forward folds and the lag diagnostic."""

import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import TimeSeriesSplit

from lstm_tutorial.baselines import linear_forecast, naive_forecast
from lstm_tutorial.errors import DataError
from lstm_tutorial.evaluation import (
    Fold,
    LagResult,
    lag_diagnostic,
    walk_forward_evaluate,
    walk_forward_splits,
)


@pytest.fixture(scope="module")
def prices(aapl) -> pd.DataFrame:
    return aapl.loc["2010":]


def naive_fit_predict(X_train, y_train, X_test):
    return naive_forecast(X_test, horizon=y_train.shape[1])


@pytest.mark.parametrize("mode", ["expanding", "rolling"])
def test_folds_are_disjoint_ordered_and_never_see_the_future(mode):
    folds = walk_forward_splits(1000, n_folds=6, test_size=80, mode=mode, lookback=20)
    assert len(folds) == 6 and all(isinstance(f, Fold) for f in folds)
    assert [f.fold for f in folds] == list(range(6))
    for f in folds:
        assert len(f.test) == 80
        assert f.train.stop == f.test.start  # training rows end where the test begins
        assert f.train.start >= 0 and f.test.stop <= 1000
    for a, b in zip(folds, folds[1:], strict=False):
        assert a.test.stop == b.test.start  # ordered, disjoint, contiguous
        assert not set(a.test) & set(b.test)
    assert folds[-1].test.stop == 1000
    sizes = [len(f.train) for f in folds]
    if mode == "expanding":
        assert all(f.train.start == 0 for f in folds) and sizes == sorted(sizes)
    else:
        assert len(set(sizes)) == 1


def test_test_blocks_match_sklearn_time_series_split():
    ours = walk_forward_splits(500, n_folds=4, test_size=60)
    theirs = TimeSeriesSplit(n_splits=4, test_size=60).split(np.zeros(500))
    for fold, (train, test) in zip(ours, theirs, strict=True):
        assert list(fold.test) == test.tolist()
        assert list(fold.train) == train.tolist()
    rolling = walk_forward_splits(500, n_folds=4, test_size=60, mode="rolling", train_size=100)
    theirs = TimeSeriesSplit(n_splits=4, test_size=60, max_train_size=100).split(np.zeros(500))
    for fold, (train, _) in zip(rolling, theirs, strict=True):
        assert list(fold.train) == train.tolist()


def test_default_test_size_is_like_sklearn():
    folds = walk_forward_splits(600, n_folds=5)
    assert len(folds[0].test) == 600 // 6


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(n_folds=10, test_size=100),  # no training rows left
        dict(n_folds=5, test_size=150, lookback=300),  # too few rows for one window
        dict(n_folds=2, test_size=3, horizon=5),  # test block shorter than the horizon
        dict(n_folds=2, test_size=100, mode="rolling", train_size=900),
        dict(n_folds=2, test_size=100, train_size=50),  # train_size without rolling
        dict(n_folds=2, test_size=100, mode="sliding"),
        dict(n_folds=0, test_size=100),
    ],
)
def test_impossible_folds_raise_data_error(kwargs):
    with pytest.raises(DataError):
        walk_forward_splits(1000, **kwargs)


def test_walk_forward_naive_has_zero_skill_and_linear_is_scored(prices):
    close = prices[["Close"]]
    naive = walk_forward_evaluate(close, 20, naive_fit_predict, n_folds=4, test_size=100)
    assert list(naive.columns) == [
        "fold", "train start", "train end", "test start", "test end",
        "train samples", "test samples", "RMSE model", "RMSE naive", "skill",
    ]
    np.testing.assert_allclose(naive["RMSE model"], naive["RMSE naive"], rtol=1e-9)
    np.testing.assert_allclose(naive["skill"], 0.0, atol=1e-9)
    assert naive["test samples"].tolist() == [100] * 4
    assert (naive["train end"] < naive["test start"]).all()
    assert naive["test end"].iloc[-1] == close.index[-1]
    assert naive["test start"].is_monotonic_increasing

    linear = walk_forward_evaluate(close, 20, linear_forecast, n_folds=4, test_size=100,
                                   mode="rolling", train_size=300)
    assert (linear["train samples"] == 300 - 20).all()
    np.testing.assert_allclose(linear["RMSE naive"], naive["RMSE naive"])
    assert np.isfinite(linear["skill"]).all()
    assert (linear["RMSE model"] > 0).all()


def test_walk_forward_predictions_are_aligned_with_dates(prices):
    frame = prices[["Close", "Volume"]]
    table, preds = walk_forward_evaluate(
        frame, 10, naive_fit_predict, n_folds=3, test_size=50, horizon=2,
        scaler_kind="standard", return_predictions=True,
    )
    assert table["test samples"].tolist() == [49] * 3  # both targets inside the block
    assert list(preds.columns) == ["fold", "step", "actual", "predicted", "naive"]
    np.testing.assert_allclose(preds["actual"], frame["Close"].loc[preds.index].to_numpy())
    step1 = preds[preds["step"] == 1]
    previous = frame["Close"].shift(1).loc[step1.index].to_numpy()
    np.testing.assert_allclose(step1["naive"], previous)
    np.testing.assert_allclose(step1["predicted"], previous, rtol=1e-9)
    assert preds.index.name == "Date"


def test_a_fold_never_sees_rows_after_its_test_block(prices):
    close = prices["Close"].to_numpy()
    first = walk_forward_evaluate(close, 15, linear_forecast, n_folds=3, test_size=120)
    future_changed = close.copy()
    future_changed[len(close) - 2 * 120:] *= 3.0  # rows after fold 0's test block
    second = walk_forward_evaluate(future_changed, 15, linear_forecast, n_folds=3,
                                   test_size=120)
    pd.testing.assert_series_equal(first.iloc[0], second.iloc[0])
    assert not np.isclose(first["RMSE model"].iloc[1], second["RMSE model"].iloc[1])


def test_scaler_is_fitted_on_each_folds_training_rows(prices):
    seen = []

    def spy(X_train, y_train, X_test):
        seen.append((X_train.min(), X_train.max(), y_train.max()))
        return naive_forecast(X_test)

    walk_forward_evaluate(prices[["Close"]], 5, spy, n_folds=3, test_size=60)
    for lo, hi, y_hi in seen:  # min-max scaled with the training rows' own range
        assert lo >= 0.0 and hi <= 1.0 and y_hi <= 1.0
        assert max(hi, y_hi) == pytest.approx(1.0)


def test_fit_predict_with_wrong_shape_raises(prices):
    with pytest.raises(DataError, match="fit_predict returned"):
        walk_forward_evaluate(prices[["Close"]], 5, lambda X, y, Xt: Xt[:-1, -1, 0],
                              n_folds=2, test_size=50)


def test_lag_diagnostic_finds_one_day_lag_on_real_data(prices):
    close = prices["Close"].to_numpy()
    result = lag_diagnostic(close[1:], close[:-1])  # prediction = yesterday's close
    assert isinstance(result, LagResult)
    assert result.best_lag == 1
    assert result.correlations.loc[1] == pytest.approx(1.0)
    assert list(result.correlations.index) == list(range(-5, 6))
    assert abs(result.correlations.loc[0]) < 0.2
    assert lag_diagnostic(close[2:], close[:-2]).best_lag == 2
    assert lag_diagnostic(close[:-1], close[1:]).best_lag == -1


def test_lag_diagnostic_zero_for_perfect_prediction(prices):
    close = prices["Close"].to_numpy()
    result = lag_diagnostic(close, close, max_lag=3)
    assert result.best_lag == 0
    assert result.correlations.loc[0] == pytest.approx(1.0)


def test_lag_diagnostic_on_walk_forward_naive(prices):
    _, preds = walk_forward_evaluate(prices[["Close"]], 10, naive_fit_predict, n_folds=2,
                                     test_size=150, return_predictions=True)
    assert lag_diagnostic(preds["actual"], preds["predicted"]).best_lag == 1


def test_levels_hide_the_lag(prices):
    close = prices["Close"].to_numpy()
    levels = lag_diagnostic(close[1:], close[:-1], on="levels")
    assert levels.on == "levels"
    assert (levels.correlations > 0.99).all()  # every shift looks excellent on levels


@pytest.mark.parametrize(
    "call",
    [
        lambda c: lag_diagnostic(c[1:], c),
        lambda c: lag_diagnostic(c[:5], c[:5], max_lag=5),
        lambda c: lag_diagnostic(c, np.full_like(c, 3.0)),
        lambda c: lag_diagnostic(c, c, on="returns"),
        lambda c: lag_diagnostic(np.c_[c, c], np.c_[c, c]),
    ],
)
def test_lag_diagnostic_bad_inputs(prices, call):
    with pytest.raises(DataError):
        call(prices["Close"].to_numpy())
