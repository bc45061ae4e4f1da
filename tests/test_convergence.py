"""Every model a case study interprets converged, or the chapter says that it did not.

The chapters glue, for each interpreted model, the most epochs any of its seeds ran
(``epochs_run_<key>``), the epoch cap (``epoch_cap_<key>``), the number of seeds that
meet the book's definition of convergence (``converged_<key>``, see
`lstm_tutorial.training.converged`: stopped early, training loss levelled off, weights
from after the warm-up) and the number of seeds (``seeds_<key>``), with
`lstm_tutorial.training.glue_stopping`. This reads them from the committed notebooks: a
verdict drawn from a network that ran into its cap had not finished training, and a
model whose seeds did not all converge must have its count quoted in the prose
(``{glue:text}`converged_<key>```), so the reader is told.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lstm_tutorial.course.notebook import glued_values
from lstm_tutorial.training import SeedRun, converged

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
# chapter -> the interpreted models it must report (at least these keys)
CASE_STUDIES = {
    "07_case_study_aapl.ipynb": {"a", "b2", "residual", "normalised", "walk_forward", "returns"},
    "08_case_study_0050.ipynb": {"orig", "clip", "gru", "small", "s2s", "wf"},
    "09_volatility.ipynb": {"aapl", "0050"},
    "10_case_study_msft.ipynb": {"lag1", "lstm20", "residual"},
    "appendix_common_mistakes.ipynb": {"tips"},
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


def markdown(path: Path) -> str:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")


def unreported(records: dict[str, str], prose: str, keys: set[str]) -> dict[str, str]:
    """Models whose seeds did not all converge and whose count the prose does not quote."""
    missing = {}
    for key in sorted(keys):
        done, seeds = int(records[f"converged_{key}"]), int(records[f"seeds_{key}"])
        if done < seeds and f"`converged_{key}`" not in prose:
            missing[key] = f"{done} of {seeds} seeds converged"
    return missing


@pytest.mark.parametrize("chapter", sorted(CASE_STUDIES))
def test_models_that_did_not_converge_are_reported_in_the_prose(chapter):
    path = NOTEBOOKS / chapter
    records = glued(path)
    keys = CASE_STUDIES[chapter]
    absent = sorted(k for k in keys
                    if f"converged_{k}" not in records or f"seeds_{k}" not in records)
    assert not absent, f"{chapter}: no converged_*/seeds_* glued for {absent} (glue_stopping)"
    assert not unreported(records, markdown(path), keys), (
        f"{chapter}: models that did not converge, and the prose does not say so: "
        f"{unreported(records, markdown(path), keys)}")


def test_the_report_check_catches_a_silent_failure():
    records = {"converged_a": "5", "seeds_a": "5", "converged_b": "2", "seeds_b": "5"}
    assert unreported(records, "All five seeds learned.", {"a", "b"}) == {
        "b": "2 of 5 seeds converged"}
    told = "Only {glue:text}`converged_b` of the seeds converged."
    assert unreported(records, told, {"a", "b"}) == {}


class _History:
    def __init__(self, loss):
        self.history = {"loss": loss}


def test_the_definition_needs_a_plateau_an_early_stop_and_trained_weights():
    flat = _History([2.0, 1.0, 0.6] + [0.5] * 30)
    assert converged(SeedRun(0, None, flat, 33, 23, 300))
    assert not converged(SeedRun(0, None, flat, 33, 23, 33))     # ran into its cap
    assert not converged(SeedRun(0, None, flat, 33, 4, 300))     # kept epoch-4 weights
    falling = _History([1.0 * 0.98**k for k in range(33)])       # 2 % better every epoch
    assert not converged(SeedRun(0, None, falling, 33, 23, 300))
    slow = _History([1.0 * 0.9995**k for k in range(33)])        # 0.5 % in ten epochs
    assert converged(SeedRun(0, None, slow, 33, 23, 300))


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
