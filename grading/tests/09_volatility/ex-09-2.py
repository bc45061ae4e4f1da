"""Exercise 9.2: HAR against the last value on the Garman-Klass proxy."""
import numpy as np
import pandas as pd
from otter.test_files import test_case

from lstm_tutorial.data import adjust_for_splits_and_dividends, load_prices
from lstm_tutorial.preprocessing import chronological_split
from lstm_tutorial.volatility import (
    fit_har,
    garman_klass_variance,
    har_features,
    har_forecast,
    har_target,
    parkinson_variance,
    qlike,
    squared_returns,
    variance_windows,
)

TEST_START = {"AAPL": "2008-01-01", "0050.TW": "2017-01-01"}


def _chapter_data(name):
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

OK_FORMAT = False
name = "ex-09-2"
points = 3


def _reference():
    out = {}
    for asset in TEST_START:
        d, split, origins = _chapter_data(asset)
        x, n_train = d["garman_klass"], split.train_end
        features, target = har_features(x), har_target(x, 1)
        model = fit_har(features.iloc[:n_train - 1], target.iloc[:n_train - 1])
        y = target.iloc[origins]
        q_last = qlike(y, x.iloc[origins])
        q_har = qlike(y, har_forecast(model, features).iloc[origins])
        out[asset] = (q_last, q_har, 1 - q_har / q_last)
    return out


def _check(answer, what, position, tolerance):
    assert isinstance(answer, dict), f"{what} must be a dict from asset to a float"
    for asset, values in _reference().items():
        assert asset in answer, f"{what} has no entry '{asset}'"
        assert abs(answer[asset] - values[position]) < tolerance, \
            (f"{what}['{asset}'] is off: fit HAR (horizon 1) on the training rows of the "
             "Garman-Klass proxy and score the chapter's test origins")


@test_case(points=1, hidden=True)
def test_qlike_last(ex_09_2_qlike_last):
    _check(ex_09_2_qlike_last, "ex_09_2_qlike_last", 0, 1e-3)


@test_case(points=1, hidden=True)
def test_qlike_har(ex_09_2_qlike_har):
    _check(ex_09_2_qlike_har, "ex_09_2_qlike_har", 1, 5e-3)


@test_case(points=1, hidden=True)
def test_skill(ex_09_2_skill):
    _check(ex_09_2_skill, "ex_09_2_skill", 2, 1e-2)
