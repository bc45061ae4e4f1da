"""Exercise 3.3: forget bias, path factor, entry factor and the gradient at distance 50."""
import numpy as np
from otter.test_files import test_case

OK_FORMAT = False
name = "ex-03-3"
points = 3

BIASES = (0, 1, 2, 3, 5)


def _dict(value, what):
    assert isinstance(value, dict) and set(value) == set(BIASES), \
        f"{what} must be a dict with the forget biases {BIASES} as keys"
    out = {k: float(v) for k, v in value.items()}
    assert all(np.isfinite(v) and v >= 0 for v in out.values()), f"{what}: finite, >= 0"
    return out


@test_case(points=1, hidden=True)
def test_path_factor(ex_03_3_mean_f, ex_03_3_path):
    mean_f, path = _dict(ex_03_3_mean_f, "ex_03_3_mean_f"), _dict(ex_03_3_path, "ex_03_3_path")
    for bias in BIASES:
        assert abs(mean_f[bias] - 1 / (1 + np.exp(-bias))) < 0.03, \
            f"bias {bias}: the mean forget gate should be near sigmoid({bias})"
        ratio = path[bias] / mean_f[bias] ** 50
        assert 0.1 < ratio < 10, \
            f"bias {bias}: the path factor (product of f over the last 50 steps, averaged " \
            "over units) should be of the order of (mean f)^50"


@test_case(points=1, hidden=True)
def test_entry_factor(ex_03_3_entry):
    entry = _dict(ex_03_3_entry, "ex_03_3_entry")
    assert all(0 < v <= 1 for v in entry.values()), "1 - tanh^2 lies in (0, 1]"
    assert entry[0] > entry[2] > entry[5], \
        "with open forget gates the cell state grows and tanh saturates: the entry factor falls"


@test_case(points=1, hidden=True)
def test_reach_peaks_inside(ex_03_3_reach_50):
    reach = _dict(ex_03_3_reach_50, "ex_03_3_reach_50")
    best = max(reach, key=reach.get)
    assert best not in (0, 5), \
        "|dL/dC_t| at distance 50 should be largest for a middle bias, not at either end"
    assert reach[0] < 1e-6, "with forget bias 0 almost nothing reaches 50 steps back"
