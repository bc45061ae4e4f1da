"""Exercise 4.2: the 30 x 5 stacked LSTM(50) model counted by formula and by Keras."""
from otter.test_files import test_case

OK_FORMAT = False
name = "ex-04-2"
points = 2


def _expected():
    from lstm_tutorial.params import dense_param_count, lstm_param_count

    return lstm_param_count(5, 50) + lstm_param_count(50, 50) + dense_param_count(50, 1)


@test_case(points=1, hidden=True)
def test_formula(ex_04_2_by_formula):
    assert isinstance(ex_04_2_by_formula, int), "ex_04_2_by_formula must be an int"
    assert ex_04_2_by_formula != 2 * 4 * (5 * 50 + 50**2 + 50) + 51, \
        "the second LSTM reads the first one's 50-wide states: its D is 50, not 5"
    assert ex_04_2_by_formula == _expected(), "the formula count is not right"


@test_case(points=1, hidden=True)
def test_keras_count(ex_04_2_keras_count):
    assert isinstance(ex_04_2_keras_count, int), \
        "ex_04_2_keras_count must be an int (the model's count_params())"
    assert ex_04_2_keras_count == _expected(), \
        "count_params() of keras.Input((30, 5)) -> LSTM(50, return_sequences=True) -> " \
        "LSTM(50) -> Dense(1) is not this"
