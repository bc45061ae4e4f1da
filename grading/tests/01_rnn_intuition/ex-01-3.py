"""Exercise 1.3: the first distance at which the gradient norm drops below 1e-2."""
import numpy as np
from otter.test_files import test_case

OK_FORMAT = False
name = "ex-01-3"
points = 2

RHOS = (0.6, 0.7, 0.8, 0.9, 1.0, 1.1)


def _reference():
    from lstm_tutorial.data import load_prices
    from lstm_tutorial.numpy_lstm import random_rnn_weights, rnn_jacobian_norms
    from lstm_tutorial.preprocessing import fit_scaler

    close = load_prices("AAPL", source="sample").loc["2012-01-01":].iloc[:101][["Adj Close"]]
    x_long = fit_scaler(close.to_numpy()).transform(close.to_numpy())[None]
    W, U, b = random_rnn_weights(d=1, h=32, seed=0)
    radius = np.abs(np.linalg.eigvals(U)).max()
    out = {}
    for rho in RHOS:
        norms = rnn_jacobian_norms(x_long, W, U * rho / radius, b)[::-1]
        below = np.flatnonzero(norms < 1e-2)
        out[rho] = int(below[0]) if below.size else None
    return out


@test_case(points=1, hidden=True)
def test_all_radii_present(ex_01_3_first_distance):
    assert isinstance(ex_01_3_first_distance, dict), \
        "ex_01_3_first_distance must be a dict {rho: distance or None}"
    assert set(ex_01_3_first_distance) == set(RHOS), f"the keys must be the radii {RHOS}"


@test_case(points=1, hidden=True)
def test_distances(ex_01_3_first_distance):
    assert isinstance(ex_01_3_first_distance, dict), "ex_01_3_first_distance must be a dict"
    for rho, expected in _reference().items():
        got = ex_01_3_first_distance.get(rho, "missing")
        if expected is None:
            assert got is None, f"rho = {rho}: the norm stays above 1e-2 within 100 steps (None)"
        else:
            assert isinstance(got, (int, np.integer)) and abs(int(got) - expected) <= 1, \
                f"rho = {rho}: {got!r} is not the first distance with a norm below 1e-2"
