"""Tests of lstm_tutorial.backtest: hand-computed figures, no look-ahead on real AAPL closes.

The hand-computed cases with ``delay=0`` are the same-close timing this module used
before ``delay`` existed: their numbers are unchanged, and `test_delay_one_by_hand`
shows what the honest default (trade the day after the signal) books instead.
"""

import math

import numpy as np
import pandas as pd
import pytest

from lstm_tutorial.backtest import (
    BACKTEST_COLUMNS,
    BacktestResult,
    SharpeDifference,
    _optimal_block,
    backtest,
    backtest_summary,
    backtest_table,
    buy_and_hold,
    positions_from_forecast,
    sessions_per_year,
    sharpe_difference_interval,
    sharpe_interval,
)
from lstm_tutorial.baselines import drift_forecast, naive_forecast
from lstm_tutorial.errors import DataError
from lstm_tutorial.windowing import make_windows

# A 6-close path: market returns +10 %, -10 %, +10 %, +10 %, -20 %.
CLOSES = np.array([100.0, 110.0, 99.0, 108.9, 119.79, 95.832])
# Long, long, flat (skips day 2's +10 %), long, long (takes day 4's -20 %).
POSITIONS = np.array([1, 1, 0, 1, 1])
COST_BPS = 100  # 1 % of equity per change of position

LOOKBACK = 10


@pytest.fixture(scope="module")
def aapl_close(aapl):
    """AAPL closes from 2010 on: no stock split inside (Close is not split-adjusted)."""
    return aapl.loc["2010":, "Close"].to_numpy()


def drift_strategy(close, cost_bps=10.0, delay=1):
    """Windows -> drift forecast -> positions -> backtest, as a chapter would do it."""
    X, y = make_windows(close, lookback=LOOKBACK)
    last = X[:, -1, 0]
    closes = np.append(last, y[-1, 0])  # c[0..n]: every decision close and the next
    positions = positions_from_forecast(drift_forecast(X)[:, 0], last)
    return closes, backtest(positions, closes, cost_bps=cost_bps, delay=delay)


# --- hand-computed figures -------------------------------------------------------------


def test_returns_and_equity_by_hand():
    result = backtest(POSITIONS, CLOSES, cost_bps=COST_BPS, delay=0)
    # changes |p[t] - p[t-1]| with p[-1] = 0: 1 (entry), 0, 1 (exit), 1 (re-entry), 0
    # r[t] = p[t] * market[t] - 0.01 * change[t]:
    #   0.10 - 0.01 = 0.09, -0.10, 0 - 0.01 = -0.01 (exit costs on a flat day),
    #   0.10 - 0.01 = 0.09, -0.20
    assert result.returns.tolist() == pytest.approx([0.09, -0.10, -0.01, 0.09, -0.20])
    # equity: 1, 1.09, 1.09 * 0.9 = 0.981, 0.981 * 0.99 = 0.97119,
    #         0.97119 * 1.09 = 1.0585971, 1.0585971 * 0.8 = 0.84687768
    assert result.equity.tolist() == pytest.approx(
        [1.0, 1.09, 0.981, 0.97119, 1.0585971, 0.84687768]
    )
    assert result.positions.tolist() == POSITIONS.tolist()
    # returns dated at the close where they are realised, equity at every close
    assert result.returns.index.tolist() == [1, 2, 3, 4, 5]
    assert result.equity.index.tolist() == [0, 1, 2, 3, 4, 5]
    assert result.positions.index.tolist() == [0, 1, 2, 3, 4]


def test_metrics_by_hand():
    m = backtest(POSITIONS, CLOSES, cost_bps=COST_BPS, delay=0).metrics
    assert list(m.index) == BACKTEST_COLUMNS
    # total: 0.84687768 - 1
    assert m["total return"] == pytest.approx(-0.15312232)
    # annualised: 0.84687768 ** (252 / 5) - 1 = 0.84687768 ** 50.4 - 1 ~ -0.99977
    assert m["annualised return"] == pytest.approx(0.84687768 ** 50.4 - 1)
    assert m["annualised return"] == pytest.approx(-0.99977, abs=1e-5)
    # mean = (0.09 - 0.10 - 0.01 + 0.09 - 0.20) / 5 = -0.13 / 5 = -0.026
    # deviations 0.116, -0.074, 0.016, 0.116, -0.174; squares 0.013456, 0.005476,
    # 0.000256, 0.013456, 0.030276; sum 0.06292; / (5 - 1) = 0.01573
    std = math.sqrt(0.01573)  # ~ 0.1254193
    assert m["annualised volatility"] == pytest.approx(std * math.sqrt(252))  # ~ 1.99097
    assert m["annualised volatility"] == pytest.approx(1.99097, abs=1e-5)
    assert m["Sharpe ratio"] == pytest.approx(-0.026 / std * math.sqrt(252))  # ~ -3.29086
    assert m["Sharpe ratio"] == pytest.approx(-3.29086, abs=1e-5)
    # peak 1.09 after day 0, never regained; the trough is the end: 0.84687768 / 1.09 - 1
    assert m["max drawdown"] == pytest.approx(0.776952 - 1)
    # changes 1 + 0 + 1 + 1 + 0 = 3 over 5 days; entries (0 -> 1) on days 0 and 3
    assert m["turnover"] == pytest.approx(3 / 5)
    assert m["position changes"] == 3
    assert m["trades"] == 2
    assert m["share of days long"] == pytest.approx(4 / 5)
    assert m["days"] == 5


def test_delay_one_by_hand():
    # the default: the signal of close t is held from close t + 1 on, flat on day 0
    result = backtest(POSITIONS, CLOSES, cost_bps=COST_BPS)
    # held q = [0, 1, 1, 0, 1]; changes |q[t] - q[t-1]| with q[-1] = 0: 0, 1, 0, 1, 1
    assert result.positions.tolist() == [0, 1, 1, 0, 1]
    assert result.positions.index.tolist() == [0, 1, 2, 3, 4]
    # market +10 %, -10 %, +10 %, +10 %, -20 %; r[t] = q[t] * market[t] - 0.01 * change[t]:
    #   0 (flat, no change), -0.10 - 0.01 = -0.11, +0.10, 0 - 0.01 = -0.01 (exit),
    #   -0.20 - 0.01 = -0.21 (re-entry right into the -20 % day)
    assert result.returns.tolist() == pytest.approx([0.0, -0.11, 0.10, -0.01, -0.21])
    # equity: 1, 1, 0.89, 0.89 * 1.1 = 0.979, 0.979 * 0.99 = 0.96921, 0.96921 * 0.79 = 0.7656759
    assert result.equity.tolist() == pytest.approx(
        [1.0, 1.0, 0.89, 0.979, 0.96921, 0.7656759])
    m = result.metrics
    assert m["total return"] == pytest.approx(0.7656759 - 1)
    assert m["position changes"] == 3 and m["turnover"] == pytest.approx(3 / 5)
    assert m["trades"] == 2  # entries on days 1 and 4
    assert m["share of days long"] == pytest.approx(3 / 5)  # day 0 counts, flat
    assert m["days"] == 5
    # peak 1.0 (the start, and day 0), trough at the end
    assert m["max drawdown"] == pytest.approx(0.7656759 - 1)
    # delay=2: q = [0, 0, 1, 1, 0]: 0, 0, +0.10 - 0.01, +0.10, 0 - 0.01
    two = backtest(POSITIONS, CLOSES, cost_bps=COST_BPS, delay=2)
    assert two.positions.tolist() == [0, 0, 1, 1, 0]
    assert two.returns.tolist() == pytest.approx([0.0, 0.0, 0.09, 0.10, -0.01])


def test_delay_zero_is_the_old_same_close_timing(aapl_close):
    # the formula of the same-close backtest, written out: r[t] = p[t] * market[t] - cost * |dp|
    closes, _ = drift_strategy(aapl_close)
    X, _ = make_windows(aapl_close, lookback=LOOKBACK)
    p = positions_from_forecast(drift_forecast(X)[:, 0], X[:, -1, 0])
    old = p * (closes[1:] / closes[:-1] - 1) - 10.0 / 1e4 * np.abs(np.diff(p, prepend=0))
    same_close = backtest(p, closes, cost_bps=10.0, delay=0)
    np.testing.assert_allclose(same_close.returns.to_numpy(), old, rtol=0, atol=1e-15)
    assert same_close.positions.tolist() == p.tolist()
    # the hand-computed figures above, with their old numbers
    assert backtest(POSITIONS, CLOSES, cost_bps=COST_BPS, delay=0).returns.tolist() == (
        pytest.approx([0.09, -0.10, -0.01, 0.09, -0.20]))
    # and delay d is the same-close backtest of the signals shifted by d days
    for d in (1, 3):
        late = backtest(p, closes, cost_bps=10.0, delay=d)
        shifted = backtest(np.r_[np.zeros(d, int), p[:-d]], closes, cost_bps=10.0, delay=0)
        pd.testing.assert_series_equal(late.returns, shifted.returns)
        pd.testing.assert_series_equal(late.metrics, shifted.metrics)


def test_perfect_foresight_pays_at_the_same_close_and_not_a_day_later():
    # a random walk: yesterday's move says nothing about today's
    closes = 100 * np.exp(np.cumsum(np.random.default_rng(3).normal(0.0, 0.01, 2001)))
    foresight = (closes[1:] > closes[:-1]).astype(int)  # p[t] = 1 iff c[t+1] > c[t]
    same_close = backtest(foresight, closes, delay=0).metrics
    next_day = backtest(foresight, closes, delay=1).metrics
    # booked from close t, it takes every rise and skips every fall
    assert same_close["total return"] > 1000  # more than a thousandfold in 8 years
    assert same_close["Sharpe ratio"] > 10
    assert same_close["max drawdown"] == 0.0
    # traded a day late it is a coin flip: long after every rise, earning whatever comes
    assert next_day["total return"] < 1e-3 * same_close["total return"]
    assert abs(next_day["Sharpe ratio"]) < 1.5
    assert next_day["max drawdown"] < -0.1


def test_periods_per_year_accepts_a_measured_float():
    per_year = 251.7
    m = backtest(POSITIONS, CLOSES, cost_bps=COST_BPS, periods_per_year=per_year).metrics
    total = 0.7656759 - 1
    assert m["annualised return"] == pytest.approx((1 + total) ** (per_year / 5) - 1)
    r = np.array([0.0, -0.11, 0.10, -0.01, -0.21])
    assert m["Sharpe ratio"] == pytest.approx(r.mean() / r.std(ddof=1) * math.sqrt(per_year))
    assert buy_and_hold(CLOSES, periods_per_year=np.float64(per_year)).metrics["days"] == 5


def test_periods_per_year_rescales_annual_figures_only():
    m = backtest(POSITIONS, CLOSES, cost_bps=COST_BPS, periods_per_year=5, delay=0).metrics
    std = math.sqrt(0.01573)
    # 5 days in a 5-day "year": annualised return == total return
    assert m["annualised return"] == pytest.approx(-0.15312232)
    assert m["annualised volatility"] == pytest.approx(std * math.sqrt(5))  # ~ 0.28045
    assert m["Sharpe ratio"] == pytest.approx(-0.026 / std * math.sqrt(5))  # ~ -0.46355
    assert m["max drawdown"] == pytest.approx(0.776952 - 1)


def test_costs_hit_only_the_days_with_a_change():
    free = backtest(POSITIONS, CLOSES, delay=0).returns.to_numpy()
    paid = backtest(POSITIONS, CLOSES, cost_bps=COST_BPS, delay=0).returns.to_numpy()
    # 0.01 per change: changes 1, 0, 1, 1, 0
    assert free - paid == pytest.approx([0.01, 0.0, 0.01, 0.01, 0.0])
    assert free.tolist() == pytest.approx([0.10, -0.10, 0.0, 0.10, -0.20])


def test_buy_and_hold_by_hand():
    result = buy_and_hold(CLOSES, cost_bps=COST_BPS)
    # r = 0.10 - 0.01, -0.10, 0.10, 0.10, -0.20 (one entry cost, on day 0)
    assert result.returns.tolist() == pytest.approx([0.09, -0.10, 0.10, 0.10, -0.20])
    # 1.09 * 0.9 * 1.1 * 1.1 * 0.8 - 1 = 0.949608 - 1
    assert result.metrics["total return"] == pytest.approx(-0.050392)
    # = c_n / c_0 - 1 = -0.04168, less the entry cost grown with the price after day 0:
    #   0.01 * c_n / c_1 = 0.01 * 95.832 / 110 = 0.008712
    assert result.metrics["total return"] == pytest.approx(
        (95.832 / 100 - 1) - 0.01 * 95.832 / 110)
    assert result.metrics["position changes"] == 1
    assert result.metrics["trades"] == 1
    assert result.metrics["turnover"] == pytest.approx(1 / 5)
    assert result.metrics["share of days long"] == 1.0
    # peak 1.18701 after day 3, then * 0.8: drawdown -0.20
    assert result.metrics["max drawdown"] == pytest.approx(-0.20)
    # without costs it is exactly the price change, and equal to backtest with all ones
    free = buy_and_hold(CLOSES)
    assert free.metrics["total return"] == pytest.approx(95.832 / 100 - 1)
    pd.testing.assert_series_equal(free.metrics, backtest(np.ones(5), CLOSES, delay=0).metrics)
    # buy and hold waits for no signal: long from day 0, unlike all ones traded a day late
    assert free.positions.tolist() == [1, 1, 1, 1, 1]
    assert backtest(np.ones(5), CLOSES).positions.tolist() == [0, 1, 1, 1, 1]


def test_buy_and_hold_on_aapl_is_the_price_change(aapl_close):
    result = buy_and_hold(aapl_close)
    assert result.metrics["total return"] == pytest.approx(aapl_close[-1] / aapl_close[0] - 1)
    assert result.equity.to_numpy() == pytest.approx(aapl_close / aapl_close[0])


def test_one_day_and_no_spread_give_nan_not_a_number_that_misleads():
    one = backtest([1], [100.0, 110.0], delay=0).metrics
    assert one["total return"] == pytest.approx(0.10)
    assert math.isnan(one["annualised volatility"])  # ddof=1 needs two days
    assert math.isnan(one["Sharpe ratio"])
    flat = backtest([0, 0, 0], [100.0, 120.0, 90.0, 95.0]).metrics
    assert flat["total return"] == 0.0
    assert flat["annualised volatility"] == 0.0
    assert math.isnan(flat["Sharpe ratio"])  # std 0: undefined, not 0 or infinite
    assert flat["max drawdown"] == 0.0
    assert flat["trades"] == 0
    steady = buy_and_hold(100.0 * 1.01 ** np.arange(6)).metrics  # +1 % every day
    assert math.isnan(steady["Sharpe ratio"])
    assert steady["max drawdown"] == 0.0


def test_dates_follow_a_closes_series(aapl):
    closes = aapl.loc["2012-01-03":"2012-01-10", "Close"]
    positions = pd.Series([1, 0, 1, 1, 0], index=closes.index[:-1])
    result = backtest(positions, closes, cost_bps=5)
    assert result.equity.index.equals(closes.index)
    assert result.returns.index.equals(closes.index[1:])
    assert result.positions.index.equals(closes.index[:-1])
    with pytest.raises(DataError, match=r"not dated like closes\[:-1\]"):
        backtest(pd.Series(positions.to_numpy(), index=closes.index[1:]), closes)


def test_backtest_table():
    results = {
        "rule": backtest(POSITIONS, CLOSES, cost_bps=COST_BPS, delay=0),
        "buy and hold": buy_and_hold(CLOSES, cost_bps=COST_BPS),
    }
    table = backtest_table(results)
    assert table.index.tolist() == ["rule", "buy and hold"]
    assert table.index.name == "strategy"
    assert list(table.columns) == BACKTEST_COLUMNS
    assert table.loc["rule", "total return"] == pytest.approx(-0.15312232)
    assert table.loc["buy and hold", "total return"] == pytest.approx(-0.050392)
    assert table["trades"].tolist() == [2, 1]
    assert table["days"].dtype.kind == "i"


# --- no look-ahead, on real AAPL closes -------------------------------------------------


@pytest.mark.parametrize("k", [40, 300, 700])
@pytest.mark.parametrize("alter", ["shuffle", "crash"])
def test_altering_the_future_does_not_change_the_past(aapl_close, k, alter):
    closes, result = drift_strategy(aapl_close)
    # closes[t] is aapl_close[t + LOOKBACK - 1]; change everything after closes[k]
    cut = k + LOOKBACK
    changed = aapl_close.copy()
    if alter == "shuffle":
        changed[cut:] = np.random.default_rng(k).permutation(changed[cut:])
    else:
        changed[cut:] *= 0.5
    new_closes, new = drift_strategy(changed)
    assert np.array_equal(new_closes[: k + 1], closes[: k + 1])
    assert not np.array_equal(new_closes[k + 1 :], closes[k + 1 :])
    # signals decided at closes 0..k, so positions held from closes 0..k+1 (a day late),
    # returns realised at closes 1..k, equity at 0..k
    assert np.array_equal(new.positions.to_numpy()[: k + 2], result.positions.to_numpy()[: k + 2])
    assert np.array_equal(new.returns.to_numpy()[:k], result.returns.to_numpy()[:k])
    assert np.array_equal(new.equity.to_numpy()[: k + 1], result.equity.to_numpy()[: k + 1])
    # and the backtest of the first k days alone is the same prefix, from the held
    # positions replayed as they are (delay=0) or from the signals traded a day late
    prefix = backtest(result.positions.to_numpy()[:k], closes[: k + 1], cost_bps=10.0, delay=0)
    assert np.array_equal(prefix.returns.to_numpy(), result.returns.to_numpy()[:k])
    X, _ = make_windows(aapl_close, lookback=LOOKBACK)
    signals = positions_from_forecast(drift_forecast(X)[:, 0], X[:, -1, 0])
    again = backtest(signals[:k], closes[: k + 1], cost_bps=10.0)
    assert np.array_equal(again.returns.to_numpy(), result.returns.to_numpy()[:k])


def lookahead_positions(closes):
    """Cheating on purpose: long exactly when the *next* close is higher."""
    return (closes[1:] > closes[:-1]).astype(int)


def test_the_same_check_catches_a_lookahead_signal(aapl_close):
    closes, _ = drift_strategy(aapl_close)
    cheat = lookahead_positions(closes)
    k = 300 + int(np.argmax(cheat[300:] == 1))  # a day the cheat is long
    changed = aapl_close.copy()
    changed[k + LOOKBACK :] *= 0.5  # crash right after close k
    new_closes, _ = drift_strategy(changed)
    assert lookahead_positions(new_closes)[k] == 0  # the "past" position moved


def test_lookahead_is_what_makes_huge_returns(aapl_close):
    closes, honest = drift_strategy(aapl_close)
    # booked from the close it peeks past (delay=0), the cheat looks like a money machine
    cheat = backtest(lookahead_positions(closes), closes, cost_bps=10.0, delay=0)
    hold = buy_and_hold(closes, cost_bps=10.0)
    # it never loses more than the cost of a change
    assert cheat.returns.min() >= -10.0 / 1e4
    assert cheat.metrics["total return"] > 50 * hold.metrics["total return"]
    assert cheat.metrics["Sharpe ratio"] > 5
    assert cheat.metrics["max drawdown"] > -0.01
    assert honest.metrics["total return"] < hold.metrics["total return"]
    assert honest.metrics["Sharpe ratio"] < 2


def test_naive_forecast_is_always_flat(aapl_close):
    X, y = make_windows(aapl_close, lookback=LOOKBACK)
    last = X[:, -1, 0]
    positions = positions_from_forecast(naive_forecast(X)[:, 0], last)
    assert positions.dtype.kind == "i"
    assert not positions.any()
    m = backtest(positions, np.append(last, y[-1, 0]), cost_bps=10.0).metrics
    assert m["total return"] == 0.0
    assert m["trades"] == 0
    assert m["share of days long"] == 0.0


def test_positions_from_forecast():
    assert positions_from_forecast([101.0, 99.0, 100.0], [100.0, 100.0, 100.0]).tolist() == [
        1, 0, 0]
    idx = pd.date_range("2020-01-01", periods=2)
    s = positions_from_forecast(pd.Series([2.0, 1.0], idx), pd.Series([1.0, 1.0], idx))
    assert isinstance(s, np.ndarray) and s.tolist() == [1, 0]


# --- bad input --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: backtest([1, 1, 1], [100.0, 101.0, 102.0]),
         r"positions has 3 values, so closes needs 4 .* but closes has 3"),
        (lambda: backtest([1], [100.0, 101.0, 102.0]),
         r"positions has 1 values, so closes needs 2"),
        (lambda: backtest([], [100.0]), r"at least 2 closes .* got 1"),
        (lambda: buy_and_hold([100.0]), r"at least 2 closes"),
        (lambda: backtest([1, 1], [100.0, np.nan, 102.0]),
         r"closes holds 1 NaN or infinite value\(s\) \(first at position 1\); drop or repair"),
        (lambda: backtest([1, 1], [100.0, 0.0, 102.0]),
         r"closes must be positive prices, got 0.0 at position 1"),
        (lambda: backtest([1, 1], [100.0, -1.0, 102.0]), r"must be positive prices"),
        (lambda: backtest([1, 0.5], [100.0, 101.0, 102.0]),
         r"positions must be 0 \(flat\) or 1 \(long\), got 0.5 at position 1; .*"
         r"positions_from_forecast"),
        (lambda: backtest([-1, 1], [100.0, 101.0, 102.0]), r"long-only"),
        (lambda: backtest([1, np.nan], [100.0, 101.0, 102.0]), r"positions holds 1 NaN"),
        (lambda: backtest([1, 1], [100.0, 101.0, 102.0], cost_bps=-5),
         r"cost_bps must be a number of basis points in \[0, 10000\), got -5"),
        (lambda: backtest([1, 1], [100.0, 101.0, 102.0], cost_bps=np.nan), r"cost_bps"),
        (lambda: backtest([1, 1], [100.0, 101.0, 102.0], cost_bps="10"), r"cost_bps"),
        (lambda: backtest([1, 1], [100.0, 101.0, 102.0], periods_per_year=0),
         r"periods_per_year must be a positive number, got periods_per_year=0; .*"
         r"sessions_per_year"),
        (lambda: backtest([1, 1], [100.0, 101.0, 102.0], periods_per_year=np.inf),
         r"periods_per_year must be a positive number"),
        (lambda: backtest([1, 1], [100.0, 101.0, 102.0], periods_per_year="252"),
         r"periods_per_year must be a positive number"),
        (lambda: backtest([1, 1], [100.0, 101.0, 102.0], delay=-1),
         r"delay must be a non-negative integer number of days, got delay=-1; pass 1"),
        (lambda: backtest([1, 1], [100.0, 101.0, 102.0], delay=1.0), r"delay must be"),
        (lambda: backtest([1, 1], [100.0, 101.0, 102.0], delay=True), r"delay must be"),
        (lambda: backtest([1, 1], [100.0, 101.0, 102.0], delay=2),
         r"delay=2 leaves no day to trade on: there are only 2 positions, so delay must be "
         r"at most 1"),
        (lambda: backtest([1], [100.0, 101.0]), r"delay=1 leaves no day to trade on"),
        (lambda: backtest([1, 1], np.ones((3, 2))), r"closes must be 1-D"),
        (lambda: positions_from_forecast([1.0, 2.0], [1.0]),
         r"forecast has 2 values but last_close has 1"),
        (lambda: positions_from_forecast([1.0, np.nan], [1.0, 1.0]), r"forecast holds 1 NaN"),
        (lambda: positions_from_forecast(
            pd.Series([1.0, 2.0], index=[0, 1]), pd.Series([1.0, 2.0], index=[1, 2])),
         r"different indexes"),
        (lambda: backtest_table({}), r"non-empty dict"),
        (lambda: backtest_table({"x": {"total return": 0.1}}),
         r"results\['x'\] is a dict, not a BacktestResult"),
    ],
)
def test_bad_input_raises_data_error(call, message):
    with pytest.raises(DataError, match=message):
        call()


def test_result_is_a_named_tuple():
    result = backtest([1], [100.0, 110.0], delay=0)
    assert isinstance(result, BacktestResult)
    returns, equity, positions, metrics = result
    assert metrics is result.metrics


# --- the Sharpe ratio's bootstrap interval ---------------------------------------------


def test_sharpe_interval_matches_the_backtest_and_brackets_it(aapl_close):
    closes, result = drift_strategy(aapl_close[:400])
    interval = sharpe_interval(result.returns)
    assert interval.sharpe == pytest.approx(result.metrics["Sharpe ratio"], rel=1e-12)
    assert interval.low < interval.sharpe < interval.high
    # the default block: arch's optimal circular block length, rounded up, 1..n // 2
    from arch.bootstrap import optimal_block_length

    circular = optimal_block_length(result.returns.to_numpy())["circular"].iloc[0]
    assert interval.block == min(max(1, math.ceil(circular)), len(result.returns) // 2)
    assert (interval.level, interval.n_boot) == (0.95, 2000)
    assert sharpe_interval(result.returns) == interval  # seeded: the same interval again


def test_sharpe_interval_by_hand_with_iid_bootstrap():
    # With block=1 each resample draws days independently: check one resample by hand.
    r = np.array([0.01, -0.02, 0.03, 0.0, 0.01, -0.01, 0.02, 0.01, -0.03, 0.02])
    one = sharpe_interval(r, block=1, n_boot=1, seed=3)
    idx = np.random.default_rng(3).integers(0, r.size, size=(1, r.size))[0]
    draw = r[idx]
    expected = draw.mean() / draw.std(ddof=1) * np.sqrt(252)
    assert one.low == pytest.approx(expected) and one.high == pytest.approx(expected)


def test_sharpe_interval_narrows_with_more_days():
    rng = np.random.default_rng(5)
    short = sharpe_interval(rng.normal(0.0005, 0.01, 250))
    long = sharpe_interval(rng.normal(0.0005, 0.01, 4000))
    assert (long.high - long.low) < 0.4 * (short.high - short.low)
    # about +-1.96 / sqrt(years) around the estimate for iid returns
    assert 3.0 < short.high - short.low < 5.5


def test_sharpe_interval_scales_with_periods_per_year():
    r = np.random.default_rng(2).normal(0.001, 0.01, 100)
    daily, weekly = sharpe_interval(r), sharpe_interval(r, periods_per_year=52)
    ratio = np.sqrt(252 / 52)
    assert daily.sharpe == pytest.approx(weekly.sharpe * ratio)
    assert daily.low == pytest.approx(weekly.low * ratio)


@pytest.mark.parametrize(
    "returns, kwargs, message",
    [
        (np.zeros(50), {}, r"do not vary"),
        (np.r_[np.zeros(48), 0.01, -0.01], {"block": 2, "n_boot": 500},
         r"do not vary on \d+ of 500 resamples"),
        (np.ones(5) * 0.01, {}, r"at least 10 samples"),
        (np.r_[0.01, np.nan, np.zeros(20)], {}, r"returns holds 1 NaN"),
        (np.random.default_rng(0).normal(size=20), {"block": 11}, r"block=11 is too long"),
        (np.random.default_rng(0).normal(size=20), {"level": 1.0}, r"level must be"),
    ],
)
def test_sharpe_interval_bad_input(returns, kwargs, message):
    with pytest.raises(DataError, match=message):
        sharpe_interval(returns, **kwargs)


# --- the prose's numbers ---------------------------------------------------------------


def test_backtest_summary_by_hand():
    closes = pd.Series(CLOSES, index=pd.bdate_range("2021-03-01", periods=CLOSES.size))
    seed_positions = {"seed 0": POSITIONS, "seed 1": np.array([1, 0, 0, 0, 0])}
    results = {name: backtest(p, closes, cost_bps=COST_BPS, delay=0)
               for name, p in seed_positions.items()}
    results["ensemble"] = backtest(POSITIONS, closes, cost_bps=COST_BPS, delay=0)
    results["hold"] = buy_and_hold(closes, cost_bps=COST_BPS)
    table = backtest_table(results)
    s = backtest_summary(table, results, closes, {"ensemble": "ens", "hold": "hold"},
                         ["seed 0", "seed 1"], candidate="ensemble", reference="hold",
                         percent_digits=2)
    # buy and hold: the price change, less one entry cost
    hold_total = 100 * ((1 - 0.01 + 0.10) * 0.9 * 1.1 * 1.1 * 0.8 - 1)
    assert s["total_hold"] == pytest.approx(round(hold_total, 2))
    # the ensemble before costs: +10 %, -10 %, skip, +10 %, -20 %
    assert s["gross_ens"] == pytest.approx(round(100 * (1.1 * 0.9 * 1.1 * 0.8 - 1), 2))
    assert s["changes_ens"] == 3 and s["trades_ens"] == 2 and s["trades_hold"] == 1
    assert s["long_ens"] == 80.0 and s["long_hold"] == 100.0
    assert s["days"] == 5 and s["first"] == "2021-03-01"
    # seed 1 is long on day 0 only: +10 % less entry and exit costs
    seed1_total = 100 * ((1 + 0.1 - 0.01) * (1 - 0.01) - 1)
    assert s["seed_total_max"] == pytest.approx(round(seed1_total, 2))
    assert s["seed_total_min"] == pytest.approx(round(100 * table.loc["seed 0", "total return"], 2))
    assert s["seeds_beat_hold"] == int((table.loc[["seed 0", "seed 1"], "total return"]
                                        > table.loc["hold", "total return"]).sum())
    above = table.loc["ensemble", "total return"] > table.loc["hold", "total return"]
    assert s["total_vs_hold"] == ("above" if above else "below")
    assert s["seed_trades_min"] == 1 and s["seed_trades_max"] == 2
    assert all(isinstance(s[k], int) for k in ("seed_trades_min", "trades_ens", "changes_ens"))


def test_backtest_summary_names_a_missing_row():
    closes = [100.0, 101.0, 102.0]
    results = {"hold": buy_and_hold(closes)}
    with pytest.raises(DataError, match="no row for"):
        backtest_summary(backtest_table(results), results, closes, {"hold": "hold"},
                         ["seed 0"], candidate="hold", reference="hold")


# --- sessions per year ------------------------------------------------------------------


def test_sessions_per_year_of_every_weekday():
    dates = pd.bdate_range("2010-01-01", "2019-12-31")  # 10 years of weekdays
    assert sessions_per_year(dates) == pytest.approx(261, abs=0.5)
    # the definition: returns (sessions - 1) per year of calendar time
    assert sessions_per_year(dates) == (len(dates) - 1) / ((dates[-1] - dates[0]).days / 365.25)
    # a Series or DataFrame is measured by its index
    prices = pd.Series(np.arange(len(dates), dtype=float), index=dates)
    assert sessions_per_year(prices) == sessions_per_year(prices.to_frame()) == (
        sessions_per_year(dates))


def test_sessions_per_year_of_a_new_york_like_calendar():
    from pandas.tseries.holiday import (
        AbstractHolidayCalendar,
        GoodFriday,
        Holiday,
        USLaborDay,
        USMartinLutherKingJr,
        USMemorialDay,
        USPresidentsDay,
        USThanksgivingDay,
        nearest_workday,
    )
    from pandas.tseries.offsets import CustomBusinessDay

    class NewYorkLike(AbstractHolidayCalendar):  # the 9 usual NYSE holidays, no Juneteenth
        rules = [
            Holiday("New Year", month=1, day=1, observance=nearest_workday),
            USMartinLutherKingJr, USPresidentsDay, GoodFriday, USMemorialDay,
            Holiday("Independence Day", month=7, day=4, observance=nearest_workday),
            USLaborDay, USThanksgivingDay,
            Holiday("Christmas", month=12, day=25, observance=nearest_workday),
        ]

    dates = pd.date_range("2010-01-04", "2019-12-31",
                          freq=CustomBusinessDay(calendar=NewYorkLike()))
    assert sessions_per_year(dates) == pytest.approx(252, abs=0.5)


@pytest.mark.parametrize(
    "dates, message",
    [
        (pd.DatetimeIndex(["2020-01-01"]), r"at least 2 dates, got 1"),
        (pd.DatetimeIndex([]), r"at least 2 dates, got 0"),
        (pd.RangeIndex(100), r"needs a DatetimeIndex, got RangeIndex; pass the price table"),
        (["2020-01-01", "2021-01-01"], r"needs a DatetimeIndex, got list"),
        (pd.Series([1.0, 2.0]), r"needs a DatetimeIndex, got RangeIndex"),
        (pd.DatetimeIndex(["2020-03-01", "2020-01-01", "2020-06-01"]),
         r"strictly increasing .*prices.sort_index\(\)"),
        (pd.DatetimeIndex(["2020-01-01", "2020-03-01", "2020-03-01"]), r"no duplicates"),
        (pd.DatetimeIndex(["2020-01-01", pd.NaT, "2020-06-01"]), r"no NaT"),
        (pd.bdate_range("2020-01-01", periods=20), r"span 27 calendar days; at least 30"),
    ],
)
def test_sessions_per_year_bad_input(dates, message):
    with pytest.raises(DataError, match=message):
        sessions_per_year(dates)


# --- the difference of two Sharpe ratios ---------------------------------------------


def market_and_strategies(n=750, edge=0.0008, seed=4):
    """Daily market returns, and a strategy that beats it by ``edge`` a day on the same days."""
    market = np.random.default_rng(seed).normal(0.0003, 0.01, n)
    dates = pd.bdate_range("2020-01-01", periods=n)
    return pd.Series(market, dates), pd.Series(market + edge, dates)


def test_sharpe_difference_of_identical_series_is_exactly_zero():
    market, _ = market_and_strategies()
    result = sharpe_difference_interval(market, market.copy())
    assert isinstance(result, SharpeDifference)
    assert (result.difference, result.low, result.high, result.p_value) == (0.0, 0.0, 0.0, 1.0)


def test_sharpe_difference_of_a_better_strategy_lies_above_zero():
    market, better = market_and_strategies()
    result = sharpe_difference_interval(better, market)
    sharpe = {name: backtest_sharpe(r) for name, r in [("better", better), ("market", market)]}
    assert result.difference == pytest.approx(sharpe["better"] - sharpe["market"], rel=1e-12)
    assert 0 < result.low < result.difference < result.high
    assert result.p_value < 0.01
    assert (result.level, result.n_boot) == (0.95, 2000)
    # the paired interval is much narrower than either ratio's own interval
    alone = sharpe_interval(better, block=result.block)
    assert result.high - result.low < 0.5 * (alone.high - alone.low)
    # swapping the series flips the sign
    swapped = sharpe_difference_interval(market, better)
    assert swapped.difference == pytest.approx(-result.difference)
    assert swapped.low == pytest.approx(-result.high) and swapped.p_value == result.p_value


def backtest_sharpe(returns):
    r = np.asarray(returns)
    return r.mean() / r.std(ddof=1) * math.sqrt(252)


def test_sharpe_difference_of_two_unrelated_equals_is_not_significant():
    rng = np.random.default_rng(11)
    p_values = []
    for seed in range(40):
        common = rng.normal(0, 0.01, 300)
        a, b = (0.5 * common + rng.normal(0.0002, 0.01, 300) for _ in range(2))
        p_values.append(sharpe_difference_interval(a, b, n_boot=400, seed=seed).p_value)
    # about 5 % of p-values below 0.05 when the true difference is 0
    assert np.mean(np.array(p_values) < 0.05) <= 0.15
    assert np.median(p_values) > 0.2


def test_sharpe_difference_is_reproducible_with_a_seed():
    market, better = market_and_strategies(n=300, edge=0.0003)
    first = sharpe_difference_interval(better, market, seed=7)
    assert sharpe_difference_interval(better, market, seed=7) == first
    other = sharpe_difference_interval(better, market, seed=8)
    assert other.difference == first.difference and (other.low, other.high) != (
        first.low, first.high)


def test_sharpe_difference_by_hand_with_iid_bootstrap():
    # block=1, one resample: the same days drawn for both series
    a = np.array([0.01, -0.02, 0.03, 0.0, 0.01, -0.01, 0.02, 0.01, -0.03, 0.02])
    b = np.array([0.02, -0.01, 0.01, 0.01, -0.02, 0.0, 0.01, 0.03, -0.01, 0.0])
    one = sharpe_difference_interval(a, b, block=1, n_boot=1, seed=3)
    idx = np.random.default_rng(3).integers(0, a.size, size=(1, a.size))[0]
    expected = backtest_sharpe(a[idx]) - backtest_sharpe(b[idx])
    assert one.low == pytest.approx(expected) and one.high == pytest.approx(expected)
    assert one.difference == pytest.approx(backtest_sharpe(a) - backtest_sharpe(b))
    # p: one centred resample d* - d, compared with d on both sides
    centred = expected - one.difference
    assert one.p_value == min(1.0, 2 * min(float(centred >= one.difference),
                                           float(centred <= one.difference)))


def test_sharpe_difference_default_block_is_the_longer_optimal_block():
    rng = np.random.default_rng(2)
    noise = rng.normal(0, 0.01, 500)
    sticky = np.convolve(rng.normal(0, 0.01, 520), np.ones(20) / 20, mode="valid")[:500]
    result = sharpe_difference_interval(sticky + 0.001, noise, n_boot=200)
    assert result.block == _optimal_block([sticky, noise]) == max(
        _optimal_block([sticky]), _optimal_block([noise]))
    assert result.block > _optimal_block([noise])
    assert sharpe_interval(noise).block == _optimal_block([noise])
    assert sharpe_difference_interval(sticky, noise, block=3, n_boot=200).block == 3


@pytest.mark.parametrize(
    "a, b, kwargs, message",
    [
        (np.ones(20) * 0.01, np.linspace(-0.01, 0.01, 20), {},
         r"returns_a do not vary, so their Sharpe ratio is undefined"),
        (np.linspace(-0.01, 0.01, 20), np.zeros(20), {}, r"returns_b do not vary"),
        (np.linspace(-0.01, 0.01, 20), np.linspace(-0.01, 0.01, 21), {},
         r"returns_a has 20 values but returns_b has 21; compare two strategies over the "
         r"same days"),
        (pd.Series(np.linspace(-0.01, 0.01, 20), pd.bdate_range("2020-01-01", periods=20)),
         pd.Series(np.linspace(-0.01, 0.01, 20), pd.bdate_range("2020-01-02", periods=20)), {},
         r"different indexes; compare them over the same days .* align"),
        (np.r_[np.nan, np.linspace(-0.01, 0.01, 19)], np.linspace(-0.01, 0.01, 20), {},
         r"returns_a holds 1 NaN or infinite value\(s\)"),
        (np.linspace(-0.01, 0.01, 5), np.linspace(-0.01, 0.01, 5), {}, r"at least 10 samples"),
        (np.linspace(-0.01, 0.01, 20), np.linspace(0.01, -0.01, 20), {"block": 11},
         r"block=11 is too long for 20 samples"),
        (np.linspace(-0.01, 0.01, 20), np.linspace(0.01, -0.01, 20), {"level": 0},
         r"level must be"),
        (np.linspace(-0.01, 0.01, 20), np.linspace(0.01, -0.01, 20), {"periods_per_year": -1},
         r"periods_per_year must be a positive number"),
        (np.linspace(-0.01, 0.01, 50), np.r_[np.zeros(48), 0.01, -0.01],
         {"block": 2, "n_boot": 500}, r"returns_b do not vary on \d+ of 500 resamples"),
    ],
)
def test_sharpe_difference_bad_input(a, b, kwargs, message):
    with pytest.raises(DataError, match=message):
        sharpe_difference_interval(a, b, **kwargs)
