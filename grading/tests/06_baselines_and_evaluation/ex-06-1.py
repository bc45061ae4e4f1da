"""Exercise 6.1: the naive forecast's RMSE and best lag on the AAPL test span."""
import numpy as np
from chapter06 import test_windows
from otter.test_files import test_case

from lstm_tutorial.evaluation import lag_diagnostic

OK_FORMAT = False
name = "ex-06-1"
points = 2


@test_case(points=1, hidden=True)
def test_naive_rmse(ex_06_1_naive_rmse):
    assert isinstance(ex_06_1_naive_rmse, (int, float)), "ex_06_1_naive_rmse must be a float"
    _, w = test_windows("AAPL")
    test = w["test"]
    expected = float(np.sqrt(np.mean((test.y[:, 0] - test.X[:, -1, 0]) ** 2)))
    assert abs(ex_06_1_naive_rmse - expected) < 1e-6 * expected, \
        "the RMSE of 'tomorrow = today' on the chapter's AAPL test span (adjusted USD)"


@test_case(points=1, hidden=True)
def test_naive_best_lag(ex_06_1_naive_best_lag):
    assert isinstance(ex_06_1_naive_best_lag, (int, np.integer)), \
        "ex_06_1_naive_best_lag must be an int"
    _, w = test_windows("AAPL")
    test = w["test"]
    expected = lag_diagnostic(test.y[:, 0], test.X[:, -1, 0]).best_lag
    assert ex_06_1_naive_best_lag == expected, \
        "lag_diagnostic of the naive forecast on changes: it copies yesterday's move"
