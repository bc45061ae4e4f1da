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
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from cycler import cycler
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from lstm_tutorial.errors import DataError
from lstm_tutorial.windowing import as_1d

__all__ = [
    "BOOK_STYLE",
    "COLORS",
    "book_style",
    "plot_actual_vs_predicted",
    "plot_candlesticks",
    "plot_equity_curves",
    "plot_lag_experiment",
    "plot_loss_curves",
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
        `lstm_tutorial.long_memory.lag_experiment`).
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
