"""Exercise 1.4: the exploding RNN fed unscaled closes: the norms and the saturation."""
import numpy as np
from otter.test_files import test_case

OK_FORMAT = False
name = "ex-01-4"
points = 3


def _reference():
    from lstm_tutorial.data import load_prices
    from lstm_tutorial.numpy_lstm import random_rnn_weights, rnn_forward, rnn_jacobian_norms

    raw = load_prices("AAPL", source="sample").loc["2012-01-01":].iloc[:101]
    x = raw[["Adj Close"]].to_numpy()[None]                    # adjusted closes, USD
    W, U, b = random_rnn_weights(d=1, h=32, seed=0)
    U = U * 1.5 / np.abs(np.linalg.eigvals(U)).max()
    norms = rnn_jacobian_norms(x, W, U, b)[::-1]
    h, _ = rnn_forward(x, W, U, b)
    return [norms[d] for d in (1, 5, 10)], float((np.abs(h) > 0.99).mean())


@test_case(points=1, hidden=True)
def test_norms(ex_01_4_norms):
    assert isinstance(ex_01_4_norms, (list, tuple, np.ndarray)) and len(ex_01_4_norms) == 3, \
        "ex_01_4_norms must hold three numbers: the norms at distances 1, 5 and 10"
    expected, _ = _reference()
    assert np.allclose(np.asarray(ex_01_4_norms, dtype=float), expected, rtol=1e-6), \
        "the norms differ from rho = 1.5 on the unscaled (adjusted) closes of the 101 days"


@test_case(points=1, hidden=True)
def test_saturated_share(ex_01_4_saturated_share):
    assert isinstance(ex_01_4_saturated_share, (float, np.floating)), \
        "ex_01_4_saturated_share must be a float between 0 and 1"
    _, expected = _reference()
    assert abs(ex_01_4_saturated_share - expected) < 1e-9, \
        "the share of hidden states with |h| > 0.99 (over all steps and units) is not right"


@test_case(points=1, hidden=True)
def test_culprit(ex_01_4_culprit):
    options = ("recurrent kernel", "tanh derivative")
    assert ex_01_4_culprit in options, f"ex_01_4_culprit must be one of {options}"
    assert ex_01_4_culprit == "tanh derivative", \
        "rho = 1.5 makes U larger than on scaled inputs: which factor shrinks the product?"
