"""The NumPy LSTM and RNN against Keras (forward), tf.GradientTape and finite differences."""

from __future__ import annotations

import numpy as np
import pytest

from lstm_tutorial.errors import DataError
from lstm_tutorial.numpy_lstm import (
    keras_lstm_weights,
    keras_rnn_weights,
    lstm_backward,
    lstm_cell_forward,
    lstm_forward,
    numerical_gradient,
    random_lstm_weights,
    random_rnn_weights,
    rnn_backward,
    rnn_forward,
    sigmoid,
    split_gates,
)
from lstm_tutorial.repro import import_tensorflow

tf = import_tensorflow()
import keras  # noqa: E402

B, T = 3, 6
FORWARD_TOL = 1e-5
GRAD_TOL = 1e-5


def _inputs(d: int, h: int, seed: int = 0, batch: int = B, steps: int = T):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(batch, steps, d))
    h0 = 0.5 * rng.normal(size=(batch, h))
    c0 = 0.5 * rng.normal(size=(batch, h))
    return x, h0, c0


def _built(layer, d: int, steps: int = T, dtype: str = "float32"):
    layer(np.zeros((1, steps, d), dtype=dtype))
    return layer


# --------------------------------------------------------------------------- forward
@pytest.mark.parametrize("return_sequences", [True, False])
@pytest.mark.parametrize("d", [1, 3])
@pytest.mark.parametrize("h", [4, 32])
def test_lstm_forward_equals_keras(d, h, return_sequences):
    x, _, _ = _inputs(d, h)
    layer = _built(keras.layers.LSTM(h, return_sequences=return_sequences), d)
    # larger-than-default weights so every gate saturates somewhere
    W, U, b = random_lstm_weights(d, h, seed=1, scale=0.8)
    layer.set_weights([W.astype("float32"), U.astype("float32"), b.astype("float32")])
    expected = np.asarray(layer(x.astype("float32")))

    h_seq, c_seq, _ = lstm_forward(x.astype("float32"), *keras_lstm_weights(layer))
    got = h_seq if return_sequences else h_seq[:, -1]
    assert got.shape == expected.shape
    assert np.max(np.abs(got - expected)) < FORWARD_TOL


def test_lstm_forward_equals_keras_with_keras_initial_weights_and_state():
    d, h = 3, 8
    x, h0, c0 = _inputs(d, h)
    layer = _built(keras.layers.LSTM(h, return_sequences=True, return_state=True), d)
    out, h_last, c_last = layer(
        x.astype("float32"), initial_state=[h0.astype("float32"), c0.astype("float32")]
    )
    h_seq, c_seq, _ = lstm_forward(x.astype("float32"), *keras_lstm_weights(layer), h0=h0, c0=c0)
    assert np.max(np.abs(h_seq - np.asarray(out))) < FORWARD_TOL
    assert np.max(np.abs(c_seq[:, -1] - np.asarray(c_last))) < FORWARD_TOL
    assert np.max(np.abs(h_seq[:, -1] - np.asarray(h_last))) < FORWARD_TOL


def test_gate_activations_are_returned_for_plotting():
    d, h = 2, 5
    x, h0, c0 = _inputs(d, h)
    W, U, b = random_lstm_weights(d, h, seed=3, scale=1.0)
    h_seq, c_seq, cache = lstm_forward(x, W, U, b, h0=h0, c0=c0)
    for gate in (cache.i, cache.f, cache.o):
        assert gate.shape == (B, T, h)
        assert gate.min() > 0.0 and gate.max() < 1.0
    assert np.abs(cache.c_tilde).max() < 1.0
    # one hand-written step at t = 2 from the stored previous states
    a = x[:, 2] @ W + h_seq[:, 1] @ U + b
    a_i, a_f, a_c, a_o = split_gates(a)
    np.testing.assert_allclose(cache.f[:, 2], 1 / (1 + np.exp(-a_f)), rtol=1e-12)
    np.testing.assert_allclose(cache.c_tilde[:, 2], np.tanh(a_c), rtol=1e-12)
    np.testing.assert_allclose(
        c_seq[:, 2], cache.f[:, 2] * c_seq[:, 1] + cache.i[:, 2] * cache.c_tilde[:, 2], rtol=1e-12
    )
    step_h, step_c, _ = lstm_cell_forward(x[:, 0], h0, c0, W, U, b)
    np.testing.assert_array_equal(step_h, h_seq[:, 0])
    np.testing.assert_array_equal(step_c, c_seq[:, 0])


@pytest.mark.parametrize("d, h", [(1, 4), (3, 32)])
def test_rnn_forward_equals_keras_simple_rnn(d, h):
    x, h0, _ = _inputs(d, h)
    layer = _built(keras.layers.SimpleRNN(h, return_sequences=True), d)
    W, U, b = random_rnn_weights(d, h, seed=2, scale=0.8)
    layer.set_weights([W.astype("float32"), U.astype("float32"), b.astype("float32")])
    expected = np.asarray(layer(x.astype("float32"), initial_state=[h0.astype("float32")]))
    h_seq, _ = rnn_forward(x.astype("float32"), *keras_rnn_weights(layer), h0=h0.astype("float32"))
    assert np.max(np.abs(h_seq - expected)) < FORWARD_TOL


def test_sigmoid_is_stable_and_exact():
    z = np.array([-800.0, -3.0, 0.0, 2.0, 800.0])
    with np.errstate(all="raise"):
        s = sigmoid(z)
    np.testing.assert_allclose(s[1:4], 1 / (1 + np.exp(-z[1:4])), rtol=1e-14)
    assert s[0] == 0.0 and s[-1] == 1.0


# --------------------------------------------------------------------------- gradients
def _tape_gradients(layer, x, states, upstream):
    """Gradients of L = Σ upstream ⊙ output with tf.GradientTape (float64 layer)."""
    x_var = tf.Variable(x)
    state_vars = [tf.Variable(s) for s in states]
    with tf.GradientTape() as tape:
        out = layer(x_var, initial_state=state_vars)
        loss = tf.reduce_sum(out * upstream)
    weights = [layer.cell.kernel, layer.cell.recurrent_kernel, layer.cell.bias]
    grads = tape.gradient(loss, [*weights, x_var, *state_vars])
    return [np.asarray(g) for g in grads]


@pytest.mark.parametrize("return_sequences", [True, False])
@pytest.mark.parametrize("d, h", [(1, 4), (3, 32)])
def test_lstm_backward_equals_gradient_tape(d, h, return_sequences):
    x, h0, c0 = _inputs(d, h, seed=4)
    layer = _built(
        keras.layers.LSTM(h, return_sequences=return_sequences, dtype="float64"), d, dtype="float64"
    )
    layer.set_weights(list(random_lstm_weights(d, h, seed=5, scale=0.8)))
    rng = np.random.default_rng(6)
    upstream = rng.normal(size=(B, T, h) if return_sequences else (B, h))

    dW, dU, db, dx, dh0, dc0 = _tape_gradients(layer, x, [h0, c0], upstream)
    _, _, cache = lstm_forward(x, *keras_lstm_weights(layer), h0=h0, c0=c0)
    grads = lstm_backward(upstream, cache)
    for name, expected in zip(
        ("W", "U", "b", "x", "h0", "c0"), (dW, dU, db, dx, dh0, dc0), strict=True
    ):
        assert grads[name].shape == expected.shape, name
        assert np.max(np.abs(grads[name] - expected)) < GRAD_TOL, name


@pytest.mark.parametrize("return_sequences", [True, False])
def test_rnn_backward_equals_gradient_tape(return_sequences):
    d, h = 3, 8
    x, h0, _ = _inputs(d, h, seed=7)
    layer = _built(
        keras.layers.SimpleRNN(h, return_sequences=return_sequences, dtype="float64"),
        d,
        dtype="float64",
    )
    layer.set_weights(list(random_rnn_weights(d, h, seed=8, scale=0.8)))
    upstream = np.random.default_rng(9).normal(size=(B, T, h) if return_sequences else (B, h))

    dW, dU, db, dx, dh0 = _tape_gradients(layer, x, [h0], upstream)
    _, cache = rnn_forward(x, *keras_rnn_weights(layer), h0=h0)
    grads = rnn_backward(upstream, cache)
    for name, expected in zip(("W", "U", "b", "x", "h0"), (dW, dU, db, dx, dh0), strict=True):
        assert np.max(np.abs(grads[name] - expected)) < GRAD_TOL, name


def test_lstm_backward_passes_finite_difference_check():
    d, h = 3, 4
    x, h0, c0 = _inputs(d, h, batch=2, steps=4, seed=10)
    W, U, b = random_lstm_weights(d, h, seed=11, scale=0.8)
    rng = np.random.default_rng(12)
    r_h, r_c = rng.normal(size=(2, 4, h)), rng.normal(size=(2, h))

    def loss() -> float:  # uses h_t at every step and the final cell state
        h_seq, c_seq, _ = lstm_forward(x, W, U, b, h0=h0, c0=c0)
        return float(np.sum(h_seq * r_h) + np.sum(c_seq[:, -1] * r_c))

    _, _, cache = lstm_forward(x, W, U, b, h0=h0, c0=c0)
    grads = lstm_backward(r_h, cache, dc_last=r_c)
    for name, param in {"W": W, "U": U, "b": b, "x": x, "h0": h0, "c0": c0}.items():
        numeric = numerical_gradient(loss, param)
        assert np.max(np.abs(grads[name] - numeric)) < GRAD_TOL, name
        assert np.abs(numeric).max() > 1e-3, name  # the check is not vacuous


def test_rnn_backward_passes_finite_difference_check():
    d, h = 2, 5
    x, h0, _ = _inputs(d, h, batch=2, steps=5, seed=13)
    W, U, b = random_rnn_weights(d, h, seed=14, scale=0.8)
    r_h = np.random.default_rng(15).normal(size=(2, h))

    def loss() -> float:  # uses the last step only
        return float(np.sum(rnn_forward(x, W, U, b, h0=h0)[0][:, -1] * r_h))

    grads = rnn_backward(r_h, rnn_forward(x, W, U, b, h0=h0)[1])
    for name, param in {"W": W, "U": U, "b": b, "x": x, "h0": h0}.items():
        numeric = numerical_gradient(loss, param)
        assert np.max(np.abs(grads[name] - numeric)) < GRAD_TOL, name


def test_rnn_gradient_vanishes_faster_than_lstm():
    """∂L/∂h_t of a loss on h_T: the RNN's shrinks geometrically going back, the LSTM's less."""
    d, h, steps = 1, 16, 40
    x = np.random.default_rng(16).normal(size=(1, steps, d))
    _, rnn_cache = rnn_forward(x, *random_rnn_weights(d, h, seed=17, scale=0.2))
    rnn_norms = np.linalg.norm(rnn_backward(np.ones((1, h)), rnn_cache)["h"][0], axis=-1)
    W, U, b = random_lstm_weights(d, h, seed=17, scale=0.2)
    b[h : 2 * h] = 3.0  # forget gate ≈ 0.95: the cell state carries the gradient back
    _, _, lstm_cache = lstm_forward(x, W, U, b)
    lstm_norms = np.linalg.norm(lstm_backward(np.ones((1, h)), lstm_cache)["c"][0], axis=-1)
    assert rnn_norms[0] / rnn_norms[-1] < 1e-4  # measured 2e-6
    assert lstm_norms[0] / lstm_norms[-1] > 1e-1  # measured 1.35


# --------------------------------------------------------------------------- errors
def test_bad_shapes_raise_data_error():
    W, U, b = random_lstm_weights(3, 4)
    with pytest.raises(DataError, match="batch, time steps, features"):
        lstm_forward(np.zeros((6, 3)), W, U, b)
    with pytest.raises(DataError, match="kernel W has shape"):
        lstm_forward(np.zeros((1, 6, 2)), W, U, b)
    with pytest.raises(DataError, match="h0 has shape"):
        lstm_forward(np.zeros((2, 6, 3)), W, U, b, h0=np.zeros((1, 4)))
    _, _, cache = lstm_forward(np.zeros((2, 6, 3)), W, U, b)
    with pytest.raises(DataError, match="dh has shape"):
        lstm_backward(np.zeros((2, 5, 4)), cache)
    with pytest.raises(DataError, match=r"expected \(H, 1·H\)"):
        rnn_forward(np.zeros((1, 6, 3)), W, U, b)
    with pytest.raises(DataError, match="float64"):
        numerical_gradient(lambda: 0.0, np.zeros(3, dtype="float32"))


def test_keras_weight_helpers_check_the_layer():
    with pytest.raises(DataError, match="no weights yet"):
        keras_lstm_weights(keras.layers.LSTM(4))
    relu = _built(keras.layers.LSTM(4, activation="relu"), 2)
    with pytest.raises(DataError, match="activation='relu'"):
        keras_lstm_weights(relu)
    no_bias = _built(keras.layers.SimpleRNN(4, use_bias=False), 2)
    W, U, b = keras_rnn_weights(no_bias)
    assert (W.shape, U.shape, b.shape) == ((2, 4), (4, 4), (4,))
    assert W.dtype == np.float64 and not b.any()


def test_rnn_jacobian_norms_equal_the_product_of_step_jacobians():
    from lstm_tutorial.numpy_lstm import rnn_jacobian_norms

    W, U, b = random_rnn_weights(d=2, h=5, seed=3)
    x = np.random.default_rng(1).normal(size=(1, 12, 2))
    h_seq, _ = rnn_forward(x, W, U, b)
    norms = rnn_jacobian_norms(x, W, U, b)
    assert norms.shape == (12,)
    # dh_T = dh_t @ J_{t+1} @ ... @ J_T with J_k = U diag(1 - h_k^2) (row vectors)
    product = np.eye(5)
    expected = [1.0]
    for k in range(11, 0, -1):
        product = (U * (1 - h_seq[0, k] ** 2)) @ product
        expected.append(np.linalg.norm(product, ord=2))
    np.testing.assert_allclose(norms, expected[::-1], rtol=1e-10)
    with pytest.raises(DataError, match="one sequence"):
        rnn_jacobian_norms(np.ones((2, 4, 2)), W, U, b)
