"""The book's figures: loss curves, actual vs predicted, candlesticks, residuals, cells.

Every function draws in one house style (`BOOK_STYLE`, applied with
`book_style` around the drawing only, so importing this module changes no
global setting) and returns the matplotlib `Figure`. Titles carry the date
range shown; axis labels carry units. The cell diagrams (`plot_lstm_cell`,
`plot_gru_cell`) are drawings without axes; their title names the sizes.
`plot_lag_experiment` and `plot_gates` show the long-memory task of chapter 3's last section.
`plot_equity_curves` shows backtests (`lstm_tutorial.backtest`): what 1 invested became.

In a notebook, assign the result (``fig = plot_loss_curves(history)``) or
end the line with ``;``: the inline backend shows every new figure once, and
a figure that is also the cell's value would be shown twice. Close figures
you no longer need with ``plt.close(fig)``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping, Sequence

import matplotlib.dates as mdates
import matplotlib.patheffects as pe
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from cycler import cycler
from matplotlib.figure import Figure
from matplotlib.patches import Circle, Ellipse, FancyBboxPatch
from matplotlib.ticker import MaxNLocator

from lstm_tutorial.errors import DataError, positive_int
from lstm_tutorial.windowing import as_1d

__all__ = [
    "BOOK_STYLE",
    "COLORS",
    "book_style",
    "plot_actual_vs_predicted",
    "plot_candlesticks",
    "plot_equity_curves",
    "plot_gates",
    "plot_gru_cell",
    "plot_lag_experiment",
    "plot_loss_curves",
    "plot_lstm_cell",
    "plot_residuals",
    "use_book_style",
]

COLORS = {
    "actual": "#1a1a1a",
    "naive": "#7f7f7f",
    "train": "#1f77b4",
    "val": "#d62728",
    "up": "#2ca02c",
    "down": "#d62728",
    "models": ["#1f77b4", "#ff7f0e", "#9467bd", "#2ca02c", "#8c564b", "#e377c2"],
}
"""Named colours of the book: the actual series, the naive forecast, models in turn."""

BOOK_STYLE: dict[str, object] = {
    "figure.figsize": (10.0, 4.8),
    "figure.dpi": 100,
    "figure.constrained_layout.use": True,
    "savefig.dpi": 150,
    "font.size": 10,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.labelsize": 10,
    "axes.grid": True,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": cycler(color=COLORS["models"]),
    "grid.alpha": 0.35,
    "grid.linewidth": 0.6,
    "legend.frameon": False,
    "legend.fontsize": 9,
    "lines.linewidth": 1.4,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
}
"""matplotlib rcParams of the book's house style."""


@contextlib.contextmanager
def book_style() -> Iterator[None]:
    """Apply `BOOK_STYLE` inside a ``with`` block only.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> with book_style():
    ...     plt.rcParams["axes.spines.top"]
    False
    """
    _select_backend()
    with plt.rc_context(BOOK_STYLE):
        yield


def _select_backend() -> None:
    """Let pyplot pick its backend now, outside any ``rc_context``.

    In Jupyter the inline backend sets itself up (and turns interactive mode
    on) when pyplot first needs it. If that happened inside ``rc_context``,
    leaving the context would switch interactive mode off again, and no later
    figure of the session would be shown. pyplot only exposes this step
    privately (``_get_backend_mod``, stable since matplotlib 3.5).
    """
    getattr(plt, "_get_backend_mod", lambda: None)()


def use_book_style() -> None:
    """Make `BOOK_STYLE` the default for every later figure of the session.

    Optional: the plotting functions apply the style themselves. Call it
    once at the top of a notebook for your own figures to match.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> with plt.rc_context():  # keep this example from changing the session
    ...     use_book_style()
    ...     plt.rcParams["legend.frameon"]
    False
    """
    plt.rcParams.update(BOOK_STYLE)


def _is_dates(x: object) -> bool:
    try:
        return pd.api.types.is_datetime64_any_dtype(pd.Index(x))
    except (TypeError, ValueError):
        return False


def _date_range(dates: object) -> str:
    """' (2012-01-03 to 2013-03-01)' for dates, '' otherwise."""
    if dates is None or not _is_dates(dates):
        return ""
    idx = pd.DatetimeIndex(dates)
    if len(idx) == 0:
        return ""
    return f" ({idx.min():%Y-%m-%d} to {idx.max():%Y-%m-%d})"


def _format_x(ax, dates: object, label_if_none: str = "test sample") -> None:
    if dates is not None and _is_dates(dates):
        locator = mdates.AutoDateLocator()
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        ax.set_xlabel("date")
    else:
        ax.set_xlabel(label_if_none)


def _line(values: object, name: str, n: int | None = None) -> np.ndarray:
    arr = as_1d(values, name)
    if n is not None and len(arr) != n:
        raise DataError(f"{name} has {len(arr)} values but actual has {n}; align them first")
    return arr


def _x_values(dates: object, n: int) -> np.ndarray | pd.Index:
    if dates is None:
        return np.arange(n)
    x = pd.Index(dates)
    if len(x) != n:
        raise DataError(f"dates has {len(x)} entries but actual has {n} values; align them")
    return x


def plot_loss_curves(
    history: object,
    *,
    log_y: bool = False,
    title: str = "Training and validation loss",
    loss_name: str = "MSE",
) -> Figure:
    """Plot training (and validation) loss per epoch, marking the best validation epoch.

    Parameters
    ----------
    history : keras.callbacks.History or dict
        ``model.fit(...)`` returns a History; its ``.history`` dict (or any
        dict) with a "loss" list and optionally "val_loss".
    log_y : bool, default False
        Logarithmic loss axis (useful when the first epochs dwarf the rest).
    title : str
    loss_name : str, default "MSE"
        The loss function's name, for the y label ("MSE (scaled units)").

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = plot_loss_curves({"loss": [0.9, 0.5, 0.4], "val_loss": [1.0, 0.7, 0.8]})
    >>> fig.axes[0].get_xlabel()
    'epoch'
    >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    logs = getattr(history, "history", history)
    if not isinstance(logs, Mapping) or "loss" not in logs:
        raise DataError(
            "history must be a Keras History or a dict with a 'loss' list "
            f"(got keys {list(logs) if isinstance(logs, Mapping) else type(history).__name__})"
        )
    loss = np.asarray(logs["loss"], dtype=float)
    if loss.ndim != 1 or len(loss) == 0:
        raise DataError("history['loss'] must be a non-empty list of per-epoch losses")
    epochs = np.arange(1, len(loss) + 1)
    with book_style():
        fig, ax = plt.subplots(figsize=(8.0, 4.2))
        ax.plot(epochs, loss, color=COLORS["train"], marker="o", markersize=3, label="training")
        if "val_loss" in logs:
            val = np.asarray(logs["val_loss"], dtype=float)
            if len(val) != len(loss):
                raise DataError(
                    f"history has {len(loss)} training losses but {len(val)} validation losses"
                )
            ax.plot(epochs, val, color=COLORS["val"], marker="o", markersize=3,
                    label="validation")
            best = int(np.nanargmin(val))
            ax.scatter([epochs[best]], [val[best]], s=80, facecolors="none",
                       edgecolors=COLORS["val"], linewidths=1.5, zorder=3,
                       label=f"best validation: epoch {epochs[best]} ({val[best]:.3g})")
        if log_y:
            ax.set_yscale("log")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlim(0.5, len(loss) + 0.5)
        ax.set_xlabel("epoch")
        ax.set_ylabel(f"{loss_name} (scaled units){', log scale' if log_y else ''}")
        ax.set_title(title)
        ax.legend()
    return fig


def plot_actual_vs_predicted(
    dates: Sequence | pd.Index | None,
    actual: np.ndarray,
    predictions: Mapping[str, np.ndarray] | np.ndarray,
    naive: np.ndarray | None = None,
    *,
    title: str = "Actual vs predicted",
    unit: str = "USD",
    ylabel: str = "price",
) -> Figure:
    """Plot the actual series, each model's predictions and the naive forecast (dashed).

    Parameters
    ----------
    dates : DatetimeIndex or sequence of dates, or None
        x values, one per target; None numbers the samples.
    actual : 1-D array
        Actual values (prices, not scaled).
    predictions : dict name -> 1-D array, or one array (named "model")
    naive : 1-D array, optional
        The naive forecast (last observed value), drawn grey and dashed so the
        reader sees how close the models are to it.
    title : str
        The date range shown is appended.
    unit : str, default "USD"
        Currency for the y label, e.g. "TWD" for 0050.TW.
    ylabel : str, default "price"

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import pandas as pd
    >>> dates = pd.date_range("2013-01-02", periods=3, freq="B")
    >>> fig = plot_actual_vs_predicted(dates, [10.0, 11.0, 12.0], {"LSTM": [10.2, 10.9, 11.5]},
    ...                                naive=[9.8, 10.0, 11.0])
    >>> fig.axes[0].get_title()
    'Actual vs predicted (2013-01-02 to 2013-01-04)'
    >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    y = _line(actual, "actual")
    n = len(y)
    x = _x_values(dates, n)
    preds = predictions if isinstance(predictions, Mapping) else {"model": predictions}
    if not preds:
        raise DataError("predictions is empty; pass {'model name': predictions}")
    lines = {name: _line(p, f"predictions[{name!r}]", n) for name, p in preds.items()}
    with book_style():
        fig, ax = plt.subplots()
        ax.plot(x, y, color=COLORS["actual"], linewidth=1.8, label="actual", zorder=3)
        for i, (name, p) in enumerate(lines.items()):
            ax.plot(x, p, color=COLORS["models"][i % len(COLORS["models"])], label=name)
        if naive is not None:
            ax.plot(x, _line(naive, "naive", n), color=COLORS["naive"], linestyle="--",
                    linewidth=1.2, label="naive (last observed value)")
        _format_x(ax, dates)
        ax.set_ylabel(f"{ylabel} ({unit})")
        ax.set_title(title + _date_range(dates))
        ax.legend(loc="best")
    return fig


def plot_residuals(
    dates: Sequence | pd.Index | None,
    actual: np.ndarray,
    predicted: np.ndarray,
    *,
    title: str = "Residuals (actual - predicted)",
    unit: str = "USD",
    bins: int = 40,
) -> Figure:
    """Plot residuals ``actual - predicted`` over time, with their histogram beside.

    Parameters
    ----------
    dates : DatetimeIndex or sequence of dates, or None
    actual, predicted : 1-D arrays (prices)
    title : str
        The figure's title (``fig.suptitle``, over both panels); the date range
        shown is appended.
    unit : str, default "USD"
    bins : int, default 40
        Histogram bins.

    Returns
    -------
    matplotlib.figure.Figure
        Two axes: residuals by date, and their distribution (with mean and
        standard deviation in the legend).

    Examples
    --------
    >>> fig = plot_residuals(None, [10.0, 11.0, 12.0, 11.0], [10.5, 10.5, 11.0, 11.5])
    >>> [(ax.get_xlabel(), ax.get_ylabel()) for ax in fig.axes]
    [('test sample', 'residual (USD)'), ('count (samples)', '')]
    >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    y = _line(actual, "actual")
    p = _line(predicted, "predicted", len(y))
    x = _x_values(dates, len(y))
    resid = y - p
    mean, sd = float(resid.mean()), float(resid.std(ddof=1)) if len(resid) > 1 else 0.0
    with book_style():
        fig, (ax, hist) = plt.subplots(
            1, 2, sharey=True, gridspec_kw={"width_ratios": [3.5, 1]}
        )
        ax.axhline(0.0, color=COLORS["actual"], linewidth=0.8)
        ax.plot(x, resid, color=COLORS["models"][0], linewidth=0.9, label="residual")
        _format_x(ax, dates)
        ax.set_ylabel(f"residual ({unit})")
        fig.suptitle(title + _date_range(dates), fontsize=BOOK_STYLE["axes.titlesize"],
                     fontweight=BOOK_STYLE["axes.titleweight"])
        hist.hist(resid, bins=bins, orientation="horizontal", color=COLORS["models"][0],
                  alpha=0.75)
        hist.axhline(mean, color=COLORS["val"], linewidth=1.2,
                     label=f"mean {mean:.3g} {unit}\nsd {sd:.3g} {unit}")
        hist.set_xlabel("count (samples)")
        hist.tick_params(labelleft=False)  # shares the residual axis on its left
        hist.legend(loc="upper right")
    return fig


def _equity(value: object, name: str) -> pd.Series:
    equity = getattr(value, "equity", value)  # a BacktestResult or its equity
    if not isinstance(equity, pd.Series):
        equity = pd.Series(as_1d(equity, name))
    if len(equity) < 2 or not np.all(np.isfinite(equity.to_numpy(dtype=float))):
        raise DataError(
            f"{name} must be an equity curve of at least 2 finite values "
            "(backtest(...).equity, or the BacktestResult itself)"
        )
    return equity.astype(float)


def plot_equity_curves(
    curves: Mapping[str, object],
    *,
    title: str = "Growth of 1 invested",
    log_y: bool = False,
) -> Figure:
    """Plot the equity curves of backtests: the value of 1 invested, day by day.

    Parameters
    ----------
    curves : dict name -> BacktestResult, equity Series or array, or a list of them
        One line per entry, in the book's model colours in turn. A list (e.g.
        one backtest per seed) is drawn as thin lines of one colour, labelled
        once with "(one line per seed)" appended, below the single curves.
        All curves should cover the same closes (compare strategies on the
        same days only).
    title : str
        The date range shown is appended when the curves are dated.
    log_y : bool, default False
        Logarithmic value axis, for long spans where the curves grow a lot.

    Returns
    -------
    matplotlib.figure.Figure
        A dotted grey line marks the starting value 1 (staying in cash).

    Examples
    --------
    >>> from lstm_tutorial.backtest import backtest, buy_and_hold
    >>> closes = [100.0, 110.0, 99.0, 108.9]
    >>> fig = plot_equity_curves({"buy and hold": buy_and_hold(closes),
    ...                           "seeds": [backtest([1, 0, 1], closes),
    ...                                     backtest([0, 0, 1], closes)]})
    >>> [text.get_text() for text in fig.axes[0].get_legend().get_texts()]
    ['buy and hold', 'seeds (one line per seed)', 'start: 1 (cash)']
    >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    if not isinstance(curves, Mapping) or not curves:
        raise DataError("curves must be a non-empty dict: name -> BacktestResult or equity")
    lines = {}
    for name, value in curves.items():
        # One curve: a BacktestResult (a tuple too), a Series or array, or a list of numbers.
        single = (hasattr(value, "equity") or not isinstance(value, (list, tuple))
                  or (len(value) > 0 and np.isscalar(value[0])))
        group = [value] if single else list(value)
        if not group:
            raise DataError(f"curves[{name!r}] is an empty list")
        lines[name] = [_equity(v, f"curves[{name!r}]") for v in group]
    first = next(iter(lines.values()))[0]
    dates = first.index if _is_dates(first.index) else None
    with book_style():
        fig, ax = plt.subplots()
        for i, (name, group) in enumerate(lines.items()):
            color = COLORS["models"][i % len(COLORS["models"])]
            many = len(group) > 1
            for k, equity in enumerate(group):
                x = equity.index if dates is not None else np.arange(len(equity))
                ax.plot(x, equity.to_numpy(), color=color, zorder=2 if many else 3,
                        linewidth=0.9 if many else 1.6, alpha=0.7 if many else 1.0,
                        label=(f"{name} (one line per seed)" if many else name) if k == 0
                        else None)
        ax.axhline(1.0, color=COLORS["naive"], linestyle=":", linewidth=1.0,
                   label="start: 1 (cash)")
        if log_y:
            ax.set_yscale("log")
        _format_x(ax, dates, label_if_none="trading day")
        ax.set_ylabel(f"value of 1 invested{', log scale' if log_y else ''}")
        ax.set_title(title + _date_range(dates))
        ax.legend(loc="best")
    return fig


def plot_candlesticks(
    df: pd.DataFrame,
    *,
    title: str = "Daily prices",
    volume: bool = True,
    mav: int | Sequence[int] | None = None,
    unit: str = "USD",
    color_convention: str = "us",
) -> Figure:
    """Draw a candlestick chart (with a volume panel) via mplfinance.

    Parameters
    ----------
    df : DataFrame with a DatetimeIndex and Open, High, Low, Close (and Volume)
        As returned by `lstm_tutorial.data.load_prices`. A few hundred rows
        at most read well; slice longer frames (``df.loc["2012"]``).
    title : str
        The date range shown is appended.
    volume : bool, default True
        Add the volume panel (needs a Volume column).
    mav : int or sequence of int, optional
        Moving averages of the close to overlay, in days (e.g. ``(20, 50)``).
    unit : str, default "USD"
    color_convention : {"us", "taiwan", "china"}, default "us"
        Which colour means up. ``"us"`` (also Europe): green candles for days
        that closed above their open, red for below. ``"taiwan"`` and
        ``"china"`` (the same convention, 紅漲綠跌): red for up, green for down.
        Volume bars take the colour of their candle.

    Raises
    ------
    ValueError
        For an unknown ``color_convention``.

    Returns
    -------
    matplotlib.figure.Figure
        The price axes come first in ``fig.axes``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"Open": [1.0, 2.0, 2.5], "High": [2.2, 3.0, 2.8],
    ...                    "Low": [0.9, 1.8, 2.0], "Close": [2.0, 2.5, 2.1],
    ...                    "Volume": [100, 150, 120]},
    ...                   index=pd.date_range("2013-01-02", periods=3, freq="B"))
    >>> fig = plot_candlesticks(df)
    >>> fig.axes[0].get_ylabel()
    'price (USD)'
    >>> import matplotlib.pyplot as plt; plt.close(fig)
    >>> plot_candlesticks(df, color_convention="japan")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: color_convention must be one of 'us', 'taiwan', 'china' (which ... 'japan'
    """
    import mplfinance as mpf

    up_down = {"us": (COLORS["up"], COLORS["down"]),        # green up, red down
               "taiwan": (COLORS["down"], COLORS["up"]),    # red up, green down
               "china": (COLORS["down"], COLORS["up"])}
    if color_convention not in up_down:
        raise ValueError(
            f"color_convention must be one of {', '.join(map(repr, up_down))} "
            f"(which colour means up); got {color_convention!r}"
        )
    if not isinstance(df, pd.DataFrame) or not isinstance(df.index, pd.DatetimeIndex):
        raise DataError(
            "plot_candlesticks needs a DataFrame with a DatetimeIndex, as load_prices returns"
        )
    needed = ["Open", "High", "Low", "Close"] + (["Volume"] if volume else [])
    missing = [c for c in needed if c not in df.columns]
    if missing:
        raise DataError(
            f"the table lacks column(s) {missing}; it has {list(df.columns)}"
            + ("; pass volume=False to draw prices only" if missing == ["Volume"] else "")
        )
    if len(df) == 0:
        raise DataError("the table is empty; select some rows first")
    if mav is not None:
        mav = (mav,) if isinstance(mav, (int, np.integer)) else tuple(mav)
        if any(m >= len(df) for m in mav):
            raise DataError(
                f"moving averages {mav} need more than {len(df)} rows; use shorter ones"
            )
    up, down = up_down[color_convention]
    market = mpf.make_marketcolors(up=up, down=down, inherit=True)
    style = mpf.make_mpf_style(
        base_mpf_style="default",
        base_mpl_style="default",
        marketcolors=market,
        gridstyle="-",
        gridcolor="#e6e6e6",
        y_on_right=False,
        facecolor="white",
        mavcolors=COLORS["models"][1:],
        rc={
            **{k: BOOK_STYLE[k] for k in ("font.size", "axes.labelsize", "axes.titlesize",
                                          "axes.titleweight", "xtick.labelsize",
                                          "ytick.labelsize")},
            # mplfinance's default style asks for "medium"/"semibold" weights, which
            # DejaVu Sans lacks: matplotlib would log a findfont warning per figure.
            "font.weight": "normal",
            "axes.labelweight": "normal",
            "figure.titleweight": "bold",
            "axes.linewidth": 0.8,
            "axes.edgecolor": "#333333",
        },
    )
    kwargs: dict[str, object] = {
        "type": "candle",
        "style": style,
        "volume": volume,
        "returnfig": True,
        "axtitle": title + _date_range(df.index),
        "ylabel": f"price ({unit})",
        "xlabel": "date",
        "figsize": (10.0, 6.0 if volume else 4.8),
        "warn_too_much_data": len(df) + 1,
        "datetime_format": "%Y-%m-%d",
        "xrotation": 0,
    }
    table = df[needed]
    if volume:
        # Volume in plain numbers of a readable unit (mplfinance's default puts a
        # 10^6 offset on a third line of the label).
        peak = float(np.nanmax(table["Volume"].to_numpy(dtype=float)))
        scale, name = next(
            (s, n) for s, n in ((1e9, "billion "), (1e6, "million "), (1e3, "thousand "),
                                (1.0, "")) if peak >= s or s == 1.0
        )
        table = table.assign(Volume=table["Volume"].astype(float) / scale)
        kwargs["ylabel_lower"] = f"volume\n({name}shares)"
        kwargs["volume_exponent"] = 0
        kwargs["panel_ratios"] = (3, 1)
    if mav is not None:
        kwargs["mav"] = mav
    _select_backend()
    with plt.rc_context():  # mplfinance styles change rcParams; keep them local
        fig, axes = mpf.plot(
            table, scale_padding={"left": 0.75, "right": 0.45, "top": 0.55, "bottom": 0.6},
            **kwargs,
        )
    if mav is not None:
        labels = [f"{m}-day moving average" for m in mav]
        axes[0].legend(axes[0].lines[-len(mav):], labels, loc="best", frameon=False)
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


# --------------------------------------------------------------------------- long memory
def plot_lag_experiment(
    results: pd.DataFrame,
    *,
    solved_below: float | None = 0.1,
    title: str = "Marked-value task: test error against lag",
) -> Figure:
    """Relative error against lag, one marker per seed and a line through each model's mean.

    Parameters
    ----------
    results : DataFrame
        One row per run, columns "model", "lag" and "relative error" (from
        `lstm_tutorial.tasks.lag_experiment`).
    solved_below : float or None
        Draw the threshold below which a run counts as solved (None: no line).
    title : str

    Returns
    -------
    matplotlib.figure.Figure
        Log-log axes; the trivial predictor (relative error 1) is a dashed line.

    Examples
    --------
    >>> r = pd.DataFrame({"model": ["RNN", "RNN", "LSTM", "LSTM"], "lag": [10, 50, 10, 50],
    ...                   "relative error": [0.01, 1.0, 0.005, 0.006]})
    >>> fig = plot_lag_experiment(r)
    >>> fig.axes[0].get_xscale(), fig.axes[0].get_yscale()
    ('log', 'log')
    >>> plt.close(fig)
    """
    missing = {"model", "lag", "relative error"} - set(results.columns)
    if missing:
        raise DataError(f"results lacks the column(s) {sorted(missing)}; pass lag_experiment's")
    if len(results) == 0:
        raise DataError("results is empty: no runs to plot")
    models = list(dict.fromkeys(results["model"]))
    with book_style():
        fig, ax = plt.subplots(figsize=(8.5, 5.4))
        for k, name in enumerate(models):
            color = COLORS["models"][k % len(COLORS["models"])]
            runs = results[results["model"] == name]
            shift = 1.07 ** (k - (len(models) - 1) / 2)        # side by side on a log axis
            ax.scatter(runs["lag"] * shift, runs["relative error"], color=color, s=22,
                       alpha=0.8, zorder=3)
            means = runs.groupby("lag")["relative error"].mean()
            ax.plot(means.index * shift, means.values, color=color, marker="_", ms=14,
                    label=f"{name} (dots: seeds, line: mean)")
        ax.axhline(1.0, color=COLORS["naive"], ls="--", lw=1.2,
                   label="trivial predictor (always 0)")
        if solved_below is not None:
            ax.axhline(solved_below, color=COLORS["naive"], ls=":", lw=1.2,
                       label=f"solved below {solved_below:g}")
        lags = sorted(results["lag"].unique())
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xticks(lags, [str(v) for v in lags])
        ax.minorticks_off()
        ax.set_xlabel("lag (steps from the marked value to the last step)")
        ax.set_ylabel("relative error (test MSE / trivial MSE)")
        ax.set_title(title)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=2)
    return fig


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


# --------------------------------------------------------------------------- case studies
__all__ += [
    "plot_error_by_horizon",
    "plot_flat_window_response",
    "plot_price_volume_spans",
    "plot_return_scatter",
]


def plot_flat_window_response(
    levels: object,
    responses: object,
    *,
    train_max: float,
    unit: str = "USD",
    lookback: int = 60,
    label: str = "model",
    title: str = "Response to flat windows",
) -> Figure:
    """A model's forecast for flat windows (every input equal to one level), seed by seed.

    Parameters
    ----------
    levels : 1-D array, length L
        The price level of each flat window.
    responses : array (seeds, L)
        Each seed's forecast of the next close for each flat window.
    train_max : float
        The highest training price, drawn as a vertical line.
    unit, lookback, label, title : str, int, str, str
        Axis unit, window length, legend name of the model, figure title.

    Returns
    -------
    matplotlib.figure.Figure
        The naive forecast is the diagonal (the same level); a model that extrapolates
        well stays on it.

    Examples
    --------
    >>> fig = plot_flat_window_response([1.0, 2.0, 3.0], [[1.0, 2.0, 2.5]], train_max=2.0)
    >>> len(fig.axes[0].lines)   # diagonal, one seed, training maximum
    3
    >>> plt.close(fig)
    """
    x = as_1d(levels, "levels")
    y = np.atleast_2d(np.asarray(responses, dtype=float))
    if y.shape[1] != x.size:
        raise DataError(f"responses has shape {y.shape}; expected (seeds, {x.size}), "
                        "one forecast per level and seed")
    with book_style():
        fig, ax = plt.subplots(figsize=(7.0, 5.0))
        ax.plot(x, x, color=COLORS["naive"], linestyle="--", label="naive: same level")
        for k, response in enumerate(y):
            ax.plot(x, response, color=COLORS["models"][0], linewidth=1, alpha=0.6,
                    label=f"{label}, one line per seed" if k == 0 else None)
        ax.axvline(train_max, color=COLORS["val"], linewidth=1, label="training maximum")
        ax.set_xlabel(f"price of a flat {lookback}-day window ({unit})")
        ax.set_ylabel(f"forecast of the next close ({unit})")
        ax.set_title(title)
        ax.legend(loc="upper left")
    return fig


def plot_return_scatter(
    predicted: object,
    actual: object,
    *,
    label: str = "test days",
    title: str = "Predicted vs actual log return",
) -> Figure:
    """Predicted against actual returns (in per cent), on equal axes with the diagonal.

    A forecast that learned only the mean return is a vertical band near 0: the
    spread of the points along x against their spread along y shows it at once.

    Examples
    --------
    >>> fig = plot_return_scatter([0.001, -0.002], [0.01, -0.03])
    >>> fig.axes[0].get_xlim() == fig.axes[0].get_ylim()
    True
    >>> plt.close(fig)
    """
    pred, true = 100 * as_1d(predicted, "predicted"), 100 * as_1d(actual, "actual")
    if pred.size != true.size:
        raise DataError(f"predicted has {pred.size} values, actual {true.size}; "
                        "pass one prediction per day")
    with book_style():
        fig, ax = plt.subplots(figsize=(6.0, 5.0))
        ax.scatter(pred, true, s=6, alpha=0.5, color=COLORS["models"][0], label=label)
        lim = 1.05 * float(np.max(np.abs(np.concatenate([pred, true]))))
        ax.plot([-lim, lim], [-lim, lim], color=COLORS["naive"], linestyle="--", linewidth=1,
                label="perfect forecast")
        ax.axhline(0, color=COLORS["actual"], linewidth=0.8)
        ax.axvline(0, color=COLORS["actual"], linewidth=0.8)
        ax.set_xlim(-lim, lim)
        ax.set_ylim(-lim, lim)
        ax.set_aspect("equal")
        ax.set_xlabel("predicted log return (%)")
        ax.set_ylabel("actual log return (%)")
        ax.set_title(title)
        ax.legend(loc="upper left")
    return fig


def plot_price_volume_spans(
    prices: pd.DataFrame,
    spans: Mapping[str, tuple[int, int]],
    *,
    price_label: str = "adjusted close",
    unit: str = "USD",
    title: str = "Close, volume and the spans",
) -> Figure:
    """Close above volume (millions of shares), each span shaded in its own colour.

    Parameters
    ----------
    prices : DataFrame with a DatetimeIndex and columns "Close" and "Volume"
    spans : dict name -> (start, stop)
        Row positions of each span, e.g. ``{s: split.bounds(s) for s in ("train", "test")}``.
    price_label, unit, title : str
        What the close is (``"adjusted close"``), its currency, the figure title.

    Examples
    --------
    >>> df = pd.DataFrame({"Close": [1.0, 2.0, 3.0, 2.5], "Volume": [1e6, 2e6, 1e6, 3e6]},
    ...                   index=pd.bdate_range("2020-01-01", periods=4))
    >>> fig = plot_price_volume_spans(df, {"train": (0, 2), "test": (2, 4)})
    >>> [ax.get_ylabel() for ax in fig.axes]
    ['adjusted close (USD)', 'volume\\n(million shares)']
    >>> plt.close(fig)
    """
    missing = {"Close", "Volume"} - set(prices.columns)
    if missing:
        raise DataError(f"prices lacks the column(s) {sorted(missing)}")
    colors = [COLORS["train"], COLORS["val"], COLORS["models"][3], COLORS["models"][4]]
    with book_style():
        fig, (ax_p, ax_v) = plt.subplots(2, 1, sharex=True, figsize=(10, 5.6),
                                         gridspec_kw={"height_ratios": [3, 1.4]})
        ax_p.plot(prices.index, prices["Close"], color=COLORS["actual"], label=price_label)
        ax_v.bar(prices.index, prices["Volume"] / 1e6, width=1.0, color=COLORS["naive"])
        for k, (name, (start, stop)) in enumerate(spans.items()):
            if not 0 <= start < stop <= len(prices):
                raise DataError(f"span {name!r} = ({start}, {stop}) is not inside the "
                                f"{len(prices)} rows")
            for ax in (ax_p, ax_v):
                ax.axvspan(prices.index[start], prices.index[stop - 1],
                           color=colors[k % len(colors)], alpha=0.10,
                           label=f"{name} span" if ax is ax_p else None)
        ax_p.set_ylabel(f"{price_label} ({unit})")
        ax_p.set_title(title)
        ax_p.legend(loc="upper left")
        ax_v.set_ylabel("volume\n(million shares)")
        ax_v.set_xlabel("date")
        ax_v.set_xlim(prices.index[0], prices.index[-1])
    return fig


def plot_error_by_horizon(
    by_step: pd.DataFrame,
    seed_rmse: object,
    *,
    model: str = "model",
    unit: str = "USD",
    title: str = "Error by horizon step",
) -> Figure:
    """Test RMSE per horizon step: the model's ensemble, its seeds' range and references.

    Parameters
    ----------
    by_step : DataFrame indexed by horizon step (1, 2, ...)
        Column "RMSE ensemble" (the model's ensemble), and one column per reference
        whose name starts with "RMSE " (e.g. "RMSE naive"); the first reference is
        drawn dashed in the naive forecast's grey.
    seed_rmse : array (seeds, steps)
        Each seed's RMSE per step; the band spans their minimum and maximum.

    Examples
    --------
    >>> steps = pd.DataFrame({"RMSE ensemble": [1.0, 1.2], "RMSE naive": [0.9, 1.3]},
    ...                      index=[1, 2])
    >>> fig = plot_error_by_horizon(steps, [[1.0, 1.3], [1.1, 1.2]])
    >>> fig.axes[0].lines[1].get_label(), fig.axes[0].get_ylabel()
    ('naive', 'test RMSE (USD)')
    >>> plt.close(fig)
    """
    seeds = np.atleast_2d(np.asarray(seed_rmse, dtype=float))
    if "RMSE ensemble" not in by_step or seeds.shape[1] != len(by_step):
        raise DataError("by_step needs a column 'RMSE ensemble', and seed_rmse one column "
                        f"per step ({len(by_step)}); got shape {seeds.shape}")
    steps = np.asarray(by_step.index)
    with book_style():
        fig, ax = plt.subplots(figsize=(8, 4.2))
        ax.fill_between(steps, seeds.min(axis=0), seeds.max(axis=0), color=COLORS["models"][0],
                        alpha=0.2, label=f"{model}, range of the {len(seeds)} seeds")
        ax.plot(steps, by_step["RMSE ensemble"], color=COLORS["models"][0], marker="o",
                label=f"{model}, mean of the {len(seeds)} seeds' forecasts")
        references = [c for c in by_step.columns if c.startswith("RMSE ") and c != "RMSE ensemble"]
        for k, col in enumerate(references):
            ax.plot(steps, by_step[col], marker="s^vD"[k % 4], linestyle="--" if k == 0 else "-",
                    color=COLORS["naive"] if k == 0 else COLORS["models"][k % 6],
                    label=col.removeprefix("RMSE "))
        ax.set_xticks(steps)
        ax.set_xlabel("days ahead (horizon step)")
        ax.set_ylabel(f"test RMSE ({unit})")
        ax.set_title(title)
        ax.legend()
    return fig
