"""Grid feeds and backup power: synthetic primary substations, batteries, generators."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from d2c.topology import params as P
from d2c.topology.planar import adaptive_cell_keys, project_km

__all__ = ["Substations", "node_batteries", "place_substations", "site_batteries"]


@dataclass
class Substations:
    ids: list[str]
    lat: np.ndarray
    lon: np.ndarray
    feed: np.ndarray  # per equipment item: index of the substation feeding it


def place_substations(lat: np.ndarray, lon: np.ndarray, is_site: np.ndarray, lat_ref_deg: float) -> Substations:
    """One substation per occupied grid cell (finer where sites crowd), at the centre of what it feeds.

    Ids name the cell (``SS-<x>-<y>`` on the 12 km grid, ``SS-<x>-<y>f`` on the
    4 km grid), so the same place gets the same substation id in a national
    and in a regional build.

    Two sites 1 km apart on the equator share the 12 km cell (0, 0) and a substation halfway;
    one 55 km east is in cell 4:

    >>> s = place_substations(np.zeros(3), np.array([0.005, 0.014, 0.5]), np.ones(3, dtype=bool), 0.0)
    >>> s.ids, s.feed.tolist(), float(s.lon[0])
    (['SS-0-0', 'SS-4-0'], [0, 0, 1], 0.0095)
    """
    x, y = project_km(lat, lon, lat_ref_deg)
    key = adaptive_cell_keys(x, y, is_site.astype(float), P.SUBSTATION_CELL_KM,
                             P.SUBSTATION_FINE_CELL_KM, P.SUBSTATION_SPLIT_SITES)
    ukeys, feed = np.unique(key, return_inverse=True)
    feed = feed.ravel()
    # number substations in order of first use, so they follow the equipment order
    first_use = np.full(ukeys.size, feed.size, dtype=np.int64)
    np.minimum.at(first_use, feed, np.arange(feed.size))
    rank = np.empty(ukeys.size, dtype=np.int64)
    rank[np.argsort(first_use, kind="stable")] = np.arange(ukeys.size)
    ukeys = ukeys[np.argsort(first_use, kind="stable")]
    feed = rank[feed]
    count = np.bincount(feed, minlength=ukeys.size)
    sub_lat = np.round(np.bincount(feed, weights=lat, minlength=ukeys.size) / count, P.LATLON_DECIMALS)
    sub_lon = np.round(np.bincount(feed, weights=lon, minlength=ukeys.size) / count, P.LATLON_DECIMALS)
    ids = []
    first = np.zeros(ukeys.size, dtype=np.int64)
    first[feed[::-1]] = np.arange(feed.size)[::-1]  # any member gives the cell's indices
    for k, i in zip(ukeys.tolist(), first.tolist()):
        if k < 0:
            cx, cy = int(np.floor(x[i] / P.SUBSTATION_FINE_CELL_KM)), int(np.floor(y[i] / P.SUBSTATION_FINE_CELL_KM))
            ids.append(f"SS-{cx}-{cy}f")
        else:
            cx, cy = int(np.floor(x[i] / P.SUBSTATION_CELL_KM)), int(np.floor(y[i] / P.SUBSTATION_CELL_KM))
            ids.append(f"SS-{cx}-{cy}")
    return Substations(ids, sub_lat, sub_lon, feed)


def site_batteries(op: np.ndarray, cls: np.ndarray, is_hub: np.ndarray,
                   rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Battery hours and fixed-generator fuel hours (0 = none) per site, by operator and class.

    ``op`` indexes ``params.OPERATORS`` and ``cls`` indexes ``radio.CLASS_NAMES``
    (the order of ``params.SITE_CLASSES``). The operator sets the median, the share of sites
    with no working battery and the generator share; the class scales the median
    (``params.OPERATOR_POWER``, ``params.CLASS_BATTERY_FACTOR``).

    >>> rng = np.random.default_rng(0)
    >>> tim, iliad = P.OPERATORS.index("TIM"), P.OPERATORS.index("Iliad")
    >>> rural = list(P.SITE_CLASSES).index("rural")
    >>> op = np.r_[np.full(2000, tim), np.full(2000, iliad)]
    >>> b, g = site_batteries(op, np.full(4000, rural), np.zeros(4000, bool), rng)
    >>> bool(np.median(b[:2000]) > 2 * np.median(b[2000:]))
    True
    """
    n = op.size
    profile = [P.OPERATOR_POWER[name] for name in P.OPERATORS]
    median = np.array([p["battery_median_hours"] for p in profile])[op]
    median = median * np.array([P.CLASS_BATTERY_FACTOR[c] for c in P.SITE_CLASSES])[cls]
    battery = np.exp(np.log(median) + P.BATTERY_SIGMA * rng.standard_normal(n))
    battery = np.round(np.clip(battery, *P.BATTERY_CLIP_HOURS), 1)
    no_backup = rng.random(n) < np.array([p["no_backup_share"] for p in profile])[op]
    battery = np.where(no_backup, P.NO_BACKUP_HOURS, battery)
    share = np.where(is_hub, P.GENERATOR_SHARE_HUB, P.GENERATOR_SHARE_OTHER)
    share = np.minimum(share * np.array([p["generator_factor"] for p in profile])[op], 1.0)
    has_gen = rng.random(n) < share
    lo, hi = P.GENERATOR_HOURS_RANGE
    fuel = rng.integers(lo, hi + 1, size=n).astype(float)
    return battery, np.where(has_gen, fuel, 0.0)


def node_batteries(kinds: list[str], rng: np.random.Generator) -> np.ndarray:
    """Battery hours per transport node: lognormal around its kind's median (``params.NODE_POWER``).

    >>> hours = node_batteries(["access"] * 1000, np.random.default_rng(0))
    >>> bool(5.5 < np.median(hours) < 6.5), bool(hours.min() >= 2.0)
    (True, True)
    """
    median = np.array([P.NODE_POWER[k]["battery_hours"] for k in kinds], dtype=float)
    hours = np.exp(np.log(median) + P.BATTERY_SIGMA * rng.standard_normal(len(kinds)))
    return np.round(np.clip(hours, *P.NODE_BATTERY_CLIP_HOURS), 1)
