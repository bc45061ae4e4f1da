"""Exercise 6.5: Diebold-Mariano tests with squared and absolute losses."""
from chapter06 import test_windows
from otter.test_files import test_case

from lstm_tutorial.baselines import drift_forecast, linear_forecast, moving_average_forecast
from lstm_tutorial.stats import diebold_mariano

OK_FORMAT = False
name = "ex-06-5"
points = 2


def _reference():
    p = {}
    for ticker in ("AAPL", "0050.TW"):
        _, w = test_windows(ticker)
        train, test = w["train"], w["test"]
        preds = {"moving average (5)": moving_average_forecast(test.X, k=5),
                 "drift": drift_forecast(test.X),
                 "linear (10 lags)": linear_forecast(train.X, train.y, test.X)}
        for label, pred in preds.items():
            for loss in ("squared", "absolute"):
                p[ticker, label, loss] = diebold_mariano(test.y, pred, test.X[:, -1, 0],
                                                         loss=loss).p_value
    return p


@test_case(points=1, hidden=True)
def test_p_values(ex_06_5_p):
    assert isinstance(ex_06_5_p, dict), "ex_06_5_p must be a dict from (series, baseline, loss)"
    for key, value in _reference().items():
        assert key in ex_06_5_p, f"ex_06_5_p has no entry {key}"
        assert abs(ex_06_5_p[key] - value) < 1e-4, f"the p-value for {key} is off"


@test_case(points=1, hidden=True)
def test_changed_verdicts(ex_06_5_changed):
    assert isinstance(ex_06_5_changed, (list, tuple, set)), \
        "ex_06_5_changed must be a list of (series, baseline) pairs"
    p = _reference()
    expected = {(s, b) for s, b, loss in p if loss == "squared"
                and (p[s, b, "squared"] < 0.05) != (p[s, b, "absolute"] < 0.05)}
    assert {tuple(pair) for pair in ex_06_5_changed} == expected, \
        "list the (series, baseline) pairs whose verdict at 5 % differs between the losses"
