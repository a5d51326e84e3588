"""With nothing failed, every site reaches 112: site -> backhaul -> voice core -> PSAP."""

from __future__ import annotations

import networkx as nx

from ._checks import answered_cores, network_graph, sites_reaching_112


def test_every_national_site_reaches_a_voice_core_that_feeds_a_psap(national):
    ok = sites_reaching_112(national)
    assert len(ok) == len(national["sites"])
    bad = [s for s, good in ok.items() if not good]
    assert not bad, bad[:10]


def test_every_regional_and_box_site_reaches_112(lazio, amatrice):
    for topo in (lazio, amatrice):
        assert all(sites_reaching_112(topo).values())


def test_every_area_region_has_its_own_psap(national, amatrice):
    for topo in (national, amatrice):
        assert {a["region"] for a in topo["areas"]} <= {p["region"] for p in topo["psaps"]}


def test_psaps_are_fed_by_every_operators_voice_cores(national):
    cores = answered_cores(national)
    operators = {c["operator"] for c in national["cores"] if c["id"] in cores}
    assert operators == {"TIM", "Vodafone", "WindTre", "Iliad"}
    for p in national["psaps"]:
        fed = {c["operator"] for c in national["cores"] if c["id"] in p["cores"]}
        assert fed == operators, p["id"]


def test_aggregation_and_above_survive_any_single_link_or_node_cut(national):
    """Redundancy where real networks have it: aggregation, regional and national nodes
    keep two node-disjoint paths to the cores."""
    g = network_graph(national)
    fixed = g.subgraph([n for n, d in g.nodes(data=True) if d["kind"] in ("aggregation", "regional", "national", "core")]).copy()
    cores = [n for n, d in fixed.nodes(data=True) if d["kind"] == "core"]
    fixed.add_node("SINK")
    for c in cores:
        fixed.add_edge(c, "SINK")
    for n, d in list(fixed.nodes(data=True)):
        if d.get("kind") in ("aggregation", "regional", "national"):
            assert nx.node_connectivity(fixed, n, "SINK") >= 2, n


def test_each_operator_has_geo_redundant_cores(national):
    per_op = {}
    for c in national["cores"]:
        per_op.setdefault(c["operator"], []).append(c)
    assert set(per_op) == {"TIM", "Vodafone", "WindTre", "Iliad"}
    for op, cores in per_op.items():
        assert len(cores) >= 2, op
        assert all("voice" in c["functions"] for c in cores)


def test_backhaul_hierarchy_shape(national):
    nodes = {n["id"]: n for n in national["transport"]["nodes"]}
    sites = {s["id"]: s for s in national["sites"]}
    kinds = {n["kind"] for n in nodes.values()}
    assert kinds == {"access", "aggregation", "regional", "national"}
    # 107 provinces -> 107 aggregation nodes; two regional nodes per region with two or
    # more provinces (19 regions), one for Valle d'Aosta
    assert sum(n["kind"] == "aggregation" for n in nodes.values()) == 107
    assert sum(n["kind"] == "regional" for n in nodes.values()) == 19 * 2 + 1
    for s in sites.values():
        parent = s["backhaul"]
        if parent in sites:  # microwave daisy chain: one hop, same operator, to a fibre-fed site
            assert sites[parent]["operator"] == s["operator"]
            assert nodes[sites[parent]["backhaul"]]["kind"] == "access"
        else:
            assert nodes[parent]["kind"] == "access"
    media = {link["medium"] for link in national["transport"]["links"]}
    assert media == {"fibre", "microwave"}
