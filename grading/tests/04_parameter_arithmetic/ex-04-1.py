"""Exercise 4.1: the window length changes the memory of BPTT, not the parameter count."""
import numpy as np
from otter.test_files import test_case

OK_FORMAT = False
name = "ex-04-1"
points = 2

LOOKBACKS = (60, 250)


@test_case(points=1, hidden=True)
def test_parameter_counts(ex_04_1_param_counts):
    from lstm_tutorial.params import dense_param_count, lstm_param_count

    assert isinstance(ex_04_1_param_counts, dict) and set(ex_04_1_param_counts) == \
        set(LOOKBACKS), f"ex_04_1_param_counts must be a dict with the keys {LOOKBACKS}"
    expected = lstm_param_count(1, 64) + dense_param_count(64, 1)
    assert all(int(v) == expected for v in ex_04_1_param_counts.values()), \
        "build_lstm_regressor(lookback=T) has the same parameters for every T"


@test_case(points=1, hidden=True)
def test_cache_grows_with_the_window(ex_04_1_cache_floats):
    from lstm_tutorial.numpy_lstm import lstm_forward, random_lstm_weights

    assert isinstance(ex_04_1_cache_floats, dict) and set(ex_04_1_cache_floats) == \
        set(LOOKBACKS), f"ex_04_1_cache_floats must be a dict with the keys {LOOKBACKS}"
    W, U, b = random_lstm_weights(d=1, h=64, seed=0)
    for T in LOOKBACKS:
        _, _, cache = lstm_forward(np.zeros((1, T, 1)), W, U, b)
        per_step = sum(getattr(cache, k).size for k in ("x", "i", "f", "c_tilde", "o", "c", "h"))
        got = int(ex_04_1_cache_floats[T])
        assert got == per_step, \
            f"T = {T}: the arrays x, i, f, c_tilde, o, c and h of the cache hold {per_step:,} " \
            f"numbers for one window, not {got:,}"
