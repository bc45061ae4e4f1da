"""lstm_tutorial.training: several seeds, trained until early stopping, and their spread."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from lstm_tutorial.errors import DataError
from lstm_tutorial.metrics import rmse
from lstm_tutorial.training import SeedRun, glue_stopping, seed_table, stopping_table, train_seeds


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(96, 6, 1)).astype("float32")
    y = (0.8 * X[:, -1, :] + 0.05 * rng.normal(size=(96, 1))).astype("float32")
    return X[:72], y[:72], X[72:], y[72:]


def tiny():
    from lstm_tutorial.models import build_lstm_regressor

    return build_lstm_regressor(lookback=6, n_features=1, units=4)


def test_each_seed_trains_until_early_stopping(data):
    X, y, Xv, yv = data
    runs = train_seeds(tiny, X, y, seeds=(3, 4), epochs=400, patience=3,
                       validation_data=(Xv, yv), learning_rate=0.05, batch_size=24,
                       reduce_lr_patience=None)
    assert [r.seed for r in runs] == [3, 4]
    for run in runs:
        val = run.history.history["val_loss"]
        assert run.epochs_run == len(val) < run.cap == 400 and run.stopped_early
        assert run.best_epoch == int(np.argmin(val)) + 1
        assert run.epochs_run == run.best_epoch + 3           # patience 3 after the best
        # restore_best_weights: the model in memory has the best epoch's validation loss
        mse = float(np.mean((run.model.predict(Xv, verbose=0) - yv) ** 2))
        assert mse == pytest.approx(min(val), rel=1e-4)
    assert not np.allclose(runs[0].model.get_weights()[0], runs[1].model.get_weights()[0])


def test_same_seed_same_model(data):
    X, y, Xv, yv = data
    kw = dict(seeds=(5,), epochs=3, patience=2, validation_data=(Xv, yv), batch_size=24)
    a, b = train_seeds(tiny, X, y, **kw)[0], train_seeds(tiny, X, y, **kw)[0]
    for wa, wb in zip(a.model.get_weights(), b.model.get_weights(), strict=True):
        np.testing.assert_array_equal(wa, wb)


def test_seeds_trained_side_by_side_equal_seeds_trained_in_turn(data):
    """Two worker processes give the very weights, histories and stopping epochs of one."""
    X, y, Xv, yv = data
    kw = dict(seeds=(5, 6), epochs=6, patience=2, validation_data=(Xv, yv), batch_size=24)
    here, side_by_side = train_seeds(tiny, X, y, workers=1, **kw), train_seeds(
        tiny, X, y, workers=2, **kw)
    assert [r.seed for r in side_by_side] == [5, 6]
    for a, b in zip(here, side_by_side, strict=True):
        assert (a.epochs_run, a.best_epoch) == (b.epochs_run, b.best_epoch)
        assert a.history.history == b.history.history
        for wa, wb in zip(a.model.get_weights(), b.model.get_weights(), strict=True):
            np.testing.assert_array_equal(wa, wb)
        np.testing.assert_array_equal(a.model.predict(Xv, verbose=0),
                                      b.model.predict(Xv, verbose=0))


def test_side_by_side_checkpoint_holds_the_last_seeds_best_model(data, tmp_path):
    """With ``checkpoint_path``, each worker saves to its own file; the last seed's ends up
    at the path, as when the seeds train in turn, and no other file is left behind."""
    from lstm_tutorial.training import load_best

    X, y, Xv, yv = data
    path = tmp_path / "best.keras"
    runs = train_seeds(tiny, X, y, seeds=(5, 6), epochs=6, patience=2, workers=2,
                       validation_data=(Xv, yv), batch_size=24, checkpoint_path=path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["best.keras"]
    np.testing.assert_allclose(load_best(path).predict(Xv, verbose=0),
                               runs[-1].model.predict(Xv, verbose=0), rtol=1e-6)


def test_worker_count(monkeypatch):
    from lstm_tutorial.training import _worker_count

    monkeypatch.setenv("LSTM_TUTORIAL_WORKERS", "3")
    assert _worker_count(None, 5, {}) == 3
    assert _worker_count(None, 2, {}) == 2                  # never more than the seeds
    assert _worker_count(4, 5, {"callbacks": [object()]}) == 1   # a progress bar stays here
    monkeypatch.setenv("LSTM_TUTORIAL_WORKERS", "0")
    with pytest.raises(DataError, match="LSTM_TUTORIAL_WORKERS"):
        _worker_count(None, 5, {})


def test_a_run_at_its_cap_is_marked(data):
    X, y, Xv, yv = data
    run = train_seeds(tiny, X, y, seeds=(0,), epochs=2, patience=50,
                      validation_data=(Xv, yv))[0]
    assert run.epochs_run == run.cap == 2 and not run.stopped_early
    table = stopping_table({"tiny": [run]})
    assert not table.loc["tiny", "all stopped early"]
    assert table.loc["tiny", "cap"] == 2


def test_needs_validation_and_seeds(data):
    X, y, _, _ = data
    with pytest.raises(DataError, match="validation span to stop on"):
        train_seeds(tiny, X, y, seeds=(0,))
    with pytest.raises(DataError, match="seeds is empty"):
        train_seeds(tiny, X, y, seeds=(), validation_split=0.2)


def test_stopping_table_by_hand():
    flat = SimpleNamespace(history={"loss": [1.0] + [0.5] * 299})
    runs = [SeedRun(0, None, flat, 40, 30, 300), SeedRun(1, None, flat, 300, 290, 300)]
    row = stopping_table(runs).loc["model"]
    assert row.tolist() == [2, "40..300", "30..290", 300, False, 1]  # the capped one did not


def test_glue_stopping_glues_the_worst_seed(monkeypatch):
    import myst_nb

    store = {}
    monkeypatch.setattr(myst_nb, "glue", lambda name, v, display=True: store.update({name: v}))
    flat = SimpleNamespace(history={"loss": [1.0] + [0.5] * 60})
    falling = SimpleNamespace(history={"loss": list(0.9 ** np.arange(61.0))})
    glue_stopping("lstm", [SeedRun(0, None, flat, 40, 30, 300),
                           SeedRun(1, None, falling, 61, 51, 300)])
    assert store == {"epochs_run_lstm": 61, "epoch_cap_lstm": 300, "converged_lstm": 1,
                     "seeds_lstm": 2}
    with pytest.raises(DataError, match="no runs"):
        glue_stopping("x", [])


def test_seed_table_by_hand():
    y = np.array([10.0, 11.0, 12.0, 13.0])
    naive = np.array([9.0, 10.0, 11.0, 12.0])               # RMSE 1
    preds = [y + 0.2, y - 0.4, y + np.array([0.3, -0.3, 0.3, -0.3])]
    row = seed_table(y, {"m": preds}, naive).loc["m"]
    errors = np.array([0.2, 0.4, 0.3])
    assert row["seeds"] == 3
    assert row["RMSE mean"] == pytest.approx(errors.mean())
    assert row["RMSE std"] == pytest.approx(errors.std(ddof=1))
    assert (row["RMSE min"], row["RMSE max"]) == pytest.approx((0.2, 0.4))
    assert row["skill mean"] == pytest.approx(1 - errors.mean())
    ensemble = np.mean(preds, axis=0)
    assert row["ensemble RMSE"] == pytest.approx(rmse(y, ensemble))
    assert row["ensemble skill"] == pytest.approx(1 - rmse(y, ensemble))
    assert row["ensemble RMSE"] < row["RMSE mean"]           # averaging cancels noise here


def test_keras_fit_predict_in_walk_forward_keeps_every_folds_runs(aapl):
    from lstm_tutorial.evaluation import walk_forward_evaluate
    from lstm_tutorial.training import KerasFitPredict

    close = aapl["Adj Close"].iloc[-400:]
    fit_predict = KerasFitPredict(tiny_6, seeds=(0,), normalize=True, epochs=200, patience=3,
                                  learning_rate=0.01, batch_size=64, reduce_lr_patience=None)
    table = walk_forward_evaluate(close, lookback=6, fit_predict=fit_predict, n_folds=2,
                                  test_size=50)
    assert len(fit_predict.runs) == 2 and all(len(r) == 1 for r in fit_predict.runs)
    assert all(r[0].stopped_early for r in fit_predict.runs)
    assert np.isfinite(table["RMSE model"]).all()
    # normalised per window, the forecast lives at the price level, near the naive one
    assert (table["RMSE model"] < 3 * table["RMSE naive"]).all()


def tiny_6():
    from lstm_tutorial.models import build_lstm_regressor

    return build_lstm_regressor(lookback=6, n_features=1, units=4)


def test_restored_epoch_follows_keras_min_delta():
    from lstm_tutorial.training import restored_epoch

    val = [1.0, 0.5, 0.49, 0.6, 0.3]
    assert restored_epoch(val) == 5
    assert restored_epoch(val[:4]) == 3                       # the lowest loss
    assert restored_epoch(val[:4], min_delta=0.05) == 2       # 0.49 is not 0.05 below 0.5
    assert restored_epoch([float("nan"), 0.4, 0.4]) == 2      # ties keep the first
    with pytest.raises(DataError, match="no number"):
        restored_epoch([float("nan")])


def test_train_seeds_reports_the_epoch_early_stopping_restored(data):
    X, y, Xv, yv = data
    runs = train_seeds(tiny, X, y, seeds=(3,), epochs=60, patience=3, min_delta=0.05,
                       validation_data=(Xv, yv), learning_rate=0.05, batch_size=24,
                       reduce_lr_patience=None)
    run = runs[0]
    val = run.history.history["val_loss"]
    assert run.epochs_run == run.best_epoch + 3
    # the model in memory carries the weights of best_epoch, not of the lowest val_loss
    mse = float(np.mean((run.model.predict(Xv, verbose=0) - yv) ** 2))
    assert mse == pytest.approx(val[run.best_epoch - 1], rel=1e-4)
