"""lstm_tutorial.preprocessing: every window on its own scale."""

from __future__ import annotations

import numpy as np
import pytest

from lstm_tutorial.errors import DataError
from lstm_tutorial.preprocessing import (
    WindowScale,
    denormalize_forecast,
    fit_scaler,
    normalize_windows,
)
from lstm_tutorial.windowing import make_windows


def test_by_hand_two_features():
    # column 0: 10, 11, 13 (changes 1, 2: std 0.5); column 1: 5, 5, 8 (changes 0, 3: std 1.5)
    X = np.array([[[10.0, 5.0], [11.0, 5.0], [13.0, 8.0]]])
    Xn, yn, s = normalize_windows(X, np.array([[12.0, 13.0]]), target_col=0)
    np.testing.assert_allclose(Xn[0], [[-6.0, -2.0], [-4.0, -2.0], [0.0, 0.0]])
    np.testing.assert_allclose(yn, [[-2.0, 0.0]])
    np.testing.assert_allclose(s.last, [[13.0]])
    np.testing.assert_allclose(s.scale, [[0.5]])


def test_round_trip_and_invariance_to_affine_scaling(aapl):
    close = aapl["Adj Close"].to_numpy()[:600]
    X, y = make_windows(close, lookback=20)
    Xn, yn, s = normalize_windows(X, y)
    np.testing.assert_allclose(denormalize_forecast(yn, s), y, rtol=1e-12)
    scaled = fit_scaler(close[:300, None]).transform(close[:, None])   # a * x + b
    Xs, ys = make_windows(scaled, lookback=20)
    Xsn, ysn, _ = normalize_windows(Xs, ys)
    np.testing.assert_allclose(Xsn, Xn, atol=1e-8)
    np.testing.assert_allclose(ysn, yn, atol=1e-8)
    # the level is gone: a window 3x higher normalises to the same numbers
    X3n, _, _ = normalize_windows(3.0 * X)
    np.testing.assert_allclose(X3n, Xn, atol=1e-9)


def test_a_flat_window_does_not_divide_by_zero():
    Xn, yn, s = normalize_windows(np.full((1, 5, 1), 7.0), np.array([7.0]))
    assert np.isfinite(Xn).all() and np.isfinite(yn).all() and s.scale[0, 0] > 0


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: normalize_windows(np.ones((4, 2, 1))), "lookback >= 3"),
        (lambda: normalize_windows(np.ones((4, 5))), "lookback >= 3"),
        (lambda: normalize_windows(np.ones((4, 5, 1)), target_col=1), "not a column"),
        (lambda: normalize_windows(np.full((1, 5, 1), np.nan)), "NaN"),
        (lambda: normalize_windows(np.ones((4, 5, 1)), np.ones(3)), "expected"),
        (lambda: denormalize_forecast(np.ones(3), WindowScale(np.ones((2, 1)), np.ones((2, 1)))),
         "same windows"),
    ],
)
def test_bad_input(call, message):
    with pytest.raises(DataError, match=message):
        call()
