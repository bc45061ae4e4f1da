"""Loading daily prices: one validated table, whatever the source.

`load_prices` returns a DataFrame indexed by date (``Date``) with the columns
``Open, High, Low, Close, Adj Close, Volume``. Sources, in the order
``source="auto"`` tries them:

1. an explicit CSV path (``source="path/to/file.csv"``);
2. the snapshot folder ``$LSTM_TUTORIAL_DATA`` (file ``<TICKER>.csv``), an
   optional override;
3. the snapshots shipped inside this package (``lstm_tutorial/snapshots``:
   0050.TW and MSFT, byte for byte as the book uses them, each checked against
   its SHA-256 in ``SHA256SUMS``; provenance in ``SOURCES.md`` there);
4. the user cache (``$LSTM_TUTORIAL_CACHE``, else ``~/.cache/lstm_tutorial``);
5. for AAPL, the real daily series packaged in ``bokeh_sampledata`` (offline);
6. yfinance, whose download is validated and then saved to the cache atomically.

Every frame, from every source, goes through `validate_prices`. Structural
problems (missing columns, dates that are not dates, unsorted or duplicate
dates, an empty table) raise `DataError`. Row-level vendor glitches (a price of
0, High below Close, a missing price, negative volume, a zero-volume row with
Open = High = Low = Close, i.e. no trading recorded) raise too, unless
``glitches="repair"``: then those rows are dropped, a one-line summary is
printed, and `repair_report` lists every dropped row and why.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
import tempfile
import warnings
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from lstm_tutorial.errors import DataError

__all__ = [
    "COLUMNS",
    "DataError",
    "adjust_for_splits_and_dividends",
    "cache_dir",
    "find_glitches",
    "load_prices",
    "normalize_columns",
    "packaged_snapshots",
    "read_price_csv",
    "repair_report",
    "split_ratios",
    "validate_prices",
]

COLUMNS = ["Open", "High", "Low", "Close", "Adj Close", "Volume"]
PRICES = ["Open", "High", "Low", "Close", "Adj Close"]
SOURCES = ("auto", "snapshot", "cache", "sample", "yfinance")
# How far (calendar days) a requested start/end may lie outside the data before
# we call the range "not covered" rather than a weekend or holiday at the edge.
EDGE_DAYS = 10

_ALIASES = {
    "date": "Date",
    "datetime": "Date",
    "open": "Open",
    "high": "High",
    "low": "Low",
    "close": "Close",
    "adj close": "Adj Close",
    "adj_close": "Adj Close",
    "adjclose": "Adj Close",
    "adjusted close": "Adj Close",
    "volume": "Volume",
}
_FIX_SOURCE = (
    "Provide the prices as a CSV with columns Date,Open,High,Low,Close,Adj Close,Volume: "
    "load_prices({t!r}, source='path/to/{f}.csv'), or put {f}.csv in a folder and set "
    "LSTM_TUTORIAL_DATA to that folder"
)


# ----------------------------------------------------------------------------- columns
def normalize_columns(df: pd.DataFrame) -> pd.DataFrame:
    """Return ``df`` with the book's column names and a ``Date`` DatetimeIndex.

    Accepts yfinance's MultiIndex columns (``("Close", "AAPL")``), lower-case
    or snake-case names (``adj_close``) and a ``Date`` column instead of an
    index. A missing ``Adj Close`` is copied from ``Close`` (no adjustment
    known) and noted in `repair_report`.

    Examples
    --------
    >>> raw = pd.DataFrame({"date": ["2020-01-02"], "open": [1.0], "high": [2.0],
    ...                     "low": [0.5], "close": [1.5], "volume": [10]})
    >>> list(normalize_columns(raw).columns)
    ['Open', 'High', 'Low', 'Close', 'Adj Close', 'Volume']
    """
    if df is None or len(df.columns) == 0:
        raise DataError(
            "the table is empty (no columns): yfinance returns an empty frame when it is "
            "offline or the ticker is unknown. Check the ticker, or load a CSV instead"
        )
    df = df.copy()
    if isinstance(df.columns, pd.MultiIndex):
        level = next(
            (i for i in range(df.columns.nlevels)
             if {"close", "adj close"} & {str(v).lower() for v in df.columns.get_level_values(i)}),
            None,
        )
        if level is None:
            raise DataError(f"cannot find price names in the column levels {df.columns.names}")
        tickers = {c[1 - level] for c in df.columns} if df.columns.nlevels == 2 else set()
        if len(tickers) > 1:
            raise DataError(
                f"the table holds several tickers {sorted(tickers)}; load one ticker at a time"
            )
        df.columns = df.columns.get_level_values(level)
    df.columns = [_ALIASES.get(str(c).strip().lower(), str(c).strip()) for c in df.columns]
    if "Date" in df.columns:
        df = df.set_index("Date")
    if not isinstance(df.index, pd.DatetimeIndex):
        try:
            df.index = pd.to_datetime(df.index)
        except (ValueError, TypeError) as exc:
            raise DataError(
                "the dates could not be parsed; the first column (or the index) must hold "
                f"dates like 2020-01-31 ({exc})"
            ) from None
    if df.index.tz is not None:
        df.index = df.index.tz_localize(None)
    df.index = df.index.normalize()
    df.index.name = "Date"
    missing = [c for c in COLUMNS if c not in df.columns and c != "Adj Close"]
    if missing:
        raise DataError(
            f"missing column(s) {missing}; found {list(df.columns)}. The table needs "
            "Open, High, Low, Close and Volume (Adj Close optional); rename your columns"
        )
    attrs = dict(df.attrs)  # what a source recorded (volume basis) and an earlier pass's notes
    notes = list(attrs.get("notes", []))
    if "Adj Close" not in df.columns:
        df["Adj Close"] = df["Close"]
        notes.append("Adj Close missing: copied from Close (no split/dividend adjustment)")
    df = df[COLUMNS]
    for col in COLUMNS:
        if not pd.api.types.is_numeric_dtype(df[col]):
            converted = pd.to_numeric(df[col], errors="coerce")
            bad = converted.isna() & df[col].notna()
            if bad.any():
                raise DataError(
                    f"column {col} holds non-numbers (e.g. {df[col][bad].iloc[0]!r} on "
                    f"{df.index[bad][0].date()}); clean the file"
                )
            df[col] = converted
    df = df.astype({c: "float64" for c in PRICES})
    df.attrs = {**attrs, "notes": notes, "repairs": []}
    return df


# ----------------------------------------------------------------------------- checks
def _check_structure(df: pd.DataFrame, name: str) -> None:
    if len(df) == 0:
        raise DataError(
            f"{name}: no rows. yfinance returns an empty table (not an error) when offline "
            "or for an unknown ticker. " + _FIX_SOURCE.format(t=name, f=_file_stem(name))
        )
    dup = df.index[df.index.duplicated()]
    if len(dup):
        raise DataError(
            f"{name}: {len(dup)} duplicate date(s), first {dup[0].date()}; keep one row per "
            "date, e.g. df[~df.index.duplicated(keep='last')]"
        )
    if not df.index.is_monotonic_increasing:
        pos = int(np.flatnonzero(np.diff(df.index.values) < np.timedelta64(0))[0]) + 1
        raise DataError(
            f"{name}: dates are not in ascending order ({df.index[pos - 1].date()} is followed "
            f"by {df.index[pos].date()}); sort them with df.sort_index()"
        )


def find_glitches(df: pd.DataFrame) -> pd.DataFrame:
    """List row-level glitches: one row per (date, problem).

    Problems found: a missing price; a price of zero or less; High below Open
    or Close; Low above Open or Close; negative Volume; Volume 0 with
    Open = High = Low = Close (no trading recorded: a placeholder row on a
    non-trading day, or a close-only row).

    Returns
    -------
    DataFrame with columns ``Date`` and ``problem`` (empty when clean).
    """
    price = df[["Open", "High", "Low", "Close"]]
    checks = {
        "missing price": df[PRICES].isna().any(axis=1) | df["Volume"].isna(),
        "price of zero or less": (price <= 0).any(axis=1),
        "High below Open or Close": df["High"] < price[["Open", "Close"]].max(axis=1),
        "Low above Open or Close": df["Low"] > price[["Open", "Close"]].min(axis=1),
        "negative Volume": df["Volume"] < 0,
        "no trading recorded (Volume 0, Open = High = Low = Close)": (df["Volume"] == 0)
        & price.eq(price["Close"], axis=0).all(axis=1),
    }
    rows = [
        (date, problem)
        for problem, mask in checks.items()
        for date in df.index[mask.to_numpy()]
    ]
    report = pd.DataFrame(rows, columns=["Date", "problem"])
    return report.sort_values("Date", kind="stable").reset_index(drop=True)


def validate_prices(
    df: pd.DataFrame,
    name: str = "prices",
    glitches: str = "raise",
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Check a price table and return it in the book's layout.

    Parameters
    ----------
    df : raw table from any source
    name : what to call it in messages (the ticker)
    glitches : "raise" (default) or "repair" (drop the glitch rows, print a
        one-line summary and keep the list in ``repair_report(result)``)
    start, end : optional date range to keep (inclusive), applied before the
        glitch check so that only the rows you use are judged

    Raises
    ------
    DataError
        Structural problems always; row glitches when ``glitches="raise"``.
    """
    if glitches not in ("raise", "repair"):
        raise DataError(f"glitches must be 'raise' or 'repair', got {glitches!r}")
    df = normalize_columns(df)
    attrs = dict(df.attrs)  # notes, repairs (none yet) and what the source recorded
    notes = attrs["notes"]
    _check_structure(df, name)
    df = _select_dates(df, name, start, end)
    df.attrs = attrs
    found = find_glitches(df)
    if len(found):
        counts = found["problem"].value_counts(sort=False)
        summary = "; ".join(f"{n} × {p}" for p, n in counts.items())
        if glitches == "raise":
            first = found.iloc[0]
            raise DataError(
                f"{name}: {found['Date'].nunique()} row(s) with data glitches: {summary} "
                f"(first {first['Date'].date()}: {first['problem']}). Pass glitches='repair' "
                "to drop them with a report, or fix the rows in the source file"
            )
        bad = pd.DatetimeIndex(found["Date"].unique())
        n_before = len(df)
        df = df.drop(index=bad)
        df.attrs = {**attrs, "repairs": found.to_dict("records")}
        print(
            f"{name}: dropped {len(bad)} of {n_before} rows with glitches ({summary}); "
            "see repair_report()"
        )
        if len(df) == 0:
            raise DataError(f"{name}: every row had a glitch; nothing is left to use")
    for note in notes:
        print(f"{name}: {note}")
    return df


def repair_report(df: pd.DataFrame) -> pd.DataFrame:
    """The rows `validate_prices` dropped from ``df`` (glitches="repair") and why."""
    return pd.DataFrame(df.attrs.get("repairs", []), columns=["Date", "problem"])


def _date_range(start, end) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """``start`` and ``end`` as Timestamps (or None); `DataError` if start is after end."""
    start_ts = None if start is None else pd.Timestamp(start)
    end_ts = None if end is None else pd.Timestamp(end)
    if start_ts is not None and end_ts is not None and start_ts > end_ts:
        raise DataError(f"start {start_ts.date()} is after end {end_ts.date()}; swap them")
    return start_ts, end_ts


def _select_dates(df, name, start, end) -> pd.DataFrame:
    start_ts, end_ts = _date_range(start, end)
    if not _covers(df, start_ts, end_ts):
        raise DataError(
            f"{name}: the data spans {df.index[0].date()}..{df.index[-1].date()}, which does "
            f"not cover the requested {_d(start_ts)}..{_d(end_ts)}; ask for dates inside that "
            "span, or refresh with source='yfinance'"
        )
    out = df.loc[start_ts:end_ts]
    if len(out) == 0:
        raise DataError(_no_rows_message(df, name, start_ts, end_ts))
    return out


def _no_rows_message(df: pd.DataFrame, name: str, start, end) -> str:
    """Why a date range selected nothing: the data's span, and which date to move where."""
    first, last = df.index[0].date(), df.index[-1].date()
    problem = f"{name}: no rows between {_d(start)} and {_d(end)}; the data spans {first}..{last}"
    if start is not None and start > df.index[-1]:
        newer = ("" if start > pd.Timestamp.now() else
                 ", or load newer prices (source='yfinance', or a CSV file)")
        return (f"{problem} ({len(df)} rows), and start {start.date()} lies after its last "
                f"row{' (and in the future)' if not newer else ''}; pass a start on or before "
                f"{last}{newer}")
    if end is not None and end < df.index[0]:
        return (f"{problem} ({len(df)} rows), and end {end.date()} lies before its first row; "
                f"pass an end on or after {first}")
    return (f"{problem}, with no trading day in the range; widen it to include at least "
            "one trading day")


def _covers(df: pd.DataFrame, start, end) -> bool:
    edge = pd.Timedelta(days=EDGE_DAYS)
    if start is not None and start < df.index[0] - edge:
        return False
    return not (end is not None and end > df.index[-1] + edge)


def _d(ts) -> str:
    return "…" if ts is None else str(ts.date())


# ----------------------------------------------------------------------------- sources
def _file_stem(ticker: str) -> str:
    return re.sub(r"[^A-Za-z0-9._^-]", "_", ticker)


def cache_dir() -> Path:
    """The user cache folder: ``$LSTM_TUTORIAL_CACHE``, else ``~/.cache/lstm_tutorial``."""
    env = os.environ.get("LSTM_TUTORIAL_CACHE")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "lstm_tutorial"


def read_price_csv(path: str | os.PathLike) -> pd.DataFrame:
    """Read a CSV in the yfinance layout (``Date,Open,High,Low,Close,Adj Close,Volume``)."""
    path = Path(path)
    if not path.is_file():
        raise DataError(f"no such CSV file: {path}; check the path")
    try:
        raw = pd.read_csv(path)
    except (pd.errors.EmptyDataError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise DataError(f"{path} is not a readable CSV ({exc}); re-export it as CSV") from None
    first = raw.columns[0] if len(raw.columns) else None
    if first is not None and first not in ("Date", "date") and not str(first).lower().startswith(
        ("date", "open", "close")
    ):
        raw = raw.rename(columns={first: "Date"})
    return raw


def _sample_aapl() -> pd.DataFrame:
    from bokeh_sampledata.stocks import AAPL  # real daily AAPL 2000-03-01..2013-03-01

    frame = pd.DataFrame(AAPL)
    # Raw Open..Close, but Volume already on post-split shares: the median volume of the
    # 20 days after the 2000 and 2005 2:1 splits is 1.42 and 1.03 times that of the 20
    # days before (typical of any date), not about 2 (tests/test_data.py measures it).
    frame.attrs["volume_basis"] = "split-adjusted"
    return frame


class _Collect(logging.Handler):
    """Keep yfinance's log records instead of printing them."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage().strip()
        if message:
            self.messages.append(message)


@contextlib.contextmanager
def _quiet_yfinance():
    """Collect yfinance's log lines (and silence its warnings) for the duration.

    yfinance reports a failed download by logging ERROR lines and returning an
    empty table. Those lines would leak into chapters and test output; the
    collected messages go into the `DataError` instead.
    """
    logger = logging.getLogger("yfinance")
    handler = _Collect()
    saved = logger.handlers[:], logger.propagate
    logger.handlers, logger.propagate = [handler], False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield handler.messages
    finally:
        logger.handlers, logger.propagate = saved


def _failure_reason(messages: list[str]) -> str:
    """One line on why yfinance failed: network, rate limit or a library error."""
    text = " ".join(messages)
    if not text:
        return "no network, or an unknown ticker"
    last = next((m for m in reversed(messages) if "Failed download" not in m), messages[-1])
    last = re.sub(r"\s*See https://curl\.se\S*.*$", "", last)
    lower = text.lower()
    if any(k in lower for k in ("resolve host", "dnserror", "failed to connect", "timed out",
                                "connectionerror", "network is unreachable")):
        kind = "no network"
    elif any(k in lower for k in ("too many requests", "rate limit", "ratelimit", "429")):
        kind = "rate limited by Yahoo (wait and retry)"
    elif any(k in lower for k in ("delisted", "no data found", "no timezone", "not found")):
        kind = "unknown or delisted ticker"
    else:
        kind = "error inside yfinance"
    return f"{kind}: {last}"


def _download(ticker: str, start, end) -> pd.DataFrame:
    try:
        import yfinance as yf

        with _quiet_yfinance() as messages:
            raw = yf.download(
                ticker,
                start=None if start is None else pd.Timestamp(start).strftime("%Y-%m-%d"),
                # yfinance's end is exclusive; ours is inclusive.
                end=None if end is None else (pd.Timestamp(end) + pd.Timedelta(days=1)).strftime(
                    "%Y-%m-%d"
                ),
                period="max" if start is None and end is None else None,
                auto_adjust=False,
                actions=False,
                progress=False,
                threads=False,
            )
    except Exception as exc:  # network errors, rate limits, yfinance internals
        raise DataError(
            f"{ticker}: the yfinance download failed ({type(exc).__name__}: {exc}). "
            + _FIX_SOURCE.format(t=ticker, f=_file_stem(ticker))
        ) from None
    if raw is None or len(raw) == 0:
        raise DataError(
            f"{ticker}: the yfinance download failed, it returned no rows "
            f"({_failure_reason(messages)}). "
            + _FIX_SOURCE.format(t=ticker, f=_file_stem(ticker))
        )
    return raw


def _write_atomic(df: pd.DataFrame, path: Path) -> None:
    """Write ``df`` as CSV to ``path`` via a temporary file and a rename.

    A reader never sees a half-written file: either the old one or the new one.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", newline="") as fh:
            df.to_csv(fh, index_label="Date")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _snapshot_path(ticker: str) -> Path | None:
    folder = os.environ.get("LSTM_TUTORIAL_DATA")
    return Path(folder).expanduser() / f"{_file_stem(ticker)}.csv" if folder else None


SNAPSHOT_PACKAGE = "lstm_tutorial.snapshots"
MANIFEST = "SHA256SUMS"


def _snapshot_root() -> Path:
    """The folder of the packaged snapshots (inside the installed package)."""
    return Path(str(resources.files(SNAPSHOT_PACKAGE)))


def packaged_snapshots() -> dict[str, str]:
    """The price snapshots shipped in the package: file name -> SHA-256 (from the manifest).

    Examples
    --------
    >>> sorted(packaged_snapshots())
    ['0050.TW.csv', 'MSFT.csv']
    """
    manifest = _snapshot_root() / MANIFEST
    sums = {}
    for line in manifest.read_text(encoding="utf-8").splitlines():
        if line.strip():
            digest, name = line.split(maxsplit=1)
            sums[name.strip()] = digest
    return sums


def _packaged_path(ticker: str) -> Path | None:
    """The packaged snapshot of ``ticker``, checked against its SHA-256, or None."""
    name = f"{_file_stem(ticker)}.csv"
    expected = packaged_snapshots().get(name)
    if expected is None:
        return None
    path = _snapshot_root() / name
    if not path.is_file():
        raise DataError(
            f"the packaged snapshot {path} is missing although {MANIFEST} lists it; "
            "reinstall the package (pip install -e . from the book's folder)"
        )
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != expected:
        raise DataError(
            f"the packaged snapshot {path} does not match its SHA-256 in {MANIFEST} "
            f"(expected {expected[:12]}…, found {digest[:12]}…): the file was changed. "
            "Restore it with git checkout, or reinstall the package"
        )
    return path


def load_prices(
    ticker: str,
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
    source: str | os.PathLike = "auto",
    glitches: str = "raise",
) -> pd.DataFrame:
    """Daily prices of one ticker as a validated DataFrame.

    Parameters
    ----------
    ticker : e.g. "AAPL", "0050.TW"
    start, end : inclusive date range (None: from the first / to the last row)
    source : "auto", "snapshot" ($LSTM_TUTORIAL_DATA if it holds the ticker,
        else the snapshot shipped in the package), "cache", "sample" (AAPL
        only), "yfinance" (download and refresh the cache), or a path to a CSV file
    glitches : "raise" or "repair" (see `validate_prices`)

    Returns
    -------
    DataFrame indexed by ``Date`` with Open, High, Low, Close, Adj Close, Volume.

    Examples
    --------
    >>> aapl = load_prices("AAPL", source="sample")
    >>> str(aapl.index[0].date()), str(aapl.index[-1].date()), len(aapl)
    ('2000-03-01', '2013-03-01', 3270)
    """
    if not isinstance(ticker, str) or not ticker.strip():
        raise DataError(f"ticker must be a non-empty string like 'AAPL', got {ticker!r}")
    ticker = ticker.strip()
    start_ts, end_ts = _date_range(start, end)  # before any file is read or downloaded
    source_str = str(source)
    if isinstance(source, os.PathLike) or source_str not in SOURCES:
        if not source_str.lower().endswith(".csv") and not Path(source_str).exists():
            raise DataError(
                f"unknown source {source_str!r}; use one of {SOURCES} or a path to a CSV file"
            )
        return validate_prices(read_price_csv(source_str), ticker, glitches, start, end)

    def from_file(path: Path | None) -> pd.DataFrame | None:
        return read_price_csv(path) if path is not None and path.is_file() else None

    def snapshot() -> pd.DataFrame | None:
        override = from_file(_snapshot_path(ticker))
        return override if override is not None else from_file(_packaged_path(ticker))

    candidates = {
        "snapshot": snapshot,
        "cache": lambda: from_file(cache_dir() / f"{_file_stem(ticker)}.csv"),
        "sample": lambda: _sample_aapl() if ticker.upper() == "AAPL" else None,
    }
    if source in candidates:
        raw = candidates[source]()
        if raw is None:
            raise DataError(_missing_source_message(ticker, source))
        return validate_prices(raw, ticker, glitches, start, end)
    if source == "auto":
        for name in ("snapshot", "cache", "sample"):
            raw = candidates[name]()
            if raw is None:
                continue
            frame = normalize_columns(raw)
            if len(frame) and _covers(frame, start_ts, end_ts):
                return validate_prices(frame, ticker, glitches, start, end)
    # source == "yfinance", or "auto" with nothing offline
    raw = _download(ticker, start, end)
    frame = normalize_columns(raw)
    _check_structure(frame, ticker)
    _write_atomic(frame, cache_dir() / f"{_file_stem(ticker)}.csv")
    return validate_prices(frame, ticker, glitches, start, end)


def _missing_source_message(ticker: str, source: str) -> str:
    if source == "snapshot":
        where = _snapshot_path(ticker)
        shipped = ", ".join(n.removesuffix(".csv") for n in sorted(packaged_snapshots()))
        folder = f"no {where} and " if where is not None else ""
        return (
            f"{ticker}: {folder}no snapshot of it ships with the package (it has {shipped}). "
            + _FIX_SOURCE.format(t=ticker, f=_file_stem(ticker))
        )
    if source == "cache":
        return (
            f"{ticker}: nothing cached in {cache_dir()}; download once with "
            f"load_prices({ticker!r}, source='yfinance')"
        )
    return (
        f"{ticker}: only AAPL has a packaged sample series (bokeh_sampledata); "
        "use source='auto', 'snapshot', 'yfinance' or a CSV path"
    )


# ----------------------------------------------------------------------------- adjustment
# A day on which the vendor's factor Adj Close / Close moves by more than this
# ratio is a split (or a reverse split), not a dividend.
SPLIT_STEP = 1.2


def split_ratios(df: pd.DataFrame, *, max_denominator: int = 10,
                 tolerance: float = 0.02) -> pd.Series:
    """The splits in a raw price series, read from the vendor's adjustment factor.

    On a split day the factor ``Adj Close / Close`` jumps by the split ratio
    (2 for a 2:1 split; 0.5 for a 1:2 reverse split), while a dividend moves it
    by a few per cent at most. A step of more than `SPLIT_STEP` is taken as a
    split, and its ratio is the simple fraction (denominator up to
    ``max_denominator``) within ``tolerance`` of it (a dividend on the same day
    moves it slightly).

    Returns
    -------
    pandas.Series
        Split ratio by date (empty if the prices are already split-adjusted,
        as in vendor files whose Close is adjusted).

    Raises
    ------
    DataError
        If a jump is not close to a simple fraction: the factor is then not a
        split adjustment, and guessing would corrupt volumes.

    Examples
    --------
    >>> split_ratios(load_prices("AAPL", source="sample"))
    Date
    2000-06-21    2.0
    2005-02-28    2.0
    Name: split ratio, dtype: float64
    """
    from fractions import Fraction

    factor = df["Adj Close"] / df["Close"]
    step = (factor / factor.shift(1)).dropna()
    jumps = step[(step > SPLIT_STEP) | (step < 1 / SPLIT_STEP)]
    ratios = {}
    for day, value in jumps.items():
        snapped = float(Fraction(float(value)).limit_denominator(max_denominator))
        if abs(value / snapped - 1) > tolerance:
            raise DataError(
                f"the adjustment factor Adj Close / Close moves by {value:.4f} on {_d(day)}, "
                "which is no split ratio; check the vendor's Close and Adj Close for that day"
            )
        ratios[day] = snapped
    out = pd.Series(ratios, dtype=float, name="split ratio")
    out.index = pd.DatetimeIndex(list(ratios), name=df.index.name)
    return out


VOLUME_BASES = ("raw", "split-adjusted")


def adjust_for_splits_and_dividends(df: pd.DataFrame, *,
                                    volume: str | None = None) -> pd.DataFrame:
    """Put a raw price series on the adjusted basis of its ``Adj Close``.

    Splits and dividends make raw prices jump (AAPL's 2:1 split of 2005-02-28
    halves the raw close overnight; an ex-dividend day lowers it by the
    dividend). The vendor's ``Adj Close`` removes both jumps. This scales Open,
    High and Low by the same combined factor ``Adj Close / Close`` and sets
    Close to ``Adj Close``, so that candles and features agree with the
    adjusted close (earlier prices are scaled down: the last day keeps its
    quote, up to splits after the data end).

    Volume is a share count: a split changes its unit, a dividend does not.
    Vendors differ. Some report shares as traded that day (``volume="raw"``):
    those are scaled here by the `split_ratios` that come later, so that every
    day counts post-split shares. Others already report split-adjusted volume
    next to a raw close (old Yahoo CSVs; the AAPL sample, whose volume does not
    jump at its 2000 and 2005 splits): ``volume="split-adjusted"`` leaves it.
    By default the basis recorded by `load_prices` (``df.attrs["volume_basis"]``)
    is used; if the series crosses a split and nobody says which basis its
    volume has, a `DataError` asks, rather than guessing.

    Examples
    --------
    >>> raw = load_prices("AAPL", source="sample")
    >>> adj = adjust_for_splits_and_dividends(raw)
    >>> bool((adj["Close"] == raw["Adj Close"]).all())
    True
    >>> raw.attrs["volume_basis"], bool((adj["Volume"] == raw["Volume"]).all())
    ('split-adjusted', True)
    """
    basis = volume if volume is not None else df.attrs.get("volume_basis")
    if basis is not None and basis not in VOLUME_BASES:
        raise ValueError(f"volume must be one of {VOLUME_BASES}, got {basis!r}")
    factor = df["Adj Close"] / df["Close"]
    out = df.copy()
    for col in ("Open", "High", "Low"):
        out[col] = df[col] * factor
    out["Close"] = df["Adj Close"]
    splits = split_ratios(df)
    if len(splits) and "Volume" in df:
        if basis is None:
            days = ", ".join(_d(day) for day in splits.index)
            raise DataError(
                f"the prices cross splits on {days}; say whether the vendor's Volume counts "
                "shares as traded (volume='raw', scaled here) or is already split-adjusted "
                "(volume='split-adjusted'): compare the volume just before and after a split"
            )
        if basis == "raw":
            # each day's volume times the product of the splits that come after it
            later = pd.Series(1.0, index=df.index)
            for day, ratio in splits.items():
                later[df.index < day] *= ratio
            out["Volume"] = df["Volume"] * later
    out.attrs["volume_basis"] = "split-adjusted"
    return out
