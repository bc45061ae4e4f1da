"""Exercise 5.4: the common create_dataset loop with time_step=60 on the adjusted AAPL close."""
import pandas as pd
from otter.test_files import test_case

from lstm_tutorial.data import load_prices

OK_FORMAT = False
name = "ex-05-4"
points = 2


@test_case(points=1, hidden=True)
def test_counts(ex_05_4_common, ex_05_4_correct):
    n = len(load_prices("AAPL", source="sample"))
    assert isinstance(ex_05_4_correct, int) and ex_05_4_correct == n - 60, \
        "the correct count is n - T (horizon 1), an int"
    assert isinstance(ex_05_4_common, int) and ex_05_4_common == n - 61, \
        "the common loop returns one sample fewer than it should, an int"


@test_case(points=1, hidden=True)
def test_lost_target(ex_05_4_lost_target):
    assert ex_05_4_lost_target is not None and ex_05_4_lost_target is not ..., \
        "define ex_05_4_lost_target"
    last = load_prices("AAPL", source="sample").index[-1]
    assert pd.Timestamp(ex_05_4_lost_target) == last, \
        "the lost sample is the one whose target is the last row of the series"
