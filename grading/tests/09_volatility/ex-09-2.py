"""Exercise 9.2: HAR against the last value on the Garman-Klass proxy."""
from chapter09 import TEST_START, chapter_data
from otter.test_files import test_case

from lstm_tutorial.volatility import (
    fit_har,
    har_features,
    har_forecast,
    har_target,
    qlike,
)

OK_FORMAT = False
name = "ex-09-2"
points = 3


def _reference():
    out = {}
    for asset in TEST_START:
        d, split, origins = chapter_data(asset)
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
