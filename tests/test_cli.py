"""The command line ``python -m lstm_tutorial study``: bad input and one real run.

Every run is a real process (``sys.executable -m lstm_tutorial``), so what is
checked is what a reader sees: the exit status, stderr, and the output folder.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from lstm_tutorial.app.cli import _check_args, main, parser
from lstm_tutorial.data import load_prices

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = os.environ | {"PYTHONPATH": os.pathsep.join(
        [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}
    return subprocess.run([sys.executable, "-m", "lstm_tutorial", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def clean_0050():
    """Real 0050.TW 2017-01..2018-04, glitch rows dropped (320 rows)."""
    return load_prices("0050.TW", "2017-01-01", "2018-04-30", glitches="repair")


def write_csv(df: pd.DataFrame, path: Path) -> str:
    df.to_csv(path, index_label="Date")
    return str(path)


def swapped(df):
    return df.iloc[[1, 0, *range(2, len(df))]]


def with_nan(df):
    out = df.copy()
    out.iloc[50, out.columns.get_loc("Close")] = float("nan")
    return out


def with_zero_open(df):
    out = df.copy()
    out.iloc[50, out.columns.get_loc("Open")] = 0.0
    return out


CSV_CASES = {
    "missing column": (lambda df: df.drop(columns="Volume"), "missing column(s) ['Volume']"),
    "unsorted dates": (swapped, "not in ascending order"),
    "a NaN price": (with_nan, "--glitches repair"),
    "a glitch (Open = 0)": (with_zero_open, "price of zero or less"),
}

ARG_CASES = {
    "unknown ticker offline": (["NO_SUCH_TICKER_XYZ"], "NO_SUCH_TICKER_XYZ"),
    "span too short": (["MSFT", "--start", "2020-01-01", "--end", "2020-03-01"],
                       "for one window"),
    "negative lookback": (["MSFT", "--lookback", "-5"],
                          "lookback must be a positive integer, got -5; pass --lookback 60"),
    "zero lookback": (["MSFT", "--lookback", "0"], "pass --lookback 60"),
    "zero seeds": (["MSFT", "--seeds", "0"], "seeds must be a positive integer, got 0"),
    "not a number": (["MSFT", "--epochs", "many"], "invalid int value"),
    "missing CSV": (["no/such/file.csv"], "no such CSV file"),
    "not a date": (["MSFT", "--start", "2020-13-45"], "start '2020-13-45' is not a date"),
    "start after the data": (["MSFT", "--start", "2030-01-01"],
                             "the data spans 1986-03-13..2020-12-11 (8761 rows), and start "
                             "2030-01-01 lies after its last row (and in the future); pass "
                             "--start on or before 2020-12-11"),
    "unknown model": (["MSFT", "--models", "lstm,gru"],
                      "unknown model(s) 'gru' in --models 'lstm,gru'; choose from lstm, "
                      "residual, normalised"),
    "no model": (["MSFT", "--models", ","], "choose from lstm, residual, normalised"),
}


# These also run as a real process (the others in this one, via main(), to save time):
# a traceback or a library's log line on stderr would show there.
IN_A_PROCESS = {"unknown ticker offline", "span too short", "a NaN price"}


def _inherited_settings() -> dict[str, str | None]:
    """The variables a kernel started later would inherit and that change what it shows."""
    return {k: os.environ.get(k) for k in ("MPLBACKEND", "KERAS_BACKEND", "XLA_FLAGS")}


def refuse(args: list[str], tmp_path: Path, expected: str, in_a_process: bool) -> None:
    """Run the command line on bad input: exit 2, one line on stderr, nothing written."""
    out = tmp_path / "new" / "out"
    args = ["study", *args, "--out", str(out)]
    if in_a_process:
        proc = run(*args, cwd=tmp_path)
        status, err = proc.returncode, proc.stderr
    else:
        err_file, before = io.StringIO(), _inherited_settings()
        with pytest.raises(SystemExit) as exit_info, contextlib.redirect_stderr(err_file):
            main(args)
        status, err = exit_info.value.code, err_file.getvalue()
        # nothing leaks into processes started later (pytest's notebook kernels, say)
        assert _inherited_settings() == before
    lines = err.splitlines()
    assert status == 2, err
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ") and expected in lines[0]
    assert "Traceback" not in err
    assert not (tmp_path / "new").exists()


@pytest.mark.parametrize("case", ARG_CASES)
def test_bad_arguments_are_one_line_and_exit_2(case, tmp_path):
    args, expected = ARG_CASES[case]
    refuse(args, tmp_path, expected, case in IN_A_PROCESS)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("case", CSV_CASES)
def test_bad_csv_files_are_one_line_and_exit_2(case, clean_0050, tmp_path):
    spoil, expected = CSV_CASES[case]
    csv = write_csv(spoil(clean_0050), tmp_path / "prices.csv")
    refuse([csv], tmp_path, expected, case in IN_A_PROCESS)


def test_glitches_can_be_repaired_from_the_command_line(clean_0050, tmp_path):
    csv = write_csv(with_zero_open(clean_0050), tmp_path / "prices.csv")
    # repaired, then refused for another reason (span too short): the glitch is not the error
    refuse([csv, "--glitches", "repair", "--lookback", "250"], tmp_path, "for one window",
           in_a_process=False)


def test_study_on_a_csv_writes_the_report(clean_0050, tmp_path):
    csv = write_csv(clean_0050, tmp_path / "0050.TW.csv")
    out = tmp_path / "results" / "0050"
    proc = run("study", csv, "--seeds", "1", "--epochs", "2", "--lookback", "5",
               "--models", "normalised, RESIDUAL", "--no-progress", "--out", str(out),
               cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[-1] == f"report: {out / 'report.md'}"
    assert proc.stderr == ""  # no progress bars asked for, and no library log lines
    names = {p.name for p in out.iterdir()}
    assert {"report.md", "results.csv", "forecasts.csv", "backtest.csv", "forecast.png",
            "forecast_last60.png", "loss_normalised.png", "loss_residual.png",
            "equity.png"} == names
    results = pd.read_csv(out / "results.csv", index_col="model")
    assert {"naive", "normalised LSTM", "residual LSTM", "linear regression"} == (
        set(results.index) - {"moving average (5 days)"})
    # ARIMA's AIC picks the random walk on these days: it is the naive row, and says so
    assert "ARIMA(0, 1, 0), the random walk" in proc.stdout
    assert {"RMSE", "MAE", "MASE", "skill", "skill low", "skill high", "DM p",
            "verdict"} <= set(results.columns)
    assert results.loc["naive", "skill"] == 0 and results.loc["residual LSTM", "RMSE"] > 0
    report = (out / "report.md").read_text()
    assert "# Study: 0050.TW" in report and "2017-01-03 to 2018-04-30" in report
    forecasts = pd.read_csv(out / "forecasts.csv", index_col="Date", parse_dates=True)
    assert forecasts.index[-1] == clean_0050.index[-1]


@pytest.mark.parametrize("given, expected", [
    (None, ["lstm", "residual"]),  # the default: the classic failure and its fix
    ("normalised", ["normalised"]),
    (" lstm , Normalised,residual", ["lstm", "normalised", "residual"]),
])
def test_models_option(given, expected):
    args = parser().parse_args(["study", "MSFT", *(["--models", given] if given else [])])
    _check_args(args)
    assert args.models == expected
