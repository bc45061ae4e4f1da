"""Chapter 8's data for its hidden tests (shipped in the chapter's autograder zip)."""
import functools

from lstm_tutorial.data import adjust_for_splits_and_dividends, load_prices
from lstm_tutorial.preprocessing import chronological_split, fit_scaler


@functools.lru_cache(maxsize=1)
def chapter_data():
    """0050.TW's adjusted Close and Volume, the chapter's split and its training-span scaler."""
    df = adjust_for_splits_and_dividends(
        load_prices("0050.TW", "2017-01-01", "2018-04-30", glitches="repair"))
    data = df[["Close", "Volume"]]
    split = chronological_split(data, train="2018-01-01", val="2018-03-01")
    return data, split, fit_scaler(split.train, kind="mean_range")
