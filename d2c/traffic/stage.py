"""The traffic stage of the engine: each step's demand as real packets, replayed.

Plugs a :class:`TrafficStage` into ``Simulation(traffic=...)``: every step it
turns the engine's state into :class:`StepConditions` (``conditions.py``) and
replays that step's flows; ``finish`` returns the traffic metrics.
"""

from __future__ import annotations

import numpy as np

from d2c.config.scenario import Scenario
from d2c.traffic.conditions import step_conditions
from d2c.traffic.outcomes import TrafficResult
from d2c.traffic.replay import PTT_SESSION_S, AreaTable, TrafficStage
from d2c.world import World

# A capture keeps every RTP packet (a 90 s call is ~9,000): it samples its flows so that
# about this many 112 call attempts are replayed at most.
TARGET_CALL_ATTEMPTS = 2_000
CAPTURE_CALL_ATTEMPTS = 100

# A run's default sample keeps the replay within this share of the whole run's time; the
# report gives each traffic figure's confidence interval at that sample (uncertainty.py).
REPLAY_SHARE = 0.20
# The replay's cost is a small part per step and area (the flows drawn over the areas) and a part per
# packet; the rest of the run's is a part per step and a part per site and area and step. At REPLAY_SHARE
# the replay may take REPLAY_SHARE / (1 - REPLAY_SHARE) of the rest, which buys this many packets
# (measured on the bench machine, 2 shared cores, national blackout with D2C on: 39 ns of CPU a replayed
# voice packet, 0.9 ms a step for the draws over 19,072 areas, about 1 ms a step plus 0.14 us a site or
# area and step for the rest of the run, its load and outputs included; `make bench commands` prints
# the share this gives. assumed: {low: 0.5x, high: 2x} of each: a faster engine wants fewer packets).
PACKETS_PER_STEP = 6_000
PACKETS_PER_SITE_AREA_STEP = 0.6
# ...but never fewer than this many 112 call attempts at the normal rate (no surge: the least a
# run offers), so that a quiet replay still draws calls to measure; the report's interval shows
# how little so few say (Wilson, p = 0.5, n = 20: +-21 points) and `--sample` buys more.
MIN_CALL_ATTEMPTS = 20
# RTP packets a second each way (AMR-WB at a 20 ms packet time, the SDP's a=ptime:20: sip.py).
RTP_PACKETS_PER_S = 50.0


def auto_sample(scenario: Scenario, target_calls: int = TARGET_CALL_ATTEMPTS) -> float:
    """The flow sample for a capture: about ``target_calls`` 112 call attempts at most.

    Bounded above by the demand with the surge applied everywhere for the whole run.
    """
    upper = _calls_at_full_sample(scenario)
    return float(min(1.0, target_calls / upper)) if upper > 0 else 1.0


def _calls_at_full_sample(scenario: Scenario, surge: bool = True) -> float:
    """112 call attempts of a full replay: with the surge everywhere all run (an upper bound),
    or at the normal rate (``surge=False``: a lower bound)."""
    d = scenario.demand
    return scenario.topology.population * d.emergency_calls_per_person_hour * (d.surge_factor if surge else 1.0) * (
        scenario.duration_s / 3600.0)


def replay_packets_at_full_sample(scenario: Scenario) -> float:
    """Upper bound of the RTP packets a full replay would carry: the surge everywhere, all run.

    112 calls (both directions for the hold time) and responders' push-to-talk sessions
    (one direction); SMS and warnings are a few packets each, a rounding error beside voice.
    """
    d = scenario.demand
    people = scenario.topology.population
    calls = _calls_at_full_sample(scenario)
    ptt_sessions = people * d.responders_per_1000 / 1000.0 * d.responder_erlangs * scenario.duration_s / PTT_SESSION_S
    return RTP_PACKETS_PER_S * (calls * d.call_hold_s * 2 + ptt_sessions * PTT_SESSION_S)


def budget_sample(scenario: Scenario, world: World) -> float:
    """The default flow sample of a run: as many flows as keep the replay within ``REPLAY_SHARE``
    of the run (all flows when they fit), and at least ``MIN_CALL_ATTEMPTS`` 112 calls' worth."""
    packets = replay_packets_at_full_sample(scenario)
    if packets <= 0:
        return 1.0
    budget = scenario.steps * (PACKETS_PER_STEP + PACKETS_PER_SITE_AREA_STEP * (world.n_sites + len(world.area_ids)))
    calls = _calls_at_full_sample(scenario, surge=False)
    floor = MIN_CALL_ATTEMPTS / calls if calls > 0 else 0.0
    return float(min(1.0, max(budget / packets, floor)))


class EngineTraffic:
    """The engine's traffic hook (``d2c.stages.TrafficHook``)."""

    def __init__(self, scenario: Scenario, world: World, sample: float | None = None, keep_segments: bool = False):
        self.scenario = scenario
        self.sample = budget_sample(scenario, world) if sample is None else sample
        areas = AreaTable(list(world.area_ids), world.area_lat_deg, world.area_lon_deg, world.area_population)
        # its own random stream, so that replaying traffic never changes the incident's draws
        seed = int(np.random.SeedSequence([scenario.seed, 0x7AFF]).generate_state(1)[0])
        self.stage = TrafficStage(areas, scenario.start, seed, sample=self.sample,
                                  call_hold_s=scenario.demand.call_hold_s, keep_segments=keep_segments)
        self.elevation_mask_deg = scenario.d2c.provider.elevation_mask_deg if scenario.d2c else 0.0
        self._result: TrafficResult | None = None

    def step(self, state, warnings: tuple) -> None:
        self.stage.step(step_conditions(state, self.scenario.step_s, PTT_SESSION_S, self.elevation_mask_deg, warnings))

    def finish(self) -> TrafficResult:
        if self._result is None:
            self._result = self.stage.finish()
        return self._result
