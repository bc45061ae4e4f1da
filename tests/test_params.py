"""Parameter formulas against Keras' own counts, layer by layer."""

from __future__ import annotations

import pytest

from lstm_tutorial import models
from lstm_tutorial.errors import DataError
from lstm_tutorial.params import (
    PARAM_TABLE_COLUMNS,
    dense_param_count,
    gru_param_count,
    lstm_param_count,
    param_table,
    rnn_param_count,
)
from lstm_tutorial.repro import import_tensorflow

import_tensorflow()
import keras  # noqa: E402

BUILDERS = {
    "lstm_regressor": models.build_lstm_regressor,
    "gru_regressor": models.build_gru_regressor,
    "stacked_lstm": models.build_stacked_lstm,
    "stacked_lstm_4_features": lambda: models.build_stacked_lstm(n_features=4),
    "dropout_lstm": models.build_dropout_lstm,
    "0050_lstm": models.build_0050_lstm,
    "0050_gru_small": lambda: models.build_0050_lstm(units=32, cell="gru"),
    "seq2seq_lstm": models.build_seq2seq_lstm,
    "seq2seq_gru": lambda: models.build_seq2seq_lstm(cell="gru", horizon=3),
}


def _layer_count(layer: keras.layers.Layer, d: int, steps: int = 7) -> int:
    keras.Sequential([keras.Input(shape=(steps, d)), layer])
    return layer.count_params()


def test_the_books_numbers():
    assert lstm_param_count(1, 128) == 66_560
    assert lstm_param_count(128, 64) == 49_408
    assert dense_param_count(64, 25) == 1_625
    assert dense_param_count(25, 1) == 26
    assert lstm_param_count(4, 128) == 68_096
    assert lstm_param_count(1, 128) + lstm_param_count(128, 64) + 1_625 + 26 == 117_619


@pytest.mark.parametrize("d, h", [(1, 4), (3, 32), (128, 64)])
def test_formulas_match_keras_layers(d, h):
    assert lstm_param_count(d, h) == _layer_count(keras.layers.LSTM(h), d)
    assert lstm_param_count(d, h, use_bias=False) == _layer_count(
        keras.layers.LSTM(h, use_bias=False), d
    )
    assert gru_param_count(d, h) == _layer_count(keras.layers.GRU(h), d)
    assert gru_param_count(d, h, reset_after=False) == _layer_count(
        keras.layers.GRU(h, reset_after=False), d
    )
    assert rnn_param_count(d, h) == _layer_count(keras.layers.SimpleRNN(h), d)
    assert dense_param_count(d, h) == _layer_count(keras.layers.Dense(h), d)


def test_gru_reset_after_adds_one_bias_vector_per_gate():
    assert gru_param_count(1, 64) - gru_param_count(1, 64, reset_after=False) == 3 * 64
    assert gru_param_count(1, 64) == 3 * (1 * 64 + 64**2 + 2 * 64) == 12_864


@pytest.mark.parametrize("bad", [0, -3, 2.5, True])
def test_bad_sizes_raise(bad):
    with pytest.raises(DataError, match="positive integer"):
        lstm_param_count(bad, 4)
    with pytest.raises(DataError, match="positive integer"):
        dense_param_count(4, bad)


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_formula_column_sums_to_count_params(name):
    model = BUILDERS[name]()
    table = param_table(model)
    assert list(table.columns) == PARAM_TABLE_COLUMNS
    assert int(table["formula count"].sum()) == model.count_params()
    assert int(table["Keras count"].sum()) == model.count_params()
    assert table["equal"].all()
    assert "InputLayer" not in set(table["type"])
    assert len(table) == len(model.layers) - 1


def test_stacked_table_row_by_row():
    table = param_table(models.build_stacked_lstm()).set_index("layer")
    assert table["formula count"].to_dict() == {
        "lstm_1": 66_560,
        "lstm_2": 49_408,
        "dense": 1_625,
        "forecast": 26,
    }
    assert table.loc["lstm_1", "formula"] == "4·(1·128 + 128² + 128)"
    assert table.loc["lstm_2", "formula"] == "4·(128·64 + 64² + 64)"
    assert table.loc["dense", "formula"] == "64·25 + 25"
    assert table.loc["lstm_1", "output shape"] == "(None, 60, 128)"
    assert table.loc["lstm_2", "output shape"] == "(None, 64)"


def test_four_features_change_only_the_first_lstm():
    table = param_table(models.build_stacked_lstm(n_features=4)).set_index("layer")
    assert table.loc["lstm_1", "formula count"] == 68_096
    assert table.loc["lstm_1", "formula"] == "4·(4·128 + 128² + 128)"
    assert table.loc["lstm_2", "formula count"] == 49_408


def test_0050_table_has_wrapper_and_weightless_rows():
    table = param_table(models.build_0050_lstm()).set_index("layer")
    assert table.loc["per_day", "type"] == "TimeDistributed(Dense)"
    assert table.loc["per_day", "formula"] == "256·1 + 1"
    assert table.loc["flatten", "formula count"] == 0
    assert table.loc["dense", "formula"] == "5·5 + 5"
    assert int(table["formula count"].sum()) == 790_821


def test_gru_simple_rnn_bidirectional_and_no_bias_rows():
    model = keras.Sequential(
        [
            keras.Input(shape=(10, 3)),
            keras.layers.GRU(8, reset_after=False, return_sequences=True, name="gru_v1"),
            keras.layers.GRU(8, return_sequences=True, name="gru_v3"),
            keras.layers.Bidirectional(keras.layers.SimpleRNN(4), name="birnn"),
            keras.layers.Dense(2, use_bias=False, name="head"),
        ]
    )
    table = param_table(model).set_index("layer")
    assert table.loc["gru_v1", "formula"] == "3·(3·8 + 8² + 8)"
    assert table.loc["gru_v3", "formula"] == "3·(8·8 + 8² + 2·8)"
    assert table.loc["birnn", "formula"] == "2·(8·4 + 4² + 4)"
    assert table.loc["head", "formula"] == "8·2"
    assert table["equal"].all()
    assert int(table["formula count"].sum()) == model.count_params()


def test_layer_without_a_formula_raises():
    model = keras.Sequential([keras.Input(shape=(10, 3)), keras.layers.Conv1D(4, 3, name="conv")])
    with pytest.raises(DataError, match="'conv' \\(Conv1D\\).*no formula"):
        param_table(model)


# ----------------------------------------------------------------- PyTorch's layout
def _pytorch_lstm(d: int, h: int) -> int:
    """nn.LSTM's tensors: weight_ih (4H×D), weight_hh (4H×H), bias_ih (4H), bias_hh (4H)."""
    return 4 * h * d + 4 * h * h + 4 * h + 4 * h


@pytest.mark.parametrize("d, h", [(1, 128), (128, 64), (4, 128), (2, 256), (256, 256), (1, 50),
                                  (1, 64)])
def test_pytorch_lstm_count_is_four_gates_with_two_biases(d, h):
    assert lstm_param_count(d, h, framework="pytorch") == _pytorch_lstm(d, h)
    assert lstm_param_count(d, h, framework="pytorch") - lstm_param_count(d, h) == 4 * h
    assert lstm_param_count(d, h, use_bias=False, framework="pytorch") == lstm_param_count(
        d, h, use_bias=False)


def test_pytorch_counts_of_the_books_lstm_layers():
    # the stacked 128/64/25/1 model's two LSTM layers, the 0050 model's, D=1/H=50
    assert lstm_param_count(1, 128, framework="pytorch") == 66_560 + 512
    assert lstm_param_count(128, 64, framework="pytorch") == 49_408 + 256
    assert lstm_param_count(2, 256, framework="pytorch") == 4 * (2 * 256 + 256**2 + 2 * 256)
    assert lstm_param_count(256, 256, framework="pytorch") == 4 * (256 * 256 + 256**2 + 512)
    assert lstm_param_count(1, 50, framework="pytorch") == 10_600


def test_pytorch_gru_and_rnn_counts():
    assert gru_param_count(1, 64, framework="pytorch") == gru_param_count(1, 64) == 12_864
    assert rnn_param_count(1, 32, framework="pytorch") == 1 * 32 + 32**2 + 2 * 32
    with pytest.raises(DataError, match="reset_after"):
        gru_param_count(1, 64, reset_after=False, framework="pytorch")


@pytest.mark.parametrize("bad", ["torch", "Keras", "", None])
def test_unknown_framework_is_refused(bad):
    for count in (lstm_param_count, gru_param_count, rnn_param_count):
        with pytest.raises(DataError, match="framework must be one of"):
            count(1, 8, framework=bad)
    with pytest.raises(DataError, match="framework must be one of"):
        param_table(models.build_stacked_lstm(), framework=bad)


def test_param_table_for_pytorch_differs_only_in_the_recurrent_layers():
    model = models.build_stacked_lstm()
    keras_table = param_table(model)
    torch_table = param_table(model, framework="pytorch")
    assert torch_table["formula"].tolist()[:2] == ["4·(1·128 + 128² + 2·128)",
                                                  "4·(128·64 + 64² + 2·64)"]
    diff = (torch_table["formula count"] - keras_table["formula count"]).tolist()
    assert diff == [4 * 128, 4 * 64, 0, 0]
    assert torch_table["equal"].tolist() == [False, False, True, True]
    assert (torch_table["Keras count"] == keras_table["Keras count"]).all()


def test_param_table_for_pytorch_on_the_0050_model():
    table = param_table(models.build_0050_lstm(), framework="pytorch")
    lstm_rows = table[table["type"] == "LSTM"]
    assert lstm_rows["formula count"].tolist() == [_pytorch_lstm(2, 256),
                                                   _pytorch_lstm(256, 256)]
    assert table.loc[~table["type"].isin(["LSTM"]), "equal"].all()
