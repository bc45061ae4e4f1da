"""Companion package of the book *LSTM for Stock Prices*.

Three layers, each with a job:

- the core, imported by the chapters as modules (``from lstm_tutorial import data,
  windowing, preprocessing, models, training, stats``) and called qualified;
- ``lstm_tutorial.course``: tooling for the course (glue and digit checks, student
  copies, autograders), with the optional dependency group ``course``;
- ``lstm_tutorial.app``: the book's pipeline on any price table and its command line
  (``python -m lstm_tutorial study``), with the optional group ``study``.

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

# curl_cffi (yfinance's HTTP backend) must load its libcurl before TensorFlow does:
# loaded after TensorFlow, every download fails with "ImpersonateError: Impersonating
# chrome152 is not supported" (TensorFlow's bundled TLS symbols win). 60 ms; optional.
try:
    import curl_cffi as _curl_cffi  # noqa: F401
except ImportError:  # yfinance then falls back to requests
    pass

__version__ = "0.1.0"
