"""Chapter 6's data for its hidden tests (shipped in the chapter's autograder zip)."""
from lstm_tutorial.data import adjust_for_splits_and_dividends, load_prices
from lstm_tutorial.preprocessing import chronological_split, make_split_windows


def test_windows(ticker):
    """The chapter's test windows (80 % training, lookback 10) and the adjusted prices."""
    if ticker == "AAPL":
        df = adjust_for_splits_and_dividends(load_prices("AAPL", source="sample"))
    else:
        df = adjust_for_splits_and_dividends(
            load_prices("0050.TW", "2017-01-01", "2018-04-30", glitches="repair"))
    windows = make_split_windows(df[["Close"]], chronological_split(df, train=0.8), lookback=10)
    return df, windows

