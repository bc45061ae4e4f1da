"""The one error type of the package."""

__all__ = ["DataError", "positive_int"]


class DataError(ValueError):
    """Bad input data or arguments.

    The message names the problem and how to fix it. A subclass of
    `ValueError`, so ``except ValueError`` catches it too.
    """


def positive_int(name: str, value: object, hint: str = "") -> int:
    """Return ``value`` as an ``int``, or raise `DataError` unless it is a positive integer.

    Booleans are refused (``True`` is an ``int`` to Python, never a size here);
    NumPy integers are accepted. ``hint`` is added to the message as the fix.

    Examples
    --------
    >>> positive_int("lookback", 60)
    60
    """
    import numpy as np

    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise DataError(
            f"{name} must be a positive integer, got {name}={value!r}"
            + (f"; {hint}" if hint else "")
        )
    return int(value)
