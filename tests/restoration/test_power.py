"""Generators, fuel, the grid and restart lag: the power side of restoration, on the small two-village network."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from d2c.config.scenario import load_scenario
from d2c.engine import Simulation
from d2c.network import CAUSE_CODE, IN_SERVICE

HOUR = 3600.0
BLACKOUT = "[{kind: blackout, area: everywhere, at: 0, duration: %s}]"
# Round the clock, no portable generators and no fuel trucks unless a test adds them.
BASE = """
restoration:
  crews: {shift_hours: 24, speed_kmh: 60, detour_factor: 1.0%s}
  generators: {per_100_sites: %s, network_per_region: %s}
  fuel: {trucks_per_region: %s}
  restart_lag: {median_minutes: %s, beta: 0}
"""


def sim_for(small, incidents, generators=0, network_generators=0, trucks=0, lag_min=0, crews="", extra="",
            duration="12h", step="60s"):
    text = small(incidents, duration=duration,
                 extra=BASE % (crews, generators, network_generators, trucks, lag_min) + extra)
    text.write_text(text.read_text().replace("step: 60s", f"step: {step}"))
    return Simulation(load_scenario(text))


def run(sim):
    states = []
    sim.run(on_step=states.append)
    return states


def cause(sim, states, site, t_s):
    return int(states[int(t_s // sim.scenario.step_s)].network.cause[sim.world.site_ids.index(site)])


def test_restart_lag_is_applied_once_per_power_return(small):
    # Two blackouts: 0-6 h and 8-14 h. S1 (4 h battery, recharging 4 h of 8 in the 2 h between) loses power
    # twice; each return costs exactly one 30 min restart. AGG1, a transport node (8 h battery, 4 h left
    # after recharging), dies in the second blackout but is up as soon as the grid is back: no restart lag.
    incidents = ("[{kind: blackout, area: everywhere, at: 0, duration: 6h},"
                 " {kind: blackout, area: everywhere, at: T+8h, duration: 6h}]")
    sim = sim_for(small, incidents, lag_min=30, duration="16h")
    states = run(sim)
    assert cause(sim, states, "S1", 6 * HOUR + 29 * 60) == CAUSE_CODE["power"]
    assert cause(sim, states, "S1", 6 * HOUR + 30 * 60) == IN_SERVICE
    assert cause(sim, states, "S1", 14 * HOUR + 29 * 60) == CAUSE_CODE["power"]
    assert cause(sim, states, "S1", 14 * HOUR + 30 * 60) == IN_SERVICE
    restarts = sim.restoration.restart.returns
    assert restarts[sim.world.equipment_index["S1"]] == 2
    assert restarts[sim.world.equipment_index["AGG1"]] == 0
    agg1 = sim.world.equipment_index["AGG1"]
    assert not states[int(14 * HOUR // 60) - 1].equipment_up[agg1] and states[int(14 * HOUR // 60)].equipment_up[agg1]
    assert sim.result().to_dict()["restoration"]["restarts"] == int(restarts.sum())


def test_fuel_trucks_keep_a_generator_site_up(small):
    # S2: 4 h battery + a 2 h generator tank. Without fuel it goes dark at T+6h; a truck tops the tank up
    # (at half a tank) and it stays up to the end. Transport nodes get portable generators in both runs.
    dry = sim_for(small, BLACKOUT % "24h", network_generators=4)
    dry_states = run(dry)
    assert cause(dry, dry_states, "S2", 6 * HOUR) == CAUSE_CODE["power"]
    fed = sim_for(small, BLACKOUT % "24h", network_generators=4, trucks=1)
    fed_states = run(fed)
    assert all(s.network.cause[fed.world.site_ids.index("S2")] == IN_SERVICE for s in fed_states)
    out = fed.result().to_dict()["restoration"]
    assert out["fuel_deliveries"] >= 5 and out["fuel_rounds"] >= 5  # 2 h tank refilled every hour or so over 8 h


def test_portable_generators_go_to_the_most_people_first(small):
    # TIM has two sites: 50 portable generators per 100 sites gives it one, and S1 (1000 people) gets it,
    # not S2 (500 people, and a fixed generator anyway). S1 then outlives its 4 h battery.
    sim = sim_for(small, BLACKOUT % "24h", generators=50, network_generators=4, trucks=1)
    states = run(sim)
    assert cause(sim, states, "S1", 8 * HOUR) == IN_SERVICE
    out = sim.result().to_dict()["restoration"]
    assert out["generators_pool"] == 1 + 4  # TIM's one (Vodafone's half rounds to none), the network pool's four
    assert out["generators_deployed"] == 1 + 4  # S1, and AGG1, REG, CORE, PSAP
    none = sim_for(small, BLACKOUT % "24h", network_generators=4, trucks=1)
    assert cause(none, run(none), "S1", 8 * HOUR) == CAUSE_CODE["power"]


def test_a_destroyed_substation_is_repaired_by_grid_crews(small):
    destroy = "[{kind: attack, actions: [{at: 0, destroy: [SUB]}]}]"
    repair = "  repair_hours: {substation: 2, beta: 0}\n"
    sim = sim_for(small, destroy, extra=repair)
    states = run(sim)
    # the grid crew's depot is AGG1, on the substation: about 2 h to repair it; S1's 4 h battery bridges the gap
    assert all(s.network.in_service.all() for s in states)
    assert sim.effects.substation_damage_s[0] == np.inf
    assert sim.result().to_dict()["restoration"]["jobs_done"]["substations"] == 1
    off = Simulation(load_scenario(small(destroy, extra="restoration: off")))
    off_states = run(off)
    assert cause(off, off_states, "S1", 4 * HOUR) == CAUSE_CODE["power"]


def test_a_grid_restoration_curve_brings_substations_back(small):
    # The blackout lasts 24 h, but the curve has every lost substation back within 2 h (S1 bridges on battery).
    curve = "  grid: {curve: [{after: 0h, share: 0}, {after: 2h, share: 1}]}\n"
    sim = sim_for(small, BLACKOUT % "24h", extra=curve)
    states = run(sim)
    assert all(s.network.in_service.all() for s in states)
    assert sim.restoration.grid_substations.losses[0] == 1
    assert not any(s.on_backup[sim.world.equipment_index["S1"]] for s in states[int(2 * HOUR // 60):])


def test_a_grid_curve_must_end_with_everything_back(small):
    from d2c.base.errors import ConfigError

    with pytest.raises(ConfigError, match=r"restoration.grid.curve: expected a last point with share 1"):
        load_scenario(small(extra="restoration: {grid: {curve: [{after: 1h, share: 0.5}]}}"))


def _site_hours_down(small, generators, crews, hours):
    sim = sim_for(small, BLACKOUT % f"{hours}h", generators=generators, network_generators=generators,
                  trucks=1, crews=f", minimum: {crews}", step="300s")
    states = run(sim)
    return sum(float((~s.network.in_service).sum()) for s in states)


# the fixture writes each scenario afresh, so sharing it between examples is safe
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(generators=st.sampled_from([0, 50, 100]), crews=st.integers(1, 2), hours=st.integers(3, 11))
def test_more_generators_or_crews_never_leave_more_sites_dark(small, generators, crews, hours):
    base = _site_hours_down(small, generators, crews, hours)
    assert _site_hours_down(small, generators + 50, crews, hours) <= base
    assert _site_hours_down(small, generators, crews + 1, hours) <= base
