"""Exercise 2.3: the forget bias, the mean forget gate and what survives nine steps."""
import numpy as np
from otter.test_files import test_case

OK_FORMAT = False
name = "ex-02-3"
points = 3

BIASES = (-2, 0, 1, 3, 5)


def _dict(value, what):
    assert isinstance(value, dict) and set(value) == set(BIASES), \
        f"{what} must be a dict with the forget biases {BIASES} as keys"
    return {k: float(v) for k, v in value.items()}


@test_case(points=1, hidden=True)
def test_mean_forget_gate_follows_the_bias(ex_02_3_mean_f):
    mean_f = _dict(ex_02_3_mean_f, "ex_02_3_mean_f")
    for bias, f in mean_f.items():
        assert abs(f - 1 / (1 + np.exp(-bias))) < 0.03, \
            f"forget bias {bias}: a mean forget gate of {f:.3f} is far from sigmoid({bias}); " \
            "did you change the forget block, columns 32 to 63?"


@test_case(points=1, hidden=True)
def test_kept_fraction(ex_02_3_mean_f, ex_02_3_kept):
    mean_f, kept = _dict(ex_02_3_mean_f, "ex_02_3_mean_f"), _dict(ex_02_3_kept, "ex_02_3_kept")
    assert all(0 <= v <= 1 for v in kept.values()), "a product of forget gates lies in [0, 1]"
    assert kept[-2] < 0.01 and kept[0] < 0.01, "with bias -2 or 0 almost nothing survives 9 steps"
    for bias in (1, 3, 5):
        ratio = kept[bias] / mean_f[bias] ** 9
        assert 0.5 < ratio < 2, \
            f"bias {bias}: the mean of prod f_2..f_10 should be near (mean f)^9; is it a " \
            "product over the nine steps t = 2..10, averaged over units?"


@test_case(points=1, hidden=True)
def test_smallest_bias_keeping_half(ex_02_3_kept, ex_02_3_half_bias):
    kept = _dict(ex_02_3_kept, "ex_02_3_kept")
    assert ex_02_3_half_bias in BIASES, f"ex_02_3_half_bias must be one of {BIASES}"
    assert ex_02_3_half_bias == min(b for b in BIASES if kept[b] > 0.5) == 3, \
        "the smallest tested bias whose mean product f_2..f_10 is above 0.5 is not right"
