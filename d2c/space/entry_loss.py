"""Building-entry loss, Recommendation ITU-R P.2109-1 (02/2019) Annex 1 section 3.

3GPP TR 38.811 (sec. 6.6.3) prescribes this Recommendation for the building-entry
loss of a satellite path to an indoor handset. The loss is a distribution over
buildings and positions inside them; ``probability`` is the share P (0 < P < 1) of
cases in which the loss is not exceeded. With f in GHz and theta the elevation of
the path at the façade in degrees:

    L_h     = r + s log10 f + t (log10 f)^2      median loss of a horizontal path
    L_e     = 0.212 |theta|                      correction for the elevation
    mu_1    = L_h + L_e,          sigma_1 = u + v log10 f
    mu_2    = w + x log10 f,      sigma_2 = y + z log10 f
    A(P)    = F^-1(P) sigma_1 + mu_1
    B(P)    = F^-1(P) sigma_2 + mu_2
    C       = -3.0
    L(P)    = 10 log10(10^(0.1 A(P)) + 10^(0.1 B(P)) + 10^(0.1 C))      dB

F^-1 is the inverse of the standard normal cumulative distribution. Valid for
about 80 MHz to 100 GHz. The coefficients r..z are those of the Recommendation's
Table 1 for traditional and thermally-efficient buildings (thermally efficient:
metallised glass, foil-backed panels, as in buildings built to modern energy codes).

>>> round(float(building_entry_loss_db(2.0, 45.0, 0.5, "traditional")), 2)
23.53
"""

from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np

__all__ = [
    "BUILDING_TYPES",
    "P2109_TABLE_1",
    "building_entry_loss_db",
    "entry_loss_cdf",
]

BUILDING_TYPES: tuple[str, ...] = ("traditional", "thermally-efficient")

P2109_TABLE_1: dict[str, dict[str, float]] = {
    # Recommendation ITU-R P.2109-1 (02/2019), Table 1: building-entry loss model coefficients.
    "traditional": dict(r=12.64, s=3.72, t=0.96, u=9.6, v=2.0, w=9.1, x=-3.0, y=4.5, z=-2.0),
    "thermally-efficient": dict(r=28.19, s=-3.00, t=8.48, u=13.5, v=3.8, w=27.8, x=-2.9, y=9.4, z=-2.1),
}

_C_DB = -3.0
_ELEVATION_DB_PER_DEG = 0.212
_INV_NORMAL = np.vectorize(NormalDist().inv_cdf, otypes=[float])


def _coefficients(building: str) -> dict[str, float]:
    try:
        return P2109_TABLE_1[building]
    except KeyError:
        raise ValueError(f"building: expected one of {', '.join(BUILDING_TYPES)}, got {building!r}") from None


def _loss_at_z(frequency_ghz: np.ndarray | float, elevation_deg: np.ndarray | float,
               z: np.ndarray | float, building: str) -> np.ndarray:
    """L_BEL at the standard-normal quantile ``z`` = F^-1(P) (arrays broadcast)."""
    k = _coefficients(building)
    # Equivalent under mutation: every caller (cli, space/indoors) passes Python or float64 numbers,
    # which log10 and the arithmetic below turn into float64 with or without the explicit dtype.
    f_ghz = np.asarray(frequency_ghz, dtype=float)  # pragma: no mutate
    elevation = np.asarray(elevation_deg, dtype=float)  # pragma: no mutate
    lf = np.log10(f_ghz)
    mu1 = k["r"] + k["s"] * lf + k["t"] * lf**2 + _ELEVATION_DB_PER_DEG * np.abs(elevation)
    mu2 = k["w"] + k["x"] * lf
    sigma1 = k["u"] + k["v"] * lf
    sigma2 = k["y"] + k["z"] * lf
    z = np.asarray(z, dtype=float)  # pragma: no mutate  (equivalent: z comes from float64 tables)
    a = z * sigma1 + mu1
    b = z * sigma2 + mu2
    return 10.0 * np.log10(10.0 ** (0.1 * a) + 10.0 ** (0.1 * b) + 10.0 ** (0.1 * _C_DB))


def building_entry_loss_db(frequency_ghz: np.ndarray | float, elevation_deg: np.ndarray | float,
                           probability: np.ndarray | float = 0.5, building: str = "traditional") -> np.ndarray:
    """Loss (dB) not exceeded with ``probability`` (0..1 exclusive) for a building type.

    At 1 GHz (log10 f = 0), on a horizontal path, the median (F^-1(0.5) = 0) is
    10 log10(10^(0.1 r) + 10^(0.1 w) + 10^(0.1 C)) with r = 12.64, w = 9.1, C = -3 (Table 1):

    >>> round(float(building_entry_loss_db(1.0, 0.0, 0.5, "traditional")), 2)
    14.31
    """
    p = np.asarray(probability, dtype=float)  # pragma: no mutate  (equivalent: p is only compared)
    if np.any((p <= 0.0) | (p >= 1.0)):
        raise ValueError(f"probability: expected values strictly between 0 and 1, got {probability!r}")
    return _loss_at_z(frequency_ghz, elevation_deg, _INV_NORMAL(p), building)


# Quantiles on which the cumulative distribution is tabulated: F^-1(P) from -5 to 5.
_Z_GRID = np.linspace(-5.0, 5.0, 401)
_P_GRID = 0.5 * (1.0 + np.vectorize(math.erf)(_Z_GRID / math.sqrt(2.0)))


def entry_loss_cdf(loss_db: np.ndarray | float, frequency_ghz: float, elevation_deg: np.ndarray | float,
                   building: str = "traditional") -> np.ndarray:
    """P(L_BEL <= loss_db): the share of indoor positions whose entry loss fits a margin.

    The Recommendation gives L as a function of P; L rises with P, so the inverse is
    read off L tabulated on a grid of normal quantiles (interpolated, 0.025 sigma apart).
    Arrays of ``loss_db`` and ``elevation_deg`` broadcast.

    The inverse of :func:`building_entry_loss_db`: half the positions fit within the median loss.

    >>> round(float(entry_loss_cdf(building_entry_loss_db(1.0, 0.0, 0.5), 1.0, 0.0)), 3)
    0.5
    """
    # Equivalent under mutation: loss is only compared with and subtracted from float64 tables,
    # and _loss_at_z converts the elevation itself.
    loss_db, elevation_deg = np.asarray(loss_db, dtype=float), np.asarray(elevation_deg, dtype=float)  # pragma: no mutate
    loss, _ = np.broadcast_arrays(loss_db, elevation_deg)
    # the loss at each quantile depends on the elevation only: computed once per elevation, then
    # broadcast (a view) against the losses
    table = _loss_at_z(frequency_ghz, elevation_deg[..., None], _Z_GRID, building)
    table = np.broadcast_to(table, loss.shape + (_Z_GRID.size,))  # (..., Z), rising along Z
    below = (table <= loss[..., None]).sum(axis=-1)
    i = np.clip(below, 1, _Z_GRID.size - 1)
    lo = np.take_along_axis(table, (i - 1)[..., None], -1)[..., 0]
    hi = np.take_along_axis(table, i[..., None], -1)[..., 0]
    frac = (loss - lo) / np.maximum(hi - lo, 1e-12)
    # Equivalent under mutation: frac is within [0, 1] wherever it is used (1 <= below < size);
    # the clip only tidies the two ends, which the last line sets to 0 and 1.
    frac = np.clip(frac, 0.0, 1.0)  # pragma: no mutate
    p = _P_GRID[i - 1] + frac * (_P_GRID[i] - _P_GRID[i - 1])
    return np.where(below == 0, 0.0, np.where(below == _Z_GRID.size, 1.0, p))
