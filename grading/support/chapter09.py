"""Chapter 9's data for its hidden tests (shipped in the chapter's autograder zip)."""
import numpy as np
import pandas as pd

from lstm_tutorial.data import adjust_for_splits_and_dividends, load_prices
from lstm_tutorial.preprocessing import chronological_split
from lstm_tutorial.volatility import (
    garman_klass_variance,
    parkinson_variance,
    squared_returns,
    variance_windows,
)

TEST_START = {"AAPL": "2008-01-01", "0050.TW": "2017-01-01"}


def chapter_data(name):
    """The chapter's proxies, split and test origins (22-day windows, horizons 1 and 5)."""
    if name == "AAPL":
        raw = load_prices("AAPL", source="sample")
    else:
        raw = load_prices("0050.TW", start="2010-01-01", glitches="repair")
    px = adjust_for_splits_and_dividends(raw)
    d = pd.DataFrame({"parkinson": parkinson_variance(px),
                      "garman_klass": garman_klass_variance(px),
                      "squared": squared_returns(px)}).iloc[1:]   # the first day has no return
    split = chronological_split(d, train=TEST_START[name])
    w = variance_windows(np.zeros((len(d), 1)), d[["parkinson", "squared"]], split,
                         lookback=22, horizons=(1, 5))
    return d, split, w["test"].origins

