"""Per-window normalisation: every window on its own scale, so no price is out of range.

A scaler fitted on the training span maps a test price above the training
maximum above 1, where a trained LSTM has never been (chapter 7 measures what
that does). Normalising each window by itself removes the price level:

    x'[t] = (x[t] - x[T]) / s,    y' = (y - x[T]) / s

with ``x[T]`` the window's last value of the target and ``s`` the standard
deviation of the target's daily changes inside the window. The inputs become
"the path relative to the last close, in units of its recent daily moves", and
the target "tomorrow's change, in the same units". The forecast is
``x[T] + s * y'_hat``.

The map is invariant to any affine rescaling of the prices (``a * x + b`` with
``a > 0``): windows of MinMax-scaled and of raw prices give the same
normalised numbers. So it can run after a scaler, for instance inside
`lstm_tutorial.evaluation.walk_forward_evaluate`.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from lstm_tutorial.errors import DataError

__all__ = ["WindowScale", "denormalize_forecast", "normalize_windows"]

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
