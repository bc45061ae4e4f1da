"""Exercise 9.4: the LSTM without the anchor: its forecasts and QLIKE (no training here)."""
import numpy as np
from chapter09 import chapter_data
from otter.test_files import test_case

from lstm_tutorial.volatility import (
    har_target,
    qlike,
)

OK_FORMAT = False
name = "ex-09-4"
points = 2


def _target():
    d, _, origins = chapter_data("AAPL")
    return har_target(d["parkinson"], 1).iloc[origins].to_numpy()


@test_case(points=1, hidden=True)
def test_forecasts_without_anchor(ex_09_4_forecast_without, ex_09_4_qlike):
    assert ex_09_4_forecast_without is not None and ex_09_4_forecast_without is not ..., \
        "define ex_09_4_forecast_without"
    y = _target()
    f = np.asarray(ex_09_4_forecast_without, dtype=float).reshape(-1)
    assert f.shape == y.shape, f"one one-day forecast per test window: {len(y)} values"
    assert np.all(np.isfinite(f)) and np.all(f > 0), "variance forecasts are positive"
    # in daily log-return units: AAPL's Parkinson variance is of order 1e-4 to 1e-3
    assert 1e-5 < np.median(f) < 1e-2, "forecasts in (daily log return)^2, not x 1e4"
    assert isinstance(ex_09_4_qlike, dict) and "without anchor" in ex_09_4_qlike, \
        'ex_09_4_qlike must be a dict with "without anchor" and "with anchor"'
    assert abs(ex_09_4_qlike["without anchor"] - qlike(y, f)) < 1e-3, \
        "ex_09_4_qlike['without anchor'] must be the QLIKE of these forecasts"


@test_case(points=1, hidden=True)
def test_qlike_values(ex_09_4_qlike):
    assert isinstance(ex_09_4_qlike, dict) and "with anchor" in ex_09_4_qlike, \
        'ex_09_4_qlike must be a dict with "without anchor" and "with anchor"'
    # trained results vary by machine: plausible ranges (last value ~0.73, HAR ~0.46)
    for label in ("without anchor", "with anchor"):
        assert 0.3 < ex_09_4_qlike[label] < 2.0, f"QLIKE {label} is out of any plausible range"
