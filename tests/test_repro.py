"""lstm_tutorial.repro: the same seed gives the same trained weights."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from lstm_tutorial.repro import import_tensorflow, seed_everything


def train_small_model(seed: int) -> list[np.ndarray]:
    seed_everything(seed)
    import_tensorflow()
    import keras

    rng = np.random.default_rng(0)
    X = rng.normal(size=(64, 8, 2)).astype("float32")
    y = X[:, -1, :1] * 0.5
    model = keras.Sequential(
        [keras.Input((8, 2)), keras.layers.LSTM(6), keras.layers.Dropout(0.2),
         keras.layers.Dense(1)]
    )
    model.compile(optimizer="adam", loss="mse")
    model.fit(X, y, epochs=3, batch_size=16, shuffle=True, verbose=0)
    return model.get_weights()


def test_two_trainings_give_identical_weights():
    first, second = train_small_model(7), train_small_model(7)
    for a, b in zip(first, second, strict=True):
        np.testing.assert_array_equal(a, b)


def test_another_seed_gives_other_weights():
    first, other = train_small_model(7), train_small_model(8)
    assert any(not np.array_equal(a, b) for a, b in zip(first, other, strict=True))


def test_returns_the_seed():
    assert seed_everything(123) == 123


def test_use_backend_refuses_a_second_backend_once_keras_is_imported():
    import keras

    from lstm_tutorial.errors import DataError
    from lstm_tutorial.repro import use_backend

    assert keras.backend.backend() == "tensorflow"
    assert use_backend("tensorflow") == "tensorflow"
    with pytest.raises(DataError, match="restart the kernel"):
        use_backend("jax")
    with pytest.raises(DataError, match="not one of"):
        use_backend("torch")


JAX_RUN = """
import numpy as np
from lstm_tutorial.repro import seed_everything, use_backend
use_backend("jax")
import os, keras
seed_everything(3)
rng = np.random.default_rng(0)
X = rng.normal(size=(64, 8, 2)).astype("float32")
model = keras.Sequential([keras.Input((8, 2)), keras.layers.LSTM(6), keras.layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
model.fit(X, X[:, -1, :1], epochs=2, batch_size=16, verbose=0)
print(keras.backend.backend(), os.environ["XLA_FLAGS"])
print(repr(float(np.sum(model.get_weights()[0]))))
"""


def test_jax_backend_trains_deterministically_with_pinned_xla_flags(tmp_path):
    """Two processes, the second served from the first's compilation cache: same weights."""

    pytest.importorskip("jax")
    env = {**os.environ, "LSTM_TUTORIAL_CACHE": str(tmp_path)}
    runs = [subprocess.run([sys.executable, "-c", JAX_RUN], capture_output=True, text=True,
                           timeout=300, env=env) for _ in range(2)]
    assert any((tmp_path / "jax").iterdir())           # compiled programs were cached
    for run in runs:
        assert run.returncode == 0, run.stderr[-2000:]
    first, second = (run.stdout.strip().splitlines() for run in runs)
    assert first[0].startswith("jax ") and "intra_op_parallelism_threads=1" in first[0]
    assert first[1] == second[1]


CACHE_RUN = """
import os
import numpy as np
from lstm_tutorial.repro import seed_everything, use_backend
use_backend("jax")
import keras
X = np.random.default_rng(0).normal(size=(32, 4, 1)).astype("float32")
weights = []
for _ in range(2):  # the second model is compiled from the cache
    seed_everything(5)
    model = keras.Sequential([keras.Input((4, 1)), keras.layers.LSTM(3), keras.layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    model.fit(X, X[:, -1], epochs=1, batch_size=8, verbose=0)
    weights.append(float(np.sum(model.get_weights()[0])))
folder = os.environ["JAX_COMPILATION_CACHE_DIR"]
print(folder)
print(len(os.listdir(folder)) > 0, weights[0] == weights[1])
"""


ORTHOGONAL_RUN = """
import numpy as np
from lstm_tutorial.repro import use_backend
use_backend("jax")
import keras
from keras import random
init = keras.initializers.Orthogonal(seed=7)
w = np.asarray(init((5, 12)))                       # wide: rows orthonormal
draws = np.asarray(random.normal((12, 5), seed=7, dtype="float32"), dtype=np.float64)
q, r = np.linalg.qr(draws)
expected = (q * np.sign(np.diag(r))).T.astype(np.float32)
print(w.dtype, np.array_equal(w, expected), float(np.abs(w @ w.T - np.eye(5)).max()) < 1e-6)
"""


def test_jax_orthogonal_initializer_does_its_qr_in_float64():
    """Under JAX, Orthogonal's QR is NumPy's float64 one, rounded: the same weights on every
    OpenBLAS kernel (Keras' float32 QR there differs in the last bits between CPUs)."""
    pytest.importorskip("jax")
    run = subprocess.run([sys.executable, "-c", ORTHOGONAL_RUN], capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.split() == ["float32", "True", "True"]
