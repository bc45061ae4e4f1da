"""Exercise 5.3: the scaler leak measured on 0050.TW's Close (80 % training)."""
import numpy as np
from otter.test_files import test_case
from sklearn.preprocessing import MinMaxScaler

from lstm_tutorial.data import adjust_for_splits_and_dividends, load_prices

OK_FORMAT = False
name = "ex-05-3"
points = 2


def _scaled():
    raw = load_prices("0050.TW", "2017-01-01", "2018-04-30", glitches="repair")
    close = adjust_for_splits_and_dividends(raw)[["Close"]].to_numpy()
    n_train = int(np.floor(0.8 * len(close)))
    honest = MinMaxScaler().fit(close[:n_train]).transform(close)[:, 0]
    leak = MinMaxScaler().fit(close).transform(close)[:, 0]
    return honest, leak, n_train


@test_case(points=1, hidden=True)
def test_share_of_test_rows_outside(ex_05_3_honest_outside):
    assert isinstance(ex_05_3_honest_outside, (int, float)), \
        "ex_05_3_honest_outside must be a number (a percentage)"
    honest, _, n_train = _scaled()
    # the boundary row may count either way: accept the shares with and without a tolerance
    test = honest[n_train:]
    strict = 100 * np.mean((test < 0) | (test > 1))
    loose = 100 * np.mean((test < -1e-6) | (test > 1 + 1e-6))
    assert min(strict, loose) - 0.01 <= ex_05_3_honest_outside <= max(strict, loose) + 0.01, \
        "the percentage (0 to 100) of test rows outside 0..1 with the scaler fitted on training"


@test_case(points=1, hidden=True)
def test_leaky_training_range(ex_05_3_leak_train_max):
    assert isinstance(ex_05_3_leak_train_max, (int, float)), \
        "ex_05_3_leak_train_max must be a float"
    _, leak, n_train = _scaled()
    assert abs(ex_05_3_leak_train_max - leak[:n_train].max()) < 1e-6, \
        "the largest training value scaled by the scaler fitted on all rows"
    assert ex_05_3_leak_train_max < 1, "with the leak, the training rows do not reach 1"
