"""lstm_tutorial.stats, and the appendix page of common mistakes that uses it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from lstm_tutorial.course.notebook import glued_values
from lstm_tutorial.errors import DataError
from lstm_tutorial.models import build_tip_lstm
from lstm_tutorial.params import dense_param_count, lstm_param_count
from lstm_tutorial.repro import import_tensorflow
from lstm_tutorial.stats import TIP_TABLE_COLUMNS, tip_table
from lstm_tutorial.training import SeedRun

import_tensorflow()
import keras  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "notebooks" / "appendix_common_mistakes.ipynb"
# Every mistake the page must show: the ten it always listed and the ones of issue 17.
LABELS = [
    "mistake-scaling-whole-series", "mistake-off-by-one", "mistake-features-as-time-steps",
    "mistake-lag-illusion", "mistake-no-naive-baseline", "mistake-same-day-ohl",
    "mistake-normalising-whole-table", "mistake-too-many-parameters",
    "mistake-reporting-on-validation", "mistake-loss-gap",
    "mistake-gate-equations", "mistake-zero-cell-gradient", "mistake-broadcast-metrics",
    "mistake-shape-index", "mistake-val-loss-legend", "mistake-wrong-authors",
    "mistake-param-formula", "mistake-untested-tips",
]


# ----------------------------------------------------------------------------- builder
def test_reference_lstm_has_the_formula_count():
    model = build_tip_lstm(20)
    assert model.input_shape == (None, 20, 1) and model.output_shape == (None, 1)
    assert model.count_params() == lstm_param_count(1, 32) + dense_param_count(32, 1)
    assert model.get_layer("lstm_1").activation is keras.activations.tanh


def test_stack_order_activation_and_dropout():
    model = build_tip_lstm(10, n_features=2, units=(16, 32), activation="relu", dropout=0.2)
    lstms = [layer for layer in model.layers if isinstance(layer, keras.layers.LSTM)]
    assert [layer.units for layer in lstms] == [16, 32]
    assert [layer.return_sequences for layer in lstms] == [True, False]
    assert all(layer.activation is keras.activations.relu for layer in lstms)
    assert model.get_layer("dropout").rate == 0.2
    expected = lstm_param_count(2, 16) + lstm_param_count(16, 32) + dense_param_count(32, 1)
    assert model.count_params() == expected


@pytest.mark.parametrize("kwargs", [dict(units=()), dict(units=0), dict(dropout=1.0)])
def test_builder_rejects_bad_settings(kwargs):
    with pytest.raises(DataError):
        build_tip_lstm(20, **kwargs)


# ----------------------------------------------------------------------------- table
def _runs(n: int, epochs: int = 40) -> list[SeedRun]:
    return [SeedRun(s, None, None, epochs + s, epochs - 10, 300) for s in range(n)]


@pytest.fixture
def random_walk():
    rng = np.random.default_rng(0)
    y = 100 + rng.normal(size=400).cumsum()
    naive = np.r_[100.0, y[:-1]]
    return y, naive


def test_tip_table_against_naive_and_reference(random_walk):
    y, naive = random_walk
    halfway = naive + 0.5 * (y - naive)               # much better than naive
    noisy = naive + np.random.default_rng(1).normal(scale=0.5, size=len(y))
    forecasts = {"ref": [naive + 0.01, naive + 0.03], "good": [halfway, halfway],
                 "bad": [noisy, noisy]}
    runs = {name: _runs(2) for name in forecasts}
    table = tip_table(y, naive, forecasts, runs, "ref")
    assert list(table.columns) == TIP_TABLE_COLUMNS
    assert table.loc["ref", TIP_TABLE_COLUMNS[-4:]].isna().all()
    assert table.loc["good", "skill low"] > 0 and table.loc["good", "DM p"] < 0.01
    assert table.loc["good", "vs ref low"] > 0 and table.loc["good", "vs ref DM p"] < 0.01
    assert table.loc["bad", "vs ref high"] < 0 and table.loc["bad", "vs reference"] < 0
    # the reference is the naive forecast shifted by 0.02: almost no skill either way
    assert abs(table.loc["ref", "ensemble skill"]) < 0.01
    ref = table.loc["ref"]
    assert ref["skill min"] <= ref["skill mean"] <= ref["skill max"]
    assert table.loc["good", "epochs run (max)"] == 41 and table.loc["good", "cap"] == 300


def test_tip_table_needs_its_reference_and_one_run_per_forecast(random_walk):
    y, naive = random_walk
    with pytest.raises(DataError, match="reference"):
        tip_table(y, naive, {"a": [naive]}, {"a": _runs(1)}, "b")
    with pytest.raises(DataError, match="one run per forecast"):
        tip_table(y, naive, {"a": [naive, naive]}, {"a": _runs(1)}, "a")


# ----------------------------------------------------------------------------- the page
def _page() -> dict:
    return json.loads(PAGE.read_text(encoding="utf-8"))


def test_page_shows_every_mistake_once():
    text = "\n".join("".join(c["source"]) for c in _page()["cells"] if c["cell_type"] == "markdown")
    anchors = re.findall(r"^\((mistake-[\w-]+)\)=$", text, re.M)
    assert sorted(anchors) == sorted(LABELS), set(anchors) ^ set(LABELS)
    for label in LABELS:                        # and the overview table links each one
        assert f"{{ref}}`{label}`" in text, label


def test_page_replaces_the_markdown_page_in_the_appendix():
    toc = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    appendix = toc.split("caption: Appendix", 1)[1]
    assert "file: notebooks/appendix_common_mistakes" in appendix
    assert "book/common_mistakes" not in toc
    assert not (ROOT / "book" / "common_mistakes.md").exists()


def test_page_tips_stopped_early_and_have_their_numbers():
    glued = glued_values(_page())
    assert int(glued["epochs_run_tips"]) < int(glued["epoch_cap_tips"])
    assert int(glued["n_seeds"]) >= 3
    for name in ("n_better_naive", "n_better_ref", "n_worse_ref", "ref_lo_min", "ref_hi_max"):
        assert name in glued, name
