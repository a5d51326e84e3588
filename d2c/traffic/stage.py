"""The traffic stage of the engine: each step's demand as real packets, replayed.

Plugs a :class:`TrafficStage` into ``Simulation(traffic=...)``: every step it
turns the engine's state into :class:`StepConditions` (``conditions.py``) and
replays that step's flows; ``finish`` returns the traffic metrics.
"""

from __future__ import annotations

import numpy as np

from d2c.config.scenario import Scenario
from d2c.traffic.conditions import step_conditions
from d2c.traffic.metrics import TrafficResult
from d2c.traffic.replay import PTT_SESSION_S, AreaTable, TrafficStage
from d2c.world import World

# A run samples its flows so that about this many 112 call attempts are
# replayed at most: enough for stable percentiles, few enough for seconds.
TARGET_CALL_ATTEMPTS = 2_000
# A capture keeps every RTP packet (a 90 s call is ~9,000): fewer calls by default.
CAPTURE_CALL_ATTEMPTS = 100


def auto_sample(scenario: Scenario, target_calls: int = TARGET_CALL_ATTEMPTS) -> float:
    """The flow sample for a run: all flows on small territories, a fraction on national ones.

    Bounded above by the demand with the surge applied everywhere for the whole run.
    """
    d = scenario.demand
    upper = scenario.topology.population * d.emergency_calls_per_person_hour * d.surge_factor * (
        scenario.duration_s / 3600.0)
    return float(min(1.0, target_calls / upper)) if upper > 0 else 1.0


class EngineTraffic:
    """The engine's traffic hook (``d2c.stages.TrafficHook``)."""

    def __init__(self, scenario: Scenario, world: World, sample: float | None = None, keep_segments: bool = False):
        self.scenario = scenario
        self.sample = auto_sample(scenario) if sample is None else sample
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
