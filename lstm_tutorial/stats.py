"""Is a forecast difference more than noise?

`lstm_tutorial.metrics` says which model had the smaller error on one test
span; this module says whether that difference could be luck.

- `mase`: mean absolute scaled error, the forecast's MAE in units of the
  in-sample naive forecast's MAE (Hyndman & Koehler 2006).
- `diebold_mariano`: the Diebold–Mariano test of equal accuracy of two
  forecasts, with the Harvey–Leybourne–Newbold small-sample correction.
- `block_bootstrap_skill`: a block-bootstrap confidence interval for the skill
  ``1 - RMSE(model) / RMSE(naive)``; `block_bootstrap_loss_skill` does the same
  for ``1 - mean loss(model) / mean loss(reference)`` with any per-sample loss.
- `compare_with_naive`: all of the above for several models in one table.
- `spa_test`: one joint test when several models face the naive forecast
  (Hansen's SPA); `holm` adjusts a family of p-values for multiplicity.
- `pesaran_timmermann`: is a hit rate of up/down calls more than chance?
- `optimal_block`, `long_run_variance`, `dm_lags`: the data-driven block
  length and the HAC variance the tests above use.

Like the metrics, these work on prices (after
`lstm_tutorial.preprocessing.inverse_target`), not on scaled values.

References
----------
Diebold, F. X. & Mariano, R. S. (1995). Comparing predictive accuracy.
*Journal of Business & Economic Statistics* 13(3), 253–263.

Harvey, D., Leybourne, S. & Newbold, P. (1997). Testing the equality of
prediction mean squared errors. *International Journal of Forecasting* 13(2), 281–291.

Hyndman, R. J. & Koehler, A. B. (2006). Another look at measures of forecast
accuracy. *International Journal of Forecasting* 22(4), 679–688.

Hansen, P. R. (2005). A test for superior predictive ability. *Journal of
Business & Economic Statistics* 23(4), 365–380.

Holm, S. (1979). A simple sequentially rejective multiple test procedure.
*Scandinavian Journal of Statistics* 6(2), 65–70.

Künsch, H. R. (1989). The jackknife and the bootstrap for general stationary
observations. *The Annals of Statistics* 17(3), 1217–1241.

Newey, W. K. & West, K. D. (1987). A simple, positive semi-definite,
heteroskedasticity and autocorrelation consistent covariance matrix.
*Econometrica* 55(3), 703–708.

Patton, A., Politis, D. N. & White, H. (2009). Correction to "Automatic
block-length selection for the dependent bootstrap". *Econometric Reviews*
28(4), 372–375.

Pesaran, M. H. & Timmermann, A. (1992). A simple nonparametric test of
predictive performance. *Journal of Business & Economic Statistics* 10(4), 461–465.

Politis, D. N. & Romano, J. P. (1992). A circular block-resampling procedure
for stationary data. In *Exploring the Limits of Bootstrap*, Wiley, 263–270.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal, NamedTuple

import numpy as np
import pandas as pd
from scipy import stats as _scipy_stats

from lstm_tutorial.errors import DataError, positive_int
from lstm_tutorial.metrics import _as_targets, _pair, mae, mase, rmse, skill_vs_naive

__all__ = [
    "COMPARE_WITH_NAIVE_COLUMNS",
    "DMResult",
    "SkillInterval",
    "block_bootstrap_loss_skill",
    "block_bootstrap_skill",
    "compare_with_naive",
    "diebold_mariano",
    "dm_lags",
    "long_run_variance",
    "optimal_block",
    "PTResult",
    "pesaran_timmermann",
    "SPAResult",
    "spa_test",
    "holm",
    "verdict",
    "TIP_TABLE_COLUMNS",
    "tip_table",
]

COMPARE_WITH_NAIVE_COLUMNS = [
    "RMSE", "MAE", "MASE", "skill", "skill low", "skill high", "DM stat", "DM p",
]

_DM_MIN_POINTS = 5
_BOOT_MIN_POINTS = 10


class DMResult(NamedTuple):
    """Result of `diebold_mariano`.

    Attributes
    ----------
    statistic : float
        The HLN-corrected DM statistic. Negative: forecast A has the smaller loss.
    p_value : float
        Two-sided, from Student's t with ``n - 1`` degrees of freedom.
    mean_loss_diff : float
        Mean of ``L(e_a) - L(e_b)`` (in squared or plain units of ``y``).
    n : int
        Number of forecasts compared.
    h : int
        Forecast horizon used for the variance.
    loss : str
        "squared", "absolute", or the name of the loss function passed.
    """

    statistic: float
    p_value: float
    mean_loss_diff: float
    n: int
    h: int
    loss: str






def _one_step(values: object, name: str) -> np.ndarray:
    """Validate targets or predictions of one horizon step and return them 1-D."""
    arr = _as_targets(values, name)
    if arr.shape[1] != 1:
        raise DataError(
            f"{name} has shape {arr.shape}: {arr.shape[1]} horizon steps. The DM test compares "
            "one step at a time (pooling steps would mix different horizons); pass y[:, k] "
            "for step k, with h=k + 1"
        )
    return arr[:, 0]


def _loss_values(loss: str | Callable[[np.ndarray], np.ndarray], errors: np.ndarray) -> np.ndarray:
    if loss == "squared":
        return errors**2
    if loss == "absolute":
        return np.abs(errors)
    values = np.asarray(loss(errors), dtype=float)
    if values.shape != errors.shape or not np.isfinite(values).all():
        raise DataError(
            f"the loss function must return one finite loss per error, shape {errors.shape}; "
            f"got shape {values.shape}"
        )
    return values


def _autocovariance(d: np.ndarray, k: int) -> float:
    """Lag-k autocovariance of d, divided by n (not n - k), as in Diebold & Mariano (1995)."""
    c = d - d.mean()
    return float(np.dot(c[k:], c[: len(c) - k]) / len(c))


def diebold_mariano(
    y_true: np.ndarray,
    pred_a: np.ndarray,
    pred_b: np.ndarray,
    h: int = 1,
    loss: Literal["squared", "absolute"] | Callable[[np.ndarray], np.ndarray] = "squared",
    lags: int | None = None,
) -> DMResult:
    """Diebold–Mariano test that forecasts A and B are equally accurate (HAC, HLN-corrected).

    The loss differential is ``d_t = L(e_a,t) - L(e_b,t)`` with errors
    ``e = y_true - pred``. The statistic is ``mean(d) / sqrt(V / n)``, where
    ``V`` is the Newey–West (HAC) long-run variance of ``d``:
    ``gamma_0 + 2 * sum_k (1 - k / (L + 1)) * gamma_k`` over lags
    ``k = 1..L``, with the autocovariances ``gamma_k`` divided by ``n``. The
    Bartlett weights keep ``V`` non-negative. Loss differentials of prices are
    autocorrelated even one step ahead (both forecasts miss the same regime),
    so the bandwidth is not cut at ``h - 1`` as in Diebold & Mariano's
    original: by default ``L = max(h - 1, ceil(n ** (1/3)))`` (6 lags for 200
    forecasts), the rule of `statsmodels.tsa.stattools.diebold_mariano_test`,
    which the tests use as an independent check.

    The statistic is then multiplied by the Harvey–Leybourne–Newbold (1997)
    factor ``sqrt((n + 1 - 2h + h(h - 1) / n) / n)`` and compared with
    Student's t with ``n - 1`` degrees of freedom (two-sided).

    Parameters
    ----------
    y_true, pred_a, pred_b : array, shape (samples,) or (samples, 1)
        One horizon step only: for ``(samples, horizon)`` arrays pass
        ``y[:, k]`` and ``h=k + 1``.
    h : int, default 1
        Forecast horizon of the step compared (1: one step ahead).
    loss : "squared", "absolute" or callable, default "squared"
        A callable gets the array of errors ``y_true - pred`` and returns
        one loss per error.
    lags : int, optional
        HAC bandwidth ``L`` (0: no autocorrelation, the plain variance);
        default ``max(h - 1, ceil(n ** (1/3)))``.

    Returns
    -------
    DMResult
        ``statistic < 0``: A has the smaller loss. A small ``p_value`` (say
        below 0.05) says the difference is unlikely to be noise.

    Raises
    ------
    ~lstm_tutorial.errors.DataError
        For fewer than ``max(5, 3 * h)`` points, identical losses at every
        point (e.g. identical forecasts: nothing to test), a constant loss
        differential (variance 0), more than one horizon step, or NaN.

    Examples
    --------
    >>> y = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    >>> a = [1.1, 2.1, 2.8, 4.0, 5.2, 5.9]  # small errors
    >>> b = [1.5, 1.0, 3.9, 4.6, 4.0, 6.8]  # large errors
    >>> result = diebold_mariano(y, a, b)
    >>> round(result.statistic, 3), round(result.p_value, 3)
    (-11.528, 0.0)
    """
    h = positive_int("h", h, "the forecast horizon: 1 for one step ahead, k + 1 for y[:, k]")
    if not (callable(loss) or loss in ("squared", "absolute")):
        raise DataError(
            f'loss must be "squared", "absolute" or a function of the errors, got {loss!r}'
        )
    t = _one_step(y_true, "y_true")
    a = _one_step(pred_a, "pred_a")
    b = _one_step(pred_b, "pred_b")
    if not len(t) == len(a) == len(b):
        raise DataError(
            f"y_true, pred_a and pred_b have {len(t)}, {len(a)} and {len(b)} points; the "
            "forecasts must be aligned with the targets, one per sample"
        )
    n = len(t)
    need = max(_DM_MIN_POINTS, 3 * h)
    if n < need:
        raise DataError(
            f"the DM test needs at least max({_DM_MIN_POINTS}, 3 * h) = {need} forecasts for "
            f"h={h}, got {n}; use a longer test span (or a smaller h)"
        )

    d = _loss_values(loss, t - a) - _loss_values(loss, t - b)
    if not d.any():
        raise DataError(
            "pred_a and pred_b have the same loss at every point (identical forecasts?), so "
            "the loss differential is all zero and the DM test is undefined: there is no "
            "difference to test; compare two different forecasts"
        )
    if np.std(d) <= 1e-10 * np.max(np.abs(d)):
        raise DataError(
            f"the loss differential is the same at every point ({d[0]:.6g}), so its variance "
            "is 0 and the DM statistic is undefined; one forecast is better by a constant, "
            "report the mean losses instead"
        )

    variance = long_run_variance(d, lags=dm_lags(n, h) if lags is None else lags)
    if variance <= 0:
        raise DataError(
            "the long-run variance of the loss differential is not positive, so the DM "
            "statistic is undefined; use a longer test span"
        )
    mean_d = float(d.mean())
    hln = np.sqrt((n + 1 - 2 * h + h * (h - 1) / n) / n)
    statistic = float(hln * mean_d / np.sqrt(variance / n))
    p_value = float(2 * _scipy_stats.t.sf(abs(statistic), df=n - 1))
    name = loss if isinstance(loss, str) else getattr(loss, "__name__", type(loss).__name__)
    return DMResult(statistic, p_value, mean_d, n, h, name)


def dm_lags(n: int, h: int = 1) -> int:
    """Default HAC bandwidth of `diebold_mariano`: ``max(h - 1, ceil(n ** (1/3)))``.

    Examples
    --------
    >>> dm_lags(200), dm_lags(40), dm_lags(40, h=10)
    (6, 4, 9)
    """
    return int(max(h - 1, np.ceil(n ** (1 / 3))))


def long_run_variance(d: np.ndarray, lags: int) -> float:
    """Newey–West (Bartlett-kernel) long-run variance of a series ``d``.

    ``gamma_0 + 2 * sum_{k=1..lags} (1 - k / (lags + 1)) * gamma_k``, with the
    autocovariances ``gamma_k`` of the demeaned series divided by ``n``.

    Examples
    --------
    >>> long_run_variance([1.0, -1.0, 1.0, -1.0], lags=0)  # the plain (1/n) variance
    1.0
    """
    d = np.asarray(d, dtype=float)
    if isinstance(lags, bool) or not isinstance(lags, (int, np.integer)) or lags < 0:
        raise DataError(f"lags must be a whole number >= 0 (0: no autocorrelation), got {lags!r}")
    if lags >= len(d):
        raise DataError(
            f"lags={lags} needs more than {lags} values, got {len(d)}; use fewer lags or a "
            "longer test span"
        )
    gammas = [_autocovariance(d, k) for k in range(lags + 1)]
    return gammas[0] + 2 * sum((1 - k / (lags + 1)) * g for k, g in enumerate(gammas) if k)


class SkillInterval(NamedTuple):
    """Result of `block_bootstrap_skill`.

    Attributes
    ----------
    skill : float
        ``1 - RMSE(model) / RMSE(naive)`` on the data (as `lstm_tutorial.metrics.skill_vs_naive`).
    low : float
        Lower end of the percentile bootstrap interval for the skill.
    high : float
        Upper end of the percentile bootstrap interval for the skill.
    level : float
        Confidence level of the interval (0.95: 95 %).
    block : int
        Block length used.
    n_boot : int
        Number of resamples.
    """

    skill: float
    low: float
    high: float
    level: float
    block: int
    n_boot: int


def _squared_error_rows(y_true: object, pred: object, name: str) -> np.ndarray:
    """Sum of squared errors of every sample (row), pooled over horizon steps."""
    t = _as_targets(y_true, "y_true")
    p = _as_targets(pred, name)
    _pair(t, p, name)
    return ((t - p) ** 2).sum(axis=1)


def block_bootstrap_skill(
    y_true: np.ndarray,
    y_pred: np.ndarray,
    y_naive: np.ndarray,
    block: int | None = None,
    n_boot: int = 2000,
    level: float = 0.95,
    seed: int | None = 0,
) -> SkillInterval:
    """Block-bootstrap confidence interval for the skill ``1 - RMSE(model) / RMSE(naive)``.

    Errors on neighbouring days are correlated, so resampling single days
    would understate the uncertainty. The moving-block bootstrap (Künsch 1989)
    resamples runs of ``block`` consecutive samples instead, keeping the model's
    and the naive forecast's errors of the same sample together. This is the
    circular variant (Politis & Romano 1992): a block may wrap from the last
    sample to the first, so every sample is equally likely to be drawn. Each
    resample joins ``ceil(n / block)`` blocks with random starts and is cut to
    ``n`` samples; the interval is the percentile interval of the resampled
    skills. With ``block=1`` this is the ordinary (iid) bootstrap.

    Parameters
    ----------
    y_true, y_pred, y_naive : array, shape (samples,) or (samples, horizon)
        Samples are resampled as whole rows; errors are pooled over steps.
    block : int, optional
        Block length; default `optimal_block` of the differences of the
        squared errors (model minus naive), from the data. At most ``n / 2``.
    n_boot : int, default 2000
        Number of resamples.
    level : float, default 0.95
        Confidence level, strictly between 0 and 1.
    seed : int or None, default 0
        Seed of `numpy.random.default_rng`: the same seed gives the same interval.

    Returns
    -------
    SkillInterval

    Raises
    ------
    ~lstm_tutorial.errors.DataError
        For fewer than 10 samples, a block longer than ``n / 2``, ``level``
        outside (0, 1), or a naive forecast that is exact (RMSE 0) on the data
        or on any resample.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(1)
    >>> y = 100 + rng.normal(size=200).cumsum()
    >>> naive = np.r_[100.0, y[:-1]]
    >>> model = naive + 0.5 * (y - naive)  # halves every error
    >>> result = block_bootstrap_skill(y, model, naive)
    >>> round(result.skill, 6), result.block, bool(result.low <= 0.5 <= result.high)
    (0.5, 1, True)
    """
    skill = skill_vs_naive(y_true, y_pred, y_naive)  # validates and checks RMSE(naive) > 0
    model_se = _squared_error_rows(y_true, y_pred, "y_pred")
    naive_se = _squared_error_rows(y_true, y_naive, "y_naive")
    model_sums, naive_sums, block = _resampled_sums(model_se, naive_se, block, n_boot, level, seed)
    exact = int(np.sum(naive_sums == 0))
    if exact:
        raise DataError(
            f"the naive forecast is exact (RMSE 0) on {exact} of {n_boot} resamples, so "
            "their skill is undefined; use a longer test span or a larger block"
        )
    skills = 1.0 - np.sqrt(model_sums / naive_sums)
    low, high = _percentile_interval(skills, level)
    return SkillInterval(skill, low, high, float(level), block, n_boot)


def optimal_block(values: object) -> int:
    """Block length for a circular block bootstrap of ``values``, chosen from the data.

    Politis & White's (2004, corrected by Patton, Politis & White 2009)
    estimate of the optimal circular block length, from
    `arch.bootstrap.optimal_block_length`, rounded up and kept between 1 and
    ``n // 2`` (a resample needs at least two blocks). Persistent series (a
    loss differential that stays on one side for weeks) get long blocks;
    white noise gets blocks of 1 or 2.

    Parameters
    ----------
    values : array, shape (n,)
        The series whose dependence the resampling must keep, e.g. the loss
        differential ``L(model) - L(naive)``. At least 10 values.

    Examples
    --------
    >>> import numpy as np
    >>> noise = np.random.default_rng(0).normal(size=500)
    >>> optimal_block(noise) <= 3, optimal_block(noise.cumsum()) > 20
    (True, True)
    """
    from arch.bootstrap import optimal_block_length

    x = np.asarray(values, dtype=float)
    if x.ndim != 1 or len(x) < _BOOT_MIN_POINTS or not np.isfinite(x).all():
        raise DataError(
            f"optimal_block needs one finite value per sample, at least {_BOOT_MIN_POINTS}, "
            f"got shape {x.shape}; pass e.g. the loss differential of a test span"
        )
    if np.ptp(x) == 0:
        return 1  # no variation, no dependence to keep
    with np.errstate(divide="ignore", invalid="ignore"):
        circular = float(optimal_block_length(x)["circular"].iloc[0])
    if not np.isfinite(circular):
        return 1
    return int(min(max(1, np.ceil(circular)), len(x) // 2))


def _bootstrap_settings(
    n: int, block: object, n_boot: object, level: object
) -> tuple[int, int, float]:
    """Check ``block``, ``n_boot`` and ``level`` of a block bootstrap of ``n`` samples."""
    block = positive_int("block", block, "the number of consecutive samples per block")
    if 2 * block > n:
        raise DataError(
            f"block={block} is too long for {n} samples: a resample needs at least 2 blocks, "
            f"so block must be at most n / 2 = {n // 2}; use a smaller block (or block=None "
            "for the data-driven default, optimal_block)"
        )
    n_boot = positive_int("n_boot", n_boot, "the number of bootstrap resamples, e.g. 2000")
    if isinstance(level, bool) or not isinstance(level, (int, float)) or not 0 < level < 1:
        raise DataError(f"level must be strictly between 0 and 1 (e.g. 0.95), got {level!r}")
    return block, n_boot, float(level)


def _block_indices(n: int, block: int, n_boot: int, seed: int | None):
    """Yield the indices of circular block resamples of ``n`` samples, a chunk of rows at a time.

    Each resample joins ``ceil(n / block)`` blocks of ``block`` consecutive
    samples, starting at uniform random samples and wrapping around the end,
    cut to ``n``. Rows come in chunks to bound the memory for long series.
    Index several series with the same rows to resample them together (paired).
    """
    rng = np.random.default_rng(seed)
    n_blocks = -(-n // block)
    starts = rng.integers(0, n, size=(n_boot, n_blocks))
    offsets = np.arange(block)
    chunk = max(1, 2_000_000 // (n_blocks * block))
    for lo in range(0, n_boot, chunk):
        idx = (starts[lo : lo + chunk, :, None] + offsets) % n
        yield idx.reshape(len(idx), -1)[:, :n]


def _percentile_interval(values: np.ndarray, level: float) -> tuple[float, float]:
    alpha = 1.0 - level
    low, high = np.quantile(values, [alpha / 2, 1 - alpha / 2])
    return float(low), float(high)


def _resampled_sums(
    first: np.ndarray, second: np.ndarray, block: int | None, n_boot: int, level: float,
    seed: int | None,
) -> tuple[np.ndarray, np.ndarray, int]:
    """Sums of ``first`` and ``second`` (one value per sample) over circular block resamples.

    Both arrays are resampled with the same indices, so the values of one sample stay
    together. Returns the two arrays of ``n_boot`` sums and the block length used.
    """
    n = len(first)
    if n < _BOOT_MIN_POINTS:
        raise DataError(
            f"the block bootstrap needs at least {_BOOT_MIN_POINTS} samples, got {n}; use a "
            "longer test span"
        )
    if block is None:
        block = optimal_block(first - second)
    block, n_boot, level = _bootstrap_settings(n, block, n_boot, level)
    first_sums = np.empty(n_boot)
    second_sums = np.empty(n_boot)
    lo = 0
    for idx in _block_indices(n, block, n_boot, seed):
        first_sums[lo : lo + len(idx)] = first[idx].sum(axis=1)
        second_sums[lo : lo + len(idx)] = second[idx].sum(axis=1)
        lo += len(idx)
    return first_sums, second_sums, block


def block_bootstrap_loss_skill(
    loss_model: np.ndarray,
    loss_reference: np.ndarray,
    block: int | None = None,
    n_boot: int = 2000,
    level: float = 0.95,
    seed: int | None = 0,
) -> SkillInterval:
    """Block-bootstrap interval for the skill ``1 - mean(loss_model) / mean(loss_reference)``.

    The same circular moving-block bootstrap as `block_bootstrap_skill` (same
    random draws for the same ``n``, ``block`` and ``seed``), for any loss
    given per sample: QLIKE (`lstm_tutorial.volatility.qlike_loss`), squared
    errors of variances, absolute errors. The skill is the share of the
    reference's mean loss that the model removes: 0.2 means 20 % less loss,
    a negative skill more loss.

    Parameters
    ----------
    loss_model, loss_reference : array, shape (samples,)
        The loss of each sample under the model and under the reference
        (e.g. the last-value forecast), on the same samples, >= 0.
    block, n_boot, level, seed
        As in `block_bootstrap_skill`.

    Returns
    -------
    SkillInterval

    Raises
    ------
    lstm_tutorial.errors.DataError
        For arrays of different lengths, NaN or negative losses, fewer than 10
        samples, a bad ``block``/``level``/``n_boot``, or a reference with zero
        loss on the data or on a resample.

    Examples
    --------
    The model halves the reference's loss on every sample, so every resample
    has skill 0.5:

    >>> import numpy as np
    >>> ref = np.linspace(1.0, 2.0, 40)
    >>> result = block_bootstrap_loss_skill(0.5 * ref, ref, n_boot=200)
    >>> round(result.skill, 6), round(result.low, 6), round(result.high, 6), result.block
    (0.5, 0.5, 0.5, 10)
    """
    model = _loss_array(loss_model, "loss_model")
    ref = _loss_array(loss_reference, "loss_reference")
    if len(model) != len(ref):
        raise DataError(
            f"loss_model has {len(model)} samples but loss_reference has {len(ref)}; score "
            "both forecasts on the same samples"
        )
    if ref.sum() == 0:
        raise DataError("the reference's loss is 0 on every sample, so the skill is undefined")
    skill = 1.0 - float(model.mean() / ref.mean())
    model_sums, ref_sums, block = _resampled_sums(model, ref, block, n_boot, level, seed)
    exact = int(np.sum(ref_sums == 0))
    if exact:
        raise DataError(
            f"the reference's loss is 0 on {exact} of {n_boot} resamples, so their skill is "
            "undefined; use a longer test span or a larger block"
        )
    low, high = _percentile_interval(1.0 - model_sums / ref_sums, level)
    return SkillInterval(skill, low, high, float(level), block, n_boot)


def _loss_array(values: object, name: str) -> np.ndarray:
    arr = np.asarray(values, dtype=float)
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim != 1:
        raise DataError(f"{name} must hold one loss per sample (1-D), got shape {arr.shape}")
    if not np.isfinite(arr).all():
        raise DataError(f"{name} holds NaN or infinite values; losses must be finite")
    if (arr < 0).any():
        raise DataError(f"{name} holds negative values; a loss is >= 0")
    return arr


def compare_with_naive(
    predictions: Mapping[str, np.ndarray],
    y_true: np.ndarray,
    y_naive: np.ndarray,
    y_train: np.ndarray,
    h: int = 1,
    *,
    m: int = 1,
    loss: Literal["squared", "absolute"] | Callable[[np.ndarray], np.ndarray] = "squared",
    block: int | None = None,
    n_boot: int = 2000,
    level: float = 0.95,
    seed: int | None = 0,
    naive_name: str = "naive",
) -> pd.DataFrame:
    """Every model against the naive forecast: errors, skill with interval, DM test.

    Parameters
    ----------
    predictions : dict name -> array, shape (samples,) or (samples, 1)
        Every model's predictions of one horizon step, in prices.
    y_true, y_naive : array, shape (samples,) or (samples, 1)
        Targets and the naive forecast of the same step. For
        ``(samples, horizon)`` arrays pass ``y[:, k]`` and ``h=k + 1``.
    y_train : array, shape (n,)
        The training series, for the MASE scale (see `mase`).
    h : int, default 1
        Forecast horizon of the step, for the DM test.
    m, loss, block, n_boot, level, seed
        Passed on to `mase`, `diebold_mariano` and `block_bootstrap_skill`.
    naive_name : str, default "naive"
        Row name of the naive forecast; added unless ``predictions`` has it.

    Returns
    -------
    DataFrame
        One row per model (index "model"), sorted by RMSE (best first), with
        the columns of ``COMPARE_WITH_NAIVE_COLUMNS``: "RMSE", "MAE", "MASE",
        "skill" (``1 - RMSE / RMSE_naive``), "skill low", "skill high" (the
        bootstrap interval), "DM stat" and "DM p" (each model against the
        naive forecast; negative: the model has the smaller loss). The naive
        row has NaN for the interval and the DM test.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> y = 100 + rng.normal(size=300).cumsum()
    >>> naive = np.r_[100.0, y[:-1]]
    >>> table = compare_with_naive({"half": naive + 0.5 * (y - naive)}, y, naive, y_train=y)
    >>> table.index.tolist(), bool(table.loc["half", "DM p"] < 0.01)
    (['half', 'naive'], True)
    """
    if not isinstance(predictions, Mapping) or not predictions:
        raise DataError("predictions must be a non-empty dict: model name -> predictions")
    y = _one_step(y_true, "y_true")
    naive = _one_step(y_naive, "y_naive")
    _pair(y, naive, "y_naive")
    models = dict(predictions)
    models.setdefault(naive_name, naive)
    rows = {}
    for name, pred in models.items():
        label = f"predictions[{name!r}]"
        p = _one_step(pred, label)
        _pair(y, p, label)
        row = {
            "RMSE": rmse(y, p),
            "MAE": mae(y, p),
            "MASE": mase(y, p, y_train, m=m),
            "skill": skill_vs_naive(y, p, naive),
        }
        if name == naive_name:
            row.update(dict.fromkeys(["skill low", "skill high", "DM stat", "DM p"], np.nan))
        else:
            try:
                interval = block_bootstrap_skill(
                    y, p, naive, block=block, n_boot=n_boot, level=level, seed=seed
                )
                dm = diebold_mariano(y, p, naive, h=h, loss=loss)
            except DataError as err:
                raise DataError(f"model {name!r} against {naive_name!r}: {err}") from err
            row.update({
                "skill low": interval.low,
                "skill high": interval.high,
                "DM stat": dm.statistic,
                "DM p": dm.p_value,
            })
        rows[name] = row
    table = pd.DataFrame.from_dict(rows, orient="index", columns=COMPARE_WITH_NAIVE_COLUMNS)
    table.index.name = "model"
    return table.sort_values("RMSE", kind="stable")


def verdict(skill_low: float, skill_high: float, dm_p: float, alpha: float = 0.05) -> str:
    """The chapter's words for a model against the naive forecast, from interval and test.

    "better than" when the skill interval lies above 0 *and* the DM test rejects
    equal accuracy at ``alpha``; "worse than" when the interval lies below 0 and
    the test rejects; otherwise "not distinguishable from". Prose glues this
    word, so it cannot claim more than the statistics show.

    Examples
    --------
    >>> verdict(-0.108, -0.040, 0.00003), verdict(-0.002, 0.007, 0.41), verdict(0.1, 0.3, 0.2)
    ('worse than', 'not distinguishable from', 'not distinguishable from')
    """
    values = np.array([skill_low, skill_high, dm_p], dtype=float)
    if not np.isfinite(values).all() or skill_low > skill_high or not 0 < alpha < 1:
        raise DataError(
            f"verdict needs a finite interval low <= high and a p-value, got "
            f"({skill_low}, {skill_high}, {dm_p}); the naive row itself has none"
        )
    if dm_p < alpha and skill_low > 0:
        return "better than"
    if dm_p < alpha and skill_high < 0:
        return "worse than"
    return "not distinguishable from"


class PTResult(NamedTuple):
    """Result of `pesaran_timmermann`.

    Attributes
    ----------
    statistic : float
        Standard normal under the null that calls and moves are independent.
    p_value : float
        One-sided: the chance of a hit rate this far above ``expected`` by luck.
    hit_rate : float
        Share of up/down calls that were right.
    expected : float
        Hit rate that calls independent of the moves would have,
        ``Py * Px + (1 - Py) * (1 - Px)``.
    n : int
        Number of samples with a nonzero actual move.
    """

    statistic: float
    p_value: float
    hit_rate: float
    expected: float
    n: int


def pesaran_timmermann(actual_change: object, predicted_change: object) -> PTResult:
    """Pesaran–Timmermann (1992) test: are up/down calls right more often than chance?

    A 56 % hit rate is no skill if the stock rose on 56 % of the days and the
    model always says "up". The test compares the hit rate ``P`` with the rate
    ``P*`` that calls independent of the moves would have, given how often
    each side was called and occurred:
    ``PT = (P - P*) / sqrt(V(P) - V(P*))``, standard normal under independence.
    Samples whose actual change is 0 have no direction and are left out (as in
    `lstm_tutorial.metrics.direction_accuracy`); a predicted change of 0 counts
    as a "down" call.

    Parameters
    ----------
    actual_change, predicted_change : array, shape (n,)
        ``y_true - last_observed`` and ``y_pred - last_observed`` of one horizon step.

    Returns
    -------
    PTResult

    Raises
    ------
    ~lstm_tutorial.errors.DataError
        For different lengths, NaN, fewer than 10 moves, or calls (or moves)
        that are all on one side: with no variation the test is undefined.

    Examples
    --------
    >>> import numpy as np
    >>> move = np.random.default_rng(0).normal(size=500)
    >>> pesaran_timmermann(move, move).p_value < 1e-6  # every call right
    True
    """
    actual = np.asarray(actual_change, dtype=float).ravel()
    pred = np.asarray(predicted_change, dtype=float).ravel()
    if actual.shape != pred.shape:
        raise DataError(
            f"actual_change has {actual.size} values but predicted_change has {pred.size}; "
            "pass one predicted and one actual change per sample"
        )
    if not (np.isfinite(actual).all() and np.isfinite(pred).all()):
        raise DataError("the changes hold NaN or infinite values; drop those samples first")
    moved = actual != 0
    y = actual[moved] > 0
    x = pred[moved] > 0
    n = int(moved.sum())
    if n < _BOOT_MIN_POINTS:
        raise DataError(
            f"the Pesaran–Timmermann test needs at least {_BOOT_MIN_POINTS} nonzero moves, "
            f"got {n}; use a longer test span"
        )
    py, px = y.mean(), x.mean()
    if py in (0.0, 1.0) or px in (0.0, 1.0):
        side = "moves" if py in (0.0, 1.0) else "calls"
        raise DataError(
            f"all {side} are on one side, so the hit rate says nothing about skill and the "
            "test is undefined (the naive forecast never calls a direction); compare a "
            "forecast that calls both up and down days"
        )
    hit = float(np.mean(x == y))
    expected = float(py * px + (1 - py) * (1 - px))
    var_p = expected * (1 - expected) / n
    var_expected = (
        (2 * py - 1) ** 2 * px * (1 - px) / n
        + (2 * px - 1) ** 2 * py * (1 - py) / n
        + 4 * py * px * (1 - py) * (1 - px) / n**2
    )
    statistic = float((hit - expected) / np.sqrt(var_p - var_expected))
    return PTResult(statistic, float(_scipy_stats.norm.sf(statistic)), hit, expected, n)


class SPAResult(NamedTuple):
    """Result of `spa_test`.

    Attributes
    ----------
    p_value : float
        Hansen's consistent SPA p-value: the chance that the best of the
        models looks this good if none beats the benchmark.
    p_lower : float
        The lower p-value bound of the same test.
    p_upper : float
        The upper p-value bound of the same test.
    best : str
        The model with the smallest mean loss.
    models : int
        Number of models tested jointly.
    block : int
        Average block length of the stationary bootstrap.
    reps : int
        Bootstrap resamples.
    """

    p_value: float
    p_lower: float
    p_upper: float
    best: str
    models: int
    block: int
    reps: int


def spa_test(
    losses: Mapping[str, object],
    benchmark_loss: object,
    *,
    block: int | None = None,
    reps: int = 2000,
    seed: int = 0,
) -> SPAResult:
    """Does *any* of several models beat the benchmark? Hansen's (2005) SPA test.

    Testing five networks one by one against the naive forecast gives five
    chances to find a small p-value by luck. The test of superior predictive
    ability asks once, for the whole family: the null is that no model has a
    smaller expected loss than the benchmark. A small p-value says at least
    one model beats it. It runs `arch.bootstrap.SPA` (studentized, stationary
    bootstrap) with a block length from `optimal_block`, the largest over the
    models' loss differentials.

    Parameters
    ----------
    losses : dict name -> array, shape (n,)
        Each model's loss per sample (e.g. squared errors in prices).
    benchmark_loss : array, shape (n,)
        The benchmark's loss on the same samples (e.g. the naive forecast's).
    block : int, optional
        Average block length; default from the data.
    reps : int, default 2000
        Bootstrap resamples.
    seed : int, default 0
        Seed of the bootstrap: the same seed gives the same p-values.

    Returns
    -------
    SPAResult

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> naive = rng.chisquare(1, size=300)
    >>> same = {f"m{i}": naive * rng.uniform(0.7, 1.3, 300) for i in range(3)}
    >>> spa_test(same, naive, reps=500).p_value > 0.05  # none beats it
    True
    >>> spa_test({**same, "half": 0.5 * naive}, naive, reps=500).p_value < 0.01
    True
    """
    from arch.bootstrap import SPA

    if not isinstance(losses, Mapping) or not losses:
        raise DataError("losses must be a non-empty dict: model name -> loss per sample")
    bench = _loss_array(benchmark_loss, "benchmark_loss")
    table = {}
    for name, values in losses.items():
        arr = _loss_array(values, f"losses[{name!r}]")
        if len(arr) != len(bench):
            raise DataError(
                f"losses[{name!r}] has {len(arr)} samples but benchmark_loss has "
                f"{len(bench)}; score every model on the same samples"
            )
        table[name] = arr
    frame = pd.DataFrame(table)
    if block is None:
        block = max(optimal_block(frame[c].to_numpy() - bench) for c in frame)
    block = positive_int("block", block, "the average block length, e.g. 10")
    reps = positive_int("reps", reps, "the number of bootstrap resamples, e.g. 2000")
    spa = SPA(bench, frame, block_size=block, reps=reps, seed=seed)
    spa.compute()
    p = spa.pvalues
    best = str(frame.mean().idxmin())
    return SPAResult(float(p["consistent"]), float(p["lower"]), float(p["upper"]), best,
                     frame.shape[1], block, reps)


def holm(p_values: Mapping[str, float]) -> pd.Series:
    """Holm's (1979) step-down adjustment of a family of p-values.

    Multiply the smallest p-value by the number of tests ``m``, the next by
    ``m - 1``, and so on (kept increasing, capped at 1): rejecting where the
    adjusted value is below 0.05 keeps the chance of *any* false rejection in
    the family at 5 %. Computed by `statsmodels.stats.multitest.multipletests`.

    Parameters
    ----------
    p_values : dict name -> p-value

    Returns
    -------
    Series
        The adjusted p-values, same names and order.

    Examples
    --------
    >>> holm({"a": 0.01, "b": 0.04, "c": 0.03}).round(3).tolist()
    [0.03, 0.06, 0.06]
    """
    from statsmodels.stats.multitest import multipletests

    if not isinstance(p_values, Mapping) or not p_values:
        raise DataError("p_values must be a non-empty dict: test name -> p-value")
    values = np.asarray(list(p_values.values()), dtype=float)
    if not np.isfinite(values).all() or (values < 0).any() or (values > 1).any():
        raise DataError(f"p-values must lie in [0, 1], got {values.tolist()}")
    adjusted = multipletests(values, method="holm")[1]
    return pd.Series(adjusted, index=list(p_values), name="Holm p")


# ----------------------------------------------------------------------------- tuning tips
TIP_TABLE_COLUMNS = [
    "seeds", "epochs run (max)", "cap",
    "skill mean", "skill min", "skill max",
    "ensemble skill", "skill low", "skill high", "DM p",
    "vs reference", "vs ref low", "vs ref high", "vs ref DM p",
]


def tip_table(
    y_true: np.ndarray,
    y_naive: np.ndarray,
    forecasts: Mapping[str, Sequence[np.ndarray]],
    runs: Mapping[str, Sequence[Any]],
    reference: str,
    *,
    block: int | None = None,
    n_boot: int = 2000,
    seed: int = 0,
) -> pd.DataFrame:
    """Every setting against the naive forecast and against ``reference``, over its seeds.

    Parameters
    ----------
    y_true, y_naive : array, shape (samples,)
        Test targets and the naive forecast of the same days, in prices.
    forecasts : dict setting -> list of per-seed forecasts, shape (samples,)
    runs : dict setting -> list of `lstm_tutorial.training.SeedRun` (for the stopping epochs)
    reference : str
        The setting every other one is compared with (its own "vs" columns are NaN).
    block, n_boot, seed
        Passed to `lstm_tutorial.stats.block_bootstrap_skill`.

    Returns
    -------
    DataFrame
        One row per setting with `TIP_TABLE_COLUMNS`: the stopping epochs;
        the skill ``1 - RMSE / RMSE_naive`` of every seed (mean, min, max);
        the skill of the seeds' mean forecast (the ensemble) with its bootstrap
        interval and the DM p-value against the naive forecast; and the same
        ensemble's skill *relative to the reference's ensemble* (``1 - RMSE /
        RMSE_reference``: positive means the tip helped), interval and DM p.
    """
    if reference not in forecasts:
        raise DataError(f"reference {reference!r} is not one of the settings {list(forecasts)}")
    y = np.asarray(y_true, dtype=float).ravel()
    naive = np.asarray(y_naive, dtype=float).ravel()

    def ensemble(name: str) -> np.ndarray:
        preds = forecasts[name]
        if len(preds) == 0 or len(runs.get(name, ())) != len(preds):
            raise DataError(f"{name!r} needs one run per forecast, and at least one")
        return np.mean([np.asarray(p, dtype=float).ravel() for p in preds], axis=0)

    ref = ensemble(reference)
    rows = {}
    for name, preds in forecasts.items():
        ens = ensemble(name)
        skills = [skill_vs_naive(y, np.asarray(p, dtype=float).ravel(), naive) for p in preds]
        vs_naive = block_bootstrap_skill(y, ens, naive, block=block, n_boot=n_boot, seed=seed)
        row = {
            "seeds": len(preds),
            "epochs run (max)": max(r.epochs_run for r in runs[name]),
            "cap": max(r.cap for r in runs[name]),
            "skill mean": float(np.mean(skills)),
            "skill min": float(np.min(skills)),
            "skill max": float(np.max(skills)),
            "ensemble skill": vs_naive.skill,
            "skill low": vs_naive.low,
            "skill high": vs_naive.high,
            "DM p": diebold_mariano(y, ens, naive).p_value,
        }
        if name == reference:
            row.update(dict.fromkeys(TIP_TABLE_COLUMNS[-4:], np.nan))
        else:
            vs_ref = block_bootstrap_skill(y, ens, ref, block=block, n_boot=n_boot, seed=seed)
            row.update({"vs reference": vs_ref.skill, "vs ref low": vs_ref.low,
                        "vs ref high": vs_ref.high,
                        "vs ref DM p": diebold_mariano(y, ens, ref).p_value})
        rows[name] = row
    table = pd.DataFrame.from_dict(rows, orient="index", columns=TIP_TABLE_COLUMNS)
    table.index.name = "setting"
    return table
