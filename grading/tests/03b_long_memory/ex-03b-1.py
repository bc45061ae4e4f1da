"""Exercise 3b.1: the relative error of three rules that ignore the marker."""
import numpy as np
from otter.test_files import test_case

OK_FORMAT = False
name = "ex-03b-1"
points = 2

RULES = ("zero", "last", "mean")


def _reference():
    from lstm_tutorial.long_memory import marked_value_task, relative_error

    X, y, _ = marked_value_task(1000, length=110, lag=100, seed=2)   # the lag-100 test set
    return {"zero": relative_error(y, np.zeros_like(y)),
            "last": relative_error(y, X[:, -1, :1]),
            "mean": relative_error(y, X[:, :, :1].mean(axis=1))}


@test_case(points=1, hidden=True)
def test_keys_and_types(ex_03b_1_relative_errors):
    assert isinstance(ex_03b_1_relative_errors, dict) and set(ex_03b_1_relative_errors) == \
        set(RULES), f"ex_03b_1_relative_errors must be a dict with the keys {RULES}"
    assert all(isinstance(v, (float, np.floating)) for v in ex_03b_1_relative_errors.values()), \
        "each relative error is a float"


@test_case(points=1, hidden=True)
def test_values(ex_03b_1_relative_errors):
    assert isinstance(ex_03b_1_relative_errors, dict), "ex_03b_1_relative_errors must be a dict"
    for rule, expected in _reference().items():
        got = ex_03b_1_relative_errors.get(rule)
        assert got is not None and abs(float(got) - expected) < 1e-6, \
            f"rule {rule!r}: {got!r} is not its relative error on the lag-100 test sequences"
