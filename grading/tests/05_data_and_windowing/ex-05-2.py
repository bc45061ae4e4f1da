"""Exercise 5.2: counting 0050.TW's Close+Volume windows (T=5, H=5) overall and per span."""
from otter.test_files import test_case

from lstm_tutorial.data import adjust_for_splits_and_dividends, load_prices
from lstm_tutorial.preprocessing import chronological_split, make_split_windows

OK_FORMAT = False
name = "ex-05-2"
points = 3


def _tw():
    raw = load_prices("0050.TW", "2017-01-01", "2018-04-30", glitches="repair")
    return adjust_for_splits_and_dividends(raw)


@test_case(points=1, hidden=True)
def test_expected_count(ex_05_2_expected):
    assert isinstance(ex_05_2_expected, int), "ex_05_2_expected must be an int"
    n = len(_tw())
    assert ex_05_2_expected == n - 5 - 5 + 1, "the count of windows is n - T - H + 1"


@test_case(points=1, hidden=True)
def test_shapes(ex_05_2_X_shape, ex_05_2_y_shape):
    assert ex_05_2_X_shape is not None and ex_05_2_y_shape is not None, \
        "define ex_05_2_X_shape and ex_05_2_y_shape"
    n = len(_tw()) - 9
    assert tuple(ex_05_2_X_shape) == (n, 5, 2), \
        "X has one window per sample, 5 time steps and 2 features (Close, Volume)"
    assert tuple(ex_05_2_y_shape) == (n, 5), "y has one row per sample and 5 targets"


@test_case(points=1, hidden=True)
def test_span_counts(ex_05_2_span_counts):
    assert isinstance(ex_05_2_span_counts, dict), "ex_05_2_span_counts must be a dict"
    tw = _tw()
    split = chronological_split(tw, train=0.8)
    windows = make_split_windows(tw[["Close", "Volume"]], split, lookback=5, horizon=5,
                                 target_col="Close")
    expected = {span: len(w.y) for span, w in windows.items() if len(w.y)}
    got = {span: int(v) for span, v in ex_05_2_span_counts.items() if v}
    assert got == expected, ("count the windows of each span of an 80 % chronological split "
                             "with make_split_windows (lookback 5, horizon 5, target Close)")
