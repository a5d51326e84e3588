"""Operators' own cells on wheels (``restoration: temporary_sites:``): when and where they go, and when they leave."""

from __future__ import annotations

import numpy as np
import pytest

from d2c.base import reader as r
from d2c.base.errors import ConfigError
from d2c.cells_on_wheels import TemporarySites
from d2c.config.scenario import load_scenario
from d2c.engine import Simulation
from d2c.restoration.settings import RestorationSettings, parse_restoration
from d2c.restoration.temporary import TemporarySitePolicy, units_per_region

HOUR = 3600.0


def parse(text: str) -> RestorationSettings | None:
    root = r.Fields(r.compose_text(text, "scenario.yaml"), r.Ctx("scenario.yaml"))
    return root.req("restoration", parse_restoration)


# ---------------------------------------------------------------- the scenario block


def test_the_block_is_off_unless_a_scenario_turns_it_on():
    assert parse("restoration: {}").temporary_sites_per_operator_region == 0
    assert parse("restoration: {temporary_sites: off}").temporary_sites_per_operator_region == 0
    on = parse("restoration: {temporary_sites: on}")
    assert on.temporary_sites_per_operator_region == 1  # one unit per operator and region when turned on
    assert parse("restoration: {temporary_sites: {}}") == on


def test_every_field_of_the_block_is_read():
    s = parse("restoration: {temporary_sites: {per_operator_region: 3, mobilise: 90m, capacity_calls: 40,"
              " backhaul: gateway}}")
    assert (s.temporary_sites_per_operator_region, s.temporary_site_mobilise_hours, s.temporary_site_capacity_calls,
            s.temporary_site_backhaul) == (3, 1.5, 40.0, "gateway")
    assert ("operators' own cells on wheels: 3 per operator and region, on air 1.5 h after an area loses its "
            "service, 40 calls each, satellite backhaul via a gateway") in s.describe()
    assert "cells on wheels" not in parse("restoration: {}").describe()


@pytest.mark.parametrize("block, message", [
    ("{per_operator_region: -1}", "3: restoration.temporary_sites.per_operator_region: expected a whole number"),
    ("{per_operator_region: 1.5}", "3: restoration.temporary_sites.per_operator_region: expected a whole number"),
    ("{mobilise: soon}", "3: restoration.temporary_sites.mobilise: expected a duration like 3600"),
    ("{capacity_calls: 0}", "3: restoration.temporary_sites.capacity_calls: expected a number > 0"),
    ("{backhaul: fibre}", "3: restoration.temporary_sites.backhaul: expected one of gateway, satellite-operator"),
    ("{trucks: 2}", "3: restoration.temporary_sites.trucks: expected a known field"),
    ("maybe", "3: restoration.temporary_sites: expected a mapping of fields"),
])
def test_a_bad_value_is_one_line_naming_file_line_and_field(block, message):
    with pytest.raises(ConfigError) as err:
        parse(f"name: x\nseed: 1\nrestoration: {{temporary_sites: {block}}}\n")
    assert f"scenario.yaml:{message}" in str(err.value) and "\n" not in str(err.value)


# ---------------------------------------------------------------- the policy, by hand


def test_units_are_per_operator_present_in_each_region():
    # region 0: areas 0 and 1, served by operators 0 and 1; region 1: area 2, operator 1 only; region 2: no site
    region = np.array([0, 0, 1, 2])
    assert units_per_region(region, np.array([0, 1, 2, 1]), np.array([0, 1, 1, 1]), 3).tolist() == [6, 3, 0]


def policy(people, region, units, mobilise_h=1.0, step_h=0.5):
    return TemporarySitePolicy(np.array(region), np.array(people, dtype=float), np.array(units),
                               mobilise_s=mobilise_h * HOUR, step_s=step_h * HOUR)


def test_a_unit_is_on_air_the_mobilisation_time_after_the_area_lost_its_service():
    p = policy([100.0], [0], [1], mobilise_h=1.5)
    served = np.array([False])
    assert p.decide(~served) == ([], [])  # lost at 0 h
    assert [p.decide(~served)[0] for _ in range(3)] == [[], [], [0]]  # 0.5 h, 1 h, then 1.5 h: on air


def test_the_units_on_hand_go_to_the_areas_with_most_people_region_by_region():
    # region 0 has 2 units for three areas, region 1 one unit for one area; a town of nobody never gets one
    p = policy([500.0, 2000.0, 800.0, 50.0, 0.0], [0, 0, 0, 1, 1], [2, 1])
    lost = np.ones(5, dtype=bool)
    p.decide(lost)
    p.decide(lost)
    arriving, _ = p.decide(lost)
    assert arriving == [1, 2, 3]
    assert p.units_free.tolist() == [0, 0]
    assert p.decide(lost) == ([], [])  # no unit left for area 0


def test_a_unit_leaves_when_the_area_is_served_again_and_is_on_air_elsewhere_a_mobilisation_later():
    p = policy([900.0, 100.0], [0, 0], [1], mobilise_h=1.0)
    lost = np.array([True, True])
    assert [p.decide(lost)[0] for _ in range(3)] == [[], [], [0]]  # 0, 0.5 h, 1 h: area 0 first
    assert p.decide(np.array([False, True])) == ([], [0])  # 1.5 h: area 0's own sites are back
    assert p.decide(np.array([False, True])) == ([], [])  # 2 h: the unit is still on the road
    assert p.decide(np.array([False, True])) == ([1], [])  # 2.5 h: on air in area 1
    # area 1's loss is its own clock: had it been served meanwhile, it would wait a full mobilisation again
    q = policy([900.0, 100.0], [0, 0], [1], mobilise_h=1.0)
    for lost_1 in (False, False, True, True):
        assert q.decide(np.array([False, lost_1])) == ([], [])
    assert q.decide(np.array([False, True])) == ([1], [])  # lost from 1 h, on air at 2 h


def test_a_town_of_one_person_gets_a_unit_and_a_town_of_nobody_never_does():
    p = policy([1.0, 0.0], [0, 0], [2], mobilise_h=0.5)  # two units on hand: only people decide
    lost = np.array([True, True])
    assert [p.decide(lost)[0] for _ in range(3)] == [[], [0], []]
    assert p.units_free.tolist() == [1]


def test_units_arriving_together_are_numbered_in_order_and_counted_in_the_summary():
    # one region, two units, two towns lost at 0 h: both on air at 1 h, the larger town's unit first (unit 0)
    p = policy([300.0, 700.0], [0, 0], [2], mobilise_h=1.0)
    assert p.summary() == {"units": 2, "deployed": 0, "peak_on_air": 0, "on_air_at_end": 0}
    lost = np.array([True, True])
    assert [p.decide(lost)[0] for _ in range(3)] == [[], [], [1, 0]]
    assert p.summary() == {"units": 2, "deployed": 2, "peak_on_air": 2, "on_air_at_end": 2}
    # the smaller town is served again: its unit, the second put on air, is withdrawn
    assert p.decide(np.array([False, True])) == ([], [1])
    assert p.summary() == {"units": 2, "deployed": 2, "peak_on_air": 2, "on_air_at_end": 1}


# ---------------------------------------------------------------- in a run


SITE_DOWN = "[{kind: attack, actions: [{at: 0, destroy: [S1]}]}]"
CREWS = """
restoration:
  crews: {shift_hours: 24, speed_kmh: 60, detour_factor: 1.0}
  repair_hours: {slight: 1, moderate: 1, extensive: 1, complete: 3, beta: 0}
  restart_lag: {median_minutes: 0, beta: 0}
"""


def run(small, extra):
    sim = Simulation(load_scenario(small(SITE_DOWN, extra=extra, duration="6h")))
    states = []
    sim.run(on_step=states.append)
    return sim, states


def test_without_the_block_nobody_brings_a_temporary_site(small):
    sim, states = run(small, CREWS)
    alpha = sim.world.area_ids.index("Alpha")
    assert not isinstance(sim.fallback, TemporarySites)
    assert not states[int(2 * HOUR / 60)].service.terrestrial[alpha]  # S1 is repaired only after 3 h


def test_an_operator_unit_serves_the_area_until_its_own_site_is_repaired(small):
    sim, states = run(small, CREWS + "  temporary_sites: {per_operator_region: 1, mobilise: 1h}\n")
    alpha = sim.world.area_ids.index("Alpha")
    at = [s.service.terrestrial[alpha] for s in states]
    share = [s.service.people_share_terrestrial[alpha] for s in states]
    minute = int(HOUR / 60)
    assert not at[minute - 1] and at[minute]  # on air 1 h after S1 was destroyed, not a step earlier
    assert share[minute] == 1.0 and all(at[minute:])  # everyone in Alpha has a 112 path from then on
    layer = sim.fallback
    # one unit went to Alpha and left when S1 came back (after the drive and the 3 h repair)
    assert layer.area == [alpha] and layer.standing == [False]
    assert states[-1].service.terrestrial[alpha]


def test_a_run_resumed_while_a_unit_stands_gives_the_same_bytes(small, tmp_path):
    import json

    from d2c.checkpoint import fingerprint, resume, save

    path = small(SITE_DOWN, extra=CREWS + "  temporary_sites: {per_operator_region: 1, mobilise: 1h}\n",
                 duration="6h")
    scenario = load_scenario(path)

    def build(world=None):
        return Simulation(scenario, world=world)

    options = {"traffic": False, "sample": None}
    whole = json.dumps(build().run().to_dict())
    sim = build()
    for _ in range(150):  # 2.5 h: the unit stands in Alpha, S1 is not repaired yet
        sim.step()
    assert sim.fallback.standing == [True]
    saved = save(tmp_path / "ck.d2c", sim, build(sim.world), fingerprint(sim, options))
    assert json.dumps(resume(saved, lambda world=None: build(world), options).run().to_dict()) == whole


def test_the_result_counts_the_units_kept_put_on_air_and_standing(small):
    sim, _ = run(small, CREWS + "  temporary_sites: {per_operator_region: 2, mobilise: 1h}\n")
    # TIM and Vodafone both have sites in the one region: 2 units each; only Alpha lost its service
    assert sim.result().to_dict()["restoration"]["temporary_sites"] == {
        "units": 4, "deployed": 1, "peak_on_air": 1, "on_air_at_end": 0}
    off, _ = run(small, CREWS)
    assert "temporary_sites" not in off.result().to_dict()["restoration"]
