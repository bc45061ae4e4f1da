"""Exercise 8.2: the parameter count of build_0050_lstm from the formulas alone."""
import numbers

from otter.test_files import test_case

OK_FORMAT = False
name = "ex-08-2"
points = 2


def _expected(units, cell, n_features, lookback):
    def recurrent(d, h):
        return 4 * (d * h + h * h + h) if cell == "lstm" else 3 * (d * h + h * h + 2 * h)

    return (recurrent(n_features, units) + recurrent(units, units) + (units + 1)
            + (lookback * 5 + 5) + (5 + 1))


@test_case(points=1, hidden=True)
def test_the_book_model(ex_08_2_params_0050):
    assert callable(ex_08_2_params_0050), \
        "ex_08_2_params_0050 must be a function (units, cell='lstm', n_features=2, lookback=5)"
    value = ex_08_2_params_0050(256)
    assert isinstance(value, numbers.Integral), "the function must return an int"
    assert value == 790_821, \
        f"the chapter's 256-unit LSTM model has 790,821 parameters, not {value}"


@test_case(points=1, hidden=True)
def test_every_size_cell_and_shape(ex_08_2_params_0050):
    assert callable(ex_08_2_params_0050), "ex_08_2_params_0050 must be a function"
    for cell in ("lstm", "gru"):
        for units in (8, 32, 100):
            for n_features, lookback in ((1, 5), (2, 5), (3, 10)):
                got = ex_08_2_params_0050(units, cell=cell, n_features=n_features,
                                          lookback=lookback)
                want = _expected(units, cell, n_features, lookback)
                assert got == want, (
                    f"{cell}, {units} units, {n_features} features, lookback {lookback}: "
                    f"expected {want:,} parameters, got {got:,} (GRU in Keras' reset_after "
                    "form has two bias vectors)")
