"""Exercise 9.3: the EWMA decay chosen on the training span against the test span."""
import numpy as np
from chapter09 import TEST_START, chapter_data
from otter.test_files import test_case

from lstm_tutorial.volatility import (
    ewma_variance_forecast,
    har_target,
    qlike,
)

OK_FORMAT = False
name = "ex-09-3"
points = 2
LAMBDAS = (0.80, 0.90, 0.94, 0.97, 0.99)


def _reference():
    q = {}
    for asset in TEST_START:
        d, split, origins = chapter_data(asset)
        x, n_train = d["parkinson"], split.train_end
        y = har_target(x, 1)
        train_rows = np.arange(22, n_train - 1)
        for lam in LAMBDAS:
            f = ewma_variance_forecast(x, lam=lam, init=x.iloc[:n_train].mean())
            q[asset, lam, "train"] = qlike(y.iloc[train_rows], f.iloc[train_rows])
            q[asset, lam, "test"] = qlike(y.iloc[origins], f.iloc[origins])
    return q


@test_case(points=1, hidden=True)
def test_qlike(ex_09_3_qlike):
    assert isinstance(ex_09_3_qlike, dict), "ex_09_3_qlike must be a dict"
    for key, value in _reference().items():
        assert key in ex_09_3_qlike, f"ex_09_3_qlike has no entry {key}"
        # the warm-up and the first value of the EWMA may be handled a little differently
        assert abs(ex_09_3_qlike[key] - value) < 0.01, f"the QLIKE for {key} is off"


@test_case(points=1, hidden=True)
def test_best_lambda(ex_09_3_best_lam):
    assert isinstance(ex_09_3_best_lam, dict), "ex_09_3_best_lam must be a dict"
    q = _reference()
    for asset in TEST_START:
        for span in ("train", "test"):
            scores = {lam: q[asset, lam, span] for lam in LAMBDAS}
            got = ex_09_3_best_lam.get((asset, span))
            assert got in scores, f"ex_09_3_best_lam[{(asset, span)!r}] must be one of {LAMBDAS}"
            # any lambda within 0.002 of the best QLIKE counts as best
            assert scores[got] <= min(scores.values()) + 0.002, \
                f"{got} is not the lambda with the lowest QLIKE for {(asset, span)}"
