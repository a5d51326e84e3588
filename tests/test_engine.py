"""The time loop on a tiny network: batteries, each failure cause, reachability, capacity."""

import numpy as np
import pytest

from d2c.config.scenario import load_scenario
from d2c.engine import Simulation
from d2c.network import CAUSE_CODE, IN_SERVICE

HOUR = 3600
OFF = "restoration: off"  # the tests of immediate actions and responses


def run_states(path):
    sim = Simulation(load_scenario(path))
    states = []
    sim.run(on_step=states.append)
    return sim, states


def site_cause(sim, states, site, t_s):
    k = int(t_s // sim.scenario.step_s)
    return int(states[k].network.cause[sim.world.site_ids.index(site)])


def test_nothing_fails_without_incidents(small):
    sim, states = run_states(small())
    assert all(s.network.in_service.all() for s in states)
    result = sim.result()
    assert result.summary["emergency_service_survival"] == 1.0
    assert result.summary["peak_sites_down_fraction"] == 0.0


def test_battery_countdown_then_generator(small):
    # Grid lost everywhere at T+0: S1 lives 4 h on battery; S2 4 h battery + 2 h generator.
    # Restoration off: no portable generator, no fuel truck (those: tests/restoration/).
    sim, states = run_states(small("[{kind: blackout, area: everywhere, at: 0, duration: 24h}]", extra=OFF))
    assert site_cause(sim, states, "S1", 4 * HOUR - 60) == IN_SERVICE
    assert site_cause(sim, states, "S1", 4 * HOUR) == CAUSE_CODE["power"]
    assert site_cause(sim, states, "S2", 6 * HOUR - 60) == IN_SERVICE
    assert site_cause(sim, states, "S2", 6 * HOUR) == CAUSE_CODE["power"]
    # S3 hangs off S2: it outlives its own battery only if S2 is up, so it goes at 4 h by power.
    assert site_cause(sim, states, "S3", 4 * HOUR) == CAUSE_CODE["power"]
    # while on battery the sites count as on backup
    assert states[60].on_backup[sim.world.slices["site"]].all()


def test_batteries_recharge_after_the_grid_returns(small):
    sim, states = run_states(small("[{kind: blackout, area: everywhere, at: 0, duration: 1h}]", duration="3h"))
    assert all(s.network.in_service.all() for s in states)
    assert sim.power.battery_left_s[0] > 3 * HOUR  # 1 h drawn, then recharging


def test_damage_from_a_destroyed_site_and_its_chain(small):
    sim, states = run_states(small("[{kind: attack, actions: [{at: T+1h, destroy: [S2]}]}]"))
    assert site_cause(sim, states, "S2", HOUR - 60) == IN_SERVICE
    assert site_cause(sim, states, "S2", HOUR) == CAUSE_CODE["damage"]
    # S3's microwave hop runs through S2
    assert site_cause(sim, states, "S3", HOUR) == CAUSE_CODE["backhaul"]
    assert site_cause(sim, states, "S1", HOUR) == IN_SERVICE


def test_jamming_window(small):
    sim, states = run_states(small(
        "[{kind: attack, actions: [{at: T+1h, duration: 2h, jam: {circle: {lat: 42.0, lon: 13.0, radius_km: 2}}}]}]"))
    assert site_cause(sim, states, "S1", HOUR) == CAUSE_CODE["jamming"]
    assert site_cause(sim, states, "S1", 3 * HOUR) == IN_SERVICE
    assert site_cause(sim, states, "S2", 2 * HOUR) == IN_SERVICE


def test_one_fibre_cut_is_survived_by_the_redundant_route(small):
    sim, states = run_states(small("[{kind: attack, actions: [{at: T+1h, cut: [L1]}]}]"))
    assert all(s.network.in_service.all() for s in states)


def test_both_fibre_routes_cut_is_a_backhaul_outage(small):
    # restoration off: no crew splices the fibre, so the graph changes only at the two cuts
    sim, states = run_states(small("[{kind: attack, actions: [{at: T+1h, cut: [L1]}, {at: T+2h, cut: [L2]}]}]",
                                   extra=OFF))
    assert site_cause(sim, states, "S1", 90 * 60) == IN_SERVICE
    assert site_cause(sim, states, "S1", 2 * HOUR) == CAUSE_CODE["backhaul"]
    assert sim.network.recomputations == 3  # start, first cut, second cut: not every step


def test_core_cyber_outage_takes_112_down_but_not_the_radio(small):
    sim, states = run_states(small(
        "[{kind: attack, actions: [{at: T+1h, duration: 1h, cyber: {core: CORE, functions: [voice]}}]}]"))
    k = HOUR // 60
    assert (states[k].network.cause == CAUSE_CODE["core"]).all()
    assert states[k].network.sms_ok.all()  # SMS still reaches the answering point
    assert states[2 * k].network.in_service.all()


def test_destroyed_psap_is_a_core_outage(small):
    sim, states = run_states(small("[{kind: attack, actions: [{at: T+1h, destroy: [PSAP]}]}]"))
    assert (states[HOUR // 60].network.cause == CAUSE_CODE["core"]).all()
    assert sim.result().summary["emergency_service_survival"] < 0.2


def test_area_is_served_only_up_to_its_capacity(small):
    # Alpha: 1000 people x 1 call/person-hour x 90 s hold = 25 Erlang offered; S1 carries 10 calls.
    sim, states = run_states(small(extra="demand: {emergency_calls_per_person_hour: 1.0, emergency_sms_per_person_hour: 0}",
                                   duration="1h"))
    s = states[0].service
    alpha = sim.world.area_ids.index("Alpha")
    assert s.calls_offered[alpha] == pytest.approx(1000 / 60)
    assert s.calls_served_terrestrial[alpha] == pytest.approx(s.calls_offered[alpha] * 10 / 25)


def test_area_without_any_site_in_service_is_unserved(small):
    sim, states = run_states(small("[{kind: attack, actions: [{at: 0, destroy: [S1]}]}]", duration="1h"))
    alpha = sim.world.area_ids.index("Alpha")
    assert not states[0].service.terrestrial[alpha]
    result = sim.result()
    assert result.timeline["population_unserved"][0] == 1000
    assert result.worst_areas[0].name == "Alpha"


def test_surge_in_the_hit_area_decays(small):
    sim, _ = run_states(small("[{kind: blackout, area: {circle: {lat: 42.0, lon: 13.0, radius_km: 1}}, at: T+1h, duration: 1h}]",
                              duration="8h"))
    surge = sim.demand.surge
    alpha, beta = sim.world.area_ids.index("Alpha"), sim.world.area_ids.index("Beta")
    assert surge(HOUR)[alpha] == pytest.approx(20.0)
    assert surge(HOUR)[beta] == 1.0
    assert surge(HOUR + 6 * HOUR)[alpha] == pytest.approx(1 + 19 * np.exp(-1))


def test_scheduled_actions_apply_at_their_time(small):
    from d2c.actions import RepairEquipment

    # restoration off: an action repairs at once (with restoration it is a crew's job: tests/restoration/)
    sim = Simulation(load_scenario(small("[{kind: attack, actions: [{at: 0, destroy: [S1]}]}]", duration="3h",
                                         extra=OFF)))
    sim.schedule(RepairEquipment("S1"), at_s=HOUR)
    states = []
    sim.run(on_step=states.append)
    s1 = sim.world.site_ids.index("S1")
    assert states[59].network.cause[s1] == CAUSE_CODE["damage"]
    assert states[60].network.cause[s1] == IN_SERVICE
    assert sim.result().decisions[0].t_s == HOUR


def test_generator_action_keeps_a_site_up(small):
    from d2c.actions import AddGenerator

    sim = Simulation(load_scenario(small("[{kind: blackout, area: everywhere, at: 0, duration: 24h}]", extra=OFF)))
    for _ in range(60):
        sim.step()
    sim.apply(AddGenerator("S1", hours=6))
    for node in ("AGG1", "REG"):  # the transport nodes would run dry at 8 h
        sim.apply(AddGenerator(node, hours=24))
    states = []
    sim.run(on_step=states.append)
    s1 = sim.world.site_ids.index("S1")
    # battery 4 h + 6 h of generator fuel from T+1h: up until T+10h
    assert states[(10 * HOUR) // 60 - 60 - 1].network.cause[s1] == IN_SERVICE
    assert states[(10 * HOUR) // 60 - 60].network.cause[s1] == CAUSE_CODE["power"]


def test_earthquake_damage_is_reproducible_and_seed_dependent(small, tmp_path):
    quake = "[{kind: earthquake, at: T+1h, lat: 42.05, lon: 13.0, magnitude: 6.5, depth_km: 8}]"
    a = Simulation(load_scenario(small(quake))).effects.equipment_damage_s
    b = Simulation(load_scenario(small(quake))).effects.equipment_damage_s
    assert np.array_equal(a, b)
    # Over many seeds a Mw 6.5 right under the villages breaks some equipment, but not always the same.
    outcomes = set()
    for seed in range(20):
        path = small(quake).read_text().replace("seed: 7", f"seed: {seed}")
        (tmp_path / "s.yaml").write_text(path)
        outcomes.add(tuple(np.isfinite(Simulation(load_scenario(tmp_path / "s.yaml")).effects.equipment_damage_s)))
    assert len(outcomes) > 1
    assert any(any(o) for o in outcomes)


def test_planned_responses_in_the_scenario(small):
    # Blackout from T+0: a generator truck reaches S1 at T+3h with 2 h of fuel; the cut fibre is spliced at T+2h.
    responses = """
restoration: off   # responses act at their time (with restoration they are crews' jobs)
responses:
  - {at: T+3h, generator: S1, hours: 2}
  - {at: T+1h, generator: AGG1, hours: 24}
  - {at: T+1h, generator: REG, hours: 24}
"""
    sim, states = run_states(small("[{kind: blackout, area: everywhere, at: 0, duration: 24h}]", extra=responses))
    assert site_cause(sim, states, "S1", 6 * HOUR - 60) == IN_SERVICE  # 4 h battery + 2 h of fuel
    assert site_cause(sim, states, "S1", 6 * HOUR) == CAUSE_CODE["power"]
    assert [d.action for d in sim.result().decisions][0].startswith("generator with 24 h")


def test_a_planned_repair_brings_a_site_back(small):
    sim, states = run_states(small("[{kind: attack, actions: [{at: 0, destroy: [S1]}, {at: 0, cut: [L1, L2]}]}]",
                                   extra="responses: [{at: T+2h, repair: S1}, {at: T+3h, repair_link: L2}]\n" + OFF,
                                   duration="4h"))
    assert site_cause(sim, states, "S1", 2 * HOUR - 60) == CAUSE_CODE["damage"]
    assert site_cause(sim, states, "S1", 2 * HOUR) == CAUSE_CODE["backhaul"]  # standing again, fibre still cut
    assert site_cause(sim, states, "S1", 3 * HOUR) == IN_SERVICE


def test_a_response_must_name_a_real_target(small):
    from d2c.base.errors import ConfigError

    with pytest.raises(ConfigError, match=r"responses\[0\]\.repair_link: expected the id of a link, got 'S1' \(site\)"):
        load_scenario(small(extra="responses: [{at: T+1h, repair_link: S1}]"))
    with pytest.raises(ConfigError, match=r"responses\[0\]\.hours: expected this required field"):
        load_scenario(small(extra="responses: [{at: T+1h, generator: S1}]"))



@pytest.mark.parametrize("stuck, beta_served", [(1.0, 5 / 15), (0.0, 1.0)])
def test_handsets_stuck_on_an_operator_whose_core_failed(tmp_path, stuck, beta_served):
    # TIM's core is down (cyber); its radio is up. In Beta, TIM's S2 (10 calls) and Vodafone's S3 (5 calls)
    # both cover: TIM's two thirds of the handsets stay on TIM and their 112 calls fail, unless they move.
    from conftest import TWO_CORES_TOPOLOGY, scenario_text, write

    write(tmp_path, "small.yaml", TWO_CORES_TOPOLOGY)
    outage = "[{kind: attack, actions: [{at: 0, cyber: {core: CORE, functions: [voice, sms]}}]}]"
    path = write(tmp_path, "s.yaml", scenario_text(outage, f"demand: {{stuck_on_failed_core: {stuck}}}", "10m"))
    sim, states = run_states(path)
    s = states[0].service
    beta = sim.world.area_ids.index("Beta")
    assert s.terrestrial[beta]  # Vodafone still serves Beta
    assert s.calls_served_terrestrial[beta] / s.calls_offered[beta] == pytest.approx(beta_served)
