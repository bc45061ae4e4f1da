"""Exercise 6.3: walk-forward evaluation of the linear baseline on 0050.TW."""
from chapter06 import test_windows
from otter.test_files import test_case

from lstm_tutorial.baselines import linear_forecast
from lstm_tutorial.evaluation import walk_forward_evaluate
from lstm_tutorial.stats import block_bootstrap_skill

OK_FORMAT = False
name = "ex-06-3"
points = 2
MODES = {"expanding": {}, "rolling": {"train_size": 120}}


def _reference():
    tw, _ = test_windows("0050.TW")
    mean, contain0 = {}, {}
    for mode, extra in MODES.items():
        folds, preds = walk_forward_evaluate(
            tw[["Close"]], lookback=10, fit_predict=linear_forecast, n_folds=4, test_size=40,
            mode=mode, return_predictions=True, **extra)
        mean[mode] = float(folds["skill"].mean())
        intervals = [block_bootstrap_skill(p["actual"], p["predicted"], p["naive"])
                     for _, p in preds.groupby("fold")]
        contain0[mode] = sum(bool(iv.low < 0 < iv.high) for iv in intervals)
    return mean, contain0


@test_case(points=1, hidden=True)
def test_mean_skill(ex_06_3_mean_skill):
    assert isinstance(ex_06_3_mean_skill, dict), "ex_06_3_mean_skill must be a dict by mode"
    mean, _ = _reference()
    for mode, value in mean.items():
        assert mode in ex_06_3_mean_skill, f"ex_06_3_mean_skill has no entry '{mode}'"
        assert abs(ex_06_3_mean_skill[mode] - value) < 1e-4, \
            f"the mean skill over the 4 folds of 40 days ({mode}) is off"


@test_case(points=1, hidden=True)
def test_intervals_containing_zero(ex_06_3_n_contain0):
    assert isinstance(ex_06_3_n_contain0, dict), "ex_06_3_n_contain0 must be a dict by mode"
    _, contain0 = _reference()
    for mode, value in contain0.items():
        got = ex_06_3_n_contain0.get(mode)
        # the bootstrap seed may differ: accept one fold either way
        assert got is not None and abs(int(got) - value) <= 1 and 0 <= int(got) <= 4, \
            f"count the folds ({mode}) whose 95 % block-bootstrap interval contains 0"
