"""Exercise 5.1: which inputs a model that runs after the close of day t may use."""
from otter.test_files import test_case

OK_FORMAT = False
name = "ex-05-1"
points = 2

KEYS = ("close_t", "high_t", "volume_t", "open_t_plus_1", "whole_series_mean",
        "scaler_days_1_to_t")


@test_case(points=1, hidden=True)
def test_every_input_answered(ex_05_1_allowed):
    assert isinstance(ex_05_1_allowed, dict), "ex_05_1_allowed must be a dict of True/False"
    missing = [k for k in KEYS if k not in ex_05_1_allowed]
    assert not missing, f"ex_05_1_allowed lacks the key(s) {missing}"
    assert all(isinstance(ex_05_1_allowed[k], bool) for k in KEYS), \
        "every value of ex_05_1_allowed must be True or False"


@test_case(points=1, hidden=True)
def test_known_at_the_close_of_day_t(ex_05_1_allowed):
    assert isinstance(ex_05_1_allowed, dict), "ex_05_1_allowed must be a dict of True/False"
    expected = {"close_t": True, "high_t": True, "volume_t": True, "open_t_plus_1": False,
                "whole_series_mean": False, "scaler_days_1_to_t": True}
    wrong = [k for k, v in expected.items() if ex_05_1_allowed.get(k) is not v]
    assert not wrong, (f"not right for {wrong}: an input is allowed only if it is known at "
                       "the close of day t, before the prediction is made")
