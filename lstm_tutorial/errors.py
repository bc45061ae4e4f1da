"""The one error type of the package."""


class DataError(ValueError):
    """Bad input data or arguments.

    The message names the problem and how to fix it. A subclass of
    `ValueError`, so ``except ValueError`` catches it too.
    """
