"""Reachability: which sites still reach a working core that reaches a working PSAP.

The transport graph (transport nodes, cores, gateways and the links between
them) is small; sites hang off it. Connected components of the surviving graph
are recomputed (numpy label propagation over an edge mask) only when the state
of a node, a link, a core function or a PSAP changes, and each graph state's
result is kept, so a state seen before (a link cut and spliced) is not
recomputed; between changes each step is a few array operations over the sites.
"""

from __future__ import annotations

from dataclasses import dataclass

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
# graph states whose reachability is kept (each is a few arrays over the sites)
STATES_KEPT = 64

__all__ = ["CAUSES", "CAUSE_CODE", "IN_SERVICE", "NetworkState", "Reachability", "component_labels"]


def component_labels(n_nodes: int, a: np.ndarray, b: np.ndarray, node_up: np.ndarray,
                     edge_up: np.ndarray) -> np.ndarray:
    """Per node, the smallest node index of its connected component over the edges (a, b)
    that are up between nodes that are up; -1 for a node that is down.

    Min-label propagation with pointer jumping, all numpy: labels only fall, and at the
    fixed point both ends of every live edge carry the same label, their component's least node.

    >>> component_labels(5, np.array([0, 1, 3]), np.array([1, 2, 4]), np.array([True, True, True, True, False]),
    ...                  np.array([True, True, True]))
    array([ 0,  0,  0,  3, -1])
    """
    live = edge_up & node_up[a] & node_up[b]
    a, b = a[live], b[live]
    label = np.arange(n_nodes, dtype=np.int64)
    while True:
        new = label.copy()
        np.minimum.at(new, a, label[b])
        np.minimum.at(new, b, label[a])
        while True:  # pointer jumping: a node takes its label's label
            jumped = new[new]
            if np.array_equal(jumped, new):
                break
            new = jumped
        if np.array_equal(new, label):
            break
        label = new
    return np.where(node_up, label, -1)


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
        n_graph = len(world.graph_node_ids)
        self.n_ops = max(len(world.operators), 1)
        # edges: one per link, then each gateway's dedicated attachment to its core (always up)
        gateways = world.topology.gateways
        self._edge_a = np.concatenate([world.link_a, [world.graph_index[g.id] for g in gateways]]).astype(np.int64)
        self._edge_b = np.concatenate([world.link_b, [world.graph_index[g.core] for g in gateways]]).astype(np.int64)
        self._attachments_up = np.ones(len(gateways), dtype=bool)
        self._psap_core = np.concatenate([c for c in world.psap_cores] or [np.zeros(0, dtype=np.int64)])
        self._psap_of = np.repeat(np.arange(len(world.psap_cores)), [c.size for c in world.psap_cores])
        self._key: tuple | None = None
        self._states: dict[tuple, _GraphState] = {}
        self._node_ok = np.zeros((n_graph, self.n_ops, len(FUNCTION_INDEX)), dtype=bool)
        self._graph_state = self._site_view(np.zeros(n_graph, dtype=bool))
        self.recomputations = 0
        self._last: tuple | None = None  # the last step's inputs (the very arrays) and its state
        # the last step's per-site inputs (site up, powered, damaged, jammed) and the graph view they met
        self._sites_last: tuple | None = None
        has_parent = world.site_parent_site >= 0
        self._children = np.flatnonzero(has_parent)  # the daisy-chained sites

    def step(self, equipment_up: np.ndarray, powered: np.ndarray, damaged: np.ndarray, link_up: np.ndarray,
             core_function_up: np.ndarray, jammed_sites: np.ndarray) -> NetworkState:
        """The sites' state this step. Handed the very arrays of the last step (nothing changed),
        it hands back the last step's arrays."""
        inputs = (equipment_up, powered, damaged, link_up, core_function_up, jammed_sites)
        last = self._last
        if last is not None and all(a is b for a, b in zip(inputs, last[0])):
            state = last[1]
            if state.graph_recomputed:  # recomputed last step, not this one
                state = NetworkState(state.cause, state.sms_ok, state.cbc_ok, False)
                self._last = (inputs, state)
            return state
        state = self._step(*inputs)
        self._last = (inputs, state)
        return state

    def _step(self, equipment_up: np.ndarray, powered: np.ndarray, damaged: np.ndarray, link_up: np.ndarray,
              core_function_up: np.ndarray, jammed_sites: np.ndarray) -> NetworkState:
        w = self.world
        graph_up = equipment_up[w.graph_equipment]
        psap_up = equipment_up[w.slices["psap"]]
        key = (graph_up.tobytes(), link_up.tobytes(), core_function_up.tobytes(), psap_up.tobytes())
        recomputed = key != self._key
        if recomputed:
            state = self._states.get(key)
            if state is None:
                state = self._recompute(graph_up, link_up, core_function_up, psap_up)
                if len(self._states) >= STATES_KEPT:
                    self._states.pop(next(iter(self._states)))
                self._states[key] = state
            self._node_ok, self._graph_state = state.node_ok, state.sites
            self._key = key
            self.recomputations += 1

        site_sl = w.slices["site"]
        site_up = equipment_up[site_sl]
        inputs = (site_up, powered[site_sl], damaged[site_sl], jammed_sites)
        last = self._sites_last
        self._sites_last = (tuple(a.copy() for a in inputs), self._graph_state)
        if last is not None and last[1] is self._graph_state and self._last is not None:
            # the same graph view: only the sites whose own inputs changed, and the sites chained below them
            changed = np.zeros(w.n_sites, dtype=bool)
            for a, b in zip(inputs, last[0]):
                changed |= a != b
            kids, parent = self._children, w.site_parent_site
            for _ in range(w.chain_depth):
                changed[kids] |= changed[parent[kids]]
            i = np.flatnonzero(changed)
            state = self._last[1]
            cause, sms_ok, cbc_ok = state.cause.copy(), state.sms_ok.copy(), state.cbc_ok.copy()
            cause[i], sms_ok[i], cbc_ok[i] = self._sites_at(i, *inputs)
            return NetworkState(cause=cause, sms_ok=sms_ok, cbc_ok=cbc_ok, graph_recomputed=recomputed)
        cause, sms_ok, cbc_ok = self._sites_at(slice(None), *inputs)
        return NetworkState(cause=cause, sms_ok=sms_ok, cbc_ok=cbc_ok, graph_recomputed=recomputed)

    def _sites_at(self, i: np.ndarray | slice, site_up: np.ndarray, powered: np.ndarray, damaged: np.ndarray,
                  jammed_sites: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Cause, SMS and cell-broadcast paths of sites ``i`` (an index or all) from the graph view
        and the sites' own state (per site arrays)."""
        w = self.world
        # a daisy-chained site needs every site above it to be standing and powered
        parent = w.site_parent_site[i]
        has_parent = parent >= 0
        upstream_up = np.ones(has_parent.size, dtype=bool)
        above = parent
        for _ in range(w.chain_depth):
            up = has_parent & site_up[np.maximum(above, 0)]
            upstream_up &= ~has_parent | up
            above = np.where(has_parent, w.site_parent_site[np.maximum(above, 0)], -1)
            has_parent = above >= 0

        sites = self._graph_state
        cause = sites.cause[i].copy()
        jammed, own_up = jammed_sites[i], site_up[i]
        cause[~upstream_up] = CAUSE_CODE["backhaul"]
        cause[jammed] = CAUSE_CODE["jamming"]
        cause[~powered[i]] = CAUSE_CODE["power"]
        cause[damaged[i]] = CAUSE_CODE["damage"]
        radio_up = own_up & upstream_up & ~jammed
        return cause, radio_up & sites.sms_ok[i], radio_up & sites.cbc_ok[i]

    def gateway_voice_ok(self) -> np.ndarray:
        """Per gateway: whether it reaches a working voice core that delivers to a working PSAP."""
        w = self.world
        first = w.n_nodes + len(w.core_ids)
        return self._node_ok[first:first + w.counts["gateway"], :, VOICE].any(axis=1)

    def _recompute(self, graph_up, link_up, core_function_up, psap_up) -> "_GraphState":
        w = self.world
        n_graph = len(w.graph_node_ids)
        core_nodes = np.arange(len(w.core_ids)) + w.core_graph_offset
        edge_up = np.concatenate([link_up, self._attachments_up])

        def labels(node_mask: np.ndarray) -> np.ndarray:
            return component_labels(n_graph, self._edge_a, self._edge_b, node_mask, edge_up)

        # Physical reach: cores count as present whatever their state, to tell
        # "the path to the core is gone" (backhaul) from "the core is down" (core).
        physical_mask = graph_up.copy()
        physical_mask[core_nodes] = True
        physical = labels(physical_mask)
        has_core = np.zeros(n_graph + 1, dtype=bool)
        has_core[physical[core_nodes]] = True
        reaches_core = (physical >= 0) & has_core[physical]

        # Service reach: working nodes only; a core serves a function if it is up,
        # has that function and, for 112, delivers to a working PSAP.
        working = labels(graph_up)
        core_has_psap = np.zeros(len(w.core_ids), dtype=bool)
        core_has_psap[self._psap_core[psap_up[self._psap_of]]] = True
        core_serves = core_function_up & (~NEEDS_PSAP[None, :] | core_has_psap[:, None])
        n_labels = int(working.max()) + 1 if working.size else 0
        comp_ok = np.zeros((n_labels + 1, self.n_ops, len(FUNCTION_INDEX)), dtype=bool)
        core_label = working[core_nodes]
        for c in np.nonzero(core_label >= 0)[0]:
            ops = slice(None) if w.core_operator[c] == -1 else ([w.core_operator[c]] if w.core_operator[c] >= 0 else [])
            comp_ok[core_label[c], ops, :] |= core_serves[c]
        node_ok = np.where((working >= 0)[:, None, None], comp_ok[working], False)
        return _GraphState(node_ok, self._site_view(reaches_core, node_ok))

    def _site_view(self, reaches_core: np.ndarray, node_ok: np.ndarray | None = None) -> "_SiteView":
        """What a graph state means for each site, through its root and operator."""
        w = self.world
        node_ok = self._node_ok if node_ok is None else node_ok
        root, op = w.site_root, w.site_operator
        voice_ok = node_ok[root, op, VOICE]
        cause = np.zeros(w.n_sites, dtype=np.int8)
        cause[~voice_ok] = CAUSE_CODE["core"]
        cause[~voice_ok & ~reaches_core[root]] = CAUSE_CODE["backhaul"]
        return _SiteView(cause, node_ok[root, op, SMS], node_ok[root, op, CBC])


@dataclass(frozen=True)
class _SiteView:
    """Per site, from the graph alone: the cause if the site itself is fine, and the SMS and CBC paths."""

    cause: np.ndarray
    sms_ok: np.ndarray
    cbc_ok: np.ndarray


@dataclass(frozen=True)
class _GraphState:
    node_ok: np.ndarray  # (graph nodes, operators, functions)
    sites: _SiteView
