"""Model builders (shapes, layers, parameter counts) and the compile/fit helper."""

from __future__ import annotations

import re

import numpy as np
import pytest

from lstm_tutorial import models, training
from lstm_tutorial.errors import DataError
from lstm_tutorial.repro import import_tensorflow, seed_everything

import_tensorflow()
import keras  # noqa: E402


def _layers(model: keras.Model) -> list[tuple[str, str]]:
    return [(layer.name, type(layer).__name__) for layer in model.layers[1:]]


def test_lstm_regressor():
    model = models.build_lstm_regressor()
    assert model.input_shape == (None, 60, 1)
    assert model.output_shape == (None, 1)
    assert _layers(model) == [("lstm", "LSTM"), ("forecast", "Dense")]
    assert model.get_layer("lstm").units == 64
    assert model.count_params() == 4 * (64 + 64**2 + 64) + 65
    assert models.build_lstm_regressor(lookback=30, n_features=3, horizon=5).output_shape == (
        None,
        5,
    )


def test_gru_regressor():
    model = models.build_gru_regressor(units=32)
    assert _layers(model) == [("gru", "GRU"), ("forecast", "Dense")]
    assert model.count_params() == 3 * (32 + 32**2 + 2 * 32) + 33


def test_stacked_lstm_117619():
    model = models.build_stacked_lstm()
    assert _layers(model) == [
        ("lstm_1", "LSTM"),
        ("lstm_2", "LSTM"),
        ("dense", "Dense"),
        ("forecast", "Dense"),
    ]
    assert model.get_layer("lstm_1").return_sequences
    assert not model.get_layer("lstm_2").return_sequences
    counts = [layer.count_params() for layer in model.layers[1:]]
    assert counts == [66_560, 49_408, 1_625, 26]
    assert model.count_params() == 117_619


def test_stacked_lstm_four_features():
    model = models.build_stacked_lstm(n_features=4)
    assert model.input_shape == (None, 60, 4)
    assert model.get_layer("lstm_1").count_params() == 68_096
    assert model.count_params() == 117_619 + 68_096 - 66_560


def test_dropout_lstm():
    model = models.build_dropout_lstm()
    assert model.input_shape == (None, 10, 1)
    assert _layers(model) == [("lstm", "LSTM"), ("dropout", "Dropout"), ("forecast", "Dense")]
    assert model.get_layer("dropout").rate == 0.2
    x = np.ones((4, 10, 1), dtype="float32")
    # dropout acts in training only: inference is deterministic
    np.testing.assert_array_equal(model(x, training=False), model(x, training=False))
    with pytest.raises(DataError, match="dropout"):
        models.build_dropout_lstm(dropout=1.0)


def test_0050_model():
    model = models.build_0050_lstm()
    assert model.input_shape == (None, 5, 2)
    assert _layers(model) == [
        ("lstm_1", "LSTM"),
        ("lstm_2", "LSTM"),
        ("per_day", "TimeDistributed"),
        ("flatten", "Flatten"),
        ("dense", "Dense"),
        ("forecast", "Dense"),
    ]
    assert model.get_layer("per_day").output.shape == (None, 5, 1)
    assert model.get_layer("dense").units == 5
    assert model.get_layer("dense").activation.__name__ == "linear"
    assert model.count_params() == 265_216 + 525_312 + 257 + 0 + 30 + 6


def test_0050_gru_and_smaller_variants():
    gru = models.build_0050_lstm(cell="gru")
    assert [type(layer).__name__ for layer in gru.layers[1:3]] == ["GRU", "GRU"]
    assert [layer.name for layer in gru.layers[1:3]] == ["gru_1", "gru_2"]
    small = models.build_0050_lstm(units=(32, 16))
    assert small.get_layer("lstm_1").units == 32
    assert small.get_layer("lstm_2").units == 16
    assert small.count_params() < models.build_0050_lstm().count_params()
    with pytest.raises(DataError, match="cell='rnn'"):
        models.build_0050_lstm(cell="rnn")
    with pytest.raises(DataError, match="units"):
        models.build_0050_lstm(units=(32, 16, 8))


@pytest.mark.parametrize("horizon", [5, 3])
def test_seq2seq_many_to_many(horizon):
    model = models.build_seq2seq_lstm(horizon=horizon)
    assert model.output_shape == (None, horizon)
    assert model.get_layer("repeat").output.shape == (None, horizon, 64)
    assert model.get_layer("decoder").return_sequences
    y = model(np.zeros((2, 5, 2), dtype="float32"))
    assert y.shape == (2, horizon)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: models.build_lstm_regressor(lookback=0), "lookback=0"),
        (lambda: models.build_stacked_lstm(n_features=0), "n_features=0"),
        (lambda: models.build_gru_regressor(units=-1), "units=-1"),
        (lambda: models.build_seq2seq_lstm(horizon=0), "horizon=0"),
        (lambda: models.build_lstm_regressor(lookback=2.5), "lookback=2.5"),
    ],
)
def test_bad_arguments_raise_data_error(call, match):
    with pytest.raises(DataError, match=match):
        call()


@pytest.mark.parametrize(
    "build",
    [
        models.build_lstm_regressor,
        models.build_gru_regressor,
        models.build_stacked_lstm,
        models.build_dropout_lstm,
        models.build_0050_lstm,
        models.build_seq2seq_lstm,
    ],
)
def test_every_builder_starts_from_keras_input(build):
    model = build(lookback=7, n_features=3)
    first = model.layers[0]
    assert type(first).__name__ == "InputLayer" and first.name == "window"
    assert model.input_shape == (None, 7, 3)
    names = [layer.name for layer in model.layers]
    assert len(set(names)) == len(names)


# --------------------------------------------------------------------------- training
def _toy_data(n: int = 64, lookback: int = 5):
    rng = np.random.default_rng(0)
    series = np.sin(np.arange(n + lookback) / 3.0) + 0.05 * rng.normal(size=n + lookback)
    X = np.stack([series[i : i + lookback] for i in range(n)])[..., None].astype("float32")
    y = series[lookback : lookback + n, None].astype("float32")
    return X[:48], y[:48], X[48:], y[48:]


def test_compile_and_fit_checkpoint_and_reload(tmp_path, capsys):
    seed_everything(0)
    X_tr, y_tr, X_va, y_va = _toy_data()
    model = models.build_lstm_regressor(lookback=5, units=4)
    path = tmp_path / "best.keras"
    history = training.compile_and_fit(
        model,
        X_tr,
        y_tr,
        validation_data=(X_va, y_va),
        epochs=4,
        batch_size=16,
        patience=2,
        reduce_lr_patience=1,
        checkpoint_path=path,
        clipnorm=1.0,
        summary=True,
    )
    assert isinstance(history, keras.callbacks.History)
    assert 1 <= len(history.history["loss"]) <= 4
    assert len(history.history["val_loss"]) == len(history.history["loss"])
    assert model.optimizer.clipnorm == 1.0
    assert path.is_file()

    out = capsys.readouterr().out
    best = min(history.history["val_loss"])
    epochs_run = len(history.history["loss"])
    assert out == (
        f"epochs run: {epochs_run}, best val_loss: {best:.4g} "
        f"(epoch {history.history['val_loss'].index(best) + 1})\n"
    )
    assert not re.search(r"\d+(ms|s)/step", out)

    # EarlyStopping restored the best epoch; the checkpoint holds that same epoch
    reloaded = training.load_best(path)
    np.testing.assert_allclose(reloaded.predict(X_va, verbose=0), model.predict(X_va, verbose=0))
    assert reloaded.evaluate(X_va, y_va, verbose=0) == pytest.approx(best, rel=1e-5)


def test_compile_and_fit_is_silent_and_reproducible(capsys):
    X_tr, y_tr, _, _ = _toy_data()

    def run():
        seed_everything(7)
        model = models.build_lstm_regressor(lookback=5, units=4)
        return training.compile_and_fit(
            model, X_tr, y_tr, loss="mae", epochs=3, batch_size=16, patience=None
        ).history

    first, second = run(), run()
    assert capsys.readouterr().out == ""
    assert len(first["loss"]) == 3  # no validation: monitors loss, early stopping off
    assert "val_loss" not in first
    assert first["loss"] == second["loss"]


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"checkpoint_path": "best.h5"}, "must end in '.keras'"),
        ({"validation_split": 0.2, "validation_data": ([0], [0])}, "not both"),
        ({"validation_split": 1.5}, "validation_split"),
        ({"learning_rate": 0.0}, "learning_rate"),
        ({"clipnorm": -1.0}, "clipnorm"),
        ({"epochs": 0}, "epochs=0"),
        ({"min_delta": -0.1}, "min_delta"),
    ],
)
def test_compile_and_fit_rejects_bad_arguments(kwargs, match):
    X_tr, y_tr, _, _ = _toy_data()
    model = models.build_lstm_regressor(lookback=5, units=2)
    with pytest.raises(DataError, match=match):
        training.compile_and_fit(model, X_tr, y_tr, **kwargs)


def test_compile_and_fit_min_delta_stops_a_run_that_only_polishes(capsys):
    X_tr, y_tr, X_va, y_va = _toy_data()

    def run(min_delta):
        seed_everything(3)
        model = models.build_lstm_regressor(lookback=5, units=4)
        return training.compile_and_fit(model, X_tr, y_tr, validation_data=(X_va, y_va),
                                      epochs=60, batch_size=16, patience=3, learning_rate=0.02,
                                      min_delta=min_delta, reduce_lr_patience=None).history

    strict, loose = run(0.0), run(0.05)
    assert loose["loss"] == strict["loss"][: len(loose["loss"])]   # same run, stopped sooner
    assert len(loose["loss"]) < len(strict["loss"])


def test_load_best_missing_file(tmp_path):
    with pytest.raises(DataError, match="no saved model"):
        training.load_best(tmp_path / "missing.keras")


def test_residual_lstm_adds_the_last_value_to_a_learned_change():
    from lstm_tutorial.models import LastValue, build_lstm_regressor, build_residual_lstm

    model = build_residual_lstm(lookback=5, n_features=2, units=3, target_col=1)
    assert model.count_params() == build_lstm_regressor(5, 2, 3).count_params()
    dense = model.get_layer("change")
    dense.set_weights([np.zeros_like(w) for w in dense.get_weights()])   # no change learned
    X = np.random.default_rng(0).normal(size=(4, 5, 2)).astype("float32")
    np.testing.assert_allclose(model.predict(X, verbose=0)[:, 0], X[:, -1, 1], rtol=1e-6)
    two = build_residual_lstm(lookback=5, n_features=1, units=3, horizon=2)
    assert two.output_shape == (None, 2)
    assert LastValue(1, 2).get_config()["column"] == 1
    with pytest.raises(DataError, match="target_col"):
        build_residual_lstm(lookback=5, n_features=1, target_col=1)


def test_residual_lstm_survives_save_and_load(tmp_path):
    from lstm_tutorial.models import build_residual_lstm
    from lstm_tutorial.training import load_best

    model = build_residual_lstm(lookback=4, n_features=1, units=2)
    path = tmp_path / "residual.keras"
    model.save(path)
    X = np.ones((2, 4, 1), dtype="float32")
    np.testing.assert_allclose(load_best(path).predict(X, verbose=0),
                               model.predict(X, verbose=0))


def test_qlike_log_loss_by_hand():
    # y = 1 at f = 1: ln 1 + 1/1 = 1; y = 2 at f = 2: ln 2 + 1 = 1.693147; y = 0 at f = e: 1
    y_true = np.array([[1.0, 2.0], [0.0, 0.0]])
    y_pred = np.array([[0.0, np.log(2.0)], [1.0, 1.0]])
    loss = np.asarray(models.qlike_log_loss(y_true, y_pred))
    np.testing.assert_allclose(loss, [(1.0 + 1.0 + np.log(2.0)) / 2, 1.0], rtol=1e-6)


def test_qlike_log_loss_is_smallest_at_the_mean_not_at_the_mean_log():
    # proxies 0, 1, 2, 5: mean 2. A constant forecast exp(s) costs s + 2 exp(-s) on
    # average, smallest at s = ln 2; exp(mean log) would be 0 here (a zero proxy).
    y = np.array([[0.0], [1.0], [2.0], [5.0]])
    grid = np.linspace(-1.0, 2.0, 3001)
    mean_loss = [float(np.mean(models.qlike_log_loss(y, np.full_like(y, s)))) for s in grid]
    assert grid[int(np.argmin(mean_loss))] == pytest.approx(np.log(2.0), abs=1e-3)


def test_compile_and_fit_accepts_the_qlike_loss(capsys):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(64, 3, 1)).astype("float32")
    y = rng.exponential(size=(64, 2)).astype("float32")
    seed_everything(0)
    model = models.build_lstm_regressor(lookback=3, n_features=1, units=2, horizon=2)
    history = training.compile_and_fit(model, X, y, loss=models.qlike_log_loss, epochs=2,
                                     patience=None, reduce_lr_patience=None)
    assert np.isfinite(history.history["loss"]).all() and len(history.history["loss"]) == 2
