"""Cell sites: where the towers go, which operators hang on them, what they carry.

Three layers, all vectorised over places:

1. towns (2,000 people or more): a tower at the centre shared by the
   operators drawn for it (an anchor and others, ``TENANTS_PER_SHARED_TOWER``
   on average), a tower of its own for each operator not on it, plus, for
   larger places, one grid of towers per tower family spread over the
   built-up footprint (a sunflower spiral), as many as the busiest operator
   of the family needs for its subscribers;
2. the rural coverage layer: greedy, largest uncovered place first, a tower
   that covers every still-uncovered place within ``RURAL_MAX_RADIUS_KM``,
   until every place is covered (grid-bucketed neighbour search); its towers
   get tenants like a town's centre tower, then each operator covers what its
   own sites leave uncovered with towers of its own: every operator has its
   own footprint, and every place is covered by each operator;
3. capacity: each operator's site carries its share of the people it serves,
   voice dimensioned with Erlang B, data from the busy-hour volume.

``town_points`` then spreads each town's people over several points of its
footprint, so that a town can lose part of its coverage.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from d2c.geo import haversine_km
from d2c.topology import params as P
from d2c.topology.planar import cell_keys, nearest_within, neighbour_keys, offset_deg, project_km

__all__ = ["CLASS_NAMES", "OPS", "SHARE", "TOWER_RURAL", "Sites", "Towers", "build_sites", "capacity",
           "erlang_b_channels", "place_class", "shared_tenants"]

OPS = P.OPERATORS
N_OPS = len(OPS)
SHARE = np.array([P.OPERATOR_SHARE[o] for o in OPS])
FAMILY_OF_OP = np.array([next(f for f, fam in enumerate(P.TOWER_FAMILIES) if o in fam) for o in OPS])
CLASS_NAMES = ("dense", "urban", "suburban", "town", "rural")
GOLDEN_ANGLE = np.pi * (3.0 - np.sqrt(5.0))  # sunflower spiral (Vogel, Math. Biosci. 44, 1979)

TOWER_CENTRE, TOWER_FAMILY, TOWER_RURAL, TOWER_OWN = 0, 1, 2, 3
# chance that an operator other than the anchor is on a shared tower
P_OTHER_TENANT = (P.TENANTS_PER_SHARED_TOWER - 1.0) / (N_OPS - 1)


@dataclass
class Towers:
    lat: np.ndarray
    lon: np.ndarray
    place: np.ndarray      # host place (index into the selected places)
    kind: np.ndarray       # TOWER_CENTRE / TOWER_FAMILY / TOWER_RURAL
    label: list[str]       # tower part of the site id
    cls: np.ndarray        # index into CLASS_NAMES

    @property
    def shared_by_all(self) -> np.ndarray:
        """Towers open to every operator (town centres, the rural layer): candidates for hubs."""
        return (self.kind == TOWER_CENTRE) | (self.kind == TOWER_RURAL)


@dataclass
class Sites:
    tower: np.ndarray      # index into Towers
    op: np.ndarray         # index into OPS
    radius_km: np.ndarray
    served_pop: np.ndarray  # residents in the site's share of its area (all operators)
    calls: np.ndarray
    mbps: np.ndarray


def place_class(pop: np.ndarray) -> np.ndarray:
    """Index into ``CLASS_NAMES`` of each place by its population (``params.SITE_CLASSES`` ``min_pop``).

    >>> [CLASS_NAMES[c] for c in place_class(np.array([500, 2_000, 10_000, 50_000, 200_000]))]
    ['rural', 'town', 'suburban', 'urban', 'dense']
    """
    cls = np.full(pop.shape, CLASS_NAMES.index("rural"), dtype=np.int64)
    for name in reversed(CLASS_NAMES[:-1]):  # town, suburban, urban, dense: larger overrides
        cls[pop >= P.SITE_CLASSES[name]["min_pop"]] = CLASS_NAMES.index(name)
    return cls


def _class_array(key: str) -> np.ndarray:
    return np.array([P.SITE_CLASSES[c][key] or 0 for c in CLASS_NAMES], dtype=float)


def _round_latlon(lat, lon):
    return np.round(lat, P.LATLON_DECIMALS), np.round(lon, P.LATLON_DECIMALS)


def _ceil_km(x):
    return np.ceil(np.asarray(x) * 100.0 - 1e-9) / 100.0


def build_sites(lat, lon, pop, gid, lat_ref_deg: float, rng: np.random.Generator) -> tuple[Towers, Sites]:
    """Towers and operator sites covering every place given (arrays of the selected places)."""
    n_places = lat.size
    cls = place_class(pop)
    is_town = pop >= P.TOWN_MIN_POPULATION
    town = np.nonzero(is_town)[0]
    T = town.size

    # ---- sites per operator in each town
    subs_per_site = _class_array("subs_per_site")[cls[town]]
    subs = pop[town, None] * P.SIMS_PER_PERSON * SHARE[None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        n_op = np.where(subs_per_site[:, None] > 0, np.ceil(subs / subs_per_site[:, None]), 1.0)
    n_op = np.maximum(n_op, 1).astype(np.int64)                       # (T, ops)
    n_fam = np.stack([n_op[:, FAMILY_OF_OP == f].max(axis=1) for f in range(len(P.TOWER_FAMILIES))], axis=1)
    footprint_km = np.sqrt(pop[town] / (np.pi * P.URBAN_DENSITY_PER_KM2))
    min_r = _class_array("min_radius_km")[cls[town]]
    r_op = np.maximum(min_r[:, None], P.CELL_RADIUS_FACTOR * np.sqrt(np.pi * footprint_km[:, None] ** 2 / n_op))
    r_op = _ceil_km(r_op)
    spin = rng.uniform(0.0, 2.0 * np.pi, size=T)                     # orientation of each town's grid

    # ---- towers: town centres, then family grids
    c_lat, c_lon = lat[town], lon[town]
    tw_lat = [c_lat]
    tw_lon = [c_lon]
    tw_place = [town]
    tw_kind = [np.full(T, TOWER_CENTRE)]
    tw_label = [[str(g) for g in gid[town]]]
    tw_cls = [cls[town]]
    family_base = np.zeros((T, len(P.TOWER_FAMILIES)), dtype=np.int64)  # index of tower k=1 of each family
    next_index = T
    for f in range(len(P.TOWER_FAMILIES)):
        extra = n_fam[:, f] - 1
        t_rep = np.repeat(np.arange(T), extra)
        k = np.arange(extra.sum()) - np.repeat(np.cumsum(extra) - extra, extra) + 1
        family_base[:, f] = next_index + np.cumsum(extra) - extra
        next_index += int(extra.sum())
        rad = footprint_km[t_rep] * np.sqrt(k / n_fam[t_rep, f])
        ang = spin[t_rep] + k * GOLDEN_ANGLE + f * np.pi
        f_lat, f_lon = offset_deg(c_lat[t_rep], c_lon[t_rep], rad * np.cos(ang), rad * np.sin(ang))
        tw_lat.append(f_lat)
        tw_lon.append(f_lon)
        tw_place.append(town[t_rep])
        tw_kind.append(np.full(t_rep.size, TOWER_FAMILY))
        letter = "AB"[f] if f < 2 else f"F{f}"
        tw_label.append([f"{g}{letter}{kk}" for g, kk in zip(gid[town][t_rep], k)])
        tw_cls.append(cls[town][t_rep])

    # ---- operator sites on town towers; an operator not on the centre tower gets a tower of its own
    centre_tenant = shared_tenants(T, rng)                            # (T, ops)
    own_base = next_index
    own_t, own_o = np.nonzero(~centre_tenant)
    own_index = np.full((T, N_OPS), -1, dtype=np.int64)
    own_index[own_t, own_o] = own_base + np.arange(own_t.size)
    next_index += own_t.size
    ang = spin[own_t] + 2.0 * np.pi * own_o / N_OPS
    rad = P.OWN_TOWER_OFFSET * footprint_km[own_t]
    o_lat, o_lon = offset_deg(c_lat[own_t], c_lon[own_t], rad * np.cos(ang), rad * np.sin(ang))
    tw_lat.append(o_lat)
    tw_lon.append(o_lon)
    tw_place.append(town[own_t])
    tw_kind.append(np.full(own_t.size, TOWER_OWN))
    tw_label.append([f"{g}{P.OPERATOR_CODE[OPS[o]]}" for g, o in zip(gid[town][own_t], own_o)])
    tw_cls.append(cls[town][own_t])

    s_tower, s_op, s_radius, s_served = [], [], [], []
    for o in range(N_OPS):
        f = FAMILY_OF_OP[o]
        n_o = n_op[:, o]
        t_rep = np.repeat(np.arange(T), n_o)
        j = np.arange(n_o.sum()) - np.repeat(np.cumsum(n_o) - n_o, n_o)
        step = (n_fam[t_rep, f] - 1) / np.maximum(n_o[t_rep] - 1, 1)
        k = np.floor(j * step + 0.5).astype(np.int64)                  # evenly spread over the family grid
        first = np.where(centre_tenant[t_rep, o], t_rep, own_index[t_rep, o])
        tower = np.where(k == 0, first, family_base[t_rep, f] + k - 1)
        s_tower.append(tower)
        s_op.append(np.full(tower.size, o))
        s_radius.append(r_op[t_rep, o])
        s_served.append(pop[town][t_rep] / n_o[t_rep])

    # ---- which places the town towers already cover (the centre's smallest radius, as every operator reaches it)
    centre_r = r_op.min(axis=1) if T else np.zeros(0)
    covered = np.zeros(n_places, dtype=bool)
    covered[town] = True
    if T:
        best, _ = nearest_within(lat, lon, c_lat, c_lon, centre_r - P.COVERAGE_MARGIN_KM)
        covered |= best >= 0

    # ---- rural coverage layer, greedy, open to every operator
    r_lat, r_lon, r_place, r_radius = _rural_cover(lat, lon, pop, gid, covered, lat_ref_deg)
    R = r_place.size
    rural_index = next_index + np.arange(R)
    next_index += R
    tw_lat.append(r_lat)
    tw_lon.append(r_lon)
    tw_place.append(r_place)
    tw_kind.append(np.full(R, TOWER_RURAL))
    tw_label.append([str(g) for g in gid[r_place]])
    tw_cls.append(np.full(R, CLASS_NAMES.index("rural")))
    rural_tenant = shared_tenants(R, rng)                             # (R, ops)
    hosts = np.zeros(n_places, dtype=bool)
    hosts[town] = True
    hosts[r_place] = True

    # ---- each operator covers what its own sites leave uncovered: towers of its own, else the nearest shared one
    for o in range(N_OPS):
        o_cov = _covered_by(o, lat, lon, np.concatenate(tw_lat), np.concatenate(tw_lon), np.concatenate(s_tower),
                            np.concatenate(s_op), np.concatenate(s_radius), rural_index, rural_tenant, r_radius)
        x_lat, x_lon, x_place, x_radius, joined = _rural_cover(lat, lon, pop, gid, o_cov, lat_ref_deg,
                                                               may_host=~hosts, join=(r_lat, r_lon, r_radius))
        rural_tenant[joined, o] = True
        X = x_place.size
        tw_lat.append(x_lat)
        tw_lon.append(x_lon)
        tw_place.append(x_place)
        tw_kind.append(np.full(X, TOWER_RURAL))
        tw_label.append([f"{g}{P.OPERATOR_CODE[OPS[o]]}" for g in gid[x_place]])
        tw_cls.append(np.full(X, CLASS_NAMES.index("rural")))
        hosts[x_place] = True
        s_tower.append(next_index + np.arange(X))
        s_op.append(np.full(X, o))
        s_radius.append(x_radius)
        s_served.append(np.zeros(X))
        next_index += X
    for o in range(N_OPS):
        s_tower.append(rural_index[rural_tenant[:, o]])
        s_op.append(np.full(int(rural_tenant[:, o].sum()), o))
        s_radius.append(r_radius[rural_tenant[:, o]])
        s_served.append(np.zeros(int(rural_tenant[:, o].sum())))

    towers_lat, towers_lon = _round_latlon(np.concatenate(tw_lat), np.concatenate(tw_lon))
    towers = Towers(
        lat=towers_lat,
        lon=towers_lon,
        place=np.concatenate(tw_place).astype(np.int64),
        kind=np.concatenate(tw_kind).astype(np.int64),
        label=[x for part in tw_label for x in part],
        cls=np.concatenate(tw_cls).astype(np.int64),
    )
    tower = np.concatenate(s_tower).astype(np.int64)
    op = np.concatenate(s_op).astype(np.int64)
    radius = np.concatenate(s_radius)
    served = np.concatenate(s_served).astype(float)

    # ---- people in places without towers of their own: served by each operator's nearest site reaching them
    small = np.nonzero(~is_town)[0]
    if small.size:
        for o in range(N_OPS):
            mine = np.nonzero(op == o)[0]
            best, _ = nearest_within(lat[small], lon[small], towers.lat[tower[mine]], towers.lon[tower[mine]],
                                     radius[mine] - P.COVERAGE_MARGIN_KM)
            if (best < 0).any():  # cannot happen: each operator covers every place
                raise RuntimeError(f"topology builder: {OPS[o]} leaves a place without a covering site")
            served += np.bincount(mine[best], weights=pop[small], minlength=tower.size)

    # ---- order: tower by tower (co-located operators next to each other)
    order = _tower_order(towers, tower, op)
    tower, op, radius, served = tower[order], op[order], radius[order], served[order]
    calls, mbps = capacity(served, op, towers.cls[tower])
    return towers, Sites(tower=tower, op=op, radius_km=radius, served_pop=served, calls=calls, mbps=mbps)


def _tower_order(towers: Towers, tower: np.ndarray, op: np.ndarray) -> np.ndarray:
    """Sites grouped by host place (sorted by GeoNames id order of the input), tower, operator."""
    return np.lexsort((op, tower, towers.place[tower]))


def shared_tenants(n: int, rng: np.random.Generator) -> np.ndarray:
    """(n, operators) bool: the tenants of ``n`` towers open to every operator.

    An anchor drawn in proportion to market share, each other operator with
    ``P_OTHER_TENANT``: ``TENANTS_PER_SHARED_TOWER`` tenants per tower on average.

    >>> t = shared_tenants(20000, np.random.default_rng(0))
    >>> bool(t.any(axis=1).all()), round(float(t.sum(axis=1).mean()), 1) == P.TENANTS_PER_SHARED_TOWER
    (True, True)
    """
    anchor = rng.choice(N_OPS, size=n, p=SHARE)
    tenants = rng.random((n, N_OPS)) < P_OTHER_TENANT
    tenants[np.arange(n), anchor] = True
    return tenants


def _covered_by(o, lat, lon, tw_lat, tw_lon, s_tower, s_op, s_radius, rural_index, rural_tenant, r_radius):
    """Places within reach of operator ``o``'s sites so far (town sites and its shared rural towers)."""
    mine = s_op == o
    rural = rural_index[rural_tenant[:, o]]
    q_lat = np.r_[tw_lat[s_tower[mine]], tw_lat[rural]]
    q_lon = np.r_[tw_lon[s_tower[mine]], tw_lon[rural]]
    q_r = np.r_[s_radius[mine], r_radius[rural_tenant[:, o]]]
    if q_lat.size == 0:
        return np.zeros(np.asarray(lat).size, dtype=bool)
    best, _ = nearest_within(lat, lon, q_lat, q_lon, q_r - P.COVERAGE_MARGIN_KM)
    return best >= 0


def _rural_cover(lat, lon, pop, gid, covered, lat_ref_deg, may_host=None, join=None):
    """Greedy cover of the uncovered places; returns tower lat, lon, host place, radius.

    With ``may_host``, only those places may host a tower at first; the places
    then left uncovered join the nearest of the towers ``join`` = (lat, lon,
    radius) that reaches them (their indices are returned as a fifth value),
    and the few no such tower reaches get towers of their own after all.
    """
    todo = np.nonzero(~covered)[0]
    z = np.zeros(0)
    if todo.size == 0:
        out = (z, z, np.zeros(0, np.int64), z)
        return out if join is None else (*out, np.zeros(0, np.int64))
    reach = P.RURAL_MAX_RADIUS_KM - P.COVERAGE_MARGIN_KM
    x, y = project_km(lat[todo], lon[todo], lat_ref_deg)
    cx, cy, key = cell_keys(x, y, P.RURAL_MAX_RADIUS_KM)
    order_by_key = np.argsort(key, kind="stable")
    ukeys, starts = np.unique(key[order_by_key], return_index=True)
    buckets = dict(zip(ukeys.tolist(), np.split(order_by_key, starts[1:])))
    done = np.zeros(todo.size, dtype=bool)
    order = np.lexsort((gid[todo], -pop[todo]))                       # largest place first, ties by id
    hosts, radii = [], []

    def greedy(hostable: np.ndarray) -> None:
        for i in order[hostable[order]]:
            if done[i]:
                continue
            cand = [buckets.get(int(k)) for k in neighbour_keys(cx[i], cy[i])]
            cand = np.concatenate([c for c in cand if c is not None])
            cand = cand[~done[cand]]
            d = haversine_km(lat[todo[i]], lon[todo[i]], lat[todo[cand]], lon[todo[cand]])
            hit = d <= reach
            done[cand[hit]] = True
            hosts.append(todo[i])
            far = float(d[hit].max()) if hit.any() else 0.0
            radii.append(min(P.RURAL_MAX_RADIUS_KM, max(P.SITE_CLASSES["rural"]["min_radius_km"],
                                                         float(_ceil_km(far + P.COVERAGE_MARGIN_KM)))))

    greedy(np.ones(todo.size, dtype=bool) if may_host is None else np.asarray(may_host)[todo])
    joined = np.zeros(0, np.int64)
    if join is not None and not done.all():
        left = np.nonzero(~done)[0]
        j_lat, j_lon, j_radius = join
        best, _ = nearest_within(lat[todo[left]], lon[todo[left]], j_lat, j_lon, j_radius - P.COVERAGE_MARGIN_KM)
        joined = np.unique(best[best >= 0])
        done[left[best >= 0]] = True
        greedy(~done)
    hosts = np.array(hosts, dtype=np.int64)
    out = (lat[hosts], lon[hosts], hosts, np.array(radii))
    return out if join is None else (*out, joined)


def erlang_b_channels(traffic_erl: np.ndarray, blocking: float) -> np.ndarray:
    """Fewest channels N with Erlang B(N, A) <= blocking, for each offered traffic A.

    Uses the stable recursion B(0) = 1, B(n) = A B(n-1) / (n + A B(n-1))
    (ITU-T E.520 dimensioning with the Erlang loss formula), vectorised.

    10 erlang at 1 % blocking need 18 circuits, as in any Erlang B table (B(17, 10) = 1.3 %,
    B(18, 10) = 0.7 %); no traffic needs none:

    >>> erlang_b_channels(np.array([0.0, 10.0]), 0.01).tolist()
    [0, 18]
    """
    a = np.asarray(traffic_erl, dtype=float)
    n = np.zeros(a.shape, dtype=np.int64)
    live = np.nonzero(a > 0)[0]
    b = np.ones(live.size)
    k = 0
    while live.size:
        k += 1
        ab = a[live] * b
        b = ab / (k + ab)
        ok = b <= blocking
        n[live[ok]] = k
        live, b = live[~ok], b[~ok]
    return n


def capacity(served_pop: np.ndarray, op: np.ndarray, cls: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Busy-hour voice channels and data capacity for each operator site.

    A rural site serving nobody keeps the floors: ``MIN_CALLS`` calls, and 3 sectors of
    20 MHz at 1.1 bit/s/Hz (``params.SITE_CLASSES``):

    >>> calls, mbps = capacity(np.array([0.0]), np.array([0]), np.array([CLASS_NAMES.index("rural")]))
    >>> int(calls[0]) == P.MIN_CALLS, float(mbps[0])
    (True, 66.0)
    """
    subscribers = served_pop * P.SIMS_PER_PERSON * SHARE[op]
    channels = erlang_b_channels(subscribers * P.ERLANG_PER_SUBSCRIBER, P.GRADE_OF_SERVICE)
    calls = np.maximum(channels, P.MIN_CALLS)
    radio_floor = P.SECTORS_PER_SITE * _class_array("mhz") * _class_array("bps_per_hz")
    demand = subscribers * P.BUSY_HOUR_MBPS_PER_SUBSCRIBER / P.TARGET_UTILISATION
    mbps = np.round(np.maximum(radio_floor[cls], demand), 1)
    return calls.astype(np.int64), mbps
