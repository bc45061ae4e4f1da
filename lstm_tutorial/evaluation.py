"""Walk-forward evaluation, and the lag diagnostic that exposes "lagged" predictions.

One train/test split is one draw: a model can look good on one year by luck.
Walk-forward evaluation repeats the split along the series. Each fold trains
on the rows before its test span only (all of them: "expanding", or the most
recent ``train_size``: "rolling"), refits the scaler and the model on those
rows, and predicts the next ``test_size`` rows. Test spans are disjoint,
ordered in time, and always after their training rows.

The lag diagnostic answers the question behind most impressive-looking price
charts: is the prediction just yesterday's price?
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Literal, NamedTuple

import numpy as np
import pandas as pd

from lstm_tutorial.errors import DataError, positive_int
from lstm_tutorial.metrics import rmse
from lstm_tutorial.preprocessing import Split, fit_scaler, inverse_target, make_split_windows
from lstm_tutorial.windowing import as_1d, as_2d, resolve_column

__all__ = [
    "Fold",
    "LagResult",
    "lag_diagnostic",
    "walk_forward_evaluate",
    "walk_forward_splits",
]

FitPredict = Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]


class Fold(NamedTuple):
    """One walk-forward fold: row positions of its training and test spans."""

    fold: int
    train: range
    test: range


def walk_forward_splits(
    n_rows: int,
    n_folds: int = 5,
    test_size: int | None = None,
    mode: Literal["expanding", "rolling"] = "expanding",
    train_size: int | None = None,
    lookback: int = 0,
    horizon: int = 1,
) -> list[Fold]:
    """Row ranges of walk-forward folds: train on the past, test on the next block.

    The last ``n_folds * test_size`` rows are cut into ``n_folds`` consecutive
    test blocks (the same test blocks as `sklearn.model_selection.TimeSeriesSplit`).
    Fold ``k`` trains on rows before its test block: all of them
    (``mode="expanding"``) or the last ``train_size`` (``mode="rolling"``).

    Parameters
    ----------
    n_rows : int
        Length of the series.
    n_folds : int, default 5
    test_size : int, optional
        Rows per test block; default ``n_rows // (n_folds + 1)``.
    mode : "expanding" or "rolling"
    train_size : int, optional
        Rolling mode only: training rows per fold; default the rows before
        the first test block, so every fold trains on as many rows.
    lookback, horizon : int
        Window sizes; checked so that every training span gives at least one
        window and every test block at least one target.

    Returns
    -------
    list of `Fold` ``(fold, train, test)``, ``train`` and ``test`` as ``range``
    objects of row positions, ``train.stop <= test.start``.

    Examples
    --------
    >>> for f in walk_forward_splits(100, n_folds=3, test_size=10):
    ...     print(f.fold, f.train, f.test)
    0 range(0, 70) range(70, 80)
    1 range(0, 80) range(80, 90)
    2 range(0, 90) range(90, 100)
    >>> [f.train for f in walk_forward_splits(100, 3, 10, mode="rolling", train_size=50)]
    [range(20, 70), range(30, 80), range(40, 90)]
    """
    n_rows = positive_int("n_rows", n_rows)
    n_folds = positive_int("n_folds", n_folds)
    horizon = positive_int("horizon", horizon)
    if isinstance(lookback, bool) or not isinstance(lookback, (int, np.integer)) or lookback < 0:
        raise DataError(f"lookback must be a non-negative integer, got {lookback!r}")
    if test_size is None:
        test_size = n_rows // (n_folds + 1)
    test_size = positive_int("test_size", test_size)
    if mode not in ("expanding", "rolling"):
        raise DataError(f"mode must be 'expanding' or 'rolling', got {mode!r}")
    if test_size < horizon:
        raise DataError(
            f"test_size={test_size} is shorter than the horizon ({horizon}): no test target "
            "would fit in a block; use a larger test_size"
        )
    first_test = n_rows - n_folds * test_size
    if mode == "rolling":
        train_size = first_test if train_size is None else positive_int("train_size", train_size)
        if train_size > first_test:
            raise DataError(
                f"train_size={train_size} is longer than the rows before the first test block "
                f"({first_test}); use fewer or shorter folds, or a smaller train_size"
            )
    elif train_size is not None:
        raise DataError("train_size applies to mode='rolling' only; drop it or set the mode")
    min_train = lookback + horizon
    first_train = first_test if mode == "expanding" else train_size
    if first_train < max(min_train, 1):
        raise DataError(
            f"{n_folds} folds of {test_size} test rows leave {max(first_train, 0)} training "
            f"row(s) in the first fold; at least lookback + horizon = {min_train} are needed "
            "for one training window. Use fewer folds, a smaller test_size or more data"
        )
    folds = []
    for k in range(n_folds):
        start = first_test + k * test_size
        train_start = 0 if mode == "expanding" else start - train_size
        folds.append(Fold(k, range(train_start, start), range(start, start + test_size)))
    return folds


def _label(index: pd.Index | None, pos: int):
    return pos if index is None else index[pos]


def walk_forward_evaluate(
    values: np.ndarray | pd.DataFrame | pd.Series,
    lookback: int,
    fit_predict: FitPredict,
    n_folds: int = 5,
    test_size: int | None = None,
    mode: Literal["expanding", "rolling"] = "expanding",
    train_size: int | None = None,
    scaler_kind: str = "minmax",
    target_col: int | Hashable = 0,
    horizon: int = 1,
    return_predictions: bool = False,
) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """Walk forward through a series: refit scaler and model per fold, score each test block.

    For each fold of `walk_forward_splits`:

    1. fit a scaler (`lstm_tutorial.preprocessing.fit_scaler`) on the fold's
       training rows only, and scale the training and test rows with it;
    2. cut windows with `lstm_tutorial.preprocessing.make_split_windows`:
       training windows have all targets inside the training rows; test
       windows may take their inputs from the rows just before the test block
       (known at prediction time) but all their targets lie inside it;
    3. call ``fit_predict(X_train, y_train, X_test)`` (scaled arrays) for
       the scaled predictions, shape ``(test samples, horizon)``;
    4. undo the scaling of the target and score against the actual prices,
       next to the naive forecast (last observed price).

    Parameters
    ----------
    values : DataFrame (date index), Series or array, oldest row first
        Unscaled; every column is a feature.
    lookback : int
        Input window length.
    fit_predict : callable ``(X_train, y_train, X_test) -> y_pred``
        Builds and trains a fresh model each call. For example
        `lstm_tutorial.baselines.linear_forecast`, or
        ``lambda X, y, Xt: naive_forecast(Xt)``, or a function that builds,
        fits and predicts with a small Keras model.
    n_folds, test_size, mode, train_size
        As in `walk_forward_splits`.
    scaler_kind : "minmax" or "standard"
    target_col : int or column name, default 0
    horizon : int, default 1
    return_predictions : bool, default False
        Also return every prediction (long format, see below).

    Returns
    -------
    DataFrame
        One row per fold: "fold", "train start", "train end", "test start",
        "test end" (first and last dates of each span, inclusive; row positions
        if ``values`` has no date index), "train samples", "test samples",
        "RMSE model", "RMSE naive" (price units), "skill" (``1 - model/naive``).
    (DataFrame, DataFrame), if ``return_predictions``
        The second has one row per test target and horizon step, indexed by
        the target's date (or row), with columns "fold", "step" (1-based),
        "actual", "predicted", "naive".

    Examples
    --------
    >>> import numpy as np
    >>> from lstm_tutorial.baselines import linear_forecast
    >>> from bokeh_sampledata.stocks import AAPL  # real daily AAPL closes
    >>> close = np.array(AAPL["close"][-300:])
    >>> table = walk_forward_evaluate(close, lookback=5, fit_predict=linear_forecast,
    ...                               n_folds=3, test_size=50)
    >>> table["test start"].tolist(), table["test end"].tolist(), table["test samples"].tolist()
    ([150, 200, 250], [199, 249, 299], [50, 50, 50])
    """
    arr = as_2d(values).astype(float, copy=False)
    target = resolve_column(values, target_col, arr.shape[1])
    index = values.index if isinstance(values, (pd.DataFrame, pd.Series)) else None
    if not callable(fit_predict):
        raise DataError("fit_predict must be a function (X_train, y_train, X_test) -> y_pred")
    folds = walk_forward_splits(
        len(arr), n_folds, test_size, mode, train_size, lookback=lookback, horizon=horizon
    )
    rows, predictions = [], []
    for fold in folds:
        start, mid, stop = fold.train.start, fold.test.start, fold.test.stop
        raw = arr[start:stop]
        scaler = fit_scaler(arr[start:mid], kind=scaler_kind)
        scaled = scaler.transform(raw)
        split = Split(data=scaled, train_end=mid - start, val_end=mid - start)
        # walk_forward_splits guarantees lookback + horizon training rows and
        # horizon test rows, and make_split_windows raises for a short span.
        windows = make_split_windows(scaled, split, lookback, horizon, target)
        train_w, test_w = windows["train"], windows["test"]
        y_pred_scaled = np.asarray(fit_predict(train_w.X, train_w.y, test_w.X), dtype=float)
        if y_pred_scaled.size != test_w.y.size:
            raise DataError(
                f"fit_predict returned shape {y_pred_scaled.shape} in fold {fold.fold}; "
                f"expected {test_w.y.shape} (test samples, horizon)"
            )
        y_pred = inverse_target(scaler, y_pred_scaled.reshape(test_w.y.shape), target)
        rows_idx = test_w.target_rows[:, None] + np.arange(horizon)[None, :]
        y_true = raw[rows_idx, target]
        last = raw[test_w.target_rows - 1, target]
        y_naive = np.repeat(last[:, None], horizon, axis=1)
        model_rmse, naive_rmse = rmse(y_true, y_pred), rmse(y_true, y_naive)
        rows.append(
            {
                "fold": fold.fold,
                "train start": _label(index, start),
                "train end": _label(index, mid - 1),
                "test start": _label(index, mid),
                "test end": _label(index, stop - 1),
                "train samples": len(train_w.y),
                "test samples": len(test_w.y),
                "RMSE model": model_rmse,
                "RMSE naive": naive_rmse,
                "skill": 1.0 - model_rmse / naive_rmse if naive_rmse > 0 else np.nan,
            }
        )
        if return_predictions:
            positions = (rows_idx + start).ravel()
            predictions.append(
                pd.DataFrame(
                    {
                        "fold": fold.fold,
                        "step": np.tile(np.arange(1, horizon + 1), len(y_true)),
                        "actual": y_true.ravel(),
                        "predicted": y_pred.ravel(),
                        "naive": y_naive.ravel(),
                    },
                    index=index[positions] if index is not None else pd.Index(positions),
                )
            )
    table = pd.DataFrame(rows)
    if not return_predictions:
        return table
    preds = pd.concat(predictions)
    preds.index.name = index.name if index is not None and index.name else "row"
    return table, preds


class LagResult(NamedTuple):
    """Result of `lag_diagnostic`.

    Attributes
    ----------
    best_lag : int
        The shift ``k`` with the highest correlation. ``k = 1``: the prediction
        behaves like the actual one step earlier (yesterday's price).
    correlations : Series
        Correlation for every ``k`` in ``-max_lag..max_lag`` (index "lag").
    on : str
        "changes" or "levels": what was correlated.
    """

    best_lag: int
    correlations: pd.Series
    on: str


def lag_diagnostic(
    actual: np.ndarray | pd.Series,
    predicted: np.ndarray | pd.Series,
    max_lag: int = 5,
    on: Literal["changes", "levels"] = "changes",
) -> LagResult:
    """Find the shift ``k`` at which the prediction best matches the actual series.

    For each ``k`` in ``-max_lag..max_lag`` it computes the Pearson correlation
    between ``predicted[t]`` and ``actual[t - k]`` over the overlapping ``t``.
    A prediction that is the actual shifted by one step (``predicted[t] =
    actual[t - 1]``, the naive forecast) peaks at ``k = 1``; a perfect
    prediction peaks at ``k = 0``.

    Why changes, by default: on price *levels* every small shift correlates
    about 0.99 (a price is close to its neighbours), so the peak is flat and
    tells little. On first differences (day-to-day changes, ``on="changes"``)
    the peak is sharp, so the lagged-prediction illusion shows clearly as
    ``k = 1``. Use ``on="levels"`` to show why levels mislead.

    Parameters
    ----------
    actual, predicted : 1-D arrays of the same length, aligned in time
        One horizon step only (pass ``y[:, 0]``, not a 2-D ``y``).
    max_lag : int, default 5
    on : "changes" (default) or "levels"

    Returns
    -------
    LagResult
        ``(best_lag, correlations, on)``.

    Examples
    --------
    >>> import numpy as np
    >>> from bokeh_sampledata.stocks import AAPL  # real daily AAPL closes
    >>> close = np.array(AAPL["close"][-250:])
    >>> lag_diagnostic(close[1:], close[:-1]).best_lag   # yesterday's price
    1
    >>> lag_diagnostic(close, close).best_lag            # perfect prediction
    0
    """
    a = _series_1d(actual, "actual")
    p = _series_1d(predicted, "predicted")
    if len(a) != len(p):
        raise DataError(
            f"actual has {len(a)} values and predicted {len(p)}; pass aligned series "
            "(prediction i for target i)"
        )
    max_lag = positive_int("max_lag", max_lag)
    if on == "changes":
        a, p = np.diff(a), np.diff(p)
    elif on != "levels":
        raise DataError(f"on must be 'changes' or 'levels', got {on!r}")
    if len(a) - max_lag < 3:
        raise DataError(
            f"{len(a)} values are too few for shifts up to {max_lag}; "
            "use a smaller max_lag or a longer test span"
        )
    lags = np.arange(-max_lag, max_lag + 1)
    corr = []
    for k in lags:
        if k >= 0:
            x, y = p[k:], a[: len(a) - k]
        else:
            x, y = p[: len(p) + k], a[-k:]
        corr.append(_pearson(x, y))
    table = pd.Series(corr, index=pd.Index(lags, name="lag"), name="correlation")
    if table.isna().all():
        raise DataError(
            f"the {'changes of the ' if on == 'changes' else ''}prediction or the actual "
            "series are constant, so no correlation is defined"
        )
    return LagResult(int(table.idxmax()), table, on)


def _series_1d(values: object, name: str) -> np.ndarray:
    arr = as_1d(values, name)
    if not np.isfinite(arr).all():
        raise DataError(f"{name} holds NaN or infinite values; drop them first")
    return arr


def _pearson(x: np.ndarray, y: np.ndarray) -> float:
    x, y = x - x.mean(), y - y.mean()
    denom = np.sqrt((x * x).sum() * (y * y).sum())
    return float((x * y).sum() / denom) if denom > 0 else float("nan")
