"""Model builders for every architecture in the book, and one compile/fit helper.

Every builder starts from ``keras.Input(shape=(lookback, n_features))`` (Keras 3
style: no ``input_shape=`` argument on the first layer) and gives each layer a
readable ``name=``, so ``model.summary()`` and `lstm_tutorial.params.param_table`
read like the book's prose.

=========================  ===================================================
builder                    architecture
=========================  ===================================================
`build_lstm_regressor`     LSTM(64) → Dense(1), 60 steps (the AAPL close model)
`build_gru_regressor`      GRU(64) → Dense(1), its GRU counterpart
`build_stacked_lstm`       LSTM(128, seq) → LSTM(64) → Dense(25) → Dense(1)
`build_dropout_lstm`       LSTM(32) → Dropout(0.2) → Dense(1), 10 steps
`build_0050_lstm`          LSTM(256, seq) → LSTM(256, seq) →
                           TimeDistributed(Dense(1)) → Flatten → Dense(5) → Dense(1)
`build_seq2seq_lstm`       encoder LSTM → RepeatVector(5) → decoder LSTM →
                           TimeDistributed(Dense(1)): 5 days in, next 5 out
`build_residual_lstm`      last value + Dense(horizon)(LSTM(units)): the
                           network predicts the change from the last value
=========================  ===================================================

`qlike_log_loss` is a training loss for variance forecasts: the network outputs
the log of the variance, the loss is QLIKE (chapter 9).
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Sequence
from typing import Any

from lstm_tutorial.errors import DataError, positive_int
from lstm_tutorial.repro import import_tensorflow

import_tensorflow()
import keras  # noqa: E402  (TensorFlow must be imported quietly first)

__all__ = [
    "EpochSummary",
    "build_0050_lstm",
    "build_dropout_lstm",
    "build_gru_regressor",
    "build_lstm_regressor",
    "build_residual_lstm",
    "build_seq2seq_lstm",
    "build_stacked_lstm",
    "compile_and_fit",
    "compile_model",
    "load_best",
    "qlike_log_loss",
]

_CELLS = {"lstm": keras.layers.LSTM, "gru": keras.layers.GRU}


# --------------------------------------------------------------------------- checks
def _units_pair(units: int | Sequence[int], n: int = 2) -> tuple[int, ...]:
    """Turn ``256`` into ``(256, 256)``; check a given tuple has ``n`` positive entries."""
    pair = (units,) * n if isinstance(units, int) else tuple(units)
    if len(pair) != n:
        raise DataError(
            f"units={units!r} must be one integer or {n} integers (one per recurrent layer)"
        )
    return tuple(positive_int("units", u) for u in pair)


def _recurrent_layer(cell: str) -> type:
    """The Keras layer class for ``cell="lstm"`` or ``cell="gru"``."""
    if cell not in _CELLS:
        raise DataError(f"cell={cell!r} is not known; use one of {sorted(_CELLS)}")
    return _CELLS[cell]


def _input(lookback: int, n_features: int) -> keras.KerasTensor:
    """``keras.Input(shape=(lookback, n_features))`` after checking both numbers."""
    lookback = positive_int("lookback", lookback, "a window needs at least one time step")
    n_features = positive_int("n_features", n_features, "pass the number of input columns")
    return keras.Input(shape=(lookback, n_features), name="window")


# --------------------------------------------------------------------------- builders
def build_lstm_regressor(
    lookback: int = 60, n_features: int = 1, units: int = 64, horizon: int = 1
) -> keras.Model:
    """LSTM(units) → Dense(horizon): the classic close-price model.

    Parameters
    ----------
    lookback : int
        Time steps per window (60 trading days in the AAPL chapter).
    n_features : int
        Input columns per time step.
    units : int
        Size H of the LSTM's hidden state.
    horizon : int
        Number of future values predicted at once.

    Examples
    --------
    >>> model = build_lstm_regressor()
    >>> model.output_shape, model.count_params()
    ((None, 1), 16961)
    """
    return _regressor("lstm", lookback, n_features, units, horizon)


def _regressor(cell: str, lookback: int, n_features: int, units: int, horizon: int) -> keras.Model:
    """One recurrent layer (``cell``) → Dense(horizon), layers named ``cell`` and ``forecast``."""
    units = positive_int("units", units)
    horizon = positive_int("horizon", horizon, "predict at least one step ahead")
    inputs = _input(lookback, n_features)
    h = _recurrent_layer(cell)(units, name=cell)(inputs)
    outputs = keras.layers.Dense(horizon, name="forecast")(h)
    return keras.Model(inputs, outputs, name=f"{cell}_regressor")


def build_gru_regressor(
    lookback: int = 60, n_features: int = 1, units: int = 64, horizon: int = 1
) -> keras.Model:
    """GRU(units) → Dense(horizon): the GRU counterpart of `build_lstm_regressor`.

    Keras' default GRU (``reset_after=True``) has ``3·(D·H + H² + 2·H)``
    parameters, three quarters of an LSTM's plus one extra bias per gate.

    Examples
    --------
    >>> model = build_gru_regressor()
    >>> model.output_shape, model.count_params()
    ((None, 1), 12929)
    """
    return _regressor("gru", lookback, n_features, units, horizon)


def build_stacked_lstm(
    lookback: int = 60,
    n_features: int = 1,
    units: Sequence[int] = (128, 64),
    dense_units: int = 25,
) -> keras.Model:
    """LSTM(128, return_sequences) → LSTM(64) → Dense(25) → Dense(1).

    With one input feature this is 66,560 + 49,408 + 1,625 + 26 = 117,619
    parameters; with four features the first LSTM alone has 68,096.

    Parameters
    ----------
    lookback, n_features : int
        Window length and input columns.
    units : pair of int
        Hidden sizes of the first (sequence-returning) and second LSTM.
    dense_units : int
        Width of the hidden Dense layer before the one-value output.

    Examples
    --------
    >>> build_stacked_lstm().count_params()
    117619
    """
    first, second = _units_pair(units)
    dense_units = positive_int("dense_units", dense_units)
    inputs = _input(lookback, n_features)
    h = keras.layers.LSTM(first, return_sequences=True, name="lstm_1")(inputs)
    h = keras.layers.LSTM(second, name="lstm_2")(h)
    h = keras.layers.Dense(dense_units, name="dense")(h)
    outputs = keras.layers.Dense(1, name="forecast")(h)
    return keras.Model(inputs, outputs, name="stacked_lstm")


def build_dropout_lstm(
    lookback: int = 10, n_features: int = 1, units: int = 32, dropout: float = 0.2
) -> keras.Model:
    """LSTM(units) → Dropout(dropout) → Dense(1): the 10-day example.

    Dropout has no parameters; it zeroes a fraction ``dropout`` of the LSTM's
    outputs during training only.

    Examples
    --------
    >>> build_dropout_lstm().count_params()
    4385
    """
    units = positive_int("units", units)
    if not 0.0 <= dropout < 1.0:
        raise DataError(f"dropout={dropout!r} must be in [0, 1); 0.2 drops one output in five")
    inputs = _input(lookback, n_features)
    h = keras.layers.LSTM(units, name="lstm")(inputs)
    h = keras.layers.Dropout(dropout, name="dropout")(h)
    outputs = keras.layers.Dense(1, name="forecast")(h)
    return keras.Model(inputs, outputs, name="dropout_lstm")


def build_0050_lstm(
    lookback: int = 5,
    n_features: int = 2,
    units: int | Sequence[int] = 256,
    dense_units: int = 5,
    cell: str = "lstm",
) -> keras.Model:
    """The 0050.TW model: two sequence-returning recurrent layers, then a small head.

    LSTM(256, seq) → LSTM(256, seq) → TimeDistributed(Dense(1)) → Flatten →
    Dense(5, linear) → Dense(1). The TimeDistributed layer turns each day's
    hidden state into one number (``lookback`` numbers in all), Flatten lines
    them up, and the two Dense layers mix them into one forecast.

    Parameters
    ----------
    lookback, n_features : int
        Window length (5 trading days) and input columns (close and volume).
    units : int or pair of int
        Hidden sizes of the two recurrent layers (``64`` for a smaller model).
    dense_units : int
        Width of the linear Dense layer after Flatten.
    cell : {"lstm", "gru"}
        Recurrent layer type, to compare GRU with LSTM at the same sizes.

    Examples
    --------
    >>> build_0050_lstm().count_params()
    790821
    >>> build_0050_lstm(units=64, cell="gru").layers[1].name
    'gru_1'
    """
    first, second = _units_pair(units)
    dense_units = positive_int("dense_units", dense_units)
    layer = _recurrent_layer(cell)
    inputs = _input(lookback, n_features)
    h = layer(first, return_sequences=True, name=f"{cell}_1")(inputs)
    h = layer(second, return_sequences=True, name=f"{cell}_2")(h)
    per_day = keras.layers.Dense(1, name="per_day_dense")
    h = keras.layers.TimeDistributed(per_day, name="per_day")(h)
    h = keras.layers.Flatten(name="flatten")(h)
    h = keras.layers.Dense(dense_units, activation="linear", name="dense")(h)
    outputs = keras.layers.Dense(1, name="forecast")(h)
    return keras.Model(inputs, outputs, name=f"model_0050_{cell}")


def build_seq2seq_lstm(
    lookback: int = 5,
    n_features: int = 2,
    units: int = 64,
    horizon: int = 5,
    cell: str = "lstm",
) -> keras.Model:
    """Many-to-many encoder–decoder: ``lookback`` days in, the next ``horizon`` days out.

    encoder LSTM(units) → RepeatVector(horizon) → decoder LSTM(units, seq) →
    TimeDistributed(Dense(1)) → Flatten. The encoder squeezes the window into
    its last hidden state; the decoder unrolls that summary over ``horizon``
    steps, one forecast per step. The output has shape ``(batch, horizon)``,
    matching ``y`` from ``make_windows(..., horizon=horizon)``.

    Examples
    --------
    >>> model = build_seq2seq_lstm()
    >>> model.output_shape
    (None, 5)
    """
    units = positive_int("units", units)
    horizon = positive_int("horizon", horizon, "predict at least one step ahead")
    layer = _recurrent_layer(cell)
    inputs = _input(lookback, n_features)
    summary = layer(units, name="encoder")(inputs)
    h = keras.layers.RepeatVector(horizon, name="repeat")(summary)
    h = layer(units, return_sequences=True, name="decoder")(h)
    per_step = keras.layers.Dense(1, name="per_step_dense")
    h = keras.layers.TimeDistributed(per_step, name="per_step")(h)
    outputs = keras.layers.Flatten(name="forecast")(h)
    return keras.Model(inputs, outputs, name=f"seq2seq_{cell}")


@keras.saving.register_keras_serializable(package="lstm_tutorial")
class LastValue(keras.layers.Layer):
    """The last time step of one input column, repeated ``horizon`` times: ``(batch, horizon)``."""

    def __init__(self, column: int = 0, horizon: int = 1, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.column, self.horizon = int(column), int(horizon)

    def call(self, inputs):
        last = inputs[:, -1, self.column : self.column + 1]
        return keras.ops.repeat(last, self.horizon, axis=1)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.horizon)

    def get_config(self) -> dict:
        return {**super().get_config(), "column": self.column, "horizon": self.horizon}


def build_residual_lstm(
    lookback: int = 60, n_features: int = 1, units: int = 64, horizon: int = 1,
    target_col: int = 0,
) -> keras.Model:
    """A residual LSTM: forecast = last value of the target + Dense(LSTM(window)).

    The network learns the *change* from the last observed value, not the
    level. Untrained, or fed inputs unlike its training data, it falls back to
    something close to the naive forecast instead of to the levels it saw in
    training. Same parameters as `build_lstm_regressor`; the skip connection
    has none.

    Examples
    --------
    >>> model = build_residual_lstm()
    >>> model.output_shape, model.count_params()
    ((None, 1), 16961)
    """
    units = positive_int("units", units)
    horizon = positive_int("horizon", horizon, "predict at least one step ahead")
    inputs = _input(lookback, n_features)
    if not isinstance(target_col, int) or not 0 <= target_col < n_features:
        raise DataError(f"target_col={target_col!r} must be a column index below {n_features}")
    h = keras.layers.LSTM(units, name="lstm")(inputs)
    change = keras.layers.Dense(horizon, name="change")(h)
    last = LastValue(target_col, horizon, name="last_value")(inputs)
    outputs = keras.layers.Add(name="forecast")([last, change])
    return keras.Model(inputs, outputs, name="residual_lstm")


# --------------------------------------------------------------------------- losses
@keras.saving.register_keras_serializable(package="lstm_tutorial")
def qlike_log_loss(y_true, y_pred):
    """QLIKE loss for a network whose outputs are the **log** of variance forecasts.

    With ``f = exp(y_pred)`` the loss of each output is ``ln f + y / f``
    (the "log" form of `lstm_tutorial.volatility.qlike_loss`), averaged over
    the outputs of a sample. Its expected value given the inputs is smallest
    at ``f = E[y | inputs]``: a network trained with it forecasts the
    conditional *mean* of the variance proxy, with no retransformation bias
    (a network trained with MSE on ``ln y`` forecasts ``E[ln y]``, and
    ``exp(E[ln y])`` lies below ``E[y]``). Zero proxies are fine (``y = 0``
    costs ``ln f``), and the log output keeps every forecast positive.

    Parameters
    ----------
    y_true : tensor, shape (batch, outputs)
        Variance proxies, >= 0, scaled to order 1 (e.g. divided by a training mean).
    y_pred : tensor, shape (batch, outputs)
        The network's outputs, read as ``ln f``.

    Returns
    -------
    tensor, shape (batch,)

    Examples
    --------
    >>> import numpy as np
    >>> loss = qlike_log_loss(np.array([[1.0, 2.0]]), np.array([[0.0, np.log(2.0)]]))
    >>> np.round(np.asarray(loss), 6).tolist()  # mean of 0 + 1 and ln 2 + 1
    [1.346574]
    """
    y_pred = keras.ops.convert_to_tensor(y_pred)
    y_true = keras.ops.cast(y_true, y_pred.dtype)
    return keras.ops.mean(y_pred + y_true * keras.ops.exp(-y_pred), axis=-1)


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
