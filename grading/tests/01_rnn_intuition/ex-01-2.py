"""Exercise 1.2: a two-feature RNN stepped by hand on the ten-day window."""
import numpy as np
from otter.test_files import test_case

OK_FORMAT = False
name = "ex-01-2"
points = 3


def _reference_states():
    from lstm_tutorial.data import load_prices
    from lstm_tutorial.numpy_lstm import random_rnn_weights, rnn_forward
    from lstm_tutorial.preprocessing import fit_scaler

    raw = load_prices("AAPL", source="sample")
    window = raw.loc["2012-09-10":].iloc[:10]
    feats = np.column_stack([window["Adj Close"], window["Volume"]])   # adjusted close, volume
    x2 = fit_scaler(feats).transform(feats)
    W2, U2, b2 = random_rnn_weights(d=2, h=3, seed=1)
    h, _ = rnn_forward(x2[None], W2, U2, b2)
    return h[0]


@test_case(points=1, hidden=True)
def test_states_match_the_recurrence(ex_01_2_states):
    assert ex_01_2_states is not None and ex_01_2_states is not ..., \
        "define ex_01_2_states: your hand-stepped h_1..h_10, shape (10, 3)"
    states = np.asarray(ex_01_2_states, dtype=float)
    assert states.shape == (10, 3), f"ex_01_2_states must have shape (10, 3), got {states.shape}"
    assert np.allclose(states, _reference_states(), atol=1e-8), \
        "the states differ from the RNN on the scaled close and volume with " \
        "random_rnn_weights(d=2, h=3, seed=1); one scaler fitted on both columns of the window?"


@test_case(points=1, hidden=True)
def test_difference_to_rnn_forward(ex_01_2_max_diff):
    assert isinstance(ex_01_2_max_diff, (float, np.floating)), \
        "ex_01_2_max_diff must be a float (the largest |by hand - rnn_forward|)"
    assert 0 <= ex_01_2_max_diff < 1e-10, "by hand and rnn_forward should agree to round-off"


@test_case(points=1, hidden=True)
def test_which_weight_changed(ex_01_2_changed):
    assert ex_01_2_changed in ("W", "U", "b"), 'ex_01_2_changed must be "W", "U" or "b"'
    assert ex_01_2_changed == "W", "only one array depends on the number of features"
