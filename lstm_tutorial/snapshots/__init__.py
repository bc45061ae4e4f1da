"""Real daily price snapshots the book uses, shipped as package data.

Read them with `lstm_tutorial.data.load_prices`; each file is checked against
its SHA-256 in ``SHA256SUMS``. Provenance and known vendor glitches are in
``SOURCES.md`` beside this file.
"""
