"""The network stage (d2c/network.py) one step at a time, without the engine.

The network (drawn by hand; every expected value below is read off this drawing):

    A1 (TIM) -> N1 --L1-- REG --L3-- CORE (all functions, every operator) -> P1
    A2 (TIM) hangs off A1 by microwave (A1 is the *first* site), A3 (TIM) off A2
    B1 (Vodafone) -> N2 --L2-- REG
    C1 (TIM), V2 (Vodafone) -> N3 --L4-- CORE2 (TIM's own: voice and SMS, no cell broadcast) -> P2
                                    N3 --L5-- CW (WindTre's: no WindTre site anywhere) -> P2
                                    N3 --L6-- CS (every operator's, SMS only) -> P2
    GW1 is attached to CORE, GW2 to CORE2

So with everything up: A1, A2, A3 and B1 have voice, SMS and warnings through CORE; C1 has
voice and SMS through CORE2 but no warning path (no core of its island broadcasts); V2 has SMS
through CS but no voice: of the island's three cores only CS serves Vodafone, and it has no voice.

Each step is given its inputs as the engine gives them: equipment up (standing and powered),
powered, damaged, links up, core functions up, sites jammed.
"""

from __future__ import annotations

from collections import deque

import numpy as np
import pytest

from conftest import write
from d2c.config.topology import load_topology
from d2c.network import CAUSE_CODE, IN_SERVICE, Reachability, component_labels
from d2c.world import World

NET = """
name: net
areas:
  - {name: Alpha, lat: 42.00, lon: 13.00, population: 1000}
sites:
  - {id: A1, lat: 42.00, lon: 13.00, operator: TIM, radius_km: 3, capacity_calls: 10, capacity_mbps: 50, backhaul: N1}
  - {id: A2, lat: 42.02, lon: 13.00, operator: TIM, radius_km: 3, capacity_calls: 10, capacity_mbps: 50, backhaul: A1}
  - {id: A3, lat: 42.04, lon: 13.00, operator: TIM, radius_km: 3, capacity_calls: 10, capacity_mbps: 50, backhaul: A2}
  - {id: B1, lat: 42.10, lon: 13.00, operator: Vodafone, radius_km: 3, capacity_calls: 10, capacity_mbps: 50,
     backhaul: N2}
  - {id: C1, lat: 43.00, lon: 13.00, operator: TIM, radius_km: 3, capacity_calls: 10, capacity_mbps: 50, backhaul: N3}
  - {id: V2, lat: 43.00, lon: 13.01, operator: Vodafone, radius_km: 3, capacity_calls: 10, capacity_mbps: 50,
     backhaul: N3}
transport:
  nodes:
    - {id: N1, lat: 42.05, lon: 13.00}
    - {id: N2, lat: 42.15, lon: 13.00}
    - {id: REG, lat: 42.50, lon: 13.20}
    - {id: N3, lat: 43.05, lon: 13.00}
  links:
    - {id: L1, a: N1, b: REG}
    - {id: L2, a: N2, b: REG}
    - {id: L3, a: REG, b: CORE}
    - {id: L4, a: N3, b: CORE2}
    - {id: L5, a: N3, b: CW}
    - {id: L6, a: N3, b: CS}
cores:
  - {id: CORE, lat: 42.60, lon: 13.30}
  - {id: CORE2, lat: 43.10, lon: 13.00, operator: TIM, functions: [voice, sms]}
  - {id: CW, lat: 43.12, lon: 13.00, operator: WindTre}
  - {id: CS, lat: 43.14, lon: 13.00, functions: [sms]}
psaps:
  - {id: P1, lat: 42.61, lon: 13.30, cores: [CORE]}
  - {id: P2, lat: 43.11, lon: 13.00, cores: [CORE2, CW, CS]}
gateways:
  - {id: GW1, lat: 42.64, lon: 13.30, core: CORE}
  - {id: GW2, lat: 43.13, lon: 13.00, core: CORE2}
"""

SITES = ("A1", "A2", "A3", "B1", "C1", "V2")
# the functions each core has, as the drawing says (not read from the World)
FUNCTIONS = {"CORE": {"voice", "sms", "data", "cbc"}, "CORE2": {"voice", "sms"},
             "CW": {"voice", "sms", "data", "cbc"}, "CS": {"sms"}}


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    return World(load_topology(write(tmp_path_factory.mktemp("net"), "net.yaml", NET)))


def inputs(world, damaged=(), unpowered=(), cut=(), cyber=None, jammed=()):
    """The step's arrays: ``damaged``/``unpowered`` equipment ids, ``cut`` link ids, ``cyber``
    {core: functions down}, ``jammed`` site ids."""
    cyber = cyber or {}
    is_damaged = np.zeros(world.n_equipment, dtype=bool)
    is_damaged[[world.equipment_index[i] for i in damaged]] = True
    powered = np.ones(world.n_equipment, dtype=bool)
    powered[[world.equipment_index[i] for i in unpowered]] = False
    equipment_up = ~is_damaged & powered
    link_up = np.array([lid not in cut for lid in world.link_ids])
    names = ("voice", "sms", "data", "cbc")
    core_up = {c: bool(equipment_up[world.equipment_index[c]]) for c in world.core_ids}
    core_function_up = np.array([[core_up[c] and f in FUNCTIONS[c] and f not in cyber.get(c, ()) for f in names]
                                 for c in world.core_ids])
    jam = np.array([s in jammed for s in world.site_ids])
    return equipment_up, powered, is_damaged, link_up, core_function_up, jam


def paths(world, state):
    """Per site: (cause name or 'ok', SMS path, warning path)."""
    names = {IN_SERVICE: "ok", **{code: name for name, code in CAUSE_CODE.items()}}
    return {s: (names[int(state.cause[i])], bool(state.sms_ok[i]), bool(state.cbc_ok[i]))
            for i, s in enumerate(world.site_ids)}


def step(world, net=None, **kw):
    net = net or Reachability(world)
    return paths(world, net.step(*inputs(world, **kw)))


OK = ("ok", True, True)
DOWN = {cause: (cause, False, False) for cause in ("damage", "power", "jamming", "backhaul")}
ALL_UP = {"A1": OK, "A2": OK, "A3": OK, "B1": OK,
          "C1": ("ok", True, False),  # CORE2 has no cell broadcast, CW serves WindTre only
          "V2": ("core", True, False)}  # CS gives it SMS; CORE2 and CW do not serve Vodafone


def test_with_everything_up_each_site_has_the_paths_of_the_cores_that_serve_its_operator(world):
    assert step(world) == ALL_UP


# ------------------------------------------------------------------ microwave chains under the first site

def test_a_chain_under_the_first_site_falls_with_it_two_hops_deep(world):
    assert step(world, damaged=["A1"]) == {**ALL_UP, "A1": DOWN["damage"], "A2": DOWN["backhaul"],
                                           "A3": DOWN["backhaul"]}


def test_a_chain_falls_below_an_unpowered_site_only(world):
    assert step(world, unpowered=["A2"]) == {**ALL_UP, "A2": DOWN["power"], "A3": DOWN["backhaul"]}


def test_a_chain_falls_below_a_damaged_middle_site_and_stands_when_the_last_one_falls(world):
    assert step(world, damaged=["A2"]) == {**ALL_UP, "A2": DOWN["damage"], "A3": DOWN["backhaul"]}
    assert step(world, damaged=["A3"]) == {**ALL_UP, "A3": DOWN["damage"]}


def test_jamming_a_site_silences_its_radio_not_the_microwave_below_it(world):
    assert step(world, jammed=["A1"]) == {**ALL_UP, "A1": DOWN["jamming"]}


# ------------------------------------------------------------------ failed transport nodes and links

def test_a_failed_first_transport_node_cuts_its_sites_and_their_chain_off(world):
    # N1 is graph node 0: a failed node belongs to no component
    assert step(world, damaged=["N1"]) == {**ALL_UP, "A1": DOWN["backhaul"], "A2": DOWN["backhaul"],
                                           "A3": DOWN["backhaul"]}


def test_an_unpowered_regional_node_cuts_every_site_behind_it(world):
    assert step(world, unpowered=["REG"]) == {**ALL_UP, **{s: DOWN["backhaul"] for s in ("A1", "A2", "A3", "B1")}}


def test_a_failed_island_node_cuts_its_sites_whatever_their_operator(world):
    assert step(world, damaged=["N3"]) == {**ALL_UP, "C1": DOWN["backhaul"], "V2": DOWN["backhaul"]}


def test_a_cut_access_link_cuts_its_node_only(world):
    assert step(world, cut=["L1"]) == {**ALL_UP, "A1": DOWN["backhaul"], "A2": DOWN["backhaul"],
                                       "A3": DOWN["backhaul"]}
    assert step(world, cut=["L2"]) == {**ALL_UP, "B1": DOWN["backhaul"]}


def test_a_cut_core_link_is_backhaul_for_every_site_behind_it(world):
    assert step(world, cut=["L3"]) == {**ALL_UP, **{s: DOWN["backhaul"] for s in ("A1", "A2", "A3", "B1")}}


def test_an_island_with_one_of_its_cores_cut_off(world):
    # L5 cut: CW is unreachable, which changes nothing (it served nobody); L4 cut: CORE2 is
    # unreachable but CW and CS are still there physically, so TIM's C1 has a core problem, not
    # backhaul, and keeps CS's SMS; L6 cut: V2 loses its SMS, C1 keeps CORE2's.
    assert step(world, cut=["L5"]) == ALL_UP
    assert step(world, cut=["L4"]) == {**ALL_UP, "C1": ("core", True, False)}
    assert step(world, cut=["L6"]) == {**ALL_UP, "V2": ("core", False, False)}
    assert step(world, cut=["L4", "L5", "L6"]) == {**ALL_UP, "C1": DOWN["backhaul"], "V2": DOWN["backhaul"]}


# ------------------------------------------------------------------ cores and answering points

def test_a_core_that_is_down_is_a_core_outage_not_backhaul(world):
    for how in ({"damaged": ["CORE"]}, {"unpowered": ["CORE"]}):
        assert step(world, **how) == {**ALL_UP, **{s: ("core", False, False) for s in ("A1", "A2", "A3", "B1")}}


def test_a_down_core_under_a_down_chain_is_still_backhaul_for_the_chain(world):
    got = step(world, damaged=["CORE", "A1"])
    assert (got["A1"], got["A2"], got["A3"]) == (DOWN["damage"], DOWN["backhaul"], DOWN["backhaul"])


@pytest.mark.parametrize("functions, expected", [
    (["voice"], ("core", True, True)),
    (["sms"], ("ok", False, True)),
    (["cbc"], ("ok", True, False)),
    (["data"], OK),
    (["voice", "sms", "cbc"], ("core", False, False)),
])
def test_each_core_function_down_takes_its_own_path_only(world, functions, expected):
    got = step(world, cyber={"CORE": functions})
    assert got == {**ALL_UP, **{s: expected for s in ("A1", "A2", "A3", "B1")}}


def test_an_answering_point_down_stops_112_voice_and_sms_but_not_warnings(world):
    assert step(world, damaged=["P1"]) == {**ALL_UP, **{s: ("core", False, True) for s in ("A1", "A2", "A3", "B1")}}


def test_an_island_answering_point_down_takes_its_112_paths(world):
    assert step(world, unpowered=["P2"]) == {**ALL_UP, "C1": ("core", False, False), "V2": ("core", False, False)}


def test_an_operator_core_serves_its_operator_only_and_cores_add_their_functions(world):
    # CORE2 down: C1 (TIM) is left with CW (WindTre's), which does not serve it, and CS's SMS
    assert step(world, damaged=["CORE2"]) == {**ALL_UP, "C1": ("core", True, False)}
    # CS down: C1 still has CORE2's voice and SMS; V2 has nothing
    assert step(world, damaged=["CS"]) == {**ALL_UP, "V2": ("core", False, False)}


# ------------------------------------------------------------------ causes in order of precedence

def test_a_site_down_for_several_causes_shows_the_first_of_damage_power_jamming_backhaul(world):
    got = step(world, damaged=["A1"], unpowered=["A1", "B1", "C1"], jammed=["A1", "A2", "B1", "V2"], cut=["L4"])
    assert got["A1"] == DOWN["damage"]  # damaged, unpowered and jammed
    assert got["A2"] == DOWN["jamming"]  # jammed, and its upstream is down
    assert got["A3"] == DOWN["backhaul"]
    assert got["B1"] == DOWN["power"]  # unpowered and jammed
    assert got["C1"] == DOWN["power"]  # unpowered, and its core cut off
    assert got["V2"] == DOWN["jamming"]  # jammed, and no core serves it


def test_power_before_the_core_and_backhaul_of_its_own_site(world):
    got = step(world, unpowered=["A1", "B1"], cut=["L3"], jammed=["A3"])
    assert (got["A1"], got["A2"], got["A3"], got["B1"]) == \
        (DOWN["power"], DOWN["backhaul"], DOWN["jamming"], DOWN["power"])


def test_in_service_is_cause_zero(world):
    state = Reachability(world).step(*inputs(world, damaged=["A1"]))
    assert state.in_service.tolist() == [False, False, False, True, True, False]


# ------------------------------------------------------------------ gateways

def test_each_gateway_says_whether_it_reaches_a_voice_core_with_an_answering_point(world):
    def gateways(**kw):
        net = Reachability(world)
        net.step(*inputs(world, **kw))
        return net.gateway_voice_ok().tolist()

    assert gateways() == [True, True]  # CORE serves everyone; CORE2 serves TIM
    assert gateways(cyber={"CORE": ["voice"]}) == [False, True]
    assert gateways(cyber={"CORE": ["sms", "cbc"]}) == [True, True]
    assert gateways(damaged=["P2"]) == [True, False]
    assert gateways(damaged=["GW1"]) == [False, True]  # a gateway that is down reaches nothing
    assert gateways(unpowered=["CORE2"]) == [True, False]  # GW2 is attached to CORE2 only
    # the gateways' attachments are their own: cutting every link leaves them attached
    assert gateways(cut=list(world.link_ids)) == [True, True]


# ------------------------------------------------------------------ one stage through a sequence of steps

SEQUENCE = [
    {},
    {},
    {"damaged": ["N1"]},
    {"damaged": ["N1"], "jammed": ["B1"]},  # the graph is the same
    {"cut": ["L3"]},
    {"cyber": {"CORE": ["sms"]}},
    {"damaged": ["P1"]},
    {"damaged": ["P2"]},
    {"cyber": {"CORE": ["sms"]}},  # seen before
    {"damaged": ["N1"]},  # seen before
    {},
    {"unpowered": ["A1"]},  # a site only: the graph is the same
]


def test_each_step_of_a_sequence_equals_a_fresh_stage_and_the_graph_is_redone_only_when_it_changes(world):
    net = Reachability(world)
    recomputed = []
    for kw in SEQUENCE:
        state = net.step(*inputs(world, **kw))
        assert paths(world, state) == step(world, **kw), kw
        recomputed.append(state.graph_recomputed)
    assert recomputed == [True, False, True, False, True, True, True, True, True, True, True, False]
    assert net.recomputations == 9


def test_gateways_follow_the_last_step(world):
    net = Reachability(world)
    net.step(*inputs(world, cyber={"CORE": ["voice"]}))
    net.step(*inputs(world))
    assert net.gateway_voice_ok().tolist() == [True, True]
    net.step(*inputs(world, cyber={"CORE": ["voice"]}))
    assert net.gateway_voice_ok().tolist() == [False, True]


# ------------------------------------------------------------------ connected components

def _components_by_search(n, a, b, node_up, edge_up):
    """The same labels by breadth-first search (an independent reference)."""
    neighbours = [[] for _ in range(n)]
    for x, y, up in zip(a.tolist(), b.tolist(), edge_up.tolist()):
        if up and node_up[x] and node_up[y]:
            neighbours[x].append(y)
            neighbours[y].append(x)
    label = [-1] * n
    for start in range(n):
        if not node_up[start] or label[start] >= 0:
            continue
        seen, queue = [start], deque([start])
        label[start] = start
        while queue:
            for y in neighbours[queue.popleft()]:
                if label[y] < 0:
                    label[y] = start  # start is the least node of its component: every lower one was labelled
                    seen.append(y)
                    queue.append(y)
    return label


def test_components_of_a_path_numbered_backwards_take_its_least_node():
    # 0 - 5 - 4 - 3 - 2 - 1 and 6 - 7 with 7 down; 8 alone; the edge 2-1 is down
    a = np.array([5, 4, 3, 2, 1, 6, 0])
    b = np.array([4, 3, 2, 1, 8, 7, 5])
    node_up = np.array([True] * 7 + [False, True])
    edge_up = np.array([True, True, True, False, False, True, True])
    assert component_labels(9, a, b, node_up, edge_up).tolist() == [0, 1, 0, 0, 0, 0, 6, -1, 8]


def test_components_of_random_graphs_match_a_search():
    rng = np.random.default_rng(7)
    for _ in range(200):
        n = int(rng.integers(1, 30))
        m = int(rng.integers(0, 2 * n))
        a, b = rng.integers(0, n, m), rng.integers(0, n, m)
        node_up, edge_up = rng.random(n) < 0.85, rng.random(m) < 0.8
        got = component_labels(n, a, b, node_up, edge_up)
        assert got.tolist() == _components_by_search(n, a, b, node_up, edge_up)


def test_states_beyond_those_kept_are_worked_out_again(world):
    # every one of the 64 ways to cut the six links, then the same with P1 down: more graph states than
    # the stage keeps; then the first ones again. Each answer equals a fresh stage's.
    links = list(world.link_ids)
    ways = [{"cut": [lid for k, lid in enumerate(links) if bits >> k & 1]} for bits in range(2 ** len(links))]
    ways += [{**w, "damaged": ["P1"]} for w in ways[:16]]
    net = Reachability(world)
    for kw in ways + ways[:8]:
        assert paths(world, net.step(*inputs(world, **kw))) == step(world, **kw), kw


# A site hanging straight off a core that has no link at all (the last node of the graph: no gateway).
DIRECT = """
name: direct
areas:
  - {name: Alpha, lat: 42.00, lon: 13.00, population: 1000}
sites:
  - {id: X1, lat: 42.00, lon: 13.00, operator: TIM, radius_km: 3, capacity_calls: 10, capacity_mbps: 50, backhaul: N1}
  - {id: X2, lat: 42.01, lon: 13.00, operator: TIM, radius_km: 3, capacity_calls: 10, capacity_mbps: 50, backhaul: CB}
transport:
  nodes:
    - {id: N1, lat: 42.05, lon: 13.00}
  links:
    - {id: L1, a: N1, b: CA}
cores:
  - {id: CA, lat: 42.60, lon: 13.30}
  - {id: CB, lat: 42.02, lon: 13.00, functions: [voice, sms]}
psaps:
  - {id: P, lat: 42.61, lon: 13.30, cores: [CA, CB]}
"""


def test_a_site_straight_off_a_core_with_no_links(tmp_path):
    world = World(load_topology(write(tmp_path, "direct.yaml", DIRECT)))
    funcs = {"CA": {"voice", "sms", "data", "cbc"}, "CB": {"voice", "sms"}}

    def run(damaged=(), cut=()):
        equipment_up = np.array([e not in damaged for e in world.equipment_ids])
        core_function_up = np.array([[equipment_up[world.equipment_index[c]] and f in funcs[c]
                                      for f in ("voice", "sms", "data", "cbc")] for c in world.core_ids])
        state = Reachability(world).step(equipment_up, np.ones(world.n_equipment, bool), ~equipment_up,
                                         np.array([lid not in cut for lid in world.link_ids]), core_function_up,
                                         np.zeros(world.n_sites, bool))
        return paths(world, state)

    assert run() == {"X1": ("ok", True, True), "X2": ("ok", True, False)}
    # its core down: a core outage, never backhaul (there is no path to lose); the other site is untouched
    assert run(damaged=["CB"]) == {"X1": ("ok", True, True), "X2": ("core", False, False)}
    assert run(cut=["L1"]) == {"X1": ("backhaul", False, False), "X2": ("ok", True, False)}


# ------------------------------------------------------------------ sites alone change under one graph view

SITE_SEQUENCE = [
    {},
    {"unpowered": ["A2"]},  # A3 hangs off A2: backhaul
    {"unpowered": ["A2"], "damaged": ["A1"]},  # the whole chain: A1 damaged, A2 power, A3 backhaul
    {"damaged": ["A1"]},  # A2 is back, still under A1
    {"jammed": ["A2"]},  # A1 is back; a jammed A2 still carries A3's microwave
    {"jammed": ["A2"], "unpowered": ["V2"]},
    {},
]


def test_site_changes_under_one_graph_follow_their_chains_step_by_step(world):
    net = Reachability(world)
    for k, kw in enumerate(SITE_SEQUENCE):
        state = net.step(*inputs(world, **kw))
        assert paths(world, state) == step(world, **kw), kw
        assert state.graph_recomputed == (k == 0)
    assert step(world, unpowered=["A2"], damaged=["A1"])["A3"] == DOWN["backhaul"]


def test_the_same_arrays_again_give_the_same_state_without_recomputing(world):
    net = Reachability(world)
    arrays = inputs(world, damaged=["N2"], jammed=["C1"])
    first = net.step(*arrays)
    again = net.step(*arrays)
    assert first.graph_recomputed and not again.graph_recomputed
    assert paths(world, again) == paths(world, first) == step(world, damaged=["N2"], jammed=["C1"])


def test_a_site_that_changes_in_every_way_at_once_is_worked_out_again(world):
    # standing, powered and clear one step; damaged, unpowered and jammed the next (the graph is the same)
    net = Reachability(world)
    net.step(*inputs(world))
    state = net.step(*inputs(world, damaged=["B1"], unpowered=["B1"], jammed=["B1"]))
    assert not state.graph_recomputed
    assert paths(world, state)["B1"] == DOWN["damage"]
