"""Model builders for every architecture in the book (training is in `lstm_tutorial.training`).

Every builder starts from ``keras.Input(shape=(lookback, n_features))`` (Keras 3
style: no ``input_shape=`` argument on the first layer) and gives each layer a
readable ``name=``, so ``model.summary()`` and `lstm_tutorial.params.param_table`
read like the book's prose.

=========================  ===================================================
builder                    architecture
=========================  ===================================================
`build_lstm`               the general builder: recurrent layer(s) → Dropout →
                           Dense layers → Dense(horizon); the recipes below use it
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
`build_tip_lstm`           the appendix's tuning-tip LSTM (units, activation, dropout)
=========================  ===================================================

`qlike_log_loss` is a training loss for variance forecasts: the network outputs
the log of the variance, the loss is QLIKE (chapter 9).
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any

from lstm_tutorial.errors import DataError, positive_int
from lstm_tutorial.repro import import_tensorflow

import_tensorflow()
import keras  # noqa: E402  (TensorFlow must be imported quietly first)

__all__ = [
    "LastValue",
    "build_lstm",
    "build_tip_lstm",
    "build_0050_lstm",
    "build_dropout_lstm",
    "build_gru_regressor",
    "build_lstm_regressor",
    "build_residual_lstm",
    "build_seq2seq_lstm",
    "build_stacked_lstm",
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
def build_lstm(
    lookback: int,
    n_features: int = 1,
    units: int | Sequence[int] = 32,
    *,
    horizon: int = 1,
    dense_units: Sequence[int] = (),
    dropout: float = 0.0,
    activation: str = "tanh",
    cell: str = "lstm",
    layer_names: Sequence[str] | None = None,
    name: str = "lstm",
) -> keras.Model:
    """Recurrent layer(s) → optional Dropout → optional Dense layers → Dense(horizon).

    The one general builder: the named recipes below (`build_lstm_regressor`,
    `build_stacked_lstm`, ...) are this function with the book's settings.

    Parameters
    ----------
    lookback, n_features : int
        Window length and input columns.
    units : int or sequence of int
        Hidden size of each recurrent layer, first to last; all but the last
        return sequences (``(128, 64)``: a 128-unit layer feeding a 64-unit one).
    horizon : int
        Number of future values predicted at once (width of the output layer).
    dense_units : sequence of int
        Widths of hidden Dense layers between the recurrent stack and the output.
    dropout : float
        Rate of a ``Dropout`` layer after the last recurrent layer (0: no such layer).
    activation : str
        The recurrent layers' activation for the candidate and the output
        (Keras' ``activation``; the gates keep their sigmoid).
    cell : {"lstm", "gru"}
        Recurrent layer type.
    layer_names : sequence of str, optional
        Names of the recurrent layers (default ``cell`` for one layer, else
        ``cell_1``, ``cell_2``, ...). Hidden Dense layers are ``dense``
        (``dense_1``, ... if several), dropout ``dropout``, the output ``forecast``.
    name : str
        The model's name.

    Examples
    --------
    >>> model = build_lstm(20, units=(32, 16), dropout=0.2)
    >>> [layer.name for layer in model.layers[1:]], model.count_params()
    (['lstm_1', 'lstm_2', 'dropout', 'forecast'], 7505)
    """
    sizes = [units] if isinstance(units, numbers.Integral) else list(units)
    if not sizes:
        raise DataError("units is empty; give one size per recurrent layer, e.g. units=(32,)")
    sizes = [positive_int("units", u) for u in sizes]
    horizon = positive_int("horizon", horizon, "predict at least one step ahead")
    widths = [positive_int("dense_units", u) for u in dense_units]
    if not 0.0 <= dropout < 1.0:
        raise DataError(f"dropout={dropout!r} must be in [0, 1); 0.2 drops one output in five")
    layer = _recurrent_layer(cell)
    if layer_names is None:
        layer_names = ([cell] if len(sizes) == 1
                       else [f"{cell}_{k}" for k in range(1, len(sizes) + 1)])
    if len(layer_names) != len(sizes):
        raise DataError(f"layer_names={layer_names!r} must name each of the {len(sizes)} layers")
    inputs = _input(lookback, n_features)
    h = inputs
    for k, (size, layer_name) in enumerate(zip(sizes, layer_names, strict=True), start=1):
        h = layer(size, activation=activation, return_sequences=k < len(sizes),
                  name=layer_name)(h)
    if dropout > 0:
        h = keras.layers.Dropout(dropout, name="dropout")(h)
    for k, width in enumerate(widths, start=1):
        h = keras.layers.Dense(width, name="dense" if len(widths) == 1 else f"dense_{k}")(h)
    outputs = keras.layers.Dense(horizon, name="forecast")(h)
    return keras.Model(inputs, outputs, name=name)


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
    return build_lstm(lookback, n_features, units, horizon=horizon, name="lstm_regressor")


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
    return build_lstm(lookback, n_features, units, horizon=horizon, cell="gru",
                      name="gru_regressor")


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
    return build_lstm(lookback, n_features, _units_pair(units), dense_units=(dense_units,),
                      name="stacked_lstm")


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
    return build_lstm(lookback, n_features, units, dropout=dropout, name="dropout_lstm")


def build_tip_lstm(
    lookback: int,
    n_features: int = 1,
    units: int | Sequence[int] = 32,
    activation: str = "tanh",
    dropout: float = 0.0,
) -> keras.Model:
    """LSTM layer(s) → optional Dropout → Dense(1), with the knobs tutorials turn (appendix).

    Unlike `build_lstm`, one layer is also named ``lstm_1``.

    Examples
    --------
    >>> [layer.name for layer in build_tip_lstm(20).layers[1:]]
    ['lstm_1', 'forecast']
    """
    sizes = [units] if isinstance(units, numbers.Integral) else list(units)
    return build_lstm(lookback, n_features, sizes, dropout=dropout, activation=activation,
                      layer_names=[f"lstm_{k}" for k in range(1, len(sizes) + 1)],
                      name="tip_lstm")


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


