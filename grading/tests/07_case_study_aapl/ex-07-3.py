"""Exercise 7.3: the linear baseline's test RMSE for five lookbacks, with the naive RMSE."""
import functools
import numbers

import numpy as np
from otter.test_files import test_case

OK_FORMAT = False
name = "ex-07-3"
points = 2

LOOKBACKS = (5, 10, 20, 60, 120)


@functools.lru_cache(maxsize=1)
def _reference():
    from chapter07 import chapter_data

    from lstm_tutorial.baselines import fit_linear_baseline
    from lstm_tutorial.preprocessing import fit_scaler, inverse_target, make_split_windows

    df, split = chapter_data()
    scaler = fit_scaler(split.train[["Close"]])
    scaled = scaler.transform(df[["Close"]].to_numpy())
    out = {}
    for lookback in LOOKBACKS:
        w = make_split_windows(scaled, split, lookback=lookback)
        pred = inverse_target(scaler, fit_linear_baseline(w["train"].X, w["train"].y)
                              .predict(w["test"].X)[:, 0])
        truth = inverse_target(scaler, w["test"].y[:, 0])
        out[lookback] = float(np.sqrt(np.mean((pred - truth) ** 2)))
    close = df["Close"].to_numpy()
    start = split.bounds("test")[0]
    naive = float(np.sqrt(np.mean((close[start - 1:-1] - close[start:]) ** 2)))
    return out, naive


@test_case(points=1, hidden=True)
def test_linear_rmse_per_lookback(ex_07_3_linear_rmse):
    assert isinstance(ex_07_3_linear_rmse, dict), \
        "ex_07_3_linear_rmse must be a dict: lookback -> test RMSE in USD"
    got = {int(k): v for k, v in ex_07_3_linear_rmse.items()}
    assert set(got) == set(LOOKBACKS), f"give the RMSE for exactly the lookbacks {LOOKBACKS}"
    expected, _ = _reference()
    for lookback in LOOKBACKS:
        value = got[lookback]
        assert isinstance(value, numbers.Real), f"the RMSE for lookback {lookback} must be a float"
        assert abs(value - expected[lookback]) <= 1e-3 * expected[lookback], (
            f"lookback {lookback}: expected a test RMSE of {expected[lookback]:.4f} USD, got "
            f"{value:.4f} (model A's scaler, make_split_windows, RMSE in USD)")


@test_case(points=1, hidden=True)
def test_naive_rmse(ex_07_3_naive_rmse):
    value = ex_07_3_naive_rmse
    assert isinstance(value, numbers.Real) and not isinstance(value, bool), \
        "ex_07_3_naive_rmse must be a float"
    _, expected = _reference()
    assert abs(ex_07_3_naive_rmse - expected) <= 1e-3 * expected, (
        f"the naive RMSE on the test days is {expected:.4f} USD, not {ex_07_3_naive_rmse:.4f}")
