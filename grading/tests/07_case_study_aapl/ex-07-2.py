"""Exercise 7.2: a same-day forecast made at the open, against naive and "close = open"."""
import functools
import numbers

import numpy as np
from otter.test_files import test_case

OK_FORMAT = False
name = "ex-07-2"
points = 3


@functools.lru_cache(maxsize=1)
def _reference():
    from chapter07 import chapter_data, test_start

    df, start = chapter_data()[0], test_start()
    o, h, lo, c = (df[col].to_numpy() for col in ("Open", "High", "Low", "Close"))
    X = np.column_stack([o[1:], o[:-1], h[:-1], lo[:-1], c[:-1], np.ones(len(c) - 1)])
    y = c[1:]
    coef, *_ = np.linalg.lstsq(X[:start - 1], y[:start - 1], rcond=None)
    truth = c[start:]

    def rmse(pred):
        return float(np.sqrt(np.mean((pred - truth) ** 2)))

    return {"linear": rmse(X[start - 1:] @ coef), "open": rmse(o[start:]),
            "naive": rmse(c[start - 1:-1])}


def _check(value, name_, expected, what):
    assert isinstance(value, numbers.Real) and not isinstance(value, bool), \
        f"{name_} must be a float (an RMSE in USD)"
    assert abs(value - expected) <= 5e-3 * expected, (
        f"{name_} is {value:.4f}; the test RMSE of {what} on the chapter's test days is "
        f"{expected:.4f} USD")


@test_case(points=1, hidden=True)
def test_naive_rmse(ex_07_2_rmse_naive):
    _check(ex_07_2_rmse_naive, "ex_07_2_rmse_naive", _reference()["naive"],
           "yesterday's close")


@test_case(points=1, hidden=True)
def test_open_rule_rmse(ex_07_2_rmse_open):
    _check(ex_07_2_rmse_open, "ex_07_2_rmse_open", _reference()["open"], "close = today's open")


@test_case(points=1, hidden=True)
def test_linear_rmse(ex_07_2_rmse_linear):
    _check(ex_07_2_rmse_linear, "ex_07_2_rmse_linear", _reference()["linear"],
           "a least-squares fit on today's open and yesterday's OHLC (training days only)")
