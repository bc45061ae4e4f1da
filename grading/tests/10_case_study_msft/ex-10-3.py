"""Exercise 10.3: the LSTM signal's return at five costs, and its timing against chance."""
import functools
import numbers

import numpy as np
from otter.test_files import test_case

OK_FORMAT = False
name = "ex-10-3"
points = 2

COSTS = (0, 5, 10, 25, 50)


@functools.lru_cache(maxsize=1)
def _closes():
    from lstm_tutorial.data import adjust_for_splits_and_dividends, load_prices
    from lstm_tutorial.preprocessing import chronological_split

    raw = load_prices("MSFT", "2010-01-01", "2016-12-31")
    data = adjust_for_splits_and_dividends(raw)[["Close"]]
    n_train = int(round(0.75 * (len(raw) - 1)))
    split = chronological_split(data, train="2014-07-01", val=raw.index[1:][n_train])
    return data["Close"].to_numpy()[split.val_end - 1:]


def _totals(positions, closes, bps):
    """Total return of each row of signals ``positions`` (long 1 / flat 0), bps per change.

    As `backtest` does by default, each signal is traded the day after it is decided:
    the position held on day t is the signal of day t - 1 (flat on the first day).
    """
    signals = np.atleast_2d(positions).astype(float)
    p = np.concatenate([np.zeros((signals.shape[0], 1)), signals[:, :-1]], axis=1)
    market = closes[1:] / closes[:-1] - 1
    changes = np.abs(np.diff(p, axis=1, prepend=0.0))
    return np.prod(1 + p * market - bps / 1e4 * changes, axis=1) - 1


def _positions(value, n):
    assert value is not None and value is not ..., "define ex_10_3_positions"
    p = np.asarray(value).ravel()
    assert p.size == n, f"one position per test day ({n}), got {p.size}"
    assert set(np.unique(p)) <= {0, 1}, "positions are 0 (flat) or 1 (long)"
    return p.astype(int)


@test_case(points=1, hidden=True)
def test_total_return_at_each_cost(ex_10_3_positions, ex_10_3_total_by_cost):
    closes = _closes()
    p = _positions(ex_10_3_positions, closes.size - 1)
    assert isinstance(ex_10_3_total_by_cost, dict), \
        "ex_10_3_total_by_cost must be a dict: cost in bp -> total return"
    got = {int(k): v for k, v in ex_10_3_total_by_cost.items()}
    assert set(got) == set(COSTS), f"give the total return for the costs {COSTS} bp"
    for bps in COSTS:
        expected = float(_totals(p, closes, bps)[0])
        assert isinstance(got[bps], numbers.Real), "each total return is a float"
        assert abs(got[bps] - expected) < 1e-6, (
            f"at {bps} bp these signals, traded the day after, return {expected:.4f} in total "
            "(as a fraction), "
            f"not {got[bps]:.4f}")
    assert all(got[a] >= got[b] for a, b in zip(COSTS[:-1], COSTS[1:], strict=True)), \
        "higher costs cannot raise the return"


@test_case(points=1, hidden=True)
def test_share_of_random_strategies(ex_10_3_positions, ex_10_3_share_random_above):
    closes = _closes()
    p = _positions(ex_10_3_positions, closes.size - 1)
    value = ex_10_3_share_random_above
    assert isinstance(value, numbers.Real) and not isinstance(value, bool) and 0 <= value <= 1, \
        "ex_10_3_share_random_above must be a share between 0 and 1"
    p_in = np.mean(p[1:][p[:-1] == 0])
    p_out = 1 - np.mean(p[1:][p[:-1] == 1])
    rng = np.random.default_rng(12345)
    n_paths, n = 4000, p.size
    u = rng.random((n_paths, n))
    paths = np.zeros((n_paths, n), dtype=int)
    paths[:, 0] = u[:, 0] < p.mean()
    for t in range(1, n):
        paths[:, t] = np.where(paths[:, t - 1] == 1, u[:, t] < 1 - p_out, u[:, t] < p_in)
    lstm = _totals(p, closes, 10)[0]
    expected = float(np.mean(_totals(paths, closes, 10) > lstm))
    assert abs(value - expected) < 0.07, (
        f"random long/flat paths with the signal's entry ({p_in:.3f}) and exit ({p_out:.3f}) "
        f"probabilities beat its total return about {expected:.3f} of the time at 10 bp, "
        f"not {value:.3f}")
