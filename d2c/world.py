"""The static world: a topology turned into arrays and a graph, built once per run.

Everything the per-step stages touch is a numpy array indexed the same way
every step. Powered equipment of every kind (sites, transport nodes, cores,
answering points, gateways) shares one *equipment* index so that hazards,
damage and power work on a single vector; ``World.sites`` etc. are slices of
that index.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np

from d2c.base.topology_model import CORE_FUNCTIONS, Power, Topology
from d2c.geo import pairs_within

EQUIPMENT_KINDS = ("site", "node", "core", "psap", "gateway")
EVERYWHERE = "everywhere"  # the area name that stands for every area (a warning's, a decision's target)
FUNCTION_INDEX = {name: i for i, name in enumerate(CORE_FUNCTIONS)}


@dataclass(frozen=True)
class Coverage:
    """Which site serves which area, and the share of the site's capacity each area gets.

    Stored as parallel arrays of (site, area) pairs; a site's capacity is
    shared among its areas in proportion to their population.
    """

    site: np.ndarray  # int64, index into sites
    area: np.ndarray  # int64, index into areas
    share: np.ndarray  # float64, sums to 1 over each site's pairs


class World:
    """Arrays and graph for one topology. Read-only once built."""

    def __init__(self, topology: Topology):
        self.topology = topology
        t = topology
        # ---- areas
        self.area_ids = [a.id for a in t.areas]
        self.area_names = [a.name for a in t.areas]
        self.area_lat_deg = np.array([a.lat for a in t.areas], dtype=float)
        self.area_lon_deg = np.array([a.lon for a in t.areas], dtype=float)
        self.area_population = np.array([a.population for a in t.areas], dtype=float)
        self.area_region = [a.region for a in t.areas]

        # ---- equipment: sites, nodes, cores, psaps, gateways, in that order
        groups = (t.sites, t.nodes, t.cores, t.psaps, t.gateways)
        self.counts = {kind: len(g) for kind, g in zip(EQUIPMENT_KINDS, groups)}
        offsets = np.cumsum([0] + [len(g) for g in groups])
        self.slices = {kind: slice(int(offsets[i]), int(offsets[i + 1])) for i, kind in enumerate(EQUIPMENT_KINDS)}
        everything = [item for g in groups for item in g]
        self.n_equipment = len(everything)
        self.equipment_ids = [item.id for item in everything]
        self.equipment_index = {ident: i for i, ident in enumerate(self.equipment_ids)}
        self.equipment_kind = np.repeat(np.arange(len(EQUIPMENT_KINDS)), [len(g) for g in groups])
        self.equipment_lat_deg = np.array([e.lat for e in everything], dtype=float)
        self.equipment_lon_deg = np.array([e.lon for e in everything], dtype=float)
        powers: list[Power] = [e.power for e in everything]
        self.battery_s = np.array([p.battery_hours for p in powers], dtype=float) * 3600.0
        self.generator_s = np.array([p.generator_hours for p in powers], dtype=float) * 3600.0
        self.site_class = np.array([p.site_class for p in powers], dtype="<U1")
        # equipment bolted down (the anchored fragility); only sites can say otherwise
        self.equipment_anchored = np.array([getattr(e, "anchored", True) for e in everything], dtype=bool)

        # ---- substations
        self.substation_ids = [s.id for s in t.substations]
        self.substation_index = {ident: i for i, ident in enumerate(self.substation_ids)}
        self.substation_lat_deg = np.array([s.lat for s in t.substations], dtype=float)
        self.substation_lon_deg = np.array([s.lon for s in t.substations], dtype=float)
        self.equipment_substation = np.array(
            [self.substation_index[p.substation] if p.substation else -1 for p in powers], dtype=np.int64
        )

        # ---- sites
        self.n_sites = len(t.sites)
        self.site_ids = self.equipment_ids[self.slices["site"]]
        self.site_radius_km = np.array([s.radius_km for s in t.sites], dtype=float)
        self.site_capacity_calls = np.array([s.capacity_calls for s in t.sites], dtype=float)
        self.site_capacity_mbps = np.array([s.capacity_mbps for s in t.sites], dtype=float)
        self.operators = sorted({s.operator for s in t.sites})
        operator_index = {name: i for i, name in enumerate(self.operators)}
        self.site_operator = np.array([operator_index[s.operator] for s in t.sites], dtype=np.int64)
        # each operator's share of the handsets (topology ``operators:``); None: follow the sites' capacity
        shares = {o.name: o.market_share for o in t.operators}
        self.operator_market_share = (np.array([shares[name] for name in self.operators], dtype=float)
                                      if shares else None)
        self.coverage = self._coverage()

        # ---- backhaul: each site hangs off a transport node/core (its root) or another site
        self.site_parent_site = np.full(self.n_sites, -1, dtype=np.int64)
        self.site_root = np.full(self.n_sites, -1, dtype=np.int64)  # graph node index of the root
        site_pos = {ident: i for i, ident in enumerate(self.site_ids)}
        self.graph_node_ids = [n.id for n in t.nodes] + [c.id for c in t.cores] + [g.id for g in t.gateways]
        self.graph_index = {ident: i for i, ident in enumerate(self.graph_node_ids)}
        for i, s in enumerate(t.sites):
            if s.backhaul in site_pos:
                self.site_parent_site[i] = site_pos[s.backhaul]
            else:
                self.site_root[i] = self.graph_index[s.backhaul]
        self.chain_depth = self._resolve_roots()

        # graph node -> equipment index (every graph node is powered equipment)
        self.graph_equipment = np.array([self.equipment_index[ident] for ident in self.graph_node_ids], dtype=np.int64)
        self.n_nodes = len(t.nodes)
        self.core_graph_offset = self.n_nodes

        # ---- cores and answering points
        self.core_ids = [c.id for c in t.cores]
        self.core_index = {ident: i for i, ident in enumerate(self.core_ids)}
        self.core_functions = np.zeros((len(t.cores), len(CORE_FUNCTIONS)), dtype=bool)
        for i, c in enumerate(t.cores):
            for fn in c.functions:
                self.core_functions[i, FUNCTION_INDEX[fn]] = True
        # -1: serves every operator
        self.core_operator = np.array(
            [operator_index.get(c.operator, -2) if c.operator else -1 for c in t.cores], dtype=np.int64
        )
        self.psap_cores = [np.array([self.core_index[c] for c in p.cores], dtype=np.int64) for p in t.psaps]

        # ---- links
        self.link_ids = [link.id for link in t.links]
        self.link_index = {ident: i for i, ident in enumerate(self.link_ids)}
        self.link_a = np.array([self.graph_index[link.a] for link in t.links], dtype=np.int64)
        self.link_b = np.array([self.graph_index[link.b] for link in t.links], dtype=np.int64)
        self.link_medium = [link.medium for link in t.links]
        self.link_route = [self._route(link) for link in t.links]

    # ------------------------------------------------------------------ helpers

    @property
    def population_total(self) -> float:
        return float(self.area_population.sum())

    def equipment_of_kind(self, kind: str) -> np.ndarray:
        sl = self.slices[kind]
        return np.arange(sl.start, sl.stop)

    def graph(self) -> nx.Graph:
        """The transport graph over nodes, cores and gateways (a plain networkx Graph).

        Edges carry ``links`` (indices into links); parallel links between the same
        pair are kept as a list so that cutting one leaves the other. A gateway is
        also attached to the core it names by a dedicated edge with no link.
        """
        g = nx.Graph()
        g.add_nodes_from(range(len(self.graph_node_ids)))
        for gateway in self.topology.gateways:
            g.add_edge(self.graph_index[gateway.id], self.graph_index[gateway.core], links=[])
        for i, (a, b) in enumerate(zip(self.link_a.tolist(), self.link_b.tolist())):
            if g.has_edge(a, b):
                g.edges[a, b]["links"].append(i)
            else:
                g.add_edge(a, b, links=[i])
        return g

    def _route(self, link) -> np.ndarray:
        """The cable route as an (n, 2) array of [lat, lon]: a, route points..., b."""
        a = self.equipment_index[link.a]
        b = self.equipment_index[link.b]
        points = [(self.equipment_lat_deg[a], self.equipment_lon_deg[a]), *link.route,
                  (self.equipment_lat_deg[b], self.equipment_lon_deg[b])]
        return np.array(points, dtype=float)

    def _coverage(self) -> Coverage:
        site_sl = self.slices["site"]
        site, area, _ = pairs_within(
            self.equipment_lat_deg[site_sl], self.equipment_lon_deg[site_sl], self.site_radius_km,
            self.area_lat_deg, self.area_lon_deg,
        )
        weight = self.area_population[area] + 1e-9  # empty villages still get a sliver
        per_site = np.bincount(site, weights=weight, minlength=self.n_sites)
        share = weight / per_site[site]
        return Coverage(site=site, area=area, share=share)

    def _resolve_roots(self) -> int:
        """Give every daisy-chained site the root of its chain; return the longest chain."""
        depth = 0
        parent = self.site_parent_site
        pending = self.site_root < 0
        while pending.any():
            depth += 1
            if depth > self.n_sites + 1:  # loops are rejected by the loader; this guards in-memory topologies
                raise ValueError("site backhaul chains form a loop")
            self.site_root[pending] = self.site_root[parent[pending]]
            pending = self.site_root < 0
        return depth

    def area_mask(self, area: str) -> np.ndarray:
        """Per area: it is ``area`` (an area id), or every area for ``everywhere``; KeyError for an unknown id."""
        if area == EVERYWHERE:
            return np.ones(len(self.area_ids), dtype=bool)
        if area not in self.area_ids:
            raise KeyError(f"no area {area!r} in the topology")
        mask = np.zeros(len(self.area_ids), dtype=bool)
        mask[self.area_ids.index(area)] = True
        return mask

    def covered_areas(self) -> np.ndarray:
        """Areas within reach of at least one site."""
        return np.bincount(self.coverage.area, minlength=len(self.area_ids)) > 0
