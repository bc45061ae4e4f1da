"""lstm_tutorial.repro: the same seed gives the same trained weights."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from pathlib import Path

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
import hashlib, os
import numpy as np
from lstm_tutorial.repro import seed_everything, use_backend
use_backend("jax")
import keras
from keras import ops
X = np.random.default_rng(0).normal(size=(64, 8, 2))
digests = []
for seed in (3, 3, 4):               # seed 3 twice in this process (the second compile cached)
    seed_everything(seed)
    model = keras.Sequential([keras.Input((8, 2)), keras.layers.LSTM(6), keras.layers.Dropout(0.2),
                              keras.layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    model.fit(X, X[:, -1, :1] * 0.5, epochs=3, batch_size=16, verbose=0)
    weights = model.get_weights()
    digests.append(hashlib.sha256(b"".join(w.tobytes() for w in weights)).hexdigest())
print(keras.backend.backend(), os.environ["XLA_FLAGS"])
print(weights[0].dtype, ops.tanh(np.ones(2)).dtype)
print(*digests)
"""
X86 = platform.machine().lower() in ("x86_64", "amd64")


def run_jax(code: str, env: dict) -> list[str]:
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=300, env=env)
    assert run.returncode == 0, run.stderr[-2000:]
    return run.stdout.strip().splitlines()


@pytest.fixture(scope="module")
def jax_env(tmp_path_factory):
    pytest.importorskip("jax")
    env = {**os.environ, "LSTM_TUTORIAL_CACHE": str(tmp_path_factory.mktemp("cache"))}
    env.pop("XLA_FLAGS", None)
    return env


@pytest.fixture(scope="module")
def jax_run(jax_env):
    """The output of JAX_RUN in a fresh process with the book's settings."""
    return run_jax(JAX_RUN, jax_env)


def test_jax_training_is_bit_identical_in_one_process_and_across_two(jax_env, jax_run):
    """One small LSTM trained twice in each of two processes (the second process served from
    the first one's compilation cache): the same weights to the last bit, all four times, in
    float64 (Keras' float64 really computes in float64: `ops.tanh` keeps it). Another seed
    gives other weights."""
    second = run_jax(JAX_RUN, jax_env)
    assert any((Path(jax_env["LSTM_TUTORIAL_CACHE"]) / "jax").iterdir())   # compiles cached
    assert jax_run[0] == "jax --xla_cpu_multi_thread_eigen=false" + (
        " --xla_cpu_max_isa=SSE4_2" if X86 else "")
    assert jax_run[1] == "float64 float64"
    (a, b, other), (c, d, other2) = jax_run[2].split(), second[2].split()
    assert a == b == c == d and other == other2 != a


@pytest.mark.skipif(not X86, reason="the instruction set is pinned on x86 only")
def test_the_x86_instruction_set_is_pinned_over_a_readers_xla_flags(jax_env, jax_run, tmp_path):
    """A reader's own ``--xla_cpu_max_isa`` (here AVX2, whose fused multiply-adds change the
    last bits) is overridden on x86: the weights are those of the pinned SSE4.2 code."""
    avx2 = run_jax(JAX_RUN, {**jax_env, "XLA_FLAGS": "--xla_cpu_max_isa=AVX2"})
    assert avx2[0].split()[-1] == "--xla_cpu_max_isa=SSE4_2"
    assert avx2[2] == jax_run[2]
    as_avx2 = JAX_RUN.replace('use_backend("jax")', 'import lstm_tutorial.repro as repro\n'
                              'repro.XLA_X86_ISA = "--xla_cpu_max_isa=AVX2"\n'
                              'use_backend("jax")')
    unpinned = run_jax(as_avx2, {**jax_env, "LSTM_TUTORIAL_CACHE": str(tmp_path)})
    assert unpinned[0].split()[-1] == "--xla_cpu_max_isa=AVX2"
    assert unpinned[2] != jax_run[2]      # the pin matters: AVX2 code gives other bits


def test_use_backend_refuses_an_unknown_precision():
    from lstm_tutorial.errors import DataError
    from lstm_tutorial.repro import use_backend

    with pytest.raises(DataError, match="floatx='float16' is not one of"):
        use_backend("jax", floatx="float16")


FLOAT32_RUN = """
import numpy as np
from lstm_tutorial.repro import use_backend
use_backend("jax", floatx="float32")
import jax, keras
from keras import ops
print(keras.config.floatx(), jax.config.jax_enable_x64, ops.tanh(np.ones(2)).dtype)
"""


def test_jax_in_float32_when_asked():
    pytest.importorskip("jax")
    assert run_jax(FLOAT32_RUN, dict(os.environ)) == ["float32 False float32"]


ORTHOGONAL_RUN = """
import numpy as np
from lstm_tutorial.repro import use_backend
use_backend("jax", floatx="float32")
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
