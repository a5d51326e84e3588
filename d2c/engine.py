"""The time loop. It only sequences the stages; each stage lives in its own module.

    hazard -> damage -> power -> network -> space -> fallback -> metrics

A :class:`Simulation` can run to the end (``run``) or be advanced one step at
a time (``step``) with actions applied between steps (``apply``, ``schedule``),
which is what a tabletop drill does.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable, Protocol

import numpy as np

from d2c.actions import action_for
from d2c.config.scenario import Scenario
from d2c.demand import DemandModel, StepDemand
from d2c.fallback import D2CCapacity, Fallback, Service, operator_share
from d2c.hazards.base import Effects, active_mask
from d2c.metrics import Recorder, Result
from d2c.network import CAUSE_CODE, NetworkState, Reachability
from d2c.offer import Offer, OfferGate, eligible_share
from d2c.power import PowerState
from d2c.world import World


STAGES = ("hazard", "damage", "power", "network", "space", "fallback", "traffic", "metrics")


class SpaceStage(Protocol):
    """The seam for the space segment: D2C beams and their capacity for a step."""

    def capacity(self, t_s: float, need: np.ndarray, demand: StepDemand, gateway_ok: np.ndarray) -> D2CCapacity:
        ...

    def describe(self) -> str:
        ...


class TrafficHook(Protocol):
    """The seam for the traffic stage: replays each step's packets; ``finish`` gives its metrics."""

    def step(self, state: "StepState", warnings: tuple) -> None:
        ...

    def finish(self):
        ...


class Action(Protocol):
    """Something done to the world between steps (a repair, a generator, ...)."""

    def apply(self, sim: "Simulation") -> None:
        ...

    def describe(self) -> str:
        ...


@dataclass(frozen=True)
class StepState:
    """Everything one step produced, for whoever drives the loop (report, drill, traffic)."""

    index: int
    t_s: float
    equipment_up: np.ndarray
    on_backup: np.ndarray
    network: NetworkState
    service: Service
    d2c: D2CCapacity
    demand: StepDemand


class Simulation:
    def __init__(self, scenario: Scenario, world: World | None = None, space: SpaceStage | None = None,
                 traffic: TrafficHook | None = None):
        self.scenario = scenario
        self.world = world or World(scenario.topology)
        if space is None and scenario.d2c is not None:
            from d2c.space.stage import D2CStage

            space = D2CStage(scenario.d2c.provider, self.world, scenario.start, scenario.step_s, scenario.d2c.core)
        self.space = space
        self.d2c_via_operator_core = scenario.d2c is None or scenario.d2c.core == "operator"
        self.traffic = traffic
        self.extra_warnings: list = []  # warnings sent by actions during the run
        seeds = np.random.SeedSequence(scenario.seed).spawn(max(len(scenario.incidents), 1))
        effects = Effects.none(self.world)
        for incident, seed in zip(scenario.incidents, seeds):
            effects = effects.merge(incident.compile(self.world, np.random.default_rng(seed)))
        self.effects = effects
        self.power = PowerState.full(self.world.battery_s, self.world.generator_s)
        self.network = Reachability(self.world)
        offer = scenario.d2c.offer if scenario.d2c is not None else Offer()
        self.offer = OfferGate(offer)
        self.d2c_share = eligible_share(offer, operator_share(self.world), self.world.operators)
        self.fallback = Fallback(self.world, scenario.demand.stuck_on_failed_core, self.d2c_share,
                                 scenario.d2c.attach if scenario.d2c is not None else None, scenario.step_s)
        self.demand = DemandModel(scenario.demand, self.world.area_population, effects.affected_area_s)
        self.recorder = Recorder(scenario, self.world)
        self.recorder.d2c_share = self.d2c_share
        self.index = 0
        self.log: list[tuple[float, str]] = []
        self.stage_seconds = {name: 0.0 for name in STAGES}
        self._scheduled: list[tuple[float, int, Action]] = []
        for response in scenario.responses:
            self.schedule(action_for(response), response.at_s)

    # ------------------------------------------------------------- control

    @property
    def steps(self) -> int:
        return self.scenario.steps

    @property
    def done(self) -> bool:
        return self.index >= self.steps

    @property
    def t_s(self) -> float:
        return self.index * self.scenario.step_s

    def apply(self, action: Action) -> None:
        """Apply an action now, before the next step."""
        action.apply(self)
        self.log.append((self.t_s, action.describe()))

    def switch_d2c_on(self) -> None:
        """Open the scenario's D2C offer now (a drill's decision; no effect if it is already open)."""
        self.offer.switch_on(self.t_s)

    def hold_d2c_for_decision(self) -> None:
        """Keep the D2C offer closed until ``switch_d2c_on`` (a drill with D2C on standby)."""
        self.offer.hold_for_decision()

    @property
    def d2c_waiting_for_decision(self) -> bool:
        return self.space is not None and self.offer.waiting_for_decision

    def schedule(self, action: Action, at_s: float) -> None:
        """Apply an action at the first step at or after ``at_s`` (a decision with a delay)."""
        self._scheduled.append((at_s, len(self._scheduled), action))
        self._scheduled.sort(key=lambda item: (item[0], item[1]))

    def run(self, on_step: Callable[[StepState], None] | None = None) -> Result:
        while not self.done:
            state = self.step()
            if on_step:
                on_step(state)
        return self.result()

    def result(self) -> Result:
        return self.recorder.result(self)

    def warnings_between(self, t0_s: float, t1_s: float) -> tuple:
        """Public warnings due in [t0, t1) as (message_id, text, area mask) for the traffic stage."""
        w = self.world
        due = []
        for warning in (*self.scenario.warnings, *self.extra_warnings):
            if t0_s <= warning.at_s < t1_s:
                due.append((warning.message_id, warning.text, warning.area.contains(w.area_lat_deg, w.area_lon_deg)))
        return tuple(due)

    # ------------------------------------------------------------- one step

    def step(self) -> StepState:
        if self.done:
            raise RuntimeError("the simulation has reached the end of the scenario")
        while self._scheduled and self._scheduled[0][0] <= self.t_s:
            self.apply(self._scheduled.pop(0)[2])
        w, e, t = self.world, self.effects, self.t_s
        dt = self.scenario.step_s
        clock = _StageClock(self.stage_seconds)

        # hazard: which temporary conditions are active now
        substation_down = (e.substation_damage_s <= t) | active_mask(e.grid_off, t, len(w.substation_ids))
        local_grid_off = active_mask(e.grid_off_local, t, w.n_equipment)
        jammed = active_mask(e.jamming, t, w.n_sites)
        cyber_down = np.zeros_like(w.core_functions)
        for window in e.cyber:
            if window.start_s <= t < window.end_s:
                cyber_down[window.core] |= window.functions

        clock.lap("hazard")
        # damage
        damaged = e.equipment_damage_s <= t
        clock.lap("damage")

        # power
        feed = w.equipment_substation
        grid_up = np.where(feed >= 0, ~substation_down[np.maximum(feed, 0)], True) & ~local_grid_off
        powered, on_backup = self.power.step(grid_up, dt)
        clock.lap("power")

        # network
        equipment_up = ~damaged & powered
        core_up = equipment_up[w.slices["core"]]
        core_function_up = w.core_functions & core_up[:, None] & ~cyber_down
        net = self.network.step(equipment_up, powered, damaged, e.link_cut_s > t, core_function_up, jammed)
        clock.lap("network")

        # demand, space, fallback
        demand = self.demand.at(t, dt)
        covered = self.fallback.terrestrial(net.in_service, net.sms_ok, net.cbc_ok, net.cause == CAUSE_CODE["core"])
        clock.lap("fallback")
        if self.space is None:
            d2c = D2CCapacity.none(len(w.area_ids))
        else:
            gateway_ok = equipment_up[w.slices["gateway"]]
            if self.d2c_via_operator_core:
                gateway_ok = gateway_ok & self.network.gateway_voice_ok()
            d2c = self.offer.restrict(self.space.capacity(t, ~covered, demand, gateway_ok), t)
        clock.lap("space")
        service = self.fallback.step(demand, d2c)
        clock.lap("fallback")

        state = StepState(self.index, t, equipment_up, on_backup, net, service, d2c, demand)
        if self.traffic is not None:
            self.traffic.step(state, self.warnings_between(t, t + dt))
            clock.lap("traffic")
        self.recorder.record(state)
        clock.lap("metrics")
        self.index += 1
        return state


class _StageClock:
    """Adds the time since the last lap to a stage's total (for ``make bench``'s stage shares)."""

    def __init__(self, totals: dict[str, float]):
        self.totals = totals
        self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.totals[stage] += now - self.last
        self.last = now
