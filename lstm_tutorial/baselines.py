"""Baseline forecasts: what a model has to beat before it means anything.

Every baseline takes the same windowed inputs as the models, ``X`` of shape
``(samples, lookback, features)`` from `lstm_tutorial.windowing.make_windows`,
and returns predictions shaped and aligned like the targets ``y``:
``(samples, horizon)``, row ``i`` forecasting ``y[i]``.

- `naive_forecast`: the last observed value, repeated (tomorrow = today).
- `moving_average_forecast`: the mean of the last ``k`` observed values.
- `drift_forecast`: the last value plus ``h`` times the average change over the window.
- `fit_linear_baseline` / `linear_forecast`: ordinary least squares on the
  flattened windows (scikit-learn), i.e. a linear autoregression on the very
  inputs the LSTM sees.
- `return_forecasts`: the same task seen as returns: zero, last, mean-training
  and linear forecasts of the next log return from the last ``lookback``
  returns, turned back into price forecasts.
- `arima_forecast`: an ARIMA(p, d, q) from `statsmodels`, order chosen by AIC
  and parameters estimated on the training series only, then rolled forward
  one step at a time over the test series with those parameters fixed. It
  takes the series itself (not windows) and returns one forecast per test value.

Baselines work equally on scaled or raw windows. Since a scaler is an affine
map per column, the naive, moving-average and drift forecasts of scaled
windows, inverse-transformed, equal those of raw windows.
"""

from __future__ import annotations

import warnings
from typing import NamedTuple

import numpy as np
from sklearn.linear_model import LinearRegression, Ridge
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer

from lstm_tutorial.errors import DataError, positive_int
from lstm_tutorial.windowing import resolve_column

__all__ = [
    "ArimaForecast",
    "arima_forecast",
    "common_root_distance",
    "drift_forecast",
    "fit_linear_baseline",
    "flatten_windows",
    "linear_forecast",
    "moving_average_forecast",
    "naive_forecast",
    "ReturnForecasts",
    "return_forecasts",
]


def _windows(X: np.ndarray, target_col: int) -> tuple[np.ndarray, int]:
    """Validate windows and return them as a float array (samples, lookback, features)."""
    arr = np.asarray(X, dtype=float)
    if arr.ndim == 2:  # (samples, lookback): one feature
        arr = arr[:, :, None]
    if arr.ndim != 3 or arr.shape[0] == 0 or arr.shape[1] == 0:
        raise DataError(
            f"expected windows of shape (samples, lookback, features), got {np.shape(X)}; "
            "build them with lstm_tutorial.windowing.make_windows"
        )
    return arr, resolve_column(arr, target_col, arr.shape[2])


def naive_forecast(X: np.ndarray, target_col: int = 0, horizon: int = 1) -> np.ndarray:
    """Predict the last observed value of the target for every future step.

    Parameters
    ----------
    X : array, shape (samples, lookback, features) or (samples, lookback)
        Input windows, as the model sees them.
    target_col : int, default 0
        Position of the target feature in the windows.
    horizon : int, default 1
        Number of future steps per sample.

    Returns
    -------
    ndarray, shape (samples, horizon)
        ``X[i, -1, target_col]`` repeated ``horizon`` times. For ``horizon=1``
        this is the series shifted by one step.

    Examples
    --------
    >>> import numpy as np
    >>> from lstm_tutorial.windowing import make_windows
    >>> X, y = make_windows(np.array([1.0, 2.0, 4.0, 7.0, 11.0]), lookback=2)
    >>> naive_forecast(X).ravel().tolist(), y.ravel().tolist()
    ([2.0, 4.0, 7.0], [4.0, 7.0, 11.0])
    """
    arr, col = _windows(X, target_col)
    horizon = positive_int("horizon", horizon)
    return np.repeat(arr[:, -1, col][:, None], horizon, axis=1)


def moving_average_forecast(
    X: np.ndarray, k: int = 5, target_col: int = 0, horizon: int = 1
) -> np.ndarray:
    """Predict the mean of the last ``k`` observed target values for every future step.

    Parameters
    ----------
    X : array, shape (samples, lookback, features) or (samples, lookback)
    k : int, default 5
        How many of the most recent values to average; ``1 <= k <= lookback``.
        ``k=1`` is the naive forecast.
    target_col : int, default 0
    horizon : int, default 1

    Returns
    -------
    ndarray, shape (samples, horizon)

    Examples
    --------
    >>> import numpy as np
    >>> from lstm_tutorial.windowing import make_windows
    >>> X, _ = make_windows(np.array([1.0, 2.0, 4.0, 7.0, 11.0]), lookback=3)
    >>> moving_average_forecast(X, k=2).ravel().tolist()
    [3.0, 5.5]
    """
    arr, col = _windows(X, target_col)
    horizon = positive_int("horizon", horizon)
    lookback = arr.shape[1]
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 1 <= k <= lookback:
        raise DataError(
            f"k={k!r} must be an integer between 1 and the lookback ({lookback}); "
            "use a smaller k or longer windows"
        )
    mean = arr[:, -k:, col].mean(axis=1)
    return np.repeat(mean[:, None], horizon, axis=1)


def drift_forecast(X: np.ndarray, target_col: int = 0, horizon: int = 1) -> np.ndarray:
    """Extend the window's average change: ``last + h * (last - first) / (lookback - 1)``.

    The random walk with drift: step ``h`` (1-based) of the forecast adds
    ``h`` times the mean one-step change observed inside the window.

    Parameters
    ----------
    X : array, shape (samples, lookback, features) or (samples, lookback); lookback >= 2
    target_col : int, default 0
    horizon : int, default 1

    Returns
    -------
    ndarray, shape (samples, horizon)

    Examples
    --------
    >>> import numpy as np
    >>> from lstm_tutorial.windowing import make_windows
    >>> X, _ = make_windows(np.array([1.0, 2.0, 4.0, 7.0]), lookback=3)
    >>> drift_forecast(X, horizon=2).tolist()
    [[5.5, 7.0]]
    """
    arr, col = _windows(X, target_col)
    horizon = positive_int("horizon", horizon)
    lookback = arr.shape[1]
    if lookback < 2:
        raise DataError("the drift forecast needs windows of at least 2 steps (lookback >= 2)")
    last = arr[:, -1, col]
    slope = (last - arr[:, 0, col]) / (lookback - 1)
    steps = np.arange(1, horizon + 1)
    return last[:, None] + slope[:, None] * steps[None, :]


def flatten_windows(X: np.ndarray) -> np.ndarray:
    """Flatten windows to a 2-D design matrix: (samples, lookback * features).

    Examples
    --------
    >>> import numpy as np
    >>> flatten_windows(np.zeros((4, 10, 3))).shape
    (4, 30)
    """
    arr = np.asarray(X, dtype=float)
    if arr.ndim == 2:
        return arr
    if arr.ndim != 3:
        raise DataError(
            f"expected windows of shape (samples, lookback, features), got {arr.shape}"
        )
    return arr.reshape(len(arr), -1)


def _targets(y: np.ndarray, n: int) -> np.ndarray:
    arr = np.asarray(y, dtype=float)
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2 or len(arr) != n:
        raise DataError(
            f"y has shape {np.shape(y)} but X has {n} samples; pass y of shape "
            "(samples, horizon) from the same make_windows call"
        )
    return arr


def fit_linear_baseline(X_train: np.ndarray, y_train: np.ndarray, alpha: float = 0.0) -> Pipeline:
    """Fit a linear regression on flattened windows (a linear autoregression).

    Each sample's ``lookback * features`` inputs are the regressors; each of
    the ``horizon`` targets gets its own coefficients. ``alpha > 0`` uses ridge
    regression instead of ordinary least squares.

    Parameters
    ----------
    X_train : array, shape (samples, lookback, features)
    y_train : array, shape (samples, horizon) or (samples,)
    alpha : float, default 0.0
        L2 penalty (`sklearn.linear_model.Ridge`); 0 means `LinearRegression`.

    Returns
    -------
    sklearn.pipeline.Pipeline
        Fitted; ``.predict(X)`` takes 3-D windows and returns (samples, horizon).

    Examples
    --------
    >>> import numpy as np
    >>> from lstm_tutorial.windowing import make_windows
    >>> X, y = make_windows(np.arange(50.0), lookback=3)
    >>> model = fit_linear_baseline(X, y)
    >>> np.round(model.predict(X[:2]), 6).tolist()
    [[3.0], [4.0]]
    """
    design = flatten_windows(X_train)
    target = _targets(y_train, len(design))
    if alpha < 0:
        raise DataError(f"alpha must be >= 0, got {alpha}")
    regressor = Ridge(alpha=alpha) if alpha > 0 else LinearRegression()
    pipe = Pipeline(
        [("flatten", FunctionTransformer(flatten_windows)), ("regression", regressor)]
    )
    return pipe.fit(np.asarray(X_train, dtype=float), target)


def linear_forecast(
    X_train: np.ndarray, y_train: np.ndarray, X_test: np.ndarray, alpha: float = 0.0
) -> np.ndarray:
    """Fit `fit_linear_baseline` on the training windows and predict the test windows.

    Its signature is the ``fit_predict(X_train, y_train, X_test)`` that
    `lstm_tutorial.evaluation.walk_forward_evaluate` expects.

    Returns
    -------
    ndarray, shape (test samples, horizon)

    Examples
    --------
    >>> import numpy as np
    >>> from lstm_tutorial.windowing import make_windows
    >>> X, y = make_windows(2.0 * np.arange(40.0), lookback=4)
    >>> np.round(linear_forecast(X[:30], y[:30], X[30:32]), 6).tolist()
    [[68.0], [70.0]]
    """
    model = fit_linear_baseline(X_train, y_train, alpha=alpha)
    pred = model.predict(np.asarray(X_test, dtype=float))
    return pred.reshape(len(pred), -1)


class ReturnForecasts(NamedTuple):
    """What `return_forecasts` returns."""

    forecasts: dict[str, np.ndarray]
    """Price forecasts by name, each shaped ``(len(test_rows), 1)``."""
    mean_train_return: float
    """Mean log return of the training targets (the drift of "mean training return")."""


def return_forecasts(close: object, test_rows: object, lookback: int) -> ReturnForecasts:
    """Forecast next-day log returns from the last ``lookback`` returns, as prices.

    A price forecast is a return forecast in disguise: with ``x_t`` known,
    ``x_hat = x_t * exp(r_hat)``. For each test row ``k`` (a position in
    ``close``) this forecasts the log return ``r_k = ln(x_k / x_{k-1})`` from
    ``r_{k-lookback}, ..., r_{k-1}`` four ways and returns ``x_{k-1} exp(r_hat)``:

    - ``"zero return"``: ``r_hat = 0``, which *is* the naive price forecast;
    - ``"last return"``: tomorrow moves like today (the naive forecast of returns);
    - ``"mean training return"``: the random walk with drift;
    - ``"linear on returns"``: `linear_forecast` fitted on every return window
      whose target lies before the first test row.

    Parameters
    ----------
    close : 1-d array or Series of prices (> 0), in time order
    test_rows : int positions in ``close`` to forecast, ascending; the first one
        must leave room for at least one training window
        (``test_rows[0] > 2 * lookback + 1``)
    lookback : int, the number of past returns each forecast sees

    Examples
    --------
    >>> import numpy as np
    >>> close = 100 * np.exp(0.01 * np.arange(30))        # +1 % (log) every day
    >>> out = return_forecasts(close, test_rows=[28, 29], lookback=5)
    >>> for name, forecast in out.forecasts.items():     # as multiples of the true close
    ...     print(name, np.round(forecast[:, 0] / close[[28, 29]], 6).tolist())
    zero return [0.99005, 0.99005]
    last return [1.0, 1.0]
    mean training return [1.0, 1.0]
    linear on returns [1.0, 1.0]
    """
    from lstm_tutorial.windowing import make_windows

    prices = np.asarray(close, dtype=float).reshape(-1)
    if prices.size == 0 or not np.all(prices > 0):
        raise DataError("return_forecasts needs positive prices (log returns)")
    lookback = positive_int("lookback", lookback)
    rows = np.asarray(test_rows, dtype=int).reshape(-1)
    if rows.size == 0 or np.any(np.diff(rows) <= 0) or rows[-1] >= prices.size:
        raise DataError(f"test_rows must be ascending positions below {prices.size}")
    if rows[0] <= 2 * lookback + 1:
        raise DataError(f"the first test row {rows[0]} leaves no training window; it must "
                        f"exceed 2 * lookback + 1 = {2 * lookback + 1}")
    returns = np.diff(np.log(prices))              # returns[j] is the return of row j + 1
    X, y = make_windows(returns, lookback=lookback)   # window i targets row i + lookback + 1
    first_target = lookback + 1
    train = slice(0, rows[0] - first_target)       # every target before the first test row
    X_train, y_train, X_test = X[train], y[train], X[rows - first_target]
    last = prices[rows - 1].reshape(-1, 1)
    mean_return = float(y_train.mean())
    forecasts = {
        "zero return": last * np.exp(np.zeros((rows.size, 1))),
        "last return": last * np.exp(naive_forecast(X_test)),
        "mean training return": last * np.exp(np.full((rows.size, 1), mean_return)),
        "linear on returns": last * np.exp(linear_forecast(X_train, y_train, X_test)),
    }
    return ReturnForecasts(forecasts, mean_return)


class ArimaForecast(NamedTuple):
    """Result of `arima_forecast`.

    Attributes
    ----------
    forecasts : numpy.ndarray
        One value per test value: ``forecasts[i]`` forecasts ``test[i]`` from
        ``train`` and ``test[:i]``.
    order : tuple of int
        The order ``(p, d, q)`` used (chosen by AIC on the training series unless given).
    aic : pandas.DataFrame
        AIC of every order tried on the training series (index p, columns q);
        a single cell when ``order`` was given.
    params : pandas.Series
        The parameters estimated on the training series, kept fixed over the test.
    redundant : dict
        The orders left out of the choice because an AR root and an MA root of
        their fit nearly coincide (order -> relative distance of the closest
        pair, see `common_root_distance`); empty when ``order`` was given.
    """

    forecasts: np.ndarray
    order: tuple[int, int, int]
    aic: object
    params: object
    redundant: dict = {}


def common_root_distance(ar: object, ma: object) -> float:
    """How close the nearest AR root lies to the nearest MA root, relative to its size.

    An ARMA model whose AR and MA polynomials share a root is over-parameterised:
    the common factor cancels, a smaller model gives the same forecasts, and the
    likelihood is flat along a ridge, so the estimates are not identified (the
    optimizer stops at a point its last digits of arithmetic decide: the book
    measured 1e-4 differences between CPUs for an ARIMA(2, 1, 2) of MSFT).

    Parameters
    ----------
    ar, ma : 1-D array-like
        The AR coefficients ``phi_1..phi_p`` and MA coefficients ``theta_1..theta_q``
        (statsmodels' ``arparams`` and ``maparams``: AR polynomial
        ``1 - phi_1 z - ...``, MA polynomial ``1 + theta_1 z + ...``).

    Returns
    -------
    float
        ``min |a - m| / max(|a|, |m|)`` over AR roots ``a`` and MA roots ``m``;
        ``inf`` when either polynomial has no root (p or q is 0).

    Examples
    --------
    >>> common_root_distance([0.5], [-0.5])        # (1 - 0.5 z) on both sides: they cancel
    0.0
    >>> round(common_root_distance([0.5], [0.3]), 3)
    1.6
    """
    ar = np.asarray(ar, dtype=float).ravel()
    ma = np.asarray(ma, dtype=float).ravel()
    ar_roots = np.roots(np.r_[1.0, -ar][::-1]) if ar.size else np.array([])
    ma_roots = np.roots(np.r_[1.0, ma][::-1]) if ma.size else np.array([])
    if not ar_roots.size or not ma_roots.size:
        return float("inf")
    gaps = np.abs(ar_roots[:, None] - ma_roots[None, :])
    sizes = np.maximum(np.abs(ar_roots)[:, None], np.abs(ma_roots)[None, :])
    return float((gaps / sizes).min())


def _fit_arima(series: np.ndarray, order: tuple[int, int, int], trend: str):
    from statsmodels.tsa.arima.model import ARIMA

    with warnings.catch_warnings():
        # Convergence and start-parameter warnings of small grids are noise here:
        # the AIC table shows how each order fitted.
        warnings.simplefilter("ignore")
        return ARIMA(series, order=order, trend=trend).fit()


def arima_forecast(
    train: object,
    test: object,
    order: tuple[int, int, int] | None = None,
    max_p: int = 2,
    max_q: int = 2,
    d: int = 1,
    trend: str = "n",
    redundant_tol: float = 0.1,
) -> ArimaForecast:
    """One-step ARIMA forecasts of ``test``, fitted on ``train`` only, with no look-ahead.

    1. If ``order`` is None, fit ARIMA(p, d, q) on ``train`` for every
       ``p <= max_p`` and ``q <= max_q`` and keep the order with the lowest AIC
       among those whose fit is identified: an order whose AR and MA roots nearly
       cancel (`common_root_distance` below ``redundant_tol``) is over-parameterised
       and left out (Box and Jenkins' parameter redundancy), because its AIC rests
       on estimates that the data do not determine. ARIMA(0, d, 0) always qualifies.
    2. Estimate that order's parameters on ``train`` (maximum likelihood,
       `statsmodels.tsa.arima.model.ARIMA`).
    3. Apply the fitted model, parameters fixed (``ARIMAResults.apply``, no
       refit), to ``train`` followed by ``test``, and take its one-step-ahead
       predictions for the test positions: the forecast of ``test[i]`` is the
       Kalman filter's prediction from the values before it only. No test value
       enters the order or the parameters.

    Parameters
    ----------
    train, test : 1-D array-like of floats (e.g. closing prices)
        Consecutive: ``test[0]`` follows ``train[-1]``.
    order : tuple of int, optional
        Skip the search and use this order ``(p, d, q)``.
    max_p, max_q : int, default 2
        The AIC search grid (``(max_p + 1) * (max_q + 1)`` fits).
    d : int, default 1
        Differences: 1 models the daily changes of a price (a random walk is
        ARIMA(0, 1, 0), whose forecast is the last value: the naive forecast).
    trend : str, default "n"
        statsmodels' trend argument; with ``d=1``, ``"t"`` adds a drift.
    redundant_tol : float, default 0.1
        Orders whose nearest AR and MA roots lie closer than this, relative to
        their size, are not chosen (they are listed in ``redundant``).

    Returns
    -------
    ArimaForecast
        ``(forecasts, order, aic, params)``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> y = 100 + rng.normal(size=300).cumsum()
    >>> result = arima_forecast(y[:250], y[250:], order=(0, 1, 0))
    >>> bool(np.allclose(result.forecasts, y[249:299]))   # a random walk: the last value
    True
    """
    from lstm_tutorial.windowing import as_1d

    tr, te = as_1d(train, "train"), as_1d(test, "test")
    for name, arr in (("train", tr), ("test", te)):
        if not np.isfinite(arr).all():
            raise DataError(f"{name} holds NaN or infinite values; repair or drop those rows first")
    if len(te) == 0:
        raise DataError("test is empty; pass the values to forecast")
    d = int(d)
    if d < 0:
        raise DataError(f"d={d} must be 0 or more")
    if order is None:
        max_p = int(max_p)
        max_q = int(max_q)
        if max_p < 0 or max_q < 0:
            raise DataError(f"max_p={max_p} and max_q={max_q} must be 0 or more")
        grid = [(p, d, q) for p in range(max_p + 1) for q in range(max_q + 1)]
    else:
        grid = [tuple(int(v) for v in order)]
        if len(grid[0]) != 3 or min(grid[0]) < 0:
            raise DataError(f"order={order!r} must be three non-negative integers (p, d, q)")
    need = 3 * (max(o[0] + o[2] for o in grid) + grid[0][1]) + 10
    if len(tr) < need:
        raise DataError(
            f"train has {len(tr)} values, too few to estimate these ARIMA orders "
            f"(need at least {need}); pass a longer training series"
        )

    fits, aic = {}, {}
    for o in grid:
        fits[o] = _fit_arima(tr, o, trend)
        aic[o] = float(fits[o].aic)
    redundant = {}
    if order is None:  # a chosen order must be identified: no AR root cancels an MA root
        for o in grid:
            gap = common_root_distance(fits[o].arparams, fits[o].maparams)
            if gap < redundant_tol:
                redundant[o] = gap
    candidates = [o for o in grid if o not in redundant]
    best = min(candidates, key=lambda o: aic[o])

    import pandas as pd

    table = pd.Series(aic).rename_axis(["p", "d", "q"]).droplevel("d").unstack("q")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        full = fits[best].apply(np.concatenate([tr, te]), refit=False)
        pred = np.asarray(full.predict(start=len(tr), end=len(tr) + len(te) - 1), dtype=float)
    params = pd.Series(np.asarray(fits[best].params, dtype=float),
                       index=list(fits[best].param_names), name="estimate")
    return ArimaForecast(pred, best, table, params, redundant)
