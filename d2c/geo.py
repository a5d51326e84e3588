"""Distances on the Earth, vectorised."""

from __future__ import annotations

import numpy as np

from d2c.constants import EARTH_MEAN_RADIUS_KM

KM_PER_DEG_LAT = np.pi * EARTH_MEAN_RADIUS_KM / 180.0


def haversine_km(lat1_deg, lon1_deg, lat2_deg, lon2_deg) -> np.ndarray:
    """Great-circle distance by the haversine formula (Sinnott, Sky & Telescope 68, 1984).

    Equator to pole is a quarter of a great circle, pi x 6371.0088 / 2 km:

    >>> f"{float(haversine_km(0.0, 0.0, 90.0, 0.0)):.1f}"
    '10007.6'
    """
    lat1, lon1, lat2, lon2 = (np.radians(np.asarray(x, dtype=float)) for x in (lat1_deg, lon1_deg, lat2_deg, lon2_deg))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_MEAN_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def pairs_within(
    lat1_deg: np.ndarray,
    lon1_deg: np.ndarray,
    radius_km: np.ndarray,
    lat2_deg: np.ndarray,
    lon2_deg: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All pairs (i, j) with point j within ``radius_km[i]`` of point i.

    A grid join: the second set is bucketed into cells at least as large as the
    largest radius, so each point of the first set only meets the 3 x 3 cells
    around it. Points of the first set are joined in classes of radius (each a
    factor 2 wide), each on cells of its own size, so that small city cells do
    not meet every point within reach of the largest rural cell. Memory and time
    grow with the number of near pairs, not with the product of the two sets.
    Returns (i, j, distance_km), sorted by i then j.

    >>> i, j, d = pairs_within([0.0, 0.0], [0.0, 0.0], [1.0, 200.0], [0.0, 0.0, 1.0], [0.005, 1.0, 0.0])
    >>> list(zip(i.tolist(), j.tolist()))
    [(0, 0), (1, 0), (1, 1), (1, 2)]
    """
    lat1 = np.asarray(lat1_deg, dtype=float)
    lon1 = np.asarray(lon1_deg, dtype=float)
    radius = np.broadcast_to(np.asarray(radius_km, dtype=float), lat1.shape)
    lat2 = np.asarray(lat2_deg, dtype=float)
    lon2 = np.asarray(lon2_deg, dtype=float)
    empty = (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0))
    if lat1.size == 0 or lat2.size == 0:
        return empty
    klass = np.ceil(np.log2(np.maximum(radius, 1e-3))).astype(np.int64)
    parts = []
    for k in np.unique(klass).tolist():
        sel = np.flatnonzero(klass == k)
        i, j, d = _grid_join(lat1[sel], lon1[sel], radius[sel], lat2, lon2)
        parts.append((sel[i], j, d))
    i_all = np.concatenate([p[0] for p in parts])
    j_all = np.concatenate([p[1] for p in parts])
    dist = np.concatenate([p[2] for p in parts])
    sort = np.lexsort((j_all, i_all))
    return i_all[sort], j_all[sort], dist[sort]


def _grid_join(lat1, lon1, radius, lat2, lon2) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The pairs of one radius class, on cells as large as its largest radius (unsorted)."""
    empty = (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0))
    max_lat = min(float(max(np.abs(lat1).max(), np.abs(lat2).max())) + 1.0, 89.0)
    cell_lat = max(float(radius.max()), 1e-3) / KM_PER_DEG_LAT
    cell_lon = cell_lat / np.cos(np.radians(max_lat))
    row2 = np.floor(lat2 / cell_lat).astype(np.int64)
    col2 = np.floor(lon2 / cell_lon).astype(np.int64)
    row1 = np.floor(lat1 / cell_lat).astype(np.int64)
    col1 = np.floor(lon1 / cell_lon).astype(np.int64)
    r0, c0 = min(row1.min(), row2.min()) - 1, min(col1.min(), col2.min()) - 1
    ncols = max(col1.max(), col2.max()) - c0 + 2
    key2 = (row2 - r0) * ncols + (col2 - c0)
    order = np.argsort(key2, kind="stable")
    sorted_keys = key2[order]
    i_parts, j_parts = [], []
    for dr in (-1, 0, 1):
        for dc in (-1, 0, 1):
            key1 = (row1 + dr - r0) * ncols + (col1 + dc - c0)
            lo = np.searchsorted(sorted_keys, key1, side="left")
            hi = np.searchsorted(sorted_keys, key1, side="right")
            counts = hi - lo
            total = int(counts.sum())
            if total == 0:
                continue
            i_idx = np.repeat(np.arange(lat1.size), counts)
            starts = np.repeat(lo - np.cumsum(counts) + counts, counts)
            j_idx = order[starts + np.arange(total)]
            i_parts.append(i_idx)
            j_parts.append(j_idx)
    if not i_parts:
        return empty
    i_all = np.concatenate(i_parts)
    j_all = np.concatenate(j_parts)
    dist = haversine_km(lat1[i_all], lon1[i_all], lat2[j_all], lon2[j_all])
    keep = dist <= radius[i_all]
    return i_all[keep], j_all[keep], dist[keep]


def nearest(lat1_deg, lon1_deg, lat2_deg, lon2_deg,
            radii_km=(1.0, 3.0, 10.0, 30.0, 100.0, 300.0, 1_000.0, 2_500.0)) -> np.ndarray:
    """Index of the nearest point of the second set for each point of the first (-1 if none within the last radius).

    Grid joins of growing radius, so only the points left unmatched search further. The answer does not
    depend on the radii (a point matched at radius r has its nearest point within r, ties included), only
    the cost does: starting small keeps the joins to a few pairs a point where points are dense (40,965
    national sites and nodes against 19,072 areas: 0.1 s from 1 km up, 4 s from 10 km up).

    >>> nearest([45.0, 41.9], [9.0, 12.5], [41.89, 45.46], [12.49, 9.19]).tolist()
    [1, 0]
    """
    lat1 = np.asarray(lat1_deg, dtype=float)
    lon1 = np.asarray(lon1_deg, dtype=float)
    out = np.full(lat1.size, -1, dtype=np.int64)
    if lat1.size == 0 or np.size(lat2_deg) == 0:
        return out
    todo = np.arange(lat1.size)
    for radius_km in radii_km:
        i, j, dist = pairs_within(lat1[todo], lon1[todo], np.full(todo.size, radius_km), lat2_deg, lon2_deg)
        if i.size:
            order = np.lexsort((j, dist, i))  # per point: closest first, lowest index on a tie
            first = np.unique(i[order], return_index=True)[1]
            out[todo[i[order][first]]] = j[order][first]
        todo = todo[out[todo] < 0]
        if todo.size == 0:
            break
    return out
