"""lstm_tutorial.notebook: numbers glued for the prose."""

from __future__ import annotations

import numpy as np
import pytest

from lstm_tutorial import notebook


@pytest.fixture
def glued(monkeypatch):
    store = {}
    import myst_nb

    monkeypatch.setattr(myst_nb, "glue", lambda name, v, display=True: store.update({name: v}))
    return store


def test_floats_are_rounded_plain_floats(glued):
    notebook.glue_number("x", np.float64(0.123456789))
    notebook.glue_number("y", np.float32(2.5), digits=1)
    assert glued == {"x": 0.1235, "y": 2.5}
    assert type(glued["x"]) is float


def test_integers_stay_integers(glued):
    notebook.glue_number("n", np.int64(3270))
    assert glued["n"] == 3270 and type(glued["n"]) is int


@pytest.mark.parametrize("bad", ["1.0", None, True, [1]])
def test_non_numbers_are_refused(bad, glued):
    with pytest.raises(TypeError, match="real number"):
        notebook.glue_number("bad", bad)
    assert glued == {}
