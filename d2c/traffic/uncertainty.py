"""Sampling uncertainty of the traffic figures: the replay sees a sample of the flows.

- Proportions (call setup success, SMS delivery): the Wilson score interval.
  source: E. B. Wilson, "Probable inference, the law of succession, and
  statistical inference", J. Amer. Statist. Assoc. 22 (1927) 209-212; recommended
  over the Wald interval for small n and proportions near 0 or 1 by L. D. Brown,
  T. T. Cai and A. DasGupta, "Interval Estimation for a Binomial Proportion",
  Statistical Science 16(2) (2001) 101-133.
- The median MOS: the percentile bootstrap (resample the calls with replacement,
  take the 2.5th and 97.5th percentiles of the resampled medians).
  source: B. Efron and R. J. Tibshirani, "An Introduction to the Bootstrap",
  Chapman & Hall (1993), chapter 13. The resampling uses a fixed seed, so the
  same run gives the same bytes.

Both are 95% intervals, as ``[low, high]`` lists (JSON-ready), or None without data.
"""

from __future__ import annotations

import numpy as np

__all__ = ["CONFIDENCE", "wilson_interval", "median_interval"]

CONFIDENCE = 0.95
Z_95 = 1.959963984540054  # two-sided 95% standard normal quantile
BOOTSTRAP_RESAMPLES = 1000  # Efron & Tibshirani (1993) ch. 13: about 1,000 for percentile intervals
_BOOTSTRAP_SEED = 0x5A3B1E
_CHUNK = 100  # resamples drawn at a time (bounds the memory: chunk x calls)


def wilson_interval(successes: int, n: int, z: float = Z_95) -> list[float] | None:
    """95% Wilson score interval of ``successes`` out of ``n`` (None when n is 0).

    >>> wilson_interval(81, 263)  # by hand: p 0.3080, centre 0.3107, half-width 0.0555
    [0.2553, 0.3662]
    >>> wilson_interval(10, 10)  # all successes: the interval still opens below 1
    [0.7225, 1.0]
    """
    if n <= 0:
        return None
    p = successes / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z / (1 + z2 / n) * np.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    return [round(float(max(centre - half, 0.0)), 4), round(float(min(centre + half, 1.0)), 4)]


def median_interval(values: np.ndarray, resamples: int = BOOTSTRAP_RESAMPLES) -> list[float] | None:
    """95% percentile-bootstrap interval of the median of the finite ``values`` (None if none).

    >>> median_interval(np.array([3.0, 3.0, 3.0]))  # no spread, no uncertainty
    [3.0, 3.0]
    >>> lo, hi = median_interval(np.arange(1.0, 102.0))  # median 51 of 101 evenly spread values
    >>> lo < 51.0 < hi and hi - lo < 30
    True
    """
    x = np.asarray(values, dtype=np.float64)
    x = x[np.isfinite(x)]
    if x.size == 0:
        return None
    rng = np.random.default_rng(_BOOTSTRAP_SEED)
    medians = []
    for start in range(0, resamples, _CHUNK):
        k = min(_CHUNK, resamples - start)
        medians.append(np.median(x[rng.integers(0, x.size, size=(k, x.size))], axis=1))
    lo, hi = np.percentile(np.concatenate(medians), [100 * (1 - CONFIDENCE) / 2, 100 * (1 + CONFIDENCE) / 2])
    return [round(float(lo), 4), round(float(hi), 4)]
