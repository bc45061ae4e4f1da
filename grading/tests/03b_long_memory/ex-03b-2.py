"""Exercise 3b.2: what the trained forget gates keep after the marker, against sigma(5)."""
import numpy as np
from otter.test_files import test_case

OK_FORMAT = False
name = "ex-03b-2"
points = 3


@test_case(points=1, hidden=True)
def test_initial_median(ex_03b_2_initial_median):
    from lstm_tutorial.long_memory import marked_value_task

    assert isinstance(ex_03b_2_initial_median, (float, np.floating)), \
        "ex_03b_2_initial_median must be a float"
    _, _, marked = marked_value_task(1000, length=110, lag=100, seed=2)
    steps_after = 110 - 1 - marked                      # steps after the marked one
    expected = float(np.median((1 / (1 + np.exp(-5.0))) ** steps_after))
    assert abs(ex_03b_2_initial_median - expected) < 1e-6, \
        "sigma(5) to the power of the number of steps after the marker, median over " \
        "the 1,000 test sequences, is not right"


@test_case(points=1, hidden=True)
def test_trained_median(ex_03b_2_trained_median, ex_03b_2_initial_median):
    assert isinstance(ex_03b_2_trained_median, (float, np.floating)), \
        "ex_03b_2_trained_median must be a float"
    assert 0 < ex_03b_2_trained_median < 1, "a product of forget gates lies between 0 and 1"
    assert ex_03b_2_trained_median > 0.05, \
        "a trained network that recalls values 100 steps back keeps far more than this"


@test_case(points=1, hidden=True)
def test_bias_range(ex_03b_2_bias_range):
    assert isinstance(ex_03b_2_bias_range, tuple) and len(ex_03b_2_bias_range) == 2, \
        "ex_03b_2_bias_range must be a tuple (smallest, largest)"
    low, high = (float(v) for v in ex_03b_2_bias_range)
    assert low <= high, "(smallest, largest)"
    assert 2 < low and high < 8, \
        "the trained forget biases started at 5; these are not block f (columns 16 to 31)"
