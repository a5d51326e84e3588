"""Model branches the small fixture never reaches, each checked against a value worked out by hand.

The network here (tests/conftest.py has the simpler one):

    S1 (TIM, covers Alpha and Beta) -> AGG1 --fibre-- REG -> CORE -> PSAP
    S4 (TIM, covers Delta) hangs off S1 by microwave: S1 is the *first* site
    S2 (TIM) and S3 (Vodafone), both covering Gamma -> AGG2 --fibre-- REG
    AGG3 --fibre-- CORE2 -> PSAP2, a second island with no sites on it

and, further down, one with an operator's own core beside a shared SMS-only core,
a chain of sites two hops deep, and two gateways (CORES).

Every expected value is derived from the fixture's own numbers (or a cited
practice), never from a constant of the module under test.
"""

from __future__ import annotations

import numpy as np
import pytest

from d2c.config.scenario import load_scenario
from d2c.demand import StepDemand
from d2c.engine import Simulation
from d2c.fallback import D2CCapacity, Fallback
from d2c.network import CAUSE_CODE, IN_SERVICE
from d2c.world import World

from conftest import BRANCHES, write

HOUR = 3600.0


def _scenario(tmp_path, incidents="[]", extra="", duration="6h", topology=BRANCHES):
    write(tmp_path, "branches.yaml", topology)
    return write(tmp_path, "scenario.yaml", f"""
name: branches
topology: branches.yaml
start: 2024-01-01T00:00:00Z
duration: {duration}
step: 60s
seed: 3
incidents: {incidents}
{extra}
""")


def _run(tmp_path, incidents="[]", extra="", duration="6h", topology=BRANCHES):
    sim = Simulation(load_scenario(_scenario(tmp_path, incidents, extra, duration, topology)))
    states = []
    sim.run(on_step=states.append)
    return sim, states


def _site(sim, name):
    return sim.world.site_ids.index(name)


def _area(sim, name):
    return sim.world.area_ids.index(name)


# ------------------------------------------------------------------ capacity shared among areas

def test_a_site_shares_its_calls_among_its_areas_by_population(tmp_path):
    # S1's 30 calls go 2:1 to Alpha (1000 people) and Beta (500): 20 and 10 calls.
    # 1 call per person-hour held 90 s offers Alpha 1000 x 90 / 3600 = 25 Erlang
    # and Beta 12.5 Erlang, so each gets 20/25 = 10/12.5 = 80% of its calls.
    sim, states = _run(tmp_path, extra="demand: {emergency_calls_per_person_hour: 1.0, emergency_sms_per_person_hour: 0}",
                       duration="1h")
    s = states[0].service
    for name, people in (("Alpha", 1000), ("Beta", 500)):
        a = _area(sim, name)
        assert s.calls_offered[a] == pytest.approx(people / 60)
        assert s.calls_served_terrestrial[a] == pytest.approx(0.8 * people / 60)
    assert s.capacity_calls[_area(sim, "Alpha")] == pytest.approx(20.0)
    assert s.capacity_calls[_area(sim, "Beta")] == pytest.approx(10.0)


# ------------------------------------------------------------------ backhaul branches

def test_a_site_chained_under_the_first_site_falls_with_it(tmp_path):
    sim, states = _run(tmp_path, "[{kind: attack, actions: [{at: T+1h, destroy: [S1]}]}]", duration="2h")
    k = int(HOUR // 60)
    assert states[k - 1].network.cause[_site(sim, "S4")] == IN_SERVICE
    assert states[k].network.cause[_site(sim, "S1")] == CAUSE_CODE["damage"]
    assert states[k].network.cause[_site(sim, "S4")] == CAUSE_CODE["backhaul"]
    assert not states[k].service.terrestrial[_area(sim, "Delta")]


def test_a_failed_transport_node_cuts_its_sites_off_the_core(tmp_path):
    sim, states = _run(tmp_path, "[{kind: attack, actions: [{at: T+1h, destroy: [AGG1]}]}]", duration="2h")
    state = states[int(HOUR // 60)]
    cause = state.network.cause
    # S1 and the S4 hanging off it lose their path to the core; the others keep theirs.
    # (The island AGG3-CORE2 is another component: a failed node belongs to none.)
    assert cause[_site(sim, "S1")] == CAUSE_CODE["backhaul"]
    assert cause[_site(sim, "S4")] == CAUSE_CODE["backhaul"]
    assert cause[_site(sim, "S2")] == IN_SERVICE and cause[_site(sim, "S3")] == IN_SERVICE
    assert not state.network.sms_ok[_site(sim, "S1")] and not state.network.cbc_ok[_site(sim, "S1")]


# ------------------------------------------------------------------ voice, SMS and warning paths by cause

def _paths(state, sim, site):
    i = _site(sim, site)
    return bool(state.network.cause[i] == IN_SERVICE), bool(state.network.sms_ok[i]), bool(state.network.cbc_ok[i])


@pytest.mark.parametrize("incident, site", [
    ("{kind: attack, actions: [{at: 0, destroy: [S2]}]}", "S2"),
    ("{kind: attack, actions: [{at: 0, jam: {circle: {lat: 42.30, lon: 13.00, radius_km: 0.05}}}]}", "S2"),
    # S3 has no battery: in a blackout its radio is dead at once
    ("{kind: blackout, area: everywhere, at: 0, duration: 6h}", "S3"),
])
def test_a_site_whose_radio_is_down_carries_no_voice_sms_or_warning(tmp_path, incident, site):
    sim, states = _run(tmp_path, f"[{incident}]", duration="1h")
    assert _paths(states[0], sim, site) == (False, False, False)


def test_a_core_without_sms_keeps_voice_and_warnings_but_not_112_sms(tmp_path):
    sim, states = _run(tmp_path, "[{kind: attack, actions: [{at: 0, cyber: {core: CORE, functions: [sms]}}]}]",
                       duration="1h")
    assert _paths(states[0], sim, "S1") == (True, False, True)


def test_a_core_without_cell_broadcast_keeps_voice_and_sms_but_not_warnings(tmp_path):
    sim, states = _run(tmp_path, "[{kind: attack, actions: [{at: 0, cyber: {core: CORE, functions: [cbc]}}]}]",
                       duration="1h")
    assert _paths(states[0], sim, "S1") == (True, True, False)
    assert not states[0].service.warning_reach.any()


# ------------------------------------------------------------------ power

def test_backup_is_reported_only_off_grid_and_only_while_energy_lasts(tmp_path):
    sim, states = _run(tmp_path, "[{kind: blackout, area: everywhere, at: T+1h, duration: 6h}]", duration="6h")
    sites = sim.world.slices["site"]
    s1 = _site(sim, "S1")
    assert not states[30].on_backup[sites].any()  # on the grid: nobody is on backup
    assert states[90].on_backup[sites][s1]  # 30 min into the blackout, on its 4 h battery
    assert not states[int(5.5 * 60)].on_backup[sites][s1]  # 4.5 h into it: battery empty, dark


def test_a_battery_recharges_at_the_rate_of_a_full_charge_in_eight_hours(tmp_path):
    # Telecom VRLA strings recharge fully in about 8 h at 0.1 C (IEEE Std 1188 practice):
    # a 4 h battery regains 4/8 = 0.5 h of autonomy per hour on the grid.
    # One hour off grid leaves 3 h; one hour back on grid brings it to 3.5 h.
    sim, _ = _run(tmp_path, "[{kind: blackout, area: everywhere, at: 0, duration: 1h}]", duration="2h")
    s1 = sim.world.equipment_index["S1"]
    assert sim.power.battery_left_s[s1] == pytest.approx(3.5 * HOUR)


# ------------------------------------------------------------------ beams that carry one class only

def _one_area_fallback():
    """Fallback over the fixture's world with no site in service, one beam over every area."""
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        world = World(load_scenario(_scenario(Path(tmp))).topology)
    fb = Fallback(world)
    n_sites = world.n_sites
    none = np.zeros(n_sites, dtype=bool)
    fb.terrestrial(none, none, none)
    return world, fb


def _beam(world, calls, sms, mbps):
    n = len(world.area_ids)
    return D2CCapacity(area_beam=np.zeros(n, dtype=np.int64), beam_calls=np.array([calls], float),
                       beam_sms=np.array([sms], float), beam_mbps=np.array([mbps], float),
                       satellites_visible=np.ones(n, dtype=np.int32), delay_ms=np.full(n, 5.0),
                       elevation_deg=np.full(n, 60.0))


def _demand(world):
    n = len(world.area_ids)
    one = np.ones(n)
    return StepDemand(calls=one, call_erlangs=one, sms=one, public_sms=one, responder_erlangs=np.zeros(n),
                      data_mbps=one)


@pytest.mark.parametrize("calls, sms, mbps", [(0, 5, 0), (0, 0, 5)])
def test_a_beam_with_only_sms_or_only_data_still_serves_its_areas(calls, sms, mbps):
    world, fb = _one_area_fallback()
    service = fb.step(_demand(world), _beam(world, calls, sms, mbps))
    assert service.d2c.all()
    assert service.sms_path.all() == (sms > 0)
    assert service.calls_served_d2c.sum() == 0.0


def test_a_beam_serves_112_calls_before_responders_and_112_sms_before_public_sms():
    world, fb = _one_area_fallback()
    n = len(world.area_ids)
    # 4 areas each offer 1 Erlang of 112 calls, 1 of responders, 1 112 SMS and 1 public SMS;
    # a beam of 6 calls and 6 SMS serves all 4 112 classes first, then half the rest.
    demand = StepDemand(calls=np.ones(n), call_erlangs=np.ones(n), sms=np.ones(n), public_sms=np.ones(n),
                        responder_erlangs=np.ones(n), data_mbps=np.zeros(n))
    service = fb.step(demand, _beam(world, 6, 6, 0))
    assert service.calls_served_d2c == pytest.approx(np.ones(n))
    assert service.sms_served_d2c == pytest.approx(np.ones(n))
    assert service.responders_served_d2c == pytest.approx(np.full(n, 0.5))
    assert service.public_sms_served_d2c == pytest.approx(np.full(n, 0.5))
    assert service.d2c_blocked.sum() == pytest.approx(0.0)


def test_a_generator_on_the_grid_burns_no_fuel(tmp_path):
    # S2 has no generator of its own: one is brought with 2 h of fuel, then six hours on the
    # grid must leave every drop of it.
    sim = Simulation(load_scenario(_scenario(tmp_path, duration="6h")))
    sim.add_fuel("S2", 2.0)
    sim.run()
    assert sim.power.generator_left_s[sim.world.equipment_index["S2"]] == pytest.approx(2 * HOUR)


def test_the_last_second_of_a_battery_still_powers_a_step(tmp_path):
    # 60.5 s of battery off the grid: the first one-minute step draws 60 s, and the half
    # second left at the start of the next step still keeps the site up for that step.
    text = BRANCHES.replace("backhaul: AGG1, substation: SUB, battery_hours: 4}",
                            f"backhaul: AGG1, substation: SUB, battery_hours: {60.5 / 3600!r}}}")
    sim, states = _run(tmp_path, "[{kind: blackout, area: everywhere, at: 0, duration: 1h}]", duration="5m",
                       topology=text)
    s1 = sim.world.site_ids.index("S1")
    assert [int(s.network.cause[s1]) for s in states[:3]] == [IN_SERVICE, IN_SERVICE, CAUSE_CODE["power"]]


# ------------------------------------------------------------------ cores, chains and gateways

CORES = """
name: cores
areas:
  - {name: Alpha, lat: 42.00, lon: 13.00, population: 1000}
  - {name: Zeta, lat: 42.40, lon: 13.00, population: 100}
  - {name: Eta, lat: 42.80, lon: 13.00, population: 100}
sites:
  - {id: T1, lat: 42.00, lon: 13.00, operator: TIM, radius_km: 3, capacity_calls: 10, capacity_mbps: 50, backhaul: AGG}
  - {id: V1, lat: 42.00, lon: 13.001, operator: Vodafone, radius_km: 3, capacity_calls: 10, capacity_mbps: 50,
     backhaul: AGG}
  - {id: T2, lat: 42.40, lon: 13.00, operator: TIM, radius_km: 3, capacity_calls: 10, capacity_mbps: 50, backhaul: T1}
  - {id: T3, lat: 42.80, lon: 13.00, operator: TIM, radius_km: 3, capacity_calls: 10, capacity_mbps: 50, backhaul: T2}
transport:
  nodes:
    - {id: AGG, lat: 42.05, lon: 13.00}
    - {id: REG, lat: 42.50, lon: 13.20}
  links:
    - {id: L1, a: AGG, b: REG}
    - {id: L2, a: REG, b: CTIM}
    - {id: L3, a: REG, b: CSMS}
    - {id: L4, a: REG, b: CWIND}
cores:
  - {id: CTIM, lat: 42.60, lon: 13.30, operator: TIM, functions: [voice, cbc]}
  - {id: CSMS, lat: 42.61, lon: 13.30, functions: [sms]}
  - {id: CWIND, lat: 42.62, lon: 13.30, operator: WindTre, functions: [voice, sms, cbc]}
  - {id: CSMS2, lat: 42.66, lon: 13.30, functions: [sms]}
psaps:
  - {id: PSAP, lat: 42.63, lon: 13.30, cores: [CTIM, CSMS, CWIND]}
gateways:
  - {id: GW1, lat: 42.64, lon: 13.30, core: CTIM}
  - {id: GW2, lat: 42.65, lon: 13.30, core: CSMS2}
"""


def _cores_run(tmp_path, incidents="[]"):
    return _run(tmp_path, incidents, extra="restoration: off", duration="2h", topology=CORES)


def test_an_operator_core_serves_its_operator_only_and_cores_add_their_functions(tmp_path):
    # TIM's core (voice) serves TIM's sites only; the shared SMS core serves everyone; the
    # WindTre core serves nobody here (no WindTre site). Functions of cores in one
    # component add up: TIM sites have voice and SMS, Vodafone's SMS only.
    sim, states = _cores_run(tmp_path)
    net = states[0].network
    cause = {name: int(net.cause[sim.world.site_ids.index(name)]) for name in ("T1", "V1")}
    sms = {name: bool(net.sms_ok[sim.world.site_ids.index(name)]) for name in ("T1", "V1")}
    assert cause == {"T1": IN_SERVICE, "V1": CAUSE_CODE["core"]}
    assert sms == {"T1": True, "V1": True}


def test_a_failed_regional_node_cuts_the_path_to_the_cores(tmp_path):
    sim, states = _cores_run(tmp_path, "[{kind: attack, actions: [{at: T+1h, destroy: [REG]}]}]")
    assert int(states[60].network.cause[sim.world.site_ids.index("T1")]) == CAUSE_CODE["backhaul"]


def test_a_chain_two_hops_deep_falls_with_its_first_site(tmp_path):
    sim, states = _cores_run(tmp_path, "[{kind: attack, actions: [{at: T+1h, destroy: [T1]}]}]")
    cause = states[60].network.cause
    assert [int(cause[sim.world.site_ids.index(n)]) for n in ("T1", "T2", "T3")] == \
        [CAUSE_CODE["damage"], CAUSE_CODE["backhaul"], CAUSE_CODE["backhaul"]]


def test_each_gateway_says_whether_it_reaches_a_voice_core_and_the_graph_is_redone_only_on_change(tmp_path):
    # GW1 hands traffic to TIM's voice core; GW2 to an SMS-only core on an island: no 112 voice through it.
    sim, states = _cores_run(tmp_path, "[{kind: attack, actions: [{at: T+1h, cyber: {core: CTIM, functions: [voice]}}]}]")
    assert sim.network.gateway_voice_ok().tolist() == [False, False]  # TIM's voice core is down
    assert [s.network.graph_recomputed for s in states[:3]] == [True, False, False]
    assert states[60].network.graph_recomputed and not states[61].network.graph_recomputed
    sim2, _ = _cores_run(tmp_path)
    assert sim2.network.gateway_voice_ok().tolist() == [True, False]
