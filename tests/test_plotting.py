"""Tests of lstm_tutorial.plotting on real AAPL data, with the Agg backend."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from lstm_tutorial import diagrams, plotting  # noqa: E402
from lstm_tutorial.baselines import linear_forecast, naive_forecast  # noqa: E402
from lstm_tutorial.errors import DataError  # noqa: E402
from lstm_tutorial.windowing import make_windows  # noqa: E402


@pytest.fixture(scope="module")
def prices(aapl) -> pd.DataFrame:
    return aapl.loc["2011":]


@pytest.fixture(scope="module")
def forecasts(prices):
    close = prices["Close"]
    T, n = 20, 400
    X, y = make_windows(close, lookback=T)
    return {
        "dates": close.index[T + n:],
        "actual": y[n:, 0],
        "linear": linear_forecast(X[:n], y[:n], X[n:])[:, 0],
        "naive": naive_forecast(X[n:])[:, 0],
    }


@pytest.fixture(autouse=True)
def close_figures():
    before = set(plt.get_fignums())
    yield
    for num in set(plt.get_fignums()) - before:
        plt.close(num)


def check_figure(fig, n_labelled_axes=1):
    assert isinstance(fig, Figure)
    axes = fig.axes
    titles = [ax.get_title() for ax in axes] + [fig._suptitle.get_text() if fig._suptitle else ""]
    assert any(t.strip() for t in titles)
    labelled = [ax for ax in axes if ax.get_xlabel() and ax.get_ylabel()]
    assert len(labelled) >= n_labelled_axes
    fig.canvas.draw()  # renders without error


def test_loss_curves_from_dict_and_history_like_object():
    logs = {"loss": [0.08, 0.03, 0.02, 0.015], "val_loss": [0.09, 0.05, 0.04, 0.045]}
    fig = plotting.plot_loss_curves(logs, log_y=True)
    check_figure(fig)
    ax = fig.axes[0]
    assert ax.get_xlabel() == "epoch" and ax.get_yscale() == "log"
    assert "MSE" in ax.get_ylabel()
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[:2] == ["training", "validation"] and "epoch 3" in legend[2]
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), [1, 2, 3, 4])

    class History:  # what keras' model.fit returns: logs in .history
        history = {"loss": [1.0, 0.5]}

    check_figure(plotting.plot_loss_curves(History(), loss_name="MAE"))
    with pytest.raises(DataError):
        plotting.plot_loss_curves({"val_loss": [1.0]})


def test_actual_vs_predicted_on_real_data(forecasts):
    f = forecasts
    fig = plotting.plot_actual_vs_predicted(
        f["dates"], f["actual"], {"linear": f["linear"]}, naive=f["naive"],
        title="AAPL close",
    )
    check_figure(fig)
    ax = fig.axes[0]
    assert ax.get_title().startswith("AAPL close (") and "2013-03-01" in ax.get_title()
    assert ax.get_ylabel() == "price (USD)" and ax.get_xlabel() == "date"
    styles = {line.get_label(): line.get_linestyle() for line in ax.lines}
    assert styles["naive (last observed value)"] == "--"
    assert {"actual", "linear"} <= set(styles)
    with pytest.raises(DataError):
        plotting.plot_actual_vs_predicted(f["dates"], f["actual"], {"bad": f["linear"][:-1]})


def test_actual_vs_predicted_without_dates_and_other_currency(forecasts):
    fig = plotting.plot_actual_vs_predicted(None, forecasts["actual"], forecasts["linear"],
                                            unit="TWD")
    check_figure(fig)
    assert fig.axes[0].get_xlabel() == "test sample"
    assert fig.axes[0].get_ylabel() == "price (TWD)"


def test_residuals_on_real_data(forecasts):
    f = forecasts
    fig = plotting.plot_residuals(f["dates"], f["actual"], f["linear"])
    check_figure(fig)
    assert fig.axes[1].get_xlabel() == "count (samples)"
    residuals = fig.axes[0].lines[-1].get_ydata()
    np.testing.assert_allclose(residuals, f["actual"] - f["linear"])


def test_candlesticks_with_volume_and_moving_averages(prices):
    fig = plotting.plot_candlesticks(prices.loc["2012-09":"2012-12"], title="AAPL",
                                     mav=(5, 20))
    check_figure(fig)
    price_ax = fig.axes[0]
    assert price_ax.get_title() == "AAPL (2012-09-04 to 2012-12-31)"
    assert price_ax.get_ylabel() == "price (USD)"
    assert any("volume" in ax.get_ylabel() for ax in fig.axes)
    assert len(price_ax.get_legend().get_texts()) == 2


def test_candlesticks_without_volume(prices):
    check_figure(plotting.plot_candlesticks(prices.loc["2013"], volume=False))
    with pytest.raises(DataError):
        plotting.plot_candlesticks(prices.loc["2013"].drop(columns="Volume"))
    with pytest.raises(DataError):
        plotting.plot_candlesticks(prices.loc["2013"].reset_index())


def test_no_global_style_changes(forecasts, prices):
    before = dict(plt.rcParams)
    plotting.plot_loss_curves({"loss": [1.0, 0.5]})
    plotting.plot_actual_vs_predicted(forecasts["dates"], forecasts["actual"],
                                      forecasts["linear"])
    plotting.plot_candlesticks(prices.loc["2013-01"])
    assert dict(plt.rcParams) == before


def test_first_book_figure_does_not_switch_off_later_figures(tmp_path):
    """In Jupyter, a package plot as the session's first figure must not stop
    later figures (package or plain pyplot) from being displayed."""
    from nbclient import NotebookClient
    from nbformat.v4 import new_code_cell, new_notebook

    cells = [
        "import numpy as np, pandas as pd, matplotlib.pyplot as plt\n"
        "from lstm_tutorial.plotting import plot_residuals\n"
        "d = pd.bdate_range('2020-01-01', periods=30)",
        "fig = plot_residuals(d, np.arange(30.0), np.arange(30.0) + np.sin(np.arange(30)))",
        "fig2 = plot_residuals(d, np.arange(30.0), np.arange(30.0) + np.cos(np.arange(30)))",
        "plt.plot([1, 2, 3]); plt.title('plain pyplot'); plt.show()",
    ]
    nb = new_notebook(cells=[new_code_cell(c) for c in cells])
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    images = [sum("image/png" in o.get("data", {}) for o in c.outputs) for c in nb.cells]
    assert images == [0, 1, 1, 1]


def diagram_texts(fig) -> list[str]:
    return [t.get_text() for t in fig.findobj(Text)]


@pytest.mark.parametrize("draw", [diagrams.plot_lstm_cell, diagrams.plot_gru_cell])
def test_cell_diagrams_annotate_the_shapes(draw):
    fig = draw(hidden=32, inputs=1)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert ax.get_title().endswith("cell (H = 32 hidden units, D = 1 input)")
    assert len(ax.get_xticks()) == 0 and len(ax.get_yticks()) == 0
    texts = diagram_texts(fig)
    assert "H + D = 33" in texts  # [h_{t-1}, x_t]
    assert texts.count("W 33×32,  b 32") == (4 if draw is diagrams.plot_lstm_cell else 3)
    assert any("(32)" in t and "h_" in t for t in texts)  # h_{t-1} and h_t: 32 values
    assert any("(1)" in t and "x_t" in t for t in texts)
    fig.canvas.draw()

    wide = diagram_texts(draw(hidden=32, inputs=3))
    assert "H + D = 35" in wide and "W 35×32,  b 32" in wide


def test_cell_diagrams_count_the_parameters_as_keras_does():
    from lstm_tutorial.params import gru_param_count, lstm_param_count

    lstm = " ".join(diagram_texts(diagrams.plot_lstm_cell(32, 1)))
    assert f"{lstm_param_count(1, 32):,} parameters" in lstm and "4,352" in lstm
    assert any("(32)" in t and "c_" in t for t in diagram_texts(diagrams.plot_lstm_cell(32, 1)))
    gru = " ".join(diagram_texts(diagrams.plot_gru_cell(64, 2)))
    assert f"{gru_param_count(2, 64, reset_after=False):,}" in gru
    assert f"{gru_param_count(2, 64):,}" in gru


@pytest.mark.parametrize("sizes", [{"hidden": 0}, {"inputs": -1}, {"hidden": 2.5},
                                   {"inputs": True}, {"hidden": "32"}])
def test_cell_diagrams_refuse_bad_sizes(sizes):
    for draw in (diagrams.plot_lstm_cell, diagrams.plot_gru_cell):
        with pytest.raises(DataError, match="positive integer"):
            draw(**sizes)


def test_cell_diagrams_change_no_global_style():
    before = dict(plt.rcParams)
    diagrams.plot_lstm_cell()
    diagrams.plot_gru_cell()
    assert dict(plt.rcParams) == before


def test_plot_lag_experiment_one_dot_per_run_and_the_trivial_line():
    results = pd.DataFrame({
        "model": ["RNN"] * 4 + ["LSTM"] * 4,
        "lag": [10, 10, 50, 50] * 2,
        "relative error": [0.01, 0.02, 1.0, 0.9, 0.004, 0.003, 0.006, 0.2],
    })
    fig = plotting.plot_lag_experiment(results)
    check_figure(fig)
    ax = fig.axes[0]
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    dots = [c for c in ax.collections]
    assert sum(len(c.get_offsets()) for c in dots) == len(results)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["RNN (dots: seeds, line: mean)", "LSTM (dots: seeds, line: mean)",
                      "trivial predictor (always 0)", "solved below 0.1"]
    means = ax.get_lines()[0].get_ydata()
    np.testing.assert_allclose(means, [0.015, 0.95])
    with pytest.raises(DataError, match="lacks the column"):
        plotting.plot_lag_experiment(results.drop(columns="lag"))


def test_plot_gates_draws_both_gates_in_unit_order():
    rng = np.random.default_rng(0)
    values = rng.uniform(-1, 1, 30)
    i_gate, f_gate = rng.uniform(size=(30, 5)), rng.uniform(size=(30, 5))
    fig = diagrams.plot_gates(values, i_gate, f_gate, marked=7, units=[4, 0, 2])
    check_figure(fig)
    ax_values, ax_i, ax_f = fig.axes[:3]
    assert ax_values.get_title() and ax_f.get_xlabel().startswith("step")
    image = ax_i.get_images()[0].get_array()
    np.testing.assert_allclose(image, i_gate[:, [4, 0, 2]].T)       # rows = chosen units
    np.testing.assert_allclose(ax_f.get_images()[0].get_array(), f_gate[:, [4, 0, 2]].T)
    assert [t.get_text() for t in ax_i.get_yticklabels()] == ["4", "0", "2"]
    assert ax_i.get_images()[0].get_clim() == (0.0, 1.0)
    assert f"{values[7]:.2f}" in ax_values.get_legend().get_texts()[1].get_text()
    with pytest.raises(DataError, match="expected \\(steps, units\\)"):
        diagrams.plot_gates(values, i_gate[:5], f_gate, marked=7)
    with pytest.raises(DataError, match="not a step"):
        diagrams.plot_gates(values, i_gate, f_gate, marked=30)


def test_equity_curves_one_line_per_seed_and_dated_title(prices):
    from lstm_tutorial.backtest import backtest, buy_and_hold

    closes = prices["Close"].iloc[:60]
    rng = np.random.default_rng(0)
    seeds = [backtest(pd.Series(rng.integers(0, 2, 59), index=closes.index[:-1]), closes,
                      cost_bps=10) for _ in range(3)]
    hold = buy_and_hold(closes, cost_bps=10)
    fig = plotting.plot_equity_curves({"buy and hold": hold, "model": seeds,
                                       "model, equity only": seeds[0].equity},
                                      title="Backtest")
    check_figure(fig)
    ax = fig.axes[0]
    assert ax.get_title() == (f"Backtest ({closes.index[0]:%Y-%m-%d} to "
                              f"{closes.index[-1]:%Y-%m-%d})")
    assert ax.get_ylabel() == "value of 1 invested"
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["buy and hold", "model (one line per seed)", "model, equity only",
                      "start: 1 (cash)"]
    assert len(ax.lines) == 1 + 3 + 1 + 1
    np.testing.assert_allclose(ax.lines[0].get_ydata(), hold.equity.to_numpy())


def test_equity_curves_without_dates_and_log_scale():
    fig = plotting.plot_equity_curves({"rule": [1.0, 1.1, 1.05]}, log_y=True)
    check_figure(fig)
    ax = fig.axes[0]
    assert ax.get_xlabel() == "trading day"
    assert ax.get_yscale() == "log"
    assert ax.get_title() == "Growth of 1 invested"


@pytest.mark.parametrize("curves, message", [
    ({}, "non-empty dict"),
    ([1.0, 2.0], "non-empty dict"),
    ({"x": []}, r"curves\['x'\] is an empty list"),
    ({"x": [1.0]}, "at least 2 finite values"),
    ({"x": [1.0, np.nan]}, "at least 2 finite values"),
])
def test_equity_curves_bad_input(curves, message):
    with pytest.raises(DataError, match=message):
        plotting.plot_equity_curves(curves)


def _candle_colors(fig):
    """Face colours (RGB) of the candle bodies and of the volume bars, in date order."""
    bodies = next(c for c in fig.axes[0].collections if type(c).__name__ == "PolyCollection")
    bars = [ax for ax in fig.axes if "volume" in ax.get_ylabel()][0].patches
    return ([tuple(np.round(rgba[:3], 3)) for rgba in bodies.get_facecolors()],
            [tuple(np.round(p.get_facecolor()[:3], 3)) for p in bars])


@pytest.mark.parametrize("convention, up_color, down_color", [
    ("us", plotting.COLORS["up"], plotting.COLORS["down"]),         # green up, red down
    ("taiwan", plotting.COLORS["down"], plotting.COLORS["up"]),     # 紅漲綠跌
    ("china", plotting.COLORS["down"], plotting.COLORS["up"]),
])
def test_candlestick_colour_conventions(convention, up_color, down_color):
    import matplotlib.colors as mcolors

    # day 1 closes above its open (up), day 2 below (down)
    df = pd.DataFrame({"Open": [1.0, 2.6], "High": [2.2, 3.0], "Low": [0.9, 1.8],
                       "Close": [2.0, 2.1], "Volume": [100, 150]},
                      index=pd.date_range("2013-01-02", periods=2, freq="B"))
    fig = plotting.plot_candlesticks(df, color_convention=convention)
    bodies, bars = _candle_colors(fig)
    expected = [tuple(np.round(mcolors.to_rgb(c), 3)) for c in (up_color, down_color)]
    assert bodies == expected
    assert bars == expected
    plt.close(fig)


def test_candlestick_red_means_up_only_in_taiwan_convention():
    import matplotlib.colors as mcolors

    df = pd.DataFrame({"Open": [1.0], "High": [2.2], "Low": [0.9], "Close": [2.0]},
                      index=pd.date_range("2013-01-02", periods=1))
    red, green = (np.array(mcolors.to_rgb(c)) for c in ("red", "green"))
    for convention, reddish in (("us", False), ("taiwan", True)):
        fig = plotting.plot_candlesticks(df, volume=False, color_convention=convention)
        body = next(c for c in fig.axes[0].collections
                    if type(c).__name__ == "PolyCollection").get_facecolors()[0][:3]
        closer_to_red = np.linalg.norm(body - red) < np.linalg.norm(body - green)
        assert closer_to_red == reddish, convention
        plt.close(fig)


def test_candlestick_unknown_colour_convention_is_refused(prices):
    with pytest.raises(ValueError, match="color_convention must be one of 'us', 'taiwan'"):
        plotting.plot_candlesticks(prices.loc["2013-01"], color_convention="green-up")


# --- case-study figures (chapters 7 and 8) ----------------------------------------------


def test_flat_window_response_one_line_per_seed_and_the_diagonal(prices):
    levels = np.linspace(0, 2 * prices["Close"].max(), 9)
    responses = np.vstack([np.minimum(levels, 30.0), np.minimum(levels, 40.0)])
    fig = plotting.plot_flat_window_response(levels, responses, train_max=30.0,
                                             label="model A", title="flat windows")
    check_figure(fig)
    ax = fig.axes[0]
    diagonal = ax.lines[0]
    np.testing.assert_allclose(diagonal.get_xdata(), diagonal.get_ydata())
    seeds = [line for line in ax.lines if line.get_color() == plotting.COLORS["models"][0]]
    assert len(seeds) == 2
    np.testing.assert_allclose(seeds[1].get_ydata(), responses[1])
    assert ax.lines[-1].get_xdata()[0] == 30.0                     # the training maximum
    assert [t.get_text() for t in ax.get_legend().get_texts()].count(
        "model A, one line per seed") == 1
    assert "60-day" in ax.get_xlabel()
    with pytest.raises(DataError, match="one forecast per level"):
        plotting.plot_flat_window_response(levels, responses[:, :3], train_max=30.0)


def test_return_scatter_has_equal_symmetric_axes_in_percent(prices):
    r = np.log(prices["Close"]).diff().dropna().to_numpy()
    fig = plotting.plot_return_scatter(0.1 * r[1:], r[1:], title="returns")
    check_figure(fig)
    ax = fig.axes[0]
    low, high = ax.get_xlim()
    assert ax.get_ylim() == (low, high) and low == pytest.approx(-high)
    assert high >= 100 * np.abs(r[1:]).max()                     # every point inside, in %
    offsets = ax.collections[0].get_offsets()
    np.testing.assert_allclose(offsets[:, 1], 100 * r[1:])
    with pytest.raises(DataError, match="one prediction per day"):
        plotting.plot_return_scatter(r[:5], r[:6])


def test_price_volume_spans_shades_every_span_in_both_panels(prices):
    n = len(prices)
    spans = {"train": (0, n // 2), "val": (n // 2, 3 * n // 4), "test": (3 * n // 4, n)}
    fig = plotting.plot_price_volume_spans(prices, spans, unit="USD", title="AAPL spans")
    check_figure(fig)
    ax_p, ax_v = fig.axes
    assert ax_p.get_ylabel() == "adjusted close (USD)"
    for ax in (ax_p, ax_v):
        shaded = [p for p in ax.patches if p.get_alpha() == 0.10]
        assert len(shaded) == 3
    legend = [t.get_text() for t in ax_p.get_legend().get_texts()]
    assert legend[1:] == ["train span", "val span", "test span"]
    heights = [bar.get_height() for bar in ax_v.patches if bar.get_alpha() != 0.10]
    np.testing.assert_allclose(heights, prices["Volume"] / 1e6)
    with pytest.raises(DataError, match="not inside"):
        plotting.plot_price_volume_spans(prices, {"test": (n - 5, n + 1)})


def test_error_by_horizon_draws_the_ensemble_the_band_and_each_reference():
    by_step = pd.DataFrame({"RMSE naive": [0.6, 0.9, 1.0], "RMSE moving average": [0.8, 1.0, 1.1],
                            "RMSE ensemble": [0.7, 0.95, 1.0], "skill": [-0.1, -0.05, 0.0]},
                           index=pd.Index([1, 2, 3], name="days ahead"))
    seed_rmse = np.array([[0.68, 0.9, 1.0], [0.75, 1.0, 1.05]])
    fig = plotting.plot_error_by_horizon(by_step, seed_rmse, model="seq2seq", unit="TWD",
                                         title="by step")
    check_figure(fig)
    ax = fig.axes[0]
    labels = [line.get_label() for line in ax.lines]
    assert labels == ["seq2seq, mean of the 2 seeds' forecasts", "naive", "moving average"]
    np.testing.assert_allclose(ax.lines[1].get_ydata(), by_step["RMSE naive"])
    band = ax.collections[0].get_paths()[0].vertices[:, 1]
    assert band.min() == pytest.approx(0.68) and band.max() == pytest.approx(1.05)
    assert ax.get_ylabel() == "test RMSE (TWD)"
    assert list(ax.get_xticks()) == [1, 2, 3]
    with pytest.raises(DataError, match="one column"):
        plotting.plot_error_by_horizon(by_step, seed_rmse[:, :2])
