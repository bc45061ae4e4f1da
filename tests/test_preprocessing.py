"""lstm_tutorial.preprocessing: chronological splits, train-only scaling, span-safe windows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.preprocessing import MinMaxScaler

from lstm_tutorial.errors import DataError
from lstm_tutorial.preprocessing import (
    MeanRangeScaler,
    chronological_split,
    fit_scaler,
    inverse_target,
    make_split_windows,
)


def test_fraction_split_is_chronological(aapl):
    split = chronological_split(aapl, train=0.7, val=0.1)
    assert split.sizes() == {"train": 2289, "val": 327, "test": 654}
    assert split.train.index[-1] < split.val.index[0] <= split.val.index[-1] < split.test.index[0]
    assert sum(split.sizes().values()) == len(aapl)


def test_date_split(aapl):
    split = chronological_split(aapl, train="2010-01-01", val="2012-01-01")
    assert split.train.index[-1] < pd.Timestamp("2010-01-01") <= split.val.index[0]
    assert split.test.index[0] >= pd.Timestamp("2012-01-01")
    assert "train=" in repr(split) and "2012-" in repr(split)


@pytest.mark.parametrize(("train", "val"), [(0.0, 0.1), (1.0, 0.0), (0.8, 0.2), (0.7, -0.1)])
def test_bad_fractions(train, val):
    with pytest.raises(DataError, match="fractions"):
        chronological_split(np.arange(100), train=train, val=val)


def test_scaler_sees_only_the_training_span(aapl):
    close = aapl[["Close"]]
    split = chronological_split(close, train=0.7)
    scaler = fit_scaler(split.train)
    assert scaler.data_max_[0] == split.train["Close"].max()
    assert scaler.data_max_[0] < close["Close"].max()  # AAPL rose after the training span
    # Test-span values above the training max scale above 1: nothing was peeked at.
    assert scaler.transform(split.test.to_numpy()).max() > 1.0


def test_inverse_target_matches_sklearn():
    rng = np.random.default_rng(1)
    table = rng.normal(size=(50, 3)) * [10, 100, 1] + [5, 1000, 0]
    for kind in ("minmax", "standard", "mean_range"):
        scaler = fit_scaler(table, kind=kind)
        scaled = scaler.transform(table)
        np.testing.assert_allclose(inverse_target(scaler, scaled[:, 1], target_col=1), table[:, 1])
        np.testing.assert_allclose(
            inverse_target(scaler, scaled[:, 1], 1), scaler.inverse_transform(scaled)[:, 1]
        )


def test_mean_range_scaler_uses_training_statistics_only(etf0050):
    """The 0050 tutorial's (x - mean) / (max - min), fitted on the training rows."""
    table = etf0050[["Close", "Volume"]]
    split = chronological_split(table, train=0.75)
    scaler = fit_scaler(split.train, kind="mean_range")
    assert isinstance(scaler, MeanRangeScaler)
    train = split.train.to_numpy(dtype=float)
    expected = (table.to_numpy(dtype=float) - train.mean(axis=0)) / np.ptp(train, axis=0)
    np.testing.assert_allclose(scaler.transform(table), expected)
    np.testing.assert_allclose(scaler.inverse_transform(scaler.transform(table)), table)
    # fitted on the whole table instead, the statistics differ: that is the leak
    leaky = fit_scaler(table, kind="mean_range")
    assert not np.allclose(leaky.mean_, scaler.mean_)


def test_mean_range_scaler_refuses_a_constant_column():
    with pytest.raises(DataError, match="constant"):
        fit_scaler(np.array([[1.0, 5.0], [2.0, 5.0]]), kind="mean_range")


def test_unknown_scaler_kind():
    with pytest.raises(DataError, match="unknown scaler"):
        fit_scaler(np.ones((3, 1)), kind="robust")
    assert isinstance(fit_scaler(np.arange(4.0)), MinMaxScaler)


@settings(max_examples=100, deadline=None)
@given(
    n=st.integers(60, 300),
    train=st.floats(0.3, 0.6),
    val=st.floats(0.05, 0.2),
    lookback=st.integers(1, 15),
    horizon=st.integers(1, 5),
)
def test_no_target_leaves_its_span(n, train, val, lookback, horizon):
    values = np.arange(float(n))  # value == row number, so targets name their rows
    split = chronological_split(values, train=train, val=val)
    sizes = split.sizes()
    if sizes["train"] < lookback + horizon or min(sizes["val"], sizes["test"]) < horizon:
        with pytest.raises(DataError, match="too few for one window"):
            make_split_windows(values, split, lookback, horizon)
        return
    windows = make_split_windows(values, split, lookback, horizon)
    for span, (X, y, rows) in windows.items():
        start, stop = split.bounds(span)
        assert y.min() >= start and y.max() < stop, span
        np.testing.assert_array_equal(y[:, 0], rows)
        # inputs are the rows just before the first target (context may precede the span)
        np.testing.assert_array_equal(X[:, -1, 0], rows - 1)
    # the spans' targets are disjoint and ordered
    firsts = [windows[s].target_rows for s in ("train", "val", "test") if s in windows]
    joined = np.concatenate(firsts)
    assert np.all(np.diff(joined) > 0)
    # training never sees a target (nor an input) at or after the training end
    tr = windows["train"]
    assert tr.y.max() < split.train_end and tr.X.max() < split.train_end


def test_test_windows_use_validation_rows_as_context():
    values = np.arange(100.0)
    split = chronological_split(values, train=0.6, val=0.2)
    w = make_split_windows(values, split, lookback=10)
    assert w["test"].X[0, 0, 0] == 70.0 and w["test"].y[0, 0] == 80.0
    assert len(w["test"].X) == 20 and len(w["val"].X) == 20 and len(w["train"].X) == 50


def test_a_span_too_short_for_one_window_is_an_error():
    split = chronological_split(np.arange(40.0), train=0.3, val=0.1)  # train 12, val 4
    with pytest.raises(DataError, match="train span has 12 rows.*lookback \\+ horizon = 13"):
        make_split_windows(np.arange(40.0), split, lookback=12)
    with pytest.raises(DataError, match="val span has 4 rows.*horizon = 5"):
        make_split_windows(np.arange(40.0), split, lookback=3, horizon=5)


def test_values_must_match_the_split():
    split = chronological_split(np.arange(100.0), train=0.8)
    with pytest.raises(DataError, match="window the same table"):
        make_split_windows(np.arange(90.0), split, lookback=5)
