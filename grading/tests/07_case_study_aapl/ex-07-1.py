"""Exercise 7.1: model B1's input kernel, what is known before the open, the midpoint's skill."""
import functools
import numbers

import numpy as np
from otter.test_files import test_case

OK_FORMAT = False
name = "ex-07-1"
points = 3

INPUTS = {"Open", "High", "Low", "Volume"}


@functools.lru_cache(maxsize=1)
def _midpoint_skill():
    from chapter07 import chapter_data, test_start

    df, start = chapter_data()[0], test_start()
    close = df["Close"].to_numpy()
    truth, naive = close[start:], close[start - 1:-1]
    mid = ((df["High"] + df["Low"]) / 2).to_numpy()[start:]
    return 1 - np.sqrt(np.mean((mid - truth) ** 2)) / np.sqrt(np.mean((naive - truth) ** 2))


@test_case(points=1, hidden=True)
def test_one_input_weight_per_gate_unit(ex_07_1_weights_per_gate_unit):
    value = ex_07_1_weights_per_gate_unit
    assert isinstance(value, numbers.Integral) and not isinstance(value, bool), \
        "ex_07_1_weights_per_gate_unit must be an int"
    assert value == 1, ("with inputs shaped (4, 1) each step carries one number, so the input "
                        "kernel has one row: look at its shape")


@test_case(points=1, hidden=True)
def test_nothing_is_known_before_the_open(ex_07_1_known_before_open):
    value = ex_07_1_known_before_open
    assert isinstance(value, (list, tuple, set)), \
        "ex_07_1_known_before_open must be a list of input names (possibly empty)"
    assert set(value) <= INPUTS, f"name only inputs among {sorted(INPUTS)}"
    assert not value, ("before the market opens none of the four is known: the Open at the "
                       "open, High, Low and Volume only after the close")


@test_case(points=1, hidden=True)
def test_midpoint_skill_matches_the_data(ex_07_1_midpoint_skill):
    value = ex_07_1_midpoint_skill
    assert isinstance(value, numbers.Real) and not isinstance(value, bool), \
        "ex_07_1_midpoint_skill must be a float"
    expected = _midpoint_skill()
    assert abs(value - expected) < 1e-3, (
        f"the skill 1 - RMSE/RMSE_naive of (High + Low)/2 on the test days is {expected:.3f}, "
        f"not {value:.3f}: use the same day's High and Low and yesterday's close as naive")
