"""Independent checkers: their own haversine, their own graph, straight from the dict.

They re-derive everything from the source data and the topology dict, so a
bug in the builder's own helpers cannot hide itself.
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np

EARTH_RADIUS_KM = 6371.0088  # IUGG mean radius

# A box around the Amatrice 2016 epicentre (42.70 N, 13.23 E): parts of Lazio,
# Umbria, Marche and Abruzzo.
AMATRICE_BOX = (42.4, 12.9, 43.0, 13.6)


def haversine_km(lat1, lon1, lat2, lon2):
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp = p2 - p1
    dl = np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(a))


def covering_sites(areas, sites):
    """For each area, how many sites have its centroid within their radius (lat-band + haversine)."""
    s_lat = np.array([s["lat"] for s in sites])
    s_lon = np.array([s["lon"] for s in sites])
    s_r = np.array([s["radius_km"] for s in sites])
    order = np.argsort(s_lat)
    s_lat, s_lon, s_r = s_lat[order], s_lon[order], s_r[order]
    band = s_r.max() / 110.0 + 0.01  # degrees of latitude, generous
    counts = []
    for a in areas:
        lo, hi = np.searchsorted(s_lat, [a["lat"] - band, a["lat"] + band])
        d = haversine_km(a["lat"], a["lon"], s_lat[lo:hi], s_lon[lo:hi])
        counts.append(int(np.count_nonzero(d <= s_r[lo:hi])))
    return np.array(counts)


def all_ids(topo):
    out = {}
    for key in ("areas", "substations", "sites", "cores", "psaps", "gateways"):
        for x in topo.get(key, []):
            out.setdefault(x["id"], []).append(key)
    for x in topo["transport"]["nodes"]:
        out.setdefault(x["id"], []).append("nodes")
    for x in topo["transport"]["links"]:
        out.setdefault(x["id"], []).append("links")
    return out


def decimals(x: float) -> int:
    text = repr(float(x))
    if "e" in text or "E" in text:
        return 99 if not math.isclose(x, round(x, 5)) else 0
    return len(text.split(".")[1].rstrip("0"))


def network_graph(topo) -> nx.Graph:
    """Sites, transport nodes, cores and gateways; edges: site backhaul and transport links."""
    g = nx.Graph()
    for s in topo["sites"]:
        g.add_node(s["id"], kind="site", operator=s["operator"])
    for n in topo["transport"]["nodes"]:
        g.add_node(n["id"], kind=n["kind"])
    for c in topo["cores"]:
        g.add_node(c["id"], kind="core", operator=c.get("operator"), functions=tuple(c.get("functions", ())))
    for gw in topo.get("gateways", []):
        g.add_node(gw["id"], kind="gateway")
    for s in topo["sites"]:
        g.add_edge(s["id"], s["backhaul"])
    for link in topo["transport"]["links"]:
        g.add_edge(link["a"], link["b"], id=link["id"])
    return g


def answered_cores(topo) -> set[str]:
    """Voice cores that deliver 112 calls to at least one PSAP."""
    voice = {c["id"] for c in topo["cores"] if "voice" in c.get("functions", ["voice"])}
    return voice & {c for p in topo["psaps"] for c in p["cores"]}


def sites_reaching_112(topo) -> dict[str, bool]:
    """Per site: does a path of working elements lead to its operator's voice core that a PSAP uses?

    Paths may not cross another operator's sites or cores.
    """
    g = network_graph(topo)
    good_cores = answered_cores(topo)
    result = {}
    for op in sorted({s["operator"] for s in topo["sites"]}):
        keep = [n for n, d in g.nodes(data=True)
                if d["kind"] not in ("site", "core") or d.get("operator") in (op, None)]
        sub = g.subgraph(keep)
        reach = set()
        for core in good_cores:
            if core in sub and core not in reach:
                reach |= nx.node_connected_component(sub, core)
        for s in topo["sites"]:
            if s["operator"] == op:
                result[s["id"]] = s["id"] in reach
    return result
