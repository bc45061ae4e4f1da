"""A trading backtest: would a forecast have made money?

RMSE says how far a forecast is from the price; it does not say whether
trading on it pays. This module turns forecasts into a long-or-flat position
and books what that position would have earned, after costs.

Conventions (the same in every function):

- **Timing.** The signal ``p[t]`` is decided at the close of day ``t``, using
  information up to that close only. You need that close to compute it, so
  the earliest it can be traded is the next day: with the default
  ``delay=1`` the position *held* on day ``t`` is ``q[t] = p[t - 1]``, and
  ``q[t]`` earns the simple return from close ``t`` to close ``t + 1``. In
  general ``q[t] = p[t - delay]``, and ``q[t] = 0`` (flat, in cash) for
  ``t < delay``: no signal has been traded yet. ``delay=0`` (``q = p``) earns
  ``p[t]``'s return from the very close it was computed at; a backtest built
  that way credits the signal with a trade nobody could have made, and the
  book uses it only to show that mistake.
- **Alignment.** With ``n`` positions ``p[0..n-1]`` you pass ``n + 1``
  closes ``c[0..n]``: the close of every decision day plus the close after the
  last one. Any other length raises `DataError`. With windows from
  `lstm_tutorial.windowing.make_windows` (horizon 1) that is
  ``closes = np.append(X[:, -1, target_col], y[-1, 0])`` in prices.
- **Positions** (signals ``p`` and held ``q`` alike) are 0 (flat, in cash
  earning nothing) or 1 (long, all in).
  No shorting, no leverage, no fractions: the strategy either holds the stock
  or does not, so "trades" and "days long" are plain counts.
- **Costs.** ``cost_bps`` (basis points, 1 bp = 0.01 %) is charged on every
  change of the held position, entering and leaving alike, as a fraction of
  equity subtracted from that day's return:
  ``r[t] = q[t] * (c[t+1] / c[t] - 1) - cost_bps / 1e4 * |q[t] - q[t-1]|``
  with ``q[-1] = 0``: the strategy starts in cash, so entering the first
  position costs too. The last position is not closed at the end (no exit
  cost); it is valued at the last close.
- **Returns and equity** are pandas Series. ``equity`` starts at 1.0 on the
  first close (``c[0]``) and has ``n + 1`` values; ``returns`` has ``n``,
  each dated at the close where it is realised (``returns.iloc[t]`` is
  ``r[t]``, dated like ``c[t+1]``). With ``closes`` as a Series the dates are
  its index, otherwise the integers 0..n.

Use split-adjusted prices (e.g. "Adj Close", which also folds dividends in)
or a span without splits: an unadjusted 2-for-1 split looks like a -50 % day.

The metrics, in `BACKTEST_COLUMNS` order (fractions, not percent: 0.05 is 5 %).
All of them are computed from the held positions ``q`` and the returns ``r``.
``periods_per_year`` is the number of trading sessions per year: 252 is the
usual figure for New York (261 would be every weekday); `sessions_per_year`
measures it from the dates of the price series itself.

- "total return": ``equity[-1] - 1``.
- "annualised return": ``(1 + total) ** (periods_per_year / n) - 1``
  (geometric); -1.0 if the equity was wiped out.
- "annualised volatility": ``std(r, ddof=1) * sqrt(periods_per_year)``;
  NaN with a single day (no spread to measure).
- "Sharpe ratio": ``mean(r) / std(r, ddof=1) * sqrt(periods_per_year)``,
  risk-free rate 0. NaN when the returns do not vary (std below 1e-12, e.g. a
  strategy that stays flat without costs): the ratio is undefined there, not 0.
- "max drawdown": the worst fall of the equity from its running peak, as a
  **negative** fraction (-0.25: a quarter of the peak lost), 0.0 if it never
  fell. The starting 1.0 counts as a peak.
- "turnover": average absolute position change per day,
  ``sum |q[t] - q[t-1]| / n`` (with ``q[-1] = 0``).
- "position changes": ``sum |q[t] - q[t-1]|``: every entry and every exit
  (each one paid ``cost_bps``).
- "trades": number of entries (flat to long), i.e. round trips, the last of
  which may still be open at the end.
- "share of days long": ``mean(q)`` (the first ``delay`` days count, flat).
- "days": ``n``, the number of daily returns.

A Sharpe ratio estimated from a few hundred days is one path's number, not
a property of the strategy: `sharpe_interval` gives a block-bootstrap
interval for it, and `sharpe_difference_interval` one for the difference
between two strategies' ratios on the same days (e.g. a model's signal
against buy and hold).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd

from lstm_tutorial.errors import DataError
from lstm_tutorial.stats import (
    _block_indices,
    _bootstrap_settings,
    _percentile_interval,
    optimal_block,
)
from lstm_tutorial.windowing import as_1d

__all__ = [
    "BACKTEST_COLUMNS",
    "BacktestResult",
    "backtest",
    "backtest_summary",
    "backtest_table",
    "buy_and_hold",
    "positions_from_forecast",
    "sessions_per_year",
    "SharpeDifference",
    "sharpe_difference_interval",
    "SharpeInterval",
    "sharpe_interval",
]

BACKTEST_COLUMNS = [
    "total return",
    "annualised return",
    "annualised volatility",
    "Sharpe ratio",
    "max drawdown",
    "turnover",
    "position changes",
    "trades",
    "share of days long",
    "days",
]

_COUNT_COLUMNS = ["position changes", "trades", "days"]

_ZERO_STD = 1e-12

_BOOT_MIN_POINTS = 10  # the same floor as lstm_tutorial.stats' bootstraps

_MIN_SPAN_DAYS = 30  # sessions_per_year: a shorter span says little about a year


class BacktestResult(NamedTuple):
    """Result of `backtest` and `buy_and_hold`.

    Attributes
    ----------
    returns : Series, n values
        Daily strategy returns after costs, ``returns.iloc[t] = r[t]``, dated at
        the close where each is realised (``c[t+1]``).
    equity : Series, n + 1 values
        Value of 1.0 invested at the first close: ``equity.iloc[0] = 1`` and
        ``equity.iloc[t+1] = equity.iloc[t] * (1 + r[t])``; dated like ``closes``.
    positions : Series, n values
        The *held* positions ``q[t] = p[t - delay]`` (0 flat, 1 long; 0 for
        ``t < delay``), dated at the close ``c[t]`` they are held from: the
        position that earned ``returns.iloc[t]``. With ``delay=0`` these are the
        signals as given. ``backtest(result.positions, closes, delay=0)``
        repeats the backtest (e.g. without costs).
    metrics : Series
        The figures named in `BACKTEST_COLUMNS` (see the module docstring).
    """

    returns: pd.Series
    equity: pd.Series
    positions: pd.Series
    metrics: pd.Series


def _finite(arr: np.ndarray, name: str, fix: str) -> None:
    bad = ~np.isfinite(arr)
    if bad.any():
        raise DataError(
            f"{name} holds {int(bad.sum())} NaN or infinite value(s) (first at position "
            f"{np.flatnonzero(bad)[0]}); {fix}"
        )


def _closes(closes: object) -> np.ndarray:
    arr = as_1d(closes, "closes")
    if arr.size < 2:
        raise DataError(
            f"a backtest needs at least 2 closes (one day's return), got {arr.size}; "
            "pass a longer price series"
        )
    _finite(arr, "closes", "drop or repair those rows first "
            "(load_prices(..., glitches='repair') does it with a report)")
    if (arr <= 0).any():
        first = np.flatnonzero(arr <= 0)[0]
        raise DataError(
            f"closes must be positive prices, got {float(arr[first])} at position {first}; "
            "returns divide by the previous close, so pass prices (not returns or "
            "scaled values: use inverse_target first)"
        )
    return arr


def _positions(positions: object) -> np.ndarray:
    arr = as_1d(positions, "positions")
    _finite(arr, "positions", "every day needs a position: 0 (flat) or 1 (long)")
    bad = (arr != 0) & (arr != 1)
    if bad.any():
        first = np.flatnonzero(bad)[0]
        raise DataError(
            f"positions must be 0 (flat) or 1 (long), got {float(arr[first])} at position "
            f"{first}; this backtest is long-only and all-in, so turn a signal into "
            "positions first, e.g. with positions_from_forecast"
        )
    return arr


def _same_days(first: object, second: object, x: np.ndarray, y: np.ndarray,
               names: tuple[str, str], fix_length: str, fix_index: str) -> None:
    """`DataError` unless ``x`` and ``y`` have one value per day each, on the same dates."""
    if x.size != y.size:
        raise DataError(
            f"{names[0]} has {x.size} values but {names[1]} has {y.size}; {fix_length}")
    if (isinstance(first, pd.Series) and isinstance(second, pd.Series)
            and not first.index.equals(second.index)):
        raise DataError(
            f"{names[0]} and {names[1]} are Series with different indexes; {fix_index}")


def positions_from_forecast(forecast: object, last_close: object) -> np.ndarray:
    """Go long (1) when the forecast of the next close is above the last close, else flat (0).

    Parameters
    ----------
    forecast : array or Series, shape (n,)
        Forecast of the next close, in prices (one horizon step, e.g. ``y_pred[:, 0]``).
    last_close : array or Series, shape (n,)
        The last close each forecast was made at (``X[:, -1, target_col]`` in
        prices). Series must share the forecast's index.

    Returns
    -------
    ndarray of int, shape (n,)
        1 where ``forecast > last_close`` (strictly), 0 elsewhere. The naive
        forecast (``forecast == last_close``) is therefore always flat.

    Examples
    --------
    >>> positions_from_forecast([101.0, 99.0, 100.0], [100.0, 100.0, 100.0]).tolist()
    [1, 0, 0]
    """
    f = as_1d(forecast, "forecast")
    last = as_1d(last_close, "last_close")
    _same_days(forecast, last_close, f, last, ("forecast", "last_close"),
               "pass one last close per forecast (X[:, -1, target_col] in prices)",
               "align them (same dates) or pass arrays")
    _finite(f, "forecast", "forecast every day, or cut the span to the days you have")
    _finite(last, "last_close", "drop or repair those rows first")
    return (f > last).astype(int)


def _periods_per_year(value: object) -> float:
    """``periods_per_year`` as a float, or `DataError` unless it is a finite number > 0."""
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float, np.integer, np.floating))
        or not np.isfinite(value)
        or value <= 0
    ):
        raise DataError(
            f"periods_per_year must be a positive number, got periods_per_year={value!r}; "
            "pass the trading sessions per year, e.g. 252 for daily New York closes, "
            "sessions_per_year(prices.index) to measure it, or 52 for weeks"
        )
    return float(value)


def _delay(value: object, n: int) -> int:
    """``delay`` as an int, or `DataError` unless it is an integer in ``0..n-1``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
        raise DataError(
            f"delay must be a non-negative integer number of days, got delay={value!r}; "
            "pass 1 (the default: trade the day after the signal) or 0 only to show "
            "the untradable same-close timing"
        )
    if value >= n:
        raise DataError(
            f"delay={value} leaves no day to trade on: there are only {n} positions, so "
            f"delay must be at most {n - 1}; pass a smaller delay or a longer span"
        )
    return int(value)


def backtest(
    positions: object,
    closes: object,
    cost_bps: float = 0.0,
    periods_per_year: float = 252,
    *,
    delay: int = 1,
) -> BacktestResult:
    """Book the daily returns of trading the signals ``positions``, ``delay`` days late.

    The position held from close ``t`` to close ``t + 1`` is
    ``q[t] = positions[t - delay]`` (flat for ``t < delay``); see the module
    docstring for the timing, the costs and every metric.

    Parameters
    ----------
    positions : array or Series, shape (n,), values 0 or 1
        ``positions[t]``: the signal decided at close ``t`` from information up
        to that close. A Series must be dated like ``closes[:-1]`` when
        ``closes`` is a Series too.
    closes : array or Series, shape (n + 1,)
        Prices ``c[0..n]``: every decision close and the close after the last.
    cost_bps : float, default 0.0
        Cost of each change of the held position, in basis points of equity
        (10 = 0.1 %). The first entry counts as a change; the end is not an exit.
    periods_per_year : float, default 252
        Trading sessions per year (any number > 0), for the annualised figures;
        `sessions_per_year` measures it from the dates of the closes.
    delay : int, default 1
        Days between a signal and the position it opens: ``0 <= delay < n``.
        1 trades the day after the signal, the earliest a signal that needs
        close ``t`` can be traded. 0 books ``positions[t]`` from close ``t``
        on, a return the signal could not have traded (use it only to show
        that mistake). The first ``delay`` days are flat.

    Returns
    -------
    BacktestResult
        ``returns``, ``equity``, the held ``positions`` and ``metrics``.

    Examples
    --------
    The signal says long at close 0 and flat at close 1. Traded a day late, the
    strategy is flat on day 0, long on day 1 (-10 % less the 1 % entry cost) and
    flat on day 2 (1 % exit cost):

    >>> closes = [100.0, 110.0, 99.0, 108.9]
    >>> result = backtest([1, 0, 0], closes, cost_bps=100)
    >>> result.positions.tolist(), result.returns.round(6).tolist()
    ([0, 1, 0], [0.0, -0.11, -0.01])
    >>> int(result.metrics["position changes"]), int(result.metrics["trades"])
    (2, 1)

    ``delay=0`` books the signal from the close it was computed at, and the
    same signal catches day 0's +10 %, a return it could not have traded:

    >>> same_close = backtest([1, 0, 0], closes, cost_bps=100, delay=0)
    >>> same_close.returns.round(6).tolist()
    [0.09, -0.01, 0.0]
    """
    c = _closes(closes)
    p = _positions(positions)
    if c.size != p.size + 1:
        raise DataError(
            f"positions has {p.size} values, so closes needs {p.size + 1} "
            f"(c[0..{p.size}]: every decision close and the one after the last), but "
            f"closes has {c.size}. For positions dated like the closes, drop the last "
            "position; for windows, closes = np.append(X[:, -1, col], y[-1, 0])"
        )
    if (
        isinstance(cost_bps, bool)
        or not isinstance(cost_bps, (int, float, np.integer, np.floating))
        or not 0 <= cost_bps < 1e4  # also False for NaN
    ):
        raise DataError(
            f"cost_bps must be a number of basis points in [0, 10000), got {cost_bps!r}; "
            "pass e.g. 10 for 0.1 % per change of position, 0 for no costs"
        )
    per_year = _periods_per_year(periods_per_year)
    delay = _delay(delay, p.size)
    if isinstance(closes, pd.Series):
        dates = closes.index
        if isinstance(positions, pd.Series) and not positions.index.equals(dates[:-1]):
            raise DataError(
                "positions is a Series not dated like closes[:-1]; positions[t] belongs to "
                "the close it was decided at, and closes runs one day further"
            )
    else:
        dates = pd.RangeIndex(c.size)

    held = np.concatenate([np.zeros(delay), p[: p.size - delay]])
    market = c[1:] / c[:-1] - 1.0
    changes = np.abs(np.diff(held, prepend=0.0))
    r = held * market - cost_bps / 1e4 * changes
    equity = np.concatenate([[1.0], np.cumprod(1.0 + r)])

    return BacktestResult(
        returns=pd.Series(r, index=dates[1:], name="strategy return"),
        equity=pd.Series(equity, index=dates, name="equity"),
        positions=pd.Series(held.astype(int), index=dates[:-1], name="position"),
        metrics=_metrics(r, equity, held, changes, per_year),
    )


def _metrics(
    r: np.ndarray, equity: np.ndarray, p: np.ndarray, changes: np.ndarray, per_year: float
) -> pd.Series:
    n = r.size
    total = equity[-1] - 1.0
    annual = (1.0 + total) ** (per_year / n) - 1.0 if equity[-1] > 0 else -1.0
    std = float(np.std(r, ddof=1)) if n > 1 else np.nan
    vol = std * np.sqrt(per_year)
    sharpe = np.mean(r) / std * np.sqrt(per_year) if std >= _ZERO_STD else np.nan
    peaks = np.maximum.accumulate(equity)
    drawdown = float(np.min(equity / peaks - 1.0))
    entries = np.diff(p, prepend=0.0) > 0
    values = [
        total,
        annual,
        vol,
        sharpe,
        drawdown,
        changes.sum() / n,
        changes.sum(),
        entries.sum(),
        p.mean(),
        n,
    ]
    return pd.Series([float(v) for v in values], index=BACKTEST_COLUMNS, name="metrics")


def buy_and_hold(
    closes: object, cost_bps: float = 0.0, periods_per_year: float = 252
) -> BacktestResult:
    """Backtest of always long: buy at the first close, hold to the last.

    `backtest` with ``n`` positions of 1 for ``n + 1`` closes and ``delay=0``:
    buy and hold waits for no signal, so it is long on every day including
    day 0, and pays one entry cost, on day 0. Its total return is
    ``c[n] / c[0] - 1 - cost * c[n] / c[1]``
    (``cost = cost_bps / 1e4``): the cost is taken from day 0's return and then
    grows or shrinks with the price like the rest of the equity, so it is
    ``c[n] / c[0] - 1`` less about ``cost``.

    Parameters
    ----------
    closes : array or Series, shape (n + 1,)
    cost_bps : float, default 0.0
    periods_per_year : float, default 252

    Returns
    -------
    BacktestResult

    Examples
    --------
    >>> result = buy_and_hold([100.0, 110.0, 121.0])
    >>> round(float(result.metrics["total return"]), 6)  # 121 / 100 - 1
    0.21
    """
    c = _closes(closes)
    ones = np.ones(c.size - 1)
    if isinstance(closes, pd.Series):
        ones = pd.Series(ones, index=closes.index[:-1])
    return backtest(ones, closes, cost_bps=cost_bps, periods_per_year=periods_per_year,
                    delay=0)


def backtest_table(results: Mapping[str, BacktestResult]) -> pd.DataFrame:
    """One row of metrics per strategy, in the order given.

    Parameters
    ----------
    results : dict name -> BacktestResult
        E.g. ``{"LSTM": backtest(...), "buy and hold": buy_and_hold(...)}``.
        Compare strategies over the same closes and costs only.

    Returns
    -------
    DataFrame
        Index "strategy", columns `BACKTEST_COLUMNS`; the counts
        ("position changes", "trades", "days") as integers.

    Examples
    --------
    >>> closes = [100.0, 90.0, 99.0]
    >>> table = backtest_table({"hold": buy_and_hold(closes),
    ...                         "skip day 0": backtest([1, 0], closes)})
    >>> table["total return"].round(6).tolist(), table["trades"].tolist()
    ([-0.01, 0.1], [1, 1])
    """
    if not isinstance(results, Mapping) or not results:
        raise DataError("results must be a non-empty dict: strategy name -> BacktestResult")
    for name, result in results.items():
        if not isinstance(result, BacktestResult):
            raise DataError(
                f"results[{name!r}] is a {type(result).__name__}, not a BacktestResult; "
                "pass what backtest() or buy_and_hold() returned"
            )
    table = pd.DataFrame(
        [result.metrics for result in results.values()],
        index=pd.Index(list(results), name="strategy"),
        columns=BACKTEST_COLUMNS,
    )
    return table.astype({col: int for col in _COUNT_COLUMNS})


def _optimal_block(series: Sequence[np.ndarray]) -> int:
    """The default block: the longest `lstm_tutorial.stats.optimal_block` over ``series``."""
    return max(optimal_block(x) for x in series)


def _resampled_sharpes(
    series: Sequence[np.ndarray], block: int, n_boot: int, seed: int | None, scale: float,
    names: Sequence[str],
) -> list[np.ndarray]:
    """Annualised Sharpe ratios of every series on the same block resamples."""
    n = len(series[0])
    means = [np.empty(n_boot) for _ in series]
    stds = [np.empty(n_boot) for _ in series]
    lo = 0
    for idx in _block_indices(n, block, n_boot, seed):
        for x, mean, std in zip(series, means, stds, strict=True):
            draw = x[idx]
            mean[lo : lo + len(idx)] = draw.mean(axis=1)
            std[lo : lo + len(idx)] = draw.std(axis=1, ddof=1)
        lo += len(idx)
    for std, name in zip(stds, names, strict=True):
        flat = int(np.sum(std < _ZERO_STD))
        if flat:
            raise DataError(
                f"{name} do not vary on {flat} of {n_boot} resamples (too few days with a "
                "position), so their Sharpe ratio is undefined there; use a longer span or "
                "a larger block"
            )
    return [mean / std * scale for mean, std in zip(means, stds, strict=True)]


def _returns(returns: object, name: str) -> np.ndarray:
    r = as_1d(returns, name)
    _finite(r, name, "drop the days without a return (from every series compared)")
    if r.size < _BOOT_MIN_POINTS:
        raise DataError(
            f"the block bootstrap needs at least {_BOOT_MIN_POINTS} samples, got {r.size} "
            f"in {name}; use a longer test span"
        )
    if np.std(r, ddof=1) < _ZERO_STD:
        raise DataError(
            f"{name} do not vary, so their Sharpe ratio is undefined (a strategy that "
            "stays flat without costs); compare strategies that hold a position some days"
        )
    return r


class SharpeInterval(NamedTuple):
    """Result of `sharpe_interval`: the Sharpe ratio and its bootstrap interval."""

    sharpe: float
    low: float
    high: float
    level: float
    block: int
    n_boot: int


def sharpe_interval(
    returns: object,
    periods_per_year: float = 252,
    block: int | None = None,
    n_boot: int = 2000,
    level: float = 0.95,
    seed: int | None = 0,
) -> SharpeInterval:
    """Moving-block bootstrap interval for the annualised Sharpe ratio of daily returns.

    The same circular block bootstrap as
    `lstm_tutorial.stats.block_bootstrap_skill`: resamples join blocks of
    ``block`` consecutive days, and the interval is the percentile interval
    of the resampled ratios ``mean(r) / std(r, ddof=1) * sqrt(periods_per_year)``.
    It measures how much the estimate would move with other days like these;
    a year of daily returns gives an interval about four Sharpe units wide
    (the estimate ± 2).

    Parameters
    ----------
    returns : array or Series, shape (n,), n >= 10
        Daily returns, e.g. ``backtest(...).returns``.
    periods_per_year : float, default 252
    block : int, optional
        Block length, at most ``n / 2``. Default: the data-driven optimal block
        length of the returns, ``arch.bootstrap.optimal_block_length``'s
        "circular" value rounded up, kept between 1 and ``n // 2`` (short
        blocks for returns without memory, long ones where days depend on
        each other).
    n_boot : int, default 2000
    level : float, default 0.95
    seed : int or None, default 0
        Seed of `numpy.random.default_rng`: the same seed gives the same interval.

    Returns
    -------
    SharpeInterval
        ``sharpe`` (the ratio on the data, as in `backtest`'s metrics), ``low``,
        ``high``, ``level``, ``block``, ``n_boot``.

    Raises
    ------
    ~lstm_tutorial.errors.DataError
        For fewer than 10 returns, non-finite values, or returns that do not vary
        on the data or on some resample (a strategy that is nearly always flat):
        its Sharpe ratio is undefined there.

    Examples
    --------
    >>> import numpy as np
    >>> r = np.random.default_rng(0).normal(0.001, 0.01, size=252)
    >>> result = sharpe_interval(r)
    >>> result.block, bool(result.low < result.sharpe < result.high)
    (2, True)
    >>> round(result.high - result.low, 1)  # one year of days: a wide interval
    3.9
    """
    r = _returns(returns, "returns")
    scale = math.sqrt(_periods_per_year(periods_per_year))
    block = _optimal_block([r]) if block is None else block
    block, n_boot, level = _bootstrap_settings(r.size, block, n_boot, level)
    (ratios,) = _resampled_sharpes([r], block, n_boot, seed, scale, ["the returns"])
    sharpe = float(np.mean(r) / np.std(r, ddof=1) * scale)
    low, high = _percentile_interval(ratios, level)
    return SharpeInterval(sharpe, low, high, level, block, n_boot)


class SharpeDifference(NamedTuple):
    """Result of `sharpe_difference_interval`: Sharpe(a) - Sharpe(b), interval and p-value."""

    difference: float
    low: float
    high: float
    p_value: float
    level: float
    block: int
    n_boot: int


def sharpe_difference_interval(
    returns_a: object,
    returns_b: object,
    periods_per_year: float = 252,
    block: int | None = None,
    n_boot: int = 2000,
    level: float = 0.95,
    seed: int | None = 0,
) -> SharpeDifference:
    """Paired block-bootstrap interval for the difference of two annualised Sharpe ratios.

    Two strategies traded over the same days share the market's moves, so
    their Sharpe ratios err together; the difference is measured much more
    precisely than each ratio alone. Each of the ``n_boot`` resamples draws
    one set of circular blocks of ``block`` consecutive days (as in
    `sharpe_interval`) and takes *the same days* from both series, then
    computes ``Sharpe(a) - Sharpe(b)`` with
    ``Sharpe = mean(r) / std(r, ddof=1) * sqrt(periods_per_year)``.

    - The interval is the percentile interval of the resampled differences.
    - The p-value is two-sided, for "no difference": with ``d`` the difference
      on the data and ``d*`` the resampled ones, the centred resamples
      ``d* - d`` stand for the differences one would see if the true
      difference were 0, and
      ``p = min(1, 2 * min(mean(d* - d >= d), mean(d* - d <= d)))``.
      Its resolution is ``2 / n_boot``: p = 0 means below that.

    Parameters
    ----------
    returns_a, returns_b : array or Series, shape (n,), n >= 10
        Daily returns of the two strategies on the same days (e.g.
        ``backtest(...).returns`` and ``buy_and_hold(...).returns`` over the
        same closes). Two Series must share their index.
    periods_per_year : float, default 252
    block : int, optional
        Block length, at most ``n / 2``. Default: the larger of the two
        series' optimal circular block lengths
        (``arch.bootstrap.optimal_block_length``), rounded up, kept between 1
        and ``n // 2``: the blocks keep the memory of the series that has more.
    n_boot : int, default 2000
    level : float, default 0.95
    seed : int or None, default 0
        Seed of `numpy.random.default_rng`: the same seed gives the same result.

    Returns
    -------
    SharpeDifference
        ``difference`` (``Sharpe(a) - Sharpe(b)`` on the data, as from
        `backtest`'s metrics), ``low``, ``high``, ``p_value``, ``level``,
        ``block``, ``n_boot``. Identical series give 0, [0, 0] and p = 1.

    Raises
    ------
    ~lstm_tutorial.errors.DataError
        For series of different lengths or indexes, fewer than 10 returns,
        non-finite values, or a series that does not vary on the data or on
        some resample (its Sharpe ratio is undefined there).

    Examples
    --------
    >>> import numpy as np
    >>> market = np.random.default_rng(1).normal(0.0, 0.01, size=1000)
    >>> result = sharpe_difference_interval(market + 0.001, market)  # 0.1 % a day better
    >>> round(result.difference, 2), bool(0 < result.low < result.high), result.p_value
    (1.61, True, 0.0)
    """
    a = _returns(returns_a, "returns_a")
    b = _returns(returns_b, "returns_b")
    days = "over the same days (backtests over the same closes)"
    _same_days(returns_a, returns_b, a, b, ("returns_a", "returns_b"),
               f"compare two strategies {days}",
               f"compare them {days}, or align them first (a, b = a.align(b, join='inner'))")
    scale = math.sqrt(_periods_per_year(periods_per_year))
    block = _optimal_block([a, b]) if block is None else block
    block, n_boot, level = _bootstrap_settings(a.size, block, n_boot, level)
    sharpe_a, sharpe_b = _resampled_sharpes(
        [a, b], block, n_boot, seed, scale, ["returns_a", "returns_b"]
    )
    resampled = sharpe_a - sharpe_b
    difference = float(
        (np.mean(a) / np.std(a, ddof=1) - np.mean(b) / np.std(b, ddof=1)) * scale
    )
    centred = resampled - difference
    p_value = min(1.0, 2.0 * min(np.mean(centred >= difference),
                                 np.mean(centred <= difference)))
    low, high = _percentile_interval(resampled, level)
    return SharpeDifference(difference, low, high, float(p_value), level, block, n_boot)


def sessions_per_year(dates: object) -> float:
    """Trading sessions per calendar year, measured from the dates of a price series.

    ``(len(dates) - 1) / ((dates[-1] - dates[0]).days / 365.25)``: the number
    of daily returns the series holds per year of calendar time between its
    first and last date. That is what ``periods_per_year`` stands for in
    `backtest` and `sharpe_interval`. Every weekday gives about 261, a New
    York calendar (weekdays less about 9 holidays) about 252; gaps in the
    data (missing days) lower it, as they lower the returns per year.

    Parameters
    ----------
    dates : DatetimeIndex, or a Series or DataFrame indexed by one
        Sorted, distinct dates (e.g. ``prices.index``) spanning at least 30
        calendar days.

    Returns
    -------
    float

    Raises
    ------
    ~lstm_tutorial.errors.DataError
        For fewer than 2 dates, no DatetimeIndex, dates that are not strictly
        increasing, or a span under 30 days.

    Examples
    --------
    >>> import pandas as pd
    >>> round(sessions_per_year(pd.bdate_range("2010-01-01", "2019-12-31")), 1)
    260.8
    """
    index = dates.index if isinstance(dates, (pd.Series, pd.DataFrame)) else dates
    if not isinstance(index, pd.DatetimeIndex):
        raise DataError(
            f"sessions_per_year needs a DatetimeIndex, got {type(index).__name__}; pass the "
            "price table's dates (prices.index, or pd.to_datetime(...) of a date column)"
        )
    if len(index) < 2:
        raise DataError(
            f"sessions_per_year needs at least 2 dates, got {len(index)}; pass the dates of "
            "a longer price series"
        )
    if index.hasnans or not (index.is_monotonic_increasing and index.is_unique):
        raise DataError(
            "the dates must be strictly increasing (sorted, no duplicates, no NaT); sort "
            "the price table (prices.sort_index()) and drop duplicate dates first"
        )
    days = (index[-1] - index[0]).days
    if days < _MIN_SPAN_DAYS:
        raise DataError(
            f"the dates span {days} calendar days; at least {_MIN_SPAN_DAYS} are needed to "
            "measure sessions per year (a few days give a number that depends on "
            "weekends); pass a longer series or the market's usual figure (252 for New York)"
        )
    return (len(index) - 1) / (days / 365.25)


def backtest_summary(
    table: pd.DataFrame,
    results: Mapping[str, BacktestResult],
    closes: object,
    keys: Mapping[str, str],
    seed_rows: Sequence[str],
    *,
    candidate: str = "best network, ensemble",
    reference: str = "buy and hold",
    percent_digits: int = 1,
) -> dict[str, object]:
    """The numbers a chapter's prose quotes about a backtest, under short names.

    For every strategy ``name`` with short key ``keys[name]``: ``total_<key>``,
    ``annual_<key>``, ``dd_<key>`` (max drawdown) and ``gross_<key>`` (total return
    before costs) in per cent, rounded to ``percent_digits`` decimals; ``sharpe_<key>``
    (2 decimals); ``long_<key>`` (per cent of days long, 1 decimal); ``trades_<key>``
    and ``changes_<key>`` (counts). Over the rows ``seed_rows`` (one per seed of the
    candidate): ``seed_total_min``/``_max`` (per cent), ``seed_sharpe_min``/``_max``,
    ``seed_long_min``/``_max`` (per cent), all with 2 decimals, and
    ``seed_trades_min``/``_max`` (counts); ``seeds_beat_hold``, the number of seeds
    whose total return beats ``reference``; ``total_vs_hold`` and
    ``sharpe_vs_hold``, the words "above" or "below" for ``candidate`` against
    ``reference``; ``days`` and ``first`` (the first decision date, if ``closes``
    is dated).

    Pass the result to `lstm_tutorial.course.notebook.glue_results` (with ``prefix="bt_"``):
    the values are rounded already, so the prose shows the same digits on every CPU.

    Examples
    --------
    >>> closes = pd.Series([100.0, 110.0, 99.0, 108.9],
    ...                    index=pd.date_range("2020-01-01", periods=4))
    >>> results = {"net": backtest([0, 1, 0], closes, cost_bps=10),  # long on day 2
    ...            "buy and hold": buy_and_hold(closes, cost_bps=10)}
    >>> s = backtest_summary(backtest_table(results), results, closes,
    ...                      {"net": "ens", "buy and hold": "hold"}, ["net"], candidate="net")
    >>> s["total_hold"], s["gross_ens"], s["changes_ens"], s["total_vs_hold"], s["first"]
    (8.8, 10.0, 1, 'above', '2020-01-01')
    """
    missing = [name for name in [*keys, *seed_rows, candidate, reference]
               if name not in table.index or name not in results]
    if missing:
        raise DataError(f"backtest_summary: no row for {sorted(set(missing))} in the table and "
                        "the results; pass the same names to both")
    out: dict[str, object] = {"days": int(table["days"].iloc[0])}
    if isinstance(closes, pd.Series) and isinstance(closes.index, pd.DatetimeIndex):
        out["first"] = f"{closes.index[0]:%Y-%m-%d}"
    for name, key in keys.items():
        row = table.loc[name]
        held = results[name].positions.to_numpy()  # already delayed: book them as they are
        gross = backtest(held, closes, delay=0).metrics["total return"]
        for col, tag, scale, digits in [("total return", "total", 100, percent_digits),
                                        ("annualised return", "annual", 100, percent_digits),
                                        ("Sharpe ratio", "sharpe", 1, 2),
                                        ("max drawdown", "dd", 100, percent_digits),
                                        ("share of days long", "long", 100, 1)]:
            out[f"{tag}_{key}"] = round(scale * float(row[col]), digits)
        out[f"gross_{key}"] = round(100 * float(gross), percent_digits)
        out[f"trades_{key}"] = int(row["trades"])
        out[f"changes_{key}"] = int(row["position changes"])
    seeds = table.loc[list(seed_rows)]
    ref = table.loc[reference]
    for col, tag, scale in [("total return", "total", 100), ("Sharpe ratio", "sharpe", 1),
                            ("share of days long", "long", 100)]:
        out[f"seed_{tag}_min"] = round(scale * float(seeds[col].min()), 2)
        out[f"seed_{tag}_max"] = round(scale * float(seeds[col].max()), 2)
    out["seed_trades_min"] = int(seeds["trades"].min())
    out["seed_trades_max"] = int(seeds["trades"].max())
    for col, tag in [("total return", "total"), ("Sharpe ratio", "sharpe")]:
        out[f"{tag}_vs_hold"] = "above" if table.loc[candidate, col] > ref[col] else "below"
    out["seeds_beat_hold"] = int((seeds["total return"] > ref["total return"]).sum())
    return out
