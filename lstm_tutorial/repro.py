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

DEFAULT_SEED = 42


def seed_everything(seed: int = DEFAULT_SEED) -> int:
    """Seed Python, NumPy, TensorFlow and Keras, and make TensorFlow deterministic.

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
    - ``keras.utils.set_random_seed`` seeds Python's ``random``, NumPy and the
      backend (TensorFlow) in one call.
    - ``tf.config.experimental.enable_op_determinism`` makes every TensorFlow op
      deterministic (it raises for the few ops that have no deterministic kernel).
    - TensorFlow's C++ log lines (``TF_CPP_MIN_LOG_LEVEL``) and its Python
      logger are silenced: their lines carry timestamps.

    Examples
    --------
    >>> from lstm_tutorial.repro import seed_everything
    >>> seed_everything(42)
    42
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
    os.environ["PYTHONHASHSEED"] = str(seed)
    random.seed(seed)
    np.random.seed(seed)

    tf = import_tensorflow()
    import keras

    keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()
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
