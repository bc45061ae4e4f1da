"""Exercise 2.2: the textbook output-gate matrix from Keras' arrays, and o_1 from it."""
import numpy as np
from otter.test_files import test_case

OK_FORMAT = False
name = "ex-02-2"
points = 3


def _first_day_features():
    from lstm_tutorial.data import load_prices
    from lstm_tutorial.preprocessing import fit_scaler

    raw = load_prices("AAPL", source="sample").loc["2012-09-10":].iloc[:10]
    factor = raw["Adj Close"] / raw["Close"]                      # adjusted prices
    feats = np.column_stack([raw["Adj Close"], raw["Volume"], (raw["High"] - raw["Low"]) * factor])
    return fit_scaler(feats).transform(feats)[0]                  # day 1: (3,)


@test_case(points=1, hidden=True)
def test_shape(ex_02_2_W_o):
    assert ex_02_2_W_o is not None and ex_02_2_W_o is not ..., "define ex_02_2_W_o"
    assert np.shape(ex_02_2_W_o) == (32, 35), \
        f"W_o must be 32 x 35 (units x [h_(t-1), x_t]), got {np.shape(ex_02_2_W_o)}"


@test_case(points=1, hidden=True)
def test_o_1_follows_from_W_o(ex_02_2_W_o, ex_02_2_o_1):
    assert np.shape(ex_02_2_W_o) == (32, 35) and np.shape(ex_02_2_o_1) == (32,), \
        "ex_02_2_W_o must be (32, 35) and ex_02_2_o_1 (32,)"
    o_1 = np.asarray(ex_02_2_o_1, dtype=float)
    assert ((o_1 > 0) & (o_1 < 1)).all(), "o_1 is a sigmoid: every entry between 0 and 1"
    x_1 = _first_day_features()
    # h_0 = 0, so only the last three columns (for x_1) act; Keras starts b_o at zero
    expected = 1 / (1 + np.exp(-(np.asarray(ex_02_2_W_o, dtype=float)[:, 32:] @ x_1)))
    assert np.allclose(o_1, expected, atol=1e-6), \
        "o_1 is not sigmoid(W_o [h_0, x_1] + b_o) with h_0 = 0 and the first day's scaled " \
        "close, volume and range (the columns of W_o follow [h_(t-1), x_t])"


@test_case(points=1, hidden=True)
def test_agrees_with_lstm_forward(ex_02_2_max_diff):
    assert isinstance(ex_02_2_max_diff, (float, np.floating)), "ex_02_2_max_diff must be a float"
    assert 0 <= ex_02_2_max_diff < 1e-6, \
        "o_1 from the equation should equal cache3.o[0, 0]; is it the output block (the 4th)?"
