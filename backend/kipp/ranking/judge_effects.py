"""A joint model of judges and innovations, fitted on judge totals (pure numpy).

Every final sheet's total is modelled as

    total_ij = m + a_j + b_j * q_i + e_ij,      e_ij ~ N(0, sigma_j^2)

``m + q_i`` is the innovation's quality on the 0-100 scale, as an *average* judge of this panel
would score it (that is the ``judge_effects`` score, so it reads like a score); ``a_j`` is judge
j's centre (+ lenient, - harsh, in points, for an average innovation), ``b_j`` their spread
(1 = the panel's average use of the scale, 0.5 = half as wide) and ``sigma_j`` how far their
totals stray from the model (their noise).

It is fitted by alternating (penalised) least squares, an empirical-Bayes "mixed model light":

- a judge's centre is shrunk toward 0 as if they had also scored ``k`` innovations exactly
  like the average judge, and their spread toward 1 *in log scale* likewise. ``k`` is
  estimated from the panel (empirical Bayes: noise variance over the variance of the judges'
  true effects, i.e. their estimates' scatter minus its sampling variance), within
  ``OFFSET_PRIOR`` / ``SPREAD_PRIOR``. A judge with 15 sheets is mostly believed; with one
  sheet, part of their total is read as their own leniency;
- each judge's noise is shrunk toward the panel's (again with an estimated strength, within
  ``NOISE_PRIOR_DF``), and the panel decides how much noise grows with spread (``gamma``:
  1 = a narrow judge is cautious, 0 = a narrow judge is less discriminating); the pooled
  noise is averaged in log scale with ``NOISE_PRIOR_SD`` worth ``NOISE_PRIOR_WEIGHT`` degrees
  of freedom, so one judge or one sheet per innovation still gives a finite uncertainty;
- an innovation's quality is the precision-weighted mean of its judges' de-calibrated totals:
  ``(total - m - a_j) / b_j`` weighted by ``b_j^2 / sigma_j^2``, so a judge who separates
  innovations well (wide spread, little noise) counts more than one who gives everybody
  about the same;
- the average judge is the reference: the centres average 0 and the spreads' geometric mean
  is 1 (weighted by sheets), and the qualities average 0 over the sheets.

Degenerate panels need no special case: one judge (centre 0, spread 1: the score is their
total), a constant judge (spread shrinks toward its floor, tiny weight), judges with one sheet
(effects ~ 0), disconnected designs (the priors decide what the data cannot: components are
compared as if their judges were average).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

# Prior strengths, in pseudo-sheets "like the average judge", estimated from the panel
# (empirical Bayes: noise variance / between-judge variance) within these bounds.
OFFSET_PRIOR = (0.5, 10.0)
SPREAD_PRIOR = (2.0, 20.0)
NOISE_PRIOR_DF = (2.0, 200.0)  # a judge's noise is shrunk toward the panel's (df, EB-estimated)
NOISE_PRIOR_SD = 10.0  # points: a typical judge's disagreement on a 0-100 total ...
NOISE_PRIOR_WEIGHT = 2.0  # ... worth this many degrees of freedom (in log scale)
SPREAD_FLOOR = 0.05  # a judge whose totals do not follow quality at all keeps a tiny spread
_MAX_ITERATIONS = 500
_TOLERANCE = 1e-10  # points, on the qualities


@dataclass(frozen=True)
class JudgeEffectsFit:
    """The fitted model. Innovation arrays have one row per innovation index (NaN when an
    innovation has no sheet); judge arrays one per judge index (a=0, b=1 without sheets)."""

    centre: float  # m: the average judge's total for an average innovation
    quality: FloatArray  # q_i, points around ``centre``
    precision: FloatArray  # sum_j b_j^2 / sigma_j^2 over the innovation's sheets
    offset: FloatArray  # a_j
    spread: FloatArray  # b_j
    noise: FloatArray  # sigma_j
    pooled_noise: float  # the panel's residual sd (points)
    iterations: int
    offset_sheets: float = OFFSET_PRIOR[1]  # the prior strengths the fit settled on
    spread_sheets: float = SPREAD_PRIOR[1]

    @property
    def score(self) -> FloatArray:
        """Each innovation's calibrated score, 0-100-like: ``centre + quality``."""
        return self.centre + self.quality


def fit(
    values: FloatArray,
    row: IntArray,
    column: IntArray,
    n_rows: int,
    n_columns: int,
    *,
    spreads: bool = True,
    noise_prior_sd: float = NOISE_PRIOR_SD,
) -> JudgeEffectsFit:
    """Fit the model on ``values`` (one per sheet) of innovation ``row`` by judge ``column``.

    With ``spreads=False`` every spread stays 1 and every judge has the pooled noise: the
    additive model (innovation + judge offset + noise) that the other methods' p(TOP N) uses.
    ``noise_prior_sd`` is in the units of ``values``.
    """
    y = np.asarray(values, dtype=np.float64)
    count = np.bincount(row, minlength=n_rows).astype(np.float64)
    scored = np.bincount(column, minlength=n_columns).astype(np.float64)
    has = count > 0
    total = len(y)
    offset = np.zeros(n_columns)
    spread = np.ones(n_columns)
    noise_var = np.ones(n_columns)
    quality = np.full(n_rows, np.nan)
    precision = np.zeros(n_rows)
    if total == 0:
        return JudgeEffectsFit(0.0, quality, precision, offset, spread, noise_var, 0.0, 0)
    centre = float(y.mean())
    q = np.zeros(n_rows)
    q[has] = np.bincount(row, y, n_rows)[has] / count[has] - centre
    within = y - centre - q[row]
    pooled = _pooled_variance(
        float((within**2).sum()), max(total - float(has.sum()), 0.0), noise_prior_sd
    )
    noise_var = np.full(n_columns, pooled)
    offset_sheets, spread_sheets = OFFSET_PRIOR[1], SPREAD_PRIOR[1]
    iterations = 0
    previous = centre + q
    while iterations < _MAX_ITERATIONS:
        iterations += 1
        q_sheet = q[row]
        q_mean = q_sheet.mean()
        q_sheet -= q_mean  # qualities average 0 over the sheets: fixes the origin
        q = q - float(q_mean)
        residual = y - centre
        # Judge step: a and b by penalised least squares against the current qualities.
        sum_q = np.bincount(column, q_sheet, n_columns)
        sum_r = np.bincount(column, residual, n_columns)
        active = scored > 0
        safe = np.maximum(scored, 1.0)
        if spreads:
            mean_q = sum_q / safe
            q_squared = q_sheet * q_sheet
            sxx = np.bincount(column, q_squared, n_columns) - scored * mean_q**2
            sxy = np.bincount(column, residual * q_sheet, n_columns) - mean_q * sum_r
            population = float(q_squared.mean())
            informative = (sxx > 1e-9 * max(population, 1e-300)) & (scored >= 2)
            raw = np.where(informative, sxy / np.where(informative, sxx, 1.0), 1.0)
            log_raw = np.log(np.maximum(raw, SPREAD_FLOOR))
            # Empirical Bayes: the spreads' true variance is what their scatter leaves after
            # each estimate's own sampling variance; it sets the prior strength.
            sampling = noise_var / (np.exp(2 * log_raw) * np.where(informative, sxx, 1.0))
            between = _between_variance(log_raw, sampling, informative, scored)
            spread_sheets = _prior_sheets(pooled / max(population, 1e-300), between, SPREAD_PRIOR)
            weight = sxx / (sxx + spread_sheets * population) if population > 0 else 0.0
            spread = np.exp(np.where(informative, weight, 0.0) * log_raw)
        raw_offset = (sum_r - spread * sum_q) / safe
        between = _between_variance(raw_offset, noise_var / safe, active, scored)
        offset_sheets = _prior_sheets(pooled, between, OFFSET_PRIOR)
        offset = (sum_r - spread * sum_q) / (scored + offset_sheets)
        # The average judge is the reference: offsets average 0, spreads' geometric mean 1.
        mean_offset = float((scored * offset).sum() / total)
        offset -= mean_offset
        centre += mean_offset
        if spreads:
            spread /= float(np.exp((scored * np.log(spread)).sum() / total))
        # Innovation step: precision-weighted mean of the de-calibrated totals.
        b_sheet = spread[column]
        noise_sheet = noise_var[column]
        weight_sheet = b_sheet * b_sheet / noise_sheet
        precision = np.bincount(row, weight_sheet, n_rows).astype(np.float64)
        decalibrated = y - centre - offset[column]
        numerator = np.bincount(row, b_sheet * decalibrated / noise_sheet, n_rows)
        new_q = np.where(has, numerator / np.where(has, precision, 1.0), 0.0)
        # Noise step: residual variance per judge, with leverage-corrected degrees of freedom.
        fitted_residual = decalibrated - b_sheet * new_q[row]
        leverage = weight_sheet / precision[row]
        rss = np.bincount(column, fitted_residual**2, n_columns)
        df_judge = np.maximum(np.bincount(column, 1.0 - leverage, n_columns) - 1.0, 0.0)
        df_judge *= scored / (scored + offset_sheets)  # the offset used (most of) a df
        # Does a judge's noise grow with their spread (a narrow judge who is simply
        # cautious) or not (a narrow judge who is less discriminating)? The panel answers:
        # noise_j^2 ~ spread_j^(2 gamma), gamma from the judges' log noise on log spread.
        usable = df_judge >= 1.0
        log_var = np.log(np.maximum(rss, 1e-12) / np.where(usable, df_judge, 1.0))
        gamma = _noise_exponent(log_var, np.log(spread), df_judge, usable) if spreads else 0.0
        scale = spread ** (2.0 * gamma)
        pooled = _pooled_variance(float(rss.sum()), float((df_judge * scale).sum()), noise_prior_sd)
        if spreads:
            # Empirical Bayes again: judges' noises differ (beyond the spread's share) only as
            # much as their scatter in log scale exceeds its sampling variance, 2 / df.
            sampling = 2.0 / np.maximum(df_judge, 1.0)
            between = _between_variance(log_var - np.log(scale), sampling, usable, scored)
            noise_df = (
                min(max(2.0 / between, NOISE_PRIOR_DF[0]), NOISE_PRIOR_DF[1])
                if between > 0
                else NOISE_PRIOR_DF[1]
            )
            noise_var = (rss + noise_df * pooled * scale) / (df_judge + noise_df)
        else:
            noise_var = np.full(n_columns, pooled)
        score = centre + new_q
        change = float(np.abs(score - previous)[has].max()) if has.any() else 0.0
        previous = score
        q = new_q
        if change < _TOLERANCE:
            break
    quality = np.where(has, q, np.nan)
    # The final innovation step used noise_var before its last update: recompute precision.
    b_sheet = spread[column]
    precision = np.bincount(row, b_sheet * b_sheet / noise_var[column], n_rows).astype(np.float64)
    return JudgeEffectsFit(
        centre=centre,
        quality=quality,
        precision=precision,
        offset=offset,
        spread=spread,
        noise=np.sqrt(noise_var),
        pooled_noise=float(np.sqrt(pooled)),
        iterations=iterations,
        offset_sheets=offset_sheets,
        spread_sheets=spread_sheets,
    )


def _between_variance(
    estimate: FloatArray, sampling: FloatArray, use: npt.NDArray[np.bool_], scored: FloatArray
) -> float:
    """Method of moments: the variance of the true effects behind noisy ``estimate``s."""
    if use.sum() < 2:
        return 0.0
    weight = scored[use]
    centred = estimate[use] - float((weight * estimate[use]).sum() / weight.sum())
    return max(float((centred**2).mean() - sampling[use].mean()), 0.0)


def _pooled_variance(rss: float, df: float, prior_sd: float) -> float:
    """The panel's noise variance: the residuals' ``rss / df`` and the prior's
    ``prior_sd^2`` averaged in log scale with weights df and ``NOISE_PRIOR_WEIGHT``. Scale-free:
    with plenty of residual df the data decide (a panel that agrees to 1 point gets about 1
    point), with none the prior does."""
    if df <= 0.0:
        return prior_sd**2
    observed = max(rss / df, (prior_sd * 1e-3) ** 2)
    log_var = (df * np.log(observed) + NOISE_PRIOR_WEIGHT * 2.0 * np.log(prior_sd)) / (
        df + NOISE_PRIOR_WEIGHT
    )
    return float(np.exp(log_var))


def _noise_exponent(
    log_var: FloatArray, log_spread: FloatArray, df: FloatArray, usable: npt.NDArray[np.bool_]
) -> float:
    """Slope / 2 of the judges' log noise variance on their log spread (df-weighted), in
    [0, 1]: 1 when noise scales with spread, 0 when it does not."""
    if usable.sum() < 3:
        return 0.5
    w, x, v = df[usable], log_spread[usable], log_var[usable]
    x = x - float((w * x).sum() / w.sum())
    sxx = float((w * x * x).sum())
    if sxx <= 1e-6 * float(w.sum()):
        return 0.5
    return min(max(float((w * x * v).sum()) / sxx / 2.0, 0.0), 1.0)


def _prior_sheets(noise: float, between: float, bounds: tuple[float, float]) -> float:
    """Pseudo-sheets = noise variance / between-judge variance, within ``bounds``."""
    if between <= 0.0:
        return bounds[1]
    return min(max(noise / between, bounds[0]), bounds[1])


def judge_covariance(
    model: JudgeEffectsFit, row: IntArray, column: IntArray, n_columns: int
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Posterior covariance of each judge's (offset, spread) given the qualities.

    Returns its Cholesky factor ``(l11, l21, l22)`` per judge: offset error = l11 z1, spread
    error = l21 z1 + l22 z2. The priors count as the pseudo-sheets they stand for, so a judge
    without sheets has the prior's own uncertainty.
    """
    q_sheet = np.nan_to_num(model.quality[row])
    scored = np.bincount(column, minlength=n_columns).astype(np.float64)
    sum_q = np.bincount(column, q_sheet, n_columns)
    sum_qq = np.bincount(column, q_sheet * q_sheet, n_columns)
    # Summed per innovation, not per sheet: the same in whatever order the judges come.
    quality = np.nan_to_num(model.quality)
    per_row = np.bincount(row, minlength=len(quality)).astype(np.float64)
    population = float((per_row * quality * quality).sum() / len(q_sheet)) if len(q_sheet) else 0.0
    # Precision matrix (per unit noise) [[n + k_a, sum q], [sum q, sum q^2 + k_b * V]].
    p11 = scored + model.offset_sheets
    p12 = sum_q
    p22 = sum_qq + model.spread_sheets * max(population, 1e-12)
    det = p11 * p22 - p12 * p12
    var = model.noise**2
    c11 = var * p22 / det
    c12 = -var * p12 / det
    c22 = var * p11 / det
    l11 = np.sqrt(c11)
    l21 = c12 / l11
    l22 = np.sqrt(np.maximum(c22 - l21 * l21, 0.0))
    return l11, l21, l22
