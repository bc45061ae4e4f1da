"""lstm_tutorial.app.study: the pipeline's pieces on a small real slice, and the atomic save."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lstm_tutorial.app import study
from lstm_tutorial.app.study import MODEL, NAIVE, NETWORKS, StudyResult, check_out_dir, run_study
from lstm_tutorial.baselines import arima_forecast
from lstm_tutorial.data import load_prices
from lstm_tutorial.errors import DataError

TINY = dict(lookback=10, seeds=(0,), epochs=2, units=4, batch_size=64)


@pytest.fixture(scope="module")
def msft():
    """Real MSFT 2019-01..2020-12 from the packaged snapshot (492 rows)."""
    return load_prices("MSFT", "2019-01-01", "2020-12-11")


@pytest.fixture(scope="module")
def result(msft):
    return run_study(msft, name="MSFT", **TINY)


def settings(**overrides):
    args = dict(name="MSFT", target="Adj Close", lookback=10, horizon=1, seeds=(0,),
                models=("lstm", "residual"), epochs=2,
                patience=10, units=4, val_fraction=0.15, test_fraction=0.15, batch_size=64,
                cost_bps=10.0, backend=None, progress=False)
    return study._settings(args | overrides)


def test_scaler_is_fitted_on_the_training_rows_only(msft):
    prep = study._prepare(msft, settings())
    train = prep.split.train["Adj Close"]
    assert prep.scaler.data_max_[0] == train.max()
    assert prep.scaler.data_min_[0] == train.min()
    assert msft["Adj Close"].max() > train.max()  # 2020's prices lie above: a real test


@pytest.mark.parametrize("horizon", [1, 3])
def test_test_targets_dates_and_naive_line_up(msft, horizon):
    prep = study._prepare(msft, settings(horizon=horizon))
    close = msft["Adj Close"]
    rows = prep.windows["test"].target_rows
    assert rows[0] == prep.split.bounds("test")[0]  # the test span, no target before it
    np.testing.assert_array_equal(prep.dates, close.index[rows + horizon - 1])
    np.testing.assert_allclose(prep.actual, close.iloc[rows + horizon - 1], rtol=1e-12)
    np.testing.assert_allclose(prep.baselines[NAIVE], close.iloc[rows - 1], rtol=1e-12)
    # the backtest trades from the close before the first target to the last target
    assert prep.closes.index[0] == close.index[rows[0] - 1]
    assert prep.closes.index[-1] == close.index[rows[-1]]


def test_forecasts_cover_the_naive_forecast_s_span(result, msft):
    f = result.forecasts
    assert list(f.columns[:2]) == ["actual", NAIVE] and MODEL in f.columns
    assert f.index[0] > pd.Timestamp("2020-08-01") and f.index[-1] == msft.index[-1]
    np.testing.assert_allclose(f[NAIVE].to_numpy()[1:], f["actual"].to_numpy()[:-1])
    assert f.notna().all().all()
    assert result.settings["test forecasts"] == len(f) == result.backtest["days"].iloc[0]


def test_arima_is_a_baseline_one_day_ahead_fitted_before_the_test_span(msft):
    prep = study._prepare(msft, settings())
    (name,) = [k for k in prep.baselines if k.startswith("ARIMA")]
    rows = prep.windows["test"].target_rows
    close = msft["Adj Close"]
    again = arima_forecast(close.iloc[:rows[0]], close.iloc[rows])
    assert name == f"ARIMA{again.order}"
    np.testing.assert_allclose(prep.baselines[name], again.forecasts)
    # no look-ahead: the last test close changed, every forecast stays the same
    moved = close.copy()
    moved.iloc[rows[-1]] *= 2
    changed = study._prepare(msft.assign(**{"Adj Close": moved}), settings())
    np.testing.assert_allclose(changed.baselines[name], prep.baselines[name])
    # several days ahead it is left out, and the notes say so
    far = study._prepare(msft, settings(horizon=3))
    assert not any(k.startswith("ARIMA") for k in far.baselines)
    assert any("ARIMA is left out" in note for note in far.notes)


def test_tables_and_verdicts(result):
    assert {NAIVE, MODEL, "linear regression"} <= set(result.table.index)
    assert result.table.loc[NAIVE, "skill"] == 0 and result.table.loc[NAIVE, "verdict"] == ""
    assert result.table.loc[MODEL, "verdict"] in (
        "better than", "worse than", "not distinguishable from")
    assert any(s.startswith(f"{MODEL} is {result.table.loc[MODEL, 'verdict']}")
               for s in result.verdicts)
    assert any("cap of 2 epochs" in s for s in result.verdicts)  # 2 epochs: not converged
    assert any("outside the training span's range" in s for s in result.verdicts)  # 2020
    arima = [name for name in result.table.index if name.startswith("ARIMA")]
    assert list(result.backtest.index) == [f"{MODEL} signal", "residual LSTM signal",
                                           "linear regression signal", f"{arima[0]} signal",
                                           "buy and hold"]
    assert list(result.stopping.index) == list(result.seeds.index) == [MODEL, "residual LSTM"]
    assert (result.stopping["cap"] == 2).all()
    assert set(result.figures) == {"forecast", "forecast_last60", "loss_lstm", "loss_residual",
                                   "equity"}


def test_the_default_networks_are_the_plain_and_the_residual_lstm(result):
    assert result.settings["models"] == ["lstm", "residual"]
    assert {MODEL, "residual LSTM"} <= set(result.table.index) <= set(result.forecasts.columns)
    assert "normalised LSTM" not in result.table.index
    out_of_range = next(s for s in result.verdicts if "outside the training" in s)
    assert "min-max scaled inputs of the LSTM and residual LSTM" in out_of_range
    assert "normalised" not in out_of_range  # only the networks that were trained


@pytest.fixture(scope="module")
def one_epoch(msft):
    """Every network after one epoch, 64 units: the plain LSTM has not learnt the level."""
    return run_study(msft, name="MSFT", lookback=10, seeds=(0,), epochs=1, batch_size=64,
                     models=("lstm", "residual", "normalised"))


def test_residual_and_normalised_forecasts_start_near_the_naive_one(one_epoch):
    # On 2020's test span, above the training range, one epoch leaves the plain LSTM far off
    # (skill -9.6 to -24 over seeds 0..5) while the residual LSTM, the last value plus a
    # small change, stays near the naive forecast (-0.15 to -0.62); so does the normalised.
    skill = one_epoch.table["skill"]
    assert skill[MODEL] < -5
    assert abs(skill["residual LSTM"]) < 1 and abs(skill["normalised LSTM"]) < 1
    assert abs(skill["residual LSTM"]) < abs(skill[MODEL]) / 5


def test_several_networks_share_the_report(one_epoch):
    names = list(NETWORKS.values())
    assert list(one_epoch.stopping.index) == list(one_epoch.seeds.index) == names
    assert {f"loss_{key}" for key in NETWORKS} <= set(one_epoch.figures)
    capped = next(s for s in one_epoch.verdicts if "cap of 1 epochs" in s)
    assert "LSTM, residual LSTM and normalised LSTM" in capped
    out_of_range = next(s for s in one_epoch.verdicts if "outside the training" in s)
    assert "inputs of the LSTM and residual LSTM leave 0..1" in out_of_range
    assert "the normalised LSTM sees each window on its own scale" in out_of_range
    trading = one_epoch.verdicts[-1]
    assert all(f"the {name}'s " in trading for name in names)
    assert "(LSTM, residual LSTM and normalised LSTM) trained over 1 seed(s)" in " ".join(
        one_epoch.report().split())


def test_normalised_windows_map_back_to_the_scaled_prices(msft):
    """Fed its own normalised targets, the normalised LSTM's map back gives the test targets."""
    prep = study._prepare(msft, settings(models=("normalised",)))
    (X, y), (X_val, y_val), X_test, back = study._network_data("normalised", prep)
    assert X.shape == prep.windows["train"].X.shape and np.abs(X[:, -1]).max() == 0
    test = prep.windows["test"]
    from lstm_tutorial.preprocessing import normalize_windows

    _, y_norm, _ = normalize_windows(test.X, test.y)
    np.testing.assert_allclose(back(y_norm), test.y.reshape(len(test.y), -1), rtol=1e-12)
    # the min-max networks see the windows as they are
    (X_plain, _), _, X_test_plain, same = study._network_data("residual", prep)
    assert X_plain is prep.windows["train"].X and same(y_norm) is y_norm


def test_save_writes_every_file(result, tmp_path):
    report = result.save(tmp_path / "new" / "out")
    out = report.parent
    names = {p.name for p in out.iterdir()}
    assert set(study.FILES) | {f"{k}.png" for k in result.figures} == names
    text = report.read_text()
    assert "## Results on the test span" in text and "![forecast](forecast.png)" in text
    assert pd.read_csv(out / "results.csv", index_col="model").index.isin([NAIVE, MODEL]).sum() == 2
    assert not [p for p in tmp_path.rglob("*.tmp")]


def test_save_is_all_or_nothing(result, tmp_path, monkeypatch):
    def broken(res, folder):
        (folder / "results.csv").write_text("half")
        raise OSError("disk full")

    monkeypatch.setattr(study, "_write_files", broken)
    with pytest.raises(OSError, match="disk full"):
        result.save(tmp_path / "a" / "b" / "out")
    assert list(tmp_path.iterdir()) == []  # not even the parents were left behind

    existing = tmp_path / "kept"
    existing.mkdir()
    (existing / "report.md").write_text("old report")
    with pytest.raises(OSError):
        result.save(existing)
    assert [p.name for p in tmp_path.iterdir()] == ["kept"]
    assert (existing / "report.md").read_text() == "old report"


def test_save_into_an_existing_folder_replaces_only_its_own_files(result, tmp_path):
    (tmp_path / "report.md").write_text("old")
    (tmp_path / "mine.txt").write_text("keep me")
    result.save(tmp_path)
    assert (tmp_path / "mine.txt").read_text() == "keep me"
    assert (tmp_path / "report.md").read_text().startswith("# Study: MSFT")


def test_out_dir_that_is_a_file_is_refused_before_training(tmp_path):
    (tmp_path / "f").write_text("")
    with pytest.raises(DataError, match="not a folder"):
        check_out_dir(tmp_path / "f")


@pytest.mark.parametrize("bad, match", [
    (dict(seeds=()), "seeds is empty"),
    (dict(lookback=0), "lookback must be a positive integer"),
    (dict(epochs=-1), "epochs must be a positive integer"),
    (dict(val_fraction=0.6, test_fraction=0.5), "sum below 1"),
    (dict(target="Price"), "target 'Price' is not a column"),
    (dict(cost_bps=-1.0), "cost_bps must be in"),
    (dict(lookback=400), "too few for one window"),
    (dict(models=("lstm", "gru")), "unknown model 'gru'; choose from lstm, residual, normalised"),
    (dict(models=()), "models is empty"),
    (dict(models=("normalised",), lookback=2), "needs a lookback of 3 or more"),
])
def test_bad_settings_fail_before_training(msft, bad, match, monkeypatch):
    monkeypatch.setattr(study, "_train", lambda *a: pytest.fail("trained despite bad input"))
    with pytest.raises(DataError, match=match):
        run_study(msft, **(TINY | bad))


def test_a_test_span_too_short_for_the_statistics_fails_before_training(msft, monkeypatch):
    monkeypatch.setattr(study, "_train", lambda *a: pytest.fail("trained despite bad input"))
    with pytest.raises(DataError):
        run_study(msft.iloc[:60], **(TINY | dict(lookback=5)))


def test_result_type(result):
    assert isinstance(result, StudyResult)
    assert result.settings["seeds"] == [0] and result.settings["rows"] == 492


def test_progress_bars_go_to_stderr(msft, capsys):
    run_study(msft, **(TINY | dict(seeds=(1,), progress=True)))
    err = capsys.readouterr().err
    assert "seed 1" in err and "2/2" in err


def test_rows_repaired_on_loading_are_named_in_the_notes(etf0050):
    prep = study._prepare(etf0050, settings(name="0050.TW", lookback=5))
    dropped = [note for note in prep.notes if "dropped before the study" in note]
    assert len(dropped) == 1 and "2017-02-18" in dropped[0]  # a Saturday placeholder row
    # on these days ARIMA's AIC picks the random walk: no second naive row, and a note says so
    assert not any(k.startswith("ARIMA") for k in prep.baselines)
    assert any("ARIMA(0, 1, 0), the random walk" in note for note in prep.notes)
