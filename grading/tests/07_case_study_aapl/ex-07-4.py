"""Exercise 7.4: the share of fair and of biased coins that do as well as the LSTM's direction."""
import functools
import numbers

import numpy as np
from otter.test_files import test_case

OK_FORMAT = False
name = "ex-07-4"
points = 3


@functools.lru_cache(maxsize=1)
def _moves():
    from chapter07 import chapter_data, test_start

    df, start = chapter_data()[0], test_start()
    close = df["Close"].to_numpy()
    r = np.log(close[start:] / close[start - 1:-1])
    return int(np.sum(r > 0)), int(np.sum(r < 0))


def _share_at_least(accuracy, p_up):
    """Exact share of coins (P(up) = p_up) whose accuracy is at least ``accuracy``."""
    from scipy.stats import binom

    n_up, n_down = _moves()
    pmf = np.convolve(binom.pmf(np.arange(n_up + 1), n_up, p_up),
                      binom.pmf(np.arange(n_down + 1), n_down, 1 - p_up))
    k = int(np.ceil(accuracy * (n_up + n_down) - 1e-9))
    return float(pmf[k:].sum())


def _float(value, name_):
    assert isinstance(value, numbers.Real) and not isinstance(value, bool), \
        f"{name_} must be a float"


@test_case(points=1, hidden=True)
def test_lstm_accuracy_and_bias_are_plausible(ex_07_4_lstm_accuracy, ex_07_4_p_up):
    _float(ex_07_4_lstm_accuracy, "ex_07_4_lstm_accuracy")
    _float(ex_07_4_p_up, "ex_07_4_p_up")
    n = sum(_moves())
    calls = ex_07_4_lstm_accuracy * n
    assert abs(calls - round(calls)) < 1e-6, (
        f"a direction accuracy over the {n} test days with a move is a whole number of hits "
        "divided by that count")
    assert 0.35 < ex_07_4_lstm_accuracy < 0.65, "use the chapter's ensemble accuracy (acc_model)"
    assert 0 <= ex_07_4_p_up <= 1, "ex_07_4_p_up is a share of days, between 0 and 1"


@test_case(points=1, hidden=True)
def test_share_of_fair_coins(ex_07_4_share_fair, ex_07_4_lstm_accuracy):
    _float(ex_07_4_share_fair, "ex_07_4_share_fair")
    _float(ex_07_4_lstm_accuracy, "ex_07_4_lstm_accuracy")
    expected = _share_at_least(ex_07_4_lstm_accuracy, 0.5)
    assert abs(ex_07_4_share_fair - expected) < 0.02, (
        f"for an accuracy of {ex_07_4_lstm_accuracy:.3f}, about {expected:.3f} of fair coins "
        f"score at least as well (exact binomial), not {ex_07_4_share_fair:.3f}")


@test_case(points=1, hidden=True)
def test_share_of_biased_coins(ex_07_4_share_biased, ex_07_4_lstm_accuracy, ex_07_4_p_up):
    for value, name_ in [(ex_07_4_share_biased, "ex_07_4_share_biased"),
                         (ex_07_4_lstm_accuracy, "ex_07_4_lstm_accuracy"),
                         (ex_07_4_p_up, "ex_07_4_p_up")]:
        _float(value, name_)
    expected = _share_at_least(ex_07_4_lstm_accuracy, ex_07_4_p_up)
    assert abs(ex_07_4_share_biased - expected) < 0.02, (
        f"coins that say up with probability {ex_07_4_p_up:.3f} reach an accuracy of "
        f"{ex_07_4_lstm_accuracy:.3f} or more about {expected:.3f} of the time, not "
        f"{ex_07_4_share_biased:.3f}")
