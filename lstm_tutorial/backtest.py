"""A trading backtest: would a forecast have made money?

RMSE says how far a forecast is from the price; it does not say whether
trading on it pays. This module turns forecasts into a long-or-flat position
and books what that position would have earned, after costs.

Conventions (the same in every function):

- **Timing.** The position ``p[t]`` is decided at the close of day ``t``,
  using information up to that close only, and earns the simple return from
  close ``t`` to close ``t + 1``.
- **Alignment.** With ``n`` positions ``p[0..n-1]`` you pass ``n + 1``
  closes ``c[0..n]``: the close of every decision day plus the close after the
  last one. Any other length raises `DataError`. With windows from
  `lstm_tutorial.windowing.make_windows` (horizon 1) that is
  ``closes = np.append(X[:, -1, target_col], y[-1, 0])`` in prices.
- **Positions** are 0 (flat, in cash earning nothing) or 1 (long, all in).
  No shorting, no leverage, no fractions: the strategy either holds the stock
  or does not, so "trades" and "days long" are plain counts.
- **Costs.** ``cost_bps`` (basis points, 1 bp = 0.01 %) is charged on every
  change of position, entering and leaving alike, as a fraction of equity
  subtracted from that day's return:
  ``r[t] = p[t] * (c[t+1] / c[t] - 1) - cost_bps / 1e4 * |p[t] - p[t-1]|``
  with ``p[-1] = 0``: the strategy starts in cash, so entering the first
  position costs too. The last position is not closed at the end (no exit
  cost); it is valued at the last close.
- **Returns and equity** are pandas Series. ``equity`` starts at 1.0 on the
  first close (``c[0]``) and has ``n + 1`` values; ``returns`` has ``n``,
  each dated at the close where it is realised (``returns.iloc[t]`` is
  ``r[t]``, dated like ``c[t+1]``). With ``closes`` as a Series the dates are
  its index, otherwise the integers 0..n.

Use split-adjusted prices (e.g. "Adj Close", which also folds dividends in)
or a span without splits: an unadjusted 2-for-1 split looks like a -50 % day.

The metrics, in `BACKTEST_COLUMNS` order (fractions, not percent: 0.05 is 5 %):

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
  ``sum |p[t] - p[t-1]| / n`` (with ``p[-1] = 0``).
- "position changes": ``sum |p[t] - p[t-1]|``: every entry and every exit
  (each one paid ``cost_bps``).
- "trades": number of entries (flat to long), i.e. round trips, the last of
  which may still be open at the end.
- "share of days long": ``mean(p)``.
- "days": ``n``, the number of daily returns.

A Sharpe ratio estimated from a few hundred days is one path's number, not
a property of the strategy: `sharpe_interval` gives a block-bootstrap
interval for it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd

from lstm_tutorial.errors import DataError, positive_int
from lstm_tutorial.stats import _percentile_interval, _resampled_sums
from lstm_tutorial.windowing import as_1d

__all__ = [
    "BACKTEST_COLUMNS",
    "BacktestResult",
    "backtest",
    "backtest_summary",
    "backtest_table",
    "buy_and_hold",
    "positions_from_forecast",
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
        The positions as given (0 flat, 1 long), dated at their decision close ``c[t]``.
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
    if f.shape != last.shape:
        raise DataError(
            f"forecast has {f.size} values but last_close has {last.size}; pass one "
            "last close per forecast (X[:, -1, target_col] in prices)"
        )
    if (
        isinstance(forecast, pd.Series)
        and isinstance(last_close, pd.Series)
        and not forecast.index.equals(last_close.index)
    ):
        raise DataError(
            "forecast and last_close are Series with different indexes; align them "
            "(same dates) or pass arrays"
        )
    _finite(f, "forecast", "forecast every day, or cut the span to the days you have")
    _finite(last, "last_close", "drop or repair those rows first")
    return (f > last).astype(int)


def backtest(
    positions: object,
    closes: object,
    cost_bps: float = 0.0,
    periods_per_year: int = 252,
) -> BacktestResult:
    """Book the daily returns of holding ``positions[t]`` from close ``t`` to close ``t + 1``.

    Parameters
    ----------
    positions : array or Series, shape (n,), values 0 or 1
        ``positions[t]``: the position taken at close ``t``. A Series must be
        dated like ``closes[:-1]`` when ``closes`` is a Series too.
    closes : array or Series, shape (n + 1,)
        Prices ``c[0..n]``: every decision close and the close after the last.
    cost_bps : float, default 0.0
        Cost of each change of position, in basis points of equity (10 = 0.1 %).
        Entering at ``t = 0`` counts as a change; the end is not an exit.
    periods_per_year : int, default 252
        Trading days per year, for the annualised figures.

    Returns
    -------
    BacktestResult
        ``returns``, ``equity``, ``positions`` and ``metrics`` (see the module
        docstring for every definition).

    Examples
    --------
    Long on day 0 (+10 % less a 1 % entry cost), flat on day 1 (1 % exit cost):

    >>> result = backtest([1, 0], [100.0, 110.0, 121.0], cost_bps=100)
    >>> result.returns.round(6).tolist(), result.equity.round(6).tolist()
    ([0.09, -0.01], [1.0, 1.09, 1.0791])
    >>> int(result.metrics["position changes"]), int(result.metrics["trades"])
    (2, 1)
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
    periods_per_year = positive_int(
        "periods_per_year", periods_per_year, "252 for daily trading days, 52 for weeks"
    )
    if isinstance(closes, pd.Series):
        dates = closes.index
        if isinstance(positions, pd.Series) and not positions.index.equals(dates[:-1]):
            raise DataError(
                "positions is a Series not dated like closes[:-1]; positions[t] belongs to "
                "the close it was decided at, and closes runs one day further"
            )
    else:
        dates = pd.RangeIndex(c.size)

    market = c[1:] / c[:-1] - 1.0
    changes = np.abs(np.diff(p, prepend=0.0))
    r = p * market - cost_bps / 1e4 * changes
    equity = np.concatenate([[1.0], np.cumprod(1.0 + r)])

    return BacktestResult(
        returns=pd.Series(r, index=dates[1:], name="strategy return"),
        equity=pd.Series(equity, index=dates, name="equity"),
        positions=pd.Series(p.astype(int), index=dates[:-1], name="position"),
        metrics=_metrics(r, equity, p, changes, periods_per_year),
    )


def _metrics(
    r: np.ndarray, equity: np.ndarray, p: np.ndarray, changes: np.ndarray, per_year: int
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
    closes: object, cost_bps: float = 0.0, periods_per_year: int = 252
) -> BacktestResult:
    """Backtest of always long: buy at the first close, hold to the last.

    `backtest` with ``n`` positions of 1 for ``n + 1`` closes: one entry cost,
    on day 0. Its total return is ``c[n] / c[0] - 1 - cost * c[n] / c[1]``
    (``cost = cost_bps / 1e4``): the cost is taken from day 0's return and then
    grows or shrinks with the price like the rest of the equity, so it is
    ``c[n] / c[0] - 1`` less about ``cost``.

    Parameters
    ----------
    closes : array or Series, shape (n + 1,)
    cost_bps : float, default 0.0
    periods_per_year : int, default 252

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
    return backtest(ones, closes, cost_bps=cost_bps, periods_per_year=periods_per_year)


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
    ...                         "skip day 0": backtest([0, 1], closes)})
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
    periods_per_year: int = 252,
    block: int | None = None,
    n_boot: int = 2000,
    level: float = 0.95,
    seed: int | None = 0,
) -> SharpeInterval:
    """Moving-block bootstrap interval for the annualised Sharpe ratio of daily returns.

    The same circular block bootstrap as
    `lstm_tutorial.stats.block_bootstrap_skill`: resamples join blocks of
    ``block`` consecutive days (default ``round(n ** (1/3))``), and the interval
    is the percentile interval of the resampled ratios
    ``mean(r) / std(r, ddof=1) * sqrt(periods_per_year)``. It measures how much
    the estimate would move with other days like these; a year of daily returns
    gives an interval about four Sharpe units wide (the estimate ± 2).

    Parameters
    ----------
    returns : array or Series, shape (n,), n >= 10
        Daily returns, e.g. ``backtest(...).returns``.
    periods_per_year : int, default 252
    block : int, optional
        Block length, at most ``n / 2``.
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
    (6, True)
    >>> round(result.high - result.low, 1)  # one year of days: a wide interval
    4.1
    """
    r = as_1d(returns, "returns")
    _finite(r, "returns", "drop the days without a return")
    periods_per_year = positive_int(
        "periods_per_year", periods_per_year, "252 for daily trading days, 52 for weeks"
    )
    n = r.size
    sums, squares, block = _resampled_sums(r, r * r, block, n_boot, level, seed)
    if n < 2 or np.std(r, ddof=1) < _ZERO_STD:
        raise DataError("the returns do not vary, so their Sharpe ratio is undefined")
    var = (squares - sums * sums / n) / (n - 1)
    std = np.sqrt(np.clip(var, 0.0, None))
    flat = int(np.sum(std < _ZERO_STD))
    if flat:
        raise DataError(
            f"the returns do not vary on {flat} of {n_boot} resamples (too few days with a "
            "position), so their Sharpe ratio is undefined there; use a longer span or a "
            "larger block"
        )
    scale = np.sqrt(periods_per_year)
    ratios = sums / n / std * scale
    sharpe = float(np.mean(r) / np.std(r, ddof=1) * scale)
    low, high = _percentile_interval(ratios, level)
    return SharpeInterval(sharpe, low, high, float(level), block, n_boot)


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

    Pass the result to `lstm_tutorial.notebook.glue_results` (with ``prefix="bt_"``):
    the values are rounded already, so the prose shows the same digits on every CPU.

    Examples
    --------
    >>> closes = pd.Series([100.0, 110.0, 99.0, 108.9],
    ...                    index=pd.date_range("2020-01-01", periods=4))
    >>> results = {"net": backtest([1, 0, 1], closes, cost_bps=10),
    ...            "buy and hold": buy_and_hold(closes, cost_bps=10)}
    >>> s = backtest_summary(backtest_table(results), results, closes,
    ...                      {"net": "ens", "buy and hold": "hold"}, ["net"], candidate="net")
    >>> s["total_hold"], s["gross_ens"], s["changes_ens"], s["total_vs_hold"], s["first"]
    (8.8, 21.0, 3, 'above', '2020-01-01')
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
        gross = backtest(results[name].positions.to_numpy(), closes).metrics["total return"]
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
