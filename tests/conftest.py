"""Shared fixtures: real prices, read the way the book reads them."""

from __future__ import annotations

import os

import pytest

from lstm_tutorial.data import load_prices


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    """Every test gets an empty cache folder, so nothing leaks into ~/.cache, and reads
    the snapshots shipped in the package (a reader's $LSTM_TUTORIAL_DATA is ignored)."""
    monkeypatch.setenv("LSTM_TUTORIAL_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("LSTM_TUTORIAL_DATA", raising=False)


@pytest.fixture(autouse=True)
def _restore_environment():
    """Whatever a test sets in os.environ (the command line run in-process picks Keras'
    backend, say) is undone after it: the notebooks that pytest runs next start their
    kernels with this process's environment."""
    saved = dict(os.environ)
    yield
    os.environ.clear()
    os.environ.update(saved)


@pytest.fixture(scope="session")
def aapl():
    """Real daily AAPL 2000-03-01..2013-03-01 from the packaged sample (offline)."""
    return load_prices("AAPL", source="sample")


@pytest.fixture(scope="session")
def etf0050():
    """Real 0050.TW 2017-01..2018-04 from the packaged snapshot, glitch rows dropped."""
    return load_prices("0050.TW", "2017-01-01", "2018-04-30", glitches="repair")
