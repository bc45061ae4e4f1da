"""lstm_tutorial.repro: the same seed gives the same trained weights."""

from __future__ import annotations

import numpy as np

from lstm_tutorial.repro import import_tensorflow, seed_everything


def train_small_model(seed: int) -> list[np.ndarray]:
    seed_everything(seed)
    import_tensorflow()
    import keras

    rng = np.random.default_rng(0)
    X = rng.normal(size=(64, 8, 2)).astype("float32")
    y = X[:, -1, :1] * 0.5
    model = keras.Sequential(
        [keras.Input((8, 2)), keras.layers.LSTM(6), keras.layers.Dropout(0.2),
         keras.layers.Dense(1)]
    )
    model.compile(optimizer="adam", loss="mse")
    model.fit(X, y, epochs=3, batch_size=16, shuffle=True, verbose=0)
    return model.get_weights()


def test_two_trainings_give_identical_weights():
    first, second = train_small_model(7), train_small_model(7)
    for a, b in zip(first, second, strict=True):
        np.testing.assert_array_equal(a, b)


def test_another_seed_gives_other_weights():
    first, other = train_small_model(7), train_small_model(8)
    assert any(not np.array_equal(a, b) for a, b in zip(first, other, strict=True))


def test_returns_the_seed():
    assert seed_everything(123) == 123
