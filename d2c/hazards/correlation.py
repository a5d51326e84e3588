"""Spatially correlated within-event residuals of ground motion, drawn on a grid.

Within one earthquake, the residual of PGA about the GMPE's median at two
places is correlated by their separation ``h``: Jayaram & Baker (2009),
"Correlation model for spatially distributed ground-motion intensities",
Earthquake Engng Struct. Dyn. 38, 1687-1708, equation (17):
``rho(h) = exp(-3 h / b)`` with, for periods below 1 s, ``b = 8.5 + 17.2 T`` km
where site conditions cluster and ``b = 40.7 - 15.0 T`` km where they do not;
PGA is T = 0.

A dense N x N covariance would not fit a national topology (40k sites), so the
field is drawn on a regular grid by circulant embedding (Dietrich & Newsam
1997, SIAM J. Sci. Comput. 18(4), 1088-1107): the grid is embedded in a torus
large enough that wrap-around correlation is negligible, the covariance's
eigenvalues are its 2-D FFT, and one complex FFT of white noise scaled by
their square roots gives a field with exactly that covariance on the grid
nodes. Each place takes the value of its nearest node, so places at the same
spot share their draw and every draw costs O(G log G) for G nodes.
"""

from __future__ import annotations

import numpy as np

__all__ = ["RANGE_CLUSTERED_KM", "RANGE_UNCLUSTERED_KM", "exponential_correlation", "correlated_standard_normal"]

# Jayaram & Baker (2009) equation (17) at T = 0 (PGA)
RANGE_CLUSTERED_KM = 8.5
RANGE_UNCLUSTERED_KM = 40.7

# Grid spacing: a tenth of the range, never finer than 0.5 km, and coarse enough that a
# national field stays within about four million nodes (~1 s of FFT on one core).
_MIN_SPACING_KM = 0.5
_MAX_NODES = 4_000_000
# Torus padding, in ranges: the correlation across the seam is exp(-3 x 4) = 6e-6.
_PAD_RANGES = 4.0


def exponential_correlation(separation_km, range_km: float) -> np.ndarray:
    """rho(h) = exp(-3 h / b) (Jayaram & Baker 2009, eq. 17): 0.05 at one range.

    >>> round(float(exponential_correlation(8.5, 8.5)), 4)
    0.0498
    """
    return np.exp(-3.0 * np.asarray(separation_km, dtype=float) / range_km)


def correlated_standard_normal(x_km: np.ndarray, y_km: np.ndarray, range_km: float,
                               rng: np.random.Generator) -> np.ndarray:
    """One draw of a zero-mean, unit-variance field with exponential correlation at these places.

    ``x_km``, ``y_km``: coordinates on a local plane (east, north). Places closer
    than the grid spacing share a value; the spacing is at most a tenth of the range.

    Two places at the same spot share their draw:

    >>> rng = np.random.default_rng(1)
    >>> field = correlated_standard_normal(np.array([0.0, 0.0, 100.0]), np.array([0.0, 0.0, 0.0]), 8.5, rng)
    >>> bool(field[0] == field[1]), field.shape
    (True, (3,))
    """
    x = np.asarray(x_km, dtype=float)
    y = np.asarray(y_km, dtype=float)
    if x.size == 0:
        return np.zeros(0)
    x0, y0 = x.min(), y.min()
    extent = max(x.max() - x0, y.max() - y0, range_km)
    spacing = max(range_km / 10.0, _MIN_SPACING_KM)
    pad = _PAD_RANGES * range_km
    while ((extent + pad) / spacing + 1) ** 2 > _MAX_NODES:
        spacing *= 1.25
    ix = np.rint((x - x0) / spacing).astype(np.int64)
    iy = np.rint((y - y0) / spacing).astype(np.int64)
    nx = _fft_size(int(ix.max()) + 1 + int(np.ceil(pad / spacing)))
    ny = _fft_size(int(iy.max()) + 1 + int(np.ceil(pad / spacing)))
    # distances on the torus from node (0, 0)
    dx = np.minimum(np.arange(nx), nx - np.arange(nx)) * spacing
    dy = np.minimum(np.arange(ny), ny - np.arange(ny)) * spacing
    cov = exponential_correlation(np.hypot(dx[:, None], dy[None, :]), range_km)
    eigen = np.clip(np.fft.fft2(cov).real, 0.0, None)  # tiny negative round-off only
    noise = rng.standard_normal((nx, ny)) + 1j * rng.standard_normal((nx, ny))
    field = np.fft.fft2(np.sqrt(eigen / (nx * ny)) * noise).real
    return field[ix, iy]


def _fft_size(n: int) -> int:
    """The smallest 2^a 3^b 5^c at least ``n`` (sizes numpy's FFT handles fast)."""
    best = 1 << int(np.ceil(np.log2(max(n, 1))))
    p5 = 1
    while p5 < best:
        p35 = p5
        while p35 < best:
            p = p35
            while p < n:
                p *= 2
            best = min(best, p)
            p35 *= 3
        p5 *= 5
    return best
