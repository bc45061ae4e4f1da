"""Exercise 6.2: exponential smoothing with several alphas on 0050.TW's test span."""
from chapter06 import test_windows
from otter.test_files import test_case

from lstm_tutorial.evaluation import lag_diagnostic
from lstm_tutorial.metrics import skill_vs_naive

OK_FORMAT = False
name = "ex-06-2"
points = 2
ALPHAS = (0.2, 0.5, 0.8, 1.0)


def _reference():
    tw, w = test_windows("0050.TW")
    test = w["test"]
    actual, naive = test.y[:, 0], test.X[:, -1, 0]
    skill, lag = {}, {}
    for alpha in ALPHAS:
        pred = tw["Close"].ewm(alpha=alpha, adjust=False).mean().shift(1).to_numpy()[
            test.target_rows]
        skill[alpha] = skill_vs_naive(actual, pred, naive)
        lag[alpha] = lag_diagnostic(actual, pred).best_lag
    return skill, lag


@test_case(points=1, hidden=True)
def test_skills(ex_06_2_skill):
    assert isinstance(ex_06_2_skill, dict), "ex_06_2_skill must be a dict from alpha to skill"
    skill, _ = _reference()
    for alpha in ALPHAS:
        assert alpha in ex_06_2_skill, f"ex_06_2_skill has no entry for alpha {alpha}"
        assert abs(ex_06_2_skill[alpha] - skill[alpha]) < 1e-4, \
            (f"skill for alpha {alpha} is off: smooth the closes with "
             "ewm(alpha, adjust=False).mean(), shift by one day, compare with naive")


@test_case(points=1, hidden=True)
def test_best_lags(ex_06_2_best_lag):
    assert isinstance(ex_06_2_best_lag, dict), "ex_06_2_best_lag must be a dict from alpha to lag"
    _, lag = _reference()
    assert {a: ex_06_2_best_lag.get(a) for a in ALPHAS} == lag, \
        "best lags of lag_diagnostic (on changes) for each alpha"
