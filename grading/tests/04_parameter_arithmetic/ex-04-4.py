"""Exercise 4.4: 20-day windows of four features, scaled on the training span only."""
import numpy as np
from otter.test_files import test_case

OK_FORMAT = False
name = "ex-04-4"
points = 3


def _reference():
    from lstm_tutorial.data import load_prices
    from lstm_tutorial.preprocessing import chronological_split, fit_scaler
    from lstm_tutorial.windowing import make_windows

    raw = load_prices("AAPL", source="sample")
    factor = raw["Adj Close"] / raw["Close"]                     # adjusted prices
    feats = raw[["Open", "High", "Low", "Volume"]].copy()
    for col in ("Open", "High", "Low"):
        feats[col] = raw[col] * factor
    split = chronological_split(feats, train=0.7)
    scaled = fit_scaler(split.train).transform(split.data.to_numpy())
    return make_windows(scaled, lookback=20, target_col=0)


@test_case(points=1, hidden=True)
def test_windows(ex_04_4_X):
    assert ex_04_4_X is not None and ex_04_4_X is not ..., "define ex_04_4_X"
    X, _ = _reference()
    got = np.asarray(ex_04_4_X, dtype=float)
    assert got.shape == X.shape, f"X must have shape {X.shape} (windows, 20 days, 4 features)"
    assert np.allclose(got, X, atol=1e-9), \
        "X differs from 20-day windows of the four features scaled by a min-max scaler " \
        "fitted on the first 70 % of the rows only"


@test_case(points=1, hidden=True)
def test_targets(ex_04_4_y):
    _, y = _reference()
    got = np.asarray(ex_04_4_y, dtype=float) if ex_04_4_y is not None else None
    assert got is not None and got.shape == y.shape and np.allclose(got, y, atol=1e-9), \
        f"y must be the next day's first column (scaled open), shape {y.shape}"


@test_case(points=1, hidden=True)
def test_parameter_count(ex_04_4_count):
    from lstm_tutorial.params import dense_param_count, lstm_param_count

    assert isinstance(ex_04_4_count, int), "ex_04_4_count must be an int"
    assert ex_04_4_count == lstm_param_count(4, 50) + dense_param_count(50, 1), \
        "LSTM(50) -> Dense(1) on 4 features per step: the count is not right"
