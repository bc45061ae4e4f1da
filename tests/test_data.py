"""lstm_tutorial.data: sources, validation, glitches, atomic cache."""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import pytest

from lstm_tutorial import data
from lstm_tutorial.data import (
    COLUMNS,
    DataError,
    adjust_for_splits_and_dividends,
    find_glitches,
    load_prices,
    normalize_columns,
    repair_report,
    split_ratios,
    validate_prices,
)


def frame(n=5, start="2020-01-01"):
    """A small valid price table (business days)."""
    idx = pd.bdate_range(start, periods=n, name="Date")
    close = 100 + np.arange(n, dtype=float)
    return pd.DataFrame(
        {"Open": close - 0.5, "High": close + 1, "Low": close - 1, "Close": close,
         "Adj Close": close * 0.9, "Volume": np.full(n, 1000)},
        index=idx,
    )


def write_csv(df, path):
    df.to_csv(path, index_label="Date")
    return path


def test_dataerror_is_valueerror():
    assert issubclass(DataError, ValueError)


def test_valid_frame_passes_unchanged():
    df = frame()
    out = validate_prices(df)
    assert list(out.columns) == COLUMNS
    pd.testing.assert_frame_equal(out, df.astype({"Volume": "int64"}), check_dtype=False)


@pytest.mark.parametrize("col", ["Open", "Close", "Volume"])
def test_missing_column(col):
    with pytest.raises(DataError, match=rf"missing column.*{col}.*rename"):
        validate_prices(frame().drop(columns=col))


def test_nan_price_raises_and_repair_drops_it():
    df = frame()
    df.iloc[2, df.columns.get_loc("Close")] = np.nan
    with pytest.raises(DataError, match="missing price.*glitches='repair'"):
        validate_prices(df)
    fixed = validate_prices(df, glitches="repair")
    assert len(fixed) == 4 and df.index[2] not in fixed.index
    assert repair_report(fixed)["problem"].tolist() == ["missing price"]


def test_unsorted_dates():
    df = frame().iloc[[0, 2, 1, 3]]
    with pytest.raises(DataError, match="not in ascending order.*sort_index"):
        validate_prices(df)


def test_duplicate_dates():
    df = pd.concat([frame(3), frame(3).iloc[[1]]]).sort_index()
    with pytest.raises(DataError, match="duplicate date"):
        validate_prices(df)


def test_negative_volume():
    df = frame()
    df.iloc[1, df.columns.get_loc("Volume")] = -5
    with pytest.raises(DataError, match="negative Volume"):
        validate_prices(df)


def test_high_below_close_is_a_glitch():
    df = frame()
    df.iloc[3, df.columns.get_loc("High")] = 50.0
    assert find_glitches(df)["problem"].tolist() == ["High below Open or Close"]
    with pytest.raises(DataError, match="High below Open or Close"):
        validate_prices(df)


def test_empty_frame_like_yfinance_offline():
    with pytest.raises(DataError, match="empty"):
        validate_prices(pd.DataFrame())
    empty = pd.DataFrame(columns=["Open", "High", "Low", "Close", "Adj Close", "Volume"],
                         index=pd.DatetimeIndex([], name="Date"))
    with pytest.raises(DataError, match="no rows.*offline"):
        validate_prices(empty)


def test_start_after_end():
    with pytest.raises(DataError, match="after end"):
        load_prices("AAPL", start="2010-01-01", end="2009-01-01", source="sample")


def test_range_outside_the_data_is_an_error_not_a_silent_cut():
    with pytest.raises(DataError, match="does not cover"):
        load_prices("AAPL", start="1990-01-01", end="2001-01-01", source="sample")


@pytest.mark.parametrize("start, end, expected", [
    ("2030-01-01", None, "start 2030-01-01 lies after its last row (and in the future); "
                         "pass a start on or before 2020-12-11"),
    ("2020-12-14", "2020-12-20", "lies after its last row; pass a start on or before "
                                 "2020-12-11, or load newer prices"),
    (None, "1986-03-10", "end 1986-03-10 lies before its first row; pass an end on or after "
                         "1986-03-13"),
    ("2020-12-05", "2020-12-06", "no trading day in the range"),  # a weekend
])
def test_a_range_with_no_rows_names_the_data_s_span_and_the_fix(start, end, expected):
    with pytest.raises(DataError) as err:
        load_prices("MSFT", start, end, source="snapshot")
    message = str(err.value)
    assert message.startswith(f"MSFT: no rows between {start or '…'} and {end or '…'}")
    assert "the data spans 1986-03-13..2020-12-11" in message and expected in message


def test_yfinance_multiindex_and_lower_case_columns():
    df = frame()
    multi = df.copy()
    multi.columns = pd.MultiIndex.from_product([df.columns, ["AAPL"]], names=["Price", "Ticker"])
    assert list(normalize_columns(multi).columns) == COLUMNS
    lower = df.reset_index()
    lower.columns = ["date", "open", "high", "low", "close", "adj_close", "volume"]
    pd.testing.assert_frame_equal(normalize_columns(lower), normalize_columns(df))


def test_missing_adj_close_is_filled_and_reported(capsys):
    out = validate_prices(frame().drop(columns="Adj Close"))
    assert (out["Adj Close"] == out["Close"]).all()
    assert "Adj Close missing" in capsys.readouterr().out


def test_sample_aapl_is_the_real_series(aapl):
    assert len(aapl) == 3270
    assert aapl.index[0] == pd.Timestamp("2000-03-01")
    assert aapl.index[-1] == pd.Timestamp("2013-03-01")
    # Raw prices: the 2005-02-28 2:1 split halves the close overnight.
    jump = aapl.loc["2005-02-28", "Close"] / aapl.loc["2005-02-25", "Close"]
    assert 0.45 < jump < 0.55


def test_adjustment_removes_the_split_jump(aapl):
    adj = adjust_for_splits_and_dividends(aapl)
    jump = adj.loc["2005-02-28", "Close"] / adj.loc["2005-02-25", "Close"]
    assert 0.9 < jump < 1.1
    ratio = adj["Open"] / aapl["Open"]
    np.testing.assert_allclose(ratio, aapl["Adj Close"] / aapl["Close"])
    assert (adj["High"] >= adj[["Open", "Close"]].max(axis=1) - 1e-9).all()


def test_split_ratios_are_read_from_the_factor(aapl):
    splits = split_ratios(aapl)
    assert [f"{d:%Y-%m-%d}" for d in splits.index] == ["2000-06-21", "2005-02-28"]
    assert splits.tolist() == [2.0, 2.0]
    # Dividends (AAPL from 2012, 0050 every year) are no splits; MSFT's vendor file is
    # already split-adjusted, so its factor never jumps.
    assert split_ratios(aapl.loc["2012"]).empty
    assert split_ratios(load_prices("0050.TW", "2017-01-01", "2018-04-30",
                                    glitches="repair")).empty
    assert split_ratios(load_prices("MSFT")).empty


def test_sample_volume_is_already_split_adjusted(aapl):
    """The sample's Volume does not double at its 2:1 splits, so it is left as it is."""
    for day in split_ratios(aapl).index:
        i = aapl.index.get_indexer([day])[0]
        after = aapl["Volume"].iloc[i:i + 20].median() / aapl["Volume"].iloc[i - 20:i].median()
        assert 0.8 < after < 1.5, f"{day:%Y-%m-%d}: raw shares would about double, got {after}"
    assert aapl.attrs["volume_basis"] == "split-adjusted"
    adj = adjust_for_splits_and_dividends(aapl)
    pd.testing.assert_series_equal(adj["Volume"], aapl["Volume"])
    # slices and date ranges keep the basis
    part = load_prices("AAPL", "2004-06-01", "2005-06-01", source="sample")
    pd.testing.assert_series_equal(adjust_for_splits_and_dividends(part)["Volume"], part["Volume"])


def test_raw_volume_counts_the_same_shares_across_splits(aapl):
    adj = adjust_for_splits_and_dividends(aapl, volume="raw")
    # before both splits x4, between them x2, after them unchanged; dividends never
    np.testing.assert_allclose(adj.loc[:"2000-06-20", "Volume"],
                               4 * aapl.loc[:"2000-06-20", "Volume"])
    np.testing.assert_allclose(adj.loc["2000-06-21":"2005-02-25", "Volume"],
                               2 * aapl.loc["2000-06-21":"2005-02-25", "Volume"])
    np.testing.assert_allclose(adj.loc["2005-02-28":, "Volume"], aapl.loc["2005-02-28":, "Volume"])


def test_unknown_volume_basis_across_a_split_is_asked_not_guessed(aapl):
    bare = aapl.copy()
    bare.attrs = {}
    with pytest.raises(DataError, match="cross splits on 2000-06-21, 2005-02-28; say whether"):
        adjust_for_splits_and_dividends(bare)
    with pytest.raises(ValueError, match="volume must be one of"):
        adjust_for_splits_and_dividends(bare, volume="adjusted")
    # no split in the span: no question to ask
    after = bare.loc["2006":]
    pd.testing.assert_series_equal(adjust_for_splits_and_dividends(after)["Volume"],
                                   after["Volume"])


def test_reverse_split_and_a_jump_that_is_no_split():
    days = pd.bdate_range("2020-01-01", periods=4, name="Date")
    close = np.array([10.0, 10.0, 20.0, 20.0])            # 1:2 reverse split on day 3
    df = pd.DataFrame({"Open": close, "High": close, "Low": close, "Close": close,
                       "Adj Close": 20.0, "Volume": 1000.0}, index=days)
    assert split_ratios(df).tolist() == [0.5]
    adj = adjust_for_splits_and_dividends(df, volume="raw")
    assert adj["Volume"].tolist() == [500.0, 500.0, 1000.0, 1000.0]
    df.loc[days[2], "Adj Close"] = 20.0 * 1.37           # a factor step of 0.73: no ratio
    with pytest.raises(DataError, match="no split ratio"):
        split_ratios(df)


def test_the_deprecated_alias_is_gone():
    import lstm_tutorial.data as data

    assert not hasattr(data, "adjust_for_splits")


def test_snapshot_0050_glitches_are_reported_not_hidden():
    with pytest.raises(DataError, match="glitches='repair'"):
        load_prices("0050.TW")
    full = load_prices("0050.TW", glitches="repair")
    report = repair_report(full)
    # SOURCES.md: Open = 0 on two dates, 263 zero-volume no-trading rows.
    zero_open = report[report["problem"] == "price of zero or less"]["Date"]
    assert [d.strftime("%Y-%m-%d") for d in zero_open] == ["2009-08-13", "2010-01-25"]
    assert (report["problem"].str.startswith("no trading")).sum() == 263
    assert len(full) == 3902 - report["Date"].nunique()
    assert find_glitches(full).empty


def test_snapshot_0050_case_study_span(etf0050):
    assert etf0050.index[0] == pd.Timestamp("2017-01-03")
    assert etf0050.index[-1] == pd.Timestamp("2018-04-30")
    assert len(etf0050) == 318  # 320 rows less the 2 Saturday placeholders
    assert pd.Timestamp("2017-02-18") not in etf0050.index


def test_csv_path_source(tmp_path):
    path = write_csv(frame(10), tmp_path / "mine.csv")
    out = load_prices("MINE", source=str(path))
    assert len(out) == 10
    with pytest.raises(DataError, match="no such CSV"):
        load_prices("MINE", source=str(tmp_path / "nope.csv"))


def test_unknown_source_name():
    with pytest.raises(DataError, match="unknown source"):
        load_prices("AAPL", source="bloomberg")


def test_packaged_snapshots_load_offline_without_the_variable():
    """A fresh clone needs no data folder: 0050.TW and MSFT ship inside the package."""
    assert "LSTM_TUTORIAL_DATA" not in os.environ
    etf = load_prices("0050.TW", "2017-01-01", "2018-04-30", glitches="repair")
    assert len(etf) == 318 and etf["Close"].min() == pytest.approx(71.75)
    msft = load_prices("MSFT", source="snapshot")
    assert len(msft) == 8761
    assert msft.loc["2019-12-31", "Close"] == pytest.approx(157.699997)


def test_packaged_snapshots_match_their_manifest():
    import hashlib

    sums = data.packaged_snapshots()
    assert sorted(sums) == ["0050.TW.csv", "MSFT.csv"]
    for name, digest in sums.items():
        assert hashlib.sha256((data._snapshot_root() / name).read_bytes()).hexdigest() == digest
    assert (data._snapshot_root() / "SOURCES.md").read_text().count("SHA256SUMS") >= 1


def test_tampered_snapshot_raises_naming_the_file(tmp_path, monkeypatch):
    import shutil

    shutil.copytree(data._snapshot_root(), tmp_path / "snap")
    csv = tmp_path / "snap" / "MSFT.csv"
    csv.write_bytes(csv.read_bytes().replace(b"157.699997", b"157.699998"))
    monkeypatch.setattr(data, "_snapshot_root", lambda: tmp_path / "snap")
    with pytest.raises(DataError, match=r"snapshot .*MSFT\.csv does not match its SHA-256"):
        load_prices("MSFT")
    assert len(load_prices("0050.TW", "2017-01-01", "2017-03-01", glitches="repair")) > 30


def test_snapshot_folder_overrides_the_packaged_one(tmp_path, monkeypatch):
    write_csv(frame(12), tmp_path / "MSFT.csv")
    monkeypatch.setenv("LSTM_TUTORIAL_DATA", str(tmp_path))
    assert len(load_prices("MSFT")) == 12
    assert len(load_prices("MSFT", source="snapshot")) == 12


def test_snapshot_source_for_a_ticker_without_one():
    with pytest.raises(DataError, match=r"no snapshot of it ships.*0050\.TW, MSFT"):
        load_prices("XYZ", source="snapshot")


def test_auto_prefers_snapshot_then_cache(tmp_path, monkeypatch):
    snap = tmp_path / "snap"
    snap.mkdir()
    monkeypatch.setenv("LSTM_TUTORIAL_DATA", str(snap))
    data.cache_dir().mkdir(parents=True)
    write_csv(frame(7), data.cache_dir() / "XYZ.csv")
    assert len(load_prices("XYZ")) == 7  # from the cache
    write_csv(frame(9), snap / "XYZ.csv")
    assert len(load_prices("XYZ")) == 9  # the snapshot wins


def test_unknown_ticker_offline_names_the_fix(monkeypatch):
    """yfinance returns an empty frame (no exception) when offline."""
    import yfinance

    monkeypatch.setattr(yfinance, "download", lambda *a, **k: pd.DataFrame())
    monkeypatch.delenv("LSTM_TUTORIAL_DATA", raising=False)
    with pytest.raises(DataError) as err:
        load_prices("NOSUCH")
    msg = str(err.value)
    assert "yfinance download failed, it returned no rows" in msg
    assert "source='path/to/NOSUCH.csv'" in msg and "LSTM_TUTORIAL_DATA" in msg
    assert not data.cache_dir().exists() or not any(data.cache_dir().iterdir())


def test_yfinance_exception_becomes_dataerror(monkeypatch):
    import yfinance

    def boom(*a, **k):
        raise ConnectionError("no route to host")

    monkeypatch.setattr(yfinance, "download", boom)
    with pytest.raises(DataError, match="download failed.*ConnectionError"):
        load_prices("NOSUCH", source="yfinance")


def _yahoo_unreachable() -> bool:
    import socket

    try:
        socket.getaddrinfo("query2.finance.yahoo.com", 443)
    except OSError:
        return True
    return False


def fake_failed_download(reason):
    """What yfinance does when a download fails: log ERROR lines, return an empty table."""
    import logging

    def download(tickers, *args, **kwargs):
        logger = logging.getLogger("yfinance")
        logger.error("\n1 Failed download:")
        logger.error(f"['{tickers}']: {reason}")
        return pd.DataFrame()

    return download


@pytest.mark.parametrize(
    ("reason", "kind"),
    [
        ("DNSError('Failed to perform, curl: (6) Could not resolve host: query2.finance."
         "yahoo.com. See https://curl.se/libcurl/c/libcurl-errors.html first')", "no network"),
        ("YFRateLimitError('Too Many Requests. Rate limited. Try after a while.')",
         "rate limited"),
        ("ImpersonateError('Impersonating chrome152 is not supported')",
         "error inside yfinance"),
    ],
)
def test_failed_download_names_yfinances_reason_and_prints_nothing(
    monkeypatch, capfd, reason, kind
):
    import yfinance

    monkeypatch.setattr(yfinance, "download", fake_failed_download(reason))
    with pytest.raises(DataError, match=rf"download failed.*{kind}[^:]*: \['XYZ'\]") as err:
        load_prices("XYZ", source="yfinance")
    assert "curl.se" not in str(err.value)  # the URL tail of curl's message is cut
    out, errors = capfd.readouterr()
    assert out == "" and errors == ""
    assert not data.cache_dir().exists() or not any(data.cache_dir().iterdir())


@pytest.mark.skipif(not _yahoo_unreachable(), reason="this machine reaches Yahoo")
def test_real_offline_download_says_why_and_leaks_no_log_lines(capfd):
    """No mock: yfinance itself, with no route to Yahoo."""
    with pytest.raises(DataError, match="download failed.*no network"):
        load_prices("MSFT", source="yfinance")
    out, errors = capfd.readouterr()
    assert "Failed download" not in out + errors and "ERROR" not in out + errors
    assert not data.cache_dir().exists() or not any(data.cache_dir().iterdir())


def test_yfinance_http_backend_works_after_tensorflow_is_loaded():
    """TensorFlow loaded before curl_cffi broke every download with ImpersonateError.

    The package loads curl_cffi first. Offline, a request to a closed local port must
    fail with a connection error, not with an impersonation error.
    """
    import socket
    import subprocess
    import sys

    pytest.importorskip("curl_cffi")
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    code = (
        "import lstm_tutorial\n"
        "from lstm_tutorial.repro import import_tensorflow\n"
        "import_tensorflow()\n"
        "from curl_cffi import requests\n"
        "try:\n"
        f"    requests.Session(impersonate='chrome').get('http://127.0.0.1:{port}/', timeout=5)\n"
        "except Exception as exc:\n"
        "    print(type(exc).__name__)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=300)
    assert run.stdout.strip() == "ConnectionError", run.stdout + run.stderr


def test_download_is_validated_and_cached_atomically(monkeypatch):
    import yfinance

    df = frame(20)
    multi = df.copy()
    multi.columns = pd.MultiIndex.from_product([df.columns, ["XYZ"]], names=["Price", "Ticker"])
    monkeypatch.setattr(yfinance, "download", lambda *a, **k: multi)
    out = load_prices("XYZ", source="yfinance")
    assert len(out) == 20
    cached = data.cache_dir() / "XYZ.csv"
    assert cached.is_file()
    assert [p.name for p in data.cache_dir().iterdir()] == ["XYZ.csv"]  # no temp left
    assert len(load_prices("XYZ", source="cache")) == 20


def test_failed_cache_write_leaves_no_partial_file(monkeypatch, tmp_path):
    target = tmp_path / "c" / "T.csv"
    target.parent.mkdir()
    target.write_text("old contents")

    def broken_to_csv(self, fh, **kwargs):
        fh.write("Date,Open\n2020-01-01,")
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_csv", broken_to_csv)
    with pytest.raises(OSError, match="disk full"):
        data._write_atomic(frame(), target)
    assert target.read_text() == "old contents"
    assert [p.name for p in target.parent.iterdir()] == ["T.csv"]


def test_bad_dates_in_csv(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("Date,Open,High,Low,Close,Adj Close,Volume\nnot-a-date,1,2,0.5,1.5,1.5,10\n")
    with pytest.raises(DataError, match="dates could not be parsed"):
        load_prices("BAD", source=str(path))


def test_download_without_adj_close_still_reports_it(monkeypatch, capsys):
    """The note made while normalising must survive the second, validating pass."""
    import yfinance

    monkeypatch.setattr(yfinance, "download", lambda *a, **k: frame(8).drop(columns="Adj Close"))
    out = load_prices("XYZ", source="yfinance")
    assert (out["Adj Close"] == out["Close"]).all()
    assert "XYZ: Adj Close missing" in capsys.readouterr().out
