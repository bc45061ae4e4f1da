"""Exercise 3.1: truncated BPTT loses the contributions of the early steps to dL/dU."""
import numpy as np
from otter.test_files import test_case

OK_FORMAT = False
name = "ex-03-1"
points = 2

KS = (1, 2, 5, 10)


def _errors(value):
    assert isinstance(value, dict) and set(value) == set(KS), \
        f"ex_03_1_truncation_error must be a dict with the keys {KS}"
    errors = {k: float(v) for k, v in value.items()}
    assert all(np.isfinite(v) and v >= 0 for v in errors.values()), \
        "relative errors are finite and not negative"
    return errors


@test_case(points=1, hidden=True)
def test_full_window_loses_nothing(ex_03_1_truncation_error):
    errors = _errors(ex_03_1_truncation_error)
    assert errors[10] < 1e-10, "carrying the gradient back all 10 steps is full BPTT: error 0"


@test_case(points=1, hidden=True)
def test_short_truncation_loses_terms(ex_03_1_truncation_error):
    errors = _errors(ex_03_1_truncation_error)
    assert errors[1] > 1e-2, "with k = 1 only the last step's term h_(T-1)^T da_T is left; " \
        "the error cannot be that small"
    assert errors[1] > errors[5] > errors[10], \
        "carrying the gradient further back should bring dL/dU closer to the full one"
