"""Synthetic tasks whose answer depends on an input far back in the sequence.

Price series cannot show whether a network *can* remember: nobody knows what a
price depends on. A synthetic task can. In the **marked-value task** every
sequence carries noise values and one marker; the target is the value that
stood at the marker, at least ``lag`` steps before the end. A network that
cannot carry information over ``lag`` steps can do no better than the trivial
predictor, which always says 0 (the mean of the values); one that can, recalls
the value exactly. It is a recall version of the adding problem of
Hochreiter and Schmidhuber (1997), with one marked value instead of two.

- `marked_value_task` makes the sequences and targets;
- `trivial_mse` is the error of the trivial predictor;
- `relative_error` divides a model's MSE by it: about 1 means nothing was
  learned, 0 means the task is solved;
- `recall_regressor` builds the SimpleRNN or LSTM that reads the sequences;
- `lag_experiment` trains every model at every lag over several seeds, scores
  each run on fresh test sequences and records when it solved the task and how
  long it had gone without progress;
- `lag_table` summarises the runs per model and lag: mean, range, runs solved,
  and a Wilson interval for the solve rate;
- `gate_profile` averages a gate per unit before, at and after the marked step.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from lstm_tutorial.errors import DataError, positive_int

__all__ = ["SOLVED_BELOW", "gate_profile", "lag_experiment", "lag_table", "marked_value_task",
           "recall_regressor", "relative_error", "training_progress", "trivial_mse"]

TRIVIAL_PREDICTION = 0.0
"""What the trivial predictor always says: the mean of the uniform values on [-1, 1]."""

SOLVED_BELOW = 0.1
"""A run counts as having solved the task if its relative error is below this."""


def marked_value_task(
    n: int, length: int, lag: int, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``n`` sequences of the marked-value task: recall the value at the marker.

    Each sequence has ``length`` steps and two input channels:

    - channel 0: independent values, uniform on [-1, 1], at every step;
    - channel 1: the marker, 1 at exactly one step ``m`` and 0 elsewhere.

    ``m`` is drawn uniformly from ``0 .. length - 1 - lag``, so the marked value
    stands ``length - 1 - m`` steps before the last step: at least ``lag``, at
    most ``length - 1``. The target is ``X[:, m, 0]``.

    Parameters
    ----------
    n : int
        Number of sequences.
    length : int
        Steps per sequence; at least ``lag + 1``.
    lag : int
        The smallest distance, in steps, between the marked step and the last step.
    seed : int
        Seed of NumPy's ``default_rng``: same seed, same sequences.

    Returns
    -------
    X : float32 array (n, length, 2)
    y : float32 array (n, 1)
        The marked values.
    marked : int array (n,)
        The marked step ``m`` of every sequence.

    Examples
    --------
    >>> X, y, marked = marked_value_task(3, length=6, lag=4, seed=0)
    >>> X.shape, y.shape, X[:, :, 1].sum(axis=1).tolist()
    ((3, 6, 2), (3, 1), [1.0, 1.0, 1.0])
    >>> bool((marked <= 6 - 1 - 4).all()), bool((y[:, 0] == X[[0, 1, 2], marked, 0]).all())
    (True, True)
    """
    n = positive_int("n", n)
    lag = positive_int("lag", lag, "the marked value must lie at least one step back")
    length = positive_int("length", length)
    if length < lag + 1:
        raise DataError(
            f"length={length} is too short for lag={lag}: the marked step must lie at least "
            f"lag steps before the last step, so length must be at least lag + 1 = {lag + 1}"
        )
    rng = np.random.default_rng(seed)
    values = rng.uniform(-1.0, 1.0, size=(n, length))
    marked = rng.integers(0, length - lag, size=n)         # 0 .. length - 1 - lag
    marker = np.zeros((n, length))
    marker[np.arange(n), marked] = 1.0
    X = np.stack([values, marker], axis=-1).astype(np.float32)
    y = X[np.arange(n), marked, 0][:, None]
    return X, y, marked


def trivial_mse(y_true: Any) -> float:
    """Mean squared error of the trivial predictor, which always says 0 (the values' mean).

    For values uniform on [-1, 1] it is about 1/3, their variance.

    Examples
    --------
    >>> trivial_mse([[0.5], [-1.0]])
    0.625
    """
    y = np.asarray(y_true, dtype=float)
    if y.size == 0:
        raise DataError("y_true is empty")
    return float(np.mean((y - TRIVIAL_PREDICTION) ** 2))


def relative_error(y_true: Any, y_pred: Any) -> float:
    """MSE of ``y_pred`` divided by the trivial predictor's MSE on the same targets.

    About 1: no better than always saying 0 (nothing recalled). 0: every marked
    value recalled exactly. Above 1: worse than the trivial predictor.

    Examples
    --------
    >>> y = np.array([[0.5], [-1.0]])
    >>> relative_error(y, y), relative_error(y, np.zeros_like(y)), relative_error(y, y / 2)
    (0.0, 1.0, 0.25)
    """
    y = np.asarray(y_true, dtype=float)
    pred = np.asarray(y_pred, dtype=float)
    if pred.shape != y.shape:
        raise DataError(f"y_pred has shape {pred.shape}, y_true {y.shape}; they must match")
    return float(np.mean((pred - y) ** 2)) / trivial_mse(y)


def recall_regressor(cell: str, units: int, length: int, n_features: int = 2,
                     forget_bias: float | None = None,
                     recurrent_initializer: str = "orthogonal") -> Any:
    """A ``SimpleRNN(units)`` or ``LSTM(units)`` → Dense(1) for the marked-value task.

    The recurrent layer is named ``cell`` ("rnn" or "lstm"), the output layer
    ``forecast``, as in `lstm_tutorial.models`. ``forget_bias`` (LSTM only)
    replaces Keras' initial forget-gate bias of 1 by another constant, so the
    forget gates start near ``sigmoid(forget_bias)``. ``recurrent_initializer``
    is Keras' name of the recurrent kernel's initialiser; the default,
    "orthogonal", is Keras' own, "identity" starts every unit as its own copy.

    Examples
    --------
    >>> recall_regressor("rnn", 32, length=20).count_params()   # 2·32 + 32² + 32, + 33
    1153
    >>> recall_regressor("lstm", 16, length=20).count_params()  # 4·(2·16 + 16² + 16), + 17
    1233
    """
    from lstm_tutorial.models import keras

    layers = {"rnn": keras.layers.SimpleRNN, "lstm": keras.layers.LSTM}
    if cell not in layers:
        raise DataError(f"cell={cell!r} is not known; use 'rnn' (SimpleRNN) or 'lstm'")
    units = positive_int("units", units)
    inputs = keras.Input(shape=(positive_int("length", length), positive_int(
        "n_features", n_features)), name="sequence")
    h = layers[cell](units, recurrent_initializer=recurrent_initializer, name=cell)(inputs)
    outputs = keras.layers.Dense(1, name="forecast")(h)
    model = keras.Model(inputs, outputs, name=f"recall_{cell}")
    if forget_bias is not None:
        if cell != "lstm":
            raise DataError("forget_bias is for cell='lstm'; a SimpleRNN has no forget gate")
        layer = model.get_layer("lstm")
        kernel, recurrent, bias = layer.get_weights()
        bias[units : 2 * units] = forget_bias                # gate blocks i, f, c, o
        layer.set_weights([kernel, recurrent, bias])
    return model


def lag_experiment(
    builders: Mapping[str, Callable[[int], Any]],
    lags: Sequence[int],
    *,
    seeds: Sequence[int] = (0, 1, 2),
    n_train: int = 1000,
    n_val: int = 500,
    n_test: int = 1000,
    pad: int = 10,
    data_seed: int = 0,
    batch_size: int = 50,
    overrides: Mapping[str, Mapping[str, Any]] | None = None,
    solved_below: float = SOLVED_BELOW,
    **train_kwargs: Any,
) -> tuple[pd.DataFrame, dict[tuple[str, int], list]]:
    """Train every model at every lag over ``seeds``; score each run on test sequences.

    For each lag the sequences have ``length = lag + pad`` steps (the marker
    falls in the first ``pad`` steps) and three independent sets are drawn with
    `marked_value_task`: training (seed ``data_seed``), validation
    (``data_seed + 1``, for early stopping) and test (``data_seed + 2``, for
    the relative error). Every model is trained with
    `lstm_tutorial.training.train_seeds`, so each seed gives its own initial
    weights and batch order and trains until early stopping.

    Parameters
    ----------
    builders : dict model name -> callable(length) returning a new, uncompiled model
    lags : sequence of int
    seeds : sequence of int
    n_train, n_val, n_test : int
        Sequences per set.
    pad : int
        Steps in which the marker may fall, before the ``lag`` steps to the end.
    data_seed : int
    batch_size : int
        Training batch size; validation and test use it too (``n_val`` and
        ``n_test`` should be multiples of it, so every batch has the same shape
        and no step is compiled twice).
    overrides : dict model name -> dict, optional
        Training settings for one model that replace those in ``train_kwargs``
        (e.g. ``{"RNN": {"clipnorm": 1.0}}``).
    solved_below : float
        A validation relative error below this counts as solved ("solved at").
    **train_kwargs
        Passed to `train_seeds` (``epochs``, ``patience``, ``learning_rate``, ...).

    Returns
    -------
    results : DataFrame
        One row per run: "model", "lag", "seed", "relative error" (test MSE over
        the trivial predictor's), "epochs run", "best epoch", and, from the
        History (see `training_progress`), "solved at" (first epoch whose
        validation relative error is below ``solved_below``; NaN if none),
        "longest wait" (the most epochs in a row, up to "solved at" or to the
        end, in which the validation loss did not improve by more than
        ``min_delta``) and "final train drop" (how far the training loss fell
        over the last ``patience`` epochs, in units of the trivial MSE).
    runs : dict (model name, lag) -> list of `lstm_tutorial.training.SeedRun`
        The trained models, for a closer look.
    """
    from lstm_tutorial.training import train_seeds

    if not builders:
        raise DataError("builders is empty; give at least one model, e.g. {'LSTM': build}")
    if not lags:
        raise DataError("lags is empty; give at least one lag, e.g. lags=(10, 50)")
    pad = positive_int("pad", pad, "the marker needs at least one step to fall in")
    rows, runs = [], {}
    for lag in lags:
        length = positive_int("lag", lag) + pad
        X, y, _ = marked_value_task(n_train, length, lag, seed=data_seed)
        X_val, y_val, _ = marked_value_task(n_val, length, lag, seed=data_seed + 1)
        X_test, y_test, _ = marked_value_task(n_test, length, lag, seed=data_seed + 2)
        trivial = trivial_mse(y_test)
        for name, build in builders.items():
            settings = {**train_kwargs, **dict((overrides or {}).get(name, {}))}
            group = train_seeds(lambda build=build, length=length: build(length), X, y,
                                seeds=seeds, validation_data=(X_val, y_val),
                                batch_size=batch_size, **settings)
            runs[(name, int(lag))] = group
            for run in group:
                mse = run.model.evaluate(X_test, y_test, batch_size=batch_size, verbose=0)
                progress = training_progress(
                    run.history.history, trivial_mse(y), trivial_mse(y_val),
                    min_delta=settings.get("min_delta", 0.0),
                    window=settings.get("patience", 10), solved_below=solved_below)
                rows.append({"model": name, "lag": int(lag), "seed": run.seed,
                             "relative error": float(mse) / trivial,
                             "epochs run": run.epochs_run, "best epoch": run.best_epoch,
                             **progress})
    return pd.DataFrame(rows), runs


def training_progress(history: Mapping[str, Sequence[float]], trivial_train: float,
                      trivial_val: float, *, min_delta: float = 0.0, window: int = 10,
                      solved_below: float = SOLVED_BELOW) -> dict[str, float]:
    """When a run solved the task, its longest wait without progress, its final drop.

    Parameters
    ----------
    history : dict with "loss" and "val_loss" per epoch (a Keras ``History.history``)
    trivial_train, trivial_val : float
        The trivial predictor's MSE on the training and validation targets.
    min_delta : float
        An epoch counts as progress if it lowers the best validation loss so far
        by more than this (early stopping's rule).
    window : int
        The last ``window`` epochs for "final train drop" (the patience).
    solved_below : float

    Returns
    -------
    dict
        "solved at": the first epoch (from 1) whose validation loss over
        ``trivial_val`` is below ``solved_below``, NaN if none;
        "longest wait": the most epochs in a row without progress, counted
        up to "solved at" (or to the end if never solved);
        "final train drop": the best training loss before the last ``window``
        epochs minus the best within them, over ``trivial_train`` (0 or less:
        flat; NaN if the run is not longer than ``window``).

    Examples
    --------
    >>> h = {"val_loss": [1.0, 0.99, 0.99, 0.99, 0.5, 0.05, 0.05],
    ...      "loss": [1.0, 1.0, 1.0, 1.0, 0.6, 0.04, 0.04]}
    >>> training_progress(h, 1.0, 1.0, min_delta=0.001, window=2)
    {'solved at': 6.0, 'longest wait': 2.0, 'final train drop': 0.56}
    """
    val = np.asarray(history["val_loss"], dtype=float)
    loss = np.asarray(history["loss"], dtype=float)
    window = positive_int("window", window)
    below = np.flatnonzero(val / trivial_val < solved_below)
    solved_at = float(below[0] + 1) if below.size else float("nan")
    end = int(solved_at) if below.size else len(val)
    best, last, wait = np.inf, 0, 0
    for epoch, value in enumerate(val[:end], start=1):
        if value < best - abs(min_delta):
            best, last = value, epoch
        wait = max(wait, epoch - last)
    drop = ((loss[:-window].min() - loss[-window:].min()) / trivial_train
            if len(loss) > window else float("nan"))
    return {"solved at": solved_at, "longest wait": float(wait),
            "final train drop": round(float(drop), 12)}


def lag_table(results: pd.DataFrame, solved_below: float = SOLVED_BELOW,
              confidence: float = 0.95) -> pd.DataFrame:
    """Relative error per model and lag over the seeds: mean, min, max, runs solved, rate.

    Parameters
    ----------
    results : DataFrame
        From `lag_experiment` (columns "model", "lag", "relative error").
    solved_below : float
        A run with a relative error below this counts as solved.
    confidence : float
        Level of the Wilson score interval for the solve rate
        (``scipy.stats.binomtest(k, n).proportion_ci(method="wilson")``).

    Returns
    -------
    DataFrame
        Index (model, lag) in the order the models first appear; columns
        "mean", "min", "max", "solved" (text "k of n"), and "rate low" and
        "rate high", the interval for the probability that a seed solves.

    Examples
    --------
    >>> r = pd.DataFrame({"model": ["RNN"] * 3, "lag": [10, 10, 50],
    ...                   "relative error": [0.01, 0.03, 1.0]})
    >>> t = lag_table(r)
    >>> [round(float(v), 3) for v in t.loc[("RNN", 10), ["mean", "min", "max"]]]
    [0.02, 0.01, 0.03]
    >>> t["solved"].tolist()
    ['2 of 2', '0 of 1']
    >>> [round(float(v), 3) for v in t.loc[("RNN", 50), ["rate low", "rate high"]]]
    [0.0, 0.793]
    """
    from scipy.stats import binomtest

    missing = {"model", "lag", "relative error"} - set(results.columns)
    if missing:
        raise DataError(f"results lacks the column(s) {sorted(missing)}; pass lag_experiment's")
    order = list(dict.fromkeys(results["model"]))
    grouped = results.groupby(["model", "lag"], sort=False)["relative error"]
    table = grouped.agg(["mean", "min", "max"])
    solved = grouped.agg(lambda e: f"{int((e < solved_below).sum())} of {len(e)}")
    table["solved"] = solved
    counts = grouped.agg([lambda e: int((e < solved_below).sum()), "size"]).to_numpy()
    intervals = [binomtest(int(k), int(n)).proportion_ci(confidence, method="wilson")
                 for k, n in counts]
    table["rate low"] = [ci.low for ci in intervals]
    table["rate high"] = [ci.high for ci in intervals]
    table = table.reindex(sorted(table.index, key=lambda k: (order.index(k[0]), k[1])))
    table.index.names = ["model", "lag"]
    return table


def gate_profile(gate: Any, marked: Any) -> pd.DataFrame:
    """A gate's mean per unit before, at and after the marked step, over many sequences.

    Parameters
    ----------
    gate : array (B, T, H)
        Gate activations, e.g. ``cache.i`` or ``cache.f`` of
        `lstm_tutorial.numpy_lstm.lstm_forward`.
    marked : int array (B,)
        The marked step of every sequence (from `marked_value_task`).

    Returns
    -------
    DataFrame
        One row per unit (index "unit"), columns "before", "at" and "after":
        the gate's mean over the steps before the marked one, at it, and after it.
        A sequence whose marker is on its first step adds nothing to "before".

    Examples
    --------
    >>> g = np.array([[[0.5], [0.9], [0.2], [0.2]],
    ...               [[0.5], [0.5], [0.9], [0.1]]])       # 2 sequences, 4 steps, 1 unit
    >>> gate_profile(g, np.array([1, 2])).round(3).values.tolist()
    [[0.5, 0.9, 0.167]]
    """
    g = np.asarray(gate, dtype=float)
    m = np.asarray(marked)
    if g.ndim != 3 or m.shape != (g.shape[0],):
        raise DataError(f"gate has shape {g.shape} and marked {m.shape}; expected (B, T, H) "
                        "and (B,), one marked step per sequence")
    steps = np.arange(g.shape[1])[None, :]
    masks = {"before": steps < m[:, None], "at": steps == m[:, None], "after": steps > m[:, None]}
    table = pd.DataFrame({name: g[mask].mean(axis=0) for name, mask in masks.items()})
    table.index.name = "unit"
    return table
