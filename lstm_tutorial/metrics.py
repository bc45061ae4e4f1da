"""Forecast metrics, and a table that ranks models against the naive forecast.

Every function takes targets and predictions shaped like ``y`` from
`lstm_tutorial.windowing.make_windows`: ``(samples,)`` or ``(samples, horizon)``.
With ``horizon > 1`` the errors are pooled over all steps; pass one column
(``y[:, h]``) to score a single step. Compute metrics on prices (after
`lstm_tutorial.preprocessing.inverse_target`), not on scaled values, so that
RMSE and MAE are in the price's currency.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from sklearn.metrics import (
    mean_absolute_error,
    mean_absolute_percentage_error,
    root_mean_squared_error,
)

from lstm_tutorial.errors import DataError, positive_int

__all__ = [
    "COMPARE_COLUMNS",
    "compare",
    "direction_accuracy",
    "mae",
    "mape",
    "mase",
    "rmse",
    "skill_vs_naive",
]

COMPARE_COLUMNS = ["RMSE", "MAE", "MAPE %", "direction accuracy", "skill vs naive"]


def _as_targets(values: object, name: str) -> np.ndarray:
    """A float array of shape (samples, horizon); (samples,) becomes one column."""
    arr = np.asarray(values, dtype=float)
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2 or arr.size == 0:
        raise DataError(
            f"{name} must be a non-empty array of shape (samples,) or (samples, horizon), "
            f"got shape {arr.shape}"
        )
    if not np.isfinite(arr).all():
        raise DataError(
            f"{name} holds NaN or infinite values (first at sample "
            f"{np.flatnonzero(~np.isfinite(arr).all(axis=1))[0]}); metrics need finite numbers"
        )
    return arr


def _pair(y_true: object, y_pred: object, pred_name: str = "y_pred") -> tuple[np.ndarray, ...]:
    """Validate two aligned arrays and return them flattened (all steps pooled)."""
    t = _as_targets(y_true, "y_true")
    p = _as_targets(y_pred, pred_name)
    if t.shape != p.shape:
        raise DataError(
            f"y_true has shape {t.shape} but {pred_name} has {p.shape}; predictions must be "
            "aligned with the targets, one row per sample and one column per horizon step"
        )
    return t.ravel(), p.ravel()


def rmse(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Root mean squared error, in the units of ``y`` (pooled over horizon steps).

    Uses `sklearn.metrics.root_mean_squared_error`.

    Examples
    --------
    >>> rmse([1.0, 2.0, 3.0], [1.0, 2.0, 5.0])  # sqrt(4 / 3)
    1.1547005383792515
    """
    t, p = _pair(y_true, y_pred)
    return float(root_mean_squared_error(t, p))


def mae(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Mean absolute error, in the units of ``y`` (pooled over horizon steps).

    Uses `sklearn.metrics.mean_absolute_error`.

    Examples
    --------
    >>> mae([1.0, 2.0, 3.0], [2.0, 2.0, 5.0])
    1.0
    """
    t, p = _pair(y_true, y_pred)
    return float(mean_absolute_error(t, p))


def mape(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Mean absolute percentage error, **in percent** (``100 * mean(|y - p| / |y|)``).

    Uses `sklearn.metrics.mean_absolute_percentage_error` (which returns a
    fraction) and multiplies by 100. Undefined when an actual value is 0:
    raises `DataError` then (use MAE instead, e.g. for volumes).

    Examples
    --------
    >>> round(mape([100.0, 200.0], [110.0, 190.0]), 6)  # (10% + 5%) / 2
    7.5
    """
    t, p = _pair(y_true, y_pred)
    if np.any(t == 0):
        raise DataError(
            f"MAPE divides by the actual values and {int(np.sum(t == 0))} of them are 0; "
            "use mae() or rmse() for this series"
        )
    return float(100.0 * mean_absolute_percentage_error(t, p))


def direction_accuracy(
    y_true: np.ndarray, y_pred: np.ndarray, last_observed: np.ndarray
) -> float:
    """Share of forecasts that get the direction of the move right.

    The direction of a forecast is ``sign(y_pred - last_observed)``, the
    actual direction is ``sign(y_true - last_observed)``, where
    ``last_observed`` is the last value of the target inside each input
    window (``X[:, -1, target_col]``, i.e. the naive forecast).

    Zero changes:

    - samples whose **actual** change is exactly 0 (a flat day) have no
      direction to get right and are left out of the share;
    - a **predicted** change of exactly 0 calls no direction and counts as
      wrong. The naive forecast therefore scores 0.0; the reference point is
      a coin (about 0.5) or "always up" (the share of up moves).

    Parameters
    ----------
    y_true, y_pred : array, shape (samples,) or (samples, horizon)
    last_observed : array, shape (samples,) or (samples, 1)
        Compared with every horizon step of its sample.

    Returns
    -------
    float in [0, 1]

    Examples
    --------
    Sample 1 is right, 2 is wrong, 3 is flat (left out), 4 predicts no move (wrong):

    >>> direction_accuracy([11.0, 9.0, 10.0, 12.0], [10.5, 10.5, 11.0, 10.0],
    ...                    last_observed=[10.0, 10.0, 10.0, 10.0])  # 1 of 3
    0.3333333333333333
    """
    t = _as_targets(y_true, "y_true")
    p = _as_targets(y_pred, "y_pred")
    last = _as_targets(last_observed, "last_observed")
    if t.shape != p.shape or last.shape != (len(t), 1):
        raise DataError(
            f"shapes do not line up: y_true {t.shape}, y_pred {p.shape}, last_observed "
            f"{last.shape}; pass one last observed value per sample (X[:, -1, target_col])"
        )
    true_dir = np.sign(t - last)
    pred_dir = np.sign(p - last)
    moved = true_dir != 0
    if not moved.any():
        raise DataError(
            "no sample has a nonzero actual change, so direction accuracy is undefined"
        )
    return float(np.mean(pred_dir[moved] == true_dir[moved]))


def skill_vs_naive(y_true: np.ndarray, y_pred: np.ndarray, y_naive: np.ndarray) -> float:
    """Skill score ``1 - RMSE(model) / RMSE(naive)``.

    Positive: the model beats the naive forecast (1 is perfect); 0: no better;
    negative: worse than predicting the last observed value.

    Examples
    --------
    >>> skill_vs_naive([1.0, 2.0], [2.0, 3.0], y_naive=[3.0, 4.0])  # 1 - 1/2
    0.5
    """
    model_error = rmse(y_true, y_pred)
    t, n = _pair(y_true, y_naive, "y_naive")
    naive_error = float(root_mean_squared_error(t, n))
    if naive_error == 0:
        raise DataError("the naive forecast is exact (RMSE 0), so skill is undefined")
    return 1.0 - model_error / naive_error


def compare(
    predictions: Mapping[str, np.ndarray],
    y_true: np.ndarray,
    last_observed: np.ndarray | None = None,
    *,
    naive: np.ndarray | None = None,
    naive_name: str = "naive",
) -> pd.DataFrame:
    """Rank forecasts of one test span: RMSE, MAE, MAPE %, direction accuracy, skill.

    Parameters
    ----------
    predictions : dict name -> array, shape (samples,) or (samples, horizon)
        Every model's predictions, aligned with ``y_true`` (in prices).
    y_true : array, shape (samples,) or (samples, horizon)
    last_observed : array, shape (samples,), optional
        The last value of the target in each input window. Needed for direction
        accuracy; the naive forecast is this value repeated over the horizon.
    naive : array, optional
        The naive forecast, if you have it rather than ``last_observed``; then
        ``last_observed`` defaults to its first column. Give at least one of the two.
    naive_name : str, default "naive"
        Row name of the naive forecast. It is added unless ``predictions``
        already has a row of that name.

    Returns
    -------
    DataFrame
        One row per model (index "model"), sorted by RMSE (best first), with
        columns "RMSE", "MAE" (units of ``y``), "MAPE %" (percent),
        "direction accuracy" (0..1, see `direction_accuracy`; NaN, i.e. n/a, for
        a forecast that never calls a move, such as the naive one) and
        "skill vs naive" (``1 - RMSE / RMSE_naive``).

    Examples
    --------
    >>> import numpy as np
    >>> y = np.array([101.0, 103.0, 102.0, 104.0])
    >>> last = np.array([100.0, 101.0, 103.0, 102.0])
    >>> table = compare({"good": y + 0.5}, y, last)
    >>> table.index.tolist(), round(float(table.loc["good", "skill vs naive"]), 3)
    (['good', 'naive'], 0.684)
    """
    if not isinstance(predictions, Mapping) or not predictions:
        raise DataError("predictions must be a non-empty dict: model name -> predictions")
    t = _as_targets(y_true, "y_true")
    if naive is None and last_observed is None:
        raise DataError(
            "compare needs the naive forecast: pass last_observed (X[:, -1, target_col] in "
            "prices) or naive"
        )
    if naive is None:
        last = _as_targets(last_observed, "last_observed")
        if last.shape != (len(t), 1):
            raise DataError(
                f"last_observed has shape {last.shape}; expected one value per sample "
                f"({len(t)})"
            )
        naive_arr = np.repeat(last, t.shape[1], axis=1)
    else:
        naive_arr = _as_targets(naive, "naive")
        _pair(t, naive_arr, "naive")
        last = (
            naive_arr[:, :1]
            if last_observed is None
            else _as_targets(last_observed, "last_observed")
        )

    models = dict(predictions)
    models.setdefault(naive_name, naive_arr)
    rows = {}
    for name, pred in models.items():
        p = _as_targets(pred, f"predictions[{name!r}]")
        _pair(t, p, f"predictions[{name!r}]")
        calls_a_move = bool(np.any(p != last))
        rows[name] = {
            "RMSE": rmse(t, p),
            "MAE": mae(t, p),
            "MAPE %": mape(t, p),
            # a forecast that never calls a move (the naive one) has no direction: NaN
            "direction accuracy": direction_accuracy(t, p, last) if calls_a_move else np.nan,
            "skill vs naive": skill_vs_naive(t, p, naive_arr),
        }
    table = pd.DataFrame.from_dict(rows, orient="index", columns=COMPARE_COLUMNS)
    table.index.name = "model"
    return table.sort_values("RMSE", kind="stable")


def mase(y_true: np.ndarray, y_pred: np.ndarray, y_train: np.ndarray, m: int = 1) -> float:
    """Mean absolute scaled error: MAE of the forecast / in-sample MAE of the naive forecast.

    The scale is the mean of ``|y_train[t] - y_train[t - m]|`` over the training
    series: the error of the one-step naive forecast (seasonal naive with lag
    ``m``) in sample (Hyndman & Koehler 2006). The scale comes from the
    training span, the errors from the test span: on price levels a calmer or
    more volatile test span moves every model's MASE, the naive forecast's
    included, so compare a model's MASE with the naive forecast's MASE on the
    same span, not with 1. The scale is one-step even for multi-step
    forecasts, so a naive forecast 5 days ahead usually scores above 1.

    Parameters
    ----------
    y_true, y_pred : array, shape (samples,) or (samples, horizon)
        Pooled over horizon steps, like `lstm_tutorial.metrics.mae`.
    y_train : array, shape (n,) or (n, 1)
        The training series in the units of ``y_true`` (e.g. the training
        part of the closing prices). Needs more than ``m`` points.
    m : int, default 1
        Lag of the naive forecast (1: yesterday's value; 5: same weekday last week).

    Examples
    --------
    >>> mase([16.0, 15.0], [15.0, 17.0], y_train=[10.0, 12.0, 11.0, 15.0, 14.0])  # 1.5 / 2
    0.75
    """
    m = positive_int("m", m, "the lag of the naive forecast: 1 for yesterday's value")
    train = np.asarray(y_train, dtype=float)
    if train.ndim == 2 and train.shape[1] == 1:
        train = train[:, 0]
    if train.ndim != 1:
        raise DataError(
            f"y_train must be the training series, 1-D (one value per time step), got shape "
            f"{train.shape}; pass the training prices, e.g. the training part of Close"
        )
    if not np.isfinite(train).all():
        raise DataError("y_train holds NaN or infinite values; MASE needs finite numbers")
    if len(train) <= m:
        raise DataError(
            f"y_train has {len(train)} points but the lag-{m} naive forecast needs more than "
            f"m={m}; pass the whole training series"
        )
    scale = float(np.mean(np.abs(train[m:] - train[:-m])))
    if scale == 0:
        raise DataError(
            f"y_train is unchanged at every lag-{m} step, so the naive forecast's in-sample "
            "MAE is 0 and MASE is undefined; use mae() or a longer training series"
        )
    return mae(y_true, y_pred) / scale
