"""A local planar projection and grid keys for the topology builder.

Points are placed on a local equirectangular plane (``project_km``, moved on
it with ``offset_deg``) and bucketed into square cells (``cell_keys``,
``adaptive_cell_keys``). No KD-tree: points are bucketed into square cells on a local equirectangular
projection and each query only meets the 3 x 3 cells around it, so the cost
grows with the number of near pairs, not with the product of the two sets.
"""

from __future__ import annotations

import numpy as np

from d2c.constants import EARTH_MEAN_RADIUS_KM
from d2c.geo import pairs_within as grid_pairs_within

__all__ = [
    "KM_PER_DEG",
    "adaptive_cell_keys",
    "cell_keys",
    "neighbour_keys",
    "nearest_within",
    "offset_deg",
    "pairs_within",
    "project_km",
]

KM_PER_DEG = np.pi * EARTH_MEAN_RADIUS_KM / 180.0


def project_km(lat, lon, lat_ref_deg: float) -> tuple[np.ndarray, np.ndarray]:
    """Equirectangular x, y in km, east-west scaled at ``lat_ref_deg``.

    With ``lat_ref_deg`` at or beyond the territory's highest latitude,
    projected east-west distances never exceed the true ones, so a true
    neighbour within r is never more than r away on the grid.
    """
    lat = np.asarray(lat, dtype=float)
    lon = np.asarray(lon, dtype=float)
    return lon * KM_PER_DEG * np.cos(np.radians(lat_ref_deg)), lat * KM_PER_DEG


def offset_deg(lat, lon, east_km, north_km) -> tuple[np.ndarray, np.ndarray]:
    """Move points by (east, north) km on the local tangent plane."""
    lat = np.asarray(lat, dtype=float)
    lon = np.asarray(lon, dtype=float)
    new_lat = lat + np.asarray(north_km) / KM_PER_DEG
    new_lon = lon + np.asarray(east_km) / (KM_PER_DEG * np.cos(np.radians(lat)))
    return new_lat, new_lon


_KEY_BASE = np.int64(1 << 21)
_KEY_OFFSET = np.int64(1 << 20)


def cell_keys(x_km, y_km, cell_km: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Integer cell indices (cx, cy) and one int64 key per point."""
    cx = np.floor(np.asarray(x_km) / cell_km).astype(np.int64)
    cy = np.floor(np.asarray(y_km) / cell_km).astype(np.int64)
    return cx, cy, (cx + _KEY_OFFSET) * _KEY_BASE + (cy + _KEY_OFFSET)


def neighbour_keys(cx: int, cy: int) -> list[int]:
    """Keys of the 3 x 3 cells around cell (cx, cy)."""
    return [int((cx + dx + _KEY_OFFSET) * _KEY_BASE + (cy + dy + _KEY_OFFSET)) for dx in (-1, 0, 1) for dy in (-1, 0, 1)]


def adaptive_cell_keys(x_km, y_km, weight, coarse_km: float, fine_km: float, split_above: float) -> np.ndarray:
    """Cell keys on a coarse grid, refined to a fine grid where a coarse cell is crowded.

    ``weight`` is what crowds a cell (e.g. 1 per site, 0 for other equipment).
    Keys of the two grids never collide (the fine keys are negated).
    """
    _, _, coarse = cell_keys(x_km, y_km, coarse_km)
    _, _, fine = cell_keys(x_km, y_km, fine_km)
    uniq, inverse = np.unique(coarse, return_inverse=True)
    load = np.bincount(inverse, weights=np.asarray(weight, dtype=float), minlength=uniq.size)
    crowded = load[inverse] > split_above
    return np.where(crowded, -fine - 1, coarse)


def pairs_within(lat_q, lon_q, lat_p, lon_p, radius_p):
    """All pairs (query i, point j) with query i within ``radius_p[j]`` of point j: (i, j, distance_km)."""
    j, i, d = grid_pairs_within(lat_p, lon_p, radius_p, lat_q, lon_q)
    return i, j, d


def nearest_within(lat_q, lon_q, lat_p, lon_p, radius_p) -> tuple[np.ndarray, np.ndarray]:
    """For each query, the nearest point j whose radius reaches it (-1 if none), and the distance."""
    n = np.asarray(lat_q).size
    best = np.full(n, -1, dtype=np.int64)
    dist = np.full(n, np.inf)
    qi, pj, d = pairs_within(lat_q, lon_q, lat_p, lon_p, radius_p)
    if qi.size:
        order = np.lexsort((pj, d, qi))  # by query, then distance, then index (deterministic ties)
        qi, pj, d = qi[order], pj[order], d[order]
        first = np.ones(qi.size, dtype=bool)
        first[1:] = qi[1:] != qi[:-1]
        best[qi[first]] = pj[first]
        dist[qi[first]] = d[first]
    return best, dist
