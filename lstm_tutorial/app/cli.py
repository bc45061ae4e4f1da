"""The command line: ``python -m lstm_tutorial study TICKER_OR_CSV`` (or ``lstm-tutorial study``).

It loads the prices (a CSV path, or a ticker through `lstm_tutorial.data.load_prices`:
the packaged snapshots MSFT and 0050.TW and AAPL's sample work offline), runs
`lstm_tutorial.app.study.run_study` on the networks chosen with ``--models`` (default
``lstm,residual``: the classic LSTM and its residual fix; ``normalised`` adds the
per-window normalised LSTM) and saves the report into ``--out``. Without
``--start`` it uses the last ``--years`` years (default 7) of the data, which keeps a
default run to a few minutes on a laptop CPU.

Bad input (an unknown ticker offline, a CSV with missing columns or glitches, a span
too short for one window, a lookback of 0, an unknown model, ...) prints one line,
``error: <problem>; <fix>``, to stderr and exits with status 2, before any training and
without writing anything.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from lstm_tutorial.errors import DataError

__all__ = ["main", "parser"]

DEFAULTS = {"lookback": 60, "horizon": 1, "seeds": 5, "epochs": 300, "patience": 10,
            "years": 7, "models": ("lstm", "residual")}


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line (no usage block) with status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        _fail(f"{message}; see {self.prog} --help")


def _fail(message: str, status: int = 2) -> None:
    print(f"error: {' '.join(str(message).split())}", file=sys.stderr)
    raise SystemExit(status)


def parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m lstm_tutorial``."""
    top = _Parser(prog="lstm-tutorial", description="Companion tools of the book "
                  "'LSTM for Stock Prices'.")
    commands = top.add_subparsers(dest="command", required=True, parser_class=_Parser)
    p = commands.add_parser(
        "study", help="run the book's honest pipeline on one ticker or CSV file",
        description="Split in time order, scale on the training rows, window, compute the "
        "baselines, train the chosen networks over several seeds until early stopping, "
        "compare with the naive forecast (skill interval, Diebold-Mariano test) and backtest "
        "with costs. Writes report.md, results.csv, forecasts.csv, backtest.csv and PNG figures.")
    p.add_argument("source", metavar="TICKER_OR_CSV",
                   help="a ticker (MSFT, 0050.TW and AAPL work offline; others need the "
                   "network) or a CSV file (Date,Open,High,Low,Close[,Adj Close],Volume)")
    p.add_argument("--start", help="first date, e.g. 2010-01-01 (default: --years before "
                   "the last date)")
    p.add_argument("--end", help="last date (default: the last row)")
    p.add_argument("--years", type=int, default=DEFAULTS["years"],
                   help="without --start, use the last YEARS years; 0 for all (default 7)")
    p.add_argument("--lookback", type=int, default=DEFAULTS["lookback"],
                   help="days per input window (default 60)")
    p.add_argument("--horizon", type=int, default=DEFAULTS["horizon"],
                   help="forecast the close this many days ahead (default 1)")
    p.add_argument("--seeds", type=int, default=DEFAULTS["seeds"],
                   help="number of LSTMs (seeds 0..N-1) to average (default 5)")
    p.add_argument("--models", default=",".join(DEFAULTS["models"]),
                   help="comma-separated networks to train over the seeds: lstm (plain, on "
                   "min-max scaled prices), residual (last value + learned change), "
                   "normalised (each window on its own scale) (default lstm,residual)")
    p.add_argument("--epochs", type=int, default=DEFAULTS["epochs"],
                   help="epoch cap; each seed stops early before it (default 300)")
    p.add_argument("--patience", type=int, default=DEFAULTS["patience"],
                   help="early-stopping patience in epochs (default 10)")
    p.add_argument("--cost-bps", type=float, default=10.0,
                   help="backtest cost per change of position, basis points (default 10)")
    p.add_argument("--glitches", choices=("raise", "repair"), default="raise",
                   help="vendor glitch rows: stop with an error (default) or drop them "
                   "with a note in the report")
    p.add_argument("--out", help="output folder (default: study-<name> in the current folder)")
    p.add_argument("--no-progress", action="store_true", help="no progress bars")
    return top


def _cli_hint(message: str) -> str:
    """Turn a package message's Python fix into the command line's."""
    message = message.replace("Pass glitches='repair'", "Pass --glitches repair")
    message = message.replace("(load_prices(..., glitches='repair')", "(--glitches repair")
    message = message.replace("(source='yfinance', or a CSV file)",
                              "(pass a CSV file instead of the ticker)")
    message = message.replace("pass a start on or", "pass --start on or")
    message = message.replace("pass an end on or", "pass --end on or")
    return re.sub(r"load_prices\('[^']*', source='([^']*)'\)",
                  r"python -m lstm_tutorial study \1", message)


def _check_args(args: argparse.Namespace) -> None:
    """Refuse numbers and dates that cannot work, naming the option to fix."""
    for name in ("lookback", "horizon", "seeds", "epochs", "patience"):
        value = getattr(args, name)
        if value < 1:
            _fail(f"{name} must be a positive integer, got {value}; "
                  f"pass --{name} {DEFAULTS[name]}")
    if args.years < 0:
        _fail(f"years must be 0 (all data) or more, got {args.years}; pass --years 7")
    if not 0 <= args.cost_bps < 1e4:
        _fail(f"cost-bps must be basis points in [0, 10000), got {args.cost_bps:g}; "
              "pass --cost-bps 10 (0.1 % per change of position)")
    args.models = _models(args.models)
    for name in ("start", "end"):
        value = getattr(args, name)
        try:
            pd.Timestamp(value)
        except ValueError:
            _fail(f"{name} {value!r} is not a date; pass e.g. --{name} 2015-01-31")


def _models(text: str) -> list[str]:
    """``--models lstm,residual`` as a list of network names, or exit 2 naming the choices."""
    from lstm_tutorial.app.study import NETWORKS

    models = [m.strip().lower() for m in text.split(",") if m.strip()]
    unknown = [m for m in models if m not in NETWORKS]
    if unknown or not models:
        what = f"unknown model(s) {', '.join(map(repr, unknown))}" if unknown else "no model"
        _fail(f"{what} in --models {text!r}; choose from {', '.join(NETWORKS)}, "
              f"comma-separated, e.g. --models {','.join(DEFAULTS['models'])}")
    return models


def _is_csv(source: str) -> bool:
    return source.lower().endswith(".csv")


def _name(source: str) -> str:
    """The series' name: the CSV file's stem, or the ticker in capitals."""
    return Path(source).stem if _is_csv(source) else source.strip().upper()


def _load(args: argparse.Namespace, name: str) -> pd.DataFrame:
    """The validated prices of ``args.source`` between the chosen dates."""
    from lstm_tutorial.data import load_prices

    source = args.source if _is_csv(args.source) else "auto"
    start = args.start
    if start is None and args.years:
        # The last date, whatever glitches the older rows have (they are not used).
        with contextlib.redirect_stdout(io.StringIO()):
            full = load_prices(name, end=args.end, source=source, glitches="repair")
        start = max(full.index[0],
                    full.index[-1] - pd.DateOffset(years=args.years) + pd.Timedelta(days=1))
    with contextlib.redirect_stdout(io.StringIO()):  # run_study repeats the notes in the report
        return load_prices(name, start, args.end, source=source, glitches=args.glitches)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return 0; bad input exits with status 2 (`SystemExit`)."""
    if "MPLBACKEND" not in os.environ:
        # files only, no window; chosen here and not in os.environ, which every
        # process started later (a notebook kernel, in the tests) would inherit
        import matplotlib

        matplotlib.use("Agg")
    args = parser().parse_args(argv)
    _check_args(args)
    from lstm_tutorial.app.study import check_out_dir, run_study

    try:
        name = _name(args.source)
        out = check_out_dir(args.out or f"study-{re.sub(r'[^A-Za-z0-9._-]', '_', name)}")
        prices = _load(args, name)
        result = run_study(prices, name=name, lookback=args.lookback, horizon=args.horizon,
                           seeds=range(args.seeds), models=args.models, epochs=args.epochs,
                           patience=args.patience, cost_bps=args.cost_bps, backend="jax",
                           progress=not args.no_progress)
        report = result.save(out)
    except DataError as err:
        _fail(_cli_hint(str(err)))
    except OSError as err:
        _fail(f"could not write the study ({err}); pick another --out folder", status=1)
    except KeyboardInterrupt:
        _fail("interrupted; nothing was written", status=130)
    for note in result.notes:
        print(f"note: {note if len(note) < 300 else note[:297] + '...'}")
    for line in result.verdicts:
        print(line)
    print(f"report: {report}")
    return 0
