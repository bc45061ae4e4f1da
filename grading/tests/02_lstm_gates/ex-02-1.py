"""Exercise 2.1: the cell-state recursion as a function, and the equation the 1997 cell changes."""
import numpy as np
from otter.test_files import test_case

OK_FORMAT = False
name = "ex-02-1"
points = 3


@test_case(points=1, hidden=True)
def test_limits_of_the_recursion(ex_02_1_final_cell_state):
    assert callable(ex_02_1_final_cell_state), \
        "ex_02_1_final_cell_state must be a function (c0, f, i, c_tilde) -> C_T"
    rng = np.random.default_rng(0)
    c0, c_tilde = rng.normal(size=4), rng.uniform(-1, 1, size=(6, 4))
    kept = ex_02_1_final_cell_state(c0, np.ones((6, 4)), np.zeros((6, 4)), c_tilde)
    assert np.allclose(kept, c0), "with f = 1 and i = 0 at every step, C_T must equal C_0"
    i = rng.uniform(size=(6, 4))
    forgot = ex_02_1_final_cell_state(c0, np.zeros((6, 4)), i, c_tilde)
    assert np.allclose(forgot, i[-1] * c_tilde[-1]), \
        "with f = 0 at every step, C_T must be i_T * C~_T: nothing from before survives"


@test_case(points=1, hidden=True)
def test_matches_lstm_forward(ex_02_1_final_cell_state):
    from lstm_tutorial.numpy_lstm import lstm_forward, random_lstm_weights

    assert callable(ex_02_1_final_cell_state), "ex_02_1_final_cell_state must be a function"
    W, U, b = random_lstm_weights(d=2, h=5, seed=3)
    x = np.random.default_rng(1).normal(size=(1, 8, 2))
    _, c_seq, cache = lstm_forward(x, W, U, b)
    got = ex_02_1_final_cell_state(np.zeros(5), cache.f[0], cache.i[0], cache.c_tilde[0])
    assert np.allclose(np.asarray(got, dtype=float), c_seq[0, -1], atol=1e-10), \
        "C_T differs from lstm_forward's: C_t = f_t * C_{t-1} + i_t * C~_t, element by element"


@test_case(points=1, hidden=True)
def test_equation_of_the_1997_cell(ex_02_1_equation):
    options = ("forget gate", "input gate", "candidate", "cell state", "output gate",
               "hidden state")
    assert ex_02_1_equation in options, f"ex_02_1_equation must be one of {options}"
    assert ex_02_1_equation == "cell state", \
        "which equation would hold f_t, if the f_t equation itself is dropped?"
