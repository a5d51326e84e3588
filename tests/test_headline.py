"""The headline: who has a 112 path, person-hours without one, the worst instant, the longest outage."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import SMALL_TOPOLOGY, scenario_text, write
from d2c.config.scenario import load_scenario
from d2c.config.topology import load_topology
from d2c.demand import StepDemand
from d2c.engine import Simulation
from d2c.fallback import D2CCapacity, Fallback
from d2c.world import World

HOUR = 3600


def _one_step_service(tmp_path, beam_calls: float, beam_sms: float, beam_mbps: float):
    """Both villages without terrestrial service; Alpha under one beam with the given capacity, Beta under none."""
    world = World(load_topology(write(tmp_path, "small.yaml", SMALL_TOPOLOGY)))
    fallback = Fallback(world)
    off = np.zeros(world.n_sites, bool)
    fallback.terrestrial(off, off, off)
    n = len(world.area_ids)
    one = np.ones(n)
    demand = StepDemand(calls=one, call_erlangs=one, sms=one, public_sms=one, responder_erlangs=one, data_mbps=one)
    d2c = D2CCapacity(np.array([0, -1]), np.array([beam_calls]), np.array([beam_sms]), np.array([beam_mbps]),
                      np.ones(n, int), np.ones(n), np.full(n, 60.0))
    return world, fallback.step(demand, d2c)


@pytest.mark.parametrize("calls, sms, mbps, alpha_d2c", [(1.0, 0.0, 0.0, 1.0), (0.0, 1.0, 0.0, 1.0),
                                                         (0.0, 0.0, 5.0, 0.0), (0.0, 0.0, 0.0, 0.0)])
def test_a_d2c_112_path_needs_voice_or_sms_on_the_beam(tmp_path, calls, sms, mbps, alpha_d2c):
    world, s = _one_step_service(tmp_path, calls, sms, mbps)
    alpha, beta = world.area_ids.index("Alpha"), world.area_ids.index("Beta")
    assert s.people_share_terrestrial.tolist() == [0.0, 0.0]
    assert s.people_share_d2c[alpha] == alpha_d2c  # data alone is no 112 path
    assert s.people_share_d2c[beta] == 0.0  # no beam over Beta
    assert s.people_share_no_path[alpha] == 1.0 - alpha_d2c and s.people_share_no_path[beta] == 1.0


TWO_CORES = """
cores:
  - {id: CORE, lat: 42.60, lon: 13.00, operator: TIM}
  - {id: CORE2, lat: 42.62, lon: 13.00, operator: Vodafone}
psaps:
  - {id: PSAP, lat: 42.61, lon: 13.00, cores: [CORE, CORE2]}
"""


@pytest.mark.parametrize("stuck", [1.0, 0.5, 0.0])
def test_handsets_stuck_on_a_dead_core_have_no_terrestrial_path(tmp_path, stuck):
    # TIM's core is down, its radio up. In Beta TIM's S2 (10 calls) and Vodafone's S3 (5 calls) cover:
    # TIM holds 10/15 of Beta's handsets, and the stuck share of those has no 112 path.
    topo = SMALL_TOPOLOGY.split("cores:")[0] + TWO_CORES + "\n"
    topo = topo.replace("    - {id: L3, a: REG, b: CORE}", "    - {id: L3, a: REG, b: CORE}\n    - {id: L4, a: REG, b: CORE2}")
    write(tmp_path, "small.yaml", topo)
    outage = "[{kind: attack, actions: [{at: 0, cyber: {core: CORE, functions: [voice, sms]}}]}]"
    path = write(tmp_path, "s.yaml", scenario_text(outage, f"demand: {{stuck_on_failed_core: {stuck}}}", "10m"))
    sim = Simulation(load_scenario(path))
    s = sim.step().service
    beta = sim.world.area_ids.index("Beta")
    assert s.people_share_terrestrial[beta] == pytest.approx(1.0 - stuck * 10 / 15)
    assert s.people_share_d2c[beta] == 0.0
    assert s.people_share_no_path[beta] == pytest.approx(stuck * 10 / 15)
