"""Exercise 8.1: the last training day's scaled close under both normalisations; when a leak."""
import functools
import numbers

from otter.test_files import test_case

OK_FORMAT = False
name = "ex-08-1"
points = 3


@functools.lru_cache(maxsize=1)
def _scaled_last_training_close():
    from chapter08 import chapter_data

    close = chapter_data()[0]["Close"]
    train = close.loc[:"2017-12-31"]
    last = train.iloc[-1]
    whole = (last - close.mean()) / (close.max() - close.min())
    honest = (last - train.mean()) / (train.max() - train.min())
    return float(whole), float(honest)


def _float(value, name_):
    assert isinstance(value, numbers.Real) and not isinstance(value, bool), \
        f"{name_} must be a float"


@test_case(points=1, hidden=True)
def test_whole_table_statistics(ex_08_1_scaled_whole):
    _float(ex_08_1_scaled_whole, "ex_08_1_scaled_whole")
    expected, _ = _scaled_last_training_close()
    assert abs(ex_08_1_scaled_whole - expected) < 1e-3, (
        f"with mean, max and min of all rows the last training close scales to {expected:+.3f}")


@test_case(points=1, hidden=True)
def test_training_statistics(ex_08_1_scaled_train):
    _float(ex_08_1_scaled_train, "ex_08_1_scaled_train")
    _, expected = _scaled_last_training_close()
    assert abs(ex_08_1_scaled_train - expected) < 1e-3, (
        f"with the statistics of the 2017 rows only, the last training close scales to "
        f"{expected:+.3f}")


@test_case(points=1, hidden=True)
def test_when_validation_statistics_leak(ex_08_1_validation_leak):
    assert ex_08_1_validation_leak in ("never", "always", "while selecting"), \
        'ex_08_1_validation_leak must be one of "never", "always", "while selecting"'
    assert ex_08_1_validation_leak == "while selecting", (
        "statistics that include the validation rows flatter the validation score while that "
        "score chooses the epoch or the model; once the choice is final they are harmless")
