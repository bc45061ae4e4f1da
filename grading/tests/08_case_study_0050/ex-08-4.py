"""Exercise 8.4: the lag diagnostic of the original model's forecast; its input weights."""
import functools
import numbers

import numpy as np
from otter.test_files import test_case

OK_FORMAT = False
name = "ex-08-4"
points = 3


@functools.lru_cache(maxsize=1)
def _test_days():
    from chapter08 import chapter_data

    from lstm_tutorial.preprocessing import inverse_target, make_split_windows

    data, split, scaler = chapter_data()
    w = make_split_windows(scaler.transform(data), split, lookback=5, target_col=0)["test"]
    return (inverse_target(scaler, w.y[:, 0], target_col=0),
            inverse_target(scaler, w.X[:, -1, 0], target_col=0))


def _int(value, name_):
    assert isinstance(value, numbers.Integral) and not isinstance(value, bool), \
        f"{name_} must be an int"


@test_case(points=1, hidden=True)
def test_forecast_and_its_best_lag(ex_08_4_forecast_orig, ex_08_4_best_lag_orig):
    from lstm_tutorial.evaluation import lag_diagnostic

    actual, naive = _test_days()
    assert ex_08_4_forecast_orig is not None and ex_08_4_forecast_orig is not ..., \
        "define ex_08_4_forecast_orig"
    f = np.asarray(ex_08_4_forecast_orig, dtype=float).ravel()
    assert f.size == actual.size and np.all(np.isfinite(f)), \
        f"the forecast needs one finite value per test day ({actual.size}), in TWD"
    assert not np.allclose(f, naive), "that is the naive forecast, not the model's"
    ratio = np.sqrt(np.mean((f - actual) ** 2)) / np.sqrt(np.mean((naive - actual) ** 2))
    assert 0.8 < ratio < 3, (f"its RMSE is {ratio:.2f} times the naive one: is it the ensemble's "
                             "forecast in TWD (not scaled units)?")
    _int(ex_08_4_best_lag_orig, "ex_08_4_best_lag_orig")
    expected = lag_diagnostic(actual, f, max_lag=3).best_lag
    assert ex_08_4_best_lag_orig == expected, (
        f"lag_diagnostic of that forecast gives best lag {expected}, not {ex_08_4_best_lag_orig}")


@test_case(points=1, hidden=True)
def test_naive_best_lag(ex_08_4_best_lag_naive):
    from lstm_tutorial.evaluation import lag_diagnostic

    _int(ex_08_4_best_lag_naive, "ex_08_4_best_lag_naive")
    actual, naive = _test_days()
    expected = lag_diagnostic(actual, naive, max_lag=3).best_lag
    assert ex_08_4_best_lag_naive == expected, \
        f"the naive forecast is the close shifted by a day: best lag {expected}"


@test_case(points=1, hidden=True)
def test_weights_of_the_input_closes(ex_08_4_weight_sum_orig):
    assert ex_08_4_weight_sum_orig is not None and ex_08_4_weight_sum_orig is not ..., \
        "define ex_08_4_weight_sum_orig"
    sums = np.asarray(ex_08_4_weight_sum_orig, dtype=float).ravel()
    assert sums.size == 5, "one sum per seed of the original model (5)"
    assert np.all((sums > 0.5) & (sums < 1.5)), (
        f"sums {np.round(sums, 2).tolist()}: a forecast that moves with the level of the "
        "window has input weights adding up to about 1 (scaled close in, scaled close out)")
