"""Exercise 4.3: parameters of the 0050 architecture against its training windows."""
from otter.test_files import test_case

OK_FORMAT = False
name = "ex-04-3"
points = 2

UNITS = (2, 3, 4, 8, 16, 32, 64, 128, 256)


def _count(h):
    from lstm_tutorial.params import dense_param_count, lstm_param_count

    # LSTM(H) on 2 features, LSTM(H), TimeDistributed(Dense(1)), Flatten, Dense(5), Dense(1)
    return (lstm_param_count(2, h) + lstm_param_count(h, h) + dense_param_count(h, 1)
            + dense_param_count(5, 5) + dense_param_count(5, 1))


@test_case(points=1, hidden=True)
def test_counts(ex_04_3_counts):
    assert isinstance(ex_04_3_counts, dict) and set(ex_04_3_counts) == set(UNITS), \
        f"ex_04_3_counts must be a dict with the unit counts {UNITS} as keys"
    for h in UNITS:
        assert int(ex_04_3_counts[h]) == _count(h), f"H = {h}: the parameter count is not right"


@test_case(points=1, hidden=True)
def test_largest_h(ex_04_3_largest_h):
    from lstm_tutorial.data import load_prices
    from lstm_tutorial.preprocessing import chronological_split
    from lstm_tutorial.windowing import n_windows

    assert isinstance(ex_04_3_largest_h, int), "ex_04_3_largest_h must be an int"
    tw = load_prices("0050.TW", "2017-01-01", "2018-04-30", glitches="repair")
    windows = n_windows(chronological_split(tw, train=0.8).sizes()["train"], lookback=5)
    expected = max(h for h in UNITS if _count(h) < windows)
    assert ex_04_3_largest_h == expected, \
        f"the largest H with fewer parameters than the {windows} training windows is not right"
