"""Exercise 6.4: lag profiles of the moving-average and drift forecasts on AAPL."""
import numpy as np
from chapter06 import test_windows
from otter.test_files import test_case

from lstm_tutorial.baselines import drift_forecast, moving_average_forecast
from lstm_tutorial.evaluation import lag_diagnostic

OK_FORMAT = False
name = "ex-06-4"
points = 2


def _reference():
    _, w = test_windows("AAPL")
    test = w["test"]
    preds = {"moving average (5)": moving_average_forecast(test.X, k=5),
             "drift": drift_forecast(test.X)}
    return {k: lag_diagnostic(test.y[:, 0], p[:, 0], max_lag=5) for k, p in preds.items()}


@test_case(points=1, hidden=True)
def test_correlations(ex_06_4_correlations):
    assert isinstance(ex_06_4_correlations, dict), "ex_06_4_correlations must be a dict"
    for label, diag in _reference().items():
        got = ex_06_4_correlations.get(label)
        assert got is not None and len(got) == 11, \
            f"give 11 correlations (lags -5 ... 5) for '{label}'"
        np.testing.assert_allclose(np.asarray(got, dtype=float), diag.correlations.to_numpy(),
                                   atol=1e-4, err_msg=f"the lag profile of '{label}' is off")


@test_case(points=1, hidden=True)
def test_best_lags(ex_06_4_best_lag):
    assert isinstance(ex_06_4_best_lag, dict), "ex_06_4_best_lag must be a dict"
    expected = {label: diag.best_lag for label, diag in _reference().items()}
    assert {k: ex_06_4_best_lag.get(k) for k in expected} == expected, \
        "the best lag of each profile (on changes)"
