"""Field crews repair what incidents break: in travel plus repair time, in policy order, not through blocked roads."""

from __future__ import annotations

from datetime import datetime, timezone

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from d2c.actions import RepairEquipment
from d2c.base.errors import ConfigError
from d2c.config.scenario import load_scenario
from d2c.config.topology import load_topology
from d2c.engine import Simulation
from d2c.hazards.base import COMPLETE, Effects
from d2c.network import CAUSE_CODE, IN_SERVICE
from d2c.restoration.pools import EQUIPMENT
from d2c.restoration.process import Restoration
from d2c.restoration.settings import RestorationSettings
from d2c.world import World
from tests.conftest import SMALL_TOPOLOGY, write

HOUR = 3600.0
# Crews on round the clock, fixed repair times (dispersion 0) so the tests can reason in hours.
CREWS = """
restoration:
  crews: {{shift_hours: 24, minimum: {minimum}, speed_kmh: 60, detour_factor: 1.0}}
  repair_hours: {{slight: 1, moderate: 2, extensive: 3, complete: 3, beta: 0, splice: 1}}
"""


def run(small, incidents, minimum=1, extra="", duration="12h"):
    sim = Simulation(load_scenario(small(incidents, extra=CREWS.format(minimum=minimum) + extra, duration=duration)))
    states = []
    sim.run(on_step=states.append)
    return sim, states


def cause(sim, states, site, t_s):
    return int(states[int(t_s // sim.scenario.step_s)].network.cause[sim.world.site_ids.index(site)])


def job_done_h(sim, ident):
    r = sim.restoration
    rows = np.nonzero((r.jobs.column("target_kind") == EQUIPMENT) &
                      (r.jobs.column("target") == sim.world.equipment_index[ident]))[0]
    return float(r.jobs.done_s[rows[-1]]) / HOUR


def test_a_destroyed_site_comes_back_after_the_drive_and_the_repair(small):
    sim, states = run(small, "[{kind: attack, actions: [{at: 0, destroy: [S1]}]}]")
    # TIM's depot is the transport node nearest its sites' centroid: AGG1, 5.6 km from S1 (0.09 h at 60 km/h);
    # a destroyed site takes the 'complete' repair time, 3 h here.
    drive_h = 0.05 * 111.19 / 60
    assert job_done_h(sim, "S1") == pytest.approx(drive_h + 3.0, abs=0.01)
    assert cause(sim, states, "S1", 3 * HOUR) == CAUSE_CODE["damage"]
    assert cause(sim, states, "S1", 3.5 * HOUR) == IN_SERVICE
    summary = sim.result().to_dict()["restoration"]
    assert summary["jobs_done"]["equipment"] == 1 and summary["jobs_pending"]["equipment"] == 0


def test_restoration_off_leaves_damage_for_good(small):
    sim, states = run(small, "[{kind: attack, actions: [{at: 0, destroy: [S1]}]}]", extra="")
    off = Simulation(load_scenario(small("[{kind: attack, actions: [{at: 0, destroy: [S1]}]}]",
                                         extra="restoration: off")))
    off_states = []
    off.run(on_step=off_states.append)
    assert cause(off, off_states, "S1", 11 * HOUR) == CAUSE_CODE["damage"]
    assert off.restoration is None and "restoration" not in off.result().to_dict()


def test_same_seed_same_restoration(small):
    quake = "[{kind: earthquake, at: T+1h, lat: 42.05, lon: 13.0, magnitude: 6.8, depth_km: 5}]"
    a, _ = run(small, quake, duration="24h", extra="  ")
    b, _ = run(small, quake, duration="24h", extra="  ")
    assert np.array_equal(a.restoration.jobs.column("done_s"), b.restoration.jobs.column("done_s"))
    assert a.result().to_dict()["restoration"] == b.result().to_dict()["restoration"]


def test_restoration_draws_leave_the_incident_draws_alone(small):
    quake = "[{kind: earthquake, at: T+1h, lat: 42.05, lon: 13.0, magnitude: 6.5, depth_km: 8}]"
    on = Simulation(load_scenario(small(quake)))
    off = Simulation(load_scenario(small(quake, extra="restoration: off")))
    assert np.array_equal(on.effects.equipment_damage_s, off.effects.equipment_damage_s)


FLOOD_OVER_S1 = """[
  {kind: attack, actions: [{at: 0, destroy: [S1, S2]}]},
  {kind: flood, zones: [{area: {circle: {lat: 42.0, lon: 13.0, radius_km: 1}},
                         depth_m: [{at: 0, depth_m: 0.4}, {at: T+5h, depth_m: 0.4}, {at: T+6h, depth_m: 0}]}]}
]"""
NO_FLOOD = "[{kind: attack, actions: [{at: 0, destroy: [S1, S2]}]}]"


def test_a_flooded_road_delays_exactly_the_crew_that_needs_it(small):
    # 0.4 m of water over S1 until T+5h, falling to 0 at T+6h: roads closed above 0.3 m, i.e. until T+5h06m.
    flooded, _ = run(small, FLOOD_OVER_S1, minimum=2)
    dry, _ = run(small, NO_FLOOD, minimum=2)
    assert job_done_h(flooded, "S2") == job_done_h(dry, "S2")
    reopen_h = 5 + 0.1 / 0.4
    assert job_done_h(flooded, "S1") == pytest.approx(reopen_h + job_done_h(dry, "S1"), abs=1e-6)


def test_a_drill_decision_competes_for_the_same_crew(small):
    # One TIM crew, S1 and S2 destroyed: most people first takes S1 (1000 people) before S2 (500).
    plain, _ = run(small, NO_FLOOD)
    assert job_done_h(plain, "S1") < job_done_h(plain, "S2")
    # A decision to repair S2 puts it first; S1 now waits for the same crew to come back.
    sim = Simulation(load_scenario(small(NO_FLOOD, extra=CREWS.format(minimum=1))))
    sim.apply(RepairEquipment("S2"))
    sim.run()
    assert job_done_h(sim, "S2") < job_done_h(sim, "S1")
    crew_back_h = job_done_h(sim, "S2") + (job_done_h(sim, "S2") - 3.0)  # the drive back to the depot
    assert job_done_h(sim, "S1") == pytest.approx(crew_back_h + job_done_h(plain, "S1"), abs=1e-6)


def test_working_hours_pause_the_work(small):
    # Shift 08:00-10:00 UTC only; the site is destroyed at 00:00 and needs 3 h: done on the second day.
    sim = Simulation(load_scenario(small(NO_FLOOD, duration="48h", extra="""
restoration:
  crews: {shift_start_utc_h: 8, shift_hours: 2, minimum: 2}
  repair_hours: {slight: 1, moderate: 2, extensive: 3, complete: 3, beta: 0}
""")))
    sim.run()
    assert 24 + 8 < job_done_h(sim, "S1") < 24 + 10


def test_a_bad_restoration_block_is_one_line_with_its_line(small):
    with pytest.raises(ConfigError, match=r"scenario.yaml:\d+: restoration.policy: expected one of most_people"):
        load_scenario(small(extra="restoration: {policy: fastest}"))
    with pytest.raises(ConfigError, match=r"restoration.crews.speed_kmh: expected a number > 0"):
        load_scenario(small(extra="restoration: {crews: {speed_kmh: 0}}"))
    with pytest.raises(ConfigError, match=r"restoration.crews.helicopters: expected a known field"):
        load_scenario(small(extra="restoration: {crews: {helicopters: 2}}"))


# ---------------------------------------------------------------- property: more crews never slower

@pytest.fixture(scope="module")
def small_world(tmp_path_factory):
    return World(load_topology(write(tmp_path_factory.mktemp("w"), "small.yaml", SMALL_TOPOLOGY)))


class _Recorder:
    def repair_equipment(self, ident): pass
    def splice_link(self, ident): pass
    def repair_substation(self, ident): pass
    def cut_link(self, ident): pass
    def add_fuel(self, ident, hours): pass


def _done_times(world, broken_at_h, crews, policy, shift_hours):
    effects = Effects.none(world)
    effects.equipment_damage_s[:] = np.array(broken_at_h) * HOUR
    effects.equipment_damage_state[np.isfinite(effects.equipment_damage_s)] = COMPLETE
    s = RestorationSettings(policy=policy, min_crews_per_pool=crews, network_crews_per_region=crews,
                            shift_hours=shift_hours)
    r = Restoration(world, effects, s, seed=3, start=datetime(2024, 1, 1, tzinfo=timezone.utc))
    r.step(1e9, _Recorder())
    return r.jobs.column("done_s")


@settings(max_examples=40, deadline=None)
@given(broken=st.lists(st.one_of(st.just(np.inf), st.floats(0, 48)), min_size=7, max_size=7),
       crews=st.integers(1, 3), policy=st.sampled_from(["most_people", "critical_first", "nearest"]),
       shift=st.sampled_from([10.0, 24.0]))
def test_more_crews_never_restore_later(small_world, broken, crews, policy, shift):
    fewer = _done_times(small_world, broken, crews, policy, shift)
    more = _done_times(small_world, broken, crews + 1, policy, shift)
    assert np.all(more <= fewer + 1e-6)


def test_nearest_first_and_most_people_first_disagree(small):
    # One TIM crew at AGG1: S2 is the nearer (4.4 km against 5.6 km), S1 serves more people (1000 against 500).
    nearest, _ = run(small, NO_FLOOD, extra="  policy: nearest\n")
    most, _ = run(small, NO_FLOOD)
    assert job_done_h(nearest, "S2") < job_done_h(nearest, "S1")
    assert job_done_h(most, "S1") < job_done_h(most, "S2")


def test_a_spliced_fibre_is_cut_again_while_the_water_threatens_it(small):
    # 1.5 m of water over L2's detour until T+3h: L2 is cut (fibre cut above 1 m), spliced once the road
    # reopens (T+3h48m, 0.3 m), and with recut probability 1 cut again within the 2 h after the water; the
    # second splice (1 h) ends after that window, so it holds.
    flood = """[{kind: flood, zones: [{area: {circle: {lat: 42.30, lon: 13.20, radius_km: 2}},
                depth_m: [{at: 0, depth_m: 1.5}, {at: T+3h, depth_m: 1.5}, {at: T+4h, depth_m: 0}]}]}]"""
    sim, _ = run(small, flood, extra="  recut: {probability: 1, window_hours: 2}\n")
    l2 = sim.world.link_index["L2"]
    assert sim.restoration.failures[1][l2] >= 2  # cut by the water, then at least once more
    assert sim.effects.link_cut_s[l2] == np.inf  # spliced in the end
    assert sim.result().to_dict()["restoration"]["jobs_done"]["links"] == sim.restoration.failures[1][l2]
