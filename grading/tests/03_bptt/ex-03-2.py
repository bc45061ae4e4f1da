"""Exercise 3.2: BPTT against finite differences on a tiny LSTM."""
import numpy as np
from otter.test_files import test_case

OK_FORMAT = False
name = "ex-03-2"
points = 2


def _reference():
    from lstm_tutorial.data import load_prices
    from lstm_tutorial.numpy_lstm import lstm_backward, lstm_forward, random_lstm_weights
    from lstm_tutorial.preprocessing import fit_scaler
    from lstm_tutorial.windowing import make_windows

    close = load_prices("AAPL", source="sample").loc["2012-01-01":].iloc[:26][["Adj Close"]]
    values = fit_scaler(close.to_numpy()).transform(close.to_numpy())
    xt, _ = make_windows(values, lookback=5)
    xt = np.ascontiguousarray(xt[:2])
    W, U, b = random_lstm_weights(d=1, h=3, seed=0)
    h, _, cache = lstm_forward(xt, W, U, b)
    return lstm_backward(h, cache)


@test_case(points=1, hidden=True)
def test_gradients(ex_03_2_grads):
    assert isinstance(ex_03_2_grads, dict) and {"W", "U", "b"} <= set(ex_03_2_grads), \
        'ex_03_2_grads must be a dict with the keys "W", "U" and "b"'
    expected = _reference()
    for key in ("W", "U", "b"):
        got = np.asarray(ex_03_2_grads[key], dtype=float)
        assert got.shape == expected[key].shape, f"{key}: shape {got.shape}, expected " \
            f"{expected[key].shape}"
        assert np.allclose(got, expected[key], rtol=1e-6, atol=1e-9), \
            f"the gradient for {key} is not that of L = sum(h**2) / 2 on the first two " \
            "5-day windows with random_lstm_weights(d=1, h=3, seed=0)"


@test_case(points=1, hidden=True)
def test_difference(ex_03_2_max_abs_diff):
    assert isinstance(ex_03_2_max_abs_diff, (float, np.floating)), \
        "ex_03_2_max_abs_diff must be a float"
    assert 0 < ex_03_2_max_abs_diff < 1e-7, \
        "finite differences with eps = 1e-6 agree with BPTT to about 1e-10, never exactly"
