"""Shared fixtures: real prices, read the way the book reads them."""

from __future__ import annotations

import pytest

from lstm_tutorial.data import load_prices


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    """Every test gets an empty cache folder, so nothing leaks into ~/.cache, and reads
    the snapshots shipped in the package (a reader's $LSTM_TUTORIAL_DATA is ignored)."""
    monkeypatch.setenv("LSTM_TUTORIAL_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("LSTM_TUTORIAL_DATA", raising=False)


@pytest.fixture(scope="session")
def aapl():
    """Real daily AAPL 2000-03-01..2013-03-01 from the packaged sample (offline)."""
    return load_prices("AAPL", source="sample")


@pytest.fixture(scope="session")
def etf0050():
    """Real 0050.TW 2017-01..2018-04 from the packaged snapshot, glitch rows dropped."""
    return load_prices("0050.TW", "2017-01-01", "2018-04-30", glitches="repair")
