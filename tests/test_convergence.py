"""Every model whose result a case study interprets stopped by early stopping, not at its cap.

The chapters glue, for each interpreted model, the most epochs any of its seeds ran
(``epochs_run_<key>``) and the epoch cap (``epoch_cap_<key>``), with
`lstm_tutorial.seeds.glue_stopping`. This reads them from the committed notebooks:
a verdict drawn from a network that ran into its cap had not finished training.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lstm_tutorial.notebook import glued_values

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
# chapter -> the interpreted models it must report (at least these keys)
CASE_STUDIES = {
    "07_case_study_aapl.ipynb": {"a", "b2", "residual", "normalised", "walk_forward", "returns"},
    "08_case_study_0050.ipynb": {"orig", "clip", "gru", "small", "s2s"},
    "09_volatility.ipynb": {"aapl", "0050"},
    "10_case_study_msft.ipynb": {"lag1", "lstm20", "residual"},
}


def glued(path: Path) -> dict[str, str]:
    """Every glue record of a committed notebook: name -> stored text."""
    return glued_values(json.loads(path.read_text(encoding="utf-8")))


def stopping(records: dict[str, str]) -> dict[str, tuple[int, int]]:
    """key -> (most epochs run, cap), for every glued model."""
    keys = {n.removeprefix("epochs_run_") for n in records if n.startswith("epochs_run_")}
    missing = sorted(k for k in keys if f"epoch_cap_{k}" not in records)
    assert not missing, f"epochs_run_* without epoch_cap_*: {missing}"
    return {k: (int(records[f"epochs_run_{k}"]), int(records[f"epoch_cap_{k}"])) for k in keys}


@pytest.mark.parametrize("chapter", sorted(CASE_STUDIES))
def test_interpreted_models_stopped_before_their_cap(chapter):
    found = stopping(glued(NOTEBOOKS / chapter))
    least = min(3, len(CASE_STUDIES[chapter]))  # chapter 9 trains one design per asset
    assert len(found) >= least, f"{chapter}: fewer than {least} models report their stopping epoch"
    assert CASE_STUDIES[chapter] <= set(found), (
        f"{chapter}: no stopping epochs for {sorted(CASE_STUDIES[chapter] - set(found))}")
    at_cap = {k: v for k, v in found.items() if v[0] >= v[1]}
    assert not at_cap, f"{chapter}: stopped at the epoch cap (epochs run, cap): {at_cap}"


def test_the_check_catches_a_model_at_its_cap(tmp_path):
    def record(name, value):
        return {"output_type": "display_data",
                "metadata": {"scrapbook": {"name": name}},
                "data": {"application/papermill.record/text/plain": str(value)}}

    nb = {"cells": [{"cell_type": "code", "outputs": [
        record("epochs_run_a", 40), record("epoch_cap_a", 300),
        record("epochs_run_b", 300), record("epoch_cap_b", 300)]}]}
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps(nb))
    found = stopping(glued(path))
    assert found == {"a": (40, 300), "b": (300, 300)}
    assert [k for k, (run, cap) in found.items() if run >= cap] == ["b"]
