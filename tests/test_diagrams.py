"""Tests of lstm_tutorial.diagrams: what each drawing puts on its axes (Agg backend)."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch  # noqa: E402

from lstm_tutorial.diagrams import plot_gate_heatmaps, plot_rnn_unrolled  # noqa: E402
from lstm_tutorial.errors import DataError  # noqa: E402
from lstm_tutorial.numpy_lstm import lstm_forward, random_lstm_weights  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def _texts(ax):
    return [t.get_text() for t in ax.texts]


def test_unrolled_rnn_draws_one_cell_per_step_and_the_folded_cell():
    x = np.linspace(0, 1, 6)
    fig = plot_rnn_unrolled(x, [f"t={t + 1}" for t in range(6)], xlabel="time step t",
                            title="Unrolled")
    ax_fold, ax_unroll = fig.axes
    boxes = [p for p in ax_unroll.patches if isinstance(p, FancyBboxPatch)]
    arrows = [p for p in ax_unroll.patches if isinstance(p, FancyArrowPatch)]
    assert len(boxes) == 6 and len(arrows) == 3 * 6       # x_t in, h_t out, h_{t-1} in
    assert [p for p in ax_fold.patches if isinstance(p, FancyBboxPatch)]
    assert "$x_{3}$ = 0.40" in _texts(ax_unroll) and "$h_{6}$" in _texts(ax_unroll)
    assert "same W, U, b in every box" in _texts(ax_unroll)
    assert ax_unroll.get_title() == "Unrolled" and ax_unroll.get_xlabel() == "time step t"
    assert ax_fold.get_title() == "Folded"
    assert [t.get_text() for t in ax_unroll.get_xticklabels()] == [f"t={t + 1}" for t in range(6)]


def test_unrolled_rnn_refuses_mismatched_labels():
    with pytest.raises(DataError, match="one label per step"):
        plot_rnn_unrolled(np.ones(3), ["a", "b"], xlabel="t", title="x")


def test_gate_heatmaps_draw_the_window_and_one_map_per_quantity():
    W, U, b = random_lstm_weights(d=1, h=5, seed=0)
    _, _, cache = lstm_forward(np.linspace(0, 1, 10)[None, :, None], W, U, b)
    panels = {"f": ("forget gate", cache.f[0]), "i": ("input gate", cache.i[0]),
              "c": ("cell state", cache.c[0])}
    days = [f"09-{d:02d}" for d in range(10, 20)]
    fig = plot_gate_heatmaps(np.arange(10.0), days, panels, price_label="close (USD)",
                             xlabel="trading day (2012)", title="Gates")
    assert len(fig.axes) == 1 + 2 * 3                     # price, 3 maps, 3 colour bars
    ax_price = fig.axes[0]
    assert ax_price.get_ylabel() == "close (USD)" and len(ax_price.lines) == 1
    assert [t.get_text() for t in ax_price.get_legend().get_texts()] == ["close"]
    maps = [ax for ax in fig.axes if ax.images]
    assert [ax.get_title() for ax in maps] == ["forget gate", "input gate", "cell state"]
    assert maps[0].images[0].get_array().shape == (5, 10)  # units x days
    low, high = maps[2].images[0].get_clim()
    assert low == -high                                   # the cell state: centred on 0
    assert maps[0].images[0].get_clim() == (cache.f.min(), cache.f.max())
    assert fig._suptitle.get_text() == "Gates"


def test_gate_heatmaps_refuse_too_many_panels_and_wrong_lengths():
    values = np.zeros((4, 2))
    with pytest.raises(DataError, match="between 1 and 6"):
        plot_gate_heatmaps(np.zeros(4), list("abcd"), {str(k): ("x", values) for k in range(7)},
                           price_label="p", xlabel="d", title="t")
    with pytest.raises(DataError, match="3 steps"):
        plot_gate_heatmaps(np.zeros(4), list("abcd"), {"f": ("x", np.zeros((3, 2)))},
                           price_label="p", xlabel="d", title="t")
