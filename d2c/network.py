"""Reachability: which sites still reach a working core that reaches a working PSAP.

The transport graph (transport nodes, cores, gateways and the links between
them) is small; sites hang off it. Connected components of the surviving graph
are recomputed with networkx only when the state of a node, a link, a core
function or a PSAP changes; between changes each step is a few array lookups
over the sites.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np

from d2c.world import FUNCTION_INDEX, World

# Why a site is out of service, in order of precedence (a damaged site is
# counted as damaged, even if it also lost power).
CAUSES = ("damage", "power", "jamming", "backhaul", "core")
IN_SERVICE = 0
CAUSE_CODE = {name: i + 1 for i, name in enumerate(CAUSES)}

VOICE = FUNCTION_INDEX["voice"]
SMS = FUNCTION_INDEX["sms"]
CBC = FUNCTION_INDEX["cbc"]
# 112 calls and 112 SMS must end at an answering point; data and cell broadcast need not.
NEEDS_PSAP = np.array([name in ("voice", "sms") for name in FUNCTION_INDEX], dtype=bool)


@dataclass(frozen=True)
class NetworkState:
    """Per site, this step."""

    cause: np.ndarray  # int8: 0 in service (112 voice), else CAUSE_CODE
    sms_ok: np.ndarray  # bool: a 112 SMS can reach an answering point
    cbc_ok: np.ndarray  # bool: a cell-broadcast warning can reach the site
    graph_recomputed: bool

    @property
    def in_service(self) -> np.ndarray:
        return self.cause == IN_SERVICE


class Reachability:
    """The network stage. Keeps the last graph state to skip work when nothing changed."""

    def __init__(self, world: World):
        self.world = world
        self.graph = world.graph()
        n_graph = len(world.graph_node_ids)
        self.n_ops = max(len(world.operators), 1)
        self._key: tuple | None = None
        self._node_ok = np.zeros((n_graph, self.n_ops, len(FUNCTION_INDEX)), dtype=bool)
        self._node_reaches_core = np.zeros(n_graph, dtype=bool)
        self.recomputations = 0

    def step(self, equipment_up: np.ndarray, powered: np.ndarray, damaged: np.ndarray, link_up: np.ndarray,
             core_function_up: np.ndarray, jammed_sites: np.ndarray) -> NetworkState:
        w = self.world
        graph_up = equipment_up[w.graph_equipment]
        psap_up = equipment_up[w.slices["psap"]]
        key = (graph_up.tobytes(), link_up.tobytes(), core_function_up.tobytes(), psap_up.tobytes())
        recomputed = key != self._key
        if recomputed:
            self._recompute(graph_up, link_up, core_function_up, psap_up)
            self._key = key
            self.recomputations += 1

        site_sl = w.slices["site"]
        site_up = equipment_up[site_sl]
        # a daisy-chained site needs every site above it to be standing and powered
        parent = w.site_parent_site
        has_parent = parent >= 0
        chain_up = site_up.copy()
        for _ in range(w.chain_depth):
            chain_up = site_up & np.where(has_parent, chain_up[np.maximum(parent, 0)], True)
        upstream_up = np.where(has_parent, chain_up[np.maximum(parent, 0)], True)

        root = w.site_root
        op = w.site_operator
        voice_ok = self._node_ok[root, op, VOICE]
        cause = np.zeros(w.n_sites, dtype=np.int8)
        cause[~voice_ok] = CAUSE_CODE["core"]
        cause[~voice_ok & ~self._node_reaches_core[root]] = CAUSE_CODE["backhaul"]
        cause[~upstream_up] = CAUSE_CODE["backhaul"]
        cause[jammed_sites] = CAUSE_CODE["jamming"]
        cause[~powered[site_sl]] = CAUSE_CODE["power"]
        cause[damaged[site_sl]] = CAUSE_CODE["damage"]
        radio_up = site_up & upstream_up & ~jammed_sites
        return NetworkState(
            cause=cause,
            sms_ok=radio_up & self._node_ok[root, op, SMS],
            cbc_ok=radio_up & self._node_ok[root, op, CBC],
            graph_recomputed=recomputed,
        )

    def gateway_voice_ok(self) -> np.ndarray:
        """Per gateway: whether it reaches a working voice core that delivers to a working PSAP."""
        w = self.world
        first = w.n_nodes + len(w.core_ids)
        return self._node_ok[first:first + w.counts["gateway"], :, VOICE].any(axis=1)

    def _recompute(self, graph_up, link_up, core_function_up, psap_up) -> None:
        w = self.world
        n_graph = len(w.graph_node_ids)
        core_nodes = np.arange(len(w.core_ids)) + w.core_graph_offset

        def labels(node_mask: np.ndarray) -> np.ndarray:
            keep = set(np.nonzero(node_mask)[0].tolist())
            view = nx.subgraph_view(
                self.graph,
                filter_node=keep.__contains__,
                filter_edge=lambda a, b: _edge_up(self.graph.edges[a, b]["links"], link_up),
            )
            label = np.full(n_graph, -1, dtype=np.int64)
            for k, comp in enumerate(nx.connected_components(view)):
                label[list(comp)] = k
            return label

        # Physical reach: cores count as present whatever their state, to tell
        # "the path to the core is gone" (backhaul) from "the core is down" (core).
        physical_mask = graph_up.copy()
        physical_mask[core_nodes] = True
        physical = labels(physical_mask)
        has_core = np.zeros(n_graph + 1, dtype=bool)
        has_core[physical[core_nodes]] = True
        self._node_reaches_core = (physical >= 0) & has_core[physical]

        # Service reach: working nodes only; a core serves a function if it is up,
        # has that function and, for 112, delivers to a working PSAP.
        working = labels(graph_up)
        core_has_psap = np.zeros(len(w.core_ids), dtype=bool)
        for p, cores in enumerate(w.psap_cores):
            if psap_up[p]:
                core_has_psap[cores] = True
        core_serves = core_function_up & (~NEEDS_PSAP[None, :] | core_has_psap[:, None])
        n_labels = int(working.max()) + 1 if working.size else 0
        comp_ok = np.zeros((n_labels + 1, self.n_ops, len(FUNCTION_INDEX)), dtype=bool)
        core_label = working[core_nodes]
        for c in np.nonzero(core_label >= 0)[0]:
            ops = slice(None) if w.core_operator[c] == -1 else ([w.core_operator[c]] if w.core_operator[c] >= 0 else [])
            comp_ok[core_label[c], ops, :] |= core_serves[c]
        self._node_ok = np.where((working >= 0)[:, None, None], comp_ok[working], False)


def _edge_up(links: list[int], link_up: np.ndarray) -> bool:
    """An edge is up while any of its links is; an edge with no links is a dedicated attachment."""
    return not links or bool(link_up[links].any())
