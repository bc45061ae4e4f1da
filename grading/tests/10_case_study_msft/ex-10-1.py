"""Exercise 10.1: the tutorial's checkpoint against its last epoch, on the validation days."""
import functools
import numbers

import numpy as np
from otter.test_files import test_case

OK_FORMAT = False
name = "ex-10-1"
points = 3


@functools.lru_cache(maxsize=1)
def _naive_rmse():
    from lstm_tutorial.data import load_prices

    close = load_prices("MSFT", "2010-01-01", "2016-12-31")["Close"].to_numpy()
    n_train = int(round(0.75 * (len(close) - 1)))
    truth, last = close[n_train + 1:], close[n_train:-1]
    return float(np.sqrt(np.mean((truth - last) ** 2)))


def _five(value, name_):
    assert value is not None and value is not ..., f"define {name_}"
    arr = np.asarray(value, dtype=float).ravel()
    assert arr.size == 5, f"{name_} needs one RMSE per seed (5), got {arr.size}"
    return arr


@test_case(points=1, hidden=True)
def test_naive_rmse(ex_10_1_naive_rmse):
    value = ex_10_1_naive_rmse
    assert isinstance(value, numbers.Real) and not isinstance(value, bool), \
        "ex_10_1_naive_rmse must be a float"
    expected = _naive_rmse()
    assert abs(value - expected) < 1e-3 * expected, (
        f"the naive RMSE on the tutorial's validation days (quoted close) is {expected:.3f} USD")


@test_case(points=1, hidden=True)
def test_checkpoint_is_never_worse_than_the_last_epoch(ex_10_1_checkpoint_rmse,
                                                        ex_10_1_last_rmse):
    kept = _five(ex_10_1_checkpoint_rmse, "ex_10_1_checkpoint_rmse")
    last = _five(ex_10_1_last_rmse, "ex_10_1_last_rmse")
    naive = _naive_rmse()
    assert np.all(kept <= last + 1e-9), (
        "the checkpoint keeps the epoch with the lowest validation loss, so its RMSE cannot "
        "exceed the last epoch's")
    for arr, what in ((kept, "checkpoint"), (last, "last epoch")):
        assert np.all((arr > 0.5 * naive) & (arr < 10 * naive)), (
            f"{what} RMSEs {np.round(arr, 3).tolist()} are not in USD: convert the scaled MSE "
            "with the square root times the price range of the whole series")


@test_case(points=1, hidden=True)
def test_honest_span(ex_10_1_honest_span):
    assert ex_10_1_honest_span in ("training", "validation", "test"), \
        'ex_10_1_honest_span must be "training", "validation" or "test"'
    assert ex_10_1_honest_span == "test", (
        "the validation days chose the epoch and the learning rate; an honest score needs "
        "days nothing has looked at")
