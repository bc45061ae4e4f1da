"""Exercise 3b.3: move the markers; does the trained LSTM follow them?"""
import numpy as np
from otter.test_files import test_case

OK_FORMAT = False
name = "ex-03b-3"
points = 3


@test_case(points=1, hidden=True)
def test_moved_markers(ex_03b_3_moved):
    from lstm_tutorial.long_memory import marked_value_task

    X, _, marked = marked_value_task(1000, length=110, lag=100, seed=2)
    moved = np.asarray(ex_03b_3_moved, dtype=float) if ex_03b_3_moved is not None else None
    assert moved is not None and moved.shape == X.shape, \
        f"ex_03b_3_moved must be the test inputs with moved markers, shape {X.shape}"
    assert np.array_equal(moved[:, :, 0], X[:, :, 0]), "keep the values as they are"
    expected = np.zeros(X.shape[:2])
    expected[np.arange(len(X)), (marked + 5) % 10] = 1.0
    assert np.array_equal(moved[:, :, 1], expected), \
        "each sequence must have exactly one marker, at step (m + 5) mod 10"


@test_case(points=1, hidden=True)
def test_follows_the_new_marker(ex_03b_3_error_new):
    assert isinstance(ex_03b_3_error_new, (float, np.floating)), \
        "ex_03b_3_error_new must be a float"
    assert 0 <= ex_03b_3_error_new < 0.1, \
        "the network that solved lag 100 should recall the newly marked values (relative " \
        "error below 0.1); compare with the values at the new marker"


@test_case(points=1, hidden=True)
def test_misses_the_old_targets(ex_03b_3_error_old):
    assert isinstance(ex_03b_3_error_old, (float, np.floating)), \
        "ex_03b_3_error_old must be a float"
    assert 1.5 < ex_03b_3_error_old < 2.5, \
        "a prediction of another, independent value has a relative error near 2"
