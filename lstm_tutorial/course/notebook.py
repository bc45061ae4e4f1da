"""Helpers for the chapters' prose and outputs: numbers that are the same on every CPU.

The book states no number that code did not print. Chapters store numbers with
myst-nb's ``glue`` and the markdown shows them with ``{glue:text}`name:.2f```.

``pytest --nbval`` compares every committed output with a fresh run on the
reader's machine. BLAS kernels and SIMD paths differ between CPUs in the last
bits, so no compared output may carry more digits than the computation can
promise: `glue_number` rounds what it glues, and `overprecise_numbers` finds
any output that shows more than `MAX_SIGNIFICANT` significant digits.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Iterator, Mapping
from typing import NamedTuple

__all__ = ["MAX_SIGNIFICANT", "Overprecise", "glue_number", "glue_results", "glued_values",
           "overprecise_numbers",
           "p_text", "round_significant", "show_table", "significant_digits"]

# At most this many significant digits in any compared output (the book's rule: "about 7").
MAX_SIGNIFICANT = 7
# What glue_number keeps by default: one digit of margin below MAX_SIGNIFICANT.
GLUE_SIGNIFICANT = 6


def round_significant(value: float, significant: int = GLUE_SIGNIFICANT) -> float:
    """``value`` rounded to ``significant`` significant digits (0, NaN and inf unchanged).

    Examples
    --------
    >>> round_significant(0.19439111109434307)
    0.194391
    >>> round_significant(3.942048323324343e-07, 3)
    3.94e-07
    """
    value = float(value)
    if value == 0 or not math.isfinite(value):
        return value
    return float(f"{value:.{significant}g}")


def glue_number(name: str, value: numbers.Real, digits: int | None = None,
                significant: int = GLUE_SIGNIFICANT):
    """Glue ``value`` under ``name`` for the prose, as a plain Python number.

    Integers stay integers. A float is rounded to ``digits`` decimals if given
    (for results of training, whose last digits differ between machines), and
    in any case to at most ``significant`` significant digits, so that the
    stored text is the same on every CPU (a float of ``10**(significant-1)``
    or more, a whole number after that rounding, is glued as an int). A plain
    float (not ``np.float64``) is what ``{glue:text}`` format specs such as
    ``:.2f`` can format.

    Returns nothing, so a cell that ends with it shows no output.

    Examples
    --------
    >>> import numpy as np
    >>> glue_number("skill", np.float64(-0.012345678))  # glued as -0.0123457
    >>> glue_number("rmse", 4.91234567, digits=3)         # glued as 4.912
    >>> glue_number("rows", np.int64(3270))
    """
    from myst_nb import glue

    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"glue_number takes a real number, got {value!r}")
    if isinstance(value, numbers.Integral):
        value = int(value)
    else:
        value = float(value) if digits is None else round(float(value), digits)
        value = round_significant(value, significant)
        if abs(value) >= 10 ** (significant - 1):  # whole now: "5356690", not "5356690.0"
            value = int(value)
    glue(name, value, display=False)


def glue_results(results: Mapping[str, object], digits: int | None = None,
                 prefix: str = "") -> None:
    """Glue every entry of ``results`` for the prose, under ``prefix + key``.

    One call replaces a column of `glue_number` calls: numbers go through
    `glue_number` (rounded as it rounds, ``digits`` decimals if given), strings
    and dates are glued as text (a date as ``YYYY-MM-DD``). Anything else is
    refused, so that no unrounded array or table reaches the prose.

    Returns nothing, so a cell that ends with it shows no output.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> glue_results({"rows": np.int64(3270), "rmse": 0.92541234,
    ...               "first": pd.Timestamp("2000-03-01")}, prefix="aapl_")
    >>> glue_results({"table": np.zeros(3)})
    Traceback (most recent call last):
    ...
    TypeError: glue_results: 'table' is a ndarray; glue numbers, strings or dates
    """
    import datetime as dt

    from myst_nb import glue

    for key, value in results.items():
        if not isinstance(value, (numbers.Real, str, dt.date)) or isinstance(value, bool):
            raise TypeError(f"glue_results: {key!r} is a {type(value).__name__}; "
                            "glue numbers, strings or dates")
    for key, value in results.items():
        name = f"{prefix}{key}"
        if isinstance(value, str):
            glue(name, value, display=False)
        elif isinstance(value, dt.date):
            glue(name, f"{value:%Y-%m-%d}", display=False)
        else:
            glue_number(name, value, digits=digits)


def show_table(table, digits: int = 3):
    """A table for display: floats rounded to ``digits`` decimals, NaN shown as "n/a".

    Chapters end a cell with it instead of the raw table, so that the printed
    precision is stated (and the same on every CPU) and a value that does not
    exist (the naive forecast's direction accuracy, its own DM test) reads "n/a".

    Examples
    --------
    >>> import pandas as pd
    >>> show_table(pd.DataFrame({"RMSE": [0.92541, 1.5], "DM p": [0.0312, float("nan")]},
    ...                         index=["model", "naive"]))
            RMSE   DM p
    model  0.925  0.031
    naive  1.500    n/a
    """
    import pandas as pd

    out = table.copy()
    for col in out.columns:
        if pd.api.types.is_float_dtype(out[col]):
            out[col] = [("n/a" if pd.isna(v) else f"{v:.{digits}f}") for v in out[col]]
    return out


def p_text(p: float, digits: int = 3) -> str:
    """A p-value as text: ``"< 0.001"`` below ``10**-digits``, else ``digits`` decimals.

    Tables and prose show p-values with it, so that a tiny p reads "< 0.001"
    rather than "0.000" (which would claim p = 0). NaN (a model against
    itself) reads "n/a".

    Examples
    --------
    >>> p_text(0.04123), p_text(3e-7), p_text(float("nan"))
    ('0.041', '< 0.001', 'n/a')
    """
    p = float(p)
    if math.isnan(p):
        return "n/a"
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"a p-value lies in [0, 1], got {p!r}")
    limit = 10.0 ** -digits
    return f"< {limit:.{digits}f}" if p < limit else f"{p:.{digits}f}"


# ----------------------------------------------------------------------------- checking
# A decimal number with a point or an exponent, not part of a word, a version
# string (3.15.1) or a date; integers are exact and never flagged.
_NUMBER = re.compile(
    r"(?<![\w.])[-+]?(?:\d+\.\d*|\.\d+)(?:[eE][-+]?\d+)?(?![\w.])"
    r"|(?<![\w.])[-+]?\d+[eE][-+]?\d+(?![\w.])"
)


def significant_digits(token: str) -> int:
    """How many significant digits a printed number shows (trailing zeros count).

    Examples
    --------
    >>> significant_digits("0.19439111109434307"), significant_digits("1.500"), \
significant_digits("3.94e-07")
    (17, 4, 3)
    """
    mantissa = re.sub(r"[eE].*$", "", token.lstrip("+-"))
    return len(mantissa.replace(".", "").lstrip("0"))


class Overprecise(NamedTuple):
    """One number in a notebook output that shows too many digits."""

    cell: int
    where: str
    number: str


def _output_texts(output: dict) -> Iterator[tuple[str, str]]:
    if output.get("output_type") == "stream":
        text = output.get("text", "")
        yield "stream", "".join(text) if isinstance(text, list) else text
    for mime, value in output.get("data", {}).items():
        if mime.startswith("image/"):
            continue
        yield mime, "".join(value) if isinstance(value, list) else str(value)


def overprecise_numbers(nb: dict, limit: int = MAX_SIGNIFICANT) -> list[Overprecise]:
    """Numbers in a notebook's outputs (glue records included) with more than ``limit``
    significant digits.

    Parameters
    ----------
    nb : a notebook as read by ``nbformat.read`` or ``json.load``
    limit : the most significant digits an output may show

    Returns
    -------
    list of `Overprecise` (cell index, output kind, the number as printed); empty is good.

    Examples
    --------
    >>> nb = {"cells": [{"cell_type": "code", "outputs": [{"output_type": "display_data",
    ...       "data": {"application/papermill.record/text/plain": "0.19439111109434307"}}]}]}
    >>> [(f.cell, f.number) for f in overprecise_numbers(nb)]
    [(0, '0.19439111109434307')]
    """
    found = []
    for index, cell in enumerate(nb.get("cells", [])):
        for output in cell.get("outputs", []):
            for where, text in _output_texts(output):
                found += [Overprecise(index, where, token) for token in _NUMBER.findall(text)
                          if significant_digits(token) > limit]
    return found


def glued_values(nb: dict) -> dict[str, str]:
    """Every value a notebook glued (myst-nb ``glue``), as the text stored in it.

    What the prose of a committed chapter quotes, read without running it: the
    tests check with it that no interpreted model hit its epoch cap, and an
    instructor can read a chapter's numbers the same way.

    Parameters
    ----------
    nb : a notebook as read by ``nbformat.read`` or ``json.load``

    Returns
    -------
    dict
        Glue name -> the stored ``text/plain`` (e.g. ``"0.925"``, ``"'AAPL'"``).

    Examples
    --------
    >>> nb = {"cells": [{"cell_type": "code", "outputs": [{"output_type": "display_data",
    ...       "metadata": {"scrapbook": {"name": "rmse"}},
    ...       "data": {"application/papermill.record/text/plain": "0.925"}}]}]}
    >>> glued_values(nb)
    {'rmse': '0.925'}
    """
    records = {}
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            text = output.get("data", {}).get("application/papermill.record/text/plain")
            if name is not None and text is not None:
                records[name] = "".join(text) if isinstance(text, list) else text
    return records
