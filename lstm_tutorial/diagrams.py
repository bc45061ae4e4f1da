"""Drawings of the recurrent-network chapters (1 to 4): unrolled RNNs and gate heat maps.

Each function draws one figure of the book in its house style
(`lstm_tutorial.plotting.book_style`) and returns it, titled and labelled, so
that a chapter cell is a single call.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
from numpy.typing import ArrayLike

from lstm_tutorial.errors import DataError
from lstm_tutorial.plotting import book_style

__all__ = ["plot_gate_heatmaps", "plot_rnn_unrolled"]

_ARROW = dict(arrowstyle="-|>", mutation_scale=12, lw=1.2, color="0.2")
_CELL = dict(boxstyle="round,pad=0.03", fc="#dbe9f6", ec="#1f4e79", lw=1.2)
_SIGMOID_GATES = ("f", "i", "o")


def _cell(ax: Axes, k: float) -> None:
    """One tanh cell at x = ``k`` with its input arrow below and output arrow above."""
    ax.add_patch(FancyBboxPatch((k - 0.3, 0.75), 0.6, 0.5, **_CELL))
    ax.text(k, 1.0, "tanh", ha="center", va="center", fontsize=9)
    ax.add_patch(FancyArrowPatch((k, 0.3), (k, 0.72), **_ARROW))       # x_t -> cell
    ax.add_patch(FancyArrowPatch((k, 1.28), (k, 1.7), **_ARROW))       # cell -> h_t


def _bare(ax: Axes, xlim: tuple[float, float]) -> None:
    """Diagram axes: no grid, no y ticks, only the bottom spine."""
    ax.set_xlim(*xlim)
    ax.set_ylim(-0.15, 2.35)
    ax.set_yticks([])
    ax.grid(False)
    for side in ("left", "top", "right"):
        ax.spines[side].set_visible(False)


def _draw_folded(ax: Axes) -> None:
    _cell(ax, 0)
    ax.plot([0.3, 0.62, 0.62], [1.12, 1.12, 0.88], color="0.2", lw=1.2)    # the loop
    ax.add_patch(FancyArrowPatch((0.62, 0.88), (0.31, 0.88), **_ARROW))
    ax.text(0, 0.05, "$x_t$", ha="center")
    ax.text(0, 1.8, "$h_t$", ha="center", fontsize=9)
    ax.text(0.68, 1.0, "$h_{t-1}$", ha="left", va="center", fontsize=8)
    _bare(ax, (-0.8, 1.2))
    ax.set_xticks([])
    ax.set_xlabel("one cell, state fed back")
    ax.set_title("Folded")


def _draw_unrolled(ax: Axes, labels: Sequence[str], x_values: np.ndarray) -> None:
    n = len(labels)
    for k in range(n):
        _cell(ax, k)
        ax.text(k, 0.05, f"$x_{{{k + 1}}}$ = {x_values[k]:.2f}", ha="center", fontsize=8)
        ax.text(k, 1.8, f"$h_{{{k + 1}}}$", ha="center", fontsize=9)
        start = (k - 0.7, 1.0) if k else (-0.95, 1.0)
        ax.add_patch(FancyArrowPatch(start, (k - 0.33, 1.0), **_ARROW))   # h_{t-1} -> cell
    ax.text(-1.0, 1.0, "$h_0=0$", ha="right", va="center", fontsize=8)
    ax.text(n / 2 - 0.5, 2.15, "same W, U, b in every box", ha="center", fontsize=9,
            color="#1f4e79")
    _bare(ax, (-1.6, n - 0.4))
    ax.set_xticks(range(n), labels, fontsize=8)


def plot_rnn_unrolled(x_values: ArrayLike, step_labels: Sequence[str], *, xlabel: str,
                      title: str) -> Figure:
    """An RNN folded (one cell with a loop) beside the same RNN unrolled over the steps.

    Parameters
    ----------
    x_values : (T,) array
        The input of each step, printed under its copy of the cell.
    step_labels : sequence of T str
        Tick label of each step (for example ``"t=1\\n09-10"``).
    xlabel, title : str
        The unrolled panel's axis label and title.

    Returns
    -------
    Figure
        Two axes: the folded cell, and T cells (``FancyBboxPatch``) joined by
        arrows, each labelled with its ``x_t`` and ``h_t``.
    """
    values = np.asarray(x_values, dtype=float).ravel()
    if len(values) != len(step_labels) or len(values) == 0:
        raise DataError(f"one label per step: got {len(values)} values and "
                        f"{len(step_labels)} labels")
    with book_style():
        fig, (ax_fold, ax_unroll) = plt.subplots(
            1, 2, figsize=(12, 3.4), gridspec_kw={"width_ratios": [1, 6]})
        _draw_folded(ax_fold)
        _draw_unrolled(ax_unroll, list(step_labels), values)
        ax_unroll.set_xlabel(xlabel)
        ax_unroll.set_title(title)
    return fig


def plot_gate_heatmaps(close: ArrayLike, days: Sequence[str],
                       panels: Mapping[str, tuple[str, ArrayLike]], *, price_label: str,
                       xlabel: str, title: str, series: str = "close") -> Figure:
    """The input window on top and one heat map (units × days) per LSTM quantity below.

    Parameters
    ----------
    close : (T,) array
        The window's prices, drawn as a line.
    days : sequence of T str
        Day labels of the x axes.
    panels : mapping name -> (panel title, (T, H) array)
        Up to six quantities of one sequence, e.g. ``{"f": ("forget gate $f_t$",
        cache.f[0]), ...}``. The sigmoid gates (names ``"f"``, ``"i"``, ``"o"``)
        get a 0..1-style colour scale from their own range; the others a scale
        centred on zero.
    price_label, xlabel, title : str
        The price axis label, the top panel's x label and the figure title.
    series : str
        The legend entry of the price line.

    Returns
    -------
    Figure
        One price axis, one axis per panel and one colour bar per panel.
    """
    close = np.asarray(close, dtype=float).ravel()
    if not 1 <= len(panels) <= 6:
        raise DataError(f"between 1 and 6 panels fit the 3-column grid, got {len(panels)}")
    if len(close) != len(days):
        raise DataError(f"one day label per price: {len(close)} prices, {len(days)} labels")
    with book_style():
        fig = plt.figure(figsize=(11, 7.5))
        grid = fig.add_gridspec(3, 3, height_ratios=[0.8, 1, 1])
        ax_price = fig.add_subplot(grid[0, :])
        ax_price.plot(list(days), close, marker="o", label=series)
        ax_price.set_ylabel(price_label)
        ax_price.set_xlabel(xlabel)
        ax_price.set_title("The input window")
        ax_price.legend(loc="lower right")
        ticks = range(0, len(days), 3)
        for k, (name, (panel_title, values)) in enumerate(panels.items()):
            values = np.asarray(values, dtype=float)
            if values.shape[0] != len(days):
                raise DataError(f"panel {name!r} has {values.shape[0]} steps, "
                                f"the window {len(days)}")
            ax = fig.add_subplot(grid[1 + k // 3, k % 3])
            if name in _SIGMOID_GATES:
                style = dict(cmap="viridis", vmin=values.min(), vmax=values.max())
            else:
                limit = np.abs(values).max()
                style = dict(cmap="RdBu_r", vmin=-limit, vmax=limit)
            image = ax.imshow(values.T, aspect="auto", **style)
            ax.set_title(panel_title)
            ax.set_xticks(list(ticks), [days[t] for t in ticks])
            ax.set_xlabel("trading day")
            ax.set_ylabel("unit")
            ax.grid(False)
            fig.colorbar(image, ax=ax, label="activation")
        fig.suptitle(title)
    return fig
