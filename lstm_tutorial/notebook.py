"""Helpers for the chapters' prose: numbers glued into the text.

The book states no number that code did not print. Chapters store numbers with
myst-nb's ``glue`` and the markdown shows them with ``{glue:text}`name:.2f```.
"""

from __future__ import annotations

import numbers

__all__ = ["glue_number"]


def glue_number(name: str, value: numbers.Real, digits: int = 4):
    """Glue ``value`` under ``name`` for the prose, as a plain Python number.

    Integers stay integers; anything else becomes a ``float`` rounded to
    ``digits`` decimals. Rounding keeps the stored text stable under float
    noise, and a plain float (not ``np.float64``) is what ``{glue:text}``
    format specs such as ``:.2f`` can format.

    Returns nothing, so a cell that ends with it shows no output.

    Examples
    --------
    >>> import numpy as np
    >>> glue_number("skill", np.float64(-0.0123456))  # the prose shows -0.0123
    >>> glue_number("rows", np.int64(3270))
    """
    from myst_nb import glue

    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"glue_number takes a real number, got {value!r}")
    value = int(value) if isinstance(value, numbers.Integral) else round(float(value), digits)
    glue(name, value, display=False)
