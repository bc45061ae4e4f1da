"""lstm_tutorial.long_memory: the marked-value task, its trivial predictor, the lag experiment."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lstm_tutorial.errors import DataError
from lstm_tutorial.long_memory import (
    lag_experiment,
    lag_table,
    marked_value_task,
    recall_regressor,
    relative_error,
    trivial_mse,
)


def test_marked_value_task_by_hand():
    X, y, marked = marked_value_task(4, length=5, lag=3, seed=1)
    assert X.shape == (4, 5, 2) and y.shape == (4, 1) and marked.shape == (4,)
    assert X.dtype == np.float32 and y.dtype == np.float32
    for k in range(4):
        marker = X[k, :, 1]
        assert marker.tolist().count(1.0) == 1 and marker.tolist().count(0.0) == 4
        m = int(np.flatnonzero(marker)[0])
        assert m == marked[k]
        assert m <= 5 - 1 - 3                 # at least `lag` steps before the last step
        assert y[k, 0] == X[k, m, 0]          # the target is the marked value itself
    assert (np.abs(X[:, :, 0]) <= 1).all()


def test_the_smallest_length_puts_the_marker_on_the_first_step():
    X, y, marked = marked_value_task(3, length=4, lag=3, seed=0)
    assert marked.tolist() == [0, 0, 0]
    np.testing.assert_array_equal(y[:, 0], X[:, 0, 0])
    np.testing.assert_array_equal(X[:, :, 1], np.tile([1.0, 0.0, 0.0, 0.0], (3, 1)))


def test_marker_positions_cover_the_allowed_range_and_seeds_repeat():
    _, _, marked = marked_value_task(2000, length=14, lag=10, seed=3)
    assert sorted(set(marked.tolist())) == [0, 1, 2, 3]
    a = marked_value_task(5, 14, 10, seed=3)
    b = marked_value_task(5, 14, 10, seed=3)
    c = marked_value_task(5, 14, 10, seed=4)
    assert all(np.array_equal(u, v) for u, v in zip(a, b, strict=True))
    assert not np.array_equal(a[0], c[0])


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n": 2, "length": 5, "lag": 5}, "at least lag \\+ 1 = 6"),
        ({"n": 0, "length": 5, "lag": 2}, "n must be a positive integer"),
        ({"n": 2, "length": 5, "lag": 0}, "lag must be a positive integer"),
    ],
)
def test_marked_value_task_rejects_impossible_shapes(kwargs, match):
    with pytest.raises(DataError, match=match):
        marked_value_task(**kwargs)


def test_trivial_and_relative_error_by_hand():
    y = np.array([[0.5], [-1.0], [0.0], [0.5]])
    assert trivial_mse(y) == pytest.approx((0.25 + 1.0 + 0.0 + 0.25) / 4)
    assert relative_error(y, np.zeros_like(y)) == pytest.approx(1.0)
    assert relative_error(y, y) == 0.0
    pred = y + np.array([[0.1], [-0.1], [0.1], [-0.1]])
    assert relative_error(y, pred) == pytest.approx(0.01 / 0.375)
    # the trivial error of uniform values on [-1, 1] is their variance, 1/3
    _, y_big, _ = marked_value_task(20000, 12, 10, seed=0)
    assert trivial_mse(y_big) == pytest.approx(1 / 3, rel=0.02)
    with pytest.raises(DataError, match="must match"):
        relative_error(y, y[:2])
    with pytest.raises(DataError, match="empty"):
        trivial_mse([])


def test_recall_regressor_sizes_and_forget_bias():
    from lstm_tutorial.params import dense_param_count, lstm_param_count, rnn_param_count

    rnn = recall_regressor("rnn", 32, length=20)
    lstm = recall_regressor("lstm", 16, length=20, forget_bias=5.0)
    assert [layer.name for layer in rnn.layers] == ["sequence", "rnn", "forecast"]
    assert rnn.input_shape == (None, 20, 2) and rnn.output_shape == (None, 1)
    assert rnn.count_params() == rnn_param_count(2, 32) + dense_param_count(32, 1) == 1153
    assert lstm.count_params() == lstm_param_count(2, 16) + dense_param_count(16, 1) == 1233
    bias = lstm.get_layer("lstm").get_weights()[2]
    np.testing.assert_array_equal(bias[16:32], 5.0)           # forget block set
    np.testing.assert_array_equal(bias[:16], 0.0)             # input, candidate and output
    np.testing.assert_array_equal(bias[32:], 0.0)             # blocks untouched
    default = recall_regressor("lstm", 16, length=20).get_layer("lstm").get_weights()[2]
    np.testing.assert_array_equal(default[16:32], 1.0)        # Keras' unit_forget_bias
    with pytest.raises(DataError, match="no forget gate"):
        recall_regressor("rnn", 8, length=20, forget_bias=3.0)
    with pytest.raises(DataError, match="not known"):
        recall_regressor("gru", 8, length=20)


def test_lag_experiment_trains_every_model_at_every_lag():
    builders = {"RNN": lambda length: recall_regressor("rnn", 4, length),
                "LSTM": lambda length: recall_regressor("lstm", 2, length)}
    results, runs = lag_experiment(builders, lags=(2, 3), seeds=(0, 1), n_train=40, n_val=20,
                                   n_test=20, pad=2, batch_size=20, epochs=3, patience=2,
                                   learning_rate=0.01)
    assert list(results.columns) == ["model", "lag", "seed", "relative error", "epochs run",
                                     "best epoch", "solved at", "longest wait",
                                     "final train drop"]
    assert len(results) == 2 * 2 * 2
    assert set(runs) == {("RNN", 2), ("RNN", 3), ("LSTM", 2), ("LSTM", 3)}
    assert runs[("LSTM", 3)][0].model.input_shape == (None, 3 + 2, 2)   # length = lag + pad
    assert (results["relative error"] > 0).all()
    assert (results["epochs run"] <= 3).all()
    # the relative error is the test MSE over the trivial one, recomputed here by hand
    X_test, y_test, _ = marked_value_task(20, 5, 3, seed=2)
    run = runs[("RNN", 3)][1]
    row = results[(results["model"] == "RNN") & (results["lag"] == 3) & (results["seed"] == 1)]
    expected = relative_error(y_test, run.model.predict(X_test, verbose=0))
    assert float(row["relative error"].iloc[0]) == pytest.approx(expected, rel=1e-4)
    # the progress columns are training_progress of each run's History
    from lstm_tutorial.long_memory import training_progress

    X, y, _ = marked_value_task(40, 5, 3, seed=0)
    _, y_val, _ = marked_value_task(20, 5, 3, seed=1)
    by_hand = training_progress(run.history.history, trivial_mse(y), trivial_mse(y_val),
                                window=2)
    assert row[list(by_hand)].iloc[0].to_dict() == pytest.approx(by_hand, nan_ok=True)
    with pytest.raises(DataError, match="builders is empty"):
        lag_experiment({}, lags=(2,))


def test_lag_experiment_overrides_one_models_training():
    builders = {"A": lambda length: recall_regressor("rnn", 2, length),
                "B": lambda length: recall_regressor("rnn", 2, length)}
    results, runs = lag_experiment(builders, lags=(2,), seeds=(0,), n_train=20, n_val=20,
                                   n_test=20, pad=2, batch_size=20, epochs=3, patience=2,
                                   workers=1, overrides={"B": {"clipnorm": 0.5, "epochs": 1}})
    assert runs[("A", 2)][0].model.optimizer.clipnorm is None
    assert runs[("B", 2)][0].model.optimizer.clipnorm == 0.5
    assert results.set_index("model")["epochs run"].to_dict() == {"A": 3, "B": 1}


def test_training_progress_by_hand():
    from lstm_tutorial.long_memory import training_progress

    # validation MSE over a trivial MSE of 2: 1.0, 0.9975, 0.995, 0.995, 0.995, 0.3, 0.15, 0.1
    val = [2.0, 1.995, 1.99, 1.99, 1.99, 0.6, 0.3, 0.2]
    loss = [1.0, 1.0, 0.9, 0.9, 0.9, 0.3, 0.1, 0.1]
    got = training_progress({"val_loss": val, "loss": loss}, 0.5, 2.0, min_delta=0.015,
                            window=3)
    # solved means val / 2 below 0.1; 0.2 / 2 = 0.1 at epoch 8 is not below it: never solved
    assert np.isnan(got["solved at"])
    # progress (by more than 0.015) at epochs 1, 6, 7, 8: epochs 2 to 5 without, a wait of 4
    assert got["longest wait"] == 4
    # best training loss before the last 3 epochs 0.9, within them 0.1: (0.9 - 0.1) / 0.5
    assert got["final train drop"] == pytest.approx(1.6)
    got = training_progress({"val_loss": val, "loss": loss}, 0.5, 2.0, min_delta=0.015,
                            window=3, solved_below=0.2)
    assert got["solved at"] == 7                   # 0.3 / 2 = 0.15 < 0.2
    assert got["longest wait"] == 4                # counted up to epoch 7
    flat = training_progress({"val_loss": val, "loss": [1.0] * 8}, 0.5, 2.0, window=3)
    assert flat["final train drop"] == 0
    assert np.isnan(training_progress({"val_loss": val, "loss": loss}, 0.5, 2.0,
                                      window=8)["final train drop"])


def test_recall_regressor_identity_start():
    model = recall_regressor("rnn", 4, length=6, recurrent_initializer="identity")
    np.testing.assert_array_equal(model.get_layer("rnn").get_weights()[1], np.eye(4))
    default = recall_regressor("rnn", 4, length=6).get_layer("rnn").get_weights()[1]
    np.testing.assert_allclose(default.T @ default, np.eye(4), atol=1e-5)   # orthogonal


def test_lag_table_summarises_seeds_in_model_order():
    results = pd.DataFrame({
        "model": ["RNN"] * 4 + ["LSTM"] * 4,
        "lag": [50, 50, 10, 10] * 2,
        "relative error": [1.0, 0.05, 0.01, 0.03, 0.2, 0.004, 0.002, 0.004],
    })
    table = lag_table(results)
    assert table.index.tolist() == [("RNN", 10), ("RNN", 50), ("LSTM", 10), ("LSTM", 50)]
    assert table.loc[("RNN", 50), "mean"] == pytest.approx(0.525)
    assert table.loc[("RNN", 50), "min"] == pytest.approx(0.05)
    assert table.loc[("RNN", 50), "max"] == pytest.approx(1.0)
    assert table["solved"].tolist() == ["2 of 2", "1 of 2", "2 of 2", "1 of 2"]
    assert lag_table(results, solved_below=0.5)["solved"].tolist()[-1] == "2 of 2"
    # Wilson score intervals: 2 of 2 -> (1 / (1 + z²/2), 1), 1 of 2 symmetric about 1/2
    z2 = 1.959963984540054 ** 2
    assert table.loc[("RNN", 10), "rate low"] == pytest.approx(2 / (2 + z2))
    assert table.loc[("RNN", 10), "rate high"] == pytest.approx(1.0)
    low, high = table.loc[("RNN", 50), ["rate low", "rate high"]]
    assert low == pytest.approx(1 - high) and 0 < low < 0.5 < high < 1
    wider = lag_table(results, confidence=0.99)
    assert wider.loc[("RNN", 10), "rate low"] < table.loc[("RNN", 10), "rate low"]
    with pytest.raises(DataError, match="lacks the column"):
        lag_table(results.drop(columns="lag"))


def test_gate_profile_by_hand():
    from lstm_tutorial.long_memory import gate_profile

    # 2 sequences, 4 steps, 2 units; unit 1 is unit 0 doubled
    g = np.array([[[0.1], [0.8], [0.3], [0.5]],
                  [[0.2], [0.4], [0.9], [0.1]]])
    g = np.concatenate([g, 2 * g], axis=-1)
    table = gate_profile(g, np.array([1, 2]))
    assert table.index.name == "unit" and list(table.columns) == ["before", "at", "after"]
    # before: steps 0 (seq 0) and 0, 1 (seq 1); at: 0.8 and 0.9; after: 2, 3 (seq 0) and 3
    np.testing.assert_allclose(table.loc[0], [(0.1 + 0.2 + 0.4) / 3, (0.8 + 0.9) / 2,
                                              (0.3 + 0.5 + 0.1) / 3])
    np.testing.assert_allclose(table.loc[1], 2 * table.loc[0])
    with pytest.raises(DataError, match="expected \\(B, T, H\\)"):
        gate_profile(g, np.array([1]))
