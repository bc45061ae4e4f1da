"""Drawings of the recurrent-network chapters: cells, gates and unrolled RNNs.

Each function draws one figure of the book in its house style
(`lstm_tutorial.plotting.book_style`) and returns it, titled and labelled, so
that a chapter cell is a single call.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.patheffects as pe
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Circle, Ellipse, FancyArrowPatch, FancyBboxPatch
from matplotlib.ticker import MaxNLocator
from numpy.typing import ArrayLike

from lstm_tutorial.errors import DataError, positive_int
from lstm_tutorial.plotting import COLORS, book_style
from lstm_tutorial.windowing import as_1d

__all__ = ["plot_gate_heatmaps", "plot_gates", "plot_gru_cell", "plot_lstm_cell",
           "plot_rnn_unrolled"]

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


# ----------------------------------------------------------------------------- cell diagrams

_DIAGRAM = {
    "line": "#333333",
    "state": "#1a1a1a",
    "cell": "#f3f3f3",
    "sigmoid": "#d6e6f5",
    "tanh": "#fde3c8",
    "concat": "#e8e8e8",
    "node": "white",
}


def _cell_sizes(hidden: object, inputs: object) -> tuple[int, int]:
    h = positive_int("hidden", hidden, "the number of units, e.g. LSTM(32) has hidden=32")
    d = positive_int("inputs", inputs, "the number of features per time step, e.g. 1")
    return h, d


def _wire(ax, points: Sequence[tuple[float, float]], *, arrow: bool = True,
          lw: float = 1.4, color: str | None = None, bridge: bool = False) -> None:
    """A polyline through ``points``, with an arrow head on its last segment.

    ``bridge`` draws it over a halo of the cell's colour, so a wire it crosses
    shows a gap instead of a junction.
    """
    color = color or _DIAGRAM["line"]
    effects = ([pe.Stroke(linewidth=lw + 5, foreground=_DIAGRAM["cell"]), pe.Normal()]
               if bridge else None)
    xs, ys = zip(*points, strict=True)
    ax.plot(xs, ys, color=color, lw=lw, solid_capstyle="butt", solid_joinstyle="miter",
            zorder=2.5 if bridge else 1, path_effects=effects)
    if arrow:  # the head alone, on the last 0.3 units
        (x0, y0), (x1, y1) = points[-2], points[-1]
        length = float(np.hypot(x1 - x0, y1 - y0))
        back = min(0.3, length) / length
        ax.annotate("", xy=(x1, y1), xytext=(x1 - back * (x1 - x0), y1 - back * (y1 - y0)),
                    zorder=2.6, arrowprops={"arrowstyle": "-|>", "color": color, "lw": lw,
                                            "shrinkA": 0, "shrinkB": 0, "mutation_scale": 11})


def _box(ax, center: tuple[float, float], width: float, height: float, *,
         color: str, lines: Sequence[tuple[str, float]]) -> None:
    """A rounded box with centred lines of (text, fontsize), top to bottom."""
    x, y = center
    ax.add_patch(FancyBboxPatch((x - width / 2, y - height / 2), width, height,
                                boxstyle="round,pad=0,rounding_size=0.18", fc=color,
                                ec=_DIAGRAM["line"], lw=1.1, zorder=3))
    step = height / (len(lines) + 1)
    for k, (text, size) in enumerate(lines, start=1):
        ax.text(x, y + height / 2 - k * step, text, ha="center", va="center", fontsize=size,
                zorder=4)


def _node(ax, center: tuple[float, float], symbol: str, *, radius: float = 0.42,
          fontsize: float = 14) -> None:
    """A pointwise operation: a circle with × or +, or an ellipse with tanh."""
    x, y = center
    if symbol != "tanh":
        ax.add_patch(Circle(center, radius, fc=_DIAGRAM["node"], ec=_DIAGRAM["line"], lw=1.1,
                            zorder=3))
    else:
        ax.add_patch(Ellipse(center, 3.2 * radius, 2.1 * radius, fc=_DIAGRAM["tanh"],
                             ec=_DIAGRAM["line"], lw=1.1, zorder=3))
    ax.text(x, y, symbol, ha="center", va="center", fontsize=fontsize, zorder=4)


def _diagram_axes(title: str, xlim: tuple[float, float], ylim: tuple[float, float],
                  figsize: tuple[float, float]):
    fig, ax = plt.subplots(figsize=figsize)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.grid(False)
    ax.set_title(title)
    return fig, ax


def _cell_background(ax, left: float, right: float) -> None:
    ax.add_patch(FancyBboxPatch((left, 0.2), right - left, 10.2,
                                boxstyle="round,pad=0,rounding_size=0.5", fc=_DIAGRAM["cell"],
                                ec="#9a9a9a", lw=1.0, zorder=0))


def _gate(ax, x: float, y: float, name: str, symbol: str, activation: str, hd: int,
          h: int) -> None:
    """A gate box: its name, activation and weight shapes."""
    color = "tanh" if activation == "tanh" else "sigmoid"
    shapes = f"W {hd}×{h},  b {h}"
    size = min(8.0, 8.0 * 15 / len(shapes))  # long sizes get a smaller font, not a wider box
    _box(ax, (x, y), 2.5, 1.8, color=_DIAGRAM[color],
         lines=[(f"{name} {symbol}", 9), (activation, 13),
                (shapes, size)])


def plot_lstm_cell(hidden: int = 32, inputs: int = 1, *, title: str | None = None) -> Figure:
    """Draw one LSTM cell with the shape of every vector and weight matrix.

    The cell state runs along the top: ``c_{t-1}`` is multiplied by the forget
    gate ``f_t`` and gets ``i_t ⊙ c̃_t`` added, giving ``c_t``. Below, the four
    gates read the concatenation ``[h_{t-1}, x_t]`` of ``H + D`` values:
    forget ``f``, input ``i`` and output ``o`` (sigmoid σ, values in 0..1) and
    the candidate ``c̃`` (tanh, -1..1). The new hidden state is
    ``h_t = o_t ⊙ tanh(c_t)``. Each gate has a weight matrix of
    ``(H + D) × H`` and ``H`` biases (Keras stores them side by side as
    ``kernel`` D×4H, ``recurrent_kernel`` H×4H and ``bias`` 4H).

    Parameters
    ----------
    hidden : int, default 32
        H, the units of the layer (``LSTM(32)``).
    inputs : int, default 1
        D, the features per time step.
    title : str, optional
        Default "One LSTM cell (H = 32 hidden units, D = 1 input)".

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = plot_lstm_cell(hidden=32, inputs=1)
    >>> fig.axes[0].get_title()
    'One LSTM cell (H = 32 hidden units, D = 1 input)'
    >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    from lstm_tutorial.params import lstm_param_count

    h, d = _cell_sizes(hidden, inputs)
    hd = h + d
    title = title or (f"One LSTM cell (H = {h} hidden units, "
                      f"D = {d} input{'s' if d > 1 else ''})")
    state = _DIAGRAM["state"]
    with book_style():
        fig, ax = _diagram_axes(title, (-0.6, 22.6), (-2.2, 11.0), (10.5, 6.3))
        _cell_background(ax, 2.0, 20.0)
        top, gate_y, mix_y, bus_y = 9.2, 4.6, 7.0, 2.0
        gx = {"f": 5.5, "i": 8.5, "c": 11.5, "o": 14.5}
        bw, bh, r = 2.5, 1.8, 0.42

        # cell state along the top: c_{t-1} -> (x f) -> (+ i c~) -> c_t
        _wire(ax, [(0.0, top), (gx["f"] - r, top)], lw=2.4, color=state)
        _wire(ax, [(gx["f"] + r, top), (10.0 - r, top)], lw=2.4, color=state)
        _wire(ax, [(10.0 + r, top), (22.0, top)], lw=2.4, color=state)
        _node(ax, (gx["f"], top), "×")
        _node(ax, (10.0, top), "+")
        ax.text(0.0, top + 0.45, rf"$c_{{t-1}}$  ({h})", ha="left", va="bottom", fontsize=10)
        ax.text(22.0, top + 0.45, rf"$c_t$  ({h})", ha="right", va="bottom", fontsize=10)
        ax.text(16.0, top + 0.35, "cell state", ha="center", va="bottom", fontsize=8.5,
                style="italic", color="#555555")

        # inputs: h_{t-1} from the left, x_t from below, concatenated
        cx, cw, chh = 3.6, 2.4, 1.3
        _wire(ax, [(0.0, bus_y), (cx - cw / 2, bus_y)])
        ax.text(0.0, bus_y + 0.3, rf"$h_{{t-1}}$  ({h})", ha="left", va="bottom", fontsize=10)
        _wire(ax, [(cx, -1.3), (cx, bus_y - chh / 2)])
        ax.text(cx, -1.45, rf"$x_t$  ({d})", ha="center", va="top", fontsize=10)
        _box(ax, (cx, bus_y), cw, chh, color=_DIAGRAM["concat"],
             lines=[(r"$[h_{t-1}, x_t]$", 9.5), (f"H + D = {hd}", 8.5)])

        # the bus to the four gates
        _wire(ax, [(cx + cw / 2, bus_y), (gx["o"], bus_y)], arrow=False)
        gates = [
            ("f", "forget", r"$f_t$", r"$\sigma$"),
            ("i", "input", r"$i_t$", r"$\sigma$"),
            ("c", "candidate", r"$\tilde{c}_t$", "tanh"),
            ("o", "output", r"$o_t$", r"$\sigma$"),
        ]
        for key, name, symbol, act in gates:
            x = gx[key]
            _wire(ax, [(x, bus_y), (x, gate_y - bh / 2)])
            _gate(ax, x, gate_y, name, symbol, act, hd, h)
        ax.text((cx + cw / 2 + gx["f"]) / 2 + 0.2, bus_y - 0.25, f"{hd} values to each gate",
                ha="left", va="top", fontsize=8.5, color="#555555")

        # forget gate scales the old cell state
        _wire(ax, [(gx["f"], gate_y + bh / 2), (gx["f"], top - r)])
        # input gate x candidate, added to the cell state
        _node(ax, (10.0, mix_y), "×")
        _wire(ax, [(gx["i"], gate_y + bh / 2), (gx["i"], mix_y), (10.0 - r, mix_y)])
        _wire(ax, [(gx["c"], gate_y + bh / 2), (gx["c"], mix_y), (10.0 + r, mix_y)])
        _wire(ax, [(10.0, mix_y + r), (10.0, top - r)])
        ax.text(10.0 + 0.25, (mix_y + top) / 2, r"$i_t \odot \tilde{c}_t$", ha="left",
                va="center", fontsize=9)
        ax.text(gx["f"] + 0.2, (gate_y + bh / 2 + top - r) / 2, r"$f_t$", ha="left",
                va="center", fontsize=9)

        # output: h_t = o_t * tanh(c_t)
        ox = 17.5
        _wire(ax, [(ox, top), (ox, mix_y + 0.45)])
        _node(ax, (ox, mix_y), "tanh", fontsize=9)
        _node(ax, (ox, gate_y), "×")
        _wire(ax, [(ox, mix_y - 0.45), (ox, gate_y + r)])
        _wire(ax, [(gx["o"] + bw / 2, gate_y), (ox - r, gate_y)])
        _wire(ax, [(ox + r, gate_y), (22.0, gate_y)], lw=2.0)
        ax.text(22.0, gate_y + 0.3, rf"$h_t$  ({h})", ha="right", va="bottom", fontsize=10)
        ax.text(22.0, gate_y - 0.3, "to the next step\nand the output", ha="right", va="top",
                fontsize=8.5, color="#555555")
        ax.text(ox + 0.3, (top + mix_y) / 2 + 0.2, r"$c_t$", ha="left", va="center",
                fontsize=9)

        # the parameter count
        per_gate = hd * h + h
        ax.text(6.0, -0.5,
                f"each gate: W ({h} + {d}) × {h} = {hd}×{h} weights and {h} biases = "
                f"{per_gate:,} parameters\n4 gates: 4 × {per_gate:,} = "
                f"{lstm_param_count(d, h):,} parameters, what Keras reports for LSTM({h}) "
                f"with {d} input{'s' if d > 1 else ''}",
                ha="left", va="top", fontsize=9, linespacing=1.5)
    return fig


def plot_gru_cell(hidden: int = 32, inputs: int = 1, *, title: str | None = None) -> Figure:
    """Draw one GRU cell, in the style of `plot_lstm_cell`, with every shape.

    The hidden state runs along the top. The reset gate ``r_t`` (σ) scales
    ``h_{t-1}`` before it joins ``x_t`` in the candidate ``h̃_t`` (tanh); the
    update gate ``z_t`` (σ) mixes old and new:
    ``h_t = z_t ⊙ h_{t-1} + (1 - z_t) ⊙ h̃_t`` (Keras' convention: ``z_t``
    near 1 keeps the old state). Each gate has a weight matrix of
    ``(H + D) × H`` and ``H`` biases, as drawn (``reset_after=False``); Keras'
    default ``reset_after=True`` applies ``r_t`` after the recurrent product and
    keeps a second bias per gate (see `lstm_tutorial.params.gru_param_count`).

    Parameters
    ----------
    hidden : int, default 32
        H, the units of the layer (``GRU(32)``).
    inputs : int, default 1
        D, the features per time step.
    title : str, optional
        Default "One GRU cell (H = 32 hidden units, D = 1 input)".

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = plot_gru_cell(hidden=32, inputs=1)
    >>> fig.axes[0].get_title()
    'One GRU cell (H = 32 hidden units, D = 1 input)'
    >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    from lstm_tutorial.params import gru_param_count

    h, d = _cell_sizes(hidden, inputs)
    hd = h + d
    title = title or (f"One GRU cell (H = {h} hidden units, "
                      f"D = {d} input{'s' if d > 1 else ''})")
    state = _DIAGRAM["state"]
    with book_style():
        fig, ax = _diagram_axes(title, (-0.6, 22.6), (-2.2, 11.0), (10.5, 6.3))
        _cell_background(ax, 2.0, 20.0)
        top, gate_y, mix_y, bus_y, r = 9.2, 4.6, 7.0, 2.0, 0.42
        rx, zx, hx, onex = 6.8, 10.4, 15.0, 12.6
        bh = 1.8

        # hidden state along the top: h_{t-1} -> (x z) -> (+ (1-z) h~) -> h_t
        _wire(ax, [(0.0, top), (zx - r, top)], lw=2.4, color=state)
        _wire(ax, [(zx + r, top), (hx - r, top)], lw=2.4, color=state)
        _wire(ax, [(hx + r, top), (22.0, top)], lw=2.4, color=state)
        _node(ax, (zx, top), "×")
        _node(ax, (hx, top), "+")
        ax.text(0.0, top + 0.45, rf"$h_{{t-1}}$  ({h})", ha="left", va="bottom", fontsize=10)
        ax.text(22.0, top + 0.45, rf"$h_t$  ({h})", ha="right", va="bottom", fontsize=10)
        ax.text(22.0, top - 0.3, "to the next step\nand the output", ha="right", va="top",
                fontsize=8.5, color="#555555")
        ax.text(4.6, top + 0.35, "hidden state", ha="center", va="bottom", fontsize=8.5,
                style="italic", color="#555555")

        # [h_{t-1}, x_t] feeds the reset and update gates
        cx, cw, chh = 4.6, 2.4, 1.3
        _wire(ax, [(2.8, top), (2.8, bus_y), (cx - cw / 2, bus_y)])
        _wire(ax, [(cx, -1.3), (cx, bus_y - chh / 2)])
        ax.text(cx, -1.45, rf"$x_t$  ({d})", ha="center", va="top", fontsize=10)
        _box(ax, (cx, bus_y), cw, chh, color=_DIAGRAM["concat"],
             lines=[(r"$[h_{t-1}, x_t]$", 9.5), (f"H + D = {hd}", 8.5)])
        _wire(ax, [(cx + cw / 2, bus_y), (zx, bus_y)], arrow=False)
        _wire(ax, [(rx, bus_y), (rx, gate_y - bh / 2)])
        _wire(ax, [(zx, bus_y), (zx, gate_y - bh / 2)])
        _gate(ax, rx, gate_y, "reset", r"$r_t$", r"$\sigma$", hd, h)
        _gate(ax, zx, gate_y, "update", r"$z_t$", r"$\sigma$", hd, h)

        # reset: r_t * h_{t-1}, joined with x_t, into the candidate
        _node(ax, (rx, mix_y), "×")
        _wire(ax, [(rx, gate_y + bh / 2), (rx, mix_y - r)])
        _wire(ax, [(rx, top), (rx, mix_y + r)])
        c2y, c2w, c2h = 2.45, 2.9, 1.1
        _wire(ax, [(rx + r, mix_y), (8.6, mix_y), (8.6, c2y), (hx - c2w / 2, c2y)], bridge=True)
        ax.text(12.0, c2y + 0.15, r"$r_t \odot h_{t-1}$", ha="center", va="bottom", fontsize=9)
        _wire(ax, [(cx, 0.6), (hx, 0.6), (hx, c2y - c2h / 2)])
        ax.text(9.5, 0.45, r"$x_t$", ha="center", va="top", fontsize=9)
        _box(ax, (hx, c2y), c2w, c2h, color=_DIAGRAM["concat"],
             lines=[(r"$[r_t \odot h_{t-1}, x_t]$", 9),
                    (f"H + D = {hd}", 8.5)])
        _wire(ax, [(hx, c2y + c2h / 2), (hx, gate_y - bh / 2)])
        _gate(ax, hx, gate_y, "candidate", r"$\tilde{h}_t$", "tanh", hd, h)

        # update: z_t keeps the old state, 1 - z_t lets the candidate in
        _wire(ax, [(zx, gate_y + bh / 2), (zx, top - r)])
        ax.text(zx + 0.2, 8.1, r"$z_t$", ha="left", va="center", fontsize=9)
        _node(ax, (onex, mix_y), "1−", fontsize=10)
        _wire(ax, [(zx, mix_y), (onex - r, mix_y)])
        _node(ax, (hx, mix_y), "×")
        _wire(ax, [(onex + r, mix_y), (hx - r, mix_y)])
        _wire(ax, [(hx, gate_y + bh / 2), (hx, mix_y - r)])
        _wire(ax, [(hx, mix_y + r), (hx, top - r)])
        ax.text(hx + 0.25, (mix_y + top) / 2, r"$(1 - z_t) \odot \tilde{h}_t$", ha="left",
                va="center", fontsize=9)

        per_gate = hd * h + h
        ax.text(7.0, -0.5,
                f"each gate: W ({h} + {d}) × {h} = {hd}×{h} weights and {h} biases = "
                f"{per_gate:,} parameters\n3 gates: 3 × {per_gate:,} = "
                f"{gru_param_count(d, h, reset_after=False):,} parameters as drawn "
                f"(reset_after=False)\nKeras' default GRU({h}), reset_after=True, adds a "
                f"second bias per gate: {gru_param_count(d, h):,}",
                ha="left", va="top", fontsize=9, linespacing=1.5)
    return fig


# ----------------------------------------------------------------------------- gates over time
def plot_gates(
    values: Sequence[float],
    input_gate: np.ndarray,
    forget_gate: np.ndarray,
    marked: int,
    *,
    units: Sequence[int] | None = None,
    title: str = "LSTM gates on one sequence",
) -> Figure:
    """One sequence's values and an LSTM's input and forget gates, unit by unit, step by step.

    Parameters
    ----------
    values : 1-D array, length T
        The input values of the sequence (the top panel).
    input_gate, forget_gate : arrays (T, H)
        Gate activations of one sequence, e.g. ``cache.i[k]`` and ``cache.f[k]`` from
        `lstm_tutorial.numpy_lstm.lstm_forward`.
    marked : int
        The marked step (0-based), drawn as a vertical line in every panel.
    units : sequence of int, optional
        Which units to show, top row first (default: all, in order).
    title : str

    Returns
    -------
    matplotlib.figure.Figure
        Three panels sharing the step axis; both heatmaps use the colour scale 0..1.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> fig = plot_gates(rng.uniform(-1, 1, 12), rng.uniform(size=(12, 4)),
    ...                  rng.uniform(size=(12, 4)), marked=3)
    >>> [ax.get_ylabel() for ax in fig.axes[:3]]
    ['value', 'input gate: unit', 'forget gate: unit']
    >>> plt.close(fig)
    """
    x = as_1d(values, "values")
    steps = len(x)
    gates = {"input gate": np.asarray(input_gate, dtype=float),
             "forget gate": np.asarray(forget_gate, dtype=float)}
    for name, g in gates.items():
        if g.ndim != 2 or g.shape[0] != steps:
            raise DataError(f"{name} has shape {g.shape}; expected (steps, units) = "
                            f"({steps}, H), one row per value")
    if not 0 <= marked < steps:
        raise DataError(f"marked={marked} is not a step of a {steps}-step sequence")
    order = list(range(gates["input gate"].shape[1]) if units is None else units)
    with book_style():
        fig, axes = plt.subplots(3, 1, figsize=(10.0, 7.2), sharex=True,
                                 gridspec_kw={"height_ratios": [1, 2, 2]})
        axes[0].plot(np.arange(steps), x, color=COLORS["naive"], lw=0.9, label="value")
        axes[0].scatter([marked], [x[marked]], color=COLORS["val"], zorder=3,
                        label=f"marked value ({x[marked]:.2f}, the target)")
        low, high = float(x.min()), float(x.max())
        span = high - low if high > low else 1.0
        ticks = MaxNLocator(4, steps=[1, 2, 5, 10]).tick_values(low, high)
        axes[0].set_yticks([t for t in ticks if low - 0.1 * span <= t <= high + 0.1 * span])
        axes[0].set_ylim(low - 0.1 * span, high + 0.7 * span)   # room for the legend
        axes[0].set_ylabel("value")
        axes[0].legend(loc="upper right", ncol=2)
        for ax, (name, g) in zip(axes[1:], gates.items(), strict=True):
            image = ax.imshow(g[:, order].T, aspect="auto", cmap="viridis", vmin=0.0,
                              vmax=1.0, interpolation="nearest",
                              extent=(-0.5, steps - 0.5, len(order) - 0.5, -0.5))
            ax.set_yticks(range(len(order)), [str(u) for u in order], fontsize=7)
            ax.set_ylabel(f"{name}: unit")
            ax.grid(False)
            fig.colorbar(image, ax=ax, pad=0.01, label=f"{name} (0 closed, 1 open)")
        axes[0].axvline(marked, color=COLORS["val"], ls="--", lw=1.0)
        for ax in axes[1:]:                                  # frame the marked column
            for edge in (marked - 0.5, marked + 0.5):
                ax.axvline(edge, color=COLORS["val"], ls="--", lw=0.8)
        axes[-1].set_xlabel("step of the sequence (dashed lines: the marked step)")
        axes[0].set_title(title)
    return fig
