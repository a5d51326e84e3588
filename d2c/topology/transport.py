"""Backhaul and the fixed network: access, aggregation, regional and national nodes,
cores, 112 answering points and satellite gateways.

Hierarchy (see docs/TOPOLOGY_MODEL.md):

    site --(fibre, or one microwave hop to a hub site)--> access node
    access node --(fibre, some microwave)--> aggregation node of its district
    aggregation nodes of a region + its two regional nodes: a fibre ring
    each regional node --> the two nearest national nodes (dual homing)
    national nodes: a two-connected backbone mesh
    core --> national node of its city + the next nearest national node
    gateway --> the two nearest national nodes
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from d2c.geo import haversine_km
from d2c.topology import params as P
from d2c.topology.planar import adaptive_cell_keys, offset_deg, project_km
from d2c.topology.italy import CountryModel
from d2c.topology.places import Places, country_model, load_places
from d2c.topology.radio import OPS, SHARE, TOWER_RURAL, Sites, Towers

__all__ = ["CountryContext", "Equipment", "Link", "Node", "Transport", "build_transport", "country_context",
           "site_id", "slug"]


def slug(text: str) -> str:
    """Upper-case ASCII words joined by hyphens, for node ids; accents are dropped, and any
    punctuation or space (a typographic apostrophe too) separates words.

    >>> slug("Reggio nell'Emilia"), slug("Reggio nell’Emilia"), slug("Forlì")
    ('REGGIO-NELL-EMILIA', 'REGGIO-NELL-EMILIA', 'FORLI')
    """
    decomposed = unicodedata.normalize("NFKD", text)
    spaced = "".join("-" if unicodedata.category(c)[0] in "PZ" else c for c in decomposed)
    ascii_text = spaced.encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Z0-9]+", "-", ascii_text.upper()).strip("-")


def site_id(tower_label: str, op: int) -> str:
    """Id of operator ``op``'s site on a tower: Vodafone (index 1) on TIM's tower of place 3169070.

    >>> site_id("3169070TIM", OPS.index("Vodafone"))
    'S3169070TIM-VOD'
    """
    return f"S{tower_label}-{P.OPERATOR_CODE[OPS[op]]}"


# ------------------------------------------------------------------ country-wide context


@dataclass(frozen=True)
class CountryContext:
    """Everything that depends on the country only (not on the region, box or seed)."""

    model: CountryModel
    places: Places
    hub_place: np.ndarray        # per district: index of its hub place
    district_region: np.ndarray  # per district: region index
    district_id: tuple[str, ...]  # per district: aggregation node id
    place_district: np.ndarray   # per place: district index
    capital: dict[str, int]      # region -> place index
    city: dict[str, int]         # core city -> place index


@lru_cache(maxsize=None)
def country_context(code: str) -> CountryContext:
    model = country_model(code)
    places = load_places(model.code)
    capital = {name: places.index_of(gid) for name, gid in model.capitals.items()}
    city = {name: places.index_of(gid) for name, gid in model.core_cities.items()}
    hub_place, district_region = [], []
    place_district = np.full(len(places), -1, dtype=np.int64)
    for r, region in enumerate(places.regions):
        members = np.nonzero(places.region == r)[0]
        hubs = [places.index_of(g) for g in model.provinces[region]]
        d = haversine_km(places.lat[members, None], places.lon[members, None],
                         places.lat[None, hubs], places.lon[None, hubs])
        place_district[members] = len(hub_place) + np.argmin(d, axis=1)
        hub_place.extend(hubs)
        district_region.extend([r] * len(hubs))
    ids, seen = [], set()
    for h in hub_place:
        ident = f"AGG-{slug(places.name[h])}"
        if ident in seen:
            ident = f"{ident}-{places.gid[h]}"
        seen.add(ident)
        ids.append(ident)
    return CountryContext(
        model=model,
        places=places,
        hub_place=np.array(hub_place, dtype=np.int64),
        district_region=np.array(district_region, dtype=np.int64),
        district_id=tuple(ids),
        place_district=place_district,
        capital=capital,
        city=city,
    )


# ------------------------------------------------------------------ the network


@dataclass
class Node:
    id: str
    lat: float
    lon: float
    kind: str
    battery_hours: float = 8.0
    generator_hours: float = 0.0


@dataclass
class Link:
    id: str
    a: str
    b: str
    medium: str = "fibre"
    route: list[list[float]] = field(default_factory=list)


@dataclass
class Equipment:
    id: str
    lat: float
    lon: float
    extra: dict  # operator/functions for cores, cores/region for PSAPs, core for gateways


@dataclass
class Transport:
    site_backhaul: list[str]
    site_is_hub: np.ndarray
    nodes: list[Node]
    links: list[Link]
    cores: list[Equipment]
    psaps: list[Equipment]
    gateways: list[Equipment]


def build_transport(ctx: CountryContext, sel: np.ndarray, towers: Towers, sites: Sites,
                    rng: np.random.Generator) -> Transport:
    places, model = ctx.places, ctx.model
    labels = towers.label
    s_ids = [site_id(labels[t], o) for t, o in zip(sites.tower.tolist(), sites.op.tolist())]
    s_lat, s_lon = towers.lat[sites.tower], towers.lon[sites.tower]
    s_district = ctx.place_district[sel[towers.place[sites.tower]]]

    # ---- access groups: (district, adaptive grid cell)
    x, y = project_km(s_lat, s_lon, model.lat_ref_deg)
    cell = adaptive_cell_keys(x, y, np.ones(s_lat.size), P.ACCESS_CELL_KM, P.ACCESS_FINE_CELL_KM, P.ACCESS_SPLIT_SITES)
    _, group = np.unique(np.stack([s_district, cell]), axis=1, return_inverse=True)
    group = group.ravel()
    n_groups = int(group.max()) + 1

    # people each tower serves, all operators together
    tower_people = np.bincount(sites.tower, weights=sites.served_pop * SHARE[sites.op], minlength=towers.lat.size)
    shared_site = towers.shared_by_all[sites.tower]
    # hub tower of each group: the shared tower serving most people (ties: lowest tower index)
    hub = np.full(n_groups, -1, dtype=np.int64)
    cand = np.nonzero(shared_site)[0]
    order = cand[np.lexsort((sites.tower[cand], -tower_people[sites.tower[cand]], group[cand]))]
    first = np.ones(order.size, dtype=bool)
    first[1:] = group[order[1:]] != group[order[:-1]]
    hub[group[order[first]]] = sites.tower[order[first]]
    # representative tower (names the access node): the hub, else the group's first tower
    rep = hub.copy()
    lowest = np.full(n_groups, np.iinfo(np.int64).max)
    np.minimum.at(lowest, group, sites.tower)
    rep[rep < 0] = lowest[rep < 0]
    mean_lat = np.bincount(group, weights=s_lat, minlength=n_groups) / np.bincount(group, minlength=n_groups)
    mean_lon = np.bincount(group, weights=s_lon, minlength=n_groups) / np.bincount(group, minlength=n_groups)
    acc_lat = np.where(hub >= 0, towers.lat[np.maximum(hub, 0)], np.round(mean_lat, P.LATLON_DECIMALS))
    acc_lon = np.where(hub >= 0, towers.lon[np.maximum(hub, 0)], np.round(mean_lon, P.LATLON_DECIMALS))
    acc_ids = [f"ACC-{labels[t]}" for t in rep.tolist()]
    acc_district = np.zeros(n_groups, dtype=np.int64)
    acc_district[group] = s_district
    acc_people = np.bincount(group, weights=sites.served_pop * SHARE[sites.op], minlength=n_groups)

    # ---- site backhaul: the access node, or one microwave hop to the hub tower's site
    backhaul = [acc_ids[g] for g in group.tolist()]
    site_is_hub = sites.tower == hub[group]
    rural_towers = np.nonzero(towers.kind == TOWER_RURAL)[0]
    chain_draw = rng.random(rural_towers.size) < P.MW_CHAIN_SHARE
    chained_tower = np.zeros(towers.lat.size, dtype=bool)
    chained_tower[rural_towers[chain_draw]] = True
    hub_of_site = hub[group]
    # a chained site hangs off its own operator's site on the hub tower: only where the operator is there
    tower_has_op = np.zeros((towers.lat.size, len(OPS)), dtype=bool)
    tower_has_op[sites.tower, sites.op] = True
    mw = chained_tower[sites.tower] & (hub_of_site >= 0) & ~site_is_hub
    mw &= tower_has_op[np.maximum(hub_of_site, 0), sites.op]
    if mw.any():
        idx = np.nonzero(mw)[0]
        h = hub_of_site[idx]
        d = haversine_km(s_lat[idx], s_lon[idx], towers.lat[h], towers.lon[h])
        for i, hh, dd in zip(idx.tolist(), h.tolist(), d.tolist()):
            if dd <= P.MW_CHAIN_MAX_KM:
                backhaul[i] = site_id(labels[hh], int(sites.op[i]))

    nodes: list[Node] = []
    links: list[Link] = []
    acc_gen = rng.random(n_groups) < P.ACCESS_GENERATOR_SHARE
    acc_mw = (rng.random(n_groups) < P.ACCESS_MICROWAVE_SHARE) & (acc_people < P.ACCESS_MW_MAX_POP)
    for g in range(n_groups):
        nodes.append(Node(acc_ids[g], float(acc_lat[g]), float(acc_lon[g]), "access",
                          P.NODE_POWER["access"]["battery_hours"], 24.0 if acc_gen[g] else 0.0))
        agg = ctx.district_id[acc_district[g]]
        links.append(Link(f"L-{acc_ids[g]}-{agg}", acc_ids[g], agg, "microwave" if acc_mw[g] else "fibre"))

    # ---- aggregation districts of every region touched, regional and national nodes
    regions = sorted(set(places.region[sel].tolist()))
    pos = {}

    def add_node(ident: str, place: int, kind: str) -> None:
        lat, lon = float(places.lat[place]), float(places.lon[place])
        nodes.append(Node(ident, lat, lon, kind, **P.NODE_POWER[kind]))
        pos[ident] = (lat, lon)

    nat_ids = {c: f"NAT-{slug(c)}" for c in model.core_cities}
    for c, ident in nat_ids.items():
        add_node(ident, ctx.city[c], "national")
    for r in regions:
        region = places.regions[r]
        districts = np.nonzero(ctx.district_region == r)[0]
        # two regional nodes where the region has two or more provinces: the capital and the
        # most populous other provincial capital, so the ring is homed on two nodes
        homes = [ctx.capital[region]] + sorted(
            (int(ctx.hub_place[d]) for d in districts if ctx.hub_place[d] != ctx.capital[region]),
            key=lambda h: (-places.pop[h], places.gid[h]))[:1]
        regs = [f"REG-{slug(region)}-{slug(places.name[h])}" for h in homes]
        for ident, h in zip(regs, homes):
            add_node(ident, h, "regional")
        for d in districts:
            add_node(ctx.district_id[d], int(ctx.hub_place[d]), "aggregation")
        links.extend(_region_ring(regs, [ctx.district_id[d] for d in districts], pos, nat_ids))
        for reg in regs:
            for nat in _nearest(pos, reg, list(nat_ids.values()), 2):
                links.append(Link(f"L-{reg}-{nat}", reg, nat))
    for a, b, via in model.backbone:
        route = [[float(places.lat[places.index_of(g)]), float(places.lon[places.index_of(g)])] for g in via]
        links.append(Link(f"L-{nat_ids[a]}-{nat_ids[b]}", nat_ids[a], nat_ids[b], "fibre", route))

    # ---- cores: per operator, in its core cities, dual-homed
    cores: list[Equipment] = []
    for op, cities in model.operator_cores.items():
        for c in cities:
            place = ctx.city[c]
            bearing = np.radians(P.CORE_BEARING_DEG[op])
            lat, lon = offset_deg(places.lat[place], places.lon[place],
                                  P.CORE_OFFSET_KM * np.sin(bearing), P.CORE_OFFSET_KM * np.cos(bearing))
            ident = f"CORE-{P.OPERATOR_CODE[op]}-{slug(c)}"
            lat, lon = round(float(lat), P.LATLON_DECIMALS), round(float(lon), P.LATLON_DECIMALS)
            cores.append(Equipment(ident, lat, lon, {"operator": op, "functions": ["voice", "sms", "data", "cbc"]}))
            pos[ident] = (lat, lon)
            home = nat_ids[c]
            other = _nearest(pos, ident, [n for n in nat_ids.values() if n != home], 1)[0]
            links.append(Link(f"L-{ident}-{home}", ident, home))
            links.append(Link(f"L-{ident}-{other}", ident, other))
    voice_cores = [c.id for c in cores if "voice" in c.extra["functions"]]

    # ---- 112 answering points of the regions present
    psaps: list[Equipment] = []
    for r in regions:
        region = places.regions[r]
        where = [ctx.capital[region]] + [places.index_of(g) for g in model.extra_psaps.get(region, ())]
        for p in where:
            ident = f"PSAP-{slug(region)}-{slug(places.name[p])}"
            psaps.append(Equipment(ident, float(places.lat[p]), float(places.lon[p]),
                                   {"cores": list(voice_cores), "region": region}))

    # ---- satellite gateways, dual-homed to the nearest national nodes
    gateways: list[Equipment] = []
    for name, (lat, lon) in model.gateways.items():
        ident = f"GW-{slug(name)}"
        pos[ident] = (lat, lon)
        near = _nearest(pos, ident, list(nat_ids.values()), 2)
        gateways.append(Equipment(ident, lat, lon, {"core": near[0]}))
        for nat in near:
            links.append(Link(f"L-{ident}-{nat}", ident, nat))

    return Transport(backhaul, site_is_hub, nodes, links, cores, psaps, gateways)


def _nearest(pos: dict, ident: str, candidates: list[str], k: int) -> list[str]:
    lat, lon = pos[ident]
    d = [float(haversine_km(lat, lon, *pos[c])) for c in candidates]
    order = sorted(range(len(candidates)), key=lambda i: (d[i], candidates[i]))
    return [candidates[i] for i in order[:k]]


def _region_ring(regs: list[str], aggs: list[str], pos: dict, nat_ids: dict) -> list[Link]:
    """A fibre ring through the regional node(s) and the aggregation nodes, ordered by bearing
    around the first regional node. With two regional nodes on the ring, every aggregation
    node has one way out through each of them."""
    if len(aggs) == 1:  # nothing to ring with: dual-home the lone aggregation node instead
        nat = _nearest(pos, aggs[0], list(nat_ids.values()), 1)[0]
        return [Link(f"L-{aggs[0]}-{regs[0]}", aggs[0], regs[0]), Link(f"L-{aggs[0]}-{nat}", aggs[0], nat)]
    lat0, lon0 = pos[regs[0]]
    others = aggs + regs[1:]
    bearing = {a: np.arctan2(pos[a][0] - lat0, (pos[a][1] - lon0) * np.cos(np.radians(lat0))) for a in others}
    ring = regs[:1] + sorted(others, key=lambda a: (bearing[a], a))
    return [Link(f"L-{a}-{b}", a, b) for a, b in zip(ring, ring[1:] + ring[:1])]
