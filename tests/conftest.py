"""Shared fixtures: real prices, read the way the book reads them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from lstm_tutorial.data import load_prices

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.fixture(scope="session", autouse=True)
def _snapshot_folder():
    """Point $LSTM_TUTORIAL_DATA at ../shared/data unless the caller set it."""
    if "LSTM_TUTORIAL_DATA" not in os.environ and SHARED_DATA.is_dir():
        os.environ["LSTM_TUTORIAL_DATA"] = str(SHARED_DATA)
    yield


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    """Every test gets an empty cache folder, so nothing leaks into ~/.cache."""
    monkeypatch.setenv("LSTM_TUTORIAL_CACHE", str(tmp_path / "cache"))


@pytest.fixture(scope="session")
def aapl():
    """Real daily AAPL 2000-03-01..2013-03-01 from the packaged sample (offline)."""
    return load_prices("AAPL", source="sample")


@pytest.fixture(scope="session")
def etf0050(_snapshot_folder):
    """Real 0050.TW 2017-01..2018-04 from the snapshot, glitch rows dropped."""
    if "LSTM_TUTORIAL_DATA" not in os.environ:
        pytest.skip("set LSTM_TUTORIAL_DATA to the folder holding 0050.TW.csv")
    return load_prices("0050.TW", "2017-01-01", "2018-04-30", glitches="repair")
