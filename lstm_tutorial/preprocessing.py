"""Chronological splits, scalers fitted on the training span, split-aware windows.

The rule of the whole book: anything learned from data (a scaler's min and max,
a mean, a model) is learned from the training span only, then applied to the
later spans. Windows of a later span may look back into the span before it
(that past is known at prediction time), but never take a target from another span.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.preprocessing import MinMaxScaler, StandardScaler
from sklearn.utils.validation import check_is_fitted

from lstm_tutorial.errors import DataError
from lstm_tutorial.windowing import as_2d, make_windows, resolve_column

__all__ = [
    "WindowScale",
    "denormalize_forecast",
    "normalize_windows",
    "MeanRangeScaler",
    "Split",
    "WindowSet",
    "chronological_split",
    "fit_scaler",
    "inverse_target",
    "make_split_windows",
]

SPANS = ("train", "val", "test")


@dataclass(frozen=True)
class Split:
    """A chronological split of one table into train, validation and test spans.

    Attributes
    ----------
    data : DataFrame or ndarray
        The whole table, oldest row first.
    train_end : int
        Row position where training ends: train is ``[0, train_end)``.
    val_end : int
        Row position where validation ends: validation is
        ``[train_end, val_end)`` and test ``[val_end, n)``.
    """

    data: pd.DataFrame | np.ndarray
    train_end: int
    val_end: int

    def bounds(self, span: str) -> tuple[int, int]:
        """Row positions ``(start, stop)`` of ``span`` ("train", "val" or "test")."""
        n = len(self.data)
        table = {"train": (0, self.train_end), "val": (self.train_end, self.val_end),
                 "test": (self.val_end, n)}
        if span not in table:
            raise DataError(f"unknown span {span!r}; use one of {SPANS}")
        return table[span]

    def _rows(self, span: str):
        start, stop = self.bounds(span)
        if isinstance(self.data, (pd.DataFrame, pd.Series)):
            return self.data.iloc[start:stop]
        return self.data[start:stop]

    @property
    def train(self):
        """The training rows."""
        return self._rows("train")

    @property
    def val(self):
        """The validation rows (may be empty)."""
        return self._rows("val")

    @property
    def test(self):
        """The test rows."""
        return self._rows("test")

    def sizes(self) -> dict[str, int]:
        """Rows per span."""
        return {s: self.bounds(s)[1] - self.bounds(s)[0] for s in SPANS}

    def __repr__(self) -> str:
        parts = []
        for s in SPANS:
            start, stop = self.bounds(s)
            label = f"{s}={stop - start}"
            if isinstance(self.data, (pd.DataFrame, pd.Series)) and stop > start:
                idx = self.data.index
                label += f" [{_fmt(idx[start])}..{_fmt(idx[stop - 1])}]"
            parts.append(label)
        return f"Split({', '.join(parts)})"


def _fmt(value) -> str:
    return value.strftime("%Y-%m-%d") if hasattr(value, "strftime") else str(value)


def chronological_split(
    data: pd.DataFrame | np.ndarray,
    train: float | str | pd.Timestamp = 0.7,
    val: float | str | pd.Timestamp = 0.0,
) -> Split:
    """Split rows in time order: the oldest for training, then validation, then test.

    Parameters
    ----------
    data : DataFrame (date index) or array, oldest row first
    train : float or date
        A fraction of the rows (``0.7``), or the first date that is *not*
        training any more (the start of validation, or of test when ``val`` is 0).
    val : float or date
        A fraction of the rows for validation (``0.0`` for none), or the first
        date of the test span.

    Returns
    -------
    Split

    Examples
    --------
    >>> import numpy as np
    >>> chronological_split(np.arange(100), train=0.7, val=0.1).sizes()
    {'train': 70, 'val': 10, 'test': 20}
    """
    n = len(data)
    if n == 0:
        raise DataError("cannot split an empty table; load some rows first")
    by_date = not isinstance(train, (int, float)) or not isinstance(val, (int, float))
    if by_date:
        if not isinstance(getattr(data, "index", None), pd.DatetimeIndex):
            raise DataError("splitting by date needs a DataFrame with a DatetimeIndex")
        idx = data.index
        train_end = int(idx.searchsorted(pd.Timestamp(train)))
        val_end = train_end if val in (0, 0.0, None) else int(idx.searchsorted(pd.Timestamp(val)))
    else:
        if not (0 < train < 1) or not (0 <= val < 1) or train + val >= 1:
            raise DataError(
                f"fractions train={train}, val={val} must be in (0, 1) and sum below 1 "
                "so that a test span remains"
            )
        train_end = int(round(n * train))
        val_end = int(round(n * (train + val)))
    if not 0 < train_end <= val_end < n:
        raise DataError(
            f"the split leaves an empty span (train ends at row {train_end}, validation at "
            f"{val_end}, of {n} rows); move the split points inside the data"
        )
    return Split(data=data, train_end=train_end, val_end=val_end)


class MeanRangeScaler(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Scale each column as ``(x - mean) / (max - min)``, statistics from `fit`.

    The normalisation of many stock-LSTM tutorials (the 0050 example among
    them), as a scikit-learn transformer, so that it can be fitted on the
    training rows only and then applied unchanged to every span. scikit-learn
    has no such scaler: it centres like `StandardScaler` and divides by the
    range like `MinMaxScaler`.

    Attributes
    ----------
    mean_ : ndarray
        Column means of the training rows.
    range_ : ndarray
        Column ranges (max - min) of the training rows.

    Examples
    --------
    >>> s = MeanRangeScaler().fit(np.array([[0.0], [2.0], [4.0]]))
    >>> s.transform(np.array([[2.0], [6.0]])).ravel().tolist()
    [0.0, 1.0]
    """

    def fit(self, X, y=None):
        """Learn the column means and ranges of ``X``."""
        X = as_2d(X).astype(float)
        self.mean_ = X.mean(axis=0)
        self.range_ = X.max(axis=0) - X.min(axis=0)
        flat = np.flatnonzero(self.range_ == 0)
        if flat.size:
            raise DataError(
                f"column(s) {flat.tolist()} are constant in the training rows, so their "
                "range is 0; drop them or use a longer training span"
            )
        self.n_features_in_ = X.shape[1]
        return self

    def transform(self, X):
        """``(X - mean_) / range_``."""
        check_is_fitted(self, "mean_")
        return (as_2d(X).astype(float) - self.mean_) / self.range_

    def inverse_transform(self, X):
        """``X * range_ + mean_``."""
        check_is_fitted(self, "mean_")
        return as_2d(X).astype(float) * self.range_ + self.mean_


def fit_scaler(train: pd.DataFrame | np.ndarray, kind: str = "minmax", **kwargs):
    """Fit a scikit-learn scaler on the training rows only.

    Parameters
    ----------
    train : the training span (rows × features)
    kind : "minmax" (`MinMaxScaler`, default range 0..1), "standard" (`StandardScaler`)
        or "mean_range" (`MeanRangeScaler`: ``(x - mean) / (max - min)``)
    **kwargs : passed to the scaler, e.g. ``feature_range=(-1, 1)``

    Returns
    -------
    A fitted scaler; call ``scaler.transform(...)`` on every span.

    Examples
    --------
    >>> import numpy as np
    >>> s = fit_scaler(np.array([[1.0], [3.0]]))
    >>> s.transform(np.array([[2.0], [5.0]])).ravel().tolist()
    [0.5, 2.0]
    """
    scalers = {"minmax": MinMaxScaler, "standard": StandardScaler, "mean_range": MeanRangeScaler}
    if kind not in scalers:
        raise DataError(f"unknown scaler kind {kind!r}; use one of {sorted(scalers)}")
    rows = as_2d(train)
    if len(rows) < 2:
        raise DataError("a scaler needs at least 2 training rows")
    scaler = scalers[kind](**kwargs)
    # Fit on arrays so transform() accepts arrays and frames alike without warnings.
    return scaler.fit(rows)


def inverse_target(scaler, y: np.ndarray, target_col: int = 0) -> np.ndarray:
    """Undo a fitted scaler for one column (the target) of a multi-feature table.

    ``scaler.inverse_transform`` wants every feature; the model predicts only
    the target. This applies the target column's own scale and offset.

    Parameters
    ----------
    scaler : a fitted MinMaxScaler, StandardScaler or MeanRangeScaler
    y : array of scaled target values, any shape
    target_col : the target's column position in the table the scaler saw

    Examples
    --------
    >>> import numpy as np
    >>> s = fit_scaler(np.array([[10.0, 0.0], [20.0, 1.0]]))
    >>> inverse_target(s, np.array([0.0, 0.5, 1.0])).tolist()
    [10.0, 15.0, 20.0]
    """
    y = np.asarray(y, dtype=float)
    if isinstance(scaler, MinMaxScaler):
        return (y - scaler.min_[target_col]) / scaler.scale_[target_col]
    if isinstance(scaler, StandardScaler):
        scale = 1.0 if scaler.scale_ is None else scaler.scale_[target_col]
        mean = 0.0 if scaler.mean_ is None else scaler.mean_[target_col]
        return y * scale + mean
    if isinstance(scaler, MeanRangeScaler):
        return y * scaler.range_[target_col] + scaler.mean_[target_col]
    raise DataError(
        "inverse_target supports MinMaxScaler, StandardScaler and MeanRangeScaler, "
        f"got {scaler!r}"
    )


class WindowSet(NamedTuple):
    """Windows of one span: inputs, targets and the position of each first target row."""

    X: np.ndarray
    y: np.ndarray
    target_rows: np.ndarray


def make_split_windows(
    values: np.ndarray | pd.DataFrame,
    split: Split,
    lookback: int,
    horizon: int = 1,
    target_col: int | Hashable = 0,
) -> dict[str, WindowSet]:
    """Windows for each span whose targets all lie inside that span.

    A validation or test window may take its ``lookback`` input rows from the
    span before it: that past is known when the prediction is made. Its
    targets, all ``horizon`` of them, must lie inside the span, so no target
    is ever counted in two spans, and training never sees a later target.

    Parameters
    ----------
    values : the whole table (already scaled), rows aligned with ``split.data``
    split : from `chronological_split`
    lookback, horizon, target_col : as in `make_windows`

    Returns
    -------
    dict with keys "train", "val", "test" (an empty span, e.g. no validation,
    is left out), each a `WindowSet` ``(X, y, target_rows)``. A non-empty span
    too short for a single window raises `DataError`.

    Examples
    --------
    >>> import numpy as np
    >>> split = chronological_split(np.arange(100.0), train=0.8)
    >>> w = make_split_windows(np.arange(100.0), split, lookback=10)
    >>> w["train"].X.shape, w["test"].X.shape, float(w["test"].y[0, 0])
    ((70, 10, 1), (20, 10, 1), 80.0)
    """
    arr = as_2d(values)
    if len(arr) != len(split.data):
        raise DataError(
            f"values have {len(arr)} rows but the split has {len(split.data)}; "
            "window the same table you split (after scaling it)"
        )
    target = resolve_column(values, target_col, arr.shape[1])
    X, y = make_windows(arr, lookback, horizon, target)
    first_target = np.arange(len(X)) + lookback
    last_target = first_target + horizon - 1
    out: dict[str, WindowSet] = {}
    for span in SPANS:
        start, stop = split.bounds(span)
        keep = (first_target >= start) & (last_target < stop)
        if keep.any():
            sel = np.flatnonzero(keep)
            sl = slice(sel[0], sel[-1] + 1)  # contiguous: keeps X and y as views
            out[span] = WindowSet(X[sl], y[sl], first_target[sl])
        elif stop > start:
            need = f"lookback + horizon = {lookback + horizon}" if span == "train" else (
                f"horizon = {horizon}")
            raise DataError(
                f"the {span} span has {stop - start} rows, too few for one window "
                f"(needs at least {need} rows); make the span longer or the "
                "lookback/horizon shorter"
            )
    return out


# ------------------------------------------------------------------- per-window normalisation
# Floor for a window's scale, relative to its typical level: a window whose target
# never moves (a halted stock) must not divide by zero.
MIN_RELATIVE_SCALE = 1e-8


class WindowScale(NamedTuple):
    """What `normalize_windows` removed from each window: its last value and scale."""

    last: np.ndarray   # (samples, 1): x[T] of the target column
    scale: np.ndarray  # (samples, 1): std of the target's daily changes in the window


def normalize_windows(
    X: np.ndarray, y: np.ndarray | None = None, target_col: int = 0
) -> tuple[np.ndarray, np.ndarray | None, WindowScale]:
    """Normalise every window (and its target) by its own last value and daily-move scale.

    Every feature is centred on its own last value and divided by the standard
    deviation of its own daily changes in the window, so each feature becomes
    scale-free; the target uses the target column's centre and scale.

    Parameters
    ----------
    X : array, shape (samples, lookback, features), lookback >= 3
    y : array, shape (samples,) or (samples, horizon), optional
    target_col : int, the target's column in ``X``

    Returns
    -------
    X_norm : array like ``X`` (float)
    y_norm : array, shape (samples, horizon), or None if ``y`` is None
    scale : WindowScale, for `denormalize_forecast`

    Examples
    --------
    >>> X = np.array([[[10.0], [11.0], [13.0]]])   # daily changes 1 and 2, std 0.5
    >>> Xn, yn, s = normalize_windows(X, np.array([14.0]))
    >>> Xn[0, :, 0].tolist(), yn.tolist(), s.last.tolist(), s.scale.tolist()
    ([-6.0, -4.0, 0.0], [[2.0]], [[13.0]], [[0.5]])
    """
    X = np.asarray(X, dtype=float)
    if X.ndim != 3 or X.shape[1] < 3:
        raise DataError(
            f"X must have shape (samples, lookback >= 3, features), got {X.shape}; a window "
            "needs at least 2 daily changes to measure its scale"
        )
    if not 0 <= target_col < X.shape[2]:
        raise DataError(f"target_col={target_col} is not a column of X ({X.shape[2]} features)")
    if not np.isfinite(X).all():
        raise DataError("X holds NaN or infinite values; clean the series before windowing")
    last = X[:, -1:, :]
    spread = np.diff(X, axis=1).std(axis=1, keepdims=True)
    floor = MIN_RELATIVE_SCALE * np.maximum(np.abs(X).mean(axis=1, keepdims=True), 1.0)
    spread = np.maximum(spread, floor)
    X_norm = (X - last) / spread
    scale = WindowScale(last[:, 0, target_col : target_col + 1].copy(),
                        spread[:, 0, target_col : target_col + 1].copy())
    if y is None:
        return X_norm, None, scale
    y = np.asarray(y, dtype=float)
    y = y[:, None] if y.ndim == 1 else y
    if y.ndim != 2 or len(y) != len(X):
        raise DataError(f"y has shape {y.shape}; expected ({len(X)},) or ({len(X)}, horizon)")
    return X_norm, (y - scale.last) / scale.scale, scale


def denormalize_forecast(y_norm: np.ndarray, scale: WindowScale) -> np.ndarray:
    """Undo `normalize_windows` for a forecast: ``last + scale * y_norm``.

    Examples
    --------
    >>> s = WindowScale(np.array([[13.0]]), np.array([[0.5]]))
    >>> denormalize_forecast(np.array([[2.0]]), s).tolist()
    [[14.0]]
    """
    y_norm = np.asarray(y_norm, dtype=float)
    y_norm = y_norm[:, None] if y_norm.ndim == 1 else y_norm
    if len(y_norm) != len(scale.last):
        raise DataError(
            f"{len(y_norm)} forecasts for {len(scale.last)} windows; pass the scale of the "
            "same windows"
        )
    return scale.last + scale.scale * y_norm
