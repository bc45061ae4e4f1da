"""lstm_tutorial.windowing: shapes, the loop definition, and Keras' own windows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from lstm_tutorial.errors import DataError
from lstm_tutorial.windowing import make_windows, make_windows_loop, n_windows


def test_t10_on_1000_rows_gives_990_samples():
    values = np.arange(1000.0)
    X, y = make_windows(values, lookback=10)
    assert X.shape == (990, 10, 1) and y.shape == (990, 1)
    for i in (0, 1, 500, 989):
        np.testing.assert_array_equal(X[i, :, 0], values[i : i + 10])
        assert y[i, 0] == values[i + 10]


def test_three_features_and_horizon_five():
    values = np.arange(3000.0).reshape(1000, 3)
    X, y = make_windows(values, lookback=10, horizon=5, target_col=2)
    assert X.shape == (986, 10, 3) and y.shape == (986, 5)
    np.testing.assert_array_equal(y[0], values[10:15, 2])


def test_dataframe_target_by_name():
    df = pd.DataFrame({"Close": np.arange(20.0), "Volume": np.arange(20.0) * 10})
    X, y = make_windows(df, lookback=5, target_col="Volume")
    assert y[0, 0] == 50.0 and X.shape == (15, 5, 2)
    with pytest.raises(DataError, match="not in the table"):
        make_windows(df, lookback=5, target_col="Open")


def test_result_is_a_view_not_a_copy():
    values = np.random.default_rng(0).normal(size=(200, 5))
    X, y = make_windows(values, lookback=60)
    assert np.shares_memory(X, values) and np.shares_memory(y, values)
    assert not X.flags.writeable


@pytest.mark.parametrize(
    ("rows", "lookback", "horizon", "match"),
    [
        (10, 10, 1, "too short"),
        (5, 60, 1, "too short"),
        (100, 0, 1, "lookback must be a positive integer"),
        (100, -3, 1, "lookback must be a positive integer"),
        (100, 10, 0, "horizon must be a positive integer"),
        (100, 2.5, 1, "lookback must be a positive integer"),
    ],
)
def test_bad_sizes(rows, lookback, horizon, match):
    with pytest.raises(DataError, match=match):
        make_windows(np.zeros(rows), lookback=lookback, horizon=horizon)


def test_nan_is_refused():
    values = np.arange(50.0)
    values[7] = np.nan
    with pytest.raises(DataError, match="NaN.*row 7"):
        make_windows(values, lookback=5)


def test_n_windows_counts():
    assert n_windows(1000, 10) == 990
    assert n_windows(1000, 10, horizon=5) == 986


@st.composite
def series_and_settings(draw):
    n_features = draw(st.integers(1, 4))
    lookback = draw(st.integers(1, 12))
    horizon = draw(st.integers(1, 6))
    rows = draw(st.integers(lookback + horizon, lookback + horizon + 40))
    values = draw(
        arrays(np.float64, (rows, n_features), elements=st.floats(-1e6, 1e6, width=64))
    )
    target = draw(st.integers(0, n_features - 1))
    return values, lookback, horizon, target


@settings(max_examples=150, deadline=None)
@given(series_and_settings())
def test_matches_the_loop_definition(case):
    values, lookback, horizon, target = case
    X, y = make_windows(values, lookback, horizon, target)
    Xl, yl = make_windows_loop(values, lookback, horizon, target)
    np.testing.assert_array_equal(X, Xl)
    np.testing.assert_array_equal(y, yl)
    # and the definition itself, sample by sample
    for i in range(len(X)):
        np.testing.assert_array_equal(X[i], values[i : i + lookback])
        np.testing.assert_array_equal(y[i], values[i + lookback : i + lookback + horizon, target])


@settings(max_examples=25, deadline=None)
@given(series_and_settings())
def test_matches_keras_timeseries_dataset_from_array(case):
    """Keras pairs data[i:i+T] with targets[i]; shifting targets by T gives our y."""
    from lstm_tutorial.repro import import_tensorflow

    import_tensorflow()
    import keras

    values, lookback, horizon, target = case
    assume(len(values) - horizon > 1)  # Keras refuses a one-row data array
    X, y = make_windows(values, lookback, horizon, target)
    # Keras takes one target per window; stack `horizon` shifted target series.
    future = np.stack(
        [values[lookback + h : len(values) - horizon + 1 + h, target] for h in range(horizon)],
        axis=1,
    )
    ds = keras.utils.timeseries_dataset_from_array(
        values[: len(values) - horizon], future, sequence_length=lookback,
        batch_size=10_000, shuffle=False,
    )
    (kx, ky), = list(ds.as_numpy_iterator())
    np.testing.assert_array_equal(X, kx)
    np.testing.assert_array_equal(y, ky)
