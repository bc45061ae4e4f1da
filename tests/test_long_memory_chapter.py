"""Chapter 3's long-memory section trains 36 networks; its verdicts rest on early stops.

The notebook glues, per model and lag, the most epochs any seed ran
(``epochs_run_<model>_<lag>``) and the cap (``epoch_cap_<model>_<lag>``) with
`lstm_tutorial.seeds.glue_stopping`. This reads them from the committed notebook: a
model that reached its cap had not finished learning, and "it fails at this lag"
would then only mean "it ran out of epochs".
"""

from __future__ import annotations

import json
from pathlib import Path

from lstm_tutorial.notebook import glued_values

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "03b_long_memory.ipynb"
MODELS = ("rnn", "lstm", "lstm5")
LAGS = (10, 50, 100, 200)


def glued(path: Path) -> dict[str, str]:
    """Every glue record of a committed notebook: name -> stored text."""
    return glued_values(json.loads(path.read_text(encoding="utf-8")))


def test_every_model_and_lag_stopped_before_its_cap():
    records = glued(NOTEBOOK)
    for model in MODELS:
        for lag in LAGS:
            key = f"{model}_{lag}"
            run, cap = int(records[f"epochs_run_{key}"]), int(records[f"epoch_cap_{key}"])
            assert run < cap, f"{key}: a seed ran {run} epochs, the cap is {cap}"


def test_the_results_the_prose_quotes_are_glued():
    records = glued(NOTEBOOK)
    for model in MODELS:
        assert f"{model}_fails_at" in records
        for lag in LAGS:
            solved = int(records[f"{model}_{lag}_solved"])
            assert 0 <= solved <= 3
            assert float(records[f"{model}_{lag}_min"]) <= float(records[f"{model}_{lag}_max"])
