"""Who D2C serves and from when (the offer), and how fast a beam takes handsets on (attach storms)."""

import numpy as np
import pytest

from conftest import SMALL_TOPOLOGY, write
from d2c.attach import AttachSettings, preamble_successes, rach_attach_per_s
from d2c.base.errors import ConfigError
from d2c.config.scenario import load_scenario
from d2c.config.topology import load_topology
from d2c.demand import StepDemand
from d2c.engine import Simulation
from d2c.fallback import D2CCapacity, Fallback
from d2c.world import World

# Every site destroyed at the start: both villages depend on D2C for the whole run.
ALL_DOWN = "[{kind: attack, actions: [{at: 0, destroy: [S1, S2, S3]}]}]"


@pytest.fixture
def offer(gw):
    """A scenario on the gateway topology with every site destroyed and the given ``d2c:`` offer lines."""

    def make(d2c_extra: str = "", duration: str = "1h", demand: str = ""):
        extra = "d2c:\n  provider: starlink-dtc\n" + "".join(f"  {line}\n" for line in d2c_extra.splitlines())
        # every handset outdoors, so that the radio path does not thin the offer's shares
        # (the indoor losses are tested in tests/test_d2c.py and tests/test_scenarios.py)
        outdoors = "population: {indoors: false}\n"
        return gw(ALL_DOWN, extra + outdoors + demand, duration)

    return make


def run(path):
    sim = Simulation(load_scenario(path))
    states = []
    sim.run(on_step=states.append)
    return sim, states


def series(states, name, area=None):
    values = [getattr(s.service, name) for s in states]
    return np.array([v.sum() if area is None else v[area] for v in values])


# ---------------------------------------------------------------- eligibility


def test_another_operators_subscribers_are_never_served_by_d2c(offer):
    # Alpha's only site is TIM's; the offer serves Vodafone's subscribers only.
    sim, states = run(offer("operators: [Vodafone]\ncompatible_handsets: 1.0"))
    alpha, beta = sim.world.area_ids.index("Alpha"), sim.world.area_ids.index("Beta")
    assert all(s.service.d2c[alpha] for s in states)  # the beam is there...
    assert series(states, "calls_served_d2c", alpha).sum() == 0.0  # ...but serves no one in Alpha
    assert series(states, "sms_served_d2c", alpha).sum() == 0.0
    assert series(states, "family_calls_served_d2c", alpha).sum() == 0.0
    assert series(states, "people_share_d2c", alpha).max() == 0.0
    offered = sum(s.service.emergency_offered[alpha] for s in states)
    assert series(states, "emergency_not_eligible_d2c", alpha).sum() == pytest.approx(offered)
    # Beta: Vodafone's S3 had 5 of the 15 calls of capacity there, so a third of Beta's handsets
    assert series(states, "people_share_d2c", beta).max() == pytest.approx(5 / 15)
    summary = sim.result().summary
    assert summary["d2c_population_not_eligible_peak"] == pytest.approx(1000 + 500 * 10 / 15, abs=1)
    assert any("subscribers of Vodafone only" in line for line in sim.result().assumptions)


def test_incompatible_handsets_are_left_out(offer):
    sim, states = run(offer("compatible_handsets: 0.25", duration="3h"))
    alpha = sim.world.area_ids.index("Alpha")
    served = series(states, "calls_served_d2c", alpha)[-60:].sum()
    offered = series(states, "calls_offered", alpha)[-60:].sum()
    assert served == pytest.approx(0.25 * offered, rel=1e-6)  # once attached, a quarter of 112 calls get through


# ---------------------------------------------------------------- activation and phases


def test_no_d2c_before_activation(offer):
    sim, states = run(offer("activation: T+30m", duration="1h"))
    t = np.array([s.t_s for s in states])
    on_d2c = np.array([s.service.d2c.any() for s in states])
    served = series(states, "emergency_served_d2c")
    assert not on_d2c[t < 1800].any() and served[t < 1800].sum() == 0.0
    assert on_d2c[t >= 1800].all() and served[t >= 1800].sum() > 0


def test_on_decision_waits_for_the_switch(offer):
    sim = Simulation(load_scenario(offer("activation: on_decision", duration="1h")))
    for _ in range(20):
        assert not sim.step().service.d2c.any()
    sim.switch_d2c_on()
    assert sim.step().service.d2c.any()


def test_an_sms_only_phase_carries_no_voice(offer):
    phases = "phases:\n  - {from: 0, services: [sms]}\n  - {from: T+1h, services: [sms, voice, data]}"
    sim, states = run(offer(phases, duration="2h"))
    t = np.array([s.t_s for s in states])
    first = t < 3600
    for name in ("calls_served_d2c", "family_calls_served_d2c", "responders_served_d2c", "data_served_d2c_mbps"):
        assert series(states, name)[first].sum() == 0.0, name
    assert series(states, "sms_served_d2c")[first].sum() > 0
    assert series(states, "people_share_d2c")[first].max() > 0  # a 112 SMS is a 112 path
    # calls to family are not made on an SMS-only beam, so they are not counted as blocked there
    public_sms = np.array([s.demand.public_sms.sum() for s in states])
    assert series(states, "non_emergency_blocked_d2c")[first].sum() <= public_sms[first].sum()
    assert series(states, "calls_served_d2c")[~first].sum() > 0


@pytest.mark.parametrize("extra, message", [
    ("activation: soon", r"scenario\.yaml:\d+: d2c\.activation: expected on_decision or a time"),
    ("operators: [Iliad]", r"scenario\.yaml:\d+: d2c\.operators\[0\]: expected one of TIM, Vodafone"),
    ("compatible_handsets: 1.5", r"scenario\.yaml:\d+: d2c\.compatible_handsets: expected a number"),
    ("phases:\n  - {from: T+2h, services: [sms]}\n  - {from: T+1h, services: [voice]}",
     r"scenario\.yaml:\d+: d2c\.phases\[1\]: expected phases in time order"),
    ("phases:\n  - {from: 0, services: [fax]}", r"scenario\.yaml:\d+: d2c\.phases\[0\]\.services\[0\]: expected one of"),
    ("attach: {contention_preambles: 65}", r"scenario\.yaml:\d+: d2c\.attach\.contention_preambles: expected"),
])
def test_a_bad_offer_names_its_line(offer, extra, message):
    with pytest.raises(ConfigError, match=message):
        load_scenario(offer(extra))


# ---------------------------------------------------------------- attach storms

class _OneProvider:
    """The fallback stage with one provider's attach queue (as ``engine.ProviderPass`` holds it)."""

    def __init__(self, fallback, attach):
        self.fallback = fallback
        self.queue = fallback.attach_queue(np.ones(len(fallback.world.area_ids)), attach)

    def terrestrial(self, *states):
        return self.fallback.terrestrial(*states)

    def step(self, demand, d2c):
        return self.fallback.step(demand, d2c, None, self.queue)


def _alpha_on_one_beam(tmp_path, attach: AttachSettings):
    world = World(load_topology(write(tmp_path, "small.yaml", SMALL_TOPOLOGY)))
    fallback = _OneProvider(Fallback(world, step_s=60.0), attach)
    off = np.zeros(world.n_sites, bool)
    fallback.terrestrial(off, off, off)
    n = len(world.area_ids)
    alpha = world.area_ids.index("Alpha")
    area_beam = np.full(n, -1)
    area_beam[alpha] = 0
    return world, fallback, alpha, area_beam


def _capacity(area_beam, sms_per_step, bytes_per_s, calls=100.0):
    n = area_beam.size
    return D2CCapacity(area_beam, np.array([calls]), np.array([sms_per_step]), np.array([0.0]), np.ones(n, int),
                       np.ones(n), np.full(n, 60.0), beam_messaging_bytes_per_s=np.array([bytes_per_s]))


def _quiet(n, calls=0.0):
    z = np.zeros(n)
    return StepDemand(calls=np.full(n, calls), call_erlangs=np.full(n, calls * 90 / 60), sms=z, public_sms=z,
                      responder_erlangs=z, data_mbps=z)


def test_signalling_limited_attach_takes_handsets_over_divided_by_rate(tmp_path):
    # Alpha: 1,000 people x 10 handsets = 10,000 handsets. The beam carries 100,000 B/s of messaging
    # (3,000 SMS of 2,000 B per 60 s step); an attach takes 6,000 B, so 100,000 / 6,000 = 16.7 attaches/s:
    # 10,000 handsets need 10,000 / 16.67 = 600 s, ten steps. Random access (3,000/s) is not the limit.
    attach = AttachSettings(handsets_per_person=10.0, signalling_bytes_per_attach=6000.0)
    world, fallback, alpha, area_beam = _alpha_on_one_beam(tmp_path, attach)
    n = len(world.area_ids)
    shares = [fallback.step(_quiet(n), _capacity(area_beam, 3000.0, 100_000.0)).attached_share[alpha]
              for _ in range(11)]
    assert shares[0] == pytest.approx(0.1)
    assert shares[8] == pytest.approx(0.9)  # 540 s: not yet
    assert shares[9] == pytest.approx(1.0)  # 600 s: done
    assert shares[10] == pytest.approx(1.0)


def test_random_access_limited_attach(tmp_path):
    # One PRACH occasion a second, 54 preambles: at best 54 (53/54)^53 = 20.05 single picks, but only
    # 15 grants per occasion, so 15 attaches/s = 900 a step; 10,000 handsets take 11.1 steps (667 s).
    assert float(preamble_successes(54, 54)) == pytest.approx(54 * (53 / 54) ** 53)
    attach = AttachSettings(handsets_per_person=10.0, prach_occasions_per_s=1.0)
    assert rach_attach_per_s(attach) == pytest.approx(15.0)
    world, fallback, alpha, area_beam = _alpha_on_one_beam(tmp_path, attach)
    n = len(world.area_ids)
    shares = [fallback.step(_quiet(n), _capacity(area_beam, 1e6, 1e9)).attached_share[alpha] for _ in range(12)]
    assert shares[10] == pytest.approx(11 * 900 / 10_000)
    assert shares[11] == pytest.approx(1.0)


def test_emergency_attach_goes_before_the_queue(tmp_path):
    # The beam's signalling fits 100 attaches a step (600,000 B at 6,000 B each), far fewer than
    # the 10,000 handsets waiting; the 30 handsets calling 112 this step are served first.
    attach = AttachSettings(handsets_per_person=10.0)
    world, fallback, alpha, area_beam = _alpha_on_one_beam(tmp_path, attach)
    n = len(world.area_ids)
    s = fallback.step(_quiet(n, calls=30.0), _capacity(area_beam, 300.0, 10_000.0))
    assert s.calls_served_d2c[alpha] == pytest.approx(30.0)  # every caller got through
    assert s.emergency_blocked_d2c[alpha] == pytest.approx(0.0)
    assert s.attached_share[alpha] * 10_000 == pytest.approx(100.0)  # 30 by emergency attach + 70 from the queue
    # Without room for all of them, the emergency attaches take the whole pool and block the rest.
    world, fallback, alpha, area_beam = _alpha_on_one_beam(tmp_path, attach)
    s = fallback.step(_quiet(n, calls=30.0), _capacity(area_beam, 36.0, 1200.0))  # 12 attaches this step
    assert s.calls_served_d2c[alpha] == pytest.approx(12.0)
    assert s.emergency_blocked_d2c[alpha] == pytest.approx(30.0 - 12.0)
    assert s.attached_share[alpha] * 10_000 == pytest.approx(12.0)


def test_handsets_back_on_a_cell_leave_the_beam(tmp_path):
    world, fallback, alpha, area_beam = _alpha_on_one_beam(tmp_path, AttachSettings())
    n = len(world.area_ids)
    fallback.step(_quiet(n), _capacity(area_beam, 3000.0, 100_000.0))
    on = np.ones(world.n_sites, bool)
    fallback.terrestrial(on, on, on)
    assert fallback.step(_quiet(n), _capacity(area_beam, 3000.0, 100_000.0)).attached_share[alpha] == 1.0
    off = np.zeros(world.n_sites, bool)
    fallback.terrestrial(off, off, off)
    s = fallback.step(_quiet(n), _capacity(area_beam, 0.0, 0.0))  # the storm starts again, on a beam with no room
    assert s.attached_share[alpha] == 0.0
