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

    At a reference of 60 deg a degree of longitude is half a degree of latitude (cos 60 = 0.5),
    which is pi x 6371.0088 / 180 = 111.2 km:

    >>> x, y = project_km(1.0, 1.0, 60.0)
    >>> round(float(x), 1), round(float(y), 1)
    (55.6, 111.2)
    """
    lat = np.asarray(lat, dtype=float)
    lon = np.asarray(lon, dtype=float)
    return lon * KM_PER_DEG * np.cos(np.radians(lat_ref_deg)), lat * KM_PER_DEG


def offset_deg(lat, lon, east_km, north_km) -> tuple[np.ndarray, np.ndarray]:
    """Move points by (east, north) km on the local tangent plane.

    At 60 deg N half a degree's length east and a degree's length north is one degree each way:

    >>> lat, lon = offset_deg(60.0, 13.0, KM_PER_DEG / 2, KM_PER_DEG)
    >>> round(float(lat), 9), round(float(lon), 9)
    (61.0, 14.0)
    """
    lat = np.asarray(lat, dtype=float)
    lon = np.asarray(lon, dtype=float)
    new_lat = lat + np.asarray(north_km) / KM_PER_DEG
    new_lon = lon + np.asarray(east_km) / (KM_PER_DEG * np.cos(np.radians(lat)))
    return new_lat, new_lon


_KEY_BASE = np.int64(1 << 21)
_KEY_OFFSET = np.int64(1 << 20)


def cell_keys(x_km, y_km, cell_km: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Integer cell indices (cx, cy) and one int64 key per point.

    Cells are floored, so a point at -0.5 km is in cell -1:

    >>> cx, cy, key = cell_keys([0.5, 1.5, -0.5], [0.5, 0.5, 0.5], 1.0)
    >>> cx.tolist(), cy.tolist(), len(set(key.tolist()))
    ([0, 1, -1], [0, 0, 0], 3)
    """
    cx = np.floor(np.asarray(x_km) / cell_km).astype(np.int64)
    cy = np.floor(np.asarray(y_km) / cell_km).astype(np.int64)
    return cx, cy, (cx + _KEY_OFFSET) * _KEY_BASE + (cy + _KEY_OFFSET)


def neighbour_keys(cx: int, cy: int) -> list[int]:
    """Keys of the 3 x 3 cells around cell (cx, cy).

    The cell itself is among them; a cell two columns away is not:

    >>> keys = neighbour_keys(0, 0)
    >>> len(keys), int(cell_keys(0.5, 0.5, 1.0)[2]) in keys, int(cell_keys(2.5, 0.5, 1.0)[2]) in keys
    (9, True, False)
    """
    return [int((cx + dx + _KEY_OFFSET) * _KEY_BASE + (cy + dy + _KEY_OFFSET)) for dx in (-1, 0, 1) for dy in (-1, 0, 1)]


def adaptive_cell_keys(x_km, y_km, weight, coarse_km: float, fine_km: float, split_above: float) -> np.ndarray:
    """Cell keys on a coarse grid, refined to a fine grid where a coarse cell is crowded.

    ``weight`` is what crowds a cell (e.g. 1 per site, 0 for other equipment).
    Keys of the two grids never collide (the fine keys are negated).

    Three sites crowd a 10 km cell that takes 2.5 and are split on the 1 km grid (two share a
    fine cell); a lone site 15 km away keeps its coarse key:

    >>> keys = adaptive_cell_keys([0.5, 0.6, 1.7, 15.5], [0.5] * 4, [1, 1, 1, 1], 10.0, 1.0, 2.5)
    >>> (keys < 0).tolist(), bool(keys[0] == keys[1]), bool(keys[1] == keys[2])
    ([True, True, True, False], True, False)
    """
    _, _, coarse = cell_keys(x_km, y_km, coarse_km)
    _, _, fine = cell_keys(x_km, y_km, fine_km)
    uniq, inverse = np.unique(coarse, return_inverse=True)
    load = np.bincount(inverse, weights=np.asarray(weight, dtype=float), minlength=uniq.size)
    crowded = load[inverse] > split_above
    return np.where(crowded, -fine - 1, coarse)


def pairs_within(lat_q, lon_q, lat_p, lon_p, radius_p):
    """All pairs (query i, point j) with query i within ``radius_p[j]`` of point j: (i, j, distance_km).

    On the equator 0.05 deg of longitude is 5.6 km, inside a 10 km radius; 0.5 deg is not:

    >>> i, j, d = pairs_within([0.0, 0.0], [0.0, 1.0], [0.0, 0.0], [0.05, 0.5], [10.0, 10.0])
    >>> list(zip(i.tolist(), j.tolist())), [round(float(x), 1) for x in d]
    ([(0, 0)], [5.6])
    """
    j, i, d = grid_pairs_within(lat_p, lon_p, radius_p, lat_q, lon_q)
    return i, j, d


def nearest_within(lat_q, lon_q, lat_p, lon_p, radius_p) -> tuple[np.ndarray, np.ndarray]:
    """For each query, the nearest point j whose radius reaches it (-1 if none), and the distance.

    Points at 0.1 and 0.5 deg E reach 30 km; queries at 0, 0.4 and 3 deg E on the equator
    (0.1 deg = 11.1 km):

    >>> best, dist = nearest_within([0.0, 0.0, 0.0], [0.0, 0.4, 3.0], [0.0, 0.0], [0.1, 0.5], [30.0, 30.0])
    >>> best.tolist(), [round(float(x), 1) for x in dist]
    ([0, 1, -1], [11.1, 11.1, inf])
    """
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
