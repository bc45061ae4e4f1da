"""Tuning tips from common tutorials, tested: one change at a time, over seeds.

Tutorials hand out settings without evidence: "add Dropout(0.2)", "use 32 or 64
units", "a learning rate between 0.001 and 0.01", "make the first layer wider
than the second", "sigmoid beats ReLU in RNNs". The appendix on common mistakes
trains each setting over several seeds and reports what it is worth:

- `build_tip_lstm` builds one LSTM (or a stack of them) → Dense(1) with the
  knob a tip turns (units per layer, the LSTM's activation, dropout);
- `tip_table` scores every setting against the naive forecast *and* against a
  reference setting, with seed spread, block-bootstrap intervals and DM tests.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from lstm_tutorial.errors import DataError, positive_int
from lstm_tutorial.metrics import skill_vs_naive
from lstm_tutorial.stats import block_bootstrap_skill, diebold_mariano

__all__ = ["TIP_TABLE_COLUMNS", "build_tip_lstm", "tip_table"]

TIP_TABLE_COLUMNS = [
    "seeds", "epochs run (max)", "cap",
    "skill mean", "skill min", "skill max",
    "ensemble skill", "skill low", "skill high", "DM p",
    "vs reference", "vs ref low", "vs ref high", "vs ref DM p",
]


def build_tip_lstm(
    lookback: int,
    n_features: int = 1,
    units: int | Sequence[int] = 32,
    activation: str = "tanh",
    dropout: float = 0.0,
) -> Any:
    """LSTM layer(s) → optional Dropout → Dense(1), with the knobs tutorials turn.

    Parameters
    ----------
    lookback, n_features : int
        Window length and input columns.
    units : int or sequence of int
        Hidden size of each LSTM layer, first to last; all but the last return
        sequences (``(32, 16)``: a 32-unit layer feeding a 16-unit one).
    activation : str
        The LSTM's activation for the candidate and the output ``tanh(c_t)``
        (Keras' ``activation``; the gates keep their sigmoid).
    dropout : float
        Rate of a ``Dropout`` layer after the last LSTM (0: no such layer).

    Examples
    --------
    >>> model = build_tip_lstm(20, units=(32, 16), dropout=0.2)
    >>> [layer.name for layer in model.layers[1:]], model.count_params()
    (['lstm_1', 'lstm_2', 'dropout', 'forecast'], 7505)
    """
    import keras

    sizes = [units] if isinstance(units, (int, np.integer)) else list(units)
    if not sizes:
        raise DataError("units is empty; give one size per LSTM layer, e.g. units=(32,)")
    sizes = [positive_int("units", u) for u in sizes]
    if not 0.0 <= dropout < 1.0:
        raise DataError(f"dropout={dropout!r} must be in [0, 1); 0.2 drops one output in five")
    inputs = keras.Input(shape=(positive_int("lookback", lookback),
                                positive_int("n_features", n_features)))
    h = inputs
    for k, size in enumerate(sizes, start=1):
        h = keras.layers.LSTM(size, activation=activation, return_sequences=k < len(sizes),
                              name=f"lstm_{k}")(h)
    if dropout > 0:
        h = keras.layers.Dropout(dropout, name="dropout")(h)
    outputs = keras.layers.Dense(1, name="forecast")(h)
    return keras.Model(inputs, outputs, name="tip_lstm")


def tip_table(
    y_true: np.ndarray,
    y_naive: np.ndarray,
    forecasts: Mapping[str, Sequence[np.ndarray]],
    runs: Mapping[str, Sequence[Any]],
    reference: str,
    *,
    block: int | None = None,
    n_boot: int = 2000,
    seed: int = 0,
) -> pd.DataFrame:
    """Every setting against the naive forecast and against ``reference``, over its seeds.

    Parameters
    ----------
    y_true, y_naive : array, shape (samples,)
        Test targets and the naive forecast of the same days, in prices.
    forecasts : dict setting -> list of per-seed forecasts, shape (samples,)
    runs : dict setting -> list of `lstm_tutorial.seeds.SeedRun` (for the stopping epochs)
    reference : str
        The setting every other one is compared with (its own "vs" columns are NaN).
    block, n_boot, seed
        Passed to `lstm_tutorial.stats.block_bootstrap_skill`.

    Returns
    -------
    DataFrame
        One row per setting with `TIP_TABLE_COLUMNS`: the stopping epochs;
        the skill ``1 - RMSE / RMSE_naive`` of every seed (mean, min, max);
        the skill of the seeds' mean forecast (the ensemble) with its bootstrap
        interval and the DM p-value against the naive forecast; and the same
        ensemble's skill *relative to the reference's ensemble* (``1 - RMSE /
        RMSE_reference``: positive means the tip helped), interval and DM p.
    """
    if reference not in forecasts:
        raise DataError(f"reference {reference!r} is not one of the settings {list(forecasts)}")
    y = np.asarray(y_true, dtype=float).ravel()
    naive = np.asarray(y_naive, dtype=float).ravel()

    def ensemble(name: str) -> np.ndarray:
        preds = forecasts[name]
        if len(preds) == 0 or len(runs.get(name, ())) != len(preds):
            raise DataError(f"{name!r} needs one run per forecast, and at least one")
        return np.mean([np.asarray(p, dtype=float).ravel() for p in preds], axis=0)

    ref = ensemble(reference)
    rows = {}
    for name, preds in forecasts.items():
        ens = ensemble(name)
        skills = [skill_vs_naive(y, np.asarray(p, dtype=float).ravel(), naive) for p in preds]
        vs_naive = block_bootstrap_skill(y, ens, naive, block=block, n_boot=n_boot, seed=seed)
        row = {
            "seeds": len(preds),
            "epochs run (max)": max(r.epochs_run for r in runs[name]),
            "cap": max(r.cap for r in runs[name]),
            "skill mean": float(np.mean(skills)),
            "skill min": float(np.min(skills)),
            "skill max": float(np.max(skills)),
            "ensemble skill": vs_naive.skill,
            "skill low": vs_naive.low,
            "skill high": vs_naive.high,
            "DM p": diebold_mariano(y, ens, naive).p_value,
        }
        if name == reference:
            row.update(dict.fromkeys(TIP_TABLE_COLUMNS[-4:], np.nan))
        else:
            vs_ref = block_bootstrap_skill(y, ens, ref, block=block, n_boot=n_boot, seed=seed)
            row.update({"vs reference": vs_ref.skill, "vs ref low": vs_ref.low,
                        "vs ref high": vs_ref.high,
                        "vs ref DM p": diebold_mariano(y, ens, ref).p_value})
        rows[name] = row
    table = pd.DataFrame.from_dict(rows, orient="index", columns=TIP_TABLE_COLUMNS)
    table.index.name = "setting"
    return table
