"""An LSTM and a plain RNN from scratch in NumPy (float64): forward pass and BPTT.

The weights use Keras' layout, so ``layer.get_weights()`` loads directly:

- LSTM: kernel ``W`` (D×4H), recurrent kernel ``U`` (H×4H), bias ``b`` (4H),
  the four blocks of H columns in gate order **i, f, c, o** (input, forget,
  candidate, output). Standard LSTM, no peepholes.
- SimpleRNN: kernel ``W`` (D×H), recurrent kernel ``U`` (H×H), bias ``b`` (H).

Shapes: ``x`` is (batch B, time steps T, features D); hidden and cell states
are (B, H); sequences of them are (B, T, H). Row vectors throughout, as in
Keras: ``x_t W`` rather than ``W x_t``.

Nothing here imports TensorFlow; the Keras helpers only call ``get_weights()``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from lstm_tutorial.errors import DataError

__all__ = [
    "GATES",
    "LSTMCache",
    "RNNCache",
    "keras_lstm_weights",
    "keras_rnn_weights",
    "lstm_backward",
    "lstm_cell_forward",
    "lstm_forward",
    "numerical_gradient",
    "random_lstm_weights",
    "random_rnn_weights",
    "rnn_backward",
    "rnn_forward",
    "rnn_jacobian_norms",
    "sigmoid",
    "split_gates",
]

GATES = ("i", "f", "c", "o")
"""Keras' order of the four gate blocks in W, U and b."""

Array = NDArray[np.float64]


def sigmoid(z: ArrayLike) -> Array:
    """Logistic function ``σ(z) = 1 / (1 + e^{-z})``, computed as ``(1 + tanh(z/2)) / 2``.

    The tanh form is exact and never overflows for large ``|z|``.

    Examples
    --------
    >>> float(sigmoid(0.0))
    0.5
    """
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=np.float64)))


def split_gates(a: ArrayLike) -> tuple[Array, Array, Array, Array]:
    """Split the last axis (4H) into the i, f, c, o blocks of H each.

    Works for the kernel (D×4H), the recurrent kernel (H×4H), the bias (4H)
    and pre-activations (B×4H).

    Examples
    --------
    >>> W_i, W_f, W_c, W_o = split_gates(np.zeros((3, 8)))
    >>> W_f.shape
    (3, 2)
    """
    a = np.asarray(a)
    if a.shape[-1] % 4:
        raise DataError(
            f"last axis has {a.shape[-1]} columns, not a multiple of 4; "
            "LSTM weights hold 4 gate blocks (i, f, c, o) of H columns each"
        )
    return tuple(np.split(a, 4, axis=-1))  # type: ignore[return-value]


# --------------------------------------------------------------------------- checks
def _as_sequence(x: ArrayLike) -> Array:
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 3:
        raise DataError(
            f"x has shape {x.shape}; expected (batch, time steps, features). "
            "For one sequence use x[None]; for one feature use x[..., None]"
        )
    return x


def _check_weights(W: Array, U: Array, b: Array, d: int, gates: int) -> int:
    """Check Keras-layout shapes for ``gates`` blocks (4: LSTM, 1: RNN); return H."""
    if U.ndim != 2 or U.shape[1] != gates * U.shape[0]:
        raise DataError(
            f"recurrent kernel U has shape {U.shape}; expected (H, {gates}·H)"
            + (" with gate blocks i, f, c, o" if gates == 4 else "")
        )
    h = U.shape[0]
    if W.shape != (d, gates * h):
        raise DataError(
            f"kernel W has shape {W.shape}; with {d} input feature(s) and H={h} "
            f"it must be ({d}, {gates * h}) (features × {gates}·H)"
        )
    if b.shape != (gates * h,):
        raise DataError(f"bias b has shape {b.shape}; expected ({gates * h},)")
    return h


def _initial_state(state: ArrayLike | None, batch: int, h: int, name: str) -> Array:
    if state is None:
        return np.zeros((batch, h))
    state = np.asarray(state, dtype=np.float64)
    if state.shape != (batch, h):
        raise DataError(f"{name} has shape {state.shape}; expected (batch, H) = ({batch}, {h})")
    return state


def _as_weights(W: ArrayLike, U: ArrayLike, b: ArrayLike) -> tuple[Array, Array, Array]:
    return tuple(np.asarray(a, dtype=np.float64) for a in (W, U, b))  # type: ignore[return-value]


def _upstream(dh: ArrayLike, batch: int, steps: int, h: int) -> Array:
    """Turn ``dL/dh_T`` (B, H) or ``dL/dh_t`` for every t (B, T, H) into (B, T, H)."""
    dh = np.asarray(dh, dtype=np.float64)
    if dh.shape == (batch, steps, h):
        return dh
    if dh.shape == (batch, h):
        full = np.zeros((batch, steps, h))
        full[:, -1] = dh
        return full
    raise DataError(
        f"dh has shape {dh.shape}; pass dL/dh for every step ({batch}, {steps}, {h}) "
        f"(return_sequences=True) or for the last step only ({batch}, {h})"
    )


# --------------------------------------------------------------------------- LSTM
@dataclass
class LSTMCache:
    """Everything `lstm_forward` computed, kept for `lstm_backward` and for plots.

    Gate activations ``i``, ``f``, ``c_tilde``, ``o`` and the states ``c``,
    ``h`` are (B, T, H); ``x`` is (B, T, D).
    """

    x: Array
    h0: Array
    c0: Array
    W: Array
    U: Array
    b: Array
    i: Array
    f: Array
    c_tilde: Array
    o: Array
    c: Array
    h: Array


def lstm_cell_forward(
    x_t: ArrayLike, h_prev: ArrayLike, c_prev: ArrayLike, W: ArrayLike, U: ArrayLike, b: ArrayLike
) -> tuple[Array, Array, dict[str, Array]]:
    """One LSTM time step.

    Implements, with σ the logistic sigmoid and ⊙ the element-wise product::

        i_t = σ(x_t W_i + h_{t-1} U_i + b_i)        input gate
        f_t = σ(x_t W_f + h_{t-1} U_f + b_f)        forget gate
        c̃_t = tanh(x_t W_c + h_{t-1} U_c + b_c)     candidate
        o_t = σ(x_t W_o + h_{t-1} U_o + b_o)        output gate
        c_t = f_t ⊙ c_{t-1} + i_t ⊙ c̃_t             cell state
        h_t = o_t ⊙ tanh(c_t)                       hidden state

    Parameters
    ----------
    x_t : (B, D) array
    h_prev, c_prev : (B, H) arrays
    W, U, b : Keras-layout weights (D×4H, H×4H, 4H), gate order i, f, c, o

    Returns
    -------
    h_t, c_t : (B, H) arrays
    gates : dict
        ``{"i": i_t, "f": f_t, "c_tilde": c̃_t, "o": o_t}``.

    Examples
    --------
    >>> W, U, b = random_lstm_weights(d=1, h=2, seed=0)
    >>> h, c, gates = lstm_cell_forward(np.ones((1, 1)), np.zeros((1, 2)), np.zeros((1, 2)),
    ...                                 W, U, b)
    >>> h.shape, sorted(gates)
    ((1, 2), ['c_tilde', 'f', 'i', 'o'])
    """
    a_i, a_f, a_c, a_o = split_gates(x_t @ np.asarray(W) + h_prev @ np.asarray(U) + b)
    i, f, c_tilde, o = sigmoid(a_i), sigmoid(a_f), np.tanh(a_c), sigmoid(a_o)
    c = f * c_prev + i * c_tilde
    h = o * np.tanh(c)
    return h, c, {"i": i, "f": f, "c_tilde": c_tilde, "o": o}


def lstm_forward(
    x: ArrayLike,
    W: ArrayLike,
    U: ArrayLike,
    b: ArrayLike,
    h0: ArrayLike | None = None,
    c0: ArrayLike | None = None,
) -> tuple[Array, Array, LSTMCache]:
    """Run an LSTM over a batch of sequences (float64), as ``keras.layers.LSTM`` does.

    For t = 1..T, applies `lstm_cell_forward`::

        f_t = σ(x_t W_f + h_{t-1} U_f + b_f),  i_t = σ(x_t W_i + h_{t-1} U_i + b_i),
        c̃_t = tanh(x_t W_c + h_{t-1} U_c + b_c), o_t = σ(x_t W_o + h_{t-1} U_o + b_o),
        c_t = f_t ⊙ c_{t-1} + i_t ⊙ c̃_t,        h_t = o_t ⊙ tanh(c_t),

    starting from ``h_0 = h0`` and ``c_0 = c0`` (zeros by default).

    Parameters
    ----------
    x : (B, T, D) array
    W, U, b : Keras-layout weights (D×4H, H×4H, 4H), gate order i, f, c, o
    h0, c0 : (B, H) arrays, optional

    Returns
    -------
    h_seq : (B, T, H) array
        ``h_1..h_T``; Keras' ``return_sequences=True`` output. ``h_seq[:, -1]``
        is the ``return_sequences=False`` output.
    c_seq : (B, T, H) array
        ``c_1..c_T``.
    cache : LSTMCache
        Inputs, weights and every gate activation over time.

    Examples
    --------
    >>> W, U, b = random_lstm_weights(d=3, h=4, seed=0)
    >>> h_seq, c_seq, cache = lstm_forward(np.ones((2, 10, 3)), W, U, b)
    >>> h_seq.shape, cache.f.shape
    ((2, 10, 4), (2, 10, 4))
    """
    x = _as_sequence(x)
    W, U, b = _as_weights(W, U, b)
    batch, steps, d = x.shape
    h_size = _check_weights(W, U, b, d, gates=4)
    h0 = _initial_state(h0, batch, h_size, "h0")
    c0 = _initial_state(c0, batch, h_size, "c0")

    seq = {name: np.empty((batch, steps, h_size)) for name in ("i", "f", "c_tilde", "o", "c", "h")}
    h, c = h0, c0
    for t in range(steps):
        h, c, gates = lstm_cell_forward(x[:, t], h, c, W, U, b)
        for name, value in gates.items():
            seq[name][:, t] = value
        seq["h"][:, t], seq["c"][:, t] = h, c
    cache = LSTMCache(x=x, h0=h0, c0=c0, W=W, U=U, b=b, **seq)
    return seq["h"], seq["c"], cache


def lstm_backward(
    dh: ArrayLike, cache: LSTMCache, dc_last: ArrayLike | None = None
) -> dict[str, Array]:
    """Backpropagation through time for `lstm_forward`.

    Given the upstream gradient ``dh`` = ∂L/∂h_t, walks t = T..1 carrying
    ∂L/∂h_t and ∂L/∂c_t back through the recurrence::

        δh_t = dh_t + δh_{t+1} from the step after     (total ∂L/∂h_t)
        δo_t = δh_t ⊙ tanh(c_t)
        δc_t = δc_{t+1} ⊙ f_{t+1} + δh_t ⊙ o_t ⊙ (1 − tanh²(c_t))
        δi_t = δc_t ⊙ c̃_t,  δf_t = δc_t ⊙ c_{t-1},  δc̃_t = δc_t ⊙ i_t
        δa_t = [δi ⊙ i(1−i), δf ⊙ f(1−f), δc̃ ⊙ (1−c̃²), δo ⊙ o(1−o)]   (B×4H)
        ∂L/∂W += x_tᵀ δa_t,  ∂L/∂U += h_{t-1}ᵀ δa_t,  ∂L/∂b += Σ_batch δa_t
        ∂L/∂x_t = δa_t Wᵀ,   δh_{t-1} (from step t) = δa_t Uᵀ

    Parameters
    ----------
    dh : (B, T, H) or (B, H) array
        ∂L/∂h_t for every step (loss on the whole sequence), or ∂L/∂h_T only
        (loss on the last output, Keras' ``return_sequences=False``).
    cache : LSTMCache
        From `lstm_forward`.
    dc_last : (B, H) array, optional
        ∂L/∂c_T if the loss also uses the final cell state.

    Returns
    -------
    dict
        ``"W"``, ``"U"``, ``"b"``, ``"x"``, ``"h0"``, ``"c0"``: gradients with the
        shapes of those arrays; ``"h"`` and ``"c"``: the total ∂L/∂h_t and
        ∂L/∂c_t for every step (B, T, H), to plot how gradients fade over time.

    Examples
    --------
    >>> W, U, b = random_lstm_weights(d=1, h=4, seed=0)
    >>> h_seq, _, cache = lstm_forward(np.ones((2, 5, 1)), W, U, b)
    >>> grads = lstm_backward(np.ones((2, 4)), cache)   # L = sum of h_T
    >>> grads["W"].shape, grads["h"].shape
    ((1, 16), (2, 5, 4))
    """
    x, W, U = cache.x, cache.W, cache.U
    batch, steps, _ = x.shape
    h_size = U.shape[0]
    dh_up = _upstream(dh, batch, steps, h_size)

    grads = {"W": np.zeros_like(W), "U": np.zeros_like(U), "b": np.zeros_like(cache.b)}
    dx = np.zeros_like(x)
    dh_total = np.zeros((batch, steps, h_size))
    dc_total = np.zeros((batch, steps, h_size))
    dh_next = np.zeros((batch, h_size))
    dc_next = (
        np.zeros((batch, h_size))
        if dc_last is None
        else _initial_state(dc_last, batch, h_size, "dc_last")
    )
    for t in reversed(range(steps)):
        i, f, c_tilde, o = cache.i[:, t], cache.f[:, t], cache.c_tilde[:, t], cache.o[:, t]
        c_prev = cache.c[:, t - 1] if t > 0 else cache.c0
        h_prev = cache.h[:, t - 1] if t > 0 else cache.h0
        tanh_c = np.tanh(cache.c[:, t])

        d_h = dh_up[:, t] + dh_next
        d_o = d_h * tanh_c
        d_c = dc_next + d_h * o * (1.0 - tanh_c**2)
        d_a = np.concatenate(
            [
                d_c * c_tilde * i * (1.0 - i),
                d_c * c_prev * f * (1.0 - f),
                d_c * i * (1.0 - c_tilde**2),
                d_o * o * (1.0 - o),
            ],
            axis=-1,
        )
        grads["W"] += x[:, t].T @ d_a
        grads["U"] += h_prev.T @ d_a
        grads["b"] += d_a.sum(axis=0)
        dx[:, t] = d_a @ W.T
        dh_total[:, t], dc_total[:, t] = d_h, d_c
        dh_next = d_a @ U.T
        dc_next = d_c * f
    grads.update(x=dx, h0=dh_next, c0=dc_next, h=dh_total, c=dc_total)
    return grads


# --------------------------------------------------------------------------- plain RNN
@dataclass
class RNNCache:
    """Everything `rnn_forward` computed: inputs, weights and ``h`` (B, T, H)."""

    x: Array
    h0: Array
    W: Array
    U: Array
    b: Array
    h: Array


def rnn_forward(
    x: ArrayLike, W: ArrayLike, U: ArrayLike, b: ArrayLike, h0: ArrayLike | None = None
) -> tuple[Array, RNNCache]:
    """Run a plain tanh RNN over a batch of sequences, as ``keras.layers.SimpleRNN`` does.

    Implements, for t = 1..T from ``h_0 = h0`` (zeros by default)::

        h_t = tanh(x_t W + h_{t-1} U + b)

    with Keras' SimpleRNN layout: kernel ``W`` (D×H), recurrent kernel ``U``
    (H×H), bias ``b`` (H). The interface mirrors `lstm_forward`, without a
    cell state.

    Returns
    -------
    h_seq : (B, T, H) array
    cache : RNNCache

    Examples
    --------
    >>> W, U, b = random_rnn_weights(d=1, h=8, seed=0)
    >>> h_seq, cache = rnn_forward(np.ones((2, 20, 1)), W, U, b)
    >>> h_seq.shape
    (2, 20, 8)
    """
    x = _as_sequence(x)
    W, U, b = _as_weights(W, U, b)
    batch, steps, d = x.shape
    h_size = _check_weights(W, U, b, d, gates=1)
    h0 = _initial_state(h0, batch, h_size, "h0")
    h_seq = np.empty((batch, steps, h_size))
    h = h0
    for t in range(steps):
        h = np.tanh(x[:, t] @ W + h @ U + b)
        h_seq[:, t] = h
    return h_seq, RNNCache(x=x, h0=h0, W=W, U=U, b=b, h=h_seq)


def rnn_backward(dh: ArrayLike, cache: RNNCache) -> dict[str, Array]:
    """Backpropagation through time for `rnn_forward`.

    Walks t = T..1::

        δh_t = dh_t + δa_{t+1} Uᵀ          (total ∂L/∂h_t)
        δa_t = δh_t ⊙ (1 − h_t²)            (through tanh)
        ∂L/∂W += x_tᵀ δa_t,  ∂L/∂U += h_{t-1}ᵀ δa_t,  ∂L/∂b += Σ_batch δa_t
        ∂L/∂x_t = δa_t Wᵀ

    Each step back multiplies by ``diag(1 − h_t²) Uᵀ``; when those factors are
    small, ∂L/∂h_t shrinks geometrically with distance from the loss: the
    vanishing gradient.

    Parameters
    ----------
    dh : (B, T, H) or (B, H) array
        ∂L/∂h_t for every step, or ∂L/∂h_T only.
    cache : RNNCache
        From `rnn_forward`.

    Returns
    -------
    dict
        ``"W"``, ``"U"``, ``"b"``, ``"x"``, ``"h0"``, and ``"h"`` (total ∂L/∂h_t, (B, T, H)).

    Examples
    --------
    >>> W, U, b = random_rnn_weights(d=1, h=8, seed=0)
    >>> _, cache = rnn_forward(np.ones((1, 30, 1)), W, U, b)
    >>> norms = np.linalg.norm(rnn_backward(np.ones((1, 8)), cache)["h"][0], axis=-1)
    >>> bool(norms[0] < norms[-1])
    True
    """
    x, W, U = cache.x, cache.W, cache.U
    batch, steps, _ = x.shape
    h_size = U.shape[0]
    dh_up = _upstream(dh, batch, steps, h_size)

    grads = {"W": np.zeros_like(W), "U": np.zeros_like(U), "b": np.zeros_like(cache.b)}
    dx = np.zeros_like(x)
    dh_total = np.zeros((batch, steps, h_size))
    dh_next = np.zeros((batch, h_size))
    for t in reversed(range(steps)):
        h_prev = cache.h[:, t - 1] if t > 0 else cache.h0
        d_h = dh_up[:, t] + dh_next
        d_a = d_h * (1.0 - cache.h[:, t] ** 2)
        grads["W"] += x[:, t].T @ d_a
        grads["U"] += h_prev.T @ d_a
        grads["b"] += d_a.sum(axis=0)
        dx[:, t] = d_a @ W.T
        dh_total[:, t] = d_h
        dh_next = d_a @ U.T
    grads.update(x=dx, h0=dh_next, h=dh_total)
    return grads


def rnn_jacobian_norms(x: ArrayLike, W: ArrayLike, U: ArrayLike, b: ArrayLike) -> Array:
    """Spectral norm of ∂h_T/∂h_t for every step t = 1..T of one sequence.

    Runs H identical copies of ``x`` as a batch and gives copy j the loss
    ``L_j = h_{T,j}`` (upstream gradient: row j of the identity), so that copy
    j's ∂L/∂h_t from `rnn_backward` is row j of the Jacobian ∂h_T/∂h_t.

    Parameters
    ----------
    x : (1, T, D) array
        One sequence.
    W, U, b : arrays
        SimpleRNN weights in Keras' layout.

    Returns
    -------
    (T,) array
        Entry t is ‖∂h_T/∂h_{t+1}‖₂; reverse it (``[::-1]``) to index by the
        distance T − t. The last entry is 1 (∂h_T/∂h_T is the identity).

    Examples
    --------
    >>> W, U, b = random_rnn_weights(d=1, h=8, seed=0)
    >>> norms = rnn_jacobian_norms(np.ones((1, 30, 1)), W, 0.5 * U, b)
    >>> float(norms[-1]), bool(norms[0] < 1e-3)
    (1.0, True)
    """
    x = _as_sequence(x)
    if x.shape[0] != 1:
        raise DataError(f"rnn_jacobian_norms takes one sequence, shape (1, T, D); got {x.shape}")
    h_units = np.asarray(U).shape[0]
    _, cache = rnn_forward(np.repeat(x, h_units, axis=0), W, U, b)   # H identical copies
    rows = rnn_backward(np.eye(h_units), cache)["h"]                 # (H, T, H)
    return np.array([np.linalg.norm(rows[:, t, :], ord=2) for t in range(x.shape[1])])


# --------------------------------------------------------------------------- weights
def random_lstm_weights(
    d: int, h: int, seed: int = 0, scale: float | None = None
) -> tuple[Array, Array, Array]:
    """Random Keras-layout LSTM weights ``W`` (d×4h), ``U`` (h×4h), ``b`` (4h), float64.

    Entries are normal with standard deviation ``scale`` (default ``1/√(d+h)``);
    the forget-gate bias is 1, as Keras' ``unit_forget_bias=True`` sets it.

    Examples
    --------
    >>> W, U, b = random_lstm_weights(d=1, h=32)
    >>> W.shape, U.shape, b.shape
    ((1, 128), (32, 128), (128,))
    """
    scale = 1.0 / np.sqrt(d + h) if scale is None else scale
    rng = np.random.default_rng(seed)
    W = rng.normal(0.0, scale, (d, 4 * h))
    U = rng.normal(0.0, scale, (h, 4 * h))
    b = rng.normal(0.0, scale, 4 * h)
    b[h : 2 * h] += 1.0
    return W, U, b


def random_rnn_weights(
    d: int, h: int, seed: int = 0, scale: float | None = None
) -> tuple[Array, Array, Array]:
    """Random SimpleRNN-layout weights ``W`` (d×h), ``U`` (h×h), ``b`` (h), float64.

    Entries are normal with standard deviation ``scale`` (default ``1/√(d+h)``).

    Examples
    --------
    >>> [a.shape for a in random_rnn_weights(d=1, h=8)]
    [(1, 8), (8, 8), (8,)]
    """
    scale = 1.0 / np.sqrt(d + h) if scale is None else scale
    rng = np.random.default_rng(seed)
    return rng.normal(0.0, scale, (d, h)), rng.normal(0.0, scale, (h, h)), rng.normal(0.0, scale, h)


def _keras_weights(
    layer: Any, kind: str, activations: dict[str, str]
) -> tuple[Array, Array, Array]:
    cell = getattr(layer, "cell", layer)
    for attr, expected in activations.items():
        name = getattr(getattr(cell, attr, None), "__name__", expected)
        if name != expected:
            raise DataError(
                f"{layer.name!r} uses {attr}={name!r}; the NumPy {kind} implements "
                f"{attr}={expected!r} (Keras' default), so its outputs would differ"
            )
    weights = layer.get_weights()
    if not weights:
        raise DataError(
            f"{layer.name!r} has no weights yet; build it first, e.g. call it on a batch "
            "or put it in a model that starts with keras.Input"
        )
    W, U = weights[0], weights[1]
    b = weights[2] if len(weights) > 2 else np.zeros(U.shape[1])
    return _as_weights(W, U, b)


def keras_lstm_weights(layer: Any) -> tuple[Array, Array, Array]:
    """``W, U, b`` (float64) from a built ``keras.layers.LSTM``: ``layer.get_weights()``.

    A layer built with ``use_bias=False`` gives ``b = 0``.

    Examples
    --------
    >>> W, U, b = keras_lstm_weights(model.get_layer("lstm"))     # doctest: +SKIP
    >>> h_seq, c_seq, cache = lstm_forward(X, W, U, b)            # doctest: +SKIP
    """
    return _keras_weights(layer, "LSTM", {"activation": "tanh", "recurrent_activation": "sigmoid"})


def keras_rnn_weights(layer: Any) -> tuple[Array, Array, Array]:
    """``W, U, b`` (float64) from a built ``keras.layers.SimpleRNN``.

    Examples
    --------
    >>> W, U, b = keras_rnn_weights(model.get_layer("simple_rnn"))  # doctest: +SKIP
    """
    return _keras_weights(layer, "RNN", {"activation": "tanh"})


# --------------------------------------------------------------------------- checking
def numerical_gradient(loss: Callable[[], float], param: Array, eps: float = 1e-6) -> Array:
    """Central-difference gradient of ``loss()`` with respect to ``param`` (changed in place).

    Each entry: ``(L(p + ε) − L(p − ε)) / 2ε``, error O(ε²). ``param`` must be
    a float64 array that ``loss`` reads; it is restored after each nudge.

    Examples
    --------
    >>> p = np.array([1.0, 2.0])
    >>> np.round(numerical_gradient(lambda: float((p ** 2).sum()), p), 6)
    array([2., 4.])
    """
    if param.dtype != np.float64:
        raise DataError(
            f"param has dtype {param.dtype}; finite differences need float64 "
            "(use param.astype(np.float64))"
        )
    grad = np.zeros_like(param)
    flat, flat_grad = param.reshape(-1), grad.reshape(-1)
    if not np.shares_memory(flat, param):
        raise DataError("param must be a contiguous array so it can be nudged in place")
    for k in range(flat.size):
        saved = flat[k]
        flat[k] = saved + eps
        up = loss()
        flat[k] = saved - eps
        down = loss()
        flat[k] = saved
        flat_grad[k] = (up - down) / (2.0 * eps)
    return grad
