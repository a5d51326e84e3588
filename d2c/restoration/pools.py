"""Who works where: crew pools per operator and region, their depots, travel times and job priorities.

Four kinds of pool, one of each per region (the region of the nearest area):

- ``field/<operator>``: the operator's field crews, for its cell sites;
- ``network``: crews for transport nodes, cores, answering points and gateways;
- ``splicing``: fibre splicing crews, for cut links;
- ``grid``: the grid operator's crews, for damaged substations.

A pool's depot is the transport node nearest the centroid of what it looks
after (the centroid itself when the topology has no node). Each job is a round
trip from the depot: road distance is the great-circle distance times the
detour factor, driven at ``speed_kmh``. So every crew of a pool takes the same
time for the same job, whichever crew it is.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from d2c.geo import haversine_km, nearest
from d2c.restoration.settings import RestorationSettings
from d2c.world import World

__all__ = ["Pools", "build_pools", "EQUIPMENT", "LINK", "SUBSTATION", "TARGET_KINDS"]

# what a job works on
EQUIPMENT, LINK, SUBSTATION = 0, 1, 2
TARGET_KINDS = ("equipment", "link", "substation")

# critical_first: answering points and cores, then national/regional backhaul
# hubs, then aggregation and gateways, then access nodes, then cell sites.
_NODE_RANK = {"national": 1, "regional": 1, "aggregation": 2, "access": 3}
_KIND_RANK = {"site": 4, "core": 0, "psap": 0, "gateway": 2}


@dataclass(frozen=True)
class Pools:
    names: list[str]
    crews: np.ndarray  # per pool: number of crews
    generators: np.ndarray  # per pool: portable generators
    trucks: np.ndarray  # per pool: fuel trucks
    target_pool: tuple[np.ndarray, np.ndarray, np.ndarray]  # per target kind: the pool of each target
    travel_s: tuple[np.ndarray, np.ndarray, np.ndarray]  # per target kind: one-way drive from the depot
    score: tuple[np.ndarray, np.ndarray, np.ndarray]  # per target kind: policy order (lower first)
    people: tuple[np.ndarray, np.ndarray, np.ndarray]  # per target kind: people served behind it

    @property
    def crew_pool(self) -> np.ndarray:
        """The pool of each crew, crews numbered pool by pool."""
        return np.repeat(np.arange(len(self.names)), self.crews)

    @property
    def truck_pool(self) -> np.ndarray:
        return np.repeat(np.arange(len(self.names)), self.trucks)


def build_pools(world: World, settings: RestorationSettings) -> Pools:
    region_names = sorted(set(world.area_region))  # a topology has at least one area
    # pragma reason: a list of ints is int64 with or without the dtype
    region_of_area = np.array([region_names.index(r) for r in world.area_region], dtype=np.int64)  # pragma: no mutate

    def region_of(lat, lon) -> np.ndarray:
        near = nearest(lat, lon, world.area_lat_deg, world.area_lon_deg)
        # pragma reason: equipment over 2,500 km from every area (none in a real topology) goes to a region
        # picked arbitrarily, the first
        return np.where(near >= 0, region_of_area[np.maximum(near, 0)], 0)  # pragma: no mutate

    eq_region = region_of(world.equipment_lat_deg, world.equipment_lon_deg)
    sub_region = region_of(world.substation_lat_deg, world.substation_lon_deg)
    link_lat = (world.equipment_lat_deg[world.graph_equipment[world.link_a]] +
                world.equipment_lat_deg[world.graph_equipment[world.link_b]]) / 2
    link_lon = (world.equipment_lon_deg[world.graph_equipment[world.link_a]] +
                world.equipment_lon_deg[world.graph_equipment[world.link_b]]) / 2
    link_region = region_of(link_lat, link_lon)

    # pool keys: (kind, operator, region)
    n_sites = world.n_sites
    eq_key = [("network", "", int(r)) for r in eq_region]
    for i in range(n_sites):
        eq_key[i] = ("field", world.operators[world.site_operator[i]], int(eq_region[i]))
    sub_key = [("grid", "", int(r)) for r in sub_region]
    link_key = [("splicing", "", int(r)) for r in link_region]
    keys = sorted(set(eq_key) | set(sub_key) | set(link_key))
    index = {k: i for i, k in enumerate(keys)}
    # pragma reason (the next four lines): lists of ints give int64 arrays with or without the dtype, and field
    # pools sort first, so every pool indexed in sites_in_pool is within its length
    eq_pool = np.array([index[k] for k in eq_key], dtype=np.int64)  # pragma: no mutate
    sub_pool = np.array([index[k] for k in sub_key], dtype=np.int64)  # pragma: no mutate
    link_pool = np.array([index[k] for k in link_key], dtype=np.int64)  # pragma: no mutate

    sites_in_pool = np.bincount(eq_pool[:n_sites], minlength=len(keys))  # pragma: no mutate
    crews = np.zeros(len(keys), dtype=np.int64)
    generators = np.zeros(len(keys), dtype=np.int64)  # pragma: no mutate (float zeros hold the same counts)
    trucks = np.zeros(len(keys), dtype=np.int64)
    for p, (kind, operator, _) in enumerate(keys):
        if kind == "field":
            rate = settings.operator_crews_per_100_sites.get(operator, settings.crews_per_100_sites)
            crews[p] = max(settings.min_crews_per_pool, int(round(rate * sites_in_pool[p] / 100.0)))
            g_rate = settings.operator_generators_per_100_sites.get(operator, settings.generators_per_100_sites)
            generators[p] = int(round(g_rate * sites_in_pool[p] / 100.0))
            trucks[p] = settings.trucks_per_region
        else:
            crews[p] = {"network": settings.network_crews_per_region, "splicing": settings.splicing_crews_per_region,
                        "grid": settings.substation_crews_per_region}[kind]
            if kind == "network":
                generators[p] = settings.network_generators_per_region
                trucks[p] = settings.trucks_per_region

    # depots: the transport node nearest each pool's centroid
    lat = np.concatenate([world.equipment_lat_deg, link_lat, world.substation_lat_deg])
    lon = np.concatenate([world.equipment_lon_deg, link_lon, world.substation_lon_deg])
    member_pool = np.concatenate([eq_pool, link_pool, sub_pool])
    # every pool has a member (pools are made from their members), the last pool too
    count = np.bincount(member_pool)
    c_lat = np.bincount(member_pool, weights=lat) / count
    c_lon = np.bincount(member_pool, weights=lon) / count
    node_sl = world.slices["node"]
    if world.counts["node"]:
        depot = nearest(c_lat, c_lon, world.equipment_lat_deg[node_sl], world.equipment_lon_deg[node_sl])
        # pragma reason (these three lines' fallback): a pool over 2,500 km from every node works from its
        # centroid; no real topology has one
        found = depot >= 0  # pragma: no mutate
        d_lat = np.where(found, world.equipment_lat_deg[node_sl][np.maximum(depot, 0)], c_lat)  # pragma: no mutate
        d_lon = np.where(found, world.equipment_lon_deg[node_sl][np.maximum(depot, 0)], c_lon)  # pragma: no mutate
    else:
        d_lat, d_lon = c_lat, c_lon
    drive_s = settings.detour_factor / settings.speed_kmh * 3600.0
    travel = haversine_km(d_lat[member_pool], d_lon[member_pool], lat, lon) * drive_s
    n_eq, n_link = world.n_equipment, len(world.link_ids)
    travel_s = (travel[:n_eq], travel[n_eq:n_eq + n_link], travel[n_eq + n_link:])

    people = _people(world)
    rank = _rank(world)
    scores = tuple(_score(settings.policy, people[k], rank[k], travel_s[k]) for k in range(3))
    names = ["/".join(part for part in (kind, operator, region_names[r]) if part) for kind, operator, r in keys]
    return Pools(names, crews, generators, trucks, (eq_pool, link_pool, sub_pool), travel_s, scores, people)


def _score(policy: str, people: np.ndarray, rank: np.ndarray, travel_s: np.ndarray) -> np.ndarray:
    if policy == "most_people":
        return -people
    if policy == "critical_first":
        return rank * 1e12 - people  # pragma: no mutate (any rank weight above everyone on Earth orders alike)
    return travel_s.copy()  # nearest


def _people(world: World) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """People behind each piece of equipment, link and substation (for ``most_people``)."""
    cov = world.coverage
    # pragma reason: only covered areas are looked up, so neither the length nor the floor changes a value read
    sharing = np.maximum(np.bincount(cov.area, minlength=len(world.area_ids)), 1)  # pragma: no mutate
    site_people = np.bincount(cov.site, weights=world.area_population[cov.area] / sharing[cov.area],
                              minlength=world.n_sites)
    equipment = np.zeros(world.n_equipment)
    equipment[world.slices["site"]] = site_people
    graph_people = np.bincount(world.site_root, weights=site_people, minlength=len(world.graph_node_ids))
    carried, link = _carried(world, graph_people)
    equipment[world.graph_equipment] = carried  # graph nodes are not sites: nothing there yet
    everyone = world.population_total
    equipment[world.slices["core"]] = everyone
    equipment[world.slices["psap"]] = everyone
    fed = world.equipment_substation >= 0
    substation = np.bincount(world.equipment_substation[fed], weights=equipment[fed],
                             minlength=len(world.substation_ids))
    return equipment, link, substation


def _carried(world: World, own: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """People whose way to a core crosses each graph node, and each link.

    Each node's people (those of the sites hanging off it) take the fewest-hop way to the nearest core: a
    breadth-first tree grown from the cores. A node carries its own people and everything below it in that
    tree; each link between a node and its parent carries what that node does (parallel links alike: either
    one alone would). A node no core reaches carries its own people only.
    """
    graph = world.graph()
    n = len(world.graph_node_ids)
    parent = np.full(n, -1, dtype=np.int64)
    depth = np.full(n, -1, dtype=np.int64)
    frontier = sorted({world.graph_index[c.id] for c in world.topology.cores})
    depth[frontier] = 0
    level = 0
    while frontier:  # one pass per hop from the cores, once when the pools are built
        level += 1
        grown = []
        for u in frontier:
            for v in sorted(graph.neighbors(u)):
                if depth[v] < 0:
                    depth[v], parent[v] = level, u
                    grown.append(v)
        frontier = grown
    carried = np.asarray(own, dtype=float).copy()
    for hop in range(level, 0, -1):  # the farthest first, each adding into its parent
        at = np.nonzero(depth == hop)[0]
        np.add.at(carried, parent[at], carried[at])
    a, b = world.link_a, world.link_b
    child = np.where(parent[a] == b, a, np.where(parent[b] == a, b, -1))
    link = np.where(child >= 0, carried[np.maximum(child, 0)], 0.0)
    return carried, link


def _rank(world: World) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Criticality rank (0 first) of each piece of equipment, link and substation (for ``critical_first``)."""
    rank = np.zeros(world.n_equipment)
    for kind in ("site", "core", "psap", "gateway"):
        rank[world.slices[kind]] = _KIND_RANK[kind]
    rank[world.slices["node"]] = [_NODE_RANK[n.kind] for n in world.topology.nodes]
    graph_rank = rank[world.graph_equipment]
    link = np.minimum(graph_rank[world.link_a], graph_rank[world.link_b])
    # feeds several sites and nodes; pragma reason: the grid pool holds substations only, so their common rank
    # orders nothing against anything else
    substation = np.full(len(world.substation_ids), 2.0)  # pragma: no mutate
    return rank, link, substation
