"""Towns as several points: a town's people spread over its built-up footprint.

A town of ``pop`` people gets ``ceil(pop / TOWN_POINT_PEOPLE)`` points (at most
``TOWN_MAX_POINTS``) on a sunflower spiral (Vogel, Math. Biosci. 44, 1979) over
the disc of its footprint, the first at the centre, each with an equal share
of the people. A site then serves only the points within its radius, so that a
town loses part of its coverage when one of its sites goes down, not all or
nothing. Points that no site reaches are folded back into the centre.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from d2c.topology import params as P
from d2c.topology.planar import nearest_within, offset_deg

__all__ = ["TownPoints", "points_per_town", "town_points"]

GOLDEN_ANGLE = np.pi * (3.0 - np.sqrt(5.0))


@dataclass(frozen=True)
class TownPoints:
    place: np.ndarray   # index into the selected places
    rank: np.ndarray    # 0 for the centre, 1.. for the others
    count: np.ndarray   # points of the place
    lat: np.ndarray
    lon: np.ndarray
    pop: np.ndarray     # int64 people at the point; a place's points sum to its population


def points_per_town(pop: np.ndarray) -> np.ndarray:
    """Points for each place: one below the town threshold, else one per ``TOWN_POINT_PEOPLE``, capped.

    >>> points_per_town(np.array([800, 4_000, 12_000, 2_800_000])).tolist()
    [1, 1, 3, 64]
    """
    n = np.ceil(np.asarray(pop, dtype=float) / P.TOWN_POINT_PEOPLE).astype(np.int64)
    n = np.clip(n, 1, P.TOWN_MAX_POINTS)
    return np.where(np.asarray(pop) >= P.TOWN_MIN_POPULATION, n, 1)


def town_points(lat, lon, pop, site_lat, site_lon, site_radius_km) -> TownPoints:
    """Every place as its points; towns as several, kept where some site reaches them.

    A village of 800 is one point; a town of 12,000 is three of 4,000 (``points_per_town``):

    >>> tp = town_points([42.0, 42.5], [13.0, 13.5], [800, 12_000], [42.0, 42.5], [13.0, 13.5], [5.0, 5.0])
    >>> tp.place.tolist(), tp.pop.tolist()
    ([0, 1, 1, 1], [800, 4000, 4000, 4000])
    """
    pop = np.asarray(pop, dtype=np.int64)
    k = points_per_town(pop)
    place = np.repeat(np.arange(pop.size), k)
    rank = np.arange(k.sum()) - np.repeat(np.cumsum(k) - k, k)
    count = k[place]
    footprint_km = np.sqrt(pop[place] / (np.pi * P.URBAN_DENSITY_PER_KM2))
    rad = footprint_km * np.sqrt(rank / count)
    ang = rank * GOLDEN_ANGLE
    p_lat, p_lon = offset_deg(np.asarray(lat)[place], np.asarray(lon)[place], rad * np.cos(ang), rad * np.sin(ang))
    p_lat, p_lon = np.round(p_lat, P.LATLON_DECIMALS), np.round(p_lon, P.LATLON_DECIMALS)
    reached = rank == 0
    off = np.nonzero(~reached)[0]
    if off.size:
        best, _ = nearest_within(p_lat[off], p_lon[off], site_lat, site_lon,
                                 np.asarray(site_radius_km) - P.COVERAGE_MARGIN_KM)
        reached[off] = best >= 0
    place, p_lat, p_lon = place[reached], p_lat[reached], p_lon[reached]
    kept = np.bincount(place, minlength=pop.size)
    rank = np.arange(place.size) - np.repeat(np.cumsum(kept) - kept, kept)  # renumbered 0.. within each place
    share = pop // k                                                # people at each point; the rest at the centre
    p_pop = share[place].copy()
    centre = rank == 0
    p_pop[centre] = pop[place[centre]] - share[place[centre]] * (kept[place[centre]] - 1)
    return TownPoints(place=place, rank=rank, count=kept[place], lat=p_lat, lon=p_lon, pop=p_pop)
