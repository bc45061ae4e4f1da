"""Sliding windows: turning a price table into (samples, time steps, features).

Sample ``i`` of ``make_windows(values, lookback=T, horizon=H)`` is::

    X[i] = values[i : i + T]                    # T rows, every feature
    y[i] = values[i + T : i + T + H, target]    # the next H rows of one column

so ``n`` rows give ``n - T - H + 1`` samples (``T=10`` on 1,000 rows: 990).
"""

from __future__ import annotations

from collections.abc import Hashable

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view

from lstm_tutorial.errors import DataError, positive_int

__all__ = ["as_1d", "as_2d", "make_windows", "make_windows_loop", "n_windows", "resolve_column"]


def as_1d(values: object, name: str = "values") -> np.ndarray:
    """Return ``values`` as a 1-D float array: one value per time step.

    A column ``(n, 1)`` (one horizon step of ``y``) is flattened; anything with
    more columns raises `DataError` that says to pick one step.

    Examples
    --------
    >>> as_1d(np.array([[1.0], [2.0]])).tolist()
    [1.0, 2.0]
    """
    arr = np.asarray(values, dtype=float)
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim != 1:
        raise DataError(
            f"{name} must be 1-D (one value per time step), got shape {arr.shape}; "
            "for horizon > 1 pass one step, e.g. y[:, 0]"
        )
    return arr


def as_2d(values: np.ndarray | pd.DataFrame | pd.Series) -> np.ndarray:
    """Return ``values`` as a 2-D array (rows, features) without copying when possible.

    A 1-D series becomes one feature column. Raises `DataError` for anything
    that is not 1-D or 2-D, or holds NaN.
    """
    arr = values.to_numpy() if isinstance(values, (pd.DataFrame, pd.Series)) else np.asarray(values)
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2:
        raise DataError(
            f"expected a 1-D series or a 2-D table (rows, features), got shape {arr.shape}; "
            "pass one row per time step and one column per feature"
        )
    if np.issubdtype(arr.dtype, np.floating) and np.isnan(arr).any():
        rows = np.flatnonzero(np.isnan(arr).any(axis=1))
        raise DataError(
            f"{rows.size} row(s) hold NaN (first at row {rows[0]}); windows would carry them "
            "into every sample that covers them. Drop or repair those rows first "
            "(load_prices(..., glitches='repair') does it with a report)"
        )
    return arr


def resolve_column(values: object, target_col: int | Hashable, n_features: int) -> int:
    """Turn a column name (for a DataFrame) or a position into a column position."""
    if isinstance(values, pd.DataFrame) and not isinstance(target_col, (int, np.integer)):
        if target_col not in values.columns:
            raise DataError(
                f"target column {target_col!r} is not in the table; "
                f"the columns are {list(values.columns)}"
            )
        return int(values.columns.get_loc(target_col))
    if isinstance(target_col, bool):
        raise DataError(f"target_col must be a column position (int), got {target_col!r}")
    if not isinstance(target_col, (int, np.integer)):
        raise DataError(
            f"target_col={target_col!r} is a name, but the values have no column names; "
            "pass a column position or a DataFrame"
        )
    if not -n_features <= target_col < n_features:
        raise DataError(
            f"target_col={target_col} is out of range for {n_features} feature(s); "
            f"use 0..{n_features - 1}"
        )
    return int(target_col) % n_features


def n_windows(n_rows: int, lookback: int, horizon: int = 1) -> int:
    """Number of (X, y) samples ``n_rows`` rows give: ``n_rows - lookback - horizon + 1``.

    Raises `DataError` when lookback or horizon is not a positive integer, or
    when the series is too short for a single window.

    Examples
    --------
    >>> n_windows(1000, lookback=10)
    990
    """
    lookback = positive_int("lookback", lookback)
    horizon = positive_int("horizon", horizon)
    count = n_rows - lookback - horizon + 1
    if count < 1:
        raise DataError(
            f"the series has {n_rows} rows, too short for one window of lookback={lookback} "
            f"plus horizon={horizon} (needs at least {lookback + horizon} rows); "
            "use a shorter lookback or horizon, or a longer date range"
        )
    return count


def make_windows(
    values: np.ndarray | pd.DataFrame | pd.Series,
    lookback: int,
    horizon: int = 1,
    target_col: int | Hashable = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """Cut a series into overlapping input windows and the values that follow them.

    Parameters
    ----------
    values : array-like, shape (n_rows,) or (n_rows, n_features)
        One row per time step, oldest first. A DataFrame's columns are features.
    lookback : int
        Time steps per input window (``T``).
    horizon : int, default 1
        How many future steps each target holds (``H``).
    target_col : int or column name, default 0
        The feature to predict.

    Returns
    -------
    X : ndarray, shape (n_rows - T - H + 1, T, n_features)
        ``X[i] = values[i:i+T]``. A read-only view of ``values`` (no copy) when
        ``values`` is a NumPy array; call ``X.copy()`` before writing to it.
    y : ndarray, shape (n_rows - T - H + 1, H)
        ``y[i] = values[i+T:i+T+H, target_col]``, also a read-only view.

    Examples
    --------
    >>> import numpy as np
    >>> X, y = make_windows(np.arange(1000.0), lookback=10)
    >>> X.shape, y.shape
    ((990, 10, 1), (990, 1))
    >>> X[0, :, 0].tolist() == list(range(10)), float(y[0, 0])
    (True, 10.0)
    """
    arr = as_2d(values)
    count = n_windows(len(arr), lookback, horizon)
    target = resolve_column(values, target_col, arr.shape[1])
    # sliding_window_view puts the window axis last: (n - T + 1, features, T).
    X = sliding_window_view(arr, lookback, axis=0)[:count].transpose(0, 2, 1)
    y = sliding_window_view(arr[lookback:, target], horizon)[:count]
    return X, y


def make_windows_loop(
    values: np.ndarray | pd.DataFrame | pd.Series,
    lookback: int,
    horizon: int = 1,
    target_col: int | Hashable = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """The Python-loop version found in most tutorials, written correctly.

    Same result as `make_windows`, built one sample at a time with copies.
    It is kept as the reference definition for the tests and the benchmark.
    """
    arr = as_2d(values)
    count = n_windows(len(arr), lookback, horizon)
    target = resolve_column(values, target_col, arr.shape[1])
    xs, ys = [], []
    for i in range(count):
        xs.append(arr[i : i + lookback])
        ys.append(arr[i + lookback : i + lookback + horizon, target])
    return np.array(xs), np.array(ys)
