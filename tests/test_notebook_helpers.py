"""lstm_tutorial.course.notebook: numbers glued for the prose."""

from __future__ import annotations

import numpy as np
import pytest

from lstm_tutorial.course import notebook


@pytest.fixture
def glued(monkeypatch):
    store = {}
    import myst_nb

    monkeypatch.setattr(myst_nb, "glue", lambda name, v, display=True: store.update({name: v}))
    return store


def test_floats_are_rounded_plain_floats(glued):
    notebook.glue_number("x", np.float64(0.123456789))
    notebook.glue_number("y", np.float32(2.5), digits=1)
    notebook.glue_number("z", 3.942048323324343e-07)
    notebook.glue_number("w", 4.91234567, digits=3)
    notebook.glue_number("big", 3175.987951807229)
    assert glued == {"x": 0.123457, "y": 2.5, "z": 3.94205e-07, "w": 4.912, "big": 3175.99}
    assert type(glued["x"]) is float


def test_glued_floats_never_show_more_than_the_limit(glued):
    rng = np.random.default_rng(0)
    for k, v in enumerate(rng.standard_normal(200) * 10.0 ** rng.integers(-9, 9, 200)):
        notebook.glue_number(f"v{k}", v)
    texts = [repr(v) for v in glued.values()]
    nb = {"cells": [{"cell_type": "code", "outputs": [
        {"output_type": "display_data", "data": {"text/plain": t}} for t in texts]}]}
    assert notebook.overprecise_numbers(nb, limit=notebook.GLUE_SIGNIFICANT) == []


def test_integers_stay_integers(glued):
    notebook.glue_number("n", np.int64(3270))
    assert glued["n"] == 3270 and type(glued["n"]) is int


@pytest.mark.parametrize("bad", ["1.0", None, True, [1]])
def test_non_numbers_are_refused(bad, glued):
    with pytest.raises(TypeError, match="real number"):
        notebook.glue_number("bad", bad)
    assert glued == {}



def test_glue_results_glues_a_dict_at_once(glued):
    import pandas as pd

    notebook.glue_results({"rows": np.int64(3270), "rmse": 0.92541234, "name": "AAPL",
                           "first": pd.Timestamp("2000-03-01")}, prefix="aapl_")
    notebook.glue_results({"skill": -0.0123456789}, digits=3)
    assert glued == {"aapl_rows": 3270, "aapl_rmse": 0.925412, "aapl_name": "AAPL",
                     "aapl_first": "2000-03-01", "skill": -0.012}


@pytest.mark.parametrize("bad", [np.zeros(2), [1.0], None, True])
def test_glue_results_refuses_what_is_not_a_number_string_or_date(bad, glued):
    with pytest.raises(TypeError, match="'x' is a"):
        notebook.glue_results({"ok": 1.0, "x": bad})
    assert glued == {}  # nothing glued when one entry is bad

def test_p_text_never_shows_zero():
    from lstm_tutorial.course.notebook import p_text

    assert p_text(0.0) == "< 0.001" and p_text(0.000999) == "< 0.001"
    assert p_text(0.001) == "0.001" and p_text(0.0456) == "0.046" and p_text(1.0) == "1.000"
    assert p_text(0.004, digits=2) == "< 0.01"
    assert p_text(float("nan")) == "n/a"
    with pytest.raises(ValueError, match="lies in"):
        p_text(1.5)
