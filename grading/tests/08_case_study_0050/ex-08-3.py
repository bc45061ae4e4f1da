"""Exercise 8.3: the drift forecast in the many-to-many comparison, step by step."""
import functools

import numpy as np
from otter.test_files import test_case

OK_FORMAT = False
name = "ex-08-3"
points = 3

HORIZON = 5


@functools.lru_cache(maxsize=1)
def _reference():
    from chapter08 import chapter_data

    from lstm_tutorial.baselines import drift_forecast, naive_forecast
    from lstm_tutorial.preprocessing import inverse_target, make_split_windows
    from lstm_tutorial.stats import compare_with_naive

    data, split, scaler = chapter_data()
    w = make_split_windows(scaler.transform(data), split, lookback=5, horizon=HORIZON,
                           target_col=0)["test"]

    def twd(z):
        return inverse_target(scaler, z, target_col=0)

    actual, naive = twd(w.y), twd(naive_forecast(w.X, horizon=HORIZON))
    drift = twd(drift_forecast(w.X, horizon=HORIZON))
    rmse = np.sqrt(np.mean((drift - actual) ** 2, axis=0))
    skill = 1 - rmse / np.sqrt(np.mean((naive - actual) ** 2, axis=0))
    train_close = split.train["Close"].to_numpy()
    dm_p = np.array([compare_with_naive({"drift": drift[:, k]}, actual[:, k], naive[:, k],
                                        y_train=train_close, h=k + 1, block=HORIZON)
                     .loc["drift", "DM p"] for k in range(HORIZON)])
    return rmse, skill, dm_p


def _five(value, name_):
    assert value is not None and value is not ..., f"define {name_}"
    arr = np.asarray(value, dtype=float).ravel()
    assert arr.size == HORIZON, f"{name_} needs one value per horizon step (5), got {arr.size}"
    return arr


@test_case(points=1, hidden=True)
def test_rmse_per_step(ex_08_3_rmse):
    got, (want, _, _) = _five(ex_08_3_rmse, "ex_08_3_rmse"), _reference()
    assert np.allclose(got, want, rtol=1e-3), (
        f"the drift forecast's test RMSE per step is {np.round(want, 3).tolist()} TWD, "
        f"got {np.round(got, 3).tolist()}")


@test_case(points=1, hidden=True)
def test_skill_per_step(ex_08_3_skill):
    got, (_, want, _) = _five(ex_08_3_skill, "ex_08_3_skill"), _reference()
    assert np.allclose(got, want, atol=1e-3), (
        f"skill 1 - RMSE/RMSE_naive per step is {np.round(want, 3).tolist()}, "
        f"got {np.round(got, 3).tolist()}")


@test_case(points=1, hidden=True)
def test_dm_p_per_step(ex_08_3_dm_p):
    got, (_, _, want) = _five(ex_08_3_dm_p, "ex_08_3_dm_p"), _reference()
    assert np.all((got >= 0) & (got <= 1)), "p-values lie between 0 and 1"
    assert np.allclose(got, want, atol=2e-3), (
        f"with h = k at step k the DM p-values are {np.round(want, 3).tolist()}, "
        f"got {np.round(got, 3).tolist()}")
