"""Training over several seeds, until early stopping, and what the seeds agree on.

One training run is one draw: the initial weights and the order of the batches
come from the seed, and on price series the test error moves with them by as
much as the gaps between architectures. A verdict the prose interprets
therefore rests on several seeds, each trained until ``EarlyStopping`` fires
(not until an epoch cap), and reports the spread as well as the mean.

- `compile_model` compiles with Adam and the chosen loss and clipping, and
  `compile_and_fit` also fits with the standard callbacks (`EpochSummary`,
  EarlyStopping, ReduceLROnPlateau, an optional checkpoint read back by `load_best`);
- `train_seeds` trains a fresh model per seed with `compile_and_fit` and records
  when each one stopped;
- `converged` says whether a run converged, by the book's definition (below);
- `stopping_table` shows the stopping epoch next to the cap, and how many seeds converged;
- `glue_stopping` stores the largest stopping epoch, the cap and the number of
  converged seeds for the prose and for ``tests/test_convergence.py``;
- `seed_table` scores every seed's forecast and the ensemble mean.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from lstm_tutorial.errors import DataError, positive_int
from lstm_tutorial.metrics import rmse, skill_vs_naive
from lstm_tutorial.repro import import_tensorflow, seed_everything

import_tensorflow()
import keras  # noqa: E402  (TensorFlow must be imported quietly first)

__all__ = [
    "EpochSummary",
    "compile_and_fit",
    "compile_model",
    "load_best",
    "CONVERGENCE_TOL",
    "CONVERGENCE_WINDOW",
    "WARMUP_EPOCHS",
    "KerasFitPredict",
    "SeedRun",
    "converged",
    "glue_stopping",
    "restored_epoch",
    "seed_table",
    "stopping_table",
    "train_seeds",
]


CONVERGENCE_WINDOW = 10
CONVERGENCE_TOL = 0.01
WARMUP_EPOCHS = 5


class SeedRun(NamedTuple):
    """One trained model: its seed, the model, and when training stopped."""

    seed: int
    model: Any
    history: Any
    epochs_run: int
    best_epoch: int
    cap: int

    @property
    def stopped_early(self) -> bool:
        """True if ``EarlyStopping`` ended training before the epoch cap."""
        return self.epochs_run < self.cap


def train_seeds(
    build: Callable[[], Any],
    X_train: Any,
    y_train: Any,
    *,
    seeds: Sequence[int] = (0, 1, 2, 3, 4),
    epochs: int = 300,
    patience: int = 10,
    workers: int | None = None,
    **fit_kwargs: Any,
) -> list[SeedRun]:
    """Train ``build()`` once per seed, each until early stopping or ``epochs``.

    The seeds train side by side in separate processes, one per CPU core, and
    give the same weights, to the last bit, as one after the other: a run
    depends only on its seed (`lstm_tutorial.repro`), not on what the process
    did before.

    Parameters
    ----------
    build : callable
        Returns a new, uncompiled model (e.g. ``lambda: build_lstm_regressor(...)``).
        It is called after seeding, so the seed decides the initial weights.
    X_train, y_train : array-like
        Training windows and targets.
    seeds : sequence of int
        One run per seed, seeded with `lstm_tutorial.repro.seed_everything`.
    workers : int or None
        Processes that train seeds at the same time. None: one per CPU core
        available (``joblib.cpu_count``, which respects container limits), at
        most one per seed, or ``$LSTM_TUTORIAL_WORKERS`` if set. 1 trains in this
        process, as does a call with ``callbacks`` (a progress bar belongs here).
    epochs : int
        The cap. A run that reaches it has not converged; `stopping_table` shows it.
    patience : int
        ``EarlyStopping`` patience on the validation loss (weights of the best
        epoch are restored; with ``min_delta`` in ``fit_kwargs``, of the last epoch
        that improved by more than it, see `restored_epoch`).
    **fit_kwargs
        Passed to `lstm_tutorial.training.compile_and_fit`; give validation data
        (``validation_data`` or ``validation_split``), else there is nothing to
        stop on.

    Returns
    -------
    list of SeedRun
    """
    if not seeds:
        raise DataError("seeds is empty; give at least one seed, e.g. seeds=(0, 1, 2, 3, 4)")
    if "validation_data" not in fit_kwargs and "validation_split" not in fit_kwargs:
        raise DataError(
            "train_seeds needs a validation span to stop on: pass validation_data=(X, y) "
            "from a later span, or validation_split"
        )
    cap = positive_int("epochs", epochs)
    workers = _worker_count(workers, len(seeds), fit_kwargs)
    if workers == 1:
        runs = [_train_one(build, X_train, y_train, int(seed), cap, patience, fit_kwargs)
                for seed in seeds]
    else:
        runs = _train_side_by_side(build, X_train, y_train, [int(s) for s in seeds], cap,
                                   patience, fit_kwargs, workers)
    seed_everything(int(seeds[-1]))   # what follows does not depend on how the seeds ran
    return runs


def _worker_count(workers: int | None, n_seeds: int, fit_kwargs: Mapping[str, Any]) -> int:
    """How many processes `train_seeds` uses (see its ``workers``)."""
    if fit_kwargs.get("callbacks"):
        return 1
    if workers is None:
        from joblib import cpu_count

        env = os.environ.get("LSTM_TUTORIAL_WORKERS")
        workers = positive_int("LSTM_TUTORIAL_WORKERS", int(env)) if env else cpu_count()
    return min(positive_int("workers", workers), n_seeds)


def _train_one(build: Callable[[], Any], X_train: Any, y_train: Any, seed: int, cap: int,
               patience: int, fit_kwargs: Mapping[str, Any]) -> SeedRun:
    """Seed, build and train one model until early stopping (`train_seeds`, one seed)."""
    seed_everything(seed)
    model = build()
    history = compile_and_fit(model, X_train, y_train, epochs=cap, patience=patience,
                              **fit_kwargs)
    val = np.asarray(history.history["val_loss"], dtype=float)
    best = restored_epoch(val, fit_kwargs.get("min_delta", 0.0))
    return SeedRun(seed, model, history, len(val), best, cap)


def _train_side_by_side(build: Callable[[], Any], X_train: Any, y_train: Any,
                        seeds: list[int], cap: int, patience: int,
                        fit_kwargs: Mapping[str, Any], workers: int) -> list[SeedRun]:
    """`_train_one` for each seed in ``workers`` processes; the models are rebuilt here.

    Each worker (loky's, which sends a notebook's ``build`` lambda with
    cloudpickle and, unlike `multiprocessing`, does not re-run a script's main
    module) trains under this session's Keras backend and precision and sends
    back the weights and the History's numbers. Here every model is built
    again, in seed order as `_train_one` would (so layer names are the same),
    compiled the same way, and given the trained weights.
    """
    import inspect

    from joblib.externals.loky import get_reusable_executor

    executor = get_reusable_executor(
        max_workers=workers, timeout=3600, initializer=_start_worker,
        initargs=(keras.backend.backend(), keras.config.floatx()))
    checkpoint = os.fspath(fit_kwargs.get("checkpoint_path") or "")
    per_seed = {seed: dict(fit_kwargs) for seed in seeds}
    if checkpoint.endswith(".keras"):   # one file per worker; the last seed's is kept, as in turn
        for seed in seeds:
            per_seed[seed]["checkpoint_path"] = f"{checkpoint[:-6]}.seed{seed}.keras"
    jobs = [executor.submit(_train_in_worker, build, X_train, y_train, seed, cap, patience,
                            per_seed[seed]) for seed in seeds]
    # compile as compile_and_fit does: the arguments of compile_model among the fit's
    compile_args = {k: v for k, v in fit_kwargs.items()
                    if k in inspect.signature(compile_model).parameters}
    runs = []
    for seed, job in zip(seeds, jobs, strict=True):
        weights, record, epochs_run, best = job.result()
        seed_everything(seed)
        model = build()
        compile_model(model, **compile_args)
        model.set_weights(weights)
        history = keras.callbacks.History()
        history.history, history.epoch, history.params = record
        runs.append(SeedRun(seed, model, history, epochs_run, best, cap))
    if checkpoint.endswith(".keras"):
        for seed in seeds:
            saved = per_seed[seed]["checkpoint_path"]
            if seed == seeds[-1] and os.path.exists(saved):
                os.replace(saved, checkpoint)
            elif os.path.exists(saved):
                os.remove(saved)
    return runs


def _start_worker(backend: str, floatx: str) -> None:
    """A worker process of `_train_side_by_side`: the caller's backend and precision.

    Keras and XLA keep compiled programs, so a worker grows by more than loky's
    memory-leak limit (300 MB) and loky would restart it, with a warning in the
    notebook and a new start-up; the limit is lifted for these workers.
    """
    from joblib.externals.loky import process_executor

    from lstm_tutorial.repro import use_backend

    process_executor._MAX_MEMORY_LEAK_SIZE = 1 << 62
    use_backend(backend, **({"floatx": floatx} if backend == "jax" else {}))


def _train_in_worker(*args: Any) -> tuple[list[np.ndarray], tuple, int, int]:
    """Train one seed in a worker; return the weights, the History's numbers and the epochs."""
    run = _train_one(*args)
    record = (run.history.history, run.history.epoch, run.history.params)
    return run.model.get_weights(), record, run.epochs_run, run.best_epoch


def restored_epoch(val_loss: Sequence[float], min_delta: float = 0.0) -> int:
    """The epoch (from 1) whose weights ``EarlyStopping(restore_best_weights=True)`` keeps.

    Keras counts an epoch as better only if its loss is below the best so far by
    more than ``min_delta``; with ``min_delta=0`` that is the first epoch with the
    lowest loss, with ``min_delta > 0`` it can be earlier than the lowest loss,
    whose gain over the kept epoch was too small to count.

    Examples
    --------
    >>> restored_epoch([1.0, 0.5, 0.49, 0.6])
    3
    >>> restored_epoch([1.0, 0.5, 0.49, 0.6], min_delta=0.05)
    2
    """
    best, epoch = None, 0
    for i, value in enumerate(np.asarray(val_loss, dtype=float)):
        if not np.isnan(value) and (best is None or value < best - abs(min_delta)):
            best, epoch = value, i
    if best is None:
        raise DataError("val_loss has no number; the run trained no epoch or diverged")
    return epoch + 1


def converged(
    run: SeedRun,
    window: int = CONVERGENCE_WINDOW,
    rel_tol: float = CONVERGENCE_TOL,
    warmup: int = WARMUP_EPOCHS,
) -> bool:
    """Did this run converge? The book's definition, stricter than "early stopping fired".

    A run converged when all three hold:

    1. **It stopped early**: ``EarlyStopping`` ended it before the epoch cap.
    2. **Its training loss had levelled off**: the best training loss of the
       last ``window`` epochs is less than ``rel_tol`` (1 %) below the best
       before them. A run whose training loss still fell when the validation
       loss ran out of patience was stopped mid-descent, not at a plateau.
    3. **The kept weights were trained**: the restored (best) epoch is later
       than ``warmup``. Weights from the first few epochs are close to the
       initial ones; such a network did not learn, whatever its test error.

    Parameters
    ----------
    run : SeedRun
        From `train_seeds`; its history needs the training loss ("loss").
    window : int, default 10
        Epochs at the end of the run over which the training loss must be flat.
    rel_tol : float, default 0.01
        Largest relative improvement of the training loss that counts as flat.
    warmup : int, default 5
        Restored epochs up to this one count as untrained.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> flat = SimpleNamespace(history={"loss": [1.0, 0.5] + [0.3] * 20})
    >>> converged(SeedRun(0, None, flat, 22, 12, 300))
    True
    >>> falling = SimpleNamespace(history={"loss": list(1 / np.arange(1.0, 23.0))})
    >>> converged(SeedRun(0, None, falling, 22, 12, 300))  # still falling: not a plateau
    False
    >>> converged(SeedRun(0, None, flat, 22, 3, 300))  # weights of epoch 3: not trained
    False
    """
    window = positive_int("window", window, "epochs over which the training loss must be flat")
    if not 0 <= rel_tol < 1:
        raise DataError(f"rel_tol must be in [0, 1), e.g. 0.01 for 1 %, got {rel_tol!r}")
    loss = np.asarray(run.history.history["loss"], dtype=float)
    if len(loss) <= window or not np.isfinite(loss).all():
        return False
    before, last = loss[:-window].min(), loss[-window:].min()
    plateaued = bool(last >= (1.0 - rel_tol) * before)
    return run.stopped_early and plateaued and run.best_epoch > warmup


def stopping_table(runs: Mapping[str, Sequence[SeedRun]] | Sequence[SeedRun]) -> pd.DataFrame:
    """When each run stopped: epochs run, best epoch, the cap, and whether it stopped early.

    Parameters
    ----------
    runs : list of SeedRun, or dict model name -> list of SeedRun

    Returns
    -------
    DataFrame
        One row per model: "seeds", "epochs run (min..max)", "best epoch (min..max)",
        "cap", "all stopped early" and "converged" (seeds that meet `converged`).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> h = SimpleNamespace(history={"loss": [1.0] + [0.5] * 54})
    >>> r = [SeedRun(0, None, h, 40, 30, 300), SeedRun(1, None, h, 55, 45, 300)]
    >>> stopping_table({"LSTM": r}).loc["LSTM"].astype(str).tolist()
    ['2', '40..55', '30..45', '300', 'True', '2']
    """
    groups = runs if isinstance(runs, Mapping) else {"model": runs}
    rows = {}
    for name, group in groups.items():
        if not group:
            raise DataError(f"no runs for {name!r}")
        run_epochs = [r.epochs_run for r in group]
        best = [r.best_epoch for r in group]
        rows[name] = {
            "seeds": len(group),
            "epochs run (min..max)": f"{min(run_epochs)}..{max(run_epochs)}",
            "best epoch (min..max)": f"{min(best)}..{max(best)}",
            "cap": max(r.cap for r in group),
            "all stopped early": all(r.stopped_early for r in group),
            "converged": sum(converged(r) for r in group),
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "model"
    return table


def glue_stopping(key: str | Mapping[str, Sequence[SeedRun]],
                  runs: Sequence[SeedRun] | None = None) -> None:
    """Glue ``epochs_run_<key>``, ``epoch_cap_<key>``, ``converged_<key>`` and ``seeds_<key>``.

    The most epochs any seed ran, the cap, the number of seeds that meet
    `converged`, and the number of seeds. The prose quotes them, and
    ``tests/test_convergence.py`` reads them from the committed chapters: it
    fails if a glued run reached its cap, and if a model whose seeds did not
    all converge goes unreported in the prose.

    ``glue_stopping({"a": runs_a, "b": runs_b})`` glues several models in one call.
    """
    from lstm_tutorial.course.notebook import glue_number

    groups = dict(key) if runs is None and isinstance(key, Mapping) else {key: runs}
    for name, group in groups.items():
        if not group:
            raise DataError(f"no runs to glue for {name!r}")
        glue_number(f"epochs_run_{name}", max(r.epochs_run for r in group))
        glue_number(f"epoch_cap_{name}", max(r.cap for r in group))
        glue_number(f"converged_{name}", sum(converged(r) for r in group))
        glue_number(f"seeds_{name}", len(group))


def seed_table(
    y_true: np.ndarray,
    forecasts: Mapping[str, Sequence[np.ndarray]],
    y_naive: np.ndarray,
) -> pd.DataFrame:
    """Every model's test RMSE over its seeds, and the RMSE of the seeds' mean forecast.

    Parameters
    ----------
    y_true, y_naive : array, shape (samples,) or (samples, horizon), in prices
    forecasts : dict model name -> list of per-seed forecasts (same shape as ``y_true``)

    Returns
    -------
    DataFrame
        One row per model with "seeds", "RMSE mean", "RMSE std" (ddof=1),
        "RMSE min", "RMSE max", "skill mean" (mean over seeds of
        ``1 - RMSE / RMSE_naive``), "ensemble RMSE" and "ensemble skill" (of the
        mean forecast over seeds).

    Examples
    --------
    >>> y, naive = np.array([1.0, 2.0, 3.0]), np.array([0.0, 1.0, 2.0])
    >>> t = seed_table(y, {"m": [y + 0.5, y - 0.5]}, naive)
    >>> t.loc["m", ["RMSE mean", "ensemble RMSE", "ensemble skill"]].tolist()
    [0.5, 0.0, 1.0]
    """
    rows = {}
    for name, preds in forecasts.items():
        if len(preds) == 0:
            raise DataError(f"no forecasts for {name!r}")
        errors = np.array([rmse(y_true, p) for p in preds])
        skills = np.array([skill_vs_naive(y_true, p, y_naive) for p in preds])
        ensemble = np.mean(np.stack([np.asarray(p, dtype=float) for p in preds]), axis=0)
        rows[name] = {
            "seeds": len(preds),
            "RMSE mean": errors.mean(),
            "RMSE std": errors.std(ddof=1) if len(errors) > 1 else np.nan,
            "RMSE min": errors.min(),
            "RMSE max": errors.max(),
            "skill mean": skills.mean(),
            "ensemble RMSE": rmse(y_true, ensemble),
            "ensemble skill": skill_vs_naive(y_true, ensemble, y_naive),
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "model"
    return table


class KerasFitPredict:
    """``fit_predict`` for `lstm_tutorial.evaluation.walk_forward_evaluate` with a Keras model.

    Each call trains ``build()`` over ``seeds`` with `train_seeds` (validation:
    the last ``validation_split`` of the fold's training windows) and returns
    the mean forecast of the seeds. With ``normalize=True`` the windows are
    normalised per window first (`lstm_tutorial.preprocessing.normalize_windows`)
    and the forecast is mapped back. Every call's runs are kept in ``runs``
    (one list per fold), so a chapter can show that every fold's models
    stopped early.
    """

    def __init__(self, build: Callable[[], Any], *, seeds: Sequence[int] = (0,),
                 normalize: bool = False, target_col: int = 0, validation_split: float = 0.1,
                 **train_kwargs: Any) -> None:
        self.build, self.seeds, self.normalize = build, tuple(seeds), normalize
        self.target_col, self.validation_split = target_col, validation_split
        self.train_kwargs = train_kwargs
        self.runs: list[list[SeedRun]] = []

    def __call__(self, X_train: np.ndarray, y_train: np.ndarray, X_test: np.ndarray) -> np.ndarray:
        from lstm_tutorial.preprocessing import denormalize_forecast, normalize_windows

        scale = None
        if self.normalize:
            X_train, y_train, _ = normalize_windows(X_train, y_train, self.target_col)
            X_test, _, scale = normalize_windows(X_test, None, self.target_col)
        runs = train_seeds(self.build, X_train, y_train, seeds=self.seeds,
                           validation_split=self.validation_split, **self.train_kwargs)
        self.runs.append(runs)
        pred = np.mean([r.model.predict(X_test, verbose=0) for r in runs], axis=0)
        return denormalize_forecast(pred, scale) if scale is not None else pred


# --------------------------------------------------------------------------- training
class EpochSummary(keras.callbacks.Callback):
    """Print one line when training ends: epochs run and the best monitored loss.

    The line has no timings and rounds the loss to 4 significant digits, so a
    notebook's committed output matches a fresh run.

    Examples
    --------
    Printed at the end of ``fit``::

        epochs run: 23, best val_loss: 0.001234 (epoch 13)
    """

    def __init__(self, monitor: str = "val_loss") -> None:
        super().__init__()
        self.monitor = monitor
        self.values: list[float] = []

    def on_train_begin(self, logs: dict | None = None) -> None:
        self.values = []

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        value = (logs or {}).get(self.monitor)
        self.values.append(math.nan if value is None else float(value))

    def on_train_end(self, logs: dict | None = None) -> None:
        print(self.line())

    def line(self) -> str:
        """The summary line for the epochs seen so far."""
        finite = [(v, i) for i, v in enumerate(self.values) if math.isfinite(v)]
        if not finite:
            return f"epochs run: {len(self.values)}, no finite {self.monitor}"
        best, epoch = min(finite)
        return (
            f"epochs run: {len(self.values)}, best {self.monitor}: {best:.4g} (epoch {epoch + 1})"
        )


def compile_model(
    model: keras.Model,
    *,
    loss: str | Callable[[Any, Any], Any] = "mse",
    learning_rate: float = 1e-3,
    clipnorm: float | None = None,
    clipvalue: float | None = None,
    metrics: Sequence[str] | None = None,
) -> keras.Model:
    """Compile ``model`` with Adam and ``loss``; optionally clip gradients.

    ``clipnorm`` rescales each gradient so its norm is at most ``clipnorm``;
    ``clipvalue`` clips every element to ``[-clipvalue, clipvalue]``.

    Examples
    --------
    >>> from lstm_tutorial.models import build_lstm_regressor
    >>> model = compile_model(build_lstm_regressor(), loss="mae", clipnorm=1.0)
    >>> model.optimizer.clipnorm
    1.0
    """
    if learning_rate <= 0:
        raise DataError(f"learning_rate={learning_rate!r} must be positive; 1e-3 is Adam's default")
    for name, value in (("clipnorm", clipnorm), ("clipvalue", clipvalue)):
        if value is not None and value <= 0:
            raise DataError(f"{name}={value!r} must be positive, or None for no clipping")
    optimizer = keras.optimizers.Adam(
        learning_rate=learning_rate, clipnorm=clipnorm, clipvalue=clipvalue
    )
    model.compile(optimizer=optimizer, loss=loss, metrics=list(metrics) if metrics else None)
    return model


def compile_and_fit(
    model: keras.Model,
    X_train: Any,
    y_train: Any,
    *,
    validation_data: tuple[Any, Any] | None = None,
    validation_split: float | None = None,
    loss: str | Callable[[Any, Any], Any] = "mse",
    learning_rate: float = 1e-3,
    clipnorm: float | None = None,
    clipvalue: float | None = None,
    epochs: int = 100,
    batch_size: int = 32,
    patience: int | None = 10,
    min_delta: float = 0.0,
    reduce_lr_patience: int | None = 5,
    checkpoint_path: str | os.PathLike | None = None,
    verbose: int = 0,
    shuffle: bool = True,
    summary: bool = False,
    callbacks: Sequence[keras.callbacks.Callback] = (),
) -> keras.callbacks.History:
    """Compile with Adam, train with the book's standard callbacks, return the History.

    Callbacks, all watching ``val_loss`` when there is validation data (else ``loss``):

    - ``EarlyStopping(patience=patience, min_delta=min_delta, restore_best_weights=True)``:
      the model ends with the weights of its best epoch (``patience=None`` turns it
      off); an epoch counts as better only if it lowers the loss by more than
      ``min_delta`` (in loss units), so a run that only polishes the last digits stops;
    - ``ReduceLROnPlateau(factor=0.5, patience=reduce_lr_patience)`` (``None``: off);
    - ``ModelCheckpoint(checkpoint_path, save_best_only=True)`` if a path is given
      (it must end in ``.keras``); reload it with `load_best`;
    - `EpochSummary` if ``summary=True``: one line at the end, no timings;
    - any extra ``callbacks`` given (e.g. a progress bar), after the ones above.

    Parameters
    ----------
    model : keras.Model
        A model from one of the builders (compiled here, so any earlier compile is replaced).
    X_train, y_train : array-like
        Windows ``(samples, lookback, features)`` and targets ``(samples, horizon)``.
    validation_data, validation_split
        At most one of them. ``validation_split`` takes the *last* fraction of
        the training samples (Keras splits before shuffling).
    loss : str or callable
        A Keras loss name ("mse", "mae") or a loss function such as
        `qlike_log_loss`.
    shuffle : bool
        Shuffle training windows each epoch. Windows are independent samples
        once made, and shuffling is seeded by `lstm_tutorial.repro.seed_everything`.

    Returns
    -------
    keras.callbacks.History
        ``history.history["loss"]`` (and ``"val_loss"``) per epoch.

    Examples
    --------
    >>> history = compile_and_fit(model, X_tr, y_tr, validation_data=(X_va, y_va),
    ...                           epochs=50, summary=True)  # doctest: +SKIP
    epochs run: 23, best val_loss: 0.001234 (epoch 13)
    """
    if validation_data is not None and validation_split is not None:
        raise DataError(
            "pass either validation_data or validation_split, not both; "
            "for time series prefer validation_data from a later span"
        )
    if validation_split is not None and not 0.0 < validation_split < 1.0:
        raise DataError(f"validation_split={validation_split!r} must be between 0 and 1")
    if not min_delta >= 0.0:
        raise DataError(f"min_delta={min_delta!r} must be 0 or positive (in loss units)")
    epochs = positive_int("epochs", epochs)
    batch_size = positive_int("batch_size", batch_size)
    monitor = "loss" if validation_data is None and validation_split is None else "val_loss"

    standard: list[keras.callbacks.Callback] = []
    if patience is not None:
        standard.append(
            keras.callbacks.EarlyStopping(
                monitor=monitor,
                patience=positive_int("patience", patience, "or None for no early stopping"),
                min_delta=float(min_delta),
                restore_best_weights=True,
            )
        )
    if reduce_lr_patience is not None:
        standard.append(
            keras.callbacks.ReduceLROnPlateau(
                monitor=monitor,
                factor=0.5,
                patience=positive_int("reduce_lr_patience", reduce_lr_patience),
                min_lr=1e-6,
            )
        )
    if checkpoint_path is not None:
        if not os.fspath(checkpoint_path).endswith(".keras"):
            raise DataError(
                f"checkpoint_path={os.fspath(checkpoint_path)!r} must end in '.keras' "
                "(Keras 3's single-file format), e.g. 'best_model.keras'"
            )
        standard.append(
            keras.callbacks.ModelCheckpoint(
                os.fspath(checkpoint_path), monitor=monitor, save_best_only=True
            )
        )
    if summary:
        standard.append(EpochSummary(monitor))
    standard.extend(callbacks)

    compile_model(
        model, loss=loss, learning_rate=learning_rate, clipnorm=clipnorm, clipvalue=clipvalue
    )
    return model.fit(
        X_train,
        y_train,
        validation_data=validation_data,
        validation_split=validation_split or 0.0,
        epochs=epochs,
        batch_size=batch_size,
        callbacks=standard,
        shuffle=shuffle,
        verbose=verbose,
    )


def load_best(path: str | os.PathLike) -> keras.Model:
    """Load the model `compile_and_fit` saved at ``checkpoint_path`` (a ``.keras`` file).

    Examples
    --------
    >>> best = load_best("best_model.keras")  # doctest: +SKIP
    """
    if not os.path.exists(path):
        raise DataError(
            f"no saved model at {os.fspath(path)!r}; pass the checkpoint_path given to "
            "compile_and_fit (it is written only after the first epoch that improves)"
        )
    return keras.saving.load_model(os.fspath(path))
