"""Chapter 3's long-memory section trains 48 networks; its verdicts rest on early stops.

The notebook glues, per model and lag, the most epochs any seed ran
(``epochs_run_<model>_<lag>``) and the cap (``epoch_cap_<model>_<lag>``) with
`lstm_tutorial.training.glue_stopping`. This reads them from the committed notebook: a
model that reached its cap had not finished learning, and "it fails at this lag"
would then only mean "it ran out of epochs". Early stopping is a cap of its own if
its patience is shorter than the plateaus that runs sit on before they solve the task:
the longest such wait of any run that solved it must stay below the patience.
"""

from __future__ import annotations

import json
from pathlib import Path

from lstm_tutorial.course.notebook import glued_values

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "03b_long_memory.ipynb"
MODELS = ("rnn", "rnnid", "lstm", "lstm5")
LAGS = (10, 50, 100)


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


def test_patience_is_longer_than_any_wait_before_solving():
    records = glued(NOTEBOOK)
    patience, cap = int(records["patience"]), int(records["cap"])
    assert int(records["wait_solved_max"]) < patience
    assert int(records["latest_solve"]) + patience < cap


def test_the_results_the_prose_quotes_are_glued():
    records = glued(NOTEBOOK)
    seeds = int(records["n_seeds"])
    assert seeds >= 4
    for model in MODELS:
        assert f"{model}_fails_at" in records
        for lag in LAGS:
            key = f"{model}_{lag}"
            solved = int(records[f"{key}_solved"])
            assert 0 <= solved <= seeds
            assert float(records[f"{key}_min"]) <= float(records[f"{key}_max"])
            low, high = float(records[f"{key}_low"]), float(records[f"{key}_high"])
            assert low <= solved / seeds <= high, f"{key}: the interval misses the rate"
            if solved:   # the epochs at which its runs first solved the validation set
                assert int(records[f"{key}_first"]) <= int(records[f"{key}_last"])
