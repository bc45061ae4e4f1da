"""Reproducibility: one call that makes a run repeatable.

Same seed, same machine, same library versions: same numbers. This is what
lets ``pytest --nbval`` compare a notebook's committed outputs with a fresh run.
"""

from __future__ import annotations

import contextlib
import logging
import os
import random
import sys
import warnings

import numpy as np

__all__ = ["import_tensorflow", "portable_orthogonal", "seed_everything", "use_backend"]

DEFAULT_SEED = 42
BACKENDS = ("tensorflow", "jax")
# XLA (the JAX backend's compiler) on the CPU: one thread, so that results do not depend
# on the reader's core count (it changes the order of float sums, and so the last bits,
# which training then amplifies).
# (No other token may sit in XLA_FLAGS: XLA stops reading at the first one without "--".)
XLA_CPU_FLAGS = ("--xla_cpu_multi_thread_eigen=false",)
# On x86, code for SSE4.2 and nothing newer, on every CPU: see `use_backend`.
XLA_X86_ISA = "--xla_cpu_max_isa=SSE4_2"
# The precision Keras trains in under JAX; float64 is the default (see `use_backend`).
FLOATX = ("float64", "float32")


def use_backend(name: str, *, floatx: str = "float64") -> str:
    """Choose Keras' backend for this session; call it before anything imports Keras.

    The book trains with TensorFlow by default. The case studies train with the
    JAX backend, about 3 times faster on a CPU (LSTM(64) on 60-step windows:
    0.16 s per epoch against 0.47 s with TensorFlow, on the book's 2-core machine).
    For JAX it also keeps compiled programs in JAX's persistent compilation
    cache (in the package's cache folder, `lstm_tutorial.data.cache_dir`), so
    that the seeds of one architecture are compiled once, and it pins how XLA
    compiles for the CPU, so that a chapter prints the same numbers on every
    reader's machine:

    - **One thread** (``--xla_cpu_multi_thread_eigen=false``): the number of
      cores would change the order of float sums.
    - **On x86, SSE4.2 code on every CPU** (``--xla_cpu_max_isa=SSE4_2``, placed
      after any ``xla_cpu_max_isa`` already in ``XLA_FLAGS``, so it wins). XLA
      fuses ``a*b + c`` into one fused multiply-add (FMA) wherever the
      instruction set has one (AVX2 and AVX-512 do, SSE4.2 and AVX do not), and
      no XLA flag turns the fusion off; it also picks its vector width, and so
      the order of sums, per CPU. Either changes the last bits, and training
      amplifies them over thousands of steps: chapter 8's first seed stopped at
      epoch 108 with AVX2 or AVX-512, 99 with SSE4.2, 83 with AVX and 94 on ARM,
      in float32. Pinned, every x86 CPU runs the same code and gives the same
      bits. ARM (Apple Silicon, Graviton) has FMA in every vector unit and
      cannot be pinned this way: see the next point.
    - **float64** (``floatx``, the default). Where the hardware differs (ARM
      against x86), float64 keeps the differences near 1e-16 instead of 1e-7:
      a 64/64 LSTM trained on ARM (aarch64 under QEMU) stopped at the same epoch
      as on x86 with the same validation loss to 12 digits. It costs time, most
      for long windows: a 128/64 LSTM on 60-step windows trains about 2.7 times
      slower than in float32, so chapter 7 passes ``floatx="float32"`` and says
      what that means on ARM.

    Parameters
    ----------
    name : "tensorflow" or "jax"
    floatx : "float64" or "float32"
        Keras' float type under JAX. The TensorFlow backend always uses float32.

    Returns
    -------
    str
        The backend, so a notebook can print it.

    Raises
    ------
    ~lstm_tutorial.errors.DataError
        For an unknown name or precision, or when Keras is already imported
        with another backend (restart the kernel and call this first).
    """
    import platform

    from lstm_tutorial.errors import DataError

    if name not in BACKENDS:
        raise DataError(f"backend {name!r} is not one of {BACKENDS}")
    if floatx not in FLOATX:
        raise DataError(f"precision floatx={floatx!r} is not one of {FLOATX}")
    if "keras" in sys.modules:
        current = sys.modules["keras"].backend.backend()
        if current != name:
            raise DataError(
                f"Keras is already imported with the {current!r} backend; restart the kernel "
                f"and call use_backend({name!r}) before importing Keras, lstm_tutorial.models "
                "or lstm_tutorial.training"
            )
    os.environ["KERAS_BACKEND"] = name
    if name == "jax":
        existing = os.environ.get("XLA_FLAGS", "")
        missing = [f for f in XLA_CPU_FLAGS if f.split("=")[0] not in existing]
        isa = [f for f in existing.split() if f.startswith("--xla_cpu_max_isa")]
        if platform.machine().lower() in ("x86_64", "amd64") and isa[-1:] != [XLA_X86_ISA]:
            missing.append(XLA_X86_ISA)   # last: XLA takes the last value of a flag
        os.environ["XLA_FLAGS"] = " ".join([existing, *missing]).strip()
        import jax

        jax.config.update("jax_enable_x64", floatx == "float64")
        import_tensorflow()  # before Keras, without its start-up log lines
        _keras_jax_float64(floatx == "float64")
        _jax_compilation_cache()
        portable_orthogonal()
        import keras

        keras.config.set_floatx(floatx)
    return name


def _keras_jax_float64(on: bool) -> None:
    """Let Keras' type promotion keep float64 under JAX (it casts it to float32).

    Keras mirrors JAX's default, where 64-bit types do not exist, by mapping
    float64 to float32 in ``BIT64_TO_BIT32_DTYPE`` on every backend but
    TensorFlow, even when JAX's ``jax_enable_x64`` is on. With
    ``floatx="float64"`` that makes ``ops.tanh`` return float32, lets an LSTM
    compute its gates in float32, and makes a float64 SimpleRNN fail with a
    dtype mismatch. Keras' own to-do (keras-team/keras#21604); here the mapping
    follows ``on``.
    """
    from keras.src.backend.common import dtypes

    dtypes.BIT64_TO_BIT32_DTYPE["float64"] = "float64" if on else "float32"


def _orthogonal_float64(self, shape, dtype=None):
    """`keras.initializers.Orthogonal`, with its QR factorisation done in float64 by NumPy.

    Same random draws and the same steps as Keras' own ``__call__``; only the QR
    differs. Under JAX, Keras' float32 QR runs in the LAPACK of SciPy's OpenBLAS,
    whose kernels (chosen per CPU, ``OPENBLAS_CORETYPE``) differ in the last bits.
    In float64 such differences are about 1e-16 and vanish when the result is
    rounded to float32 (unless a value lies that close to a rounding boundary,
    which is rare).
    """
    from keras import ops, random

    if len(shape) < 2:
        raise ValueError(f"the orthogonal initializer needs at least 2 dimensions, got {shape}")
    num_rows = int(np.prod(shape[:-1]))
    num_cols = shape[-1]
    flat_shape = (max(num_cols, num_rows), min(num_cols, num_rows))
    a = np.asarray(random.normal(flat_shape, seed=self.seed, dtype=dtype), dtype=np.float64)
    q, r = np.linalg.qr(a)
    q = q * np.sign(np.diag(r))
    if num_rows < num_cols:
        q = q.T
    return ops.convert_to_tensor((self.gain * q).reshape(shape), dtype=dtype)


def portable_orthogonal() -> None:
    """Make Keras' orthogonal initializer give the same weights on every x86 CPU.

    LSTM, GRU and SimpleRNN layers start their recurrent weights from
    `keras.initializers.Orthogonal`. Under the JAX backend its QR factorisation
    in float32 goes through OpenBLAS, whose kernels differ between CPUs in the
    last bits; training amplifies such differences into different results (the
    book measured it: chapters 8 and 10 printed other numbers with
    ``OPENBLAS_CORETYPE`` unset). `use_backend` ("jax") calls this; it replaces
    the initializer's ``__call__`` by one that does the QR in float64
    (`_orthogonal_float64`). Calling it twice is harmless. The TensorFlow
    backend does its QR in its own code and needs no change.
    """
    from keras.src.initializers.random_initializers import Orthogonal

    Orthogonal.__call__ = _orthogonal_float64


def _jax_compilation_cache() -> None:
    """Keep JAX's compiled programs in the user cache (``<cache_dir>/jax``).

    Every seed builds a new model, and JAX compiles each one's training step
    again (about 2 s of CPU for model A here). The compiled program of an
    identical architecture is identical, so JAX's persistent compilation cache
    serves it from disk instead: a chapter that trains five seeds of six designs
    compiles six times, not thirty. Compiled code only; results are unchanged.
    """
    import jax

    from lstm_tutorial.data import cache_dir

    jax.config.update("jax_compilation_cache_dir", str(cache_dir() / "jax"))
    jax.config.update("jax_persistent_cache_min_compile_time_secs", 0)
    jax.config.update("jax_persistent_cache_min_entry_size_bytes", -1)


def seed_everything(seed: int = DEFAULT_SEED) -> int:
    """Seed Python's random, NumPy, TensorFlow and Keras, and make TensorFlow deterministic.

    Parameters
    ----------
    seed : int
        The seed for every random number generator.

    Returns
    -------
    int
        The seed, so a notebook can print what it used.

    Notes
    -----
    - ``keras.utils.set_random_seed`` seeds Python's ``random``, NumPy and
      TensorFlow, and resets Keras' global seed generator (what ``keras.random``
      draws from under JAX, e.g. initial weights and dropout), in one call.
    - ``tf.config.experimental.enable_op_determinism`` makes every TensorFlow op
      deterministic (it raises for the few ops that have no deterministic kernel).
    - TensorFlow's C++ log lines (``TF_CPP_MIN_LOG_LEVEL``) and its Python
      logger are silenced: their lines carry timestamps.
    - What makes a run repeatable is these seeds and op determinism, plus, for
      JAX, the flags of `use_backend` (XLA on one thread, SSE4.2 code on
      x86) and float64.
      ``PYTHONHASHSEED`` is not part of it: Python reads it once, when the
      interpreter starts, so setting it here leaves this process's ``str``
      hashes random. It is set anyway for processes started later, which
      inherit it: the loky workers of `lstm_tutorial.training.train_seeds`,
      started after a notebook's first call, hash strings the same way in
      every run. No result of the book is known to depend on ``str`` hash
      order: the package feeds no iteration over a set of strings into a
      result, and the small LSTM of ``tests/test_repro.py`` trains to the same
      bits with ``PYTHONHASHSEED`` 0, 1, 12345 or random (TensorFlow and JAX).

    Examples
    --------
    >>> from lstm_tutorial.repro import seed_everything
    >>> seed_everything(42)
    42
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
    # No effect on this process (read at interpreter start); inherited by worker
    # processes started later (train_seeds' loky workers). See Notes.
    os.environ["PYTHONHASHSEED"] = str(seed)
    random.seed(seed)
    np.random.seed(seed)

    tf = import_tensorflow()
    import keras

    keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()  # TensorFlow backend; harmless with JAX
    tf.get_logger().setLevel(logging.ERROR)
    logging.getLogger("absl").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", module="keras")
    return seed


@contextlib.contextmanager
def _stderr_silenced():
    """Send the process's file descriptor 2 to /dev/null for the duration.

    TensorFlow writes a few lines (oneDNN, CUDA stub) *before* its logging is
    configured, straight to the C-level stderr, ignoring ``TF_CPP_MIN_LOG_LEVEL``.
    Jupyter forwards C-level output to the notebook, so without this they
    would appear, with timestamps, under the first cell that imports it.
    """
    sys.stderr.flush()
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def import_tensorflow():
    """Import TensorFlow without its start-up log lines and return the module."""
    if "tensorflow" not in sys.modules:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
        with _stderr_silenced():
            import tensorflow  # noqa: F401
    return sys.modules["tensorflow"]
