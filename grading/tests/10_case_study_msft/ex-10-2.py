"""Exercise 10.2: a larger ARIMA grid, its redundant orders, and the chosen order with drift."""
import functools
import numbers

import numpy as np
from otter.test_files import test_case

OK_FORMAT = False
name = "ex-10-2"
points = 3


@functools.lru_cache(maxsize=1)
def _pre_test_and_test():
    from lstm_tutorial.data import adjust_for_splits_and_dividends, load_prices
    from lstm_tutorial.preprocessing import chronological_split

    raw = load_prices("MSFT", "2010-01-01", "2016-12-31")
    data = adjust_for_splits_and_dividends(raw)[["Close"]]
    n_train = int(round(0.75 * (len(raw) - 1)))
    split = chronological_split(data, train="2014-07-01", val=raw.index[1:][n_train])
    close = data["Close"].to_numpy()
    return close[:split.val_end], close[split.val_end:]


def _order(value, name_):
    assert isinstance(value, (tuple, list)) and len(value) == 3, \
        f"{name_} must be an order (p, d, q)"
    assert all(isinstance(v, numbers.Integral) for v in value), f"{name_}: p, d, q are ints"
    return tuple(int(v) for v in value)


@test_case(points=1, hidden=True)
def test_chosen_order(ex_10_2_order, ex_10_2_redundant):
    order = _order(ex_10_2_order, "ex_10_2_order")
    p, d, q = order
    assert d == 1 and 0 <= p <= 3 and 0 <= q <= 3, \
        f"{order} is not an ARIMA(p, 1, q) with p, q <= 3"
    assert isinstance(ex_10_2_redundant, (list, tuple, set)), \
        "ex_10_2_redundant must be a list of orders"
    assert order not in {_order(o, "each redundant order") for o in ex_10_2_redundant}, \
        "the chosen order cannot be one of those left out"


@test_case(points=1, hidden=True)
def test_redundant_orders(ex_10_2_redundant):
    assert isinstance(ex_10_2_redundant, (list, tuple, set)) and len(ex_10_2_redundant) > 0, \
        "ex_10_2_redundant must list the orders left out (arima_forecast's .redundant)"
    for o in ex_10_2_redundant:
        p, d, q = _order(o, "each redundant order")
        assert d == 1 and 1 <= p <= 3 and 1 <= q <= 3, (
            f"{(p, d, q)}: only a model with both AR and MA terms can have roots that cancel")


@test_case(points=1, hidden=True)
def test_drift_rmse(ex_10_2_order, ex_10_2_drift_rmse):
    from lstm_tutorial.baselines import arima_forecast

    order = _order(ex_10_2_order, "ex_10_2_order")
    value = ex_10_2_drift_rmse
    assert isinstance(value, numbers.Real) and not isinstance(value, bool), \
        "ex_10_2_drift_rmse must be a float"
    pre_test, test = _pre_test_and_test()
    forecasts = arima_forecast(pre_test, test, order=order, trend="t").forecasts
    expected = float(np.sqrt(np.mean((forecasts - test) ** 2)))
    assert abs(value - expected) < 2e-3 * expected, (
        f"ARIMA{order} with trend='t', fitted before the test span, has a test RMSE of "
        f"{expected:.3f} USD, not {value:.3f}")
