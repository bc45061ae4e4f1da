"""Companion package of the book *LSTM for Stock Prices*.

Importing the package first quiets TensorFlow's C++ log lines (they carry
timestamps and would break ``pytest --nbval``) and turns off oneDNN's
non-deterministic kernels. Both are environment variables that TensorFlow
reads once, at its own import, so they are set here with ``setdefault``: a
reader who exported other values keeps them.
"""

import os as _os

_os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
_os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
_os.environ.setdefault("KERAS_BACKEND", "tensorflow")

__version__ = "0.1.0"
