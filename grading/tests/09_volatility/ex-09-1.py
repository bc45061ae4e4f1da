"""Exercise 9.1: QLIKE and squared error of an under- and an over-prediction."""
import numpy as np
from otter.test_files import test_case

OK_FORMAT = False
name = "ex-09-1"
points = 2


def _qlike(y, f):
    return y / f - np.log(y / f) - 1


@test_case(points=1, hidden=True)
def test_losses(ex_09_1_qlike_a, ex_09_1_qlike_b, ex_09_1_sq_error_a, ex_09_1_sq_error_b):
    values = [ex_09_1_qlike_a, ex_09_1_qlike_b, ex_09_1_sq_error_a, ex_09_1_sq_error_b]
    assert all(isinstance(v, (int, float)) for v in values), \
        "define the four losses as floats"
    expected = [_qlike(1.0, 0.5), _qlike(1.0, 1.5), 0.25, 0.25]
    np.testing.assert_allclose(values, expected, atol=1e-3,
                               err_msg="QLIKE is y/f - ln(y/f) - 1; the squared error (y - f)^2")


@test_case(points=1, hidden=True)
def test_preference(ex_09_1_qlike_prefers):
    assert ex_09_1_qlike_prefers in ("A", "B"), 'ex_09_1_qlike_prefers must be "A" or "B"'
    assert ex_09_1_qlike_prefers == "B", \
        "QLIKE punishes under-prediction more: which forecast has the lower QLIKE?"
