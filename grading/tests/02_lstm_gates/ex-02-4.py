"""Exercise 2.4: which gate kernel[:, :32] holds, and the forget gate's columns."""
import numpy as np
from otter.test_files import test_case

OK_FORMAT = False
name = "ex-02-4"
points = 2


@test_case(points=1, hidden=True)
def test_colleagues_slice(ex_02_4_colleague_gate):
    assert ex_02_4_colleague_gate in ("i", "f", "c", "o"), \
        'ex_02_4_colleague_gate must be one of "i", "f", "c", "o"'
    assert ex_02_4_colleague_gate == "i", "Keras' gate order is i, f, c, o"


@test_case(points=1, hidden=True)
def test_forget_columns_close_the_forget_gate(ex_02_4_forget_columns):
    from lstm_tutorial.numpy_lstm import lstm_forward, random_lstm_weights

    assert isinstance(ex_02_4_forget_columns, tuple) and len(ex_02_4_forget_columns) == 2, \
        "ex_02_4_forget_columns must be a tuple (start, stop) of column numbers"
    start, stop = (int(v) for v in ex_02_4_forget_columns)
    assert stop - start == 32, "a gate block of LSTM(32) has 32 columns"
    W, U, b = random_lstm_weights(d=1, h=32, seed=0)
    x = np.linspace(0, 1, 10)[None, :, None]
    b = b.copy()
    b[start:stop] = -20.0
    _, _, after = lstm_forward(x, W, U, b)
    assert after.f.max() < 1e-6, "a bias of -20 on these columns should close the forget gate"
    assert min(after.i.min(), after.o.min()) > 1e-3, \
        "a bias of -20 on these columns closed another gate too"
