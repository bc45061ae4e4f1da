"""Parameter arithmetic: count a layer's weights by formula and check Keras agrees.

With D inputs per time step and H hidden units (Keras layer names in brackets):

==================  ==================================  ==========================
layer               formula                             why
==================  ==================================  ==========================
LSTM                4·(D·H + H² + H)                    4 gates (i, f, c̃, o), each
                                                        with W (D×H), U (H×H), b (H)
GRU (reset_after)   3·(D·H + H² + 2·H)                  3 gates (z, r, h̃), and Keras'
                                                        default keeps two biases each
GRU (reset_before)  3·(D·H + H² + H)                    the original Cho et al. form
SimpleRNN           D·H + H² + H                        one tanh layer
Dense               N·M + M                             N inputs, M outputs
Dropout, Flatten    0                                   no weights
==================  ==================================  ==========================

PyTorch's recurrent layers (``nn.LSTM``, ``nn.GRU``, ``nn.RNN``) keep two bias
vectors per gate, ``b_ih`` and ``b_hh``, where Keras' LSTM and SimpleRNN keep
one: ``framework="pytorch"`` counts them (an ``nn.LSTM`` has
4·(D·H + H² + 2·H)). Nothing here imports PyTorch.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from lstm_tutorial.errors import DataError, positive_int

__all__ = [
    "FRAMEWORKS",
    "dense_param_count",
    "gru_param_count",
    "lstm_param_count",
    "param_table",
    "rnn_param_count",
]

PARAM_TABLE_COLUMNS = [
    "layer",
    "type",
    "output shape",
    "formula",
    "formula count",
    "Keras count",
    "equal",
]


# The libraries whose layer layouts the counts know.
FRAMEWORKS = ("keras", "pytorch")


def _bias_vectors(framework: str) -> int:
    """Bias vectors per gate of a recurrent layer: 1 in Keras (LSTM, SimpleRNN), 2 in PyTorch."""
    if framework not in FRAMEWORKS:
        raise DataError(f"framework must be one of {FRAMEWORKS}, got {framework!r}")
    return 2 if framework == "pytorch" else 1


def _check_sizes(**sizes: int) -> None:
    """Raise `DataError` unless every size is a positive integer."""
    for name, value in sizes.items():
        positive_int(name, value, "a layer size")


def lstm_param_count(d: int, h: int, use_bias: bool = True, framework: str = "keras") -> int:
    """Parameters of an LSTM layer: ``4·(d·h + h² + h)`` in Keras.

    Each of the four gates (input, forget, candidate, output) has an input
    kernel ``d×h``, a recurrent kernel ``h×h`` and a bias ``h``. PyTorch's
    ``nn.LSTM`` adds its input and recurrent biases separately (``b_ih`` and
    ``b_hh``, ``h`` each per gate): ``4·(d·h + h² + 2·h)``.

    Parameters
    ----------
    d : int
        Input features per time step.
    h : int
        Hidden units.
    use_bias : bool
        ``False`` drops the bias terms (PyTorch's ``bias=False``).
    framework : {"keras", "pytorch"}
        Whose layout to count. Anything else raises `DataError`.

    Examples
    --------
    >>> lstm_param_count(1, 128), lstm_param_count(128, 64), lstm_param_count(4, 128)
    (66560, 49408, 68096)
    >>> lstm_param_count(1, 50, framework="pytorch") - lstm_param_count(1, 50)
    200
    """
    _check_sizes(d=d, h=h)
    biases = _bias_vectors(framework) * h if use_bias else 0
    return 4 * (d * h + h * h + biases)


def gru_param_count(d: int, h: int, reset_after: bool = True, use_bias: bool = True,
                    framework: str = "keras") -> int:
    """Parameters of a GRU layer.

    ``reset_after=True`` (Keras' default, the cuDNN-compatible form) keeps
    separate input and recurrent biases: ``3·(d·h + h² + 2·h)``.
    ``reset_after=False`` (the original form) has one bias per gate:
    ``3·(d·h + h² + h)``. PyTorch's ``nn.GRU`` is the reset-after form, so
    ``framework="pytorch"`` counts like Keras' default and refuses
    ``reset_after=False``.

    Examples
    --------
    >>> gru_param_count(1, 64), gru_param_count(1, 64, reset_after=False)
    (12864, 12672)
    >>> gru_param_count(1, 64, framework="pytorch")
    12864
    """
    _check_sizes(d=d, h=h)
    if _bias_vectors(framework) == 2 and not reset_after:
        raise DataError("PyTorch's nn.GRU applies the reset gate after the recurrent product "
                        "(reset_after=True); it has no reset_after=False form")
    biases = (2 * h if reset_after else h) if use_bias else 0
    return 3 * (d * h + h * h + biases)


def rnn_param_count(d: int, h: int, use_bias: bool = True, framework: str = "keras") -> int:
    """Parameters of a plain (Elman, ``SimpleRNN``) layer: ``d·h + h² + h``.

    PyTorch's ``nn.RNN`` has two biases (``b_ih``, ``b_hh``): ``d·h + h² + 2·h``.

    Examples
    --------
    >>> rnn_param_count(1, 32), rnn_param_count(1, 32, framework="pytorch")
    (1088, 1120)
    """
    _check_sizes(d=d, h=h)
    return d * h + h * h + (_bias_vectors(framework) * h if use_bias else 0)


def dense_param_count(n: int, m: int, use_bias: bool = True) -> int:
    """Parameters of a Dense layer from ``n`` inputs to ``m`` outputs: ``n·m + m``.

    Examples
    --------
    >>> dense_param_count(64, 25), dense_param_count(25, 1)
    (1625, 26)
    """
    _check_sizes(n=n, m=m)
    return n * m + (m if use_bias else 0)


# --------------------------------------------------------------------------- the table
def _input_width(layer: Any) -> int:
    """Features per step entering ``layer`` (last axis of its input)."""
    try:
        return int(layer.input.shape[-1])
    except (AttributeError, ValueError, TypeError):
        owner = layer.cell if hasattr(layer, "cell") else layer
        return int(owner.kernel.shape[0])


def _formula(layer: Any, d: int, framework: str = "keras") -> tuple[str, int]:
    """``(formula text, count)`` for one layer whose input has ``d`` features."""
    kind = type(layer).__name__
    bias = getattr(layer, "use_bias", True)
    two = _bias_vectors(framework) == 2
    if kind == "LSTM":
        h = layer.units
        b = (f" + 2·{h}" if two else f" + {h}") if bias else ""
        return f"4·({d}·{h} + {h}²{b})", lstm_param_count(d, h, bias, framework)
    if kind == "GRU":
        h = layer.units
        b = (f" + 2·{h}" if layer.reset_after else f" + {h}") if bias else ""
        count = gru_param_count(d, h, layer.reset_after, bias, framework)
        return f"3·({d}·{h} + {h}²{b})", count
    if kind == "SimpleRNN":
        h = layer.units
        b = (f" + 2·{h}" if two else f" + {h}") if bias else ""
        return f"{d}·{h} + {h}²{b}", rnn_param_count(d, h, bias, framework)
    if kind == "Dense":
        m = layer.units
        return f"{d}·{m}" + (f" + {m}" if bias else ""), dense_param_count(d, m, bias)
    if kind == "TimeDistributed":
        return _formula(layer.layer, d, framework)  # the same weights, applied at every step
    if kind == "Bidirectional":
        text, count = _formula(layer.forward_layer, d, framework)
        back_text, back_count = _formula(layer.backward_layer, d, framework)
        if back_text == text:
            return f"2·({text})", 2 * count
        return f"({text}) + ({back_text})", count + back_count
    if layer.count_params() == 0:
        return "0", 0
    raise DataError(
        f"layer {layer.name!r} ({kind}) has {layer.count_params()} parameters but param_table "
        "has no formula for it; it knows LSTM, GRU, SimpleRNN, Dense, TimeDistributed, "
        "Bidirectional and weightless layers (Dropout, Flatten, ...)"
    )


def _type_name(layer: Any) -> str:
    """``"LSTM"``, or ``"TimeDistributed(Dense)"`` for wrappers."""
    kind = type(layer).__name__
    inner = getattr(layer, "layer", None) or getattr(layer, "forward_layer", None)
    return f"{kind}({type(inner).__name__})" if inner is not None and kind != "Sequential" else kind


def _output_shape(layer: Any) -> str:
    output = layer.output
    shapes = [o.shape for o in output] if isinstance(output, (list, tuple)) else [output.shape]
    text = ", ".join(str(tuple(s)) for s in shapes)
    return text if len(shapes) == 1 else f"[{text}]"


def param_table(model: Any, framework: str = "keras") -> pd.DataFrame:
    """One row per layer: the parameter formula next to Keras' own count.

    Columns: ``layer``, ``type``, ``output shape``, ``formula`` (as text, e.g.
    ``"4·(1·128 + 128² + 128)"``), ``formula count``, ``Keras count``
    (``layer.count_params()``) and ``equal``. The input layer is left out; the
    ``formula count`` column sums to ``model.count_params()``.

    Parameters
    ----------
    model : keras.Model
        A built model (for example from `lstm_tutorial.models`).
    framework : {"keras", "pytorch"}
        ``"pytorch"`` gives the formula and count of the same layer built with
        PyTorch (``nn.LSTM``, ``nn.GRU``, ``nn.RNN``, ``nn.Linear``); its
        ``equal`` column then shows where PyTorch's count differs from Keras'.

    Examples
    --------
    >>> from lstm_tutorial.models import build_stacked_lstm
    >>> table = param_table(build_stacked_lstm())
    >>> table["formula"].tolist()
    ['4·(1·128 + 128² + 128)', '4·(128·64 + 64² + 64)', '64·25 + 25', '25·1 + 1']
    >>> int(table["formula count"].sum())
    117619
    >>> param_table(build_stacked_lstm(), framework="pytorch")["formula"].tolist()[:2]
    ['4·(1·128 + 128² + 2·128)', '4·(128·64 + 64² + 2·64)']
    """
    _bias_vectors(framework)  # refuse an unknown framework before looking at the model
    if not getattr(model, "built", False):
        raise DataError(
            "the model is not built, so its layers have no weights yet; "
            "start it with keras.Input(shape=(lookback, n_features)) or call model.build(...)"
        )
    rows = []
    for layer in model.layers:
        if type(layer).__name__ == "InputLayer":
            continue
        text, count = _formula(layer, _input_width(layer), framework)
        keras_count = int(layer.count_params())
        rows.append(
            {
                "layer": layer.name,
                "type": _type_name(layer),
                "output shape": _output_shape(layer),
                "formula": text,
                "formula count": count,
                "Keras count": keras_count,
                "equal": count == keras_count,
            }
        )
    return pd.DataFrame(rows, columns=PARAM_TABLE_COLUMNS)
