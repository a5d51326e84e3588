"""compare's lanes: every variant's share of people on D2C in one array pass is the fallback stage's own.

Random beams, pools, link shares, offers and terrestrial states on a shipped regional topology,
stepped for several minutes so that the attach queues fill, leave and refill: each lane's
``people_share_d2c`` equals ``Fallback.step``'s for the same lane run on its own, to the last bit.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from d2c.attach import AttachSettings
from d2c.compare.lanes import LaneStep, Lanes
from d2c.config.topology import load_topology
from d2c.fallback import Fallback
from d2c.stages import D2CCapacity, StepDemand
from d2c.world import World

TOPOLOGY = Path(__file__).resolve().parents[1] / "topologies" / "centro-italia.yaml"
STEP_S = 60.0


@pytest.fixture(scope="module")
def world():
    return World(load_topology(TOPOLOGY))


def _demand(rng, n: int) -> StepDemand:
    calls = rng.gamma(0.5, 2.0, n) * (rng.random(n) < 0.8)
    return StepDemand(calls=calls, call_erlangs=calls * 1.5, sms=rng.gamma(0.5, 3.0, n), public_sms=rng.random(n) * 20,
                      responder_erlangs=rng.random(n), data_mbps=rng.random(n) * 5, family_calls=rng.random(n) * 4,
                      family_call_erlangs=rng.random(n) * 6)


def _capacity(rng, n: int, kind: str) -> D2CCapacity | None:
    """A lane's beams this step: none, or a few beams with random pools (an SMS-only phase: no calls)."""
    if kind == "none":
        return None
    n_beams = int(rng.integers(1, 6))
    area_beam = np.where(rng.random(n) < 0.7, rng.integers(0, n_beams, n), -1)
    calls = np.floor(rng.random(n_beams) * 30) * (kind != "sms-only")
    sms = rng.random(n_beams) * 400 * (rng.random(n_beams) < 0.8)
    link = rng.random((3, n)) * (rng.random((3, n)) < 0.9)
    return D2CCapacity(area_beam, calls, sms, rng.random(n_beams) * (rng.random(n_beams) < 0.5),
                       np.zeros(n, dtype=np.int32), np.full(n, 20.0), np.full(n, 40.0),
                       beam_messaging_bytes_per_s=sms / STEP_S * 140.0, area_link_share=link)


def test_lanes_equal_each_lanes_own_fallback_step(world):
    rng = np.random.default_rng(11)
    n, n_seeds = len(world.area_ids), 2
    kinds = ["beams", "sms-only", "none", "beams", "beams"]  # per variant; each seed runs every one
    seed_of = [s for s in range(n_seeds) for _ in kinds]
    offer = [np.where(rng.random(n) < 0.3, 0.0, rng.random(n)) for _ in seed_of]
    settings = [AttachSettings(signalling_bytes_per_attach=float(rng.choice([3000.0, 6000.0, 12000.0])))
                for _ in seed_of]
    # each lane on its own: a fallback stage per seed (as each run has), an attach queue per lane
    alone = [Fallback(world, stuck_on_failed_core=0.2, step_s=STEP_S) for _ in range(n_seeds)]
    queues = [alone[s].attach_queue(o, a) for s, o, a in zip(seed_of, offer, settings)]
    shared = [Fallback(world, stuck_on_failed_core=0.2, step_s=STEP_S) for _ in range(n_seeds)]
    lanes = Lanes(seed_of, offer, [shared[s].attach_queue(o, a) for s, o, a in zip(seed_of, offer, settings)], STEP_S)
    on_beams = 0
    for _ in range(12):
        steps = []
        for s in range(n_seeds):
            site_up = rng.random(world.n_sites) < 0.4
            states = (site_up, site_up & (rng.random(world.n_sites) < 0.9), site_up,
                      ~site_up & (rng.random(world.n_sites) < 0.1))
            covered = alone[s].terrestrial(*states)
            assert np.array_equal(shared[s].terrestrial(*states), covered)
            demand = _demand(rng, n)
            sms_covered = shared[s].step(demand, D2CCapacity.none(n)).sms_path
            steps.append(LaneStep(covered, sms_covered, demand))
        capacities = [_capacity(rng, n, kinds[i % len(kinds)]) for i in range(len(seed_of))]
        got = lanes.people_share_d2c(steps, capacities)
        for lane, (s, capacity) in enumerate(zip(seed_of, capacities)):
            service = alone[s].step(steps[s].demand, capacity or D2CCapacity.none(n), offer[lane], queues[lane])
            assert np.array_equal(got[lane], service.people_share_d2c), lane
            on_beams += int((service.people_share_d2c > 0).sum())
    assert on_beams > 100  # the lanes did carry people on D2C
