"""The restoration stage on its own: jobs, crews, shifts, blocked roads, splices, generators and fuel, by hand.

The small two-village network, without the engine: failures go in as effects, and a recorder stands in for the
simulation's public methods, noting when each change is made. Crews drive at 60 km/h with no detour, so a drive
takes 60 s per km; one degree of latitude is 111.19 km (6371.0 km x pi / 180).

Depots (the transport node nearest each pool's centroid): TIM's sites (S1, S2), Vodafone's S3, the grid crews
(SUB) at AGG1 (42.05 N); the network and splicing crews at REG (42.50 N). One-way drives:
S1 0.05 deg = 5.560 km = 333.6 s; S2 0.04 deg = 4.448 km = 266.9 s;
S3 hypot(4.448, 0.826) km = 4.524 km = 271.4 s; AGG1 from REG 0.45 deg = 50.04 km = 3001.9 s;
CORE from REG 0.10 deg = 667.1 s; L1 (midpoint 42.275 N) from REG 0.225 deg = 25.02 km = 1501.1 s; SUB 0 s.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

import numpy as np
import pytest

from d2c.config.topology import load_topology
from d2c.hazards.base import COMPLETE, EXTENSIVE, MODERATE, SLIGHT, UNSPECIFIED, Effects, Window
from d2c.restoration.pools import EQUIPMENT, LINK, SUBSTATION
from d2c.restoration.process import Restoration
from d2c.restoration.settings import RestorationSettings
from d2c.world import World
from tests.conftest import SMALL_TOPOLOGY, write

H = 3600.0
S1_S, S2_S, S3_S = 333.6, 266.9, 271.4
AGG1_S, CORE_S, L1_S = 3001.9, 667.1, 1501.1
# repair times by damage state 1/2/3/4 h, no dispersion; round the clock; one crew per pool
BASE = RestorationSettings(speed_kmh=60.0, detour_factor=1.0, shift_hours=24.0, repair_beta=0.0,
                           repair_hours=(1.0, 2.0, 3.0, 4.0), splice_hours=2.0, substation_repair_hours=5.0,
                           min_crews_per_pool=1, network_crews_per_region=1, splicing_crews_per_region=1,
                           substation_crews_per_region=1, generators_per_100_sites=0.0,
                           network_generators_per_region=0, trucks_per_region=0, recut_probability=0.0)
START = datetime(2024, 1, 1, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    d = tmp_path_factory.mktemp("dispatch")
    # S1 gets a 3 h generator of its own, as S2 has a 2 h one
    topology = SMALL_TOPOLOGY.replace("substation: SUB, battery_hours: 4}",
                                      "substation: SUB, battery_hours: 4, generator_hours: 3}", 1)
    return World(load_topology(write(d, "small.yaml", topology)))


class Recorder:
    """The simulation's public methods, noting (time of the step, what, ident, hours)."""

    def __init__(self):
        self.t_s, self.calls = 0.0, []

    def _note(self, what, ident, hours=None):
        self.calls.append((self.t_s, what, ident) + (() if hours is None else (hours,)))

    def repair_equipment(self, ident): self._note("repair", ident)
    def splice_link(self, ident): self._note("splice", ident)
    def repair_substation(self, ident): self._note("repair", ident)
    def cut_link(self, ident): self._note("cut", ident)
    def add_fuel(self, ident, hours): self._note("fuel", ident, hours)
    def fill_tank(self, ident, hours): self._note("fill", ident, hours)


def broken(world, at_s: dict, states: dict | None = None, links: dict | None = None, subs: dict | None = None):
    effects = Effects.none(world)
    for ident, t in at_s.items():
        effects.equipment_damage_s[world.equipment_index[ident]] = t
        effects.equipment_damage_state[world.equipment_index[ident]] = (states or {}).get(ident, COMPLETE)
    for ident, t in (links or {}).items():
        effects.link_cut_s[world.link_index[ident]] = t
    for ident, t in (subs or {}).items():
        effects.substation_damage_s[world.substation_ids.index(ident)] = t
    return effects


def restoration(world, effects, **settings) -> Restoration:
    return Restoration(world, effects, replace(BASE, **settings), seed=3, start=START)


def run(r: Restoration, until_s: float, every_s: float = 60.0) -> Recorder:
    rec = Recorder()
    for t in np.arange(0.0, until_s + every_s, every_s):
        rec.t_s = float(t)
        r.step(float(t), rec)
    return rec


def done_s(r: Restoration, kind: int, target: int) -> float:
    rows = np.nonzero((r.jobs.column("target_kind") == kind) & (r.jobs.column("target") == target))[0]
    return float(r.jobs.done_s[rows[-1]])


def eq(world, ident):
    return world.equipment_index[ident]


def test_a_repair_takes_the_drive_and_the_time_of_its_damage_state(world):
    effects = broken(world, {"S1": 0.0, "S2": 0.0, "S3": 0.0, "AGG1": 0.0, "CORE": 0.0},
                     {"S1": SLIGHT, "S2": COMPLETE, "S3": UNSPECIFIED, "AGG1": MODERATE, "CORE": EXTENSIVE})
    r = restoration(world, effects, min_crews_per_pool=2, network_crews_per_region=2)
    rec = run(r, 6 * H)
    assert done_s(r, EQUIPMENT, eq(world, "S1")) == pytest.approx(S1_S + 1 * H, abs=1)  # slight: 1 h
    assert done_s(r, EQUIPMENT, eq(world, "S2")) == pytest.approx(S2_S + 4 * H, abs=1)  # complete: 4 h
    assert done_s(r, EQUIPMENT, eq(world, "S3")) == pytest.approx(S3_S + 4 * H, abs=1)  # unknown: as complete
    assert done_s(r, EQUIPMENT, eq(world, "AGG1")) == pytest.approx(AGG1_S + 2 * H, abs=1)  # moderate: 2 h
    assert done_s(r, EQUIPMENT, eq(world, "CORE")) == pytest.approx(CORE_S + 3 * H, abs=1)  # extensive: 3 h
    # each change is made at the first step at or after the job is done (steps of 60 s)
    repaired = {ident: t for t, what, ident in rec.calls}
    # S1 at 3933.6 s: the step at 3960 s; CORE at 11467.1 s: the step at 11520 s
    assert repaired["S1"] == 3960.0 and repaired["CORE"] == 11520.0 and len(rec.calls) == 5
    summary = r.summary(6 * H)
    assert summary["jobs_done"] == {"equipment": 5, "links": 0, "substations": 0}
    assert summary["jobs_pending"] == {"equipment": 0, "links": 0, "substations": 0}


def test_one_crew_takes_the_jobs_one_after_the_other_most_people_first(world):
    r = restoration(world, broken(world, {"S1": 0.0, "S2": 0.0}))
    rec = run(r, 9 * H)
    # S1 (1000 people) first: done at 333.6 s + 4 h, back at the depot at 2 x 333.6 s + 4 h = 15067.2 s;
    # then S2: 15067.2 + 266.9 s + 4 h
    assert done_s(r, EQUIPMENT, eq(world, "S1")) == pytest.approx(S1_S + 4 * H, abs=1)
    assert done_s(r, EQUIPMENT, eq(world, "S2")) == pytest.approx(2 * S1_S + S2_S + 8 * H, abs=1)
    assert [c[2] for c in rec.calls] == ["S1", "S2"]
    summary = r.summary(10 * H)
    # five crews (one per pool) for 10 h; the TIM crew busy 15067.2 s and then 2 x 266.9 s + 4 h = 14933.8 s
    assert summary["crews"] == 5 and summary["crew_pools"] == 5
    assert summary["crew_utilisation"] == pytest.approx((15067.2 + 14933.8) / (5 * 10 * H), abs=1e-4)


def test_a_request_puts_a_job_first(world):
    r = restoration(world, broken(world, {"S1": 0.0, "S2": 0.0}))
    assert r.request_repair(EQUIPMENT, eq(world, "S2"), 0.0)
    assert not r.request_repair(EQUIPMENT, eq(world, "S3"), 0.0)  # nothing to repair there
    run(r, 9 * H)
    assert done_s(r, EQUIPMENT, eq(world, "S2")) == pytest.approx(S2_S + 4 * H, abs=1)
    assert done_s(r, EQUIPMENT, eq(world, "S1")) == pytest.approx(2 * S2_S + S1_S + 8 * H, abs=1)


def test_a_later_request_waits_for_the_failure(world):
    # S2 breaks at 2 h; requested at 1 h, the crew goes when it breaks
    r = restoration(world, broken(world, {"S2": 2 * H}))
    assert r.request_repair(EQUIPMENT, eq(world, "S2"), 1 * H)
    run(r, 7 * H)
    assert done_s(r, EQUIPMENT, eq(world, "S2")) == pytest.approx(2 * H + S2_S + 4 * H, abs=1)


def test_a_failure_reported_earlier_brings_the_job_forward_once(world):
    r = restoration(world, broken(world, {"S2": 3 * H}))
    r.failed(EQUIPMENT, eq(world, "S2"), 1 * H)  # an inject breaks it at 1 h
    run(r, 2 * H)
    r.failed(EQUIPMENT, eq(world, "S2"), 1.5 * H)  # broken again while the crew works on it: the same job
    run(r, 7 * H)
    assert done_s(r, EQUIPMENT, eq(world, "S2")) == pytest.approx(1 * H + S2_S + 4 * H, abs=1)
    assert r.jobs.n == 1 and r.failures[EQUIPMENT][eq(world, "S2")] == 1
    r.failed(EQUIPMENT, eq(world, "S2"), 8 * H)  # broken again after the repair: a new job
    assert r.jobs.n == 2 and r.failures[EQUIPMENT][eq(world, "S2")] == 2


def test_work_waits_for_the_shift_and_pauses_outside_it(world):
    # shift 08:00-10:00 UTC; S1 breaks at 00:00 with 333.6 s + 4 h of work: 2 h on day 1, 2 h on day 2,
    # the last 333.6 s from 08:00 on day 3
    r = restoration(world, broken(world, {"S1": 0.0}), shift_start_h=8.0, shift_hours=2.0)
    run(r, 12 * H, every_s=600.0)
    assert r.jobs.start_s[0] == 8 * H  # dispatched when the shift opens, not before
    assert done_s(r, EQUIPMENT, eq(world, "S1")) == pytest.approx(48 * H + 8 * H + S1_S, abs=1)
    # utilisation counts working hours only: 2 h of the crew's 2 h on day 1, of five crews
    assert r.summary(12 * H)["crew_utilisation"] == pytest.approx(2 / (5 * 2), abs=1e-4)


def test_a_blocked_place_waits_and_the_crew_takes_other_work(world):
    flooded = np.zeros(world.n_equipment, dtype=bool)
    flooded[eq(world, "S1")] = True
    effects = broken(world, {"S1": 0.0, "S2": 0.0})
    effects.blocked_equipment = [Window(0.0, 5 * H, flooded)]
    r = restoration(world, effects)
    run(r, 12 * H)
    # S2 first (S1 cannot be reached); the crew is back at 2 x 266.9 s + 4 h = 14933.8 s, S1 reopens at 5 h
    assert done_s(r, EQUIPMENT, eq(world, "S2")) == pytest.approx(S2_S + 4 * H, abs=1)
    assert done_s(r, EQUIPMENT, eq(world, "S1")) == pytest.approx(5 * H + S1_S + 4 * H, abs=1)


def test_a_crew_idle_until_the_road_reopens_goes_then(world):
    flooded = np.zeros(world.n_equipment, dtype=bool)
    flooded[eq(world, "S1")] = True
    effects = broken(world, {"S1": 0.0})
    effects.blocked_equipment = [Window(0.0, 2 * H, flooded), Window(1 * H, 3 * H, flooded)]
    r = restoration(world, effects)
    r.step(1e6, Recorder())  # one call: the reopening itself must be an event
    assert r.jobs.start_s[0] == 3 * H  # the later of the two windows closing it
    assert done_s(r, EQUIPMENT, eq(world, "S1")) == pytest.approx(3 * H + S1_S + 4 * H, abs=1)


def test_a_splice_and_a_recut_while_the_water_threatens_the_route(world):
    route = np.zeros(len(world.link_ids), dtype=bool)
    route[world.link_index["L1"]] = True
    effects = broken(world, {}, links={"L1": 0.0})
    effects.blocked_links = [Window(0.0, 1 * H, route)]
    l1 = world.link_index["L1"]
    # spliced at 1 h + 1501.1 s + 2 h = 12301.1 s; the threat lasts to 1 h + 10 h, so with probability 1 the
    # fibre is cut again at a time between the splice and 11 h
    r = restoration(world, effects, recut_probability=1.0, recut_window_hours=10.0)
    rec = run(r, 12 * H)
    assert done_s(r, LINK, l1) == pytest.approx(1 * H + L1_S + 2 * H, abs=1)
    (t_splice, spliced, link), (t_cut, what, ident) = rec.calls
    assert (t_splice, spliced, link) == (12360.0, "splice", "L1")
    assert what == "cut" and ident == "L1" and 12301.1 <= t_cut <= 11 * H + 60
    # with probability 0 it holds
    never = restoration(world, effects, recut_probability=0.0, recut_window_hours=10.0)
    assert [c[1] for c in run(never, 12 * H).calls] == ["splice"]
    # a splice after the threat window: no recut, whatever the probability
    late = restoration(world, effects, recut_probability=1.0, recut_window_hours=2.0)
    assert [c[1] for c in run(late, 12 * H).calls] == ["splice"]


def test_the_grid_crews_repair_a_substation_unless_the_grid_follows_a_curve(world):
    effects = broken(world, {}, subs={"SUB": 0.0})
    r = restoration(world, effects)
    rec = run(r, 6 * H)
    assert rec.calls == [(5 * H, "repair", "SUB")]  # the depot is at the substation: 5 h of work
    curve = restoration(world, effects, grid_curve=((0.0, 0.0), (2.0, 1.0)))
    curve.failed(SUBSTATION, 0, 1 * H)
    assert run(curve, 6 * H).calls == [] and curve.jobs.n == 0
    assert curve.summary(6 * H)["grid"] == "curve" and r.summary(6 * H)["grid"] == "substation crews"


def test_with_a_curve_lost_feeds_come_back_and_without_one_nothing_changes(world):
    plain = restoration(world, Effects.none(world))
    down, off = np.array([True]), np.zeros(world.n_equipment, dtype=bool)
    assert plain.grid(0.0, down, off) == (down, off)
    curve = restoration(world, Effects.none(world), grid_curve=((0.0, 0.0), (2.0, 1.0)))
    sub, local = curve.grid(0.0, down, off)
    assert sub.tolist() == [True] and not local.any()
    assert curve.grid(2 * H, down, off)[0].tolist() == [False]  # every feed back 2 h after its loss


def observe(r: Restoration, world, t_s: float, grid_up: bool, left_h: dict | None = None, damaged=()):
    n = world.n_equipment
    left = np.zeros(n)
    for ident, h in (left_h or {}).items():
        left[eq(world, ident)] = h * H
    dmg = np.zeros(n, dtype=bool)
    dmg[[eq(world, i) for i in damaged]] = True
    return r.observe(t_s, np.full(n, grid_up), dmg, np.full(n, True), left)


def test_portable_generators_go_where_there_is_no_tank_and_come_back_with_the_grid(world):
    # 100 generators per 100 sites: TIM's pool has 2, Vodafone's 1; the network pool none. S1 and S2 have tanks
    # of their own, so only S3 gets one: 271.4 s + 30 min hook-up, with a 10 h tank
    r = restoration(world, Effects.none(world), generators_per_100_sites=100.0, hookup_minutes=30.0,
                    portable_tank_hours=10.0)
    observe(r, world, 0.0, grid_up=False, left_h={"S1": 3, "S2": 2})
    rec = run(r, 1 * H)
    assert rec.calls == [(2100.0, "fuel", "S3", 10.0)]  # done at 271.4 + 1800 = 2071.4 s
    assert r.units_free.tolist() == [2, 0, 0, 0, 0]
    observe(r, world, 1 * H, grid_up=False, left_h={"S1": 3, "S2": 2, "S3": 9})
    assert r.jobs.n == 1  # deployed: no second generator
    observe(r, world, 2 * H, grid_up=True)
    assert r.units_free.tolist() == [2, 1, 0, 0, 0]  # back at the depot with the grid
    s = r.summary(2 * H)
    assert (s["generators_pool"], s["generators_deployed"], s["generators_peak_in_use"]) == (3, 1, 1)


def test_a_pool_out_of_generators_makes_the_others_wait(world):
    # one generator for the network pool's four tankless nodes (AGG1, REG, CORE, PSAP), one crew: only one goes
    # out, and the next goes when it comes back from the first
    r = restoration(world, Effects.none(world), network_generators_per_region=1, hookup_minutes=30.0)
    observe(r, world, 0.0, grid_up=False, left_h={"S1": 3, "S2": 2})
    assert r.jobs.n == 4
    run(r, 3 * H)
    assert (r.jobs.column("status") == 2).sum() == 1 and r.units_free[3] == 0
    assert r.summary(3 * H)["generators_peak_in_use"] == 1


def test_a_generator_no_longer_needed_before_the_crew_leaves_is_called_off(world):
    # TIM's one crew is repairing S2 when S1 loses the grid (S1 tankless here: its tank is empty)
    r = restoration(world, broken(world, {"S2": 0.0}), generators_per_100_sites=50.0)
    run(r, 60.0)
    r.tank_s[eq(world, "S1")] = 0.0
    observe(r, world, 120.0, grid_up=False, left_h={"S2": 2}, damaged=["S2"])
    assert r.power_job[eq(world, "S1")] >= 0
    observe(r, world, 180.0, grid_up=True, damaged=["S2"])  # the grid is back first
    assert r.power_job[eq(world, "S1")] == -1
    rec = run(r, 6 * H)
    assert [c[1:3] for c in rec.calls] == [("repair", "S2")] and r.summary(6 * H)["generators_deployed"] == 0


def test_fuel_trucks_refill_tanks_on_rounds(world):
    # S1's 3 h tank is refuelled below 1.5 h (half a small tank), S2's 2 h tank below 1 h. One truck, 20 min a
    # stop: nearest first on the round, S2 at 266.9 + 1200 s, then S1 at 333.6 + 2 x 1200 s
    r = restoration(world, Effects.none(world), trucks_per_region=1, stop_minutes=20.0)
    observe(r, world, 0.0, grid_up=False, left_h={"S1": 1.6, "S2": 1.1})
    assert r.jobs.n == 0  # neither below its threshold yet
    observe(r, world, 60.0, grid_up=False, left_h={"S1": 1.4, "S2": 0.9})
    rec = run(r, 1 * H)
    assert done_s(r, EQUIPMENT, eq(world, "S2")) == pytest.approx(60 + S2_S + 1200, abs=1)
    assert done_s(r, EQUIPMENT, eq(world, "S1")) == pytest.approx(60 + S1_S + 2400, abs=1)
    assert sorted(c[1:] for c in rec.calls) == [("fill", "S1", 3.0), ("fill", "S2", 2.0)]
    assert r.truck_free_s[0] == pytest.approx(60 + 2 * S1_S + 2400, abs=1)  # back from the farthest stop
    s = r.summary(1 * H)
    assert (s["fuel_trucks"], s["fuel_rounds"], s["fuel_deliveries"]) == (3, 1, 2)


def test_a_truck_takes_as_many_stops_as_a_round_allows(world):
    # one stop a round: S1 (more people) first at 333.6 + 1200 s; the truck is back at 2 x 333.6 + 1200 s and
    # takes S2 then
    r = restoration(world, Effects.none(world), trucks_per_region=1, stop_minutes=20.0, sites_per_round=1)
    observe(r, world, 0.0, grid_up=False, left_h={"S1": 1.4, "S2": 0.9})
    run(r, 2 * H)
    assert done_s(r, EQUIPMENT, eq(world, "S1")) == pytest.approx(S1_S + 1200, abs=1)
    assert done_s(r, EQUIPMENT, eq(world, "S2")) == pytest.approx(2 * S1_S + 1200 + S2_S + 1200, abs=1)
    assert r.summary(2 * H)["fuel_rounds"] == 2


def test_a_requested_generator_is_brought_first_whatever_the_pool_holds(world):
    r = restoration(world, broken(world, {"S1": 0.0}), hookup_minutes=30.0)
    r.request_generator(eq(world, "S2"), 6.0, 0.0)
    rec = run(r, 6 * H)
    # tier 0 before the repair of S1: 266.9 s + 30 min at S2, back 266.9 s later, then S1's repair
    assert rec.calls[0] == (2100.0, "fuel", "S2", 6.0)
    assert done_s(r, EQUIPMENT, eq(world, "S1")) == pytest.approx(2 * S2_S + 1800 + S1_S + 4 * H, abs=1)
    assert r.summary(6 * H)["generators_requested"] == 1


# ------------------------------------------------------------------- more of the same, each against a hand figure

def test_the_shift_follows_the_scenario_start_time_of_day(world):
    # the scenario starts at 06:30:30 UTC: the 08:00 shift opens 1 h 29 min 30 s = 5370 s in
    effects = broken(world, {"S1": 0.0}, {"S1": SLIGHT})
    r = Restoration(world, effects, replace(BASE, shift_start_h=8.0, shift_hours=2.0), seed=3,
                    start=datetime(2024, 1, 1, 6, 30, 30, tzinfo=timezone.utc))
    r.step(1e6, Recorder())
    assert r.jobs.start_s[0] == 5370.0


def test_repair_times_spread_with_the_seed_and_repeat_with_it(world):
    def done(seed):
        r = Restoration(world, broken(world, {"S1": 0.0}), replace(BASE, repair_beta=0.5), seed=seed, start=START)
        r.step(1e7, Recorder())
        return done_s(r, EQUIPMENT, 0)

    assert done(3) == done(3)
    assert len({round(done(seed)) for seed in range(4, 9)}) >= 4  # five seeds, five draws


def test_sites_restart_after_the_lag_once_power_is_back(world):
    r = restoration(world, Effects.none(world), restart_lag_median_minutes=30.0, restart_lag_beta=0.0)
    n = world.n_equipment
    off, on = np.zeros(n, dtype=bool), np.ones(n, dtype=bool)
    r.observe(0.0, on, off, off, np.zeros(n))
    up = r.observe(600.0, on, off, on, np.zeros(n))
    assert not up[eq(world, "S1")] and up[eq(world, "AGG1")]  # a site restarts for 30 min; a node does not
    assert r.observe(600.0 + 1800.0, on, off, on, np.zeros(n))[eq(world, "S1")]


def test_with_a_curve_equipment_without_a_substation_comes_back_too(world):
    curve = restoration(world, Effects.none(world), grid_curve=((0.0, 0.0), (2.0, 1.0)))
    local = np.zeros(world.n_equipment, dtype=bool)
    local[eq(world, "REG")] = True
    assert curve.grid(0.0, np.array([False]), local)[1][eq(world, "REG")]
    assert not curve.grid(2 * H, np.array([False]), local)[1].any()
    # and a site broken by an inject still gets a crew when the grid follows a curve
    curve.failed(EQUIPMENT, eq(world, "S1"), 1 * H)
    assert curve.jobs.n == 1


def test_a_request_made_while_crews_work_reorders_what_waits(world):
    # one network crew; AGG1, CORE and PSAP broken at 0 (1500 people each: taken in row order, AGG1 first);
    # at 60 s PSAP is requested: it goes before CORE when the crew is back at 2 x 3001.9 s + 4 h = 20403.8 s
    r = restoration(world, broken(world, {"AGG1": 0.0, "CORE": 0.0, "PSAP": 0.0}))
    run(r, 60.0)
    assert r.request_repair(EQUIPMENT, eq(world, "PSAP"), 60.0)
    run(r, 30 * H, every_s=600.0)
    psap_s = 0.11 * 111.19 * 60  # 725.8 s from REG
    assert done_s(r, EQUIPMENT, eq(world, "PSAP")) == pytest.approx(2 * AGG1_S + 4 * H + psap_s + 4 * H, abs=2)
    assert done_s(r, EQUIPMENT, eq(world, "CORE")) > done_s(r, EQUIPMENT, eq(world, "PSAP"))


def test_two_windows_close_a_place_until_both_have_ended(world):
    # S1 under water to 5 h, S2 to 2 h: one TIM crew waits for S2 at 2 h, then S1 at 5 h is still busy for
    # it until 2 h + 2 x 266.9 s + 4 h = 21933.8 s
    m1, m2 = (np.zeros(world.n_equipment, dtype=bool) for _ in range(2))
    m1[eq(world, "S1")], m2[eq(world, "S2")] = True, True
    effects = broken(world, {"S1": 0.0, "S2": 0.0})
    effects.blocked_equipment = [Window(0.0, 5 * H, m1), Window(0.0, 2 * H, m2)]
    r = restoration(world, effects)
    run(r, 12 * H)
    assert done_s(r, EQUIPMENT, eq(world, "S2")) == pytest.approx(2 * H + S2_S + 4 * H, abs=1)
    assert done_s(r, EQUIPMENT, eq(world, "S1")) == pytest.approx(2 * H + 2 * S2_S + 4 * H + S1_S + 4 * H, abs=1)


def test_recuts_fall_anywhere_in_the_threatened_window(world):
    # over 40 seeds, with probability 1, the re-cut time is uniform between the splice (12301.1 s) and the end
    # of the threat (1 h + 10 h = 39600 s): its mean position in that span is 0.5 (standard error 0.046)
    route = np.zeros(len(world.link_ids), dtype=bool)
    route[world.link_index["L1"]] = True
    effects = broken(world, {}, links={"L1": 0.0})
    effects.blocked_links = [Window(0.0, 1 * H, route)]
    positions = []
    for seed in range(40):
        r = Restoration(world, effects, replace(BASE, recut_probability=1.0, recut_window_hours=10.0), seed=seed,
                        start=START)
        r.step(12310.0, Recorder())
        (at, link), = r.recuts
        assert link == world.link_index["L1"] and 12301.0 < at <= 39600.0
        positions.append((at - 12301.1) / (39600.0 - 12301.1))
    assert np.mean(positions) == pytest.approx(0.5, abs=0.15)
    assert min(positions) < 0.2 and max(positions) > 0.8


def test_nearest_first_sends_the_crew_to_the_nearer_site(world):
    r = restoration(world, broken(world, {"S1": 0.0, "S2": 0.0}), policy="nearest")
    run(r, 9 * H)
    assert done_s(r, EQUIPMENT, eq(world, "S2")) == pytest.approx(S2_S + 4 * H, abs=1)  # 4.4 km before 5.6 km


def test_a_crew_waits_for_a_failure_still_to_come_and_for_the_next_shift(world):
    # S1 at 0 and S2 at 2 h, two TIM crews, one call: the second failure is an event of its own
    r = restoration(world, broken(world, {"S1": 0.0, "S2": 2 * H}), min_crews_per_pool=2)
    r.step(1e6, Recorder())
    assert done_s(r, EQUIPMENT, eq(world, "S2")) == pytest.approx(2 * H + S2_S + 4 * H, abs=1)
    # shift 08:00-10:00, one crew, S1 and S2 (1 h each) at 00:00: S1 from 08:00 to 08:00 + 333.6 + 3600 s, back
    # at 08:00 + 2 x 333.6 + 3600 s = 32467.2 s; S2 then, 266.9 + 3600 s of work, 2332.8 s of it before 10:00
    shift = restoration(world, broken(world, {"S1": 0.0, "S2": 0.0}, {"S1": SLIGHT, "S2": SLIGHT}),
                        shift_start_h=8.0, shift_hours=2.0)
    shift.step(1e6, Recorder())
    left_s = S2_S + 3600 - (10 * H - (8 * H + 2 * S1_S + 3600))
    assert done_s(shift, EQUIPMENT, eq(world, "S2")) == pytest.approx(24 * H + 8 * H + left_s, abs=1)


def test_a_waiting_job_and_a_blocked_one_do_not_stall_the_clock(world):
    # one network crew busy on AGG1, CORE waiting for it, S1 behind water until 1 h: all three get done
    flooded = np.zeros(world.n_equipment, dtype=bool)
    flooded[eq(world, "S1")] = True
    effects = broken(world, {"S1": 0.0, "AGG1": 0.0, "CORE": 0.0})
    effects.blocked_equipment = [Window(0.0, 1 * H, flooded)]
    r = restoration(world, effects)
    r.step(40 * H, Recorder())
    assert done_s(r, EQUIPMENT, eq(world, "S1")) == pytest.approx(1 * H + S1_S + 4 * H, abs=1)
    assert r.summary(40 * H)["jobs_done"]["equipment"] == 3


def test_a_generator_called_off_before_the_shift_never_goes(world):
    # shift 08:00-10:00; at 00:00 S3 (no tank) loses the grid: a generator waits for the shift; at 01:00 the grid
    # is back, so it is called off, and nobody goes at 08:00
    r = restoration(world, Effects.none(world), generators_per_100_sites=100.0, shift_start_h=8.0, shift_hours=2.0)
    observe(r, world, 0.0, grid_up=False, left_h={"S1": 3, "S2": 2})
    assert r.jobs.n == 1 and r.power_job[eq(world, "S3")] == 0
    observe(r, world, 1 * H, grid_up=True)
    assert r.power_job[eq(world, "S3")] == -1
    assert run(r, 12 * H, every_s=600.0).calls == [] and r.summary(12 * H)["generators_deployed"] == 0


def test_a_generator_on_its_way_is_not_sent_twice_and_comes_back_with_the_grid(world):
    r = restoration(world, Effects.none(world), generators_per_100_sites=100.0, portable_tank_hours=10.0,
                    trucks_per_region=1, stop_minutes=20.0, hookup_minutes=30.0)  # at S3 by 2071.4 s
    observe(r, world, 0.0, grid_up=False, left_h={"S1": 3, "S2": 2})
    run(r, 60.0)
    observe(r, world, 60.0, grid_up=False, left_h={"S1": 3, "S2": 2})  # on its way: no second one
    assert r.jobs.n == 1
    run(r, 1 * H)
    # delivered with a 10 h tank: refuelled below min(8 h, 10 h / 2) = 5 h, and a truck fills it to 10 h
    observe(r, world, 1 * H, grid_up=False, left_h={"S1": 3, "S2": 2, "S3": 5.1})
    assert r.jobs.n == 1
    observe(r, world, 1 * H + 60, grid_up=False, left_h={"S1": 3, "S2": 2, "S3": 4.9})
    rec = run(r, 3 * H)
    assert ("fill", "S3", 10.0) in [c[1:] for c in rec.calls]
    observe(r, world, 3 * H, grid_up=True)
    observe(r, world, 3 * H + 60, grid_up=True)
    assert r.units_free.tolist() == [2, 1, 0, 0, 0]  # back once, not once per step
    # the grid fails again: S3 has no tank of its own any more, so a generator goes again
    observe(r, world, 4 * H, grid_up=False, left_h={"S1": 3, "S2": 2})
    assert r.power_job[eq(world, "S3")] >= 0 and r.jobs.action[r.power_job[eq(world, "S3")]] == 1


def test_a_generator_for_more_people_goes_before_a_repair_for_fewer(world):
    # one TIM crew, one TIM generator; S1 (1000 people, its tank emptied) loses the grid as S2 (250) breaks
    r = restoration(world, broken(world, {"S2": 0.0}), generators_per_100_sites=50.0, hookup_minutes=30.0,
                    portable_tank_hours=10.0)
    r.tank_s[eq(world, "S1")] = 0.0
    observe(r, world, 0.0, grid_up=False, left_h={"S2": 2}, damaged=["S2"])
    rec = run(r, 10 * H)
    assert rec.calls[0][1:3] == ("fuel", "S1") and rec.calls[1][1:3] == ("repair", "S2")


def test_without_trucks_no_refuel_is_asked(world):
    r = restoration(world, Effects.none(world), trucks_per_region=0)
    observe(r, world, 0.0, grid_up=False, left_h={"S1": 1.4, "S2": 0.9})
    assert r.jobs.n == 0


def test_two_deliveries_finishing_together_both_count(world):
    r = restoration(world, Effects.none(world), min_crews_per_pool=2, hookup_minutes=30.0)
    r.request_generator(eq(world, "S2"), 6.0, 0.0)
    r.request_generator(eq(world, "S2"), 4.0, 0.0)
    rec = run(r, 1 * H)
    assert sorted(c[1:] for c in rec.calls) == [("fuel", "S2", 4.0), ("fuel", "S2", 6.0)]


def test_the_summary_by_hand(world):
    # one TIM crew, S1 and S2 destroyed at 0, summary at 5 h: S1 done at 4.09 h; S2 under way since the crew
    # was back at 15067.2 s (4.19 h: it counts as pending); five crews x 5 h available, the TIM crew busy all 5 h
    r = restoration(world, broken(world, {"S1": 0.0, "S2": 0.0}))
    run(r, 5 * H)
    assert r.summary(5 * H) == {
        "policy": "most_people", "crews": 5, "crew_pools": 5, "crew_utilisation": 0.2,
        "jobs_done": {"equipment": 1, "links": 0, "substations": 0},
        "jobs_pending": {"equipment": 1, "links": 0, "substations": 0},
        "generators_pool": 0, "generators_deployed": 0, "generators_peak_in_use": 0, "generators_requested": 0,
        "fuel_trucks": 0, "fuel_rounds": 0, "fuel_deliveries": 0, "restarts": 0, "grid": "substation crews"}
