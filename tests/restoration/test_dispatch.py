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
    (t_splice, _, _), (t_cut, what, ident) = rec.calls
    assert t_splice == 12360.0 and what == "cut" and ident == "L1" and 12301.1 <= t_cut <= 11 * H + 60
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
    # one generator for the network pool's four tankless nodes, one crew: AGG1, CORE, PSAP (1500 people each)
    # before REG; only one goes out, and the next goes when it comes back from the first
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
