"""Daily variance targets and their classic forecasts.

An LSTM that forecasts volatility has to beat the models below, on the same
targets and the same loss. The module has three parts.

Variance proxies (what "the variance of day t" is measured as):

- `squared_returns`: ``(ln c_t / c_{t-1})^2``, close-to-close (overnight included);
- `parkinson_variance`: from the day's range, ``(ln H/L)^2 / (4 ln 2)``;
- `garman_klass_variance`: range and open-to-close, ``0.5 (ln H/L)^2 - (2 ln 2 - 1)(ln C/O)^2``.

Forecasts:

- `ewma_variance_forecast`: RiskMetrics, ``f_t = lam f_{t-1} + (1 - lam) x_t``;
- `har_features`, `har_target`, `fit_har`, `har_forecast`: the HAR model of
  Corsi (2009), least squares on the mean of the past 1, 5 and 22 days;
- `fit_garch`, `garch_forecasts`: GARCH(1,1) with the ``arch`` package.

Loss: `qlike` and `qlike_loss` (Patton 2011), robust to the noise of the proxy;
`loss_table` scores several forecasts with QLIKE and MSE against references
(skill, block-bootstrap interval, Diebold-Mariano test).

For a network: `variance_windows` cuts windows of inputs with the mean variance
of the next ``h`` days as targets, and each window's own mean variance as an anchor.

Conventions
-----------
- Units: variances of **daily log returns in decimals** (a 2% day is
  ``0.02**2 = 4e-4``), never percent. `garch_forecasts` converts from the
  percent units ``arch`` works in.
- Alignment: every forecast is indexed by its **origin**: the value at date
  ``t`` is the forecast made at the close of ``t`` (data up to ``t`` only) for
  day ``t + 1``, or for the mean of days ``t + 1 .. t + h``. Compare it with
  `har_target` at the same date, which holds the variance of those days.
- Pandas in, pandas out: a Series (index by date) gives a Series with the same
  index; an array gives an array. Warm-up rows are NaN rather than dropped, so
  that everything stays aligned; a *leading* run of NaN (as `squared_returns`
  returns) is accepted by the forecasts, a NaN anywhere else raises `DataError`.
- The parameters of every model (HAR coefficients, GARCH parameters) come from
  the training span only; the forecasts then roll through the test span with
  the parameters fixed, updating only the data.

Range proxies measure the open-to-close variance: they miss the overnight gap
that squared close-to-close returns include, so their level is lower (by about
a third for AAPL 2000-2013). Compare forecasts with one proxy at a time.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import Literal, NamedTuple

import numpy as np
import pandas as pd
from sklearn.linear_model import LinearRegression

from lstm_tutorial.errors import DataError, positive_int
from lstm_tutorial.preprocessing import Split, make_split_windows
from lstm_tutorial.stats import block_bootstrap_loss_skill, diebold_mariano
from lstm_tutorial.windowing import as_2d

__all__ = [
    "GARCH_MIN_TRAIN",
    "VarianceWindows",
    "ewma_variance_forecast",
    "fit_garch",
    "fit_har",
    "garch_forecasts",
    "garman_klass_variance",
    "har_features",
    "har_forecast",
    "har_target",
    "log_returns",
    "loss_table",
    "parkinson_variance",
    "qlike",
    "qlike_loss",
    "squared_returns",
    "variance_windows",
]

GARCH_MIN_TRAIN = 100
"""Fewest training returns `fit_garch` accepts (a year, ~250, or more is better)."""

ArrayOrSeries = np.ndarray | pd.Series


# ----------------------------------------------------------------------------- helpers


def _series(values: object, name: str) -> tuple[pd.Series, bool]:
    """``values`` as a float Series (RangeIndex for arrays) and whether it was pandas."""
    if isinstance(values, pd.DataFrame):
        if values.shape[1] != 1:
            raise DataError(
                f"{name} must be one column, got a table with columns {list(values.columns)}; "
                f"pass the column, e.g. prices['{name.capitalize()}']"
            )
        values = values.iloc[:, 0]
    is_pandas = isinstance(values, pd.Series)
    if is_pandas:
        s = values.astype(float)
    else:
        arr = np.asarray(values, dtype=float)
        if arr.ndim == 2 and arr.shape[1] == 1:
            arr = arr[:, 0]
        if arr.ndim != 1:
            raise DataError(
                f"{name} must be 1-D (one value per day), got shape {arr.shape}"
            )
        s = pd.Series(arr)
    if len(s) == 0:
        raise DataError(f"{name} is empty; pass at least one day")
    return s, is_pandas


def _out(s: pd.Series, is_pandas: bool, name: str | None = None) -> ArrayOrSeries:
    return s.rename(name) if is_pandas else s.to_numpy()


def _no_nan(s: pd.Series, name: str) -> None:
    bad = ~np.isfinite(s.to_numpy())
    if bad.any():
        first = s.index[np.flatnonzero(bad)[0]]
        raise DataError(
            f"{name} holds {int(bad.sum())} NaN or infinite value(s) (first at {first!r}); "
            "drop or repair those days first (e.g. load_prices(..., glitches='repair'))"
        )


def _positive(s: pd.Series, name: str) -> None:
    bad = s.to_numpy() <= 0
    if bad.any():
        first = s.index[np.flatnonzero(bad)[0]]
        raise DataError(
            f"{name} must be positive, but {int(bad.sum())} value(s) are not (first at "
            f"{first!r}); prices need repairing before their logs can be taken"
        )


def _prices(values: object, name: str) -> tuple[pd.Series, bool]:
    s, is_pandas = _series(values, name)
    _no_nan(s, name)
    _positive(s, name)
    return s, is_pandas


def _same_rows(first: pd.Series, other: pd.Series, names: tuple[str, str]) -> None:
    if len(first) != len(other) or not first.index.equals(other.index):
        raise DataError(
            f"{names[0]} and {names[1]} must cover the same days (same length and index), "
            f"got {len(first)} and {len(other)} rows; take both from one price table"
        )


def _columns(
    first: object, others: Sequence[object], names: Sequence[str]
) -> list[object]:
    """Let a price table stand for all columns: f(prices) == f(prices.High, prices.Low)."""
    if isinstance(first, pd.DataFrame) and all(o is None for o in others):
        missing = [n for n in names if n not in first.columns]
        if missing:
            raise DataError(
                f"the table lacks column(s) {missing}; it has {list(first.columns)}"
            )
        return [first[n] for n in names]
    if any(o is None for o in others):
        raise DataError(
            f"pass all of {', '.join(n.lower() for n in names)}, or one price table with "
            f"columns {list(names)}"
        )
    return [first, *others]


def _leading_nan(s: pd.Series, name: str) -> int:
    """Number of leading NaN; raise if any other value is NaN or infinite."""
    values = s.to_numpy()
    finite = np.isfinite(values)
    if not finite.any():
        raise DataError(f"{name} holds no finite value")
    start = int(np.argmax(finite))
    if np.isinf(values[:start]).any():
        raise DataError(f"{name} starts with infinite values; drop them")
    _no_nan(s.iloc[start:], name)
    return start


# ----------------------------------------------------------------------------- proxies


def log_returns(close: ArrayOrSeries | pd.DataFrame) -> ArrayOrSeries:
    """Daily log returns ``ln(c_t / c_{t-1})``, in decimals; the first value is NaN.

    Parameters
    ----------
    close : Series, array or price table (its "Close" column)
        Closing prices, oldest first; use adjusted prices
        (`lstm_tutorial.data.adjust_for_splits_and_dividends`), or a split shows as a crash.

    Returns
    -------
    Series (same index, name "log_return") or array
        NaN on the first day, which has no previous close.

    Examples
    --------
    >>> log_returns([100.0, 110.0, 99.0]).round(4).tolist()
    [nan, 0.0953, -0.1054]
    """
    if isinstance(close, pd.DataFrame):
        (close,) = _columns(close, [], ["Close"])
    s, is_pandas = _prices(close, "close")
    if len(s) < 2:
        raise DataError("close needs at least 2 days for one return")
    return _out(np.log(s).diff(), is_pandas, "log_return")


def squared_returns(close: ArrayOrSeries | pd.DataFrame) -> ArrayOrSeries:
    """Squared daily log returns ``(ln c_t / c_{t-1})^2``: the simplest variance proxy.

    Unbiased for the close-to-close variance but very noisy (a single draw),
    and exactly 0 on days the close does not move (26 days of AAPL 2000-2013);
    see `qlike` for what that means for the loss.

    Parameters
    ----------
    close : Series, array or price table (its "Close" column)
        Closing prices, oldest first, adjusted for splits.

    Returns
    -------
    Series (same index, name "squared_return") or array
        The first value is NaN (no previous close); it is kept, not dropped,
        so the result stays aligned with the prices. The forecasts of this
        module accept that leading NaN.

    Examples
    --------
    >>> squared_returns([100.0, 110.0, 99.0]).round(5).tolist()
    [nan, 0.00908, 0.0111]
    """
    r = log_returns(close)
    out = r**2
    return out.rename("squared_return") if isinstance(out, pd.Series) else out


def parkinson_variance(
    high: ArrayOrSeries | pd.DataFrame, low: ArrayOrSeries | None = None
) -> ArrayOrSeries:
    """Parkinson (1980) range estimator of the daily variance: ``(ln H/L)^2 / (4 ln 2)``.

    About five times as efficient as a squared return for the same day, if
    prices move as a driftless random walk during the session. It measures the
    open-to-close variance (no overnight gap) and is 0 on a day with
    ``High == Low``.

    Parameters
    ----------
    high, low : Series or array
        Daily highs and lows (same days), adjusted for splits. Or pass one price
        table with "High" and "Low" columns as ``high``.

    Returns
    -------
    Series (same index, name "parkinson") or array

    Examples
    --------
    >>> round(float(parkinson_variance([102.0], [98.0])[0]), 8)  # ln(102/98)^2 / 2.7726
    0.00057723
    """
    high, low = _columns(high, [low], ["High", "Low"])
    h, is_pandas = _prices(high, "high")
    lo, _ = _prices(low, "low")
    _same_rows(h, lo, ("high", "low"))
    _check_range(h, lo)
    out = np.log(h / lo.to_numpy()) ** 2 / (4.0 * np.log(2.0))
    return _out(out, is_pandas, "parkinson")


def _check_range(h: pd.Series, lo: pd.Series) -> None:
    bad = h.to_numpy() < lo.to_numpy()
    if bad.any():
        first = h.index[np.flatnonzero(bad)[0]]
        raise DataError(
            f"High is below Low on {int(bad.sum())} day(s) (first at {first!r}); the columns "
            "are swapped or the rows are glitches: repair them (load_prices(..., "
            "glitches='repair')) or drop those days"
        )


def garman_klass_variance(
    open: ArrayOrSeries | pd.DataFrame,
    high: ArrayOrSeries | None = None,
    low: ArrayOrSeries | None = None,
    close: ArrayOrSeries | None = None,
) -> ArrayOrSeries:
    """Garman-Klass (1980) estimator: ``0.5 (ln H/L)^2 - (2 ln 2 - 1)(ln C/O)^2``.

    Adds the open-to-close move to Parkinson's range, which makes it about
    7.4 times as efficient as a squared return. Like Parkinson it measures
    the open-to-close variance (the overnight gap is left out). It is never
    negative when Open and Close lie within [Low, High].

    Parameters
    ----------
    open, high, low, close : Series or array
        Daily prices of the same days, adjusted for splits. Or pass one price
        table with "Open", "High", "Low" and "Close" columns as ``open``.

    Returns
    -------
    Series (same index, name "garman_klass") or array

    Examples
    --------
    >>> round(float(garman_klass_variance([100.0], [102.0], [98.0], [101.0])[0]), 8)
    0.00076197
    """
    cols = _columns(open, [high, low, close], ["Open", "High", "Low", "Close"])
    names = ("open", "high", "low", "close")
    checked = [_prices(v, n) for v, n in zip(cols, names, strict=True)]
    (o, is_pandas), (h, _), (lo, _), (c, _) = checked
    for other, n in ((h, "high"), (lo, "low"), (c, "close")):
        _same_rows(o, other, ("open", n))
    _check_range(h, lo)
    hl = np.log(h.to_numpy() / lo.to_numpy())
    co = np.log(c.to_numpy() / o.to_numpy())
    out = 0.5 * hl**2 - (2.0 * np.log(2.0) - 1.0) * co**2
    return _out(pd.Series(out, index=o.index), is_pandas, "garman_klass")


# ----------------------------------------------------------------------------- EWMA


def ewma_variance_forecast(
    proxy: ArrayOrSeries, lam: float = 0.94, init: float | None = None
) -> ArrayOrSeries:
    """RiskMetrics exponentially weighted forecast of tomorrow's variance.

    ``f_t = lam * f_{t-1} + (1 - lam) * x_t``: the forecast made at ``t`` for
    ``t + 1`` uses the proxy ``x`` up to ``t`` only.

    Parameters
    ----------
    proxy : Series or array
        A daily variance proxy, e.g. `squared_returns` (RiskMetrics) or
        `parkinson_variance`. Leading NaN (the first squared return) are
        skipped and stay NaN in the result.
    lam : float, default 0.94
        Decay in (0, 1); RiskMetrics uses 0.94 for daily data. Larger is smoother.
    init : float, optional
        ``f_{-1}``, the forecast for the first day ``x_0``. By default the first
        observation itself, so ``f_0 = x_0``: nothing after day 0 is used. To
        start from a longer average, pass e.g. the mean of the training span
        (never of a span that includes test days). Its weight decays as ``lam^t``
        (below 1% after 75 days at 0.94).

    Returns
    -------
    Series (same index, name "ewma_forecast") or array
        The value at ``t`` is the forecast for ``t + 1``.

    Examples
    --------
    >>> ewma_variance_forecast([1.0, 2.0, 3.0], lam=0.5).tolist()  # 1, .5*1 + .5*2, ...
    [1.0, 1.5, 2.25]
    """
    s, is_pandas = _series(proxy, "proxy")
    start = _leading_nan(s, "proxy")
    if isinstance(lam, bool) or not isinstance(lam, (int, float, np.floating)) or not (
        0.0 < lam < 1.0
    ):
        raise DataError(f"lam must be a number in (0, 1), got lam={lam!r}; RiskMetrics uses 0.94")
    x = s.to_numpy()[start:]
    if (x < 0).any():
        raise DataError("proxy holds negative values; a variance proxy is >= 0")
    if init is None:
        prev = float(x[0])
    else:
        prev = float(init)
        if not np.isfinite(prev) or prev < 0:
            raise DataError(f"init must be a finite variance >= 0, got init={init!r}")
    f = np.full(len(s), np.nan)
    for t, value in enumerate(x, start=start):
        prev = lam * prev + (1.0 - lam) * value
        f[t] = prev
    return _out(pd.Series(f, index=s.index), is_pandas, "ewma_forecast")


# ----------------------------------------------------------------------------- HAR


def _lags(lags: Sequence[int]) -> tuple[int, ...]:
    try:
        out = tuple(positive_int("each lag", lag) for lag in lags)
    except TypeError:
        raise DataError(f"lags must be a sequence of positive integers, got {lags!r}") from None
    if not out or len(set(out)) != len(out):
        raise DataError(f"lags must be distinct positive integers, e.g. (1, 5, 22); got {lags!r}")
    return tuple(sorted(out))


def har_features(
    variance: ArrayOrSeries, lags: Sequence[int] = (1, 5, 22)
) -> pd.DataFrame:
    """The HAR regressors of Corsi (2009): the mean variance of the past 1, 5 and 22 days.

    Row ``t`` holds ``mean(x_{t-L+1} .. x_t)`` for each lag ``L``: the daily,
    weekly and monthly components, all ending at ``t``, used to predict
    `har_target` at ``t`` (days after ``t``).

    Parameters
    ----------
    variance : Series or array
        A daily variance proxy (leading NaN allowed, as from `squared_returns`).
    lags : sequence of int, default (1, 5, 22)
        Window lengths in trading days.

    Returns
    -------
    DataFrame, same index as ``variance`` (RangeIndex for arrays)
        Columns ``"var_1d"``, ``"var_5d"``, ``"var_22d"`` (one per lag). A row
        is NaN until its longest window is full (the first 21 days by default).

    Examples
    --------
    >>> har_features([1.0, 2.0, 3.0, 4.0], lags=(1, 2)).to_numpy().tolist()
    [[nan, nan], [2.0, 1.5], [3.0, 2.5], [4.0, 3.5]]
    """
    s, _ = _series(variance, "variance")
    start = _leading_nan(s, "variance")
    lags = _lags(lags)
    if len(s) - start <= max(lags):
        raise DataError(
            f"variance has {len(s) - start} values; the {max(lags)}-day window needs more than "
            f"{max(lags)} to leave a training row; load a longer span"
        )
    cols = {f"var_{lag}d": s.rolling(lag, min_periods=lag).mean() for lag in lags}
    table = pd.DataFrame(cols, index=s.index)
    table.loc[table.isna().any(axis=1)] = np.nan  # a row is usable only when complete
    return table


def har_target(variance: ArrayOrSeries, horizon: int = 1) -> ArrayOrSeries:
    """What HAR (and every forecast of this module) predicts: mean variance of the next days.

    The value at ``t`` is ``mean(x_{t+1} .. x_{t+h})``; the last ``h`` rows are NaN.

    When fitting, keep only training rows whose target lies inside the
    training span: with training rows ``[0, n)`` use rows ``[0, n - horizon)``,
    otherwise the last targets average test days into the fit.

    Parameters
    ----------
    variance : Series or array
        A daily variance proxy (leading NaN allowed).
    horizon : int, default 1

    Returns
    -------
    Series (same index, name ``"next_{h}d"``) or array

    Examples
    --------
    >>> har_target([1.0, 2.0, 3.0, 4.0], horizon=2).tolist()
    [2.5, 3.5, nan, nan]
    """
    s, is_pandas = _series(variance, "variance")
    _leading_nan(s, "variance")
    horizon = positive_int("horizon", horizon, "1 is tomorrow, 5 the next week")
    if len(s) <= horizon:
        raise DataError(f"variance has {len(s)} values, too few for horizon={horizon}")
    target = s.rolling(horizon, min_periods=horizon).mean().shift(-horizon)
    return _out(target, is_pandas, f"next_{horizon}d")


def _rows(features: object, target: object) -> tuple[pd.DataFrame, pd.Series]:
    X = features if isinstance(features, pd.DataFrame) else pd.DataFrame(
        np.asarray(features, dtype=float)
    )
    if X.ndim != 2 or X.shape[1] == 0:
        raise DataError("features must be a table (rows, regressors), as har_features returns")
    y, _ = _series(target, "target")
    if len(X) != len(y):
        raise DataError(
            f"features have {len(X)} rows but target has {len(y)}; slice both with the same "
            "rows (e.g. .iloc[:n_train - horizon])"
        )
    if isinstance(features, pd.DataFrame) and isinstance(target, pd.Series):
        if not X.index.equals(y.index):
            raise DataError("features and target have different indexes; align them first")
    return X.astype(float), y


def fit_har(
    features_train: pd.DataFrame | np.ndarray, target_train: ArrayOrSeries
) -> LinearRegression:
    """Fit the HAR regression ``target ~ 1 + features`` by ordinary least squares.

    Rows with NaN in the features or the target (the warm-up of `har_features`,
    the tail of `har_target`) are left out. Pass training rows only, and only
    those whose target ends inside the training span (see `har_target`).

    Parameters
    ----------
    features_train : DataFrame or array, shape (rows, regressors)
    target_train : Series or array, shape (rows,)

    Returns
    -------
    sklearn.linear_model.LinearRegression
        ``intercept_`` and ``coef_`` (one per regressor, in the column order).

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [2.0, 1.0]])
    >>> model = fit_har(X, 0.5 + X @ [2.0, 3.0])
    >>> round(float(model.intercept_), 6), model.coef_.round(6).tolist()
    (0.5, [2.0, 3.0])
    """
    X, y = _rows(features_train, target_train)
    keep = X.notna().all(axis=1).to_numpy() & y.notna().to_numpy()
    if keep.sum() < X.shape[1] + 2:
        raise DataError(
            f"only {int(keep.sum())} training row(s) have complete features and target; "
            f"{X.shape[1] + 2} or more are needed for {X.shape[1]} regressors and an intercept "
            "(har_features leaves the first max(lags) - 1 rows empty); use a longer training span"
        )
    _no_nan(X[keep].stack(), "features_train")
    model = LinearRegression()
    if isinstance(features_train, pd.DataFrame):
        model.fit(X[keep], y.to_numpy()[keep])
    else:
        model.fit(X[keep].to_numpy(), y.to_numpy()[keep])
    return model


def har_forecast(model: LinearRegression, features: pd.DataFrame | np.ndarray) -> ArrayOrSeries:
    """Forecasts of a fitted HAR model: row ``t`` predicts `har_target` at ``t``.

    Parameters
    ----------
    model : LinearRegression from `fit_har`
    features : DataFrame or array from `har_features` (any span, e.g. the test span)

    Returns
    -------
    Series (index of ``features``, name "har_forecast") or array
        NaN where a feature row is incomplete. Least squares does not know that
        a variance is positive: in calm spells a forecast can come out at or
        below 0, which `qlike` refuses. Floor it if needed
        (``forecast.clip(lower=...)``) and say so.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [2.0, 1.0]])
    >>> model = fit_har(X, 0.5 + X @ [2.0, 3.0])
    >>> har_forecast(model, np.array([[1.0, 2.0], [np.nan, 1.0]])).round(6).tolist()
    [8.5, nan]
    """
    n_in = getattr(model, "n_features_in_", None)
    if not hasattr(model, "coef_") or n_in is None:
        raise DataError("model is not fitted; get it from fit_har(features_train, target_train)")
    is_pandas = isinstance(features, pd.DataFrame)
    X = features if is_pandas else pd.DataFrame(np.asarray(features, dtype=float))
    if X.ndim != 2 or X.shape[1] != n_in:
        raise DataError(
            f"features have {X.shape[1] if X.ndim == 2 else X.shape} columns but the model was "
            f"fitted on {n_in}; build both with the same har_features(..., lags)"
        )
    names = getattr(model, "feature_names_in_", None)
    if is_pandas and names is not None and list(X.columns) != list(names):
        raise DataError(
            f"feature columns {list(X.columns)} differ from the fitted {list(names)}"
        )
    out = pd.Series(np.nan, index=X.index)
    keep = X.notna().all(axis=1).to_numpy()
    if keep.any():
        rows = X[keep]
        if names is not None:  # fitted on a table: predict from one with the same names
            rows = rows.set_axis(list(names), axis=1)
        else:
            rows = rows.to_numpy()
        out[keep] = model.predict(rows)
    return out.rename("har_forecast") if is_pandas else out.to_numpy()


# ----------------------------------------------------------------------------- QLIKE


def qlike_loss(
    y_true_variance: ArrayOrSeries,
    forecast_variance: ArrayOrSeries,
    form: Literal["ratio", "log"] = "ratio",
) -> np.ndarray:
    """QLIKE loss of each forecast (Patton 2011): for Diebold-Mariano tests.

    ``form="ratio"`` (default): ``y/f - ln(y/f) - 1``. Zero when the forecast
    equals the proxy, positive otherwise, and asymmetric: under-predicting the
    variance costs more than over-predicting it by the same amount.

    Zero proxies: ``ln(y/f)`` is undefined at ``y = 0`` (a squared return on a
    day the close did not move; ``High == Low`` for a range proxy), so the
    ratio form raises `DataError` then. ``form="log"`` is
    ``ln f + y/f``, which is defined for ``y = 0``. The two forms differ per
    observation by ``ln y + 1``, a term that does not depend on the forecast:
    the difference of two models' losses, hence their ranking and a
    Diebold-Mariano statistic, are the same with either form. Only the log form's
    level has no meaning (it is not 0 for a perfect forecast).

    Parameters
    ----------
    y_true_variance : Series or array
        The proxy of the forecast days (e.g. `har_target`), >= 0, no NaN.
    forecast_variance : Series or array
        The forecasts, same rows, > 0.
    form : {"ratio", "log"}, default "ratio"

    Returns
    -------
    ndarray, shape (rows,)

    Examples
    --------
    >>> qlike_loss([1.0, 1.0], [1.0, 2.0]).round(4).tolist()  # 0.5 - ln 0.5 - 1
    [0.0, 0.1931]
    """
    y, y_pandas = _series(y_true_variance, "y_true_variance")
    f, f_pandas = _series(forecast_variance, "forecast_variance")
    if len(y) != len(f):
        raise DataError(
            f"y_true_variance has {len(y)} rows but forecast_variance has {len(f)}; align them "
            "(forecast at t with har_target at t) and drop the NaN rows of both"
        )
    if y_pandas and f_pandas and not y.index.equals(f.index):
        raise DataError(
            "y_true_variance and forecast_variance have different indexes; select the same "
            "dates from both (the forecast made at t is scored on har_target at t)"
        )
    _no_nan(y, "y_true_variance")
    _no_nan(f, "forecast_variance")
    yv, fv = y.to_numpy(), f.to_numpy()
    if (fv <= 0).any():
        raise DataError(
            f"{int((fv <= 0).sum())} forecast(s) are <= 0 (first at row "
            f"{int(np.flatnonzero(fv <= 0)[0])}); QLIKE needs positive variances: floor "
            "the forecasts (e.g. np.maximum(f, 1e-10)) and report that you did"
        )
    if (yv < 0).any():
        raise DataError("y_true_variance holds negative values; a variance proxy is >= 0")
    if form == "ratio":
        if (yv == 0).any():
            raise DataError(
                f"y_true_variance is 0 on {int((yv == 0).sum())} row(s), where ln(y/f) is "
                "undefined; pass form='log' (ln f + y/f: same model ranking and Diebold-Mariano "
                "statistic) or use a range proxy (parkinson_variance)"
            )
        ratio = yv / fv
        return ratio - np.log(ratio) - 1.0
    if form == "log":
        return np.log(fv) + yv / fv
    raise DataError(f"form must be 'ratio' or 'log', got form={form!r}")


def qlike(
    y_true_variance: ArrayOrSeries,
    forecast_variance: ArrayOrSeries,
    form: Literal["ratio", "log"] = "ratio",
) -> float:
    """Mean QLIKE loss (Patton 2011): the loss to rank variance forecasts with.

    QLIKE is *robust* in the sense of Patton (2011): with a conditionally
    unbiased proxy, however noisy (a squared return), forecasts rank by
    expected loss as they would against the true variance. MSE of the
    variance is robust too; the MSE of log variances and the MAE are not.
    Unlike MSE, QLIKE depends on the ratio ``y / f`` only, so the few most
    turbulent days, whose squared errors are huge, do not dominate it. See
    `qlike_loss` for the two forms and for zero proxies.

    Examples
    --------
    Under-predicting by 0.5 costs more than over-predicting by 0.5:

    >>> round(qlike([1.0], [0.5]), 4), round(qlike([1.0], [1.5]), 4)
    (0.3069, 0.0721)
    """
    return float(np.mean(qlike_loss(y_true_variance, forecast_variance, form)))


# ----------------------------------------------------------------------------- GARCH


def _garch_sample(returns: object, train_end: object) -> tuple[pd.Series, int, int, bool]:
    """Returns without the leading NaN, start offset, training size there, pandas flag."""
    s, is_pandas = _series(returns, "returns")
    start = _leading_nan(s, "returns")
    n = len(s)
    if isinstance(train_end, bool):
        raise DataError("train_end must be a row count or a date, not a bool")
    if isinstance(train_end, (int, np.integer)):
        end = int(train_end)
    else:
        if not isinstance(s.index, pd.DatetimeIndex):
            raise DataError(
                "a date train_end needs returns indexed by date; pass the row count instead"
            )
        try:
            end = int(s.index.searchsorted(pd.Timestamp(train_end)))
        except (TypeError, ValueError) as err:
            raise DataError(f"train_end={train_end!r} is neither a row count nor a date") from err
    if not start < end < n:
        raise DataError(
            f"train_end={train_end!r} puts the split at row {end} of {n}; it must leave at least "
            "one training and one test return (e.g. Split.train_end of chronological_split)"
        )
    n_train = end - start
    if n_train < GARCH_MIN_TRAIN:
        raise DataError(
            f"the training span has {n_train} returns; GARCH(1,1) needs at least "
            f"{GARCH_MIN_TRAIN} (a year or more is better): move train_end later"
        )
    return s.iloc[start:], start, n_train, is_pandas


def fit_garch(
    returns: ArrayOrSeries,
    train_end: int | str | pd.Timestamp,
    *,
    mean: Literal["Zero", "Constant"] = "Zero",
    dist: Literal["normal", "t"] = "normal",
):
    """Fit a GARCH(1,1) with ``arch`` on the training span only.

    Parameters
    ----------
    returns : Series or array
        Daily log returns **in decimals** (`log_returns`; the leading NaN is
        dropped). They are multiplied by 100 for ``arch``, whose optimiser
        works best with percent returns.
    train_end : int or date
        Where training ends, as in `lstm_tutorial.preprocessing.chronological_split`:
        an int is the row position (rows ``[0, train_end)`` of ``returns``,
        counting a leading NaN, so ``Split.train_end`` of the price table fits),
        a date is the first day that is *not* training.
    mean : {"Zero", "Constant"}, default "Zero"
        "Zero" forecasts the expected squared return, the quantity
        `squared_returns` measures; "Constant" estimates a mean return and
        forecasts the variance around it (smaller by the squared mean, ~1e-6).
    dist : {"normal", "t"}, default "normal"

    Returns
    -------
    arch.univariate.base.ARCHModelResult
        ``.params`` are in **percent** units: ``omega`` in %^2 (divide by 1e4
        for decimals); ``alpha[1]`` and ``beta[1]`` have no unit.

    Examples
    --------
    >>> import numpy as np
    >>> r = np.random.default_rng(0).normal(0.0, 0.01, 600)
    >>> res = fit_garch(r, train_end=500)
    >>> res.nobs, list(res.params.index)
    (500, ['omega', 'alpha[1]', 'beta[1]'])
    """
    try:
        from arch import arch_model
    except ImportError as err:  # pragma: no cover - arch is an optional dependency
        raise ImportError("GARCH needs the arch package: pip install 'arch>=7'") from err

    r, _, n_train, _ = _garch_sample(returns, train_end)
    if mean not in ("Zero", "Constant"):
        raise DataError(f"mean must be 'Zero' or 'Constant', got mean={mean!r}")
    if dist not in ("normal", "t"):
        raise DataError(f"dist must be 'normal' or 't', got dist={dist!r}")
    model = arch_model(100.0 * r, mean=mean, vol="GARCH", p=1, q=1, dist=dist, rescale=False)
    result = model.fit(last_obs=n_train, disp="off", show_warning=False)
    if result.convergence_flag != 0:
        warnings.warn(
            "GARCH(1,1) did not converge on the training span "
            f"({result.optimization_result.message}); its forecasts may be poor: check the "
            "returns or use a longer training span",
            RuntimeWarning,
            stacklevel=2,
        )
    return result


def garch_forecasts(
    returns: ArrayOrSeries,
    train_end: int | str | pd.Timestamp,
    horizon: int = 1,
    *,
    mean: Literal["Zero", "Constant"] = "Zero",
    dist: Literal["normal", "t"] = "normal",
) -> pd.DataFrame:
    """GARCH(1,1) variance forecasts through the test span, parameters from training only.

    `fit_garch` estimates the parameters on the training span; ``arch`` then
    filters the whole series with them fixed (its ``forecast(start=...)``), so
    the forecast made at ``t`` uses returns up to ``t`` only and no test day
    changes a parameter.

    Parameters
    ----------
    returns : Series or array
        Daily log returns in decimals (`log_returns`, leading NaN allowed).
    train_end : int or date
        As in `fit_garch`.
    horizon : int, default 1
        Also return the mean of the 1..h-step forecasts (the forecast of
        ``har_target(..., horizon=h)``).
    mean, dist
        As in `fit_garch`.

    Returns
    -------
    DataFrame, index of ``returns`` (RangeIndex for arrays)
        Column "one_step": at date ``t``, the forecast made at ``t`` for
        ``t + 1``; with ``horizon > 1`` also ``"mean_{h}"``: the mean forecast
        variance of days ``t + 1 .. t + h``. In decimals^2 (``arch``'s %^2
        divided by 1e4). Rows before the last training day are NaN; that day's
        row is the forecast of the first test day. The last row forecasts the
        day after the data.

    Notes
    -----
    The recursion starts from ``arch``'s backcast, an exponentially weighted
    mean of the first 75 squared training returns. ``arch`` also clips
    variances to safety bounds (a millionth to a million times an EWMA) whose
    outer limits use the whole series; they are far from any real variance and
    never bind, so no later return changes a forecast (the tests check this).

    Examples
    --------
    >>> import numpy as np
    >>> r = np.random.default_rng(0).normal(0.0, 0.01, 600)
    >>> f = garch_forecasts(r, train_end=500, horizon=5)
    >>> list(f.columns), int(f["one_step"].first_valid_index())
    (['one_step', 'mean_5'], 499)
    >>> bool((f.dropna() > 0).all().all())
    True
    """
    horizon = positive_int("horizon", horizon, "1 is tomorrow, 5 the next week")
    s, _ = _series(returns, "returns")
    r, start, n_train, _ = _garch_sample(returns, train_end)
    result = fit_garch(returns, train_end, mean=mean, dist=dist)
    fc = result.forecast(horizon=horizon, start=n_train - 1, reindex=False)
    var = fc.variance.to_numpy() / 1e4  # percent^2 -> decimal^2
    cols = {"one_step": var[:, 0]}
    if horizon > 1:
        cols[f"mean_{horizon}"] = var.mean(axis=1)
    out = pd.DataFrame(np.nan, index=s.index, columns=list(cols))
    first = start + n_train - 1
    for name, values in cols.items():
        out.iloc[first:, out.columns.get_loc(name)] = values
    return out


# ----------------------------------------------------------------------------- tables


def loss_table(
    y_true: ArrayOrSeries,
    forecasts: Mapping[str, ArrayOrSeries] | pd.DataFrame,
    references: Sequence[str] = ("last value", "HAR"),
    h: int = 1,
    *,
    block: int | None = None,
    n_boot: int = 2000,
    level: float = 0.95,
    seed: int | None = 0,
) -> pd.DataFrame:
    """QLIKE and MSE of every forecast, with skill, interval and DM test against references.

    Parameters
    ----------
    y_true : Series or array
        The variance proxy of the forecast days (`har_target` at the origins), > 0.
    forecasts : dict name -> Series or array, or DataFrame (one column per model)
        Every model's variance forecasts of the same rows, > 0 (floor them first).
    references : names in ``forecasts``
        The forecasts every model is compared with (e.g. "last value" and "HAR").
    h : int, default 1
        Forecast horizon, for the Diebold-Mariano test (`lstm_tutorial.stats.diebold_mariano`).
    block, n_boot, level, seed
        For the bootstrap intervals (`lstm_tutorial.stats.block_bootstrap_loss_skill`).

    Returns
    -------
    DataFrame
        One row per forecast (index "model", in the order given). Columns
        "QLIKE" (`qlike`, ratio form) and "MSE" (in the squared units of
        ``y_true``: variances in %^2 give MSE in %^4), then for each loss L in
        (QLIKE, MSE) and each reference R: "L skill vs R"
        (``1 - loss / loss_R``), "L skill low vs R" and "L skill high vs R"
        (the bootstrap interval) and "L DM p vs R" (two-sided p-value of equal
        expected loss). A reference's own row has skill 0 and NaN elsewhere.

    Examples
    --------
    Proxies 1, 2, 4, 2 (five times); the last value is off by a factor 2 on
    every day: QLIKE ``(0.1931 + 0.3069 + 0.3069 + 0.1931) / 4 = 0.25``, MSE
    ``(1 + 1 + 4 + 4) / 4 = 2.5``.

    >>> import numpy as np
    >>> y = np.array([1.0, 2.0, 4.0, 2.0] * 5)
    >>> table = loss_table(y, {"last value": np.r_[2.0, y[:-1]], "mean": np.full(20, 2.25)},
    ...                    references=["last value"], n_boot=200)
    >>> table[["QLIKE", "MSE"]].round(4).to_numpy().tolist()
    [[0.25, 2.5], [0.1178, 1.1875]]
    >>> round(float(table.loc["mean", "QLIKE skill vs last value"]), 4)
    0.5289
    """
    if isinstance(forecasts, pd.DataFrame):
        forecasts = {str(c): forecasts[c] for c in forecasts.columns}
    if not isinstance(forecasts, Mapping) or not forecasts:
        raise DataError("forecasts must be a non-empty dict: model name -> variance forecasts")
    missing = [r for r in references if r not in forecasts]
    if missing:
        raise DataError(
            f"reference(s) {missing} are not among the forecasts {list(forecasts)}; "
            "add them to forecasts"
        )
    y, _ = _series(y_true, "y_true")
    losses = {}
    for name, f in forecasts.items():
        try:
            q = qlike_loss(y_true, f)
        except DataError as err:
            raise DataError(f"forecast {name!r}: {err}") from err
        losses[name] = {"QLIKE": q, "MSE": (y.to_numpy() - _series(f, name)[0].to_numpy()) ** 2}
    y_arr = y.to_numpy()

    def qlike_of_errors(errors: np.ndarray) -> np.ndarray:  # DM passes errors y - f
        return qlike_loss(y_arr, y_arr - errors)

    qlike_of_errors.__name__ = "qlike"
    dm_loss = {"QLIKE": qlike_of_errors, "MSE": "squared"}
    rows = {}
    for name, f in forecasts.items():
        row = {loss: float(values.mean()) for loss, values in losses[name].items()}
        for ref in references:
            for loss in ("QLIKE", "MSE"):
                keys = [f"{loss} skill vs {ref}", f"{loss} skill low vs {ref}",
                        f"{loss} skill high vs {ref}", f"{loss} DM p vs {ref}"]
                if name == ref:
                    row.update(dict(zip(keys, [0.0, np.nan, np.nan, np.nan], strict=True)))
                    continue
                try:
                    interval = block_bootstrap_loss_skill(
                        losses[name][loss], losses[ref][loss], block=block, n_boot=n_boot,
                        level=level, seed=seed,
                    )
                    dm = diebold_mariano(y_arr, _series(f, name)[0].to_numpy(),
                                         _series(forecasts[ref], ref)[0].to_numpy(), h=h,
                                         loss=dm_loss[loss])
                except DataError as err:
                    raise DataError(f"{name!r} against {ref!r} ({loss}): {err}") from err
                values = [interval.skill, interval.low, interval.high, dm.p_value]
                row.update(dict(zip(keys, values, strict=True)))
        rows[name] = row
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "model"
    return table


# ----------------------------------------------------------------------------- windows


class VarianceWindows(NamedTuple):
    """Windows of one span from `variance_windows`.

    Attributes
    ----------
    X : ndarray
        The input windows (the features, e.g. scaled log variances), shaped
        (samples, lookback, features).
    target : ndarray
        Mean variance of the next ``h`` days after each window, for each proxy
        and horizon, in ``columns`` order (proxy by proxy, horizons inside),
        shaped (samples, proxies times horizons).
    anchor : ndarray
        Mean variance of the proxy over the window's own ``lookback`` days
        (with 22 days: HAR's monthly component at the origin), same shape as ``target``.
    origins : ndarray
        Row position of each window's last day, one per sample: the forecast
        origin, where `har_target` holds the same target.
    columns : tuple
        Names of the target columns, e.g. ``("parkinson 1d", "parkinson 5d")``.
    """

    X: np.ndarray
    target: np.ndarray
    anchor: np.ndarray
    origins: np.ndarray
    columns: tuple[str, ...]


def variance_windows(
    features: pd.DataFrame | np.ndarray,
    proxies: pd.DataFrame,
    split: Split,
    lookback: int = 22,
    horizons: Sequence[int] = (1, 5),
) -> dict[str, VarianceWindows]:
    """Windows of inputs with variance targets for several horizons, and an anchor per window.

    Built with `lstm_tutorial.preprocessing.make_split_windows` on the features
    and proxies side by side, with the longest horizon, so every span's windows
    have *all* their target days inside the span, and every horizon is scored on
    the same origins.

    Parameters
    ----------
    features : DataFrame or array, shape (rows, features)
        The network's inputs, already scaled (with statistics of the training
        span), rows aligned with ``split.data``, no NaN.
    proxies : DataFrame, shape (rows, proxies)
        Variance proxies in their own units (e.g. `parkinson_variance` and
        `squared_returns`), same rows, >= 0, no NaN. Column names name the targets.
    split : Split
        From `lstm_tutorial.preprocessing.chronological_split` of the same rows.
    lookback : int, default 22
        Days per window (22: a trading month, as HAR's longest component).
    horizons : sequence of int, default (1, 5)
        The target of horizon ``h`` is the mean proxy of the ``h`` days after
        the window, as `har_target`.

    Returns
    -------
    dict span -> VarianceWindows
        Spans "train", "val" (if the split has one) and "test".

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from lstm_tutorial.preprocessing import chronological_split
    >>> proxy = pd.DataFrame({"v": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0]})
    >>> split = chronological_split(proxy, train=0.6)
    >>> w = variance_windows(np.log(proxy), proxy, split, lookback=2, horizons=(1, 2))
    >>> w["train"].target.tolist(), w["train"].anchor.tolist(), w["train"].origins.tolist()
    ([[3.0, 3.5], [4.0, 4.5], [5.0, 5.5]], [[1.5, 1.5], [2.5, 2.5], [3.5, 3.5]], [1, 2, 3])
    """
    if not isinstance(proxies, pd.DataFrame) or proxies.shape[1] == 0:
        raise DataError("proxies must be a DataFrame with one column per variance proxy")
    feats = as_2d(features).astype(float)
    prox = as_2d(proxies).astype(float)
    if len(feats) != len(prox) or len(prox) != len(split.data):
        raise DataError(
            f"features ({len(feats)} rows), proxies ({len(prox)}) and the split "
            f"({len(split.data)}) must cover the same rows; build all three from one table"
        )
    if (prox < 0).any():
        raise DataError("proxies hold negative values; a variance proxy is >= 0")
    try:
        hs = tuple(positive_int("each horizon", h, "1 is tomorrow, 5 the next week")
                   for h in horizons)
    except TypeError:
        raise DataError(
            f"horizons must be positive integers, e.g. (1, 5); got {horizons!r}"
        ) from None
    if not hs or len(set(hs)) != len(hs):
        raise DataError(f"horizons must be distinct positive integers, got {horizons!r}")
    n_feat = feats.shape[1]
    table = np.column_stack([feats, prox])
    per_proxy = [make_split_windows(table, split, lookback, max(hs), target_col=n_feat + j)
                 for j in range(prox.shape[1])]
    columns = tuple(f"{name} {h}d" for name in proxies.columns for h in hs)
    out = {}
    for span, first in per_proxy[0].items():
        targets, anchors = [], []
        for j, windows in enumerate(per_proxy):
            w = windows[span]
            level = w.X[:, :, n_feat + j].mean(axis=1)
            for h in hs:
                targets.append(w.y[:, :h].mean(axis=1))
                anchors.append(level)
        out[span] = VarianceWindows(
            np.ascontiguousarray(first.X[:, :, :n_feat]), np.column_stack(targets),
            np.column_stack(anchors), first.target_rows - 1, columns,
        )
    return out
