"""The book's honest pipeline on any price table, in one call.

`run_study` does, for any daily price table, what the case studies do step by step:

1. validate the table (`lstm_tutorial.data.validate_prices`);
2. split it in time order into training, validation and test spans
   (`lstm_tutorial.preprocessing.chronological_split`);
3. fit the scaler on the training rows only and cut split-aware windows
   (`lstm_tutorial.preprocessing.make_split_windows`): no target is ever
   counted in two spans;
4. compute the baselines (naive last value, moving average, linear
   regression on the same windows and, one day ahead, ARIMA with its order and
   parameters from the days before the test span, `lstm_tutorial.baselines.arima_forecast`)
   *before* any training, which also checks that the test span is long enough
   for the statistics;
5. train each chosen network (`NETWORKS`: the plain LSTM of the classic
   tutorials, the residual LSTM and the per-window normalised LSTM of chapter 7)
   once per seed until early stopping on the validation span (``epochs`` is
   only the cap) and average each network's seeds' forecasts;
6. compare every forecast with the naive one (`lstm_tutorial.stats.compare_with_naive`:
   skill with a bootstrap interval, Diebold–Mariano test, MASE) and word the result
   with `lstm_tutorial.stats.verdict`;
7. backtest a long-or-flat position on each forecast, with costs, against buy and hold
   (`lstm_tutorial.backtest`): the signal decided at a close is traded the day
   after (``delay=1``), the earliest a signal that needs that close can trade.

`StudyResult.save` writes ``report.md``, ``results.csv``, ``forecasts.csv``,
``backtest.csv`` and the figures as PNG files, all or nothing. The command line
``python -m lstm_tutorial study TICKER_OR_CSV`` (`lstm_tutorial.app.cli`) runs both.

Everything up to step 4 runs before Keras is imported, so bad input fails fast
with a `~lstm_tutorial.errors.DataError` and no training time is lost.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from lstm_tutorial.backtest import backtest, backtest_table, buy_and_hold, positions_from_forecast
from lstm_tutorial.baselines import (
    arima_forecast,
    fit_linear_baseline,
    moving_average_forecast,
    naive_forecast,
)
from lstm_tutorial.data import repair_report, validate_prices
from lstm_tutorial.errors import DataError, positive_int
from lstm_tutorial.preprocessing import (
    chronological_split,
    fit_scaler,
    inverse_target,
    make_split_windows,
)
from lstm_tutorial.stats import compare_with_naive, verdict

__all__ = ["MODEL", "NAIVE", "NETWORKS", "StudyResult", "check_out_dir", "run_study"]

NETWORKS = {"lstm": "LSTM", "residual": "residual LSTM", "normalised": "normalised LSTM"}
"""The networks `run_study` can train (its ``models``), each with its row name in the tables.

- "lstm": `lstm_tutorial.models.build_lstm_regressor` on the min-max scaled windows,
  the classic tutorial model; it forecasts a level, and fails above the training range.
- "residual": `lstm_tutorial.models.build_residual_lstm` on the same windows; it
  forecasts the last value plus a learned change.
- "normalised": `build_lstm_regressor` on windows normalised by their own last value
  and daily-move scale (`lstm_tutorial.preprocessing.normalize_windows`), the forecast
  mapped back with `lstm_tutorial.preprocessing.denormalize_forecast`.
"""
MODEL = NETWORKS["lstm"]
"""Row name of the plain LSTM (the mean forecast of its seeds) in the result tables."""
NAIVE = "naive"
"""Row name of the naive forecast (the last observed value)."""
MA_DAYS = 5
FILES = ("report.md", "results.csv", "forecasts.csv", "backtest.csv")


@dataclass
class StudyResult:
    """What `run_study` found; `save` writes it to a folder.

    Attributes
    ----------
    table : DataFrame
        Every forecast against the naive one on the test span (index "model",
        the columns of `lstm_tutorial.stats.compare_with_naive` plus "verdict").
    forecasts : DataFrame
        Indexed by the date each forecast is for: "actual", "naive", the other
        baselines and one column per network (its seeds' mean), in prices.
    figures : dict
        Name -> matplotlib Figure ("forecast", "forecast_last60", "equity", and
        "loss_<network>" per network, e.g. "loss_lstm").
    stopping : DataFrame
        When each network's seeds stopped (`lstm_tutorial.training.stopping_table`).
    backtest : DataFrame
        Long-or-flat trading on each forecast against buy and hold
        (`lstm_tutorial.backtest.backtest_table`).
    seeds : DataFrame
        Each network's test RMSE over its seeds and of the seeds' mean
        (`lstm_tutorial.training.seed_table`).
    settings : dict
        Every setting of the run, and the data's name and span.
    verdicts : list of str
        One sentence per forecast, worded by `lstm_tutorial.stats.verdict`.
    notes : list of str
        What validation noticed or repaired in the data.
    """

    table: pd.DataFrame
    forecasts: pd.DataFrame
    figures: dict[str, Any]
    stopping: pd.DataFrame
    backtest: pd.DataFrame
    seeds: pd.DataFrame
    settings: dict[str, Any]
    verdicts: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def report(self) -> str:
        """The Markdown report (what ``report.md`` holds)."""
        return _report(self)

    def save(self, out_dir: str | os.PathLike) -> Path:
        """Write the report, tables and figures into ``out_dir``; return the report's path.

        Everything is written into a temporary folder next to ``out_dir`` first.
        A new ``out_dir`` is then created by renaming that folder; in an existing
        one each file is replaced by a rename. If anything fails, the temporary
        folder is removed and ``out_dir`` is left as it was (not created if it
        did not exist). Other files in an existing ``out_dir`` are left alone.
        """
        out = check_out_dir(out_dir)
        created = _make_parents(out.parent)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
        try:
            umask = os.umask(0o022)
            os.umask(umask)
            tmp.chmod(0o777 & ~umask)  # mkdtemp makes it private; the result is an ordinary folder
            _write_files(self, tmp)
            if out.exists():
                for path in sorted(tmp.iterdir()):
                    os.replace(path, out / path.name)
                tmp.rmdir()
            else:
                os.replace(tmp, out)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            for folder in reversed(created):
                with contextlib.suppress(OSError):
                    folder.rmdir()
            raise
        return out / "report.md"


def check_out_dir(out_dir: str | os.PathLike) -> Path:
    """Return ``out_dir`` as a Path, or raise `DataError` if a study cannot be saved there.

    It may be missing (it is created on save) or a folder; not a file. Nothing
    is created here: call it before training to fail early.

    Examples
    --------
    >>> check_out_dir("study-msft").name
    'study-msft'
    """
    out = Path(out_dir).expanduser()
    if out.exists() and not out.is_dir():
        raise DataError(f"{out} exists and is not a folder; pick another output folder")
    existing = next((p for p in [out, *out.parents] if p.exists()), None)
    if existing is not None and not (existing.is_dir() and os.access(existing, os.W_OK)):
        raise DataError(f"cannot write into {existing}; pick an output folder you can write to")
    return out


def _make_parents(folder: Path) -> list[Path]:
    """Create ``folder`` and its missing parents; return those created, outermost first."""
    missing = [p for p in [folder, *folder.parents] if not p.exists()][::-1]
    for path in missing:
        path.mkdir()
    return missing


class _Prepared(NamedTuple):
    """Everything before training: data, split, scaler, windows, test targets, baselines."""

    df: pd.DataFrame
    split: Any
    scaler: Any
    windows: dict
    dates: pd.DatetimeIndex
    actual: np.ndarray
    baselines: dict[str, np.ndarray]
    closes: pd.Series
    linear_next: np.ndarray
    y_train: np.ndarray
    notes: list[str]


def run_study(
    prices: pd.DataFrame,
    *,
    name: str = "prices",
    target: str = "Adj Close",
    lookback: int = 60,
    horizon: int = 1,
    seeds: Sequence[int] = (0, 1, 2, 3, 4),
    models: Sequence[str] = ("lstm", "residual"),
    epochs: int = 300,
    patience: int = 10,
    units: int = 64,
    val_fraction: float = 0.15,
    test_fraction: float = 0.15,
    batch_size: int = 32,
    cost_bps: float = 10.0,
    backend: str | None = None,
    progress: bool = False,
) -> StudyResult:
    """Run the book's honest pipeline on one price table (see the module docstring).

    Parameters
    ----------
    prices : DataFrame
        Daily prices in the book's layout (as `lstm_tutorial.data.load_prices`
        returns them); validated again here.
    name : str
        What to call the series in messages, titles and the report (the ticker).
    target : str, default "Adj Close"
        The column to forecast: split- and dividend-adjusted, so that a split is
        not a crash and the backtest's returns are total returns.
    lookback, horizon : int
        Days per input window, and which day ahead to forecast (the tables
        compare the forecasts of day ``horizon``; the backtest trades the day-1
        forecast's signal, a day after the close it was made at).
    seeds : sequence of int
        One network per seed and model; a model's forecast is its seeds' mean.
    models : sequence of str, default ("lstm", "residual")
        The networks to train, keys of `NETWORKS`: "lstm", "residual",
        "normalised". The default shows both sides of chapter 7: the plain LSTM
        is the model every tutorial trains, and on prices above its training
        range it fails; the residual LSTM is the cheapest fix (same windows,
        same size, a skip connection), so the report shows the failure and its
        repair side by side at twice, not three times, the training time of one
        model. Add "normalised" for the per-window normalised LSTM.
    epochs, patience : int
        The epoch cap and the early-stopping patience on the validation loss.
    units : int
        LSTM units.
    val_fraction, test_fraction : float
        Shares of the rows for validation (early stopping) and test, the latest rows.
    batch_size : int
    cost_bps : float
        Trading cost per change of position, in basis points, for the backtest.
    backend : "jax", "tensorflow" or None
        Passed to `lstm_tutorial.repro.use_backend` before Keras is imported
        (None: keep Keras' current backend).
    progress : bool
        Show a `tqdm` bar per seed (on stderr).

    Returns
    -------
    StudyResult

    Raises
    ------
    DataError
        For bad data or settings, before any training.

    Examples
    --------
    >>> from lstm_tutorial.data import load_prices
    >>> prices = load_prices("MSFT", "2010-01-01", "2016-12-31")
    >>> result = run_study(prices, name="MSFT", backend="jax")  # doctest: +SKIP
    >>> result.table[["RMSE", "skill", "skill low", "skill high", "verdict"]]  # doctest: +SKIP
    >>> result.save("study-msft")  # doctest: +SKIP
    PosixPath('study-msft/report.md')
    """
    settings = _settings(locals())
    prep = _prepare(prices, settings)
    trained = _train(prep, settings)
    return _evaluate(prep, trained, settings)


def _settings(args: dict[str, Any]) -> dict[str, Any]:
    """Check the settings that need no data; return them as the report shows them."""
    for key in ("lookback", "horizon", "epochs", "patience", "units", "batch_size"):
        positive_int(key, args[key])
    seeds = list(args["seeds"])
    if not seeds:
        raise DataError("seeds is empty; give at least one seed, e.g. seeds=(0, 1, 2, 3, 4)")
    for seed in seeds:
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
            raise DataError(f"seeds must be integers >= 0, got {seed!r}")
    models = _check_models(args["models"], args["lookback"])
    val, test = args["val_fraction"], args["test_fraction"]
    if not (0 < val < 1 and 0 < test < 1 and val + test < 1):
        raise DataError(
            f"val_fraction={val} and test_fraction={test} must each be in (0, 1) and sum "
            "below 1, so that training, validation and test rows remain; e.g. 0.15 and 0.15"
        )
    cost = args["cost_bps"]
    if isinstance(cost, bool) or not isinstance(cost, (int, float)) or not 0 <= cost < 1e4:
        raise DataError(f"cost_bps must be in [0, 10000), got {args['cost_bps']!r}")
    keep = ("name", "target", "lookback", "horizon", "epochs", "patience", "units",
            "val_fraction", "test_fraction", "batch_size", "cost_bps", "backend", "progress")
    return {k: args[k] for k in keep} | {"seeds": [int(s) for s in seeds], "models": models}


def _check_models(models: Sequence[str], lookback: int) -> list[str]:
    """The chosen networks as a list of `NETWORKS` keys, each once, in the order given."""
    chosen = [models] if isinstance(models, str) else list(models)
    valid = ", ".join(NETWORKS)
    if not chosen:
        raise DataError(f"models is empty; choose at least one of {valid}")
    for key in chosen:
        if key not in NETWORKS:
            raise DataError(f"unknown model {key!r}; choose from {valid}")
    if "normalised" in chosen and lookback < 3:
        raise DataError(f"the normalised LSTM needs a lookback of 3 or more (got {lookback}): "
                        "a window's scale is the spread of at least 2 daily changes")
    return list(dict.fromkeys(chosen))


def _prepare(prices: pd.DataFrame, s: dict[str, Any]) -> _Prepared:
    """Validate, split, scale, window, and compute the baselines: no Keras yet."""
    notes = _repair_notes(prices)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):  # validation's notes go into the report
        df = validate_prices(prices, s["name"])
    notes += [line for line in printed.getvalue().splitlines() if line.strip()]
    if s["target"] not in df.columns:
        raise DataError(f"target {s['target']!r} is not a column; use one of {list(df.columns)}")
    series = df[[s["target"]]]
    split = chronological_split(series, train=1 - s["val_fraction"] - s["test_fraction"],
                                val=s["val_fraction"])
    scaler = fit_scaler(split.train)  # MinMax, fitted on the training rows only
    windows = make_split_windows(scaler.transform(series.to_numpy()), split,
                                 lookback=s["lookback"], horizon=s["horizon"])
    if "val" not in windows:
        raise DataError(
            f"{s['name']}: the validation span is empty ({len(df)} rows); early stopping needs "
            "one: use a longer date range or a larger validation fraction"
        )
    test, step = windows["test"], s["horizon"] - 1

    def to_prices(scaled: np.ndarray) -> np.ndarray:
        return inverse_target(scaler, scaled)[:, step]

    values = series[s["target"]]
    rows = test.target_rows
    baselines = {NAIVE: to_prices(naive_forecast(test.X, horizon=s["horizon"]))}
    if s["lookback"] >= MA_DAYS:
        baselines[f"moving average ({MA_DAYS} days)"] = to_prices(
            moving_average_forecast(test.X, k=MA_DAYS, horizon=s["horizon"]))
    linear = inverse_target(scaler, fit_linear_baseline(windows["train"].X, windows["train"].y)
                            .predict(test.X))
    baselines["linear regression"] = linear[:, step]
    if s["horizon"] == 1:  # ARIMA's one-step forecasts; order and parameters from before the test
        arima = arima_forecast(values.iloc[:rows[0]], values.iloc[rows[0]:rows[-1] + 1])
        if np.allclose(arima.forecasts, baselines[NAIVE], rtol=0, atol=1e-9):
            notes.append(f"ARIMA's order chosen by AIC is ARIMA{arima.order}, the random walk: "
                         "its forecasts are the naive ones, so it has no row of its own")
        else:
            baselines[f"ARIMA{arima.order}"] = arima.forecasts
    else:
        notes.append(f"ARIMA is left out: the study compares it one step ahead only, and the "
                     f"horizon is {s['horizon']}")
    actual = to_prices(test.y)
    y_train = split.train[s["target"]].to_numpy()
    others = {k: v for k, v in baselines.items() if k != NAIVE}
    # Fails now, not after training, if the test span is too short for the statistics.
    compare_with_naive(others, actual, baselines[NAIVE], y_train, h=s["horizon"],
                       naive_name=NAIVE, n_boot=10)
    # Day t's position is decided at close rows[t] - 1 and held to close rows[t].
    closes = values.iloc[np.append(rows - 1, rows[-1])]
    return _Prepared(df, split, scaler, windows, df.index[rows + step], actual, baselines,
                     closes, linear[:, 0], y_train, notes)


def _repair_notes(prices: pd.DataFrame) -> list[str]:
    """The rows ``load_prices(..., glitches="repair")`` dropped before the study, as a note."""
    dropped = repair_report(prices) if isinstance(prices, pd.DataFrame) else pd.DataFrame()
    if dropped.empty:
        return []
    counts = "; ".join(f"{n} × {p}" for p, n in dropped["problem"].value_counts().items())
    dates = ", ".join(f"{d:%Y-%m-%d}" for d in pd.DatetimeIndex(dropped["Date"]).unique())
    return [f"{dropped['Date'].nunique()} row(s) with glitches were dropped before the study "
            f"({counts}): {dates}"]


class _Trained(NamedTuple):
    """Each network's runs and its seeds' test forecasts, in scaled units (key of `NETWORKS`)."""

    runs: dict[str, list]
    scaled: dict[str, list[np.ndarray]]


def _network_data(key: str, prep: _Prepared) -> tuple[tuple, tuple, np.ndarray, Any]:
    """A network's (X, y) for training and validation, its test X, and its map back.

    The map takes the network's test outputs to the min-max scaled units of the
    other forecasts. Only the normalised LSTM sees other inputs than the windows.
    """
    from lstm_tutorial.preprocessing import denormalize_forecast, normalize_windows

    train, val, test = (prep.windows[k] for k in ("train", "val", "test"))
    if key != "normalised":
        return (train.X, train.y), (val.X, val.y), test.X, lambda out: out
    X_train, y_train, _ = normalize_windows(train.X, train.y)
    X_val, y_val, _ = normalize_windows(val.X, val.y)
    X_test, _, scale = normalize_windows(test.X)
    return ((X_train, y_train), (X_val, y_val), X_test,
            lambda out: denormalize_forecast(out, scale))


def _train(prep: _Prepared, s: dict[str, Any]) -> _Trained:
    """Train each chosen network once per seed until early stopping on the validation span."""
    if s["backend"] is not None:
        from lstm_tutorial.repro import use_backend

        use_backend(s["backend"])
    from lstm_tutorial.models import build_lstm_regressor, build_residual_lstm
    from lstm_tutorial.training import train_seeds

    builders = {"lstm": build_lstm_regressor, "residual": build_residual_lstm,
                "normalised": build_lstm_regressor}
    runs, scaled = {}, {}
    for key in s["models"]:
        (X, y), validation, X_test, back = _network_data(key, prep)

        def build(builder=builders[key]):
            return builder(lookback=s["lookback"], n_features=1, units=s["units"],
                           horizon=s["horizon"])

        runs[key] = []
        for seed in s["seeds"]:
            extra = [_progress_bar(f"{NETWORKS[key]}, seed {seed}", s["epochs"])
                     ] if s["progress"] else []
            runs[key] += train_seeds(build, X, y, seeds=(seed,), epochs=s["epochs"],
                                     patience=s["patience"], validation_data=validation,
                                     batch_size=s["batch_size"], callbacks=extra)
        scaled[key] = [back(r.model.predict(X_test, verbose=0)) for r in runs[key]]
    return _Trained(runs, scaled)


def _progress_bar(label: str, cap: int):
    """A Keras callback that shows one `tqdm` bar for one seed's epochs (on stderr)."""
    import keras
    from tqdm.auto import tqdm

    class ProgressBar(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            self.bar = tqdm(total=cap, desc=label, unit="epoch", file=sys.stderr,
                            dynamic_ncols=True)

        def on_epoch_end(self, epoch, logs=None):
            self.bar.set_postfix(val_loss=f"{(logs or {}).get('val_loss', np.nan):.3g}",
                                 refresh=False)
            self.bar.update(1)

        def on_train_end(self, logs=None):
            if self.bar.n < cap:
                self.bar.set_description(f"{label}: early stop at epoch {self.bar.n}")
            self.bar.close()

    return ProgressBar()


def _evaluate(prep: _Prepared, trained: _Trained, s: dict[str, Any]) -> StudyResult:
    """Score each network's seeds' mean forecast and the baselines, backtest them, draw."""
    step = s["horizon"] - 1
    names = {key: NETWORKS[key] for key in s["models"]}
    per_seed = {names[k]: [inverse_target(prep.scaler, p) for p in trained.scaled[k]]
                for k in names}
    means = {name: np.mean(p, axis=0) for name, p in per_seed.items()}
    runs = {names[k]: trained.runs[k] for k in names}
    naive = prep.baselines[NAIVE]
    forecasts = pd.DataFrame(
        {"actual": prep.actual, **prep.baselines, **{k: m[:, step] for k, m in means.items()}},
        index=prep.dates,
    )
    predictions = {k: v for k, v in forecasts.items() if k not in ("actual", NAIVE)}
    table = compare_with_naive(predictions, prep.actual, naive, prep.y_train, h=s["horizon"],
                               naive_name=NAIVE)
    words = [verdict(*row) if name != NAIVE else ""
             for name, row in table[["skill low", "skill high", "DM p"]].iterrows()]
    table["verdict"] = words

    last_close = prep.closes.iloc[:-1]
    signals = ({k: m[:, 0] for k, m in means.items()} | {"linear regression": prep.linear_next}
               | {k: v for k, v in prep.baselines.items() if k.startswith("ARIMA")})
    trades = {
        f"{k} signal": backtest(
            pd.Series(positions_from_forecast(v, last_close.to_numpy()), index=last_close.index),
            prep.closes, cost_bps=s["cost_bps"], delay=1)
        for k, v in signals.items()
    }
    trades["buy and hold"] = buy_and_hold(prep.closes, cost_bps=s["cost_bps"])

    # training imports Keras: only after run_study has chosen the backend
    from lstm_tutorial.training import seed_table, stopping_table

    settings = s | {
        "rows": len(prep.df),
        "first date": f"{prep.df.index[0]:%Y-%m-%d}",
        "last date": f"{prep.df.index[-1]:%Y-%m-%d}",
        "split": repr(prep.split),
        "test forecasts": len(forecasts),
        "training range": tuple(float(f"{v:.6g}") for v in (prep.y_train.min(),
                                                              prep.y_train.max())),
    }
    result = StudyResult(
        table=table,
        forecasts=forecasts,
        figures={},
        stopping=stopping_table(runs),
        backtest=backtest_table(trades),
        seeds=seed_table(prep.actual, {k: [p[:, step] for p in ps] for k, ps in per_seed.items()},
                         naive),
        settings=settings,
        notes=prep.notes,
    )
    result.verdicts = _verdicts(result)
    result.figures = _figures(result, runs, trades)
    return result


def _networks(result: StudyResult) -> list[str]:
    """The row names of the networks the study trained, in the order chosen."""
    return [NETWORKS[key] for key in result.settings["models"]]


def _join(words: Sequence[str]) -> str:
    """"a", "a and b", "a, b and c"."""
    words = list(words)
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


# What a price level above or below the training range does to each network.
_OUT_OF_RANGE = {
    "lstm": "the LSTM forecasts a level from them and extrapolates poorly there",
    "residual": "the residual LSTM adds a learned change to the last value, which bounds "
                "the damage, although its inputs are just as far out",
    "normalised": "the normalised LSTM sees each window on its own scale, so the price "
                  "level does not reach it",
}


def _verdicts(result: StudyResult) -> list[str]:
    s, n = result.settings, len(result.forecasts)
    sentences = []
    for name, row in result.table.drop(index=NAIVE).iterrows():
        sentences.append(
            f"{name} is {row['verdict']} the naive forecast on {n} test days: skill "
            f"{row['skill']:+.3f} (95 % interval {row['skill low']:+.3f} to "
            f"{row['skill high']:+.3f}), Diebold-Mariano p = {row['DM p']:.3g}, "
            f"MASE {row['MASE']:.3f}."
        )
    capped = [name for name in _networks(result)
              if not result.stopping.loc[name, "all stopped early"]]
    if capped:
        sentences.append(
            f"At least one seed of the {_join(capped)} ran into the cap of {s['epochs']} "
            f"epochs without early stopping: it had not converged, so the numbers of the "
            f"{_join(capped)} are not final. Raise the cap (--epochs) and run again."
        )
    train = result.settings["training range"]
    outside = float(np.mean((result.forecasts["actual"] > train[1])
                            | (result.forecasts["actual"] < train[0])))
    if outside > 0:
        effects = [_OUT_OF_RANGE[key] for key in s["models"]]
        scaled = [NETWORKS[k] for k in s["models"] if k != "normalised"]
        inputs = (f"where the min-max scaled inputs of the {_join(scaled)} leave 0..1: "
                  if scaled else "where min-max scaled prices would leave 0..1: ")
        sentences.append(
            f"{outside:.0%} of the test targets lie outside the training span's range "
            f"({train[0]:.4g} to {train[1]:.4g}), {inputs}{'; '.join(effects)} (chapter 7 "
            "shows the failure and both fixes); the naive forecast does not care."
        )
    bt, days = result.backtest["total return"], int(result.backtest["days"].iloc[0])
    returns = _join([f"the {name}'s {bt[f'{name} signal']:+.1%}" for name in _networks(result)])
    sentences.append(
        f"Trading on each network's forecast (long when it forecasts a rise, else flat, "
        f"traded the day after the forecast, {s['cost_bps']:g} bp per change of position) "
        f"returned {returns} over {days} days, "
        f"buy and hold {bt['buy and hold']:+.1%}. One backtest over one span is one draw; "
        "it is no evidence of skill on its own."
    )
    return sentences


def _figures(result: StudyResult, runs: dict[str, list], trades: dict) -> dict[str, Any]:
    from lstm_tutorial.plotting import (
        plot_actual_vs_predicted,
        plot_equity_curves,
        plot_loss_curves,
    )

    s, f = result.settings, result.forecasts
    lines = {f"{name}({s['units']}), mean of {len(runs[name])} seed(s)": f[name]
             for name in _networks(result)} | {"linear regression": f["linear regression"]}
    unit = f"{s['target']}, as quoted"
    figures = {
        "forecast": plot_actual_vs_predicted(
            f.index, f["actual"], lines, naive=f[NAIVE], unit=unit,
            title=f"{s['name']}: forecasts of day {s['horizon']} on the test span"),
        "forecast_last60": plot_actual_vs_predicted(
            f.index[-60:], f["actual"].iloc[-60:], {k: v.iloc[-60:] for k, v in lines.items()},
            naive=f[NAIVE].iloc[-60:], unit=unit,
            title=f"{s['name']}: the last {min(60, len(f))} test days"),
    }
    for key in s["models"]:
        first = runs[NETWORKS[key]][0]
        figures[f"loss_{key}"] = plot_loss_curves(
            first.history, log_y=True,
            loss_name="MSE of the normalised targets" if key == "normalised" else "MSE",
            title=f"{s['name']}: {NETWORKS[key]} loss per epoch (seed {first.seed})")
    figures["equity"] = plot_equity_curves(
        trades, title=f"{s['name']}: long or flat on the test span, "
                      f"{s['cost_bps']:g} bp per change of position")
    return figures


def _write_files(result: StudyResult, folder: Path) -> None:
    result.table.to_csv(folder / "results.csv", float_format="%.10g")
    result.forecasts.to_csv(folder / "forecasts.csv", index_label="Date", float_format="%.10g")
    result.backtest.to_csv(folder / "backtest.csv", float_format="%.10g")
    for name, fig in result.figures.items():
        fig.savefig(folder / f"{name}.png")
    (folder / "report.md").write_text(result.report(), encoding="utf-8")


def _markdown(table: pd.DataFrame, digits: int = 4) -> str:
    """A DataFrame as a Markdown table, floats to ``digits`` significant digits."""

    def cell(v: object) -> str:
        if isinstance(v, (float, np.floating)):
            return "" if np.isnan(v) else f"{v:.{digits}g}"
        return str(v)

    head = [table.index.name or "", *map(str, table.columns)]
    rows = [[str(i), *map(cell, r)] for i, r in zip(table.index, table.to_numpy(), strict=True)]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows])


def _report(result: StudyResult) -> str:
    s = result.settings
    shown = {k: v for k, v in s.items() if k not in ("split", "progress", "name")}
    settings = pd.DataFrame({"value": [str(v) for v in shown.values()]},
                            index=pd.Index(list(shown), name="setting"))
    notes = "".join(f"- {n}\n" for n in result.notes) or "- no notes: the table was clean\n"
    figures = "\n".join(f"![{k}]({k}.png)" for k in result.figures)
    return f"""# Study: {s['name']}

The book's pipeline (`lstm_tutorial.app.study.run_study`): chronological split, scaler fitted
on the training rows only, split-aware windows, baselines before the models, each network
({_join(_networks(result))}) trained over {len(s['seeds'])} seed(s) until early stopping on
the validation span, every forecast compared with the naive one (tomorrow = today), and a
backtest with costs.

## Data

{s['rows']} rows, {s['first date']} to {s['last date']}; forecasting `{s['target']}`
{s['horizon']} day(s) ahead from {s['lookback']} days. {s['split']}

{notes}
## Settings

{_markdown(settings)}

## Results on the test span

Errors in the units of `{s['target']}`; skill = 1 - RMSE / RMSE(naive), with a 95 %
block-bootstrap interval; DM: Diebold-Mariano test against the naive forecast
(negative statistic: smaller loss than naive); MASE: MAE divided by the mean absolute
one-day change of the training span. That scale comes from another span, so on a volatile
test span even the naive row's MASE can be well above 1: compare a model's MASE with the
naive row's, not with 1.

{_markdown(result.table)}

{"".join(f"- {v}{chr(10)}" for v in result.verdicts)}
## The networks' seeds

{_markdown(result.seeds)}

When each seed stopped (the cap is `epochs`; a run that reaches it has not converged):

{_markdown(result.stopping)}

## Backtest

Long (all in) when a forecast of the next close is above the last close, else flat,
traded the day after the forecast (a signal that needs a close cannot trade at that
close; the first test day is flat); {s['cost_bps']:g} basis points per change of position;
returns as fractions.

{_markdown(result.backtest)}

## Figures

{figures}
"""
